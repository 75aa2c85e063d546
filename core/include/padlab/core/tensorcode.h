#pragma once

#include "padlab/core/codegen.h"
#include "padlab/core/convt.h"
#include "padlab/core/frameworks.h"
#include "padlab/core/pool.h"
#include "padlab/core/tensor.h"
#include "padlab/core/tensorconv.h"

namespace padlab::core {

/// @brief What a tensor script computes: a convolution, a pooling or a transposed convolution of
/// an input of @p input's shape read in @p layout. Only the spec of @p op is read.
struct TensorCodeRequest {
    OpKind op = OpKind::Conv;
    Layout layout = Layout::CHW;
    TensorShape input;
    TensorKernel kernel; ///< Conv and ConvT, with the bias
    TensorConvSpec conv;
    PoolSpec pool;
    ConvTSpec convt;
};

/// @brief A self-contained Python 3 script in the idiom of @p framework that computes what
/// convolveTensor(), poolTensor() or transposeConvolve() computes for @p request.
///
/// The script reads the `.npy` file or tensor CSV (blocks of rows) named by its first argument,
/// checks that it holds an array of the input's shape in its layout, and prints the result as
/// `padlab conv|pool|convt` prints it: tensor CSV in the input's layout (the channel axis kept
/// when the input has one or the result has several channels), each number as it reads back
/// exactly. PyTorch and NumPy scripts run; Keras' is the same idea written with Keras layers
/// (channels last). When the framework cannot express the settings the result holds the reasons,
/// taken from the tables of framework facts (a fill it lacks or limits, PyTorch's pooling pads
/// beyond half the window or its lack of 'same', ConvTranspose without 'same', Keras' stride with
/// dilation, OpenCV's filter2D without channels summed, ...).
/// Requires the op's validate() to pass; throws Error for a framework outside codeFrameworks().
GeneratedCode generateTensorCode(Framework framework, const TensorCodeRequest &request);

} // namespace padlab::core

#pragma once

#include "padlab/core/convt.h"
#include "padlab/core/geometry.h"
#include "padlab/core/pool.h"
#include "padlab/core/tensorconv.h"

#include <string>
#include <vector>

namespace padlab::core {

/// @brief One place where the frameworks disagree with each other, or cannot express the
/// current settings (SEMANTICS.md), as a sentence for the user.
struct FrameworkNote {
    std::string framework; ///< "PyTorch", "TensorFlow", "Keras", "OpenCV", "SciPy", "NumPy"
    std::string text;
};

/// @brief The notes that apply to @p spec on an input of @p inputSize with a kernel of
/// @p kernelSize: PyTorch refusing padding='same' with a stride, its missing symmetric fill and
/// reflect/circular limits, TensorFlow REFLECT/SYMMETRIC limits, Keras refusing stride with
/// dilation, causal being 1-D only in Keras, OpenCV and SciPy centring even kernels the other
/// way, OpenCV's filter2D lacking BORDER_WRAP, unread padded cells, and so on.
std::vector<FrameworkNote> frameworkNotes(const ConvSpec &spec, PerAxis inputSize,
                                          PerAxis kernelSize);

/// @brief The notes of a convolution of a tensor: for one channel and a spatial kernel of 1-D or
/// 2-D, frameworkNotes(); then, from the table of operation facts, what the frameworks say about
/// volumes, groups and a kernel applied to every channel on its own, and what OpenCV's filter2D
/// cannot do. Requires validate() to pass.
std::vector<FrameworkNote> tensorConvNotes(const TensorConvSpec &spec, const TensorShape &input,
                                           const TensorKernel &kernel);

/// @brief The notes of a pooling with axes @p axes: the rules of PyTorch's and Keras' pooling
/// layers these settings break, and where the frameworks agree or disagree on max, average,
/// same, ceil mode and the default stride.
std::vector<FrameworkNote> poolNotes(const PoolSpec &spec, const std::vector<PoolAxis> &axes);

/// @brief The notes of a transposed convolution with axes @p axes: the layer rules broken, the
/// crop, Keras' same and valid, output padding and the kernel's layout.
std::vector<FrameworkNote> convtNotes(const ConvTSpec &spec, const std::vector<ConvTAxis> &axes);

} // namespace padlab::core

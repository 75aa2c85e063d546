#pragma once

// The command line's files: inputs read as tensors (CSV, .npy, images), kernels and biases from
// files or the command line, and results written to standard output, CSV, .npy or an image,
// atomically.

#include "options.h"

#include "padlab/core/budget.h"
#include "padlab/core/tensor.h"
#include "padlab/core/tensorconv.h"

#include <QByteArray>
#include <QString>

#include <opencv2/core/mat.hpp>

#include <cstdint>
#include <vector>

namespace padlab::cli {

/// Keeps the third-party image codecs' own warnings off standard error, so that a failure is
/// reported in one line and a success in none.
class QuietStderr {
public:
    QuietStderr();
    ~QuietStderr();
    QuietStderr(const QuietStderr &) = delete;
    QuietStderr &operator=(const QuietStderr &) = delete;

private:
    int m_saved = -1;
};

/// Where a result goes: standard output, a CSV, .npy or image file.
struct OutputTarget {
    enum class Kind { Stdout, Csv, Npy, Image };
    Kind kind = Kind::Stdout;
    QString path;
    QString suffix;
};

/// An -o that is not a regular file in an existing folder, or that is one of the files the
/// command reads (INPUT, --kernel, --bias; through any link), fails before any work.
void requireOutputFile(const QString &path, const Invocation &invocation);

/// Checks -o before any work is done, so that a wrong name fails fast.
OutputTarget outputTarget(const Invocation &invocation);

/// What writing @p values numbers to @p target costs: their CSV text, .npy bytes or an 8-bit
/// image.
void addOutputBytes(core::Estimate &estimate, std::uint64_t values, const OutputTarget &target);

/// Writes @p matrix (one plane, 1 or 3 channels in OpenCV's B, G, R order); an empty matrix
/// gives an empty file (or nothing on standard output).
void writeMatrix(const cv::Mat &matrix, const OutputTarget &target);

/// Writes @p tensor in @p layout: CSV blocks, a .npy array or an image of one plane of 1 or 3
/// (R, G, B) channels. An empty tensor gives an empty file.
void writeTensor(const core::Tensor &tensor, core::Layout layout, const OutputTarget &target);

/// A tensor read from a file, and the layout its axes have.
struct TensorInput {
    core::Tensor tensor;
    core::Layout layout = core::Layout::HW;
    bool image = false;
};

/// Reads INPUT: a `.npy` file, a `.csv` file (blocks of rows for the leading axes) or an image
/// (one channel, or R, G, B with --color), in --layout or the layout of its rank. A CSV of one
/// line is a signal (L) unless @p rank says 2: then it is one row of a plane (HW), as the
/// 2-D options and kernels given with it expect. Only regular files are read; what the array
/// will take in memory is checked against @p budget from the .npy header or the image header,
/// before the values are read or decoded.
TensorInput loadTensorInput(const Invocation &invocation, const QString &path, int rank, const core::Budget &budget);

/// @p matrix (one channel) as a float64 array of its rows and columns.
core::NdArray matrixArray(const cv::Mat &matrix);

/// The kernel of --kernel as an array before it meets an input: a `.npy` file as it is, a
/// `.csv` file as blocks of rows, a preset or inline rows as a matrix. Files are read as INPUT
/// is, within @p budget.
core::NdArray loadKernelArray(const QString &text, const core::Budget &budget);

/// How many spatial axes a kernel array read from CSV, a preset or inline rows implies: 2 for a
/// matrix of more than one row, otherwise 0 (it does not say).
int kernelRank(const core::NdArray &kernel, const QString &text);

/// @p kernel for an input of @p rank spatial axes: a `.npy` kernel as it is; a kernel from CSV,
/// a preset or inline rows with fewer axes than the input gets leading axes of 1 (a row is a
/// 1xK kernel on an image), a one-row matrix on a signal loses its row axis.
core::TensorKernel tensorKernel(const core::NdArray &kernel, const QString &text, int rank);

/// The values of --bias: a `.npy` or `.csv` file, or inline numbers such as `0.5,-1`.
std::vector<double> loadBias(const QString &text, const core::Budget &budget);

/// The layout of a result with @p channels channels from an input in @p input: without the
/// channel axis only when the input had none and the result has one channel.
core::Layout resultLayout(core::Layout input, int channels);

} // namespace padlab::cli

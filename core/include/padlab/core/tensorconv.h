#pragma once

#include "padlab/core/geometry.h"
#include "padlab/core/tensor.h"

#include <opencv2/core/mat.hpp>

#include <optional>
#include <string>
#include <vector>

namespace padlab::core {

/// @brief Kernel weights in PyTorch's layouts, C order: for a convolution (F, C/groups, *k);
/// for a transposed convolution (C, F/groups, *k); or the spatial axes (*k) alone, one kernel
/// that every channel gets on its own (OpenCV's filter2D on a colour image: the output has as
/// many channels as the input). Which of the two a shape is follows from the input's rank:
/// as many axes as the input has spatial axes is a spatial kernel, two more is a full one.
struct TensorKernel {
    std::vector<int> shape;
    std::vector<double> weights;
    std::vector<double> bias; ///< one value per filter (output channel), or empty for none

    int rank() const { return static_cast<int>(shape.size()); }
};

/// @brief The weights of @p array (any shape) as a kernel, without bias.
TensorKernel kernelFromArray(const NdArray &array);

/// @brief A spatial kernel from a single-channel matrix: (rows, cols) for @p rank 2, (cols)
/// for @p rank 1 (the matrix must then be one row). Any depth.
TensorKernel spatialKernel(const cv::Mat &kernel, int rank);

/// @brief Everything about a convolution of a tensor except its values: amount (per spatial
/// axis), fill, stride and dilation (one value for every axis, or one per axis, outer first),
/// groups (depthwise is groups = C), correlation or true convolution (every spatial axis of the
/// kernel flipped; channels are never flipped).
struct TensorConvSpec {
    TensorPadAmount amount;
    Fill fill = Fill::Zeros;
    double value = 0.0; ///< the value of Fill::Constant
    std::vector<int> stride{1};
    std::vector<int> dilation{1};
    int groups = 1;
    Operation operation = Operation::Correlation;
    friend bool operator==(const TensorConvSpec &, const TensorConvSpec &) = default;
};

/// @brief @p spec as the spec of one plane, for a 1-D (one row: its pads left and right) or 2-D
/// input of @p rank spatial axes; nullopt for a volume or a pad list that does not fit @p rank.
/// Groups are not part of it.
std::optional<ConvSpec> planeSpec(const TensorConvSpec &spec, int rank);

/// @brief The plane's @p spec as the spec of a 2-D tensor convolution (planeSpec()'s inverse for
/// rank 2): explicit sides become `top,bottom,left,right`, stride and dilation one value per axis.
TensorConvSpec tensorSpec(const ConvSpec &spec);

/// @brief The number of output channels (filters) @p kernel makes from @p input: its first axis
/// for a full kernel, the input's channel count for a spatial one.
int filterCount(const TensorKernel &kernel, const TensorShape &input);

/// @brief Why the convolution cannot be computed, as a sentence for the user, or nullopt.
/// Among them: `the kernel has 2 input channels per group but the input has 3 channels and
/// groups = 1`, `groups (3) does not divide the 16 filters`, `bias has 3 values for 4 filters`,
/// `a 2-D pad list has 4 numbers (top,bottom,left,right), got 3`, a kernel whose rank fits
/// neither form, a stride or dilation list of the wrong length, `causal` on a volume (causal
/// pads the time axis of a signal, or the top and left of an image; a volume has no single
/// such axis, so its pads are given explicitly), and sizes beyond kMaxPaddedCells.
std::optional<std::string> validate(const TensorConvSpec &spec, const TensorShape &input,
                                    const TensorKernel &kernel);

/// @brief The arithmetic of every spatial axis (outer first), as axisGeometry() gives it for
/// one axis: output cell i of an axis reads padded cells i*s + t*d.
struct TensorGeometry {
    std::vector<AxisGeometry> axes;

    std::vector<AxisPads> pads() const;
    std::vector<int> paddedSize() const;
    std::vector<int> outputSize() const;
    bool empty() const;
};

/// @brief The geometry of @p spec for @p input and @p kernel. Requires validate() to pass.
TensorGeometry tensorGeometry(const TensorConvSpec &spec, const TensorShape &input,
                              const TensorKernel &kernel);

/// @brief Why the output is empty, naming each axis the window does not fit (length; rows and
/// columns; depth, rows and columns), or an empty string when it is not.
std::string emptyOutputReason(const TensorGeometry &geometry);

/// @brief Everything a convolution of a tensor produces. The padded input is never made in
/// full: padTensor() gives it when it is to be shown.
struct TensorConvResult {
    TensorGeometry geometry;
    Tensor output; ///< F channels; empty (with the shape's 0 sizes) when no window fits
};

/// @brief Convolves @p input padded as @p spec says:
/// out(f, o) = bias(f) + sum over c in f's group and taps t of w(f, c, t) * padded(c, o*s + t*d)
/// per spatial axis; group g = f / (F/groups) reads input channels g*(C/groups) onward.
/// Every 2-D plane product is the engine's 2-D correlation (convolvePadded's), summed over the
/// group's channels and the depth taps in one pass per output plane, the rows padded as they
/// are read; the work is spread over every core. With one channel and one filter the result is
/// exactly convolve()'s. The output
/// has the input's depth (CV_32F or CV_64F). Requires validate() to pass (throws
/// std::invalid_argument otherwise).
TensorConvResult convolveTensor(const Tensor &input, const TensorKernel &kernel,
                                const TensorConvSpec &spec);

/// @brief convolveTensor() into @p output: when it already has the output's shape and depth its
/// cells are overwritten in place (every copy sharing them sees the new values), so repeated
/// computations of one size allocate nothing; otherwise it is replaced by a new tensor.
TensorGeometry convolveTensorInto(const Tensor &input, const TensorKernel &kernel,
                                  const TensorConvSpec &spec, Tensor &output);

/// @brief One product of a window: which input channel and kernel tap, where it reads in the
/// padded input, the cell it copies, and the product.
struct TensorTap {
    int channel = 0;          ///< input channel read
    std::vector<int> tap;     ///< window position per spatial axis (t in o*s + t*d)
    std::vector<int> padded;  ///< padded position per spatial axis: o*s + t*d
    TensorDonor donor;        ///< the input cell it copies, or the fill value
    double weight = 0;        ///< the kernel's value at tap, the flipped kernel's for Convolution
    double value = 0;         ///< the padded cell's value: its donor's, or the fill value
    double product = 0;       ///< weight * value
};

/// @brief The window of one output cell: every product over its group's channels and taps
/// (channel by channel, taps in C order), the bias, and the sum, which equals the output cell.
struct TensorWindow {
    int filter = 0;
    std::vector<int> cell;   ///< output position per spatial axis
    std::vector<int> origin; ///< first padded position read per axis: cell * stride
    std::vector<int> extent; ///< window reach per axis: d*(k-1)+1
    std::vector<TensorTap> taps;
    bool hasBias = false;
    double bias = 0;
    double sum = 0; ///< the products' sum plus the bias
};

/// @brief The window of output cell @p cell of filter @p filter. Requires a cell inside the
/// output of @p result, computed from @p input, @p kernel and @p spec.
TensorWindow tensorWindowAt(const Tensor &input, const TensorConvResult &result, const TensorKernel &kernel,
                            const TensorConvSpec &spec, int filter, const std::vector<int> &cell);

/// @brief The multiply-add written out, e.g. `2*1 + (-1)*3 + 0.5 = -0.5` (the bias last when
/// there is one).
std::string tensorWindowSumText(const TensorWindow &window);

/// @brief The padded positions of each spatial axis that no window reads: the leftover of a
/// stride that does not divide evenly, and the cells a stride and dilation step over. A padded
/// cell is read by no window exactly when one of its indices is in its axis's list.
std::vector<std::vector<int>> unreadPositions(const TensorGeometry &geometry);

} // namespace padlab::core

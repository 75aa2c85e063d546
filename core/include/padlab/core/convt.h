#pragma once

#include "padlab/core/tensor.h"
#include "padlab/core/tensorconv.h"

#include <optional>
#include <string>
#include <vector>

namespace padlab::core {

/// @brief Everything about a transposed convolution except its values.
///
/// Input cell i of an axis stamps value x kernel onto the cells i*s + t*d of the "full" output,
/// (n - 1)*s + e cells long; the output is that full range with cells cropped before and after.
/// The amount says how many: explicit `before,after` per axis, outer first, is PyTorch's
/// `padding` (which crops, it does not add; PyTorch takes the same number on both sides), plus
/// `outputPadding` cells after (PyTorch's output_padding); `valid` and `same` are Keras'
/// Conv2DTranspose (see convtGeometry()). Kernels are PyTorch's (C, F/groups, *k), or spatial
/// axes alone for one kernel per channel.
struct ConvTSpec {
    TensorPadAmount amount;
    std::vector<int> outputPadding{0}; ///< explicit crops only; each below the stride or the dilation
    std::vector<int> stride{1};
    std::vector<int> dilation{1};
    int groups = 1;
    friend bool operator==(const ConvTSpec &, const ConvTSpec &) = default;
};

/// @brief The arithmetic of one spatial axis of a transposed convolution.
struct ConvTAxis {
    Amount amount = Amount::Explicit;
    int input = 0;
    int kernel = 0;
    int stride = 1;
    int dilation = 1;
    int extent = 0;        ///< e = d*(k-1)+1
    int full = 0;          ///< (n-1)*s + e, every cell a stamp reaches
    int before = 0;        ///< cells cropped before (PyTorch padding; Keras same: max(e - s, 0)//2)
    /// Cells cropped after; negative when the output runs past the stamps (Keras when e < s),
    /// those cells holding only the bias.
    int after = 0;
    int outputPadding = 0; ///< cells added after (PyTorch), holding only the bias
    int output = 0;        ///< full - before - after + outputPadding
};

/// @brief The output channels: F = (F/groups) * groups, or C for a spatial kernel.
int convtFilterCount(const TensorKernel &kernel, const TensorShape &input, int groups);

/// @brief Why the transposed convolution cannot be computed, or nullopt: the kernel's input
/// channels against the input's, groups that do not divide them, bias length against filters,
/// a pad list or stride, dilation or output padding list of the wrong length, `full` or
/// `causal`, `output padding (2) must be smaller than the stride (2) or the dilation (1)`,
/// output padding with valid or same, crops that leave no output, sizes beyond kMaxPaddedCells.
std::optional<std::string> validate(const ConvTSpec &spec, const TensorShape &input,
                                    const TensorKernel &kernel);

/// @brief Every spatial axis (outer first). Explicit: out = (n-1)*s + e - before - after + o.
/// Keras valid: out = max((n-1)*s + e, n*s), nothing cropped before. Keras same: out = n*s,
/// before = max(e - s, 0)//2, the rest after. Requires validate() to pass.
std::vector<ConvTAxis> convtGeometry(const ConvTSpec &spec, const TensorShape &input,
                                     const TensorKernel &kernel);

/// @brief The output size with its numbers, e.g.
/// `out = (n - 1)*s + e - before - after + o = (4 - 1)*2 + 3 - 1 - 1 + 1 = 8`,
/// `out = max((n - 1)*s + e, n*s) = max((4 - 1)*2 + 3, 4*2) = 9`, `out = n*s = 4*2 = 8`.
std::string convtOutputFormula(const ConvTAxis &axis);

/// @brief The crop with its numbers, e.g. `same: before = max(e - s, 0)//2 = max(3 - 2, 0)//2 =
/// 0, after = 9 - 8 - 0 = 1`, and the implicit padding of the equivalent direct correlation:
/// `e - 1 - before = 2 before, e - 1 - after + o = 1 after`.
std::string convtCropFormula(const ConvTAxis &axis);

/// @brief A transposed convolution's geometry and output (F channels, the input's depth).
struct ConvTResult {
    std::vector<ConvTAxis> axes;
    Tensor output;
};

/// @brief out(f, o) = bias(f) + sum over the group's input channels c and every (i, t) with
/// i*s + t*d = o + before per axis of x(c, i) * w(c, f mod F/groups, t). Computed output phase by
/// output phase (o + before mod s per axis): each phase is a stride-1 correlation of the input
/// with the taps that reach it, on the engine's multi-channel correlation, so no product with an
/// inserted zero is formed. Requires validate() to pass (throws std::invalid_argument otherwise).
ConvTResult transposeConvolve(const Tensor &input, const TensorKernel &kernel, const ConvTSpec &spec);

/// @brief transposeConvolve() into @p output, reusing its cells when it already has the
/// output's shape and depth (as convolveTensorInto() does). Returns the geometry.
std::vector<ConvTAxis> transposeConvolveInto(const Tensor &input, const TensorKernel &kernel,
                                             const ConvTSpec &spec, Tensor &output);

/// @brief The same result as a direct correlation (the picture of Dumoulin and Visin's guide):
/// the input with s - 1 zeros between its cells, padded by e - 1 - before and
/// e - 1 - after + o zeros (cropped where that is negative), correlated at stride 1 and
/// dilation d with the kernel flipped on every spatial axis and its channel axes swapped.
struct ConvTExplanation {
    Tensor stuffed;                  ///< (n-1)*s + 1 cells per axis, input cell i at i*s
    std::vector<AxisPads> implicit;  ///< e-1-before and e-1-after+o per axis (negative: cropped)
    Tensor padded;                   ///< the stuffed input with the implicit pads
    TensorKernel kernel;             ///< (F, C/groups, *k), each slice flipped; the bias kept
    TensorConvSpec spec;             ///< valid, stride 1, dilation d, the groups
    /// The correlation of padded with kernel; tensorWindowAt(padded, direct, kernel, spec, ...)
    /// gives its windows.
    TensorConvResult direct;
};

/// @brief The explanation of @p spec on @p input; direct.output equals transposeConvolve()'s
/// output. Requires validate() to pass.
ConvTExplanation explainTransposed(const Tensor &input, const TensorKernel &kernel, const ConvTSpec &spec);

/// @brief One input cell stamping onto an output cell: its value times the kernel tap it lands with.
struct ConvTStamp {
    int channel = 0;          ///< input channel
    std::vector<int> input;   ///< input cell per axis
    std::vector<int> tap;     ///< kernel tap per axis: input*s + tap*d = output + before
    double value = 0;
    double weight = 0;
    double product = 0;
};

/// @brief Which input cells stamp onto output cell @p cell of filter @p filter, with the bias,
/// and their sum, which equals the output cell (none: a cell only the bias reaches).
struct ConvTWindow {
    int filter = 0;
    std::vector<int> cell;
    std::vector<int> full; ///< the cell's position in the full output: cell + before
    std::vector<ConvTStamp> stamps;
    bool hasBias = false;
    double bias = 0;
    double sum = 0;
};

/// @brief The stamps onto output cell @p cell of filter @p filter of @p result, computed from
/// @p input, @p kernel and @p spec. The direct picture's window is tensorWindowAt() on
/// explainTransposed()'s padded, direct, kernel and spec.
ConvTWindow convtWindowAt(const Tensor &input, const ConvTResult &result, const TensorKernel &kernel,
                          const ConvTSpec &spec, int filter, const std::vector<int> &cell);

/// @brief The stamps written out, as tensorWindowSumText() writes a window.
std::string convtWindowSumText(const ConvTWindow &window);

} // namespace padlab::core

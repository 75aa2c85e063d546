#pragma once

#include "padlab/core/tensor.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace padlab::core {

/// @brief What a pooling window makes of the cells it reads.
enum class PoolOp {
    Max,     ///< the largest input cell; padded cells are never values, so they are ignored
    Average, ///< the sum of the input cells over a divisor (see PoolSpec::countPadding)
};

/// @brief `max` or `avg`.
std::string_view poolOpName(PoolOp op);

/// @brief Parses `max`, `avg` or `average` (case-insensitive); nullopt when unknown.
std::optional<PoolOp> parsePoolOp(std::string_view text);

/// @brief Everything about a pooling except the input: the window, stride (empty: the window,
/// as both frameworks default), dilation, amount and PyTorch's two switches. Sizes are one value
/// for every spatial axis or one per axis, outer first.
///
/// Amounts follow the framework that has them: `valid` and `same` are TensorFlow's (same splits
/// its padding as a convolution's, an odd cell after); explicit pads are PyTorch's `padding`,
/// per side here (PyTorch takes the same number on both sides of an axis).
struct PoolSpec {
    PoolOp op = PoolOp::Max;
    std::vector<int> window{2};
    std::vector<int> stride; ///< empty: the window
    std::vector<int> dilation{1};
    TensorPadAmount amount;  ///< Valid, Same or Explicit
    /// PyTorch's ceil_mode (explicit pads only): the output size rounds up, but a last window
    /// that would start at or after n + before (in the right padding) is dropped.
    bool ceil = false;
    /// Whether an average divides by the padded cells too (PyTorch's count_include_pad); when
    /// unset, PyTorch's default for explicit pads (true) and TensorFlow's for same (false).
    /// Cells past the padded input that a ceil-mode window reaches are never counted.
    std::optional<bool> countPadding;
    friend bool operator==(const PoolSpec &, const PoolSpec &) = default;
};

/// @brief The divisor rule in force: PoolSpec::countPadding, or its default for the amount.
bool countsPadding(const PoolSpec &spec);

/// @brief The arithmetic of one spatial axis of a pooling. Output cell o reads padded cells
/// o*stride + t*dilation, t < window; those below before or at or after before + input are
/// padding, those at or after padded (possible in ceil mode only) lie past the padded input.
struct PoolAxis {
    Amount amount = Amount::Valid;
    int input = 0;
    int window = 0;
    int stride = 1;
    int dilation = 1;
    int extent = 0; ///< d*(k-1)+1
    int before = 0;
    int after = 0;
    int padded = 0; ///< input + before + after
    int output = 0;
    bool ceil = false;
    bool dropped = false; ///< ceil mode dropped a last window that would start in the right padding
};

/// @brief Why the pooling cannot be computed, or nullopt: a window, stride or dilation list of
/// the wrong length or below 1, `full` or `causal` (pooling pads valid, same or explicitly), a
/// pad list of the wrong length, ceil mode without explicit pads, a window that would read only
/// padding (it would have no value), sizes beyond kMaxPaddedCells.
std::optional<std::string> validate(const PoolSpec &spec, const TensorShape &input);

/// @brief The geometry of every spatial axis (outer first). Requires validate() to pass.
std::vector<PoolAxis> poolGeometry(const PoolSpec &spec, const TensorShape &input);

/// @brief Why PyTorch's pooling would refuse these settings (pads larger than half the window,
/// different pads on the two sides of an axis, TensorFlow's same, dilation on an average), or
/// nullopt when it takes them. The engine computes them all the same.
std::optional<std::string> outsidePyTorchRule(const PoolSpec &spec, const std::vector<PoolAxis> &axes);

/// @brief The padded positions of each axis that no window reads (as unreadPositions() gives
/// them for a convolution); a ceil-mode window's cells past the padded input are not listed.
std::vector<std::vector<int>> unreadPositions(const std::vector<PoolAxis> &axes);

/// @brief The output size with its numbers, e.g. `out = floor((10 + 1 + 1 - 3) / 2) + 1 = 5`;
/// `same` as `out = ceil(10 / 2) = 5`; in ceil mode, when the last window is dropped,
/// `out = ceil((5 + 1 + 1 - 2) / 2) + 1 - 1 = 3: the last window would start at 6 >= n + before
/// = 6, in the right padding`. A dilation shows its extent, as outputFormula() does.
std::string poolOutputFormula(const PoolAxis &axis);

/// @brief How the pads were chosen, with numbers, as paddingFormula() writes it for a conv.
std::string poolPaddingFormula(const PoolAxis &axis);

/// @brief A pooling's geometry and output (the input's channels, its depth).
struct PoolResult {
    std::vector<PoolAxis> axes;
    Tensor output;
};

/// @brief Pools every channel of @p input. A max takes the largest input cell of the window; an
/// average divides the sum of its input cells by the cells counted (input cells, plus padded
/// cells when countsPadding(), never cells past the padded input). Runs on every core.
/// Requires validate() to pass (throws std::invalid_argument otherwise).
PoolResult poolTensor(const Tensor &input, const PoolSpec &spec);

/// @brief poolTensor() into @p output, reusing its cells when it already has the output's shape
/// and depth (as convolveTensorInto() does). Returns the geometry.
std::vector<PoolAxis> poolTensorInto(const Tensor &input, const PoolSpec &spec, Tensor &output);

/// @brief One cell of a pooling window.
struct PoolCell {
    std::vector<int> padded; ///< padded position per axis
    std::vector<int> input;  ///< input position per axis, or empty for a padded cell
    bool pastPadding = false; ///< past the padded input (a ceil-mode window's end)
    bool counted = false;    ///< part of the max or the sum and the divisor
    double value = 0;        ///< the input cell's value (0 for padding)
};

/// @brief The window of one output cell: every cell it covers, the ones it counts, the divisor
/// (averages) and the result, which equals the output cell.
struct PoolWindow {
    int channel = 0;
    std::vector<int> cell;
    std::vector<PoolCell> cells; ///< in C order over the window's taps
    int divisor = 0;             ///< averages: cells counted; maxima: input cells read
    double result = 0;
};

/// @brief The window of output cell @p cell of channel @p channel.
PoolWindow poolWindowAt(const Tensor &input, const PoolResult &result, const PoolSpec &spec,
                        int channel, const std::vector<int> &cell);

/// @brief The window written out: `max(1, 5, 3) = 5` or `(1 + 5 + 3 + 0) / 4 = 2.25` (a padded
/// cell counted as 0).
std::string poolWindowText(const PoolWindow &window, PoolOp op);

} // namespace padlab::core

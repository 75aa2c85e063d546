#pragma once

#include "padlab/core/fill.h"

#include <optional>
#include <string>
#include <string_view>

namespace padlab::core {

/// @brief How much padding each side gets (rows: top/bottom, columns: left/right).
struct Sides {
    int top = 0;
    int bottom = 0;
    int left = 0;
    int right = 0;
    friend bool operator==(const Sides &, const Sides &) = default;
};

/// @brief How the amount of padding is chosen (DESIGN.md, "Amount").
enum class Amount {
    Valid,    ///< no padding
    Same,     ///< TensorFlow/Keras rule: out = ceil(n/s), an odd extra cell goes after
    Full,     ///< e-1 on every side
    Causal,   ///< e-1 before (top, left), none after
    Explicit, ///< top, bottom, left, right as given
};

/// @brief An amount, with the four sides when it is Explicit.
struct PadAmount {
    Amount kind = Amount::Valid;
    Sides sides; ///< used only when kind is Explicit
    friend bool operator==(const PadAmount &, const PadAmount &) = default;
};

/// @brief `valid`, `same`, `full`, `causal` or `explicit`.
std::string_view amountName(Amount amount);

/// @brief Parses `valid|same|full|causal|T,B,L,R` (words case-insensitive). Throws Error naming
/// what is wrong: an unknown word, a wrong count of values, a negative or non-integer value.
PadAmount parsePadAmount(std::string_view text);

/// @brief The text parsePadAmount reads back (`same`, `1,1,2,2`).
std::string padAmountText(const PadAmount &amount);

/// @brief A pair of integers, one per axis: stride, dilation or a size.
struct PerAxis {
    int rows = 1;
    int cols = 1;
    friend bool operator==(const PerAxis &, const PerAxis &) = default;
};

/// @brief Parses `N` or `NYxNX`, both >= 1. Throws Error naming @p option.
PerAxis parsePerAxis(std::string_view text, std::string_view option);

/// @brief Parses `HxW`, both >= 1. Throws Error naming @p option.
PerAxis parseSize(std::string_view text, std::string_view option);

/// @brief Cross-correlation (no flip: what every deep-learning framework and cv::filter2D
/// compute) or true convolution (kernel flipped on both axes).
enum class Operation { Correlation, Convolution };

/// @brief Everything about a convolution except the input and the kernel's values.
struct ConvSpec {
    PadAmount amount;
    Fill fill = Fill::Zeros;
    double value = 0.0; ///< the value of Fill::Constant
    PerAxis stride;
    PerAxis dilation;
    Operation operation = Operation::Correlation;
    friend bool operator==(const ConvSpec &, const ConvSpec &) = default;
};

/// @brief The most cells a padded input may have; larger requests are refused by validate().
inline constexpr long long kMaxPaddedCells = 400'000'000;

/// @brief Why a spec cannot be computed (stride or dilation below 1, a negative pad, an empty
/// input or kernel, a padded input beyond kMaxPaddedCells), or nullopt when it can.
/// Sizes are rows x cols.
std::optional<std::string> validate(const ConvSpec &spec, PerAxis inputSize, PerAxis kernelSize);

/// @brief The arithmetic of one axis: sizes, per-side padding and output length.
/// Output cell i reads padded cells i*stride + t*dilation for taps t = 0..kernel-1.
struct AxisGeometry {
    Amount amount = Amount::Valid;
    int input = 0;    ///< n
    int kernel = 0;   ///< k
    int stride = 1;   ///< s
    int dilation = 1; ///< d
    int extent = 0;   ///< e = d*(k-1)+1, the window's reach
    int before = 0;   ///< padding before (top or left)
    int after = 0;    ///< padding after (bottom or right)
    int padded = 0;   ///< n + before + after
    int output = 0;   ///< floor((padded - e)/s) + 1, or 0 when padded < e
    /// Padded cells at the end that no window reads (the leftover of a stride that does not
    /// divide evenly): padded - ((output-1)*s + e), or 0 when the output is empty.
    int unread = 0;
};

/// @brief The per-side padding of @p amount on one axis (before, after).
/// Same follows TensorFlow: out = ceil(n/s), total = max((out-1)*s + e - n, 0), before = total/2.
AxisGeometry axisGeometry(int input, int kernel, int stride, int dilation, Amount amount,
                          int explicitBefore = 0, int explicitAfter = 0);

/// @brief The formula for the axis with its numbers in it, e.g.
/// `out = floor((28 + 1 + 1 - 3) / 1) + 1 = 28`; with dilation the extent is shown too.
std::string outputFormula(const AxisGeometry &axis);

/// @brief How the per-side padding was chosen, with the numbers in it, e.g.
/// `same: out = ceil(28 / 2) = 14, total = max((14 - 1)*2 + 3 - 28, 0) = 1, before = 0, after = 1`.
std::string paddingFormula(const AxisGeometry &axis);

/// @brief Both axes of a convolution.
struct Geometry {
    AxisGeometry rows;
    AxisGeometry cols;
    Sides sides() const { return {rows.before, rows.after, cols.before, cols.after}; }
    PerAxis paddedSize() const { return {rows.padded, cols.padded}; }
    PerAxis outputSize() const { return {rows.output, cols.output}; }
    bool empty() const { return rows.output == 0 || cols.output == 0; }
};

/// @brief The geometry of @p spec on an input of @p inputSize with a kernel of @p kernelSize.
/// Requires validate() to have passed.
Geometry geometry(PerAxis inputSize, PerAxis kernelSize, const ConvSpec &spec);

/// @brief Why the output is empty, in a sentence (the kernel's reach against the padded size),
/// or an empty string when it is not.
std::string emptyOutputReason(const Geometry &geometry);

} // namespace padlab::core

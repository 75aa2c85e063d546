#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace padlab::core {

/// @brief The values of the added cells, independent of how many are added.
/// Shown on `abcd` (`|` marks the input's edges); each fill's names in the frameworks are in
/// frameworkNames().
enum class Fill {
    Zeros,     ///< `000|abcd|000`
    Constant,  ///< `ccc|abcd|ccc` (the spec's value)
    Reflect,   ///< `dcb|abcd|cba`, edge not repeated, period 2(n-1)
    Symmetric, ///< `cba|abcd|dcb`, edge repeated, period 2n
    Replicate, ///< `aaa|abcd|ddd`
    Circular,  ///< `bcd|abcd|abc`, period n
};

/// @brief All fills in the order the program lists them.
const std::vector<Fill> &allFills();

/// @brief The name used on the command line and in files: `zeros`, `constant`, `reflect`, ...
std::string_view fillName(Fill fill);

/// @brief Parses a fill name (case-insensitive); nullopt when unknown.
std::optional<Fill> parseFill(std::string_view name);

/// @brief The fill drawn on a short row, e.g. `dcb|abcd|cba`.
std::string_view fillDiagram(Fill fill);

/// @brief The same fill's names in Keras/TensorFlow, PyTorch, OpenCV, NumPy and SciPy ndimage;
/// "—" where a framework has no such fill. The `api` column of the framework facts
/// (frameworks.h), gathered per fill.
struct FrameworkNames {
    std::string keras;
    std::string pytorch;
    std::string opencv;
    std::string numpy;
    std::string scipy;
};
const FrameworkNames &frameworkNames(Fill fill);

/// @brief The input index (0..n-1) whose value a cell at index @p p takes, for a row of @p n cells
/// padded with @p fill; `p` itself when 0 <= p < n; -1 for Zeros and Constant outside the row
/// (the cell takes the fill value). Pads of any width keep reflecting or wrapping, as OpenCV's
/// borderInterpolate and NumPy's pad do. Throws std::invalid_argument when @p n < 1 (an empty
/// row has no cell to copy, whatever @p p and @p fill are).
int donorIndex(int p, int n, Fill fill);

} // namespace padlab::core

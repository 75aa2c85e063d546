#pragma once

#include "padlab/core/tensor.h"

#include <optional>
#include <string>
#include <string_view>

namespace padlab::core {

/// @brief A tensor from CSV text, in C order over its leading axes: each line is a row of the
/// last axis (comma-separated numbers); one blank line ends a block of rows (the axis before);
/// two blank lines end a group of blocks (the axis before that). So an `HW` or `CL` array is one
/// block, a `CHW` array is C blocks of H rows, a `CDHW` array is C groups of D blocks, and a
/// single line is an `L` signal.
///
/// With @p layout the text must have that layout's axes (a leading axis of one channel may be
/// left out: a `CHW` text of one block is one channel); the array has exactly the layout's rank.
/// Without it, the rank follows the text: a line (1-D), one block (2-D), blocks (3-D), groups
/// (4-D). Blank lines at the end, a UTF-8 BOM and CR line ends are allowed.
///
/// Throws Error naming @p source and the line (and column) at fault: a value that is not a
/// finite number, a row of another length than the first, a block with another number of rows
/// than the first (naming both), a group with another number of blocks, three blank lines in a
/// row, a blank first line, more axes than the layout has.
NdArray parseTensorCsv(std::string_view text, std::string_view source,
                       std::optional<Layout> layout = std::nullopt);

/// @brief The CSV text of @p array (1 to 4 axes) as parseTensorCsv() reads it: lines of the
/// last axis, one blank line between blocks, two between groups; numbers as short as they read
/// back exactly. An empty array (an axis of 0) gives an empty string.
std::string formatTensorCsv(const NdArray &array);

} // namespace padlab::core

#pragma once

#include "padlab/core/fill.h"
#include "padlab/core/geometry.h"

#include <opencv2/core/mat.hpp>

namespace padlab::core {

/// @brief The input with @p sides added, filled by @p fill (@p value for Fill::Constant).
/// Any depth and channel count; every channel is padded the same way. Pads may be wider than
/// the input: reflecting and wrapping go on periodically. Indices are (row, col); the input's
/// cell (r, c) lands at (r + sides.top, c + sides.left).
cv::Mat pad(const cv::Mat &input, const Sides &sides, Fill fill, double value = 0.0);

/// @brief Where a padded cell's value comes from.
struct Donor {
    int row = -1; ///< input row, or -1 when the cell holds the fill value
    int col = -1; ///< input column, or -1 when the cell holds the fill value
    bool isPadding = false; ///< false for the input's own cells
    bool isFillValue() const { return row < 0; }
};

/// @brief The donor of padded cell (@p row, @p col) for an input of @p inputSize padded with
/// @p sides and @p fill.
Donor donorOf(int row, int col, PerAxis inputSize, const Sides &sides, Fill fill);

} // namespace padlab::core

#pragma once

#include <opencv2/core/mat.hpp>

namespace padlab::core::detail {

/// @brief out(i, j) = sum over taps (a, b) of w(a, b) * padded(i*sy + a*dy, j*sx + b*dx), each
/// channel on its own, computed directly: only the products that reach the output are formed.
/// @p padded: CV_32F or CV_64F, any channels, may be a ROI. @p w: one channel of padded's depth.
/// @p out: already allocated with its rows and columns, padded's type; every cell is written.
/// The window must fit: (out.rows - 1)*sy + (w.rows - 1)*dy < padded.rows, and so for columns.
void correlateDirect(const cv::Mat &padded, const cv::Mat &w, int sy, int sx, int dy, int dx,
                     cv::Mat &out);

} // namespace padlab::core::detail

#pragma once

#include "padlab/core/budget.h"

#include <opencv2/core/mat.hpp>

namespace padlab::core::detail {

/// @brief out(i, j) = sum over taps (a, b) of w(a, b) * padded(i*sy + a*dy, j*sx + b*dx), each
/// channel on its own, computed directly: only the products that reach the output are formed.
/// @p padded: CV_32F or CV_64F, any channels, may be a ROI. @p w: one channel of padded's depth.
/// @p out: already allocated with its rows and columns, padded's type; every cell is written.
/// The window must fit: (out.rows - 1)*sy + (w.rows - 1)*dy < padded.rows, and so for columns.
/// Its working buffers grow with the kernel and the output, never with the stride or the
/// dilation. @p progress hears of every band of output rows; Cancelled leaves @p out partly
/// written.
void correlateDirect(const cv::Mat &padded, const cv::Mat &w, int sy, int sx, int dy, int dx,
                     cv::Mat &out, const Progress &progress = {});

/// @brief correlateDirect() of one @p padded with @p count kernels w[f] of one size into out[f]
/// (each allocated, of one size), each cell summed exactly as a call per kernel sums it; the
/// window's row pointers and column phases are found once for all kernels. @p taps: empty
/// (every cell of a kernel is a tap), or CV_8U of the kernels' size whose zero cells are holes:
/// no product is formed for them (their weights must be 0), so a kernel laid out with holes
/// costs only its taps, and a cell under a hole never reaches a sum.
void correlateDirect(const cv::Mat &padded, const cv::Mat *w, cv::Mat *out, int count, int sy, int sx, int dy,
                     int dx, const cv::Mat &taps = cv::Mat());

/// @brief Whether the environment variable PADLAB_PORTABLE is `1` (read once): then the
/// correlation runs its portable 16-byte-vector code even where the CPU has AVX2, so that the
/// tests check that path on any machine.
bool portableForced();

} // namespace padlab::core::detail

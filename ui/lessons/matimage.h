#pragma once

#include <QImage>
#include <opencv2/core/mat.hpp>

namespace padlab::ui {

/// The one place where QImage and cv::Mat meet; both directions deep-copy, so neither side
/// ever points into the other's memory.

/// @brief An 8-bit QImage as a CV_32F matrix (values 0..255): Grayscale8 for one channel,
/// otherwise three channels in OpenCV's B, G, R order.
cv::Mat matFromImage(const QImage &image, bool color);

/// @brief A CV_32F/CV_64F/CV_8U matrix with 1 or 3 (B, G, R) channels as a QImage, values
/// saturated to 0..255.
QImage imageFromMat(const cv::Mat &mat);

} // namespace padlab::ui

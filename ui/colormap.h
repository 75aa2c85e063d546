#pragma once

#include <QColor>
#include <QRgb>
#include <opencv2/core/mat.hpp>

namespace padlab::ui {

/// The value range a panel maps to its colours.
struct ValueRange {
    double low = 0;
    double high = 255;
    /// Where @p value lies in the range, 0..1 (clamped); 0.5 for an empty range.
    double position(double value) const;
};

/// The range input cells are shown in: 0..255 for images (CV_32F, as loaded), the matrix's own
/// min..max for numeric data (CV_64F), so that a CSV of small numbers still shows its pattern.
ValueRange inputRange(const cv::Mat &input);

/// The smallest and largest value of a single-channel matrix ({0, 0} when empty).
ValueRange minMax(const cv::Mat &matrix);

/// A cell's value as a double, for CV_32F, CV_64F and CV_8U single-channel matrices.
double cellValue(const cv::Mat &matrix, int row, int col);

/// Black at 0, white at 1.
QRgb grayColor(double position);

/// Blue at -1, white at 0, red at +1 (a ColorBrewer-like RdBu ramp), clamped outside.
QRgb divergingColor(double signedPosition);

/// @p base with @p over laid on top at opacity @p alpha (0..1).
QRgb blend(QRgb base, QRgb over, double alpha);

/// Black or white, whichever reads better on @p background.
QColor textColorOn(QRgb background);

} // namespace padlab::ui

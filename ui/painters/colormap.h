#pragma once

#include <QColor>
#include <QRgb>
#include <opencv2/core/mat.hpp>

#include <array>
#include <utility>

namespace padlab::ui {

/// The value range a panel maps to its colours.
struct ValueRange {
    double low = 0;
    double high = 255;
    /// Where @p value lies in the range, 0..1 (clamped); 0.5 for an empty range.
    double position(double value) const;
};

/// Whether input cells are shown over their own min..max (numeric data, CV_64F, so that a CSV of
/// small numbers still shows its pattern) rather than 0..255 (images, CV_32F as loaded).
bool stretchesInput(const cv::Mat &input);

/// A colour map sampled at 1024 points over [low, high]: one multiply and a table look-up per
/// cell, so that millions of cells paint quickly. Values outside take the end colours.
class ColorTable {
public:
    template <typename Map>
    ColorTable(double low, double high, Map map) : m_low(low)
    {
        m_scale = (kSize - 1) / (high > low ? high - low : 1.0);
        for (int i = 0; i < kSize; ++i)
            m_colors[size_t(i)] = map(low + i / m_scale);
    }
    /// The same map with @p over laid on every colour at opacity @p alpha.
    ColorTable blended(QRgb over, double alpha) const;

    QRgb operator()(double value) const
    {
        const double t = (value - m_low) * m_scale + 0.5;
        if (!(t > 0)) // below the range, or NaN
            return m_colors.front();
        return t >= kSize ? m_colors.back() : m_colors[size_t(t)];
    }

private:
    static constexpr int kSize = 1024;
    double m_low = 0;
    double m_scale = 1;
    std::array<QRgb, kSize> m_colors{};
};

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

#include "colormap.h"

#include <opencv2/core.hpp>

#include <algorithm>
#include <array>
#include <cmath>

namespace padlab::ui {

double ValueRange::position(double value) const
{
    if (!(high > low))
        return 0.5;
    return std::clamp((value - low) / (high - low), 0.0, 1.0);
}

bool stretchesInput(const cv::Mat &input)
{
    return input.depth() == CV_64F;
}

double cellValue(const cv::Mat &matrix, int row, int col)
{
    switch (matrix.depth()) {
    case CV_32F: return matrix.ptr<float>(row)[col];
    case CV_64F: return matrix.ptr<double>(row)[col];
    case CV_8U: return matrix.ptr<uchar>(row)[col];
    default: return 0;
    }
}

ColorTable ColorTable::blended(QRgb over, double alpha) const
{
    ColorTable out = *this;
    for (QRgb &color : out.m_colors)
        color = blend(color, over, alpha);
    return out;
}

QRgb grayColor(double position)
{
    const int g = int(std::lround(std::clamp(position, 0.0, 1.0) * 255));
    return qRgb(g, g, g);
}

QRgb divergingColor(double signedPosition)
{
    // Stops of a blue-white-red ramp, from -1 to +1.
    static constexpr std::array<std::array<double, 3>, 5> stops = {{
        {33, 102, 172},
        {146, 197, 222},
        {247, 247, 247},
        {244, 165, 130},
        {178, 24, 43},
    }};
    const double t = (std::clamp(signedPosition, -1.0, 1.0) + 1.0) / 2.0 * (stops.size() - 1);
    const size_t i = std::min(size_t(t), stops.size() - 2);
    const double f = t - double(i);
    auto mix = [&](int k) { return int(std::lround(stops[i][k] * (1 - f) + stops[i + 1][k] * f)); };
    return qRgb(mix(0), mix(1), mix(2));
}

QRgb blend(QRgb base, QRgb over, double alpha)
{
    auto mix = [alpha](int a, int b) { return int(std::lround(a * (1 - alpha) + b * alpha)); };
    return qRgb(mix(qRed(base), qRed(over)), mix(qGreen(base), qGreen(over)),
                mix(qBlue(base), qBlue(over)));
}

QColor textColorOn(QRgb background)
{
    const double luminance = 0.299 * qRed(background) + 0.587 * qGreen(background)
                             + 0.114 * qBlue(background);
    return luminance > 140 ? QColor(20, 20, 20) : QColor(250, 250, 250);
}

} // namespace padlab::ui

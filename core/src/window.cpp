#include "padlab/core/window.h"

#include "padlab/core/convolve.h"

#include <array>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace padlab::core {

namespace {

double cellValue(const cv::Mat &m, int row, int col, int channel)
{
    const int cn = m.channels();
    switch (m.depth()) {
    case CV_8U: return m.ptr<uchar>(row)[col * cn + channel];
    case CV_32F: return m.ptr<float>(row)[col * cn + channel];
    case CV_64F: return m.ptr<double>(row)[col * cn + channel];
    default: {
        cv::Mat one;
        m(cv::Rect(col, row, 1, 1)).convertTo(one, CV_64F);
        return one.ptr<double>(0)[channel];
    }
    }
}

std::string term(double value)
{
    const std::string text = formatNumber(value);
    return value < 0 || std::signbit(value) ? "(" + text + ")" : text;
}

} // namespace

Window windowAt(const cv::Mat &padded, const cv::Mat &kernel, const Geometry &geometry,
                const ConvSpec &spec, int row, int col, int channel)
{
    if (row < 0 || row >= geometry.rows.output || col < 0 || col >= geometry.cols.output)
        throw std::invalid_argument("windowAt: the cell is outside the output");
    if (channel < 0 || channel >= padded.channels())
        throw std::invalid_argument("windowAt: no such channel");
    Window w;
    w.row = row;
    w.col = col;
    w.top = row * spec.stride.rows;
    w.left = col * spec.stride.cols;
    w.height = geometry.rows.extent;
    w.width = geometry.cols.extent;
    const PerAxis inputSize{geometry.rows.input, geometry.cols.input};
    const Sides sides = geometry.sides();
    w.taps.reserve(static_cast<size_t>(kernel.rows) * static_cast<size_t>(kernel.cols));
    for (int a = 0; a < kernel.rows; ++a) {
        for (int b = 0; b < kernel.cols; ++b) {
            Tap t;
            t.a = a;
            t.b = b;
            t.paddedRow = w.top + a * spec.dilation.rows;
            t.paddedCol = w.left + b * spec.dilation.cols;
            t.donor = donorOf(t.paddedRow, t.paddedCol, inputSize, sides, spec.fill);
            t.weight = tapWeight(kernel, a, b, spec.operation);
            t.value = cellValue(padded, t.paddedRow, t.paddedCol, channel);
            t.product = t.weight * t.value;
            w.sum += t.product;
            w.taps.push_back(t);
        }
    }
    return w;
}

std::string windowSumText(const Window &window)
{
    std::string text;
    for (const Tap &t : window.taps) {
        if (!text.empty())
            text += " + ";
        text += term(t.weight) + "*" + term(t.value);
    }
    return text + " = " + formatNumber(window.sum);
}

std::string formatNumber(double value)
{
    if (value == 0)
        return "0"; // -0 prints as 0: a sign on zero only confuses a reader
    std::array<char, 64> buffer{};
    const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    if (ec != std::errc())
        return "nan";
    return std::string(buffer.data(), end);
}

} // namespace padlab::core

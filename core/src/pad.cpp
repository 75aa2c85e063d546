#include "padlab/core/pad.h"

#include "largematrix.h"

#include <opencv2/core.hpp>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace padlab::core {

namespace {

// The one place that maps a Fill to OpenCV; the index rules agree with donorIndex (tested).
int borderType(Fill fill)
{
    switch (fill) {
    case Fill::Zeros:
    case Fill::Constant: return cv::BORDER_CONSTANT;
    case Fill::Reflect: return cv::BORDER_REFLECT_101;
    case Fill::Symmetric: return cv::BORDER_REFLECT;
    case Fill::Replicate: return cv::BORDER_REPLICATE;
    case Fill::Circular: return cv::BORDER_WRAP;
    }
    return cv::BORDER_CONSTANT;
}

/// OpenCV finds the source of a reflected border cell one input width at a time, so pads far
/// wider than the input cost time quadratic in the pad (a 2-column input padded by 10^6 on each
/// side: minutes). Those are padded here with one donorIndex() lookup a cell.
cv::Mat padWide(const cv::Mat &input, const Sides &sides, Fill fill, cv::Mat out)
{
    const size_t size = input.elemSize();
    std::vector<int> columns(static_cast<size_t>(out.cols));
    for (int c = 0; c < out.cols; ++c)
        columns[static_cast<size_t>(c)] = donorIndex(c - sides.left, input.cols, fill);
    for (int r = 0; r < out.rows; ++r) {
        const uchar *source = input.ptr(donorIndex(r - sides.top, input.rows, fill));
        uchar *target = out.ptr(r);
        for (int c = 0; c < out.cols; ++c)
            std::memcpy(target + static_cast<size_t>(c) * size,
                        source + static_cast<size_t>(columns[static_cast<size_t>(c)]) * size, size);
    }
    return out;
}

} // namespace

cv::Mat pad(const cv::Mat &input, const Sides &sides, Fill fill, double value)
{
    if (input.empty())
        throw std::invalid_argument("pad: the input is empty");
    if (sides.top < 0 || sides.bottom < 0 || sides.left < 0 || sides.right < 0)
        throw std::invalid_argument("pad: negative pad");
    const double fillValue = fill == Fill::Constant ? value : 0.0;
    cv::Mat out = detail::createLarge(input.rows + sides.top + sides.bottom,
                                      input.cols + sides.left + sides.right, input.type());
    const bool mirrored = fill == Fill::Reflect || fill == Fill::Symmetric;
    if (mirrored && (std::max(sides.top, sides.bottom) > input.rows || std::max(sides.left, sides.right) > input.cols))
        return padWide(input, sides, fill, out);
    // BORDER_ISOLATED: a ROI is padded from its own cells, never from its parent's.
    cv::copyMakeBorder(input, out, sides.top, sides.bottom, sides.left, sides.right,
                       borderType(fill) | cv::BORDER_ISOLATED, cv::Scalar::all(fillValue));
    return out;
}

Donor donorOf(int row, int col, PerAxis inputSize, const Sides &sides, Fill fill)
{
    const int r = row - sides.top;
    const int c = col - sides.left;
    Donor d;
    d.isPadding = r < 0 || r >= inputSize.rows || c < 0 || c >= inputSize.cols;
    const int dr = donorIndex(r, inputSize.rows, fill);
    const int dc = donorIndex(c, inputSize.cols, fill);
    if (dr >= 0 && dc >= 0) {
        d.row = dr;
        d.col = dc;
    }
    return d;
}

} // namespace padlab::core

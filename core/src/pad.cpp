#include "padlab/core/pad.h"

#include "largematrix.h"

#include <opencv2/core.hpp>
#include <stdexcept>

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

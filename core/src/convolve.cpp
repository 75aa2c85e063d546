#include "padlab/core/convolve.h"

#include "padlab/core/pad.h"

#include "correlate.h"
#include "largematrix.h"

#include <opencv2/core.hpp>
#include <stdexcept>

namespace padlab::core {

namespace {

cv::Mat weights(const cv::Mat &kernel, Operation operation, int depth)
{
    cv::Mat w;
    kernel.convertTo(w, depth);
    if (operation == Operation::Convolution)
        cv::flip(w, w, -1);
    return w;
}

} // namespace

cv::Mat convolvePadded(const cv::Mat &padded, const cv::Mat &kernel, PerAxis stride,
                       PerAxis dilation, Operation operation, const Progress &progress)
{
    if (padded.empty())
        throw std::invalid_argument("convolvePadded: the input is empty");
    if (padded.depth() != CV_32F && padded.depth() != CV_64F)
        throw std::invalid_argument("convolvePadded: the input must be CV_32F or CV_64F");
    if (kernel.empty() || kernel.channels() != 1)
        throw std::invalid_argument("convolvePadded: the kernel must be one non-empty channel");
    if (stride.rows < 1 || stride.cols < 1 || dilation.rows < 1 || dilation.cols < 1)
        throw std::invalid_argument("convolvePadded: stride and dilation must be at least 1");

    const int kh = kernel.rows;
    const int kw = kernel.cols;
    const int sy = stride.rows;
    const int sx = stride.cols;
    const int dy = dilation.rows;
    const int dx = dilation.cols;
    const long long eh = static_cast<long long>(dy) * (kh - 1) + 1;
    const long long ew = static_cast<long long>(dx) * (kw - 1) + 1;
    if (padded.rows < eh || padded.cols < ew)
        return {};
    const int oh = static_cast<int>((padded.rows - eh) / sy + 1);
    const int ow = static_cast<int>((padded.cols - ew) / sx + 1);
    const cv::Mat w = weights(kernel, operation, padded.depth());

    cv::Mat out = detail::createLarge(oh, ow, padded.type());
    detail::correlateDirect(padded, w, sy, sx, dy, dx, out, progress);
    return out;
}

ConvResult convolve(const cv::Mat &input, const cv::Mat &kernel, const ConvSpec &spec,
                    const Budget &budget, const Progress &progress)
{
    if (const auto problem = validate(spec, {input.rows, input.cols}, {kernel.rows, kernel.cols}))
        throw std::invalid_argument(*problem);
    requireBudget(convolutionEstimate({input.rows, input.cols}, input.channels(), static_cast<int>(input.elemSize1()),
                                      {kernel.rows, kernel.cols}, spec),
                  budget);
    ConvResult result;
    result.geometry = geometry({input.rows, input.cols}, {kernel.rows, kernel.cols}, spec);
    result.padded = pad(input, result.geometry.sides(), spec.fill, spec.value);
    result.output = convolvePadded(result.padded, kernel, spec.stride, spec.dilation, spec.operation, progress);
    return result;
}

double tapWeight(const cv::Mat &kernel, int a, int b, Operation operation)
{
    const int r = operation == Operation::Convolution ? kernel.rows - 1 - a : a;
    const int c = operation == Operation::Convolution ? kernel.cols - 1 - b : b;
    switch (kernel.depth()) {
    case CV_8U: return kernel.at<uchar>(r, c);
    case CV_8S: return kernel.at<schar>(r, c);
    case CV_16U: return kernel.at<ushort>(r, c);
    case CV_16S: return kernel.at<short>(r, c);
    case CV_32S: return kernel.at<int>(r, c);
    case CV_32F: return kernel.at<float>(r, c);
    default: return kernel.at<double>(r, c);
    }
}

} // namespace padlab::core

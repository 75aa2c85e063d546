#include "padlab/core/convolve.h"

#include "padlab/core/pad.h"

#include <cstring>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <stdexcept>
#include <vector>

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

// Copies every sx-th element of every sy-th row, starting at (r0, c0): one phase of the
// polyphase split. Whole elements (all channels) are copied.
cv::Mat extractPhase(const cv::Mat &src, int r0, int c0, int sy, int sx, int rows, int cols)
{
    cv::Mat dst(rows, cols, src.type());
    const size_t elem = src.elemSize();
    for (int m = 0; m < rows; ++m) {
        const uchar *in = src.ptr(r0 + m * sy) + static_cast<size_t>(c0) * elem;
        uchar *out = dst.ptr(m);
        if (elem == sizeof(float)) {
            const auto *fin = reinterpret_cast<const float *>(in);
            auto *fout = reinterpret_cast<float *>(out);
            for (int n = 0; n < cols; ++n)
                fout[n] = fin[static_cast<size_t>(n) * sx];
        } else if (elem == sizeof(double)) {
            const auto *din = reinterpret_cast<const double *>(in);
            auto *dout = reinterpret_cast<double *>(out);
            for (int n = 0; n < cols; ++n)
                dout[n] = din[static_cast<size_t>(n) * sx];
        } else {
            for (int n = 0; n < cols; ++n)
                std::memcpy(out + n * elem, in + static_cast<size_t>(n) * sx * elem, elem);
        }
    }
    return dst;
}

// Correlation at stride 1 that reads right of and below the window's anchor from the matrix
// itself: filter2D on the output-sized ROI, anchor (0, 0), takes those cells from the parent.
cv::Mat correlateValid(const cv::Mat &source, const cv::Mat &w, int outRows, int outCols)
{
    cv::Mat out;
    cv::filter2D(source(cv::Rect(0, 0, outCols, outRows)), out, -1, w, cv::Point(0, 0), 0,
                 cv::BORDER_CONSTANT);
    return out;
}

} // namespace

cv::Mat convolvePadded(const cv::Mat &padded, const cv::Mat &kernel, PerAxis stride,
                       PerAxis dilation, Operation operation)
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

    // Polyphase split: tap (a, b) reads padded(i*sy + a*dy, j*sx + b*dx), which is cell
    // (i + qa, j + qb) of the phase image padded(ra::sy, rb::sx) with a*dy = qa*sy + ra.
    // Each phase is then a stride-1 correlation, so no product is computed only to be dropped.
    // At stride 1 there is one phase: the zero-stuffed (dilated) kernel on the input itself.
    cv::Mat out;
    for (int ra = 0; ra < sy; ++ra) {
        for (int rb = 0; rb < sx; ++rb) {
            int subRows = 0;
            int subCols = 0;
            for (int a = 0; a < kh; ++a) {
                if ((a * dy) % sy == ra)
                    subRows = (a * dy) / sy + 1;
            }
            for (int b = 0; b < kw; ++b) {
                if ((b * dx) % sx == rb)
                    subCols = (b * dx) / sx + 1;
            }
            if (subRows == 0 || subCols == 0)
                continue;
            cv::Mat sub = cv::Mat::zeros(subRows, subCols, w.type());
            for (int a = 0; a < kh; ++a) {
                for (int b = 0; b < kw; ++b) {
                    if ((a * dy) % sy != ra || (b * dx) % sx != rb)
                        continue;
                    const cv::Rect one((b * dx) / sx, (a * dy) / sy, 1, 1);
                    w(cv::Rect(b, a, 1, 1)).copyTo(sub(one));
                }
            }
            const cv::Mat phase = (sy == 1 && sx == 1)
                                      ? padded
                                      : extractPhase(padded, ra, rb, sy, sx, oh + subRows - 1,
                                                     ow + subCols - 1);
            cv::Mat part = correlateValid(phase, sub, oh, ow);
            if (out.empty())
                out = part;
            else
                out += part;
        }
    }
    return out;
}

ConvResult convolve(const cv::Mat &input, const cv::Mat &kernel, const ConvSpec &spec)
{
    if (const auto problem = validate(spec, {input.rows, input.cols}, {kernel.rows, kernel.cols}))
        throw std::invalid_argument(*problem);
    ConvResult result;
    result.geometry = geometry({input.rows, input.cols}, {kernel.rows, kernel.cols}, spec);
    result.padded = pad(input, result.geometry.sides(), spec.fill, spec.value);
    result.output = convolvePadded(result.padded, kernel, spec.stride, spec.dilation, spec.operation);
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

#pragma once

#include "padlab/core/budget.h"
#include "padlab/core/geometry.h"

#include <opencv2/core/mat.hpp>

namespace padlab::core {

/// @brief Slides @p kernel over an already padded input.
///
/// "Convolution" here means cross-correlation unless @p operation is Convolution:
/// out(i, j) = sum over taps (a, b) of w(a, b) * padded(i*sy + a*dy, j*sx + b*dx), with
/// w = kernel for Correlation and w(a, b) = kernel(kh-1-a, kw-1-b) for Convolution.
/// @p padded: CV_32F or CV_64F, any channel count (each channel on its own).
/// @p kernel: single channel, any depth, any size >= 1x1.
/// @return the same depth and channels as @p padded; size floor((P - e)/s) + 1 per axis, or an
/// empty Mat (0 rows or 0 cols) when the window does not fit.
/// @p progress hears how far it is every few milliseconds; answering false stops it with
/// Cancelled.
cv::Mat convolvePadded(const cv::Mat &padded, const cv::Mat &kernel, PerAxis stride,
                       PerAxis dilation, Operation operation = Operation::Correlation,
                       const Progress &progress = {});

/// @brief Everything a convolution produces: the geometry, the padded input and the output.
struct ConvResult {
    Geometry geometry;
    cv::Mat padded;
    cv::Mat output;
};

/// @brief Pads @p input as @p spec says, then convolves. Requires validate() to have passed
/// (throws std::invalid_argument otherwise). Before any work, checks convolutionEstimate()
/// against @p budget and throws OverBudget when it does not fit. @p progress: as for
/// convolvePadded(); Cancelled when it answers false.
ConvResult convolve(const cv::Mat &input, const cv::Mat &kernel, const ConvSpec &spec,
                    const Budget &budget = {}, const Progress &progress = {});

/// @brief The weight applied at tap (a, b): the kernel's value, flipped for Convolution.
double tapWeight(const cv::Mat &kernel, int a, int b, Operation operation);

} // namespace padlab::core

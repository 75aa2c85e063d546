#pragma once

#include <opencv2/core/mat.hpp>

namespace padlab::core::detail {

/// @brief A new, uninitialised matrix; when it is large, the operating system is asked to back
/// it with huge pages, so that filling it costs a few dozen page faults instead of thousands.
cv::Mat createLarge(int rows, int cols, int type);

} // namespace padlab::core::detail

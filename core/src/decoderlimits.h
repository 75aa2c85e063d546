#pragma once

#include <cstdint>

namespace padlab::core::detail {

/// @brief The most pixels OpenCV's decoders accept in this program: the value this library puts
/// in OPENCV_IO_MAX_IMAGE_PIXELS before OpenCV reads it (see decoderlimits.cpp).
inline constexpr std::int64_t kDecoderPixelLimit = 200'000'000;

/// @brief kDecoderPixelLimit, from the library that set it; calling it is what links that
/// library into every program that decodes images.
std::int64_t decoderPixelLimit();

} // namespace padlab::core::detail

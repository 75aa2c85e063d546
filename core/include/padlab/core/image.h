#pragma once

#include <cstdint>
#include <opencv2/core/mat.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace padlab::core {

/// @brief Images declaring more pixels than this are refused before they are decoded.
inline constexpr std::int64_t kMaxImagePixels = 200'000'000;

/// @brief What an image file's header says, read without decoding the pixels.
struct ImageHeader {
    std::string format; ///< "PNG", "JPEG", "BMP", "GIF", "WebP", "PNM"
    std::int64_t width = 0;
    std::int64_t height = 0;
    bool truncated = false; ///< the file ends before the format's end marker
};

/// @brief The header of PNG, JPEG, BMP, GIF, WebP and PNM data; nullopt for other formats.
std::optional<ImageHeader> readImageHeader(std::string_view bytes);

/// @brief Whether @p path names a file this program reads as an image (by extension).
bool looksLikeImagePath(const std::string &path);

/// @brief How to load an image.
enum class ImageMode { Grayscale, Color };

/// @brief An image as CV_32F (values 0..255): one channel for Grayscale, three (B, G, R) for
/// Color. Refuses files that are missing, not images, cut short, or declare more than
/// @p maxPixels pixels, with an Error naming the file.
cv::Mat loadImage(const std::string &path, ImageMode mode = ImageMode::Grayscale,
                  std::int64_t maxPixels = kMaxImagePixels);

/// @brief A numeric input: CSV (CV_64F) for `.csv`, otherwise an image (CV_32F).
cv::Mat loadInput(const std::string &path, ImageMode mode = ImageMode::Grayscale);

} // namespace padlab::core

#pragma once

#include <cstdint>
#include <functional>
#include <opencv2/core/mat.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace padlab::core {

/// @brief Images declaring more pixels than this are refused before they are decoded. OpenCV's
/// own decoders enforce the same limit (OPENCV_IO_MAX_IMAGE_PIXELS, which this program sets).
inline constexpr std::int64_t kMaxImagePixels = 200'000'000;

/// @brief The image formats that are decoded, each only after its header has been read here.
inline constexpr std::string_view kReadableFormats = "PNG, JPEG, BMP, TIFF, WebP and PNM";

/// @brief What an image file's header says, read without decoding the pixels.
struct ImageHeader {
    std::string format; ///< "PNG", "JPEG", "BMP", "TIFF", "WebP", "PNM"; or a refused one: "GIF", "DICOM", ...
    std::int64_t width = 0;
    std::int64_t height = 0;
    bool truncated = false; ///< the file ends before its data does (or its header is damaged)
    /// False for formats recognised only to be refused by name: GIF, DICOM, PAM, PFM, OpenEXR,
    /// Radiance HDR, JPEG 2000, Sun raster, BigTIFF, HEIF.
    bool readable = true;
};

/// @brief The header of PNG, JPEG, BMP, GIF, WebP, PNM and TIFF data (both byte orders; the
/// first image's width and height, and whether its strips lie inside the data); a header that
/// is not readable for the refused formats; nullopt for anything else. Reads only inside
/// @p bytes, whatever they hold.
std::optional<ImageHeader> readImageHeader(std::string_view bytes);

/// @brief Whether @p path names a file this program reads as an image (by extension).
bool looksLikeImagePath(const std::string &path);

/// @brief How to load an image.
enum class ImageMode { Grayscale, Color };

/// @brief Told an input's size (rows, cols, channels, and the bytes of each value once loaded)
/// once its header is checked and before its pixels are decoded, so that a request too large
/// for its budget is refused before the decode costs anything; it refuses by throwing.
using BeforeDecode = std::function<void(int rows, int cols, int channels, int elementBytes)>;

/// @brief Decodes image file content @p bytes: 8-bit (CV_8U), one channel for Grayscale (decoded
/// straight to gray), three (B, G, R) for Color. Only the readable formats are handed to a
/// decoder, and only after their header has been checked: refuses anything else, data cut
/// short, and images declaring more than @p maxPixels pixels, with an Error starting with
/// @p name. Never writes a file.
cv::Mat decodeImage(std::string_view bytes, const std::string &name, ImageMode mode = ImageMode::Grayscale,
                    std::int64_t maxPixels = kMaxImagePixels, const BeforeDecode &check = {});

/// @brief decodeImage() of the regular file @p path (at most kMaxImageFileBytes): 8-bit, as
/// the window keeps images (3 bytes a pixel in colour).
cv::Mat readImage(const std::string &path, ImageMode mode = ImageMode::Grayscale,
                  std::int64_t maxPixels = kMaxImagePixels, const BeforeDecode &check = {});

/// @brief readImage() as CV_32F (values 0..255), as the command line computes with it: 4 bytes
/// a pixel in grayscale, 12 in colour.
cv::Mat loadImage(const std::string &path, ImageMode mode = ImageMode::Grayscale,
                  std::int64_t maxPixels = kMaxImagePixels, const BeforeDecode &check = {});

/// @brief A numeric input: CSV (CV_64F) for `.csv`, otherwise an image (CV_32F). @p check hears
/// an image's size before it is decoded, a CSV's once it is parsed.
cv::Mat loadInput(const std::string &path, ImageMode mode = ImageMode::Grayscale, const BeforeDecode &check = {});

} // namespace padlab::core

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

/// @brief The grey value every part of the program computes with, from colours decoded to
/// 8-bit B, G, R: ITU-R BT.601 luma, Y = 0.299 R + 0.587 G + 0.114 B, the weights of OpenCV's
/// cvtColor(COLOR_BGR2GRAY) and PIL's convert("L"), kept unrounded (OpenCV on 8-bit images and
/// PIL round Y to a whole number; cv2.cvtColor on float32 gives these values to float precision).
/// Computed in double as G + 0.299 (R - G) + 0.114 (B - G), the same sum written so that a grey
/// pixel (R = G = B) keeps its value exactly, and stored as CV_32F (CV_64F for a CV_64F
/// @p image). One channel is returned as it is (sharing its data; converted to CV_32F when 8-bit). @p image:
/// CV_8U, CV_32F or CV_64F, with 1 or 3 (B, G, R) channels; anything else throws
/// std::invalid_argument. The window's grey channel and the command line's images both come
/// from here, so they give the same numbers.
cv::Mat toGray(const cv::Mat &image);

/// @brief Told an input's size (rows, cols, channels, and the bytes of each value once loaded)
/// once its header is checked and before its pixels are decoded, so that a request too large
/// for its budget is refused before the decode costs anything; it refuses by throwing.
using BeforeDecode = std::function<void(int rows, int cols, int channels, int elementBytes)>;

/// @brief Decodes image file content @p bytes: 8-bit (CV_8U), three channels (B, G, R) for Color;
/// for Grayscale one channel, the decoder's own grey (rounded, by libpng's or libjpeg's rule):
/// a check of the format only, since every grey value computed with comes from toGray()
/// (loadImage()). Only the readable formats are handed to a
/// decoder, and only after their header has been checked: refuses anything else, data cut
/// short, and images declaring more than @p maxPixels pixels, with an Error starting with
/// @p name. Never writes a file.
cv::Mat decodeImage(std::string_view bytes, const std::string &name, ImageMode mode = ImageMode::Grayscale,
                    std::int64_t maxPixels = kMaxImagePixels, const BeforeDecode &check = {});

/// @brief decodeImage() of the regular file @p path (at most kMaxImageFileBytes): 8-bit, as
/// the window keeps images (3 bytes a pixel in colour).
cv::Mat readImage(const std::string &path, ImageMode mode = ImageMode::Grayscale,
                  std::int64_t maxPixels = kMaxImagePixels, const BeforeDecode &check = {});

/// @brief The image at @p path as CV_32F (values 0..255), as the command line computes with it:
/// Color is readImage() in B, G, R (12 bytes a pixel); Grayscale is toGray() of the colours
/// decoded (4 bytes a pixel), the same grey as the window's.
cv::Mat loadImage(const std::string &path, ImageMode mode = ImageMode::Grayscale,
                  std::int64_t maxPixels = kMaxImagePixels, const BeforeDecode &check = {});

/// @brief A numeric input: CSV (CV_64F) for `.csv`, otherwise an image (CV_32F). @p check hears
/// an image's size before it is decoded, a CSV's once it is parsed.
cv::Mat loadInput(const std::string &path, ImageMode mode = ImageMode::Grayscale, const BeforeDecode &check = {});

} // namespace padlab::core

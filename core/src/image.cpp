#include "padlab/core/image.h"

#include "padlab/core/csv.h"
#include "padlab/core/error.h"
#include "text.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

namespace padlab::core {

namespace {

std::uint32_t be32(std::string_view b, size_t at)
{
    return (std::uint32_t(std::uint8_t(b[at])) << 24) | (std::uint32_t(std::uint8_t(b[at + 1])) << 16) |
           (std::uint32_t(std::uint8_t(b[at + 2])) << 8) | std::uint32_t(std::uint8_t(b[at + 3]));
}

std::uint32_t be16(std::string_view b, size_t at)
{
    return (std::uint32_t(std::uint8_t(b[at])) << 8) | std::uint32_t(std::uint8_t(b[at + 1]));
}

std::uint32_t le16(std::string_view b, size_t at)
{
    return std::uint32_t(std::uint8_t(b[at])) | (std::uint32_t(std::uint8_t(b[at + 1])) << 8);
}

std::uint32_t le32(std::string_view b, size_t at)
{
    return le16(b, at) | (le16(b, at + 2) << 16);
}

std::optional<ImageHeader> pngHeader(std::string_view b)
{
    if (b.size() < 24 || b.substr(12, 4) != "IHDR")
        return ImageHeader{"PNG", 0, 0, true};
    // The last chunk of every PNG is IEND; without it the data was cut short.
    return ImageHeader{"PNG", be32(b, 16), be32(b, 20), b.rfind("IEND") == std::string_view::npos};
}

std::optional<ImageHeader> jpegHeader(std::string_view b)
{
    ImageHeader h{"JPEG", 0, 0, true};
    size_t at = 2;
    while (at + 4 <= b.size()) {
        if (std::uint8_t(b[at]) != 0xFF)
            return h;
        const std::uint8_t marker = std::uint8_t(b[at + 1]);
        if (marker == 0xFF) {
            ++at;
            continue;
        }
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
            at += 2;
            continue;
        }
        const std::uint32_t length = be16(b, at + 2);
        const bool isFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 &&
                             marker != 0xC8 && marker != 0xCC;
        if (isFrame && at + 9 <= b.size()) {
            h.height = be16(b, at + 5);
            h.width = be16(b, at + 7);
            // Every complete JPEG ends with the EOI marker after its scan data.
            h.truncated = b.rfind("\xFF\xD9") == std::string_view::npos ||
                          b.rfind("\xFF\xD9") < at;
            return h;
        }
        at += 2 + length;
    }
    return h;
}

std::optional<ImageHeader> bmpHeader(std::string_view b)
{
    if (b.size() < 26)
        return ImageHeader{"BMP", 0, 0, true};
    const auto height = static_cast<std::int32_t>(le32(b, 22));
    const auto width = static_cast<std::int32_t>(le32(b, 18));
    return ImageHeader{"BMP", width < 0 ? -std::int64_t(width) : width,
                       height < 0 ? -std::int64_t(height) : height, le32(b, 2) > b.size()};
}

std::optional<ImageHeader> webpHeader(std::string_view b)
{
    ImageHeader h{"WebP", 0, 0, le32(b, 4) + 8 > b.size()};
    if (b.size() < 30)
        return ImageHeader{"WebP", 0, 0, true};
    const std::string_view chunk = b.substr(12, 4);
    if (chunk == "VP8X") {
        h.width = (le32(b, 24) & 0xFFFFFF) + 1;
        h.height = (le32(b, 27) & 0xFFFFFF) + 1;
    } else if (chunk == "VP8L") {
        const std::uint32_t bits = le32(b, 21);
        h.width = (bits & 0x3FFF) + 1;
        h.height = ((bits >> 14) & 0x3FFF) + 1;
    } else if (chunk == "VP8 ") {
        h.width = le16(b, 26) & 0x3FFF;
        h.height = le16(b, 28) & 0x3FFF;
    }
    return h;
}

std::optional<ImageHeader> pnmHeader(std::string_view b)
{
    std::int64_t numbers[2] = {0, 0};
    size_t at = 2;
    for (std::int64_t &n : numbers) {
        while (at < b.size() && (std::isspace(std::uint8_t(b[at])) || b[at] == '#')) {
            if (b[at] == '#') {
                while (at < b.size() && b[at] != '\n')
                    ++at;
            } else {
                ++at;
            }
        }
        if (at >= b.size() || !std::isdigit(std::uint8_t(b[at])))
            return ImageHeader{"PNM", 0, 0, true};
        while (at < b.size() && std::isdigit(std::uint8_t(b[at])) && n < 1'000'000'000'000)
            n = n * 10 + (b[at++] - '0');
    }
    return ImageHeader{"PNM", numbers[0], numbers[1], false};
}

} // namespace

std::optional<ImageHeader> readImageHeader(std::string_view b)
{
    if (b.size() >= 8 && b.substr(0, 8) == "\x89PNG\r\n\x1a\n")
        return pngHeader(b);
    if (b.size() >= 3 && b.substr(0, 3) == "\xFF\xD8\xFF")
        return jpegHeader(b);
    if (b.size() >= 2 && b.substr(0, 2) == "BM")
        return bmpHeader(b);
    if (b.size() >= 6 && (b.substr(0, 6) == "GIF87a" || b.substr(0, 6) == "GIF89a")) {
        if (b.size() < 10)
            return ImageHeader{"GIF", 0, 0, true};
        return ImageHeader{"GIF", le16(b, 6), le16(b, 8), b.back() != ';'};
    }
    if (b.size() >= 16 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP")
        return webpHeader(b);
    if (b.size() >= 3 && b[0] == 'P' && b[1] >= '1' && b[1] <= '6' &&
        std::isspace(std::uint8_t(b[2])))
        return pnmHeader(b);
    return std::nullopt;
}

bool looksLikeImagePath(const std::string &path)
{
    static const std::vector<std::string> extensions = {
        ".png", ".jpg", ".jpeg", ".jpe", ".bmp", ".dib", ".tif", ".tiff", ".webp",
        ".pgm", ".ppm", ".pbm", ".pnm", ".pxm", ".gif", ".jp2", ".exr", ".hdr", ".sr", ".ras"};
    const std::string ext = text::lower(std::filesystem::path(path).extension().string());
    return std::find(extensions.begin(), extensions.end(), ext) != extensions.end();
}

cv::Mat loadImage(const std::string &path, ImageMode mode, std::int64_t maxPixels)
{
    const std::string bytes = readFileBytes(path);
    if (bytes.empty())
        throw Error(path + ": the file is empty");
    const auto header = readImageHeader(bytes);
    if (header) {
        if (header->format == "GIF")
            throw Error(path + ": GIF images cannot be read; save it as PNG");
        // Compared by division: absurd headers (near 2^32 per side) would overflow a product.
        if (header->width > 0 && header->height > 0 && header->height > maxPixels / header->width)
            throw Error(path + ": the " + header->format + " header declares " +
                        std::to_string(header->width) + "x" + std::to_string(header->height) +
                        " pixels, more than the limit of " + std::to_string(maxPixels) +
                        "; the image was not decoded");
        if (header->truncated)
            throw Error(path + ": the " + header->format + " file is cut short (damaged or incomplete)");
        if (header->width <= 0 || header->height <= 0)
            throw Error(path + ": the " + header->format + " header declares an empty image");
    }
    const cv::Mat raw(1, static_cast<int>(bytes.size()), CV_8U,
                      const_cast<char *>(bytes.data()));
    cv::Mat decoded;
    try {
        decoded = cv::imdecode(raw, mode == ImageMode::Color ? cv::IMREAD_COLOR : cv::IMREAD_GRAYSCALE);
    } catch (const cv::Exception &) {
        decoded.release();
    }
    if (decoded.empty())
        throw Error(path + (header ? ": the " + header->format + " data is damaged and cannot be decoded"
                                   : std::string(": not an image this program can read")));
    cv::Mat out;
    decoded.convertTo(out, CV_32F);
    return out;
}

cv::Mat loadInput(const std::string &path, ImageMode mode)
{
    if (text::lower(std::filesystem::path(path).extension().string()) == ".csv")
        return readCsvFile(path);
    return loadImage(path, mode);
}

} // namespace padlab::core

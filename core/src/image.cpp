#include "padlab/core/image.h"

#include "padlab/core/csv.h"
#include "padlab/core/error.h"
#include "padlab/core/files.h"
#include "decoderlimits.h"
#include "text.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <stdexcept>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

namespace padlab::core {

namespace {

/// Bounds-checked reads of little- and big-endian integers: past the end reads as absent.
class Bytes {
public:
    explicit Bytes(std::string_view bytes) : m_b(bytes) {}
    bool has(size_t at, size_t count) const { return at <= m_b.size() && count <= m_b.size() - at; }
    std::uint32_t byte(size_t at) const { return std::uint8_t(m_b[at]); }
    std::uint32_t u16(size_t at, bool little) const
    {
        return little ? byte(at) | byte(at + 1) << 8 : byte(at) << 8 | byte(at + 1);
    }
    std::uint32_t u24le(size_t at) const { return byte(at) | byte(at + 1) << 8 | byte(at + 2) << 16; }
    std::uint32_t u32(size_t at, bool little) const
    {
        return little ? u16(at, true) | u16(at + 2, true) << 16 : u16(at, false) << 16 | u16(at + 2, false);
    }
    size_t size() const { return m_b.size(); }
    std::string_view view() const { return m_b; }

private:
    std::string_view m_b;
};

ImageHeader cutShort(const char *format)
{
    return ImageHeader{format, 0, 0, true};
}

std::optional<ImageHeader> pngHeader(const Bytes &b)
{
    if (!b.has(0, 24) || b.view().substr(12, 4) != "IHDR")
        return cutShort("PNG");
    // The last chunk of every PNG is IEND; without it the data was cut short.
    return ImageHeader{"PNG", b.u32(16, false), b.u32(20, false), b.view().rfind("IEND") == std::string_view::npos};
}

std::optional<ImageHeader> jpegHeader(const Bytes &b)
{
    ImageHeader h = cutShort("JPEG");
    size_t at = 2;
    while (b.has(at, 4)) {
        if (b.byte(at) != 0xFF)
            return h;
        const std::uint32_t marker = b.byte(at + 1);
        if (marker == 0xFF) {
            ++at;
            continue;
        }
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
            at += 2;
            continue;
        }
        const std::uint32_t length = b.u16(at + 2, false);
        const bool isFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (isFrame && b.has(at, 9)) {
            h.height = b.u16(at + 5, false);
            h.width = b.u16(at + 7, false);
            // Every complete JPEG ends with the EOI marker after its scan data.
            const size_t end = b.view().rfind("\xFF\xD9");
            h.truncated = end == std::string_view::npos || end < at;
            return h;
        }
        at += 2 + length;
    }
    return h;
}

std::optional<ImageHeader> bmpHeader(const Bytes &b)
{
    if (!b.has(0, 26))
        return cutShort("BMP");
    const auto width = static_cast<std::int32_t>(b.u32(18, true));
    const auto height = static_cast<std::int32_t>(b.u32(22, true));
    return ImageHeader{"BMP", width < 0 ? -std::int64_t(width) : width, height < 0 ? -std::int64_t(height) : height,
                       b.u32(2, true) > b.size()};
}

std::optional<ImageHeader> gifHeader(const Bytes &b)
{
    if (!b.has(0, 10))
        return ImageHeader{"GIF", 0, 0, true, false};
    return ImageHeader{"GIF", b.u16(6, true), b.u16(8, true), b.view().back() != ';', false};
}

std::optional<ImageHeader> webpHeader(const Bytes &b)
{
    ImageHeader h{"WebP", 0, 0, std::uint64_t(b.u32(4, true)) + 8 > b.size()};
    const std::string_view chunk = b.view().substr(12, 4);
    if (chunk == "VP8X") {
        // Canvas width and height minus one, 24 bits each, at bytes 24 and 27.
        if (!b.has(24, 6))
            return cutShort("WebP");
        h.width = std::int64_t(b.u24le(24)) + 1;
        h.height = std::int64_t(b.u24le(27)) + 1;
    } else if (chunk == "VP8L") {
        if (!b.has(21, 4))
            return cutShort("WebP");
        const std::uint32_t bits = b.u32(21, true);
        h.width = (bits & 0x3FFF) + 1;
        h.height = ((bits >> 14) & 0x3FFF) + 1;
    } else if (chunk == "VP8 ") {
        if (!b.has(26, 4))
            return cutShort("WebP");
        h.width = b.u16(26, true) & 0x3FFF;
        h.height = b.u16(28, true) & 0x3FFF;
    }
    return h;
}

std::optional<ImageHeader> pnmHeader(const Bytes &b)
{
    const std::string_view v = b.view();
    const char kind = v[1];
    // P1 and P4 are bitmaps without a maximum value; the others have one.
    const bool hasMaximum = kind != '1' && kind != '4';
    std::int64_t numbers[3] = {0, 0, 1};
    size_t at = 2;
    for (int i = 0; i < (hasMaximum ? 3 : 2); ++i) {
        std::int64_t &n = numbers[i];
        n = 0;
        while (at < v.size() && (std::isspace(std::uint8_t(v[at])) || v[at] == '#')) {
            if (v[at] == '#') {
                while (at < v.size() && v[at] != '\n')
                    ++at;
            } else {
                ++at;
            }
        }
        if (at >= v.size() || !std::isdigit(std::uint8_t(v[at])))
            return cutShort("PNM");
        while (at < v.size() && std::isdigit(std::uint8_t(v[at])) && n < 1'000'000'000'000)
            n = n * 10 + (v[at++] - '0');
    }
    ImageHeader h{"PNM", numbers[0], numbers[1], false};
    // The binary kinds hold exactly this many bytes after one whitespace character; the text
    // kinds (P1 to P3) have no fixed length.
    if (kind >= '4') {
        // Both sides are below 10^12 here, so only the last product may overflow; a product that
        // does is larger than any file.
        const auto width = static_cast<std::uint64_t>(h.width);
        const std::uint64_t rowBytes = kind == '4' ? (width + 7) / 8
                                                   : width * (numbers[2] > 255 ? 2 : 1) * (kind == '6' ? 3 : 1);
        std::uint64_t bytes = 0;
        h.truncated = __builtin_mul_overflow(rowBytes, static_cast<std::uint64_t>(h.height), &bytes) ||
                      at + 1 > v.size() || bytes > v.size() - at - 1;
    }
    return h;
}

/// Classic TIFF in either byte order: ImageWidth and ImageLength from the first image file
/// directory, and whether every strip (or tile) its offsets name lies inside the file. The
/// walk reads one directory of at most 65535 entries and arrays no longer than the file.
std::optional<ImageHeader> tiffHeader(const Bytes &b)
{
    const bool little = b.byte(0) == 'I';
    ImageHeader h = cutShort("TIFF");
    if (!b.has(0, 8))
        return h;
    const std::uint32_t directory = b.u32(4, little);
    if (directory < 8 || !b.has(directory, 2))
        return h;
    const std::uint32_t entries = b.u16(directory, little);
    if (!b.has(directory + 2, std::size_t(entries) * 12))
        return h;

    // A tag's values: SHORT or LONG, inline when they fit in four bytes, else at an offset.
    struct Values {
        std::uint32_t type = 0;
        std::uint32_t count = 0;
        size_t at = 0;
        bool valid = false;
    };
    const auto valuesOf = [&](size_t entry) {
        Values values;
        values.type = b.u16(entry + 2, little);
        values.count = b.u32(entry + 4, little);
        const size_t width = values.type == 3 ? 2 : values.type == 4 ? 4 : 0;
        if (width == 0 || values.count == 0)
            return values;
        const std::uint64_t bytes = std::uint64_t(values.count) * width;
        values.at = bytes <= 4 ? entry + 8 : b.u32(entry + 8, little);
        values.valid = b.has(values.at, static_cast<size_t>(bytes));
        return values;
    };
    const auto valueAt = [&](const Values &values, std::uint32_t index) -> std::uint64_t {
        return values.type == 3 ? b.u16(values.at + 2 * size_t(index), little)
                                : b.u32(values.at + 4 * size_t(index), little);
    };

    Values offsets;
    Values counts;
    bool damaged = false;
    for (std::uint32_t i = 0; i < entries; ++i) {
        const size_t entry = directory + 2 + 12 * size_t(i);
        const std::uint32_t tag = b.u16(entry, little);
        if (tag != 256 && tag != 257 && tag != 273 && tag != 279 && tag != 324 && tag != 325)
            continue;
        const Values values = valuesOf(entry);
        if (!values.valid) {
            damaged = true;
            continue;
        }
        if (tag == 256)
            h.width = valueAt(values, 0);
        else if (tag == 257)
            h.height = valueAt(values, 0);
        else if (tag == 273 || tag == 324)
            offsets = values;
        else
            counts = values;
    }
    if (damaged || !offsets.valid || !counts.valid || offsets.count != counts.count)
        return h;
    std::uint64_t end = 0;
    for (std::uint32_t i = 0; i < offsets.count; ++i)
        end = std::max(end, valueAt(offsets, i) + valueAt(counts, i));
    h.truncated = end > b.size();
    return h;
}

/// Formats recognised by their signature but never decoded: either OpenCV's decoder for them
/// writes the data to a temporary file first (DICOM, PFM, Radiance HDR, OpenEXR, Sun raster),
/// or this program reads no header of theirs to check before decoding.
std::optional<ImageHeader> refusedFormat(std::string_view b)
{
    const auto starts = [&](std::string_view prefix) { return b.substr(0, prefix.size()) == prefix; };
    const char *name = nullptr;
    if (b.size() >= 132 && b.substr(128, 4) == "DICM")
        name = "DICOM";
    else if (b.size() >= 3 && b[0] == 'P' && b[1] == '7' && std::isspace(std::uint8_t(b[2])))
        name = "PAM";
    else if (b.size() >= 3 && b[0] == 'P' && (b[1] == 'F' || b[1] == 'f') && std::isspace(std::uint8_t(b[2])))
        name = "PFM";
    else if (starts(std::string_view("\x76\x2F\x31\x01", 4)))
        name = "OpenEXR";
    else if (starts("#?RADIANCE") || starts("#?RGBE"))
        name = "Radiance HDR";
    else if (starts(std::string_view("\x00\x00\x00\x0CjP  \r\n\x87\n", 12)) || starts("\xFF\x4F\xFF\x51"))
        name = "JPEG 2000";
    else if (starts("\x59\xA6\x6A\x95"))
        name = "Sun raster";
    else if (starts(std::string_view("II+\0", 4)) || starts(std::string_view("MM\0+", 4)))
        name = "BigTIFF";
    else if (b.size() >= 12 && b.substr(4, 4) == "ftyp" &&
             (b.substr(8, 4) == "heic" || b.substr(8, 4) == "heix" || b.substr(8, 4) == "mif1" ||
              b.substr(8, 4) == "avif"))
        name = "HEIF";
    if (name == nullptr)
        return std::nullopt;
    return ImageHeader{name, 0, 0, false, false};
}

} // namespace

std::optional<ImageHeader> readImageHeader(std::string_view bytes)
{
    const Bytes b(bytes);
    const auto starts = [&](std::string_view prefix) { return bytes.substr(0, prefix.size()) == prefix; };
    // OpenCV's DICOM decoder claims any bytes with "DICM" at offset 128, whatever they start
    // with, and its library aborts on malformed ones: such bytes never reach a decoder.
    if (bytes.size() >= 132 && bytes.substr(128, 4) == "DICM")
        return refusedFormat(bytes);
    if (starts("\x89PNG\r\n\x1a\n"))
        return pngHeader(b);
    if (starts("\xFF\xD8\xFF"))
        return jpegHeader(b);
    if (starts("BM"))
        return bmpHeader(b);
    if (starts("GIF87a") || starts("GIF89a"))
        return gifHeader(b);
    if (bytes.size() >= 16 && starts("RIFF") && bytes.substr(8, 4) == "WEBP")
        return webpHeader(b);
    if (bytes.size() >= 3 && bytes[0] == 'P' && bytes[1] >= '1' && bytes[1] <= '6' &&
        std::isspace(std::uint8_t(bytes[2])))
        return pnmHeader(b);
    if (starts(std::string_view("II*\0", 4)) || starts(std::string_view("MM\0*", 4)))
        return tiffHeader(b);
    return refusedFormat(bytes);
}

bool looksLikeImagePath(const std::string &path)
{
    static const std::vector<std::string> extensions = {".png", ".jpg", ".jpeg", ".jpe", ".bmp", ".dib",
                                                        ".tif", ".tiff", ".webp", ".pgm", ".ppm", ".pbm",
                                                        ".pnm", ".gif"};
    const std::string ext = text::lower(std::filesystem::path(path).extension().string());
    return std::find(extensions.begin(), extensions.end(), ext) != extensions.end();
}

cv::Mat decodeImage(std::string_view bytes, const std::string &name, ImageMode mode, std::int64_t maxPixels,
                    const BeforeDecode &check)
{
    static_assert(kMaxImagePixels == detail::kDecoderPixelLimit);
    if (bytes.empty())
        throw Error(name + ": the file is empty");
    // OpenCV refuses more than its own limit; a larger maxPixels would only turn a clear
    // message into a failed decode.
    maxPixels = std::min(maxPixels, detail::decoderPixelLimit());
    const auto header = readImageHeader(bytes);
    // Only bytes whose header was read and checked reach a decoder.
    if (!header)
        throw Error(name + ": not an image this program can read (it reads " + std::string(kReadableFormats) + ")");
    if (!header->readable)
        throw Error(name + ": " + header->format + " images cannot be read; save it as PNG");
    // Compared by division: absurd headers (near 2^32 per side) would overflow a product.
    if (header->width > 0 && header->height > 0 && header->height > maxPixels / header->width)
        throw Error(name + ": the " + header->format + " header declares " + std::to_string(header->width) + "x" +
                    std::to_string(header->height) + " pixels, more than the limit of " + std::to_string(maxPixels) +
                    "; the image was not decoded");
    if (header->truncated)
        throw Error(name + ": the " + header->format + " file is cut short (damaged or incomplete)");
    if (header->width <= 0 || header->height <= 0)
        throw Error(name + ": the " + header->format + " header declares an empty image");
    if (check)
        check(static_cast<int>(header->height), static_cast<int>(header->width), mode == ImageMode::Color ? 3 : 1,
              sizeof(float));
    const cv::Mat raw(1, static_cast<int>(bytes.size()), CV_8U, const_cast<char *>(bytes.data()));
    cv::Mat decoded;
    try {
        decoded = cv::imdecode(raw, mode == ImageMode::Color ? cv::IMREAD_COLOR : cv::IMREAD_GRAYSCALE);
    } catch (const cv::Exception &) {
        decoded.release();
    }
    // The decoder must agree with the header that was checked (turned a quarter by a JPEG's
    // orientation at most); anything else is damaged.
    const bool asDeclared = (decoded.cols == header->width && decoded.rows == header->height) ||
                            (decoded.cols == header->height && decoded.rows == header->width);
    if (decoded.empty() || decoded.depth() != CV_8U || !asDeclared)
        throw Error(name + ": the " + header->format + " data is damaged and cannot be decoded");
    return decoded;
}

cv::Mat readImage(const std::string &path, ImageMode mode, std::int64_t maxPixels, const BeforeDecode &check)
{
    return decodeImage(readRegularFile(path, kMaxImageFileBytes, "image file"), path, mode, maxPixels, check);
}

cv::Mat toGray(const cv::Mat &image)
{
    const int depth = image.depth();
    if (image.dims != 2 || (image.channels() != 1 && image.channels() != 3) ||
        (depth != CV_8U && depth != CV_32F && depth != CV_64F))
        throw std::invalid_argument("toGray: expected an 8-bit, float or double image of 1 or 3 channels");
    const int outDepth = depth == CV_64F ? CV_64F : CV_32F;
    cv::Mat gray;
    if (image.channels() == 1) {
        if (depth == outDepth)
            return image;
        image.convertTo(gray, outDepth);
        return gray;
    }
    gray.create(image.rows, image.cols, outDepth);
    const auto convert = [&](auto pixel, auto out) {
        using In = decltype(pixel);
        using Out = decltype(out);
        for (int r = 0; r < image.rows; ++r) {
            const In *bgr = image.ptr<In>(r);
            Out *y = gray.ptr<Out>(r);
            for (int c = 0; c < image.cols; ++c, bgr += 3) {
                const double b = bgr[0];
                const double g = bgr[1];
                const double red = bgr[2];
                y[c] = static_cast<Out>(g + 0.299 * (red - g) + 0.114 * (b - g));
            }
        }
    };
    if (depth == CV_8U)
        convert(std::uint8_t(), float());
    else if (depth == CV_32F)
        convert(float(), float());
    else
        convert(double(), double());
    return gray;
}

cv::Mat loadImage(const std::string &path, ImageMode mode, std::int64_t maxPixels, const BeforeDecode &check)
{
    if (mode == ImageMode::Grayscale) {
        // Decoded in colour and made grey by the one rule, as the window does; the budget hears
        // of the grey plane that is computed with.
        const BeforeDecode gray = check ? BeforeDecode([&check](int rows, int cols, int, int bytes) {
            check(rows, cols, 1, bytes);
        })
                                        : BeforeDecode();
        return toGray(readImage(path, ImageMode::Color, maxPixels, gray));
    }
    cv::Mat out;
    readImage(path, mode, maxPixels, check).convertTo(out, CV_32F);
    return out;
}

cv::Mat loadInput(const std::string &path, ImageMode mode, const BeforeDecode &check)
{
    if (text::lower(std::filesystem::path(path).extension().string()) == ".csv") {
        cv::Mat values = readCsvFile(path);
        if (check)
            check(values.rows, values.cols, values.channels(), static_cast<int>(values.elemSize1()));
        return values;
    }
    return loadImage(path, mode, kMaxImagePixels, check);
}

} // namespace padlab::core

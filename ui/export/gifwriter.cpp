#include "gifwriter.h"
#include "sizetext.h"

#include <QIODevice>

#include <gif_lib.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <limits>
#include <unordered_map>
#include <utility>

namespace padlab::ui {

namespace {

constexpr int kMaxColors = 255;
constexpr int kExactColors = 191; // of a palette for more colours, those kept exactly
constexpr std::uint8_t kTransparent = 255; // the one index no colour uses

int writeToDevice(GifFileType *gif, const GifByteType *bytes, int length)
{
    auto *device = static_cast<QIODevice *>(gif->UserData);
    return int(device->write(reinterpret_cast<const char *>(bytes), length));
}

/// Appends what giflib writes to a byte vector (a frame's GIF of its own).
int appendTo(GifFileType *gif, const GifByteType *bytes, int length)
{
    auto *out = static_cast<std::vector<std::uint8_t> *>(gif->UserData);
    out->insert(out->end(), bytes, bytes + length);
    return length;
}

/// Bytes in memory that giflib reads.
struct Reading {
    const std::vector<std::uint8_t> &bytes;
    size_t at = 0;
};

int readFrom(GifFileType *gif, GifByteType *bytes, int length)
{
    auto *in = static_cast<Reading *>(gif->UserData);
    const size_t count = std::min(size_t(std::max(length, 0)), in->bytes.size() - in->at);
    std::memcpy(bytes, in->bytes.data() + in->at, count);
    in->at += count;
    return int(count);
}

QString gifError(const QString &what, int code)
{
    return QStringLiteral("%1: %2").arg(what, QString::fromUtf8(GifErrorString(code)));
}

int squaredDistance(QRgb a, QRgb b)
{
    const int dr = qRed(a) - qRed(b);
    const int dg = qGreen(a) - qGreen(b);
    const int db = qBlue(a) - qBlue(b);
    // Green weighs most for the eye.
    return 3 * dr * dr + 4 * dg * dg + 2 * db * db;
}

} // namespace

GifWriter::GifWriter(QIODevice *device) : m_device(device) {}

GifWriter::~GifWriter()
{
    if (m_gif) {
        int error = 0;
        EGifCloseFile(m_gif, &error);
    }
    GifFreeMapObject(m_map);
}

std::vector<QRgb> GifWriter::paletteFor(const std::vector<QImage> &samples)
{
    std::vector<QImage> images;
    for (const QImage &sample : samples)
        if (!sample.isNull() && (images.empty() || sample.width() == images.front().width()))
            images.push_back(sample.convertToFormat(QImage::Format_RGB32));
    // Panels are flat colours: when the samples hold no more colours than a palette, it holds
    // exactly them, so a grey of 226 stays 226 instead of a median cut's average. When text's
    // smoothed edges bring more, the most frequent colours (the cells, the page, the lines)
    // still keep theirs and a median cut of the remaining pixels fills the rest.
    std::unordered_map<QRgb, size_t> counts; // pixels of each colour, counted run by run
    for (const QImage &image : images)
        for (int y = 0; y < image.height(); ++y) {
            const auto *line = reinterpret_cast<const QRgb *>(image.constScanLine(y));
            for (int x = 0; x < image.width();) {
                const QRgb color = line[x] | 0xff000000u;
                int end = x + 1;
                while (end < image.width() && (line[end] | 0xff000000u) == color)
                    ++end;
                counts[color] += size_t(end - x);
                x = end;
            }
        }
    if (counts.empty())
        return {qRgb(0, 0, 0)};
    std::vector<std::pair<size_t, QRgb>> counted; // pixels, colour
    for (const auto &[color, count] : counts)
        counted.emplace_back(count, color);
    // Most frequent first; equal counts in colour order, so the palette does not depend on hashing.
    std::sort(counted.begin(), counted.end(),
              [](const auto &a, const auto &b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
    std::vector<QRgb> palette;
    if (counted.size() <= size_t(kMaxColors)) {
        for (const auto &entry : counted)
            palette.push_back(entry.second);
        return palette;
    }
    for (size_t i = 0; i < size_t(kExactColors); ++i)
        palette.push_back(counted[i].second);
    std::vector<QRgb> kept = palette;
    std::sort(kept.begin(), kept.end());
    std::vector<GifByteType> red;
    std::vector<GifByteType> green;
    std::vector<GifByteType> blue;
    for (const QImage &image : images)
        for (int y = 0; y < image.height(); ++y) {
            const auto *line = reinterpret_cast<const QRgb *>(image.constScanLine(y));
            for (int x = 0; x < image.width(); ++x) {
                if (std::binary_search(kept.begin(), kept.end(), line[x] | 0xff000000u))
                    continue;
                red.push_back(GifByteType(qRed(line[x])));
                green.push_back(GifByteType(qGreen(line[x])));
                blue.push_back(GifByteType(qBlue(line[x])));
            }
        }
    int colors = kMaxColors - kExactColors;
    std::vector<GifByteType> mapped(red.size());
    std::vector<GifColorType> map(256);
    if (GifQuantizeBuffer(unsigned(red.size()), 1, &colors, red.data(), green.data(), blue.data(), mapped.data(),
                          map.data())
        == GIF_OK) {
        for (int i = 0; i < std::min(colors, kMaxColors - kExactColors); ++i)
            palette.push_back(qRgb(map[size_t(i)].Red, map[size_t(i)].Green, map[size_t(i)].Blue));
    }
    return palette;
}

bool GifWriter::fail(const QString &what, int code)
{
    m_error = QStringLiteral("%1: %2").arg(what, QString::fromUtf8(GifErrorString(code)));
    if (!m_device->errorString().isEmpty() && code == E_GIF_ERR_WRITE_FAILED)
        m_error += QStringLiteral(" (%1)").arg(m_device->errorString());
    return false;
}

bool GifWriter::open(QSize size, const std::vector<QRgb> &palette)
{
    int error = 0;
    m_gif = EGifOpen(m_device, writeToDevice, &error);
    if (!m_gif)
        return fail(QStringLiteral("cannot start the GIF"), error);
    m_size = size;
    m_palette.assign(palette.begin(), palette.begin() + std::min<qsizetype>(qsizetype(palette.size()), kMaxColors));
    if (m_palette.empty())
        m_palette.push_back(qRgb(0, 0, 0));
    m_lookup.reset(new std::uint8_t[size_t(1) << 24]);
    m_known.reset(new std::uint64_t[(size_t(1) << 24) / 64]());

    GifFreeMapObject(m_map);
    m_map = GifMakeMapObject(256, nullptr);
    if (!m_map)
        return fail(QStringLiteral("cannot start the GIF"), E_GIF_ERR_NOT_ENOUGH_MEM);
    for (int i = 0; i < 256; ++i) {
        const QRgb color = i < int(m_palette.size()) ? m_palette[size_t(i)] : qRgb(0, 0, 0);
        m_map->Colors[i] = {GifByteType(qRed(color)), GifByteType(qGreen(color)), GifByteType(qBlue(color))};
    }
    EGifSetGifVersion(m_gif, true);
    if (EGifPutScreenDesc(m_gif, size.width(), size.height(), 8, 0, m_map) != GIF_OK)
        return fail(QStringLiteral("cannot write the GIF header"), m_gif->Error);

    // NETSCAPE2.0 block: loop forever.
    const GifByteType application[] = {'N', 'E', 'T', 'S', 'C', 'A', 'P', 'E', '2', '.', '0'};
    const GifByteType loop[] = {1, 0, 0};
    if (EGifPutExtensionLeader(m_gif, APPLICATION_EXT_FUNC_CODE) != GIF_OK
        || EGifPutExtensionBlock(m_gif, sizeof application, application) != GIF_OK
        || EGifPutExtensionBlock(m_gif, sizeof loop, loop) != GIF_OK
        || EGifPutExtensionTrailer(m_gif) != GIF_OK)
        return fail(QStringLiteral("cannot write the GIF header"), m_gif->Error);
    return true;
}

std::uint8_t GifWriter::indexOf(QRgb color) const
{
    const std::uint32_t key = color & 0xffffffu;
    std::atomic_ref<std::uint64_t> word(m_known[key >> 6]);
    std::atomic_ref<std::uint8_t> index(m_lookup[key]);
    const std::uint64_t bit = std::uint64_t(1) << (key & 63);
    if (word.load(std::memory_order_acquire) & bit)
        return index.load(std::memory_order_relaxed);
    int best = 0;
    int bestDistance = std::numeric_limits<int>::max();
    for (size_t i = 0; i < m_palette.size(); ++i) {
        const int distance = squaredDistance(color, m_palette[i]);
        if (distance < bestDistance) {
            bestDistance = distance;
            best = int(i);
        }
    }
    // Threads looking the same colour up store the same index.
    index.store(std::uint8_t(best), std::memory_order_relaxed);
    word.fetch_or(bit, std::memory_order_release);
    return std::uint8_t(best);
}

bool GifWriter::addFrame(const QImage &frame, int delayCentiseconds)
{
    if (!add(encode(frame, m_shownImage), delayCentiseconds))
        return false;
    // A shared copy: QImage copies on write, so a caller painting into its frame again detaches.
    m_shownImage = frame;
    return true;
}

GifWriter::Encoded GifWriter::encode(const QImage &frame, const QImage &previous) const
{
    Encoded encoded;
    if (!m_map) {
        encoded.error = QStringLiteral("the GIF is not open");
        return encoded;
    }
    const auto rgb32 = [](const QImage &image) {
        return image.isNull() || image.format() == QImage::Format_RGB32 || image.format() == QImage::Format_ARGB32
                   ? image
                   : image.convertToFormat(QImage::Format_RGB32);
    };
    const QImage image = rgb32(frame);
    const QImage before = rgb32(previous);
    const int width = m_size.width();
    const int height = m_size.height();
    for (const QImage *check : {&image, &before}) {
        if (!check->isNull() && check->size() != m_size) {
            encoded.error = QStringLiteral("a frame of %1 pixels in a GIF of %2")
                                .arg(sizeText(check->height(), check->width()), sizeText(height, width));
            return encoded;
        }
    }
    if (image.isNull()) {
        encoded.error = QStringLiteral("an empty frame");
        return encoded;
    }

    // The rectangle where this frame differs from the previous one: only it is encoded, and
    // inside it only the pixels that changed are looked up; the others are transparent.
    const bool first = before.isNull();
    std::vector<std::pair<int, int>> changed(size_t(height), {0, width - 1}); // per row: first, last column
    int left = width;
    int right = -1;
    int top = height;
    int bottom = -1;
    for (int y = 0; y < height; ++y) {
        if (!first) {
            const auto *line = reinterpret_cast<const QRgb *>(image.constScanLine(y));
            const auto *shown = reinterpret_cast<const QRgb *>(before.constScanLine(y));
            if (std::memcmp(line, shown, size_t(width) * sizeof(QRgb)) == 0) {
                changed[size_t(y)] = {0, -1};
                continue;
            }
            int from = 0;
            while (line[from] == shown[from])
                ++from;
            int to = width - 1;
            while (line[to] == shown[to])
                --to;
            changed[size_t(y)] = {from, to};
        }
        left = std::min(left, changed[size_t(y)].first);
        right = std::max(right, changed[size_t(y)].second);
        top = std::min(top, y);
        bottom = y;
    }
    if (bottom < 0) {
        // Nothing changed: one transparent pixel keeps the frame (and its delay).
        left = right = top = bottom = 0;
    }
    const int boxWidth = right - left + 1;
    const int boxHeight = bottom - top + 1;
    encoded.box = QRect(left, top, boxWidth, boxHeight);

    // giflib compresses the box into a GIF of its own, with the file's colour table (which
    // sets the code size).
    std::vector<std::uint8_t> bytes;
    int error = 0;
    GifFileType *out = EGifOpen(&bytes, appendTo, &error);
    if (!out) {
        encoded.error = gifError(QStringLiteral("cannot compress a GIF frame"), error);
        return encoded;
    }
    const auto outFailed = [&] {
        encoded.error = gifError(QStringLiteral("cannot compress a GIF frame"), out->Error);
        EGifCloseFile(out, &error);
        return encoded;
    };
    if (EGifPutScreenDesc(out, width, height, 8, 0, m_map) != GIF_OK
        || EGifPutImageDesc(out, left, top, boxWidth, boxHeight, false, nullptr) != GIF_OK)
        return outFailed();
    std::vector<GifPixelType> row(static_cast<size_t>(boxWidth));
    for (int y = top; y <= bottom; ++y) {
        const auto *line = reinterpret_cast<const QRgb *>(image.constScanLine(y));
        const auto *shown = first ? nullptr : reinterpret_cast<const QRgb *>(before.constScanLine(y));
        std::fill(row.begin(), row.end(), kTransparent);
        QRgb lastColor = ~line[left];
        std::uint8_t lastIndex = 0;
        for (int x = changed[size_t(y)].first; x <= changed[size_t(y)].second; ++x) {
            if (shown && line[x] == shown[x])
                continue;
            // Cells are runs of one colour: look a colour up once per run.
            if (line[x] != lastColor) {
                lastColor = line[x];
                lastIndex = indexOf(lastColor);
            }
            row[size_t(x - left)] = lastIndex;
        }
        if (EGifPutLine(out, row.data(), boxWidth) != GIF_OK)
            return outFailed();
    }
    if (EGifCloseFile(out, &error) != GIF_OK) {
        encoded.error = gifError(QStringLiteral("cannot compress a GIF frame"), error);
        return encoded;
    }

    // Its compressed blocks, read back with giflib.
    Reading reading{bytes};
    GifFileType *in = DGifOpen(&reading, readFrom, &error);
    if (!in) {
        encoded.error = gifError(QStringLiteral("cannot read a compressed GIF frame"), error);
        return encoded;
    }
    GifRecordType type = UNDEFINED_RECORD_TYPE;
    int codeSize = 0;
    GifByteType *block = nullptr;
    if (DGifGetRecordType(in, &type) != GIF_OK || type != IMAGE_DESC_RECORD_TYPE || DGifGetImageDesc(in) != GIF_OK
        || DGifGetCode(in, &codeSize, &block) != GIF_OK || codeSize != 8) {
        encoded.error = gifError(QStringLiteral("cannot read a compressed GIF frame"), in->Error);
        DGifCloseFile(in, &error);
        return encoded;
    }
    encoded.blocks.reserve(bytes.size());
    while (block) {
        encoded.blocks.insert(encoded.blocks.end(), block, block + block[0] + 1);
        if (DGifGetCodeNext(in, &block) != GIF_OK) {
            encoded.error = gifError(QStringLiteral("cannot read a compressed GIF frame"), in->Error);
            DGifCloseFile(in, &error);
            return encoded;
        }
    }
    DGifCloseFile(in, &error);
    return encoded;
}

bool GifWriter::add(const Encoded &frame, int delayCentiseconds)
{
    if (!m_gif) {
        m_error = QStringLiteral("the GIF is not open");
        return false;
    }
    if (!frame.error.isEmpty() || frame.blocks.empty()) {
        m_error = frame.error.isEmpty() ? QStringLiteral("a frame not compressed") : frame.error;
        return false;
    }
    GraphicsControlBlock control{};
    control.DisposalMode = DISPOSE_DO_NOT;
    control.UserInputFlag = false;
    control.DelayTime = std::max(delayCentiseconds, 0);
    control.TransparentColor = kTransparent;
    GifByteType extension[4];
    const size_t extensionSize = EGifGCBToExtension(&control, extension);
    if (EGifPutExtension(m_gif, GRAPHICS_EXT_FUNC_CODE, int(extensionSize), extension) != GIF_OK)
        return fail(QStringLiteral("cannot write a GIF frame"), m_gif->Error);
    const QRect &box = frame.box;
    if (EGifPutImageDesc(m_gif, box.left(), box.top(), box.width(), box.height(), false, nullptr) != GIF_OK)
        return fail(QStringLiteral("cannot write a GIF frame"), m_gif->Error);
    // giflib's blocks as it compressed them, after the code size EGifPutImageDesc wrote.
    for (size_t at = 0; at < frame.blocks.size(); at += size_t(frame.blocks[at]) + 1) {
        const GifByteType *block = frame.blocks.data() + at;
        if ((at == 0 ? EGifPutCode(m_gif, 8, block) : EGifPutCodeNext(m_gif, block)) != GIF_OK)
            return fail(QStringLiteral("cannot write a GIF frame"), m_gif->Error);
    }
    if (EGifPutCodeNext(m_gif, nullptr) != GIF_OK)
        return fail(QStringLiteral("cannot write a GIF frame"), m_gif->Error);
    ++m_frames;
    return true;
}

bool GifWriter::close()
{
    if (!m_gif)
        return m_error.isEmpty();
    int error = 0;
    const int status = EGifCloseFile(m_gif, &error);
    m_gif = nullptr;
    if (status != GIF_OK)
        return fail(QStringLiteral("cannot finish the GIF"), error);
    return m_error.isEmpty();
}

} // namespace padlab::ui

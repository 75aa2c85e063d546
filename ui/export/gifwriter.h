#pragma once

#include <QImage>
#include <QRgb>
#include <QSize>
#include <QString>

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

class QIODevice;
struct GifFileType;

namespace padlab::ui {

/**
 * An animated GIF written with giflib, frame after frame, onto any QIODevice (the exporter's
 * core::OutputFile, so that a cancelled animation leaves nothing behind).
 *
 * All frames share one palette of at most 255 colours (index 255 is transparent), chosen once
 * from sample frames: exactly their colours when there are no more than 255, else by median
 * cut; panels use few colours, so they keep their look. Each frame after the first stores
 * only the rectangle that changed since the previous one, with unchanged pixels transparent:
 * a sliding window changes a few cells per step, so frames stay small and quick to encode.
 */
class GifWriter {
public:
    explicit GifWriter(QIODevice *device);
    ~GifWriter();
    GifWriter(const GifWriter &) = delete;
    GifWriter &operator=(const GifWriter &) = delete;

    /// A palette of at most 255 colours for @p samples (images of one size, any format): their
    /// own colours when they have at most 255, else a median cut's.
    static std::vector<QRgb> paletteFor(const std::vector<QImage> &samples);

    /// Starts a GIF of @p size that loops forever, with @p palette (at most 255 colours).
    bool open(QSize size, const std::vector<QRgb> &palette);
    /// Appends @p frame (of the size given to open()) shown for @p delayCentiseconds.
    bool addFrame(const QImage &frame, int delayCentiseconds);
    /// Writes the trailer; false when any write failed.
    bool close();

    int frameCount() const { return m_frames; }
    QString errorString() const { return m_error; }

private:
    bool fail(const QString &what, int code);
    /// The palette index nearest to @p color, looked up once per distinct colour.
    std::uint8_t indexOf(QRgb color);

    QIODevice *m_device;
    GifFileType *m_gif = nullptr;
    QSize m_size;
    std::vector<QRgb> m_palette;
    std::unique_ptr<std::uint8_t[]> m_lookup;   // 2^24 entries, valid where m_known is set
    std::unique_ptr<std::uint64_t[]> m_known;   // one bit per 24-bit colour
    QImage m_shownImage;                        // the pixels shown so far
    std::vector<std::pair<int, int>> m_changed; // per row: first and last changed column
    std::vector<std::uint8_t> m_line;
    int m_frames = 0;
    QString m_error;
};

} // namespace padlab::ui

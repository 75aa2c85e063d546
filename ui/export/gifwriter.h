#pragma once

#include <QImage>
#include <QRect>
#include <QRgb>
#include <QSize>
#include <QString>

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

class QIODevice;
struct ColorMapObject;
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
 *
 * giflib compresses every frame. encode() does it for one frame into a GIF of its own in
 * memory and reads back giflib's compressed blocks, so that many frames can be compressed at
 * once on other threads; add() then writes them into the file in order.
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

    /// A frame compressed by giflib: what changed in it, ready to be written.
    struct Encoded {
        QRect box;                        ///< the changed rectangle, the frame's image
        std::vector<std::uint8_t> blocks; ///< its LZW data sub-blocks, each its length then its bytes
        QString error;                    ///< why it could not be compressed, if so
    };
    /// @p frame (of the size given to open()) compressed as shown over @p previous, the frame
    /// before it (null for the first). Safe on any thread, for many frames at once, between
    /// open() and close().
    Encoded encode(const QImage &frame, const QImage &previous) const;
    /// Appends a frame encode() compressed, shown for @p delayCentiseconds. Frames are added
    /// in the order they show, each encoded over the one added before it.
    bool add(const Encoded &frame, int delayCentiseconds);
    /// Writes the trailer; false when any write failed.
    bool close();

    int frameCount() const { return m_frames; }
    QString errorString() const { return m_error; }

private:
    bool fail(const QString &what, int code);
    /// The palette index nearest to @p color, looked up once per distinct colour (by any
    /// thread: the lookup's entries are written and read atomically).
    std::uint8_t indexOf(QRgb color) const;

    QIODevice *m_device;
    GifFileType *m_gif = nullptr;
    ColorMapObject *m_map = nullptr; // the palette as giflib takes it
    QSize m_size;
    std::vector<QRgb> m_palette;
    std::unique_ptr<std::uint8_t[]> m_lookup;   // 2^24 entries, valid where m_known is set
    std::unique_ptr<std::uint64_t[]> m_known;   // one bit per 24-bit colour
    QImage m_shownImage;                        // the pixels shown so far (addFrame())
    int m_frames = 0;
    QString m_error;
};

} // namespace padlab::ui

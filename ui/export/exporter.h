#pragma once

#include "panelpainter.h"
#include "snapshot.h"

#include "padlab/core/budget.h"

#include <QImage>
#include <QSize>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QIODevice;
class QPainter;
class QWidget;

namespace padlab::ui {

class Session;

/// What an export shows: one panel, all four side by side as in the window, or one of the
/// teaching views (drawn by their own painters on a fixed canvas).
enum class ExportView { Input, Padded, Window, Output, All, Signal, Compare, Stages, Channels, Pool, Transposed, Volume };

/// `input`, `padded`, `window`, `output`, `all`, `signal`, `compare`, `stages`, `channels`, `pool`, `transposed` or `volume`;
/// nullopt for anything else.
std::optional<ExportView> parseExportView(const QString &name);

/// The names parseExportView() takes, for messages.
QString exportViewNames();

/// The name parseExportView() takes for @p view, e.g. `window`.
QString exportViewName(ExportView view);

/// Size in pixels of a teaching view's export at text size 1; it grows with the text.
inline constexpr QSize kTeachingExportSize{1600, 900};

/// The most an animation's frames take at the default scale: a full-HD slide. Even sides, so a
/// video's frames, rounded up to even sizes, stay within it.
inline constexpr QSize kSlideSize{1920, 1080};

/// Everything about an export that is not in the Session.
struct ExportOptions {
    ExportView view = ExportView::All;
    Look look;
    /// Pixels per cell; 0 picks one: for grids of up to 48 cells a side the size at which
    /// every number is at least 14 pixels high at text size 1 (a slide's back row reads it),
    /// for larger grids one (at most 32) that keeps each panel about 320 pixels wide.
    double cellSize = 0;
    /// Grows the whole figure: the cells (picked or given) and the look's text size together,
    /// so titles, labels and numbers keep their proportions. 2 doubles the width. 0 with
    /// cellSize 0 picks: scale 1, and for an animation too large for kSlideSize smaller cells
    /// (the largest that fit it) at the same text size, so that titles and labels stay
    /// readable on the slide (a wider GIF is shrunk on a slide anyway, and each of its frames
    /// takes the encoder time in proportion to its pixels). Views without cells (the teaching
    /// views, the volume) are shrunk as a whole, text too, and so is a figure whose text alone
    /// is too wide.
    double scale = 0;
    /// Stills: output cells after the current step drawn faded. Animations always build the
    /// output step by step.
    bool fadeUncomputed = false;
    /// Stills: the window's position, or -1 for the session's step (the Volume view's steps
    /// walk its own output, which the session's step, clamped to the plane's, may not reach).
    int step = -1;
    /// Animations: one frame every @c every output positions (the last position is always shown)...
    int every = 1;
    /// ...or one frame per output row, the window at the row's end.
    bool rowByRow = false;
    double fps = 10;
};

/**
 * Writes what the window shows to a file, chosen by the file's extension: PNG; SVG and PDF as
 * vector drawings (cells as rectangles, numbers as text); an animated GIF or an MP4 video of
 * the window sliding over the output positions; CSV of the input, padded input or output.
 *
 * It draws one snapshot of the session with the painters the window uses, asking the session
 * for the part a teaching view needs first. Stills show it at the session's step; animations
 * paint the same snapshot again with the step in the painter's options moved, so nothing is
 * computed again and the session itself is untouched.
 * Every write goes through core::OutputFile: a temporary file in the target folder, put in place
 * of the target only once complete, so a cancelled or failed export leaves no partial file and
 * keeps an existing one; only regular files are replaced, a symbolic link is kept and the file
 * keeps its permissions. Before any work (the part included) the export is checked against the
 * session's budget (estimate() and the image it draws).
 */
class Exporter {
public:
    enum class Format { Png, Svg, Pdf, Gif, Mp4, Csv };

    /// The format named by @p path's extension (case-insensitive), or nullopt.
    static std::optional<Format> formatOf(const QString &path);
    static QStringList suffixes(); ///< "png", "svg", ...
    static bool isAnimation(Format format) { return format == Format::Gif || format == Format::Mp4; }

    /// What an export of @p view is called by default: `<input's base name>-<view>.<suffix>`
    /// (`rose-window.png`), in the input's folder when it takes new files, else the Pictures
    /// folder; never the input itself (a `-2`, `-3`... is added when the name is taken by it).
    static QString defaultPath(const Session &session, ExportView view, const QString &suffix);

    /// The scale at which an export of @p options is at most @p width pixels wide (and as near
    /// to it as the figure's rounding allows).
    static double scaleForWidth(Session &session, ExportOptions options, int width);
    /// @p options with the cell size and scale an export as @p format picks when both are left
    /// at 0, as ExportOptions::scale describes (a still's cells for readable numbers, an
    /// animation's fitted to kSlideSize); given ones are kept.
    static ExportOptions picked(Session &session, ExportOptions options, Format format);

    /// The steps an animation shows, in order, for an output of @p rows × @p cols.
    static std::vector<int> animationSteps(int rows, int cols, const ExportOptions &options);
    /// How many steps animationSteps() gives, without listing them.
    static long long animationFrameCount(int rows, int cols, const ExportOptions &options);

    /// What exporting @p options.view as @p format costs to compute, worked out before any work:
    /// the convolution of an input of @p inputSize (one channel of @p elementBytes) with a
    /// kernel of @p kernelSize and @p spec, the teaching view's own work (compare: every fill or
    /// amount, by @p compareBy; stages: @p stageCount stages) and an animation's frames.
    static core::Estimate estimate(core::PerAxis inputSize, int elementBytes, core::PerAxis kernelSize,
                                   const core::ConvSpec &spec, Format format, const ExportOptions &options,
                                   CompareBy compareBy, int stageCount);

    Exporter(Session &session, const ExportOptions &options);
    ~Exporter();

    /// Called after each animation frame (and once for a still) with frames done and total,
    /// and while a teaching view's part is computed first with its percent done of 100; the
    /// place to update a progress bar and process events.
    void setProgressCallback(std::function<void(int done, int total)> callback);
    /// Stops a running export at the next frame (or the part it computes first at the session's
    /// next progress report); may be called from any thread or the callback.
    void cancel() { m_cancelled = true; }
    bool wasCancelled() const { return m_cancelled; }

    /// Writes @p path; false with errorString() on failure or cancel.
    bool exportTo(const QString &path);
    QString errorString() const { return m_error; }

    /// The pixels per cell used (options' cellSize, or the one picked for this session, times
    /// the options' scale). Cells left to the exporter are a still's until exportTo() writes an
    /// animation; from then on this and the sizes below are the animation's.
    double cellSize() const;
    /// The look the export is drawn in: the options' look at the options' scale.
    const Look &look() const { return m_options.look; }
    /// How many frames an animation of this session writes.
    long long frameCount() const;
    /// About how many bytes exporting as @p format writes: exact for PNG, SVG, PDF (it draws
    /// the figure into memory), from the first frames for a GIF, a rough rate for MP4, the
    /// text's size for CSV. nullopt when the view cannot be written so.
    std::optional<qint64> expectedBytes(Format format) const;
    /// Size in pixels of a still or of each animation frame.
    QSize imageSize() const;
    /// The view at the session's step, as a still is written.
    QImage renderImage() const;
    /// Animation frame of window position @p step, as an animation writes it.
    QImage renderFrame(int step) const;
    /// Where grid cell @p cell (x = col, y = row) of @p panel lands in the exported image; an
    /// empty rectangle when the view does not show @p panel (and for the teaching views).
    QRectF cellRect(Panel panel, QPoint cell) const;
    /// Paints the view at window position @p step; @p animation builds the output step by step.
    /// Returns the pixel size of the smallest numbers written in a grid (input, padded input,
    /// output), 0 when no grid writes any.
    double paint(QPainter &painter, int step, bool animation) const;

private:
    struct Piece {
        Panel panel;
        QRect target;
    };
    /// The session's snapshot with the part the view needs, computed first when missing.
    const Snapshot &snapshot() const;
    /// The pixels per cell before the scale: options' cellSize or the one picked.
    double baseCellSize() const;
    double pickCellSize() const;
    void setScale(double scale);
    /// A scale left to the exporter, picked for @p format (see ExportOptions::scale).
    void pickScale(Format format);
    bool writePng(QIODevice &device, const QString &path);
    bool writeVectorTo(QIODevice &device, const QString &path, Format format);
    bool writeGif(QIODevice &device, const QString &path, const std::vector<int> &steps);
    std::vector<Piece> layout() const;
    PanelOptions panelOptions(int step, bool animation) const;
    bool fail(const QString &message);
    bool writeThrough(const QString &path, const std::function<bool(QIODevice &)> &write);
    bool writeCsv(const QString &path);
    bool writeRaster(const QString &path);
    bool writeVector(const QString &path, Format format);
    bool writeAnimation(const QString &path, Format format);
    /// The grid the steps walk (cols x rows): the output panel's, or the Volume view's output
    /// cells, depth slices stacked as rows.
    QSize stepGrid() const;
    const VolumeSet &volumeSet() const;

    Session &m_session;
    mutable SnapshotPtr m_snapshot;
    mutable std::optional<VolumeSet> m_volume;
    mutable std::optional<double> m_baseCell; // the cell size picked for the snapshot
    std::optional<double> m_fittedCell;       // smaller cells that fit an animation to a slide
    ExportOptions m_options;
    double m_baseFontScale = 1; // the look's text size before the scale
    bool m_autoScale = false;   // the scale is picked for the format written
    double m_fixedCell = 0;     // the cell size, fixed for the whole of one export
    std::function<void(int, int)> m_progress;
    std::atomic<bool> m_cancelled{false};
    QSize m_evenPadding{0, 0}; // extra pixels that keep video frames even-sized
    QString m_error;
};

/**
 * File > Export in the window: the export dialog (ExportDialog: file, view, size, frames, and
 * what it will write), then exports @p view of @p session in the session's look (stills fade
 * the output not yet reached when @p fadeUncomputed) behind a progress dialog whose Cancel
 * stops it. Events are processed between frames, so the window stays responsive. Errors are
 * shown in a message box. False when nothing was written.
 */
bool exportWithDialogs(QWidget *parent, Session &session, ExportView view, bool animation, bool fadeUncomputed);

} // namespace padlab::ui

#pragma once

#include "look.h"
#include "snapshot.h"

#include <QPoint>
#include <QRect>
#include <QRectF>
#include <QStringList>

#include <optional>

class QPainter;

namespace padlab::ui {

/// Everything about how the Transposed view is drawn that is not in the snapshot.
struct TransposedOptions {
    Look look;
    int step = 0;                        ///< the session's window position (clamped to the output)
    std::optional<QPoint> hoveredOutput; ///< output cell (x = col, y = row) under the mouse
    bool computing = false;              ///< a newer set is being computed
};

/**
 * Draws the snapshot's TransposedSet onto any QPainter, for the Transposed tab and every export:
 * two pictures of the same computation side by side, or one above the other when the target is
 * tall and narrow (whichever gives the larger cells; the kernel under or beside the input). Left, the direct picture: the input with
 * s - 1 stuffed zeros between its cells (drawn hatched, apart from the real cells), the implicit
 * padding e - 1 - p tinted as padding is everywhere, the flipped kernel below, and its window at
 * the current output cell. Right, the scatter picture: every input cell stamping value x kernel
 * onto the full output, each cell shaded by how many stamps overlap there (the checkerboard of
 * kernel 3, stride 2), the cells the padding crops crossed out and the cells output_padding adds
 * outlined dashed; the output-size formula with its numbers on top, and the current (or hovered)
 * cell's sum. It computes nothing: the stamps come from the part (TransposedSet::windowAt()).
 */
class TransposedPainter {
public:
    static void paint(QPainter &painter, const QRect &target, const Snapshot &snapshot,
                      const TransposedOptions &options);

    /// The height at which a target @p width wide shows every cell large enough for its number
    /// at a readable size (the pictures one above the other when that is lower); 0 when the
    /// grids are too large to be read number by number.
    static int heightForWidth(const Snapshot &snapshot, const Look &look, int width);

    /// The output cell (x = col, y = row) the view shows for @p options.step.
    static QPoint currentCell(const Snapshot &snapshot, const TransposedOptions &options);

    /// Where cell (@p row, @p col) of the direct picture's padded grid is drawn; empty outside.
    static QRectF paddedCellRect(const QRect &target, const Snapshot &snapshot, const TransposedOptions &options,
                                 int row, int col);
    /// Where cell (@p row, @p col) of the full output (before any crop; past its end for the
    /// cells output_padding adds) is drawn; empty outside.
    static QRectF fullCellRect(const QRect &target, const Snapshot &snapshot, const TransposedOptions &options,
                               int row, int col);
    /// Where output cell @p cell (x = col, y = row) is drawn in the scatter picture.
    static QRectF outputCellRect(const QRect &target, const Snapshot &snapshot, const TransposedOptions &options,
                                 QPoint cell);
    /// Where tap (@p row, @p col) of the flipped kernel is drawn.
    static QRectF kernelCellRect(const QRect &target, const Snapshot &snapshot, const TransposedOptions &options,
                                 int row, int col);
    /// The output cell under @p position in the scatter picture (not a cropped one), or nullopt.
    static std::optional<QPoint> outputCellAt(const QRect &target, const Snapshot &snapshot,
                                              const TransposedOptions &options, QPointF position);

    /// The colours that tell cells apart, for tests and the legend.
    static QColor stuffedColor(const Look &look);  ///< a zero put between input cells
    static QColor croppedInk(const Look &look);    ///< the cross over a cropped cell
    static QColor addedInk(const Look &look);      ///< the dashed outline of an output_padding cell
    /// The shading of a full-output cell reached by @p count of @p most stamps.
    static QColor overlapColor(const Look &look, int count, int most);

    /// `out[1, 2] = 2×1 + 3×−1 = −1` for @p cell, from the stamps onto it.
    static QString sumLine(const TransposedSet &set, QPoint cell);
};

} // namespace padlab::ui

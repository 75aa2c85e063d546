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

/// Everything about how the Pooling view is drawn that is not in the snapshot.
struct PoolOptions {
    Look look;
    int step = 0;                        ///< the session's window position (clamped to the pooled output)
    std::optional<QPoint> hoveredOutput; ///< output cell (x = col, y = row) under the mouse
    int hoveredRun = 0;                  ///< in which rule's output map
    bool computing = false;              ///< a newer pooling is being computed
};

/**
 * Draws the snapshot's PoolSet onto any QPainter, for the Pooling tab and every export: for each
 * rule shown (the chosen one; with "both", the other framework's beside it when they differ) the
 * padded input with the current window over it, the padded cells a max or an uncounted average
 * ignores hatched (they are not zeros), counted padding tinted, ceil_mode's extra window marked
 * and the window PyTorch drops drawn dashed; the window written out with its divisor in words;
 * the output size's formula with its numbers; and the output map with the current cell marked.
 * It computes nothing but the windows of the current and hovered cells.
 */
class PoolPainter {
public:
    static void paint(QPainter &painter, const QRect &target, const Snapshot &snapshot, const PoolOptions &options);

    /// How many rules are drawn side by side: 2 with "both" when the rules differ, else 1.
    static int shownRuns(const Snapshot &snapshot);
    /// The output cell (x = col, y = row) of run @p run for @p options.step.
    static QPoint currentCell(const Snapshot &snapshot, const PoolOptions &options, int run = 0);

    /// Where padded cell @p cell (x = col, y = row; past the padded input for ceil_mode) of run
    /// @p run is drawn; empty when nothing is.
    static QRectF paddedCellRect(const QRect &target, const Snapshot &snapshot, const PoolOptions &options, int run,
                                 QPoint cell);
    /// Where output cell @p cell of run @p run is drawn.
    static QRectF outputCellRect(const QRect &target, const Snapshot &snapshot, const PoolOptions &options, int run,
                                 QPoint cell);
    /// The run and output cell under @p position, or nullopt.
    static std::optional<std::pair<int, QPoint>> outputCellAt(const QRect &target, const Snapshot &snapshot,
                                                              const PoolOptions &options, QPointF position);

    /// The divisor (averages) or what a max reads, in words: `divides by 6: the cells it reads,
    /// not the padding`, `divides by 9, padding counted: 3 padded cells add 0`.
    static QString divisorText(const core::PoolWindow &window, const core::PoolSpec &spec);
    /// The window of core::poolWindowText() with the numbers shortened as in the cells (and as the
    /// sliding window's sum): `(1 + 0 + 0) / 3 = 0.3333`, `max(1.2, −0.5) = 1.2` for float32 cells.
    static QString windowText(const core::PoolWindow &window, core::PoolOp op);
    /// The words under run @p run: the formulas, the current (or hovered) cell's window written
    /// out with its divisor, and what ceil_mode did; empty when the run failed.
    static QStringList textLines(const Snapshot &snapshot, const PoolOptions &options, int run);
    /// The output size of each axis with its numbers: `rows: out = floor((5 + 1 + 1 - 3) / 2) + 1 = 3`.
    static QStringList formulaLines(const PoolRun &run);
    /// `PyTorch · max 3 × 3, stride 2, padding 1, 1, 1, 1, ceil_mode`.
    static QString runTitle(const PoolRun &run);
    /// The dropped window's dashes and words.
    static QColor droppedColor(const Look &look);
    /// What ceil_mode did on each axis: the extra window it added, the one PyTorch drops.
    static QStringList ceilLines(const PoolRun &run);
};

} // namespace padlab::ui

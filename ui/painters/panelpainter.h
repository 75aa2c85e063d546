#pragma once

#include "look.h"
#include "snapshot.h"

#include <QPoint>
#include <QPointF>
#include <QRect>
#include <QRectF>
#include <QSize>
#include <QString>
#include <optional>
#include <vector>

class QPainter;

namespace padlab::ui {

/// The four panels, left to right.
enum class Panel { Input, Padded, Window, Output };

/// Everything about how a panel is drawn that is not in the snapshot.
struct PanelOptions {
    Look look;
    int step = 0;               ///< the window's position, row by row over the output (clamped)
    std::optional<QPoint> hoveredOutput; ///< output cell (x = col, y = row) under the mouse
    double cellSize = 32;       ///< pixels per cell (zoom)
    QPointF origin;             ///< cell coordinates at the top-left of the view (pan)
    bool showTitle = true;      ///< title and size in cells above the grid
    bool fadeUncomputed = true; ///< Output: cells after the current step drawn faded
    bool computing = false;     ///< a newer result is being computed: the output's title says so
    /// A cell's number as a fraction of the cell's height at text size 1 (Larger text makes it
    /// larger, as far as the number fits the cell's width); presenter mode writes them larger.
    double valueScale = 0.36;
    /// How much of a cell's width its widest number may take; numbers written larger for a room
    /// (presenter mode) may fill it.
    double valueRoom = 0.88;
    std::vector<QRect> rings;   ///< cells (x = col, y = row) ringed with the pen
};

/// What a panel's painting drew, for those that must know (tests of what a class can read).
struct PanelDrawn {
    double valuePx = 0; ///< the pixel size of the cells' numbers; 0 when none is written
};

/**
 * Draws one panel of a snapshot onto any QPainter: the screen, a QImage, an SVG or a PDF.
 * Widgets and exporters share it, so an export looks like the window. It computes nothing: the
 * window it outlines is read from the snapshot's padded input (a few cells), everything else
 * is in the snapshot.
 * Only visible cells are drawn; cells are filled as an image when they are smaller than a few
 * pixels, and get a grid and their value written inside when large enough to read.
 */
class PanelPainter {
public:
    /// Height in pixels of the title band (0 when showTitle is false).
    static int titleHeight(const PanelOptions &options);

    /// The smallest whole cell size at which every number of @p panel (input, padded input or
    /// output, all cells) is written at least @p px pixels high with @p options, as paint() fits
    /// them; 0 for the window panel, which sizes its own taps, and for an empty grid.
    static double cellSizeForValues(const Snapshot &snapshot, Panel panel, const PanelOptions &options, double px);

    /// Size in cells of the panel's grid (input, padded, kernel window or output).
    static QSize gridSize(const Snapshot &snapshot, Panel panel);

    /// Title shown above the panel, e.g. "Padded input  30 × 30".
    static QString title(const Snapshot &snapshot, Panel panel, const PanelOptions &options = {});

    /// Paints @p panel into @p target (title band on top, then the grid).
    static PanelDrawn paint(QPainter &painter, const QRect &target, const Snapshot &snapshot, Panel panel,
                      const PanelOptions &options);

    /// The grid cell (x = col, y = row) at @p position inside a panel painted into @p target,
    /// or nullopt outside the grid.
    static std::optional<QPoint> cellAt(const QRect &target, const Snapshot &snapshot, Panel panel,
                                        const PanelOptions &options, QPointF position);

    /// The rectangle of grid cell @p cell (x = col, y = row), the inverse of cellAt().
    static QRectF cellRect(const QRect &target, const Snapshot &snapshot, Panel panel,
                           const PanelOptions &options, QPoint cell);

    /// Where the grid's cells are drawn inside @p target (below the title band; left of the
    /// colour bar; the Window panel fits its grid to the target and ignores cellSize and origin).
    static QRectF gridRect(const QRect &target, const Snapshot &snapshot, Panel panel,
                           const PanelOptions &options);
};

} // namespace padlab::ui

#pragma once

#include <QColor>
#include <QPoint>
#include <QPointF>
#include <QRect>
#include <QRectF>
#include <QSize>
#include <QString>
#include <optional>

class QPainter;

namespace padlab::ui {

class Session;

/// The four panels, left to right.
enum class Panel { Input, Padded, Window, Output };

/// How signed output values map to colours.
enum class OutputScale {
    Diverging, ///< blue below 0, white at 0, red above, symmetric range; with a colour bar
    Absolute,  ///< |v| in gray, 0..max
    Clip,      ///< v clipped to 0..255 in gray (what an 8-bit image would keep)
    Stretch,   ///< min..max stretched to black..white
};

/// Everything about how a panel is drawn that is not in the Session.
struct PanelOptions {
    double cellSize = 32;       ///< pixels per cell (zoom)
    QPointF origin;             ///< cell coordinates at the top-left of the view (pan)
    double fontScale = 1.0;     ///< classroom: larger text
    bool dark = false;          ///< dark theme colours
    OutputScale outputScale = OutputScale::Diverging;
    bool showTitle = true;      ///< title and size in cells above the grid
    std::optional<QPoint> hoveredOutput; ///< output cell (x = col, y = row) under the mouse
    bool fadeUncomputed = true; ///< Output: cells after the current step drawn faded
};

/**
 * Draws one panel of the session onto any QPainter: the screen, a QImage, an SVG or a PDF.
 * Widgets and exporters share it, so an export looks like the window.
 * Only visible cells are drawn; cells are filled as an image when they are smaller than a few
 * pixels, and get a grid and their value written inside when large enough to read.
 */
class PanelPainter {
public:
    /// Height in pixels of the title band (0 when showTitle is false).
    static int titleHeight(const PanelOptions &options);

    /// Size in cells of the panel's grid (input, padded, kernel window or output).
    static QSize gridSize(const Session &session, Panel panel);

    /// Title shown above the panel, e.g. "Padded input  30 × 30".
    static QString title(const Session &session, Panel panel);

    /// Paints @p panel into @p target (title band on top, then the grid).
    static void paint(QPainter &painter, const QRect &target, const Session &session, Panel panel,
                      const PanelOptions &options);

    /// The grid cell (x = col, y = row) at @p position inside a panel painted into @p target,
    /// or nullopt outside the grid.
    static std::optional<QPoint> cellAt(const QRect &target, const Session &session, Panel panel,
                                        const PanelOptions &options, QPointF position);

    /// The rectangle of grid cell @p cell (x = col, y = row), the inverse of cellAt().
    static QRectF cellRect(const QRect &target, const Session &session, Panel panel,
                           const PanelOptions &options, QPoint cell);

    /// Where the grid's cells are drawn inside @p target (below the title band; left of the
    /// colour bar; the Window panel fits its grid to the target and ignores cellSize and origin).
    static QRectF gridRect(const QRect &target, const Session &session, Panel panel,
                           const PanelOptions &options);

    /// Colours used for padding cells, the window outline and the current output cell, so that
    /// tests and exports can find them.
    static QColor paddingTint(bool dark);
    static QColor windowColor(bool dark);
    static QColor currentCellColor(bool dark);
};

} // namespace padlab::ui

#pragma once

#include <QObject>
#include <QPointF>
#include <QRect>
#include <QSize>
#include <QSizeF>

#include <vector>

namespace padlab::ui {

/**
 * Zoom and pan of the sliding-window view: how many pixels a cell takes and which cell is at the
 * top-left, one for the input, padded and output panels together so that they stay in step.
 *
 * It knows the grids' sizes in cells and the pixels each panel has for its grid (setExtents()),
 * keeps the origin inside the largest grid, and fits the grids to their panels until the user
 * zooms or pans. It draws nothing: panels read it and report the mouse, the window wires them.
 */
class Viewport : public QObject {
    Q_OBJECT

public:
    static constexpr double kMinCellSize = 0.02;
    static constexpr double kMaxCellSize = 200;

    /// One panel's grid: its size in cells and the pixels it has for it.
    struct Extent {
        QSize cells;
        QSizeF area;
    };

    explicit Viewport(QObject *parent = nullptr);

    double cellSize() const { return m_cellSize; }
    QPointF origin() const { return m_origin; }
    /// Whether the grids are fitted to their panels (and stay fitted as they change).
    bool isFitted() const { return m_fitted; }

    /// The panels' grids; the first one is the panel whose area decides what is visible. Fitted,
    /// the cell size follows; otherwise the origin is kept inside the grids.
    void setExtents(std::vector<Extent> extents);
    /// The largest grid of all panels, in cells (at least 1 x 1).
    QSize gridCells() const;
    /// How many cells the first panel shows.
    QSizeF visibleCells() const;

    /// Fits every grid to its panel, from the top-left cell, and keeps fitting.
    void fit();
    /// Zooms by @p factor around the point @p offset pixels from the first panel's grid corner.
    void zoomAround(double factor, QPointF offset);
    /// Zooms by @p factor around the middle of the first panel.
    void zoomBy(double factor);
    /// Sets @p cellSize pixels per cell (clamped), the origin at the top-left.
    void setCellSize(double cellSize);
    /// Moves the view by @p cells (positive: later cells come into view).
    void panBy(QPointF cells);
    /// Puts @p origin at the top-left, kept inside the grids.
    void setOrigin(QPointF origin);
    /// Pans, when not fitted, so that @p cells (x = col, y = row) stay in view with a one-cell
    /// margin: the window never slides out of sight while playing.
    void follow(QRect cells);

Q_SIGNALS:
    void changed();

private:
    void place(double cellSize, QPointF origin, bool fitted);

    std::vector<Extent> m_extents;
    double m_cellSize = 32;
    QPointF m_origin;
    bool m_fitted = true;
};

} // namespace padlab::ui

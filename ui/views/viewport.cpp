#include "viewport.h"

#include <algorithm>
#include <cmath>

namespace padlab::ui {

Viewport::Viewport(QObject *parent) : QObject(parent) {}

void Viewport::setExtents(std::vector<Extent> extents)
{
    m_extents = std::move(extents);
    if (m_fitted)
        fit();
    else
        setOrigin(m_origin);
}

QSize Viewport::gridCells() const
{
    QSize cells(1, 1);
    for (const Extent &extent : m_extents)
        cells = cells.expandedTo(extent.cells);
    return cells;
}

QSizeF Viewport::visibleCells() const
{
    const QSizeF area = m_extents.empty() ? QSizeF() : m_extents.front().area;
    return {area.width() / m_cellSize, area.height() / m_cellSize};
}

void Viewport::fit()
{
    double size = kMaxCellSize;
    for (const Extent &extent : m_extents) {
        if (extent.cells.isEmpty() || extent.area.isEmpty())
            continue;
        size = std::min({size, extent.area.width() / extent.cells.width(),
                         extent.area.height() / extent.cells.height()});
    }
    place(std::clamp(size, kMinCellSize, kMaxCellSize), QPointF(), true);
}

void Viewport::zoomAround(double factor, QPointF offset)
{
    const QPointF anchor = m_origin + offset / m_cellSize;
    const double size = std::clamp(m_cellSize * factor, kMinCellSize, kMaxCellSize);
    place(size, anchor - offset / size, false);
}

void Viewport::zoomBy(double factor)
{
    const QSizeF area = m_extents.empty() ? QSizeF() : m_extents.front().area;
    zoomAround(factor, QPointF(area.width() / 2, area.height() / 2));
}

void Viewport::setCellSize(double cellSize)
{
    place(std::clamp(cellSize, kMinCellSize, kMaxCellSize), QPointF(), false);
}

void Viewport::panBy(QPointF cells)
{
    place(m_cellSize, m_origin + cells, false);
}

void Viewport::setOrigin(QPointF origin)
{
    place(m_cellSize, origin, m_fitted);
}

void Viewport::follow(QRect cells)
{
    if (m_fitted || cells.isEmpty())
        return;
    const QSizeF visible = visibleCells();
    QPointF origin = m_origin;
    if (cells.left() < origin.x())
        origin.setX(cells.left() - 1);
    else if (cells.left() + cells.width() > origin.x() + visible.width())
        origin.setX(cells.left() + cells.width() + 1 - visible.width());
    if (cells.top() < origin.y())
        origin.setY(cells.top() - 1);
    else if (cells.top() + cells.height() > origin.y() + visible.height())
        origin.setY(cells.top() + cells.height() + 1 - visible.height());
    if (origin != m_origin)
        setOrigin(origin);
}

void Viewport::place(double cellSize, QPointF origin, bool fitted)
{
    m_cellSize = cellSize;
    m_fitted = fitted;
    const QSize grid = gridCells();
    const QSizeF visible = visibleCells();
    const double maxX = std::max(0.0, grid.width() - visible.width());
    const double maxY = std::max(0.0, grid.height() - visible.height());
    m_origin = QPointF(std::clamp(origin.x(), 0.0, maxX), std::clamp(origin.y(), 0.0, maxY));
    Q_EMIT changed();
}

} // namespace padlab::ui

#include "panelview.h"

#include "session.h"
#include "viewport.h"

#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>
#include <utility>

namespace padlab::ui {

namespace {
// A press that moves less than this is a click, not a drag.
constexpr double kDragThreshold = 4.0;
// One wheel notch zooms by this factor.
constexpr double kWheelZoomStep = 1.2;
} // namespace

PanelView::PanelView(const Session *session, const Viewport *viewport, Panel panel, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_viewport(viewport)
    , m_panel(panel)
{
    setMouseTracking(true);
    // Clicking a panel takes the focus from a settings field, so the arrow keys and Space
    // drive the window again.
    setFocusPolicy(Qt::ClickFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    const auto repaint = [this] { update(); };
    connect(session, &Session::snapshotChanged, this, repaint);
    connect(session, &Session::stepChanged, this, repaint);
    connect(session, &Session::lookChanged, this, repaint);
    connect(session, &Session::busyChanged, this, repaint);
    connect(viewport, &Viewport::changed, this, repaint);
}

PanelOptions PanelView::options() const
{
    PanelOptions o;
    o.look = m_session->look();
    o.step = m_session->step();
    o.hoveredOutput = m_hoveredOutput;
    o.cellSize = m_viewport->cellSize();
    o.origin = m_viewport->origin();
    o.fadeUncomputed = m_fadeUncomputed;
    o.computing = m_session->isBusy();
    o.valueScale = m_valueScale;
    // Numbers written larger for a room (presenter mode) may fill their cell's width.
    o.valueRoom = m_valueScale > PanelOptions().valueScale ? 0.97 : PanelOptions().valueRoom;
    o.rings = m_rings;
    if (m_overview) {
        const QSize cells = PanelPainter::gridSize(*m_session->snapshot(), m_panel);
        const QSizeF area = PanelPainter::gridRect(rect(), *m_session->snapshot(), m_panel, o).size();
        if (!cells.isEmpty() && !area.isEmpty())
            o.cellSize = std::min(area.width() / cells.width(), area.height() / cells.height());
        o.origin = QPointF();
    }
    return o;
}

void PanelView::setOverview(bool overview)
{
    if (overview == m_overview)
        return;
    m_overview = overview;
    update();
}

void PanelView::setPen(bool pen)
{
    m_pen = pen;
    m_penStart.reset();
    setCursor(pen ? Qt::CrossCursor : Qt::ArrowCursor);
}

void PanelView::setRings(std::vector<QRect> rings)
{
    if (rings == m_rings)
        return;
    m_rings = std::move(rings);
    update();
}

void PanelView::setValueScale(double scale)
{
    if (scale == m_valueScale)
        return;
    m_valueScale = scale;
    update();
}

void PanelView::setHoveredOutput(std::optional<QPoint> cell)
{
    if (cell == m_hoveredOutput)
        return;
    m_hoveredOutput = cell;
    update();
}

void PanelView::setFadeUncomputed(bool fade)
{
    if (fade == m_fadeUncomputed)
        return;
    m_fadeUncomputed = fade;
    update();
}

std::optional<QPoint> PanelView::cellAt(QPointF position) const
{
    return PanelPainter::cellAt(rect(), *m_session->snapshot(), m_panel, options(), position);
}

QRectF PanelView::gridArea() const
{
    return PanelPainter::gridRect(rect(), *m_session->snapshot(), m_panel, options());
}

QRectF PanelView::cellRect(QPoint cell) const
{
    return PanelPainter::cellRect(rect(), *m_session->snapshot(), m_panel, options(), cell);
}

QSize PanelView::sizeHint() const
{
    return {320, 360};
}

QSize PanelView::minimumSizeHint() const
{
    return {120, 120};
}

void PanelView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    PanelPainter::paint(painter, rect(), *m_session->snapshot(), m_panel, options());
}

void PanelView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        QWidget::mousePressEvent(event);
        return;
    }
    m_pressed = true;
    m_dragging = false;
    if (m_pen)
        m_penStart = cellAt(event->position());
    m_pressPosition = event->position();
    m_lastDragPosition = event->position();
}

void PanelView::mouseMoveEvent(QMouseEvent *event)
{
    if (m_pressed) {
        const QPointF moved = event->position() - m_pressPosition;
        if (!m_dragging && std::hypot(moved.x(), moved.y()) >= kDragThreshold) {
            m_dragging = true;
            setCursor(Qt::ClosedHandCursor);
        }
        if (m_dragging && m_pen)
            return;
        if (m_dragging && !m_overview) {
            const QPointF delta = event->position() - m_lastDragPosition;
            m_lastDragPosition = event->position();
            Q_EMIT panRequested(-delta / m_viewport->cellSize());
            return;
        }
    }
    const std::optional<QPoint> cell = cellAt(event->position());
    if (cell == m_hovered)
        return;
    m_hovered = cell;
    if (cell)
        Q_EMIT cellHovered(*cell);
    else
        Q_EMIT hoverLeft();
}

void PanelView::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || !m_pressed) {
        QWidget::mouseReleaseEvent(event);
        return;
    }
    const bool wasDrag = m_dragging;
    m_pressed = false;
    m_dragging = false;
    if (m_pen) {
        // A ring from the pressed cell to the released one; a click rings one cell.
        const std::optional<QPoint> start = std::exchange(m_penStart, std::nullopt);
        const QSize cells = PanelPainter::gridSize(*m_session->snapshot(), m_panel);
        if (start && !cells.isEmpty()) {
            const QRectF grid = gridArea();
            const QPointF at(std::clamp(event->position().x(), grid.left(), grid.right() - 1),
                             std::clamp(event->position().y(), grid.top(), grid.bottom() - 1));
            const QPoint end = cellAt(at).value_or(*start);
            Q_EMIT ringDrawn(QRect(*start, end).normalized());
        }
        return;
    }
    unsetCursor();
    if (wasDrag)
        return;
    if (const std::optional<QPoint> cell = cellAt(event->position()))
        Q_EMIT cellClicked(*cell);
}

void PanelView::wheelEvent(QWheelEvent *event)
{
    const QPoint angle = event->angleDelta();
    if (m_overview) {
        event->ignore();
        return;
    }
    if (event->modifiers() & Qt::ControlModifier) {
        const double notches = angle.y() / 120.0;
        if (notches != 0)
            Q_EMIT zoomRequested(std::pow(kWheelZoomStep, notches), event->position());
        event->accept();
        return;
    }
    // Plain wheel scrolls 60 pixels a notch; Shift (or a horizontal wheel) sideways.
    const double cellSize = m_viewport->cellSize();
    QPointF cells(-angle.x() / 2.0 / cellSize, -angle.y() / 2.0 / cellSize);
    if (event->modifiers() & Qt::ShiftModifier)
        cells = QPointF(cells.y(), cells.x());
    if (!cells.isNull())
        Q_EMIT panRequested(cells);
    event->accept();
}

void PanelView::leaveEvent(QEvent *event)
{
    if (m_hovered) {
        m_hovered.reset();
        Q_EMIT hoverLeft();
    }
    QWidget::leaveEvent(event);
}

} // namespace padlab::ui

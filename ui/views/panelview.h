#pragma once

#include "panelpainter.h"

#include <QPoint>
#include <QPointF>
#include <QWidget>
#include <optional>

namespace padlab::ui {

class Session;
class Viewport;

/**
 * One panel of the main window (input, padded input, sliding window or output) on screen.
 *
 * It paints the session's snapshot with PanelPainter, at the session's step and look and at the
 * viewport's zoom and pan, and repaints when any of them changes. It turns the mouse into
 * requests: hover, click, drag to pan, Ctrl+wheel to zoom. It never changes its own zoom or
 * pan; MainWindow hands the requests to the Viewport every panel reads, so the panels stay in
 * step.
 */
class PanelView : public QWidget {
    Q_OBJECT

public:
    PanelView(const Session *session, const Viewport *viewport, Panel panel, QWidget *parent = nullptr);

    Panel panel() const { return m_panel; }
    /// Everything the panel is painted with: the session's step and look, the viewport's zoom
    /// and pan, and what setHoveredOutput() and setFadeUncomputed() said.
    PanelOptions options() const;
    void setHoveredOutput(std::optional<QPoint> cell);
    void setFadeUncomputed(bool fade);
    /// An overview shows its whole grid in its own space instead of the shared zoom and pan
    /// (the small panels beside a large one); it asks for no pan or zoom.
    void setOverview(bool overview);
    bool isOverview() const { return m_overview; }
    /// With the pen, dragging rings the cells from the press to the release (ringDrawn())
    /// instead of panning.
    void setPen(bool pen);
    void setRings(std::vector<QRect> rings);
    /// The cells' numbers as a fraction of the cell (PanelOptions::valueScale).
    void setValueScale(double scale);

    /// The grid cell (x = col, y = row) under @p position, or nullopt outside the grid.
    std::optional<QPoint> cellAt(QPointF position) const;

    /// The part of the widget where cells are drawn (below the title band).
    QRectF gridArea() const;

    /// The rectangle of grid cell @p cell (x = col, y = row) in widget pixels.
    QRectF cellRect(QPoint cell) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void cellHovered(QPoint cell);
    void hoverLeft();
    void cellClicked(QPoint cell);
    /// Pan by @p cells (positive: the content moves left/up, the view shows later cells).
    void panRequested(QPointF cells);
    /// Zoom by @p factor keeping the point at @p position (widget pixels) in place.
    void zoomRequested(double factor, QPointF position);
    /// The pen ringed @p cells (x = col, y = row).
    void ringDrawn(QRect cells);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    const Session *m_session;
    const Viewport *m_viewport;
    Panel m_panel;
    std::optional<QPoint> m_hoveredOutput;
    bool m_fadeUncomputed = false;
    bool m_overview = false;
    bool m_pen = false;
    std::vector<QRect> m_rings;
    double m_valueScale = PanelOptions().valueScale;
    std::optional<QPoint> m_penStart;
    std::optional<QPoint> m_hovered;
    QPointF m_pressPosition;
    QPointF m_lastDragPosition;
    bool m_pressed = false;
    bool m_dragging = false;
};

} // namespace padlab::ui

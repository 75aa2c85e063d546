#include "panelarea.h"

#include <QResizeEvent>
#include <algorithm>

namespace padlab::ui {

namespace {

/// Columns and rows of a grid of @p count panels.
QSize gridShape(int count)
{
    if (count <= 1)
        return {1, 1};
    const int cols = 2;
    return {cols, (count + cols - 1) / cols};
}

/// The side of the largest square each panel could hold.
int squareOf(const QSize &size, QSize shape, int spacing)
{
    const int w = (size.width() - (shape.width() - 1) * spacing) / std::max(1, shape.width());
    const int h = (size.height() - (shape.height() - 1) * spacing) / std::max(1, shape.height());
    return std::min(w, h);
}

/// @p total pixels cut into @p parts pieces @p spacing apart: the start of piece @p i.
int cut(int total, int parts, int spacing, int i)
{
    const int free = total - (parts - 1) * spacing;
    return i * free / parts + i * spacing;
}

} // namespace

Arrangement resolvedArrangement(const QSize &size, int count, Arrangement arrangement, int spacing)
{
    if (arrangement != Arrangement::Auto)
        return arrangement;
    const int row = squareOf(size, QSize(count, 1), spacing);
    const int grid = squareOf(size, gridShape(count), spacing);
    return grid > row ? Arrangement::Grid : Arrangement::Row;
}

std::vector<QRect> arrangePanels(const QRect &area, int count, Arrangement arrangement, int spacing)
{
    std::vector<QRect> rects;
    if (count <= 0)
        return rects;
    const int w = area.width();
    const int h = area.height();
    const auto piece = [&](QSize shape, int col, int row) {
        const int left = cut(w, shape.width(), spacing, col);
        const int right = cut(w, shape.width(), spacing, col + 1) - spacing;
        const int top = cut(h, shape.height(), spacing, row);
        const int bottom = cut(h, shape.height(), spacing, row + 1) - spacing;
        return QRect(area.left() + left, area.top() + top, right - left, bottom - top);
    };
    switch (resolvedArrangement(area.size(), count, arrangement, spacing)) {
    case Arrangement::Auto:
    case Arrangement::Row:
        for (int i = 0; i < count; ++i)
            rects.push_back(piece(QSize(count, 1), i, 0));
        break;
    case Arrangement::Grid: {
        const QSize shape = gridShape(count);
        for (int i = 0; i < count; ++i)
            rects.push_back(piece(shape, i % shape.width(), i / shape.width()));
        break;
    }
    case Arrangement::Large: {
        if (count == 1) {
            rects.push_back(area);
            break;
        }
        // Two thirds of the width for the large panel: on 16:9 it is about square.
        const int large = (w - spacing) * 2 / 3;
        rects.emplace_back(area.left(), area.top(), large, h);
        const int others = count - 1;
        for (int i = 0; i < others; ++i) {
            const int top = cut(h, others, spacing, i);
            const int bottom = cut(h, others, spacing, i + 1) - spacing;
            rects.emplace_back(area.left() + large + spacing, area.top() + top, w - large - spacing, bottom - top);
        }
        break;
    }
    }
    return rects;
}

PanelArea::PanelArea(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void PanelArea::setPanels(const std::vector<QWidget *> &panels)
{
    for (QWidget *child : findChildren<QWidget *>(QString(), Qt::FindDirectChildrenOnly))
        if (std::find(panels.begin(), panels.end(), child) == panels.end())
            child->hide();
    m_panels = panels;
    for (QWidget *panel : m_panels) {
        panel->setParent(this);
        panel->show();
    }
    place();
    updateGeometry();
}

void PanelArea::setArrangement(Arrangement arrangement)
{
    m_arrangement = arrangement;
    place();
}

Arrangement PanelArea::resolved() const
{
    return resolvedArrangement(size(), int(m_panels.size()), m_arrangement, m_spacing);
}

void PanelArea::setSpacing(int spacing)
{
    m_spacing = spacing;
    place();
}

QSize PanelArea::minimumSizeHint() const
{
    // Small enough for any window: panels shrink with it, and zoom decides what they show.
    return {160, 120};
}

QSize PanelArea::sizeHint() const
{
    return {1200, 400};
}

void PanelArea::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    place();
}

void PanelArea::place()
{
    const std::vector<QRect> rects = arrangePanels(rect(), int(m_panels.size()), m_arrangement, m_spacing);
    for (size_t i = 0; i < m_panels.size(); ++i)
        m_panels[i]->setGeometry(rects[i]);
    Q_EMIT arranged();
}

} // namespace padlab::ui

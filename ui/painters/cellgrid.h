#pragma once

#include "look.h"

#include <QImage>
#include <QPaintDevice>
#include <QPainter>
#include <QRectF>
#include <QRgb>

#include <algorithm>
#include <cmath>
#include <vector>

namespace padlab::ui {

/**
 * Draws a grid of @p rows x @p cols cells too small to draw one by one into @p box (the whole
 * grid's rectangle) as one image of the pixels the box covers, each pixel the colour
 * @p colorOf(row, col) (a QRgb) of the cell under its centre. The cost follows the pixels drawn,
 * not the cells: a 12-megapixel photo drawn 400 pixels wide reads 400 x 300 cells.
 */
template <typename ColorOf>
void drawCellImage(QPainter &p, const QRectF &box, int rows, int cols, ColorOf colorOf)
{
    if (rows <= 0 || cols <= 0 || box.isEmpty())
        return;
    const double dpr = p.device() ? p.device()->devicePixelRatioF() : 1.0;
    // At most one pixel per cell: fewer cells than pixels are scaled up without smoothing.
    const int w = std::max(1, std::min(cols, int(std::ceil(box.width() * dpr))));
    const int h = std::max(1, std::min(rows, int(std::ceil(box.height() * dpr))));
    std::vector<int> colOf(static_cast<size_t>(w));
    for (int i = 0; i < w; ++i)
        colOf[size_t(i)] = std::clamp(int((i + 0.5) * cols / w), 0, cols - 1);
    QImage image(w, h, QImage::Format_RGB32);
    for (int j = 0; j < h; ++j) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(j));
        const int r = std::clamp(int((j + 0.5) * rows / h), 0, rows - 1);
        for (int i = 0; i < w; ++i)
            line[i] = colorOf(r, colOf[size_t(i)]);
    }
    p.save();
    p.setRenderHint(QPainter::SmoothPixmapTransform, false);
    p.drawImage(box, image);
    p.restore();
}

/// The lines of a @p rows x @p cols grid whose column @p c starts at x(c) and row @p r at y(r),
/// in one call: each drawing call is a rasterization of its own in Qt's raster engine, which
/// hands a tall one to its thread pool and waits.
template <typename X, typename Y>
void drawGridLines(QPainter &p, int rows, int cols, X x, Y y, const QColor &color)
{
    if (rows <= 0 || cols <= 0)
        return;
    std::vector<QLineF> lines;
    lines.reserve(size_t(rows + cols + 2));
    for (int r = 0; r <= rows; ++r)
        lines.emplace_back(x(0), y(r), x(cols), y(r));
    for (int c = 0; c <= cols; ++c)
        lines.emplace_back(x(c), y(0), x(c), y(rows));
    p.setPen(QPen(color, 1));
    p.drawLines(lines.data(), int(lines.size()));
}

} // namespace padlab::ui

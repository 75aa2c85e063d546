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
/// @p width pixels wide (0: one device pixel). Qt's raster engine hands every fill of 96 or more
/// scanlines to its thread pool and waits, and a stroked line is such a fill: hundreds of
/// hand-offs a frame. So the lines are thin rectangles, the vertical ones in pieces of at most
/// 64 device pixels.
template <typename X, typename Y>
void drawGridLines(QPainter &p, int rows, int cols, X x, Y y, const QColor &color, double width = 1)
{
    if (rows <= 0 || cols <= 0)
        return;
    const double scale = std::max(std::abs(p.deviceTransform().m22()), 1e-6);
    const double piece = 64.0 / scale;
    const double w = width > 0 ? width : 1.0 / scale;
    p.save();
    p.setRenderHint(QPainter::Antialiasing, false);
    const double left = x(0);
    const double right = x(cols);
    for (int r = 0; r <= rows; ++r)
        p.fillRect(QRectF(left - w / 2, y(r) - w / 2, right - left + w, w), color);
    const double top = y(0);
    const double bottom = y(rows);
    for (int c = 0; c <= cols; ++c)
        for (double from = top; from < bottom; from += piece)
            p.fillRect(QRectF(x(c) - w / 2, from, w, std::min(piece, bottom - from)), color);
    p.restore();
}

} // namespace padlab::ui

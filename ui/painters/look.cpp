#include "look.h"

#include "colormap.h"

#include "padlab/core/window.h"

#include <QPainter>
#include <QRectF>

#include <algorithm>
#include <cmath>

namespace padlab::ui {

QColor Look::background() const
{
    return dark ? QColor(30, 32, 36) : QColor(250, 250, 250);
}

QColor Look::text() const
{
    return dark ? QColor(235, 235, 235) : QColor(20, 20, 20);
}

QColor Look::mutedText() const
{
    return dark ? QColor(170, 170, 175) : QColor(90, 90, 90);
}

QColor Look::grid() const
{
    return dark ? QColor(120, 120, 128, 150) : QColor(128, 128, 128, 150);
}

QColor Look::edge() const
{
    return dark ? QColor(250, 250, 250) : QColor(10, 10, 10);
}

QColor Look::edgeHalo() const
{
    return dark ? QColor(0, 0, 0) : QColor(255, 255, 255);
}

QColor Look::tapBackground() const
{
    return dark ? QColor(48, 50, 56) : QColor(255, 255, 255);
}

QColor Look::unread() const
{
    return QColor(0, 0, 0);
}

QColor Look::plotGrid() const
{
    return dark ? QColor(255, 255, 255, 26) : QColor(0, 0, 0, 20);
}

QColor Look::axis() const
{
    return dark ? QColor(130, 130, 136) : QColor(150, 150, 150);
}

QColor Look::future() const
{
    return dark ? QColor(0, 0, 0, 90) : QColor(0, 0, 0, 22);
}

QColor Look::thumbnailFrame() const
{
    return dark ? QColor(150, 150, 158) : QColor(110, 110, 110);
}

QColor Look::ghost() const
{
    return dark ? QColor(125, 125, 132) : QColor(150, 150, 150);
}

double Look::paddingAlpha() const
{
    return kPaddingAlpha * std::clamp(paddingStrength, 0.0, 1.0);
}

QColor Look::paddingTint() const
{
    return dark ? QColor(255, 150, 40) : QColor(255, 140, 0);
}

QColor Look::paddingInk() const
{
    // The tint itself is too light to read on white.
    return dark ? paddingTint() : paddingTint().darker(140);
}

QColor Look::windowColor() const
{
    return dark ? QColor(70, 160, 255) : QColor(0, 90, 255);
}

QColor Look::currentCellColor() const
{
    return dark ? QColor(60, 230, 110) : QColor(0, 170, 60);
}

QColor Look::penColor() const
{
    return dark ? QColor(255, 80, 200) : QColor(220, 0, 140);
}

QColor Look::sampleColor() const
{
    return dark ? QColor(225, 225, 232) : QColor(40, 40, 48);
}

QColor Look::referenceColor() const
{
    return dark ? QColor(190, 140, 255) : QColor(112, 48, 160);
}

QColor Look::noCounterpartColor() const
{
    return dark ? QColor(110, 110, 116) : QColor(190, 190, 190);
}

QColor Look::neutralColor()
{
    return QColor(divergingColor(0));
}

QFont pixelFont(double px, bool bold)
{
    QFont font;
    font.setPixelSize(std::max(1, int(std::lround(px))));
    font.setBold(bold);
    return font;
}

QString cellNumber(double value)
{
    QString text = QString::fromStdString(core::formatNumber(value));
    if (text.size() > 6)
        text = QString::number(value, 'g', 4);
    return text.replace(QLatin1Char('-'), QChar(0x2212));
}

void frame(QPainter &p, const QRectF &r, double width, const QColor &color)
{
    const double w = std::min({width, r.width() / 2, r.height() / 2});
    p.fillRect(QRectF(r.left(), r.top(), r.width(), w), color);
    p.fillRect(QRectF(r.left(), r.bottom() - w, r.width(), w), color);
    p.fillRect(QRectF(r.left(), r.top() + w, w, r.height() - 2 * w), color);
    p.fillRect(QRectF(r.right() - w, r.top() + w, w, r.height() - 2 * w), color);
}

} // namespace padlab::ui

#include "drawing.h"

#include "padlab/core/window.h"

#include <algorithm>
#include <cmath>

namespace padlab::ui {

PageColors pageColors(bool dark)
{
    if (dark)
        return {QColor(30, 32, 36), QColor(235, 235, 235), QColor(170, 170, 175), QColor(120, 120, 128, 150)};
    return {QColor(250, 250, 250), QColor(20, 20, 20), QColor(90, 90, 90), QColor(128, 128, 128, 150)};
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

} // namespace padlab::ui

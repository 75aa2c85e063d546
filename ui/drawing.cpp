#include "drawing.h"

#include "padlab/core/window.h"

#include <algorithm>
#include <cmath>

namespace padlab::ui {

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

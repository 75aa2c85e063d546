#pragma once

#include <QString>

namespace padlab::ui {

/// @brief A size as every title, status message and description writes it: rows first, then
/// columns, "480 × 640" for an image 480 pixels high and 640 wide (H × W, as NumPy's shape and
/// OpenCV's rows and cols).
inline QString sizeText(int rows, int cols)
{
    return QStringLiteral("%1 × %2").arg(rows).arg(cols);
}

} // namespace padlab::ui

#pragma once

#include <QColor>
#include <QFont>
#include <QString>

namespace padlab::ui {

// Helpers every painter shares, so that panels, plots and exports write text alike.

/// The page every panel and view is drawn on, so that all of them match on screen and in exports.
struct PageColors {
    QColor background;
    QColor text;
    QColor mutedText;
    QColor grid; ///< cell grid lines
};
PageColors pageColors(bool dark);

/// The application's font at @p px pixels (at least 1): painters size text in pixels so that
/// it scales with the panel, not with the screen's dots per inch.
QFont pixelFont(double px, bool bold = false);

/// A number short enough for a cell: exact when it is short, else 4 significant digits, with
/// a true minus sign.
QString cellNumber(double value);

} // namespace padlab::ui

#pragma once

#include "panelpainter.h"
#include "snapshot.h"

#include <QPoint>
#include <QString>

namespace padlab::ui {

/// What the status bar says about grid cell @p cell (x = col, y = row) of @p panel: its value,
/// where a padded cell's value comes from, which padded cells an output cell's window reads
/// (the engine's Window), a tap's multiply. Everything comes from @p snapshot, the result on
/// screen, never from newer settings still being computed; @p step is the window's position.
/// Empty outside the grid.
QString hoverText(const Snapshot &snapshot, Panel panel, QPoint cell, int step);

} // namespace padlab::ui

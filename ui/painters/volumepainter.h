#pragma once

#include "look.h"
#include "volume.h"

#include <QRect>
#include <QRectF>
#include <QSize>

#include <optional>
#include <vector>

class QPainter;

namespace padlab::ui {

/// Everything about how the Volume view is drawn that is not in the volume set.
struct VolumeOptions {
    Look look;
    int step = 0; ///< the session's window position, wrapped over the output's D x H x W cells
    std::optional<std::vector<int>> hoveredOutput; ///< output cell {d, h, w} under the mouse
};

/**
 * Draws a VolumeSet onto any QPainter, for the Volume tab and every export: the padded input as
 * its depth slices side by side (a row per channel, rows of slices when many), padding slices
 * and the padded rows and columns of every slice tinted as padding is elsewhere; the current
 * output cell's window lit in each slice it reads (and only those) with that slice's partial
 * sum under it; the total; the output volume's slices with the current cell marked; and the
 * output-size formula of every axis with its numbers. The slices wrap into as many rows as make
 * them largest in the target (input rows, then output rows), then the whole is scaled to fit.
 */
class VolumePainter {
public:
    static void paint(QPainter &painter, const QRect &target, const VolumeSet &set, const VolumeOptions &options);
    /// The size at which every number is drawn at the look's text size, at most seven slices
    /// side by side (what exports use).
    static QSize naturalSize(const VolumeSet &set, const Look &look);
    /// The narrowest size that still draws every number at the look's text size: one slice a
    /// row, or the longest line of text.
    static QSize minimumSize(const VolumeSet &set, const Look &look);
    /// The height the slices need, wrapped into rows @p width wide, at the look's text size.
    /// Any target at least this high shows every number at least at the look's text size.
    static int heightForWidth(const VolumeSet &set, const Look &look, int width);

    /// The output cell the view shows: the hovered one, or the session's step's.
    static std::vector<int> currentCell(const VolumeSet &set, const VolumeOptions &options);
    /// Where padded cell (@p z, @p y, @p x) of channel @p channel is drawn.
    static QRectF paddedCellRect(const QRect &target, const VolumeSet &set, const VolumeOptions &options,
                                 int channel, int z, int y, int x);
    /// Where output cell {d, h, w} is drawn.
    static QRectF outputCellRect(const QRect &target, const VolumeSet &set, const VolumeOptions &options,
                                 const std::vector<int> &cell);
    /// The output cell under @p position, or nullopt.
    static std::optional<std::vector<int>> outputCellAt(const QRect &target, const VolumeSet &set,
                                                        const VolumeOptions &options, QPointF position);
};

} // namespace padlab::ui

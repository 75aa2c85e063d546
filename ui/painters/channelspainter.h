#pragma once

#include "look.h"
#include "snapshot.h"

#include <QPoint>
#include <QRect>
#include <QRectF>
#include <QStringList>

#include <optional>

class QPainter;

namespace padlab::ui {

/// Everything about how the Channels view is drawn that is not in the snapshot.
struct ChannelsOptions {
    Look look;
    int step = 0;                         ///< the session's window position (clamped to the bank's output)
    std::optional<QPoint> hoveredOutput;  ///< output cell (x = col, y = row) under the mouse
    bool computing = false;               ///< a newer channel set is being computed
};

/**
 * Draws the snapshot's ChannelSet onto any QPainter, for the Channels tab and every export: on
 * top, each input channel padded (an image's R, G and B planes tinted in their colour, padded
 * cells tinted as in the padded panel) with the current window outlined in every channel and
 * the hovered cell's receptive field lit; beside them the filter bank, one row per filter and
 * one column per input channel, a kernel only where the filter reads that channel (so groups
 * and depthwise show which channels feed which filter), the bias at the row's end; below, each
 * filter's multiply-add per channel (`R: 12 + G: −3.5 + B: 4 + bias 0.5 = 13`) and the F
 * output feature maps with the current cell marked. It computes nothing: the windows come from
 * the part (ChannelSet::windowsAt()), as the window panel's come from the snapshot.
 */
class ChannelsPainter {
public:
    static void paint(QPainter &painter, const QRect &target, const Snapshot &snapshot,
                      const ChannelsOptions &options);

    /// The output cell (x = col, y = row) the view shows for @p options.step.
    static QPoint currentCell(const Snapshot &snapshot, const ChannelsOptions &options);
    /// The height at which a target @p width wide draws the channels' and the outputs' cells
    /// large enough for readable numbers (or as large as the width allows); 0 for grids too
    /// large to be read number by number.
    static int heightForWidth(const Snapshot &snapshot, const Look &look, int width);

    /// Where padded cell @p cell (x = col, y = row) of input channel @p channel is drawn; empty
    /// when there is no such channel or nothing to draw.
    static QRectF channelCellRect(const QRect &target, const Snapshot &snapshot, const ChannelsOptions &options,
                                  int channel, QPoint cell);
    /// Where output cell @p cell of filter @p filter's map is drawn.
    static QRectF outputCellRect(const QRect &target, const Snapshot &snapshot, const ChannelsOptions &options,
                                 int filter, QPoint cell);
    /// Where filter @p filter's kernel for input channel @p channel is drawn; empty when the filter
    /// does not read that channel.
    static QRectF kernelRect(const QRect &target, const Snapshot &snapshot, const ChannelsOptions &options,
                             int filter, int channel);
    /// The output cell under @p position (in any filter's map), or nullopt.
    static std::optional<QPoint> outputCellAt(const QRect &target, const Snapshot &snapshot,
                                              const ChannelsOptions &options, QPointF position);

    /// One line per filter: `f0: R: 12 + G: −3.5 + B: 4 + bias 0.5 = 13` at @p cell.
    static QStringList sumLines(const ChannelSet &set, QPoint cell);
};

} // namespace padlab::ui

#pragma once

#include "look.h"
#include "snapshot.h"

#include "padlab/core/geometry.h"

#include <QColor>
#include <QPointF>
#include <QRect>
#include <QRectF>
#include <QString>
#include <optional>

class QPainter;

namespace padlab::ui {

/// The plots of the signal view, top to bottom. Input, Padded and Output share one time axis;
/// the three rows of the strip below (Valid, Same, Causal) use the same axis and place every
/// output sample at the time of its window's last tap.
enum class SignalPlot { Input, Padded, Output, Valid, Same, Causal };

/// Everything about how the signal view is drawn that is not in the snapshot.
struct SignalOptions {
    Look look;
    int step = 0;               ///< the output sample whose window is drawn (clamped)
    bool fadeUncomputed = true; ///< Output: samples after the current step drawn faded
    bool showTitle = true;      ///< the title and the sentence about the current window on top
};

/**
 * An input of several rows (SignalSet::kMaxChannels at most) is drawn as the channels of one
 * signal instead: each channel's padded row (padding tinted), the window at the current step on
 * every channel its filter reads with the kernel's weights and each channel's part of the sum,
 * and the Conv1D's output rows (one filter summing the channels, or one per channel) with the
 * current cell ringed. No strip then.
 *
 * Draws a one-row input as stacked plots onto any QPainter: the input x[t], the padded input
 * (padding samples hollow and tinted, on a tinted band), the output y[t] (y[t] below x[t], so
 * that the window's reach before and after t shows), and a strip with the valid, same and
 * causal outputs of the same kernel placed at the time of their window's last tap.
 *
 * The current window's taps are ringed on the padded plot with their weights and joined to the
 * output sample they make; a marker at t runs through every plot and the samples after t are
 * shaded on the padded plot. Stems or a line, as the snapshot's view settings say. Values are
 * written on the samples when they fit.
 *
 * It draws the snapshot's signal part (its rows and the strip's three outputs are computed by
 * the session); a snapshot without it draws a line saying it is being computed.
 */
class SignalPainter {
public:
    /// Whether the snapshot holds something this view can draw: a one-row input, a one-row kernel
    /// and no padding above or below.
    static bool canShow(const Snapshot &snapshot);

    /// What the view needs, in a sentence, or an empty string when canShow().
    static QString unsupportedReason(const Snapshot &snapshot);

    /// Paints the plots into @p target, or the reason they cannot be drawn.
    static void paint(QPainter &painter, const QRect &target, const Snapshot &snapshot,
                      const SignalOptions &options);

    /// The rectangle of @p plot inside @p target (its values are drawn inside it; the row's name
    /// is on its left). Empty when the session cannot be shown.
    static QRectF plotRect(const QRect &target, const Snapshot &snapshot, const SignalOptions &options,
                           SignalPlot plot);

    /// The x of input time @p time (fractions allowed) on the shared axis.
    static double timeX(const QRect &target, const Snapshot &snapshot, const SignalOptions &options,
                        double time);

    /// How many samples @p plot has: the input, padded or output length, or the length of the
    /// valid, same or causal output (0 when it is empty).
    static int sampleCount(const Snapshot &snapshot, SignalPlot plot);

    /// The input time at which sample @p index of @p plot is drawn: the index for Input, the
    /// index minus the padding before for Padded, index * stride for Output, and the time of
    /// the window's last tap for Valid, Same and Causal.
    static int sampleTime(const Snapshot &snapshot, SignalPlot plot, int index);

    /// The centre of sample @p index's marker in @p plot (at its value's height).
    static QPointF samplePoint(const QRect &target, const Snapshot &snapshot, const SignalOptions &options,
                               SignalPlot plot, int index);

    /// The output sample under @p position (on the Output plot, within half a sample's spacing),
    /// or nullopt.
    static std::optional<int> outputSampleAt(const QRect &target, const Snapshot &snapshot,
                                             const SignalOptions &options, QPointF position);

    /// The sentence about the window of output sample @p step: which inputs it reads and how
    /// far after t it reaches, e.g. "y[7] reads x[3], x[5], x[7]: nothing after t = 7". For several
    /// channels, the window of session step @p step with each channel's part of its sum, e.g.
    /// "y[7] = c0: 3 + c1: −1.5 + bias 0.5 = 2".
    static QString windowSentence(const Snapshot &snapshot, int step);

    // Several rows read as channels (a one-row input is 1 channel and 1 filter; none when the
    // view cannot show the snapshot).
    static int channelCount(const Snapshot &snapshot);
    static int filterCount(const Snapshot &snapshot);
    /// The row of channel @p channel's padded signal, and of filter @p filter's output; empty for a
    /// one-row input.
    static QRectF channelRect(const QRect &target, const Snapshot &snapshot, const SignalOptions &options,
                              int channel);
    static QRectF filterRect(const QRect &target, const Snapshot &snapshot, const SignalOptions &options,
                             int filter);
    /// The centre of padded sample @p index of @p channel (several channels only).
    static QPointF channelPoint(const QRect &target, const Snapshot &snapshot, const SignalOptions &options,
                                int channel, int index);
    /// The centre of output sample @p index of @p filter (filter 0 of a one-row input: its Output plot).
    static QPointF outputPoint(const QRect &target, const Snapshot &snapshot, const SignalOptions &options,
                               int filter, int index);
    /// The output cell the window of session step @p step makes: x = sample, y = filter (the
    /// session's output row clamped to the filters: one filter summing the channels has one row).
    static QPoint currentCell(const Snapshot &snapshot, int step);
    /// The output cell under @p position (x = sample, y = filter), or nullopt.
    static std::optional<QPoint> outputCellAt(const QRect &target, const Snapshot &snapshot,
                                              const SignalOptions &options, QPointF position);

    /// The amount a strip row shows (Valid, Same or Causal); Valid for the other plots.
    static core::Amount stripAmount(SignalPlot plot);
};

} // namespace padlab::ui

#pragma once

#include "signalpainter.h"

#include "padlab/core/waveforms.h"

#include <QString>
#include <QWidget>

class QButtonGroup;
class QDoubleSpinBox;

namespace padlab::ui {

class Session;

/**
 * The 1-D signals mode: a row of buttons that choose a built-in signal (step, impulse, ramp,
 * noisy sine) and the plot style (stem or line), and below them the plots SignalPainter draws
 * for the session's one-row input. Clicking an output sample moves the window there.
 *
 * An input of 2 to 8 rows is the channels of one signal: the bar then also chooses the Conv1D's
 * filters (one summing every channel, or one per channel) and its bias, and a click on an output
 * sample of any filter's row moves the window there. When the kernel has more than one row (or
 * the input more than 8), the plots are replaced by a sentence that says what the view needs.
 *
 * While visible it asks the session for the signal part; it paints the newest snapshot that has
 * it, so the plots always match the settings they were computed from.
 */
class SignalView : public QWidget {
    Q_OBJECT

public:
    explicit SignalView(Session *session, QWidget *parent = nullptr);

    /// The options the plots are painted with: the session's look and step.
    SignalOptions options() const;
    /// The snapshot the plots are painted from.
    SnapshotPtr shown() const { return m_shown; }

    /// The widget the plots are painted on, below the buttons; SignalPainter's geometry helpers
    /// apply to its rect().
    QWidget *canvas() const;

    /// What the view says instead of drawing the plots, or an empty string when it draws them.
    QString message() const;

    /// Makes @p waveform the session's input (core::kDefaultWaveformLength samples); a kernel of
    /// more than one row becomes a 1 × 3 box of ones, so that the plots can be drawn.
    void chooseSignal(core::Waveform waveform);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void sessionChanged();
    void snapshotChanged();
    void lookChanged();
    void refresh();

    Session *m_session;
    SnapshotPtr m_shown;
    bool m_needs = false;
    QWidget *m_canvas;
    QButtonGroup *m_signals;
    QButtonGroup *m_styles;
    QButtonGroup *m_filters;
    QWidget *m_filtersBox = nullptr; ///< the filters and bias, shown for an input of several rows
    QDoubleSpinBox *m_bias = nullptr;
    bool m_refreshing = false;
    bool m_stale = true;
};

} // namespace padlab::ui

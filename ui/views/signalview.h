#pragma once

#include "signalpainter.h"

#include "padlab/core/waveforms.h"

#include <QString>
#include <QWidget>

class QButtonGroup;

namespace padlab::ui {

class Session;

/**
 * The 1-D signals mode: a row of buttons that choose a built-in signal (step, impulse, ramp,
 * noisy sine) and the plot style (stem or line), and below them the plots SignalPainter draws
 * for the session's one-row input. Clicking an output sample moves the window there.
 *
 * When the input or the kernel has more than one row, the plots are replaced by a sentence that
 * says what the view needs.
 */
class SignalView : public QWidget {
    Q_OBJECT

public:
    explicit SignalView(Session *session, QWidget *parent = nullptr);

    void setFontScale(double scale);
    void setDark(bool dark);
    const SignalOptions &options() const { return m_options; }

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

private:
    void sessionChanged();
    void refresh();

    Session *m_session;
    SignalOptions m_options;
    QWidget *m_canvas;
    QButtonGroup *m_signals;
    QButtonGroup *m_styles;
    bool m_stale = true;
};

} // namespace padlab::ui

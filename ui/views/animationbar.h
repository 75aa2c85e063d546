#pragma once

#include <QElapsedTimer>
#include <QIcon>
#include <QTimer>
#include <QWidget>

class QAction;
class QComboBox;
class QLabel;
class QSlider;

namespace padlab::ui {

class Session;

/**
 * Plays the sliding window: play/pause (Space), step back and forth (Left/Right), a row up and
 * down (Up/Down), first and last (Home/End), a speed in steps per second and a scrubber over every output position.
 * A timer moves Session::setStep; at high speeds it skips steps rather than ticking faster
 * than the screen refreshes. Its actions (QWidget::actions()) carry the shortcuts, for the menu.
 */
class AnimationBar : public QWidget {
    Q_OBJECT

public:
    explicit AnimationBar(Session *session, QWidget *parent = nullptr);

    bool isPlaying() const;
    void setPlaying(bool playing);

    /// Steps per second.
    double speed() const;

    enum class MediaIcon { First, Back, Play, Pause, Forward, Last, Up, Down };
    /// The button's icon in @p color.
    static QIcon mediaIcon(MediaIcon kind, const QColor &color);

protected:
    void changeEvent(QEvent *event) override;

Q_SIGNALS:
    void playingChanged(bool playing);

private:
    void tick();
    void moveBy(int steps);
    void syncFromSession();
    void applySpeed();
    void updateIcons();

    Session *m_session;
    QTimer m_timer;
    QElapsedTimer m_clock;
    double m_carry = 0; ///< fractional steps not yet taken
    QAction *m_play;
    QAction *m_back;
    QAction *m_forward;
    QAction *m_first;
    QAction *m_last;
    QAction *m_rowUp;
    QAction *m_rowDown;
    QComboBox *m_speed;
    QSlider *m_scrubber;
    QLabel *m_label;
};

} // namespace padlab::ui

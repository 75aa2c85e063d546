#include "animationbar.h"

#include "session.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <QStyle>
#include <QToolButton>
#include <cmath>

namespace padlab::ui {

namespace {
// About one screen refresh: faster speeds take several steps per tick.
constexpr int kMinTickMs = 16;
constexpr double kSpeeds[] = {0.5, 1, 2, 4, 8, 15, 30, 60, 120, 480};
constexpr int kDefaultSpeedIndex = 2;
} // namespace

AnimationBar::AnimationBar(Session *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
{
    auto makeAction = [this](const QString &text, QStyle::StandardPixmap icon,
                             const QKeySequence &key, const char *name) {
        auto *action = new QAction(style()->standardIcon(icon), text, this);
        action->setShortcut(key);
        action->setObjectName(QString::fromLatin1(name));
        action->setToolTip(
            QStringLiteral("%1 (%2)").arg(text, key.toString(QKeySequence::NativeText)));
        addAction(action);
        return action;
    };
    m_first = makeAction(tr("First step"), QStyle::SP_MediaSkipBackward, Qt::Key_Home, "firstStep");
    m_back = makeAction(tr("Step back"), QStyle::SP_MediaSeekBackward, Qt::Key_Left, "stepBack");
    m_play = makeAction(tr("Play"), QStyle::SP_MediaPlay, Qt::Key_Space, "play");
    m_play->setCheckable(true);
    m_forward
        = makeAction(tr("Step forward"), QStyle::SP_MediaSeekForward, Qt::Key_Right, "stepForward");
    m_last = makeAction(tr("Last step"), QStyle::SP_MediaSkipForward, Qt::Key_End, "lastStep");
    // The window's shortcuts must work wherever the focus is, except in text fields, which
    // claim these keys for themselves first.
    for (QAction *action : {m_first, m_back, m_play, m_forward, m_last})
        action->setShortcutContext(Qt::WindowShortcut);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    for (QAction *action : {m_first, m_back, m_play, m_forward, m_last}) {
        auto *button = new QToolButton(this);
        button->setDefaultAction(action);
        button->setAutoRaise(true);
        button->setIconSize(QSize(24, 24));
        layout->addWidget(button);
    }

    m_speed = new QComboBox(this);
    m_speed->setObjectName(QStringLiteral("speed"));
    for (double speed : kSpeeds)
        m_speed->addItem(tr("%1 steps/s").arg(speed), speed);
    m_speed->setCurrentIndex(kDefaultSpeedIndex);
    m_speed->setToolTip(tr("Animation speed"));
    m_speed->setFocusPolicy(Qt::ClickFocus);
    layout->addWidget(m_speed);

    m_scrubber = new QSlider(Qt::Horizontal, this);
    m_scrubber->setObjectName(QStringLiteral("scrubber"));
    m_scrubber->setToolTip(tr("Every output position, row by row"));
    m_scrubber->setFocusPolicy(Qt::ClickFocus);
    layout->addWidget(m_scrubber, 1);

    m_label = new QLabel(this);
    m_label->setObjectName(QStringLiteral("stepLabel"));
    m_label->setMinimumWidth(m_label->fontMetrics().horizontalAdvance(
        QStringLiteral("Step 00000 / 00000   output (000, 000)")));
    layout->addWidget(m_label);

    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &AnimationBar::tick);
    connect(m_play, &QAction::toggled, this, &AnimationBar::setPlaying);
    connect(m_back, &QAction::triggered, this, [this] { moveBy(-1); });
    connect(m_forward, &QAction::triggered, this, [this] { moveBy(1); });
    connect(m_first, &QAction::triggered, this, [this] { m_session->setStep(0); });
    connect(m_last, &QAction::triggered, this,
            [this] { m_session->setStep(m_session->stepCount() - 1); });
    connect(m_speed, &QComboBox::currentIndexChanged, this, &AnimationBar::applySpeed);
    connect(m_scrubber, &QSlider::valueChanged, this,
            [this](int step) { m_session->setStep(step); });
    connect(m_session, &Session::changed, this, &AnimationBar::syncFromSession);
    connect(m_session, &Session::stepChanged, this, &AnimationBar::syncFromSession);
    syncFromSession();
}

bool AnimationBar::isPlaying() const
{
    return m_timer.isActive();
}

void AnimationBar::setPlaying(bool playing)
{
    if (playing == isPlaying())
        return;
    if (playing) {
        if (m_session->stepCount() <= 1) {
            const QSignalBlocker blocker(m_play);
            m_play->setChecked(false);
            return;
        }
        // Playing from the last step starts over.
        if (m_session->step() >= m_session->stepCount() - 1)
            m_session->setStep(0);
        m_carry = 0;
        m_clock.start();
        applySpeed();
        m_timer.start();
    } else {
        m_timer.stop();
    }
    {
        const QSignalBlocker blocker(m_play);
        m_play->setChecked(playing);
    }
    m_play->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    m_play->setText(playing ? tr("Pause") : tr("Play"));
    Q_EMIT playingChanged(playing);
}

double AnimationBar::speed() const
{
    return m_speed->currentData().toDouble();
}

void AnimationBar::applySpeed()
{
    m_timer.setInterval(std::max(kMinTickMs, int(1000.0 / speed())));
}

void AnimationBar::tick()
{
    // Steps follow the clock, not the tick count, so a late tick does not slow the animation.
    m_carry += m_clock.restart() / 1000.0 * speed();
    const int steps = int(std::floor(m_carry));
    if (steps <= 0)
        return;
    m_carry -= steps;
    const int last = m_session->stepCount() - 1;
    const int next = std::min(m_session->step() + steps, last);
    m_session->setStep(next);
    if (next >= last)
        setPlaying(false);
}

void AnimationBar::moveBy(int steps)
{
    const int count = m_session->stepCount();
    if (count > 0)
        m_session->setStep(std::clamp(m_session->step() + steps, 0, count - 1));
}

void AnimationBar::syncFromSession()
{
    const int count = m_session->stepCount();
    {
        const QSignalBlocker blocker(m_scrubber);
        m_scrubber->setRange(0, std::max(0, count - 1));
        m_scrubber->setPageStep(std::max(1, m_session->geometry().cols.output));
        m_scrubber->setValue(m_session->step());
    }
    m_scrubber->setEnabled(count > 1);
    const QPoint cell = m_session->stepCell();
    m_label->setText(count > 0 ? tr("Step %1 / %2   output (%3, %4)")
                                     .arg(m_session->step() + 1)
                                     .arg(count)
                                     .arg(cell.y())
                                     .arg(cell.x())
                               : tr("No output"));
    if (count <= 1 && isPlaying())
        setPlaying(false);
}

} // namespace padlab::ui

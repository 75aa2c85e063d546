#include "animationbar.h"

#include "session.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QEvent>
#include <QLabel>
#include <QPainter>
#include <QPixmap>
#include <QPolygonF>
#include <QSignalBlocker>
#include <QStringList>
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
    m_rowUp = makeAction(tr("Row up"), QStyle::SP_ArrowUp, Qt::Key_Up, "rowUp");
    m_rowDown = makeAction(tr("Row down"), QStyle::SP_ArrowDown, Qt::Key_Down, "rowDown");
    // The window's shortcuts must work wherever the focus is, except in text fields, which
    // claim these keys for themselves first.
    for (QAction *action : {m_first, m_back, m_play, m_forward, m_last, m_rowUp, m_rowDown})
        action->setShortcutContext(Qt::WindowShortcut);
    updateIcons();

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
    // A row of the output: the window moves straight down or up, staying in its column.
    connect(m_rowUp, &QAction::triggered, this,
            [this] { moveBy(-std::max(1, m_session->stepColumns())); });
    connect(m_rowDown, &QAction::triggered, this,
            [this] { moveBy(std::max(1, m_session->stepColumns())); });
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
    updateIcons();
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
    const int next = m_session->step() + steps;
    // A row move past the first or last row stays put rather than jumping sideways.
    if (count > 0 && (std::abs(steps) == 1 || (next >= 0 && next < count)))
        m_session->setStep(std::clamp(next, 0, count - 1));
}

void AnimationBar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        updateIcons();
    QWidget::changeEvent(event);
}

QIcon AnimationBar::mediaIcon(MediaIcon kind, const QColor &color)
{
    // Drawn in the text colour of the palette, so they read on a light and on a dark theme.
    constexpr int kSize = 48;
    QPixmap pixmap(kSize, kSize);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    const auto triangle = [&p](double left, double right, double top, double bottom) {
        const double middle = (top + bottom) / 2;
        p.drawPolygon(QPolygonF({QPointF(left, top), QPointF(right, middle), QPointF(left, bottom)}));
    };
    const auto bar = [&p](double left, double width, double top, double bottom) {
        p.drawRect(QRectF(left, top, width, bottom - top));
    };
    switch (kind) {
    case MediaIcon::Play: triangle(14, 38, 8, 40); break;
    case MediaIcon::Pause:
        bar(12, 9, 9, 39);
        bar(27, 9, 9, 39);
        break;
    case MediaIcon::Forward:
        triangle(6, 24, 12, 36);
        triangle(24, 42, 12, 36);
        break;
    case MediaIcon::Back:
        triangle(42, 24, 12, 36);
        triangle(24, 6, 12, 36);
        break;
    case MediaIcon::Last:
        triangle(10, 32, 10, 38);
        bar(33, 6, 10, 38);
        break;
    case MediaIcon::First:
        triangle(38, 16, 10, 38);
        bar(9, 6, 10, 38);
        break;
    case MediaIcon::Up: p.drawPolygon(QPolygonF({QPointF(8, 34), QPointF(24, 12), QPointF(40, 34)})); break;
    case MediaIcon::Down: p.drawPolygon(QPolygonF({QPointF(8, 14), QPointF(24, 36), QPointF(40, 14)})); break;
    }
    return QIcon(pixmap);
}

void AnimationBar::updateIcons()
{
    const QColor color = palette().color(QPalette::ButtonText);
    m_first->setIcon(mediaIcon(MediaIcon::First, color));
    m_back->setIcon(mediaIcon(MediaIcon::Back, color));
    m_play->setIcon(mediaIcon(isPlaying() ? MediaIcon::Pause : MediaIcon::Play, color));
    m_forward->setIcon(mediaIcon(MediaIcon::Forward, color));
    m_last->setIcon(mediaIcon(MediaIcon::Last, color));
    m_rowUp->setIcon(mediaIcon(MediaIcon::Up, color));
    m_rowDown->setIcon(mediaIcon(MediaIcon::Down, color));
}

void AnimationBar::syncFromSession()
{
    const int count = m_session->stepCount();
    {
        const QSignalBlocker blocker(m_scrubber);
        m_scrubber->setRange(0, std::max(0, count - 1));
        m_scrubber->setPageStep(std::max(1, m_session->stepColumns()));
        m_scrubber->setValue(m_session->step());
    }
    m_scrubber->setEnabled(count > 1);
    QStringList index;
    for (int i : m_session->stepIndex())
        index << QString::number(i);
    m_label->setText(count > 0 ? tr("Step %1 / %2   output (%3)")
                                     .arg(m_session->step() + 1)
                                     .arg(count)
                                     .arg(index.join(QStringLiteral(", ")))
                               : tr("No output"));
    if (count <= 1 && isPlaying())
        setPlaying(false);
}

} // namespace padlab::ui

#include "signalview.h"

#include "session.h"

#include <QAbstractButton>
#include <QButtonGroup>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QToolButton>
#include <QVBoxLayout>

#include <opencv2/core.hpp>

namespace padlab::ui {

namespace {

/// The plots, painted by SignalPainter; a click on an output sample moves the window there.
class Canvas : public QWidget {
public:
    Canvas(Session *session, const SignalView *view, QWidget *parent)
        : QWidget(parent)
        , m_session(session)
        , m_view(view)
    {
        setAttribute(Qt::WA_OpaquePaintEvent);
        setMouseTracking(true);
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    }

    QSize sizeHint() const override { return {900, 560}; }
    QSize minimumSizeHint() const override { return {320, 260}; }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter painter(this);
        SignalPainter::paint(painter, rect(), *m_view->shown(), m_view->options());
    }

    void mousePressEvent(QMouseEvent *event) override
    {
        if (event->button() != Qt::LeftButton)
            return QWidget::mousePressEvent(event);
        if (const std::optional<int> sample = sampleAt(event->position()))
            m_session->setStepCell(0, *sample);
    }

    void mouseMoveEvent(QMouseEvent *event) override
    {
        if (sampleAt(event->position()))
            setCursor(Qt::PointingHandCursor);
        else
            unsetCursor();
    }

private:
    std::optional<int> sampleAt(QPointF position) const
    {
        return SignalPainter::outputSampleAt(rect(), *m_view->shown(), m_view->options(), position);
    }

    Session *m_session;
    const SignalView *m_view;
};

QString buttonText(core::Waveform waveform)
{
    switch (waveform) {
    case core::Waveform::Step: return SignalView::tr("Step");
    case core::Waveform::Impulse: return SignalView::tr("Impulse");
    case core::Waveform::Ramp: return SignalView::tr("Ramp");
    case core::Waveform::NoisySine: return SignalView::tr("Noisy sine");
    }
    return {};
}

} // namespace

SignalView::SignalView(Session *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_shown(session->snapshot())
    , m_canvas(new Canvas(session, this, this))
    , m_signals(new QButtonGroup(this))
    , m_styles(new QButtonGroup(this))
{
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(6, 4, 6, 0);
    bar->addWidget(new QLabel(tr("Signal:"), this));
    // Not exclusive: no button is down while the input is not a built-in signal.
    m_signals->setExclusive(false);
    for (core::Waveform waveform : core::allWaveforms()) {
        auto *button = new QToolButton(this);
        button->setText(buttonText(waveform));
        button->setCheckable(true);
        button->setToolTip(tr("A %1-sample %2 as the input")
                               .arg(core::kDefaultWaveformLength)
                               .arg(QString::fromLatin1(core::waveformName(waveform).data())));
        m_signals->addButton(button, int(waveform));
        bar->addWidget(button);
    }
    bar->addSpacing(24);
    bar->addWidget(new QLabel(tr("Plot:"), this));
    const std::pair<Session::PlotStyle, QString> styles[] = {{Session::PlotStyle::Stem, tr("Stem")},
                                                             {Session::PlotStyle::Line, tr("Line")}};
    for (const auto &[style, text] : styles) {
        auto *button = new QToolButton(this);
        button->setText(text);
        button->setCheckable(true);
        m_styles->addButton(button, int(style));
        bar->addWidget(button);
    }
    bar->addStretch(1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addLayout(bar);
    layout->addWidget(m_canvas, 1);

    connect(m_signals, &QButtonGroup::idClicked, this,
            [this](int id) { chooseSignal(static_cast<core::Waveform>(id)); });
    connect(m_styles, &QButtonGroup::idClicked, this,
            [this](int id) { m_session->setPlotStyle(static_cast<Session::PlotStyle>(id)); });
    connect(m_session, &Session::changed, this, &SignalView::sessionChanged);
    connect(m_session, &Session::stepChanged, this, [this] { m_canvas->update(); });
    connect(m_session, &Session::viewSettingsChanged, this, &SignalView::sessionChanged);
    connect(m_session, &Session::snapshotChanged, this, &SignalView::snapshotChanged);
    connect(m_session, &Session::lookChanged, this, &SignalView::lookChanged);
    lookChanged();
    refresh();
}

SignalOptions SignalView::options() const
{
    SignalOptions o;
    o.look = m_session->look();
    o.step = m_session->step();
    return o;
}

void SignalView::lookChanged()
{
    QFont buttons = font();
    buttons.setPixelSize(std::max(1, int(std::lround(13 * m_session->look().fontScale))));
    for (QObject *child : children())
        if (auto *widget = qobject_cast<QWidget *>(child); widget && widget != m_canvas)
            widget->setFont(buttons);
    m_canvas->update();
}

void SignalView::snapshotChanged()
{
    // The newest snapshot with the signal part; until it has one the plots stay as they were.
    const SnapshotPtr snapshot = m_session->snapshot();
    if (snapshot->has(Part::Signal) || !m_shown->has(Part::Signal)) {
        m_shown = snapshot;
        m_canvas->update();
    }
}

QWidget *SignalView::canvas() const
{
    return m_canvas;
}

QString SignalView::message() const
{
    return SignalPainter::unsupportedReason(*m_shown);
}

void SignalView::chooseSignal(core::Waveform waveform)
{
    m_session->setSource(core::makeWaveform(waveform),
                         QString::fromLatin1(core::waveformName(waveform).data()));
    if (m_session->kernel().rows > 1)
        m_session->setKernel(cv::Mat::ones(1, 3, CV_64F));
    // The session says nothing when the same signal is chosen again; the buttons still follow it.
    refresh();
}

void SignalView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_needs) {
        m_needs = true;
        m_session->need(Part::Signal);
    }
    snapshotChanged();
    if (m_stale)
        refresh();
}

void SignalView::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    if (m_needs) {
        m_needs = false;
        m_session->release(Part::Signal);
    }
}

void SignalView::sessionChanged()
{
    if (isVisible())
        refresh();
    else
        m_stale = true;
}

void SignalView::refresh()
{
    m_stale = false;
    const QString name = m_session->inputName();
    for (core::Waveform waveform : core::allWaveforms())
        m_signals->button(int(waveform))
            ->setChecked(m_session->inputPath().isEmpty()
                         && name == QString::fromLatin1(core::waveformName(waveform).data()));
    m_styles->button(int(m_session->plotStyle()))->setChecked(true);
    m_canvas->update();
}

} // namespace padlab::ui

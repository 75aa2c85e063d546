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
    Canvas(Session *session, const SignalOptions *options, QWidget *parent)
        : QWidget(parent)
        , m_session(session)
        , m_options(options)
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
        SignalPainter::paint(painter, rect(), *m_session, *m_options);
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
        return SignalPainter::outputSampleAt(rect(), *m_session, *m_options, position);
    }

    Session *m_session;
    const SignalOptions *m_options;
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
    , m_canvas(new Canvas(session, &m_options, this))
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
    connect(m_session, &Session::stepChanged, this, &SignalView::sessionChanged);
    connect(m_session, &Session::viewSettingsChanged, this, &SignalView::sessionChanged);
    refresh();
}

void SignalView::setFontScale(double scale)
{
    if (scale == m_options.fontScale)
        return;
    m_options.fontScale = scale;
    QFont buttons = font();
    buttons.setPixelSize(std::max(1, int(std::lround(13 * scale))));
    for (QObject *child : children())
        if (auto *widget = qobject_cast<QWidget *>(child); widget && widget != m_canvas)
            widget->setFont(buttons);
    m_canvas->update();
}

void SignalView::setDark(bool dark)
{
    if (dark == m_options.dark)
        return;
    m_options.dark = dark;
    m_canvas->update();
}

QWidget *SignalView::canvas() const
{
    return m_canvas;
}

QString SignalView::message() const
{
    return SignalPainter::unsupportedReason(*m_session);
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
    if (m_stale)
        refresh();
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

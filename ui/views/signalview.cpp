#include "signalview.h"

#include "session.h"

#include <QAbstractButton>
#include <QButtonGroup>
#include <QDoubleSpinBox>
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
    QSize minimumSizeHint() const override
    {
        // Several channels: enough height that each row still shows its signal's shape (the
        // view scrolls when the window is smaller).
        const Snapshot &shown = *m_view->shown();
        const int channels = SignalPainter::channelCount(shown);
        const int rows = channels > 1 ? channels + SignalPainter::filterCount(shown) : 0;
        const double f = m_view->options().look.fontScale;
        return {320, std::max(260, int(std::lround((140 + rows * 46) * f)))};
    }

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
        if (const std::optional<QPoint> cell = cellAt(event->position()))
            m_session->setStepCell(cell->y(), cell->x());
    }

    void mouseMoveEvent(QMouseEvent *event) override
    {
        if (cellAt(event->position()))
            setCursor(Qt::PointingHandCursor);
        else
            unsetCursor();
    }

private:
    /// The output cell under @p position: x = sample, y = filter (the session's output row).
    std::optional<QPoint> cellAt(QPointF position) const
    {
        return SignalPainter::outputCellAt(rect(), *m_view->shown(), m_view->options(), position);
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
    , m_filters(new QButtonGroup(this))
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
    // Several rows: the Conv1D's filters and bias (shown only then).
    m_filtersBox = new QWidget(this);
    auto *filtersBar = new QHBoxLayout(m_filtersBox);
    filtersBar->setContentsMargins(24, 0, 0, 0);
    filtersBar->addWidget(new QLabel(tr("Filters:"), m_filtersBox));
    const std::pair<SignalFilters, QString> filters[]
        = {{SignalFilters::Sum, tr("Sum over channels (1 filter)")},
           {SignalFilters::Depthwise, tr("Each channel on its own (depthwise)")}};
    for (const auto &[which, text] : filters) {
        auto *button = new QToolButton(m_filtersBox);
        button->setText(text);
        button->setCheckable(true);
        m_filters->addButton(button, int(which));
        filtersBar->addWidget(button);
    }
    m_filters->button(int(SignalFilters::Sum))
        ->setToolTip(tr("One filter: the kernel on every channel, the products summed over the channels"));
    m_filters->button(int(SignalFilters::Depthwise))
        ->setToolTip(tr("One filter per channel, each reading only its own channel (groups = channels)"));
    filtersBar->addSpacing(12);
    filtersBar->addWidget(new QLabel(tr("Bias:"), m_filtersBox));
    m_bias = new QDoubleSpinBox(m_filtersBox);
    m_bias->setRange(-1e6, 1e6);
    m_bias->setDecimals(3);
    m_bias->setSingleStep(0.5);
    m_bias->setToolTip(tr("Added to every filter's sum"));
    filtersBar->addWidget(m_bias);
    bar->addWidget(m_filtersBox);
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
    connect(m_filters, &QButtonGroup::idClicked, this,
            [this](int id) { m_session->setSignalFilters(static_cast<SignalFilters>(id)); });
    connect(m_bias, &QDoubleSpinBox::valueChanged, this, [this](double value) {
        if (m_refreshing)
            return;
        m_session->setSignalBias(value == 0 ? std::vector<double>{} : std::vector<double>{value});
    });
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
    m_canvas->updateGeometry();
    m_canvas->update();
}

void SignalView::snapshotChanged()
{
    // The newest snapshot with the signal part; until it has one the plots stay as they were.
    const SnapshotPtr snapshot = m_session->snapshot();
    if (snapshot->has(Part::Signal) || !m_shown->has(Part::Signal)) {
        m_shown = snapshot;
        m_canvas->updateGeometry();
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
    m_filtersBox->setVisible(m_session->input().rows > 1);
    m_filters->button(int(m_session->signalFilters()))->setChecked(true);
    m_refreshing = true;
    const std::vector<double> &bias = m_session->signalBias();
    m_bias->setValue(bias.empty() ? 0.0 : bias.front());
    m_refreshing = false;
    m_canvas->update();
}

} // namespace padlab::ui

#include "stagesview.h"

#include "session.h"

#include "padlab/core/error.h"

#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <opencv2/core.hpp>

#include <exception>
#include <optional>
#include <utility>

namespace padlab::ui {

namespace {

// A chain of more multiply-adds than this (about 50 ms) is computed on a worker: a 28×28 digit
// times 20 stages is far below it, a 1-megapixel photo times a few stages is above.
constexpr double kSyncMultiplyAdds = 5e6;

/// What a chain is computed from, copied so that a worker shares nothing mutable.
struct Request {
    cv::Mat input; // the session replaces its input, never writes into it: the buffer identifies it
    cv::Mat kernel;
    core::ConvSpec spec;
    int count = 0;
    core::Budget budget;

    bool operator==(const Request &other) const
    {
        return input.data == other.input.data && input.size == other.input.size
               && input.type() == other.input.type() && spec == other.spec && count == other.count
               && budget == other.budget
               && kernel.size == other.kernel.size
               && (kernel.empty() || cv::norm(kernel, other.kernel, cv::NORM_INF) == 0);
    }

    bool isHeavy() const
    {
        return double(input.total()) * double(kernel.total() + 1) * count > kSyncMultiplyAdds;
    }
};

core::StageChain compute(const Request &request)
{
    try {
        return core::applyStages(request.input, request.kernel, request.spec, request.count, core::kMaxStageCells,
                                 request.budget);
    } catch (const std::exception &e) {
        core::StageChain chain;
        chain.requested = request.count;
        chain.stopReason = e.what();
        return chain;
    }
}

} // namespace

/// The painted stages; as large as the scroll area allows, never smaller than its minimum.
class StagesCanvas : public QWidget {
public:
    explicit StagesCanvas(const StagesView *view) : QWidget(nullptr), m_view(view)
    {
        setAttribute(Qt::WA_OpaquePaintEvent);
    }

    QSize minimumSizeHint() const override
    {
        const double s = m_view->options().fontScale;
        return QSize(int(640 * s), int(360 * s));
    }
    QSize sizeHint() const override { return minimumSizeHint(); }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter painter(this);
        StagesOptions o = m_view->options();
        o.computing = m_view->isComputing();
        StagesPainter::paint(painter, rect(), m_view->chain(), o);
    }

private:
    const StagesView *m_view;
};

struct StagesView::Private {
    std::optional<Request> drawn;   // what m_chain was computed from
    std::optional<Request> running; // on the worker
};

StagesView::StagesView(Session *session, QWidget *parent)
    : QWidget(parent), m_session(session), d(new Private)
{
    auto *bar = new QHBoxLayout;
    auto *countLabel = new QLabel(tr("Stages:"), this);
    m_count = new QSpinBox(this);
    m_count->setObjectName(QStringLiteral("stageCount"));
    m_count->setRange(1, Session::kMaxStages);
    m_count->setValue(session->stageCount());
    m_count->setToolTip(tr("How many times the kernel is applied, each time to the previous stage's output"));
    countLabel->setBuddy(m_count);
    m_effect = new QLabel(this);
    m_effect->setObjectName(QStringLiteral("effect"));
    m_effect->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bar->addWidget(countLabel);
    bar->addWidget(m_count);
    bar->addSpacing(16);
    bar->addWidget(m_effect, 1);

    m_canvas = new StagesCanvas(this);
    m_scroll = new QScrollArea(this);
    m_scroll->setWidget(m_canvas);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(bar);
    layout->addWidget(m_scroll, 1);

    connect(m_count, &QSpinBox::valueChanged, m_session, &Session::setStageCount);
    connect(m_session, &Session::changed, this, &StagesView::sessionChanged);
    connect(m_session, &Session::viewSettingsChanged, this, &StagesView::viewSettingsChanged);
    sessionChanged();
}

StagesView::~StagesView()
{
    // The worker holds its own copies: it may finish after the view is gone.
    delete d;
}

void StagesView::setFontScale(double scale)
{
    if (scale == m_options.fontScale)
        return;
    m_options.fontScale = scale;
    m_canvas->updateGeometry();
    m_canvas->update();
}

void StagesView::setDark(bool dark)
{
    if (dark == m_options.dark)
        return;
    m_options.dark = dark;
    m_canvas->update();
}

bool StagesView::isComputing() const
{
    return d->running.has_value();
}

QString StagesView::effectText() const
{
    return m_effect->text();
}

void StagesView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refresh();
}

void StagesView::sessionChanged()
{
    const cv::Mat &k = m_session->kernel();
    m_effect->setText(StagesPainter::effectText(m_session->spec(), {k.rows, k.cols}));
    refresh();
}

void StagesView::viewSettingsChanged()
{
    if (m_count->value() != m_session->stageCount()) {
        const QSignalBlocker blocker(m_count);
        m_count->setValue(m_session->stageCount());
    }
    refresh();
}

void StagesView::refresh()
{
    if (!isVisible())
        return; // showEvent() catches up
    if (d->running) {
        // When the worker is done, refresh() runs again and picks up what was asked meanwhile.
        m_canvas->update();
        return;
    }
    Request request{m_session->input(), m_session->kernel().clone(), m_session->spec(), m_session->stageCount(),
                    m_session->budget()};
    if (d->drawn && request == *d->drawn)
        return;
    if (!request.isHeavy()) {
        m_chain = compute(request);
        d->drawn = request;
        m_canvas->update();
        Q_EMIT chainChanged();
        return;
    }
    d->running = request;
    auto *watcher = new QFutureWatcher<core::StageChain>(this);
    connect(watcher, &QFutureWatcher<core::StageChain>::finished, this, [this, watcher] {
        watcher->deleteLater();
        // Drawn even when the session has moved on: it is the newest chain there is, and the
        // caption says a newer one is on its way.
        m_chain = watcher->result();
        d->drawn = std::move(d->running);
        d->running.reset();
        m_canvas->update();
        Q_EMIT chainChanged();
        refresh();
    });
    watcher->setFuture(QtConcurrent::run(compute, request));
    m_canvas->update();
}

} // namespace padlab::ui

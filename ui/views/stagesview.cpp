#include "stagesview.h"

#include "session.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <opencv2/core.hpp>

namespace padlab::ui {

/// The painted stages; as large as the scroll area allows, never smaller than its minimum.
class StagesCanvas : public QWidget {
public:
    explicit StagesCanvas(const StagesView *view) : QWidget(nullptr), m_view(view)
    {
        setAttribute(Qt::WA_OpaquePaintEvent);
    }

    QSize minimumSizeHint() const override
    {
        const double s = m_view->options().look.fontScale;
        return QSize(int(640 * s), int(360 * s));
    }
    QSize sizeHint() const override { return minimumSizeHint(); }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter painter(this);
        StagesPainter::paint(painter, rect(), *m_view->shown(), m_view->options());
    }

private:
    const StagesView *m_view;
};

StagesView::StagesView(Session *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_shown(session->snapshot())
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
    connect(m_session, &Session::snapshotChanged, this, &StagesView::snapshotChanged);
    connect(m_session, &Session::viewSettingsChanged, this, &StagesView::viewSettingsChanged);
    // A count the session refused (beyond its budget) goes back to the one it kept.
    connect(m_session, &Session::errorOccurred, this, &StagesView::viewSettingsChanged);
    connect(m_session, &Session::lookChanged, this, &StagesView::lookChanged);
    connect(m_session, &Session::busyChanged, m_canvas, [this] { m_canvas->update(); });
    snapshotChanged();
}

StagesView::~StagesView() = default;

StagesOptions StagesView::options() const
{
    StagesOptions o;
    o.look = m_session->look();
    o.computing = isComputing();
    return o;
}

void StagesView::lookChanged()
{
    m_canvas->updateGeometry();
    m_canvas->update();
}

const core::StageChain &StagesView::chain() const
{
    static const core::StageChain none;
    return m_shown->stages ? m_shown->stages->chain : none;
}

bool StagesView::isComputing() const
{
    return m_needs && (!m_session->isUpToDate() || !m_session->snapshot()->has(Part::Stages));
}

QString StagesView::effectText() const
{
    return m_effect->text();
}

void StagesView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_needs) {
        m_needs = true;
        m_session->need(Part::Stages);
    }
    snapshotChanged();
}

void StagesView::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    if (m_needs) {
        m_needs = false;
        m_session->release(Part::Stages);
    }
}

void StagesView::snapshotChanged()
{
    // The newest snapshot with a chain; until one comes the previous chain stays.
    const SnapshotPtr snapshot = m_session->snapshot();
    const auto previous = m_shown->stages;
    if (snapshot->has(Part::Stages) || !m_shown->has(Part::Stages))
        m_shown = snapshot;
    const cv::Mat &k = m_shown->kernel;
    m_effect->setText(StagesPainter::effectText(m_shown->spec, {k.rows, k.cols}));
    m_canvas->update();
    if (m_shown->stages != previous)
        Q_EMIT chainChanged();
}

void StagesView::viewSettingsChanged()
{
    if (m_count->value() != m_session->stageCount()) {
        const QSignalBlocker blocker(m_count);
        m_count->setValue(m_session->stageCount());
    }
}

} // namespace padlab::ui

#include "transposedview.h"

#include "session.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

namespace padlab::ui {

/// The painted view; as large as the scroll area allows, never smaller than its minimum.
class TransposedCanvas : public QWidget {
public:
    explicit TransposedCanvas(TransposedView *view) : QWidget(nullptr), m_view(view)
    {
        setAttribute(Qt::WA_OpaquePaintEvent);
        setMouseTracking(true);
        QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
        policy.setHeightForWidth(true);
        setSizePolicy(policy);
    }

    QSize minimumSizeHint() const override
    {
        const double s = m_view->options().look.fontScale;
        return QSize(int(760 * s), int(480 * s));
    }
    QSize sizeHint() const override { return minimumSizeHint(); }
    /// Tall enough for readable numbers at this width: a short tab scrolls rather than shrink them.
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override
    {
        return std::max(minimumSizeHint().height(),
                        TransposedPainter::heightForWidth(*m_view->shown(), m_view->options().look, width));
    }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter painter(this);
        TransposedPainter::paint(painter, rect(), *m_view->shown(), m_view->options());
    }
    void mouseMoveEvent(QMouseEvent *event) override
    {
        m_view->setHoveredOutput(
            TransposedPainter::outputCellAt(rect(), *m_view->shown(), m_view->options(), event->position()));
    }
    void leaveEvent(QEvent *) override { m_view->setHoveredOutput(std::nullopt); }
    void mousePressEvent(QMouseEvent *event) override
    {
        if (event->button() != Qt::LeftButton)
            return;
        const auto cell = TransposedPainter::outputCellAt(rect(), *m_view->shown(), m_view->options(), event->position());
        if (cell)
            Q_EMIT m_view->cellClicked(*cell);
    }

private:
    TransposedView *m_view;
};

TransposedView::TransposedView(Session *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_shown(session->snapshot())
{
    auto *bar = new QHBoxLayout;
    const auto spin = [this](const char *name, int low, int high, const QString &tip) {
        auto *box = new QSpinBox(this);
        box->setObjectName(QLatin1String(name));
        box->setRange(low, high);
        box->setToolTip(tip);
        return box;
    };
    const auto labelled = [this, bar](const QString &text, QWidget *field) {
        auto *label = new QLabel(text, this);
        label->setBuddy(field);
        bar->addWidget(label);
        bar->addWidget(field);
        bar->addSpacing(12);
    };
    m_preset = new QComboBox(this);
    m_preset->setObjectName(QStringLiteral("convtPreset"));
    m_preset->addItem(tr("PyTorch: padding, output_padding"), int(core::Amount::Explicit));
    m_preset->addItem(tr("Keras: valid"), int(core::Amount::Valid));
    m_preset->addItem(tr("Keras: same"), int(core::Amount::Same));
    m_preset->setToolTip(tr("PyTorch's ConvTranspose2d crops `padding` cells on each side and adds `output_padding` "
                            "after; Keras' Conv2DTranspose gives max((n − 1)·s + e, n·s) cells (valid) or n·s (same)"));
    m_stride = spin("convtStride", 1, 8, tr("Cells between the stamps of neighbouring input cells (s − 1 zeros between them)"));
    m_dilation = spin("convtDilation", 1, 4, tr("Spacing of the kernel's taps: e = d·(k − 1) + 1"));
    m_padding = spin("convtPadding", 0, 32, tr("PyTorch's padding: cells cropped from each side of the full output"));
    m_outputPadding = spin("convtOutputPadding", 0, 7,
                           tr("PyTorch's output_padding: cells added after, below the stride (or the dilation)"));
    labelled(tr("Framework:"), m_preset);
    labelled(tr("Stride:"), m_stride);
    labelled(tr("Dilation:"), m_dilation);
    labelled(tr("Padding:"), m_padding);
    labelled(tr("Output padding:"), m_outputPadding);
    bar->addStretch(1);

    m_canvas = new TransposedCanvas(this);
    m_scroll = new QScrollArea(this);
    m_scroll->setWidget(m_canvas);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(bar);
    layout->addWidget(m_scroll, 1);

    connect(m_preset, &QComboBox::activated, this, &TransposedView::edited);
    for (QSpinBox *box : {m_stride, m_dilation, m_padding, m_outputPadding})
        connect(box, &QSpinBox::valueChanged, this, &TransposedView::edited);
    connect(this, &TransposedView::cellClicked, this,
            [this](QPoint cell) { m_session->setStepCell(cell.y(), cell.x()); });
    connect(m_session, &Session::snapshotChanged, this, &TransposedView::snapshotChanged);
    connect(m_session, &Session::viewSettingsChanged, this, &TransposedView::viewSettingsChanged);
    connect(m_session, &Session::stepChanged, m_canvas, [this] { m_canvas->update(); });
    connect(m_session, &Session::lookChanged, m_canvas, [this] {
        m_canvas->updateGeometry();
        m_canvas->update();
    });
    connect(m_session, &Session::busyChanged, m_canvas, [this] { m_canvas->update(); });
    viewSettingsChanged();
    snapshotChanged();
}

TransposedView::~TransposedView() = default;

TransposedOptions TransposedView::options() const
{
    TransposedOptions o;
    o.look = m_session->look();
    o.step = m_session->step();
    o.hoveredOutput = m_hovered;
    o.computing = isComputing();
    return o;
}

bool TransposedView::isComputing() const
{
    return m_needs && (!m_session->isUpToDate() || !m_session->snapshot()->has(Part::Transposed));
}

void TransposedView::setHoveredOutput(std::optional<QPoint> cell)
{
    if (cell == m_hovered)
        return;
    m_hovered = cell;
    m_canvas->update();
}

void TransposedView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_needs) {
        m_needs = true;
        m_session->need(Part::Transposed);
    }
    snapshotChanged();
}

void TransposedView::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    if (m_needs) {
        m_needs = false;
        m_session->release(Part::Transposed);
    }
}

void TransposedView::snapshotChanged()
{
    // The newest snapshot with a transposed set; until one comes the previous one stays.
    const SnapshotPtr snapshot = m_session->snapshot();
    const auto previous = m_shown->transposed;
    if (snapshot->has(Part::Transposed) || !m_shown->has(Part::Transposed))
        m_shown = snapshot;
    m_canvas->update();
    if (m_shown->transposed != previous) {
        m_canvas->updateGeometry(); // its height follows the grids' sizes
        Q_EMIT transposedChanged();
    }
}

void TransposedView::viewSettingsChanged()
{
    const ViewSettings &view = m_session->viewSettings();
    const QSignalBlocker a(m_preset), b(m_stride), c(m_dilation), d(m_padding), e(m_outputPadding);
    m_preset->setCurrentIndex(std::max(m_preset->findData(int(view.convtAmount)), 0));
    m_stride->setValue(view.convtStride);
    m_dilation->setValue(view.convtDilation);
    m_padding->setValue(view.convtPadding);
    m_outputPadding->setValue(view.convtOutputPadding);
    // Keras' presets fix the size: no crop or added cells to choose.
    const bool pytorch = view.convtAmount == core::Amount::Explicit;
    m_padding->setEnabled(pytorch);
    m_outputPadding->setEnabled(pytorch);
}

void TransposedView::edited()
{
    ViewSettings next = m_session->viewSettings();
    next.convtAmount = core::Amount(m_preset->currentData().toInt());
    next.convtStride = m_stride->value();
    next.convtDilation = m_dilation->value();
    next.convtPadding = m_padding->value();
    next.convtOutputPadding = next.convtAmount == core::Amount::Explicit ? m_outputPadding->value() : 0;
    m_session->setViewSettings(next);
}

} // namespace padlab::ui

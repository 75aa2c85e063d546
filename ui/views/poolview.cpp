#include "poolview.h"

#include "session.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

namespace padlab::ui {

/// The painted view; as large as the scroll area allows, never smaller than its minimum.
class PoolCanvas : public QWidget {
public:
    explicit PoolCanvas(PoolView *view) : QWidget(nullptr), m_view(view)
    {
        setAttribute(Qt::WA_OpaquePaintEvent);
        setMouseTracking(true);
    }

    QSize minimumSizeHint() const override
    {
        const double s = m_view->options().look.fontScale;
        return QSize(int(640 * s), int(520 * s));
    }
    QSize sizeHint() const override { return minimumSizeHint(); }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter painter(this);
        PoolPainter::paint(painter, rect(), *m_view->shown(), m_view->options());
    }
    void mouseMoveEvent(QMouseEvent *event) override
    {
        m_view->setHoveredOutput(PoolPainter::outputCellAt(rect(), *m_view->shown(), m_view->options(), event->position()));
    }
    void leaveEvent(QEvent *) override { m_view->setHoveredOutput(std::nullopt); }
    void mousePressEvent(QMouseEvent *event) override
    {
        if (event->button() != Qt::LeftButton)
            return;
        if (const auto hit = PoolPainter::outputCellAt(rect(), *m_view->shown(), m_view->options(), event->position()))
            Q_EMIT m_view->cellClicked(hit->second);
    }

private:
    PoolView *m_view;
};

PoolView::PoolView(Session *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_shown(session->snapshot())
{
    const auto spin = [this](const char *name, int low, const QString &tip) {
        auto *box = new QSpinBox(this);
        box->setObjectName(QLatin1String(name));
        box->setRange(low, 99);
        box->setToolTip(tip);
        return box;
    };
    m_op = new QComboBox(this);
    m_op->setObjectName(QStringLiteral("poolOp"));
    m_op->addItem(tr("max"), int(core::PoolOp::Max));
    m_op->addItem(tr("average"), int(core::PoolOp::Average));
    m_size = spin("poolSize", 1, tr("The window: k × k cells"));
    m_stride = spin("poolStride", 1, tr("How far the window moves"));
    m_dilation = spin("poolDilation", 1, tr("Gaps between the window's taps"));
    m_amount = new QComboBox(this);
    m_amount->setObjectName(QStringLiteral("poolAmount"));
    m_amount->addItem(tr("valid"), int(core::Amount::Valid));
    m_amount->addItem(tr("same"), int(core::Amount::Same));
    m_amount->addItem(tr("explicit"), int(core::Amount::Explicit));
    m_pads = new QLineEdit(this);
    m_pads->setObjectName(QStringLiteral("poolPads"));
    m_pads->setToolTip(tr("Explicit pads: one number for every side, or top,bottom,left,right"));
    m_pads->setMaximumWidth(120);
    m_ceil = new QCheckBox(tr("ceil_mode"), this);
    m_ceil->setObjectName(QStringLiteral("poolCeil"));
    m_ceil->setToolTip(tr("PyTorch's ceil_mode: the output size rounds up, but a window that would start in the "
                          "right padding is dropped"));
    m_countPad = new QComboBox(this);
    m_countPad->setObjectName(QStringLiteral("poolCountPad"));
    m_countPad->addItem(tr("rule's default"), 0);
    m_countPad->addItem(tr("include"), 1);
    m_countPad->addItem(tr("exclude"), 2);
    m_countPad->setToolTip(tr("Whether an average divides by the padded cells too (PyTorch's count_include_pad)"));
    m_rule = new QComboBox(this);
    m_rule->setObjectName(QStringLiteral("poolRule"));
    m_rule->addItem(QStringLiteral("PyTorch"), int(PoolRule::PyTorch));
    m_rule->addItem(QStringLiteral("TensorFlow"), int(PoolRule::TensorFlow));
    m_both = new QCheckBox(tr("Both rules side by side"), this);
    m_both->setObjectName(QStringLiteral("poolBoth"));
    m_both->setToolTip(tr("PyTorch's and TensorFlow's rule on the same input, when they differ"));
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("poolError"));

    auto *bar = new QGridLayout;
    const auto add = [this, bar](int row, int column, const QString &label, QWidget *widget) {
        auto *text = new QLabel(label, this);
        text->setBuddy(widget);
        bar->addWidget(text, row, column);
        bar->addWidget(widget, row, column + 1);
    };
    add(0, 0, tr("Op:"), m_op);
    add(0, 2, tr("Size:"), m_size);
    add(0, 4, tr("Stride:"), m_stride);
    add(0, 6, tr("Dilation:"), m_dilation);
    add(1, 0, tr("Padding:"), m_amount);
    add(1, 2, tr("Pads:"), m_pads);
    bar->addWidget(m_ceil, 1, 4, 1, 2);
    add(1, 6, tr("Count pad:"), m_countPad);
    add(2, 0, tr("Rule:"), m_rule);
    bar->addWidget(m_both, 2, 2, 1, 3);
    bar->addWidget(m_error, 2, 5, 1, 4);
    bar->setColumnStretch(8, 1);

    m_canvas = new PoolCanvas(this);
    m_scroll = new QScrollArea(this);
    m_scroll->setWidget(m_canvas);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(bar);
    layout->addWidget(m_scroll, 1);

    for (QComboBox *box : {m_op, m_amount, m_countPad, m_rule})
        connect(box, &QComboBox::activated, this, &PoolView::controlsEdited);
    for (QSpinBox *box : {m_size, m_stride, m_dilation})
        connect(box, &QSpinBox::valueChanged, this, &PoolView::controlsEdited);
    for (QCheckBox *box : {m_ceil, m_both})
        connect(box, &QCheckBox::toggled, this, &PoolView::controlsEdited);
    connect(m_pads, &QLineEdit::editingFinished, this, &PoolView::controlsEdited);
    connect(this, &PoolView::cellClicked, this, [this](QPoint cell) { m_session->setStepCell(cell.y(), cell.x()); });
    connect(m_session, &Session::snapshotChanged, this, &PoolView::snapshotChanged);
    connect(m_session, &Session::viewSettingsChanged, this, &PoolView::viewSettingsChanged);
    connect(m_session, &Session::stepChanged, m_canvas, [this] { m_canvas->update(); });
    connect(m_session, &Session::lookChanged, m_canvas, [this] {
        m_canvas->updateGeometry();
        m_canvas->update();
    });
    connect(m_session, &Session::busyChanged, m_canvas, [this] { m_canvas->update(); });
    viewSettingsChanged();
    snapshotChanged();
}

PoolView::~PoolView() = default;

PoolOptions PoolView::options() const
{
    PoolOptions o;
    o.look = m_session->look();
    o.step = m_session->step();
    o.hoveredOutput = m_hovered;
    o.hoveredRun = m_hoveredRun;
    o.computing = isComputing();
    return o;
}

bool PoolView::isComputing() const
{
    return m_needs && (!m_session->isUpToDate() || !m_session->snapshot()->has(Part::Pool));
}

void PoolView::setHoveredOutput(std::optional<std::pair<int, QPoint>> cell)
{
    const std::optional<QPoint> next = cell ? std::optional<QPoint>(cell->second) : std::nullopt;
    const int run = cell ? cell->first : 0;
    if (next == m_hovered && run == m_hoveredRun)
        return;
    m_hovered = next;
    m_hoveredRun = run;
    m_canvas->update();
}

void PoolView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_needs) {
        m_needs = true;
        m_session->need(Part::Pool);
    }
    snapshotChanged();
}

void PoolView::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    if (m_needs) {
        m_needs = false;
        m_session->release(Part::Pool);
    }
}

void PoolView::snapshotChanged()
{
    // The newest snapshot with a pooling; until one comes the previous one stays.
    const SnapshotPtr snapshot = m_session->snapshot();
    const auto previous = m_shown->pool;
    if (snapshot->has(Part::Pool) || !m_shown->has(Part::Pool))
        m_shown = snapshot;
    m_canvas->update();
    if (m_shown->pool != previous)
        Q_EMIT poolChanged();
}

void PoolView::viewSettingsChanged()
{
    const ViewSettings &view = m_session->viewSettings();
    const core::PoolSpec &spec = view.pool;
    const QSignalBlocker blockers[] = {QSignalBlocker(m_op),     QSignalBlocker(m_size),     QSignalBlocker(m_stride),
                                       QSignalBlocker(m_dilation), QSignalBlocker(m_amount), QSignalBlocker(m_ceil),
                                       QSignalBlocker(m_countPad), QSignalBlocker(m_rule),   QSignalBlocker(m_both)};
    m_op->setCurrentIndex(m_op->findData(int(spec.op)));
    m_size->setValue(spec.window.empty() ? 2 : spec.window.front());
    m_stride->setValue(spec.stride.empty() ? m_size->value() : spec.stride.front());
    m_dilation->setValue(spec.dilation.empty() ? 1 : spec.dilation.front());
    m_amount->setCurrentIndex(m_amount->findData(int(spec.amount.kind)));
    QStringList pads;
    for (int v : spec.amount.values)
        pads << QString::number(v);
    if (!m_pads->hasFocus())
        m_pads->setText(pads.join(QLatin1Char(',')));
    m_pads->setEnabled(spec.amount.kind == core::Amount::Explicit);
    m_ceil->setChecked(spec.ceil);
    m_countPad->setCurrentIndex(!spec.countPadding ? 0 : *spec.countPadding ? 1 : 2);
    m_rule->setCurrentIndex(m_rule->findData(int(view.poolRule)));
    m_both->setChecked(view.poolBoth);
}

void PoolView::controlsEdited()
{
    ViewSettings next = m_session->viewSettings();
    core::PoolSpec &spec = next.pool;
    spec.op = core::PoolOp(m_op->currentData().toInt());
    spec.window = {m_size->value()};
    spec.stride = {m_stride->value()};
    spec.dilation = {m_dilation->value()};
    spec.amount.kind = core::Amount(m_amount->currentData().toInt());
    if (spec.amount.kind == core::Amount::Explicit) {
        std::vector<int> values;
        for (const QString &part : m_pads->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            bool ok = false;
            const int v = part.trimmed().toInt(&ok);
            if (!ok || v < 0) {
                m_error->setText(tr("Pads: '%1' is not a whole number >= 0; the pads stay as they were").arg(part.trimmed()));
                return;
            }
            values.push_back(v);
        }
        if (values.size() == 1)
            values.assign(4, values.front());
        if (values.size() != 4) {
            m_error->setText(tr("Pads: give one number for every side, or top,bottom,left,right"));
            return;
        }
        spec.amount.values = values;
    } else {
        spec.amount.values.clear();
    }
    // ceil_mode goes with explicit pads only, as PyTorch has it.
    spec.ceil = m_ceil->isChecked() && spec.amount.kind == core::Amount::Explicit;
    const int count = m_countPad->currentData().toInt();
    spec.countPadding = count == 0 ? std::nullopt : std::optional<bool>(count == 1);
    next.poolRule = PoolRule(m_rule->currentData().toInt());
    next.poolBoth = m_both->isChecked();
    m_error->clear();
    m_session->setViewSettings(next);
}

} // namespace padlab::ui

#include "channelsview.h"

#include "session.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>

namespace padlab::ui {

namespace {

/// The banks the combo box offers, in its order; Custom is added when the session has one.
struct BankEntry {
    FilterBank bank;
    const char *label;
    const char *tip;
};

constexpr BankEntry kBanks[] = {
    {FilterBank::Edges, QT_TRANSLATE_NOOP("ChannelsView", "Edges ×4"),
     QT_TRANSLATE_NOOP("ChannelsView", "Sobel x, Sobel y and both diagonals, each summed over every channel of its group")},
    {FilterBank::Identity, QT_TRANSLATE_NOOP("ChannelsView", "Per-channel identity"),
     QT_TRANSLATE_NOOP("ChannelsView", "One filter per channel that copies it")},
    {FilterBank::Blur, QT_TRANSLATE_NOOP("ChannelsView", "Depthwise blur"),
     QT_TRANSLATE_NOOP("ChannelsView", "One 3 × 3 Gaussian per channel, reading only that channel (sets groups to the channel count)")},
    {FilterBank::Kernel, QT_TRANSLATE_NOOP("ChannelsView", "The kernel on every channel"),
     QT_TRANSLATE_NOOP("ChannelsView", "The kernel of the Window tab, summed over every channel of a group: one filter per group")},
    {FilterBank::Custom, QT_TRANSLATE_NOOP("ChannelsView", "Custom (from a file)"),
     QT_TRANSLATE_NOOP("ChannelsView", "The filter bank given with --kernel file.npy")},
};

} // namespace

/// The painted view; as large as the scroll area allows, never smaller than its minimum.
class ChannelsCanvas : public QWidget {
public:
    explicit ChannelsCanvas(ChannelsView *view) : QWidget(nullptr), m_view(view)
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
        return QSize(int(720 * s), int(480 * s));
    }
    QSize sizeHint() const override { return minimumSizeHint(); }
    /// Tall enough for readable numbers at this width: a short tab scrolls rather than shrink them.
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override
    {
        return std::max(minimumSizeHint().height(),
                        ChannelsPainter::heightForWidth(*m_view->shown(), m_view->options().look, width));
    }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter painter(this);
        ChannelsPainter::paint(painter, rect(), *m_view->shown(), m_view->options());
    }
    void mouseMoveEvent(QMouseEvent *event) override
    {
        m_view->setHoveredOutput(ChannelsPainter::outputCellAt(rect(), *m_view->shown(), m_view->options(),
                                                               event->position()));
    }
    void leaveEvent(QEvent *) override { m_view->setHoveredOutput(std::nullopt); }
    void mousePressEvent(QMouseEvent *event) override
    {
        if (event->button() != Qt::LeftButton)
            return;
        const auto cell = ChannelsPainter::outputCellAt(rect(), *m_view->shown(), m_view->options(), event->position());
        if (cell)
            Q_EMIT m_view->cellClicked(*cell);
    }

private:
    ChannelsView *m_view;
};

ChannelsView::ChannelsView(Session *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_shown(session->snapshot())
{
    auto *bar = new QHBoxLayout;
    auto *bankLabel = new QLabel(tr("Filter bank:"), this);
    m_bank = new QComboBox(this);
    m_bank->setObjectName(QStringLiteral("filterBank"));
    for (const BankEntry &entry : kBanks) {
        m_bank->addItem(tr(entry.label), int(entry.bank));
        m_bank->setItemData(m_bank->count() - 1, tr(entry.tip), Qt::ToolTipRole);
    }
    bankLabel->setBuddy(m_bank);
    auto *groupsLabel = new QLabel(tr("Groups:"), this);
    m_groups = new QSpinBox(this);
    m_groups->setObjectName(QStringLiteral("groups"));
    m_groups->setRange(1, 4096);
    m_groups->setToolTip(tr("Filters and channels split into this many groups; each filter reads only its "
                            "group's channels (depthwise: as many groups as channels)"));
    groupsLabel->setBuddy(m_groups);
    auto *biasLabel = new QLabel(tr("Bias:"), this);
    m_bias = new QLineEdit(this);
    m_bias->setObjectName(QStringLiteral("bias"));
    m_bias->setPlaceholderText(tr("none"));
    m_bias->setToolTip(tr("One number for every filter, or one per filter, comma-separated; empty for none"));
    m_bias->setMaximumWidth(220);
    biasLabel->setBuddy(m_bias);
    bar->addWidget(bankLabel);
    bar->addWidget(m_bank);
    bar->addSpacing(16);
    bar->addWidget(groupsLabel);
    bar->addWidget(m_groups);
    bar->addSpacing(16);
    bar->addWidget(biasLabel);
    bar->addWidget(m_bias);
    m_biasError = new QLabel(this);
    m_biasError->setObjectName(QStringLiteral("biasError"));
    bar->addWidget(m_biasError);
    bar->addStretch(1);

    m_canvas = new ChannelsCanvas(this);
    m_scroll = new QScrollArea(this);
    m_scroll->setWidget(m_canvas);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(bar);
    layout->addWidget(m_scroll, 1);

    connect(m_bank, &QComboBox::activated, this, &ChannelsView::bankChosen);
    connect(m_groups, &QSpinBox::valueChanged, m_session, &Session::setGroups);
    connect(m_bias, &QLineEdit::editingFinished, this, &ChannelsView::biasEdited);
    connect(this, &ChannelsView::cellClicked, this,
            [this](QPoint cell) { m_session->setStepCell(cell.y(), cell.x()); });
    connect(m_session, &Session::snapshotChanged, this, &ChannelsView::snapshotChanged);
    connect(m_session, &Session::viewSettingsChanged, this, &ChannelsView::viewSettingsChanged);
    connect(m_session, &Session::errorOccurred, this, &ChannelsView::viewSettingsChanged);
    connect(m_session, &Session::stepChanged, m_canvas, [this] { m_canvas->update(); });
    connect(m_session, &Session::lookChanged, m_canvas, [this] {
        m_canvas->updateGeometry();
        m_canvas->update();
    });
    connect(m_session, &Session::busyChanged, m_canvas, [this] { m_canvas->update(); });
    viewSettingsChanged();
    snapshotChanged();
}

ChannelsView::~ChannelsView() = default;

ChannelsOptions ChannelsView::options() const
{
    ChannelsOptions o;
    o.look = m_session->look();
    o.step = m_session->step();
    o.hoveredOutput = m_hovered;
    o.computing = isComputing();
    return o;
}

bool ChannelsView::isComputing() const
{
    return m_needs && (!m_session->isUpToDate() || !m_session->snapshot()->has(Part::Channels));
}

void ChannelsView::setHoveredOutput(std::optional<QPoint> cell)
{
    if (cell == m_hovered)
        return;
    m_hovered = cell;
    m_canvas->update();
}

void ChannelsView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_needs) {
        m_needs = true;
        m_session->need(Part::Channels);
    }
    snapshotChanged();
}

void ChannelsView::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    if (m_needs) {
        m_needs = false;
        m_session->release(Part::Channels);
    }
}

void ChannelsView::snapshotChanged()
{
    // The newest snapshot with a channel set; until one comes the previous one stays.
    const SnapshotPtr snapshot = m_session->snapshot();
    const auto previous = m_shown->channels;
    if (snapshot->has(Part::Channels) || !m_shown->has(Part::Channels))
        m_shown = snapshot;
    m_canvas->update();
    if (m_shown->channels != previous) {
        m_canvas->updateGeometry(); // its height follows the grids' sizes
        Q_EMIT channelsChanged();
    }
}

void ChannelsView::viewSettingsChanged()
{
    const QSignalBlocker bankBlocker(m_bank);
    const QSignalBlocker groupsBlocker(m_groups);
    const int index = m_bank->findData(int(m_session->filterBank()));
    m_bank->setCurrentIndex(index);
    m_groups->setValue(m_session->groups());
    QStringList values;
    for (double b : m_session->bias())
        values << QString::number(b);
    if (!m_bias->hasFocus())
        m_bias->setText(values.join(QStringLiteral(", ")));
}

void ChannelsView::bankChosen(int index)
{
    const auto bank = FilterBank(m_bank->itemData(index).toInt());
    if (bank == FilterBank::Custom && m_session->viewSettings().bankWeights.empty()) {
        viewSettingsChanged();
        return;
    }
    ViewSettings next = m_session->viewSettings();
    next.bank = bank;
    // A depthwise blur reads one channel per filter: as many groups as channels.
    if (bank == FilterBank::Blur)
        next.groups = std::max(m_session->source().channels(), 1);
    m_session->setViewSettings(next);
}

void ChannelsView::biasEdited()
{
    std::vector<double> bias;
    const QStringList parts = m_bias->text().split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        bool ok = false;
        const double v = part.trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(v)) {
            m_biasError->setText(tr("Bias: '%1' is not a number; the bias stays as it was").arg(part.trimmed()));
            return;
        }
        bias.push_back(v);
    }
    m_biasError->clear();
    m_session->setBias(bias);
}

} // namespace padlab::ui

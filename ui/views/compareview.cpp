#include "compareview.h"

#include "session.h"

#include "padlab/core/error.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QResizeEvent>
#include <QPen>
#include <QResizeEvent>
#include <QPushButton>
#include <QToolTip>
#include <QVBoxLayout>

#include <opencv2/core.hpp>

#include <functional>
#include <optional>
#include <utility>

namespace padlab::ui {

namespace {

/// The grid's surface: paints the comparison (kept as an image until it, the size or the options
/// change, so hovering a large comparison stays smooth) and reports clicks and hovers on columns.
class CompareCanvas : public QWidget {
public:
    explicit CompareCanvas(QWidget *parent) : QWidget(parent)
    {
        setMouseTracking(true);
        setMinimumSize(320, 240);
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
        setCursor(Qt::PointingHandCursor);
    }

    std::shared_ptr<const CompareSet> set;
    const core::Comparison *comparison = nullptr; ///< of set, when it has one
    CompareOptions options;
    std::function<void(int)> clicked;

    /// Repaints from scratch: the comparison or the options changed.
    void invalidate()
    {
        m_cache = QImage();
        fitHeight();
        update();
    }

    /// Tall enough for readable thumbnails at this width: a short tab scrolls instead.
    void fitHeight()
    {
        const int needed = comparison ? ComparePainter::minimumHeight(width(), *comparison, options) : 0;
        setMinimumHeight(std::max(240, needed));
    }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter p(this);
        const qreal dpr = devicePixelRatioF();
        if (m_cache.isNull() || m_cache.size() != size() * dpr) {
            m_cache = QImage(size() * dpr, QImage::Format_ARGB32_Premultiplied);
            m_cache.setDevicePixelRatio(dpr);
            QPainter cache(&m_cache);
            Snapshot shown;
            shown.comparison = set;
            ComparePainter::paint(cache, rect(), shown, options);
        }
        p.drawImage(QPointF(0, 0), m_cache);
        if (comparison && m_hovered && *m_hovered != comparison->reference) {
            // A clickable column: outlined in the reference colour, lighter than the reference frame.
            QColor outline = options.look.referenceColor();
            outline.setAlphaF(0.5);
            p.setPen(QPen(outline, 2, Qt::DashLine));
            p.setBrush(Qt::NoBrush);
            p.drawRect(ComparePainter::columnRect(rect(), *comparison, options, *m_hovered).adjusted(-3, -3, 3, 3));
        }
    }

    void resizeEvent(QResizeEvent *event) override
    {
        QWidget::resizeEvent(event);
        m_cache = QImage();
        if (event->size().width() != event->oldSize().width())
            fitHeight();
    }

    void mouseReleaseEvent(QMouseEvent *event) override
    {
        if (event->button() != Qt::LeftButton || !comparison)
            return;
        if (const auto column = ComparePainter::columnAt(rect(), *comparison, options, event->position()))
            if (clicked)
                clicked(*column);
    }

    void mouseMoveEvent(QMouseEvent *event) override { hover(event->position()); }

    void leaveEvent(QEvent *) override
    {
        if (m_hovered) {
            m_hovered.reset();
            update();
        }
    }

    bool event(QEvent *event) override
    {
        if (event->type() == QEvent::ToolTip && comparison) {
            const auto *help = static_cast<QHelpEvent *>(event);
            if (const auto column = ComparePainter::columnAt(rect(), *comparison, options, help->pos())) {
                QToolTip::showText(help->globalPos(),
                                   ComparePainter::toolTip(*comparison, *column)
                                       + (*column == comparison->reference ? QString()
                                                                           : tr("\n\nClick to make it the reference")),
                                   this);
            } else {
                QToolTip::hideText();
            }
            return true;
        }
        return QWidget::event(event);
    }

private:
    void hover(QPointF position)
    {
        const std::optional<int> column =
            comparison ? ComparePainter::columnAt(rect(), *comparison, options, position) : std::nullopt;
        if (column != m_hovered) {
            m_hovered = column;
            update();
        }
    }

    QImage m_cache;
    std::optional<int> m_hovered;
};

core::CompareBy engineBy(Session::CompareBy by)
{
    return by == Session::CompareBy::Fill ? core::CompareBy::Fill : core::CompareBy::Amount;
}

} // namespace

struct CompareView::Private {
    Session *session = nullptr;
    CompareCanvas *canvas = nullptr;
    QButtonGroup *byGroup = nullptr;
    QPushButton *fills = nullptr;
    QPushButton *amounts = nullptr;
    QComboBox *reference = nullptr;
    QLabel *status = nullptr;
    QList<QLabel *> labels;
    SnapshotPtr shown; // the newest snapshot with a comparison, painted
    bool needs = false;
};

CompareView::CompareView(Session *session, QWidget *parent) : QWidget(parent), d(std::make_unique<Private>())
{
    d->session = session;
    d->shown = session->snapshot();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(8, 6, 8, 0);
    auto *compareLabel = new QLabel(tr("Compare:"), this);
    d->fills = new QPushButton(tr("all fills"), this);
    d->fills->setObjectName(QStringLiteral("compareFills"));
    d->fills->setToolTip(tr("The same amount under zeros, constant, reflect, symmetric, replicate and circular"));
    d->amounts = new QPushButton(tr("all amounts"), this);
    d->amounts->setObjectName(QStringLiteral("compareAmounts"));
    d->amounts->setToolTip(tr("The same fill under valid, same, full and causal (and the explicit amount)"));
    d->byGroup = new QButtonGroup(this);
    d->byGroup->setExclusive(true);
    for (QPushButton *button : {d->fills, d->amounts}) {
        button->setCheckable(true);
        d->byGroup->addButton(button);
    }
    auto *referenceLabel = new QLabel(tr("Reference:"), this);
    d->reference = new QComboBox(this);
    d->reference->setObjectName(QStringLiteral("compareReference"));
    d->reference->setToolTip(tr("The column every difference map is taken against (or click a column)"));
    d->reference->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    d->status = new QLabel(this);
    d->status->setObjectName(QStringLiteral("compareStatus"));
    d->labels = {compareLabel, referenceLabel, d->status};
    bar->addWidget(compareLabel);
    bar->addWidget(d->fills);
    bar->addWidget(d->amounts);
    bar->addSpacing(16);
    bar->addWidget(referenceLabel);
    bar->addWidget(d->reference);
    bar->addSpacing(16);
    bar->addWidget(d->status, 1);
    layout->addLayout(bar);

    d->canvas = new CompareCanvas(this);
    d->canvas->setObjectName(QStringLiteral("compareCanvas"));
    d->canvas->clicked = [this](int column) { d->session->setCompareReference(column); };
    layout->addWidget(d->canvas, 1);

    connect(d->fills, &QPushButton::clicked, this, [this] { d->session->setCompareBy(Session::CompareBy::Fill); });
    connect(d->amounts, &QPushButton::clicked, this,
            [this] { d->session->setCompareBy(Session::CompareBy::Amount); });
    connect(d->reference, &QComboBox::activated, this, [this](int index) { d->session->setCompareReference(index); });
    connect(session, &Session::snapshotChanged, this, &CompareView::snapshotChanged);
    connect(session, &Session::viewSettingsChanged, this, &CompareView::syncControls);
    // Fills or amounts the session refused (beyond its budget) go back to what it kept.
    connect(session, &Session::errorOccurred, this, &CompareView::syncControls);
    connect(session, &Session::lookChanged, this, &CompareView::lookChanged);
    connect(session, &Session::busyChanged, this, &CompareView::syncControls);
    lookChanged();
    syncControls();
}

CompareView::~CompareView() = default;

void CompareView::lookChanged()
{
    const Look &look = d->session->look();
    d->canvas->options.look = look;
    QFont font = this->font();
    font.setPixelSize(int(std::lround(14 * look.fontScale)));
    for (QWidget *w : std::initializer_list<QWidget *>{d->fills, d->amounts, d->reference})
        w->setFont(font);
    for (QLabel *label : d->labels)
        label->setFont(font);
    d->canvas->invalidate();
}

const core::Comparison *CompareView::comparison() const
{
    return d->canvas->comparison;
}

CompareOptions CompareView::options() const
{
    return d->canvas->options;
}

QWidget *CompareView::canvas() const
{
    return d->canvas;
}

bool CompareView::isComputing() const
{
    return d->needs && (!d->session->isUpToDate() || !d->session->snapshot()->has(Part::Comparison));
}

QString CompareView::errorString() const
{
    const CompareSet *set = d->shown->comparison.get();
    return set ? set->error : QString();
}

void CompareView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!d->needs) {
        d->needs = true;
        d->session->need(Part::Comparison);
    }
    snapshotChanged();
}

void CompareView::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    if (d->needs) {
        d->needs = false;
        d->session->release(Part::Comparison);
    }
}

void CompareView::snapshotChanged()
{
    // The newest snapshot with a comparison; until one comes the previous grid stays.
    const SnapshotPtr snapshot = d->session->snapshot();
    if (snapshot->has(Part::Comparison) || !d->shown->has(Part::Comparison))
        d->shown = snapshot;
    const std::shared_ptr<const CompareSet> set = d->shown->comparison;
    if (set != d->canvas->set) {
        d->canvas->set = set;
        d->canvas->comparison = set && set->error.isEmpty() ? &set->comparison : nullptr;
        d->canvas->invalidate();
        Q_EMIT comparisonChanged();
    }
    syncControls();
}

void CompareView::syncControls()
{
    const Session &s = *d->session;
    const bool byFill = s.compareBy() == Session::CompareBy::Fill;
    d->fills->setChecked(byFill);
    d->amounts->setChecked(!byFill);

    QStringList names;
    const core::Comparison *c = d->canvas->comparison;
    if (c && c->by == engineBy(s.compareBy())) {
        for (int i = 0; i < int(c->items.size()); ++i)
            names << ComparePainter::title(*c, i);
    } else if (byFill) {
        for (const core::Fill fill : core::allFills())
            names << QString::fromUtf8(core::fillName(fill).data(), qsizetype(core::fillName(fill).size()));
    } else {
        for (const core::PadAmount &amount : core::comparedAmounts(s.spec()))
            names << QString::fromStdString(core::padAmountText(amount));
    }
    QStringList current;
    for (int i = 0; i < d->reference->count(); ++i)
        current << d->reference->itemText(i);
    const QSignalBlocker blocker(d->reference);
    if (current != names) {
        d->reference->clear();
        d->reference->addItems(names);
    }
    d->reference->setCurrentIndex(std::min(s.compareReference(), int(names.size()) - 1));
    const QString error = errorString();
    d->status->setText(isComputing() ? tr("computing…") : error.isEmpty() ? QString() : tr("cannot compare"));
}

} // namespace padlab::ui

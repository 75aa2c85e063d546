#include "compareview.h"

#include "session.h"

#include "padlab/core/error.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QPen>
#include <QResizeEvent>
#include <QPushButton>
#include <QToolTip>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

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

    std::shared_ptr<core::Comparison> comparison;
    CompareOptions options;
    QString message;
    std::function<void(int)> clicked;

    /// Repaints from scratch: the comparison or the options changed.
    void invalidate()
    {
        m_cache = QImage();
        update();
    }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter p(this);
        if (!comparison || comparison->items.empty()) {
            p.fillRect(rect(), palette().window());
            p.setPen(palette().color(QPalette::WindowText));
            QFont font = p.font();
            font.setPixelSize(int(15 * options.fontScale));
            p.setFont(font);
            p.drawText(rect().adjusted(20, 20, -20, -20), Qt::AlignCenter | Qt::TextWordWrap, message);
            return;
        }
        const qreal dpr = devicePixelRatioF();
        if (m_cache.isNull() || m_cache.size() != size() * dpr) {
            m_cache = QImage(size() * dpr, QImage::Format_ARGB32_Premultiplied);
            m_cache.setDevicePixelRatio(dpr);
            QPainter cache(&m_cache);
            ComparePainter::paint(cache, rect(), *comparison, options);
        }
        p.drawImage(QPointF(0, 0), m_cache);
        if (m_hovered && *m_hovered != comparison->reference) {
            // A clickable column: outlined in the reference colour, lighter than the reference frame.
            QColor outline = ComparePainter::referenceColor(options.dark);
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

/// The part of @p spec a comparison depends on: not the fill when every fill is compared, not
/// a named amount when every named amount is.
core::ConvSpec comparedSpec(core::ConvSpec spec, core::CompareBy by)
{
    if (by == core::CompareBy::Fill)
        spec.fill = core::Fill::Zeros;
    else if (spec.amount.kind != core::Amount::Explicit)
        spec.amount = {};
    return spec;
}

/// What a comparison was computed from; a new one is needed only when this changes.
struct Key {
    cv::Mat input; // holds the buffer, so a new input never shares its address
    cv::Mat kernel;
    core::ConvSpec spec;
    core::CompareBy by = core::CompareBy::Fill;

    bool matches(const Session &s, core::CompareBy b) const
    {
        const cv::Mat &k = s.kernel();
        return input.data == s.input().data && input.size == s.input().size && input.type() == s.input().type()
               && spec == comparedSpec(s.spec(), b) && by == b && kernel.size == k.size && kernel.type() == k.type()
               && (k.empty() || cv::norm(kernel, k, cv::NORM_INF) == 0);
    }
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
    std::optional<Key> key;     // of the comparison drawn
    std::optional<Key> pending; // of the one a worker computes
    QString error;
    int generation = 0;
    bool computing = false;
    double fontScale = 1.0;
};

CompareView::CompareView(Session *session, QWidget *parent) : QWidget(parent), d(std::make_unique<Private>())
{
    d->session = session;
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
    connect(session, &Session::changed, this, &CompareView::refresh);
    connect(session, &Session::viewSettingsChanged, this, &CompareView::refresh);
    setFontScale(1.0);
    syncControls();
}

CompareView::~CompareView() = default;

void CompareView::setFontScale(double scale)
{
    d->fontScale = scale;
    d->canvas->options.fontScale = scale;
    QFont font = this->font();
    font.setPixelSize(int(std::lround(14 * scale)));
    for (QWidget *w : std::initializer_list<QWidget *>{d->fills, d->amounts, d->reference})
        w->setFont(font);
    for (QLabel *label : d->labels)
        label->setFont(font);
    d->canvas->invalidate();
}

void CompareView::setDark(bool dark)
{
    d->canvas->options.dark = dark;
    d->canvas->invalidate();
}

const core::Comparison *CompareView::comparison() const
{
    return d->canvas->comparison.get();
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
    return d->computing;
}

QString CompareView::errorString() const
{
    return d->error;
}

void CompareView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refresh();
}

void CompareView::refresh()
{
    syncControls();
    if (!isVisible())
        return;
    Session &s = *d->session;
    const core::CompareBy by = engineBy(s.compareBy());
    const int reference = s.compareReference();
    if (d->key && d->key->matches(s, by)) {
        core::Comparison *c = d->canvas->comparison.get();
        if (c && c->reference != std::min(reference, int(c->items.size()) - 1)) {
            core::setReference(*c, reference);
            syncControls();
            d->canvas->invalidate();
            Q_EMIT comparisonChanged();
        }
        return;
    }
    if (d->pending && d->pending->matches(s, by))
        return;
    if (s.input().empty() || s.kernel().empty())
        return;

    Key key{s.input(), s.kernel().clone(), comparedSpec(s.spec(), by), by};
    const int generation = ++d->generation;
    auto run = [input = key.input, kernel = key.kernel, spec = key.spec, by, reference, budget = s.budget()]() {
        auto result = std::make_shared<core::Comparison>();
        try {
            *result = core::compare(input, kernel, spec, by, reference, budget);
            return std::pair<std::shared_ptr<core::Comparison>, QString>(result, QString());
        } catch (const std::exception &e) {
            return std::pair<std::shared_ptr<core::Comparison>, QString>(nullptr, QString::fromUtf8(e.what()));
        }
    };
    if (static_cast<long long>(key.input.total()) <= kAsyncCells) {
        d->pending.reset();
        d->key = key;
        const auto [comparison, error] = run();
        finish(comparison, error);
        return;
    }
    d->pending = key;
    d->computing = true;
    d->status->setText(tr("computing…"));
    auto *watcher = new QFutureWatcher<std::pair<std::shared_ptr<core::Comparison>, QString>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != d->generation)
            return; // a newer request is running or done
        d->key = d->pending;
        d->pending.reset();
        d->computing = false;
        const auto [comparison, error] = watcher->result();
        finish(comparison, error);
        refresh(); // the reference may have moved while the worker ran
    });
    watcher->setFuture(QtConcurrent::run(run));
}

void CompareView::finish(std::shared_ptr<core::Comparison> comparison, const QString &error)
{
    d->error = error;
    d->canvas->comparison = std::move(comparison);
    d->canvas->message = error.isEmpty() ? QString() : tr("Cannot compare: %1").arg(error);
    d->status->setText(error.isEmpty() ? QString() : tr("cannot compare"));
    syncControls();
    d->canvas->invalidate();
    Q_EMIT comparisonChanged();
}

void CompareView::syncControls()
{
    const Session &s = *d->session;
    const bool byFill = s.compareBy() == Session::CompareBy::Fill;
    d->fills->setChecked(byFill);
    d->amounts->setChecked(!byFill);

    QStringList names;
    const core::Comparison *c = d->canvas->comparison.get();
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
    if (!d->computing && d->error.isEmpty())
        d->status->clear();
}

} // namespace padlab::ui

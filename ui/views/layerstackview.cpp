#include "layerstackview.h"

#include "look.h"
#include "session.h"
#include "wheelguard.h"

#include "padlab/core/error.h"

#include <QApplication>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QPalette>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <utility>

namespace padlab::ui {

using Kind = core::Layer::Kind;

namespace {

constexpr Kind kKinds[] = {Kind::Conv2D, Kind::MaxPool, Kind::Flatten, Kind::Dense};

enum EditorColumn { KindColumn, CountColumn, SizeColumn, StrideColumn, PaddingColumn, EditorColumns };
enum SummaryColumn { NameColumn, ShapeColumn, ParamsColumn, SummaryColumns };

// Pixel sizes at fontScale 1: the editors read from the first rows, the summary from the back.
constexpr double kEditorPixels = 14;
constexpr double kSummaryPixels = 19;
constexpr double kTotalPixels = 22;

QString kindName(Kind kind)
{
    switch (kind) {
    case Kind::Conv2D: return QStringLiteral("Conv2D");
    case Kind::MaxPool: return QStringLiteral("MaxPool");
    case Kind::Flatten: return QStringLiteral("Flatten");
    case Kind::Dense: return QStringLiteral("Dense");
    }
    return {};
}

int kindIndex(Kind kind)
{
    return int(std::find(std::begin(kKinds), std::end(kKinds), kind) - std::begin(kKinds));
}

QString withCommas(std::int64_t n)
{
    QString digits = QString::number(n < 0 ? -n : n);
    for (int at = int(digits.size()) - 3; at > 0; at -= 3)
        digits.insert(at, QLatin1Char(','));
    return n < 0 ? QLatin1Char('-') + digits : digits;
}

// The engine words its messages for the command line; the window has no options to name.
QString withoutOption(QString message)
{
    for (const QLatin1String option : {QLatin1String("--layers: "), QLatin1String("--input-shape: ")})
        if (message.startsWith(option))
            return message.mid(option.size());
    return message;
}

QFont pixelFont(const QFont &base, double pixels, bool bold = false)
{
    QFont font = base;
    font.setPixelSize(std::max(1, int(std::lround(pixels))));
    font.setBold(bold);
    return font;
}

QSpinBox *newSpin(int minimum, int maximum)
{
    auto *spin = new QSpinBox;
    spin->setRange(minimum, maximum);
    spin->setKeyboardTracking(false); // one change when the number is complete, not per digit
    spin->setAccelerated(true);
    return spin;
}

} // namespace

/// The feature maps of the stack side by side, each box scaled by its height and width, so that
/// valid shrinking and same keeping the size show at a glance. Flat outputs are thin bars.
class FeatureMapStrip : public QWidget {
public:
    struct Map {
        QString label;
        std::int64_t rows = 0; ///< 0 for a flat output
        std::int64_t cols = 0;
    };

    explicit FeatureMapStrip(QWidget *parent = nullptr) : QWidget(parent)
    {
        setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    }

    void setMaps(std::vector<Map> maps)
    {
        m_maps = std::move(maps);
        update();
    }
    const std::vector<Map> &maps() const { return m_maps; }

    void setLook(const Look &look)
    {
        m_look = look;
        setFont(pixelFont(font(), look.px(15)));
        setMaximumHeight(int(std::lround(look.px(150))));
        updateGeometry();
        update();
    }

    QSize sizeHint() const override { return {400, int(std::lround(m_look.px(130)))}; }
    QSize minimumSizeHint() const override { return {0, 0}; }

    /// Where each map's box is drawn (empty when there is no room).
    std::vector<QRectF> boxes() const
    {
        std::vector<QRectF> out;
        const int n = int(m_maps.size());
        const double labelHeight = QFontMetrics(font()).height() + 4;
        const double slot = n > 0 ? width() / double(n) : 0;
        const double side = std::min(slot * 0.8, height() - labelHeight - 8);
        if (n == 0 || side < 24) // boxes smaller than a finger's width tell nothing
            return out;
        std::int64_t extent = 1;
        for (const Map &m : m_maps)
            extent = std::max({extent, m.rows, m.cols});
        for (int i = 0; i < n; ++i) {
            const Map &m = m_maps[size_t(i)];
            const double w = m.rows > 0 ? std::max(3.0, side * double(m.cols) / double(extent)) : m_look.px(6);
            const double h = m.rows > 0 ? std::max(3.0, side * double(m.rows) / double(extent)) : side * 0.8;
            const QPointF centre(slot * (i + 0.5), 4 + side / 2);
            out.emplace_back(centre.x() - w / 2, centre.y() - h / 2, w, h);
        }
        return out;
    }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter painter(this);
        painter.setRenderHint(QPainter::Antialiasing);
        const std::vector<QRectF> rects = boxes();
        const QColor edge = m_look.windowColor();
        QColor fill = edge;
        fill.setAlpha(70);
        const double slot = m_maps.empty() ? 0 : width() / double(m_maps.size());
        // Labels shrink to fit their slot, down to the smallest size a projector still shows.
        QFont labelFont = font();
        const auto widest = [&] {
            int w = 0;
            for (const Map &m : m_maps)
                w = std::max(w, QFontMetrics(labelFont).horizontalAdvance(m.label));
            return w;
        };
        while (labelFont.pixelSize() > 13 && widest() > slot - 4)
            labelFont.setPixelSize(labelFont.pixelSize() - 1);
        painter.setFont(labelFont);
        const QFontMetrics metrics(labelFont);
        for (size_t i = 0; i < rects.size(); ++i) {
            painter.setPen(QPen(edge, 1.5));
            painter.setBrush(m_maps[i].rows > 0 ? fill : edge);
            painter.drawRect(rects[i]);
            painter.setPen(palette().color(QPalette::WindowText));
            const QRectF label(slot * double(i), height() - metrics.height() - 4, slot, metrics.height() + 4);
            painter.drawText(label, Qt::AlignCenter,
                             metrics.elidedText(m_maps[i].label, Qt::ElideMiddle, int(slot) - 4));
        }
    }

private:
    std::vector<Map> m_maps;
    Look m_look;
};

QString layerSpecText(const std::vector<core::Layer> &layers)
{
    QStringList items;
    for (const core::Layer &l : layers) {
        switch (l.kind) {
        case Kind::Conv2D: {
            QString item = QStringLiteral("conv2d:%1:%2").arg(l.filters).arg(l.kernel);
            if (l.stride != 1 || l.same)
                item += QStringLiteral(":%1").arg(l.stride);
            if (l.same)
                item += QStringLiteral(":same");
            items << item;
            break;
        }
        case Kind::MaxPool: items << QStringLiteral("maxpool:%1").arg(l.pool); break;
        case Kind::Flatten: items << QStringLiteral("flatten"); break;
        case Kind::Dense: items << QStringLiteral("dense:%1").arg(l.units); break;
        }
    }
    return items.join(QLatin1Char(','));
}

LayerStackView::LayerStackView(Session *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
{
    // Input shape and the valid | same switch.
    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Input shape")));
    const QString axisNames[3] = {tr("H"), tr("W"), tr("C")};
    const QString axisTips[3] = {tr("Height"), tr("Width"), tr("Channels")};
    for (int axis = 0; axis < 3; ++axis) {
        auto *label = new QLabel(axisNames[axis]);
        m_input[axis] = newSpin(1, axis < 2 ? 99'999 : 9'999);
        m_input[axis]->setToolTip(axisTips[axis]);
        label->setBuddy(m_input[axis]);
        top->addSpacing(8);
        top->addWidget(label);
        top->addWidget(m_input[axis]);
        connect(m_input[axis], &QSpinBox::valueChanged, this, &LayerStackView::commit);
    }
    top->addStretch(1);
    top->addWidget(new QLabel(tr("All Conv2D layers:")));
    m_allValid = new QPushButton(tr("valid"));
    m_allSame = new QPushButton(tr("same"));
    for (QPushButton *button : {m_allValid, m_allSame}) {
        button->setCheckable(true);
        top->addWidget(button);
    }
    top->setSpacing(4);
    connect(m_allValid, &QPushButton::clicked, this, [this] { setAllSame(false); });
    connect(m_allSame, &QPushButton::clicked, this, [this] { setAllSame(true); });

    // One row per layer; the row numbers are the "layer N" of the engine's messages.
    m_editor = new QTableWidget(0, EditorColumns);
    m_editor->setObjectName(QStringLiteral("layerEditor"));
    m_editor->setHorizontalHeaderLabels(
        {tr("Layer"), tr("Filters / units"), tr("Kernel / pool"), tr("Stride"), tr("Padding")});
    m_editor->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_editor->setSelectionMode(QAbstractItemView::SingleSelection);
    m_editor->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_editor->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_editor->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    connect(m_editor->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &LayerStackView::updateControls);

    auto *buttons = new QHBoxLayout;
    for (Kind kind : kKinds) {
        QPushButton *add = new QPushButton(tr("+ %1").arg(kindName(kind)));
        add->setToolTip(tr("Add a %1 layer after the selected row (or at the end)").arg(kindName(kind)));
        m_add[kindIndex(kind)] = add;
        buttons->addWidget(add);
        connect(add, &QPushButton::clicked, this, [this, kind] { insertLayer(kind); });
    }
    buttons->addStretch(1);
    m_remove = new QPushButton(tr("Remove"));
    m_moveUp = new QPushButton(tr("Up"));
    m_moveDown = new QPushButton(tr("Down"));
    m_remove->setToolTip(tr("Remove the selected layer"));
    m_moveUp->setToolTip(tr("Move the selected layer up"));
    m_moveDown->setToolTip(tr("Move the selected layer down"));
    for (QPushButton *button : {m_remove, m_moveUp, m_moveDown})
        buttons->addWidget(button);
    connect(m_remove, &QPushButton::clicked, this, &LayerStackView::removeSelected);
    connect(m_moveUp, &QPushButton::clicked, this, [this] { moveSelected(-1); });
    connect(m_moveDown, &QPushButton::clicked, this, [this] { moveSelected(+1); });


    // The summary: what the engine computed for the session's stack.
    m_summary = new QTableWidget(0, SummaryColumns);
    m_summary->setObjectName(QStringLiteral("layerSummary"));
    m_summary->setHorizontalHeaderLabels({tr("Layer (type)"), tr("Output shape"), tr("Param #")});
    m_summary->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_summary->setSelectionMode(QAbstractItemView::NoSelection);
    m_summary->setFocusPolicy(Qt::NoFocus);
    m_summary->verticalHeader()->hide();
    m_summary->setAlternatingRowColors(true);
    m_summary->setShowGrid(false);
    m_summary->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_summary->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_summary->horizontalHeader()->setStretchLastSection(true);
    m_summary->horizontalHeaderItem(ParamsColumn)->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_summary->horizontalHeaderItem(NameColumn)->setTextAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_summary->horizontalHeaderItem(ShapeColumn)->setTextAlignment(Qt::AlignLeft | Qt::AlignVCenter);

    m_total = new QLabel;
    m_total->setObjectName(QStringLiteral("layerTotal"));
    m_total->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_total->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error = new QLabel;
    m_error->setObjectName(QStringLiteral("layerError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_error->hide();

    // The summary takes the height of its rows (it is what the class reads); the editor the rest.
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_editor, 1);
    layout->addLayout(buttons);
    m_maps = new FeatureMapStrip;
    m_maps->setObjectName(QStringLiteral("featureMaps"));
    layout->addSpacing(6);
    layout->addWidget(m_maps, 1);
    layout->addWidget(m_summary, 3);
    layout->addWidget(m_error, 3);
    layout->addWidget(m_total);
    layout->addStretch(0);

    // The summary depends on the stack alone, never on the input: computed once per stack, it
    // costs nothing while the view is hidden, and the view answers for it at any time.
    m_session->need(Part::Layers);
    connect(m_session, &Session::viewSettingsChanged, this, &LayerStackView::syncFromSession);
    connect(m_session, &Session::snapshotChanged, this, &LayerStackView::refreshSummary);
    connect(m_session, &Session::lookChanged, this, &LayerStackView::lookChanged);
    applyFonts();
    lookChanged();
    syncFromSession();
}

void LayerStackView::lookChanged()
{
    const Look &look = m_session->look();
    if (std::abs(look.fontScale - m_fontScale) > 1e-9) {
        m_fontScale = look.fontScale;
        applyFonts();
    }
    const bool dark = look.dark;
    m_dark = dark;
    QPalette palette = QApplication::palette();
    if (dark) {
        // The same greys as the painters' dark look.
        palette.setColor(QPalette::Window, QColor(30, 32, 36));
        palette.setColor(QPalette::Base, QColor(30, 32, 36));
        palette.setColor(QPalette::AlternateBase, QColor(48, 50, 56));
        palette.setColor(QPalette::Button, QColor(56, 58, 64));
        for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
            palette.setColor(role, QColor(235, 235, 235));
        palette.setColor(QPalette::PlaceholderText, QColor(170, 170, 175));
        palette.setColor(QPalette::Highlight, look.windowColor());
        palette.setColor(QPalette::HighlightedText, QColor(255, 255, 255));
    }
    setPalette(palette);
    setAutoFillBackground(dark);
    // The switch must show from afar which of the two the stack is under.
    const QColor on = look.windowColor();
    const QString checked = QStringLiteral("QPushButton:checked { background: %1; color: white; border: 1px solid %1;"
                                           " border-radius: 3px; padding: 3px 12px; }")
                                .arg(on.name());
    m_allValid->setStyleSheet(checked);
    m_allSame->setStyleSheet(checked);
    QPalette errorPalette = palette;
    errorPalette.setColor(QPalette::WindowText, errorColor(dark));
    m_error->setPalette(errorPalette);
    m_maps->setLook(look);
}

core::Layer LayerStackView::defaultLayer(Kind kind)
{
    core::Layer l;
    l.kind = kind;
    switch (kind) {
    case Kind::Conv2D:
        l.filters = 32;
        l.kernel = 3;
        break;
    case Kind::MaxPool: l.pool = 2; break;
    case Kind::Flatten: break;
    case Kind::Dense: l.units = 64; break;
    }
    return l;
}

QColor LayerStackView::errorColor(bool dark)
{
    return dark ? QColor(255, 120, 110) : QColor(198, 40, 40);
}

QList<LayerStackView::ShownRow> LayerStackView::shownRows() const
{
    QList<ShownRow> rows;
    for (int r = 0; r < m_summary->rowCount(); ++r)
        rows.append({m_summary->item(r, NameColumn)->text(), m_summary->item(r, ShapeColumn)->text(),
                     m_summary->item(r, ParamsColumn)->text()});
    return rows;
}

QString LayerStackView::totalText() const
{
    return m_total->isHidden() ? QString() : m_total->text();
}

QStringList LayerStackView::mapLabels() const
{
    QStringList labels;
    for (const FeatureMapStrip::Map &m : m_maps->maps())
        labels << m.label;
    return labels;
}

QList<QRectF> LayerStackView::mapBoxes() const
{
    QList<QRectF> out;
    for (const QRectF &r : m_maps->boxes())
        out << r.translated(m_maps->mapTo(this, QPoint(0, 0)));
    return out;
}

QString LayerStackView::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

QSpinBox *LayerStackView::inputEditor(int axis) const
{
    return axis >= 0 && axis < 3 ? m_input[axis] : nullptr;
}

int LayerStackView::layerCount() const
{
    return int(m_rows.size());
}

QComboBox *LayerStackView::kindEditor(int row) const
{
    return row >= 0 && row < layerCount() ? m_rows[size_t(row)].kind : nullptr;
}

QSpinBox *LayerStackView::countEditor(int row) const
{
    return row >= 0 && row < layerCount() ? m_rows[size_t(row)].count : nullptr;
}

QSpinBox *LayerStackView::sizeEditor(int row) const
{
    return row >= 0 && row < layerCount() ? m_rows[size_t(row)].size : nullptr;
}

QSpinBox *LayerStackView::strideEditor(int row) const
{
    return row >= 0 && row < layerCount() ? m_rows[size_t(row)].stride : nullptr;
}

QComboBox *LayerStackView::paddingEditor(int row) const
{
    return row >= 0 && row < layerCount() ? m_rows[size_t(row)].padding : nullptr;
}

QAbstractButton *LayerStackView::addButton(Kind kind) const
{
    return m_add[kindIndex(kind)];
}

QAbstractButton *LayerStackView::removeButton() const
{
    return m_remove;
}

QAbstractButton *LayerStackView::moveUpButton() const
{
    return m_moveUp;
}

QAbstractButton *LayerStackView::moveDownButton() const
{
    return m_moveDown;
}

QAbstractButton *LayerStackView::allValidButton() const
{
    return m_allValid;
}

QAbstractButton *LayerStackView::allSameButton() const
{
    return m_allSame;
}

int LayerStackView::selectedRow() const
{
    const QModelIndexList rows = m_editor->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.first().row();
}

void LayerStackView::selectRow(int row)
{
    if (row >= 0 && row < layerCount())
        m_editor->selectRow(row);
    else
        m_editor->clearSelection();
}

bool LayerStackView::eventFilter(QObject *watched, QEvent *event)
{
    // Working in a row's editor selects that row, so that Remove and Move act on it.
    if (event->type() == QEvent::FocusIn) {
        const QVariant row = watched->property("layerRow");
        if (row.isValid() && row.toInt() != selectedRow())
            selectRow(row.toInt());
    }
    return QWidget::eventFilter(watched, event);
}

void LayerStackView::syncFromSession()
{
    try {
        const core::Shape shape = core::parseInputShape(m_session->layerInputShape().toStdString());
        for (int axis = 0; axis < 3; ++axis) {
            const QSignalBlocker blocker(m_input[axis]);
            m_input[axis]->setValue(int(shape.dims[size_t(axis)]));
        }
    } catch (const core::Error &) {
        // The spin boxes keep the last readable shape; refreshSummary() shows why.
    }
    try {
        std::vector<core::Layer> layers = core::parseLayers(m_session->layerSpec().toStdString());
        if (layerSpecText(layers) != layerSpecText(m_layers)) {
            m_layers = std::move(layers);
            rebuildRows();
        }
    } catch (const core::Error &) {
        // Likewise the rows keep the last readable stack.
    }
    refreshSummary();
    updateControls();
}

void LayerStackView::refreshSummary()
{
    const SnapshotPtr snapshot = m_session->snapshot();
    if (!snapshot->has(Part::Layers))
        return; // the summary of this stack is on its way
    const LayerSet &layers = *snapshot->layers;
    m_summary->setRowCount(0);
    if (layers.error.isEmpty()) {
        const core::StackSummary &summary = layers.summary;
        m_summary->setRowCount(int(summary.rows.size()));
        for (int r = 0; r < int(summary.rows.size()); ++r) {
            const core::LayerRow &row = summary.rows[size_t(r)];
            auto *name = new QTableWidgetItem(QString::fromStdString(row.name));
            auto *shape = new QTableWidgetItem(QString::fromStdString(row.output.text()));
            auto *params = new QTableWidgetItem(withCommas(row.params));
            params->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_summary->setItem(r, NameColumn, name);
            m_summary->setItem(r, ShapeColumn, shape);
            m_summary->setItem(r, ParamsColumn, params);
        }
        m_total->setText(tr("Total params: %1").arg(withCommas(summary.totalParams)));
        fitSummary();
        m_error->hide();
        m_error->clear();
        markFaultyRow(-1);
        std::vector<FeatureMapStrip::Map> maps;
        const auto mapOf = [](const core::Shape &shape) {
            FeatureMapStrip::Map map;
            QStringList dims;
            for (std::int64_t d : shape.dims)
                dims << QString::number(d);
            map.label = dims.join(QStringLiteral("×"));
            if (shape.dims.size() == 3) {
                map.rows = shape.dims[0];
                map.cols = shape.dims[1];
            }
            return map;
        };
        maps.push_back(mapOf(layers.input));
        for (const core::LayerRow &row : summary.rows)
            maps.push_back(mapOf(row.output));
        m_maps->setMaps(std::move(maps));
        m_maps->show();
        m_summary->show();
        m_total->show();
    } else {
        m_error->setText(withoutOption(layers.error));
        // summarize() names the layer it refuses as "layer N"; its row number is marked too.
        static const QRegularExpression layerNumber(QStringLiteral("^layer (\\d+) "));
        const QRegularExpressionMatch match = layerNumber.match(m_error->text());
        markFaultyRow(match.hasMatch() ? match.captured(1).toInt() - 1 : -1);
        m_summary->hide();
        m_total->hide();
        m_maps->setMaps({});
        m_maps->hide();
        m_error->show();
    }
}

void LayerStackView::markFaultyRow(int row)
{
    m_faultyRow = row >= 0 && row < layerCount() ? row : -1;
    for (int r = 0; r < layerCount(); ++r) {
        auto *item = new QTableWidgetItem(QString::number(r + 1));
        if (r == m_faultyRow) {
            item->setForeground(errorColor(m_dark));
            QFont bold = font();
            bold.setBold(true);
            item->setFont(bold);
            item->setToolTip(m_error->text());
        }
        m_editor->setVerticalHeaderItem(r, item);
    }
}

void LayerStackView::rebuildRows()
{
    const int selected = selectedRow();
    // Removing the rows deletes their editors later; none of them is the sender here.
    m_editor->setRowCount(0);
    m_rows.clear();
    m_editor->setRowCount(int(m_layers.size()));
    for (int r = 0; r < int(m_layers.size()); ++r) {
        RowEditors e;
        e.kind = new QComboBox;
        for (Kind kind : kKinds)
            e.kind->addItem(kindName(kind));
        e.count = newSpin(1, 999'999);
        e.size = newSpin(1, 99);
        e.stride = newSpin(1, 99);
        e.padding = new QComboBox;
        e.padding->addItems({QStringLiteral("valid"), QStringLiteral("same")});
        const std::pair<QWidget *, int> cells[] = {{e.kind, KindColumn},
                                                   {e.count, CountColumn},
                                                   {e.size, SizeColumn},
                                                   {e.stride, StrideColumn},
                                                   {e.padding, PaddingColumn}};
        // Each editor sits in a plain cell widget so that hiding it leaves an empty cell.
        for (const auto &[editor, column] : cells) {
            editor->setProperty("layerRow", r);
            editor->installEventFilter(this);
            WheelGuard::install(editor);
            auto *cell = new QWidget;
            auto *cellLayout = new QHBoxLayout(cell);
            cellLayout->setContentsMargins(3, 2, 3, 2);
            cellLayout->addWidget(editor);
            m_editor->setCellWidget(r, column, cell);
        }
        connect(e.kind, &QComboBox::currentIndexChanged, this, [this, r](int index) {
            if (m_layers[size_t(r)].kind == kKinds[index])
                return;
            m_layers[size_t(r)] = defaultLayer(kKinds[index]);
            showRow(r);
            commit();
        });
        connect(e.count, &QSpinBox::valueChanged, this, [this, r](int value) {
            core::Layer &l = m_layers[size_t(r)];
            (l.kind == Kind::Dense ? l.units : l.filters) = value;
            commit();
        });
        connect(e.size, &QSpinBox::valueChanged, this, [this, r](int value) {
            core::Layer &l = m_layers[size_t(r)];
            (l.kind == Kind::MaxPool ? l.pool : l.kernel) = value;
            m_rows[size_t(r)].size->setSuffix(QStringLiteral(" × %1").arg(value));
            commit();
        });
        connect(e.stride, &QSpinBox::valueChanged, this, [this, r](int value) {
            m_layers[size_t(r)].stride = value;
            commit();
        });
        connect(e.padding, &QComboBox::currentIndexChanged, this, [this, r](int index) {
            m_layers[size_t(r)].same = index == 1;
            commit();
        });
        m_rows.push_back(e);
        showRow(r);
    }
    selectRow(std::min(selected, layerCount() - 1));
    applyFonts();
}

void LayerStackView::showRow(int row)
{
    const core::Layer &l = m_layers[size_t(row)];
    const RowEditors &e = m_rows[size_t(row)];
    const QSignalBlocker b1(e.kind), b2(e.count), b3(e.size), b4(e.stride), b5(e.padding);
    e.kind->setCurrentIndex(kindIndex(l.kind));
    const bool conv = l.kind == Kind::Conv2D;
    e.count->setVisible(conv || l.kind == Kind::Dense);
    e.count->setValue(l.kind == Kind::Dense ? l.units : l.filters);
    e.count->setToolTip(l.kind == Kind::Dense ? tr("Units") : tr("Filters"));
    e.size->setVisible(conv || l.kind == Kind::MaxPool);
    e.size->setValue(l.kind == Kind::MaxPool ? l.pool : l.kernel);
    e.size->setSuffix(QStringLiteral(" × %1").arg(l.kind == Kind::MaxPool ? l.pool : l.kernel));
    e.size->setToolTip(l.kind == Kind::MaxPool ? tr("Pool size and stride") : tr("Kernel size (square)"));
    e.stride->setVisible(conv);
    e.stride->setValue(l.stride);
    e.padding->setVisible(conv);
    e.padding->setCurrentIndex(l.same ? 1 : 0);
}

void LayerStackView::updateControls()
{
    const int selected = selectedRow();
    m_remove->setEnabled(selected >= 0);
    m_moveUp->setEnabled(selected > 0);
    m_moveDown->setEnabled(selected >= 0 && selected + 1 < layerCount());
    int convs = 0;
    int same = 0;
    for (const core::Layer &l : m_layers) {
        if (l.kind == Kind::Conv2D) {
            ++convs;
            same += l.same ? 1 : 0;
        }
    }
    m_allValid->setEnabled(convs > 0);
    m_allSame->setEnabled(convs > 0);
    m_allValid->setChecked(convs > 0 && same == 0);
    m_allSame->setChecked(convs > 0 && same == convs);
}

void LayerStackView::applyFonts()
{
    const QFont base = QApplication::font();
    setFont(pixelFont(base, kEditorPixels * m_fontScale));
    // Buttons with a style sheet do not take their parent's font.
    m_allValid->setFont(font());
    m_allSame->setFont(font());
    const QFont summaryFont = pixelFont(base, kSummaryPixels * m_fontScale);
    m_summary->setFont(summaryFont);
    m_summary->horizontalHeader()->setFont(pixelFont(base, kSummaryPixels * m_fontScale, true));
    const int summaryRow = QFontMetrics(summaryFont).height() + int(std::lround(8 * m_fontScale));
    m_summary->verticalHeader()->setDefaultSectionSize(summaryRow);
    m_total->setFont(pixelFont(base, kTotalPixels * m_fontScale, true));
    m_maps->setLook(m_session->look());
    m_error->setFont(pixelFont(base, kSummaryPixels * m_fontScale));
    const int editorRow = QFontMetrics(font()).height() + int(std::lround(12 * m_fontScale));
    m_editor->verticalHeader()->setDefaultSectionSize(editorRow);
    fitSummary();
}

void LayerStackView::fitSummary()
{
    // The editor shows every row (up to twelve before it scrolls), as the summary does: the
    // page scrolls as a whole on a small screen rather than each table in its own slot.
    const int editorRow = m_editor->verticalHeader()->defaultSectionSize();
    const int editorChrome = m_editor->horizontalHeader()->sizeHint().height() + 2 * m_editor->frameWidth();
    const int editorRows = std::max(m_editor->rowCount(), 1);
    m_editor->setMaximumHeight(editorChrome + editorRows * editorRow);
    m_editor->setMinimumHeight(editorChrome + std::min(editorRows, 12) * editorRow);
    // Columns as wide as their text plus a gap, so that shape and count never touch.
    const int gap = QFontMetrics(m_summary->font()).horizontalAdvance(QStringLiteral("MM"));
    for (int column : {NameColumn, ShapeColumn}) {
        m_summary->resizeColumnToContents(column);
        m_summary->setColumnWidth(column, m_summary->columnWidth(column) + gap);
    }
    const int rows = m_summary->rowCount();
    const int rowHeight = m_summary->verticalHeader()->defaultSectionSize();
    const int chrome = m_summary->horizontalHeader()->sizeHint().height() + 2 * m_summary->frameWidth();
    m_summary->setMaximumHeight(chrome + rows * rowHeight);
    // Up to twelve rows are never squeezed: the diagram gives way first, then the page scrolls.
    m_summary->setMinimumHeight(chrome + std::min(rows, 12) * rowHeight);
}

void LayerStackView::commit()
{
    m_session->setLayerStack(inputShapeText(), layerSpecText(m_layers));
    // The session is silent when nothing changed; the switch must still follow the rows.
    updateControls();
}

void LayerStackView::insertLayer(Kind kind)
{
    const int selected = selectedRow();
    const int at = selected >= 0 ? selected + 1 : layerCount();
    m_layers.insert(m_layers.begin() + at, defaultLayer(kind));
    rebuildRows();
    selectRow(at);
    commit();
}

void LayerStackView::removeSelected()
{
    const int selected = selectedRow();
    if (selected < 0)
        return;
    m_layers.erase(m_layers.begin() + selected);
    rebuildRows();
    selectRow(std::min(selected, layerCount() - 1));
    commit();
}

void LayerStackView::moveSelected(int by)
{
    const int selected = selectedRow();
    const int to = selected + by;
    if (selected < 0 || to < 0 || to >= layerCount())
        return;
    std::swap(m_layers[size_t(selected)], m_layers[size_t(to)]);
    rebuildRows();
    selectRow(to);
    commit();
}

void LayerStackView::setAllSame(bool same)
{
    for (int r = 0; r < layerCount(); ++r) {
        if (m_layers[size_t(r)].kind == Kind::Conv2D) {
            m_layers[size_t(r)].same = same;
            showRow(r);
        }
    }
    commit();
}

QString LayerStackView::inputShapeText() const
{
    return QStringLiteral("%1x%2x%3").arg(m_input[0]->value()).arg(m_input[1]->value()).arg(m_input[2]->value());
}

} // namespace padlab::ui

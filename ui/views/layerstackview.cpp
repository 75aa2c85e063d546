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
#include <QMenu>
#include <QPainter>
#include <QPalette>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <utility>

namespace padlab::ui {

using Kind = core::Layer::Kind;
using Type = core::LayerSpec::Type;

namespace {

constexpr Kind kKinds[] = {Kind::Conv2D, Kind::MaxPool, Kind::Flatten, Kind::Dense};

enum EditorColumn {
    KindColumn,
    CountColumn,
    SizeColumn,
    StrideColumn,
    PaddingColumn,
    ExtraColumn, // dilation, depth multiplier
    PadsColumn,
    EditorColumns
};
enum SummaryColumn { NameColumn, ShapeColumn, ParamsColumn, SummaryColumns };

// Pixel sizes at fontScale 1: the editors read from the first rows, the summary from the back.
constexpr double kEditorPixels = 14;
constexpr double kSummaryPixels = 19;
constexpr double kTotalPixels = 22;

/// Every kind of the grammar, in the order the builder offers them, grouped as in the menu.
struct KindInfo {
    const char *word;  ///< as written back: `maxpool` is the 2-D one, as old stacks have it
    const char *label; ///< Keras' class
    Type type;
    int rank;          ///< 0: any rank
    const char *group;
};

constexpr KindInfo kAll[] = {
    {"conv1d", "Conv1D", Type::Conv, 1, "Convolution"},
    {"conv2d", "Conv2D", Type::Conv, 2, "Convolution"},
    {"conv3d", "Conv3D", Type::Conv, 3, "Convolution"},
    {"conv2dt", "Conv2DTranspose", Type::ConvTranspose, 2, "Convolution"},
    {"depthwise2d", "DepthwiseConv2D", Type::Depthwise, 2, "Convolution"},
    {"separable2d", "SeparableConv2D", Type::Separable, 2, "Convolution"},
    {"maxpool1d", "MaxPooling1D", Type::MaxPool, 1, "Pooling"},
    {"maxpool", "MaxPooling2D", Type::MaxPool, 2, "Pooling"},
    {"maxpool3d", "MaxPooling3D", Type::MaxPool, 3, "Pooling"},
    {"avgpool1d", "AveragePooling1D", Type::AvgPool, 1, "Pooling"},
    {"avgpool", "AveragePooling2D", Type::AvgPool, 2, "Pooling"},
    {"avgpool3d", "AveragePooling3D", Type::AvgPool, 3, "Pooling"},
    {"globalavgpool", "GlobalAveragePooling", Type::GlobalAvgPool, 0, "Pooling"},
    {"globalmaxpool", "GlobalMaxPooling", Type::GlobalMaxPool, 0, "Pooling"},
    {"zeropad1d", "ZeroPadding1D", Type::ZeroPad, 1, "Padding"},
    {"zeropad2d", "ZeroPadding2D", Type::ZeroPad, 2, "Padding"},
    {"zeropad3d", "ZeroPadding3D", Type::ZeroPad, 3, "Padding"},
    {"flatten", "Flatten", Type::Flatten, 0, "Core"},
    {"dense", "Dense", Type::Dense, 0, "Core"},
};

int infoIndex(const core::LayerSpec &l)
{
    for (int i = 0; i < int(std::size(kAll)); ++i)
        if (kAll[i].type == l.type && kAll[i].rank == l.rank)
            return i;
    return 0;
}

int infoIndex(const QString &word)
{
    for (int i = 0; i < int(std::size(kAll)); ++i)
        if (word == QLatin1String(kAll[i].word))
            return i;
    return -1;
}

bool isConv(Type t)
{
    return t == Type::Conv || t == Type::ConvTranspose || t == Type::Depthwise || t == Type::Separable;
}

bool isPool(Type t)
{
    return t == Type::MaxPool || t == Type::AvgPool;
}

QString quickWord(Kind kind, int rank)
{
    switch (kind) {
    case Kind::Conv2D: return QStringLiteral("conv%1d").arg(rank);
    case Kind::MaxPool: return rank == 2 ? QStringLiteral("maxpool") : QStringLiteral("maxpool%1d").arg(rank);
    case Kind::Flatten: return QStringLiteral("flatten");
    case Kind::Dense: return QStringLiteral("dense");
    }
    return {};
}

int kindIndex(Kind kind)
{
    return int(std::find(std::begin(kKinds), std::end(kKinds), kind) - std::begin(kKinds));
}

QString axesText(const std::vector<int> &values)
{
    QStringList parts;
    for (int v : values)
        parts << QString::number(v);
    if (std::all_of(values.begin(), values.end(), [&](int v) { return v == values.front(); }))
        return parts.value(0);
    return parts.join(QLatin1Char('x'));
}

QString paddingWord(core::Amount a)
{
    if (a == core::Amount::Same)
        return QStringLiteral("same");
    return a == core::Amount::Causal ? QStringLiteral("causal") : QStringLiteral("valid");
}

bool allOnes(const std::vector<int> &v)
{
    return std::all_of(v.begin(), v.end(), [](int x) { return x == 1; });
}

/// One layer as the grammar writes it, its optional fields only up to the last that differs
/// from its default.
QString specItem(const core::LayerSpec &l)
{
    const KindInfo &info = kAll[infoIndex(l)];
    QStringList f{QString::fromLatin1(info.word)};
    switch (l.type) {
    case Type::Conv:
    case Type::ConvTranspose:
    case Type::Separable:
    case Type::Depthwise: {
        if (l.type != Type::Depthwise)
            f << QString::number(l.filters);
        f << axesText(l.kernel);
        QStringList tail{axesText(l.stride), paddingWord(l.padding)};
        bool needed[3] = {!allOnes(l.stride), l.padding != core::Amount::Valid, false};
        if (l.type == Type::Conv) {
            tail << axesText(l.dilation);
            needed[2] = !allOnes(l.dilation);
        } else if (l.type == Type::Depthwise) {
            tail << QString::number(l.multiplier);
            needed[2] = l.multiplier != 1;
        }
        int last = -1;
        for (int i = 0; i < int(tail.size()); ++i)
            if (needed[i])
                last = i;
        f << tail.mid(0, last + 1);
        break;
    }
    case Type::MaxPool:
    case Type::AvgPool:
        f << axesText(l.kernel);
        if (l.stride != l.kernel || l.padding != core::Amount::Valid)
            f << axesText(l.stride);
        if (l.padding != core::Amount::Valid)
            f << paddingWord(l.padding);
        break;
    case Type::ZeroPad:
        if (!l.pads.empty() && std::all_of(l.pads.begin(), l.pads.end(), [&](int p) { return p == l.pads.front(); }))
            f << QString::number(l.pads.front());
        else
            for (int p : l.pads)
                f << QString::number(p);
        break;
    case Type::Dense: f << QString::number(l.units); break;
    default: break;
    }
    return f.join(QLatin1Char(':'));
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

/// The feature maps of the stack side by side, so that valid shrinking and same keeping the size
/// show at a glance: a 2-D map as a box scaled by its height and width, a 1-D one as a bar scaled
/// by its length, a 3-D one as its front slice (height by width) with up to six slices behind it
/// for its depth. Flat outputs are thin upright bars.
class FeatureMapStrip : public QWidget {
public:
    struct Map {
        QString label;
        std::int64_t rows = 0; ///< 0 for a flat output; 1-D: 0
        std::int64_t cols = 0; ///< 2-D and 3-D: width; 1-D: length
        std::int64_t depth = 0; ///< 3-D only
        bool flat() const { return rows == 0 && cols == 0; }
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
        // A volume's slices stand behind and above its front: room for them is kept.
        const bool volumes = std::any_of(m_maps.begin(), m_maps.end(), [](const Map &m) { return m.depth > 1; });
        const double room = volumes ? 5 * m_look.px(4) : 0;
        const double side = std::min(slot * 0.8 - room, height() - labelHeight - 8 - room);
        if (n == 0 || side < 24) // boxes smaller than a finger's width tell nothing
            return out;
        std::int64_t extent = 1;
        for (const Map &m : m_maps)
            extent = std::max({extent, m.rows, m.cols});
        for (int i = 0; i < n; ++i) {
            const Map &m = m_maps[size_t(i)];
            const double scaled = std::max(3.0, side * double(m.cols) / double(extent));
            double w = m_look.px(6);
            double h = side * 0.8;
            if (m.rows > 0) {
                w = scaled;
                h = std::max(3.0, side * double(m.rows) / double(extent));
            } else if (m.cols > 0) { // a 1-D map: a bar as long as the signal
                w = scaled;
                h = m_look.px(10);
            }
            const QPointF centre(slot * (i + 0.5) - room / 2, 4 + room + side / 2);
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
            painter.setBrush(m_maps[i].flat() ? edge : fill);
            // A volume's slices, back to front, behind the front one.
            const int slices = int(std::min<std::int64_t>(m_maps[i].depth, 6));
            const double step = m_look.px(4);
            for (int k = slices - 1; k > 0; --k)
                painter.drawRect(rects[i].translated(k * step, -k * step));
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

QString layerSpecText(const std::vector<core::LayerSpec> &layers)
{
    QStringList items;
    for (const core::LayerSpec &l : layers)
        items << specItem(l);
    return items.join(QLatin1Char(','));
}

LayerStackView::LayerStackView(Session *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
{
    // Input shape and the valid | same switch.
    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Input shape")));
    m_rankBox = new QComboBox;
    m_rankBox->addItem(tr("1-D  L×C"), 1);
    m_rankBox->addItem(tr("2-D  H×W×C"), 2);
    m_rankBox->addItem(tr("3-D  D×H×W×C"), 3);
    m_rankBox->setCurrentIndex(1);
    m_rankBox->setToolTip(tr("Spatial axes of the input: a signal, an image, a volume"));
    WheelGuard::install(m_rankBox);
    top->addWidget(m_rankBox);
    connect(m_rankBox, &QComboBox::currentIndexChanged, this,
            [this](int index) { setRank(m_rankBox->itemData(index).toInt()); });
    for (int axis = 0; axis < 4; ++axis) {
        m_axisLabel[axis] = new QLabel;
        m_input[axis] = newSpin(1, 1'000'000);
        m_axisLabel[axis]->setBuddy(m_input[axis]);
        top->addSpacing(8);
        top->addWidget(m_axisLabel[axis]);
        top->addWidget(m_input[axis]);
        connect(m_input[axis], &QSpinBox::valueChanged, this, &LayerStackView::commit);
    }
    top->addStretch(1);
    top->addWidget(new QLabel(tr("All conv layers:")));
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
        {tr("Layer"), tr("Filters / units"), tr("Kernel / pool"), tr("Stride"), tr("Padding"),
         tr("Dilation / multiplier"), tr("Zero pads (before:after)")});
    m_editor->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_editor->setSelectionMode(QAbstractItemView::SingleSelection);
    m_editor->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_editor->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_editor->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    connect(m_editor->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &LayerStackView::updateControls);

    auto *buttons = new QHBoxLayout;
    for (Kind kind : kKinds) {
        QPushButton *add = new QPushButton;
        m_add[kindIndex(kind)] = add;
        buttons->addWidget(add);
        connect(add, &QPushButton::clicked, this, [this, kind] { insertLayer(quickWord(kind, m_rank)); });
    }
    // Every other kind of the grammar, grouped, in one button so that the row stays short.
    m_addMenu = new QToolButton;
    m_addMenu->setText(tr("+ Layer"));
    m_addMenu->setToolTip(tr("Add a layer of any kind that fits the input after the selected row"));
    m_addMenu->setPopupMode(QToolButton::InstantPopup);
    m_addMenu->setMenu(new QMenu(m_addMenu));
    buttons->addWidget(m_addMenu);
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

core::LayerSpec LayerStackView::defaultLayer(const QString &word)
{
    const int i = infoIndex(word);
    if (i < 0)
        throw core::Error("no layer kind " + word.toStdString());
    const KindInfo &info = kAll[i];
    QString text = QString::fromLatin1(info.word);
    switch (info.type) {
    case Type::Conv:
    case Type::ConvTranspose:
    case Type::Separable: text += QStringLiteral(":32:3"); break;
    case Type::Depthwise: text += QStringLiteral(":3"); break;
    case Type::MaxPool:
    case Type::AvgPool: text += QStringLiteral(":2"); break;
    case Type::ZeroPad: text += QStringLiteral(":1"); break;
    case Type::Dense: text += QStringLiteral(":64"); break;
    default: break;
    }
    // The engine reads it, so that every field is as parseLayerSpecs() makes it.
    return core::parseLayerSpecs(text.toStdString()).front();
}

QStringList LayerStackView::kindWords(int rank)
{
    QStringList words;
    for (const KindInfo &info : kAll)
        if (info.rank == 0 || info.rank == rank)
            words << QString::fromLatin1(info.word);
    return words;
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

QComboBox *LayerStackView::rankEditor() const
{
    return m_rankBox;
}

QSpinBox *LayerStackView::inputEditor(int axis) const
{
    return axis >= 0 && axis <= m_rank ? m_input[axis] : nullptr;
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

QSpinBox *LayerStackView::dilationEditor(int row) const
{
    return row >= 0 && row < layerCount() ? m_rows[size_t(row)].dilation : nullptr;
}

QSpinBox *LayerStackView::multiplierEditor(int row) const
{
    return row >= 0 && row < layerCount() ? m_rows[size_t(row)].multiplier : nullptr;
}

QSpinBox *LayerStackView::padEditor(int row, int side) const
{
    return row >= 0 && row < layerCount() && side >= 0 && side < 6 ? m_rows[size_t(row)].pads[side] : nullptr;
}

QAbstractButton *LayerStackView::addButton(Kind kind) const
{
    return m_add[kindIndex(kind)];
}

QToolButton *LayerStackView::addMenuButton() const
{
    return m_addMenu;
}

QAction *LayerStackView::addLayerAction(const QString &word) const
{
    for (QAction *action : m_addMenu->menu()->actions())
        if (action->data().toString() == word)
            return action;
    return nullptr;
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
        const core::Shape shape = core::parseStackInputShape(m_session->layerInputShape().toStdString());
        const int rank = int(shape.dims.size()) - 1;
        for (int axis = 0; axis <= rank; ++axis) {
            const QSignalBlocker blocker(m_input[axis]);
            m_input[axis]->setValue(int(shape.dims[size_t(axis)]));
        }
        if (rank != m_rank) {
            m_rank = rank;
            const QSignalBlocker blocker(m_rankBox);
            m_rankBox->setCurrentIndex(rank - 1);
            m_layers.clear(); // the kind boxes offer the kinds of the rank: rebuilt below
        }
    } catch (const core::Error &) {
        // The spin boxes keep the last readable shape; refreshSummary() shows why.
    }
    showRank();
    try {
        std::vector<core::LayerSpec> layers = core::parseLayerSpecs(m_session->layerSpec().toStdString());
        if (layerSpecText(layers) != layerSpecText(m_layers) || int(m_rows.size()) != int(layers.size())) {
            m_layers = std::move(layers);
            rebuildRows();
        }
    } catch (const core::Error &) {
        // Likewise the rows keep the last readable stack.
        if (int(m_rows.size()) != int(m_layers.size()))
            rebuildRows();
    }
    refreshSummary();
    updateControls();
}

void LayerStackView::showRank()
{
    static const char *const names[3][4] = {{"L", "C", "", ""}, {"H", "W", "C", ""}, {"D", "H", "W", "C"}};
    static const char *const tips[3][4] = {{"Length", "Channels", "", ""},
                                           {"Height", "Width", "Channels", ""},
                                           {"Depth", "Height", "Width", "Channels"}};
    for (int axis = 0; axis < 4; ++axis) {
        const bool shown = axis <= m_rank;
        m_axisLabel[axis]->setVisible(shown);
        m_input[axis]->setVisible(shown);
        m_axisLabel[axis]->setText(tr(names[m_rank - 1][axis]));
        m_input[axis]->setToolTip(tr(tips[m_rank - 1][axis]));
    }
    for (Kind kind : kKinds) {
        const int i = infoIndex(quickWord(kind, m_rank));
        m_add[kindIndex(kind)]->setText(tr("+ %1").arg(QString::fromLatin1(kAll[i].label)));
        m_add[kindIndex(kind)]->setToolTip(
            tr("Add a %1 layer after the selected row (or at the end)").arg(QString::fromLatin1(kAll[i].label)));
    }
    rebuildAddMenu();
}

void LayerStackView::rebuildAddMenu()
{
    QMenu *menu = m_addMenu->menu();
    menu->clear();
    QString group;
    for (const KindInfo &info : kAll) {
        if (info.rank != 0 && info.rank != m_rank)
            continue;
        if (group != QLatin1String(info.group)) {
            group = QLatin1String(info.group);
            menu->addSection(tr(info.group));
        }
        QAction *action = menu->addAction(QString::fromLatin1(info.label));
        const QString word = QString::fromLatin1(info.word);
        action->setData(word);
        connect(action, &QAction::triggered, this, [this, word] { insertLayer(word); });
    }
}

void LayerStackView::setRank(int rank)
{
    if (rank == m_rank || rank < 1 || rank > 3)
        return;
    // The channels stay; the spatial axes keep their sizes where the new rank has as many.
    const int channels = m_input[m_rank]->value();
    const int side = m_input[m_rank - 1]->value();
    for (int axis = 0; axis <= rank; ++axis) {
        const QSignalBlocker blocker(m_input[axis]);
        m_input[axis]->setValue(axis == rank ? channels : (axis < m_rank ? m_input[axis]->value() : side));
    }
    m_rank = rank;
    showRank();
    rebuildRows();
    commit();
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
            const size_t rank = shape.dims.size();
            if (rank == 2) {
                map.cols = shape.dims[0];
            } else if (rank == 3) {
                map.rows = shape.dims[0];
                map.cols = shape.dims[1];
            } else if (rank == 4) {
                map.depth = shape.dims[0];
                map.rows = shape.dims[1];
                map.cols = shape.dims[2];
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
        // The kinds of the input's rank, and the row's own when it is of another.
        const int own = infoIndex(m_layers[size_t(r)]);
        for (int i = 0; i < int(std::size(kAll)); ++i)
            if (kAll[i].rank == 0 || kAll[i].rank == m_rank || i == own)
                e.kind->addItem(QString::fromLatin1(kAll[i].label), QString::fromLatin1(kAll[i].word));
        e.count = newSpin(1, 999'999);
        e.size = newSpin(1, 99);
        e.stride = newSpin(1, 99);
        e.padding = new QComboBox;
        e.dilation = newSpin(1, 99);
        e.multiplier = newSpin(1, 999);
        auto *pads = new QWidget;
        auto *padsLayout = new QHBoxLayout(pads);
        padsLayout->setContentsMargins(0, 0, 0, 0);
        padsLayout->setSpacing(2);
        for (QSpinBox *&pad : e.pads) {
            pad = newSpin(0, 9'999);
            padsLayout->addWidget(pad);
        }
        const std::pair<QWidget *, int> cells[] = {{e.kind, KindColumn},     {e.count, CountColumn},
                                                   {e.size, SizeColumn},     {e.stride, StrideColumn},
                                                   {e.padding, PaddingColumn}, {e.dilation, ExtraColumn},
                                                   {e.multiplier, ExtraColumn}, {pads, PadsColumn}};
        QWidget *cellOf[EditorColumns] = {};
        // Each editor sits in a plain cell widget so that hiding it leaves an empty cell.
        for (const auto &[editor, column] : cells) {
            if (!cellOf[column]) {
                cellOf[column] = new QWidget;
                auto *cellLayout = new QHBoxLayout(cellOf[column]);
                cellLayout->setContentsMargins(3, 2, 3, 2);
                m_editor->setCellWidget(r, column, cellOf[column]);
            }
            cellOf[column]->layout()->addWidget(editor);
        }
        QList<QWidget *> editors{e.kind, e.count, e.size, e.stride, e.padding, e.dilation, e.multiplier};
        for (QSpinBox *pad : e.pads)
            editors << pad;
        for (QWidget *editor : editors) {
            editor->setProperty("layerRow", r);
            editor->installEventFilter(this);
            WheelGuard::install(editor);
        }
        connect(e.kind, &QComboBox::currentIndexChanged, this, [this, r](int index) {
            const QString word = m_rows[size_t(r)].kind->itemData(index).toString();
            if (word == QLatin1String(kAll[infoIndex(m_layers[size_t(r)])].word))
                return;
            m_layers[size_t(r)] = defaultLayer(word);
            showRow(r);
            commit();
        });
        connect(e.count, &QSpinBox::valueChanged, this, [this, r](int value) {
            core::LayerSpec &l = m_layers[size_t(r)];
            (l.type == Type::Dense ? l.units : l.filters) = value;
            commit();
        });
        connect(e.size, &QSpinBox::valueChanged, this, [this, r](int value) {
            core::LayerSpec &l = m_layers[size_t(r)];
            // A pool's stride is its window unless set apart from it.
            if (isPool(l.type) && l.stride == l.kernel) {
                l.stride.assign(l.kernel.size(), value);
                const QSignalBlocker blocker(m_rows[size_t(r)].stride);
                m_rows[size_t(r)].stride->setValue(value);
            }
            l.kernel.assign(l.kernel.size(), value);
            m_rows[size_t(r)].size->setSuffix(sizeSuffix(l));
            commit();
        });
        connect(e.stride, &QSpinBox::valueChanged, this, [this, r](int value) {
            core::LayerSpec &l = m_layers[size_t(r)];
            l.stride.assign(l.stride.size(), value);
            commit();
        });
        connect(e.padding, &QComboBox::currentIndexChanged, this, [this, r](int index) {
            const QString word = m_rows[size_t(r)].padding->itemText(index);
            m_layers[size_t(r)].padding = word == QLatin1String("same")     ? core::Amount::Same
                                          : word == QLatin1String("causal") ? core::Amount::Causal
                                                                            : core::Amount::Valid;
            commit();
        });
        connect(e.dilation, &QSpinBox::valueChanged, this, [this, r](int value) {
            core::LayerSpec &l = m_layers[size_t(r)];
            l.dilation.assign(l.dilation.size(), value);
            commit();
        });
        connect(e.multiplier, &QSpinBox::valueChanged, this, [this, r](int value) {
            m_layers[size_t(r)].multiplier = value;
            commit();
        });
        for (int side = 0; side < 6; ++side) {
            connect(e.pads[side], &QSpinBox::valueChanged, this, [this, r, side](int value) {
                core::LayerSpec &l = m_layers[size_t(r)];
                if (side < int(l.pads.size()))
                    l.pads[size_t(side)] = value;
                commit();
            });
        }
        m_rows.push_back(e);
        showRow(r);
    }
    selectRow(std::min(selected, layerCount() - 1));
    applyFonts();
}

QString LayerStackView::sizeSuffix(const core::LayerSpec &l)
{
    QString suffix;
    for (size_t a = 1; a < l.kernel.size(); ++a)
        suffix += QStringLiteral(" × %1").arg(l.kernel[a]);
    return suffix;
}

void LayerStackView::showRow(int row)
{
    const core::LayerSpec &l = m_layers[size_t(row)];
    const RowEditors &e = m_rows[size_t(row)];
    const QSignalBlocker b1(e.kind), b2(e.count), b3(e.size), b4(e.stride), b5(e.padding), b6(e.dilation),
        b7(e.multiplier);
    e.kind->setCurrentIndex(e.kind->findData(QString::fromLatin1(kAll[infoIndex(l)].word)));
    const bool conv = isConv(l.type);
    const bool pool = isPool(l.type);
    e.count->setVisible(l.type == Type::Dense || (conv && l.type != Type::Depthwise));
    e.count->setValue(l.type == Type::Dense ? l.units : l.filters);
    e.count->setToolTip(l.type == Type::Dense ? tr("Units") : tr("Filters"));
    e.size->setVisible(conv || pool);
    e.size->setValue(l.kernel.empty() ? 1 : l.kernel.front());
    e.size->setSuffix(sizeSuffix(l));
    e.size->setToolTip(pool ? tr("Pool size, on every axis") : tr("Kernel size, on every axis"));
    e.stride->setVisible(conv || pool);
    e.stride->setValue(l.stride.empty() ? 1 : l.stride.front());
    e.stride->setToolTip(pool ? tr("Stride (the pool size unless changed)") : tr("Stride, on every axis"));
    e.padding->clear();
    e.padding->addItems({QStringLiteral("valid"), QStringLiteral("same")});
    if (l.type == Type::Conv && l.rank == 1)
        e.padding->addItem(QStringLiteral("causal")); // Keras' Conv1D alone takes it
    e.padding->setVisible(conv || pool);
    e.padding->setCurrentText(paddingWord(l.padding));
    e.dilation->setVisible(l.type == Type::Conv);
    e.dilation->setValue(l.dilation.empty() ? 1 : l.dilation.front());
    e.dilation->setPrefix(tr("dilation "));
    e.dilation->setToolTip(tr("Dilation, on every axis (a stride above 1 with it is refused, as Keras does)"));
    e.multiplier->setVisible(l.type == Type::Depthwise);
    e.multiplier->setValue(l.multiplier);
    e.multiplier->setPrefix(tr("× "));
    e.multiplier->setToolTip(tr("Depth multiplier: output channels per input channel"));
    static const char *const sides[3][6] = {{"left", "right"},
                                            {"top", "bottom", "left", "right"},
                                            {"front", "back", "top", "bottom", "left", "right"}};
    for (int side = 0; side < 6; ++side) {
        QSpinBox *pad = e.pads[side];
        const QSignalBlocker blocker(pad);
        const bool shown = l.type == Type::ZeroPad && side < int(l.pads.size());
        pad->setVisible(shown);
        if (shown) {
            pad->setValue(l.pads[size_t(side)]);
            pad->setToolTip(tr("Zeros added %1").arg(tr(sides[l.rank - 1][side])));
        }
    }
}

void LayerStackView::updateControls()
{
    const int selected = selectedRow();
    m_remove->setEnabled(selected >= 0);
    m_moveUp->setEnabled(selected > 0);
    m_moveDown->setEnabled(selected >= 0 && selected + 1 < layerCount());
    int convs = 0;
    int same = 0;
    for (const core::LayerSpec &l : m_layers) {
        if (isConv(l.type)) {
            ++convs;
            same += l.padding == core::Amount::Same ? 1 : 0;
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

void LayerStackView::insertLayer(const QString &word)
{
    const int selected = selectedRow();
    const int at = selected >= 0 ? selected + 1 : layerCount();
    m_layers.insert(m_layers.begin() + at, defaultLayer(word));
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
        core::LayerSpec &l = m_layers[size_t(r)];
        if (isConv(l.type)) {
            l.padding = same ? core::Amount::Same : core::Amount::Valid;
            showRow(r);
        }
    }
    commit();
}

QString LayerStackView::inputShapeText() const
{
    QStringList dims;
    for (int axis = 0; axis <= m_rank; ++axis)
        dims << QString::number(m_input[axis]->value());
    return dims.join(QLatin1Char('x'));
}

} // namespace padlab::ui

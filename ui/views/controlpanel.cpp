#include "controlpanel.h"

#include "session.h"
#include "snapshot.h"

#include "padlab/core/fill.h"
#include "padlab/core/frameworks.h"
#include "padlab/core/geometry.h"

#include <QBoxLayout>
#include <QCheckBox>
#include <QComboBox>
#include <QSlider>
#include <QEvent>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace padlab::ui {

namespace {

constexpr int kMaxPad = 99;
constexpr int kMaxStep = 16;

const std::array<core::Amount, 5> kAmounts
    = {core::Amount::Valid, core::Amount::Same, core::Amount::Full, core::Amount::Causal,
       core::Amount::Explicit};

const std::array<Session::Channel, 4> kChannels = {Session::Channel::Gray, Session::Channel::Red,
                                                   Session::Channel::Green, Session::Channel::Blue};

const std::array<OutputScale, 4> kScales
    = {OutputScale::Diverging, OutputScale::Absolute, OutputScale::Clip, OutputScale::Stretch};

QString qs(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

template <typename T, std::size_t N> int indexOf(const std::array<T, N> &values, T value)
{
    for (std::size_t i = 0; i < N; ++i)
        if (values[i] == value)
            return int(i);
    return 0;
}

QHBoxLayout *pair(QWidget *first, QWidget *second)
{
    auto *row = new QHBoxLayout;
    row->addWidget(first);
    row->addWidget(new QLabel(QStringLiteral("×")));
    row->addWidget(second);
    row->addStretch();
    return row;
}

} // namespace

ControlPanel::ControlPanel(Session *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
{
    m_amount = new QComboBox(this);
    m_amount->setObjectName(QStringLiteral("amount"));
    m_amount->addItem(tr("valid (no padding)"));
    m_amount->addItem(tr("same (output = ⌈input / stride⌉)"));
    m_amount->addItem(tr("full (e − 1 on every side)"));
    m_amount->addItem(tr("causal (e − 1 top and left)"));
    m_amount->addItem(tr("explicit (top, bottom, left, right)"));
    m_amount->setToolTip(tr("How many cells are added on each side"));

    m_top = makeSpin("padTop", 0, kMaxPad, tr("Rows added at the top"));
    m_bottom = makeSpin("padBottom", 0, kMaxPad, tr("Rows added at the bottom"));
    m_left = makeSpin("padLeft", 0, kMaxPad, tr("Columns added on the left"));
    m_right = makeSpin("padRight", 0, kMaxPad, tr("Columns added on the right"));
    m_sidesBox = new QWidget(this);
    auto *sides = new QGridLayout(m_sidesBox);
    sides->setContentsMargins(0, 0, 0, 0);
    sides->addWidget(new QLabel(tr("top")), 0, 0);
    sides->addWidget(m_top, 0, 1);
    sides->addWidget(new QLabel(tr("bottom")), 0, 2);
    sides->addWidget(m_bottom, 0, 3);
    sides->addWidget(new QLabel(tr("left")), 1, 0);
    sides->addWidget(m_left, 1, 1);
    sides->addWidget(new QLabel(tr("right")), 1, 2);
    sides->addWidget(m_right, 1, 3);

    m_fill = new QComboBox(this);
    m_fill->setObjectName(QStringLiteral("fill"));
    for (core::Fill fill : core::allFills()) {
        const int index = m_fill->count();
        m_fill->addItem(
            QStringLiteral("%1   %2").arg(qs(core::fillName(fill)), qs(core::fillDiagram(fill))));
        m_fill->setItemData(index, fillNamesText(index), Qt::ToolTipRole);
    }
    m_fillNames = new QLabel(this);
    m_fillNames->setObjectName(QStringLiteral("fillNames"));
    m_fillNames->setWordWrap(true);
    m_fillNames->setTextInteractionFlags(Qt::TextSelectableByMouse);
    fitFillNames();

    m_value = new QDoubleSpinBox(this);
    m_value->setObjectName(QStringLiteral("fillValue"));
    m_value->setRange(-1e6, 1e6);
    m_value->setDecimals(3);
    m_value->setToolTip(tr("The value of the added cells for the constant fill"));

    m_strideRows = makeSpin("strideRows", 1, kMaxStep, tr("Stride down the rows"));
    m_strideCols = makeSpin("strideCols", 1, kMaxStep, tr("Stride along the columns"));
    m_dilationRows = makeSpin("dilationRows", 1, kMaxStep, tr("Dilation down the rows"));
    m_dilationCols = makeSpin("dilationCols", 1, kMaxStep, tr("Dilation along the columns"));

    m_operation = new QComboBox(this);
    m_operation->setObjectName(QStringLiteral("operation"));
    m_operation->addItem(tr("cross-correlation (no flip)"));
    m_operation->addItem(tr("convolution (kernel flipped)"));
    m_operation->setToolTip(
        tr("Deep-learning frameworks and cv::filter2D compute "
           "cross-correlation; true convolution flips the kernel on both axes"));

    m_channel = new QComboBox(this);
    m_channel->setObjectName(QStringLiteral("channel"));
    m_channel->addItems({tr("grayscale"), tr("red"), tr("green"), tr("blue")});
    m_channel->setToolTip(tr("The plane of a colour image that is convolved"));

    m_outputScale = new QComboBox(this);
    m_outputScale->setObjectName(QStringLiteral("outputScale"));
    m_outputScale->addItem(tr("diverging (blue − / red +)"));
    m_outputScale->addItem(tr("absolute value"));
    m_outputScale->addItem(tr("clip to 0..255"));
    m_outputScale->addItem(tr("stretch min..max"));
    m_outputScale->setToolTip(tr("How signed output values are coloured"));

    m_clipOutliers = new QCheckBox(tr("colours span 1–99 %"), this);
    m_clipOutliers->setObjectName(QStringLiteral("clipOutliers"));
    m_clipOutliers->setToolTip(tr("The output's colours span its 1st to 99th percentile, so a few "
                                  "extreme values do not wash out the rest; the colour bar says so"));

    m_paddingTint = new QSlider(Qt::Horizontal, this);
    m_paddingTint->setObjectName(QStringLiteral("paddingTint"));
    m_paddingTint->setRange(0, 100);
    m_paddingTint->setPageStep(25);
    m_paddingTint->setToolTip(tr("How strongly padding cells are tinted: down to an outline, so "
                                 "that what the fill put there shows in its own grey"));

    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("dockNote"));
    fitFillNames();
    m_note->setWordWrap(true);
    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_note->hide();

    auto *amount = new QGroupBox(tr("Padding amount"), this);
    auto *amountForm = new QFormLayout(amount);
    amountForm->addRow(tr("Amount"), m_amount);
    amountForm->addRow(m_sidesBox);

    auto *fill = new QGroupBox(tr("Fill"), this);
    auto *fillForm = new QFormLayout(fill);
    fillForm->addRow(tr("Fill"), m_fill);
    fillForm->addRow(m_fillNames);
    fillForm->addRow(tr("Value"), m_value);

    auto *window = new QGroupBox(tr("Window"), this);
    auto *windowForm = new QFormLayout(window);
    windowForm->addRow(tr("Stride"), pair(m_strideRows, m_strideCols));
    windowForm->addRow(tr("Dilation"), pair(m_dilationRows, m_dilationCols));
    windowForm->addRow(tr("Operation"), m_operation);

    auto *display = new QGroupBox(tr("Display"), this);
    m_displayForm = new QFormLayout(display);
    m_displayForm->addRow(tr("Channel"), m_channel);
    m_displayForm->addRow(tr("Output"), m_outputScale);
    m_displayForm->addRow(QString(), m_clipOutliers);
    m_displayForm->addRow(tr("Padding tint"), m_paddingTint);
    m_amountGroup = amount;
    m_fillGroup = fill;
    m_windowGroup = window;
    m_displayGroup = display;

    // Short groups share a column, so that laid out in a row below the panels the settings
    // stay about as tall as the fill group and leave the height to the panels.
    const auto column = [this](std::initializer_list<QWidget *> groups) {
        auto *widget = new QWidget(this);
        auto *layout = new QVBoxLayout(widget);
        layout->setContentsMargins(0, 0, 0, 0);
        for (QWidget *group : groups)
            layout->addWidget(group);
        layout->addStretch();
        return widget;
    };
    m_layout = new QBoxLayout(QBoxLayout::TopToBottom, this);
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->addWidget(column({m_note, amount, window}));
    m_layout->addWidget(column({fill, display}));

    connect(m_amount, &QComboBox::currentIndexChanged, this, &ControlPanel::amountEdited);
    for (QSpinBox *spin : {m_top, m_bottom, m_left, m_right})
        connect(spin, &QSpinBox::valueChanged, this, &ControlPanel::amountEdited);
    connect(m_fill, &QComboBox::currentIndexChanged, this, &ControlPanel::fillEdited);
    connect(m_value, &QDoubleSpinBox::valueChanged, this,
            [this](double value) { m_session->setValue(value); });
    connect(m_strideRows, &QSpinBox::valueChanged, this, [this](int rows) {
        m_session->setStride({rows, m_strideCols->value()});
    });
    connect(m_strideCols, &QSpinBox::valueChanged, this, [this](int cols) {
        m_session->setStride({m_strideRows->value(), cols});
    });
    connect(m_dilationRows, &QSpinBox::valueChanged, this, [this](int rows) {
        m_session->setDilation({rows, m_dilationCols->value()});
    });
    connect(m_dilationCols, &QSpinBox::valueChanged, this, [this](int cols) {
        m_session->setDilation({m_dilationRows->value(), cols});
    });
    connect(m_operation, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_session->setOperation(index == 1 ? core::Operation::Convolution
                                           : core::Operation::Correlation);
    });
    connect(m_channel, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index >= 0)
            m_session->setChannel(kChannels[std::size_t(index)]);
    });
    connect(m_outputScale, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index >= 0)
            Q_EMIT outputScaleChanged(kScales[std::size_t(index)]);
    });
    connect(m_clipOutliers, &QCheckBox::toggled, this, [this](bool clip) {
        Look look = m_session->look();
        look.clipOutliers = clip;
        m_session->setLook(look);
    });
    connect(m_paddingTint, &QSlider::valueChanged, this, [this](int percent) {
        Look look = m_session->look();
        look.paddingStrength = percent / 100.0;
        m_session->setLook(look);
    });
    connect(m_session, &Session::changed, this, &ControlPanel::syncFromSession);
    connect(m_session, &Session::errorOccurred, this, &ControlPanel::syncFromSession);
    connect(m_session, &Session::lookChanged, this, &ControlPanel::syncLook);
    connect(m_session, &Session::viewSettingsChanged, this, &ControlPanel::syncView);
    syncFromSession();
    syncLook();
    syncView();
}

DockParts ControlPanel::partsFor(const ViewSettings &view)
{
    // As the painters and the session's parts read them (parts.cpp, the painters' use of Look).
    DockParts parts;
    switch (view.view) {
    case View::Window: break;
    case View::Compare: parts.clipOutliers = false; break;
    case View::Signal:
    case View::Stages:
        parts.outputScale = false;
        parts.clipOutliers = false;
        break;
    case View::Channels:
        // Every channel of the input goes through the bank.
        parts.channel = false;
        parts.outputScale = false;
        break;
    case View::Pool:
        parts.kernel = false;
        parts.convolution = false;
        parts.outputScale = false;
        parts.clipOutliers = false;
        parts.note = tr("Pooling: the window, stride, dilation and padding are set above the drawing, "
                        "on the tab; the kernel and padding settings here do not apply to it.");
        break;
    case View::Transposed:
        parts.convolution = false;
        parts.outputScale = false;
        parts.clipOutliers = false;
        parts.note = tr("Transposed: the stride, dilation, padding and output padding are set above the "
                        "drawing, on the tab; it takes the kernel here.");
        break;
    case View::Volume: {
        const bool stacked = view.volume.kernel == VolumeKernel::Stacked;
        parts.kernel = stacked;
        parts.convolution = false;
        parts.channel = false;
        parts.outputScale = false;
        parts.clipOutliers = false;
        parts.note = stacked ? tr("Volume: the volume, amount, pads, stride and dilation are set above the "
                                  "drawing, on the tab; the kernel here is stacked in depth.")
                             : tr("Volume: the volume, its kernel, amount, pads, stride and dilation are set "
                                  "above the drawing, on the tab.");
        break;
    }
    case View::Layers:
        parts.kernel = false;
        parts.convolution = false;
        parts.channel = false;
        parts.outputScale = false;
        parts.clipOutliers = false;
        parts.paddingTint = false;
        parts.note = tr("Layers: every layer's kernel, stride and padding are set in the tab's own rows; "
                        "nothing here changes them.");
        break;
    }
    return parts;
}

void ControlPanel::syncView()
{
    const DockParts parts = partsFor(m_session->viewSettings());
    m_note->setText(parts.note);
    m_note->setVisible(!parts.note.isEmpty());
    for (QWidget *group : {m_amountGroup, m_fillGroup, m_windowGroup})
        group->setVisible(parts.convolution);
    m_displayForm->setRowVisible(m_channel, parts.channel);
    m_displayForm->setRowVisible(m_outputScale, parts.outputScale);
    m_displayForm->setRowVisible(m_clipOutliers, parts.clipOutliers);
    m_displayForm->setRowVisible(m_paddingTint, parts.paddingTint);
    m_displayGroup->setVisible(parts.channel || parts.outputScale || parts.clipOutliers || parts.paddingTint);
}

void ControlPanel::syncLook()
{
    const QSignalBlocker clipBlocker(m_clipOutliers);
    const QSignalBlocker tintBlocker(m_paddingTint);
    m_clipOutliers->setChecked(m_session->look().clipOutliers);
    m_paddingTint->setValue(int(std::lround(m_session->look().paddingStrength * 100)));
}

QSpinBox *ControlPanel::makeSpin(const char *name, int minimum, int maximum, const QString &tip)
{
    auto *spin = new QSpinBox(this);
    spin->setObjectName(QString::fromLatin1(name));
    spin->setRange(minimum, maximum);
    spin->setToolTip(tip);
    return spin;
}

void ControlPanel::fitFillNames()
{
    // Wide enough that most names keep one line; the longest Keras ones wrap.
    m_fillNames->setMinimumWidth(fontMetrics().averageCharWidth() * 44);
    // The note reads as a sentence when the groups beside it are hidden.
    if (m_note)
        m_note->setMinimumWidth(fontMetrics().averageCharWidth() * 36);
}

void ControlPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::FontChange)
        fitFillNames();
    QWidget::changeEvent(event);
}

void ControlPanel::setOrientation(Qt::Orientation orientation)
{
    m_layout->setDirection(orientation == Qt::Horizontal ? QBoxLayout::LeftToRight
                                                         : QBoxLayout::TopToBottom);
}

OutputScale ControlPanel::outputScale() const
{
    return kScales[std::size_t(std::max(0, m_outputScale->currentIndex()))];
}

void ControlPanel::setOutputScale(OutputScale scale)
{
    m_outputScale->setCurrentIndex(indexOf(kScales, scale));
}

QString ControlPanel::fillNamesText(int fillIndex)
{
    const core::FrameworkNames &names
        = core::frameworkNames(core::allFills().at(std::size_t(fillIndex)));
    return tr("Keras/TF: %1\nPyTorch: %2\nOpenCV: %3\nNumPy: %4\nSciPy: %5")
        .arg(QString::fromStdString(names.keras), QString::fromStdString(names.pytorch),
             QString::fromStdString(names.opencv), QString::fromStdString(names.numpy),
             QString::fromStdString(names.scipy));
}

QString ControlPanel::paddingText(const core::ConvSpec &spec, const core::Sides &sides, core::PerAxis kernelSize)
{
    const auto spelling = [&](core::Framework framework) {
        return QString::fromStdString(core::paddingSpelling(framework, spec, sides, kernelSize));
    };
    return tr("Keras/TF: %1\nPyTorch: %2\nOpenCV: %3\nNumPy: %4\nSciPy: %5")
        .arg(spelling(core::Framework::Keras), spelling(core::Framework::PyTorch), spelling(core::Framework::OpenCV),
             spelling(core::Framework::NumPy), spelling(core::Framework::SciPy));
}

void ControlPanel::amountEdited()
{
    const int index = m_amount->currentIndex();
    if (index < 0)
        return;
    core::PadAmount amount;
    amount.kind = kAmounts[std::size_t(index)];
    if (amount.kind == core::Amount::Explicit)
        amount.sides = {m_top->value(), m_bottom->value(), m_left->value(), m_right->value()};
    m_session->setAmount(amount);
}

void ControlPanel::fillEdited()
{
    const int index = m_fill->currentIndex();
    if (index >= 0)
        m_session->setFill(core::allFills().at(std::size_t(index)));
}

void ControlPanel::syncFromSession()
{
    const core::ConvSpec &spec = m_session->spec();
    const QList<QWidget *> widgets = {
        m_amount,     m_top,        m_bottom,       m_left,         m_right,     m_fill,   m_value,
        m_strideRows, m_strideCols, m_dilationRows, m_dilationCols, m_operation, m_channel};
    std::vector<QSignalBlocker> blockers;
    blockers.reserve(std::size_t(widgets.size()));
    for (QWidget *widget : widgets)
        blockers.emplace_back(widget);

    const bool isExplicit = spec.amount.kind == core::Amount::Explicit;
    m_amount->setCurrentIndex(indexOf(kAmounts, spec.amount.kind));
    // Explicit sides start from what the current amount pads, so switching keeps the picture.
    const core::Sides sides = isExplicit ? spec.amount.sides : m_session->geometry().sides();
    m_top->setValue(sides.top);
    m_bottom->setValue(sides.bottom);
    m_left->setValue(sides.left);
    m_right->setValue(sides.right);
    m_sidesBox->setEnabled(isExplicit);

    const auto &fills = core::allFills();
    const int fillIndex = int(std::find(fills.begin(), fills.end(), spec.fill) - fills.begin());
    m_fill->setCurrentIndex(fillIndex);
    m_fill->setToolTip(fillNamesText(fillIndex));
    // What the frameworks call this amount with this fill, for the pads it comes to now.
    const SnapshotPtr computed = m_session->snapshot();
    m_fillNames->setText(paddingText(computed->spec, computed->result.geometry.sides(),
                                     {computed->kernel.rows, computed->kernel.cols}));
    m_value->setValue(spec.value);
    m_value->setEnabled(spec.fill == core::Fill::Constant);

    m_strideRows->setValue(spec.stride.rows);
    m_strideCols->setValue(spec.stride.cols);
    m_dilationRows->setValue(spec.dilation.rows);
    m_dilationCols->setValue(spec.dilation.cols);
    m_operation->setCurrentIndex(spec.operation == core::Operation::Convolution ? 1 : 0);

    m_channel->setEnabled(m_session->isColor());
    m_channel->setCurrentIndex(indexOf(kChannels, m_session->channel()));
}

} // namespace padlab::ui

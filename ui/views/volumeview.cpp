#include "volumeview.h"

#include "flowlayout.h"
#include "session.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QSpinBox>
#include <QVBoxLayout>

namespace padlab::ui {

VolumeView::VolumeView(Session *session, QWidget *parent) : QWidget(parent), m_session(session)
{
    auto *layout = new QVBoxLayout(this);
    // The controls wrap onto more lines when the tab is narrow or the text large: none runs off.
    auto *controls = new FlowLayout;
    // A label and its fields stay together on a line.
    const auto group = [controls](std::initializer_list<QWidget *> widgets) {
        auto *box = new QWidget;
        auto *row = new QHBoxLayout(box);
        row->setContentsMargins(0, 0, 0, 0);
        for (QWidget *w : widgets)
            row->addWidget(w);
        controls->addWidget(box);
    };
    m_source = new QComboBox;
    m_source->setObjectName(QStringLiteral("volumeSource"));
    m_source->addItem(tr("Numbered 5×6×6 (value = 100·d + 10·h + w)"), int(VolumeSource::Numbered));
    m_source->addItem(tr("Sphere 5×7×7"), int(VolumeSource::Sphere));
    m_kernel = new QComboBox;
    m_kernel->setObjectName(QStringLiteral("volumeKernel"));
    m_kernel->addItem(tr("Box of ones"), int(VolumeKernel::Box));
    m_kernel->addItem(tr("The kernel, stacked"), int(VolumeKernel::Stacked));
    m_kd = new QSpinBox;
    m_kd->setObjectName(QStringLiteral("volumeKernelDepth"));
    m_kd->setRange(1, kMaxVolumeKernelDepth);
    m_kd->setPrefix(tr("kd "));
    m_amount = new QComboBox;
    m_amount->setObjectName(QStringLiteral("volumeAmount"));
    m_amount->addItem(tr("valid"), int(core::Amount::Valid));
    m_amount->addItem(tr("same"), int(core::Amount::Same));
    m_amount->addItem(tr("full"), int(core::Amount::Full));
    m_amount->addItem(tr("explicit"), int(core::Amount::Explicit));
    group({new QLabel(tr("Volume")), m_source});
    group({new QLabel(tr("Kernel")), m_kernel, m_kd});
    group({new QLabel(tr("Amount")), m_amount});
    const char *sides[] = {"front", "back", "top", "bottom", "left", "right"};
    for (int i = 0; i < 6; ++i) {
        m_pads[i] = new QSpinBox;
        m_pads[i]->setRange(0, 9);
        m_pads[i]->setPrefix(tr(sides[i]) + QLatin1Char(' '));
        m_pads[i]->setObjectName(QStringLiteral("volumePad_") + QLatin1String(sides[i]));
    }
    group({m_pads[0], m_pads[1]});
    group({m_pads[2], m_pads[3]});
    group({m_pads[4], m_pads[5]});
    const char *axes[] = {"d", "h", "w"};
    for (int i = 0; i < 3; ++i) {
        m_stride[i] = new QSpinBox;
        m_stride[i]->setRange(1, 5);
        m_stride[i]->setPrefix(QLatin1String(axes[i]) + QLatin1Char(' '));
        m_dilation[i] = new QSpinBox;
        m_dilation[i]->setRange(1, 4);
        m_dilation[i]->setPrefix(QLatin1String(axes[i]) + QLatin1Char(' '));
    }
    group({new QLabel(tr("Stride")), m_stride[0], m_stride[1], m_stride[2]});
    group({new QLabel(tr("Dilation")), m_dilation[0], m_dilation[1], m_dilation[2]});
    layout->addLayout(controls);
    m_canvas = new VolumeCanvas(this);
    layout->addWidget(m_canvas, 1);

    auto changed = [this] { controlsToSettings(); };
    // A volume or kernel given to render (Custom) stays until another is chosen here.
    connect(m_source, &QComboBox::activated, this, [this] {
        VolumeSettings s = m_session->volumeSettings();
        s.source = VolumeSource(m_source->currentData().toInt());
        m_session->setVolumeSettings(s);
    });
    connect(m_kernel, &QComboBox::activated, this, [this] {
        VolumeSettings s = m_session->volumeSettings();
        s.kernel = VolumeKernel(m_kernel->currentData().toInt());
        m_session->setVolumeSettings(s);
    });
    connect(m_amount, &QComboBox::currentIndexChanged, this, changed);
    connect(m_kd, &QSpinBox::valueChanged, this, changed);
    for (auto *s : m_pads)
        connect(s, &QSpinBox::valueChanged, this, changed);
    for (auto *s : m_stride)
        connect(s, &QSpinBox::valueChanged, this, changed);
    for (auto *s : m_dilation)
        connect(s, &QSpinBox::valueChanged, this, changed);
    connect(m_canvas, &VolumeCanvas::hovered, this, &VolumeView::setHoveredOutput);
    connect(m_canvas, &VolumeCanvas::clicked, this,
            [this](std::vector<int> cell) { m_session->setStep(m_set.stepOfCell(cell)); });
    connect(m_session, &Session::viewSettingsChanged, this, &VolumeView::recompute);
    connect(m_session, &Session::snapshotChanged, this, &VolumeView::recompute);
    connect(m_session, &Session::stepChanged, m_canvas, [this] { m_canvas->update(); });
    connect(m_session, &Session::lookChanged, m_canvas, [this] {
        m_canvas->updateGeometry();
        m_canvas->update();
    });
    recompute();
}

VolumeView::~VolumeView() = default;

VolumeOptions VolumeView::options() const
{
    VolumeOptions o;
    o.look = m_session->look();
    o.step = m_session->step();
    o.hoveredOutput = m_hovered;
    return o;
}

void VolumeView::setHoveredOutput(std::optional<std::vector<int>> cell)
{
    if (cell == m_hovered)
        return;
    m_hovered = std::move(cell);
    m_canvas->update();
}

void VolumeView::recompute()
{
    // The set depends on the volume settings and, for the stacked kernel, the session's kernel.
    m_set = computeVolume(m_session->volumeSettings(), m_session->kernel());
    settingsToControls();
    m_canvas->updateGeometry();
    m_canvas->update();
}

void VolumeView::settingsToControls()
{
    const VolumeSettings &s = m_session->volumeSettings();
    m_updating = true;
    if (int i = m_source->findData(int(s.source)); i >= 0)
        m_source->setCurrentIndex(i);
    if (int i = m_kernel->findData(int(s.kernel)); i >= 0)
        m_kernel->setCurrentIndex(i);
    if (int i = m_amount->findData(int(s.amount)); i >= 0)
        m_amount->setCurrentIndex(i);
    m_kd->setValue(s.kernelDepth);
    for (int i = 0; i < 6; ++i) {
        m_pads[i]->setValue(s.pads[i]);
        m_pads[i]->setEnabled(s.amount == core::Amount::Explicit);
    }
    for (int i = 0; i < 3; ++i) {
        m_stride[i]->setValue(s.stride[i]);
        m_dilation[i]->setValue(s.dilation[i]);
    }
    m_updating = false;
}

void VolumeView::controlsToSettings()
{
    if (m_updating)
        return;
    VolumeSettings s = m_session->volumeSettings();
    s.amount = core::Amount(m_amount->currentData().toInt());
    s.kernelDepth = m_kd->value();
    for (int i = 0; i < 6; ++i)
        s.pads[i] = m_pads[i]->value();
    for (int i = 0; i < 3; ++i) {
        s.stride[i] = m_stride[i]->value();
        s.dilation[i] = m_dilation[i]->value();
    }
    m_session->setVolumeSettings(s);
}

VolumeCanvas::VolumeCanvas(VolumeView *view) : QWidget(view), m_view(view)
{
    setMouseTracking(true);
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
}

QSize VolumeCanvas::sizeHint() const
{
    return VolumePainter::naturalSize(m_view->volumeSet(), m_view->options().look);
}

QSize VolumeCanvas::minimumSizeHint() const
{
    // The height follows the width (heightForWidth()); the minimum only bounds the width.
    const VolumeSet &set = m_view->volumeSet();
    const Look look = m_view->options().look;
    return QSize(VolumePainter::minimumSize(set, look).width(),
                 VolumePainter::heightForWidth(set, look, QWIDGETSIZE_MAX));
}

int VolumeCanvas::heightForWidth(int width) const
{
    return VolumePainter::heightForWidth(m_view->volumeSet(), m_view->options().look, width);
}

void VolumeCanvas::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    VolumePainter::paint(painter, rect(), m_view->volumeSet(), m_view->options());
}

void VolumeCanvas::mouseMoveEvent(QMouseEvent *event)
{
    Q_EMIT hovered(VolumePainter::outputCellAt(rect(), m_view->volumeSet(), m_view->options(), event->position()));
}

void VolumeCanvas::mousePressEvent(QMouseEvent *event)
{
    if (auto cell = VolumePainter::outputCellAt(rect(), m_view->volumeSet(), m_view->options(), event->position()))
        Q_EMIT clicked(*cell);
}

void VolumeCanvas::leaveEvent(QEvent *)
{
    Q_EMIT hovered(std::nullopt);
}

} // namespace padlab::ui

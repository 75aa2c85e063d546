#include "mainwindow.h"

#include "animationbar.h"
#include "codepanel.h"
#include "compareview.h"
#include "controlpanel.h"
#include "exporter.h"
#include "hovertext.h"
#include "kerneleditor.h"
#include "layerstackview.h"
#include "lesson.h"
#include "lessons.h"
#include "panelview.h"
#include "samples.h"
#include "session.h"
#include "shapepanel.h"
#include "signalview.h"
#include "stagesview.h"
#include "channelsview.h"
#include "poolview.h"
#include "transposedview.h"
#include "volumeview.h"
#include "viewport.h"
#include "wheelguard.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QBoxLayout>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSignalBlocker>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QStyleFactory>
#include <QTabBar>
#include <QTabWidget>
#include <QTextBrowser>
#include <QTextDocument>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <utility>

namespace padlab::ui {

namespace {

constexpr double kZoomStep = 1.25;
// The compare view zooms up to this many times the width of its tab.
constexpr double kMaxCompareZoom = 8;
constexpr double kFontStep = 1.15;
constexpr int kMaxRecentFiles = 10;
constexpr qint64 kMaxFadedCells = 128 * 128;
// A computation shorter than this finishes before a progress bar would be worth reading.
constexpr int kProgressDelayMs = 500;

constexpr std::array<Panel, 4> kPanels
    = {Panel::Input, Panel::Padded, Panel::Window, Panel::Output};
// The panels that share one zoom and pan; the painter fits the window panel's grid itself.
constexpr std::array<Panel, 3> kSyncedPanels = {Panel::Input, Panel::Padded, Panel::Output};
// In presenter mode numbers take half a cell's height, so that a 28-pixel cell holds 14-pixel
// digits.
constexpr double kPresenterValueScale = 0.5;
constexpr Arrangement kArrangements[] = {Arrangement::Auto, Arrangement::Row, Arrangement::Grid,
                                         Arrangement::Large};
constexpr const char *kThemeNames[] = {"system", "light", "dark"};

QPalette darkPalette()
{
    QPalette p;
    const QColor text(232, 232, 234);
    const QColor disabled(128, 128, 132);
    p.setColor(QPalette::Window, QColor(42, 44, 48));
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, QColor(30, 32, 36));
    p.setColor(QPalette::AlternateBase, QColor(48, 50, 56));
    p.setColor(QPalette::ToolTipBase, QColor(60, 62, 68));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(54, 56, 62));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(255, 90, 90));
    p.setColor(QPalette::Light, QColor(80, 82, 90));
    p.setColor(QPalette::Midlight, QColor(64, 66, 72));
    p.setColor(QPalette::Mid, QColor(36, 38, 42));
    p.setColor(QPalette::Dark, QColor(24, 25, 28));
    p.setColor(QPalette::Shadow, QColor(0, 0, 0));
    p.setColor(QPalette::Link, QColor(100, 170, 255));
    p.setColor(QPalette::Highlight, QColor(52, 112, 204));
    p.setColor(QPalette::HighlightedText, Qt::white);
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    return p;
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_session(new Session(this))
    , m_viewport(new Viewport(this))
    , m_baseFont(QApplication::font())
{
    setObjectName(QStringLiteral("mainWindow"));
    setAcceptDrops(true);

    m_systemStyle = QApplication::style()->name();
    m_systemPalette = QApplication::palette();

    auto *central = new QWidget(this);
    auto *panels = new QWidget;
    auto *grid = new QGridLayout(panels);
    grid->setContentsMargins(0, 6, 0, 0);
    grid->setSpacing(6);
    m_panelArea = new PanelArea(panels);
    m_panelArea->setObjectName(QStringLiteral("panelArea"));
    for (std::size_t i = 0; i < kPanels.size(); ++i) {
        auto *view = new PanelView(m_session, m_viewport, kPanels[i], m_panelArea);
        view->setObjectName(QStringLiteral("panel%1").arg(i));
        view->installEventFilter(this);
        m_views[i] = view;
    }
    m_hScroll = new QScrollBar(Qt::Horizontal, panels);
    m_hScroll->setObjectName(QStringLiteral("panScrollX"));
    m_vScroll = new QScrollBar(Qt::Vertical, panels);
    m_vScroll->setObjectName(QStringLiteral("panScrollY"));
    grid->addWidget(m_panelArea, 0, 0);
    grid->addWidget(m_vScroll, 0, 1);
    grid->addWidget(m_hScroll, 1, 0);
    arrangePanels();

    // Tab order follows Session::View.
    m_tabs = new QTabWidget(central);
    m_tabs->setObjectName(QStringLiteral("viewTabs"));
    m_tabs->setDocumentMode(true);
    m_signal = new SignalView(m_session);
    m_compare = new CompareView(m_session);
    m_stages = new StagesView(m_session);
    m_layers = new LayerStackView(m_session);
    m_channels = new ChannelsView(m_session);
    m_pool = new PoolView(m_session);
    m_transposed = new TransposedView(m_session);
    m_volume = new VolumeView(m_session);
    // The teaching views scroll when the window is smaller than they need, so that none of
    // them sets the window's minimum size: a 1280 x 720 projector shows every view.
    const auto scrolling = [](QWidget *view) {
        auto *scroll = new QScrollArea;
        scroll->setWidget(view);
        scroll->setWidgetResizable(true);
        scroll->setFrameShape(QFrame::NoFrame);
        return scroll;
    };
    m_tabs->addTab(panels, tr("Sliding window"));
    m_tabs->addTab(scrolling(m_signal), tr("Signal (1-D)"));
    m_tabs->addTab(scrolling(m_compare), tr("Compare"));
    m_tabs->addTab(scrolling(m_stages), tr("Stages"));
    m_tabs->addTab(scrolling(m_layers), tr("Layers"));
    m_tabs->addTab(scrolling(m_channels), tr("Channels"));
    m_tabs->addTab(scrolling(m_pool), tr("Pooling"));
    m_tabs->addTab(scrolling(m_transposed), tr("Transposed"));
    m_tabs->addTab(scrolling(m_volume), tr("Volume"));
    WheelGuard::installAll(m_tabs);
    m_tabs->setTabToolTip(0, tr("The input, the padded input, the window and the output"));
    m_tabs->setTabToolTip(1, tr("A one-row input as a signal: causal, same and valid in time"));
    m_tabs->setTabToolTip(2, tr("Every fill or every amount side by side, with what changes"));
    m_tabs->setTabToolTip(3, tr("The same kernel applied again and again"));
    m_tabs->setTabToolTip(4, tr("A stack of layers: output shapes and parameter counts"));
    m_tabs->setTabToolTip(5, tr("Every channel of the input through a bank of filters: partial sums, bias, feature maps"));
    m_tabs->setTabToolTip(6, tr("Max and average pooling with padding: ignored cells, divisors, ceil_mode, PyTorch and TensorFlow"));
    m_tabs->setTabToolTip(int(Session::View::Transposed),
                          tr("Transposed convolution: the zero-stuffed input and the stamps, crops and added cells"));
    m_tabs->setTabToolTip(int(Session::View::Volume),
                          tr("A small volume padded on six sides: its depth slices, the 3-D window, the output volume"));

    m_animation = new AnimationBar(m_session, central);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 6, 6, 0);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_animation);
    setCentralWidget(central);

    createDocks();
    createActions();

    // A long computation: how far it got, and a way out.
    m_progress = new QWidget(this);
    m_progress->setObjectName(QStringLiteral("progress"));
    auto *progressLayout = new QHBoxLayout(m_progress);
    progressLayout->setContentsMargins(0, 0, 0, 0);
    progressLayout->addWidget(new QLabel(tr("Computing…"), m_progress));
    m_progressBar = new QProgressBar(m_progress);
    m_progressBar->setFixedWidth(160);
    progressLayout->addWidget(m_progressBar);
    auto *cancel = new QPushButton(tr("Cancel"), m_progress);
    cancel->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    cancel->setObjectName(QStringLiteral("cancelComputation"));
    cancel->setToolTip(tr("Stop computing and keep what is shown"));
    progressLayout->addWidget(cancel);
    m_progress->setVisible(false);
    statusBar()->addPermanentWidget(m_progress);
    m_progressDelay = new QTimer(this);
    m_progressDelay->setSingleShot(true);
    m_progressDelay->setInterval(kProgressDelayMs);
    connect(m_progressDelay, &QTimer::timeout, this, [this] { m_progress->setVisible(m_session->isBusy()); });
    connect(cancel, &QPushButton::clicked, m_session, &Session::cancel);

    for (PanelView *view : m_views) {
        const Panel panel = view->panel();
        connect(view, &PanelView::cellHovered, this,
                [this, panel](QPoint cell) { showHover(panel, cell); });
        connect(view, &PanelView::hoverLeft, this, &MainWindow::clearHover);
        connect(view, &PanelView::ringDrawn, this, [this, panel](QRect cells) {
            m_rings.push_back({panel, cells});
            updateRings();
        });
        if (std::find(kSyncedPanels.begin(), kSyncedPanels.end(), panel) == kSyncedPanels.end())
            continue;
        connect(view, &PanelView::panRequested, m_viewport, &Viewport::panBy);
        connect(
            view, &PanelView::zoomRequested, this,
            [this, view](double factor, QPointF position) { zoomAround(factor, view, position); });
    }
    connect(panelView(Panel::Output), &PanelView::cellClicked, this,
            [this](QPoint cell) { m_session->setStepCell(cell.y(), cell.x()); });
    connect(m_hScroll, &QScrollBar::valueChanged, this, &MainWindow::scrollBarMoved);
    connect(m_vScroll, &QScrollBar::valueChanged, this, &MainWindow::scrollBarMoved);
    connect(m_controls, &ControlPanel::outputScaleChanged, this, &MainWindow::setOutputScale);
    connect(m_session, &Session::changed, this, &MainWindow::sessionChanged);
    connect(m_session, &Session::stepChanged, this, &MainWindow::stepChanged);
    connect(m_session, &Session::errorOccurred, this, &MainWindow::showError);
    connect(m_session, &Session::busyChanged, this, &MainWindow::busyChanged);
    // The engine says how far it got between bands of rows; until its first word the bar is busy.
    connect(m_session, &Session::progressChanged, this, [this](double fraction) {
        m_progressBar->setRange(0, fraction > 0 ? 100 : 0);
        m_progressBar->setValue(int(std::lround(fraction * 100)));
    });
    connect(m_viewport, &Viewport::changed, this, &MainWindow::updateScrollBars);
    connect(m_animation, &AnimationBar::playingChanged, this, &MainWindow::updateViews);
    connect(m_tabs, &QTabWidget::currentChanged, this,
            [this](int index) { m_session->setView(Session::View(index)); });
    connect(m_session, &Session::viewSettingsChanged, this, &MainWindow::viewSettingsChanged);

    openSample(defaultSampleId());
    loadSettings();
    restoreLastSession();
    // A restored layout may show the lesson pane, but no lesson is open yet.
    m_lessonDock->setVisible(!m_lessonExplanation.isEmpty());
    sessionChanged();
    // Start with the keys driving the window, not editing the first settings field.
    panelView(Panel::Padded)->setFocus();
}

MainWindow::~MainWindow()
{
    if (!m_settingsSaved) {
        saveSettings();
        saveLastSession();
    }
    if (fontScale() != 1.0)
        QApplication::setFont(m_baseFont);
}

PanelView *MainWindow::panelView(Panel panel) const
{
    for (PanelView *view : m_views)
        if (view->panel() == panel)
            return view;
    return nullptr;
}

void MainWindow::createDocks()
{
    auto *settings = new QWidget;
    m_settingsLayout = new QBoxLayout(QBoxLayout::TopToBottom, settings);
    auto *kernelBox = new QGroupBox(tr("Kernel"), settings);
    kernelBox->setObjectName(QStringLiteral("kernelBox"));
    m_kernelBox = kernelBox;
    auto *kernelLayout = new QVBoxLayout(kernelBox);
    m_kernel = new KernelEditor(m_session, kernelBox);
    kernelLayout->addWidget(m_kernel);
    m_controls = new ControlPanel(m_session, settings);
    m_settingsLayout->addWidget(kernelBox);
    m_settingsLayout->addWidget(m_controls);
    m_settingsLayout->addStretch();

    m_settingsScroll = new QScrollArea;
    m_settingsScroll->setWidget(settings);
    m_settingsScroll->setWidgetResizable(true);
    m_settingsScroll->setFrameShape(QFrame::NoFrame);

    settings->installEventFilter(this);
    // Scrolling through the settings must not change them on the way.
    WheelGuard::installAll(settings);
    auto *settingsDock = new QDockWidget(tr("Settings"), this);
    m_settingsDock = settingsDock;
    settingsDock->setObjectName(QStringLiteral("settingsDock"));
    settingsDock->setWidget(m_settingsScroll);
    settingsDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable);
    connect(settingsDock, &QDockWidget::dockLocationChanged, this, &MainWindow::arrangeSettings);

    m_shape = new ShapePanel(m_session);
    auto *shapeDock = new QDockWidget(tr("Shape"), this);
    shapeDock->setObjectName(QStringLiteral("shapeDock"));
    shapeDock->setWidget(m_shape);
    shapeDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable);

    m_code = new CodePanel(m_session);
    auto *codeDock = new QDockWidget(tr("Code"), this);
    codeDock->setObjectName(QStringLiteral("codeDock"));
    codeDock->setWidget(m_code);
    codeDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable);

    // Below the panels, so the four panels get the full width of the window: side by side they
    // are narrow, and width is what makes their cells large enough to read.
    addDockWidget(Qt::BottomDockWidgetArea, settingsDock);
    addDockWidget(Qt::BottomDockWidgetArea, shapeDock);
    splitDockWidget(settingsDock, shapeDock, Qt::Horizontal);
    // The code for the same settings, one tab away from their arithmetic.
    tabifyDockWidget(shapeDock, codeDock);
    shapeDock->raise();
    arrangeSettings(Qt::BottomDockWidgetArea);

    // Beside the panels, so the explanation can be read while watching the window move.
    m_lessonText = new QTextBrowser;
    m_lessonText->setObjectName(QStringLiteral("lessonText"));
    m_lessonText->setOpenLinks(false);
    // A size larger than the rest, relative to the window's text size so it follows it.
    m_lessonText->document()->setDefaultStyleSheet(QStringLiteral("p { font-size: large; }"));
    m_lessonText->setMinimumWidth(m_lessonText->fontMetrics().averageCharWidth() * 36);
    m_lessonDock = new QDockWidget(tr("Lesson"), this);
    m_lessonDock->setObjectName(QStringLiteral("lessonDock"));
    m_lessonDock->setWidget(m_lessonText);
    m_lessonDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable);
    addDockWidget(Qt::RightDockWidgetArea, m_lessonDock);
    setLessonText({}, {});
}

void MainWindow::arrangeSettings(Qt::DockWidgetArea area)
{
    const bool inRow = area == Qt::TopDockWidgetArea || area == Qt::BottomDockWidgetArea;
    m_settingsLayout->setDirection(inRow ? QBoxLayout::LeftToRight : QBoxLayout::TopToBottom);
    m_controls->setOrientation(inRow ? Qt::Horizontal : Qt::Vertical);
    // The settings scroll inside their dock: a small screen shows some of them and the panels,
    // and a change of kernel or fill never resizes the dock (the panels would jump).
    const int line = m_settingsScroll->fontMetrics().height();
    if (inRow) {
        m_settingsScroll->setMinimumWidth(0);
        m_settingsScroll->setMinimumHeight(line * 5);
    } else {
        m_settingsScroll->setMinimumHeight(0);
        m_settingsScroll->setMinimumWidth(std::min(m_settingsScroll->widget()->sizeHint().width(), line * 20));
    }
}

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(style()->standardIcon(QStyle::SP_DialogOpenButton),
                                    tr("&Open…"), this, &MainWindow::openDialog);
    open->setShortcut(QKeySequence::Open);
    open->setStatusTip(tr("Open a CSV matrix or an image"));
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    QMenu *samplesMenu = file->addMenu(tr("&Samples"));
    for (const Sample &sample : samples()) {
        QAction *action = samplesMenu->addAction(sample.title, this,
                                                 [this, id = sample.id] { openSample(id); });
        action->setStatusTip(sample.description);
        action->setToolTip(sample.description);
    }
    QAction *saveLessonAction
        = file->addAction(tr("Save &Lesson…"), this, &MainWindow::saveLessonDialog);
    saveLessonAction->setShortcut(QKeySequence::Save);
    saveLessonAction->setStatusTip(
        tr("Save the input, kernel, settings, step and display as a lesson file"));
    // Export: drawn by the same painters as the panels, in the panels' current look.
    QMenu *exportMenu = file->addMenu(tr("&Export"));
    auto exportView = [this](std::optional<ExportView> view, bool animation) {
        // A teaching view on screen is what gets exported.
        switch (m_session->view()) {
        case Session::View::Signal: view = ExportView::Signal; break;
        case Session::View::Compare: view = ExportView::Compare; break;
        case Session::View::Stages: view = ExportView::Stages; break;
        case Session::View::Channels: view = ExportView::Channels; break;
        case Session::View::Pool: view = ExportView::Pool; break;
        case Session::View::Transposed: view = ExportView::Transposed; break;
        case Session::View::Volume: view = ExportView::Volume; break;
        case Session::View::Window:
        case Session::View::Layers: break;
        }
        if (!view) {
            // The panel with the keyboard focus, else the padded input.
            view = ExportView::Padded;
            const ExportView views[] = {ExportView::Input, ExportView::Padded, ExportView::Window,
                                        ExportView::Output};
            for (size_t i = 0; i < m_views.size(); ++i)
                if (m_views[i]->hasFocus())
                    view = views[i];
        }
        exportWithDialogs(this, *m_session, *view, animation, m_views[0]->options().fadeUncomputed);
    };
    exportMenu->addAction(tr("Current &panel…"), this, [exportView] { exportView(std::nullopt, false); });
    exportMenu->addAction(tr("&Composite…"), this, [exportView] { exportView(ExportView::All, false); });
    exportMenu->addAction(tr("&Animation…"), this, [exportView] { exportView(ExportView::All, true); });
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *lessons = menuBar()->addMenu(tr("&Lessons"));
    lessons->setObjectName(QStringLiteral("lessonsMenu"));
    for (const BuiltinLesson &lesson : builtinLessons()) {
        QAction *action = lessons->addAction(lesson.title, this,
                                             [this, id = lesson.id] { openBuiltinLesson(id); });
        action->setObjectName(QStringLiteral("lesson:") + lesson.id);
        action->setStatusTip(lesson.explanation.section(QLatin1Char('.'), 0, 0)
                             + QLatin1Char('.'));
    }

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (int i = 0; i < m_tabs->count(); ++i) {
        QAction *show = view->addAction(m_tabs->tabText(i), this,
                                        [this, i] { m_session->setView(Session::View(i)); });
        show->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
        show->setStatusTip(m_tabs->tabToolTip(i));
        addAction(show);
    }
    view->addSeparator();
    QAction *zoomIn = view->addAction(tr("Zoom &in"), this, [this] { zoomBy(kZoomStep); });
    zoomIn->setShortcuts({QKeySequence(Qt::Key_Plus), QKeySequence(Qt::Key_Equal)});
    zoomIn->setIcon(QIcon::fromTheme(QStringLiteral("zoom-in")));
    QAction *zoomOut = view->addAction(tr("Zoom &out"), this, [this] { zoomBy(1 / kZoomStep); });
    zoomOut->setShortcut(QKeySequence(Qt::Key_Minus));
    zoomOut->setIcon(QIcon::fromTheme(QStringLiteral("zoom-out")));
    QAction *fit = view->addAction(tr("&Fit"), this, [this] {
        if (m_session->view() == Session::View::Compare)
            zoomCompare(1);
        else
            fitToView();
    });
    fit->setShortcut(QKeySequence(Qt::Key_0));
    fit->setIcon(QIcon::fromTheme(QStringLiteral("zoom-fit-best")));
    view->addSeparator();
    QAction *larger = view->addAction(tr("&Larger text"), this,
                                      [this] { setFontScale(fontScale() * kFontStep); });
    larger->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::Key_Plus), QKeySequence(Qt::CTRL | Qt::Key_Equal)});
    QAction *smaller = view->addAction(tr("&Smaller text"), this,
                                       [this] { setFontScale(fontScale() / kFontStep); });
    smaller->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Minus));
    m_fadeFuture
        = view->addAction(tr("&Build the output step by step"), this, &MainWindow::updateViews);
    m_fadeFuture->setCheckable(true);
    m_fadeFuture->setChecked(true);
    m_fadeFuture->setStatusTip(
        tr("While the window moves, output cells it has not reached yet are drawn faded"));
    m_fullScreen = view->addAction(tr("F&ull screen"), this, [this](bool on) {
        if (on)
            showFullScreen();
        else
            showNormal();
    });
    m_fullScreen->setCheckable(true);
    m_fullScreen->setShortcut(QKeySequence(Qt::Key_F11));
    createPresenterActions(view);
    QMenu *themes = view->addMenu(tr("&Theme"));
    auto *themeGroup = new QActionGroup(this);
    const QString themeTexts[] = {tr("&System"), tr("&Light"), tr("&Dark")};
    for (int i = 0; i < 3; ++i) {
        QAction *action = themes->addAction(themeTexts[i], this, [this, i] { setTheme(Theme(i)); });
        action->setCheckable(true);
        action->setObjectName(QStringLiteral("theme:") + QLatin1String(kThemeNames[i]));
        themeGroup->addAction(action);
        m_themeActions[size_t(i)] = action;
    }
    m_themeActions[0]->setChecked(true);
    view->addSeparator();
    for (QDockWidget *dock : findChildren<QDockWidget *>())
        view->addAction(dock->toggleViewAction());

    QMenu *animation = menuBar()->addMenu(tr("&Animation"));
    animation->addActions(m_animation->actions());
    // The window holds them too, so that they work with the bar and the menus hidden. A row up
    // or down takes Up and Down only from the panels: lists and spin boxes keep them.
    for (QAction *action : m_animation->actions()) {
        const bool row = action->objectName().startsWith(QLatin1String("row"));
        if (row)
            action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        (row ? static_cast<QWidget *>(m_panelArea) : this)->addAction(action);
    }

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About PadLab"), this, [this] {
        QMessageBox::about(this, tr("About PadLab"),
                           tr("<p><b>PadLab</b> shows what padding does to a convolution: how many "
                              "cells each amount adds, what each fill puts in them, and which "
                              "cells every window reads.</p>"));
    });

    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addAction(open);
    auto *samplesButton = new QToolButton(bar);
    samplesButton->setMenu(samplesMenu);
    samplesButton->setPopupMode(QToolButton::InstantPopup);
    samplesButton->setText(tr("Samples"));
    samplesButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    bar->addWidget(samplesButton);
    auto *lessonsButton = new QToolButton(bar);
    lessonsButton->setMenu(lessons);
    lessonsButton->setPopupMode(QToolButton::InstantPopup);
    lessonsButton->setText(tr("Lessons"));
    lessonsButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    bar->addWidget(lessonsButton);
    bar->addSeparator();
    for (QAction *action : {zoomOut, zoomIn, fit})
        bar->addAction(action);
    bar->addSeparator();
    for (QAction *action : {smaller, larger, m_fullScreen})
        bar->addAction(action);
    for (QAction *action : {zoomIn, zoomOut, fit, larger, smaller, m_fullScreen}) {
        action->setToolTip(
            QStringLiteral("%1 (%2)").arg(action->text().remove(QLatin1Char('&')),
                                          action->shortcut().toString(QKeySequence::NativeText)));
        addAction(action);
    }
}

void MainWindow::createPresenterActions(QMenu *view)
{
    m_presenterAction = view->addAction(tr("&Presenter mode"), this, &MainWindow::setPresenting);
    m_presenterAction->setObjectName(QStringLiteral("presenter"));
    m_presenterAction->setCheckable(true);
    m_presenterAction->setShortcut(QKeySequence(Qt::Key_F5));
    m_presenterAction->setStatusTip(tr("The panels fill the screen; F5 or Esc comes back"));
    addAction(m_presenterAction);
    QAction *leave = new QAction(tr("Leave presenter mode"), this);
    leave->setShortcut(QKeySequence(Qt::Key_Escape));
    connect(leave, &QAction::triggered, this, [this] { setPresenting(false); });
    connect(m_presenterAction, &QAction::toggled, leave, &QAction::setEnabled);
    leave->setEnabled(false);
    addAction(leave);

    QMenu *presenter = view->addMenu(tr("Presenter &panels"));
    const QString names[] = {tr("&Input"), tr("&Padded input"), tr("&Window"), tr("&Output")};
    for (size_t i = 0; i < kPanels.size(); ++i) {
        QAction *toggle = presenter->addAction(names[i]);
        toggle->setObjectName(QStringLiteral("presenterPanel%1").arg(i));
        toggle->setCheckable(true);
        toggle->setShortcut(QKeySequence(Qt::Key(Qt::Key_1 + int(i))));
        toggle->setShortcutContext(Qt::WindowShortcut);
        connect(toggle, &QAction::triggered, this,
                [this, i] { setPresenterPanel(kPanels[i], !m_presenterShown[i]); });
        connect(presenter, &QMenu::aboutToShow, toggle,
                [this, toggle, i] { toggle->setChecked(m_presenterShown[i]); });
        addAction(toggle);
    }
    presenter->addSeparator();
    const QString arrangements[] = {tr("&Fit the screen"), tr("One &row"), tr("&2 × 2"), tr("One &large")};
    auto *group = new QActionGroup(this);
    for (size_t i = 0; i < std::size(kArrangements); ++i) {
        QAction *choose = presenter->addAction(arrangements[i], this,
                                               [this, i] { setPresenterArrangement(kArrangements[i]); });
        choose->setCheckable(true);
        group->addAction(choose);
        connect(presenter, &QMenu::aboutToShow, choose,
                [this, choose, i] { choose->setChecked(m_presenterArrangement == kArrangements[i]); });
    }
    QAction *cycle = presenter->addAction(tr("Next arrangement"), this, [this] {
        const auto *at = std::find(std::begin(kArrangements), std::end(kArrangements), m_presenterArrangement);
        const size_t next = (size_t(at - std::begin(kArrangements)) + 1) % std::size(kArrangements);
        setPresenterArrangement(kArrangements[next]);
    });
    cycle->setShortcut(QKeySequence(Qt::Key_A));
    addAction(cycle);

    QAction *clearRings = view->addAction(tr("&Clear the pen's rings"), this, [this] { setRings({}); });
    clearRings->setObjectName(QStringLiteral("clearRings"));
    clearRings->setShortcut(QKeySequence(Qt::Key_C));
    clearRings->setStatusTip(tr("In presenter mode, dragging over cells rings them for the class"));
    addAction(clearRings);
    QAction *next = view->addAction(tr("&Next lesson"), this, [this] { openLessonPage(1); });
    next->setShortcut(QKeySequence(Qt::Key_PageDown));
    addAction(next);
    QAction *previous = view->addAction(tr("Pre&vious lesson"), this, [this] { openLessonPage(-1); });
    previous->setShortcut(QKeySequence(Qt::Key_PageUp));
    addAction(previous);
}

std::vector<Panel> MainWindow::presenterPanels() const
{
    std::vector<Panel> panels;
    for (size_t i = 0; i < kPanels.size(); ++i)
        if (m_presenterShown[i])
            panels.push_back(kPanels[i]);
    return panels;
}

void MainWindow::setPresenterPanel(Panel panel, bool shown)
{
    const auto at = size_t(std::find(kPanels.begin(), kPanels.end(), panel) - kPanels.begin());
    m_presenterShown[at] = shown;
    // Never none: the last panel stays.
    if (std::none_of(m_presenterShown.begin(), m_presenterShown.end(), [](bool b) { return b; }))
        m_presenterShown[at] = true;
    arrangePanels();
}

void MainWindow::setPresenterArrangement(Arrangement arrangement)
{
    m_presenterArrangement = arrangement;
    arrangePanels();
}

void MainWindow::arrangePanels()
{
    std::vector<Panel> shown(kPanels.begin(), kPanels.end());
    Arrangement arrangement = Arrangement::Auto;
    if (m_presenting) {
        shown = presenterPanels();
        arrangement = m_presenterArrangement;
        // The padded input is the one to read from the back: it is the large panel.
        const auto padded = std::find(shown.begin(), shown.end(), Panel::Padded);
        if (arrangement == Arrangement::Large && padded != shown.end())
            std::rotate(shown.begin(), padded, padded + 1);
    }
    std::vector<QWidget *> widgets;
    for (Panel panel : shown)
        widgets.push_back(panelView(panel));
    m_panelArea->setArrangement(arrangement);
    m_panelArea->setPanels(widgets);
    // Beside a large panel the small ones show their whole grid.
    const bool large = m_panelArea->resolved() == Arrangement::Large && shown.size() > 1;
    for (PanelView *view : m_views)
        view->setOverview(large && view != widgets.front());
    updateExtents();
}

void MainWindow::setPresenting(bool presenting)
{
    if (presenting == m_presenting)
        return;
    m_presenting = presenting;
    {
        const QSignalBlocker blocker(m_presenterAction);
        m_presenterAction->setChecked(presenting);
    }
    if (presenting) {
        m_stateBeforePresenting = saveState();
        m_maximizedBeforePresenting = isMaximized();
        // A teaching tab (Channels, Stages, ...) is presented as it is; the Layers builder is a
        // form, not a picture, and gives way to the sliding window.
        if (m_session->view() == Session::View::Layers)
            m_session->setView(Session::View::Window);
        for (QDockWidget *dock : findChildren<QDockWidget *>())
            dock->hide();
        for (QToolBar *bar : findChildren<QToolBar *>())
            bar->hide();
        menuBar()->hide();
        statusBar()->hide();
        m_tabs->tabBar()->hide();
        m_animation->hide();
        m_hScroll->hide();
        m_vScroll->hide();
        showFullScreen();
    } else {
        menuBar()->show();
        statusBar()->show();
        m_tabs->tabBar()->show();
        restoreState(m_stateBeforePresenting);
        m_lessonDock->setVisible(!m_lessonExplanation.isEmpty());
        viewSettingsChanged();
        if (m_maximizedBeforePresenting)
            showMaximized();
        else
            showNormal();
    }
    for (PanelView *view : m_views) {
        view->setPen(presenting);
        view->setValueScale(presenting ? kPresenterValueScale : PanelOptions().valueScale);
    }
    arrangePanels();
    fitToView();
    updateScrollBars();
    if (m_session->view() == Session::View::Window)
        panelView(Panel::Padded)->setFocus();
    else if (QWidget *tab = m_tabs->currentWidget())
        tab->setFocus();
}

void MainWindow::setRings(std::vector<PenRing> rings)
{
    m_rings = std::move(rings);
    updateRings();
}

void MainWindow::updateRings()
{
    for (PanelView *view : m_views) {
        std::vector<QRect> cells;
        for (const PenRing &ring : m_rings)
            if (ring.panel == view->panel())
                cells.push_back(ring.cells);
        view->setRings(std::move(cells));
    }
}

void MainWindow::openLessonPage(int offset)
{
    const QList<BuiltinLesson> &all = builtinLessons();
    if (all.empty())
        return;
    int at = -1;
    for (qsizetype i = 0; i < all.size(); ++i)
        if (all[i].id == m_lessonId)
            at = int(i);
    const int count = int(all.size());
    const int next = at < 0 ? (offset > 0 ? 0 : count - 1) : std::clamp(at + offset, 0, count - 1);
    if (next != at)
        openBuiltinLesson(all[next].id);
}

void MainWindow::setTheme(Theme theme)
{
    m_theme = theme;
    m_themeActions[size_t(theme)]->setChecked(true);
    switch (theme) {
    case Theme::System:
        if (QStyle *style = QStyleFactory::create(m_systemStyle))
            QApplication::setStyle(style);
        QApplication::setPalette(m_systemPalette);
        break;
    case Theme::Light:
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(QApplication::style()->standardPalette());
        break;
    case Theme::Dark:
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(darkPalette());
        break;
    }
    QSettings().setValue(QStringLiteral("view/theme"), QString::fromLatin1(kThemeNames[int(theme)]));
    updateViews();
}

bool MainWindow::openFile(const QString &path)
{
    if (isLessonPath(path))
        return openLesson(path);
    m_animation->setPlaying(false);
    // Only file errors deserve a dialog: the user asked for this file and must learn why not.
    m_opening = true;
    const bool ok = m_session->openFile(path);
    m_opening = false;
    if (!ok)
        return false;
    leaveLesson();
    m_viewport->fit();
    setLessonText({}, {});
    setRings({});
    addRecentFile(QFileInfo(path).absoluteFilePath());
    if (m_session->isTensor())
        statusBar()->showMessage(tr("Opened %1: %2 channels; the Channels view shows them all, the other views "
                                    "convolve channel 0")
                                     .arg(QDir::toNativeSeparators(path))
                                     .arg(m_session->source().channels()),
                                 10000);
    else
        statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(path)), 5000);
    return true;
}

bool MainWindow::openLesson(const QString &path)
{
    m_animation->setPlaying(false);
    QString error;
    QString outside;
    std::optional<Lesson> lesson = readLesson(path, &error, false, &outside);
    // A lesson may read a file outside its folder only when the user says so.
    if (!lesson && !outside.isEmpty() && m_errorDialogs
        && QMessageBox::question(this, tr("Open Lesson"),
                                 tr("This lesson reads “%1”, which lies outside the lesson's folder. "
                                    "Let it read that file?")
                                     .arg(outside))
            == QMessageBox::Yes)
        lesson = readLesson(path, &error, true);
    if (!lesson) {
        m_opening = true;
        showError(error);
        m_opening = false;
        return false;
    }
    if (!enterLesson(*lesson))
        return false;
    addRecentFile(QFileInfo(path).absoluteFilePath());
    statusBar()->showMessage(tr("Opened lesson %1").arg(QDir::toNativeSeparators(path)), 5000);
    return true;
}

bool MainWindow::openBuiltinLesson(const QString &id)
{
    const std::optional<Lesson> lesson = makeBuiltinLesson(id);
    if (!lesson || !enterLesson(*lesson))
        return false;
    m_lessonId = id;
    statusBar()->showMessage(tr("Lesson: %1").arg(lesson->title), 5000);
    return true;
}

bool MainWindow::enterLesson(const Lesson &lesson)
{
    const bool entering = !m_beforeLesson;
    if (entering)
        m_beforeLesson = BeforeLesson{m_session->kernel(), m_session->spec(), m_session->channel(),
                                      m_session->viewSettings(), m_session->look()};
    if (showLesson(lesson))
        return true;
    if (entering)
        m_beforeLesson.reset();
    return false;
}

void MainWindow::leaveLesson()
{
    if (!m_beforeLesson)
        return;
    const BeforeLesson before = *std::exchange(m_beforeLesson, std::nullopt);
    m_session->setChannel(before.channel);
    m_session->setKernel(before.kernel);
    m_session->setSpec(before.spec);
    m_session->setViewSettings(before.view);
    setOutputScale(before.look.outputScale);
    setFontScale(before.look.fontScale);
    Look look = m_session->look();
    look.paddingStrength = before.look.paddingStrength;
    look.clipOutliers = before.look.clipOutliers;
    m_session->setLook(look);
}

bool MainWindow::showLesson(const Lesson &lesson)
{
    m_animation->setPlaying(false);
    m_opening = true;
    // The session shows its own refusals through errorOccurred.
    QString error;
    const bool ok = applyLesson(lesson, *m_session, &error);
    m_opening = false;
    if (!ok)
        return false;
    setLessonText(lesson.title, lesson.explanation);
    m_lessonId.clear();
    setOutputScale(lesson.display.look.outputScale);
    setFontScale(lesson.display.look.fontScale);
    Look look = m_session->look();
    look.paddingStrength = lesson.display.look.paddingStrength;
    look.clipOutliers = lesson.display.look.clipOutliers;
    m_session->setLook(look);
    setRings(lesson.display.rings);
    if (lesson.display.cellSize > 0) {
        m_viewport->setCellSize(lesson.display.cellSize);
        keepWindowVisible();
    } else {
        fitToView();
    }
    return true;
}

void MainWindow::setLessonText(const QString &title, const QString &explanation)
{
    m_lessonTitle = title;
    m_lessonExplanation = explanation;
    if (explanation.isEmpty()) {
        m_lessonText->setHtml(
            tr("<p>Choose a lesson from the <b>Lessons</b> menu to read about it here.</p>"));
        m_lessonDock->hide();
        return;
    }
    QString html = QStringLiteral("<h3>%1</h3>").arg(title.toHtmlEscaped());
    for (const QString &paragraph : explanation.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        html += QStringLiteral("<p>%1</p>").arg(paragraph.toHtmlEscaped());
    m_lessonText->setHtml(html);
    // In presenter mode only the panels show; the text is there when it ends.
    m_lessonDock->setVisible(!m_presenting);
}

bool MainWindow::saveLesson(const QString &path)
{
    Lesson lesson = lessonFromSession(
        *m_session, LessonDisplay{m_session->look(), m_viewport->isFitted() ? 0.0 : m_viewport->cellSize(), m_rings});
    lesson.title = m_lessonTitle.isEmpty() ? m_session->inputName() : m_lessonTitle;
    lesson.explanation = m_lessonExplanation;
    // A file from outside the lesson's folder is copied in only when the user says so.
    const bool embed = embedsOutsideFile(lesson, path) && m_errorDialogs
        && QMessageBox::question(this, tr("Save Lesson"),
                                 tr("The input “%1” lies outside the lesson's folder. Copy its content "
                                    "into the lesson? (Otherwise the lesson names the file by its path.)")
                                     .arg(QDir::toNativeSeparators(lesson.sourcePath)))
            == QMessageBox::Yes;
    QString error;
    if (!writeLesson(lesson, path, &error, embed)) {
        m_opening = true;
        showError(error);
        m_opening = false;
        return false;
    }
    statusBar()->showMessage(tr("Saved lesson %1").arg(QDir::toNativeSeparators(path)), 5000);
    return true;
}

void MainWindow::saveLessonDialog()
{
    const QString start
        = m_recentFiles.isEmpty() ? QString() : QFileInfo(m_recentFiles.first()).absolutePath();
    QString path = QFileDialog::getSaveFileName(this, tr("Save Lesson"), start,
                                                tr("Lessons (*.padlab.json)"));
    if (path.isEmpty())
        return;
    if (!isLessonPath(path))
        path += QStringLiteral(".padlab.json");
    saveLesson(path);
}

void MainWindow::openFileWhenShown(const QString &path)
{
    m_pendingFile = path;
}

void MainWindow::openSample(const QString &id)
{
    const cv::Mat image = makeSample(id);
    if (image.empty())
        return;
    QString title = id;
    for (const Sample &sample : samples())
        if (sample.id == id)
            title = sample.title;
    m_animation->setPlaying(false);
    m_session->setSource(image, title);
    leaveLesson();
    m_viewport->fit();
    setLessonText({}, {});
    setRings({});
}

void MainWindow::openDialog()
{
    const QString start
        = m_recentFiles.isEmpty() ? QString() : QFileInfo(m_recentFiles.first()).absolutePath();
    const QString path
        = QFileDialog::getOpenFileName(this, tr("Open"), start,
                                       tr("Inputs and lessons (*.csv *.npy *.png *.jpg *.jpeg *.bmp "
                                          "*.gif *.webp *.pgm *.ppm *.pbm *.pnm *.tif *.tiff "
                                          "*.json);;"
                                          "CSV matrices (*.csv);;NumPy arrays (*.npy);;Lessons (*.padlab.json);;"
                                          "All files (*)"));
    if (!path.isEmpty())
        openFile(path);
}

void MainWindow::addRecentFile(const QString &path)
{
    m_recentFiles.removeAll(path);
    m_recentFiles.prepend(path);
    while (m_recentFiles.size() > kMaxRecentFiles)
        m_recentFiles.removeLast();
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    for (const QString &path : std::as_const(m_recentFiles)) {
        QAction *action = m_recentMenu->addAction(QFileInfo(path).fileName(), this, [this, path] {
            if (!openFile(path)) {
                m_recentFiles.removeAll(path);
                rebuildRecentMenu();
            }
        });
        action->setStatusTip(QDir::toNativeSeparators(path));
    }
    if (!m_recentFiles.isEmpty()) {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(tr("Clear list"), this, [this] {
            m_recentFiles.clear();
            rebuildRecentMenu();
        });
    }
    m_recentMenu->setEnabled(!m_recentFiles.isEmpty());
}

void MainWindow::showError(const QString &message)
{
    statusBar()->showMessage(message, 15000);
    Q_EMIT errorShown(message);
    if (m_errorDialogs && m_opening)
        QMessageBox::warning(this, tr("PadLab"), message);
}

void MainWindow::loadSettings()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) {
        const QRect screen = QGuiApplication::primaryScreen()->availableGeometry();
        resize(std::min(1600, screen.width() * 9 / 10), std::min(1000, screen.height() * 9 / 10));
    }
    m_docksPlaced = restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_recentFiles = settings.value(QStringLiteral("recentFiles")).toStringList();
    rebuildRecentMenu();
    const QString theme = settings.value(QStringLiteral("view/theme")).toString();
    for (int i = 1; i < 3; ++i)
        if (theme == QLatin1String(kThemeNames[i]))
            setTheme(Theme(i));
    const QStringList shown = settings.value(QStringLiteral("presenter/panels")).toStringList();
    if (!shown.isEmpty())
        for (size_t i = 0; i < kPanels.size(); ++i)
            m_presenterShown[i] = shown.contains(QString::number(i));
    const int arrangement = settings.value(QStringLiteral("presenter/arrangement"), -1).toInt();
    if (arrangement >= 0 && arrangement < int(std::size(kArrangements)))
        m_presenterArrangement = kArrangements[arrangement];
}

void MainWindow::saveSettings()
{
    // The window as it was before presenting is the one to come back to.
    setPresenting(false);
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("recentFiles"), m_recentFiles);
    QStringList shown;
    for (size_t i = 0; i < kPanels.size(); ++i)
        if (m_presenterShown[i])
            shown << QString::number(i);
    settings.setValue(QStringLiteral("presenter/panels"), shown);
    settings.setValue(QStringLiteral("presenter/arrangement"),
                      int(std::find(std::begin(kArrangements), std::end(kArrangements), m_presenterArrangement)
                          - std::begin(kArrangements)));
    settings.sync();
}

QString MainWindow::lastSessionPath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("last-session.padlab.json"));
}

void MainWindow::restoreLastSession()
{
    const QString path = lastSessionPath();
    if (!QFileInfo::exists(path))
        return;
    // A session on a photo reads it once the window is on screen, as a file named on the command
    // line does: a large image must not hold back the window's first appearance.
    if (!lessonInputPath(path).isEmpty())
        m_lastSessionPending = true;
    else
        openLastSession();
}

void MainWindow::openLastSession()
{
    // A session that no longer opens (its input moved, a hand-edited file) leaves the sample.
    // The program wrote this file itself, naming the file the user had open, wherever it lies.
    QString error;
    if (const std::optional<Lesson> lesson = readLesson(lastSessionPath(), &error, true))
        showLesson(*lesson);
}

void MainWindow::saveLastSession()
{
    const QString path = lastSessionPath();
    QDir().mkpath(QFileInfo(path).absolutePath());
    Lesson lesson = lessonFromSession(
        *m_session, LessonDisplay{m_session->look(), m_viewport->isFitted() ? 0.0 : m_viewport->cellSize(), m_rings});
    lesson.title = m_lessonTitle;
    lesson.explanation = m_lessonExplanation;
    // Kept for this user alone: a small input is copied in, wherever it came from, as it was.
    QString error;
    writeLesson(lesson, path, &error, true);
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (m_docksPlaced)
        return;
    // First start: the settings take the height they need and no more, the shape text the
    // width the settings leave; the panels get the rest.
    m_docksPlaced = true;
    auto *settingsDock = findChild<QDockWidget *>(QStringLiteral("settingsDock"));
    auto *shapeDock = findChild<QDockWidget *>(QStringLiteral("shapeDock"));
    auto *codeDock = findChild<QDockWidget *>(QStringLiteral("codeDock"));
    // Room for the vertical scroll bar too: the settings are taller than a third of most windows.
    const int wanted = m_settingsScroll->widget()->sizeHint().width()
                       + m_settingsScroll->verticalScrollBar()->sizeHint().width() + 8;
    if (wanted > width() * 2 / 3) {
        // Too narrow for the settings and their arithmetic side by side (a 1280 x 720
        // projector): Shape and Code become tabs behind the settings, which then fit without
        // scrolling sideways.
        tabifyDockWidget(settingsDock, shapeDock);
        tabifyDockWidget(shapeDock, codeDock);
        settingsDock->raise();
    } else {
        resizeDocks({settingsDock, shapeDock}, {wanted, width() - wanted}, Qt::Horizontal);
    }
    // As tall as the settings, but never more than a third of the window: the rest scrolls.
    const int settingsHeight = std::min(m_settingsScroll->widget()->sizeHint().height()
                                            + m_settingsScroll->horizontalScrollBar()->sizeHint().height(),
                                        height() / 3);
    resizeDocks({settingsDock}, {settingsHeight}, Qt::Vertical);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    setPresenting(false);
    saveSettings();
    saveLastSession();
    m_settingsSaved = true;
    m_animation->setPlaying(false);
    QMainWindow::closeEvent(event);
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        updateViews();
    if (event->type() == QEvent::WindowStateChange && m_fullScreen)
        m_fullScreen->setChecked(isFullScreen() && !m_presenting);
    QMainWindow::changeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.first().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls.first().isLocalFile())
        return;
    event->acceptProposedAction();
    openFile(urls.first().toLocalFile());
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    // Whichever view the window reopened in, the settings below it paint with the window.
    if (event->type() == QEvent::Paint && (m_lastSessionPending || !m_pendingFile.isEmpty())) {
        QTimer::singleShot(0, this, [this, restore = std::exchange(m_lastSessionPending, false),
                                     path = std::exchange(m_pendingFile, QString())] {
            if (restore)
                openLastSession();
            if (const std::optional<QString> lesson = lessonArgument(path))
                openBuiltinLesson(*lesson);
            else if (!path.isEmpty())
                openFile(path);
        });
    }
    if (event->type() == QEvent::Resize
        && std::find(m_views.begin(), m_views.end(), watched) != m_views.end())
        updateExtents();
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::sessionChanged()
{
    updateTitle();
    updateExtents();
    if (m_hoveredOutput && m_session->snapshot()->windowAt(m_hoveredOutput->y(), m_hoveredOutput->x()).taps.empty())
        m_hoveredOutput.reset();
    updateViews();
}

void MainWindow::stepChanged()
{
    keepWindowVisible();
    updateViews();
}

void MainWindow::updateTitle()
{
    // A tensor's views convolve its channel 0; the Channels view shows every channel.
    if (m_session->isTensor())
        setWindowTitle(tr("%1 (channel 0 of %2) — PadLab").arg(m_session->inputName()).arg(m_session->source().channels()));
    else
        setWindowTitle(tr("%1 — PadLab").arg(m_session->inputName()));
}

void MainWindow::updateExtents()
{
    // The padded panel first: its area decides how many cells are in view.
    // Only the panels on show that share the zoom: a hidden or overview panel has no say.
    std::vector<Viewport::Extent> extents;
    const SnapshotPtr snapshot = m_session->snapshot();
    const std::vector<QWidget *> &shown = m_panelArea->panels();
    for (Panel panel : {Panel::Padded, Panel::Input, Panel::Output}) {
        PanelView *view = panelView(panel);
        if (view->isOverview() || std::find(shown.begin(), shown.end(), view) == shown.end())
            continue;
        extents.push_back({PanelPainter::gridSize(*snapshot, panel), view->gridArea().size()});
    }
    m_viewport->setExtents(std::move(extents));
}

double MainWindow::cellSize() const
{
    return m_viewport->cellSize();
}

QPointF MainWindow::origin() const
{
    return m_viewport->origin();
}

void MainWindow::fitToView()
{
    updateExtents();
    m_viewport->fit();
}

void MainWindow::zoomBy(double factor)
{
    if (m_session->view() == Session::View::Compare)
        zoomCompare(m_compareZoom * factor);
    else
        m_viewport->zoomBy(factor);
}

void MainWindow::zoomCompare(double zoom)
{
    // The comparison grows past its tab, which scrolls: every thumbnail grows with it.
    m_compareZoom = std::clamp(zoom, 1.0, kMaxCompareZoom);
    const auto *scroll = qobject_cast<QScrollArea *>(m_tabs->widget(int(Session::View::Compare)));
    const QSize shown = scroll->maximumViewportSize();
    m_compare->setMinimumSize(m_compareZoom > 1 ? QSize(int(shown.width() * m_compareZoom), int(shown.height() * m_compareZoom))
                                                : QSize());
}

void MainWindow::zoomAround(double factor, const PanelView *view, QPointF position)
{
    m_viewport->zoomAround(factor, position - view->gridArea().topLeft());
}

void MainWindow::keepWindowVisible()
{
    if (m_session->stepCount() == 0)
        return;
    const core::Window window = m_session->window();
    m_viewport->follow(QRect(window.left, window.top, window.width, window.height));
}

void MainWindow::updateScrollBars()
{
    m_syncingScrollBars = true;
    const QSize grid = m_viewport->gridCells();
    const QSizeF visible = m_viewport->visibleCells();
    const double cellSize = m_viewport->cellSize();
    const QPointF origin = m_viewport->origin();
    const auto apply = [this, cellSize](QScrollBar *bar, double cells, double shown, double at) {
        const int maximum = int(std::ceil(std::max(0.0, cells - shown) * cellSize));
        bar->setRange(0, maximum);
        bar->setPageStep(std::max(1, int(shown * cellSize)));
        bar->setSingleStep(std::max(1, int(cellSize)));
        bar->setValue(int(std::lround(at * cellSize)));
        // Shown only when there is somewhere to go: at Fit the panels get the bars' room.
        bar->setVisible(maximum > 0 && !m_presenting);
    };
    apply(m_hScroll, grid.width(), visible.width(), origin.x());
    apply(m_vScroll, grid.height(), visible.height(), origin.y());
    m_syncingScrollBars = false;
}

void MainWindow::scrollBarMoved()
{
    if (m_syncingScrollBars)
        return;
    const double cellSize = m_viewport->cellSize();
    m_viewport->panBy(QPointF(m_hScroll->value() / cellSize, m_vScroll->value() / cellSize) - m_viewport->origin());
}

void MainWindow::busyChanged(bool busy)
{
    if (busy) {
        m_progressBar->setRange(0, 0);
        m_progressDelay->start();
    } else {
        m_progressDelay->stop();
        m_progress->setVisible(false);
    }
}

void MainWindow::updateViews()
{
    Look look = m_session->look();
    look.dark = palette().color(QPalette::Window).lightness() < 128;
    m_session->setLook(look);
    // Step 0 shows the whole output; once the window moves (or plays) the cells it has not
    // reached fade. On large outputs the window covers too little to be worth following.
    const QSize output = PanelPainter::gridSize(*m_session->snapshot(), Panel::Output);
    const bool fade = m_fadeFuture && m_fadeFuture->isChecked()
        && qint64(output.width()) * output.height() <= kMaxFadedCells
        && (m_animation->isPlaying() || m_session->step() > 0);
    for (PanelView *view : m_views) {
        view->setHoveredOutput(m_hoveredOutput);
        view->setFadeUncomputed(fade);
    }
}

void MainWindow::viewSettingsChanged()
{
    const int index = int(m_session->view());
    if (m_tabs->currentIndex() != index)
        m_tabs->setCurrentIndex(index);
    // The views that walk an output step by step; Compare, Stages and Layers do not.
    const Session::View view = m_session->view();
    const bool stepped = view != Session::View::Compare && view != Session::View::Stages
                         && view != Session::View::Layers;
    if (!stepped)
        m_animation->setPlaying(false);
    m_animation->setVisible(stepped);
    // The kernel only where the tab convolves with it (the controls below it follow on their own).
    m_kernelBox->setVisible(ControlPanel::partsFor(m_session->viewSettings()).kernel);
}

double MainWindow::fontScale() const
{
    return m_session->look().fontScale;
}

void MainWindow::setFontScale(double scale)
{
    scale = std::clamp(scale, Look::kMinFontScale, Look::kMaxFontScale);
    if (std::abs(scale - fontScale()) < 1e-9)
        return;
    Look look = m_session->look();
    look.fontScale = scale;
    m_session->setLook(look);
    QFont font = m_baseFont;
    if (m_baseFont.pointSizeF() > 0)
        font.setPointSizeF(m_baseFont.pointSizeF() * scale);
    else
        font.setPixelSize(int(std::lround(m_baseFont.pixelSize() * scale)));
    QApplication::setFont(font);
    updateViews();
    statusBar()->showMessage(tr("Text size %1%").arg(std::lround(scale * 100)), 2000);
}

OutputScale MainWindow::outputScale() const
{
    return m_session->look().outputScale;
}

void MainWindow::setOutputScale(OutputScale scale)
{
    Look look = m_session->look();
    look.outputScale = scale;
    m_session->setLook(look);
    m_controls->setOutputScale(scale);
}

void MainWindow::showHover(Panel panel, QPoint cell)
{
    const SnapshotPtr snapshot = m_session->snapshot();
    const QString text = hoverText(*snapshot, panel, cell, m_session->step());
    if (!text.isEmpty())
        statusBar()->showMessage(text);
    const std::optional<QPoint> hovered = panel == Panel::Output && !snapshot->windowAt(cell.y(), cell.x()).taps.empty()
        ? std::optional<QPoint>(cell)
        : std::nullopt;
    if (hovered != m_hoveredOutput) {
        m_hoveredOutput = hovered;
        updateViews();
    }
}

void MainWindow::clearHover()
{
    statusBar()->clearMessage();
    if (m_hoveredOutput) {
        m_hoveredOutput.reset();
        updateViews();
    }
}

} // namespace padlab::ui

#pragma once

#include "lesson.h"
#include "panelarea.h"
#include "panelpainter.h"

#include <QFont>
#include <QPalette>
#include <QMainWindow>
#include <QPointF>
#include <QStringList>
#include <array>
#include <optional>

class QAction;
class QBoxLayout;
class QProgressBar;
class QDockWidget;
class QLabel;
class QMenu;
class QScrollArea;
class QScrollBar;
class QTabWidget;
class QTextBrowser;
class QTimer;

namespace padlab::ui {

class AnimationBar;
class CodePanel;
class CompareView;
class ControlPanel;
class KernelEditor;
class LayerStackView;
class PanelView;
class Session;
class ShapePanel;
class SignalView;
class StagesView;
class ChannelsView;
class PoolView;
class TransposedView;
class VolumeView;
class Viewport;
struct Lesson;

/**
 * The PadLab window: four panels side by side (input, padded input, sliding window, output),
 * the settings and kernel below them beside the shape arithmetic and the equivalent code, the
 * animation at the bottom. Tabs switch the panels to the other teaching views (signal, compare,
 * stages, layers); the session says which one is shown, so lessons can choose it.
 *
 * It owns the Session, the Viewport the panels share and the actions, and wires the widgets to
 * each other: hovering an output cell lights its receptive field, clicking one moves the window
 * there; a computation that takes longer than half a second shows its progress in the status
 * bar with a Cancel button. The window's geometry and recent files live in QSettings; the
 * session it closed with is saved as a lesson (lastSessionPath()) and reopened at the next start.
 */
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    Session *session() const { return m_session; }
    PanelView *panelView(Panel panel) const;
    AnimationBar *animationBar() const { return m_animation; }
    ShapePanel *shapePanel() const { return m_shape; }
    CodePanel *codePanel() const { return m_code; }
    SignalView *signalView() const { return m_signal; }
    CompareView *compareView() const { return m_compare; }
    StagesView *stagesView() const { return m_stages; }
    ChannelsView *channelsView() const { return m_channels; }
    PoolView *poolView() const { return m_pool; }
    TransposedView *transposedView() const { return m_transposed; }
    VolumeView *volumeView() const { return m_volume; }
    LayerStackView *layerStackView() const { return m_layers; }
    QTabWidget *viewTabs() const { return m_tabs; }

    /// Opens a CSV matrix, an image or a lesson; on failure shows why and keeps what was open.
    bool openFile(const QString &path);
    /// Restores the view a lesson file (ui/lesson.h) describes: input, settings, step and
    /// display options. A malformed or newer lesson is refused with a message.
    bool openLesson(const QString &path);
    /// Saves the current view as a lesson; a failed save leaves an existing file untouched.
    bool saveLesson(const QString &path);
    /// Opens @p path (or the built-in lesson of `lesson:NAME`) once the window has painted
    /// itself, so that a large file does not hold back the window's first appearance.
    void openFileWhenShown(const QString &path);
    /// Opens a built-in sample (ui/samples.h). A new input (file or sample) starts at the first
    /// step; one opened while a lesson is shown leaves the lesson and brings back the settings
    /// from before it was opened.
    void openSample(const QString &id);
    /// Opens a built-in lesson (ui/lessons.h) and shows its explanation beside the panels;
    /// false for an unknown id.
    bool openBuiltinLesson(const QString &id);
    QStringList recentFiles() const { return m_recentFiles; }
    /// Where the window keeps the session it closed with: a lesson file in the application's
    /// data folder.
    static QString lastSessionPath();

    /// With dialogs off, errors go only to the status bar and errorShown() (for tests and
    /// headless runs); with dialogs on, a message box says it too.
    void setErrorDialogsEnabled(bool enabled) { m_errorDialogs = enabled; }

    Viewport *viewport() const { return m_viewport; }
    double cellSize() const;
    QPointF origin() const;
    /// Zooms the panels' shared viewport, or the compare view when it is shown.
    void zoomBy(double factor);
    void fitToView();

    double fontScale() const;
    void setFontScale(double scale);

    OutputScale outputScale() const;
    void setOutputScale(OutputScale scale);

    /// The status bar's progress of a long computation, with its Cancel button.
    QWidget *progressIndicator() const { return m_progress; }

    PanelArea *panelArea() const { return m_panelArea; }

    /// Presenter mode (F5, and back with F5 or Esc): the chosen panels fill the screen, with
    /// nothing else around them; the keys drive everything, and dragging rings cells with the pen.
    bool isPresenting() const { return m_presenting; }
    void setPresenting(bool presenting);
    /// The panels presenter mode shows (keys 1 to 4 toggle them) and how it arranges them (A).
    std::vector<Panel> presenterPanels() const;
    void setPresenterPanel(Panel panel, bool shown);
    Arrangement presenterArrangement() const { return m_presenterArrangement; }
    void setPresenterArrangement(Arrangement arrangement);

    /// The pen's rings, kept with the input and saved in lessons; C clears them.
    const std::vector<PenRing> &rings() const { return m_rings; }
    void setRings(std::vector<PenRing> rings);

    enum class Theme { System, Light, Dark };
    /// View > Theme: the system's, or a light or dark palette; remembered in QSettings.
    Theme theme() const { return m_theme; }
    void setTheme(Theme theme);

Q_SIGNALS:
    void errorShown(const QString &message);

protected:
    void showEvent(QShowEvent *event) override;
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void createActions();
    void createDocks();
    void arrangeSettings(Qt::DockWidgetArea area);
    void loadSettings();
    void saveSettings();
    void restoreLastSession();
    void openLastSession();
    void saveLastSession();

    void sessionChanged();
    void stepChanged();
    void viewSettingsChanged();
    void updateTitle();
    void updateViews();
    void updateExtents();
    void updateScrollBars();
    void scrollBarMoved();
    void busyChanged(bool busy);
    void showError(const QString &message);
    void showHover(Panel panel, QPoint cell);
    void clearHover();
    void addRecentFile(const QString &path);
    void rebuildRecentMenu();
    void openDialog();
    void saveLessonDialog();
    bool showLesson(const Lesson &lesson);
    /// A lesson opened by the user: the settings before it are kept, to come back to when it is
    /// left (once, however many lessons follow it).
    bool enterLesson(const Lesson &lesson);
    /// Brings back the settings from before the lesson that is left, if one is.
    void leaveLesson();
    void setLessonText(const QString &title, const QString &explanation);

    void zoomAround(double factor, const PanelView *view, QPointF position);
    void arrangePanels();
    void zoomCompare(double zoom);
    void updateRings();
    void openLessonPage(int offset);
    void createPresenterActions(QMenu *view);
    void keepWindowVisible();

    Session *m_session;
    Viewport *m_viewport;
    std::array<PanelView *, 4> m_views{};
    ControlPanel *m_controls = nullptr;
    KernelEditor *m_kernel = nullptr;
    QWidget *m_kernelBox = nullptr;
    ShapePanel *m_shape = nullptr;
    AnimationBar *m_animation = nullptr;
    CodePanel *m_code = nullptr;
    SignalView *m_signal = nullptr;
    CompareView *m_compare = nullptr;
    StagesView *m_stages = nullptr;
    ChannelsView *m_channels = nullptr;
    PoolView *m_pool = nullptr;
    TransposedView *m_transposed = nullptr;
    VolumeView *m_volume = nullptr;
    LayerStackView *m_layers = nullptr;
    QTabWidget *m_tabs = nullptr;
    QBoxLayout *m_settingsLayout = nullptr;
    QScrollArea *m_settingsScroll = nullptr;
    QDockWidget *m_settingsDock = nullptr;
    QDockWidget *m_lessonDock = nullptr;
    QTextBrowser *m_lessonText = nullptr;
    QScrollBar *m_hScroll = nullptr;
    QScrollBar *m_vScroll = nullptr;
    QWidget *m_progress = nullptr;
    QProgressBar *m_progressBar = nullptr;
    QTimer *m_progressDelay = nullptr;
    QMenu *m_recentMenu = nullptr;
    QAction *m_fullScreen = nullptr;
    QAction *m_fadeFuture = nullptr;
    QAction *m_presenterAction = nullptr;
    std::array<QAction *, 3> m_themeActions{};
    PanelArea *m_panelArea = nullptr;
    QWidget *m_panScrollCorner = nullptr;

    double m_compareZoom = 1; ///< the compare view's size over its tab's
    bool m_presenting = false;
    std::array<bool, 4> m_presenterShown{false, true, true, true};
    Arrangement m_presenterArrangement = Arrangement::Large;
    QByteArray m_stateBeforePresenting;
    bool m_maximizedBeforePresenting = false;
    std::vector<PenRing> m_rings;
    QString m_lessonId; ///< the built-in lesson shown, for the next and previous page
    /// The kernel, settings, teaching view and look from before the lessons opened since; what
    /// leaving them restores.
    struct BeforeLesson {
        cv::Mat kernel;
        core::ConvSpec spec;
        Session::Channel channel = Session::Channel::Gray;
        ViewSettings view;
        Look look;
    };
    std::optional<BeforeLesson> m_beforeLesson;
    Theme m_theme = Theme::System;
    QString m_systemStyle;
    QPalette m_systemPalette;

    QStringList m_recentFiles;
    QString m_pendingFile;
    bool m_lastSessionPending = false; ///< a last session reading a file opens once shown
    // Kept from the opened lesson, so that saving it again keeps its text.
    QString m_lessonTitle;
    QString m_lessonExplanation;
    QFont m_baseFont;
    bool m_syncingScrollBars = false;
    std::optional<QPoint> m_hoveredOutput;
    bool m_errorDialogs = true;
    bool m_opening = false;
    bool m_settingsSaved = false;
    bool m_docksPlaced = false;
};

} // namespace padlab::ui

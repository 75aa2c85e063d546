#pragma once

#include "panelpainter.h"

#include <QFont>
#include <QMainWindow>
#include <QPointF>
#include <QStringList>
#include <array>

class QAction;
class QBoxLayout;
class QDockWidget;
class QLabel;
class QMenu;
class QScrollArea;
class QScrollBar;
class QTabWidget;
class QTextBrowser;

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
struct Lesson;

/**
 * The PadLab window: four panels side by side (input, padded input, sliding window, output),
 * the settings and kernel below them beside the shape arithmetic and the equivalent code, the
 * animation at the bottom. Tabs switch the panels to the other teaching views (signal, compare,
 * stages, layers); the session says which one is shown, so lessons can choose it.
 *
 * It owns the Session and the actions, and wires the widgets to each other: zoom and pan are
 * kept here and set on every panel together, hovering an output cell lights its receptive
 * field, clicking one moves the window there. Settings, geometry and recent files live in
 * QSettings.
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
    LayerStackView *layerStackView() const { return m_layers; }
    QTabWidget *viewTabs() const { return m_tabs; }

    /// Opens a CSV matrix, an image or a lesson; on failure shows why and keeps what was open.
    bool openFile(const QString &path);
    /// Restores the view a lesson file (ui/lesson.h) describes: input, settings, step and
    /// display options. A malformed or newer lesson is refused with a message.
    bool openLesson(const QString &path);
    /// Saves the current view as a lesson; a failed save leaves an existing file untouched.
    bool saveLesson(const QString &path);
    /// Opens @p path once the window has painted itself, so that a large file does not hold
    /// back the window's first appearance.
    void openFileWhenShown(const QString &path);
    /// Opens a built-in sample (ui/samples.h).
    void openSample(const QString &id);
    /// Opens a built-in lesson (ui/lessons.h) and shows its explanation beside the panels;
    /// false for an unknown id.
    bool openBuiltinLesson(const QString &id);
    QStringList recentFiles() const { return m_recentFiles; }

    /// With dialogs off, errors go only to the status bar and errorShown() (for tests and
    /// headless runs); with dialogs on, a message box says it too.
    void setErrorDialogsEnabled(bool enabled) { m_errorDialogs = enabled; }

    double cellSize() const { return m_cellSize; }
    QPointF origin() const { return m_origin; }
    void zoomBy(double factor);
    void fitToView();

    double fontScale() const { return m_fontScale; }
    void setFontScale(double scale);

    OutputScale outputScale() const { return m_outputScale; }
    void setOutputScale(OutputScale scale);

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

    void sessionChanged();
    void stepChanged();
    void viewSettingsChanged();
    void updateTitle();
    void updateViews();
    void updateScrollBars();
    void scrollBarMoved();
    void showError(const QString &message);
    void showHover(Panel panel, QPoint cell);
    void clearHover();
    void addRecentFile(const QString &path);
    void rebuildRecentMenu();
    void openDialog();
    void saveLessonDialog();
    bool showLesson(const Lesson &lesson);
    void setLessonText(const QString &title, const QString &explanation);

    void panBy(QPointF cells);
    void zoomAround(double factor, const PanelView *view, QPointF position);
    void setOrigin(QPointF origin);
    void keepWindowVisible();
    QSize syncedGridCells() const;
    QSizeF visibleCells() const;

    Session *m_session;
    std::array<PanelView *, 4> m_views{};
    ControlPanel *m_controls = nullptr;
    KernelEditor *m_kernel = nullptr;
    ShapePanel *m_shape = nullptr;
    AnimationBar *m_animation = nullptr;
    CodePanel *m_code = nullptr;
    SignalView *m_signal = nullptr;
    CompareView *m_compare = nullptr;
    StagesView *m_stages = nullptr;
    LayerStackView *m_layers = nullptr;
    QTabWidget *m_tabs = nullptr;
    QBoxLayout *m_settingsLayout = nullptr;
    QScrollArea *m_settingsScroll = nullptr;
    QDockWidget *m_settingsDock = nullptr;
    QDockWidget *m_lessonDock = nullptr;
    QTextBrowser *m_lessonText = nullptr;
    QScrollBar *m_hScroll = nullptr;
    QScrollBar *m_vScroll = nullptr;
    QLabel *m_busyLabel = nullptr;
    QMenu *m_recentMenu = nullptr;
    QAction *m_fullScreen = nullptr;
    QAction *m_fadeFuture = nullptr;

    QStringList m_recentFiles;
    QString m_pendingFile;
    // Kept from the opened lesson, so that saving it again keeps its text.
    QString m_lessonTitle;
    QString m_lessonExplanation;
    QFont m_baseFont;
    double m_cellSize = 32;
    QPointF m_origin;
    bool m_autoFit = true;
    bool m_syncingScrollBars = false;
    double m_fontScale = 1.0;
    OutputScale m_outputScale = OutputScale::Diverging;
    std::optional<QPoint> m_hoveredOutput;
    QSize m_lastPaddedSize;
    bool m_errorDialogs = true;
    bool m_opening = false;
    bool m_settingsSaved = false;
    bool m_docksPlaced = false;
};

} // namespace padlab::ui

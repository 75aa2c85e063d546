#include "animationbar.h"
#include "compareview.h"
#include "comparepainter.h"
#include "lesson.h"
#include "lessons.h"
#include "mainwindow.h"
#include "panelarea.h"
#include "panelpainter.h"
#include "panelview.h"
#include "parts.h"
#include "session.h"
#include "viewport.h"

#include "padlab/core/fill.h"

#include <QAbstractSpinBox>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenuBar>
#include <QPainter>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSlider>
#include <QSpinBox>
#include <QTableWidget>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTabWidget>
#include <QTextBrowser>
#include <QWheelEvent>
#include <climits>
#include <limits>
#include <memory>

#include <opencv2/core.hpp>

using padlab::ui::AnimationBar;
using padlab::ui::Arrangement;
using padlab::ui::Look;
using padlab::ui::MainWindow;
using padlab::ui::OutputScale;
using padlab::ui::Panel;
using padlab::ui::PanelOptions;
using padlab::ui::PanelPainter;
using padlab::ui::PanelView;
using padlab::ui::PenRing;
using padlab::ui::Session;
namespace core = padlab::core;

Q_DECLARE_METATYPE(Arrangement)

/// The window in a classroom: small projectors, presenter mode, the pen, seeing the padding,
/// themes.
class TestClassroom : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void minimumSizeFitsProjector_data();
    void minimumSizeFitsProjector();
    void settingsNeverScrollSideways_data();
    void settingsNeverScrollSideways();
    void docksKeepTheirSize_data();
    void docksKeepTheirSize();
    void layerRowsShown_data();
    void layerRowsShown();
    void panScrollBars_data();
    void panScrollBars();
    void wheelScrollsSettings_data();
    void wheelScrollsSettings();
    void arrangement_data();
    void arrangement();
    void presenterKeys_data();
    void presenterKeys();
    void presenterLayouts_data();
    void presenterLayouts();
    void presenterCellNumbers_data();
    void presenterCellNumbers();
    void penRingsInLesson_data();
    void penRingsInLesson();
    void quantiles_data();
    void quantiles();
    void clippedColours_data();
    void clippedColours();
    void paddingTint_data();
    void paddingTint();
    void paddingRingOnLargePhoto();
    void zoomedCellsStayInTheirPlace_data();
    void zoomedCellsStayInTheirPlace();
    void hoverKeepsPixelsVisible();
    void compareZooms_data();
    void compareZooms();
    void compareThumbnailsReadable_data();
    void compareThumbnailsReadable();
    void themeRemembered_data();
    void themeRemembered();

private:
    std::unique_ptr<MainWindow> makeWindow(QSize size);
    /// Presents @p panels (Panel values) in @p arrangement on the 1920 x 1080 screen.
    void present(MainWindow &window, const QList<int> &panels, Arrangement arrangement);

    QTemporaryDir m_dir;
};

namespace {

cv::Mat ramp(int rows, int cols)
{
    cv::Mat m(rows, cols, CV_32F);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c)
            m.at<float>(r, c) = float((r * cols + c) % 256);
    return m;
}

QImage render(const Session &session, Panel panel, const PanelOptions &o, QSize size,
              padlab::ui::PanelDrawn *drawn = nullptr)
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(Qt::magenta);
    QPainter painter(&image);
    const padlab::ui::PanelDrawn result
        = PanelPainter::paint(painter, QRect(QPoint(), size), *session.snapshot(), panel, o);
    if (drawn)
        *drawn = result;
    return image;
}

int distance(const QColor &a, const QColor &b)
{
    return std::max({std::abs(a.red() - b.red()), std::abs(a.green() - b.green()), std::abs(a.blue() - b.blue())});
}

QString names(const std::vector<Panel> &panels)
{
    const char *text[] = {"input", "padded", "window", "output"};
    QStringList list;
    for (Panel panel : panels)
        list << QLatin1String(text[int(panel)]);
    return list.join(QLatin1Char(','));
}

QString shownPanels(MainWindow &window)
{
    std::vector<Panel> panels;
    for (QWidget *widget : window.panelArea()->panels())
        panels.push_back(static_cast<PanelView *>(widget)->panel());
    return names(panels);
}

} // namespace

void TestClassroom::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("PadLab"));
    // Its own settings: the window suite clears and probes the shared ones while this one runs.
    QCoreApplication::setApplicationName(QStringLiteral("PadLabClassroomTest"));
    QVERIFY(m_dir.isValid());
}

void TestClassroom::init()
{
    QSettings().clear();
    QFile::remove(MainWindow::lastSessionPath());
}

std::unique_ptr<MainWindow> TestClassroom::makeWindow(QSize size)
{
    auto window = std::make_unique<MainWindow>();
    window->setErrorDialogsEnabled(false);
    window->resize(size);
    window->show();
    if (!QTest::qWaitForWindowExposed(window.get()))
        qWarning("window not exposed");
    window->openSample(QStringLiteral("digit"));
    window->panelView(Panel::Padded)->setFocus();
    return window;
}

void TestClassroom::present(MainWindow &window, const QList<int> &panels, Arrangement arrangement)
{
    // Shown first, so that hiding never leaves none.
    for (int i = 0; i < 4; ++i)
        window.setPresenterPanel(Panel(i), true);
    for (int i = 0; i < 4; ++i)
        window.setPresenterPanel(Panel(i), panels.contains(i));
    window.setPresenterArrangement(arrangement);
    window.setPresenting(true);
    QTRY_COMPARE(window.size(), QSize(1920, 1080));
    QApplication::processEvents();
}

void TestClassroom::minimumSizeFitsProjector_data()
{
    QTest::addColumn<double>("fontScale");
    QTest::addColumn<bool>("lesson");
    QTest::newRow("100 %") << 1.0 << false;
    QTest::newRow("125 %") << 1.25 << false;
    QTest::newRow("150 %") << 1.5 << false;
    QTest::newRow("150 % with a lesson beside the panels") << 1.5 << true;
}

void TestClassroom::minimumSizeFitsProjector()
{
    QFETCH(double, fontScale);
    QFETCH(bool, lesson);
    auto window = makeWindow(QSize(1280, 720));
    window->setFontScale(fontScale);
    if (lesson)
        QVERIFY(window->openBuiltinLesson(padlab::ui::builtinLessons().first().id));
    QApplication::processEvents();
    const QSize minimum = window->minimumSizeHint().expandedTo(window->minimumSize());
    QVERIFY2(minimum.width() <= 1280 && minimum.height() <= 720,
             qPrintable(QStringLiteral("minimum %1 x %2").arg(minimum.width()).arg(minimum.height())));

    window->resize(1280, 720);
    QApplication::processEvents();
    QCOMPARE(window->size(), QSize(1280, 720));
    auto *settings = window->findChild<QDockWidget *>(QStringLiteral("settingsDock"));
    QVERIFY(settings->isVisible());
    QVERIFY(window->panelView(Panel::Padded)->height() >= 150);
    // Every setting can be scrolled into view and then seen.
    auto *scroll = qobject_cast<QScrollArea *>(settings->widget());
    QVERIFY(scroll);
    QList<QWidget *> controls;
    for (QWidget *w : scroll->widget()->findChildren<QWidget *>())
        if (qobject_cast<QAbstractSpinBox *>(w) || qobject_cast<QComboBox *>(w) || qobject_cast<QCheckBox *>(w)
            || qobject_cast<QSlider *>(w))
            controls << w;
    QVERIFY(controls.size() >= 15);
    for (QWidget *control : controls) {
        if (!control->isVisibleTo(scroll->widget()))
            continue;
        scroll->ensureWidgetVisible(control, 0, 0);
        QApplication::processEvents();
        const QRect shown = control->visibleRegion().boundingRect();
        QVERIFY2(shown.height() >= control->height() / 2,
                 qPrintable(control->objectName() + QStringLiteral(" cannot be scrolled into view")));
    }
}

void TestClassroom::settingsNeverScrollSideways_data()
{
    QTest::addColumn<QSize>("size");
    QTest::addColumn<bool>("tabbed");
    QTest::newRow("1280 x 720: Shape and Code behind the settings") << QSize(1280, 720) << true;
    QTest::newRow("1366 x 768: Shape and Code behind the settings") << QSize(1366, 768) << true;
    QTest::newRow("1920 x 1080: Shape beside the settings") << QSize(1920, 1080) << false;
}

void TestClassroom::settingsNeverScrollSideways()
{
    QFETCH(QSize, size);
    QFETCH(bool, tabbed);
    auto window = makeWindow(size);
    QApplication::processEvents();
    auto *settings = window->findChild<QDockWidget *>(QStringLiteral("settingsDock"));
    auto *shape = window->findChild<QDockWidget *>(QStringLiteral("shapeDock"));
    auto *scroll = qobject_cast<QScrollArea *>(settings->widget());
    QVERIFY(scroll);
    // No group cut at the right: the settings scroll up and down only.
    QVERIFY2(scroll->horizontalScrollBar()->maximum() == 0,
             qPrintable(QStringLiteral("the settings scroll sideways by %1 px").arg(scroll->horizontalScrollBar()->maximum())));
    QCOMPARE(window->tabifiedDockWidgets(settings).contains(shape), tabbed);
    QVERIFY(!settings->visibleRegion().isEmpty());
    if (!tabbed)
        QVERIFY2(shape->width() >= 300, qPrintable(QString::number(shape->width())));
}

void TestClassroom::docksKeepTheirSize_data()
{
    QTest::addColumn<QString>("change");
    QTest::newRow("fill") << "fill";
    QTest::newRow("kernel 7 x 7") << "kernel";
    QTest::newRow("explicit amount") << "amount";
}

void TestClassroom::docksKeepTheirSize()
{
    QFETCH(QString, change);
    auto window = makeWindow(QSize(1280, 720));
    QApplication::processEvents();
    auto *settings = window->findChild<QDockWidget *>(QStringLiteral("settingsDock"));
    const QRect dock = settings->geometry();
    const QRect panel = window->panelView(Panel::Padded)->geometry();
    if (change == QLatin1String("fill")) {
        window->session()->setFill(core::Fill::Reflect);
    } else if (change == QLatin1String("kernel")) {
        window->session()->setKernel(cv::Mat::ones(7, 7, CV_64F));
    } else {
        core::PadAmount amount;
        amount.kind = core::Amount::Explicit;
        amount.sides = {1, 2, 3, 4};
        window->session()->setAmount(amount);
    }
    QTest::qWait(50);
    QApplication::processEvents();
    QCOMPARE(settings->geometry(), dock);
    QCOMPARE(window->panelView(Panel::Padded)->geometry(), panel);
}

void TestClassroom::layerRowsShown_data()
{
    QTest::addColumn<QSize>("size");
    QTest::addColumn<QString>("stack");
    QTest::newRow("1920 x 1080, six layers") << QSize(1920, 1080) << "conv2d:32:3,conv2d:64:3,maxpool2d:2,conv2d:64:3,flatten,dense:10";
    QTest::newRow("1280 x 720, six layers") << QSize(1280, 720) << "conv2d:32:3,conv2d:64:3,maxpool2d:2,conv2d:64:3,flatten,dense:10";
    QTest::newRow("1280 x 720, ten layers") << QSize(1280, 720)
        << "conv2d:8:3,conv2d:8:3,conv2d:8:3,conv2d:8:3,conv2d:8:3,conv2d:8:3,conv2d:8:3,conv2d:8:3,flatten,dense:10";
}

void TestClassroom::layerRowsShown()
{
    // Every layer of the stack can be read in the editor and in the summary at once; on a small
    // screen the page scrolls as a whole.
    QFETCH(QSize, size);
    QFETCH(QString, stack);
    auto window = makeWindow(size);
    window->session()->setView(Session::View::Layers);
    window->session()->setLayerStack(QStringLiteral("28x28x1"), stack);
    QApplication::processEvents();
    auto *editor = window->findChild<QTableWidget *>(QStringLiteral("layerEditor"));
    auto *summary = window->findChild<QTableWidget *>(QStringLiteral("layerSummary"));
    QVERIFY(editor && summary);
    QTRY_COMPARE(editor->rowCount(), int(stack.count(QLatin1Char(',')) + 1));
    QTRY_COMPARE(summary->rowCount(), editor->rowCount());
    QApplication::processEvents();
    for (QTableWidget *table : {editor, summary}) {
        const int lastRow = table->rowCount() - 1;
        const QRect last = table->visualRect(table->model()->index(lastRow, 0));
        QVERIFY2(table->rowViewportPosition(0) == 0, qPrintable(table->objectName()));
        QVERIFY2(last.bottom() < table->viewport()->height(),
                 qPrintable(QStringLiteral("%1: row %2 ends at %3, the table shows %4")
                                .arg(table->objectName()).arg(lastRow).arg(last.bottom()).arg(table->viewport()->height())));
    }
}

void TestClassroom::panScrollBars_data()
{
    QTest::addColumn<int>("zoomIns");
    QTest::addColumn<bool>("presenting");
    QTest::addColumn<bool>("shown");
    QTest::newRow("fit: the panels take the bars' room") << 0 << false << false;
    QTest::newRow("zoomed in: the bars say where the view is") << 3 << false << true;
    QTest::newRow("presenter mode, zoomed in: none") << 3 << true << false;
}

void TestClassroom::panScrollBars()
{
    QFETCH(int, zoomIns);
    QFETCH(bool, presenting);
    QFETCH(bool, shown);
    auto window = makeWindow(QSize(1280, 720));
    if (presenting)
        present(*window, {0, 1, 2, 3}, Arrangement::Auto);
    for (int i = 0; i < zoomIns; ++i)
        QTest::keyClick(window.get(), Qt::Key_Plus);
    QApplication::processEvents();
    for (const char *name : {"panScrollX", "panScrollY"}) {
        auto *bar = window->findChild<QScrollBar *>(QLatin1String(name));
        QVERIFY(bar);
        QTRY_COMPARE(bar->isVisible(), shown);
    }
}

void TestClassroom::wheelScrollsSettings_data()
{
    QTest::addColumn<QString>("control");
    QTest::addColumn<bool>("focused");
    QTest::newRow("operation box, not clicked") << "operation" << false;
    QTest::newRow("amount box, not clicked") << "amount" << false;
    QTest::newRow("padding tint slider, not clicked") << "paddingTint" << false;
    QTest::newRow("operation box, clicked first") << "operation" << true;
}

void TestClassroom::wheelScrollsSettings()
{
    // A teacher scrolls the settings on a 1280 x 720 projector: the pointer passes over boxes,
    // which must not change the convolution on the way.
    QFETCH(QString, control);
    QFETCH(bool, focused);
    auto window = makeWindow(QSize(1280, 720));
    QApplication::processEvents();
    auto *scroll = window->findChild<QDockWidget *>(QStringLiteral("settingsDock"))->findChild<QScrollArea *>();
    QVERIFY(scroll);
    auto *widget = scroll->widget()->findChild<QWidget *>(control);
    QVERIFY2(widget, qPrintable(control));
    if (focused)
        widget->setFocus();
    const QVariant before = widget->property(qobject_cast<QComboBox *>(widget) ? "currentIndex" : "value");
    const int scrolled = scroll->verticalScrollBar()->value();
    // One notch down, as a mouse wheel sends it.
    const QPoint at = widget->rect().center();
    QWheelEvent wheel(at, widget->mapToGlobal(at), QPoint(), QPoint(0, -120), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(widget, &wheel);
    QApplication::processEvents();
    const QVariant after = widget->property(qobject_cast<QComboBox *>(widget) ? "currentIndex" : "value");
    if (focused) {
        QVERIFY2(after != before, "a box that was clicked turns with the wheel");
    } else {
        QCOMPARE(after, before);
        if (scroll->verticalScrollBar()->maximum() > 0)
            QVERIFY2(scroll->verticalScrollBar()->value() > scrolled, "the settings scroll instead");
    }
}

void TestClassroom::arrangement_data()
{
    QTest::addColumn<QSize>("area");
    QTest::addColumn<int>("count");
    QTest::addColumn<Arrangement>("arrangement");
    QTest::addColumn<Arrangement>("resolved");
    QTest::addColumn<QList<QRect>>("rects");
    QTest::newRow("wide: one row") << QSize(1206, 300) << 4 << Arrangement::Auto << Arrangement::Row
                                   << QList<QRect>{{0, 0, 300, 300}, {302, 0, 300, 300}, {604, 0, 300, 300},
                                                   {906, 0, 300, 300}};
    QTest::newRow("square: two by two") << QSize(602, 602) << 4 << Arrangement::Auto << Arrangement::Grid
                                        << QList<QRect>{{0, 0, 300, 300}, {302, 0, 300, 300}, {0, 302, 300, 300},
                                                        {302, 302, 300, 300}};
    QTest::newRow("three in a grid") << QSize(602, 602) << 3 << Arrangement::Grid << Arrangement::Grid
                                     << QList<QRect>{{0, 0, 300, 300}, {302, 0, 300, 300}, {0, 302, 300, 300}};
    QTest::newRow("one large, two small") << QSize(902, 602) << 3 << Arrangement::Large << Arrangement::Large
                                          << QList<QRect>{{0, 0, 600, 602}, {602, 0, 300, 300}, {602, 302, 300, 300}};
    QTest::newRow("a single panel fills") << QSize(800, 500) << 1 << Arrangement::Auto << Arrangement::Row
                                          << QList<QRect>{{0, 0, 800, 500}};
}

void TestClassroom::arrangement()
{
    QFETCH(QSize, area);
    QFETCH(int, count);
    QFETCH(Arrangement, arrangement);
    QFETCH(Arrangement, resolved);
    QFETCH(QList<QRect>, rects);
    QCOMPARE(padlab::ui::resolvedArrangement(area, count, arrangement, 2), resolved);
    const std::vector<QRect> got = padlab::ui::arrangePanels(QRect(QPoint(), area), count, arrangement, 2);
    QCOMPARE(QList<QRect>(got.begin(), got.end()), rects);
}

void TestClassroom::presenterKeys_data()
{
    QTest::addColumn<QStringList>("keys");
    QTest::addColumn<QString>("probe");
    QTest::addColumn<QString>("expected");
    QTest::newRow("F5 presents") << QStringList{"F5"} << "presenting" << "yes";
    QTest::newRow("F5 hides the menus and docks") << QStringList{"F5"} << "chrome" << "hidden";
    QTest::newRow("F5 again comes back") << QStringList{"F5", "F5"} << "presenting" << "no";
    QTest::newRow("Esc comes back") << QStringList{"F5", "Esc"} << "presenting" << "no";
    QTest::newRow("back, the menus and docks return") << QStringList{"F5", "Esc"} << "chrome" << "shown";
    QTest::newRow("Right steps") << QStringList{"F5", "Right", "Right"} << "step" << "2";
    QTest::newRow("Down moves a row") << QStringList{"F5", "Right", "Down"} << "step" << "29";
    QTest::newRow("Up moves back a row") << QStringList{"F5", "Down", "Down", "Up"} << "step" << "28";
    QTest::newRow("Up on the first row stays") << QStringList{"F5", "Right", "Up"} << "step" << "1";
    QTest::newRow("End, Home") << QStringList{"F5", "End", "Home"} << "step" << "0";
    QTest::newRow("Space plays") << QStringList{"F5", "Space"} << "playing" << "yes";
    QTest::newRow("Space twice pauses") << QStringList{"F5", "Space", "Space"} << "playing" << "no";
    QTest::newRow("default panels") << QStringList{"F5"} << "panels" << "padded,window,output";
    QTest::newRow("1 adds the input") << QStringList{"F5", "1"} << "panels" << "padded,input,window,output";
    QTest::newRow("3 hides the window") << QStringList{"F5", "3"} << "panels" << "padded,output";
    QTest::newRow("default arrangement: one large") << QStringList{"F5"} << "arrangement" << "large";
    QTest::newRow("A: next arrangement") << QStringList{"F5", "A"} << "arrangement" << "auto";
    QTest::newRow("A A: one row") << QStringList{"F5", "A", "A"} << "arrangement" << "row";
    QTest::newRow("PgDown opens the first lesson") << QStringList{"F5", "PgDown"} << "lesson" << "0";
    QTest::newRow("PgDown twice, the second") << QStringList{"F5", "PgDown", "PgDown"} << "lesson" << "1";
    QTest::newRow("PgDown PgDown PgUp, the first") << QStringList{"F5", "PgDown", "PgDown", "PgUp"} << "lesson" << "0";
    QTest::newRow("a lesson page keeps presenting") << QStringList{"F5", "PgDown"} << "chrome" << "hidden";
    // A teaching tab is presented as it is, with the same keys.
    QTest::newRow("F5 on Channels presents Channels") << QStringList{"Ctrl+6", "F5"} << "tab" << "Channels";
    QTest::newRow("Channels: menus and docks hidden") << QStringList{"Ctrl+6", "F5"} << "chrome" << "hidden";
    QTest::newRow("Channels: Right steps") << QStringList{"Ctrl+6", "F5", "Right", "Right"} << "step" << "2";
    QTest::newRow("Channels: Esc comes back to it") << QStringList{"Ctrl+6", "F5", "Esc"} << "tab" << "Channels";
}

void TestClassroom::presenterKeys()
{
    QFETCH(QStringList, keys);
    QFETCH(QString, probe);
    QFETCH(QString, expected);
    auto window = makeWindow(QSize(1280, 720));
    for (const QString &key : keys) {
        QWidget *target = QApplication::focusWidget() ? QApplication::focusWidget() : window.get();
        const QKeySequence sequence(key);
        QTest::keyClick(target, sequence[0].key(), sequence[0].keyboardModifiers());
        QApplication::processEvents();
    }
    QString got;
    if (probe == QLatin1String("presenting")) {
        got = window->isPresenting() ? QStringLiteral("yes") : QStringLiteral("no");
    } else if (probe == QLatin1String("chrome")) {
        const bool shown = window->menuBar()->isVisible()
                           && window->findChild<QDockWidget *>(QStringLiteral("settingsDock"))->isVisible()
                           && window->animationBar()->isVisible();
        got = shown ? QStringLiteral("shown") : QStringLiteral("hidden");
    } else if (probe == QLatin1String("step")) {
        got = QString::number(window->session()->step());
    } else if (probe == QLatin1String("playing")) {
        got = window->animationBar()->isPlaying() ? QStringLiteral("yes") : QStringLiteral("no");
    } else if (probe == QLatin1String("panels")) {
        got = shownPanels(*window);
    } else if (probe == QLatin1String("arrangement")) {
        const char *text[] = {"auto", "row", "grid", "large"};
        got = QLatin1String(text[int(window->presenterArrangement())]);
    } else if (probe == QLatin1String("tab")) {
        const auto *tabs = window->findChild<QTabWidget *>();
        got = tabs->isVisible() ? tabs->tabText(tabs->currentIndex()) : QString();
    } else if (probe == QLatin1String("lesson")) {
        const QString shown = window->findChild<QTextBrowser *>(QStringLiteral("lessonText"))->toPlainText();
        const auto lessons = padlab::ui::builtinLessons();
        for (qsizetype i = 0; i < lessons.size(); ++i)
            if (shown.startsWith(lessons[i].title))
                got = QString::number(i);
    }
    window->animationBar()->setPlaying(false);
    QCOMPARE(got, expected);
}

void TestClassroom::presenterLayouts_data()
{
    QTest::addColumn<QList<int>>("panels"); // Panel values shown
    QTest::addColumn<Arrangement>("arrangement");
    QTest::addColumn<QString>("order");
    QTest::addColumn<QString>("shape"); // row, grid or large
    QTest::newRow("one large: padded large") << QList<int>{1, 2, 3} << Arrangement::Large << "padded,window,output"
                                             << "large";
    QTest::newRow("all four, two by two") << QList<int>{0, 1, 2, 3} << Arrangement::Grid
                                          << "input,padded,window,output" << "grid";
    QTest::newRow("padded and output in a row") << QList<int>{1, 3} << Arrangement::Row << "padded,output" << "row";
    QTest::newRow("all four fitted to 16:9") << QList<int>{0, 1, 2, 3} << Arrangement::Auto
                                             << "input,padded,window,output" << "grid";
}

void TestClassroom::presenterLayouts()
{
    QFETCH(QList<int>, panels);
    QFETCH(Arrangement, arrangement);
    QFETCH(QString, order);
    QFETCH(QString, shape);
    auto window = makeWindow(QSize(1280, 720));
    present(*window, panels, arrangement);
    QCOMPARE(shownPanels(*window), order);
    const auto views = window->panelArea()->panels();
    QList<QRect> rects;
    for (QWidget *view : views)
        rects << view->geometry();
    // The panels fill the screen: together they cover nearly all of it.
    qint64 area = 0;
    for (const QRect &r : rects)
        area += qint64(r.width()) * r.height();
    QVERIFY2(area >= qint64(1920) * 1080 * 9 / 10, qPrintable(QString::number(area)));
    if (shape == QLatin1String("row")) {
        for (int i = 1; i < rects.size(); ++i) {
            QCOMPARE(rects[i].top(), rects[0].top());
            QVERIFY(rects[i].left() > rects[i - 1].right());
        }
    } else if (shape == QLatin1String("grid")) {
        QCOMPARE(rects[1].top(), rects[0].top());
        QVERIFY(rects[2].top() > rects[0].bottom());
        QCOMPARE(rects[2].left(), rects[0].left());
    } else {
        for (int i = 1; i < rects.size(); ++i) {
            QVERIFY(rects[i].width() * rects[i].height() < rects[0].width() * rects[0].height() / 2);
            QVERIFY(static_cast<PanelView *>(views[size_t(i)])->isOverview());
        }
        QVERIFY(!static_cast<PanelView *>(views[0])->isOverview());
    }
    window->setPresenting(false);
    QCOMPARE(shownPanels(*window), QStringLiteral("input,padded,window,output"));
}

void TestClassroom::presenterCellNumbers_data()
{
    QTest::addColumn<double>("fontScale");
    QTest::addColumn<QList<int>>("panels");
    QTest::addColumn<Arrangement>("arrangement");
    QTest::newRow("one large, 100 %") << 1.0 << QList<int>{1, 2, 3} << Arrangement::Large;
    QTest::newRow("one large, larger text") << 1.15 << QList<int>{1, 2, 3} << Arrangement::Large;
    QTest::newRow("padded and output in a row") << 1.0 << QList<int>{1, 3} << Arrangement::Row;
}

void TestClassroom::presenterCellNumbers()
{
    QFETCH(double, fontScale);
    QFETCH(QList<int>, panels);
    QFETCH(Arrangement, arrangement);
    auto window = makeWindow(QSize(1280, 720));
    window->setFontScale(fontScale);
    present(*window, panels, arrangement);
    window->fitToView();
    QCOMPARE(window->session()->input().rows, 28);

    PanelView *view = window->panelView(Panel::Padded);
    QVERIFY2(window->cellSize() >= 28, qPrintable(QString::number(window->cellSize())));
    padlab::ui::PanelDrawn drawn;
    const QImage image = render(*window->session(), Panel::Padded, view->options(), view->size(), &drawn);
    QVERIFY2(drawn.valuePx >= 14, qPrintable(QString::number(drawn.valuePx)));
    // The digits really are that large: the ink of the "0" in the black corner cell of the input
    // (row 1, column 1 of the padded grid) spans at least two thirds of the font's pixel size.
    const QRectF cell = view->cellRect(QPoint(1, 1));
    int top = INT_MAX;
    int bottom = -1;
    for (int y = int(cell.top()) + 3; y < int(cell.bottom()) - 3; ++y)
        for (int x = int(cell.left()) + 3; x < int(cell.right()) - 3; ++x)
            if (QColor(image.pixel(x, y)).lightness() > 128) {
                top = std::min(top, y);
                bottom = std::max(bottom, y);
            }
    QVERIFY2(bottom - top + 1 >= drawn.valuePx * 2 / 3,
             qPrintable(QStringLiteral("ink %1 px for %2-px text").arg(bottom - top + 1).arg(drawn.valuePx)));
    window->setPresenting(false);
}

void TestClassroom::penRingsInLesson_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("opens");
    QTest::addColumn<QString>("error");
    QTest::newRow("drawn and saved") << "saved" << true << "";
    QTest::newRow("a lesson from before rings") << "old" << true << "";
    QTest::newRow("a ring on no panel") << "bad panel" << false << "display.rings[0]";
    QTest::newRow("a ring of no rows") << "no rows" << false << "display.rings[0]";
    QTest::newRow("rings not a list") << "not a list" << false << "display.rings";
}

void TestClassroom::penRingsInLesson()
{
    QFETCH(QString, file);
    QFETCH(bool, opens);
    QFETCH(QString, error);
    auto window = makeWindow(QSize(1280, 720));
    window->setPresenting(true);
    QApplication::processEvents();
    PanelView *padded = window->panelView(Panel::Padded);
    const QPoint from = padded->cellRect(QPoint(3, 2)).center().toPoint();
    const QPoint to = padded->cellRect(QPoint(5, 4)).center().toPoint();
    QTest::mousePress(padded, Qt::LeftButton, {}, from);
    QTest::mouseMove(padded, (from + to) / 2);
    QTest::mouseMove(padded, to);
    QTest::mouseRelease(padded, Qt::LeftButton, {}, to);
    const std::vector<PenRing> expected{{Panel::Padded, QRect(3, 2, 3, 3)}};
    QCOMPARE(window->rings(), expected);
    // The ring is drawn in the pen's colour.
    const QImage image = padded->grab().toImage();
    const QColor pen = window->session()->look().penColor();
    bool found = false;
    for (int y = 0; y < image.height() && !found; ++y)
        for (int x = 0; x < image.width() && !found; ++x)
            found = distance(image.pixelColor(x, y), pen) <= 8;
    QVERIFY(found);
    // The pan did not move: a drag with the pen draws.
    QCOMPARE(window->origin(), QPointF());

    const QString path = m_dir.filePath(QStringLiteral("rings-%1.padlab.json").arg(QTest::currentDataTag()));
    QVERIFY(window->saveLesson(path));
    QTest::keyClick(padded, Qt::Key_C);
    QVERIFY(window->rings().empty());
    window->setPresenting(false);

    if (file != QLatin1String("saved")) {
        QFile read(path);
        QVERIFY(read.open(QIODevice::ReadOnly));
        QJsonObject lesson = QJsonDocument::fromJson(read.readAll()).object();
        read.close();
        QJsonObject display = lesson.value(QStringLiteral("display")).toObject();
        if (file == QLatin1String("old")) {
            display.remove(QStringLiteral("rings"));
            display.remove(QStringLiteral("paddingStrength"));
            display.remove(QStringLiteral("clipOutliers"));
        } else if (file == QLatin1String("bad panel")) {
            display[QStringLiteral("rings")] = QJsonArray{QJsonObject{{QStringLiteral("panel"), QStringLiteral("nowhere")},
                                                                      {QStringLiteral("cells"), QJsonArray{0, 0, 1, 1}}}};
        } else if (file == QLatin1String("no rows")) {
            display[QStringLiteral("rings")] = QJsonArray{QJsonObject{{QStringLiteral("panel"), QStringLiteral("padded")},
                                                                      {QStringLiteral("cells"), QJsonArray{0, 0, 0, 1}}}};
        } else {
            display[QStringLiteral("rings")] = QStringLiteral("everywhere");
        }
        lesson[QStringLiteral("display")] = display;
        QFile write(path);
        QVERIFY(write.open(QIODevice::WriteOnly | QIODevice::Truncate));
        write.write(QJsonDocument(lesson).toJson());
    }

    QString message;
    const std::optional<padlab::ui::Lesson> lesson = padlab::ui::readLesson(path, &message);
    QCOMPARE(lesson.has_value(), opens);
    if (!opens) {
        QVERIFY2(message.contains(error), qPrintable(message));
        return;
    }
    auto second = makeWindow(QSize(1280, 720));
    QVERIFY(second->openLesson(path));
    QCOMPARE(second->rings(), file == QLatin1String("saved") ? expected : std::vector<PenRing>{});
    QCOMPARE(second->session()->look().clipOutliers, true);
    QCOMPARE(second->session()->look().paddingStrength, 1.0);
}

void TestClassroom::quantiles_data()
{
    QTest::addColumn<cv::Mat>("values");
    QTest::addColumn<double>("low");
    QTest::addColumn<double>("high");
    cv::Mat thousand(1, 1000, CV_32F);
    for (int i = 0; i < 1000; ++i)
        thousand.at<float>(0, i) = float(999 - i);
    QTest::newRow("0..999: the 10th and the 990th") << thousand << 9.0 << 989.0;
    cv::Mat outlier = cv::Mat::ones(100, 100, CV_32F);
    outlier.at<float>(50, 50) = 1e6f;
    outlier.at<float>(10, 10) = -1e6f;
    QTest::newRow("two outliers do not count") << outlier << 1.0 << 1.0;
    cv::Mat small = (cv::Mat_<float>(3, 3) << -4, 1, 2, 3, 4, 5, 6, 7, 80);
    QTest::newRow("fewer than 100 cells: min and max") << small << -4.0 << 80.0;
    cv::Mat nan = (cv::Mat_<float>(1, 3) << std::numeric_limits<float>::quiet_NaN(), 2, 5);
    QTest::newRow("NaN skipped") << nan << 2.0 << 5.0;
    QTest::newRow("empty") << cv::Mat() << 0.0 << 0.0;
    cv::Mat large(3000, 4000, CV_32F, cv::Scalar(7));
    large(cv::Rect(0, 0, 4000, 15)).setTo(1000);
    QTest::newRow("12 MP, sampled") << large << 7.0 << 7.0;
}

void TestClassroom::quantiles()
{
    QFETCH(cv::Mat, values);
    QFETCH(double, low);
    QFETCH(double, high);
    const auto [gotLow, gotHigh] = padlab::ui::parts::quantiles(values, 0.01, 0.99);
    QCOMPARE(gotLow, low);
    QCOMPARE(gotHigh, high);
}

void TestClassroom::clippedColours_data()
{
    QTest::addColumn<bool>("clip");
    QTest::addColumn<bool>("coloured");
    QTest::newRow("1-99 %: the edges show") << true << true;
    QTest::newRow("full range: one spike washes them out") << false << false;
}

void TestClassroom::clippedColours()
{
    QFETCH(bool, clip);
    QFETCH(bool, coloured);
    // A step edge (values 0 and 100) and one spike, through a 1 x 1 kernel: the output is the
    // input, so the edge cells hold 100 and the spike 100000.
    cv::Mat input(40, 40, CV_32F, cv::Scalar(0));
    input.colRange(20, 40).setTo(100);
    input.at<float>(5, 5) = 100000;
    Session session;
    session.setSource(input, QStringLiteral("spike"));
    session.setKernel(cv::Mat::ones(1, 1, CV_64F));
    QTRY_VERIFY(session.snapshot()->stepCount() == 1600);
    PanelOptions o;
    o.cellSize = 10;
    o.fadeUncomputed = false;
    o.look.clipOutliers = clip;
    const QImage image = render(session, Panel::Output, o, QSize(640, 480));
    const QRectF cell = PanelPainter::cellRect(QRect(0, 0, 640, 480), *session.snapshot(), Panel::Output, o, QPoint(30, 30));
    const QColor colour = image.pixelColor(cell.center().toPoint());
    const bool isColoured = colour.red() - colour.blue() > 60;
    QVERIFY2(isColoured == coloured, qPrintable(colour.name()));
}

void TestClassroom::paddingTint_data()
{
    QTest::addColumn<double>("strength");
    QTest::addColumn<bool>("tinted");
    QTest::newRow("full tint: a wide ring") << 1.0 << true;
    QTest::newRow("outline only: the fill's grey shows") << 0.0 << false;
}

void TestClassroom::paddingTint()
{
    QFETCH(double, strength);
    QFETCH(bool, tinted);
    Session session;
    session.setSource(cv::Mat(6, 6, CV_32F, cv::Scalar(255)), QStringLiteral("white"));
    session.setFill(core::Fill::Replicate);
    PanelOptions o;
    o.cellSize = 60;
    o.look.paddingStrength = strength;
    const QImage image = render(session, Panel::Padded, o, QSize(640, 560));
    // A padding cell on the right edge, away from the window: 4 px inside its left edge.
    const QRectF cell = PanelPainter::cellRect(QRect(0, 0, 640, 560), *session.snapshot(), Panel::Padded, o, QPoint(7, 4));
    const QColor at = image.pixelColor(QPoint(int(cell.left()) + 4, int(cell.center().y())));
    QCOMPARE(distance(at, o.look.paddingTint()) <= 10, tinted);
    QCOMPARE(distance(at, Qt::white) <= 10, !tinted);
}

void TestClassroom::paddingRingOnLargePhoto()
{
    // A 12 MP grey photo at Fit: one padding cell is a twentieth of a pixel, yet a band of the
    // tint marks it.
    Session session;
    session.setSource(cv::Mat(3000, 4000, CV_32F, cv::Scalar(128)), QStringLiteral("photo"));
    session.setPreset(QStringLiteral("box-3"));
    QTRY_VERIFY_WITH_TIMEOUT(session.snapshot()->stepCount() == 12'000'000, 20000);
    PanelOptions o;
    o.cellSize = 600.0 / 4002;
    const QImage image = render(session, Panel::Padded, o, QSize(640, 520));
    const QRectF grid = PanelPainter::gridRect(QRect(0, 0, 640, 520), *session.snapshot(), Panel::Padded, o);
    const QColor tint = o.look.paddingTint();
    const QColor left = image.pixelColor(QPoint(int(grid.left()) + 1, int(grid.top()) + 200));
    const QColor right = image.pixelColor(QPoint(int(grid.left() + 4002 * o.cellSize) - 2, int(grid.top()) + 200));
    QVERIFY2(distance(left, tint) <= 40, qPrintable(left.name()));
    QVERIFY2(distance(right, tint) <= 40, qPrintable(right.name()));
}

void TestClassroom::zoomedCellsStayInTheirPlace_data()
{
    QTest::addColumn<Panel>("panel");
    QTest::newRow("padded: title band") << Panel::Padded;
    QTest::newRow("output: title band and colour bar") << Panel::Output;
}

void TestClassroom::zoomedCellsStayInTheirPlace()
{
    QFETCH(Panel, panel);
    Session session;
    session.setSource(ramp(20, 20), QStringLiteral("ramp"));
    session.setPreset(QStringLiteral("sobel-x"));
    PanelOptions o;
    o.cellSize = 70;
    o.origin = QPointF(3.5, 3.5); // half a cell above and left of the grid's corner
    o.fadeUncomputed = false;
    const QSize size(640, 480);
    const QImage image = render(session, panel, o, size);
    const QRectF grid = PanelPainter::gridRect(QRect(QPoint(), size), *session.snapshot(), panel, o);
    const QColor background = o.look.background();
    // Between the title's text and the grid, nothing but the page.
    const int band = int(grid.top()) - 2;
    for (int x = 0; x < size.width(); x += 3)
        QVERIFY2(distance(image.pixelColor(x, band), background) <= 2, qPrintable(QStringLiteral("x = %1").arg(x)));
    if (panel == Panel::Output) {
        // The strip between the last column and the colour bar is the page.
        for (int y = int(grid.top()) + 4; y < size.height(); y += 5)
            QVERIFY2(distance(image.pixelColor(int(grid.right()) + 3, y), background) <= 2,
                     qPrintable(QStringLiteral("y = %1").arg(y)));
    }
}

void TestClassroom::hoverKeepsPixelsVisible()
{
    Session session;
    session.setSource(cv::Mat(8, 8, CV_32F, cv::Scalar(255)), QStringLiteral("white"));
    session.setPreset(QStringLiteral("box-3"));
    PanelOptions o;
    o.cellSize = 40;
    o.hoveredOutput = QPoint(4, 4);
    const QImage image = render(session, Panel::Padded, o, QSize(640, 480));
    // The hovered window's centre cell (padded 5, 5): its white shows through the highlight.
    const QRectF cell = PanelPainter::cellRect(QRect(0, 0, 640, 480), *session.snapshot(), Panel::Padded, o, QPoint(5, 5));
    const QColor centre = image.pixelColor(cell.center().toPoint() + QPoint(0, int(cell.height() / 3)));
    QVERIFY2(distance(centre, Qt::white) <= 45, qPrintable(centre.name()));
    // ...and the highlight is there: its outline in the window colour.
    bool outlined = false;
    for (int x = int(cell.left()); x < int(cell.right()) && !outlined; ++x)
        for (int y = int(cell.top()); y < int(cell.top()) + 6 && !outlined; ++y)
            outlined = distance(image.pixelColor(x, y), o.look.windowColor()) <= 30;
    QVERIFY(outlined);
}

void TestClassroom::compareZooms_data()
{
    QTest::addColumn<QStringList>("keys");
    QTest::addColumn<double>("zoom");
    QTest::newRow("fills its tab") << QStringList{} << 1.0;
    QTest::newRow("+ zooms in") << QStringList{"+"} << 1.25;
    QTest::newRow("+ + zooms further") << QStringList{"+", "+"} << 1.5625;
    QTest::newRow("0 fits again") << QStringList{"+", "+", "0"} << 1.0;
    QTest::newRow("- never below the tab") << QStringList{"-"} << 1.0;
}

void TestClassroom::compareZooms()
{
    QFETCH(QStringList, keys);
    QFETCH(double, zoom);
    auto window = makeWindow(QSize(1280, 720));
    window->session()->setView(Session::View::Compare);
    QApplication::processEvents();
    QWidget *compare = window->compareView();
    const QSize tab = compare->parentWidget()->size();
    for (const QString &key : keys) {
        const QKeySequence sequence(key);
        QTest::keyClick(window.get(), sequence[0].key(), sequence[0].keyboardModifiers());
        QApplication::processEvents();
    }
    // Zoomed, it is a multiple of the room the tab has without scroll bars.
    const QSize room = qobject_cast<QScrollArea *>(window->compareView()->parentWidget()->parentWidget())->maximumViewportSize();
    QTRY_COMPARE(compare->width(), zoom > 1 ? int(room.width() * zoom) : tab.width());
    // As tall as the tab times the zoom, or taller where the thumbnails need it (it scrolls).
    QTRY_VERIFY(compare->height() >= int(tab.height() * zoom));
}

void TestClassroom::compareThumbnailsReadable_data()
{
    QTest::addColumn<QSize>("size");
    QTest::addColumn<int>("largerText");
    QTest::newRow("1280 x 720") << QSize(1280, 720) << 0;
    QTest::newRow("1280 x 720, two steps larger text") << QSize(1280, 720) << 2;
    QTest::newRow("1920 x 1080, three steps larger text") << QSize(1920, 1080) << 3;
}

void TestClassroom::compareThumbnailsReadable()
{
    // Text that grows must not squeeze the thumbnails to dots: the view scrolls instead.
    QFETCH(QSize, size);
    QFETCH(int, largerText);
    auto window = makeWindow(size);
    window->session()->setView(Session::View::Compare);
    for (int i = 0; i < largerText; ++i)
        QTest::keyClick(window.get(), Qt::Key_Plus, Qt::ControlModifier);
    auto *view = qobject_cast<padlab::ui::CompareView *>(window->compareView());
    QVERIFY(view);
    QTRY_VERIFY(view->comparison() && !view->comparison()->items.empty());
    QApplication::processEvents();
    const QRect canvas = view->canvas()->rect();
    const double fontScale = window->session()->look().fontScale;
    QVERIFY2(largerText == 0 || fontScale > 1.1, qPrintable(QString::number(fontScale)));
    const core::Comparison &c = *view->comparison();
    for (int column = 0; column < int(c.items.size()); ++column) {
        const QRectF column_ = padlab::ui::ComparePainter::columnRect(canvas, c, view->options(), column);
        const QRectF padded = padlab::ui::ComparePainter::imageRect(canvas, c, view->options(), column,
                                                                    padlab::ui::CompareRow::Padded);
        // About 100 pixels: cells are whole pixels, so up to one pixel per cell less.
        const double wanted = 0.9 * std::min(column_.width(), 100.0 * fontScale);
        QVERIFY2(padded.width() >= wanted, qPrintable(QStringLiteral("column %1: %2 px wide, wanted %3")
                                                          .arg(column).arg(padded.width()).arg(wanted)));
        // Nothing drawn below the canvas: the summary fits.
        QVERIFY(column_.bottom() <= canvas.bottom() + 1);
    }
}

void TestClassroom::themeRemembered_data()
{
    QTest::addColumn<int>("theme");
    QTest::addColumn<QString>("stored");
    QTest::newRow("light") << int(MainWindow::Theme::Light) << "light";
    QTest::newRow("dark") << int(MainWindow::Theme::Dark) << "dark";
    QTest::newRow("system") << int(MainWindow::Theme::System) << "system";
}

void TestClassroom::themeRemembered()
{
    QFETCH(int, theme);
    QFETCH(QString, stored);
    {
        auto window = makeWindow(QSize(1280, 720));
        window->findChild<QAction *>(QStringLiteral("theme:") + stored)->trigger();
        QCOMPARE(int(window->theme()), theme);
        window->close();
    }
    QCOMPARE(QSettings().value(QStringLiteral("view/theme")).toString(), stored);
    auto again = makeWindow(QSize(1280, 720));
    QCOMPARE(int(again->theme()), theme);
    const QPalette palette = again->animationBar()->palette();
    const int background = palette.color(QPalette::Window).lightness();
    if (stored == QLatin1String("dark"))
        QVERIFY(background < 100);
    if (stored == QLatin1String("light"))
        QVERIFY(background > 180);
    QCOMPARE(again->session()->look().dark, background < 128);
    // The play button's icon stands out from the bar it sits on.
    const QImage icon = again->animationBar()->findChild<QAction *>(QStringLiteral("play"))->icon().pixmap(48).toImage();
    long long sum = 0;
    long long count = 0;
    for (int y = 0; y < icon.height(); ++y)
        for (int x = 0; x < icon.width(); ++x)
            if (qAlpha(icon.pixel(x, y)) > 200) {
                sum += QColor(icon.pixel(x, y)).lightness();
                ++count;
            }
    QVERIFY(count > 100);
    QVERIFY2(std::abs(int(sum / count) - background) >= 100,
             qPrintable(QStringLiteral("icon %1 on %2").arg(sum / count).arg(background)));
    again->setTheme(MainWindow::Theme::System);
}

int main(int argc, char **argv)
{
    // Offscreen, the screen is a 1920 x 1080 projector: presenter mode fills it.
    QTemporaryDir dir;
    if (qgetenv("QT_QPA_PLATFORM") == "offscreen" && dir.isValid()) {
        const QString config = dir.filePath(QStringLiteral("screen.json"));
        QFile file(config);
        if (file.open(QIODevice::WriteOnly))
            file.write(R"({"screens": [{"name": "projector", "x": 0, "y": 0, "width": 1920, "height": 1080,
                           "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]})");
        file.close();
        qputenv("QT_QPA_PLATFORM", "offscreen:configfile=" + config.toLocal8Bit());
    }
    QApplication app(argc, argv);
    TestClassroom test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_classroom.moc"

#include "animationbar.h"
#include "lesson.h"
#include "mainwindow.h"
#include "panelpainter.h"
#include "panelview.h"
#include "session.h"
#include "testutil.h"
#include "shapepanel.h"
#include "viewport.h"

#include "padlab/core/budget.h"
#include "padlab/core/fill.h"
#include "padlab/core/geometry.h"
#include "padlab/core/npy.h"
#include "padlab/core/stages.h"
#include "padlab/core/window.h"

#include <QApplication>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMimeData>
#include <QUrl>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QWheelEvent>
#include <memory>

#include <opencv2/core.hpp>

using padlab::ui::MainWindow;
using padlab::ui::Panel;
using padlab::ui::PanelView;
using padlab::ui::Session;
namespace core = padlab::core;

class TestMainWindow : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void controlChangesSession_data();
    void controlChangesSession();
    void shortcuts_data();
    void shortcuts();
    void keysReturnToPanels_data();
    void keysReturnToPanels();
    void clickOutputCell_data();
    void clickOutputCell();
    void hoverShowsCell_data();
    void hoverShowsCell();
    void openBadFileKeepsInput_data();
    void openBadFileKeepsInput();
    void openCsv_data();
    void openCsv();
    void openNpy_data();
    void openNpy();
    void viewTabs_data();
    void viewTabs();
    void dockShowsWhatActsOnTheTab_data();
    void dockShowsWhatActsOnTheTab();
    void settingsPersist_data();
    void settingsPersist();
    void zoomIsShared_data();
    void zoomIsShared();
    void fontScale_data();
    void fontScale();
    void shapePanelExplains_data();
    void shapePanelExplains();
    void paletteFollowsSystem_data();
    void paletteFollowsSystem();
    void dropOpensFile_data();
    void dropOpensFile();
    void commandLineFile_data();
    void commandLineFile();
    void recentMenuReopens_data();
    void recentMenuReopens();
    void longWeightsReadFromTheirStart_data();
    void longWeightsReadFromTheirStart();
    void hoverUsesTheFillShown();
    void progressAndCancel();
    void budgetRefusalInStatusBar_data();
    void budgetRefusalInStatusBar();
    void idleWindowPaintsNothing();
    void lastSessionIsALesson();
    void lastSessionOnAPhotoOpensOnceShown();
    void viewportSharedByPanels();

private:
    std::unique_ptr<MainWindow> makeWindow(bool color = false);
    void apply(MainWindow &window, const QString &action);
    QString probe(MainWindow &window, const QString &key);
    QString writeFile(const QString &name, const QByteArray &contents);

    QTemporaryDir m_dir;
};

namespace {

using padlab::test::npyOf;

/// A .npy whose header says Fortran order, which PadLab refuses.
QByteArray fortranNpy()
{
    QByteArray bytes = npyOf({2, 2});
    bytes.replace("'fortran_order': False", "'fortran_order': True ");
    return bytes;
}

// A 6 x 6 ramp (values 0..35), padded 1 on every side by 'same' with the 3 x 3 sobel-x kernel.
cv::Mat ramp(bool color)
{
    cv::Mat gray(6, 6, CV_32F);
    for (int r = 0; r < gray.rows; ++r)
        for (int c = 0; c < gray.cols; ++c)
            gray.at<float>(r, c) = float(r * 6 + c) * 7;
    if (!color)
        return gray;
    cv::Mat planes[] = {gray, 255 - gray, cv::Mat(gray.size(), CV_32F, cv::Scalar(9))};
    cv::Mat merged;
    cv::merge(planes, 3, merged);
    return merged;
}

QImage grabPanels(MainWindow &window)
{
    QImage all(1, 1, QImage::Format_RGB32);
    QList<QImage> images;
    int width = 0;
    int height = 0;
    for (Panel panel : {Panel::Input, Panel::Padded, Panel::Window, Panel::Output}) {
        images << window.panelView(panel)->grab().toImage().convertToFormat(QImage::Format_RGB32);
        width += images.last().width();
        height = std::max(height, images.last().height());
    }
    all = QImage(width, height, QImage::Format_RGB32);
    all.fill(Qt::black);
    int x = 0;
    for (const QImage &image : images) {
        for (int y = 0; y < image.height(); ++y)
            std::copy_n(reinterpret_cast<const QRgb *>(image.constScanLine(y)), image.width(),
                        reinterpret_cast<QRgb *>(all.scanLine(y)) + x);
        x += image.width();
    }
    return all;
}

QString perAxis(core::PerAxis value)
{
    return QStringLiteral("%1x%2").arg(value.rows).arg(value.cols);
}

} // namespace

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("PadLab"));
    QCoreApplication::setApplicationName(QStringLiteral("PadLab"));
    QVERIFY(m_dir.isValid());
}

void TestMainWindow::init()
{
    // Nothing comes from an earlier window: neither its settings nor the session it closed with.
    QSettings().clear();
    QFile::remove(MainWindow::lastSessionPath());
}

std::unique_ptr<MainWindow> TestMainWindow::makeWindow(bool color)
{
    auto window = std::make_unique<MainWindow>();
    window->setErrorDialogsEnabled(false);
    window->resize(1600, 1000);
    window->show();
    window->activateWindow();
    if (!QTest::qWaitForWindowActive(window.get()))
        qWarning("window not active");
    Session *session = window->session();
    session->setSource(ramp(color), QStringLiteral("ramp"));
    session->setPreset(QStringLiteral("sobel-x"));
    core::ConvSpec spec;
    spec.amount.kind = core::Amount::Same;
    session->setSpec(spec);
    session->setChannel(Session::Channel::Gray);
    window->fitToView();
    window->panelView(Panel::Padded)->setFocus();
    return window;
}

// "name=value": sets the widget called name as a user would; "key=..." presses a shortcut;
// "open=file" opens a file from the test directory.
void TestMainWindow::apply(MainWindow &window, const QString &action)
{
    const QString name = action.section(QLatin1Char('='), 0, 0);
    const QString value = action.section(QLatin1Char('='), 1);
    if (name == QLatin1String("key")) {
        QWidget *target = window.panelView(Panel::Padded);
        target->setFocus();
        QTest::keyClick(target, QKeySequence(value)[0].key(),
                        QKeySequence(value)[0].keyboardModifiers());
        return;
    }
    if (name == QLatin1String("open")) {
        QVERIFY(window.openFile(m_dir.filePath(value)));
        return;
    }
    if (name == QLatin1String("tab")) {
        QTabBar *bar = window.viewTabs()->tabBar();
        QTest::mouseClick(bar, Qt::LeftButton, {}, bar->tabRect(value.toInt()).center());
        return;
    }
    if (name == QLatin1String("sessionView")) {
        window.session()->setView(Session::View(value.toInt()));
        return;
    }
    QWidget *widget = window.findChild<QWidget *>(name);
    QVERIFY2(widget, qPrintable(name));
    if (auto *spin = qobject_cast<QSpinBox *>(widget)) {
        spin->setValue(value.toInt());
    } else if (auto *doubleSpin = qobject_cast<QDoubleSpinBox *>(widget)) {
        doubleSpin->setValue(value.toDouble());
    } else if (auto *combo = qobject_cast<QComboBox *>(widget)) {
        bool isIndex = false;
        const int index = value.toInt(&isIndex);
        combo->setCurrentIndex(isIndex ? index : combo->findText(value));
        QVERIFY2(combo->currentIndex() >= 0, qPrintable(action));
    } else if (auto *edit = qobject_cast<QLineEdit *>(widget)) {
        // Typed key by key, so each keystroke goes through as it would for a user.
        edit->setFocus();
        edit->selectAll();
        QTest::keyClicks(edit, value);
    } else {
        QFAIL(qPrintable(QStringLiteral("cannot set %1").arg(name)));
    }
}

QString TestMainWindow::probe(MainWindow &window, const QString &key)
{
    const Session &session = *window.session();
    const core::ConvSpec &spec = session.spec();
    if (key == QLatin1String("kernelSize"))
        return QStringLiteral("%1x%2").arg(session.kernel().rows).arg(session.kernel().cols);
    if (key == QLatin1String("kernel00"))
        return QString::fromStdString(core::formatNumber(session.kernel().at<double>(0, 0)));
    if (key == QLatin1String("preset"))
        return session.presetName();
    if (key == QLatin1String("amount"))
        return QString::fromStdString(core::padAmountText(spec.amount));
    if (key == QLatin1String("fill")) {
        const std::string_view name = core::fillName(spec.fill);
        return QString::fromUtf8(name.data(), qsizetype(name.size()));
    }
    if (key == QLatin1String("value"))
        return QString::number(spec.value);
    if (key == QLatin1String("stride"))
        return perAxis(spec.stride);
    if (key == QLatin1String("dilation"))
        return perAxis(spec.dilation);
    if (key == QLatin1String("operation"))
        return spec.operation == core::Operation::Convolution ? QStringLiteral("convolution")
                                                              : QStringLiteral("correlation");
    if (key == QLatin1String("channel"))
        return QString::number(int(session.channel()));
    if (key == QLatin1String("outputScale"))
        return QString::number(int(window.outputScale()));
    if (key == QLatin1String("fontScale"))
        return QString::number(window.fontScale(), 'f', 2);
    if (key == QLatin1String("view"))
        return QStringLiteral("%1 tab %2 animation %3")
            .arg(int(session.view()))
            .arg(window.viewTabs()->currentIndex())
            .arg(window.animationBar()->isVisibleTo(&window) ? QStringLiteral("shown")
                                                               : QStringLiteral("hidden"));
    if (key == QLatin1String("recent"))
        return window.recentFiles().isEmpty() ? QString()
                                              : QFileInfo(window.recentFiles().first()).fileName();
    qFatal("unknown probe %s", qPrintable(key));
}

QString TestMainWindow::writeFile(const QString &name, const QByteArray &contents)
{
    const QString path = m_dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    file.write(contents);
    return path;
}

void TestMainWindow::controlChangesSession_data()
{
    QTest::addColumn<bool>("color");
    QTest::addColumn<QStringList>("actions");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("expected");

    QTest::newRow("kernel height") << false << QStringList{"kernelRows=5"} << "kernelSize"
                                   << "5x3";
    QTest::newRow("kernel width") << false << QStringList{"kernelCols=1"} << "kernelSize"
                                  << "3x1";
    QTest::newRow("preset") << false << QStringList{"kernelPreset=gaussian-3"} << "preset"
                            << "gaussian-3";
    QTest::newRow("kernel cell typed") << false << QStringList{"kernelCell_0_0=-7"} << "kernel00"
                                       << "-7";
    QTest::newRow("amount full") << false << QStringList{"amount=2"} << "amount"
                                 << "full";
    QTest::newRow("amount valid") << false << QStringList{"amount=0"} << "amount"
                                  << "valid";
    QTest::newRow("amount explicit")
        << false << QStringList{"amount=4", "padTop=3", "padRight=0"} << "amount"
        << "3,1,1,0";
    QTest::newRow("fill reflect") << false << QStringList{"fill=2"} << "fill"
                                  << "reflect";
    QTest::newRow("fill circular") << false << QStringList{"fill=5"} << "fill"
                                   << "circular";
    QTest::newRow("constant value") << false << QStringList{"fill=1", "fillValue=99"} << "value"
                                    << "99";
    QTest::newRow("stride rows") << false << QStringList{"strideRows=2"} << "stride"
                                 << "2x1";
    QTest::newRow("stride cols") << false << QStringList{"strideCols=3"} << "stride"
                                 << "1x3";
    QTest::newRow("dilation rows") << false << QStringList{"dilationRows=2"} << "dilation"
                                   << "2x1";
    QTest::newRow("dilation cols") << false << QStringList{"dilationCols=2"} << "dilation"
                                   << "1x2";
    QTest::newRow("convolution") << false << QStringList{"operation=1"} << "operation"
                                 << "convolution";
    QTest::newRow("channel red") << true << QStringList{"channel=1"} << "channel"
                                 << QString::number(int(Session::Channel::Red));
    QTest::newRow("output absolute") << false << QStringList{"outputScale=1"} << "outputScale"
                                     << QString::number(int(padlab::ui::OutputScale::Absolute));
    QTest::newRow("output stretch") << false << QStringList{"outputScale=3"} << "outputScale"
                                    << QString::number(int(padlab::ui::OutputScale::Stretch));
}

void TestMainWindow::controlChangesSession()
{
    QFETCH(bool, color);
    QFETCH(QStringList, actions);
    QFETCH(QString, key);
    QFETCH(QString, expected);

    auto window = makeWindow(color);
    QVERIFY(probe(*window, key) != expected);
    const QImage before = grabPanels(*window);
    for (const QString &action : actions)
        apply(*window, action);
    QCOMPARE(probe(*window, key), expected);
    QVERIFY2(grabPanels(*window) != before, "the panels did not change");
}

void TestMainWindow::shortcuts_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<int>("startStep");
    QTest::addColumn<int>("expectedStep"); // -1: the last step
    QTest::addColumn<bool>("plays");

    QTest::newRow("right steps forward") << "Right" << 10 << 11 << false;
    QTest::newRow("left steps back") << "Left" << 10 << 9 << false;
    QTest::newRow("home goes to the first") << "Home" << 10 << 0 << false;
    QTest::newRow("end goes to the last") << "End" << 10 << -1 << false;
    QTest::newRow("space plays") << "Space" << 3 << 3 << true;
    QTest::newRow("space at the end starts over") << "Space" << 35 << 0 << true;
}

void TestMainWindow::shortcuts()
{
    QFETCH(QString, key);
    QFETCH(int, startStep);
    QFETCH(int, expectedStep);
    QFETCH(bool, plays);

    auto window = makeWindow();
    Session *session = window->session();
    QCOMPARE(session->stepCount(), 36);
    session->setStep(startStep);
    const QImage before = grabPanels(*window);
    apply(*window, QStringLiteral("key=") + key);
    QCOMPARE(window->animationBar()->isPlaying(), plays);
    if (plays) {
        // The timer moves the window on by itself, and Space again stops it.
        QCOMPARE(session->step(), expectedStep);
        QTRY_VERIFY(session->step() > expectedStep);
        apply(*window, QStringLiteral("key=Space"));
        QVERIFY(!window->animationBar()->isPlaying());
        const int stopped = session->step();
        QTest::qWait(700);
        QCOMPARE(session->step(), stopped);
        return;
    }
    QCOMPARE(session->step(), expectedStep < 0 ? session->stepCount() - 1 : expectedStep);
    QVERIFY(grabPanels(*window) != before);
}

void TestMainWindow::keysReturnToPanels_data()
{
    QTest::addColumn<int>("panel");

    QTest::newRow("click on the input") << int(Panel::Input);
    QTest::newRow("click on the padded input") << int(Panel::Padded);
    QTest::newRow("click on the window") << int(Panel::Window);
}

void TestMainWindow::longWeightsReadFromTheirStart_data()
{
    QTest::addColumn<QString>("preset");
    QTest::addColumn<QString>("start");
    QTest::newRow("box-3, 1/9") << QStringLiteral("box-3") << QStringLiteral("0.111");
    QTest::newRow("gaussian-5, 1/256") << QStringLiteral("gaussian-5") << QStringLiteral("0.0039");
}

void TestMainWindow::longWeightsReadFromTheirStart()
{
    QFETCH(QString, preset);
    QFETCH(QString, start);
    auto window = makeWindow();
    QVERIFY(window->session()->setPreset(preset));
    auto *field = window->findChild<QLineEdit *>(QStringLiteral("kernelCell_0_0"));
    QVERIFY(field);
    // A narrow field shows the digits after its cursor: the cursor must stand at the start.
    QVERIFY2(field->text().startsWith(start), qPrintable(field->text()));
    QCOMPARE(field->cursorPosition(), 0);
    QVERIFY2(field->toolTip().contains(field->text()), qPrintable(field->toolTip()));
}

void TestMainWindow::keysReturnToPanels()
{
    QFETCH(int, panel);

    auto window = makeWindow();
    Session *session = window->session();
    session->setStep(10);
    auto *field = window->findChild<QLineEdit *>(QStringLiteral("kernelCell_1_1"));
    QVERIFY(field);
    field->setFocus();
    // While a settings field has the focus, the arrows move its text cursor.
    QTest::keyClick(field, Qt::Key_Right);
    QCOMPARE(session->step(), 10);

    PanelView *view = window->panelView(Panel(panel));
    QTest::mouseClick(view, Qt::LeftButton, {}, view->cellRect(QPoint(1, 1)).center().toPoint());
    QCOMPARE(QApplication::focusWidget(), view);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Right);
    QCOMPARE(session->step(), 11);
}

void TestMainWindow::clickOutputCell_data()
{
    QTest::addColumn<QPoint>("cell"); // x = col, y = row

    QTest::newRow("top left") << QPoint(0, 0);
    QTest::newRow("inside") << QPoint(3, 2);
    QTest::newRow("bottom right") << QPoint(5, 5);
    QTest::newRow("last column first row") << QPoint(5, 0);
}

void TestMainWindow::clickOutputCell()
{
    QFETCH(QPoint, cell);

    auto window = makeWindow();
    Session *session = window->session();
    session->setStep(17);
    PanelView *output = window->panelView(Panel::Output);
    const QPoint position = output->cellRect(cell).center().toPoint();
    QCOMPARE(output->cellAt(position), std::optional<QPoint>(cell));
    QTest::mouseClick(output, Qt::LeftButton, {}, position);
    QCOMPARE(session->stepCell(), cell);
    QCOMPARE(session->step(), cell.y() * 6 + cell.x());
}

void TestMainWindow::hoverShowsCell_data()
{
    QTest::addColumn<int>("panel");
    QTest::addColumn<QPoint>("cell");
    QTest::addColumn<QString>("message");
    QTest::addColumn<bool>("lightsInput"); // the receptive field shows on the input panel

    QTest::newRow("input cell") << int(Panel::Input) << QPoint(2, 1) << "row 1, col 2 = 56"
                                << false;
    QTest::newRow("padded corner") << int(Panel::Padded) << QPoint(0, 0) << "padding" << false;
    QTest::newRow("padded inside")
        << int(Panel::Padded) << QPoint(3, 2) << "input row 1, col 2" << false;
    QTest::newRow("window tap") << int(Panel::Window) << QPoint(2, 1)
                                << "Tap row 1, col 2:  weight 2 ×" << false;
    QTest::newRow("output cell") << int(Panel::Output) << QPoint(4, 3) << "Output  row 3, col 4"
                                 << true;
}

void TestMainWindow::hoverShowsCell()
{
    QFETCH(int, panel);
    QFETCH(QPoint, cell);
    QFETCH(QString, message);
    QFETCH(bool, lightsInput);

    auto window = makeWindow();
    PanelView *view = window->panelView(Panel(panel));
    PanelView *input = window->panelView(Panel::Input);
    const QImage inputBefore = input->grab().toImage();
    QTest::mouseMove(view, view->cellRect(cell).center().toPoint());
    QTRY_VERIFY2(window->statusBar()->currentMessage().contains(message),
                 qPrintable(window->statusBar()->currentMessage()));
    QCOMPARE(input->grab().toImage() != inputBefore, lightsInput);
}

void TestMainWindow::openBadFileKeepsInput_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("contents"); // empty: the file does not exist

    QTest::newRow("missing file") << "missing.png" << QByteArray();
    QTest::newRow("text named png") << "text.png" << QByteArray("this is not an image\n");
    QTest::newRow("ragged csv") << "ragged.csv" << QByteArray("1,2,3\n4,5\n");
    QTest::newRow("word in csv") << "word.csv" << QByteArray("1,2\n3,four\n");
    QTest::newRow("Fortran-order npy") << "fortran.npy" << fortranNpy();
    QTest::newRow("4-D npy") << "four.npy" << npyOf({1, 2, 3, 3});
    QByteArray truncated = npyOf({2, 3, 4});
    truncated.chop(5);
    QTest::newRow("truncated npy") << "truncated.npy" << truncated;
}

void TestMainWindow::openBadFileKeepsInput()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, contents);

    auto window = makeWindow();
    const QString good = writeFile(QStringLiteral("good.csv"), "1,2,3,4\n5,6,7,8\n9,10,11,12\n");
    QVERIFY(window->openFile(good));
    const QString bad = contents.isEmpty() ? m_dir.filePath(name) : writeFile(name, contents);
    if (contents.isEmpty())
        QFile::remove(bad);

    QSignalSpy errors(window.get(), &MainWindow::errorShown);
    QVERIFY(!window->openFile(bad));
    QCOMPARE(errors.count(), 1);
    const QString message = errors.first().first().toString();
    QVERIFY2(message.contains(name), qPrintable(message));
    QCOMPARE(window->statusBar()->currentMessage(), message);

    const cv::Mat &input = window->session()->input();
    QCOMPARE(input.rows, 3);
    QCOMPARE(input.cols, 4);
    QCOMPARE(input.at<double>(2, 3), 12.0);
    QVERIFY(window->windowTitle().contains(QStringLiteral("good.csv")));
    QCOMPARE(probe(*window, QStringLiteral("recent")), QStringLiteral("good.csv"));
}

void TestMainWindow::openCsv_data()
{
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    QTest::addColumn<double>("last"); // bottom-right value

    QTest::newRow("2 x 3 matrix") << QByteArray("1,2,3\n4,5,6\n") << 2 << 3 << 6.0;
    QTest::newRow("one row signal") << QByteArray("1,2,3,4,5,6,7\n") << 1 << 7 << 7.0;
    QTest::newRow("signed decimals") << QByteArray("-1.5,200\n0,-0.25\n") << 2 << 2 << -0.25;
}

void TestMainWindow::openCsv()
{
    QFETCH(QByteArray, contents);
    QFETCH(int, rows);
    QFETCH(int, cols);
    QFETCH(double, last);

    auto window = makeWindow();
    const QString name = QStringLiteral("%1.csv").arg(
        QString::fromLatin1(QTest::currentDataTag()).replace(' ', '_'));
    const QString path = writeFile(name, contents);
    const QImage before = grabPanels(*window);
    QVERIFY(window->openFile(path));
    const cv::Mat &input = window->session()->input();
    QCOMPARE(input.rows, rows);
    QCOMPARE(input.cols, cols);
    QCOMPARE(input.at<double>(rows - 1, cols - 1), last);
    QVERIFY2(window->windowTitle().contains(name), qPrintable(window->windowTitle()));
    QVERIFY(window->windowTitle().contains(QStringLiteral("PadLab")));
    QCOMPARE(probe(*window, QStringLiteral("recent")), name);
    QVERIFY(grabPanels(*window) != before);
}

void TestMainWindow::openNpy_data()
{
    QTest::addColumn<int>("channels"); // 0: a 2-D array
    QTest::newRow("2-D array") << 0;
    QTest::newRow("three channels") << 3;
    QTest::newRow("sixteen channels") << 16;
}

void TestMainWindow::openNpy()
{
    QFETCH(int, channels);
    auto window = makeWindow();
    const QString name = QStringLiteral("array-%1.npy").arg(channels);
    const QString path = writeFile(name, channels > 0 ? npyOf({channels, 3, 4}) : npyOf({3, 4}));
    QVERIFY(window->openFile(path));
    Session *session = window->session();
    QCOMPARE(session->source().channels(), std::max(channels, 1));
    // The plane the views convolve is channel 0: 0..11.
    QCOMPARE(session->input().at<double>(2, 3), 11.0);
    QVERIFY2(window->windowTitle().contains(name), qPrintable(window->windowTitle()));
    // A tensor says which channel the views convolve, in the title and the status bar.
    const QString which = QStringLiteral("channel 0 of %1").arg(channels);
    QCOMPARE(window->windowTitle().contains(which), channels > 0);
    QCOMPARE(window->statusBar()->currentMessage().contains(QStringLiteral("%1 channels").arg(channels)), channels > 0);
    session->need(padlab::ui::Part::Channels);
    QVERIFY(session->waitUntilIdle());
    QVERIFY(session->snapshot()->channels);
    QCOMPARE(session->snapshot()->channels->channels(), std::max(channels, 1));
    session->release(padlab::ui::Part::Channels);
}

void TestMainWindow::viewTabs_data()
{
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("expected");

    QTest::newRow("starts on the sliding window") << QString() << "0 tab 0 animation shown";
    QTest::newRow("ctrl+2: signal, which steps") << "key=Ctrl+2" << "1 tab 1 animation shown";
    QTest::newRow("ctrl+3: compare, which does not") << "key=Ctrl+3" << "2 tab 2 animation hidden";
    QTest::newRow("click the stages tab") << "tab=3" << "3 tab 3 animation hidden";
    QTest::newRow("ctrl+5: layers") << "key=Ctrl+5" << "4 tab 4 animation hidden";
    // The tensor views walk their own output: the bar plays them.
    QTest::newRow("ctrl+6: channels, which steps") << "key=Ctrl+6" << "5 tab 5 animation shown";
    QTest::newRow("ctrl+7: pooling, which steps") << "key=Ctrl+7" << "6 tab 6 animation shown";
    QTest::newRow("ctrl+8: transposed, which steps") << "key=Ctrl+8" << "7 tab 7 animation shown";
    QTest::newRow("ctrl+9: volume, which steps") << "key=Ctrl+9" << "8 tab 8 animation shown";
    QTest::newRow("a lesson's view shows its tab") << "sessionView=2" << "2 tab 2 animation hidden";
}

void TestMainWindow::viewTabs()
{
    QFETCH(QString, action);
    QFETCH(QString, expected);
    auto window = makeWindow();
    if (!action.isEmpty())
        apply(*window, action);
    QCOMPARE(probe(*window, QStringLiteral("view")), expected);
    if (window->session()->view() != Session::View::Window) {
        // And back: the panels return with the animation.
        apply(*window, QStringLiteral("key=Ctrl+1"));
        QCOMPARE(probe(*window, QStringLiteral("view")), QStringLiteral("0 tab 0 animation shown"));
    }
}

// The Settings dock shows, on each tab, only the settings that act on what the tab shows: the
// Pooling, Transposed and Volume tabs set their own padding, stride and dilation, and the dock
// says where instead of offering a fill that would change nothing there.
void TestMainWindow::dockShowsWhatActsOnTheTab_data()
{
    QTest::addColumn<int>("view");
    QTest::addColumn<bool>("stacked"); // the Volume tab stacks the session's kernel
    QTest::addColumn<QString>("shown");
    QTest::addColumn<QString>("note");

    const QString all = "kernelBox amount fill strideRows dilationRows operation channel outputScale clipOutliers "
                        "paddingTint";
    using View = Session::View;
    QTest::newRow("window: everything") << int(View::Window) << false << all << QString();
    QTest::newRow("signal: the Conv1D's padding, stride, dilation")
        << int(View::Signal) << false
        << "kernelBox amount fill strideRows dilationRows operation channel paddingTint" << QString();
    QTest::newRow("compare") << int(View::Compare) << false
                             << "kernelBox amount fill strideRows dilationRows operation channel outputScale paddingTint"
                             << QString();
    QTest::newRow("stages") << int(View::Stages) << false
                            << "kernelBox amount fill strideRows dilationRows operation channel paddingTint" << QString();
    // The bank convolves every channel with the dock's amount, fill, stride and dilation.
    QTest::newRow("channels: the bank's padding, stride, dilation")
        << int(View::Channels) << false
        << "kernelBox amount fill strideRows dilationRows operation clipOutliers paddingTint" << QString();
    QTest::newRow("pooling: its own settings") << int(View::Pool) << false << "channel paddingTint"
                                               << "Pooling: the window, stride, dilation and padding are set above";
    QTest::newRow("transposed: its own settings, the dock's kernel")
        << int(View::Transposed) << false << "kernelBox channel paddingTint"
        << "Transposed: the stride, dilation, padding and output padding are set above";
    QTest::newRow("volume: its own settings") << int(View::Volume) << false << "paddingTint"
                                              << "Volume: the volume, its kernel, amount, pads";
    QTest::newRow("volume stacking the kernel") << int(View::Volume) << true << "kernelBox paddingTint"
                                                << "the kernel here is stacked in depth";
    QTest::newRow("layers: nothing here") << int(View::Layers) << false << "" << "Layers:";
}

void TestMainWindow::dockShowsWhatActsOnTheTab()
{
    QFETCH(int, view);
    QFETCH(bool, stacked);
    QFETCH(QString, shown);
    QFETCH(QString, note);

    auto window = makeWindow(true);
    auto *dock = window->findChild<QWidget *>(QStringLiteral("settingsDock"));
    QVERIFY(dock);
    const QStringList names = QStringLiteral("kernelBox amount fill strideRows dilationRows operation channel "
                                             "outputScale clipOutliers paddingTint")
                                  .split(' ');
    const auto visible = [&] {
        QStringList on;
        for (const QString &name : names) {
            auto *widget = window->findChild<QWidget *>(name);
            if (!widget)
                return QStringLiteral("no widget ") + name;
            if (widget->isVisibleTo(dock))
                on << name;
        }
        return on.join(' ');
    };
    auto *noteLabel = window->findChild<QLabel *>(QStringLiteral("dockNote"));
    QVERIFY(noteLabel);
    const QString everything = visible();
    QCOMPARE(everything, names.join(' '));
    QVERIFY(!noteLabel->isVisibleTo(dock));

    if (stacked) {
        padlab::ui::ViewSettings settings = window->session()->viewSettings();
        settings.volume.kernel = padlab::ui::VolumeKernel::Stacked;
        window->session()->setViewSettings(settings);
    }
    apply(*window, QStringLiteral("tab=%1").arg(view));
    QCOMPARE(int(window->session()->view()), view);
    QCOMPARE(visible(), shown);
    QCOMPARE(noteLabel->isVisibleTo(dock), !note.isEmpty());
    QVERIFY2(noteLabel->text().contains(note), qPrintable(noteLabel->text()));

    // Back on the sliding window, every setting returns, and the note goes.
    apply(*window, QStringLiteral("tab=0"));
    QCOMPARE(visible(), everything);
    QVERIFY(!noteLabel->isVisibleTo(dock));
}

void TestMainWindow::settingsPersist_data()
{
    QTest::addColumn<QStringList>("actions");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("expected");

    writeFile(QStringLiteral("remembered.csv"), "1,2\n3,4\n");
    QTest::newRow("stride") << QStringList{"strideRows=3"} << "stride"
                            << "3x1";
    QTest::newRow("dilation") << QStringList{"dilationCols=2"} << "dilation"
                              << "1x2";
    QTest::newRow("amount") << QStringList{"amount=3"} << "amount"
                            << "causal";
    QTest::newRow("fill") << QStringList{"fill=4"} << "fill"
                          << "replicate";
    QTest::newRow("constant value") << QStringList{"fill=1", "fillValue=-3.5"} << "value"
                                    << "-3.5";
    QTest::newRow("operation") << QStringList{"operation=1"} << "operation"
                               << "convolution";
    QTest::newRow("preset kernel") << QStringList{"kernelPreset=laplacian"} << "preset"
                                   << "laplacian";
    QTest::newRow("typed kernel") << QStringList{"kernelCell_0_0=0.125"} << "kernel00"
                                  << "0.125";
    QTest::newRow("kernel size") << QStringList{"kernelRows=7", "kernelCols=2"} << "kernelSize"
                                 << "7x2";
    QTest::newRow("output scale") << QStringList{"outputScale=2"} << "outputScale"
                                  << QString::number(int(padlab::ui::OutputScale::Clip));
    QTest::newRow("font scale") << QStringList{"key=Ctrl++", "key=Ctrl++"} << "fontScale"
                                << "1.32";
    QTest::newRow("recent file") << QStringList{"open=remembered.csv"} << "recent"
                                 << "remembered.csv";
    QTest::newRow("teaching view") << QStringList{"tab=3"} << "view" << "3 tab 3 animation hidden";
}

void TestMainWindow::settingsPersist()
{
    QFETCH(QStringList, actions);
    QFETCH(QString, key);
    QFETCH(QString, expected);

    {
        MainWindow fresh;
        QVERIFY(probe(fresh, key) != expected);
    }
    QSettings().clear();
    QFile::remove(MainWindow::lastSessionPath());
    {
        auto first = makeWindow();
        for (const QString &action : actions)
            apply(*first, action);
        QCOMPARE(probe(*first, key), expected);
        first->close();
    }
    MainWindow second;
    QCOMPARE(probe(second, key), expected);
}

void TestMainWindow::zoomIsShared_data()
{
    QTest::addColumn<QString>("how");
    QTest::addColumn<double>("factor"); // > 1 larger cells, < 1 smaller, 0 back to fit

    QTest::newRow("ctrl+wheel up") << "wheel+" << 1.0;
    QTest::newRow("ctrl+wheel down") << "wheel-" << -1.0;
    QTest::newRow("plus key") << "key=+" << 1.0;
    QTest::newRow("minus key") << "key=-" << -1.0;
    QTest::newRow("fit after zooming") << "fit" << 0.0;
}

void TestMainWindow::zoomIsShared()
{
    QFETCH(QString, how);
    QFETCH(double, factor);

    auto window = makeWindow();
    const double fitted = window->cellSize();
    PanelView *padded = window->panelView(Panel::Padded);
    const QImage before = grabPanels(*window);
    if (how.startsWith(QLatin1String("wheel"))) {
        const QPointF at = padded->cellRect(QPoint(3, 3)).center();
        const int delta = how.endsWith(QLatin1Char('+')) ? 120 : -120;
        QWheelEvent wheel(at, padded->mapToGlobal(at), QPoint(), QPoint(0, delta), Qt::NoButton,
                          Qt::ControlModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(padded, &wheel);
    } else if (how == QLatin1String("fit")) {
        window->zoomBy(3);
        window->zoomBy(1.5);
        QVERIFY(window->cellSize() > fitted * 2);
        apply(*window, QStringLiteral("key=0"));
    } else {
        apply(*window, how);
    }
    if (factor > 0)
        QVERIFY2(window->cellSize() > fitted, qPrintable(QString::number(window->cellSize())));
    else if (factor < 0)
        QVERIFY2(window->cellSize() < fitted, qPrintable(QString::number(window->cellSize())));
    else
        QCOMPARE(window->cellSize(), fitted);
    for (Panel panel : {Panel::Input, Panel::Padded, Panel::Output}) {
        QCOMPARE(window->panelView(panel)->options().cellSize, window->cellSize());
        QCOMPARE(window->panelView(panel)->options().origin, window->origin());
    }
    if (factor != 0)
        QVERIFY(grabPanels(*window) != before);
}

void TestMainWindow::fontScale_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<bool>("larger");

    QTest::newRow("ctrl+plus") << "Ctrl++" << true;
    QTest::newRow("ctrl+equal") << "Ctrl+=" << true;
    QTest::newRow("ctrl+minus") << "Ctrl+-" << false;
}

void TestMainWindow::fontScale()
{
    QFETCH(QString, key);
    QFETCH(bool, larger);

    auto window = makeWindow();
    const double appFont = QApplication::font().pointSizeF();
    const QImage before = grabPanels(*window);
    apply(*window, QStringLiteral("key=") + key);
    QCOMPARE(window->fontScale() > 1.0, larger);
    QCOMPARE(window->panelView(Panel::Padded)->options().look.fontScale, window->fontScale());
    QCOMPARE(QApplication::font().pointSizeF() > appFont, larger);
    QVERIFY(grabPanels(*window) != before);
}

void TestMainWindow::shapePanelExplains_data()
{
    QTest::addColumn<QString>("amount");
    QTest::addColumn<int>("stride");
    QTest::addColumn<QString>("present");
    QTest::addColumn<QString>("absent");

    // 6 cells, kernel 3, stride 2, valid: windows start at 0 and 2, the last cell is never read.
    QTest::newRow("valid stride 2 leaves a cell unread") << "valid" << 2 << "read by no window"
                                                         << "";
    QTest::newRow("same stride 1 reads everything") << "same" << 1 << "same: out = ceil(6 / 1) = 6"
                                                    << "read by no window";
    QTest::newRow("same stride 2 and PyTorch") << "same" << 2 << "PyTorch"
                                               << "";
    QTest::newRow("full formula") << "full" << 1 << "out = floor((6 + 2 + 2 - 3) / 1) + 1 = 8"
                                  << "";
}

void TestMainWindow::shapePanelExplains()
{
    QFETCH(QString, amount);
    QFETCH(int, stride);
    QFETCH(QString, present);
    QFETCH(QString, absent);

    auto window = makeWindow();
    core::ConvSpec spec = window->session()->spec();
    spec.amount = core::parsePadAmount(amount.toStdString());
    spec.stride = {stride, stride};
    window->session()->setSpec(spec);
    const QString text = window->shapePanel()->plainText();
    QVERIFY2(text.contains(present), qPrintable(text));
    if (!absent.isEmpty())
        QVERIFY2(!text.contains(absent), qPrintable(text));
}

void TestMainWindow::paletteFollowsSystem_data()
{
    QTest::addColumn<QColor>("window");
    QTest::addColumn<bool>("dark");

    QTest::newRow("dark system palette") << QColor(35, 38, 41) << true;
    QTest::newRow("light system palette") << QColor(239, 240, 241) << false;
}

void TestMainWindow::paletteFollowsSystem()
{
    QFETCH(QColor, window);
    QFETCH(bool, dark);

    const QPalette original = QApplication::palette();
    auto mainWindow = makeWindow();
    QPalette opposite = original;
    opposite.setColor(QPalette::Window, dark ? QColor(239, 240, 241) : QColor(35, 38, 41));
    QApplication::setPalette(opposite);
    QTRY_COMPARE(mainWindow->panelView(Panel::Padded)->options().look.dark, !dark);
    const QImage before = grabPanels(*mainWindow);

    QPalette palette = original;
    palette.setColor(QPalette::Window, window);
    QApplication::setPalette(palette);
    // The palette change arrives as an event, as it does when the desktop switches themes.
    QTest::qWait(50);
    const bool followed = mainWindow->panelView(Panel::Padded)->options().look.dark == dark;
    const bool repainted = grabPanels(*mainWindow) != before;
    QApplication::setPalette(original);
    QVERIFY(followed);
    QVERIFY(repainted);
}

void TestMainWindow::dropOpensFile_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<int>("cols"); // input width afterwards; the ramp is 6 wide

    QTest::newRow("csv file") << "dropped.csv" << QByteArray("1,2,3,4,5,6,7,8\n8,7,6,5,4,3,2,1\n")
                              << 8;
    QTest::newRow("broken file keeps the input") << "dropped.png" << QByteArray("nope") << 6;
    QTest::newRow("npy tensor") << "dropped.npy" << npyOf({2, 3, 8}) << 8;
}

void TestMainWindow::dropOpensFile()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, contents);
    QFETCH(int, cols);

    auto window = makeWindow();
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(writeFile(name, contents))});
    const QPoint at = window->panelView(Panel::Input)->geometry().center();
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(window.get(), &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(window.get(), &drop);
    QCOMPARE(window->session()->input().cols, cols);
    QCOMPARE(window->windowTitle().contains(name), cols != 6);
}

void TestMainWindow::commandLineFile_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<bool>("opens");
    QTest::addColumn<int>("closedIn"); // the view the last session was closed in

    QTest::newRow("csv argument") << "argument.csv" << QByteArray("1,2,3\n4,5,6\n7,8,9\n") << true
                                  << int(Session::View::Window);
    QTest::newRow("broken argument keeps the sample") << "argument.png" << QByteArray("x") << false
                                                      << int(Session::View::Window);
    QTest::newRow("npy tensor argument") << "argument.npy" << npyOf({4, 3, 5}) << true << int(Session::View::Window);
    QTest::newRow("csv argument, reopened in the stages view")
        << "argument.csv" << QByteArray("1,2,3\n4,5,6\n7,8,9\n") << true << int(Session::View::Stages);
}

void TestMainWindow::commandLineFile()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, contents);
    QFETCH(bool, opens);
    QFETCH(int, closedIn);

    {
        MainWindow last;
        last.session()->setView(Session::View(closedIn));
        last.close();
    }
    MainWindow window;
    QCOMPARE(int(window.session()->view()), closedIn);
    window.setErrorDialogsEnabled(false);
    const QString sample = window.windowTitle();
    QSignalSpy errors(&window, &MainWindow::errorShown);
    window.openFileWhenShown(writeFile(name, contents));
    // Nothing is read before the window is on screen.
    QCOMPARE(window.windowTitle(), sample);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    if (opens) {
        QTRY_VERIFY(window.windowTitle().contains(name));
        QCOMPARE(window.session()->input().rows, 3);
    } else {
        QTRY_COMPARE(errors.count(), 1);
        QCOMPARE(window.windowTitle(), sample);
    }
}

void TestMainWindow::recentMenuReopens_data()
{
    QTest::addColumn<bool>("deleteFirst");

    QTest::newRow("existing file reopens") << false;
    QTest::newRow("deleted file leaves the list") << true;
}

void TestMainWindow::recentMenuReopens()
{
    QFETCH(bool, deleteFirst);

    auto window = makeWindow();
    const QString older = writeFile(QStringLiteral("older.csv"), "1,2,3\n");
    const QString newer = writeFile(QStringLiteral("newer.csv"), "4,5\n6,7\n");
    QVERIFY(window->openFile(older));
    QVERIFY(window->openFile(newer));
    QCOMPARE(window->recentFiles().size(), 2);
    if (deleteFirst)
        QVERIFY(QFile::remove(older));

    QMenu *recent = nullptr;
    for (QMenu *menu : window->findChildren<QMenu *>())
        if (menu->title() == QLatin1String("Open &Recent"))
            recent = menu;
    QVERIFY(recent);
    QAction *olderAction = nullptr;
    for (QAction *action : recent->actions())
        if (action->text() == QLatin1String("older.csv"))
            olderAction = action;
    QVERIFY(olderAction);
    olderAction->trigger();

    if (deleteFirst) {
        QCOMPARE(window->session()->input().cols, 2);
        QCOMPARE(window->recentFiles().size(), 1);
        QVERIFY(!window->statusBar()->currentMessage().isEmpty());
    } else {
        QCOMPARE(window->session()->input().cols, 3);
        QCOMPARE(QFileInfo(window->recentFiles().first()).fileName(), QStringLiteral("older.csv"));
    }
}

// The status bar speaks of the result on screen: while a new fill is computed, a padding cell
// still says what the fill shown put there.
void TestMainWindow::hoverUsesTheFillShown()
{
    auto window = makeWindow();
    Session *session = window->session();
    session->setFill(core::Fill::Replicate);
    PanelView *padded = window->panelView(Panel::Padded);
    const QPoint corner = padded->cellRect({0, 0}).center().toPoint();
    QTest::mouseMove(padded, corner);
    QTRY_VERIFY2(window->statusBar()->currentMessage().contains(QStringLiteral("copy of input row 0, col 0")),
                 qPrintable(window->statusBar()->currentMessage()));

    session->setComputationDelayForTesting(600);
    session->setFill(core::Fill::Zeros);
    QVERIFY(session->isBusy());
    QTest::mouseMove(padded, corner + QPoint(0, 1));
    QTest::mouseMove(padded, padded->cellRect({1, 0}).center().toPoint());
    QTest::mouseMove(padded, corner);
    QVERIFY2(window->statusBar()->currentMessage().contains(QStringLiteral("copy of input row 0, col 0")),
             qPrintable(window->statusBar()->currentMessage()));
    QVERIFY(session->waitUntilIdle());
    QTest::mouseMove(padded, padded->cellRect({1, 0}).center().toPoint());
    QTest::mouseMove(padded, corner);
    QTRY_VERIFY2(window->statusBar()->currentMessage().contains(QStringLiteral("the fill value")),
                 qPrintable(window->statusBar()->currentMessage()));
}

// A computation longer than half a second shows its progress with a Cancel button; Cancel takes
// the settings back to those on screen.
void TestMainWindow::progressAndCancel()
{
    auto window = makeWindow();
    Session *session = window->session();
    QWidget *progress = window->progressIndicator();
    QVERIFY(progress && !progress->isVisible());
    session->setComputationDelayForTesting(5000);
    auto *fill = window->findChild<QComboBox *>(QStringLiteral("fill"));
    fill->setCurrentIndex(4); // replicate
    QVERIFY(session->isBusy());
    QTest::qWait(200);
    QVERIFY(!progress->isVisible()); // a short computation shows nothing
    QTRY_VERIFY_WITH_TIMEOUT(progress->isVisible(), 2000);
    auto *cancel = progress->findChild<QPushButton *>(QStringLiteral("cancelComputation"));
    QVERIFY(cancel);
    QTest::mouseClick(cancel, Qt::LeftButton);
    QVERIFY(!session->isBusy());
    QVERIFY(!progress->isVisible());
    QCOMPARE(session->spec().fill, core::Fill::Zeros);
    QCOMPARE(fill->currentIndex(), 0); // the control follows the settings back
}

// A setting beyond the budget is refused before any work: the status bar says why with the
// limit, the control goes back, and the window keeps showing what it showed.
void TestMainWindow::budgetRefusalInStatusBar_data()
{
    QTest::addColumn<QString>("tab"); // the view shown
    QTest::addColumn<bool>("memory"); // the limit: memory, else multiply-adds
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("control");
    QTest::addColumn<int>("kept"); // the control's value once refused
    QTest::newRow("kernel beyond the work") << "tab=0" << false << "kernelRows=7" << "kernelRows" << 3;
    QTest::newRow("stages beyond the memory") << "tab=3" << true << "stageCount=20" << "stageCount" << 4;
}

void TestMainWindow::budgetRefusalInStatusBar()
{
    QFETCH(QString, tab);
    QFETCH(bool, memory);
    QFETCH(QString, action);
    QFETCH(QString, control);
    QFETCH(int, kept);
    auto window = makeWindow();
    Session *session = window->session();
    apply(*window, tab);
    QVERIFY(session->waitUntilIdle());
    // Room for the 6 x 6 ramp with a 3 x 3 kernel (and four stages); not for 7 x 3 or 20 stages.
    const auto stages = [&](int count) {
        return core::stagesEstimate({6, 6}, sizeof(float), {3, 3}, session->spec(), count).bytes();
    };
    if (memory)
        session->setBudget({(stages(4) + stages(20)) / 2, core::kDefaultMaxMultiplyAdds, core::kDefaultMaxFrames});
    else
        session->setBudget({core::kDefaultMaxMemory, 6 * 6 * 9, core::kDefaultMaxFrames});
    const auto before = session->snapshot();
    const QImage panels = grabPanels(*window);
    QSignalSpy errors(window.get(), &MainWindow::errorShown);

    apply(*window, action);
    QCOMPARE(errors.count(), 1);
    const QString message = window->statusBar()->currentMessage();
    QVERIFY2(message.contains(QLatin1String("the limit is")), qPrintable(message));
    QCOMPARE(message, errors.first().first().toString());
    QVERIFY(window->isVisible());
    QVERIFY(!session->isBusy());
    QVERIFY(session->snapshot() == before);
    QCOMPARE(window->findChild<QSpinBox *>(control)->value(), kept);
    QCOMPARE(grabPanels(*window), panels);
}

// With nothing playing and nothing changing, the window paints nothing and runs no timer.
void TestMainWindow::idleWindowPaintsNothing()
{
    auto window = makeWindow();
    // A long computation first, so that its progress bar has come and gone.
    window->session()->setComputationDelayForTesting(900);
    window->session()->setFill(core::Fill::Reflect);
    QTRY_VERIFY(window->progressIndicator()->isVisible());
    QVERIFY(window->session()->waitUntilIdle());
    window->session()->setComputationDelayForTesting(0);
    QVERIFY(!window->progressIndicator()->isVisible());
    struct Counter : QObject {
        int events = 0;
        QStringList who;
        bool eventFilter(QObject *object, QEvent *event) override
        {
            if (event->type() == QEvent::Paint || event->type() == QEvent::Timer) {
                ++events;
                who << QString::fromLatin1(object->metaObject()->className()) + QLatin1Char(' ')
                           + object->objectName();
            }
            return false;
        }
    } counter;
    qApp->installEventFilter(&counter); // every object's paints and timers
    // The first paints settle (slowly on a busy machine): then a whole second without any.
    for (int settle = 0; settle < 20; ++settle) {
        counter.events = 0;
        counter.who.clear();
        QTest::qWait(300);
        if (counter.events == 0)
            break;
    }
    counter.events = 0;
    counter.who.clear();
    QTest::qWait(1000);
    qApp->removeEventFilter(&counter);
    QVERIFY2(counter.events == 0, qPrintable(counter.who.join(QStringLiteral(", "))));
}

// The window keeps the session it closed with as a lesson file, not in a settings format of its
// own; the settings keep only the window's geometry, its docks and the recent files.
void TestMainWindow::lastSessionIsALesson()
{
    {
        auto first = makeWindow();
        first->session()->setFill(core::Fill::Circular);
        first->session()->setStageCount(6);
        first->close();
    }
    QString error;
    const std::optional<padlab::ui::Lesson> lesson = padlab::ui::readLesson(MainWindow::lastSessionPath(), &error);
    QVERIFY2(lesson, qPrintable(error));
    QCOMPARE(lesson->spec.fill, core::Fill::Circular);
    QCOMPARE(lesson->view.stageCount, 6);
    QCOMPARE(lesson->inputName, QStringLiteral("ramp"));
    QStringList keys = QSettings().allKeys();
    keys.sort();
    QCOMPARE(keys, (QStringList{QStringLiteral("presenter/arrangement"), QStringLiteral("presenter/panels"),
                                QStringLiteral("recentFiles"), QStringLiteral("window/geometry"),
                                QStringLiteral("window/state")}));

    MainWindow second;
    QCOMPARE(second.session()->spec().fill, core::Fill::Circular);
    QCOMPARE(second.session()->inputName(), QStringLiteral("ramp"));
    QCOMPARE(second.session()->stageCount(), 6);
}

// A session closed on a photo too large to embed refers to its file, and reads it only once the
// window is on screen, so that a large photo never holds the window back.
void TestMainWindow::lastSessionOnAPhotoOpensOnceShown()
{
    QImage photo(300, 280, QImage::Format_Grayscale8);
    for (int y = 0; y < photo.height(); ++y)
        for (int x = 0; x < photo.width(); ++x)
            photo.scanLine(y)[x] = uchar((x * 7 + y * 3) % 256);
    const QString path = m_dir.filePath(QStringLiteral("photo.png"));
    QVERIFY(photo.save(path));
    {
        auto first = makeWindow();
        QVERIFY(first->openFile(path));
        first->session()->setFill(core::Fill::Replicate);
        first->close();
    }
    QCOMPARE(padlab::ui::lessonInputPath(MainWindow::lastSessionPath()), QFileInfo(path).absoluteFilePath());
    MainWindow second;
    QVERIFY(second.session()->inputName() != QStringLiteral("photo.png")); // not read yet
    second.show();
    QVERIFY(QTest::qWaitForWindowExposed(&second));
    QTRY_COMPARE(second.session()->inputName(), QStringLiteral("photo.png"));
    QVERIFY(second.session()->waitUntilIdle());
    QCOMPARE(second.session()->input().cols, 300);
    QCOMPARE(second.session()->spec().fill, core::Fill::Replicate);
}

// One viewport for the input, padded and output panels: zoom and pan set it, every panel paints
// with it, and it never lets the grids slide out of reach.
void TestMainWindow::viewportSharedByPanels()
{
    auto window = makeWindow();
    padlab::ui::Viewport *viewport = window->viewport();
    QVERIFY(viewport->isFitted());
    window->zoomBy(4);
    QVERIFY(!viewport->isFitted());
    viewport->panBy({100, 100}); // far beyond the grid: kept at its end
    const QSize grid = viewport->gridCells();
    const QSizeF visible = viewport->visibleCells();
    QCOMPARE(viewport->origin().x(), std::max(0.0, grid.width() - visible.width()));
    QCOMPARE(viewport->origin().y(), std::max(0.0, grid.height() - visible.height()));
    for (Panel panel : {Panel::Input, Panel::Padded, Panel::Output})
        QCOMPARE(window->panelView(panel)->options().origin, viewport->origin());
    viewport->panBy({-100, -100});
    QCOMPARE(viewport->origin(), QPointF(0, 0));
    window->fitToView();
    QVERIFY(viewport->isFitted());
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"

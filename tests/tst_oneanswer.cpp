// One answer: the window and the command line compute from the same grey, count steps the same
// way, start from the same defaults and know the same built-in lessons; a new input starts at the
// first step, leaving a lesson brings back the settings from before it, Qt's own options reach
// the window, the Fill box names the frameworks' spelling of the current amount and sizes read
// H × W everywhere.

#include "clitestutil.h"

#include "animationbar.h"
#include "controlpanel.h"
#include "exporter.h"
#include "lesson.h"
#include "lessons.h"
#include "mainwindow.h"
#include "panelpainter.h"
#include "samples.h"
#include "session.h"
#include "sizetext.h"

#include "padlab/core/csv.h"
#include "padlab/core/geometry.h"
#include "padlab/core/image.h"
#include "padlab/core/kernels.h"

#include <QFile>
#include <QLabel>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <cstdint>

using padlab::test::Run;
using padlab::test::runPadlab;
using padlab::ui::MainWindow;
using padlab::ui::Session;
namespace core = padlab::core;
namespace ui = padlab::ui;

namespace {

/// A colour photo of @p rows × @p cols whose channels all differ, so that any grey rule but the
/// one shows: smooth colour ramps with a hashed grain, deterministic.
cv::Mat colourPhoto(int rows, int cols)
{
    cv::Mat bgr(rows, cols, CV_8UC3);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) {
            const std::uint32_t h = std::uint32_t(r * 7919 + c * 104729) * 2654435761u;
            bgr.at<cv::Vec3b>(r, c) = cv::Vec3b(cv::saturate_cast<std::uint8_t>(40 + 9 * c + (h >> 28)),
                                                cv::saturate_cast<std::uint8_t>(200 - 11 * r + ((h >> 20) & 15)),
                                                cv::saturate_cast<std::uint8_t>(90 + 5 * (r + c) + ((h >> 12) & 31)));
        }
    return bgr;
}

const QByteArray kRamp = "0,1,2,3,4,5,6\n10,11,12,13,14,15,16\n20,21,22,23,24,25,26\n"
                         "30,31,32,33,34,35,36\n40,41,42,43,44,45,46\n50,51,52,53,54,55,56\n";

cv::Mat asDouble(const cv::Mat &m)
{
    cv::Mat d;
    m.convertTo(d, CV_64F);
    return d;
}

/// Largest difference between two matrices of one size; infinity when their sizes differ.
double largestDifference(const cv::Mat &a, const cv::Mat &b)
{
    if (a.size != b.size)
        return std::numeric_limits<double>::infinity();
    if (a.empty())
        return 0;
    return cv::norm(asDouble(a), asDouble(b), cv::NORM_INF);
}

QString describe(const cv::Mat &m)
{
    return QStringLiteral("%1 × %2").arg(m.rows).arg(m.cols);
}

QLabel *stepLabel(const MainWindow &window)
{
    return window.findChild<QLabel *>(QStringLiteral("stepLabel"));
}

} // namespace

class TestOneAnswer : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void windowEqualsCommandLine_data();
    void windowEqualsCommandLine();
    void stepCountsFromOne_data();
    void stepCountsFromOne();
    void stepRefused_data();
    void stepRefused();
    void renderDefaultsAreTheWindows_data();
    void renderDefaultsAreTheWindows();
    void builtinLessonOnCommandLine_data();
    void builtinLessonOnCommandLine();
    void unknownLessonRefused_data();
    void unknownLessonRefused();
    void helpListsLessons_data();
    void helpListsLessons();
    void newInputStartsAtFirstStep_data();
    void newInputStartsAtFirstStep();
    void leavingLessonRestoresSettings_data();
    void leavingLessonRestoresSettings();
    void qtOptionsPassThrough_data();
    void qtOptionsPassThrough();
    void windowTakesQtOptions();
    void fillBoxNamesTheAmount_data();
    void fillBoxNamesTheAmount();
    void sizesReadRowsByColumns_data();
    void sizesReadRowsByColumns();

private:
    QString file(const QString &name) const { return m_dir->filePath(name); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestOneAnswer::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("PadLab"));
    QCoreApplication::setApplicationName(QStringLiteral("PadLabOneAnswerTest"));
}

void TestOneAnswer::init()
{
    // Nothing comes from an earlier window: neither its settings nor the session it closed with.
    QSettings().clear();
    QFile::remove(MainWindow::lastSessionPath());
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QVERIFY(padlab::test::writeBytes(file(QStringLiteral("ramp.csv")), kRamp));
    QVERIFY(cv::imwrite(file(QStringLiteral("photo.png")).toStdString(), colourPhoto(9, 11)));
    QVERIFY(cv::imwrite(file(QStringLiteral("other.png")).toStdString(), colourPhoto(6, 5)));
}

// ---- 1. one grey ------------------------------------------------------------------------------

void TestOneAnswer::windowEqualsCommandLine_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("kernel");
    QTest::addColumn<QString>("pad");
    QTest::newRow("colour PNG, sobel-x, same") << "photo.png" << "sobel-x" << "same";
    QTest::newRow("colour PNG, box-3, valid") << "photo.png" << "box-3" << "valid";
    QTest::newRow("colour PNG, gaussian-5, full") << "other.png" << "gaussian-5" << "full";
}

void TestOneAnswer::windowEqualsCommandLine()
{
    QFETCH(QString, input);
    QFETCH(QString, kernel);
    QFETCH(QString, pad);
    const Run conv = runPadlab(m_dir->path(), {"conv", input, "--kernel", kernel, "--pad", pad, "-o", "out.csv"});
    PADLAB_VERIFY_SUCCESS(conv);
    const Run padded = runPadlab(m_dir->path(), {"pad", input, "-o", "in.csv"});
    PADLAB_VERIFY_SUCCESS(padded);

    Session session;
    QVERIFY(session.openFile(file(input)));
    QVERIFY(session.setPreset(kernel));
    session.setAmount(core::parsePadAmount(pad.toStdString()));
    QVERIFY(session.waitUntilIdle());

    // The grey the window computes with is the command line's, value for value.
    const cv::Mat cliInput = core::readCsvFile(file(QStringLiteral("in.csv")).toStdString());
    QVERIFY2(largestDifference(cliInput, session.input()) == 0.0,
             qPrintable(describe(cliInput) + " against " + describe(session.input())));
    const cv::Mat cliOutput = core::readCsvFile(file(QStringLiteral("out.csv")).toStdString());
    QVERIFY(!cliOutput.empty());
    QVERIFY2(largestDifference(cliOutput, session.result().output) == 0.0,
             qPrintable(QStringLiteral("largest difference %1").arg(largestDifference(cliOutput, session.result().output))));

    // And that grey is BT.601 luma of the decoded colours, unrounded.
    const cv::Mat bgr = cv::imread(file(input).toStdString(), cv::IMREAD_COLOR);
    double largestFraction = 0;
    for (int r = 0; r < bgr.rows; ++r)
        for (int c = 0; c < bgr.cols; ++c) {
            const cv::Vec3b p = bgr.at<cv::Vec3b>(r, c);
            const double luma = 0.299 * p[2] + 0.587 * p[1] + 0.114 * p[0];
            const double shown = asDouble(session.input()).at<double>(r, c);
            QVERIFY2(std::abs(shown - luma) < 1e-4, qPrintable(QStringLiteral("(%1, %2): %3, not %4")
                                                                    .arg(r).arg(c).arg(shown).arg(luma)));
            largestFraction = std::max(largestFraction, std::abs(shown - std::round(shown)));
        }
    QVERIFY2(largestFraction > 0.1, "the grey was rounded to whole numbers");
}

// ---- 2. steps from 1 --------------------------------------------------------------------------

void TestOneAnswer::stepCountsFromOne_data()
{
    QTest::addColumn<int>("step"); // as the user counts it; 0 means the last
    QTest::newRow("step 1, the first position") << 1;
    QTest::newRow("step 2") << 2;
    QTest::newRow("step 9, on the second row") << 9;
    QTest::newRow("the last step") << 0;
}

void TestOneAnswer::stepCountsFromOne()
{
    QFETCH(int, step);
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    QVERIFY(window.openFile(file(QStringLiteral("ramp.csv"))));
    Session *session = window.session();
    QVERIFY(session->waitUntilIdle());
    const int count = session->stepCount();
    QCOMPARE(count, 6 * 7); // same padding keeps the 6 × 7 ramp's size
    if (step == 0)
        step = count;
    session->setStep(step - 1);
    // The window says "Step N / M" ...
    QVERIFY2(stepLabel(window)->text().startsWith(QStringLiteral("Step %1 / %2").arg(step).arg(count)),
             qPrintable(stepLabel(window)->text()));
    // ... and step 1 is the first window position, row by row after it.
    QCOMPARE(session->stepCell(), QPoint((step - 1) % 7, (step - 1) / 7));

    // render --step N draws the window where the window stands at its step N.
    const Run run = runPadlab(m_dir->path(), {"render", "ramp.csv", "--view", "window", "--step", QString::number(step),
                                              "-o", "window.png"});
    PADLAB_VERIFY_SUCCESS(run);
    const QImage rendered(file(QStringLiteral("window.png")));
    QVERIFY(!rendered.isNull());
    ui::ExportOptions options;
    options.view = ui::ExportView::Window;
    const ui::Exporter exporter(*session, options);
    QCOMPARE(rendered.convertToFormat(QImage::Format_ARGB32),
             exporter.renderImage().convertToFormat(QImage::Format_ARGB32));
    if (step > 1) {
        session->setStep(step - 2);
        QVERIFY(ui::Exporter(*session, options).renderImage().convertToFormat(QImage::Format_ARGB32)
                != rendered.convertToFormat(QImage::Format_ARGB32));
    }
}

void TestOneAnswer::stepRefused_data()
{
    QTest::addColumn<QString>("step");
    QTest::addColumn<QString>("message");
    QTest::newRow("0") << "0" << "--step 0: steps count from 1, as in the window; the window has 42 positions (1 to 42)";
    QTest::newRow("one past the last") << "43" << "--step 43: steps count from 1, as in the window; the window has 42 "
                                                  "positions (1 to 42)";
    QTest::newRow("negative") << "-1" << "--step -1: steps count from 1";
    QTest::newRow("not a number") << "first" << "--step: 'first' is not a whole number";
}

void TestOneAnswer::stepRefused()
{
    QFETCH(QString, step);
    QFETCH(QString, message);
    const Run run = runPadlab(m_dir->path(), {"render", "ramp.csv", "--step", step, "-o", "window.png"});
    QVERIFY(run.finished && !run.crashed);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.startsWith("padlab: error: " + message.toUtf8()), run.err.constData());
    QVERIFY(!QFile::exists(file(QStringLiteral("window.png"))));
}

// ---- 3. the same defaults ---------------------------------------------------------------------

void TestOneAnswer::renderDefaultsAreTheWindows_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("view");
    QTest::newRow("CSV, output") << "ramp.csv" << "output";
    QTest::newRow("CSV, padded") << "ramp.csv" << "padded";
    QTest::newRow("colour PNG, output") << "photo.png" << "output";
}

void TestOneAnswer::renderDefaultsAreTheWindows()
{
    QFETCH(QString, input);
    QFETCH(QString, view);
    // A new session is what the window opens with.
    Session session;
    QCOMPARE(session.presetName(), QString::fromLatin1(Session::kDefaultPreset));
    QCOMPARE(session.spec(), Session::defaultSpec());
    QVERIFY(session.openFile(file(input)));
    QVERIFY(session.waitUntilIdle());

    const Run run = runPadlab(m_dir->path(), {"render", input, "--view", view, "-o", "values.csv"});
    PADLAB_VERIFY_SUCCESS(run);
    const cv::Mat rendered = core::readCsvFile(file(QStringLiteral("values.csv")).toStdString());
    const cv::Mat expected = view == QLatin1String("output") ? session.result().output : session.result().padded;
    QVERIFY2(largestDifference(rendered, expected) == 0.0,
             qPrintable(describe(rendered) + " against " + describe(expected)));

    // The help says so, from the same constants.
    const Run help = runPadlab(m_dir->path(), {"render", "--help"});
    PADLAB_VERIFY_SUCCESS(help);
    const QString text = QString::fromUtf8(help.out).simplified();
    QVERIFY2(text.contains(QStringLiteral("kernel %1, --pad %2, --fill %3")
                               .arg(QString::fromLatin1(Session::kDefaultPreset),
                                    QString::fromStdString(core::padAmountText(Session::defaultSpec().amount)),
                                    QString::fromUtf8(core::fillName(Session::defaultSpec().fill)))),
             qPrintable(text));
}

// ---- 4. built-in lessons on the command line --------------------------------------------------

void TestOneAnswer::builtinLessonOnCommandLine_data()
{
    QTest::addColumn<QString>("id");
    for (const ui::BuiltinLesson &lesson : ui::builtinLessons())
        QTest::newRow(qPrintable(lesson.id)) << lesson.id;
}

void TestOneAnswer::builtinLessonOnCommandLine()
{
    QFETCH(QString, id);
    const QString name = QStringLiteral("lesson:") + id;
    const Run render = runPadlab(m_dir->path(), {"render", name, "-o", "lesson.png"});
    PADLAB_VERIFY_SUCCESS(render);
    QVERIFY(!QImage(file(QStringLiteral("lesson.png"))).isNull());

    // conv and pad give what the window shows for the lesson.
    Session session;
    QString error;
    QVERIFY2(ui::applyLesson(*ui::makeBuiltinLesson(id), session, &error), qPrintable(error));
    QVERIFY(session.waitUntilIdle());
    const Run conv = runPadlab(m_dir->path(), {"conv", name, "-o", "out.csv"});
    PADLAB_VERIFY_SUCCESS(conv);
    const cv::Mat output = core::readCsvFile(file(QStringLiteral("out.csv")).toStdString());
    QVERIFY2(largestDifference(output, session.result().output) == 0.0,
             qPrintable(describe(output) + " against " + describe(session.result().output)));
    const Run pad = runPadlab(m_dir->path(), {"pad", name, "-o", "padded.csv"});
    PADLAB_VERIFY_SUCCESS(pad);
    const cv::Mat padded = core::readCsvFile(file(QStringLiteral("padded.csv")).toStdString());
    QVERIFY2(largestDifference(padded, session.result().padded) == 0.0,
             qPrintable(describe(padded) + " against " + describe(session.result().padded)));

    // Options override the lesson's settings, as for a lesson file: a 1 × 1 kernel of 1 at
    // stride 1 gives the lesson's input back.
    const Run valid = runPadlab(m_dir->path(), {"conv", name, "--pad", "valid", "--kernel", "1", "--stride", "1",
                                                "--dilation", "1", "-o", "valid.csv"});
    PADLAB_VERIFY_SUCCESS(valid);
    QVERIFY(largestDifference(core::readCsvFile(file(QStringLiteral("valid.csv")).toStdString()), session.input())
            == 0.0);

    const Run code = runPadlab(m_dir->path(), {"code", name, "--framework", "numpy"});
    PADLAB_VERIFY_SUCCESS(code);
    QVERIFY(code.out.startsWith("#!/usr/bin/env python3"));
}

void TestOneAnswer::unknownLessonRefused_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("the window") << QStringList{"lesson:no-such"};
    QTest::newRow("render") << QStringList{"render", "lesson:no-such", "-o", "x.png"};
    QTest::newRow("conv") << QStringList{"conv", "lesson:no-such", "--kernel", "box-3"};
    QTest::newRow("pad") << QStringList{"pad", "lesson:no-such"};
    QTest::newRow("code") << QStringList{"code", "lesson:no-such", "--framework", "numpy"};
}

void TestOneAnswer::unknownLessonRefused()
{
    QFETCH(QStringList, arguments);
    const Run run = runPadlab(m_dir->path(), arguments);
    QVERIFY(run.finished && !run.crashed);
    QCOMPARE(run.exitCode, 2);
    QCOMPARE(QString::fromUtf8(run.err), QStringLiteral("padlab: error: no built-in lesson named no-such (known: %1)\n")
                                             .arg(ui::builtinLessonIds()));
    QVERIFY(run.out.isEmpty());
    QVERIFY(!QFile::exists(file(QStringLiteral("x.png"))));
}

void TestOneAnswer::helpListsLessons_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("padlab --help") << QStringList{"--help"};
    QTest::newRow("padlab render --help") << QStringList{"render", "--help"};
    QTest::newRow("padlab conv --help") << QStringList{"conv", "--help"};
}

void TestOneAnswer::helpListsLessons()
{
    QFETCH(QStringList, arguments);
    const Run run = runPadlab(m_dir->path(), arguments);
    PADLAB_VERIFY_SUCCESS(run);
    const QString text = QString::fromUtf8(run.out).simplified();
    QVERIFY(text.contains(QLatin1String("lesson:NAME")));
    for (const ui::BuiltinLesson &lesson : ui::builtinLessons())
        QVERIFY2(text.contains(lesson.id), qPrintable(lesson.id));
}

// ---- 5. a new input starts at step 1; leaving a lesson ----------------------------------------

void TestOneAnswer::newInputStartsAtFirstStep_data()
{
    QTest::addColumn<QString>("first");  // file name, or sample:ID or lesson:ID
    QTest::addColumn<QString>("second");
    QTest::newRow("a file after a file") << "photo.png" << "other.png";
    QTest::newRow("the same file again") << "photo.png" << "photo.png";
    QTest::newRow("a sample after a file") << "photo.png" << "sample:gradient";
    QTest::newRow("a file after a sample") << "sample:shapes" << "ramp.csv";
    QTest::newRow("a file after a lesson") << "lesson:stride-same" << "ramp.csv";
}

void TestOneAnswer::newInputStartsAtFirstStep()
{
    QFETCH(QString, first);
    QFETCH(QString, second);
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    const auto open = [&](const QString &what) {
        if (what.startsWith(QLatin1String("sample:")))
            window.openSample(what.mid(7));
        else if (const auto lesson = ui::lessonArgument(what))
            QVERIFY(window.openBuiltinLesson(*lesson));
        else
            QVERIFY(window.openFile(file(what)));
        QVERIFY(window.session()->waitUntilIdle());
    };
    open(first);
    Session *session = window.session();
    session->setStep(session->stepCount() - 2);
    QVERIFY(session->step() > 0);
    open(second);
    QCOMPARE(session->step(), 0);
    QCOMPARE(session->stepCell(), QPoint(0, 0));
    QVERIFY2(stepLabel(window)->text().startsWith(QStringLiteral("Step 1 / ")), qPrintable(stepLabel(window)->text()));
}

void TestOneAnswer::leavingLessonRestoresSettings_data()
{
    QTest::addColumn<QStringList>("lessons");
    QTest::addColumn<QString>("then"); // a file name or sample:ID
    QTest::newRow("a sample after the 1 × 5 kernel") << QStringList{"reflect-symmetric"} << "sample:checkerboard";
    QTest::newRow("a colour file after the causal signal") << QStringList{"causal"} << "other.png";
    QTest::newRow("a CSV after a lesson") << QStringList{"dilation"} << "ramp.csv";
    QTest::newRow("a sample after two lessons") << QStringList{"stride-same", "stack-valid"} << "sample:digit";
}

void TestOneAnswer::leavingLessonRestoresSettings()
{
    QFETCH(QStringList, lessons);
    QFETCH(QString, then);
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    Session *session = window.session();
    QVERIFY(window.openFile(file(QStringLiteral("photo.png"))));
    QVERIFY(session->setPreset(QStringLiteral("box-3")));
    core::ConvSpec before = session->spec();
    before.amount = core::parsePadAmount("full");
    before.fill = core::Fill::Symmetric;
    before.dilation = {1, 2};
    session->setSpec(before);
    session->setChannel(Session::Channel::Green);
    QCOMPARE(session->spec(), before);
    const cv::Mat kernel = session->kernel().clone();
    const Session::View view = session->view();

    for (const QString &lesson : lessons) {
        QVERIFY(window.openBuiltinLesson(lesson));
        QCOMPARE(session->spec(), ui::makeBuiltinLesson(lesson)->spec);
    }
    if (then.startsWith(QLatin1String("sample:")))
        window.openSample(then.mid(7));
    else
        QVERIFY(window.openFile(file(then)));
    QVERIFY(session->waitUntilIdle());
    QCOMPARE(session->spec(), before);
    QCOMPARE(session->presetName(), QStringLiteral("box-3"));
    QCOMPARE(largestDifference(session->kernel(), kernel), 0.0);
    QCOMPARE(session->view(), view);
    if (session->isColor())
        QCOMPARE(session->channel(), Session::Channel::Green);

    // Out of the lesson, the next input keeps what the user sets now.
    QVERIFY(session->setPreset(QStringLiteral("sharpen")));
    window.openSample(QStringLiteral("gradient"));
    QCOMPARE(session->presetName(), QStringLiteral("sharpen"));
}

// ---- 6. Qt's own options ----------------------------------------------------------------------

void TestOneAnswer::qtOptionsPassThrough_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QStringList>("without"); // the same command line without Qt's options
    QTest::newRow("-platform offscreen --version")
        << QStringList{"-platform", "offscreen", "--version"} << QStringList{"--version"};
    QTest::newRow("-style=fusion --help") << QStringList{"-style=fusion", "--help"} << QStringList{"--help"};
    QTest::newRow("--platform, -reverse and conv")
        << QStringList{"--platform", "offscreen", "-reverse", "conv", "ramp.csv", "--kernel", "box-3"}
        << QStringList{"conv", "ramp.csv", "--kernel", "box-3"};
    QTest::newRow("-stylesheet and -geometry before pad")
        << QStringList{"-stylesheet", "none.qss", "-geometry", "640x480+0+0", "pad", "ramp.csv", "--pad", "same"}
        << QStringList{"pad", "ramp.csv", "--pad", "same"};
    QTest::newRow("an unknown lesson with -style")
        << QStringList{"-style", "fusion", "lesson:no-such"} << QStringList{"lesson:no-such"};
}

void TestOneAnswer::qtOptionsPassThrough()
{
    QFETCH(QStringList, arguments);
    QFETCH(QStringList, without);
    const Run with = runPadlab(m_dir->path(), arguments);
    const Run plain = runPadlab(m_dir->path(), without);
    QVERIFY(with.finished && !with.crashed);
    QCOMPARE(with.exitCode, plain.exitCode);
    QCOMPARE(with.out, plain.out);
    QCOMPARE(with.err, plain.err);
    QVERIFY(!with.err.contains("unknown option"));
}

void TestOneAnswer::windowTakesQtOptions()
{
    // No display but the one -platform names: the window starts on the lesson and stays open.
    QTemporaryDir home;
    QVERIFY(home.isValid());
    QProcess process;
    process.setWorkingDirectory(m_dir->path());
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("DISPLAY"));
    environment.remove(QStringLiteral("WAYLAND_DISPLAY"));
    environment.remove(QStringLiteral("QT_QPA_PLATFORM"));
    environment.insert(QStringLiteral("HOME"), home.path());
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
    environment.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
    environment.insert(QStringLiteral("XDG_RUNTIME_DIR"), home.path());
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(PADLAB_EXECUTABLE),
                  {"-platform", "offscreen", "-style", "fusion", "lesson:same-keeps-size"});
    QVERIFY(process.waitForStarted());
    const bool ended = process.waitForFinished(3000);
    const QByteArray err = process.readAllStandardError();
    if (!ended) {
        process.kill();
        process.waitForFinished();
    }
    QVERIFY2(!ended, err.constData());
    QVERIFY2(!err.contains("padlab: error"), err.constData());
}

// ---- 7. the Fill box --------------------------------------------------------------------------

void TestOneAnswer::fillBoxNamesTheAmount_data()
{
    QTest::addColumn<QString>("amount");
    QTest::addColumn<int>("fill");
    QTest::addColumn<int>("stride");
    QTest::addColumn<QStringList>("says");
    QTest::addColumn<QStringList>("never");
    // The 6 × 7 ramp with sobel-x (3 × 3).
    QTest::newRow("zeros, same")
        << "same" << int(core::Fill::Zeros) << 1
        << QStringList{"Keras/TF: padding='same'", "PyTorch: padding='same'",
                       "cv2.copyMakeBorder(x, 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=0)",
                       "np.pad(x, ((1, 1), (1, 1)), mode='constant')", "SciPy: mode='constant'"}
        << QStringList{"ZeroPadding2D"};
    QTest::newRow("zeros, explicit 1 each side")
        << "1,1,1,1" << int(core::Fill::Zeros) << 1
        << QStringList{"Keras/TF: ZeroPadding2D(((1, 1), (1, 1)))", "PyTorch: padding=(1, 1)"}
        << QStringList{"padding='same'"};
    QTest::newRow("zeros, explicit uneven")
        << "0,2,1,0" << int(core::Fill::Zeros) << 1
        << QStringList{"Keras/TF: ZeroPadding2D(((0, 2), (1, 0)))", "PyTorch: F.pad(x, (1, 0, 0, 2))",
                       "np.pad(x, ((0, 2), (1, 0)), mode='constant')", "SciPy: —"}
        << QStringList{"padding='same'"};
    QTest::newRow("zeros, valid") << "valid" << int(core::Fill::Zeros) << 1
                                  << QStringList{"Keras/TF: padding='valid'", "PyTorch: padding='valid'"}
                                  << QStringList{"padding='same'"};
    QTest::newRow("zeros, full")
        << "full" << int(core::Fill::Zeros) << 1
        << QStringList{"Keras/TF: ZeroPadding2D(((2, 2), (2, 2)))", "PyTorch: padding=(2, 2)"}
        << QStringList{"padding='same'"};
    QTest::newRow("reflect, same, stride 2")
        << "same" << int(core::Fill::Reflect) << 2
        << QStringList{"Keras/TF: tf.pad(x, [[0, 1], [1, 1]], mode='REFLECT')",
                       "PyTorch: F.pad(x, (1, 1, 0, 1), mode='reflect')", "cv2.BORDER_REFLECT_101",
                       "mode='reflect')", "SciPy: —"}
        << QStringList{"padding='same'"};
    QTest::newRow("symmetric, same")
        << "same" << int(core::Fill::Symmetric) << 1
        << QStringList{"Keras/TF: tf.pad(x, [[1, 1], [1, 1]], mode='SYMMETRIC')", "PyTorch: —",
                       "cv2.BORDER_REFLECT)", "mode='symmetric'", "SciPy: mode='reflect'"}
        << QStringList{"padding='same'"};
    QTest::newRow("replicate, same")
        << "same" << int(core::Fill::Replicate) << 1
        << QStringList{"Keras/TF: —", "PyTorch: padding='same', padding_mode='replicate'", "mode='edge'",
                       "SciPy: mode='nearest'"}
        << QStringList{};
}

void TestOneAnswer::fillBoxNamesTheAmount()
{
    QFETCH(QString, amount);
    QFETCH(int, fill);
    QFETCH(int, stride);
    QFETCH(QStringList, says);
    QFETCH(QStringList, never);
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    QVERIFY(window.openFile(file(QStringLiteral("ramp.csv"))));
    Session *session = window.session();
    core::ConvSpec spec = session->spec();
    spec.amount = core::parsePadAmount(amount.toStdString());
    spec.fill = core::Fill(fill);
    spec.stride = {stride, stride};
    session->setSpec(spec);
    QVERIFY(session->waitUntilIdle());
    QCOMPARE(session->spec(), spec);
    const auto *label = window.findChild<QLabel *>(QStringLiteral("fillNames"));
    QVERIFY(label);
    const QString text = label->text();
    for (const QString &phrase : says)
        QVERIFY2(text.contains(phrase), qPrintable(phrase + QStringLiteral(" not in:\n") + text));
    for (const QString &phrase : never)
        QVERIFY2(!text.contains(phrase), qPrintable(phrase + QStringLiteral(" in:\n") + text));
}

// ---- 8. H × W ---------------------------------------------------------------------------------

void TestOneAnswer::sizesReadRowsByColumns_data()
{
    QTest::addColumn<QString>("id");
    for (const ui::Sample &sample : ui::samples())
        QTest::newRow(qPrintable(sample.id)) << sample.id;
}

void TestOneAnswer::sizesReadRowsByColumns()
{
    QFETCH(QString, id);
    const cv::Mat image = ui::makeSample(id);
    const QString size = ui::sizeText(image.rows, image.cols);
    QVERIFY(size.contains(QStringLiteral(" × ")));
    QString description;
    for (const ui::Sample &sample : ui::samples())
        if (sample.id == id)
            description = sample.description;
    QVERIFY2(description.startsWith(size) || description.contains(QLatin1Char(' ') + size),
             qPrintable(description));
    if (image.rows != image.cols)
        QVERIFY2(!description.contains(ui::sizeText(image.cols, image.rows)), qPrintable(description));

    // The panels' titles say the same size, rows first.
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    window.openSample(id);
    QVERIFY(window.session()->waitUntilIdle());
    const QString title = ui::PanelPainter::title(*window.session()->snapshot(), ui::Panel::Input);
    QVERIFY2(title.endsWith(size), qPrintable(title));
}

QTEST_MAIN(TestOneAnswer)
#include "tst_oneanswer.moc"

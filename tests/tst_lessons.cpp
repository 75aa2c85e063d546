#include "lesson.h"
#include "lessons.h"
#include "mainwindow.h"
#include "signalpainter.h"
#include "signalview.h"
#include "session.h"

#include "padlab/core/geometry.h"
#include "padlab/core/layers.h"
#include "padlab/core/window.h"

#include <QAction>
#include <QDockWidget>
#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

#include <opencv2/core.hpp>

using padlab::ui::BuiltinLesson;
using padlab::ui::Lesson;
using padlab::ui::MainWindow;
using padlab::ui::Session;
namespace core = padlab::core;
namespace ui = padlab::ui;

Q_DECLARE_METATYPE(core::Sides)

class TestLessons : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void appliesToWindow_data();
    void appliesToWindow();
    void explanationClaims_data();
    void explanationClaims();
    void layerStackClaims_data();
    void layerStackClaims();
    void channelLessonClaims_data();
    void channelLessonClaims();
    void causalReadsNoFuture();
    void threeSensorsSumChannels_data();
    void threeSensorsSumChannels();
    void circularWrapsAround();
    void menuShowsExplanation_data();
    void menuShowsExplanation();
    void lessonFileShowsItsExplanation_data();
    void lessonFileShowsItsExplanation();

private:
    QTemporaryDir m_dir;
};

namespace {

void addLessonRows()
{
    QTest::addColumn<QString>("id");
    for (const BuiltinLesson &lesson : ui::builtinLessons())
        QTest::newRow(qPrintable(lesson.id)) << lesson.id;
}

QList<double> rowValues(const cv::Mat &matrix, int row)
{
    cv::Mat values;
    matrix.row(row).convertTo(values, CV_64F);
    QList<double> list;
    for (int c = 0; c < values.cols; ++c)
        list << values.at<double>(0, c);
    return list;
}

} // namespace

void TestLessons::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("PadLab"));
    QCoreApplication::setApplicationName(QStringLiteral("PadLabLessonsTest"));
    QVERIFY(m_dir.isValid());
}

void TestLessons::init()
{
    // Nothing comes from an earlier window: neither its settings nor the session it closed with.
    QSettings().clear();
    QFile::remove(MainWindow::lastSessionPath());
}

void TestLessons::appliesToWindow_data()
{
    addLessonRows();
}

void TestLessons::appliesToWindow()
{
    QFETCH(QString, id);
    const std::optional<Lesson> lesson = ui::makeBuiltinLesson(id);
    QVERIFY(lesson);
    QVERIFY(!lesson->title.isEmpty());
    // Two to four sentences, as the pane is meant to be read at a glance.
    const qsizetype sentences = lesson->explanation.count(QStringLiteral(". "))
        + (lesson->explanation.endsWith(QLatin1Char('.')) ? 1 : 0);
    QVERIFY2(sentences >= 2 && sentences <= 4, qPrintable(lesson->explanation));

    MainWindow window;
    window.setErrorDialogsEnabled(false);
    QSignalSpy errors(&window, &MainWindow::errorShown);
    QVERIFY(window.openBuiltinLesson(id));
    QCOMPARE(errors.count(), 0);
    const Session *session = window.session();
    QVERIFY(!session->isBusy());
    QCOMPARE(session->spec(), lesson->spec);
    QCOMPARE(session->source().rows, lesson->input.rows);
    QCOMPARE(session->source().cols, lesson->input.cols);
    QCOMPARE(cv::norm(session->kernel(), lesson->kernel, cv::NORM_INF), 0.0);
    QCOMPARE(session->stepCell(), QPoint(lesson->stepCol, lesson->stepRow));
    QVERIFY(!session->result().output.empty());
}

void TestLessons::explanationClaims_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QSize>("outputSize"); // width = columns, height = rows
    QTest::addColumn<core::Sides>("sides");
    QTest::addColumn<QString>("claim");         // what the explanation says about it
    QTest::addColumn<QList<double>>("padded");  // first padded row, when the lesson names it
    QTest::addColumn<QList<double>>("output");  // first output row, when the lesson names it

    QTest::newRow("valid shrinks 28x28 to 26x26")
        << QStringLiteral("valid-shrinks") << QSize(26, 26) << core::Sides{0, 0, 0, 0}
        << QStringLiteral("26×26 output") << QList<double>() << QList<double>();
    QTest::newRow("same keeps 28x28 with one zero on each side")
        << QStringLiteral("same-keeps-size") << QSize(28, 28) << core::Sides{1, 1, 1, 1}
        << QStringLiteral("28×28 output") << QList<double>(28 + 2, 0.0) << QList<double>();
    QTest::newRow("even kernel pads 1 before and 2 after")
        << QStringLiteral("even-kernel") << QSize(5, 1) << core::Sides{0, 0, 1, 2}
        << QStringLiteral("[20 30 40 26 14]") << QList<double>{0, 1, 2, 3, 4, 5, 0, 0}
        << QList<double>{20, 30, 40, 26, 14};
    QTest::newRow("stride 2 same pads 0 before and 1 after")
        << QStringLiteral("stride-same") << QSize(3, 3) << core::Sides{0, 1, 0, 1}
        << QStringLiteral("0 before and 1 after") << QList<double>{1, 2, 3, 4, 5, 6, 0}
        << QList<double>{1 + 2 + 3 + 7 + 8 + 9 + 13 + 14 + 15, 3 + 4 + 5 + 9 + 10 + 11 + 15 + 16 + 17,
                         5 + 6 + 11 + 12 + 17 + 18};
    QTest::newRow("reflect does not repeat the edge")
        << QStringLiteral("reflect-symmetric") << QSize(5, 1) << core::Sides{0, 0, 2, 2}
        << QStringLiteral("3 2 | 1 2 3 4 5 | 4 3") << QList<double>{3, 2, 1, 2, 3, 4, 5, 4, 3}
        << QList<double>();
    QTest::newRow("circular keeps the size with one cell each side")
        << QStringLiteral("circular") << QSize(6, 6) << core::Sides{1, 1, 1, 1}
        << QStringLiteral("bottom row") << QList<double>{36, 31, 32, 33, 34, 35, 36, 31}
        << QList<double>();
    QTest::newRow("causal puts 4 zeros in front")
        << QStringLiteral("causal") << QSize(8, 1) << core::Sides{0, 0, 4, 0}
        << QStringLiteral("4 zeros") << QList<double>{0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8}
        << QList<double>{1, 2, 4, 6, 9, 12, 15, 18};
    QTest::newRow("dilation 2 reaches 5 cells, 24x24 valid")
        << QStringLiteral("dilation") << QSize(24, 24) << core::Sides{0, 0, 0, 0}
        << QStringLiteral("24 outputs") << QList<double>() << QList<double>();
}

void TestLessons::explanationClaims()
{
    QFETCH(QString, id);
    QFETCH(QSize, outputSize);
    QFETCH(core::Sides, sides);
    QFETCH(QString, claim);
    QFETCH(QList<double>, padded);
    QFETCH(QList<double>, output);

    const std::optional<Lesson> lesson = ui::makeBuiltinLesson(id);
    QVERIFY(lesson);
    QVERIFY2(lesson->explanation.contains(claim), qPrintable(lesson->explanation));

    MainWindow window;
    window.setErrorDialogsEnabled(false);
    QVERIFY(window.openBuiltinLesson(id));
    const Session *session = window.session();
    const core::Geometry &geometry = session->geometry();
    QCOMPARE(geometry.outputSize(), (core::PerAxis{outputSize.height(), outputSize.width()}));
    QCOMPARE(geometry.sides(), sides);
    const core::ConvResult &result = session->result();
    QCOMPARE(result.output.rows, outputSize.height());
    QCOMPARE(result.output.cols, outputSize.width());
    if (!padded.isEmpty())
        QCOMPARE(rowValues(result.padded, 0), padded);
    if (!output.isEmpty())
        QCOMPARE(rowValues(result.output, 0), output);
}

void TestLessons::layerStackClaims_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<int>("side");       // of the last conv layer's output
    QTest::addColumn<qint64>("flat");    // values flatten hands on
    QTest::addColumn<qint64>("total");   // parameters
    QTest::addColumn<QString>("claim");  // the explanation says so

    // Keras' counts: conv k*k*c_in*f + f, dense in*units + units.
    constexpr qint64 convs = (3 * 3 * 1 * 32 + 32) + (3 * 3 * 32 * 64 + 64) + (3 * 3 * 64 * 128 + 128);
    const auto total = [](qint64 flat) { return convs + flat * 256 + 256 + 256 * 10 + 10; };
    QTest::newRow("valid: 28 -> 22") << QStringLiteral("stack-valid") << 22 << qint64(22 * 22 * 128)
                                     << total(22 * 22 * 128) << QStringLiteral("15,955,210");
    QTest::newRow("same: 28 kept") << QStringLiteral("stack-same") << 28 << qint64(28 * 28 * 128)
                                   << total(28 * 28 * 128) << QStringLiteral("25,785,610");
}

void TestLessons::layerStackClaims()
{
    QFETCH(QString, id);
    QFETCH(int, side);
    QFETCH(qint64, flat);
    QFETCH(qint64, total);
    QFETCH(QString, claim);

    MainWindow window;
    window.setErrorDialogsEnabled(false);
    QVERIFY(window.openBuiltinLesson(id));
    const Session *session = window.session();
    QCOMPARE(session->view(), Session::View::Layers);
    QCOMPARE(window.viewTabs()->currentIndex(), int(Session::View::Layers));
    const core::StackSummary summary
        = core::summarize(core::parseInputShape(session->layerInputShape().toStdString()),
                          core::parseLayers(session->layerSpec().toStdString()));
    QCOMPARE(summary.rows.size(), std::size_t(6));
    QCOMPARE(summary.rows[2].output.dims, (std::vector<std::int64_t>{side, side, 128}));
    QCOMPARE(summary.rows[3].output.dims, (std::vector<std::int64_t>{flat}));
    QCOMPARE(summary.totalParams, total);
    QVERIFY2(ui::makeBuiltinLesson(id)->explanation.contains(claim), qPrintable(claim));
    // The sliding window shows the first layer's padding on the digit.
    QCOMPARE(session->result().output.rows, side == 28 ? 28 : 26);
}

void TestLessons::channelLessonClaims_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<int>("groups");       // set on the lesson's session before looking; 0 keeps the lesson's
    QTest::addColumn<int>("filters");
    QTest::addColumn<QStringList>("sums"); // each filter's sum at row 2, column 2, as the view writes it
    QTest::addColumn<QStringList>("claims");

    QTest::newRow("rgb edges") << QStringLiteral("rgb-edges") << 0 << 4
                               << QStringList{QStringLiteral("R: 0 + G: 800 + B: 800 = 1600"),
                                              QStringLiteral("R: 0 + G: 0 + B: 0 = 0")}
                               << QStringList{QStringLiteral("4 × 3 × 3 × 3 = 108"),
                                              QStringLiteral("0 + 800 + 800 = 1600"),
                                              QStringLiteral("f1 reads 0 in every channel")};
    QTest::newRow("depthwise") << QStringLiteral("depthwise-vs-full") << 0 << 3
                               << QStringList{QStringLiteral("R: −800 = −800"), QStringLiteral("G: 0 = 0"),
                                              QStringLiteral("B: 800 = 800")}
                               << QStringList{QStringLiteral("−800 in R, 0 in G and 800 in B"),
                                              QStringLiteral("3 × 9 = 27")};
    QTest::newRow("full, groups set to 1") << QStringLiteral("depthwise-vs-full") << 1 << 1
                                           << QStringList{QStringLiteral("R: −800 + G: 0 + B: 800 = 0")}
                                           << QStringList{QStringLiteral("−800 + 0 + 800 = 0")};
}

void TestLessons::channelLessonClaims()
{
    QFETCH(QString, id);
    QFETCH(int, groups);
    QFETCH(int, filters);
    QFETCH(QStringList, sums);
    QFETCH(QStringList, claims);

    const QString explanation = ui::makeBuiltinLesson(id)->explanation;
    for (const QString &claim : claims)
        QVERIFY2(explanation.contains(claim), qPrintable(claim));

    MainWindow window;
    window.setErrorDialogsEnabled(false);
    QVERIFY(window.openBuiltinLesson(id));
    Session *session = window.session();
    QCOMPARE(session->view(), Session::View::Channels);
    QCOMPARE(window.viewTabs()->currentIndex(), int(Session::View::Channels));
    if (groups > 0) {
        ui::ViewSettings view = session->viewSettings();
        view.groups = groups;
        session->setViewSettings(view);
    }
    session->need(ui::Part::Channels);
    QVERIFY(session->waitUntilIdle());
    const ui::SnapshotPtr snapshot = session->snapshot();
    QVERIFY(snapshot->has(ui::Part::Channels));
    const ui::ChannelSet &set = *snapshot->channels;
    QVERIFY2(set.error.isEmpty(), qPrintable(set.error));
    QCOMPARE(set.filters(), filters);
    QCOMPARE(session->stepCell(), QPoint(2, 2));
    const std::vector<core::TensorWindow> windows = set.windowsAt(2, 2);
    QCOMPARE(int(windows.size()), filters);
    for (qsizetype f = 0; f < sums.size(); ++f)
        QCOMPARE(set.sumText(windows[size_t(f)]), sums[f]);
}

void TestLessons::causalReadsNoFuture()
{
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    QVERIFY(window.openBuiltinLesson(QStringLiteral("causal")));
    const Session *session = window.session();
    // The signal view draws it in time, t marker and all.
    QCOMPARE(session->view(), Session::View::Signal);
    QVERIFY(window.viewTabs()->currentWidget()->isAncestorOf(window.signalView()));
    QCOMPARE(session->spec().amount.kind, core::Amount::Causal);
    QCOMPARE(session->spec().dilation, (core::PerAxis{1, 2}));
    QCOMPARE(session->kernel().cols, 3);
    QCOMPARE(session->geometry().cols.extent, 5);
    const int outputs = session->result().output.cols;
    QCOMPARE(outputs, session->source().cols);
    for (int t = 0; t < outputs; ++t) {
        const core::Window reach = session->windowAt(0, t);
        QList<int> read;
        for (const core::Tap &tap : reach.taps)
            read << (tap.donor.isFillValue() ? -1 : tap.donor.col);
        // Inputs t-4, t-2 and t; before the signal starts, the zeros in front.
        const QList<int> expected{t >= 4 ? t - 4 : -1, t >= 2 ? t - 2 : -1, t};
        QCOMPARE(read, expected);
    }
}

void TestLessons::threeSensorsSumChannels_data()
{
    QTest::addColumn<bool>("depthwise");
    QTest::addColumn<int>("step");         // the session's step
    QTest::addColumn<QString>("sentence"); // what the explanation says of it
    QTest::newRow("one filter: y[6] = 3 + 2 + 1") << false << 6 << QStringLiteral("y[6] = c0: 3 + c1: 2 + c2: 1 = 6");
    // Depthwise: filter 2 at sample 6 (the session's row 2) reads c2 only.
    QTest::newRow("depthwise: 3 output rows") << true << 2 * 10 + 6 << QStringLiteral("y2[6] = c2: 1×0 + 1×1 + 1×0 = 1");
}

void TestLessons::threeSensorsSumChannels()
{
    QFETCH(bool, depthwise);
    QFETCH(int, step);
    QFETCH(QString, sentence);
    const std::optional<Lesson> lesson = ui::makeBuiltinLesson(QStringLiteral("three-sensors"));
    QVERIFY(lesson);
    QVERIFY(lesson->explanation.contains(QStringLiteral("y[6] = 6")));
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    QVERIFY(window.openBuiltinLesson(QStringLiteral("three-sensors")));
    QCOMPARE(window.session()->view(), Session::View::Signal);
    QCOMPARE(window.session()->source().rows, 3);

    // The lesson's input, kernel and settings in a session of their own, as the view computes them.
    Session session;
    session.setSource(lesson->input, lesson->inputName);
    session.setKernel(lesson->kernel);
    session.setSpec(lesson->spec);
    if (depthwise)
        session.setSignalFilters(ui::SignalFilters::Depthwise);
    session.need(ui::Part::Signal);
    session.waitUntilIdle();
    const ui::Snapshot &shown = *session.snapshot();
    QVERIFY(shown.signal && shown.signal->reason.isEmpty());
    QCOMPARE(ui::SignalPainter::channelCount(shown), 3);
    // "the 3 channels give one output row"; depthwise "3 filters and 3 output rows".
    QCOMPARE(ui::SignalPainter::filterCount(shown), depthwise ? 3 : 1);
    QCOMPARE(int(shown.signal->filterOutputs.size()), depthwise ? 3 : 1);
    QCOMPARE(ui::SignalPainter::windowSentence(shown, step), sentence);
    if (!depthwise) {
        QCOMPARE(shown.signal->filterOutputs[0][6], 6.0);
        // Output t reads nothing after t (causal): t = 4, 5 and 6 for y[6].
        QList<int> times;
        for (const core::TensorTap &tap : shown.signal->windowAt(0, 6).taps)
            if (tap.channel == 0)
                times << tap.padded.front() - shown.signal->conv.geometry.axes[0].before;
        QCOMPARE(times, (QList<int>{4, 5, 6}));
    }
}

void TestLessons::circularWrapsAround()
{
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    QVERIFY(window.openBuiltinLesson(QStringLiteral("circular")));
    const Session *session = window.session();
    cv::Mat input;
    session->source().convertTo(input, CV_64F);
    cv::Mat padded;
    session->result().padded.convertTo(padded, CV_64F);
    const int n = input.rows;
    QCOMPARE(padded.rows, n + 2);
    for (int i = 0; i < n; ++i) {
        // Left column = right edge, top row = bottom edge.
        QCOMPARE(padded.at<double>(i + 1, 0), (input.at<double>(i, n - 1)));
        QCOMPARE(padded.at<double>(0, i + 1), (input.at<double>(n - 1, i)));
        QCOMPARE(padded.at<double>(i + 1, n + 1), (input.at<double>(i, 0)));
    }
    QCOMPARE(padded.at<double>(0, 0), (input.at<double>(n - 1, n - 1)));
}

void TestLessons::menuShowsExplanation_data()
{
    addLessonRows();
}

void TestLessons::menuShowsExplanation()
{
    QFETCH(QString, id);
    const QString csv = m_dir.filePath(QStringLiteral("plain.csv"));
    {
        QFile file(csv);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("1,2,3\n4,5,6\n7,8,9\n");
    }

    MainWindow window;
    window.setErrorDialogsEnabled(false);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *dock = window.findChild<QDockWidget *>(QStringLiteral("lessonDock"));
    auto *text = window.findChild<QTextBrowser *>(QStringLiteral("lessonText"));
    QVERIFY(dock);
    QVERIFY(text);
    QVERIFY(!dock->isVisible());

    auto *action = window.findChild<QAction *>(QStringLiteral("lesson:") + id);
    QVERIFY(action);
    action->trigger();
    QVERIFY(dock->isVisible());
    const std::optional<Lesson> lesson = ui::makeBuiltinLesson(id);
    QVERIFY(lesson);
    QCOMPARE(action->text(), lesson->title);
    const QString shown = text->toPlainText();
    QVERIFY2(shown.contains(lesson->title), qPrintable(shown));
    QVERIFY2(shown.contains(lesson->explanation), qPrintable(shown));
    QCOMPARE(window.session()->spec(), lesson->spec);

    QVERIFY(window.openFile(csv));
    QVERIFY(!dock->isVisible());
    QCOMPARE(window.session()->source().rows, 3);

    // A built-in sample is not a lesson either.
    action->trigger();
    QVERIFY(dock->isVisible());
    window.openSample(QStringLiteral("digit"));
    QVERIFY(!dock->isVisible());
}

void TestLessons::lessonFileShowsItsExplanation_data()
{
    QTest::addColumn<QString>("explanation");
    QTest::addColumn<bool>("shown");
    QTest::newRow("with an explanation") << QStringLiteral("Zeros all round. Nothing else.") << true;
    QTest::newRow("without one") << QString() << false;
}

void TestLessons::lessonFileShowsItsExplanation()
{
    QFETCH(QString, explanation);
    QFETCH(bool, shown);
    std::optional<Lesson> lesson = ui::makeBuiltinLesson(QStringLiteral("even-kernel"));
    QVERIFY(lesson);
    lesson->title = QStringLiteral("From a file");
    lesson->explanation = explanation;
    const QString path = m_dir.filePath(QStringLiteral("saved.padlab.json"));
    QString error;
    QVERIFY2(ui::writeLesson(*lesson, path, &error), qPrintable(error));

    MainWindow window;
    window.setErrorDialogsEnabled(false);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    // A built-in lesson is open first, so a file without text must hide its pane.
    QVERIFY(window.openBuiltinLesson(QStringLiteral("causal")));
    auto *dock = window.findChild<QDockWidget *>(QStringLiteral("lessonDock"));
    auto *text = window.findChild<QTextBrowser *>(QStringLiteral("lessonText"));
    QVERIFY(dock && text);
    QVERIFY(dock->isVisible());

    QVERIFY(window.openFile(path));
    QCOMPARE(dock->isVisible(), shown);
    if (shown)
        QVERIFY(text->toPlainText().contains(explanation));
    QCOMPARE(window.session()->spec(), lesson->spec);
}

QTEST_MAIN(TestLessons)
#include "tst_lessons.moc"

#include "jobqueue.h"
#include "parts.h"
#include "session.h"
#include "testutil.h"

#include "padlab/core/budget.h"
#include "padlab/core/compare.h"
#include "padlab/core/kernels.h"
#include "padlab/core/npy.h"
#include "padlab/core/stages.h"

#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QtTest>

#include <opencv2/core.hpp>

#include <algorithm>
#include <atomic>
#include <functional>
#include <thread>

using padlab::core::Amount;
using padlab::core::Fill;
using padlab::core::Operation;
using padlab::core::PerAxis;
using padlab::ui::Session;

using SessionAction = std::function<void(Session &)>;
Q_DECLARE_METATYPE(SessionAction)
Q_DECLARE_METATYPE(Session::Channel)

namespace {

cv::Mat matrix(int rows, int cols, double start = 1)
{
    cv::Mat m(rows, cols, CV_64F);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c)
            m.at<double>(r, c) = start + r * cols + c;
    return m;
}

/// A budget of @p memory bytes, the default work and frames.
padlab::core::Budget memoryBudget(std::uint64_t memory)
{
    return {memory, padlab::core::kDefaultMaxMultiplyAdds, padlab::core::kDefaultMaxFrames};
}

/// Halfway between what @p part costs with @p fits and with @p refused (views' settings of a
/// 40 x 40 double input, a 3 x 3 kernel and the default spec): the first fits, the second not.
std::uint64_t memoryBetween(padlab::ui::Part part, const padlab::ui::ViewSettings &fits,
                            const padlab::ui::ViewSettings &refused)
{
    const auto bytes = [part](const padlab::ui::ViewSettings &view) {
        padlab::core::ConvSpec spec;
        spec.amount.kind = Amount::Same;
        return padlab::ui::parts::partEstimate(part, {40, 40}, sizeof(double), {3, 3}, spec, view).bytes();
    };
    return (bytes(fits) + bytes(refused)) / 2;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

/// The bytes of a .npy file of format 1.0 with the header dictionary @p dict and @p data after it.
QByteArray npyBytes(const QByteArray &dict, const QByteArray &data)
{
    QByteArray header = dict;
    header += QByteArray((64 - (10 + header.size() + 1) % 64) % 64, ' ') + '\n';
    QByteArray bytes("\x93NUMPY\x01\x00", 8);
    bytes.append(char(header.size() & 0xff)).append(char(header.size() >> 8));
    return bytes + header + data;
}

using padlab::test::npyOf;

} // namespace

class TestSession : public QObject {
    Q_OBJECT

private slots:
    void startsWithASample();
    void viewSettings_data();
    void viewSettings();
    void setterEmitsOnce_data();
    void setterEmitsOnce();
    void invalidRequestKeepsState_data();
    void invalidRequestKeepsState();
    void openFile_data();
    void openFile();
    void badFileKeepsInput_data();
    void badFileKeepsInput();
    void badNpyKeepsTensor_data();
    void badNpyKeepsTensor();
    void grayImageIsNotColor();
    void sourceIsCopied();
    void colorChannel_data();
    void colorChannel();
    void stepClamping_data();
    void stepClamping();
    void settingsClampStep();
    void windowSumIsOutputCell_data();
    void windowSumIsOutputCell();
    void minMaxFollowResult();
    void presetName_data();
    void presetName();
    void largeInputComputesInBackground();
    void staleResultIsDropped();
    void laterSmallRequestWinsOverRunningWorker();
    void snapshotIsImmutable_data();
    void snapshotIsImmutable();
    void burstComputesTheLast_data();
    void burstComputesTheLast();
    void partsComputedOnceWhileNeeded();
    void partsFollowWhatTheyDependOn_data();
    void partsFollowWhatTheyDependOn();
    void cancelTakesSettingsBack();
    void progressWhileComputing();
    void waitUntilIdleTimesOut();
    void refusedSettingKeepsSnapshot_data();
    void refusedSettingKeepsSnapshot();
    void partBeyondBudgetSaysWhy_data();
    void partBeyondBudgetSaysWhy();
    void engineProgressAndCancel();
    void partsStopWhenCancelled_data();
    void partsStopWhenCancelled();
};

void TestSession::startsWithASample()
{
    Session session;
    QVERIFY(!session.input().empty());
    QVERIFY(session.stepCount() > 0);
    QCOMPARE(session.result().output.rows, session.geometry().rows.output);
    QVERIFY(!session.isBusy());
}

void TestSession::setterEmitsOnce_data()
{
    QTest::addColumn<SessionAction>("action");
    QTest::addColumn<QSize>("outputSize"); // width = cols, height = rows, after the action

    QTest::newRow("amount valid") << SessionAction([](Session &s) {
        s.setAmount({Amount::Valid, {}});
    }) << QSize(4, 3);
    QTest::newRow("amount explicit") << SessionAction([](Session &s) {
        s.setAmount({Amount::Explicit, {2, 0, 1, 1}});
    }) << QSize(6, 5);
    QTest::newRow("fill reflect") << SessionAction([](Session &s) { s.setFill(Fill::Reflect); })
                                  << QSize(6, 5);
    QTest::newRow("constant value") << SessionAction([](Session &s) { s.setValue(7); }) << QSize(6, 5);
    QTest::newRow("stride 2") << SessionAction([](Session &s) { s.setStride({2, 2}); }) << QSize(3, 3);
    QTest::newRow("dilation 2x1") << SessionAction([](Session &s) { s.setDilation({2, 1}); })
                                  << QSize(6, 5);
    QTest::newRow("convolution") << SessionAction([](Session &s) {
        s.setOperation(Operation::Convolution);
    }) << QSize(6, 5);
    QTest::newRow("spec") << SessionAction([](Session &s) {
        padlab::core::ConvSpec spec = s.spec();
        spec.amount = {Amount::Full, {}};
        spec.fill = Fill::Circular;
        s.setSpec(spec);
    }) << QSize(8, 7);
    QTest::newRow("kernel") << SessionAction([](Session &s) {
        s.setKernel((cv::Mat_<double>(1, 2) << 1, -1));
    }) << QSize(6, 5);
    QTest::newRow("kernel value") << SessionAction([](Session &s) { s.setKernelValue(1, 1, 9); })
                                  << QSize(6, 5);
    QTest::newRow("kernel size") << SessionAction([](Session &s) { s.setKernelSize(5, 1); })
                                 << QSize(6, 5);
    QTest::newRow("preset") << SessionAction([](Session &s) { s.setPreset("box-3"); }) << QSize(6, 5);
    QTest::newRow("source") << SessionAction([](Session &s) { s.setSource(matrix(2, 9), "row"); })
                            << QSize(9, 2);
}

void TestSession::setterEmitsOnce()
{
    QFETCH(SessionAction, action);
    QFETCH(QSize, outputSize);

    Session session;
    session.setSource(matrix(5, 6), "m");
    session.setKernel(*padlab::core::preset("sobel-x"));
    padlab::core::ConvSpec spec;
    spec.amount = {Amount::Same, {}};
    spec.fill = Fill::Constant;
    session.setSpec(spec);
    session.setStep(7);

    QSignalSpy changed(&session, &Session::changed);
    QSignalSpy steps(&session, &Session::stepChanged);
    QSignalSpy errors(&session, &Session::errorOccurred);
    action(session);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(errors.count(), 0);
    QCOMPARE(QSize(session.geometry().cols.output, session.geometry().rows.output), outputSize);
    QCOMPARE(session.result().output.cols, outputSize.width());
    QCOMPARE(session.result().output.rows, outputSize.height());
    const int step = session.step();
    // A new input starts at the first window position; every other setting keeps the step.
    const bool newInput = QByteArray(QTest::currentDataTag()) == "source";
    QCOMPARE(steps.count(), newInput ? 1 : 0);
    QCOMPARE(step, newInput ? 0 : 7);

    action(session);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(steps.count(), newInput ? 1 : 0);
    QCOMPARE(session.step(), step);
}

void TestSession::invalidRequestKeepsState_data()
{
    QTest::addColumn<SessionAction>("action");
    QTest::newRow("stride 0") << SessionAction([](Session &s) { s.setStride({0, 1}); });
    QTest::newRow("dilation 0") << SessionAction([](Session &s) { s.setDilation({1, 0}); });
    QTest::newRow("negative pad") << SessionAction([](Session &s) {
        s.setAmount({Amount::Explicit, {-1, 0, 0, 0}});
    });
    QTest::newRow("kernel size 0") << SessionAction([](Session &s) { s.setKernelSize(0, 3); });
    QTest::newRow("empty kernel") << SessionAction([](Session &s) { s.setKernel(cv::Mat()); });
    QTest::newRow("kernel cell outside") << SessionAction([](Session &s) { s.setKernelValue(3, 0, 1); });
    QTest::newRow("unknown preset") << SessionAction([](Session &s) { s.setPreset("no-such"); });
    QTest::newRow("empty source") << SessionAction([](Session &s) { s.setSource(cv::Mat(), "x"); });
    QTest::newRow("two channels") << SessionAction([](Session &s) {
        s.setSource(cv::Mat(3, 3, CV_32FC2, cv::Scalar(1, 2)), "x");
    });
    // Requests beyond the session's budget are refused before any work, as invalid ones are.
    QTest::newRow("pad beyond the memory budget") << SessionAction([](Session &s) {
        s.setBudget({1'000'000, padlab::core::kDefaultMaxMultiplyAdds, padlab::core::kDefaultMaxFrames});
        s.setAmount({Amount::Explicit, {0, 0, 0, 200000}});
    });
    QTest::newRow("source beyond the memory budget") << SessionAction([](Session &s) {
        s.setBudget({1'000'000, padlab::core::kDefaultMaxMultiplyAdds, padlab::core::kDefaultMaxFrames});
        s.setSource(cv::Mat(500, 500, CV_64F, cv::Scalar(1)), "big");
    });
    QTest::newRow("kernel beyond the work budget") << SessionAction([](Session &s) {
        s.setBudget({padlab::core::kDefaultMaxMemory, 100, padlab::core::kDefaultMaxFrames});
        s.setKernelSize(5, 5);
    });
}

void TestSession::invalidRequestKeepsState()
{
    QFETCH(SessionAction, action);
    Session session;
    session.setSource(matrix(4, 4), "m");
    const padlab::core::ConvSpec spec = session.spec();
    const cv::Mat kernel = session.kernel().clone();
    const cv::Mat output = session.result().output.clone();

    QSignalSpy changed(&session, &Session::changed);
    QSignalSpy errors(&session, &Session::errorOccurred);
    action(session);
    QCOMPARE(errors.count(), 1);
    QCOMPARE(changed.count(), 0);
    QVERIFY(!errors.first().first().toString().isEmpty());
    QCOMPARE(session.errorString(), errors.first().first().toString());
    if (QByteArray(QTest::currentDataTag()).contains("budget"))
        QVERIFY2(session.errorString().contains("the limit is"), qPrintable(session.errorString()));
    QVERIFY(session.spec() == spec);
    PADLAB_COMPARE_MAT(session.kernel(), kernel, 0);
    PADLAB_COMPARE_MAT(session.result().output, output, 0);
    PADLAB_COMPARE_MAT(session.input(), matrix(4, 4), 0);
    QCOMPARE(session.inputName(), QStringLiteral("m"));
}

void TestSession::openFile_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<cv::Mat>("expected");
    QTest::newRow("matrix") << "m.csv" << QByteArray("1,2,3\n4,5,6\n")
                            << cv::Mat((cv::Mat_<double>(2, 3) << 1, 2, 3, 4, 5, 6));
    QTest::newRow("signal, CR line ends") << "signal.CSV" << QByteArray("0.5,-1,2\r\n")
                                          << cv::Mat((cv::Mat_<double>(1, 3) << 0.5, -1, 2));
}

void TestSession::openFile()
{
    QFETCH(QString, fileName);
    QFETCH(QByteArray, contents);
    QFETCH(cv::Mat, expected);
    QTemporaryDir dir;
    const QString path = dir.filePath(fileName);
    QVERIFY(writeFile(path, contents));

    Session session;
    QSignalSpy changed(&session, &Session::changed);
    QVERIFY(session.openFile(path));
    QCOMPARE(changed.count(), 1);
    PADLAB_COMPARE_MAT(session.input(), expected, 0);
    QCOMPARE(session.inputName(), fileName);
    QCOMPARE(session.inputPath(), QFileInfo(path).absoluteFilePath());
    QVERIFY(!session.isColor());
    QCOMPARE(session.geometry().rows.input, expected.rows);
}

void TestSession::badFileKeepsInput_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("contents"); // null: the file does not exist
    QTest::newRow("missing") << "absent.csv" << QByteArray();
    QTest::newRow("missing image") << "absent.png" << QByteArray();
    QTest::newRow("ragged csv") << "ragged.csv" << QByteArray("1,2,3\n4,5\n");
    QTest::newRow("text in csv") << "words.csv" << QByteArray("1,two,3\n");
    QTest::newRow("text named png") << "fake.png" << QByteArray("this is not an image\n");
    // Refused from its header, before 200 million pixels are decoded: beyond a 1 GB budget.
    QTest::newRow("PNG declaring 14142x14142")
        << "huge.png"
        << QByteArray("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x37\x3e\x00\x00\x37\x3e"
                      "\x08\x00\x00\x00\x00\x00\x00\x00\x00IEND",
                      37);
}

void TestSession::badFileKeepsInput()
{
    QFETCH(QString, fileName);
    QFETCH(QByteArray, contents);
    QTemporaryDir dir;
    const QString good = dir.filePath("good.csv");
    QVERIFY(writeFile(good, "1,2\n3,4\n"));
    const QString bad = dir.filePath(fileName);
    if (!contents.isNull())
        QVERIFY(writeFile(bad, contents));

    Session session;
    session.setBudget({1'000'000'000, padlab::core::kDefaultMaxMultiplyAdds, padlab::core::kDefaultMaxFrames});
    QVERIFY(session.openFile(good));
    const cv::Mat before = session.input().clone();
    QSignalSpy changed(&session, &Session::changed);
    QSignalSpy errors(&session, &Session::errorOccurred);
    QVERIFY(!session.openFile(bad));
    QCOMPARE(errors.count(), 1);
    QCOMPARE(changed.count(), 0);
    const QString message = errors.first().first().toString();
    QVERIFY2(message.contains(fileName), qPrintable(message)); // the engine names the file
    if (fileName == QLatin1String("huge.png"))
        QVERIFY2(message.contains(QLatin1String("the limit is 1 GB")), qPrintable(message));
    PADLAB_COMPARE_MAT(session.input(), before, 0);
    QCOMPARE(session.inputName(), QStringLiteral("good.csv"));
    QCOMPARE(session.inputPath(), QFileInfo(good).absoluteFilePath());
}

void TestSession::badNpyKeepsTensor_data()
{
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<QString>("message");
    QTest::newRow("Fortran order")
        << npyBytes("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }", QByteArray(32, '\0'))
        << "Fortran-order arrays are not supported";
    QByteArray truncated = npyOf({2, 3, 4});
    truncated.chop(8);
    QTest::newRow("truncated data") << truncated << "the .npy data is cut short";
    QTest::newRow("header cut short") << npyOf({2, 3}).left(30) << "bad.npy";
    QTest::newRow("big-endian") << npyBytes("{'descr': '>f8', 'fortran_order': False, 'shape': (2, 2), }", QByteArray(32, '\0'))
                                << "bad.npy";
    QTest::newRow("4-D array") << npyOf({1, 2, 3, 3}) << "holds a 4-D array (1, 2, 3, 3); the window opens a 2-D array";
    QTest::newRow("1-D array") << npyOf({5}) << "holds a 1-D array";
    QTest::newRow("0-D array") << npyOf({}) << "holds a 0-D array";
    QTest::newRow("seventeen channels") << npyOf({17, 2, 2}) << "has 17 channels; the window opens at most 16";
    QTest::newRow("empty axis") << npyOf({2, 0, 3}) << "has an empty axis";
    QTest::newRow("text") << QByteArray("1,2\n3,4\n") << "bad.npy";
}

void TestSession::badNpyKeepsTensor()
{
    QFETCH(QByteArray, contents);
    QFETCH(QString, message);
    QTemporaryDir dir;
    const QString good = dir.filePath("good.npy");
    QVERIFY(writeFile(good, npyOf({3, 2, 4})));
    const QString bad = dir.filePath("bad.npy");
    QVERIFY(writeFile(bad, contents));

    Session session;
    QVERIFY(session.openFile(good));
    QVERIFY(session.isTensor());
    const cv::Mat source = session.source().clone();
    const cv::Mat input = session.input().clone();
    QSignalSpy changed(&session, &Session::changed);
    QSignalSpy errors(&session, &Session::errorOccurred);
    QVERIFY(!session.openFile(bad));
    QCOMPARE(errors.count(), 1);
    QCOMPARE(changed.count(), 0);
    const QString said = errors.first().first().toString();
    QVERIFY2(said.contains(QLatin1String("bad.npy")), qPrintable(said));
    QVERIFY2(said.contains(message), qPrintable(said));
    // The three-channel tensor stays, every channel of it.
    QVERIFY(session.isTensor());
    QCOMPARE(session.source().channels(), 3);
    PADLAB_COMPARE_MAT(session.source().reshape(1), source.reshape(1), 0);
    PADLAB_COMPARE_MAT(session.input(), input, 0);
    QCOMPARE(session.inputName(), QStringLiteral("good.npy"));
    QCOMPARE(session.inputPath(), QFileInfo(good).absoluteFilePath());
}

void TestSession::grayImageIsNotColor()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("gray.png");
    QImage image(4, 3, QImage::Format_Grayscale8);
    for (int y = 0; y < 3; ++y)
        for (int x = 0; x < 4; ++x)
            image.setPixel(x, y, qRgb(x * 60, x * 60, x * 60));
    QVERIFY(image.save(path));
    Session session;
    QVERIFY(session.openFile(path));
    QVERIFY(!session.isColor()); // no channel to choose
    QCOMPARE(session.input().size(), cv::Size(4, 3));
    QCOMPARE(padlab::test::element(session.input(), 2, 3), 180.0);
}

void TestSession::sourceIsCopied()
{
    // A caller that reuses its matrix must not change the session behind its back.
    Session session;
    cv::Mat m = matrix(3, 3);
    session.setSource(m, "m");
    m.setTo(cv::Scalar(-7));
    PADLAB_COMPARE_MAT(session.input(), matrix(3, 3), 0);
    PADLAB_COMPARE_MAT(session.resultInput(), matrix(3, 3), 0);
}

void TestSession::colorChannel_data()
{
    QTest::addColumn<Session::Channel>("channel");
    QTest::addColumn<int>("redWeight"); // expected plane = (r*R + g*G + b*B) / 1000
    QTest::addColumn<int>("greenWeight");
    QTest::addColumn<int>("blueWeight");
    QTest::newRow("red") << Session::Channel::Red << 1000 << 0 << 0;
    QTest::newRow("green") << Session::Channel::Green << 0 << 1000 << 0;
    QTest::newRow("blue") << Session::Channel::Blue << 0 << 0 << 1000;
    QTest::newRow("gray") << Session::Channel::Gray << 299 << 587 << 114; // ITU-R BT.601
}

void TestSession::colorChannel()
{
    QFETCH(Session::Channel, channel);
    QFETCH(int, redWeight);
    QFETCH(int, greenWeight);
    QFETCH(int, blueWeight);
    QTemporaryDir dir;
    const QString path = dir.filePath("colors.png");
    QImage image(3, 2, QImage::Format_RGB32);
    const QList<QRgb> colors = {qRgb(255, 0, 0), qRgb(0, 200, 0), qRgb(0, 0, 150),
                                qRgb(10, 20, 30), qRgb(255, 255, 255), qRgb(90, 0, 60)};
    for (int i = 0; i < colors.size(); ++i)
        image.setPixel(i % 3, i / 3, colors[i]);
    QVERIFY(image.save(path));

    Session session;
    QVERIFY(session.openFile(path));
    QVERIFY(session.isColor());
    QCOMPARE(session.source().channels(), 3);
    if (channel != session.channel()) {
        QSignalSpy changed(&session, &Session::changed);
        session.setChannel(channel);
        QCOMPARE(changed.count(), 1);
    }
    QCOMPARE(session.channel(), channel);
    // Kept as decoded, 3 bytes a pixel; the plane convolved is float.
    QCOMPARE(session.source().depth(), CV_8U);
    const cv::Mat &input = session.input();
    QCOMPARE(input.depth(), CV_32F);
    QCOMPARE(input.channels(), 1);
    QCOMPARE(input.size(), cv::Size(3, 2));
    for (int i = 0; i < colors.size(); ++i) {
        const double expected = (redWeight * qRed(colors[i]) + greenWeight * qGreen(colors[i])
                                 + blueWeight * qBlue(colors[i])) / 1000.0;
        QVERIFY2(std::abs(padlab::test::element(input, i / 3, i % 3) - expected) < 0.01,
                 qPrintable(padlab::test::matText(input)));
    }
    // The result is computed from that plane.
    PADLAB_COMPARE_MAT(session.resultInput(), input, 0);
}

void TestSession::stepClamping_data()
{
    QTest::addColumn<int>("request");
    QTest::addColumn<int>("expected");
    QTest::addColumn<int>("emissions");
    QTest::newRow("inside") << 7 << 7 << 1;
    QTest::newRow("same step") << 0 << 0 << 0;
    QTest::newRow("negative") << -5 << 0 << 0;
    QTest::newRow("past the end") << 1000 << 19 << 1;
    QTest::newRow("last") << 19 << 19 << 1;
}

void TestSession::stepClamping()
{
    QFETCH(int, request);
    QFETCH(int, expected);
    QFETCH(int, emissions);
    Session session;
    session.setSource(matrix(4, 5), "m");
    QCOMPARE(session.stepCount(), 20);
    QCOMPARE(session.step(), 0);
    QSignalSpy changed(&session, &Session::changed);
    QSignalSpy steps(&session, &Session::stepChanged);
    session.setStep(request);
    QCOMPARE(session.step(), expected);
    QCOMPARE(steps.count(), emissions);
    if (emissions)
        QCOMPARE(steps.first().first().toInt(), expected);
    QCOMPARE(changed.count(), 0);
    QCOMPARE(session.stepCell(), QPoint(expected % 5, expected / 5));
}

void TestSession::settingsClampStep()
{
    Session session;
    session.setSource(matrix(6, 6), "m");
    session.setStepCell(4, 5);
    QCOMPARE(session.step(), 29);
    QCOMPARE(session.stepCell(), QPoint(5, 4));

    QSignalSpy steps(&session, &Session::stepChanged);
    QSignalSpy changed(&session, &Session::changed);
    session.setAmount({Amount::Valid, {}}); // 4 x 4 outputs: the step is kept, clamped
    QCOMPARE(changed.count(), 1);
    QCOMPARE(session.step(), 15);
    session.setFill(Fill::Reflect); // same output size: the step stays
    QCOMPARE(session.step(), 15);
    session.setKernelSize(9, 9); // the kernel no longer fits: no steps at all
    QCOMPARE(session.stepCount(), 0);
    QCOMPARE(session.step(), 0);
    QCOMPARE(session.window().taps.size(), size_t(0));
    QCOMPARE(steps.count(), 0);
    QCOMPARE(changed.count(), 3);
}

void TestSession::windowSumIsOutputCell_data()
{
    QTest::addColumn<padlab::core::ConvSpec>("spec");
    auto add = [](const char *name, Amount amount, Fill fill, PerAxis stride, PerAxis dilation,
                  Operation operation) {
        padlab::core::ConvSpec spec;
        spec.amount = {amount, {}};
        spec.fill = fill;
        spec.value = 3.5;
        spec.stride = stride;
        spec.dilation = dilation;
        spec.operation = operation;
        QTest::newRow(name) << spec;
    };
    add("same zeros", Amount::Same, Fill::Zeros, {1, 1}, {1, 1}, Operation::Correlation);
    add("full reflect", Amount::Full, Fill::Reflect, {1, 1}, {1, 1}, Operation::Correlation);
    add("same stride 2 constant", Amount::Same, Fill::Constant, {2, 2}, {1, 1}, Operation::Correlation);
    add("full dilation 2 circular", Amount::Full, Fill::Circular, {1, 1}, {2, 2}, Operation::Convolution);
    add("causal symmetric stride 2x1", Amount::Causal, Fill::Symmetric, {2, 1}, {1, 1},
        Operation::Convolution);
}

void TestSession::windowSumIsOutputCell()
{
    QFETCH(padlab::core::ConvSpec, spec);
    Session session;
    session.setSource(padlab::test::randomMat(6, 7, CV_64F, -5, 5, 11), "random");
    session.setKernel((cv::Mat_<double>(2, 3) << 1, -2, 3, 0.5, 4, -1));
    session.setSpec(spec);
    QVERIFY(session.stepCount() > 0);
    const cv::Mat &output = session.result().output;
    for (int step = 0; step < session.stepCount(); ++step) {
        session.setStep(step);
        const QPoint cell = session.stepCell();
        const padlab::core::Window window = session.window();
        QCOMPARE(window.row, cell.y());
        QCOMPARE(window.col, cell.x());
        QCOMPARE(window.taps.size(), size_t(6));
        QVERIFY(std::abs(window.sum - output.at<double>(cell.y(), cell.x())) < 1e-9);
        const padlab::core::Window hovered = session.windowAt(cell.y(), cell.x());
        QCOMPARE(hovered.sum, window.sum);
    }
    QCOMPARE(session.windowAt(output.rows, 0).taps.size(), size_t(0));
}

void TestSession::minMaxFollowResult()
{
    Session session;
    for (const double scale : {1.0, -3.0}) {
        session.setSource(padlab::test::randomMat(5, 8, CV_64F, -2, 7, 13) * scale, "random");
        double low = 0;
        double high = 0;
        cv::minMaxIdx(session.resultInput(), &low, &high);
        QCOMPARE(session.inputMinMax(), std::make_pair(low, high));
        cv::minMaxIdx(session.result().output, &low, &high);
        QCOMPARE(session.outputMinMax(), std::make_pair(low, high));
    }
}

void TestSession::presetName_data()
{
    QTest::addColumn<cv::Mat>("kernel");
    QTest::addColumn<QString>("name");
    QTest::newRow("sobel-x") << *padlab::core::preset("sobel-x") << "sobel-x";
    QTest::newRow("laplacian") << *padlab::core::preset("laplacian") << "laplacian";
    QTest::newRow("own") << cv::Mat((cv::Mat_<double>(1, 2) << 1, 2)) << "";
}

void TestSession::presetName()
{
    QFETCH(cv::Mat, kernel);
    QFETCH(QString, name);
    Session session;
    session.setPreset("box-5");
    QCOMPARE(session.presetName(), QStringLiteral("box-5"));
    session.setKernel(kernel);
    QCOMPARE(session.presetName(), name);
    session.setKernelValue(0, 0, 100);
    QCOMPARE(session.presetName(), QString()); // edited: no longer a preset
}

void TestSession::largeInputComputesInBackground()
{
    Session session;
    const cv::Mat large = padlab::test::randomMat(1500, 1500, CV_32F, 0, 255, 3);
    QSignalSpy changed(&session, &Session::changed);
    QSignalSpy busy(&session, &Session::busyChanged);
    session.setSource(large, "large");
    // The call returned before the result exists: the GUI thread did not wait for it.
    QVERIFY(session.isBusy());
    QCOMPARE(busy.count(), 1);
    QCOMPARE(busy.first().first().toBool(), true);
    QCOMPARE(changed.count(), 0);
    QCOMPARE(session.input().rows, 1500);
    QVERIFY(session.geometry().rows.input != 1500);

    QVERIFY(changed.wait(60000));
    QCOMPARE(changed.count(), 1);
    QVERIFY(!session.isBusy());
    QCOMPARE(busy.count(), 2);
    QCOMPARE(busy.last().first().toBool(), false);
    QCOMPARE(session.geometry().rows.input, 1500);
    QCOMPARE(session.result().output.rows, 1500);
    PADLAB_COMPARE_MAT(session.resultInput(), large, 0);
    session.setStepCell(700, 900);
    QVERIFY(std::abs(session.window().sum - padlab::test::element(session.result().output, 700, 900)) < 1e-2);
}

void TestSession::staleResultIsDropped()
{
    Session session;
    QSignalSpy changed(&session, &Session::changed);
    session.setSource(padlab::test::randomMat(1200, 1300, CV_32F, 1, 255, 5), "large");
    session.setFill(Fill::Constant);
    session.setValue(-1000); // only this last request's result may land
    QVERIFY(session.waitUntilIdle());
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 60000);
    QThreadPool::globalInstance()->waitForDone();
    QCoreApplication::processEvents();
    QCOMPARE(changed.count(), 1);
    QCOMPARE(session.geometry().cols.input, 1300);
    QCOMPARE(padlab::test::element(session.result().padded, 0, 0), -1000.0);
}

void TestSession::laterSmallRequestWinsOverRunningWorker()
{
    Session session;
    QSignalSpy changed(&session, &Session::changed);
    QSignalSpy busy(&session, &Session::busyChanged);
    session.setSource(padlab::test::randomMat(1000, 1000, CV_32F, 0, 255, 7), "large");
    session.setSource(matrix(3, 3), "small");
    QCOMPARE(changed.count(), 1); // the small one, at once
    QVERIFY(!session.isBusy());
    QCOMPARE(busy.count(), 2);
    QThreadPool::globalInstance()->waitForDone();
    QCoreApplication::processEvents();
    QCOMPARE(changed.count(), 1); // the large one finished late and was dropped
    QCOMPARE(session.geometry().rows.input, 3);
    QCOMPARE(session.inputName(), QStringLiteral("small"));
}

void TestSession::viewSettings_data()
{
    QTest::addColumn<QString>("action");
    QTest::addColumn<int>("emitted"); // viewSettingsChanged() count
    QTest::addColumn<QString>("expected");

    QTest::newRow("view") << "view compare" << 1 << "view=compare";
    QTest::newRow("same view again") << "view window" << 0 << "view=window";
    QTest::newRow("stages clamped high") << "stages 99" << 1 << "stages=20";
    QTest::newRow("stages clamped low") << "stages -3" << 1 << "stages=1";
    QTest::newRow("unchanged stages") << "stages 4" << 0 << "stages=4";
    QTest::newRow("reference") << "reference 3" << 1 << "reference=3";
    QTest::newRow("negative reference") << "reference -2" << 0 << "reference=0";
    QTest::newRow("compare by amount resets the reference")
        << "reference 4;by amount" << 2 << "reference=0";
    QTest::newRow("plot line") << "plot line" << 1 << "plot=line";
    QTest::newRow("layer stack") << "layers 32x32x3 flatten" << 1 << "layers=32x32x3 flatten";
}

void TestSession::viewSettings()
{
    QFETCH(QString, action);
    QFETCH(int, emitted);
    QFETCH(QString, expected);

    Session session;
    QCOMPARE(session.view(), Session::View::Window);
    QCOMPARE(session.stageCount(), 4);
    QSignalSpy spy(&session, &Session::viewSettingsChanged);
    QSignalSpy changed(&session, &Session::changed);
    for (const QString &part : action.split(QLatin1Char(';'))) {
        const QStringList words = part.split(QLatin1Char(' '));
        if (words[0] == QLatin1String("view"))
            session.setView(words[1] == QLatin1String("compare") ? Session::View::Compare
                                                                 : Session::View::Window);
        else if (words[0] == QLatin1String("stages"))
            session.setStageCount(words[1].toInt());
        else if (words[0] == QLatin1String("reference"))
            session.setCompareReference(words[1].toInt());
        else if (words[0] == QLatin1String("by"))
            session.setCompareBy(Session::CompareBy::Amount);
        else if (words[0] == QLatin1String("plot"))
            session.setPlotStyle(Session::PlotStyle::Line);
        else if (words[0] == QLatin1String("layers"))
            session.setLayerStack(words[1], words[2]);
    }
    QCOMPARE(spy.count(), emitted);
    QCOMPARE(changed.count(), 0); // nothing to recompute

    const QString key = expected.section(QLatin1Char('='), 0, 0);
    const QString value = expected.section(QLatin1Char('='), 1);
    if (key == QLatin1String("view"))
        QCOMPARE(session.view(), value == QLatin1String("compare") ? Session::View::Compare
                                                                  : Session::View::Window);
    else if (key == QLatin1String("stages"))
        QCOMPARE(session.stageCount(), value.toInt());
    else if (key == QLatin1String("reference"))
        QCOMPARE(session.compareReference(), value.toInt());
    else if (key == QLatin1String("plot"))
        QCOMPARE(session.plotStyle(), Session::PlotStyle::Line);
    else
        QCOMPARE(session.layerInputShape() + QLatin1Char(' ') + session.layerSpec(), value);
}

void TestSession::snapshotIsImmutable_data()
{
    QTest::addColumn<SessionAction>("action");
    QTest::newRow("fill") << SessionAction([](Session &s) { s.setFill(Fill::Replicate); });
    QTest::newRow("kernel value") << SessionAction([](Session &s) { s.setKernelValue(0, 0, 50); });
    QTest::newRow("kernel size") << SessionAction([](Session &s) { s.setKernelSize(2, 2); });
    QTest::newRow("source of the same size")
        << SessionAction([](Session &s) { s.setSource(matrix(4, 6, 100), "other"); });
    QTest::newRow("step") << SessionAction([](Session &s) { s.setStep(7); });
    QTest::newRow("view settings") << SessionAction([](Session &s) { s.setStageCount(9); });
}

// A snapshot handed out is never changed: a painter holding it keeps drawing exactly what it
// was computed from, whatever the session does next.
void TestSession::snapshotIsImmutable()
{
    QFETCH(SessionAction, action);
    Session session;
    session.setSource(matrix(4, 6), "ramp");
    const padlab::ui::SnapshotPtr before = session.snapshot();
    const cv::Mat input = before->input.clone();
    const cv::Mat kernel = before->kernel.clone();
    const cv::Mat padded = before->result.padded.clone();
    const cv::Mat output = before->result.output.clone();
    const padlab::core::ConvSpec spec = before->spec;
    const padlab::ui::ViewSettings view = before->view;
    action(session);
    PADLAB_COMPARE_MAT(before->input, input, 0);
    PADLAB_COMPARE_MAT(before->kernel, kernel, 0);
    PADLAB_COMPARE_MAT(before->result.padded, padded, 0);
    PADLAB_COMPARE_MAT(before->result.output, output, 0);
    QVERIFY(before->spec == spec);
    QVERIFY(before->view == view);
    QCOMPARE(before->inputName, QStringLiteral("ramp"));
}

void TestSession::burstComputesTheLast_data()
{
    QTest::addColumn<bool>("large"); // on a worker by its size, or made slow by the test hook
    QTest::newRow("slow small input") << false;
    QTest::newRow("large input") << true;
}

// Fifty changes in a row: the one asked for last is computed and published, none of the others.
void TestSession::burstComputesTheLast()
{
    QFETCH(bool, large);
    Session session;
    if (large)
        session.setSource(padlab::test::randomMat(1100, 1100, CV_32F, 0, 255, 9), "large");
    else
        session.setComputationDelayForTesting(40);
    QVERIFY(session.waitUntilIdle());
    session.setFill(Fill::Constant);
    QVERIFY(session.waitUntilIdle());
    const int computed = session.computations();
    QSignalSpy changed(&session, &Session::changed);
    QSignalSpy busy(&session, &Session::busyChanged);
    for (int i = 1; i <= 50; ++i)
        session.setValue(-i);
    QVERIFY(session.isBusy());
    QCOMPARE(changed.count(), 0);
    QVERIFY(session.waitUntilIdle());
    QThreadPool::globalInstance()->waitForDone();
    QCoreApplication::processEvents();
    QCOMPARE(session.computations() - computed, 1);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(busy.count(), 2); // on once, off once
    QCOMPARE(session.snapshot()->spec.value, -50.0);
    QCOMPARE(padlab::test::element(session.result().padded, 0, 0), -50.0);
}

// A part is computed when a view first needs it, once for its settings, and not at all while no
// view needs it.
void TestSession::partsComputedOnceWhileNeeded()
{
    using padlab::ui::Part;
    Session session;
    session.setSource(matrix(5, 5), "ramp");
    QVERIFY(!session.snapshot()->has(Part::Stages));
    int computed = session.computations();
    session.setStageCount(3);
    QCOMPARE(session.computations(), computed); // nobody asked
    QVERIFY(!session.snapshot()->stages);

    session.need(Part::Stages);
    QCOMPARE(session.computations(), computed + 1);
    QVERIFY(session.snapshot()->has(Part::Stages));
    QCOMPARE(session.snapshot()->stages->chain.computed(), 3);
    session.need(Part::Stages); // a second view asks for the same: nothing new
    QCOMPARE(session.computations(), computed + 1);
    session.setStep(4);
    QCOMPARE(session.computations(), computed + 1);

    computed = session.computations();
    session.setStageCount(5);
    QCOMPARE(session.computations(), computed + 1);
    QCOMPARE(session.snapshot()->stages->chain.computed(), 5);

    session.release(Part::Stages);
    session.release(Part::Stages);
    computed = session.computations();
    session.setStageCount(2);
    QCOMPARE(session.computations(), computed);
    QVERIFY(!session.snapshot()->has(Part::Stages));
}

void TestSession::partsFollowWhatTheyDependOn_data()
{
    QTest::addColumn<int>("part");
    QTest::addColumn<SessionAction>("action");
    QTest::addColumn<bool>("recomputed");
    using padlab::ui::Part;
    const auto fill = SessionAction([](Session &s) { s.setFill(Fill::Circular); });
    const auto stride = SessionAction([](Session &s) { s.setStride({1, 2}); });
    const auto reference = SessionAction([](Session &s) { s.setCompareReference(2); });
    const auto stages = SessionAction([](Session &s) { s.setStageCount(7); });
    const auto layers = SessionAction([](Session &s) { s.setLayerStack("8x8x1", "flatten,dense:3"); });
    QTest::newRow("comparison of fills: fill") << int(Part::Comparison) << fill << false;
    QTest::newRow("comparison: stride") << int(Part::Comparison) << stride << true;
    QTest::newRow("comparison: reference") << int(Part::Comparison) << reference << true;
    QTest::newRow("comparison: stage count") << int(Part::Comparison) << stages << false;
    QTest::newRow("stages: fill") << int(Part::Stages) << fill << true;
    QTest::newRow("stages: reference") << int(Part::Stages) << reference << false;
    QTest::newRow("signal: fill") << int(Part::Signal) << fill << true;
    QTest::newRow("signal: layers") << int(Part::Signal) << layers << false;
    QTest::newRow("layers: fill") << int(Part::Layers) << fill << false;
    QTest::newRow("layers: stack") << int(Part::Layers) << layers << true;
}

void TestSession::partsFollowWhatTheyDependOn()
{
    QFETCH(int, part);
    QFETCH(SessionAction, action);
    QFETCH(bool, recomputed);
    Session session;
    session.setSource(matrix(1, 9), "row");
    session.setKernel(cv::Mat::ones(1, 3, CV_64F));
    session.need(padlab::ui::Part(part));
    QVERIFY(session.snapshot()->has(padlab::ui::Part(part)));
    const auto pointer = [&]() -> const void * {
        const padlab::ui::SnapshotPtr s = session.snapshot();
        switch (padlab::ui::Part(part)) {
        case padlab::ui::Part::Comparison: return s->comparison.get();
        case padlab::ui::Part::Stages: return s->stages.get();
        case padlab::ui::Part::Signal: return s->signal.get();
        case padlab::ui::Part::Layers: return s->layers.get();
        case padlab::ui::Part::Channels: return s->channels.get();
        case padlab::ui::Part::Pool: return s->pool.get();
        case padlab::ui::Part::Transposed: return s->transposed.get();
        }
        return nullptr;
    };
    const padlab::ui::SnapshotPtr kept = session.snapshot(); // its parts stay alive: no address reused
    const void *before = pointer();
    const int computed = session.computations();
    action(session);
    QVERIFY(session.snapshot()->has(padlab::ui::Part(part)));
    QCOMPARE(pointer() != before, recomputed);
    QVERIFY(session.computations() - computed >= (recomputed ? 1 : 0));
}

// Cancel stops the computation and takes the settings back to those of what is shown.
void TestSession::cancelTakesSettingsBack()
{
    Session session;
    session.setSource(matrix(6, 6), "ramp");
    session.setComputationDelayForTesting(300);
    QSignalSpy changed(&session, &Session::changed);
    const int computed = session.computations();
    session.setFill(Fill::Circular);
    QCOMPARE(session.spec().fill, Fill::Circular);
    QVERIFY(session.isBusy());
    QVERIFY(!session.isUpToDate());
    session.cancel();
    QVERIFY(!session.isBusy());
    QCOMPARE(session.spec().fill, session.snapshot()->spec.fill);
    QCOMPARE(session.spec().fill, Fill::Zeros);
    QCOMPARE(changed.count(), 1); // the controls follow the settings back
    QThreadPool::globalInstance()->waitForDone();
    QCoreApplication::processEvents();
    QCOMPARE(session.computations(), computed); // the cancelled one never lands
    QCOMPARE(session.snapshot()->spec.fill, Fill::Zeros);
}

void TestSession::progressWhileComputing()
{
    Session session;
    session.setComputationDelayForTesting(450);
    QSignalSpy progress(&session, &Session::progressChanged);
    session.setFill(Fill::Reflect);
    QVERIFY(session.isBusy());
    QVERIFY(session.waitUntilIdle());
    QVERIFY(progress.count() >= 2); // every tenth of a second while it runs
    const int reported = progress.count();
    QTest::qWait(350);
    QCOMPARE(progress.count(), reported); // and never while idle
}

void TestSession::waitUntilIdleTimesOut()
{
    Session session;
    session.setComputationDelayForTesting(1500);
    session.setFill(Fill::Reflect);
    QElapsedTimer clock;
    clock.start();
    QVERIFY(!session.waitUntilIdle(100));
    QVERIFY(clock.elapsed() < 1000);
    QVERIFY(session.waitUntilIdle());
    QCOMPARE(session.snapshot()->spec.fill, Fill::Reflect);
}

// A setting beyond the budget is refused before any work: one message with the limit, and the
// snapshot the views show stays the very one they showed, with the settings it came from.
void TestSession::refusedSettingKeepsSnapshot_data()
{
    using padlab::ui::CompareBy;
    using padlab::ui::Part;
    using padlab::ui::ViewSettings;
    QTest::addColumn<int>("part"); // the part a view shows, or -1
    QTest::addColumn<SessionAction>("prepare"); // a budget the shown settings fit
    QTest::addColumn<SessionAction>("action");

    ViewSettings four;
    ViewSettings twenty;
    twenty.stageCount = 20;
    QTest::newRow("20 stages in the stages view")
        << int(Part::Stages) << SessionAction([=](Session &s) {
               s.setBudget(memoryBudget(memoryBetween(Part::Stages, four, twenty)));
           })
        << SessionAction([](Session &s) { s.setStageCount(20); });
    ViewSettings amounts;
    amounts.compareBy = CompareBy::Amount;
    const ViewSettings fills;
    QTest::newRow("the fills after the amounts in the compare view")
        << int(Part::Comparison) << SessionAction([=](Session &s) {
               s.setCompareBy(CompareBy::Amount);
               s.setBudget(memoryBudget(memoryBetween(Part::Comparison, amounts, fills)));
           })
        << SessionAction([](Session &s) { s.setCompareBy(CompareBy::Fill); });
    QTest::newRow("a pad the compare view cannot afford")
        << int(Part::Comparison) << SessionAction([](Session &s) { s.setBudget(memoryBudget(4'000'000)); })
        << SessionAction([](Session &s) { s.setAmount({Amount::Explicit, {0, 0, 0, 2000}}); });
    QTest::newRow("a kernel beyond the work")
        << -1 << SessionAction([](Session &s) {
               s.setBudget({padlab::core::kDefaultMaxMemory, 20'000, padlab::core::kDefaultMaxFrames});
           })
        << SessionAction([](Session &s) { s.setKernelSize(9, 9); });
}

void TestSession::refusedSettingKeepsSnapshot()
{
    using padlab::ui::Part;
    QFETCH(int, part);
    QFETCH(SessionAction, prepare);
    QFETCH(SessionAction, action);
    Session session;
    session.setSource(matrix(40, 40), "m");
    if (part >= 0)
        session.need(Part(part));
    prepare(session);
    QVERIFY(session.waitUntilIdle());
    QCOMPARE(session.errorString(), QString());
    const padlab::ui::SnapshotPtr before = session.snapshot();
    if (part >= 0)
        QVERIFY(before->has(Part(part)));
    const padlab::core::ConvSpec spec = session.spec();
    const cv::Mat kernel = session.kernel().clone();
    const padlab::ui::ViewSettings view = session.viewSettings();
    const int computed = session.computations();

    QSignalSpy errors(&session, &Session::errorOccurred);
    QSignalSpy changed(&session, &Session::changed);
    QSignalSpy published(&session, &Session::snapshotChanged);
    QSignalSpy viewChanged(&session, &Session::viewSettingsChanged);
    action(session);
    QCOMPARE(errors.count(), 1);
    const QString message = errors.first().first().toString();
    QVERIFY2(message.contains(QLatin1String("the limit is")), qPrintable(message));
    QVERIFY(!session.isBusy());
    QCOMPARE(session.computations(), computed);
    QCOMPARE(changed.count(), 0);
    QCOMPARE(published.count(), 0);
    QCOMPARE(viewChanged.count(), 0);
    QVERIFY(session.snapshot() == before);
    QVERIFY(session.spec() == spec);
    PADLAB_COMPARE_MAT(session.kernel(), kernel, 0);
    QVERIFY(session.viewSettings() == view);
}

// A view shown after its settings were made asks for a part beyond the budget: the part says
// why it is empty (or stops early), the session reports it once, the feature map stays.
void TestSession::partBeyondBudgetSaysWhy_data()
{
    using padlab::ui::Part;
    QTest::addColumn<int>("part");
    QTest::addColumn<SessionAction>("settings"); // made while no view needs the part
    QTest::newRow("stages") << int(Part::Stages) << SessionAction([](Session &s) { s.setStageCount(20); });
    QTest::newRow("comparison") << int(Part::Comparison)
                                << SessionAction([](Session &s) { s.setCompareBy(padlab::ui::CompareBy::Amount); });
}

void TestSession::partBeyondBudgetSaysWhy()
{
    using padlab::ui::Part;
    QFETCH(int, part);
    QFETCH(SessionAction, settings);
    Session session;
    session.setSource(matrix(40, 40), "m");
    settings(session);
    // The feature map fits, the part does not.
    const std::uint64_t featureMap = padlab::core::convolutionEstimate({40, 40}, 1, sizeof(double), {3, 3},
                                                                       session.spec()).bytes();
    session.setBudget(memoryBudget(featureMap + 1000));
    const padlab::ui::SnapshotPtr before = session.snapshot();
    QSignalSpy errors(&session, &Session::errorOccurred);
    session.need(Part(part));
    QVERIFY(session.waitUntilIdle());
    QCOMPARE(errors.count(), 1);
    const QString message = errors.first().first().toString();
    QVERIFY2(message.contains(QLatin1String("the limit is")), qPrintable(message));
    const padlab::ui::SnapshotPtr after = session.snapshot();
    QVERIFY(after->has(Part(part)));
    QVERIFY(after->result.output.data == before->result.output.data);
    if (Part(part) == Part::Stages) {
        QVERIFY(after->stages->chain.computed() < 20);
        QVERIFY2(QString::fromStdString(after->stages->chain.stopReason).contains(message),
                 after->stages->chain.stopReason.c_str());
    } else {
        QVERIFY(after->comparison->comparison.items.empty());
        QCOMPARE(after->comparison->error, message);
    }
}

// A long computation on a worker says how far the engine got, and Cancel takes the window back
// to what it showed.
void TestSession::engineProgressAndCancel()
{
    Session session;
    session.setSource(padlab::test::randomMat(3000, 3000, CV_32F, 0, 255, 5), "large");
    QVERIFY(session.waitUntilIdle());
    const padlab::ui::SnapshotPtr before = session.snapshot();
    QSignalSpy progress(&session, &Session::progressChanged);
    session.setKernelSize(31, 31); // billions of multiply-adds: seconds of work
    QVERIFY(session.isBusy());
    const auto between = [&progress] {
        return std::any_of(progress.begin(), progress.end(), [](const QList<QVariant> &arguments) {
            const double fraction = arguments.first().toDouble();
            return fraction > 0 && fraction < 1;
        });
    };
    QTRY_VERIFY_WITH_TIMEOUT(between(), 60000);
    session.cancel();
    QVERIFY(!session.isBusy());
    QCOMPARE(session.kernel().rows, 3);
    QVERIFY(session.snapshot() == before);
    QThreadPool::globalInstance()->waitForDone();
    QCoreApplication::processEvents();
    QVERIFY(session.snapshot() == before); // the cancelled result never lands
}

// Each computation of the session hears Cancel from inside the engine: it stops at the engine's
// next report (between bands of output rows) instead of running to the end, and delivers
// nothing but the fact.
void TestSession::partsStopWhenCancelled_data()
{
    QTest::addColumn<QString>("part");
    QTest::newRow("feature map") << "feature map";
    QTest::newRow("comparison") << "comparison";
    QTest::newRow("stages") << "stages";
}

void TestSession::partsStopWhenCancelled()
{
    namespace parts = padlab::ui::parts;
    QFETCH(QString, part);
    padlab::ui::Snapshot base;
    // Seconds of work each, far more than the first band of rows the engine reports after.
    base.input = padlab::test::randomMat(1500, 1500, CV_32F, 0, 255, 3);
    base.kernel = padlab::test::randomMat(25, 25, CV_64F, -1, 1, 4);
    base.spec.amount.kind = Amount::Same;
    base.spec.fill = Fill::Reflect;
    base.view.stageCount = 4;
    const padlab::core::Budget budget;

    // Cancels the job as soon as the engine has said how far it got, as the window's Cancel does.
    padlab::ui::JobControl control;
    struct Canceller {
        padlab::ui::JobControl &control;
        std::atomic<bool> done{false};
        std::thread thread{[this] {
            while (!done && control.progress() == 0)
                std::this_thread::yield();
            control.cancel();
        }};
        ~Canceller()
        {
            done = true;
            thread.join();
        }
    } canceller{control};
    QString outcome;
    if (part == QLatin1String("feature map")) {
        const parts::FeatureMap map = parts::featureMap(base.input, base.kernel, base.spec, budget, control);
        QVERIFY(map.result.output.empty());
        outcome = map.error;
    } else if (part == QLatin1String("comparison")) {
        const padlab::ui::CompareSet set = parts::comparison(base, nullptr, budget, control);
        QVERIFY(set.comparison.items.empty());
        outcome = set.error;
    } else {
        const padlab::ui::StageSet set = parts::stages(base, budget, control);
        QVERIFY(set.chain.stages.empty());
        outcome = QString::fromStdString(set.chain.stopReason);
    }
    QCOMPARE(outcome, QStringLiteral("cancelled"));
    QVERIFY(control.isCancelled());
    QVERIFY(control.progress() > 0 && control.progress() < 1);
}

QTEST_GUILESS_MAIN(TestSession)
#include "tst_session.moc"

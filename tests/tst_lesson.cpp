#include "lesson.h"
#include "mainwindow.h"
#include "panelview.h"
#include "samples.h"
#include "session.h"

#include "padlab/core/csv.h"
#include "padlab/core/kernels.h"
#include "padlab/core/npy.h"

#include <QApplication>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrl>

#include <opencv2/core.hpp>

#include <csignal>
#include <cstring>
#include <memory>

#include <sys/resource.h>
#include <sys/stat.h>

using padlab::ui::Lesson;
using padlab::ui::LessonDisplay;
using padlab::ui::Look;
using padlab::ui::LessonView;
using padlab::ui::MainWindow;
using padlab::ui::OutputScale;
using padlab::ui::Panel;
using padlab::ui::Session;
namespace core = padlab::core;
namespace ui = padlab::ui;

Q_DECLARE_METATYPE(core::ConvSpec)
Q_DECLARE_METATYPE(LessonDisplay)
Q_DECLARE_METATYPE(LessonView)

class TestLesson : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void roundTrip_data();
    void roundTrip();
    void csvValuesExact_data();
    void csvValuesExact();
    void relativePath_data();
    void relativePath();
    void malformedField_data();
    void malformedField();
    void lessonWithoutViewOpensWindow();
    void lessonWithoutNewViewKeysKeepsDefaults();
    void tensorInputKeepsChannels_data();
    void tensorInputKeepsChannels();
    void notALesson_data();
    void notALesson();
    void failedSaveKeepsFile_data();
    void failedSaveKeepsFile();
    void windowOpensLesson_data();
    void windowOpensLesson();
    void windowRefusesLesson_data();
    void windowRefusesLesson();
    void inputDecodedOnce();
    void inputErrorsQuoteNothing();
    void lessonFileOnlyRegular_data();
    void lessonFileOnlyRegular();
    void saveEmbedsOutsideFileOnlyWhenTold_data();
    void saveEmbedsOutsideFileOnlyWhenTold();
    void windowAsksBeforeReadingOutside_data();
    void windowAsksBeforeReadingOutside();

private:
    QString writeFile(const QString &name, const QByteArray &contents);
    QJsonObject validLesson();

    QTemporaryDir m_dir;
};

namespace {

/// Same type, size and every value bit for bit.
bool identical(const cv::Mat &a, const cv::Mat &b)
{
    if (a.type() != b.type() || a.rows != b.rows || a.cols != b.cols)
        return false;
    for (int r = 0; r < a.rows; ++r)
        if (std::memcmp(a.ptr(r), b.ptr(r), a.cols * a.elemSize()) != 0)
            return false;
    return true;
}

cv::Mat matrix(int rows, int cols, double scale, double offset)
{
    cv::Mat m(rows, cols, CV_64F);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c)
            m.at<double>(r, c) = offset + scale * (r * cols + c) / 3.0;
    return m;
}

core::ConvSpec spec(core::PadAmount amount, core::Fill fill, double value, core::PerAxis stride,
                    core::PerAxis dilation, core::Operation operation)
{
    core::ConvSpec s;
    s.amount = amount;
    s.fill = fill;
    s.value = value;
    s.stride = stride;
    s.dilation = dilation;
    s.operation = operation;
    return s;
}

QJsonValue lookup(const QJsonObject &object, const QString &key)
{
    const QStringList parts = key.split(QLatin1Char('.'));
    QJsonValue value = object;
    for (const QString &part : parts)
        value = value.toObject().value(part);
    return value;
}

/// Sets (or, for an undefined @p value, removes) the key at @p path, such as view.volume.pads.
void setKey(QJsonObject &object, QStringList path, const QJsonValue &value)
{
    const QString first = path.takeFirst();
    if (!path.isEmpty()) {
        QJsonObject inner = object.value(first).toObject();
        setKey(inner, path, value);
        object[first] = inner;
    } else if (value.isUndefined()) {
        object.remove(first);
    } else {
        object[first] = value;
    }
}

} // namespace

void TestLesson::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("PadLab"));
    QCoreApplication::setApplicationName(QStringLiteral("PadLabLessonTest"));
    QVERIFY(m_dir.isValid());
}

void TestLesson::init()
{
    // Nothing comes from an earlier window: neither its settings nor the session it closed with.
    QSettings().clear();
    QFile::remove(MainWindow::lastSessionPath());
}

QString TestLesson::writeFile(const QString &name, const QByteArray &contents)
{
    const QString path = m_dir.filePath(name);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    file.write(contents);
    return path;
}

/// A lesson file as the program writes it: a 5 x 5 matrix, 3 x 3 kernel, same, step [1, 2].
QJsonObject TestLesson::validLesson()
{
    Session session;
    session.setSource(matrix(5, 5, 1, 0), QStringLiteral("five"));
    session.setPreset(QStringLiteral("sobel-x"));
    session.setAmount({core::Amount::Same, {}});
    session.setStepCell(1, 2);
    const QString path = m_dir.filePath(QStringLiteral("valid.padlab.json"));
    QString error;
    if (!ui::writeLesson(ui::lessonFromSession(session), path, &error))
        qFatal("%s", qPrintable(error));
    QFile file(path);
    file.open(QIODevice::ReadOnly);
    return QJsonDocument::fromJson(file.readAll()).object();
}

void TestLesson::roundTrip_data()
{
    QTest::addColumn<QString>("input"); // "csv", "sample:<id>" or "image:<w>x<h>"
    QTest::addColumn<int>("channel");
    QTest::addColumn<QString>("kernel");
    QTest::addColumn<core::ConvSpec>("spec");
    QTest::addColumn<int>("stepRow");
    QTest::addColumn<int>("stepCol");
    QTest::addColumn<LessonDisplay>("display");
    QTest::addColumn<LessonView>("view");

    using core::Amount;
    using View = Session::View;
    // The settings of the first views; the others keep their defaults.
    const auto viewOf = [](View view, Session::CompareBy by, int reference, int stages, Session::PlotStyle style,
                           const QString &shape, const QString &spec) {
        LessonView v;
        v.view = view;
        v.compareBy = by;
        v.compareReference = reference;
        v.stageCount = stages;
        v.plotStyle = style;
        v.layerInputShape = shape;
        v.layerSpec = spec;
        return v;
    };
    const LessonView compareAmounts = viewOf(View::Compare, Session::CompareBy::Amount, 3, 4,
                                        Session::PlotStyle::Stem, QStringLiteral("28x28x1"),
                                        QStringLiteral("conv2d:8:3"));
    const LessonView signalLines = viewOf(View::Signal, Session::CompareBy::Fill, 0, 4,
                                        Session::PlotStyle::Line, QStringLiteral("28x28x1"),
                                        QStringLiteral("conv2d:8:3"));
    const LessonView stages = viewOf(View::Stages, Session::CompareBy::Fill, 5, 17,
                                        Session::PlotStyle::Stem, QStringLiteral("28x28x1"),
                                        QStringLiteral("conv2d:8:3"));
    const LessonView layers = viewOf(View::Layers, Session::CompareBy::Fill, 0, 4,
                                        Session::PlotStyle::Stem, QStringLiteral("32x32x3"),
                                        QStringLiteral("conv2d:16:5:1:same,maxpool:2,flatten,dense:10"));
    // A stack of the kinds beyond the first four, on a 3-D input, is kept as written.
    const LessonView volumes = viewOf(View::Layers, Session::CompareBy::Fill, 0, 4,
                                        Session::PlotStyle::Stem, QStringLiteral("4x8x8x1"),
                                        QStringLiteral("zeropad3d:1:2:3:0:0:4,conv3d:8:3,avgpool3d:2,globalmaxpool"));
    // The signal view's filters on a matrix read as channels, depthwise with a bias per filter.
    LessonView signalChannels = signalLines;
    signalChannels.signalFilters = padlab::ui::SignalFilters::Depthwise;
    signalChannels.signalBias = {0.5, -1, 2, 0.25, 3};
    using core::Fill;
    using core::Operation;
    QTest::newRow("csv matrix as channels, depthwise, bias")
        << "csv" << 0 << "1,2,1" << spec({Amount::Causal, {}}, Fill::Zeros, 0, {1, 1}, {1, 1}, Operation::Correlation)
        << 2 << 1 << LessonDisplay{} << signalChannels;
    QTest::newRow("csv matrix, reflect, stride 2, fit")
        << "csv" << 0 << "1,0.5;-0.25,2"
        << spec({Amount::Same, {}}, Fill::Reflect, 0, {2, 2}, {1, 1}, Operation::Correlation) << 2
        << 1 << LessonDisplay{Look{1.5, false, OutputScale::Stretch, 0.25, false}, 0, {}} << compareAmounts;
    QTest::newRow("gradient sample, fractional values")
        << "sample:gradient" << 0 << "box-3"
        << spec({Amount::Valid, {}}, Fill::Zeros, 0, {1, 1}, {1, 1}, Operation::Correlation) << 1
        << 1 << LessonDisplay{} << volumes;
    QTest::newRow("digit sample, constant 7.25, explicit sides, convolution")
        << "sample:digit" << 0 << "gaussian-3"
        << spec({Amount::Explicit, {1, 2, 0, 3}}, Fill::Constant, 7.25, {1, 2}, {1, 1},
                Operation::Convolution)
        << 10 << 4 << LessonDisplay{Look{1.0, false, OutputScale::Absolute, 1.0, true}, 24,
                         {{Panel::Padded, QRect(3, 2, 3, 1)}, {Panel::Output, QRect(0, 0, 1, 1)}}} << stages;
    QTest::newRow("colour sample, red channel, dilation 2, causal")
        << "sample:photo" << int(Session::Channel::Red) << "sobel-y"
        << spec({Amount::Causal, {}}, Fill::Circular, 0, {1, 1}, {2, 2}, Operation::Correlation)
        << 5 << 6 << LessonDisplay{Look{2.0, false, OutputScale::Clip, 0, true}, 3.5, {{Panel::Window, QRect(1, 1, 1, 2)}}} << layers;
    QTest::newRow("large image file, referenced by path")
        << "image:300x40" << 0 << "1,-1"
        << spec({Amount::Full, {}}, Fill::Symmetric, 0, {3, 1}, {1, 2}, Operation::Correlation) << 7
        << 150 << LessonDisplay{} << signalLines;

    // The Channels view's bank, groups and bias, and the Volume view's settings, each variant.
    const auto channels = [](ui::FilterBank bank, int groups, std::vector<double> bias, std::vector<int> shape = {},
                             std::vector<double> weights = {}) {
        LessonView v;
        v.view = View::Channels;
        v.bank = bank;
        v.groups = groups;
        v.bias = std::move(bias);
        v.bankShape = std::move(shape);
        v.bankWeights = std::move(weights);
        return v;
    };
    const core::ConvSpec same = spec({Amount::Same, {}}, Fill::Zeros, 0, {1, 1}, {1, 1}, Operation::Correlation);
    QTest::newRow("channels: edges, groups 3, one bias")
        << "sample:photo" << 0 << "sobel-x" << same << 1 << 1 << LessonDisplay{}
        << channels(ui::FilterBank::Edges, 3, {0.5});
    QTest::newRow("channels: depthwise blur, a bias per filter")
        << "sample:photo" << 0 << "sobel-x" << same << 0 << 0 << LessonDisplay{}
        << channels(ui::FilterBank::Blur, 3, {0.125, -1, 2e-9});
    QTest::newRow("channels: identity") << "csv" << 0 << "box-3" << same << 0 << 0 << LessonDisplay{}
                                        << channels(ui::FilterBank::Identity, 1, {});
    QTest::newRow("channels: custom bank")
        << "sample:photo" << 0 << "sobel-x" << same << 2 << 3 << LessonDisplay{}
        << channels(ui::FilterBank::Custom, 1, {0.25, -0.5}, {2, 3, 1, 2},
                    {1, -1, 0.5, 0.25, 1.0 / 3, -2, 7, 8, 9, 10.5, -11, 1e-7});
    QTest::newRow("channels: the kernel, a custom bank kept aside")
        << "sample:photo" << 0 << "laplacian" << same << 0 << 0 << LessonDisplay{}
        << channels(ui::FilterBank::Kernel, 3, {}, {1, 1, 1, 2}, {0.1, 0.2});
    const auto volume = [](auto change) {
        LessonView v;
        v.view = View::Volume;
        change(v.volume);
        return v;
    };
    QTest::newRow("volume: numbered, box, valid")
        << "csv" << 0 << "box-3" << same << 0 << 0 << LessonDisplay{} << volume([](ui::VolumeSettings &v) {
               v.amount = Amount::Valid;
               v.kernelDepth = 2;
           });
    QTest::newRow("volume: sphere, stacked, same, reflect, strides")
        << "csv" << 0 << "sobel-y" << same << 0 << 0 << LessonDisplay{} << volume([](ui::VolumeSettings &v) {
               v.source = ui::VolumeSource::Sphere;
               v.kernel = ui::VolumeKernel::Stacked;
               v.kernelDepth = 5;
               v.amount = Amount::Same;
               v.fill = Fill::Reflect;
               v.stride = {2, 1, 3};
           });
    QTest::newRow("volume: custom volume and kernel, explicit pads, constant")
        << "csv" << 0 << "box-3" << same << 0 << 0 << LessonDisplay{} << volume([](ui::VolumeSettings &v) {
               v.source = ui::VolumeSource::Custom;
               v.sourceShape = {2, 2, 3, 2};
               for (int i = 0; i < 24; ++i)
                   v.sourceValues.push_back(i / 7.0 - 1);
               v.kernel = ui::VolumeKernel::Custom;
               v.kernelShape = {1, 2, 2};
               v.kernelWeights = {1, -1, 0.5, 1e-3};
               v.pads = {0, 1, 2, 3, 4, 5};
               v.fill = Fill::Constant;
               v.fillValue = -2.75;
               v.dilation = {1, 2, 2};
           });
    QTest::newRow("volume: full, circular, custom arrays kept aside")
        << "csv" << 0 << "box-3" << same << 0 << 0 << LessonDisplay{} << volume([](ui::VolumeSettings &v) {
               v.amount = Amount::Full;
               v.fill = Fill::Circular;
               v.sourceShape = {1, 1, 1, 2};
               v.sourceValues = {3, 4};
               v.kernelShape = {1, 1, 1};
               v.kernelWeights = {0.5};
           });
}

void TestLesson::roundTrip()
{
    QFETCH(QString, input);
    QFETCH(int, channel);
    QFETCH(QString, kernel);
    QFETCH(core::ConvSpec, spec);
    QFETCH(int, stepRow);
    QFETCH(int, stepCol);
    QFETCH(LessonDisplay, display);
    QFETCH(LessonView, view);

    Session original;
    if (input == QLatin1String("csv")) {
        QVERIFY(original.openFile(writeFile(QStringLiteral("lessons/rt.csv"),
                                            "0.1,2,3.5,-4\n5,6e-7,7,8\n9,10,11.125,12\n"
                                            "13,14,15,16\n17,18,19,20\n")));
    } else if (input.startsWith(QLatin1String("sample:"))) {
        const QString id = input.mid(7);
        original.setSource(ui::makeSample(id), id);
    } else {
        const QStringList size = input.mid(6).split(QLatin1Char('x'));
        QImage image(size[0].toInt(), size[1].toInt(), QImage::Format_Grayscale8);
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                image.scanLine(y)[x] = uchar((x * 7 + y * 13) % 256);
        const QString path = m_dir.filePath(QStringLiteral("lessons/pictures/wide.png"));
        QDir().mkpath(QFileInfo(path).absolutePath());
        QVERIFY(image.save(path));
        QVERIFY(original.openFile(path));
    }
    original.setChannel(Session::Channel(channel));
    original.setKernel(core::loadKernel(kernel.toStdString()));
    original.setSpec(spec);
    QCOMPARE(original.spec(), spec);
    QVERIFY(original.waitUntilIdle());
    original.setStepCell(stepRow, stepCol);
    QCOMPARE(original.stepCell(), QPoint(stepCol, stepRow));
    original.setCompareBy(view.compareBy);
    original.setCompareReference(view.compareReference);
    original.setStageCount(view.stageCount);
    original.setPlotStyle(view.plotStyle);
    original.setSignalFilters(view.signalFilters);
    original.setSignalBias(view.signalBias);
    original.setLayerStack(view.layerInputShape, view.layerSpec);
    original.setView(view.view);
    // Every other view's settings (the Channels view's bank, the Volume view's volume, ...).
    original.setViewSettings(view);
    QCOMPARE(original.viewSettings(), view);

    Lesson lesson = ui::lessonFromSession(original, display);
    lesson.title = QStringLiteral("Padding on ") + input;
    lesson.explanation = QStringLiteral("Watch the edges.\nLine two: ü");
    const QString path = m_dir.filePath(QStringLiteral("lessons/roundtrip.padlab.json"));
    QDir().mkpath(QFileInfo(path).absolutePath());
    QString error;
    QVERIFY2(ui::writeLesson(lesson, path, &error), qPrintable(error));

    const std::optional<Lesson> read = ui::readLesson(path, &error);
    QVERIFY2(read, qPrintable(error));
    QCOMPARE(read->title, lesson.title);
    QCOMPARE(read->explanation, lesson.explanation);
    QCOMPARE(read->display, display);
    QCOMPARE(read->inputPath, lesson.inputPath);

    Session reopened;
    QVERIFY2(ui::applyLesson(*read, reopened, &error), qPrintable(error));
    QVERIFY(reopened.waitUntilIdle());
    QVERIFY(identical(reopened.source(), original.source()));
    QVERIFY(identical(reopened.input(), original.input()));
    QVERIFY(identical(reopened.kernel(), original.kernel()));
    QCOMPARE(reopened.channel(), original.channel());
    QCOMPARE(reopened.spec(), original.spec());
    QCOMPARE(reopened.inputName(), original.inputName());
    QCOMPARE(reopened.stepCell(), original.stepCell());
    QVERIFY(identical(reopened.result().output, original.result().output));
    QCOMPARE(reopened.window().sum, original.window().sum);
    QCOMPARE(read->view, view);
    QCOMPARE(reopened.view(), view.view);
    QCOMPARE(reopened.compareBy(), view.compareBy);
    QCOMPARE(reopened.compareReference(), view.compareReference);
    QCOMPARE(reopened.stageCount(), view.stageCount);
    QCOMPARE(reopened.plotStyle(), view.plotStyle);
    QCOMPARE(reopened.signalFilters(), view.signalFilters);
    QCOMPARE(reopened.signalBias(), view.signalBias);
    QCOMPARE(reopened.layerInputShape(), view.layerInputShape);
    QCOMPARE(reopened.layerSpec(), view.layerSpec);
    QCOMPARE(reopened.viewSettings(), original.viewSettings());
    QCOMPARE(reopened.filterBank(), view.bank);
    QCOMPARE(reopened.bias(), view.bias);
    QCOMPARE(reopened.volumeSettings(), view.volume);
}

void TestLesson::csvValuesExact_data()
{
    QTest::addColumn<QByteArray>("csv");

    QTest::newRow("decimal fractions")
        << QByteArray("0.1,0.2,0.30000000000000004\n-0.7,1e-5,2.5\n");
    QTest::newRow("thirds and pi") << QByteArray("0.3333333333333333,3.141592653589793\n"
                                                 "2.718281828459045,-1.4142135623730951\n");
    QTest::newRow("extremes") << QByteArray("1e-300,-1.7976931348623157e308\n"
                                            "4.9406564584124654e-324,123456789012345678\n");
    QTest::newRow("one row signal") << QByteArray("1.05,2.15,3.25,4.35,5.45,6.55,7.65\n");
}

void TestLesson::csvValuesExact()
{
    QFETCH(QByteArray, csv);

    const QString csvPath = writeFile(QStringLiteral("exact.csv"), csv);
    const cv::Mat expected = core::readCsvFile(csvPath.toStdString());
    Session session;
    QVERIFY(session.openFile(csvPath));
    session.setKernel(cv::Mat::ones(1, 1, CV_64F));
    const QString path = m_dir.filePath(QStringLiteral("exact.padlab.json"));
    QString error;
    QVERIFY2(ui::writeLesson(ui::lessonFromSession(session), path, &error), qPrintable(error));
    // Embedded as numbers, so the lesson does not need the CSV file any more.
    QVERIFY(QFile::remove(csvPath));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject input
        = QJsonDocument::fromJson(file.readAll()).object()[QStringLiteral("input")].toObject();
    QVERIFY(input.contains(QStringLiteral("matrix")));

    const std::optional<Lesson> read = ui::readLesson(path, &error);
    QVERIFY2(read, qPrintable(error));
    QVERIFY(identical(read->input, expected));
    Session reopened;
    QVERIFY2(ui::applyLesson(*read, reopened, &error), qPrintable(error));
    QVERIFY(identical(reopened.input(), expected));
}

void TestLesson::relativePath_data()
{
    QTest::addColumn<QString>("image"); // where the image is, relative to the lesson's folder
    QTest::addColumn<QString>("written"); // what the lesson says
    QTest::addColumn<bool>("inside"); // read without the user's say

    QTest::newRow("beside the lesson") << "wide.png"
                                       << "wide.png" << true;
    QTest::newRow("in a subfolder") << "images/wide.png"
                                    << "images/wide.png" << true;
    QTest::newRow("in a sibling folder") << "../shared/wide.png"
                                         << "../shared/wide.png" << false;
}

void TestLesson::relativePath()
{
    QFETCH(QString, image);
    QFETCH(QString, written);
    QFETCH(bool, inside);

    QTemporaryDir root;
    QVERIFY(root.isValid());
    const QString lessonFolder = root.filePath(QStringLiteral("course/lessons"));
    QVERIFY(QDir().mkpath(lessonFolder));
    const QString imagePath = QDir::cleanPath(lessonFolder + QLatin1Char('/') + image);
    QVERIFY(QDir().mkpath(QFileInfo(imagePath).absolutePath()));
    QImage picture(ui::kMaxEmbeddedSide + 20, 12, QImage::Format_Grayscale8);
    for (int y = 0; y < picture.height(); ++y)
        for (int x = 0; x < picture.width(); ++x)
            picture.scanLine(y)[x] = uchar(x ^ y);
    QVERIFY(picture.save(imagePath));

    Session session;
    QVERIFY(session.openFile(imagePath));
    const QString lessonPath = lessonFolder + QStringLiteral("/edge.padlab.json");
    QString error;
    QVERIFY2(ui::writeLesson(ui::lessonFromSession(session), lessonPath, &error),
             qPrintable(error));
    QFile file(lessonPath);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(lookup(QJsonDocument::fromJson(file.readAll()).object(), QStringLiteral("input.path"))
                 .toString(),
             written);
    file.close();

    // The whole course moves elsewhere and is opened from an unrelated working folder.
    const QString moved = root.filePath(QStringLiteral("moved"));
    QVERIFY(QDir().rename(root.filePath(QStringLiteral("course")), moved));
    const QString previous = QDir::currentPath();
    QVERIFY(QDir::setCurrent(QDir::rootPath()));
    const QString movedLesson = moved + QStringLiteral("/lessons/edge.padlab.json");
    QString outside;
    const std::optional<Lesson> refused = ui::readLesson(movedLesson, &error, false, &outside);
    QCOMPARE(refused.has_value(), inside);
    QCOMPARE(outside, inside ? QString() : written);
    const std::optional<Lesson> read = ui::readLesson(movedLesson, &error, !inside);
    QDir::setCurrent(previous);
    QVERIFY2(read, qPrintable(error));
    QCOMPARE(read->inputPath, QDir::cleanPath(moved + QStringLiteral("/lessons/") + image));
    QVERIFY(identical(read->input, session.source()));

    // Without the image the lesson names the path it looked for.
    QVERIFY(QFile::remove(read->inputPath));
    QVERIFY(!ui::readLesson(moved + QStringLiteral("/lessons/edge.padlab.json"), &error, !inside));
    QVERIFY2(error.contains(QStringLiteral("input.path")), qPrintable(error));
    QVERIFY2(error.contains(QDir::toNativeSeparators(read->inputPath)), qPrintable(error));
}

void TestLesson::malformedField_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QJsonValue>("value"); // Undefined: the key is removed
    QTest::addColumn<QString>("message");

    const QJsonValue removed(QJsonValue::Undefined);
    const auto rows = [](std::initializer_list<QJsonValue> values) { return QJsonArray(values); };
    QTest::newRow("title not text") << "title" << QJsonValue(5) << "title: expected text";
    QTest::newRow("explanation not text")
        << "explanation" << QJsonValue(rows({1})) << "explanation: expected text";
    QTest::newRow("input missing") << "input" << removed << "input: missing";
    QTest::newRow("input not an object")
        << "input" << QJsonValue("digit.png") << "input: expected an object";
    QTest::newRow("input with two sources")
        << "input" << QJsonValue(QJsonObject{{"png", "iVBO"}, {"matrix", rows({rows({1})})}})
        << "input: expected exactly one of path, png, matrix or channels";
    QTest::newRow("input channels of different sizes")
        << "input" << QJsonValue(QJsonObject{{"channels", rows({rows({rows({1, 2})}), rows({rows({3})})})}})
        << "input.channels[1]: expected 1 × 2 like channel 0";
    QTest::newRow("input channels seventeen")
        << "input" << QJsonValue(QJsonObject{{"channels", QJsonArray(std::initializer_list<QJsonValue>{
                                                              rows({rows({1})}), rows({rows({1})}), rows({rows({1})}),
                                                              rows({rows({1})}), rows({rows({1})}), rows({rows({1})}),
                                                              rows({rows({1})}), rows({rows({1})}), rows({rows({1})}),
                                                              rows({rows({1})}), rows({rows({1})}), rows({rows({1})}),
                                                              rows({rows({1})}), rows({rows({1})}), rows({rows({1})}),
                                                              rows({rows({1})}), rows({rows({1})})})}})
        << "input.channels: expected a list of 1 to 16 matrices";
    QTest::newRow("input channels empty") << "input" << QJsonValue(QJsonObject{{"channels", QJsonArray()}})
                                          << "input.channels: expected a list of 1 to 16 matrices";
    QTest::newRow("input channel ragged")
        << "input" << QJsonValue(QJsonObject{{"channels", rows({rows({rows({1, 2}), rows({3})})})}})
        << "input.channels[0]: expected a non-empty array of rows";
    QTest::newRow("input without a source") << "input" << QJsonValue(QJsonObject{{"name", "x"}})
                                            << "input: expected exactly one of path, png, matrix or channels";
    QTest::newRow("input name not text")
        << "input" << QJsonValue(QJsonObject{{"name", 3}, {"matrix", rows({rows({1})})}})
        << "input.name: expected text";
    QTest::newRow("input png not base64")
        << "input" << QJsonValue(QJsonObject{{"png", "**not base64**"}})
        << "input.png: expected a base64-encoded PNG image";
    QTest::newRow("input png not an image")
        << "input"
        << QJsonValue(QJsonObject{{"png", QString::fromLatin1(QByteArray("hello").toBase64())}})
        << "input.png: expected a base64-encoded PNG image";
    QTest::newRow("input matrix ragged")
        << "input" << QJsonValue(QJsonObject{{"matrix", rows({rows({1, 2}), rows({3})})}})
        << "input.matrix: expected a non-empty array of rows";
    QTest::newRow("input depth unknown")
        << "input" << QJsonValue(QJsonObject{{"matrix", rows({rows({1})})}, {"depth", "int8"}})
        << "input.depth: expected float32 or float64";
    QTest::newRow("input path to nothing")
        << "input" << QJsonValue(QJsonObject{{"path", "missing/nowhere.png"}})
        << "input.path: no such file: "
            + QDir::toNativeSeparators(
                QDir::cleanPath(m_dir.filePath(QStringLiteral("missing/nowhere.png"))));
    QTest::newRow("channel unknown")
        << "channel" << QJsonValue("alpha") << "channel: expected one of gray, red, green, blue";
    QTest::newRow("kernel missing") << "kernel" << removed << "kernel: missing";
    QTest::newRow("kernel empty") << "kernel" << QJsonValue(QJsonArray())
                                  << "kernel: expected a non-empty array";
    QTest::newRow("kernel ragged") << "kernel" << QJsonValue(rows({rows({1, 2}), rows({3})}))
                                   << "kernel: expected a non-empty array";
    QTest::newRow("kernel text cell") << "kernel" << QJsonValue(rows({rows({1, "a"})}))
                                      << "kernel: row 1, column 2 is not a number";
    QTest::newRow("amount unknown word")
        << "amount" << QJsonValue("middle") << "amount: expected valid, same, full, causal";
    QTest::newRow("amount negative side") << "amount" << QJsonValue(rows({1, -1, 0, 0}))
                                          << "amount: expected valid, same, full, causal";
    QTest::newRow("amount three sides")
        << "amount" << QJsonValue(rows({1, 1, 1})) << "amount: expected valid, same, full, causal";
    QTest::newRow("fill unknown") << "fill" << QJsonValue("mirror")
                                  << "fill: expected one of zeros, constant, reflect";
    QTest::newRow("fill not text") << "fill" << QJsonValue(2) << "fill: expected one of";
    QTest::newRow("value text") << "value" << QJsonValue("zero") << "value: expected a number";
    QTest::newRow("stride one number")
        << "stride" << QJsonValue(2) << "stride: expected two whole numbers >= 1";
    QTest::newRow("stride zero") << "stride" << QJsonValue(rows({0, 1}))
                                 << "stride: expected two whole numbers >= 1";
    QTest::newRow("stride fraction")
        << "stride" << QJsonValue(rows({1.5, 1})) << "stride: expected two whole numbers >= 1";
    QTest::newRow("dilation text")
        << "dilation" << QJsonValue("2x2") << "dilation: expected two whole numbers >= 1";
    QTest::newRow("dilation three numbers")
        << "dilation" << QJsonValue(rows({1, 1, 1})) << "dilation: expected two whole numbers >= 1";
    QTest::newRow("operation unknown") << "operation" << QJsonValue("multiplication")
                                       << "operation: expected one of correlation, convolution";
    QTest::newRow("step negative")
        << "step" << QJsonValue(rows({-1, 0})) << "step: expected two whole numbers >= 0";
    QTest::newRow("step outside the output")
        << "step" << QJsonValue(rows({5, 0}))
        << "step: output cell [5, 0] is outside the 5 × 5 output";
    QTest::newRow("display not an object")
        << "display" << QJsonValue("big") << "display: expected an object";
    QTest::newRow("display output scale unknown")
        << "display.outputScale" << QJsonValue("rainbow")
        << "display.outputScale: expected one of diverging, absolute, clip, stretch";
    QTest::newRow("display font scale too large")
        << "display.fontScale" << QJsonValue(50)
        << "display.fontScale: expected a number from 0.75 to 3";
    QTest::newRow("display cell size text") << "display.cellSize" << QJsonValue("huge")
                                            << "display.cellSize: expected \"fit\" or a number";
    QTest::newRow("view not an object") << "view" << QJsonValue(3) << "view: expected an object";
    QTest::newRow("view name unknown")
        << "view.name" << QJsonValue("gallery")
        << "view.name: expected one of window, signal, compare, stages, layers";
    QTest::newRow("view compare by unknown") << "view.compareBy" << QJsonValue("colour")
                                             << "view.compareBy: expected one of fill, amount";
    QTest::newRow("view reference past the fills")
        << "view.compareReference" << QJsonValue(6)
        << "view.compareReference: expected a whole number from 0 to 5";
    QTest::newRow("view stages zero") << "view.stages" << QJsonValue(0)
                                      << "view.stages: expected a whole number from 1 to 20";
    QTest::newRow("view stages 21") << "view.stages" << QJsonValue(21)
                                    << "view.stages: expected a whole number from 1 to 20";
    QTest::newRow("view plot unknown") << "view.plot" << QJsonValue("bars")
                                       << "view.plot: expected one of stem, line";
    QTest::newRow("view layers text")
        << "view.layers" << QJsonValue("conv2d:8:3")
        << "view.layers: expected an object with the strings input (LxC, HxWxC or DxHxWxC) and spec";
    QTest::newRow("view layers bad spec")
        << "view.layers"
        << QJsonValue(QJsonObject{{"input", "28x28x1"}, {"spec", "conv2d:8:3,pool"}})
        << "view.layers.spec: ";
    QTest::newRow("view layers bad shape")
        << "view.layers" << QJsonValue(QJsonObject{{"input", "28"}, {"spec", "flatten"}})
        << "view.layers.input: ";

    // The Channels view's settings.
    const QJsonObject customBank{{"bank", "custom"}, {"shape", rows({2, 1, 3, 3})}};
    const auto with = [](const QJsonValue &object, const char *key, const QJsonValue &v) {
        QJsonObject o = object.toObject();
        o[QLatin1String(key)] = v;
        return QJsonValue(o);
    };
    QJsonArray eighteen;
    for (int i = 0; i < 18; ++i)
        eighteen.append(i);
    QTest::newRow("channels not an object")
        << "view.channels" << QJsonValue("edges") << "view.channels: expected an object";
    QTest::newRow("channels bank unknown")
        << "view.channels.bank" << QJsonValue("sharpen")
        << "view.channels.bank: expected one of edges, identity, blur, kernel, custom";
    QTest::newRow("channels groups zero") << "view.channels.groups" << QJsonValue(0)
                                          << "view.channels.groups: expected a whole number from 1 to 4096";
    QTest::newRow("channels groups fraction") << "view.channels.groups" << QJsonValue(1.5)
                                              << "view.channels.groups: expected a whole number from 1 to 4096";
    QTest::newRow("channels groups huge") << "view.channels.groups" << QJsonValue(1e12)
                                          << "view.channels.groups: expected a whole number from 1 to 4096";
    QTest::newRow("channels bias one number")
        << "view.channels.bias" << QJsonValue(0.5) << "view.channels.bias: expected a list of at most";
    QTest::newRow("channels bias text item")
        << "view.channels.bias" << QJsonValue(rows({1, "x"})) << "view.channels.bias: item 2 is not a number";
    QTest::newRow("channels custom without weights")
        << "view.channels.bank" << QJsonValue("custom") << "view.channels.shape: missing";
    QTest::newRow("channels shape without weights")
        << "view.channels" << QJsonValue(customBank) << "view.channels.weights: missing";
    QTest::newRow("channels weights without shape")
        << "view.channels" << QJsonValue(QJsonObject{{"bank", "edges"}, {"weights", rows({1})}})
        << "view.channels.shape: missing";
    QTest::newRow("channels shape three axes")
        << "view.channels" << with(with(customBank, "shape", rows({2, 3, 3})), "weights", eighteen)
        << "view.channels.shape: expected 4 whole numbers >= 1";
    QTest::newRow("channels shape with a zero axis")
        << "view.channels" << with(with(customBank, "shape", rows({2, 0, 3, 3})), "weights", QJsonArray())
        << "view.channels.shape: expected 4 whole numbers >= 1";
    QTest::newRow("channels shape overflowing")
        << "view.channels"
        << with(with(customBank, "shape", rows({65536, 65536, 65536, 65536})), "weights", eighteen)
        << "view.channels.shape: expected 4 whole numbers >= 1 with at most 1048576 cells in all";
    QTest::newRow("channels shape beyond int")
        << "view.channels" << with(with(customBank, "shape", rows({4294967296.0, 1, 1, 1})), "weights", eighteen)
        << "view.channels.shape: expected 4 whole numbers >= 1";
    QTest::newRow("channels weights too few")
        << "view.channels" << with(customBank, "weights", rows({1, 2, 3}))
        << "view.channels.weights: expected a list of 18 numbers";
    QTest::newRow("channels weights not numbers")
        << "view.channels" << with(customBank, "weights", QJsonValue("1,2,3"))
        << "view.channels.weights: expected a list of 18 numbers";
    QJsonArray seventeen = eighteen;
    seventeen.append(QJsonValue::Null);
    seventeen.removeFirst();
    QTest::newRow("channels weight null")
        << "view.channels" << with(customBank, "weights", seventeen) << "view.channels.weights: item 18 is not a number";

    // The Volume view's settings.
    const QJsonObject customVolume{{"source", "custom"}, {"sourceShape", rows({1, 2, 2, 2})}};
    const QJsonObject customKernel{{"kernel", "custom"}, {"kernelShape", rows({1, 2, 2})}};
    QTest::newRow("volume not an object")
        << "view.volume" << QJsonValue(rows({1})) << "view.volume: expected an object";
    QTest::newRow("volume source unknown") << "view.volume.source" << QJsonValue("cube")
                                           << "view.volume.source: expected one of numbered, sphere, custom";
    QTest::newRow("volume custom without values")
        << "view.volume.source" << QJsonValue("custom") << "view.volume.sourceShape: missing";
    QTest::newRow("volume shape without values")
        << "view.volume" << QJsonValue(customVolume) << "view.volume.sourceValues: missing";
    QTest::newRow("volume shape three axes")
        << "view.volume" << with(with(customVolume, "sourceShape", rows({2, 2, 2})), "sourceValues", rows({1}))
        << "view.volume.sourceShape: expected 4 whole numbers >= 1";
    QTest::newRow("volume beyond the view's cells")
        << "view.volume" << with(with(customVolume, "sourceShape", rows({1, 16, 16, 17})), "sourceValues", rows({1}))
        << "view.volume.sourceShape: expected 4 whole numbers >= 1 with at most 4096 cells in all";
    QTest::newRow("volume shape overflowing")
        << "view.volume"
        << with(with(customVolume, "sourceShape", rows({2147483647, 2147483647, 2147483647, 2})), "sourceValues",
                rows({1}))
        << "view.volume.sourceShape: expected 4 whole numbers >= 1 with at most 4096 cells in all";
    QTest::newRow("volume values too many")
        << "view.volume" << with(customVolume, "sourceValues", rows({1, 2, 3, 4, 5, 6, 7, 8, 9}))
        << "view.volume.sourceValues: expected a list of 8 numbers";
    QTest::newRow("volume value text")
        << "view.volume" << with(customVolume, "sourceValues", rows({1, 2, 3, 4, 5, 6, 7, "8"}))
        << "view.volume.sourceValues: item 8 is not a number";
    QTest::newRow("volume kernel unknown") << "view.volume.kernel" << QJsonValue("gauss")
                                           << "view.volume.kernel: expected one of box, stacked, custom";
    QTest::newRow("volume kernel depth six") << "view.volume.kernelDepth" << QJsonValue(6)
                                             << "view.volume.kernelDepth: expected a whole number from 1 to 5";
    QTest::newRow("volume kernel depth zero") << "view.volume.kernelDepth" << QJsonValue(0)
                                              << "view.volume.kernelDepth: expected a whole number from 1 to 5";
    QTest::newRow("volume custom kernel without weights")
        << "view.volume.kernel" << QJsonValue("custom") << "view.volume.kernelShape: missing";
    QTest::newRow("volume kernel shape two axes")
        << "view.volume" << with(with(customKernel, "kernelShape", rows({2, 2})), "kernelWeights", rows({1, 2, 3, 4}))
        << "view.volume.kernelShape: expected 3 whole numbers >= 1";
    QTest::newRow("volume kernel weights too few")
        << "view.volume" << with(customKernel, "kernelWeights", rows({1, 2, 3}))
        << "view.volume.kernelWeights: expected a list of 4 numbers";
    QTest::newRow("volume amount causal")
        << "view.volume.amount" << QJsonValue("causal")
        << "view.volume.amount: expected one of valid, same, full, explicit";
    QTest::newRow("volume pads five") << "view.volume.pads" << QJsonValue(rows({1, 1, 1, 1, 1}))
                                      << "view.volume.pads: expected 6 whole numbers from 0 to 64";
    QTest::newRow("volume pad negative") << "view.volume.pads" << QJsonValue(rows({1, 1, 1, 1, 1, -1}))
                                         << "view.volume.pads: expected 6 whole numbers from 0 to 64";
    QTest::newRow("volume pad huge") << "view.volume.pads" << QJsonValue(rows({1, 1, 1, 1, 1, 65}))
                                     << "view.volume.pads: expected 6 whole numbers from 0 to 64";
    QTest::newRow("volume fill unknown") << "view.volume.fill" << QJsonValue("mirror")
                                         << "view.volume.fill: expected one of zeros, constant, reflect";
    QTest::newRow("volume value text") << "view.volume.value" << QJsonValue("two")
                                       << "view.volume.value: expected a number";
    QTest::newRow("volume stride zero") << "view.volume.stride" << QJsonValue(rows({0, 1, 1}))
                                        << "view.volume.stride: expected 3 whole numbers from 1 to 64";
    QTest::newRow("volume dilation two numbers") << "view.volume.dilation" << QJsonValue(rows({1, 1}))
                                                 << "view.volume.dilation: expected 3 whole numbers from 1 to 64";
}

void TestLesson::malformedField()
{
    QFETCH(QString, key);
    QFETCH(QJsonValue, value);
    QFETCH(QString, message);

    QJsonObject object = validLesson();
    QString error;
    // The unchanged lesson is read, so the refusal below is the field's doing.
    const QString validPath
        = writeFile(QStringLiteral("unchanged.padlab.json"), QJsonDocument(object).toJson());
    QVERIFY2(ui::readLesson(validPath, &error), qPrintable(error));

    setKey(object, key.split(QLatin1Char('.')), value);
    const QString path
        = writeFile(QStringLiteral("malformed.padlab.json"), QJsonDocument(object).toJson());
    QVERIFY(!ui::readLesson(path, &error));
    QVERIFY2(error.startsWith(QDir::toNativeSeparators(path)), qPrintable(error));
    QVERIFY2(error.contains(message), qPrintable(error));
}

void TestLesson::lessonWithoutViewOpensWindow()
{
    // Lessons saved before the teaching views existed have no "view" object.
    QJsonObject object = validLesson();
    QVERIFY(object.contains(QStringLiteral("view")));
    object.remove(QStringLiteral("view"));
    const QString path
        = writeFile(QStringLiteral("older.padlab.json"), QJsonDocument(object).toJson());
    QString error;
    const std::optional<Lesson> lesson = ui::readLesson(path, &error);
    QVERIFY2(lesson, qPrintable(error));

    Session session;
    session.setView(Session::View::Stages);
    session.setStageCount(9);
    QVERIFY2(ui::applyLesson(*lesson, session, &error), qPrintable(error));
    QCOMPARE(session.view(), Session::View::Window);
    QCOMPARE(session.stageCount(), LessonView{}.stageCount);
    QCOMPARE(session.layerSpec(), QString::fromLatin1(Session::kDefaultLayerSpec));
}

void TestLesson::lessonWithoutNewViewKeysKeepsDefaults()
{
    // Lessons saved before the Channels and Volume views were kept: their view object has
    // neither key, and those views open as they start.
    QJsonObject object = validLesson();
    QJsonObject view = object.value(QStringLiteral("view")).toObject();
    QVERIFY(view.contains(QStringLiteral("channels")) && view.contains(QStringLiteral("volume")));
    view.remove(QStringLiteral("channels"));
    view.remove(QStringLiteral("volume"));
    view[QStringLiteral("name")] = QStringLiteral("channels");
    object[QStringLiteral("view")] = view;
    const QString path = writeFile(QStringLiteral("before-volume.padlab.json"), QJsonDocument(object).toJson());
    QString error;
    const std::optional<Lesson> lesson = ui::readLesson(path, &error);
    QVERIFY2(lesson, qPrintable(error));

    Session session;
    ui::VolumeSettings volume;
    volume.source = ui::VolumeSource::Sphere;
    session.setVolumeSettings(volume);
    session.setFilterBank(ui::FilterBank::Blur);
    session.setBias({3});
    QVERIFY2(ui::applyLesson(*lesson, session, &error), qPrintable(error));
    QCOMPARE(session.view(), Session::View::Channels);
    QCOMPARE(session.filterBank(), LessonView{}.bank);
    QCOMPARE(session.groups(), 1);
    QVERIFY(session.bias().empty());
    QCOMPARE(session.volumeSettings(), ui::VolumeSettings{});
}

void TestLesson::tensorInputKeepsChannels_data()
{
    QTest::addColumn<int>("channels");
    QTest::addColumn<int>("cols");
    QTest::addColumn<bool>("byPath");
    QTest::newRow("small, embedded as channels") << 4 << 5 << false;
    QTest::newRow("one channel, embedded") << 1 << 3 << false;
    QTest::newRow("wide, referenced by path") << 3 << 300 << true;
}

void TestLesson::tensorInputKeepsChannels()
{
    QFETCH(int, channels);
    QFETCH(int, cols);
    QFETCH(bool, byPath);
    core::NdArray array;
    array.shape = {channels, 3, cols};
    for (int i = 0; i < channels * 3 * cols; ++i)
        array.values.push_back(i / 3.0 - 7);
    const std::string npy = core::formatNpy(array);
    const QString npyPath = writeFile(QStringLiteral("tensors/t%1.npy").arg(QTest::currentDataTag()).replace(' ', '-'),
                                      QByteArray::fromStdString(npy));
    Session original;
    QVERIFY(original.openFile(npyPath));
    QVERIFY(original.isTensor());
    original.setView(Session::View::Channels);

    const Lesson lesson = ui::lessonFromSession(original);
    QCOMPARE(lesson.tensor, true);
    const QString path = m_dir.filePath(QStringLiteral("tensors/tensor.padlab.json"));
    QString error;
    QVERIFY2(ui::writeLesson(lesson, path, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject input = QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("input")).toObject();
    QCOMPARE(input.contains(QStringLiteral("path")), byPath);
    QCOMPARE(input.contains(QStringLiteral("channels")), !byPath);

    const std::optional<Lesson> read = ui::readLesson(path, &error);
    QVERIFY2(read, qPrintable(error));
    Session reopened;
    QVERIFY2(ui::applyLesson(*read, reopened, &error), qPrintable(error));
    QVERIFY(reopened.waitUntilIdle());
    QVERIFY(reopened.isTensor());
    QCOMPARE(reopened.source().channels(), channels);
    QVERIFY(identical(reopened.source(), original.source()));
    QVERIFY(identical(reopened.input(), original.input()));
    QCOMPARE(reopened.view(), Session::View::Channels);
}

void TestLesson::notALesson_data()
{
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<QString>("message");

    QTest::newRow("not JSON") << QByteArray("{version: 1") << "not a lesson: not JSON";
    QTest::newRow("an image") << QByteArray("\x89PNG\r\n\x1a\n") << "not a lesson: not JSON";
    QTest::newRow("array") << QByteArray("[1, 2]") << "not a lesson: expected a JSON object";
    QTest::newRow("no version") << QByteArray(R"({"kernel": [[1]]})")
                                << "version: missing; this program reads lesson version 1";
    QTest::newRow("version as text")
        << QByteArray(R"({"version": "1"})")
        << "version: expected a whole number; this program reads lesson version 1";
    QTest::newRow("future version")
        << QByteArray(R"({"version": 2, "input": {"matrix": [[1]]}, "kernel": [[1]]})")
        << "version 2 is not supported; this program reads lesson version 1";
    QTest::newRow("version zero") << QByteArray(
        R"({"version": 0})") << "version 0 is not supported; this program reads lesson version 1";
}

void TestLesson::notALesson()
{
    QFETCH(QByteArray, contents);
    QFETCH(QString, message);

    const QString path = writeFile(QStringLiteral("odd.padlab.json"), contents);
    QString error;
    QVERIFY(!ui::readLesson(path, &error));
    QVERIFY2(error.contains(message), qPrintable(error));
}

void TestLesson::failedSaveKeepsFile_data()
{
    QTest::addColumn<bool>("readOnlyFolder");

    QTest::newRow("unwritable folder") << true;
    // The write stops at the size limit of the process, whoever runs the test.
    QTest::newRow("file size limit reached") << false;
}

void TestLesson::failedSaveKeepsFile()
{
    QFETCH(bool, readOnlyFolder);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // As long as a name may be: the temporary beside it still has a name of its own.
    const QString name = readOnlyFolder ? QStringLiteral("keep.padlab.json")
                                        : QString(250, QLatin1Char('k')) + QStringLiteral(".json");
    const QString path = dir.filePath(name);
    Session session;
    session.setSource(matrix(4, 4, 2, 1), QStringLiteral("first"));
    QString error;
    QVERIFY2(ui::writeLesson(ui::lessonFromSession(session), path, &error), qPrintable(error));
    QFile before(path);
    QVERIFY(before.open(QIODevice::ReadOnly));
    const QByteArray bytes = before.readAll();
    before.close();

    const QFile::Permissions permissions = QFile::permissions(dir.path());
    if (readOnlyFolder) {
        QVERIFY(QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::ExeOwner));
        QFile probe(dir.filePath(QStringLiteral("probe")));
        if (probe.open(QIODevice::WriteOnly)) {
            probe.remove();
            QFile::setPermissions(dir.path(), permissions);
            QSKIP("this user may write into read-only folders");
        }
    }
    session.setSource(matrix(6, 3, -1, 4), QStringLiteral("second"));
    error.clear();
    // A file may grow to 64 bytes only: the lesson's text is longer.
    struct rlimit size = {};
    QCOMPARE(getrlimit(RLIMIT_FSIZE, &size), 0);
    const struct rlimit original = size;
    const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
    if (!readOnlyFolder) {
        size.rlim_cur = 64;
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &size), 0);
    }
    const bool saved = ui::writeLesson(ui::lessonFromSession(session), path, &error);
    setrlimit(RLIMIT_FSIZE, &original);
    std::signal(SIGXFSZ, oldHandler);
    QFile::setPermissions(dir.path(), permissions);
    QVERIFY(!saved);
    QVERIFY2(error.contains(QDir::toNativeSeparators(path)), qPrintable(error));
    QFile after(path);
    QVERIFY(after.open(QIODevice::ReadOnly));
    QCOMPARE(after.readAll(), bytes);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{name});
}

void TestLesson::windowOpensLesson_data()
{
    QTest::addColumn<QString>("route");

    QTest::newRow("File > Open") << "open";
    QTest::newRow("drag and drop") << "drop";
    QTest::newRow("command line") << "argument";
}

void TestLesson::windowOpensLesson()
{
    QFETCH(QString, route);

    const QString path = m_dir.filePath(QStringLiteral("window.padlab.json"));
    core::ConvSpec saved;
    QPoint step;
    double cellSize = 0;
    cv::Mat source;
    {
        MainWindow window;
        window.setErrorDialogsEnabled(false);
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        Session *session = window.session();
        session->setSource(ui::makeSample(QStringLiteral("photo")), QStringLiteral("photo"));
        session->setChannel(Session::Channel::Green);
        session->setPreset(QStringLiteral("sobel-y"));
        saved = spec({core::Amount::Explicit, {2, 0, 1, 1}}, core::Fill::Replicate, 0, {2, 1},
                     {1, 2}, core::Operation::Convolution);
        session->setSpec(saved);
        QVERIFY(session->waitUntilIdle());
        session->setStepCell(3, 5);
        step = session->stepCell();
        source = session->source().clone();
        window.setOutputScale(OutputScale::Stretch);
        window.setFontScale(1.3);
        window.zoomBy(2);
        cellSize = window.cellSize();
        QVERIFY(window.saveLesson(path));
    }

    // Nothing comes from the first window's saved settings or session.
    QSettings().clear();
    QFile::remove(MainWindow::lastSessionPath());
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    window.resize(1400, 900);
    QSignalSpy errors(&window, &MainWindow::errorShown);
    if (route == QLatin1String("argument"))
        window.openFileWhenShown(path);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    if (route == QLatin1String("open")) {
        QVERIFY(window.openFile(path));
    } else if (route == QLatin1String("drop")) {
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(path)});
        const QPoint at = window.rect().center();
        QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &enter);
        QDropEvent drop(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &drop);
    }
    Session *session = window.session();
    QTRY_COMPARE(session->spec(), saved);
    QVERIFY(session->waitUntilIdle());
    QCOMPARE(errors.count(), 0);
    QVERIFY(identical(session->source(), source));
    QCOMPARE(session->channel(), Session::Channel::Green);
    QCOMPARE(session->presetName(), QStringLiteral("sobel-y"));
    QCOMPARE(session->stepCell(), step);
    QCOMPARE(window.outputScale(), OutputScale::Stretch);
    QCOMPARE(window.cellSize(), cellSize);
    QCOMPARE(window.fontScale(), 1.3);
    QVERIFY(window.recentFiles().contains(QFileInfo(path).absoluteFilePath()));
}

void TestLesson::windowRefusesLesson_data()
{
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<QString>("message");

    QTest::newRow("future version")
        << QByteArray(R"({"version": 7, "input": {"matrix": [[1]]}, "kernel": [[1]]})")
        << "version 7 is not supported";
    QTest::newRow("malformed stride")
        << QByteArray(R"({"version": 1, "input": {"matrix": [[1, 2], [3, 4]]}, "kernel": [[1]],)"
                      R"( "stride": [0, 1]})")
        << "stride: expected two whole numbers >= 1";
    QTest::newRow("not JSON") << QByteArray("version = 1") << "not JSON";
}

void TestLesson::windowRefusesLesson()
{
    QFETCH(QByteArray, contents);
    QFETCH(QString, message);

    MainWindow window;
    window.setErrorDialogsEnabled(false);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    Session *session = window.session();
    session->setSource(matrix(6, 6, 3, 0), QStringLiteral("kept"));
    session->setAmount({core::Amount::Full, {}});
    session->setStepCell(2, 3);
    const core::ConvSpec before = session->spec();
    const QPoint step = session->stepCell();
    const QString title = window.windowTitle();

    QSignalSpy errors(&window, &MainWindow::errorShown);
    QVERIFY(!window.openFile(writeFile(QStringLiteral("refused.padlab.json"), contents)));
    QCOMPARE(errors.count(), 1);
    QVERIFY2(errors.first().first().toString().contains(message),
             qPrintable(errors.first().first().toString()));
    QCOMPARE(session->inputName(), QStringLiteral("kept"));
    QCOMPARE(session->spec(), before);
    QCOMPARE(session->stepCell(), step);
    QCOMPARE(window.windowTitle(), title);
}

void TestLesson::inputDecodedOnce()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QImage picture(ui::kMaxEmbeddedSide + 10, 20, QImage::Format_RGB32);
    picture.fill(qRgb(200, 100, 50));
    QVERIFY(picture.save(dir.filePath(QStringLiteral("photo.png"))));
    Session original;
    QVERIFY(original.openFile(dir.filePath(QStringLiteral("photo.png"))));
    QString error;
    const QString path = dir.filePath(QStringLiteral("photo.padlab.json"));
    QVERIFY2(ui::writeLesson(ui::lessonFromSession(original), path, &error), qPrintable(error));
    const std::optional<Lesson> read = ui::readLesson(path, &error);
    QVERIFY2(read, qPrintable(error));
    QVERIFY(!read->inputPath.isEmpty());

    // The image is decoded by readLesson and not again by applyLesson: without the file, the
    // lesson still opens, the path still known for the next save.
    QVERIFY(QFile::remove(read->inputPath));
    Session reopened;
    QVERIFY2(ui::applyLesson(*read, reopened, &error), qPrintable(error));
    QVERIFY(identical(reopened.source(), original.source()));
    QCOMPARE(reopened.source().depth(), CV_8U);
    QCOMPARE(reopened.inputPath(), read->inputPath);
}

void TestLesson::inputErrorsQuoteNothing()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile secret(dir.filePath(QStringLiteral("notes.csv")));
    QVERIFY(secret.open(QIODevice::WriteOnly));
    secret.write("1,2\npassword=hunter2,4\n");
    secret.close();
    QFile lesson(dir.filePath(QStringLiteral("x.padlab.json")));
    QVERIFY(lesson.open(QIODevice::WriteOnly));
    lesson.write(R"({"version": 1, "input": {"path": "notes.csv"}, "kernel": [[1]]})");
    lesson.close();
    QString error;
    QVERIFY(!ui::readLesson(lesson.fileName(), &error));
    QVERIFY2(error.contains(QStringLiteral("line 2, column 1: not a finite number")), qPrintable(error));
    QVERIFY2(!error.contains(QStringLiteral("hunter2")) && !error.contains(QStringLiteral("password")),
             qPrintable(error));
}

void TestLesson::lessonFileOnlyRegular_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("message");
    QTest::newRow("link to /dev/zero") << "zero" << "device";
    QTest::newRow("FIFO") << "fifo" << "FIFO";
    QTest::newRow("folder") << "folder" << "folder";
    QTest::newRow("over 64 MB") << "large" << "64 MB";
}

void TestLesson::lessonFileOnlyRegular()
{
    QFETCH(QString, kind);
    QFETCH(QString, message);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("x.padlab.json"));
    if (kind == QLatin1String("zero"))
        QVERIFY(QFile::link(QStringLiteral("/dev/zero"), path));
    else if (kind == QLatin1String("fifo"))
        QCOMPARE(::mkfifo(QFile::encodeName(path).constData(), 0600), 0);
    else if (kind == QLatin1String("folder"))
        QVERIFY(QDir().mkpath(path));
    else {
        QFile large(path);
        QVERIFY(large.open(QIODevice::WriteOnly) && large.resize(65'000'000));
    }
    QString error;
    QVERIFY(!ui::readLesson(path, &error));
    QVERIFY2(error.contains(message), qPrintable(error));
}

void TestLesson::saveEmbedsOutsideFileOnlyWhenTold_data()
{
    QTest::addColumn<QString>("input"); // where the CSV lies, relative to the test folder
    QTest::addColumn<bool>("embedOutside");
    QTest::addColumn<QString>("written"); // the key of input in the file
    QTest::newRow("inside the lesson's folder") << "course/small.csv" << false << "matrix";
    QTest::newRow("outside, not told") << "small.csv" << false << "path";
    QTest::newRow("outside, told") << "small.csv" << true << "matrix";
}

void TestLesson::saveEmbedsOutsideFileOnlyWhenTold()
{
    QFETCH(QString, input);
    QFETCH(bool, embedOutside);
    QFETCH(QString, written);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("course"))));
    QFile csv(dir.filePath(input));
    QVERIFY(csv.open(QIODevice::WriteOnly));
    csv.write("1.5,2\n3,4\n");
    csv.close();
    Session session;
    QVERIFY(session.openFile(csv.fileName()));
    const Lesson lesson = ui::lessonFromSession(session);
    const QString path = dir.filePath(QStringLiteral("course/saved.padlab.json"));
    QCOMPARE(ui::embedsOutsideFile(lesson, path), !input.startsWith(QLatin1String("course/")));
    QString error;
    QVERIFY2(ui::writeLesson(lesson, path, &error, embedOutside), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject object = QJsonDocument::fromJson(file.readAll()).object();
    QVERIFY2(lookup(object, QStringLiteral("input.") + written).isArray()
                 || lookup(object, QStringLiteral("input.") + written).isString(),
             qPrintable(QJsonDocument(object).toJson()));
    if (written == QLatin1String("path"))
        QCOMPARE(lookup(object, QStringLiteral("input.path")).toString(), QStringLiteral("../small.csv"));
}

void TestLesson::windowAsksBeforeReadingOutside_data()
{
    QTest::addColumn<bool>("answer");
    QTest::newRow("the user allows it") << true;
    QTest::newRow("the user refuses") << false;
}

void TestLesson::windowAsksBeforeReadingOutside()
{
    QFETCH(bool, answer);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("course"))));
    QFile csv(dir.filePath(QStringLiteral("shared.csv")));
    QVERIFY(csv.open(QIODevice::WriteOnly));
    csv.write("1,2,3\n4,5,6\n");
    csv.close();
    QFile lesson(dir.filePath(QStringLiteral("course/outside.padlab.json")));
    QVERIFY(lesson.open(QIODevice::WriteOnly));
    lesson.write(R"({"version": 1, "input": {"path": "../shared.csv"}, "kernel": [[1]]})");
    lesson.close();

    MainWindow window;
    window.setErrorDialogsEnabled(true);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QString asked;
    // Answers the question the window asks, and whatever warning follows a refusal.
    QTimer answering;
    QObject::connect(&answering, &QTimer::timeout, &window, [&] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box)
            return;
        if (box->icon() == QMessageBox::Question) {
            asked = box->text();
            box->button(answer ? QMessageBox::Yes : QMessageBox::No)->click();
        } else {
            box->close();
        }
    });
    answering.start(20);
    const bool opened = window.openFile(lesson.fileName());
    answering.stop();
    QVERIFY2(asked.contains(QStringLiteral("../shared.csv")), qPrintable(asked));
    QCOMPARE(opened, answer);
    QCOMPARE(window.session()->source().cols == 3, answer);
}

QTEST_MAIN(TestLesson)
#include "tst_lesson.moc"

// The Shape panel and the Code tab follow the tab shown: the 2-D convolution on the sliding-window
// tabs, the Channels, Pooling, Transposed and Volume tabs' own operation elsewhere, with its
// arithmetic written out, its framework notes and its code; the NumPy and PyTorch scripts of the
// Code tab, run by python3 on the tab's input, print what the tab computed.
#include "scripttestutil.h"

#include "codepanel.h"
#include "mainwindow.h"
#include "session.h"
#include "shapepanel.h"
#include "sizetext.h"
#include "volumeview.h"

#include "padlab/core/layers.h"
#include "padlab/core/tensor.h"
#include "padlab/core/tensorcsv.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/core.hpp>

#include <cmath>
#include <memory>

using padlab::ui::CodePanel;
using padlab::ui::MainWindow;
using padlab::ui::Part;
using padlab::ui::Session;
using padlab::ui::SnapshotPtr;
using padlab::ui::View;
using padlab::ui::ViewSettings;
using padlab::ui::VolumeView;
namespace core = padlab::core;
namespace test = padlab::test;

namespace {

/// 6 x 6 numbers that differ from cell to cell, some negative; three different planes in colour.
cv::Mat numbers(bool color)
{
    cv::Mat gray(6, 6, CV_64F);
    for (int r = 0; r < gray.rows; ++r)
        for (int c = 0; c < gray.cols; ++c)
            gray.at<double>(r, c) = -7.5 + 3 * r - 2 * c + (r * c) % 4;
    if (!color)
        return gray;
    cv::Mat planes[] = {gray, 10 - 0.5 * gray, gray.mul(gray) / 8};
    cv::Mat merged;
    cv::merge(planes, 3, merged);
    return merged;
}

/// A change of the shown tab's settings, named in the data rows.
void applyChange(Session &session, const QString &change)
{
    ViewSettings view = session.viewSettings();
    if (change == "pool ceil") {
        view.pool.ceil = true;
    } else if (change == "pool average, TensorFlow") {
        view.pool.op = core::PoolOp::Average;
        view.poolRule = padlab::ui::PoolRule::TensorFlow;
    } else if (change == "pool average counted") {
        view.pool.op = core::PoolOp::Average;
        view.pool.window = {2};
        view.pool.stride = {2};
        view.pool.amount.values = {1, 1, 1, 1};
        view.pool.ceil = true;
        view.pool.countPadding = true;
    } else if (change == "convt padding 1 stride 2") {
        view.convtPadding = 1;
        view.convtStride = 2;
    } else if (change == "convt output padding") {
        view.convtPadding = 1;
        view.convtStride = 3;
        view.convtOutputPadding = 2;
    } else if (change == "convt same") {
        view.convtAmount = core::Amount::Same;
        view.convtStride = 2;
    } else if (change == "volume depth stride 2") {
        view.volume.stride = {2, 1, 1};
    } else if (change == "volume stacked, reflect") {
        view.volume.kernel = padlab::ui::VolumeKernel::Stacked;
        view.volume.kernelDepth = 2;
        view.volume.fill = core::Fill::Reflect;
        view.volume.stride = {1, 2, 1};
    } else if (change == "volume stride and dilation") {
        view.volume.stride = {1, 2, 2};
        view.volume.dilation = {1, 2, 2};
    } else if (change == "channels groups 3") {
        view.groups = 3;
    } else if (change == "channels blur, bias") {
        view.bank = padlab::ui::FilterBank::Blur;
        view.groups = 3;
        view.bias = {0.5, -1, 2};
    } else {
        QVERIFY2(change.isEmpty(), qPrintable("unknown change " + change));
    }
    session.setViewSettings(view);
}

/// What the tab computed, as the engine gave it: its input, its output, and their layout.
struct Computed {
    core::Tensor input;
    core::Tensor output;
    QString size; ///< the output's size as the Shape panel writes it
};

QString sizesText(std::vector<int> sizes)
{
    QStringList parts;
    for (int n : sizes)
        parts << QString::number(n);
    return parts.join(QStringLiteral(" × "));
}

Computed computedBy(MainWindow &window, View view)
{
    const SnapshotPtr snapshot = window.session()->snapshot();
    Computed c;
    switch (view) {
    case View::Channels:
        if (snapshot->channels && snapshot->channels->error.isEmpty()) {
            c.input = snapshot->channels->input;
            c.output = snapshot->channels->result.output;
            c.size = sizesText({snapshot->channels->filters(), snapshot->channels->outputRows(),
                                snapshot->channels->outputCols()});
        }
        break;
    case View::Pool:
        if (snapshot->pool && !snapshot->pool->runs.empty() && snapshot->pool->runs[0].ok()) {
            c.input = snapshot->pool->input;
            c.output = snapshot->pool->runs[0].result.output;
            c.size = padlab::ui::sizeText(snapshot->pool->runs[0].outputRows(), snapshot->pool->runs[0].outputCols());
        }
        break;
    case View::Transposed:
        if (snapshot->transposed && snapshot->transposed->ok()) {
            c.input = snapshot->transposed->input;
            c.output = snapshot->transposed->result.output;
            c.size = padlab::ui::sizeText(snapshot->transposed->outputRows(), snapshot->transposed->outputCols());
        }
        break;
    case View::Volume: {
        const auto *volume = window.findChild<VolumeView *>();
        if (volume && volume->volumeSet().ok()) {
            c.input = volume->volumeSet().input;
            c.output = volume->volumeSet().result.output;
            c.size = sizesText({1, volume->volumeSet().outDepth(), volume->volumeSet().outRows(),
                                volume->volumeSet().outCols()});
        }
        break;
    }
    default: break;
    }
    return c;
}

/// The array of @p tensor with its channel axis (CHW or CDHW).
core::NdArray withChannels(const core::Tensor &tensor)
{
    return core::arrayFromTensor(tensor, tensor.shape().spatialRank() == 3 ? core::Layout::CDHW : core::Layout::CHW);
}

} // namespace

class TestShapeCode : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void followsTab_data();
    void followsTab();
    void backToSlidingWindow();
    void signalChannelsAreAConv1D_data();
    void signalChannelsAreAConv1D();
    void followsThePaintedSnapshot();
    void scriptPrintsWhatTheTabComputed_data();
    void scriptPrintsWhatTheTabComputed();
    void refusesWhereTheFrameworkCannot_data();
    void refusesWhereTheFrameworkCannot();

private:
    std::unique_ptr<MainWindow> makeWindow(bool color);
    void showTab(MainWindow &window, View view);

    QTemporaryDir m_dir;
    bool m_numpy = false;
    bool m_torch = false;
};

void TestShapeCode::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("PadLab"));
    QCoreApplication::setApplicationName(QStringLiteral("PadLabShapeCodeTest"));
    QVERIFY(m_dir.isValid());
    m_numpy = test::runProcess(test::kPython, {"-c", "import numpy"}).exitCode == 0;
    m_torch = test::runProcess(test::kPython, {"-c", "import torch"}).exitCode == 0;
}

void TestShapeCode::init()
{
    // Nothing comes from an earlier window: neither its settings nor the session it closed with.
    QSettings().clear();
    QFile::remove(MainWindow::lastSessionPath());
}

std::unique_ptr<MainWindow> TestShapeCode::makeWindow(bool color)
{
    auto window = std::make_unique<MainWindow>();
    window->setErrorDialogsEnabled(false);
    window->resize(1600, 1000);
    window->show();
    Session *session = window->session();
    session->setSource(numbers(color), QStringLiteral("numbers"));
    session->setPreset(QStringLiteral("sobel-x"));
    core::ConvSpec spec;
    spec.amount.kind = core::Amount::Same;
    session->setSpec(spec);
    session->waitUntilIdle();
    return window;
}

void TestShapeCode::showTab(MainWindow &window, View view)
{
    window.viewTabs()->setCurrentIndex(int(view));
    QCOMPARE(window.session()->view(), view);
    window.session()->waitUntilIdle();
}

void TestShapeCode::followsTab_data()
{
    QTest::addColumn<int>("view");
    QTest::addColumn<bool>("color");
    QTest::addColumn<QString>("change");
    QTest::addColumn<QString>("title");
    QTest::addColumn<QStringList>("shapeHas");
    QTest::addColumn<QStringList>("codeHas");

    // The default pooling: 3 x 3 max, stride 2, pads 1: out = floor((6 + 1 + 1 - 3) / 2) + 1 = 3;
    // ceil_mode rounds 5 / 2 up: 4, and the last window starts at 6 < n + before = 7, so it stays.
    QTest::newRow("pooling ceil_mode")
        << int(View::Pool) << false << "pool ceil" << "Max pooling, PyTorch's rule"
        << QStringList{"out = ceil((6 + 1 + 1 - 3) / 2) + 1 = 4", "ceil_mode's last window (output cell 3) reads past the padded input",
                       "PyTorch:", "TensorFlow"}
        << QStringList{"F.max_pool2d(", "ceil_mode=True"};
    // TensorFlow's rule pools same, not the view's explicit pads, and never counts the padding.
    QTest::newRow("pooling average under TensorFlow's rule")
        << int(View::Pool) << false << "pool average, TensorFlow" << "Average pooling, TensorFlow's rule"
        << QStringList{"same: out = ceil(6 / 2) = 3", "not counted", "TensorFlow pads valid or same"}
        << QStringList{"cannot express"};
    // Stamps (6 - 1)*2 + 3 = 13 cells long, one cropped on each side: 11.
    QTest::newRow("transposed padding 1 stride 2")
        << int(View::Transposed) << false << "convt padding 1 stride 2" << "Transposed convolution"
        << QStringList{"(6 - 1)*2 + 3 - 1 - 1 + 0 = 11", "output 11 × 11", "Keras"}
        << QStringList{"F.conv_transpose2d(", "stride=(2, 2)", "padding=(1, 1)"};
    QTest::newRow("transposed output padding")
        << int(View::Transposed) << false << "convt output padding" << "Transposed convolution"
        << QStringList{"(6 - 1)*3 + 3 - 1 - 1 + 2 = 18", "output 18 × 18", "output padding 2"}
        << QStringList{"output_padding=(2, 2)", "stride=(3, 3)"};
    // The numbered volume is 5 deep; a 3-deep kernel, one padded slice each side, stride 2 in depth.
    QTest::newRow("volume depth stride 2")
        << int(View::Volume) << false << "volume depth stride 2" << "3-D convolution"
        << QStringList{"Depth", "out = floor((5 + 1 + 1 - 3) / 2) + 1 = 3", "1 × 3 × 6 × 6"}
        << QStringList{"F.conv3d(", "stride=(2, 1, 1)"};
    // Four edge filters per group of one channel: 12 filters over R, G, B.
    QTest::newRow("channels groups 3")
        << int(View::Channels) << true << "channels groups 3" << "Multi-channel convolution"
        << QStringList{"Input 3 × 6 × 6", "kernel (12, 1, 3, 3)", "groups 3", "12 × 6 × 6", "groups"}
        << QStringList{"F.conv2d(", "groups=3"};
}

void TestShapeCode::followsTab()
{
    QFETCH(int, view);
    QFETCH(bool, color);
    QFETCH(QString, change);
    QFETCH(QString, title);
    QFETCH(QStringList, shapeHas);
    QFETCH(QStringList, codeHas);

    auto window = makeWindow(color);
    CodePanel *code = window->codePanel();
    code->setFramework(core::Framework::PyTorch);
    const QString planeTitle = window->shapePanel()->title();
    showTab(*window, View(view));
    const QString shapeBefore = window->shapePanel()->plainText();
    const QString codeBefore = code->shownText();
    QVERIFY2(window->shapePanel()->title() != planeTitle, qPrintable(planeTitle));

    applyChange(*window->session(), change);
    window->session()->waitUntilIdle();
    const QString shape = window->shapePanel()->plainText();
    const QString shown = code->shownText();
    QVERIFY2(shape != shapeBefore, qPrintable(shape));
    QVERIFY2(shown != codeBefore, qPrintable(shown));

    // The title line names the operation, in both panels.
    QVERIFY2(shape.startsWith(window->shapePanel()->title()), qPrintable(shape));
    QVERIFY2(window->shapePanel()->title().contains(title), qPrintable(window->shapePanel()->title()));
    QCOMPARE(code->title(), window->shapePanel()->title());
    for (const QString &part : shapeHas)
        QVERIFY2(shape.contains(part), qPrintable(part + " not in:\n" + shape));
    for (const QString &part : codeHas)
        QVERIFY2(shown.contains(part), qPrintable(part + " not in:\n" + shown));

    // The output size the panel states is the one the tab's engine computed.
    const Computed computed = computedBy(*window, View(view));
    if (!computed.size.isEmpty())
        QVERIFY2(shape.contains(QStringLiteral("output ") + computed.size), qPrintable(computed.size + "\n" + shape));
}

void TestShapeCode::backToSlidingWindow()
{
    auto window = makeWindow(false);
    CodePanel *code = window->codePanel();
    code->setFramework(core::Framework::PyTorch);
    const QString shape = window->shapePanel()->plainText();
    const QString script = code->shownText();
    QVERIFY2(shape.contains("same: out = ceil(6 / 1) = 6"), qPrintable(shape));
    QVERIFY2(script.contains("F.conv2d("), qPrintable(script));
    for (View view : {View::Channels, View::Pool, View::Transposed, View::Volume}) {
        showTab(*window, view);
        QVERIFY(window->shapePanel()->plainText() != shape);
        QVERIFY(code->shownText() != script);
    }
    // Every sliding-window tab describes the 2-D convolution again, as it was.
    for (View view : {View::Window, View::Compare, View::Stages}) {
        showTab(*window, View::Pool);
        showTab(*window, view);
        QCOMPARE(window->shapePanel()->plainText(), shape);
        QCOMPARE(code->shownText(), script);
        QVERIFY(window->shapePanel()->title().contains("2-D convolution"));
    }
}

// The Signal tab on an input of 2 to 8 rows convolves the rows as the channels of one signal: the
// Shape panel describes that Conv1D (input (L, C), output (L_out, F), the time axis, groups,
// parameters with the bias, the notes), not the 2-D convolution of one plane.
void TestShapeCode::signalChannelsAreAConv1D_data()
{
    QTest::addColumn<int>("rows");
    QTest::addColumn<QString>("amount");
    QTest::addColumn<int>("stride");
    QTest::addColumn<int>("dilation");
    QTest::addColumn<bool>("depthwise");
    QTest::addColumn<QList<double>>("bias");
    QTest::addColumn<QString>("layers"); // the same layer for `padlab summary`, or empty
    QTest::addColumn<QStringList>("shapeHas");

    QTest::newRow("3 channels summed, same, no bias")
        << 3 << "same" << 1 << 1 << false << QList<double>{} << QString()
        << QStringList{"Conv1D of a 3-channel signal", "Input (L, C) = (12, 3) → output (L_out, F) = (12, 1)",
                       "Filters (F, C/groups, k) = (1, 3, 3), groups 1: each filter sums all 3 channels",
                       "Parameters: 1 × 3 × 3 = 9 weights, no bias", "PyTorch's Conv1d takes the rows as drawn, (C, L) = (3, 12)", "Time (input 12, kernel 3, stride 1, dilation 1)",
                       "same: out = ceil(12 / 1) = 12", "1 before, 1 after on the time axis → padded (14, 3)",
                       "In the frameworks"};
    // Keras' Conv1D(1, 3, strides=2) on (12, 3): 3*3*1 + 1 = 10 parameters, output (None, 5, 1).
    QTest::newRow("3 channels summed, valid, stride 2, a bias")
        << 3 << "valid" << 2 << 1 << false << QList<double>{0.5} << "conv1d:1:3:2:valid"
        << QStringList{"output (L_out, F) = (5, 1)", "Parameters: 1 × 3 × 3 = 9 weights + 1 bias = 10",
                       "out = floor((12 + 0 + 0 - 3) / 2) + 1 = 5", "1 padded cell"};
    QTest::newRow("4 channels depthwise, a bias per filter")
        << 4 << "same" << 1 << 1 << true << QList<double>{1, 2, 3, 4} << QString()
        << QStringList{"Conv1D of a 4-channel signal", "output (L_out, F) = (12, 4)",
                       "Filters (F, C/groups, k) = (4, 1, 3), groups 4: each filter reads one channel of its own",
                       "Parameters: 4 × 1 × 3 = 12 weights + 4 bias = 16"};
    QTest::newRow("2 channels causal, dilation 2")
        << 2 << "causal" << 1 << 2 << false << QList<double>{} << "conv1d:1:3:1:causal:2"
        << QStringList{"output (L_out, F) = (12, 1)", "4 before, 0 after on the time axis → padded (16, 2)",
                       "dilation 2", "e = 2*(3 - 1) + 1 = 5"};
}

void TestShapeCode::signalChannelsAreAConv1D()
{
    QFETCH(int, rows);
    QFETCH(QString, amount);
    QFETCH(int, stride);
    QFETCH(int, dilation);
    QFETCH(bool, depthwise);
    QFETCH(QList<double>, bias);
    QFETCH(QString, layers);
    QFETCH(QStringList, shapeHas);

    auto window = makeWindow(false);
    Session *session = window->session();
    cv::Mat signal(rows, 12, CV_64F);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < 12; ++c)
            signal.at<double>(r, c) = std::sin(0.5 * c + r) * 4 + r;
    session->setSource(signal, QStringLiteral("sensors"));
    session->setKernel((cv::Mat_<double>(1, 3) << 1, 0, -1));
    core::ConvSpec spec;
    spec.amount.kind = amount == "same" ? core::Amount::Same : amount == "causal" ? core::Amount::Causal : core::Amount::Valid;
    spec.stride = {1, stride};
    spec.dilation = {1, dilation};
    session->setSpec(spec);
    session->setSignalFilters(depthwise ? padlab::ui::SignalFilters::Depthwise : padlab::ui::SignalFilters::Sum);
    session->setSignalBias(std::vector<double>(bias.begin(), bias.end()));
    session->waitUntilIdle();
    const QString plane = window->shapePanel()->plainText();
    QVERIFY2(plane.startsWith("2-D convolution"), qPrintable(plane));

    showTab(*window, View::Signal);
    const SnapshotPtr snapshot = session->snapshot();
    QVERIFY(snapshot->signal);
    QVERIFY2(snapshot->signal->reason.isEmpty(), qPrintable(snapshot->signal->reason));
    const QString shape = window->shapePanel()->plainText();
    QVERIFY2(window->shapePanel()->title().contains("Conv1D"), qPrintable(shape));
    for (const QString &part : shapeHas)
        QVERIFY2(shape.contains(part), qPrintable(part + " not in:\n" + shape));
    QVERIFY2(!shape.contains("Rows (") && !shape.contains("Columns ("), qPrintable(shape));

    // The sizes are those the view computed.
    const padlab::ui::SignalSet &set = *snapshot->signal;
    QVERIFY2(shape.contains(QStringLiteral("(L_out, F) = (%1, %2)").arg(set.outputLength()).arg(set.filters())),
             qPrintable(shape));
    // And Keras' summary of the same layer counts the same parameters.
    if (!layers.isEmpty()) {
        const core::StackSummary summary = core::summarizeLayers(
            core::parseStackInputShape(QStringLiteral("12x%1").arg(rows).toStdString()),
            core::parseLayerSpecs(layers.toStdString()));
        QCOMPARE(summary.rows.size(), size_t(1));
        const auto &dims = summary.rows[0].output.dims;
        QVERIFY2(shape.contains(QStringLiteral("(L_out, F) = (%1, %2)").arg(dims.at(0)).arg(dims.at(1))), qPrintable(shape));
        // Keras always adds a bias per filter; without one the weights are the rest.
        const long long params = summary.rows[0].params;
        const QString count = bias.isEmpty() ? QStringLiteral("= %1 weights, no bias").arg(params - dims.at(1))
                                             : QStringLiteral(" bias = %1").arg(params);
        QVERIFY2(shape.contains(count), qPrintable(count + " not in:\n" + shape));
    }

    // The Code tab writes the same Conv1D.
    CodePanel *code = window->codePanel();
    code->setFramework(core::Framework::PyTorch);
    QCOMPARE(code->title(), window->shapePanel()->title());
    QVERIFY2(code->shownText().contains("F.conv1d("), qPrintable(code->shownText()));

    // One row is a one-channel signal again: the plane's arithmetic.
    session->setSource(signal.row(0).clone(), QStringLiteral("one sensor"));
    session->waitUntilIdle();
    QVERIFY2(window->shapePanel()->title().startsWith("2-D convolution"), qPrintable(window->shapePanel()->title()));
}

// While a new feature map is computed on a worker, both panels keep describing the settings of
// the snapshot on screen, and take the new ones when it is published.
void TestShapeCode::followsThePaintedSnapshot()
{
    auto window = makeWindow(true);
    showTab(*window, View::Channels);
    CodePanel *code = window->codePanel();
    code->setFramework(core::Framework::NumPy);
    const QString shape = window->shapePanel()->plainText();
    const QString script = code->shownText();
    QVERIFY2(shape.contains("same: out = ceil(6 / 1) = 6"), qPrintable(shape));

    Session *session = window->session();
    session->setComputationDelayForTesting(400);
    core::ConvSpec spec = session->spec();
    spec.amount.kind = core::Amount::Valid;
    session->setSpec(spec);
    QVERIFY(session->isBusy());
    QCOMPARE(window->shapePanel()->plainText(), shape);
    QCOMPARE(code->shownText(), script);

    QVERIFY(session->waitUntilIdle());
    const QString now = window->shapePanel()->plainText();
    QVERIFY2(now.contains("out = floor((6 + 0 + 0 - 3) / 1) + 1 = 4"), qPrintable(now));
    QVERIFY2(now.contains("output 4 × 4 × 4"), qPrintable(now));
    QVERIFY(code->shownText() != script);
}

void TestShapeCode::scriptPrintsWhatTheTabComputed_data()
{
    QTest::addColumn<int>("view");
    QTest::addColumn<bool>("color");
    QTest::addColumn<QString>("change");
    QTest::addColumn<QString>("framework");

    struct Case {
        const char *name;
        View view;
        bool color;
        const char *change;
    };
    const Case cases[] = {
        {"pooling default", View::Pool, false, ""},
        {"pooling ceil_mode", View::Pool, false, "pool ceil"},
        {"pooling average, padding counted, ceil_mode", View::Pool, false, "pool average counted"},
        {"transposed padding 1 stride 2", View::Transposed, false, "convt padding 1 stride 2"},
        {"transposed output padding", View::Transposed, false, "convt output padding"},
        {"transposed Keras same", View::Transposed, false, "convt same"},
        {"volume depth stride 2", View::Volume, false, "volume depth stride 2"},
        {"volume stacked kernel, reflect", View::Volume, false, "volume stacked, reflect"},
        {"channels colour groups 3", View::Channels, true, "channels groups 3"},
        {"channels colour blur with bias", View::Channels, true, "channels blur, bias"},
        {"channels gray edges", View::Channels, false, ""},
    };
    for (const Case &c : cases)
        for (const char *framework : {"numpy", "pytorch"}) {
            // PyTorch cannot crop as Keras' same does (refusesWhereTheFrameworkCannot).
            if (QLatin1String(framework) == "pytorch" && QLatin1String(c.change) == "convt same")
                continue;
            QTest::newRow(qPrintable(QStringLiteral("%1: %2").arg(framework, c.name)))
                << int(c.view) << c.color << QString::fromLatin1(c.change) << QString::fromLatin1(framework);
        }
}

void TestShapeCode::scriptPrintsWhatTheTabComputed()
{
    QFETCH(int, view);
    QFETCH(bool, color);
    QFETCH(QString, change);
    QFETCH(QString, framework);

    if (!m_numpy)
        QSKIP("python3 cannot import numpy (Debian's python3-numpy)");
    auto window = makeWindow(color);
    showTab(*window, View(view));
    applyChange(*window->session(), change);
    window->session()->waitUntilIdle();
    const Computed computed = computedBy(*window, View(view));
    QVERIFY2(!computed.output.empty(), "the tab computed nothing");

    CodePanel *code = window->codePanel();
    code->setFramework(framework == "numpy" ? core::Framework::NumPy : core::Framework::PyTorch);
    QVERIFY2(code->isExpressible(), qPrintable(code->reason()));
    if (framework == "pytorch" && !m_torch)
        QSKIP("python3 cannot import torch (Debian's python3-torch)");

    const QString folder = m_dir.filePath(QString::fromLatin1(QTest::currentDataTag()).replace(QRegularExpression("[^A-Za-z0-9]"), "_"));
    QVERIFY(QDir().mkpath(folder));
    const QString script = folder + "/script.py";
    const QString input = folder + "/input.csv";
    QVERIFY(test::writeBytes(script, code->script().toUtf8()));
    // The tab's input in the layout the script was written for.
    core::NdArray array = withChannels(computed.input);
    if (computed.input.channels() == 1 && View(view) != View::Channels) {
        array.shape.erase(array.shape.begin());
    }
    QVERIFY(test::writeBytes(input, QByteArray::fromStdString(core::formatTensorCsv(array))));
    const test::Run run = test::runProcess(test::kPython, {script, input}, 300000);
    QVERIFY2(run.exitCode == 0, qPrintable(QString::fromUtf8(run.err) + "\n" + code->script()));
    QVERIFY2(run.err.isEmpty(), run.err.constData());

    const core::NdArray printed = core::parseTensorCsv(run.out.toStdString(), "script output", std::nullopt);
    const core::NdArray expected = withChannels(computed.output);
    QCOMPARE(printed.values.size(), expected.values.size());
    double scale = 1;
    for (double v : expected.values)
        scale = std::max(scale, std::abs(v));
    for (size_t i = 0; i < printed.values.size(); ++i)
        QVERIFY2(std::abs(printed.values[i] - expected.values[i]) <= 1e-9 * scale,
                 qPrintable(QStringLiteral("value %1: %2 != %3").arg(i).arg(printed.values[i], 0, 'g', 17)
                                .arg(expected.values[i], 0, 'g', 17)));
}

void TestShapeCode::refusesWhereTheFrameworkCannot_data()
{
    QTest::addColumn<int>("view");
    QTest::addColumn<QString>("change");
    QTest::addColumn<int>("framework");
    QTest::addColumn<QString>("reason");

    // The reasons `padlab code` gives with exit status 3, from the same tables of facts.
    QTest::newRow("PyTorch has no same pooling")
        << int(View::Pool) << "pool average, TensorFlow" << int(core::Framework::PyTorch) << "'same'";
    QTest::newRow("Keras refuses stride with dilation")
        << int(View::Volume) << "volume stride and dilation" << int(core::Framework::Keras) << "dilation_rate";
    QTest::newRow("PyTorch's ConvTranspose has no same")
        << int(View::Transposed) << "convt same" << int(core::Framework::PyTorch) << "'same'";
    QTest::newRow("OpenCV's filter2D sums no channels")
        << int(View::Channels) << "channels groups 3" << int(core::Framework::OpenCV) << "filter2D";
}

void TestShapeCode::refusesWhereTheFrameworkCannot()
{
    QFETCH(int, view);
    QFETCH(QString, change);
    QFETCH(int, framework);
    QFETCH(QString, reason);

    auto window = makeWindow(View(view) == View::Channels);
    showTab(*window, View(view));
    applyChange(*window->session(), change);
    window->session()->waitUntilIdle();
    CodePanel *code = window->codePanel();
    code->setFramework(core::Framework(framework));
    QVERIFY(!code->isExpressible());
    QVERIFY(code->script().isEmpty());
    const QString name = QString::fromUtf8(core::frameworkDisplayName(core::Framework(framework)));
    QVERIFY2(code->reason().startsWith(name + " cannot express these settings: "), qPrintable(code->reason()));
    QVERIFY2(code->reason().contains(reason), qPrintable(code->reason()));
    QCOMPARE(code->shownText(), code->reason());
}

QTEST_MAIN(TestShapeCode)
#include "tst_shapecode.moc"

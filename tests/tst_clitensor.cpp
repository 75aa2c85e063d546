// The tensor commands through the real executable: the public reference cases with their own
// command lines, edge cases of every op, shapes and summaries, and every bad input the command
// line must refuse without touching an output file.
#include "clitestutil.h"
#include "tensortestutil.h"

#include "padlab/core/npy.h"
#include "padlab/core/tensorcsv.h"

#include <QImage>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace padlab;
using padlab::test::Run;

namespace {

QByteArray npyBytes(const core::NdArray &array)
{
    return QByteArray::fromStdString(core::formatNpy(array));
}

QByteArray csvBytes(const core::NdArray &array)
{
    return QByteArray::fromStdString(core::formatTensorCsv(array));
}

core::NdArray array(std::vector<std::int64_t> shape, std::vector<double> values)
{
    return core::NdArray{std::move(shape), std::move(values)};
}

/// Shapes equal and values within @p tolerance * max(1, largest |expected|).
bool arrayNear(const core::NdArray &actual, const core::NdArray &expected, double tolerance, QString *why)
{
    if (actual.shape != expected.shape) {
        *why = QStringLiteral("shapes differ: %1 against %2")
                   .arg(QString::fromStdString(actual.shapeText()), QString::fromStdString(expected.shapeText()));
        return false;
    }
    double scale = 1;
    for (double v : expected.values)
        scale = std::max(scale, std::abs(v));
    for (size_t i = 0; i < expected.values.size(); ++i) {
        if (!(std::abs(actual.values[i] - expected.values[i]) <= tolerance * scale)) {
            *why = QStringLiteral("value %1 (C order): %2 != %3")
                       .arg(i)
                       .arg(actual.values[i], 0, 'g', 17)
                       .arg(expected.values[i], 0, 'g', 17);
            return false;
        }
    }
    return true;
}

#define COMPARE_ARRAY(actual, expected, tolerance)                                                 \
    do {                                                                                           \
        QString why_;                                                                              \
        QVERIFY2(arrayNear((actual), (expected), (tolerance), &why_), qPrintable(why_));           \
    } while (false)

/// A transposed convolution written as its definition: every input cell stamps the kernel onto
/// the full output, which is then cropped (before, after) and extended by @p outputPadding.
core::NdArray naiveTransposed(const core::NdArray &input, const core::NdArray &kernel, int stride, int before,
                              int after, int outputPadding)
{
    // CL input (C, n), kernel (C, F, k): one spatial axis is enough for the edge cases here.
    const int channels = int(input.shape[0]);
    const int n = int(input.shape[1]);
    const int filters = int(kernel.shape[1]);
    const int k = int(kernel.shape[2]);
    const int full = (n - 1) * stride + k;
    const int out = full - before - after + outputPadding;
    core::NdArray result{{filters, out}, std::vector<double>(size_t(filters * out), 0.0)};
    for (int c = 0; c < channels; ++c)
        for (int f = 0; f < filters; ++f)
            for (int i = 0; i < n; ++i)
                for (int t = 0; t < k; ++t) {
                    const int o = i * stride + t - before;
                    if (o >= 0 && o < out)
                        result.values[size_t(f * out + o)] +=
                            input.values[size_t(c * n + i)] * kernel.values[size_t((c * filters + f) * k + t)];
                }
    return result;
}

} // namespace

class TestCliTensor : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void referenceCases_data();
    void referenceCases();
    void fillsOnEveryAxis_data();
    void fillsOnEveryAxis();
    void filters_data();
    void filters();
    void transposedEvenKernel_data();
    void transposedEvenKernel();
    void pooling_data();
    void pooling();
    void emptyOutput_data();
    void emptyOutput();
    void colourImage();
    void imageOutput_data();
    void imageOutput();
    void shape_data();
    void shape();
    void summary_data();
    void summary();
    void badInput_data();
    void badInput();

private:
    QString path(const QString &name) const { return m_dir->filePath(name); }
    Run run(const QStringList &arguments) const { return test::runPadlab(m_dir->path(), arguments); }
    void put(const QString &name, const QByteArray &bytes) const
    {
        QVERIFY2(test::writeBytes(path(name), bytes), qPrintable(name));
    }
    core::NdArray readNpy(const QString &name) const
    {
        return core::parseNpy(test::readBytes(path(name)).toStdString(), name.toStdString());
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::vector<test::TensorCase> m_cases;
};

void TestCliTensor::initTestCase()
{
    QVERIFY2(QFile::exists(QStringLiteral(PADLAB_EXECUTABLE)), PADLAB_EXECUTABLE);
    m_cases = test::tensorCases();
    QCOMPARE(m_cases.size(), size_t(120));
}

void TestCliTensor::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

// ---- the public reference cases -----------------------------------------------------------

void TestCliTensor::referenceCases_data()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("format");
    const auto cases = test::tensorCases();
    for (size_t i = 0; i < cases.size(); ++i) {
        for (const QString format : {"npy", "csv"}) {
            QTest::newRow(qPrintable(cases[i].name + ' ' + format + ": " + cases[i].args.join(' ')))
                << int(i) << format;
        }
    }
}

// Each case's own command line, its files as .npy (input, kernel, bias) written to -o out.npy,
// or its input as tensor CSV printed as CSV.
void TestCliTensor::referenceCases()
{
    QFETCH(int, index);
    QFETCH(QString, format);
    const test::TensorCase &c = m_cases[size_t(index)];

    if (!c.kernel.shape.empty())
        put("kernel.npy", npyBytes(c.kernel));
    if (!c.bias.shape.empty())
        put("bias.npy", npyBytes(c.bias));
    const QString input = "input." + format;
    put(input, format == "npy" ? npyBytes(c.input) : csvBytes(c.input));
    QStringList arguments = QStringList{c.command, input} + c.args;
    if (format == "npy")
        arguments << "-o" << "out.npy";
    const Run result = run(arguments);
    PADLAB_VERIFY_SUCCESS(result);
    const core::NdArray output = format == "npy"
                                     ? readNpy("out.npy")
                                     : core::parseTensorCsv(result.out.toStdString(), "standard output",
                                                            core::parseLayout(c.arg("--layout").toStdString()));
    COMPARE_ARRAY(output, c.output, 1e-9);
}

// ---- edge cases ---------------------------------------------------------------------------

void TestCliTensor::fillsOnEveryAxis_data()
{
    QTest::addColumn<QString>("fill");
    QTest::addColumn<QString>("pads");
    for (const QString fill : {"zeros", "constant", "reflect", "symmetric", "replicate", "circular"}) {
        QTest::newRow(qPrintable(fill + " 1,2,2,1,3,2")) << fill << "1,2,2,1,3,2";
        // Wider than the input on every axis: the fills keep reflecting and wrapping.
        QTest::newRow(qPrintable(fill + " wider than the input")) << fill << "5,4,7,3,9,6";
    }
}

// A CDHW volume of two channels padded on all six sides, against an independent model of the
// fills (folding an index back one edge at a time).
void TestCliTensor::fillsOnEveryAxis()
{
    QFETCH(QString, fill);
    QFETCH(QString, pads);

    const core::NdArray volume = test::randomArray({2, 2, 3, 4}, -9, 9, 7);
    put("volume.npy", npyBytes(volume));
    QStringList arguments{"pad", "volume.npy", "--pad", pads, "--fill", fill, "-o", "padded.npy"};
    if (fill == "constant")
        arguments << "--value" << "2.5";
    const Run result = run(arguments);
    PADLAB_VERIFY_SUCCESS(result);

    std::vector<core::AxisPads> sides;
    const QStringList numbers = pads.split(',');
    for (int a = 0; a < 3; ++a)
        sides.push_back({numbers.at(2 * a).toInt(), numbers.at(2 * a + 1).toInt()});
    std::vector<int> size;
    for (int a = 0; a < 3; ++a)
        size.push_back(int(volume.shape[size_t(a) + 1]) + sides[size_t(a)].before + sides[size_t(a)].after);
    core::NdArray expected{{2, size[0], size[1], size[2]}, {}};
    for (int c = 0; c < 2; ++c)
        for (const auto &position : test::allIndices(size))
            expected.values.push_back(
                test::paddedValue(volume, c, position, sides, test::fillFromName(fill), 2.5));
    COMPARE_ARRAY(readNpy("padded.npy"), expected, 0);
}

void TestCliTensor::filters_data()
{
    QTest::addColumn<core::NdArray>("input");
    QTest::addColumn<core::NdArray>("kernel");
    QTest::addColumn<QString>("kernelText"); ///< empty: kernel.npy
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<int>("groups");
    QTest::addColumn<bool>("bias");

    const core::NdArray chw = test::randomArray({4, 5, 6}, -5, 5, 11);
    QTest::newRow("depthwise: groups = channels")
        << chw << test::randomArray({4, 1, 3, 3}, -2, 2, 12) << QString() << QStringList{"--pad", "same"} << 4
        << false;
    QTest::newRow("two groups, six filters, bias")
        << chw << test::randomArray({6, 2, 3, 2}, -2, 2, 13) << QString()
        << QStringList{"--pad", "1,0,2,1", "--fill", "reflect", "--stride", "2x1"} << 2 << true;
    QTest::newRow("one group of all channels, stride and dilation")
        << chw << test::randomArray({3, 4, 2, 2}, -2, 2, 14) << QString()
        << QStringList{"--pad", "full", "--stride", "2", "--dilation", "2x1"} << 1 << true;
    QTest::newRow("inline spatial kernel on every channel")
        << chw << array({1, 3}, {1, 0, -1}) << "1,0,-1" << QStringList{"--pad", "same", "--fill", "replicate"} << 1
        << false;
    QTest::newRow("preset on every channel") << chw << array({3, 3}, {-1, 0, 1, -2, 0, 2, -1, 0, 1}) << "sobel-x"
                                             << QStringList{"--fill", "circular", "--pad", "same"} << 1 << false;
    QTest::newRow("1-D signal of three channels, causal")
        << test::randomArray({3, 9}, -5, 5, 15) << test::randomArray({2, 3, 3}, -2, 2, 16) << QString()
        << QStringList{"--layout", "CL", "--pad", "causal", "--dilation", "2"} << 1 << true;
    QTest::newRow("3-D, 2 channels to 3 filters, explicit six sides")
        << test::randomArray({2, 3, 4, 5}, -5, 5, 17) << test::randomArray({3, 2, 2, 3, 2}, -2, 2, 18) << QString()
        << QStringList{"--pad", "1,0,0,2,1,1", "--fill", "symmetric"} << 1 << false;
    QTest::newRow("one cell input, same") << array({1, 1, 1}, {7}) << test::randomArray({2, 1, 3, 3}, -2, 2, 19)
                                          << QString() << QStringList{"--pad", "same"} << 1 << true;
}

// Multi-channel, grouped and per-channel convolutions through the executable against a
// convolution written as its definition.
void TestCliTensor::filters()
{
    QFETCH(core::NdArray, input);
    QFETCH(core::NdArray, kernel);
    QFETCH(QString, kernelText);
    QFETCH(QStringList, options);
    QFETCH(int, groups);
    QFETCH(bool, bias);

    const int rank = int(input.shape.size()) - 1;
    put("input.npy", npyBytes(input));
    if (kernelText.isEmpty())
        put("kernel.npy", npyBytes(kernel));
    const int filters = int(kernel.shape.size()) == rank ? int(input.shape[0]) : int(kernel.shape[0]);
    std::vector<double> biasValues;
    QStringList arguments{"conv", "input.npy", "--kernel", kernelText.isEmpty() ? "kernel.npy" : kernelText,
                          "--groups", QString::number(groups), "-o", "out.npy"};
    if (bias) {
        QStringList inline_;
        for (int f = 0; f < filters; ++f) {
            biasValues.push_back(0.25 * f - 1);
            inline_ << QString::number(biasValues.back());
        }
        arguments << "--bias" << inline_.join(',');
    }
    const Run result = run(arguments + options);
    PADLAB_VERIFY_SUCCESS(result);

    core::TensorConvSpec spec;
    for (qsizetype i = 0; i + 1 < options.size(); ++i) {
        const QString value = options.at(i + 1);
        if (options.at(i) == "--pad")
            spec.amount = core::parseTensorPadAmount(value.toStdString());
        if (options.at(i) == "--fill")
            spec.fill = test::fillFromName(value);
        if (options.at(i) == "--stride")
            spec.stride = core::perAxis(core::parseAxisValues(value.toStdString(), "--stride"), rank);
        if (options.at(i) == "--dilation")
            spec.dilation = core::perAxis(core::parseAxisValues(value.toStdString(), "--dilation"), rank);
    }
    spec.stride = core::perAxis(spec.stride, rank);
    spec.dilation = core::perAxis(spec.dilation, rank);
    const std::vector<int> k(kernel.shape.end() - rank, kernel.shape.end());
    const auto pads = test::oraclePads(spec, input, k);
    const core::NdArray expected = test::naiveConvolution(input, kernel, biasValues, pads, spec.fill, 0,
                                                          spec.stride, spec.dilation, groups, false);
    COMPARE_ARRAY(readNpy("out.npy"), expected, 1e-12);
}

void TestCliTensor::transposedEvenKernel_data()
{
    QTest::addColumn<int>("kernelSize");
    QTest::addColumn<int>("stride");
    QTest::addColumn<int>("padding");
    QTest::addColumn<int>("outputPadding");

    QTest::newRow("k4 s2 p1") << 4 << 2 << 1 << 0;
    QTest::newRow("k4 s2 p1 output padding 1") << 4 << 2 << 1 << 1;
    QTest::newRow("k2 s2 p0") << 2 << 2 << 0 << 0;
    QTest::newRow("k2 s3 p0 output padding 2: cells of bias only") << 2 << 3 << 0 << 2;
    QTest::newRow("k6 s1 p2") << 6 << 1 << 2 << 0;
}

void TestCliTensor::transposedEvenKernel()
{
    QFETCH(int, kernelSize);
    QFETCH(int, stride);
    QFETCH(int, padding);
    QFETCH(int, outputPadding);

    const core::NdArray input = test::randomArray({2, 5}, -5, 5, 21);
    const core::NdArray kernel = test::randomArray({2, 3, kernelSize}, -2, 2, 22);
    put("input.npy", npyBytes(input));
    put("kernel.npy", npyBytes(kernel));
    const Run result = run({"convt", "input.npy", "--layout", "CL", "--kernel", "kernel.npy", "--stride",
                            QString::number(stride), "--pad", QStringLiteral("%1,%1").arg(padding),
                            "--output-padding", QString::number(outputPadding), "-o", "out.npy"});
    PADLAB_VERIFY_SUCCESS(result);
    COMPARE_ARRAY(readNpy("out.npy"), naiveTransposed(input, kernel, stride, padding, padding, outputPadding),
                  1e-12);
}

void TestCliTensor::pooling_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QByteArray>("expected");

    // Worked by hand on [1 5 2 4], padded by one cell each side: p 1 5 2 4 p.
    const QByteArray row = "1,5,2,4\n";
    QTest::newRow("max, padding ignored") << row << QStringList{"--op", "max", "--size", "3", "--stride", "2",
                                                                "--pad", "1,1"}
                                          << QByteArray("5,5\n");
    QTest::newRow("ceil keeps a window that reads input")
        << row << QStringList{"--op", "max", "--size", "3", "--stride", "2", "--pad", "1,1", "--ceil"}
        << QByteArray("5,5,4\n");
    // The ceil-mode window reaching past the padded input counts only its padded cell.
    QTest::newRow("ceil average counts padding, not what lies past it")
        << row << QStringList{"--op", "avg", "--size", "3", "--stride", "2", "--pad", "1,1", "--ceil"}
        << QByteArray("2,3.6666666666666665,2\n");
    QTest::newRow("average excluding padding")
        << row
        << QStringList{"--op", "avg", "--size", "3", "--stride", "2", "--pad", "1,1", "--count-pad", "exclude"}
        << QByteArray("3,3.6666666666666665\n");
    // Window 2 would start at padded cell 6 >= n + before = 5: PyTorch drops it.
    QTest::newRow("ceil drops a window starting in the right padding")
        << row << QStringList{"--op", "max", "--size", "2", "--stride", "3", "--pad", "1,1", "--ceil"}
        << QByteArray("1,4\n");
    QTest::newRow("TensorFlow same average divides by the cells read")
        << row << QStringList{"--op", "avg", "--size", "2", "--pad", "same", "--stride", "1"}
        << QByteArray("3,3.5,3,4\n");
    QTest::newRow("stride defaults to the window") << row << QStringList{"--op", "max", "--size", "2"}
                                                   << QByteArray("5,4\n");
    QTest::newRow("2-D from a one-line input given 2-D sizes")
        << row << QStringList{"--op", "max", "--size", "1x2"} << QByteArray("5,4\n");
    QTest::newRow("3-D volume, two channels")
        << QByteArray("1,2\n3,4\n\n5,6\n7,8\n\n\n-1,-2\n-3,-4\n\n-5,-6\n-7,-8\n")
        << QStringList{"--op", "max", "--size", "2", "--layout", "CDHW"} << QByteArray("8\n\n\n-1\n");
}

void TestCliTensor::pooling()
{
    QFETCH(QByteArray, input);
    QFETCH(QStringList, options);
    QFETCH(QByteArray, expected);

    put("input.csv", input);
    const Run result = run(QStringList{"pool", "input.csv"} + options);
    PADLAB_VERIFY_SUCCESS(result);
    QCOMPARE(result.out, expected);
}

void TestCliTensor::emptyOutput_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QStringList>("named");

    QTest::newRow("kernel longer than a signal")
        << QStringList{"conv", "signal.csv", "--kernel", "1,1,1,1,1,1", "-o", "out.npy"} << QStringList{"6", "5"};
    QTest::newRow("volume kernel deeper than the volume")
        << QStringList{"conv", "volume.npy", "--kernel", "kernel.npy", "-o", "out.csv"} << QStringList{"3", "2"};
    QTest::newRow("pooling window wider than the input")
        << QStringList{"pool", "signal.csv", "--op", "max", "--size", "7", "-o", "out.csv"}
        << QStringList{"7", "5"};
}

// An output no window fits is an empty file with one sentence on standard error, not an error.
void TestCliTensor::emptyOutput()
{
    QFETCH(QStringList, arguments);
    QFETCH(QStringList, named);

    put("signal.csv", "1,2,3,4,5\n");
    put("volume.npy", npyBytes(test::randomArray({1, 2, 4, 4}, 0, 1, 3)));
    put("kernel.npy", npyBytes(test::randomArray({1, 1, 3, 1, 1}, 0, 1, 4)));
    const Run result = run(arguments);
    QVERIFY(result.finished && !result.crashed);
    QCOMPARE(result.exitCode, 0);
    const QString output = arguments.at(arguments.indexOf("-o") + 1);
    QVERIFY(QFile::exists(path(output)));
    QCOMPARE(QFileInfo(path(output)).size(), 0);
    const QList<QByteArray> lines = result.err.split('\n');
    QVERIFY2(lines.size() == 2 && lines.at(0).contains("empty") && !lines.at(0).contains("error"),
             result.err.constData());
    for (const QString &number : named)
        QVERIFY2(lines.at(0).contains(number.toUtf8()), result.err.constData());
}

// --color reads three channels in R, G, B order.
void TestCliTensor::colourImage()
{
    QImage image(2, 1, QImage::Format_RGB32);
    image.setPixel(0, 0, qRgb(10, 20, 30));
    image.setPixel(1, 0, qRgb(40, 50, 60));
    QVERIFY(image.save(path("colour.png")));
    const Run result = run({"pad", "colour.png", "--color", "--pad", "0,0,1,0", "-o", "out.npy"});
    PADLAB_VERIFY_SUCCESS(result);
    COMPARE_ARRAY(readNpy("out.npy"), array({3, 1, 3}, {0, 10, 40, 0, 20, 50, 0, 30, 60}), 0);

    const Run grey = run({"pad", "colour.png", "-o", "grey.npy"});
    PADLAB_VERIFY_SUCCESS(grey);
    QCOMPARE(readNpy("grey.npy").shape, (std::vector<std::int64_t>{1, 2}));
}

void TestCliTensor::imageOutput_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("layout");
    QTest::addColumn<QRgb>("first");

    QTest::newRow("three channels are R, G, B") << QByteArray("10,0\n\n20,0\n\n30,0\n") << "CHW" << qRgb(10, 20, 30);
    QTest::newRow("one channel is grey") << QByteArray("70,0\n") << "HW" << qRgb(70, 70, 70);
}

void TestCliTensor::imageOutput()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, layout);
    QFETCH(QRgb, first);

    put("input.csv", input);
    const Run result = run({"pad", "input.csv", "--layout", layout, "-o", "out.png"});
    PADLAB_VERIFY_SUCCESS(result);
    const QImage image(path("out.png"));
    QCOMPARE(image.size(), QSize(2, 1));
    QCOMPARE(image.pixel(0, 0), first);
}

void TestCliTensor::shape_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("expected");

    QTest::newRow("1-D conv, causal, dilation 2")
        << QStringList{"--input-size", "10", "--kernel-size", "3", "--pad", "causal", "--dilation", "2"}
        << "output: 10\n"
           "padding: left 4, right 0\n"
           "length: out = floor((10 + 4 + 0 - 5) / 1) + 1 = 10, with e = 2*(3 - 1) + 1 = 5\n"
           "Keras: Conv1D(padding='causal') pads 4 zeros in front, so output t reads only inputs at or before t.\n";
    QTest::newRow("3-D conv, same, stride 2")
        << QStringList{"--input-size", "16x32x32", "--kernel-size", "3", "--pad", "same", "--stride", "2"}
        << "output: 8x16x16\n"
           "padding: front 0, back 1, top 0, bottom 1, left 0, right 1\n"
           "depth: out = floor((16 + 0 + 1 - 3) / 2) + 1 = 8\n"
           "rows: out = floor((32 + 0 + 1 - 3) / 2) + 1 = 16\n"
           "cols: out = floor((32 + 0 + 1 - 3) / 2) + 1 = 16\n"
           "All: Keras' Conv3D and PyTorch's Conv3d pad and stride depth as they do height and width; OpenCV's "
           "filter2D is 2-D only, and SciPy's ndimage.correlate works in N-D but centres even kernels at k//2 and has "
           "no stride.\n";
    QTest::newRow("pool, ceil drops a window")
        << QStringList{"--op", "pool", "--input-size", "4", "--kernel-size", "2", "--stride", "3", "--pad", "1,1",
                       "--ceil"}
        << "output: 2\n"
           "padding: left 1, right 1\n"
           "length: out = ceil((4 + 1 + 1 - 2) / 3) + 1 - 1 = 2: the last window would start at 6 >= n + before "
           "= 5, in the right padding\n"
           "length: 2 padded cells are never read (positions 2, 5)\n"
           "Keras: Keras' pooling layers take only padding='valid' or 'same'; a ZeroPadding layer before them adds "
           "zeros that a max compares and an average counts as values.\n";
    QTest::newRow("convt, Keras same")
        << QStringList{"--op", "convt", "--input-size", "4x4", "--kernel-size", "3", "--stride", "2", "--pad",
                       "same"}
        << "output: 8x8\n"
           "cropped: top 0, bottom 1, left 0, right 1\n"
           "rows: out = n*s = 4*2 = 8\n"
           "cols: out = n*s = 4*2 = 8\n"
           "rows: same: before = max(e - s, 0)//2 = max(3 - 2, 0)//2 = 0, after = 9 - 8 - 0 = 1; as a direct "
           "correlation of the input with s - 1 = 1 zeros between cells: e - 1 - before = 2 before, e - 1 - after + o "
           "= 1 after\n"
           "cols: same: before = max(e - s, 0)//2 = max(3 - 2, 0)//2 = 0, after = 9 - 8 - 0 = 1; as a direct "
           "correlation of the input with s - 1 = 1 zeros between cells: e - 1 - before = 2 before, e - 1 - after + o "
           "= 1 after\n"
           "PyTorch: PyTorch's ConvTranspose has no padding='same': its padding crops the same number of cells from "
           "both sides, while Keras' 'same' crops max(e - s, 0)//2 before and the rest after.\n";
    QTest::newRow("convt, PyTorch padding and output padding")
        << QStringList{"--op", "convt", "--input-size", "4", "--kernel-size", "3", "--stride", "2", "--pad", "1,1",
                       "--output-padding", "1"}
        << "output: 8\n"
           "cropped: left 1, right 1\n"
           "length: out = (n - 1)*s + e - before - after + o = (4 - 1)*2 + 3 - 1 - 1 + 1 = 8\n"
           "length: crop before = 1, after = 1 as given, then 1 cell added after; as a direct correlation of the "
           "input with s - 1 = 1 zeros between cells: e - 1 - before = 1 before, e - 1 - after + o = 2 after\n"
           "Keras: Keras' Conv2DTranspose takes only 'valid' and 'same'; PyTorch's padding (cells cropped from each "
           "side) needs a Cropping layer after it.\n";
}

void TestCliTensor::shape()
{
    QFETCH(QStringList, options);
    QFETCH(QString, expected);

    const Run result = run(QStringList{"shape"} + options);
    PADLAB_VERIFY_SUCCESS(result);
    const QString text = QString::fromUtf8(result.out);
    // The arithmetic comes first, exactly; framework notes may follow.
    QVERIFY2(text.startsWith(expected), qPrintable(text));
}

void TestCliTensor::summary_data()
{
    QTest::addColumn<QString>("inputShape");
    QTest::addColumn<QString>("layers");
    QTest::addColumn<QStringList>("shapes");
    QTest::addColumn<QStringList>("params");
    QTest::addColumn<QString>("total");

    // Worked by hand from Keras' rules (DESIGN.md): Conv prod(k)*c_in*filters + filters, ...
    QTest::newRow("conv1d causal dilated, dense on the last axis")
        << "100x3" << "conv1d:16:3:1:causal:2,maxpool1d:2,dense:8"
        << QStringList{"(None, 100, 16)", "(None, 50, 16)", "(None, 50, 8)"} << QStringList{"160", "0", "136"}
        << "296";
    QTest::newRow("conv3d and 3-D pooling") << "16x64x64x1" << "conv3d:8:3,avgpool3d:2,globalmaxpool"
                                            << QStringList{"(None, 14, 62, 62, 8)", "(None, 7, 31, 31, 8)",
                                                           "(None, 8)"}
                                            << QStringList{"224", "0", "0"} << "224";
    QTest::newRow("conv2dt same doubles") << "7x7x64" << "conv2dt:32:3:2:same"
                                          << QStringList{"(None, 14, 14, 32)"} << QStringList{"18,464"} << "18,464";
    QTest::newRow("depthwise multiplier 2, separable")
        << "32x32x3" << "depthwise2d:3:1:same:2,separable2d:16:3"
        << QStringList{"(None, 32, 32, 6)", "(None, 30, 30, 16)"} << QStringList{"60", "166"} << "226";
    QTest::newRow("zero padding per side and global average")
        << "5x5x1" << "zeropad2d:1:2:3:4,conv2d:4:3,globalavgpool,dense:2"
        << QStringList{"(None, 8, 12, 1)", "(None, 6, 10, 4)", "(None, 4)", "(None, 2)"}
        << QStringList{"0", "40", "0", "10"} << "50";
    QTest::newRow("zeropad3d and flatten") << "4x4x4x2" << "zeropad3d:1,flatten"
                                           << QStringList{"(None, 6, 6, 6, 2)", "(None, 432)"}
                                           << QStringList{"0", "0"} << "0";
}

void TestCliTensor::summary()
{
    QFETCH(QString, inputShape);
    QFETCH(QString, layers);
    QFETCH(QStringList, shapes);
    QFETCH(QStringList, params);
    QFETCH(QString, total);

    const Run result = run({"summary", "--input-shape", inputShape, "--layers", layers});
    PADLAB_VERIFY_SUCCESS(result);
    const QStringList lines = QString::fromUtf8(result.out).trimmed().split('\n');
    QCOMPARE(lines.constLast(), "Total params: " + total);
    qsizetype from = 0;
    for (qsizetype i = 0; i < shapes.size(); ++i) {
        qsizetype found = -1;
        for (qsizetype l = from; l < lines.size() && found < 0; ++l) {
            if (lines.at(l).contains(shapes.at(i)))
                found = l;
        }
        QVERIFY2(found >= 0, qPrintable(shapes.at(i) + " missing in:\n" + result.out));
        QCOMPARE(lines.at(found).split(' ', Qt::SkipEmptyParts).constLast(), params.at(i));
        from = found + 1;
    }
}

// ---- bad input ----------------------------------------------------------------------------

void TestCliTensor::badInput_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QStringList>("culprits");

    auto row = [](const char *name, const QStringList &arguments, const QStringList &culprits) {
        QTest::newRow(name) << arguments << culprits;
    };
    const QStringList conv{"conv", "chw3.npy"};
    row("kernel channels against input channels",
        conv + QStringList{"--kernel", "k4x2.npy", "-o", "out.npy"}, {"2 input channels", "3 channels", "groups = 1"});
    row("kernel channels against input channels and groups",
        conv + QStringList{"--kernel", "t3x2.npy", "--groups", "3", "-o", "out.npy"},
        {"2 input channels per group", "3 channels", "groups = 3"});
    row("groups not dividing the channels",
        conv + QStringList{"--kernel", "k4x1.npy", "--groups", "2", "-o", "out.npy"}, {"groups", "2", "3"});
    row("groups not dividing the filters",
        {"conv", "chw4.npy", "--kernel", "k5x2.npy", "--groups", "2", "-o", "out.npy"}, {"groups", "2", "5 filters"});
    row("bias length against filters",
        conv + QStringList{"--kernel", "k4x3.npy", "--bias", "1,2,3", "-o", "out.npy"}, {"bias", "3", "4 filters"});
    row("bias file length against filters",
        conv + QStringList{"--kernel", "k4x3.npy", "--bias", "bias5.npy", "-o", "out.npy"}, {"bias", "5", "4 filters"});
    row("layout against array rank", conv + QStringList{"--kernel", "box-3", "--layout", "CDHW", "-o", "out.npy"},
        {"chw3.npy", "CDHW", "4-D", "3-D"});
    row("layout against CSV blocks", {"pad", "blocks.csv", "--layout", "HW", "-o", "out.npy"}, {"blocks.csv"});
    row("unknown layout", conv + QStringList{"--kernel", "box-3", "--layout", "NCHW", "-o", "out.npy"},
        {"--layout", "NCHW"});
    row("pad list of 2 for a 2-D input", conv + QStringList{"--kernel", "box-3", "--pad", "1,1", "-o", "out.npy"},
        {"4 numbers", "got 2"});
    row("pad list of 4 for a 3-D input", {"pad", "cdhw.npy", "--pad", "1,1,1,1", "-o", "out.npy"},
        {"6 numbers", "got 4"});
    row("pad list of 6 for a 1-D input", {"pool", "signal.csv", "--op", "max", "--size", "2", "--pad",
                                          "1,1,1,1,1,1", "-o", "out.npy"},
        {"2 numbers", "got 6"});
    row("output padding not smaller than stride or dilation",
        {"convt", "chw3.npy", "--kernel", "t3x2.npy", "--stride", "2", "--pad", "1,1,1,1", "--output-padding", "2",
         "-o", "out.npy"},
        {"output padding (2)", "stride (2)", "dilation (1)"});
    row("convt kernel channels against input channels",
        {"convt", "chw4.npy", "--kernel", "t3x2.npy", "-o", "out.npy"}, {"3", "4"});
    row("stride list against rank", conv + QStringList{"--kernel", "box-3", "--stride", "1x2x2", "-o", "out.npy"},
        {"stride", "3", "2"});
    row("pooling ceil without explicit pads",
        {"pool", "chw3.npy", "--op", "max", "--size", "2", "--ceil", "-o", "out.npy"}, {"ceil", "explicit"});
    row("pooling window reading only padding",
        {"pool", "signal.csv", "--op", "max", "--size", "2", "--pad", "2,2", "-o", "out.npy"}, {"only padding"});
    row("unknown pooling", {"pool", "signal.csv", "--op", "median", "--size", "2", "-o", "out.npy"},
        {"--op", "median"});
    row("count-pad with max", {"pool", "signal.csv", "--op", "max", "--size", "2", "--count-pad", "include", "-o",
                               "out.npy"},
        {"--count-pad", "max"});
    row("image output of 4 channels", {"pad", "chw4.npy", "-o", "out.png"}, {"out.png", "4x3x3"});
    row("truncated .npy", conv + QStringList{"--kernel", "truncated.npy", "-o", "out.npy"}, {"truncated.npy"});
    row("big-endian .npy input", {"pad", "bigendian.npy", "-o", "out.npy"}, {"bigendian.npy", "big-endian"});
    row("Fortran-order .npy input", {"pad", "fortran.npy", "-o", "out.npy"}, {"fortran.npy", "Fortran"});
    row("summary layer that does not fit its input",
        {"summary", "--input-shape", "28x28x1", "--layers", "conv2d:8:3,conv3d:4:3"}, {"layer 2", "conv3d"});
    row("summary kernel larger than its input",
        {"summary", "--input-shape", "8x8x1", "--layers", "maxpool:2,conv2d:4:5"}, {"layer 2", "conv2d:4:5"});
    row("shape kernel size against input size",
        {"shape", "--input-size", "5x5", "--kernel-size", "3x3x3"}, {"--kernel-size", "3", "2"});
    row("output beyond a stated memory limit",
        {"pad", "chw3.npy", "--pad", "3000,3000,3000,3000", "--max-memory", "1M", "-o", "out.npy"},
        {"the output", "1 MB", "--max-memory"});
    row("convolution beyond a stated work limit",
        conv + QStringList{"--kernel", "k4x3.npy", "--pad", "900,900,900,900", "--max-work", "1000", "-o", "out.npy"},
        {"multiply-adds", "--max-work"});
    row("shape ceil for a conv", {"shape", "--input-size", "5", "--kernel-size", "3", "--ceil"}, {"--ceil", "pool"});
}

// One line naming what is wrong, exit status 2, and no output file created or changed.
void TestCliTensor::badInput()
{
    QFETCH(QStringList, arguments);
    QFETCH(QStringList, culprits);

    put("chw3.npy", npyBytes(test::randomArray({3, 3, 3}, 0, 1, 1)));
    put("chw4.npy", npyBytes(test::randomArray({4, 3, 3}, 0, 1, 2)));
    put("cdhw.npy", npyBytes(test::randomArray({1, 2, 2, 2}, 0, 1, 3)));
    put("k4x2.npy", npyBytes(test::randomArray({4, 2, 3, 3}, 0, 1, 4)));
    put("k4x1.npy", npyBytes(test::randomArray({4, 1, 3, 3}, 0, 1, 5)));
    put("k4x3.npy", npyBytes(test::randomArray({4, 3, 3, 3}, 0, 1, 6)));
    put("k5x2.npy", npyBytes(test::randomArray({5, 2, 3, 3}, 0, 1, 7)));
    put("t3x2.npy", npyBytes(test::randomArray({3, 2, 3, 3}, 0, 1, 8)));
    put("bias5.npy", npyBytes(array({5}, {1, 2, 3, 4, 5})));
    put("signal.csv", "1,2,3,4,5\n");
    put("blocks.csv", "1,2\n3,4\n\n5,6\n7,8\n");
    const QByteArray npy = npyBytes(test::randomArray({4, 2, 3, 3}, 0, 1, 9));
    put("truncated.npy", npy.left(npy.size() - 8));
    QByteArray big = npyBytes(array({2}, {1, 2}));
    big.replace("<f8", ">f8");
    put("bigendian.npy", big);
    QByteArray fortran = npyBytes(array({2, 2}, {1, 2, 3, 4}));
    fortran.replace("'fortran_order': False", "'fortran_order': True ");
    put("fortran.npy", fortran);

    const qsizetype o = arguments.indexOf("-o");
    const QString output = o >= 0 ? arguments.at(o + 1) : QString();
    for (const bool existing : {false, true}) {
        if (existing && output.isEmpty())
            break;
        const QByteArray previous = "previous content\n";
        if (existing)
            put(output, previous);
        const QStringList before = test::entries(m_dir->path());

        const Run result = run(arguments);
        QVERIFY(result.finished);
        QVERIFY(!result.crashed);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.out.isEmpty(), result.out.constData());
        const QList<QByteArray> lines = result.err.split('\n');
        QVERIFY2(lines.size() == 2 && lines.at(1).isEmpty(), result.err.constData());
        QVERIFY2(lines.at(0).startsWith("padlab: error: "), result.err.constData());
        for (const QString &culprit : culprits)
            QVERIFY2(lines.at(0).contains(culprit.toUtf8()),
                     qPrintable(culprit + " not named in: " + QString::fromUtf8(lines.at(0))));
        QCOMPARE(test::entries(m_dir->path()), before);
        if (existing)
            QCOMPARE(test::readBytes(path(output)), previous);
    }
}

QTEST_GUILESS_MAIN(TestCliTensor)
#include "tst_clitensor.moc"

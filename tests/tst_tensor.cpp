// The tensor engine: layouts, padding on every axis, and multi-channel convolution in 1-D, 2-D
// and 3-D against the public reference cases, against convolve() and against the definition.
#include "padlab/core/convolve.h"
#include "padlab/core/error.h"
#include "padlab/core/tensor.h"
#include "padlab/core/tensorconv.h"
#include "padlab/core/window.h"
#include "tensortestutil.h"

#include <QObject>
#include <QSet>
#include <QTest>

#include <opencv2/core.hpp>

#include <cmath>
#include <limits>
#include <map>

using namespace padlab::core;
using padlab::test::TensorCase;

namespace {

TensorConvSpec convSpecFromArgs(const TensorCase &c)
{
    TensorConvSpec spec;
    spec.amount = parseTensorPadAmount(c.arg(QStringLiteral("--pad"), QStringLiteral("valid")).toStdString());
    spec.fill = padlab::test::fillFromName(c.arg(QStringLiteral("--fill"), QStringLiteral("zeros")));
    spec.value = c.arg(QStringLiteral("--value"), QStringLiteral("0")).toDouble();
    spec.stride = parseAxisValues(c.arg(QStringLiteral("--stride"), QStringLiteral("1")).toStdString(), "--stride");
    spec.dilation = parseAxisValues(c.arg(QStringLiteral("--dilation"), QStringLiteral("1")).toStdString(), "--dilation");
    spec.groups = c.arg(QStringLiteral("--groups"), QStringLiteral("1")).toInt();
    return spec;
}

Layout layoutOf(const TensorCase &c)
{
    const auto layout = parseLayout(c.arg(QStringLiteral("--layout")).toStdString());
    if (!layout)
        throw std::runtime_error("no layout in " + c.name.toStdString());
    return *layout;
}

QString problemOf(const TensorConvSpec &spec, const TensorShape &input, const TensorKernel &kernel)
{
    const auto problem = validate(spec, input, kernel);
    return problem ? QString::fromStdString(*problem) : QString();
}

TensorKernel kernelOf(const NdArray &weights, const std::vector<double> &bias = {})
{
    TensorKernel k = kernelFromArray(weights);
    k.bias = bias;
    return k;
}

QString padsText(const std::vector<AxisPads> &pads)
{
    QStringList parts;
    for (const AxisPads &p : pads)
        parts << QStringLiteral("%1,%2").arg(p.before).arg(p.after);
    return parts.join(QLatin1Char(' '));
}

} // namespace

class TestTensor : public QObject {
    Q_OBJECT

private slots:
    void referenceFileIsComplete();
    void referenceConv_data();
    void referenceConv();
    void singleChannelIsConvolve_data();
    void singleChannelIsConvolve();
    void matchesDefinition_data();
    void matchesDefinition();
    void floatTensors();
    void cellsOutsideWindowsStayOut_data();
    void cellsOutsideWindowsStayOut();
    void edgeCases_data();
    void edgeCases();
    void padEveryFillEveryAxis_data();
    void padEveryFillEveryAxis();
    void refusals_data();
    void refusals();
    void windowsSumToOutput_data();
    void windowsSumToOutput();
    void windowText();
    void unreadPositions_data();
    void unreadPositions();
    void layouts_data();
    void layouts();
    void arrayRoundTrip();
    void parsers_data();
    void parsers();
    void colourImage();
};

// The copy under tests/data must hold every case, or the suites would quietly test less.
void TestTensor::referenceFileIsComplete()
{
    const auto cases = padlab::test::tensorCases();
    QCOMPARE(int(cases.size()), 120);
    std::map<QString, int> commands;
    QSet<QString> names;
    for (const auto &c : cases) {
        ++commands[c.command];
        names.insert(c.name);
    }
    QCOMPARE(names.size(), 120);
    QCOMPARE(commands[QStringLiteral("conv")], 58);
    QCOMPARE(commands[QStringLiteral("pool")], 30);
    QCOMPARE(commands[QStringLiteral("convt")], 32);
}

void TestTensor::referenceConv_data()
{
    padlab::test::addReferenceRows(QStringLiteral("conv"));
}

void TestTensor::referenceConv()
{
    QFETCH(int, index);
    try {
        const TensorCase c = padlab::test::tensorCases().at(size_t(index));
        const Layout layout = layoutOf(c);
        const TensorConvSpec spec = convSpecFromArgs(c);
        const TensorKernel kernel = kernelOf(c.kernel, c.bias.values);
        const auto problem = validateLayout(c.input, layout);
        QVERIFY2(!problem, problem ? problem->c_str() : "");
        const Tensor input = tensorFromArray(c.input, layout);
        QCOMPARE(problemOf(spec, input.shape(), kernel), QString());

        const TensorConvResult result = convolveTensor(input, kernel, spec);
        QCOMPARE(padsText(result.geometry.pads()), padsText(c.sides));
        QCOMPARE(result.output.depth(), CV_64F);
        PADLAB_COMPARE_TENSOR(result.output, c.output, 1e-9);
    } catch (const std::exception &e) {
        QFAIL(e.what());
    }
}

// One channel and one filter is the 2-D engine of today, to the last bit, whichever way the
// kernel is given.
void TestTensor::singleChannelIsConvolve_data()
{
    QTest::addColumn<cv::Mat>("input");
    QTest::addColumn<cv::Mat>("kernel");
    QTest::addColumn<ConvSpec>("spec");
    for (const auto &c : padlab::test::referenceCases())
        QTest::newRow(qPrintable(QStringLiteral("reference ") + c.name)) << c.input << c.kernel << c.spec;
    const std::vector<std::pair<PerAxis, PerAxis>> steps = {
        {{1, 1}, {1, 1}}, {{2, 2}, {1, 1}}, {{3, 1}, {1, 2}}, {{1, 3}, {2, 1}}, {{2, 3}, {3, 2}}, {{4, 4}, {1, 1}}};
    uint64_t seed = 11;
    for (const auto &[stride, dilation] : steps)
        for (int k : {1, 3, 4, 7})
            for (int depth : {CV_32F, CV_64F}) {
                ++seed;
                ConvSpec spec;
                spec.stride = stride;
                spec.dilation = dilation;
                spec.fill = allFills()[seed % 6];
                spec.value = 2.5;
                spec.amount.kind = std::array<Amount, 4>{Amount::Same, Amount::Valid, Amount::Full, Amount::Causal}[seed % 4];
                spec.operation = seed % 3 == 0 ? Operation::Convolution : Operation::Correlation;
                // Wide and tall enough for paired rows and whole vector blocks, and not a multiple of them.
                const cv::Mat input = padlab::test::randomMat(37 + int(seed % 50), 61 + int(seed % 70),
                                                              depth, -1, 1, seed);
                const cv::Mat kernel = padlab::test::randomMat(k, k + int(seed % 2), CV_64F, -2, 2, seed + 1);
                QTest::addRow("random k%dx%d s%dx%d d%dx%d %s", kernel.rows, kernel.cols, stride.rows, stride.cols,
                              dilation.rows, dilation.cols, depth == CV_32F ? "32F" : "64F")
                    << input << kernel << spec;
            }
}

void TestTensor::singleChannelIsConvolve()
{
    QFETCH(cv::Mat, input);
    QFETCH(cv::Mat, kernel);
    QFETCH(ConvSpec, spec);
    try {
        if (validate(spec, {input.rows, input.cols}, {kernel.rows, kernel.cols}))
            QSKIP("the 2-D engine refuses this case too");
        const ConvResult expected = convolve(input, kernel, spec);

        // A one-row case is a 1-D signal unless something acts on its rows.
        const Sides &s = spec.amount.sides;
        const int rank = input.rows == 1 && kernel.rows == 1 && spec.stride.rows == 1 && spec.dilation.rows == 1
                                 && s.top == 0 && s.bottom == 0
                             ? 1
                             : 2;
        TensorShape shape{1, rank == 1 ? std::vector<int>{input.cols} : std::vector<int>{input.rows, input.cols}};
        const Tensor tensor(shape, input.clone());
        TensorConvSpec tspec;
        tspec.amount.kind = spec.amount.kind;
        if (spec.amount.kind == Amount::Explicit)
            tspec.amount.values = rank == 1 ? std::vector<int>{s.left, s.right}
                                            : std::vector<int>{s.top, s.bottom, s.left, s.right};
        tspec.fill = spec.fill;
        tspec.value = spec.value;
        tspec.stride = rank == 1 ? std::vector<int>{spec.stride.cols} : std::vector<int>{spec.stride.rows, spec.stride.cols};
        tspec.dilation = rank == 1 ? std::vector<int>{spec.dilation.cols}
                                   : std::vector<int>{spec.dilation.rows, spec.dilation.cols};
        tspec.operation = spec.operation;

        const TensorKernel spatial = spatialKernel(kernel, rank);
        TensorKernel full = spatial;
        full.shape.insert(full.shape.begin(), {1, 1});
        for (const TensorKernel &k : {spatial, full}) {
            const TensorConvResult result = convolveTensor(tensor, k, tspec);
            const Tensor padded = padTensor(tensor, result.geometry.pads(), tspec.fill, tspec.value);
            QCOMPARE(padded.plane(0).size(), expected.padded.size());
            PADLAB_COMPARE_MAT(padded.plane(0), expected.padded, 0.0);
            if (expected.output.empty()) {
                QVERIFY(result.output.empty());
                QVERIFY(result.geometry.empty());
                continue;
            }
            PADLAB_COMPARE_MAT(result.output.plane(0), expected.output, 0.0);
        }
    } catch (const std::exception &e) {
        QFAIL(e.what());
    }
}

void TestTensor::matchesDefinition_data()
{
    QTest::addColumn<NdArray>("input");
    QTest::addColumn<TensorKernel>("kernel");
    QTest::addColumn<TensorConvSpec>("spec");
    struct Shape {
        const char *name;
        std::vector<std::int64_t> input; // channels first
        int filters;                     // 0: a spatial kernel
        int groups;
        std::vector<std::int64_t> k;
    };
    const std::vector<Shape> shapes = {
        {"1-D 3->4", {3, 29}, 4, 1, {3}},
        {"1-D depthwise x2", {3, 17}, 6, 3, {4}},
        {"1-D spatial kernel", {2, 23}, 0, 1, {5}},
        {"2-D 1->1", {1, 19, 23}, 1, 1, {3, 3}},
        {"2-D 3->5", {3, 21, 26}, 5, 1, {3, 2}},
        {"2-D groups 2", {4, 13, 40}, 6, 2, {2, 3}},
        {"2-D depthwise", {5, 18, 35}, 5, 5, {3, 3}},
        {"2-D spatial kernel", {3, 12, 14}, 0, 1, {4, 1}},
        {"2-D wide 16->4", {16, 9, 70}, 4, 1, {3, 5}},
        {"3-D 2->3", {2, 7, 8, 9}, 3, 1, {3, 2, 3}},
        {"3-D groups 2", {4, 6, 5, 11}, 4, 2, {2, 3, 1}},
        {"3-D spatial kernel", {2, 5, 9, 6}, 0, 1, {2, 2, 2}},
    };
    const std::vector<std::pair<int, int>> steps = {{1, 1}, {2, 1}, {1, 2}, {3, 2}};
    uint64_t seed = 100;
    for (const Shape &s : shapes)
        for (const auto &[stride, dilation] : steps)
            for (Amount amount : {Amount::Valid, Amount::Same, Amount::Full, Amount::Causal, Amount::Explicit}) {
                ++seed;
                const int rank = int(s.k.size());
                if (amount == Amount::Causal && rank == 3)
                    continue;
                const NdArray input = padlab::test::randomArray(s.input, -1, 1, seed);
                std::vector<std::int64_t> kshape = s.k;
                if (s.filters > 0)
                    kshape.insert(kshape.begin(), {s.filters, s.input[0] / s.groups});
                TensorKernel kernel = kernelFromArray(padlab::test::randomArray(kshape, -2, 2, seed + 1));
                if (seed % 2 == 0)
                    kernel.bias = padlab::test::randomArray({s.filters > 0 ? s.filters : s.input[0]}, -1, 1, seed + 2).values;
                TensorConvSpec spec;
                spec.amount.kind = amount;
                if (amount == Amount::Explicit)
                    for (int a = 0; a < rank; ++a)
                        spec.amount.values.insert(spec.amount.values.end(), {int((seed + a) % 4), int((seed * 3 + a) % 5)});
                spec.fill = allFills()[seed % 6];
                spec.value = -1.5;
                spec.stride = {stride};
                spec.dilation = std::vector<int>(size_t(rank), 1);
                spec.dilation.back() = dilation;
                spec.groups = s.filters > 0 ? s.groups : 1;
                spec.operation = seed % 5 == 0 ? Operation::Convolution : Operation::Correlation;
                QTest::addRow("%s s%d d%d %s %s%s", s.name, stride, dilation, amountName(amount).data(),
                              fillName(spec.fill).data(), kernel.bias.empty() ? "" : " bias")
                    << input << kernel << spec;
            }
}

void TestTensor::matchesDefinition()
{
    QFETCH(NdArray, input);
    QFETCH(TensorKernel, kernel);
    QFETCH(TensorConvSpec, spec);
    try {
        const Layout layout = *defaultLayout(int(input.shape.size()) == 2 ? 2 : int(input.shape.size()));
        const Layout withC = int(input.shape.size()) == 2 ? Layout::CL : layout;
        const Tensor tensor = tensorFromArray(input, withC);
        QCOMPARE(problemOf(spec, tensor.shape(), kernel), QString());
        const TensorConvResult result = convolveTensor(tensor, kernel, spec);
        const int rank = tensor.shape().spatialRank();
        NdArray weights;
        weights.values = kernel.weights;
        for (int d : kernel.shape)
            weights.shape.push_back(d);
        const std::vector<int> taps(kernel.shape.end() - rank, kernel.shape.end());
        const NdArray expected = padlab::test::naiveConvolution(
            input, weights, kernel.bias, padlab::test::oraclePads(spec, input, taps), spec.fill, spec.value,
            perAxis(spec.stride, rank),
            perAxis(spec.dilation, rank), spec.groups, spec.operation == Operation::Convolution);
        PADLAB_COMPARE_TENSOR(result.output, expected, 1e-12);
    } catch (const std::exception &e) {
        QFAIL(e.what());
    }
}

// An infinite input cell reaches exactly the outputs whose windows hold it: the engine lays
// strided and dilated channels out with gaps in the kernel (columns of a phase past its taps,
// rows between dilated ones), and a cell under a gap must not turn a neighbour's sum into NaN.
void TestTensor::cellsOutsideWindowsStayOut_data()
{
    QTest::addColumn<std::vector<int>>("stride");
    QTest::addColumn<std::vector<int>>("dilation");
    QTest::addColumn<int>("row");
    QTest::addColumn<int>("column");
    QTest::addColumn<int>("depth");
    QTest::newRow("stride 2 across") << std::vector<int>{1, 2} << std::vector<int>{1, 1} << 4 << 3 << CV_64F;
    QTest::newRow("stride 3 across") << std::vector<int>{1, 3} << std::vector<int>{1, 1} << 4 << 4 << CV_64F;
    QTest::newRow("dilation 2 down") << std::vector<int>{1, 1} << std::vector<int>{2, 1} << 1 << 5 << CV_64F;
    QTest::newRow("stride 2, dilation 2") << std::vector<int>{2, 2} << std::vector<int>{2, 1} << 2 << 3 << CV_64F;
    QTest::newRow("stride 2 across, float") << std::vector<int>{1, 2} << std::vector<int>{1, 1} << 4 << 3 << CV_32F;
}

void TestTensor::cellsOutsideWindowsStayOut()
{
    QFETCH(std::vector<int>, stride);
    QFETCH(std::vector<int>, dilation);
    QFETCH(int, row);
    QFETCH(int, column);
    QFETCH(int, depth);
    try {
        NdArray input = padlab::test::randomArray({3, 9, 11}, -1, 1, 41);
        input.values[(1 * 9 + size_t(row)) * 11 + size_t(column)] = std::numeric_limits<double>::infinity();
        const TensorKernel kernel = kernelFromArray(padlab::test::randomArray({4, 3, 3, 3}, -1, 1, 42));
        TensorConvSpec spec;
        spec.amount.kind = Amount::Valid;
        spec.stride = stride;
        spec.dilation = dilation;
        const TensorConvResult result = convolveTensor(tensorFromArray(input, Layout::CHW, depth), kernel, spec);
        NdArray weights;
        weights.values = kernel.weights;
        for (int d : kernel.shape)
            weights.shape.push_back(d);
        const NdArray expected = padlab::test::naiveConvolution(input, weights, {}, {{0, 0}, {0, 0}}, Fill::Zeros, 0,
                                                                stride, dilation, 1, false);
        const NdArray actual = arrayFromTensor(result.output, Layout::CHW);
        QCOMPARE(actual.shape, expected.shape);
        int reached = 0;
        int spared = 0;
        for (size_t i = 0; i < expected.values.size(); ++i) {
            if (!std::isfinite(expected.values[i])) {
                ++reached;
                QVERIFY2(!std::isfinite(actual.values[i]), qPrintable(QStringLiteral("cell %1").arg(i)));
                continue;
            }
            ++spared;
            QVERIFY2(std::isfinite(actual.values[i]),
                     qPrintable(QStringLiteral("cell %1 is %2, its window has no infinite cell").arg(i).arg(actual.values[i])));
            QVERIFY(std::abs(actual.values[i] - expected.values[i]) <= (depth == CV_32F ? 1e-4 : 1e-12));
        }
        // The infinite cell lies in some windows and not in others.
        QVERIFY(reached > 0);
        QVERIFY(spared > 0);
    } catch (const std::exception &e) {
        QFAIL(e.what());
    }
}

// Images compute in single precision: the same cells within float rounding.
void TestTensor::floatTensors()
{
    try {
        const NdArray input = padlab::test::randomArray({3, 40, 53}, 0, 255, 5);
        const TensorKernel kernel = kernelFromArray(padlab::test::randomArray({8, 3, 3, 3}, -1, 1, 6));
        for (int stride : {1, 2}) {
            TensorConvSpec spec;
            spec.amount.kind = Amount::Same;
            spec.fill = Fill::Reflect;
            spec.stride = {stride};
            const TensorConvResult single = convolveTensor(tensorFromArray(input, Layout::CHW, CV_32F), kernel, spec);
            const TensorConvResult dbl = convolveTensor(tensorFromArray(input, Layout::CHW, CV_64F), kernel, spec);
            QCOMPARE(single.output.depth(), CV_32F);
            PADLAB_COMPARE_TENSOR(single.output, arrayFromTensor(dbl.output, Layout::CHW), 1e-5);
        }
    } catch (const std::exception &e) {
        QFAIL(e.what());
    }
}

void TestTensor::edgeCases_data()
{
    QTest::addColumn<NdArray>("input");
    QTest::addColumn<TensorKernel>("kernel");
    QTest::addColumn<TensorConvSpec>("spec");
    QTest::addColumn<NdArray>("expected"); // empty values with a 0 in the shape: no window fits
    QTest::addColumn<QString>("reason");

    const auto array = [](std::vector<std::int64_t> shape, std::vector<double> values) {
        return NdArray{std::move(shape), std::move(values)};
    };
    const auto spec = [](Amount kind, std::vector<int> values = {}, Fill fill = Fill::Zeros, double value = 0) {
        TensorConvSpec s;
        s.amount = {kind, std::move(values)};
        s.fill = fill;
        s.value = value;
        return s;
    };
    // One cell, 3x3 kernel of ones: `same` sees the cell and eight fill values.
    const TensorKernel ones3 = kernelFromArray(array({1, 1, 3, 3}, std::vector<double>(9, 1.0)));
    QTest::newRow("1 cell, same, zeros: the cell alone") << array({1, 1, 1}, {5}) << ones3 << spec(Amount::Same)
                                                         << array({1, 1, 1}, {5}) << QString();
    QTest::newRow("1 cell, same, constant 2: 5 + 8*2 = 21")
        << array({1, 1, 1}, {5}) << ones3 << spec(Amount::Same, {}, Fill::Constant, 2) << array({1, 1, 1}, {21})
        << QString();
    QTest::newRow("1 cell, same, reflect: nine copies = 45")
        << array({1, 1, 1}, {5}) << ones3 << spec(Amount::Same, {}, Fill::Reflect) << array({1, 1, 1}, {45})
        << QString();
    QTest::newRow("1 cell, full, circular: 3x3 of nine copies")
        << array({1, 1, 1}, {5}) << ones3 << spec(Amount::Full, {}, Fill::Circular)
        << array({1, 3, 3}, std::vector<double>(9, 45.0)) << QString();
    QTest::newRow("kernel larger than input, valid: empty")
        << array({1, 2, 2}, {1, 2, 3, 4}) << ones3 << spec(Amount::Valid) << array({1, 0, 0}, {})
        << QStringLiteral("the kernel reaches 3 rows but the padded input has 2 rows (rows: 2 + 0 + 0); "
                          "the kernel reaches 3 columns but the padded input has 2 columns");
    QTest::newRow("kernel larger than input, same: every cell sums the whole input")
        << array({1, 2, 2}, {1, 2, 3, 4}) << ones3 << spec(Amount::Same) << array({1, 2, 2}, {10, 10, 10, 10})
        << QString();
    QTest::newRow("1-D kernel longer than the signal, explicit 1,0: empty")
        << array({1, 3}, {1, 2, 3}) << kernelFromArray(array({5}, {1, 1, 1, 1, 1})) << spec(Amount::Explicit, {1, 0})
        << array({1, 0}, {}) << QStringLiteral("the kernel reaches 5 cells but the padded input has 4 cells (length: 3 + 1 + 0)");
    QTest::newRow("3-D 1x1x1 kernel on 1 cell, explicit 1,1,0,0,0,0, constant 7")
        << array({1, 1, 1, 1}, {3}) << kernelFromArray(array({1, 1, 1, 1, 1}, {2}))
        << spec(Amount::Explicit, {1, 1, 0, 0, 0, 0}, Fill::Constant, 7) << array({1, 3, 1, 1}, {14, 6, 14})
        << QString();
    // Two channels of 1s and 2s, a 3x3 kernel of 1s at stride 10^9: one window, 9 + 18 = 27.
    TensorConvSpec far = spec(Amount::Valid);
    far.stride = {1'000'000'000};
    std::vector<double> twoPlanes(50, 1.0);
    std::fill(twoPlanes.begin() + 25, twoPlanes.end(), 2.0);
    QTest::newRow("stride 10^9 over two channels: one window of 27")
        << array({2, 5, 5}, twoPlanes) << kernelFromArray(array({1, 2, 3, 3}, std::vector<double>(18, 1.0))) << far
        << array({1, 1, 1}, {27}) << QString();
    TensorKernel withBias = kernelFromArray(array({2, 1, 1}, {1, -1}));
    withBias.bias = {10, 20};
    QTest::newRow("1-D bias per filter: 10 + x, 20 - x")
        << array({1, 3}, {1, 2, 3}) << withBias << spec(Amount::Valid) << array({2, 3}, {11, 12, 13, 19, 18, 17})
        << QString();
}

void TestTensor::edgeCases()
{
    QFETCH(NdArray, input);
    QFETCH(TensorKernel, kernel);
    QFETCH(TensorConvSpec, spec);
    QFETCH(NdArray, expected);
    QFETCH(QString, reason);
    try {
        const Layout layout = input.shape.size() == 2 ? Layout::CL : input.shape.size() == 3 ? Layout::CHW : Layout::CDHW;
        const Tensor tensor = tensorFromArray(input, layout);
        QCOMPARE(problemOf(spec, tensor.shape(), kernel), QString());
        const TensorConvResult result = convolveTensor(tensor, kernel, spec);
        PADLAB_COMPARE_TENSOR(result.output, expected, 1e-12);
        const QString why = QString::fromStdString(emptyOutputReason(result.geometry));
        QCOMPARE(result.geometry.empty(), !reason.isEmpty());
        if (reason.isEmpty())
            QCOMPARE(why, QString());
        else
            QVERIFY2(why.contains(reason), qPrintable(why));
    } catch (const std::exception &e) {
        QFAIL(e.what());
    }
}

// Every fill on every axis of a 1-D, 2-D and 3-D tensor, pads wider than the input on some
// sides, against the folded model: corners are what NumPy's axis-after-axis padding gives.
void TestTensor::padEveryFillEveryAxis_data()
{
    QTest::addColumn<NdArray>("input");
    QTest::addColumn<int>("fill");
    QTest::addColumn<std::vector<int>>("pads");
    const std::vector<std::vector<std::int64_t>> shapes = {{2, 5}, {2, 3, 4}, {1, 1, 4}, {2, 2, 3, 3}, {1, 1, 1, 2}};
    uint64_t seed = 40;
    for (const auto &shape : shapes)
        for (Fill fill : allFills())
            for (int variant = 0; variant < 3; ++variant) {
                ++seed;
                std::vector<int> pads;
                for (size_t a = 1; a < shape.size(); ++a) {
                    const int n = int(shape[a]);
                    // Narrow, as wide as the axis, and several times wider than it.
                    pads.push_back(variant == 0 ? int(seed % 2) : variant == 1 ? n : 2 * n + 1 + int(a));
                    pads.push_back(variant == 0 ? 1 : variant == 1 ? int(a) : 3 * n);
                }
                QStringList size;
                for (auto s : shape)
                    size << QString::number(s);
                QTest::addRow("%s %s pads %s", qPrintable(size.join(QLatin1Char('x'))), fillName(fill).data(),
                              qPrintable(padsText([&] {
                                  std::vector<AxisPads> p;
                                  for (size_t i = 0; i < pads.size(); i += 2)
                                      p.push_back({pads[i], pads[i + 1]});
                                  return p;
                              }())))
                    << padlab::test::randomArray(shape, -9, 9, seed) << int(fill) << pads;
            }
}

void TestTensor::padEveryFillEveryAxis()
{
    QFETCH(NdArray, input);
    QFETCH(int, fill);
    QFETCH(std::vector<int>, pads);
    try {
        const int rank = int(input.shape.size()) - 1;
        const Layout layout = rank == 1 ? Layout::CL : rank == 2 ? Layout::CHW : Layout::CDHW;
        std::vector<AxisPads> sides;
        for (size_t i = 0; i < pads.size(); i += 2)
            sides.push_back({pads[i], pads[i + 1]});
        const Tensor padded = padTensor(tensorFromArray(input, layout), sides, Fill(fill), 4.25);
        std::vector<int> size;
        for (int a = 0; a < rank; ++a)
            size.push_back(int(input.shape[size_t(a) + 1]) + sides[size_t(a)].before + sides[size_t(a)].after);
        QCOMPARE(padded.shape().spatial, size);
        for (int c = 0; c < int(input.shape[0]); ++c)
            for (const auto &pos : padlab::test::allIndices(size)) {
                const double expected = padlab::test::paddedValue(input, c, pos, sides, Fill(fill), 4.25);
                QCOMPARE(padded.at(c, pos), expected);
                const TensorDonor donor = tensorDonor(pos, tensorFromArray(input, layout).shape(), sides, Fill(fill));
                if (!donor.cell.empty())
                    QCOMPARE(tensorFromArray(input, layout).at(c, donor.cell), expected);
                else
                    QCOMPARE(Fill(fill) == Fill::Zeros || Fill(fill) == Fill::Constant, true);
            }
    } catch (const std::exception &e) {
        QFAIL(e.what());
    }
}

void TestTensor::refusals_data()
{
    QTest::addColumn<TensorShape>("input");
    QTest::addColumn<std::vector<int>>("kernelShape");
    QTest::addColumn<int>("biasValues");
    QTest::addColumn<TensorConvSpec>("spec");
    QTest::addColumn<QString>("message");

    const auto spec = [](int groups = 1, TensorPadAmount amount = {}, std::vector<int> stride = {1}) {
        TensorConvSpec s;
        s.groups = groups;
        s.amount = std::move(amount);
        s.stride = std::move(stride);
        return s;
    };
    QTest::newRow("kernel channels against input channels")
        << TensorShape{3, {8, 8}} << std::vector<int>{4, 2, 3, 3} << 0 << spec()
        << QStringLiteral("the kernel has 2 input channels per group but the input has 3 channels and groups = 1");
    QTest::newRow("groups not dividing the filters")
        << TensorShape{3, {8, 8}} << std::vector<int>{16, 1, 3, 3} << 0 << spec(3)
        << QStringLiteral("groups (3) does not divide the 16 filters");
    QTest::newRow("groups not dividing the channels")
        << TensorShape{3, {8, 8}} << std::vector<int>{4, 1, 3, 3} << 0 << spec(2)
        << QStringLiteral("groups (2) does not divide the 3 input channels");
    QTest::newRow("bias length") << TensorShape{3, {8, 8}} << std::vector<int>{4, 3, 3, 3} << 3 << spec()
                                 << QStringLiteral("bias has 3 values for 4 filters");
    QTest::newRow("pad list of 3 for 2-D")
        << TensorShape{1, {8, 8}} << std::vector<int>{3, 3} << 0 << spec(1, {Amount::Explicit, {1, 1, 1}})
        << QStringLiteral("a 2-D pad list has 4 numbers (top,bottom,left,right), got 3");
    QTest::newRow("pad list of 4 for 1-D")
        << TensorShape{1, {8}} << std::vector<int>{3} << 0 << spec(1, {Amount::Explicit, {1, 1, 1, 1}})
        << QStringLiteral("a 1-D pad list has 2 numbers (left,right), got 4");
    QTest::newRow("pad list of 4 for 3-D")
        << TensorShape{1, {8, 8, 8}} << std::vector<int>{3, 3, 3} << 0 << spec(1, {Amount::Explicit, {1, 1, 1, 1}})
        << QStringLiteral("a 3-D pad list has 6 numbers (front,back,top,bottom,left,right), got 4");
    QTest::newRow("causal on a volume")
        << TensorShape{1, {8, 8, 8}} << std::vector<int>{3, 3, 3} << 0 << spec(1, {Amount::Causal, {}})
        << QStringLiteral("give its pads explicitly");
    QTest::newRow("kernel of 3 axes on a 2-D input")
        << TensorShape{2, {8, 8}} << std::vector<int>{2, 3, 3} << 0 << spec()
        << QStringLiteral("the kernel has 3 axes: a 2-D input takes a 2-D kernel (one for every channel) or a "
                          "4-D kernel (filters, channels per group, height, width)");
    QTest::newRow("stride of 3 values for 2-D")
        << TensorShape{1, {8, 8}} << std::vector<int>{3, 3} << 0 << spec(1, {}, {1, 2, 3})
        << QStringLiteral("stride has 3 values for a 2-D input (give 1 or 2)");
    QTest::newRow("spatial kernel with groups")
        << TensorShape{3, {8, 8}} << std::vector<int>{3, 3} << 0 << spec(2)
        << QStringLiteral("groups must be 1 or the 3 channels (got 2)");
    QTest::newRow("padded input too large")
        << TensorShape{1000, {1000, 1000}} << std::vector<int>{1, 1} << 0 << spec()
        << QStringLiteral("the padded input would have 1000x1000x1000 cells");
}

void TestTensor::refusals()
{
    QFETCH(TensorShape, input);
    QFETCH(std::vector<int>, kernelShape);
    QFETCH(int, biasValues);
    QFETCH(TensorConvSpec, spec);
    QFETCH(QString, message);
    TensorKernel kernel;
    kernel.shape = kernelShape;
    size_t n = 1;
    for (int d : kernelShape)
        n *= size_t(d);
    kernel.weights.assign(n, 1.0);
    kernel.bias.assign(size_t(biasValues), 0.5);
    const QString problem = problemOf(spec, input, kernel);
    QVERIFY2(problem.contains(message), qPrintable(problem));
    if (input.cells() <= 1'000'000)
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, convolveTensor(Tensor(input, CV_64F), kernel, spec));
}

void TestTensor::windowsSumToOutput_data()
{
    matchesDefinition_data();
}

// Every output cell's window, its taps and bias, adds up to the cell; each tap reads what its
// donor holds.
void TestTensor::windowsSumToOutput()
{
    QFETCH(NdArray, input);
    QFETCH(TensorKernel, kernel);
    QFETCH(TensorConvSpec, spec);
    try {
        const int rank = int(input.shape.size()) - 1;
        const Layout layout = rank == 1 ? Layout::CL : rank == 2 ? Layout::CHW : Layout::CDHW;
        const Tensor tensor = tensorFromArray(input, layout);
        const TensorConvResult result = convolveTensor(tensor, kernel, spec);
        if (result.geometry.empty())
            return;
        const Tensor padded = padTensor(tensor, result.geometry.pads(), spec.fill, spec.value);
        const int perGroup = kernel.rank() == rank ? 1 : kernel.shape[1];
        int taps = 1;
        for (int a = 0; a < rank; ++a)
            taps *= kernel.shape[kernel.shape.size() - size_t(rank) + size_t(a)];
        for (int f = 0; f < result.output.channels(); ++f)
            for (const auto &cell : padlab::test::allIndices(result.output.shape().spatial)) {
                const TensorWindow w = tensorWindowAt(tensor, result, kernel, spec, f, cell);
                QCOMPARE(int(w.taps.size()), perGroup * taps);
                QCOMPARE(w.hasBias, !kernel.bias.empty());
                const double out = result.output.at(f, cell);
                QVERIFY2(std::abs(w.sum - out) <= 1e-12 * std::max(1.0, std::abs(out)),
                         qPrintable(QStringLiteral("%1 != %2").arg(w.sum, 0, 'g', 17).arg(out, 0, 'g', 17)));
                for (const TensorTap &t : w.taps) {
                    QCOMPARE(t.value, padded.at(t.channel, t.padded));
                    if (!t.donor.cell.empty())
                        QCOMPARE(tensor.at(t.channel, t.donor.cell), t.value);
                }
            }
    } catch (const std::exception &e) {
        QFAIL(e.what());
    }
}

void TestTensor::windowText()
{
    try {
        NdArray input{{1, 3}, {1, 2, 3}};
        TensorKernel kernel = kernelFromArray(NdArray{{1, 1, 2}, {2, -1}});
        kernel.bias = {0.5};
        TensorConvSpec spec;
        const Tensor tensor = tensorFromArray(input, Layout::CL);
        const TensorConvResult result = convolveTensor(tensor, kernel, spec);
        const TensorWindow w = tensorWindowAt(tensor, result, kernel, spec, 0, {1});
        QCOMPARE(QString::fromStdString(tensorWindowSumText(w)), QStringLiteral("2*2 + (-1)*3 + 0.5 = 1.5"));
        QCOMPARE(w.origin, std::vector<int>{1});
        QCOMPARE(w.extent, std::vector<int>{2});
        spec.operation = Operation::Convolution;
        const TensorConvResult flipped = convolveTensor(tensor, kernel, spec);
        QCOMPARE(QString::fromStdString(tensorWindowSumText(tensorWindowAt(tensor, flipped, kernel, spec, 0, {0}))),
                 QStringLiteral("(-1)*1 + 2*2 + 0.5 = 3.5"));
    } catch (const std::exception &e) {
        QFAIL(e.what());
    }
}

void TestTensor::unreadPositions_data()
{
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("k");
    QTest::addColumn<int>("s");
    QTest::addColumn<int>("d");
    QTest::addColumn<std::vector<int>>("unread");
    // 7 + 0: windows at 0, 3: the last cell is left over.
    QTest::newRow("n7 k3 s3: cell 6 left over") << 7 << 3 << 3 << 1 << std::vector<int>{6};
    // Windows at 0, 4 read 0, 2 and 4, 6: odd cells are stepped over.
    QTest::newRow("n7 k2 s4 d2: odd cells stepped over") << 7 << 2 << 4 << 2 << std::vector<int>{1, 3, 5};
    QTest::newRow("n5 k3 s1: all read") << 5 << 3 << 1 << 1 << std::vector<int>{};
    QTest::newRow("n2 k3: no window, nothing read") << 2 << 3 << 1 << 1 << std::vector<int>{0, 1};
}

void TestTensor::unreadPositions()
{
    QFETCH(int, n);
    QFETCH(int, k);
    QFETCH(int, s);
    QFETCH(int, d);
    QFETCH(std::vector<int>, unread);
    TensorGeometry g;
    g.axes = {axisGeometry(n, k, s, d, Amount::Valid), axisGeometry(4, 1, 1, 1, Amount::Valid)};
    const auto lists = padlab::core::unreadPositions(g);
    QCOMPARE(lists.size(), size_t(2));
    QCOMPARE(lists[0], unread);
    QCOMPARE(lists[1], std::vector<int>{});
}

void TestTensor::layouts_data()
{
    QTest::addColumn<QString>("layout");
    QTest::addColumn<std::vector<std::int64_t>>("shape");
    QTest::addColumn<QString>("problem");
    QTest::newRow("CHW on 3-D") << QStringLiteral("chw") << std::vector<std::int64_t>{3, 4, 5} << QString();
    QTest::newRow("CHW on 2-D") << QStringLiteral("CHW") << std::vector<std::int64_t>{4, 5}
                                << QStringLiteral("layout CHW needs a 3-D array, got 2-D");
    QTest::newRow("L on 2-D") << QStringLiteral("L") << std::vector<std::int64_t>{1, 5}
                              << QStringLiteral("layout L needs a 1-D array, got 2-D");
    QTest::newRow("CDHW on 4-D") << QStringLiteral("CDHW") << std::vector<std::int64_t>{2, 3, 4, 5} << QString();
    QTest::newRow("DHW on 4-D") << QStringLiteral("DHW") << std::vector<std::int64_t>{2, 3, 4, 5}
                                << QStringLiteral("layout DHW needs a 3-D array, got 4-D");
    QTest::newRow("empty axis") << QStringLiteral("HW") << std::vector<std::int64_t>{0, 5}
                                << QStringLiteral("the array (0, 5) has an empty axis");
    QTest::newRow("too many cells") << QStringLiteral("CHW") << std::vector<std::int64_t>{3, 20000, 20000}
                                    << QStringLiteral("the array (3, 20000, 20000) has more than the 400000000 cells this program handles");
}

void TestTensor::layouts()
{
    QFETCH(QString, layout);
    QFETCH(std::vector<std::int64_t>, shape);
    QFETCH(QString, problem);
    const auto parsed = parseLayout(layout.toStdString());
    QVERIFY(parsed);
    NdArray array;
    array.shape = shape;
    std::int64_t n = 1;
    for (auto s : shape)
        n *= s;
    if (n <= 1000)
        array.values.assign(size_t(n), 1.0);
    const auto found = validateLayout(array, *parsed);
    QCOMPARE(found ? QString::fromStdString(*found) : QString(), problem);
}

void TestTensor::arrayRoundTrip()
{
    QCOMPARE(defaultLayout(1), std::optional<Layout>(Layout::L));
    QCOMPARE(defaultLayout(2), std::optional<Layout>(Layout::HW));
    QCOMPARE(defaultLayout(3), std::optional<Layout>(Layout::CHW));
    QCOMPARE(defaultLayout(4), std::optional<Layout>(Layout::CDHW));
    QVERIFY(!defaultLayout(5));
    QVERIFY(!parseLayout("CWH"));
    for (Layout layout : {Layout::L, Layout::CL, Layout::HW, Layout::CHW, Layout::DHW, Layout::CDHW}) {
        std::vector<std::int64_t> shape;
        for (int a = 0; a < layoutRank(layout); ++a)
            shape.push_back(2 + a);
        const NdArray a = padlab::test::randomArray(shape, -5, 5, uint64_t(layoutRank(layout)));
        const Tensor t = tensorFromArray(a, layout);
        QCOMPARE(t.channels(), hasChannels(layout) ? 2 : 1);
        QCOMPARE(t.shape().spatialRank(), spatialRank(layout));
        const NdArray back = arrayFromTensor(t, layout);
        QCOMPARE(back.shape, a.shape);
        QCOMPARE(back.values, a.values);
        // The first plane is a view of the tensor's own cells.
        cv::Mat plane = t.plane(0);
        QCOMPARE(plane.data, t.matrix().data);
    }
}

void TestTensor::parsers_data()
{
    QTest::addColumn<QString>("pad");
    QTest::addColumn<QString>("axes");
    QTest::addColumn<QString>("error"); // empty: accepted
    QTest::newRow("same and 3") << QStringLiteral(" SAME ") << QStringLiteral("3") << QString();
    QTest::newRow("six numbers and 1x2x3") << QStringLiteral("0,1,2,3,4,5") << QStringLiteral("1x2x3") << QString();
    QTest::newRow("unknown word") << QStringLiteral("half") << QStringLiteral("1")
                                  << QStringLiteral("--pad: unknown amount 'half'");
    QTest::newRow("negative pad") << QStringLiteral("1,-1") << QStringLiteral("1")
                                  << QStringLiteral("--pad: value 2 -1 is negative");
    QTest::newRow("word in pad list") << QStringLiteral("1,a") << QStringLiteral("1")
                                      << QStringLiteral("--pad: value 2 'a' is not a whole number");
    QTest::newRow("four axes") << QStringLiteral("valid") << QStringLiteral("1x1x1x1")
                               << QStringLiteral("--stride: expected N or one number per axis");
    QTest::newRow("zero stride") << QStringLiteral("valid") << QStringLiteral("2x0")
                                 << QStringLiteral("--stride: 0 must be at least 1");
    QTest::newRow("negative") << QStringLiteral("valid") << QStringLiteral("-1")
                              << QStringLiteral("--stride: -1 must be at least 1");
}

void TestTensor::parsers()
{
    QFETCH(QString, pad);
    QFETCH(QString, axes);
    QFETCH(QString, error);
    try {
        const TensorPadAmount amount = parseTensorPadAmount(pad.toStdString());
        const std::vector<int> values = parseAxisValues(axes.toStdString(), "--stride");
        // An output padding may be 0; below it, never.
        QCOMPARE(parseAxisValues("0x1", "--output-padding", 0), (std::vector<int>{0, 1}));
        QVERIFY_THROWS_EXCEPTION(Error, parseAxisValues("-1", "--output-padding", 0));
        QVERIFY2(error.isEmpty(), "accepted");
        QVERIFY(!values.empty());
        if (amount.kind == Amount::Explicit)
            QCOMPARE(amount.values, (std::vector<int>{0, 1, 2, 3, 4, 5}));
        else
            QCOMPARE(amount.kind, Amount::Same);
    } catch (const Error &e) {
        QVERIFY2(!error.isEmpty() && QString::fromUtf8(e.what()).startsWith(error), e.what());
    }
}

// A colour image as OpenCV decodes it (B, G, R) is three channels in R, G, B order.
void TestTensor::colourImage()
{
    cv::Mat bgr(2, 3, CV_8UC3);
    for (int r = 0; r < 2; ++r)
        for (int c = 0; c < 3; ++c)
            bgr.at<cv::Vec3b>(r, c) = cv::Vec3b(uchar(10 * r + c), uchar(100 + c), uchar(200 + r));
    const Tensor t = tensorFromImage(bgr);
    QCOMPARE(t.shape(), (TensorShape{3, {2, 3}}));
    QCOMPARE(t.depth(), CV_32F);
    QCOMPARE(t.at(0, {1, 2}), 201.0); // red
    QCOMPARE(t.at(1, {1, 2}), 102.0); // green
    QCOMPARE(t.at(2, {1, 2}), 12.0);  // blue
    cv::Mat gray(2, 2, CV_8UC1, cv::Scalar(7));
    QCOMPARE(tensorFromImage(gray).shape(), (TensorShape{1, {2, 2}}));
    QCOMPARE(tensorFromImage(gray).at(0, {1, 1}), 7.0);
}

QTEST_GUILESS_MAIN(TestTensor)
#include "tst_tensor.moc"

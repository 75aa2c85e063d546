// Transposed convolution: the public reference cases (PyTorch's padding and output_padding,
// Keras' valid and same), the scatter definition on random 1-D/2-D/3-D inputs, the direct
// explanation (zero-stuffed, implicitly padded, flipped kernel) equal to the result, windows.
#include "padlab/core/convt.h"
#include "padlab/core/error.h"
#include "tensortestutil.h"

#include <QObject>
#include <QTest>

#include <cmath>

using namespace padlab::core;
using padlab::test::TensorCase;

Q_DECLARE_METATYPE(padlab::core::ConvTSpec)

namespace {

ConvTSpec convtSpecFromArgs(const TensorCase &c)
{
    ConvTSpec spec;
    spec.amount = parseTensorPadAmount(c.arg(QStringLiteral("--pad"), QStringLiteral("valid")).toStdString());
    spec.stride = parseAxisValues(c.arg(QStringLiteral("--stride"), QStringLiteral("1")).toStdString(), "--stride");
    spec.dilation = parseAxisValues(c.arg(QStringLiteral("--dilation"), QStringLiteral("1")).toStdString(), "--dilation");
    spec.groups = c.arg(QStringLiteral("--groups"), QStringLiteral("1")).toInt();
    spec.outputPadding =
        parseAxisValues(c.arg(QStringLiteral("--output-padding"), QStringLiteral("0")).toStdString(), "--output-padding", 0);
    return spec;
}

Layout layoutFor(const NdArray &input)
{
    const size_t rank = input.shape.size() - 1;
    return rank == 1 ? Layout::CL : rank == 2 ? Layout::CHW : Layout::CDHW;
}

/// The crop and size of one axis, from the spec alone (PyTorch's padding and output_padding,
/// Keras' valid and same), written here independently of the engine's geometry.
struct Crop {
    int before;
    int output;
};

Crop cropOf(const ConvTSpec &spec, int axis, int n, int k)
{
    const int s = spec.stride.size() == 1 ? spec.stride[0] : spec.stride[size_t(axis)];
    const int d = spec.dilation.size() == 1 ? spec.dilation[0] : spec.dilation[size_t(axis)];
    const int o = spec.outputPadding.size() == 1 ? spec.outputPadding[0] : spec.outputPadding[size_t(axis)];
    const int e = d * (k - 1) + 1;
    const int full = (n - 1) * s + e;
    if (spec.amount.kind == Amount::Same)
        return {std::max(e - s, 0) / 2, n * s};
    if (spec.amount.kind == Amount::Valid)
        return {0, std::max(full, n * s)};
    const int before = spec.amount.values[size_t(2 * axis)];
    const int after = spec.amount.values[size_t(2 * axis + 1)];
    return {before, full - before - after + o};
}

/// The scatter definition: every input cell stamps value x kernel onto the full output, the
/// crop keeps [before, before + out); then the bias.
NdArray naiveTransposed(const NdArray &input, const TensorKernel &kernel, const ConvTSpec &spec)
{
    const int rank = int(input.shape.size()) - 1;
    const int channels = int(input.shape[0]);
    const bool spatialOnly = kernel.rank() == rank;
    const int groups = spatialOnly ? channels : spec.groups;
    const int perGroup = spatialOnly ? 1 : kernel.shape[1];
    const int filters = perGroup * groups;
    std::vector<int> out;
    std::vector<int> in;
    std::vector<int> k;
    std::vector<int> before;
    std::vector<int> stride;
    std::vector<int> dilation;
    for (int a = 0; a < rank; ++a) {
        in.push_back(int(input.shape[size_t(a) + 1]));
        k.push_back(kernel.shape[kernel.shape.size() - size_t(rank) + size_t(a)]);
        const Crop crop = cropOf(spec, a, in.back(), k.back());
        out.push_back(crop.output);
        before.push_back(crop.before);
        stride.push_back(spec.stride.size() == 1 ? spec.stride[0] : spec.stride[size_t(a)]);
        dilation.push_back(spec.dilation.size() == 1 ? spec.dilation[0] : spec.dilation[size_t(a)]);
    }
    NdArray result;
    result.shape.push_back(filters);
    std::int64_t cells = 1;
    for (int o : out) {
        result.shape.push_back(o);
        cells *= o;
    }
    result.values.assign(size_t(filters * cells), 0.0);
    const auto taps = padlab::test::allIndices(k);
    const auto inputs = padlab::test::allIndices(in);
    const int channelsPerGroup = channels / groups;
    for (int c = 0; c < channels; ++c)
        for (size_t ii = 0; ii < inputs.size(); ++ii)
            for (int fl = 0; fl < perGroup; ++fl)
                for (size_t t = 0; t < taps.size(); ++t) {
                    const int f = (c / channelsPerGroup) * perGroup + fl;
                    std::int64_t flat = f;
                    bool inside = true;
                    for (int a = 0; a < rank; ++a) {
                        const size_t i = size_t(a);
                        const int p = inputs[ii][i] * stride[i] + taps[t][i] * dilation[i] - before[i];
                        inside = inside && p >= 0 && p < out[i];
                        flat = flat * out[i] + p;
                    }
                    if (!inside)
                        continue;
                    const size_t w = spatialOnly ? t : (size_t(c) * perGroup + size_t(fl)) * taps.size() + t;
                    result.values[size_t(flat)] += input.values[size_t(c) * inputs.size() + ii] * kernel.weights[w];
                }
    if (!kernel.bias.empty())
        for (int f = 0; f < filters; ++f)
            for (std::int64_t i = 0; i < cells; ++i)
                result.values[size_t(f * cells + i)] += kernel.bias[size_t(f)];
    return result;
}

ConvTSpec makeSpec(Amount kind, std::vector<int> values, std::vector<int> stride, std::vector<int> dilation = {1},
                   std::vector<int> outputPadding = {0}, int groups = 1)
{
    ConvTSpec s;
    s.amount = {kind, std::move(values)};
    s.stride = std::move(stride);
    s.dilation = std::move(dilation);
    s.outputPadding = std::move(outputPadding);
    s.groups = groups;
    return s;
}

} // namespace

class TestConvT : public QObject {
    Q_OBJECT

private slots:
    void reference_data();
    void reference();
    void matchesDefinition_data();
    void matchesDefinition();
    void explanationEqualsResult_data();
    void explanationEqualsResult();
    void explanationPicture();
    void windows_data();
    void windows();
    void windowText();
    void formulas_data();
    void formulas();
    void refusals_data();
    void refusals();
    void floatTensors();
};

void TestConvT::reference_data()
{
    padlab::test::addReferenceRows(QStringLiteral("convt"));
}

void TestConvT::reference()
{
    QFETCH(int, index);
    try {
        const TensorCase c = padlab::test::tensorCases().at(size_t(index));
        const ConvTSpec spec = convtSpecFromArgs(c);
        TensorKernel kernel = kernelFromArray(c.kernel);
        kernel.bias = c.bias.values;
        const Tensor input = tensorFromArray(c.input, *parseLayout(c.arg(QStringLiteral("--layout")).toStdString()));
        const auto problem = validate(spec, input.shape(), kernel);
        QVERIFY2(!problem, problem ? problem->c_str() : "");
        const ConvTResult result = transposeConvolve(input, kernel, spec);
        PADLAB_COMPARE_TENSOR(result.output, c.output, 1e-9);
        PADLAB_COMPARE_TENSOR(explainTransposed(input, kernel, spec).direct.output, c.output, 1e-9);
    } catch (const std::exception &e) {
        QFAIL(e.what());
    }
}

void TestConvT::matchesDefinition_data()
{
    QTest::addColumn<NdArray>("input");
    QTest::addColumn<TensorKernel>("kernel");
    QTest::addColumn<ConvTSpec>("spec");
    struct Shape {
        const char *name;
        std::vector<std::int64_t> input;
        std::vector<std::int64_t> kernel; // (C, F/groups, *k) or (*k)
        int groups;
    };
    const std::vector<Shape> shapes = {
        {"1-D 2->3 k3", {2, 7}, {2, 3, 3}, 1},
        {"1-D even kernel k4", {1, 6}, {1, 2, 4}, 1},
        {"1-D spatial kernel k2", {3, 5}, {2}, 1},
        {"2-D 3->2 k3x3", {3, 5, 6}, {3, 2, 3, 3}, 1},
        {"2-D even kernel k4x2", {2, 4, 5}, {2, 1, 4, 2}, 1},
        {"2-D groups 2", {4, 5, 4}, {4, 3, 3, 2}, 2},
        {"2-D depthwise", {3, 6, 5}, {3, 1, 3, 3}, 3},
        {"2-D 16 channels", {16, 5, 7}, {16, 2, 3, 3}, 1},
        {"3-D 2->2 k2x3x2", {2, 3, 4, 3}, {2, 2, 2, 3, 2}, 1},
        {"3-D spatial kernel", {2, 3, 3, 4}, {3, 1, 2}, 1},
    };
    const std::vector<std::pair<int, int>> steps = {{1, 1}, {2, 1}, {3, 1}, {2, 2}, {3, 2}, {1, 3}};
    uint64_t seed = 500;
    for (const Shape &s : shapes)
        for (const auto &[stride, dilation] : steps)
            for (int variant = 0; variant < 4; ++variant) {
                ++seed;
                const int rank = int(s.input.size()) - 1;
                ConvTSpec spec;
                spec.stride = {stride};
                spec.dilation = {dilation};
                spec.groups = s.groups;
                spec.outputPadding = {0};
                switch (variant) {
                case 0: spec.amount.kind = Amount::Valid; break;
                case 1: spec.amount.kind = Amount::Same; break;
                default:
                    spec.amount.kind = Amount::Explicit;
                    for (int a = 0; a < rank; ++a)
                        spec.amount.values.insert(spec.amount.values.end(), {int(seed % 3), int((seed + a) % 2)});
                    if (variant == 3)
                        spec.outputPadding = {std::max(stride, dilation) - 1};
                }
                TensorKernel kernel = kernelFromArray(padlab::test::randomArray(s.kernel, -2, 2, seed));
                if (seed % 2 == 1) {
                    const int filters = int(s.kernel.size()) == rank ? int(s.input[0]) : int(s.kernel[1]) * s.groups;
                    kernel.bias = padlab::test::randomArray({filters}, -1, 1, seed + 3).values;
                }
                const NdArray input = padlab::test::randomArray(s.input, -1, 1, seed + 1);
                if (validate(spec, tensorFromArray(input, layoutFor(input)).shape(), kernel))
                    continue;
                QTest::addRow("%s s%d d%d %s%s%s", s.name, stride, dilation, amountName(spec.amount.kind).data(),
                              variant == 3 ? " output padding" : "", kernel.bias.empty() ? "" : " bias")
                    << input << kernel << spec;
            }
}

void TestConvT::matchesDefinition()
{
    QFETCH(NdArray, input);
    QFETCH(TensorKernel, kernel);
    QFETCH(ConvTSpec, spec);
    try {
        const ConvTResult result = transposeConvolve(tensorFromArray(input, layoutFor(input)), kernel, spec);
        PADLAB_COMPARE_TENSOR(result.output, naiveTransposed(input, kernel, spec), 1e-12);
    } catch (const std::exception &e) {
        QFAIL(e.what());
    }
}

void TestConvT::explanationEqualsResult_data()
{
    matchesDefinition_data();
}

void TestConvT::explanationEqualsResult()
{
    QFETCH(NdArray, input);
    QFETCH(TensorKernel, kernel);
    QFETCH(ConvTSpec, spec);
    try {
        const Tensor tensor = tensorFromArray(input, layoutFor(input));
        const ConvTResult result = transposeConvolve(tensor, kernel, spec);
        const ConvTExplanation x = explainTransposed(tensor, kernel, spec);
        PADLAB_COMPARE_TENSOR(x.direct.output, arrayFromTensor(result.output, layoutFor(input)), 1e-12);
        // The picture's numbers: s - 1 zeros between cells, e - 1 - crop on each side.
        for (size_t a = 0; a < result.axes.size(); ++a) {
            const ConvTAxis &g = result.axes[a];
            QCOMPARE(x.stuffed.shape().spatial[a], (g.input - 1) * g.stride + 1);
            QCOMPARE(x.implicit[a].before, g.extent - 1 - g.before);
            QCOMPARE(x.implicit[a].after, g.extent - 1 - g.after + g.outputPadding);
        }
    } catch (const std::exception &e) {
        QFAIL(e.what());
    }
}

// PyTorch's guide example in 1-D: [1 2 3], k3 s2 p1: zero-stuffed [1 0 2 0 3], padded by
// e - 1 - p = 1 on each side.
void TestConvT::explanationPicture()
{
    try {
        const Tensor input = tensorFromArray(NdArray{{1, 3}, {1, 2, 3}}, Layout::CL);
        const TensorKernel kernel = kernelFromArray(NdArray{{1, 1, 3}, {1, 10, 100}});
        const ConvTSpec spec = makeSpec(Amount::Explicit, {1, 1}, {2});
        const ConvTExplanation x = explainTransposed(input, kernel, spec);
        PADLAB_COMPARE_TENSOR(x.stuffed, (NdArray{{1, 5}, {1, 0, 2, 0, 3}}), 0.0);
        QCOMPARE(x.implicit[0], (AxisPads{1, 1}));
        PADLAB_COMPARE_TENSOR(x.padded, (NdArray{{1, 7}, {0, 1, 0, 2, 0, 3, 0}}), 0.0);
        // The direct picture's window of output 1: padded cells 1, 2, 3 under the flipped kernel.
        const TensorWindow w = tensorWindowAt(x.padded, x.direct, x.kernel, x.spec, 0, {1});
        QCOMPARE(QString::fromStdString(tensorWindowSumText(w)), QStringLiteral("100*1 + 10*0 + 1*2 = 102"));
        QCOMPARE(x.kernel.weights, (std::vector<double>{100, 10, 1}));
        // Full stamps: 1*(1 10 100) at 0, 2*(...) at 2, 3*(...) at 4; crop 1 each side of 7 cells.
        const NdArray expected{{1, 5}, {10, 102, 20, 203, 30}};
        PADLAB_COMPARE_TENSOR(x.direct.output, expected, 0.0);
        PADLAB_COMPARE_TENSOR(transposeConvolve(input, kernel, spec).output, expected, 0.0);
        // Cropping 2 before and none after keeps full cells 2 to 6 of 1 10 102 20 203 30 300 (PyTorch's
        // symmetric padding cannot say this; the crop's side matters).
        const ConvTSpec uneven = makeSpec(Amount::Explicit, {2, 0}, {2});
        PADLAB_COMPARE_TENSOR(transposeConvolve(input, kernel, uneven).output, (NdArray{{1, 5}, {102, 20, 203, 30, 300}}), 0.0);
        PADLAB_COMPARE_TENSOR(explainTransposed(input, kernel, uneven).direct.output,
                              (NdArray{{1, 5}, {102, 20, 203, 30, 300}}), 0.0);
    } catch (const std::exception &e) {
        QFAIL(e.what());
    }
}

void TestConvT::windows_data()
{
    matchesDefinition_data();
}

// The stamps onto every output cell add up to it, and each names an input cell and tap with
// i*s + t*d = o + before on every axis.
void TestConvT::windows()
{
    QFETCH(NdArray, input);
    QFETCH(TensorKernel, kernel);
    QFETCH(ConvTSpec, spec);
    try {
        const Tensor tensor = tensorFromArray(input, layoutFor(input));
        const ConvTResult result = transposeConvolve(tensor, kernel, spec);
        for (int f = 0; f < result.output.channels(); ++f)
            for (const auto &cell : padlab::test::allIndices(result.output.shape().spatial)) {
                const ConvTWindow w = convtWindowAt(tensor, result, kernel, spec, f, cell);
                const double out = result.output.at(f, cell);
                QVERIFY2(std::abs(w.sum - out) <= 1e-12 * std::max(1.0, std::abs(out)),
                         qPrintable(QStringLiteral("%1 != %2").arg(w.sum).arg(out)));
                for (const ConvTStamp &s : w.stamps) {
                    for (size_t a = 0; a < cell.size(); ++a) {
                        const ConvTAxis &g = result.axes[a];
                        QCOMPARE(s.input[a] * g.stride + s.tap[a] * g.dilation, cell[a] + g.before);
                    }
                    QCOMPARE(s.value, tensor.at(s.channel, s.input));
                }
            }
    } catch (const std::exception &e) {
        QFAIL(e.what());
    }
}

void TestConvT::windowText()
{
    try {
        const Tensor input = tensorFromArray(NdArray{{1, 3}, {1, 2, 3}}, Layout::CL);
        TensorKernel kernel = kernelFromArray(NdArray{{1, 1, 3}, {1, 10, 100}});
        kernel.bias = {0.5};
        const ConvTSpec spec = makeSpec(Amount::Explicit, {1, 1}, {2});
        const ConvTResult result = transposeConvolve(input, kernel, spec);
        // Output 1 is full position 2: input 0 with tap 2, input 1 with tap 0.
        QCOMPARE(QString::fromStdString(convtWindowSumText(convtWindowAt(input, result, kernel, spec, 0, {1}))),
                 QStringLiteral("100*1 + 1*2 + 0.5 = 102.5"));
        // Keras valid with e = 1 < s = 3: the cells between the stamps hold the bias alone.
        const ConvTSpec valid = makeSpec(Amount::Valid, {}, {3});
        const TensorKernel one = [] {
            TensorKernel k = kernelFromArray(NdArray{{1, 1, 1}, {2}});
            k.bias = {0.25};
            return k;
        }();
        const ConvTResult v = transposeConvolve(input, one, valid);
        PADLAB_COMPARE_TENSOR(v.output, (NdArray{{1, 9}, {2.25, 0.25, 0.25, 4.25, 0.25, 0.25, 6.25, 0.25, 0.25}}), 0.0);
        QCOMPARE(QString::fromStdString(convtWindowSumText(convtWindowAt(input, v, one, valid, 0, {8}))),
                 QStringLiteral("0.25 = 0.25"));
    } catch (const std::exception &e) {
        QFAIL(e.what());
    }
}

void TestConvT::formulas_data()
{
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("k");
    QTest::addColumn<ConvTSpec>("spec");
    QTest::addColumn<QString>("output");
    QTest::addColumn<QString>("crop");
    // SEMANTICS.md section 8: L=4, k=3, s=2: p=0 -> 9; p=1 -> 7; p=1, op=1 -> 8.
    QTest::newRow("p0") << 4 << 3 << makeSpec(Amount::Explicit, {0, 0}, {2})
                        << QStringLiteral("out = (n - 1)*s + e - before - after + o = (4 - 1)*2 + 3 - 0 - 0 + 0 = 9")
                        << QStringLiteral("crop before = 0, after = 0 as given; as a direct correlation of the input "
                                          "with s - 1 = 1 zeros between cells: e - 1 - before = 2 before, e - 1 - "
                                          "after + o = 2 after");
    QTest::newRow("p1") << 4 << 3 << makeSpec(Amount::Explicit, {1, 1}, {2})
                        << QStringLiteral("out = (n - 1)*s + e - before - after + o = (4 - 1)*2 + 3 - 1 - 1 + 0 = 7")
                        << QStringLiteral("crop before = 1, after = 1 as given; as a direct correlation of the input "
                                          "with s - 1 = 1 zeros between cells: e - 1 - before = 1 before, e - 1 - "
                                          "after + o = 1 after");
    QTest::newRow("p1 op1") << 4 << 3 << makeSpec(Amount::Explicit, {1, 1}, {2}, {1}, {1})
                            << QStringLiteral("out = (n - 1)*s + e - before - after + o = (4 - 1)*2 + 3 - 1 - 1 + 1 = 8")
                            << QStringLiteral("crop before = 1, after = 1 as given, then 1 cell added after; as a "
                                              "direct correlation of the input with s - 1 = 1 zeros between cells: e "
                                              "- 1 - before = 1 before, e - 1 - after + o = 2 after");
    // Keras: L=4, s=2: k=3 valid 9, same 8; k=1, s=3 valid 12.
    QTest::newRow("Keras valid k3 s2") << 4 << 3 << makeSpec(Amount::Valid, {}, {2})
                                       << QStringLiteral("out = max((n - 1)*s + e, n*s) = max((4 - 1)*2 + 3, 4*2) = 9")
                                       << QStringLiteral("valid: nothing cropped; as a direct correlation of the input "
                                                         "with s - 1 = 1 zeros between cells: e - 1 - before = 2 "
                                                         "before, e - 1 - after + o = 2 after");
    QTest::newRow("Keras same k3 s2") << 4 << 3 << makeSpec(Amount::Same, {}, {2})
                                      << QStringLiteral("out = n*s = 4*2 = 8")
                                      << QStringLiteral("same: before = max(e - s, 0)//2 = max(3 - 2, 0)//2 = 0, after "
                                                        "= 9 - 8 - 0 = 1; as a direct correlation of the input with s "
                                                        "- 1 = 1 zeros between cells: e - 1 - before = 2 before, e - 1 "
                                                        "- after + o = 1 after");
    QTest::newRow("Keras valid k1 s3") << 4 << 1 << makeSpec(Amount::Valid, {}, {3})
                                       << QStringLiteral("out = max((n - 1)*s + e, n*s) = max((4 - 1)*3 + 1, 4*3) = 12")
                                       << QStringLiteral("valid: nothing cropped, 2 cells after the stamps (e = 1 < s = "
                                                         "3); as a direct correlation of the input with s - 1 = 2 "
                                                         "zeros between cells: e - 1 - before = 0 before, e - 1 - "
                                                         "after + o = 2 after");
    QTest::newRow("dilation shows e") << 4 << 3 << makeSpec(Amount::Explicit, {0, 0}, {1}, {2})
                                      << QStringLiteral("out = (n - 1)*s + e - before - after + o = (4 - 1)*1 + 5 - 0 "
                                                        "- 0 + 0 = 8, with e = 2*(3 - 1) + 1 = 5")
                                      << QStringLiteral("crop before = 0, after = 0 as given; as a direct correlation "
                                                        "of the input with s - 1 = 0 zeros between cells: e - 1 - "
                                                        "before = 4 before, e - 1 - after + o = 4 after");
}

void TestConvT::formulas()
{
    QFETCH(int, n);
    QFETCH(int, k);
    QFETCH(ConvTSpec, spec);
    QFETCH(QString, output);
    QFETCH(QString, crop);
    TensorKernel kernel = kernelFromArray(NdArray{{1, 1, k}, std::vector<double>(size_t(k), 1.0)});
    const TensorShape shape{1, {n}};
    QCOMPARE(validate(spec, shape, kernel), std::optional<std::string>());
    const ConvTAxis a = convtGeometry(spec, shape, kernel)[0];
    QCOMPARE(QString::fromStdString(convtOutputFormula(a)), output);
    QCOMPARE(QString::fromStdString(convtCropFormula(a)), crop);
}

void TestConvT::refusals_data()
{
    QTest::addColumn<TensorShape>("input");
    QTest::addColumn<std::vector<int>>("kernelShape");
    QTest::addColumn<int>("biasValues");
    QTest::addColumn<ConvTSpec>("spec");
    QTest::addColumn<QString>("message");
    QTest::newRow("output padding not below stride or dilation")
        << TensorShape{1, {4, 4}} << std::vector<int>{1, 1, 3, 3} << 0
        << makeSpec(Amount::Explicit, {0, 0, 0, 0}, {2}, {1}, {2})
        << QStringLiteral("output padding (2) must be smaller than the stride (2) or the dilation (1)");
    QTest::newRow("kernel input channels") << TensorShape{3, {4, 4}} << std::vector<int>{2, 1, 3, 3} << 0
                                           << makeSpec(Amount::Valid, {}, {1})
                                           << QStringLiteral("the kernel has 2 input channels but the input has 3");
    QTest::newRow("groups against channels") << TensorShape{3, {4, 4}} << std::vector<int>{3, 1, 3, 3} << 0
                                             << makeSpec(Amount::Valid, {}, {1}, {1}, {0}, 2)
                                             << QStringLiteral("groups (2) does not divide the 3 input channels");
    QTest::newRow("bias length") << TensorShape{2, {4, 4}} << std::vector<int>{2, 3, 3, 3} << 2
                                 << makeSpec(Amount::Valid, {}, {1}, {1}, {0}, 2)
                                 << QStringLiteral("bias has 2 values for 6 filters");
    QTest::newRow("crops leave nothing") << TensorShape{1, {2}} << std::vector<int>{1, 1, 2} << 0
                                         << makeSpec(Amount::Explicit, {2, 2}, {1})
                                         << QStringLiteral("the crops (2 and 2) leave no output on the length");
    QTest::newRow("full") << TensorShape{1, {4}} << std::vector<int>{1, 1, 2} << 0 << makeSpec(Amount::Full, {}, {1})
                          << QStringLiteral("a transposed convolution crops valid, same (Keras) or explicitly");
    QTest::newRow("output padding with same") << TensorShape{1, {4}} << std::vector<int>{1, 1, 3} << 0
                                              << makeSpec(Amount::Same, {}, {2}, {1}, {1})
                                              << QStringLiteral("output padding goes with explicit crops");
    QTest::newRow("pad list of 2 for 2-D") << TensorShape{1, {4, 4}} << std::vector<int>{1, 1, 3, 3} << 0
                                           << makeSpec(Amount::Explicit, {1, 1}, {1})
                                           << QStringLiteral("a 2-D pad list has 4 numbers (top,bottom,left,right), got 2");
}

void TestConvT::refusals()
{
    QFETCH(TensorShape, input);
    QFETCH(std::vector<int>, kernelShape);
    QFETCH(int, biasValues);
    QFETCH(ConvTSpec, spec);
    QFETCH(QString, message);
    TensorKernel kernel;
    kernel.shape = kernelShape;
    size_t n = 1;
    for (int d : kernelShape)
        n *= size_t(d);
    kernel.weights.assign(n, 1.0);
    kernel.bias.assign(size_t(biasValues), 0.0);
    const auto problem = validate(spec, input, kernel);
    QVERIFY2(problem && QString::fromStdString(*problem).startsWith(message), problem ? problem->c_str() : "accepted");
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, transposeConvolve(Tensor(input, CV_64F), kernel, spec));
}

void TestConvT::floatTensors()
{
    try {
        const NdArray input = padlab::test::randomArray({4, 17, 23}, -1, 1, 77);
        const TensorKernel kernel = kernelFromArray(padlab::test::randomArray({4, 3, 3, 3}, -1, 1, 78));
        const ConvTSpec spec = makeSpec(Amount::Explicit, {1, 1, 1, 1}, {2}, {1}, {1});
        const ConvTResult f = transposeConvolve(tensorFromArray(input, Layout::CHW, CV_32F), kernel, spec);
        QCOMPARE(f.output.depth(), CV_32F);
        PADLAB_COMPARE_TENSOR(f.output, naiveTransposed(input, kernel, spec), 1e-5);
    } catch (const std::exception &e) {
        QFAIL(e.what());
    }
}

QTEST_GUILESS_MAIN(TestConvT)
#include "tst_convt.moc"

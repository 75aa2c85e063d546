// Pooling: the public reference cases (PyTorch's max and average with ceil_mode and
// count_include_pad, TensorFlow's same and valid), the definition on random 1-D/2-D/3-D inputs,
// and the rules where the frameworks differ, worked out by hand.
#include "padlab/core/error.h"
#include "padlab/core/pool.h"
#include "tensortestutil.h"

#include <QObject>
#include <QTest>

#include <cmath>
#include <limits>

using namespace padlab::core;
using padlab::test::TensorCase;

Q_DECLARE_METATYPE(padlab::core::PoolSpec)

namespace {

PoolSpec poolSpecFromArgs(const TensorCase &c)
{
    PoolSpec spec;
    spec.op = *parsePoolOp(c.arg(QStringLiteral("--op")).toStdString());
    spec.window = parseAxisValues(c.arg(QStringLiteral("--size")).toStdString(), "--size");
    if (c.flag(QStringLiteral("--stride")))
        spec.stride = parseAxisValues(c.arg(QStringLiteral("--stride")).toStdString(), "--stride");
    if (c.flag(QStringLiteral("--dilation")))
        spec.dilation = parseAxisValues(c.arg(QStringLiteral("--dilation")).toStdString(), "--dilation");
    spec.amount = parseTensorPadAmount(c.arg(QStringLiteral("--pad"), QStringLiteral("valid")).toStdString());
    spec.ceil = c.flag(QStringLiteral("--ceil"));
    if (c.flag(QStringLiteral("--count-pad")))
        spec.countPadding = c.arg(QStringLiteral("--count-pad")) == QLatin1String("include");
    return spec;
}

/// The definition, cell by cell: the window's taps, each an input cell, a padded cell or a cell
/// past the padded input; a max over the input cells, or their sum over the cells counted.
NdArray naivePool(const NdArray &input, const PoolSpec &spec)
{
    const int rank = int(input.shape.size()) - 1;
    const std::vector<int> k = perAxis(spec.window, rank);
    const std::vector<int> s = perAxis(spec.stride.empty() ? spec.window : spec.stride, rank);
    const std::vector<int> d = perAxis(spec.dilation, rank);
    std::vector<int> before(size_t(rank), 0);
    std::vector<int> after(size_t(rank), 0);
    std::vector<int> out;
    for (int a = 0; a < rank; ++a) {
        const size_t i = size_t(a);
        const int n = int(input.shape[i + 1]);
        const int e = d[i] * (k[i] - 1) + 1;
        if (spec.amount.kind == Amount::Same) {
            const int o = (n + s[i] - 1) / s[i];
            const int total = std::max((o - 1) * s[i] + e - n, 0);
            before[i] = total / 2;
            after[i] = total - before[i];
            out.push_back(o);
            continue;
        }
        if (spec.amount.kind == Amount::Explicit) {
            before[i] = spec.amount.values[2 * i];
            after[i] = spec.amount.values[2 * i + 1];
        }
        const int span = n + before[i] + after[i] - e;
        int o = span < 0 ? 0 : span / s[i] + 1;
        if (spec.ceil && span >= 0) {
            o = (span + s[i] - 1) / s[i] + 1;
            if ((o - 1) * s[i] >= n + before[i])
                --o;
        }
        out.push_back(o);
    }
    const bool include = spec.countPadding.value_or(spec.amount.kind == Amount::Explicit);
    NdArray result;
    result.shape.push_back(input.shape[0]);
    for (int o : out)
        result.shape.push_back(o);
    const auto taps = padlab::test::allIndices(k);
    for (int c = 0; c < int(input.shape[0]); ++c)
        for (const auto &o : padlab::test::allIndices(out)) {
            double best = -std::numeric_limits<double>::infinity();
            double sum = 0;
            int counted = 0;
            for (const auto &t : taps) {
                bool inside = true;
                bool past = false;
                std::int64_t flat = c;
                for (int a = 0; a < rank; ++a) {
                    const size_t i = size_t(a);
                    const int p = o[i] * s[i] + t[i] * d[i];
                    const int n = int(input.shape[i + 1]);
                    past = past || p >= n + before[i] + after[i];
                    inside = inside && p >= before[i] && p < before[i] + n;
                    flat = flat * n + (p - before[i]);
                }
                if (inside) {
                    const double v = input.values[size_t(flat)];
                    best = std::max(best, v);
                    sum += v;
                    ++counted;
                } else if (include && !past) {
                    ++counted;
                }
            }
            result.values.push_back(spec.op == PoolOp::Max ? best : sum / counted);
        }
    return result;
}

PoolSpec makeSpec(PoolOp op, std::vector<int> window, std::vector<int> stride, Amount kind,
                  std::vector<int> pads = {}, bool ceil = false, std::optional<bool> count = std::nullopt)
{
    PoolSpec s;
    s.op = op;
    s.window = std::move(window);
    s.stride = std::move(stride);
    s.amount = {kind, std::move(pads)};
    s.ceil = ceil;
    s.countPadding = count;
    return s;
}

} // namespace

class TestPool : public QObject {
    Q_OBJECT

private slots:
    void reference_data();
    void reference();
    void matchesDefinition_data();
    void matchesDefinition();
    void handWorked_data();
    void handWorked();
    void formulas_data();
    void formulas();
    void pytorchRule_data();
    void pytorchRule();
    void refusals_data();
    void refusals();
    void windows_data();
    void windows();
    void windowText();
    void unread();
    void floatTensors();
};

void TestPool::reference_data()
{
    padlab::test::addReferenceRows(QStringLiteral("pool"));
}

void TestPool::reference()
{
    QFETCH(int, index);
    try {
        const TensorCase c = padlab::test::tensorCases().at(size_t(index));
        const PoolSpec spec = poolSpecFromArgs(c);
        const Tensor input = tensorFromArray(c.input, *parseLayout(c.arg(QStringLiteral("--layout")).toStdString()));
        const auto problem = validate(spec, input.shape());
        QVERIFY2(!problem, problem ? problem->c_str() : "");
        const PoolResult result = poolTensor(input, spec);
        PADLAB_COMPARE_TENSOR(result.output, c.output, 1e-9);
        // The independent model agrees with the reference too.
        PADLAB_COMPARE_TENSOR(result.output, naivePool(c.input, spec), 1e-12);
        // PyTorch's cases and TensorFlow's valid ones (PyTorch's padding 0) are inside PyTorch's
        // rules; TensorFlow's same is not.
        QCOMPARE(bool(outsidePyTorchRule(spec, result.axes)), c.kind.contains(QLatin1String("same")));
    } catch (const std::exception &e) {
        QFAIL(e.what());
    }
}

void TestPool::matchesDefinition_data()
{
    QTest::addColumn<NdArray>("input");
    QTest::addColumn<PoolSpec>("spec");
    const std::vector<std::vector<std::int64_t>> shapes = {{2, 23}, {3, 9, 14}, {1, 1, 7}, {2, 5, 6, 7}, {1, 4, 1, 9}};
    uint64_t seed = 300;
    for (const auto &shape : shapes) {
        const int rank = int(shape.size()) - 1;
        for (PoolOp op : {PoolOp::Max, PoolOp::Average})
            for (int variant = 0; variant < 8; ++variant) {
                ++seed;
                PoolSpec spec;
                spec.op = op;
                spec.window = {2 + int(seed % 3)};
                if (variant % 3 != 0)
                    spec.stride = {1 + int(seed % 3)};
                spec.dilation = {1 + int(variant == 5)};
                switch (variant % 4) {
                case 0: spec.amount.kind = Amount::Valid; break;
                case 1: spec.amount.kind = Amount::Same; break;
                default:
                    spec.amount.kind = Amount::Explicit;
                    for (int a = 0; a < rank; ++a)
                        spec.amount.values.insert(spec.amount.values.end(), {int(seed % 2), int((seed / 2) % 2) + a % 2});
                    spec.ceil = variant >= 4;
                    spec.countPadding = variant % 2 == 0;
                }
                const NdArray input = padlab::test::randomArray(shape, -5, 5, seed);
                if (validate(spec, tensorFromArray(input, rank == 1 ? Layout::CL : rank == 2 ? Layout::CHW : Layout::CDHW).shape()))
                    continue;
                QTest::addRow("%d-D %s k%d s%d d%d %s%s%s", rank, poolOpName(op).data(), spec.window[0],
                              spec.stride.empty() ? spec.window[0] : spec.stride[0], spec.dilation[0],
                              amountName(spec.amount.kind).data(), spec.ceil ? " ceil" : "",
                              spec.countPadding.value_or(false) ? " count pad" : "")
                    << input << spec;
            }
    }
}

void TestPool::matchesDefinition()
{
    QFETCH(NdArray, input);
    QFETCH(PoolSpec, spec);
    try {
        const int rank = int(input.shape.size()) - 1;
        const Tensor tensor = tensorFromArray(input, rank == 1 ? Layout::CL : rank == 2 ? Layout::CHW : Layout::CDHW);
        const PoolResult result = poolTensor(tensor, spec);
        PADLAB_COMPARE_TENSOR(result.output, naivePool(input, spec), 1e-12);
    } catch (const std::exception &e) {
        QFAIL(e.what());
    }
}

void TestPool::handWorked_data()
{
    QTest::addColumn<NdArray>("input");
    QTest::addColumn<PoolSpec>("spec");
    QTest::addColumn<NdArray>("expected");
    const NdArray row{{1, 4}, {1, 2, 3, 4}};
    // TensorFlow same, k3 s1: pads 1,1; an average divides by the cells it reads.
    QTest::newRow("TF same avg: (1+2)/2, (1+2+3)/3, (2+3+4)/3, (3+4)/2")
        << row << makeSpec(PoolOp::Average, {3}, {1}, Amount::Same) << NdArray{{1, 4}, {1.5, 2, 3, 3.5}};
    QTest::newRow("TF same max ignores the padding: 2, 3, 4, 4")
        << NdArray{{1, 4}, {-1, -2, -3, -4}} << makeSpec(PoolOp::Max, {3}, {1}, Amount::Same)
        << NdArray{{1, 4}, {-1, -1, -2, -3}};
    // PyTorch pad 1, k3 s1: count_include_pad divides by 3 at the edges too.
    QTest::newRow("count pad include: (0+1+2)/3, 2, 3, (3+4+0)/3")
        << row << makeSpec(PoolOp::Average, {3}, {1}, Amount::Explicit, {1, 1}, false, true)
        << NdArray{{1, 4}, {1, 2, 3, 7.0 / 3}};
    QTest::newRow("count pad exclude: (1+2)/2, 2, 3, (3+4)/2")
        << row << makeSpec(PoolOp::Average, {3}, {1}, Amount::Explicit, {1, 1}, false, false)
        << NdArray{{1, 4}, {1.5, 2, 3, 3.5}};
    // n5 k2 s2 pad 1: ceil((5+2-2)/2)+1 = 4, but window 3 would start at 6 >= n + before = 6.
    QTest::newRow("ceil drops the window starting in the right padding: 3 windows")
        << NdArray{{1, 5}, {1, 2, 3, 4, 5}} << makeSpec(PoolOp::Max, {2}, {2}, Amount::Explicit, {1, 1}, true)
        << NdArray{{1, 3}, {1, 3, 5}};
    // n6 k2 s2 pad 1: ceil((6+2-2)/2)+1 = 4, window 3 starts at 6 < 7: kept, it reads 6 and the pad.
    QTest::newRow("ceil keeps a window starting in the input: 4 windows")
        << NdArray{{1, 6}, {1, 2, 3, 4, 5, 6}} << makeSpec(PoolOp::Max, {2}, {2}, Amount::Explicit, {1, 1}, true)
        << NdArray{{1, 4}, {1, 3, 5, 6}};
    // n5 k2 s2 no pad, ceil: the extra window reads 5 and a cell past the input, never counted.
    QTest::newRow("ceil avg with count pad: a cell past the padded input is not counted")
        << NdArray{{1, 5}, {1, 2, 3, 4, 5}}
        << makeSpec(PoolOp::Average, {2}, {2}, Amount::Explicit, {0, 0}, true, true)
        << NdArray{{1, 3}, {1.5, 3.5, 5}};
    QTest::newRow("1 cell, max 3x3 same: the cell")
        << NdArray{{1, 1, 1}, {7}} << makeSpec(PoolOp::Max, {3}, {1}, Amount::Same) << NdArray{{1, 1, 1}, {7}};
    QTest::newRow("1 cell, avg 3x3 pad 1 include: 7/9")
        << NdArray{{1, 1, 1}, {7}} << makeSpec(PoolOp::Average, {3}, {1}, Amount::Explicit, {1, 1, 1, 1})
        << NdArray{{1, 1, 1}, {7.0 / 9}};
    QTest::newRow("window larger than the input, valid: empty")
        << NdArray{{1, 2, 2}, {1, 2, 3, 4}} << makeSpec(PoolOp::Max, {3}, {}, Amount::Valid)
        << NdArray{{1, 0, 0}, {}};
    QTest::newRow("3-D max 2x2x2 of 0..7 is 7")
        << NdArray{{1, 2, 2, 2}, {0, 1, 2, 3, 4, 5, 6, 7}} << makeSpec(PoolOp::Max, {2}, {}, Amount::Valid)
        << NdArray{{1, 1, 1, 1}, {7}};
}

void TestPool::handWorked()
{
    QFETCH(NdArray, input);
    QFETCH(PoolSpec, spec);
    QFETCH(NdArray, expected);
    try {
        const int rank = int(input.shape.size()) - 1;
        const Tensor tensor = tensorFromArray(input, rank == 1 ? Layout::CL : rank == 2 ? Layout::CHW : Layout::CDHW);
        PADLAB_COMPARE_TENSOR(poolTensor(tensor, spec).output, expected, 1e-15);
    } catch (const std::exception &e) {
        QFAIL(e.what());
    }
}

void TestPool::formulas_data()
{
    QTest::addColumn<int>("n");
    QTest::addColumn<PoolSpec>("spec");
    QTest::addColumn<QString>("output");
    QTest::addColumn<QString>("padding");
    QTest::newRow("explicit floor") << 10 << makeSpec(PoolOp::Max, {3}, {2}, Amount::Explicit, {1, 1})
                                    << QStringLiteral("out = floor((10 + 1 + 1 - 3) / 2) + 1 = 5")
                                    << QStringLiteral("explicit: before = 1, after = 1 as given");
    QTest::newRow("ceil, last window dropped")
        << 5 << makeSpec(PoolOp::Max, {2}, {2}, Amount::Explicit, {1, 1}, true)
        << QStringLiteral("out = ceil((5 + 1 + 1 - 2) / 2) + 1 - 1 = 3: the last window would start at 6 >= n + "
                          "before = 6, in the right padding")
        << QStringLiteral("explicit: before = 1, after = 1 as given");
    QTest::newRow("ceil, kept") << 6 << makeSpec(PoolOp::Max, {2}, {2}, Amount::Explicit, {1, 1}, true)
                                << QStringLiteral("out = ceil((6 + 1 + 1 - 2) / 2) + 1 = 4")
                                << QStringLiteral("explicit: before = 1, after = 1 as given");
    QTest::newRow("same") << 10 << makeSpec(PoolOp::Average, {3}, {2}, Amount::Same)
                          << QStringLiteral("out = ceil(10 / 2) = 5")
                          << QStringLiteral("same: out = ceil(10 / 2) = 5, total = max((5 - 1)*2 + 3 - 10, 0) = 1, "
                                            "before = 0, after = 1");
    QTest::newRow("valid, window larger") << 2 << makeSpec(PoolOp::Max, {3}, {}, Amount::Valid)
                                          << QStringLiteral("out = max(floor((2 + 0 + 0 - 3) / 3) + 1, 0) = 0")
                                          << QStringLiteral("valid: no padding");
}

void TestPool::formulas()
{
    QFETCH(int, n);
    QFETCH(PoolSpec, spec);
    QFETCH(QString, output);
    QFETCH(QString, padding);
    const std::vector<PoolAxis> axes = poolGeometry(spec, TensorShape{1, {n}});
    QCOMPARE(QString::fromStdString(poolOutputFormula(axes[0])), output);
    QCOMPARE(QString::fromStdString(poolPaddingFormula(axes[0])), padding);
}

void TestPool::pytorchRule_data()
{
    QTest::addColumn<PoolSpec>("spec");
    QTest::addColumn<QString>("reason"); // empty: inside PyTorch's rule
    QTest::addColumn<QList<int>>("spatial"); // of the input
    const QList<int> plane{9, 9};
    QTest::newRow("pad 1 of window 2") << makeSpec(PoolOp::Max, {2}, {2}, Amount::Explicit, {1, 1, 1, 1}) << QString() << plane;
    QTest::newRow("pad 2 of window 3") << makeSpec(PoolOp::Max, {3}, {1}, Amount::Explicit, {0, 0, 2, 2})
                                       << QStringLiteral("PyTorch's pooling refuses pads larger than half the window (\"pad should be smaller than or "
                                                         "equal to half of kernel size\"): 2 > 3/2 on the columns") << plane;
    QTest::newRow("uneven pads") << makeSpec(PoolOp::Max, {3}, {1}, Amount::Explicit, {1, 0, 0, 0})
                                 << QStringLiteral("PyTorch's pooling pads both sides of an axis alike; padding first with F.pad would change "
                                                   "which cells an average counts and where ceil mode drops a window: 1 and 0 on the rows")
                                 << plane;
    QTest::newRow("same") << makeSpec(PoolOp::Max, {3}, {1}, Amount::Same)
                          << QStringLiteral("PyTorch's pooling has no padding='same'") << plane;
    PoolSpec dilated = makeSpec(PoolOp::Average, {2}, {1}, Amount::Valid);
    dilated.dilation = {2};
    QTest::newRow("dilated average") << dilated << QStringLiteral("PyTorch's AvgPool has no dilation: dilation 2 on the rows") << plane;
    // ATen's avg_pool3d checks the unpadded input against the window; max_pool3d and 2-D do not.
    const PoolSpec deep = makeSpec(PoolOp::Average, {4, 2, 3}, {1, 2, 1}, Amount::Explicit, {2, 2, 0, 0, 0, 0});
    QTest::newRow("3-D average, depth below the window")
        << deep
        << QStringLiteral("PyTorch's avg_pool3d refuses an input smaller than its window on any axis, padding not "
                          "counted (\"input image ... smaller than kernel size\"); max_pool3d and the 1-D and 2-D "
                          "poolings accept it: 3 < 4 on the depth")
        << QList<int>{3, 7, 9};
    QTest::newRow("3-D average, input as large as the window") << deep << QString() << QList<int>{4, 7, 9};
    PoolSpec deepMax = deep;
    deepMax.op = PoolOp::Max;
    QTest::newRow("3-D max, depth below the window") << deepMax << QString() << QList<int>{3, 7, 9};
    QTest::newRow("2-D average, rows below the window")
        << makeSpec(PoolOp::Average, {4, 3}, {1, 1}, Amount::Explicit, {2, 2, 0, 0}) << QString() << QList<int>{3, 9};
}

void TestPool::pytorchRule()
{
    QFETCH(PoolSpec, spec);
    QFETCH(QString, reason);
    QFETCH(QList<int>, spatial);
    const TensorShape shape{1, std::vector<int>(spatial.begin(), spatial.end())};
    QCOMPARE(validate(spec, shape), std::optional<std::string>());
    const auto found = outsidePyTorchRule(spec, poolGeometry(spec, shape));
    QVERIFY2(reason.isEmpty() ? !found : found && QString::fromStdString(*found).startsWith(reason),
             found ? found->c_str() : "inside the rule");
}

void TestPool::refusals_data()
{
    QTest::addColumn<TensorShape>("input");
    QTest::addColumn<PoolSpec>("spec");
    QTest::addColumn<QString>("message");
    QTest::newRow("full") << TensorShape{1, {5, 5}} << makeSpec(PoolOp::Max, {2}, {}, Amount::Full)
                          << QStringLiteral("pooling pads valid, same (TensorFlow) or explicitly (PyTorch), not full");
    QTest::newRow("ceil with same") << TensorShape{1, {5, 5}} << makeSpec(PoolOp::Max, {2}, {}, Amount::Same, {}, true)
                                    << QStringLiteral("ceil mode (PyTorch's ceil_mode) goes with explicit pads");
    QTest::newRow("pad list of 2 for 2-D") << TensorShape{1, {5, 5}}
                                           << makeSpec(PoolOp::Max, {2}, {}, Amount::Explicit, {1, 1})
                                           << QStringLiteral("a 2-D pad list has 4 numbers (top,bottom,left,right), got 2");
    QTest::newRow("window list of 3 for 2-D") << TensorShape{1, {5, 5}}
                                              << makeSpec(PoolOp::Max, {2, 2, 2}, {}, Amount::Valid)
                                              << QStringLiteral("the window has 3 values for a 2-D input (give 1 or 2)");
    // Pad 3 before a window of 2 at stride 1: window 0 covers padded cells 0 and 1, both padding.
    QTest::newRow("a window of padding only")
        << TensorShape{1, {5}} << makeSpec(PoolOp::Max, {2}, {1}, Amount::Explicit, {3, 0})
        << QStringLiteral("window 0 of the length covers padded cells 0 to 1 and reads only padding (the input is 3 to 7)");
    QTest::newRow("a window of padding only, after")
        << TensorShape{1, {4, 5}} << makeSpec(PoolOp::Average, {2}, {2}, Amount::Explicit, {0, 0, 0, 5})
        << QStringLiteral("window 3 of the columns covers padded cells 6 to 7 and reads only padding (the input is 0 to 4)");
    QTest::newRow("zero stride") << TensorShape{1, {5}} << makeSpec(PoolOp::Max, {2}, {0}, Amount::Valid)
                                 << QStringLiteral("stride must be at least 1 (got 0)");
}

void TestPool::refusals()
{
    QFETCH(TensorShape, input);
    QFETCH(PoolSpec, spec);
    QFETCH(QString, message);
    const auto problem = validate(spec, input);
    QVERIFY2(problem && QString::fromStdString(*problem).startsWith(message), problem ? problem->c_str() : "accepted");
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, poolTensor(Tensor(input, CV_64F), spec));
}

void TestPool::windows_data()
{
    matchesDefinition_data();
}

// Every output cell's window gives the cell; its counted cells and divisor follow the rules.
void TestPool::windows()
{
    QFETCH(NdArray, input);
    QFETCH(PoolSpec, spec);
    try {
        const int rank = int(input.shape.size()) - 1;
        const Tensor tensor = tensorFromArray(input, rank == 1 ? Layout::CL : rank == 2 ? Layout::CHW : Layout::CDHW);
        const PoolResult result = poolTensor(tensor, spec);
        for (int c = 0; c < tensor.channels(); ++c)
            for (const auto &cell : padlab::test::allIndices(result.output.shape().spatial)) {
                const PoolWindow w = poolWindowAt(tensor, result, spec, c, cell);
                const double out = result.output.at(c, cell);
                QVERIFY2(std::abs(w.result - out) <= 1e-12 * std::max(1.0, std::abs(out)),
                         qPrintable(QStringLiteral("%1 != %2").arg(w.result).arg(out)));
                int inputCells = 0;
                int counted = 0;
                for (const PoolCell &p : w.cells) {
                    inputCells += p.input.empty() ? 0 : 1;
                    counted += p.counted ? 1 : 0;
                    if (!p.input.empty())
                        QCOMPARE(p.value, tensor.at(c, p.input));
                    if (p.pastPadding || spec.op == PoolOp::Max || !countsPadding(spec))
                        QCOMPARE(p.counted, !p.input.empty());
                }
                QVERIFY(inputCells > 0);
                QCOMPARE(w.divisor, spec.op == PoolOp::Max ? inputCells : counted);
            }
    } catch (const std::exception &e) {
        QFAIL(e.what());
    }
}

void TestPool::windowText()
{
    try {
        const Tensor t = tensorFromArray(NdArray{{1, 4}, {1, 2, 3, 4}}, Layout::CL);
        const PoolSpec avg = makeSpec(PoolOp::Average, {3}, {1}, Amount::Explicit, {1, 1}, false, true);
        const PoolResult a = poolTensor(t, avg);
        QCOMPARE(QString::fromStdString(poolWindowText(poolWindowAt(t, a, avg, 0, {3}), PoolOp::Average)),
                 QStringLiteral("(3 + 4 + 0) / 3 = 2.3333333333333335"));
        const PoolSpec max = makeSpec(PoolOp::Max, {3}, {1}, Amount::Same);
        const PoolResult m = poolTensor(t, max);
        QCOMPARE(QString::fromStdString(poolWindowText(poolWindowAt(t, m, max, 0, {0}), PoolOp::Max)),
                 QStringLiteral("max(1, 2) = 2"));
    } catch (const std::exception &e) {
        QFAIL(e.what());
    }
}

// n7, window 2, stride 3, pads 0,1: windows at 0, 3, 6 read 0-1, 3-4, 6-7; cells 2 and 5 are
// stepped over.
void TestPool::unread()
{
    const PoolSpec spec = makeSpec(PoolOp::Max, {2}, {3}, Amount::Explicit, {0, 1});
    const auto lists = unreadPositions(poolGeometry(spec, TensorShape{1, {7}}));
    QCOMPARE(lists, (std::vector<std::vector<int>>{{2, 5}}));
}

void TestPool::floatTensors()
{
    try {
        const NdArray input = padlab::test::randomArray({3, 31, 45}, 0, 255, 9);
        for (PoolOp op : {PoolOp::Max, PoolOp::Average}) {
            const PoolSpec spec = makeSpec(op, {3}, {2}, Amount::Explicit, {1, 1, 1, 1}, true);
            const PoolResult f = poolTensor(tensorFromArray(input, Layout::CHW, CV_32F), spec);
            QCOMPARE(f.output.depth(), CV_32F);
            PADLAB_COMPARE_TENSOR(f.output, naivePool(input, spec), 1e-6);
        }
    } catch (const std::exception &e) {
        QFAIL(e.what());
    }
}

QTEST_GUILESS_MAIN(TestPool)
#include "tst_pool.moc"

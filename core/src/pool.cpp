// Pooling without padded copies: a window is a box, so the cells it reads on each axis are a
// range of taps found once per output index, and the box's maximum or sum is taken axis by axis
// (depth and rows element-wise over whole rows, then along the row). Padded cells are never
// read; they only enter an average's divisor.
#include "padlab/core/pool.h"

#include "padlab/core/frameworks.h"
#include "padlab/core/window.h"
#include "tensorcorrelate.h"
#include "tensorshared.h"
#include "text.h"

#include <opencv2/core.hpp>

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace padlab::core {

namespace {

// The taps of one axis that read input cells, per output index: t in [first, last), input
// index start + t*dilation; and the divisor's factor for averages.
struct AxisTaps {
    std::vector<int> start;
    std::vector<int> first;
    std::vector<int> last;
    std::vector<int> counted;
};

long long floorDiv(long long a, long long b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

long long ceilDiv(long long a, long long b)
{
    return -floorDiv(-a, b);
}

// First and last + 1 tap t < k with 0 <= start + t*d < n.
std::pair<int, int> tapRange(long long start, int k, int d, int n)
{
    const long long first = std::max(0LL, ceilDiv(-start, d));
    const long long last = std::min<long long>(k, ceilDiv(n - start, d));
    return {static_cast<int>(first), static_cast<int>(std::max(first, last))};
}

AxisTaps axisTaps(const PoolAxis &a, bool countPadding)
{
    AxisTaps taps;
    for (int o = 0; o < a.output; ++o) {
        const long long start = static_cast<long long>(o) * a.stride - a.before;
        const auto [first, last] = tapRange(start, a.window, a.dilation, a.input);
        taps.start.push_back(static_cast<int>(start));
        taps.first.push_back(first);
        taps.last.push_back(last);
        int counted = last - first;
        if (countPadding) {
            // Taps inside the padded input: o*s + t*d < padded.
            const long long inside = ceilDiv(a.padded - static_cast<long long>(o) * a.stride, a.dilation);
            counted = static_cast<int>(std::clamp<long long>(inside, 0, a.window));
        }
        taps.counted.push_back(counted);
    }
    return taps;
}

PoolAxis axisOf(const PoolSpec &spec, int n, int k, int s, int d, int before, int after)
{
    PoolAxis a;
    a.amount = spec.amount.kind;
    a.input = n;
    a.window = k;
    a.stride = s;
    a.dilation = d;
    a.extent = d * (k - 1) + 1;
    a.ceil = spec.ceil;
    if (spec.amount.kind == Amount::Same) {
        const AxisGeometry g = axisGeometry(n, k, s, d, Amount::Same);
        before = g.before;
        after = g.after;
    }
    a.before = before;
    a.after = after;
    a.padded = n + before + after;
    const long long span = static_cast<long long>(a.padded) - a.extent;
    if (span < 0) {
        a.output = 0;
    } else if (!spec.ceil) {
        a.output = static_cast<int>(span / s + 1);
    } else {
        a.output = static_cast<int>(ceilDiv(span, s) + 1);
        // PyTorch drops a last window that would start in the right padding.
        if (static_cast<long long>(a.output - 1) * s >= static_cast<long long>(n) + before) {
            --a.output;
            a.dropped = true;
        }
    }
    return a;
}

// Along the row: o[j] is the maximum, or the average, of the taps of window j in a. Functions of
// their own, so that the compiler keeps their few values in registers.
template <typename T>
void maxAlongRow(const T *a, const AxisTaps &tw, int outW, int dx, T *o)
{
    const int *start = tw.start.data();
    const int *first = tw.first.data();
    const int *last = tw.last.data();
    for (int j = 0; j < outW; ++j) {
        const T *p = a + start[j];
        T v = p[first[j] * dx];
        for (int t = first[j] + 1; t < last[j]; ++t)
            v = v < p[t * dx] ? p[t * dx] : v;
        o[j] = v;
    }
}

template <typename T>
void averageAlongRow(const T *a, const AxisTaps &tw, int outW, int dx, double rowsCounted, T *o)
{
    const int *start = tw.start.data();
    const int *first = tw.first.data();
    const int *last = tw.last.data();
    const int *counted = tw.counted.data();
    for (int j = 0; j < outW; ++j) {
        const T *p = a + start[j];
        T v = p[first[j] * dx];
        for (int t = first[j] + 1; t < last[j]; ++t)
            v += p[t * dx];
        o[j] = static_cast<T>(v / (rowsCounted * counted[j]));
    }
}

template <typename T>
void pool(const Tensor &input, const std::vector<PoolAxis> &axes, PoolOp op, bool countPadding,
          Tensor &out)
{
    const int rank = static_cast<int>(axes.size());
    const PoolAxis one{Amount::Valid, 1, 1, 1, 1, 1, 0, 0, 1, 1, false, false};
    const PoolAxis &ad = rank == 3 ? axes[0] : one;
    const PoolAxis &ah = rank >= 2 ? axes[static_cast<size_t>(rank - 2)] : one;
    const PoolAxis &aw = axes.back();
    const AxisTaps td = axisTaps(ad, countPadding);
    const AxisTaps th = axisTaps(ah, countPadding);
    const AxisTaps tw = axisTaps(aw, countPadding);
    const bool isMax = op == PoolOp::Max;
    const int width = aw.input;
    const int outW = aw.output;
    const int planes = input.channels() * ad.output;
    const int rowsPerTask = std::max(1, std::min(64, ah.output * planes / std::max(1, 4 * cv::getNumThreads()) + 1));
    const int rowTasks = (ah.output + rowsPerTask - 1) / rowsPerTask;

    // Rows are found from the matrices' own data and steps: a cv::Mat view per row would count
    // references atomically on the one counter every thread shares, which stops the cores scaling.
    const cv::Mat &in = input.matrix();
    const cv::Mat &res = out.matrix();
    const int inDepth = input.shape().depth();
    const int inRows = input.shape().rows();
    const int outRows = ah.output;
    const auto inRow = [&](int c, int z, int r) {
        return reinterpret_cast<const T *>(in.data + in.step[0] * ((static_cast<size_t>(c) * inDepth + z) * inRows + r));
    };

    cv::parallel_for_(cv::Range(0, planes * rowTasks), [&](const cv::Range &range) {
        std::vector<T> acc(static_cast<size_t>(width));
        for (int task = range.start; task < range.end; ++task) {
            const int plane = task / rowTasks;
            const int c = plane / ad.output;
            const int zo = plane % ad.output;
            const int i0 = (task % rowTasks) * rowsPerTask;
            const int i1 = std::min(ah.output, i0 + rowsPerTask);
            for (int i = i0; i < i1; ++i) {
                // Depth and rows: element-wise over whole input rows.
                bool started = false;
                for (int tz = td.first[static_cast<size_t>(zo)]; tz < td.last[static_cast<size_t>(zo)]; ++tz) {
                    const int z = td.start[static_cast<size_t>(zo)] + tz * ad.dilation;
                    for (int tr = th.first[static_cast<size_t>(i)]; tr < th.last[static_cast<size_t>(i)]; ++tr) {
                        const T *row = inRow(c, z, th.start[static_cast<size_t>(i)] + tr * ah.dilation);
                        T *a = acc.data();
                        if (!started) {
                            std::copy(row, row + width, a);
                            started = true;
                        } else if (isMax) {
                            for (int x = 0; x < width; ++x)
                                a[x] = a[x] < row[x] ? row[x] : a[x];
                        } else {
                            for (int x = 0; x < width; ++x)
                                a[x] += row[x];
                        }
                    }
                }
                T *o = reinterpret_cast<T *>(res.data + res.step[0] * (static_cast<size_t>(plane) * outRows + i));
                const double rowsCounted = static_cast<double>(td.counted[static_cast<size_t>(zo)]) *
                                           th.counted[static_cast<size_t>(i)];
                if (isMax)
                    maxAlongRow(acc.data(), tw, outW, aw.dilation, o);
                else
                    averageAlongRow(acc.data(), tw, outW, aw.dilation, rowsCounted, o);
            }
        }
    });
}

std::string number(long long v)
{
    return std::to_string(v);
}

} // namespace

std::string_view poolOpName(PoolOp op)
{
    return op == PoolOp::Max ? "max" : "avg";
}

std::optional<PoolOp> parsePoolOp(std::string_view input)
{
    const std::string lowered = text::lower(text::trim(input));
    if (lowered == "max")
        return PoolOp::Max;
    if (lowered == "avg" || lowered == "average")
        return PoolOp::Average;
    return std::nullopt;
}

bool countsPadding(const PoolSpec &spec)
{
    if (spec.countPadding)
        return *spec.countPadding;
    return spec.amount.kind == Amount::Explicit;
}

std::optional<std::string> validate(const PoolSpec &spec, const TensorShape &input)
{
    const int rank = input.spatialRank();
    if (const auto problem = detail::inputProblem(input))
        return problem;
    if (const auto problem = axisValuesProblem(spec.window, rank, "the window"))
        return problem;
    if (!spec.stride.empty()) {
        if (const auto problem = axisValuesProblem(spec.stride, rank, "stride"))
            return problem;
    }
    if (const auto problem = axisValuesProblem(spec.dilation, rank, "dilation"))
        return problem;
    const Amount kind = spec.amount.kind;
    if (kind == Amount::Full || kind == Amount::Causal)
        return "pooling pads valid, same (TensorFlow) or explicitly (PyTorch), not " +
               std::string(amountName(kind));
    if (const auto problem = padListProblem(spec.amount, rank))
        return problem;
    if (spec.ceil && kind != Amount::Explicit)
        return "ceil mode (PyTorch's ceil_mode) goes with explicit pads; for none give 0 on every side";
    const std::vector<int> k = perAxis(spec.window, rank);
    const std::vector<int> s = perAxis(spec.stride.empty() ? spec.window : spec.stride, rank);
    const std::vector<int> d = perAxis(spec.dilation, rank);
    std::vector<detail::AxisRequest> requests;
    for (int a = 0; a < rank; ++a) {
        const size_t i = static_cast<size_t>(a);
        detail::AxisRequest r{input.spatial[i], k[i], s[i], d[i], 0, 0};
        if (kind == Amount::Same)
            r.before = r.after = -1;
        if (kind == Amount::Explicit) {
            r.before = spec.amount.values[2 * i];
            r.after = spec.amount.values[2 * i + 1];
        }
        // Ceil mode may add one window: count its cells as padding.
        if (spec.ceil)
            r.after += s[i];
        requests.push_back(r);
    }
    if (const auto problem = detail::sizeProblem(input.channels, input.channels, requests))
        return problem;
    // Every window must read an input cell, or it would have no value. Only windows that start
    // before the input's first cell or after its last can miss it.
    const std::vector<PoolAxis> axes = poolGeometry(spec, input);
    for (int a = 0; a < rank; ++a) {
        const PoolAxis &g = axes[static_cast<size_t>(a)];
        const auto missesInput = [&](int o) {
            const auto [first, last] =
                tapRange(static_cast<long long>(o) * g.stride - g.before, g.window, g.dilation, g.input);
            return first >= last;
        };
        const int low = static_cast<int>(std::min<long long>(g.output, ceilDiv(g.before, g.stride)));
        const int high = static_cast<int>(std::clamp<long long>(ceilDiv(static_cast<long long>(g.before) + g.input, g.stride), low, g.output));
        for (int o = 0; o < g.output; ++o) {
            if (o == low)
                o = high;
            if (o < g.output && missesInput(o))
                return "window " + number(o) + " of the " + detail::axisName(a, rank) + " covers padded cells " +
                       number(static_cast<long long>(o) * g.stride) + " to " +
                       number(static_cast<long long>(o) * g.stride + g.extent - 1) + " and reads only padding (the input is " +
                       number(g.before) + " to " + number(g.before + g.input - 1) +
                       "): every window must read at least one input cell";
        }
    }
    return std::nullopt;
}

std::vector<PoolAxis> poolGeometry(const PoolSpec &spec, const TensorShape &input)
{
    const int rank = input.spatialRank();
    const std::vector<int> k = perAxis(spec.window, rank);
    const std::vector<int> s = perAxis(spec.stride.empty() ? spec.window : spec.stride, rank);
    const std::vector<int> d = perAxis(spec.dilation, rank);
    std::vector<PoolAxis> axes;
    for (int a = 0; a < rank; ++a) {
        const size_t i = static_cast<size_t>(a);
        const bool given = spec.amount.kind == Amount::Explicit;
        axes.push_back(axisOf(spec, input.spatial[i], k[i], s[i], d[i], given ? spec.amount.values[2 * i] : 0,
                              given ? spec.amount.values[2 * i + 1] : 0));
    }
    return axes;
}

std::optional<std::string> outsidePyTorchRule(const PoolSpec &spec, const std::vector<PoolAxis> &axes)
{
    // The rules are the PyTorch rows of the layer table; this only names the axis that breaks one.
    const int rank = static_cast<int>(axes.size());
    for (const LayerFact &fact : layerFacts()) {
        if (fact.op != OpKind::Pool || fact.framework != Framework::PyTorch ||
            !breaks(fact.rule, Framework::PyTorch, spec, axes))
            continue;
        for (int i = 0; i < rank; ++i) {
            const PoolAxis &a = axes[static_cast<size_t>(i)];
            if (!breaksOnAxis(fact.rule, a))
                continue;
            const std::string where = " on the " + detail::axisName(i, rank);
            if (fact.rule == LayerRule::PoolPadOverHalf)
                return fact.text + ": " + number(std::max(a.before, a.after)) + " > " + number(a.window) + "/2" + where;
            if (fact.rule == LayerRule::PoolUnevenPads)
                return fact.text + ": " + number(a.before) + " and " + number(a.after) + where;
            if (fact.rule == LayerRule::PoolAverageDilation)
                return fact.text + ": dilation " + number(a.dilation) + where;
            if (fact.rule == LayerRule::PoolAverage3DSmallInput)
                return fact.text + ": " + number(a.input) + " < " + number(a.window) + where;
        }
        return fact.text;
    }
    return std::nullopt;
}

std::vector<std::vector<int>> unreadPositions(const std::vector<PoolAxis> &axes)
{
    std::vector<std::vector<int>> out;
    for (const PoolAxis &a : axes)
        out.push_back(detail::unreadOf(a.padded, a.output, a.window, a.stride, a.dilation));
    return out;
}

std::string poolOutputFormula(const PoolAxis &a)
{
    std::ostringstream out;
    if (a.amount == Amount::Same) {
        out << "out = ceil(" << a.input << " / " << a.stride << ") = " << a.output;
    } else {
        const long long span = static_cast<long long>(a.padded) - a.extent;
        const std::string inner = "((" + number(a.input) + " + " + number(a.before) + " + " + number(a.after) +
                                  " - " + number(a.extent) + ") / " + number(a.stride) + ") + 1";
        if (span < 0)
            out << "out = max(floor" << inner << ", 0) = " << a.output;
        else if (!a.ceil)
            out << "out = floor" << inner << " = " << a.output;
        else if (!a.dropped)
            out << "out = ceil" << inner << " = " << a.output;
        else
            out << "out = ceil" << inner << " - 1 = " << a.output << ": the last window would start at "
                << static_cast<long long>(a.output) * a.stride << " >= n + before = " << a.input + a.before
                << ", in the right padding";
    }
    if (a.dilation > 1)
        out << ", with e = " << a.dilation << "*(" << a.window << " - 1) + 1 = " << a.extent;
    return out.str();
}

std::string poolPaddingFormula(const PoolAxis &a)
{
    AxisGeometry g = axisGeometry(a.input, a.window, a.stride, a.dilation, a.amount, a.before, a.after);
    return paddingFormula(g);
}

PoolResult poolTensor(const Tensor &input, const PoolSpec &spec)
{
    PoolResult result;
    result.axes = poolTensorInto(input, spec, result.output);
    return result;
}

std::vector<PoolAxis> poolTensorInto(const Tensor &input, const PoolSpec &spec, Tensor &output)
{
    if (const auto problem = validate(spec, input.shape()))
        throw std::invalid_argument(*problem);
    const std::vector<PoolAxis> axes = poolGeometry(spec, input.shape());
    TensorShape shape{input.channels(), {}};
    bool empty = false;
    for (const PoolAxis &a : axes) {
        shape.spatial.push_back(a.output);
        empty = empty || a.output == 0;
    }
    detail::reuseOrCreate(output, shape, input.depth());
    if (empty)
        return axes;
    if (input.depth() == CV_32F)
        pool<float>(input, axes, spec.op, countsPadding(spec), output);
    else
        pool<double>(input, axes, spec.op, countsPadding(spec), output);
    return axes;
}

PoolWindow poolWindowAt(const Tensor &input, const PoolResult &result, const PoolSpec &spec, int channel,
                        const std::vector<int> &cell)
{
    const int rank = static_cast<int>(result.axes.size());
    if (channel < 0 || channel >= input.channels() || static_cast<int>(cell.size()) != rank)
        throw std::invalid_argument("poolWindowAt: no such channel or cell");
    std::vector<int> window;
    for (int a = 0; a < rank; ++a) {
        const PoolAxis &g = result.axes[static_cast<size_t>(a)];
        if (cell[static_cast<size_t>(a)] < 0 || cell[static_cast<size_t>(a)] >= g.output)
            throw std::invalid_argument("poolWindowAt: the cell is outside the output");
        window.push_back(g.window);
    }
    const bool counting = countsPadding(spec);
    PoolWindow w;
    w.channel = channel;
    w.cell = cell;
    int inputCells = 0;
    double sum = 0;
    bool any = false;
    int taps = 1;
    for (int k : window)
        taps *= k;
    for (int t = 0; t < taps; ++t) {
        const std::vector<int> tap = detail::unravel(t, window);
        PoolCell c;
        bool inside = true;
        for (int a = 0; a < rank; ++a) {
            const PoolAxis &g = result.axes[static_cast<size_t>(a)];
            const int p = cell[static_cast<size_t>(a)] * g.stride + tap[static_cast<size_t>(a)] * g.dilation;
            c.padded.push_back(p);
            c.pastPadding = c.pastPadding || p >= g.padded;
            inside = inside && p >= g.before && p < g.before + g.input;
        }
        if (inside) {
            for (int a = 0; a < rank; ++a)
                c.input.push_back(c.padded[static_cast<size_t>(a)] - result.axes[static_cast<size_t>(a)].before);
            c.value = input.at(channel, c.input);
            c.counted = true;
            ++inputCells;
            w.result = !any ? c.value : spec.op == PoolOp::Max ? std::max(w.result, c.value) : w.result;
            any = true;
            sum += c.value;
        } else {
            c.counted = spec.op == PoolOp::Average && counting && !c.pastPadding;
        }
        w.divisor += c.counted ? 1 : 0;
        w.cells.push_back(std::move(c));
    }
    if (spec.op == PoolOp::Average)
        w.result = sum / w.divisor;
    else
        w.divisor = inputCells;
    return w;
}

std::string poolWindowText(const PoolWindow &window, PoolOp op)
{
    std::string terms;
    for (const PoolCell &c : window.cells) {
        if (!c.counted)
            continue;
        if (!terms.empty())
            terms += op == PoolOp::Max ? ", " : " + ";
        terms += detail::term(c.value);
    }
    if (op == PoolOp::Max)
        return "max(" + terms + ") = " + formatNumber(window.result);
    return "(" + terms + ") / " + std::to_string(window.divisor) + " = " + formatNumber(window.result);
}

} // namespace padlab::core

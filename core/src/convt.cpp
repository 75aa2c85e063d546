// A transposed convolution, phase by phase. Output cell o (o + before = q*s + ph on an axis)
// receives x(i)*w(t) for i*s + t*d = q*s + ph: only the taps with t*d = ph (mod s) reach phase
// ph, and for them i = q - (t*d - ph)/s. Those taps are evenly spaced, d/gcd(s, d) apart in i,
// so every phase is a stride-1, dilated correlation of the zero-extended input with the phase's
// taps in reverse order: the engine's multi-channel correlation, with no inserted zeros.
#include "padlab/core/convt.h"

#include "padlab/core/window.h"
#include "tensorcorrelate.h"
#include "tensorshared.h"

#include <opencv2/core.hpp>

#include <numeric>
#include <sstream>
#include <stdexcept>

namespace padlab::core {

namespace {

using detail::Axes3;

std::string number(long long v)
{
    return std::to_string(v);
}

// The output padding as one value per axis, which may be 0 (axisValuesProblem wants >= 1).
std::optional<std::string> outputPaddingProblem(const std::vector<int> &values, int rank)
{
    if (values.size() != 1 && static_cast<int>(values.size()) != rank)
        return "output padding has " + number(static_cast<long long>(values.size())) + " values for a " +
               number(rank) + "-D input (give 1" + (rank > 1 ? " or " + number(rank) : std::string()) + ")";
    for (int v : values) {
        if (v < 0)
            return "output padding must be 0 or more (got " + number(v) + ")";
    }
    return std::nullopt;
}

// One axis's phase: the taps t (ascending) with t*d = ph mod s, and the outputs it fills.
struct Phase {
    std::vector<int> taps;
    int firstOutput = 0; // o0: the first output index of this phase
    int outputs = 0;     // Q
    int q0 = 0;          // (o0 + before - ph) / s
    int uMax = 0;        // (t*d - ph)/s of the last tap
    int uMin = 0;        // of the first tap
};

std::vector<Phase> phasesOf(const ConvTAxis &a)
{
    std::vector<Phase> phases(static_cast<size_t>(a.stride));
    for (int ph = 0; ph < a.stride; ++ph) {
        Phase &p = phases[static_cast<size_t>(ph)];
        for (int t = 0; t < a.kernel; ++t) {
            if ((static_cast<long long>(t) * a.dilation) % a.stride == ph)
                p.taps.push_back(t);
        }
        p.firstOutput = static_cast<int>(((ph - static_cast<long long>(a.before)) % a.stride + a.stride) % a.stride);
        p.outputs = p.firstOutput < a.output ? (a.output - 1 - p.firstOutput) / a.stride + 1 : 0;
        p.q0 = static_cast<int>((static_cast<long long>(p.firstOutput) + a.before - ph) / a.stride);
        if (!p.taps.empty()) {
            p.uMin = static_cast<int>((static_cast<long long>(p.taps.front()) * a.dilation - ph) / a.stride);
            p.uMax = static_cast<int>((static_cast<long long>(p.taps.back()) * a.dilation - ph) / a.stride);
        }
    }
    return phases;
}

// The axes of a tensor of lower rank, as 1-cell axes that change nothing.
std::array<ConvTAxis, 3> axes3(const std::vector<ConvTAxis> &axes)
{
    ConvTAxis one;
    one.input = one.kernel = one.extent = one.full = one.output = 1;
    std::array<ConvTAxis, 3> out{one, one, one};
    const size_t rank = axes.size();
    for (size_t a = 0; a < rank; ++a)
        out[3 - rank + a] = axes[a];
    return out;
}

// Weight w(c, fl, taps) of a (C, F/groups, kd, kh, kw) kernel.
struct TransposedWeights {
    int channels = 1;
    int perGroup = 1; // F/groups
    Axes3 size{1, 1, 1};
    const std::vector<double> *weights = nullptr;
    bool spatialOnly = false;

    double at(int c, int fl, int td, int th, int tw) const
    {
        const size_t tap = (static_cast<size_t>(td) * size[1] + th) * size[2] + tw;
        const size_t taps = static_cast<size_t>(size[0]) * size[1] * size[2];
        return (*weights)[spatialOnly ? tap : (static_cast<size_t>(c) * perGroup + fl) * taps + tap];
    }
};

TransposedWeights transposedWeights(const TensorKernel &kernel, const TensorShape &input)
{
    const int rank = input.spatialRank();
    TransposedWeights w;
    w.spatialOnly = kernel.rank() == rank;
    w.channels = input.channels;
    w.perGroup = w.spatialOnly ? 1 : kernel.shape[1];
    w.size = detail::toAxes3(std::vector<int>(kernel.shape.end() - rank, kernel.shape.end()), rank, 1);
    w.weights = &kernel.weights;
    return w;
}

int groupsOf(const TensorKernel &kernel, const TensorShape &input, int groups)
{
    return kernel.rank() == input.spatialRank() ? input.channels : groups;
}

} // namespace

int convtFilterCount(const TensorKernel &kernel, const TensorShape &input, int groups)
{
    return kernel.rank() == input.spatialRank() ? input.channels : kernel.shape.at(1) * groups;
}

std::optional<std::string> validate(const ConvTSpec &spec, const TensorShape &input, const TensorKernel &kernel)
{
    const int rank = input.spatialRank();
    if (const auto problem = detail::inputProblem(input))
        return problem;
    if (kernel.rank() != rank && kernel.rank() != rank + 2)
        return "the kernel has " + number(kernel.rank()) + " axes: a " + number(rank) +
               "-D input takes a " + number(rank) + "-D kernel (one for every channel) or a " +
               number(rank + 2) + "-D kernel (channels, filters per group, then the spatial axes)";
    if (const auto problem = detail::weightsProblem(kernel))
        return problem;
    if (spec.groups < 1)
        return "groups must be at least 1 (got " + number(spec.groups) + ")";
    if (kernel.rank() == rank) {
        if (spec.groups != 1 && spec.groups != input.channels)
            return "a kernel with only spatial axes applies to every channel on its own, so groups "
                   "must be 1 or the " + number(input.channels) + " channels (got " + number(spec.groups) + ")";
    } else if (const auto problem = detail::groupsProblem(input.channels, kernel.shape[0], kernel.shape[1],
                                                           spec.groups, true)) {
        return problem;
    }
    const int filters = convtFilterCount(kernel, input, spec.groups);
    if (!kernel.bias.empty() && static_cast<int>(kernel.bias.size()) != filters)
        return "bias has " + number(static_cast<long long>(kernel.bias.size())) + " values for " + number(filters) +
               " filters";
    if (const auto problem = axisValuesProblem(spec.stride, rank, "stride"))
        return problem;
    if (const auto problem = axisValuesProblem(spec.dilation, rank, "dilation"))
        return problem;
    if (const auto problem = outputPaddingProblem(spec.outputPadding, rank))
        return problem;
    const Amount kind = spec.amount.kind;
    if (kind == Amount::Full || kind == Amount::Causal)
        return "a transposed convolution crops valid, same (Keras) or explicitly (PyTorch's padding), not " +
               std::string(amountName(kind));
    if (const auto problem = padListProblem(spec.amount, rank))
        return problem;
    const std::vector<int> s = perAxis(spec.stride, rank);
    const std::vector<int> d = perAxis(spec.dilation, rank);
    const std::vector<int> o = perAxis(spec.outputPadding, rank);
    const std::vector<int> k(kernel.shape.end() - rank, kernel.shape.end());
    std::vector<long long> sizes{filters};
    for (int a = 0; a < rank; ++a) {
        const size_t i = static_cast<size_t>(a);
        if (o[i] > 0 && kind != Amount::Explicit)
            return "output padding goes with explicit crops (PyTorch's padding); Keras' valid and same fix the size";
        if (o[i] >= s[i] && o[i] >= d[i])
            return "output padding (" + number(o[i]) + ") must be smaller than the stride (" + number(s[i]) +
                   ") or the dilation (" + number(d[i]) + ")";
        const long long e = static_cast<long long>(d[i]) * (k[i] - 1) + 1;
        const long long full = static_cast<long long>(input.spatial[i] - 1) * s[i] + e;
        if (full > 1'000'000'000)
            return "the output of " + number(full) + " cells on the " + detail::axisName(a, rank) + " is too long";
        long long out = 0;
        if (kind == Amount::Explicit) {
            const long long before = spec.amount.values[2 * i];
            const long long after = spec.amount.values[2 * i + 1];
            out = full - before - after + o[i];
            if (out < 1)
                return "the crops (" + number(before) + " and " + number(after) + ") leave no output on the " +
                       detail::axisName(a, rank) + ": (n - 1)*s + e - before - after + o = " + number(out);
        } else {
            out = kind == Amount::Same ? static_cast<long long>(input.spatial[i]) * s[i]
                                       : std::max(full, static_cast<long long>(input.spatial[i]) * s[i]);
        }
        sizes.push_back(out);
    }
    long long cells = 1;
    for (long long v : sizes) {
        if (cells > kMaxPaddedCells / v)
            return "the output would have more than the " + number(kMaxPaddedCells) + " cells this program handles";
        cells *= v;
    }
    return std::nullopt;
}

std::vector<ConvTAxis> convtGeometry(const ConvTSpec &spec, const TensorShape &input, const TensorKernel &kernel)
{
    const int rank = input.spatialRank();
    const std::vector<int> s = perAxis(spec.stride, rank);
    const std::vector<int> d = perAxis(spec.dilation, rank);
    const std::vector<int> o = perAxis(spec.outputPadding, rank);
    const std::vector<int> k(kernel.shape.end() - rank, kernel.shape.end());
    std::vector<ConvTAxis> axes;
    for (int a = 0; a < rank; ++a) {
        const size_t i = static_cast<size_t>(a);
        ConvTAxis g;
        g.amount = spec.amount.kind;
        g.input = input.spatial[i];
        g.kernel = k[i];
        g.stride = s[i];
        g.dilation = d[i];
        g.extent = d[i] * (k[i] - 1) + 1;
        g.full = (g.input - 1) * g.stride + g.extent;
        switch (g.amount) {
        case Amount::Same:
            g.output = g.input * g.stride;
            g.before = std::max(g.extent - g.stride, 0) / 2;
            g.after = g.full - g.output - g.before;
            break;
        case Amount::Explicit:
            g.before = spec.amount.values[2 * i];
            g.after = spec.amount.values[2 * i + 1];
            g.outputPadding = o[i];
            g.output = g.full - g.before - g.after + g.outputPadding;
            break;
        default:
            g.output = std::max(g.full, g.input * g.stride);
            g.after = g.full - g.output;
            break;
        }
        axes.push_back(g);
    }
    return axes;
}

std::string convtOutputFormula(const ConvTAxis &a)
{
    std::ostringstream out;
    switch (a.amount) {
    case Amount::Same:
        out << "out = n*s = " << a.input << "*" << a.stride << " = " << a.output;
        break;
    case Amount::Explicit:
        out << "out = (n - 1)*s + e - before - after + o = (" << a.input << " - 1)*" << a.stride << " + "
            << a.extent << " - " << a.before << " - " << a.after << " + " << a.outputPadding << " = " << a.output;
        break;
    default:
        out << "out = max((n - 1)*s + e, n*s) = max((" << a.input << " - 1)*" << a.stride << " + " << a.extent
            << ", " << a.input << "*" << a.stride << ") = " << a.output;
        break;
    }
    if (a.dilation > 1)
        out << ", with e = " << a.dilation << "*(" << a.kernel << " - 1) + 1 = " << a.extent;
    return out.str();
}

std::string convtCropFormula(const ConvTAxis &a)
{
    std::ostringstream out;
    switch (a.amount) {
    case Amount::Same:
        out << "same: before = max(e - s, 0)//2 = max(" << a.extent << " - " << a.stride << ", 0)//2 = " << a.before
            << ", after = " << a.full << " - " << a.output << " - " << a.before << " = " << a.after;
        break;
    case Amount::Explicit:
        out << "crop before = " << a.before << ", after = " << a.after << " as given";
        if (a.outputPadding > 0)
            out << ", then " << a.outputPadding << " cell" << (a.outputPadding > 1 ? "s" : "") << " added after";
        break;
    default:
        out << "valid: nothing cropped";
        if (a.after < 0)
            out << ", " << -a.after << " cell" << (a.after < -1 ? "s" : "") << " after the stamps (e = " << a.extent
                << " < s = " << a.stride << ")";
        break;
    }
    out << "; as a direct correlation of the input with s - 1 = " << a.stride - 1
        << " zeros between cells: e - 1 - before = " << a.extent - 1 - a.before
        << " before, e - 1 - after + o = " << a.extent - 1 - a.after + a.outputPadding << " after";
    return out.str();
}

ConvTResult transposeConvolve(const Tensor &input, const TensorKernel &kernel, const ConvTSpec &spec)
{
    ConvTResult result;
    result.axes = transposeConvolveInto(input, kernel, spec, result.output);
    return result;
}

std::vector<ConvTAxis> transposeConvolveInto(const Tensor &input, const TensorKernel &kernel,
                                             const ConvTSpec &spec, Tensor &output)
{
    if (const auto problem = validate(spec, input.shape(), kernel))
        throw std::invalid_argument(*problem);
    const TensorShape &in = input.shape();
    const int rank = in.spatialRank();
    const std::vector<ConvTAxis> convtAxes = convtGeometry(spec, in, kernel);
    const int groups = groupsOf(kernel, in, spec.groups);
    const int filters = convtFilterCount(kernel, in, spec.groups);
    TensorShape outShape{filters, {}};
    for (const ConvTAxis &a : convtAxes)
        outShape.spatial.push_back(a.output);
    detail::reuseOrCreate(output, outShape, input.depth());

    const std::array<ConvTAxis, 3> axes = axes3(convtAxes);
    std::array<std::vector<Phase>, 3> phases;
    // Output cells of a phase that no tap reaches hold the bias alone.
    bool holes = false;
    std::vector<AxisPads> extension;
    for (size_t a = 0; a < 3; ++a) {
        phases[a] = phasesOf(axes[a]);
        int before = 0;
        int after = 0;
        for (const Phase &p : phases[a]) {
            if (p.outputs == 0)
                continue;
            holes = holes || p.taps.empty();
            if (p.taps.empty())
                continue;
            before = std::max(before, p.uMax - p.q0);
            after = std::max(after, p.q0 + p.outputs - p.uMin - axes[a].input);
        }
        if (a >= 3 - static_cast<size_t>(rank))
            extension.push_back({before, after});
    }
    if (holes) {
        for (int f = 0; f < filters; ++f) {
            const double b = kernel.bias.empty() ? 0.0 : kernel.bias[static_cast<size_t>(f)];
            for (int z = 0; z < output.shape().depth(); ++z)
                output.plane(f, z).setTo(cv::Scalar::all(b));
        }
    }
    const TransposedWeights w = transposedWeights(kernel, in);
    const int channelsPerGroup = in.channels / groups;
    const int filtersPerGroup = filters / groups;

    cv::Mat phaseBuffer;
    for (const Phase &pd : phases[0])
        for (const Phase &ph : phases[1])
            for (const Phase &pw : phases[2]) {
                if (pd.outputs == 0 || ph.outputs == 0 || pw.outputs == 0)
                    continue;
                if (pd.taps.empty() || ph.taps.empty() || pw.taps.empty())
                    continue;
                const std::array<const Phase *, 3> p{&pd, &ph, &pw};
                detail::ChannelCorrelation job;
                for (int a = 0; a < rank; ++a)
                    job.pads[static_cast<size_t>(3 - rank + a)] = extension[static_cast<size_t>(a)];
                job.filters = filters;
                job.groups = groups;
                job.bias = kernel.bias;
                for (size_t a = 0; a < 3; ++a) {
                    const ConvTAxis &g = axes[a];
                    const int before = a >= 3 - static_cast<size_t>(rank) ? extension[a - (3 - rank)].before : 0;
                    job.origin[a] = p[a]->q0 - p[a]->uMax + before;
                    job.output[a] = p[a]->outputs;
                    job.stride[a] = 1;
                    job.dilation[a] = g.dilation / std::gcd(g.stride, g.dilation);
                    job.kernel[a] = static_cast<int>(p[a]->taps.size());
                }
                // Correlation order: the phase's taps from the last to the first.
                const int md = job.kernel[0];
                const int mh = job.kernel[1];
                const int mw = job.kernel[2];
                job.weights.reserve(static_cast<size_t>(filters) * channelsPerGroup * md * mh * mw);
                for (int f = 0; f < filters; ++f) {
                    const int g = f / filtersPerGroup;
                    for (int cl = 0; cl < channelsPerGroup; ++cl)
                        for (int jd = 0; jd < md; ++jd)
                            for (int jh = 0; jh < mh; ++jh)
                                for (int jw = 0; jw < mw; ++jw)
                                    job.weights.push_back(w.at(g * channelsPerGroup + cl, f % filtersPerGroup,
                                                               pd.taps[static_cast<size_t>(md - 1 - jd)],
                                                               ph.taps[static_cast<size_t>(mh - 1 - jh)],
                                                               pw.taps[static_cast<size_t>(mw - 1 - jw)]));
                }
                TensorShape phaseShape{filters, {}};
                for (int a = 0; a < rank; ++a)
                    phaseShape.spatial.push_back(job.output[static_cast<size_t>(3 - rank + a)]);
                // Every phase's output goes through one buffer, as large as the largest phase.
                const std::int64_t cells = phaseShape.cells();
                if (static_cast<std::int64_t>(phaseBuffer.total()) < cells)
                    phaseBuffer = detail::uninitializedTensor(phaseShape, input.depth()).matrix();
                Tensor phaseOut(phaseShape, cv::Mat(static_cast<int>(cells / phaseShape.cols()), phaseShape.cols(),
                                                    phaseBuffer.type(), phaseBuffer.data));
                detail::correlateChannels(input, job, phaseOut);
                // Into the output's cells of this phase: o = o0 + m*s on every axis.
                const int sh = axes[1].stride;
                const int sw = axes[2].stride;
                cv::parallel_for_(cv::Range(0, filters * pd.outputs), [&](const cv::Range &range) {
                    for (int task = range.start; task < range.end; ++task) {
                        const int f = task / pd.outputs;
                        const int md2 = task % pd.outputs;
                        const cv::Mat src = phaseOut.plane(f, md2);
                        const cv::Mat dst = output.plane(f, pd.firstOutput + md2 * axes[0].stride);
                        const size_t elem = dst.elemSize();
                        for (int m = 0; m < ph.outputs; ++m) {
                            const uchar *s = src.ptr(m);
                            uchar *o = const_cast<uchar *>(dst.ptr(ph.firstOutput + m * sh)) + pw.firstOutput * elem;
                            if (elem == sizeof(float)) {
                                const float *sf = reinterpret_cast<const float *>(s);
                                float *of = reinterpret_cast<float *>(o);
                                for (int n = 0; n < pw.outputs; ++n)
                                    of[static_cast<size_t>(n) * sw] = sf[n];
                            } else {
                                const double *sd = reinterpret_cast<const double *>(s);
                                double *od = reinterpret_cast<double *>(o);
                                for (int n = 0; n < pw.outputs; ++n)
                                    od[static_cast<size_t>(n) * sw] = sd[n];
                            }
                        }
                    }
                });
            }
    return convtAxes;
}

ConvTExplanation explainTransposed(const Tensor &input, const TensorKernel &kernel, const ConvTSpec &spec)
{
    if (const auto problem = validate(spec, input.shape(), kernel))
        throw std::invalid_argument(*problem);
    const TensorShape &in = input.shape();
    const int rank = in.spatialRank();
    const std::vector<ConvTAxis> axes = convtGeometry(spec, in, kernel);
    ConvTExplanation x;

    TensorShape stuffedShape{in.channels, {}};
    TensorShape paddedShape{in.channels, {}};
    for (const ConvTAxis &a : axes) {
        stuffedShape.spatial.push_back((a.input - 1) * a.stride + 1);
        x.implicit.push_back({a.extent - 1 - a.before, a.extent - 1 - a.after + a.outputPadding});
        paddedShape.spatial.push_back(stuffedShape.spatial.back() + x.implicit.back().before + x.implicit.back().after);
    }
    x.stuffed = Tensor(stuffedShape, input.depth());
    x.padded = Tensor(paddedShape, input.depth());
    const std::int64_t cells = TensorShape{1, in.spatial}.cells();
    for (int c = 0; c < in.channels; ++c)
        for (std::int64_t flat = 0; flat < cells; ++flat) {
            const std::vector<int> cell = detail::unravel(static_cast<int>(flat), in.spatial);
            std::vector<int> stuffedAt;
            std::vector<int> paddedAt;
            bool inside = true;
            for (int a = 0; a < rank; ++a) {
                const size_t i = static_cast<size_t>(a);
                stuffedAt.push_back(cell[i] * axes[i].stride);
                paddedAt.push_back(stuffedAt.back() + x.implicit[i].before);
                inside = inside && paddedAt.back() >= 0 && paddedAt.back() < paddedShape.spatial[i];
            }
            const double v = input.at(c, cell);
            const auto put = [&](Tensor &t, const std::vector<int> &at) {
                const int z = rank == 3 ? at[0] : 0;
                const int r = rank >= 2 ? at[static_cast<size_t>(rank - 2)] : 0;
                cv::Mat p = t.plane(c, z);
                if (p.depth() == CV_32F)
                    p.at<float>(r, at.back()) = static_cast<float>(v);
                else
                    p.at<double>(r, at.back()) = v;
            };
            put(x.stuffed, stuffedAt);
            if (inside)
                put(x.padded, paddedAt);
        }

    // The conv kernel (F, C/groups, *k): w'(f, c) = flip(w(c, f)).
    const int groups = groupsOf(kernel, in, spec.groups);
    const int filters = convtFilterCount(kernel, in, spec.groups);
    const TransposedWeights w = transposedWeights(kernel, in);
    const int channelsPerGroup = in.channels / groups;
    const int filtersPerGroup = filters / groups;
    x.kernel.shape = {filters, channelsPerGroup};
    for (int a = 0; a < rank; ++a)
        x.kernel.shape.push_back(w.size[static_cast<size_t>(3 - rank + a)]);
    for (int f = 0; f < filters; ++f)
        for (int cl = 0; cl < channelsPerGroup; ++cl)
            for (int td = w.size[0]; td-- > 0;)
                for (int th = w.size[1]; th-- > 0;)
                    for (int tw = w.size[2]; tw-- > 0;)
                        x.kernel.weights.push_back(
                            w.at((f / filtersPerGroup) * channelsPerGroup + cl, f % filtersPerGroup, td, th, tw));
    x.kernel.bias = kernel.bias;
    x.spec.stride = {1};
    x.spec.dilation = spec.dilation;
    x.spec.groups = groups;
    x.direct = convolveTensor(x.padded, x.kernel, x.spec);
    return x;
}

ConvTWindow convtWindowAt(const Tensor &input, const ConvTResult &result, const TensorKernel &kernel,
                          const ConvTSpec &spec, int filter, const std::vector<int> &cell)
{
    const TensorShape &in = input.shape();
    const int rank = in.spatialRank();
    if (filter < 0 || filter >= result.output.channels() || static_cast<int>(cell.size()) != rank)
        throw std::invalid_argument("convtWindowAt: no such filter or cell");
    ConvTWindow w;
    w.filter = filter;
    w.cell = cell;
    // Per axis, the (input, tap) pairs with i*s + t*d = cell + before.
    std::vector<std::vector<std::pair<int, int>>> pairs(static_cast<size_t>(rank));
    for (int a = 0; a < rank; ++a) {
        const ConvTAxis &g = result.axes[static_cast<size_t>(a)];
        const int o = cell[static_cast<size_t>(a)];
        if (o < 0 || o >= g.output)
            throw std::invalid_argument("convtWindowAt: the cell is outside the output");
        const long long full = static_cast<long long>(o) + g.before;
        w.full.push_back(static_cast<int>(full));
        // Last tap first, so the input cells come in ascending order.
        for (int t = g.kernel; t-- > 0;) {
            const long long rest = full - static_cast<long long>(t) * g.dilation;
            if (rest >= 0 && rest % g.stride == 0 && rest / g.stride < g.input)
                pairs[static_cast<size_t>(a)].push_back({static_cast<int>(rest / g.stride), t});
        }
    }
    const int groups = groupsOf(kernel, in, spec.groups);
    const int filters = convtFilterCount(kernel, in, spec.groups);
    const int channelsPerGroup = in.channels / groups;
    const int filtersPerGroup = filters / groups;
    const TransposedWeights weights = transposedWeights(kernel, in);
    std::vector<int> counts;
    for (const auto &p : pairs)
        counts.push_back(static_cast<int>(p.size()));
    int combos = 1;
    for (int n : counts)
        combos *= n;
    const int g = filter / filtersPerGroup;
    for (int cl = 0; cl < channelsPerGroup; ++cl) {
        for (int i = 0; i < combos; ++i) {
            const std::vector<int> pick = detail::unravel(i, counts);
            ConvTStamp s;
            s.channel = g * channelsPerGroup + cl;
            Axes3 t{0, 0, 0};
            for (int a = 0; a < rank; ++a) {
                const auto &[inputAt, tapAt] = pairs[static_cast<size_t>(a)][static_cast<size_t>(pick[static_cast<size_t>(a)])];
                s.input.push_back(inputAt);
                s.tap.push_back(tapAt);
                t[static_cast<size_t>(3 - rank + a)] = tapAt;
            }
            s.value = input.at(s.channel, s.input);
            s.weight = weights.at(s.channel, filter % filtersPerGroup, t[0], t[1], t[2]);
            s.product = s.value * s.weight;
            w.sum += s.product;
            w.stamps.push_back(std::move(s));
        }
    }
    if (!kernel.bias.empty()) {
        w.hasBias = true;
        w.bias = kernel.bias[static_cast<size_t>(filter)];
        w.sum += w.bias;
    }
    return w;
}

std::string convtWindowSumText(const ConvTWindow &window)
{
    std::vector<std::pair<double, double>> products;
    for (const ConvTStamp &s : window.stamps)
        products.emplace_back(s.weight, s.value);
    return detail::productsText(products, window.hasBias ? std::optional<double>(window.bias) : std::nullopt,
                                window.sum);
}

} // namespace padlab::core

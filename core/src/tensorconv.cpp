#include "padlab/core/tensorconv.h"

#include "padlab/core/window.h"
#include "tensorcorrelate.h"
#include "tensorshared.h"

#include <opencv2/core.hpp>

#include <climits>
#include <cmath>
#include <stdexcept>

namespace padlab::core {

namespace {

std::string kernelAxesText(int rank)
{
    switch (rank) {
    case 1: return "length";
    case 2: return "height, width";
    default: return "depth, height, width";
    }
}

} // namespace

TensorKernel kernelFromArray(const NdArray &array)
{
    TensorKernel k;
    for (std::int64_t d : array.shape)
        k.shape.push_back(d > INT_MAX ? INT_MAX : static_cast<int>(d));
    k.weights = array.values;
    return k;
}

TensorKernel spatialKernel(const cv::Mat &kernel, int rank)
{
    if (kernel.empty() || kernel.channels() != 1 || rank < 1 || rank > 2 || (rank == 1 && kernel.rows != 1))
        throw std::invalid_argument("spatialKernel: a single-channel matrix, one row for rank 1");
    TensorKernel k;
    k.shape = rank == 1 ? std::vector<int>{kernel.cols} : std::vector<int>{kernel.rows, kernel.cols};
    cv::Mat m;
    kernel.convertTo(m, CV_64F);
    for (int r = 0; r < m.rows; ++r)
        k.weights.insert(k.weights.end(), m.ptr<double>(r), m.ptr<double>(r) + m.cols);
    return k;
}

std::optional<ConvSpec> planeSpec(const TensorConvSpec &spec, int rank)
{
    if (rank < 1 || rank > 2 || axisValuesProblem(spec.stride, rank, "stride") ||
        axisValuesProblem(spec.dilation, rank, "dilation") || padListProblem(spec.amount, rank))
        return std::nullopt;
    ConvSpec plane;
    plane.amount.kind = spec.amount.kind;
    const std::vector<int> &v = spec.amount.values;
    if (spec.amount.kind == Amount::Explicit)
        plane.amount.sides = rank == 1 ? Sides{0, 0, v[0], v[1]} : Sides{v[0], v[1], v[2], v[3]};
    plane.fill = spec.fill;
    plane.value = spec.value;
    const std::vector<int> s = perAxis(spec.stride, rank);
    const std::vector<int> d = perAxis(spec.dilation, rank);
    plane.stride = rank == 1 ? PerAxis{1, s[0]} : PerAxis{s[0], s[1]};
    plane.dilation = rank == 1 ? PerAxis{1, d[0]} : PerAxis{d[0], d[1]};
    plane.operation = spec.operation;
    return plane;
}

TensorConvSpec tensorSpec(const ConvSpec &spec)
{
    TensorConvSpec tensor;
    tensor.amount.kind = spec.amount.kind;
    if (spec.amount.kind == Amount::Explicit) {
        const Sides &sides = spec.amount.sides;
        tensor.amount.values = {sides.top, sides.bottom, sides.left, sides.right};
    }
    tensor.fill = spec.fill;
    tensor.value = spec.value;
    tensor.stride = {spec.stride.rows, spec.stride.cols};
    tensor.dilation = {spec.dilation.rows, spec.dilation.cols};
    tensor.operation = spec.operation;
    return tensor;
}

int filterCount(const TensorKernel &kernel, const TensorShape &input)
{
    return kernel.rank() == input.spatialRank() ? input.channels : kernel.shape.at(0);
}

std::optional<std::string> validate(const TensorConvSpec &spec, const TensorShape &input,
                                    const TensorKernel &kernel)
{
    const int rank = input.spatialRank();
    if (const auto problem = detail::inputProblem(input))
        return problem;
    if (kernel.rank() != rank && kernel.rank() != rank + 2)
        return "the kernel has " + std::to_string(kernel.rank()) + " axes: a " + std::to_string(rank) +
               "-D input takes a " + std::to_string(rank) + "-D kernel (one for every channel) or a " +
               std::to_string(rank + 2) + "-D kernel (filters, channels per group, " +
               kernelAxesText(rank) + ")";
    if (const auto problem = detail::weightsProblem(kernel))
        return problem;
    if (spec.groups < 1)
        return "groups must be at least 1 (got " + std::to_string(spec.groups) + ")";
    const bool spatialOnly = kernel.rank() == rank;
    if (spatialOnly) {
        if (spec.groups != 1 && spec.groups != input.channels)
            return "a kernel with only spatial axes applies to every channel on its own, so groups "
                   "must be 1 or the " + std::to_string(input.channels) + " channels (got " +
                   std::to_string(spec.groups) + ")";
    } else if (const auto problem = detail::groupsProblem(input.channels, kernel.shape[0],
                                                           kernel.shape[1], spec.groups, false)) {
        return problem;
    }
    const int filters = filterCount(kernel, input);
    if (!kernel.bias.empty() && static_cast<int>(kernel.bias.size()) != filters)
        return "bias has " + std::to_string(kernel.bias.size()) + " values for " +
               std::to_string(filters) + " filters";
    if (const auto problem = axisValuesProblem(spec.stride, rank, "stride"))
        return problem;
    if (const auto problem = axisValuesProblem(spec.dilation, rank, "dilation"))
        return problem;
    if (const auto problem = padListProblem(spec.amount, rank))
        return problem;
    if (spec.amount.kind == Amount::Causal && rank == 3)
        return "causal padding pads the time axis of a signal (or the top and left of an image); a "
               "volume has no single such axis: give its pads explicitly, e.g. front,back = e-1,0";
    if (!std::isfinite(spec.value))
        return "the fill value is not a finite number";

    const std::vector<int> k(kernel.shape.end() - rank, kernel.shape.end());
    const std::vector<int> s = perAxis(spec.stride, rank);
    const std::vector<int> d = perAxis(spec.dilation, rank);
    std::vector<detail::AxisRequest> axes;
    for (int a = 0; a < rank; ++a) {
        const size_t i = static_cast<size_t>(a);
        detail::AxisRequest r{input.spatial[i], k[i], s[i], d[i], 0, 0};
        switch (spec.amount.kind) {
        case Amount::Valid: break;
        case Amount::Same:
        case Amount::Full:
        case Amount::Causal:
            r.before = r.after = -1; // at most e - 1 each: checked as such
            break;
        case Amount::Explicit:
            r.before = spec.amount.values[2 * i];
            r.after = spec.amount.values[2 * i + 1];
            break;
        }
        axes.push_back(r);
    }
    return detail::sizeProblem(input.channels, filters, axes, spatialOnly ? 1 : kernel.shape[1]);
}

std::vector<AxisPads> TensorGeometry::pads() const
{
    std::vector<AxisPads> out;
    for (const AxisGeometry &a : axes)
        out.push_back({a.before, a.after});
    return out;
}

std::vector<int> TensorGeometry::paddedSize() const
{
    std::vector<int> out;
    for (const AxisGeometry &a : axes)
        out.push_back(a.padded);
    return out;
}

std::vector<int> TensorGeometry::outputSize() const
{
    std::vector<int> out;
    for (const AxisGeometry &a : axes)
        out.push_back(a.output);
    return out;
}

bool TensorGeometry::empty() const
{
    for (const AxisGeometry &a : axes) {
        if (a.output == 0)
            return true;
    }
    return false;
}

TensorGeometry tensorGeometry(const TensorConvSpec &spec, const TensorShape &input,
                              const TensorKernel &kernel)
{
    const int rank = input.spatialRank();
    const std::vector<int> s = perAxis(spec.stride, rank);
    const std::vector<int> d = perAxis(spec.dilation, rank);
    TensorGeometry g;
    for (int a = 0; a < rank; ++a) {
        const size_t i = static_cast<size_t>(a);
        const bool given = spec.amount.kind == Amount::Explicit;
        g.axes.push_back(axisGeometry(input.spatial[i],
                                      kernel.shape[kernel.shape.size() - static_cast<size_t>(rank) + i],
                                      s[i], d[i], spec.amount.kind,
                                      given ? spec.amount.values[2 * i] : 0,
                                      given ? spec.amount.values[2 * i + 1] : 0));
    }
    return g;
}

std::string emptyOutputReason(const TensorGeometry &geometry)
{
    std::string reason;
    const int rank = static_cast<int>(geometry.axes.size());
    for (int a = 0; a < rank; ++a) {
        const AxisGeometry &g = geometry.axes[static_cast<size_t>(a)];
        if (g.output != 0)
            continue;
        const std::string cells = detail::axisCells(a, rank);
        if (!reason.empty())
            reason += "; ";
        reason += "the kernel reaches " + std::to_string(g.extent) + " " + cells +
                  " but the padded input has " + std::to_string(g.padded) + " " + cells + " (" +
                  detail::axisName(a, rank) + ": " + std::to_string(g.input) + " + " +
                  std::to_string(g.before) + " + " + std::to_string(g.after) + ")";
    }
    if (reason.empty())
        return reason;
    return "The output is empty: " + reason + ", so no window fits.";
}

TensorConvResult convolveTensor(const Tensor &input, const TensorKernel &kernel,
                                const TensorConvSpec &spec)
{
    TensorConvResult result;
    result.geometry = convolveTensorInto(input, kernel, spec, result.output);
    return result;
}

TensorGeometry convolveTensorInto(const Tensor &input, const TensorKernel &kernel,
                                  const TensorConvSpec &spec, Tensor &output)
{
    if (const auto problem = validate(spec, input.shape(), kernel))
        throw std::invalid_argument(*problem);
    const TensorGeometry geometry = tensorGeometry(spec, input.shape(), kernel);
    const int rank = input.shape().spatialRank();
    const detail::FilterBank bank = detail::filterBank(kernel, input.shape(), spec.groups,
                                                       spec.operation);
    detail::reuseOrCreate(output, TensorShape{bank.filters, geometry.outputSize()}, input.depth());
    if (geometry.empty())
        return geometry;
    detail::ChannelCorrelation job;
    const std::vector<AxisPads> pads = geometry.pads();
    for (int a = 0; a < rank; ++a)
        job.pads[static_cast<size_t>(3 - rank + a)] = pads[static_cast<size_t>(a)];
    job.fill = spec.fill;
    job.value = spec.value;
    job.output = detail::toAxes3(geometry.outputSize(), rank, 1);
    job.stride = detail::toAxes3(perAxis(spec.stride, rank), rank, 1);
    job.dilation = detail::toAxes3(perAxis(spec.dilation, rank), rank, 1);
    job.kernel = bank.size;
    job.filters = bank.filters;
    job.groups = bank.groups;
    job.weights = bank.weights;
    job.bias = kernel.bias;
    detail::correlateChannels(input, job, output);
    return geometry;
}

TensorWindow tensorWindowAt(const Tensor &input, const TensorConvResult &result, const TensorKernel &kernel,
                            const TensorConvSpec &spec, int filter, const std::vector<int> &cell)
{
    const TensorShape &outShape = result.output.shape();
    const int rank = outShape.spatialRank();
    if (filter < 0 || filter >= outShape.channels || static_cast<int>(cell.size()) != rank)
        throw std::invalid_argument("tensorWindowAt: no such filter or cell");
    for (int a = 0; a < rank; ++a) {
        if (cell[static_cast<size_t>(a)] < 0 || cell[static_cast<size_t>(a)] >= outShape.spatial[static_cast<size_t>(a)])
            throw std::invalid_argument("tensorWindowAt: the cell is outside the output");
    }
    const TensorShape &inputShape = input.shape();
    const detail::FilterBank bank = detail::filterBank(kernel, inputShape, spec.groups, spec.operation);
    const std::vector<int> s = perAxis(spec.stride, rank);
    const std::vector<int> d = perAxis(spec.dilation, rank);
    const std::vector<AxisPads> pads = result.geometry.pads();

    TensorWindow w;
    w.filter = filter;
    w.cell = cell;
    for (int a = 0; a < rank; ++a) {
        const size_t i = static_cast<size_t>(a);
        w.origin.push_back(cell[i] * s[i]);
        w.extent.push_back(result.geometry.axes[i].extent);
    }
    const int perGroup = bank.channelsPerGroup;
    const int group = filter / (bank.filters / bank.groups);
    const std::vector<int> kernelSize(bank.size.end() - rank, bank.size.end());
    const int taps = static_cast<int>(bank.weights.size() / static_cast<size_t>(bank.filters * perGroup));
    for (int c = 0; c < perGroup; ++c) {
        for (int t = 0; t < taps; ++t) {
            TensorTap tap;
            tap.channel = group * perGroup + c;
            tap.tap = detail::unravel(t, kernelSize);
            for (int a = 0; a < rank; ++a) {
                const size_t i = static_cast<size_t>(a);
                tap.padded.push_back(w.origin[i] + tap.tap[i] * d[i]);
            }
            tap.donor = tensorDonor(tap.padded, inputShape, pads, spec.fill);
            tap.weight = bank.weights[(static_cast<size_t>(filter) * perGroup + c) * taps + t];
            tap.value = tap.donor.cell.empty() ? (spec.fill == Fill::Constant ? spec.value : 0.0)
                                               : input.at(tap.channel, tap.donor.cell);
            tap.product = tap.weight * tap.value;
            w.sum += tap.product;
            w.taps.push_back(std::move(tap));
        }
    }
    if (!kernel.bias.empty()) {
        w.hasBias = true;
        w.bias = kernel.bias[static_cast<size_t>(filter)];
        w.sum += w.bias;
    }
    return w;
}

std::string tensorWindowSumText(const TensorWindow &window)
{
    std::vector<std::pair<double, double>> products;
    for (const TensorTap &t : window.taps)
        products.emplace_back(t.weight, t.value);
    return detail::productsText(products, window.hasBias ? std::optional<double>(window.bias) : std::nullopt,
                                window.sum);
}

std::vector<std::vector<int>> unreadPositions(const TensorGeometry &geometry)
{
    std::vector<std::vector<int>> out;
    for (const AxisGeometry &g : geometry.axes)
        out.push_back(detail::unreadOf(g.padded, g.output, g.kernel, g.stride, g.dilation));
    return out;
}

} // namespace padlab::core

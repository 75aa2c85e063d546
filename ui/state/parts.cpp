#include "parts.h"

#include "jobqueue.h"

#include "padlab/core/error.h"
#include "padlab/core/kernels.h"

#include <QObject>
#include <QtConcurrent/QtConcurrentMap>

#include <opencv2/core.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <atomic>
#include <exception>
#include <functional>
#include <string>
#include <mutex>
#include <numeric>

namespace padlab::ui::parts {

namespace {

std::pair<double, double> minMaxOf(const cv::Mat &m)
{
    if (m.empty())
        return {0, 0};
    std::pair<double, double> range;
    cv::minMaxIdx(m, &range.first, &range.second);
    return range;
}

std::vector<double> rowValues(const cv::Mat &row)
{
    std::vector<double> values;
    if (row.rows < 1)
        return values;
    cv::Mat doubles;
    row.row(0).convertTo(doubles, CV_64F);
    const double *first = doubles.ptr<double>(0);
    values.assign(first, first + doubles.cols);
    return values;
}

/// The smallest and largest of @p series and 0.
std::pair<double, double> rangeWithZero(std::initializer_list<const std::vector<double> *> series)
{
    std::pair<double, double> range{0, 0};
    for (const std::vector<double> *values : series)
        for (double v : *values) {
            range.first = std::min(range.first, v);
            range.second = std::max(range.second, v);
        }
    return range;
}

core::CompareBy engineBy(CompareBy by)
{
    return by == CompareBy::Fill ? core::CompareBy::Fill : core::CompareBy::Amount;
}

constexpr core::Amount kStripAmounts[] = {core::Amount::Valid, core::Amount::Same, core::Amount::Causal};

} // namespace

std::pair<double, double> quantiles(const cv::Mat &values, double low, double high)
{
    if (values.empty())
        return {0, 0};
    // Colours need the percentiles to a tenth of a percent: at most 2^14 cells (all of them up
    // to that size), so that a change of settings on a photo does not wait for a sort of
    // millions of values per map. The cells are taken every step-th in reading order, the step
    // prime to the row length so that every column is visited alike: a grid of every k-th row
    // and column would over-count the border rows, where padding makes the extremes.
    constexpr std::int64_t kMaxSamples = 1 << 14;
    cv::Mat plane = values.reshape(1, values.rows);
    if (plane.depth() != CV_8U && plane.depth() != CV_32F && plane.depth() != CV_64F)
        plane.convertTo(plane, CV_64F);
    const std::int64_t cols = plane.cols;
    const std::int64_t total = std::int64_t(plane.rows) * cols;
    std::int64_t step = std::max<std::int64_t>(1, (total + kMaxSamples - 1) / kMaxSamples);
    while (step > 1 && std::gcd(step, cols) != 1)
        ++step;
    std::vector<double> sample;
    sample.reserve(size_t(total / step + 1));
    for (std::int64_t i = 0; i < total; i += step) {
        const int r = int(i / cols);
        const int c = int(i % cols);
        double v = 0;
        switch (plane.depth()) {
        case CV_8U: v = plane.ptr<uchar>(r)[c]; break;
        case CV_32F: v = plane.ptr<float>(r)[c]; break;
        case CV_64F: v = plane.ptr<double>(r)[c]; break;
        }
        if (!std::isnan(v))
            sample.push_back(v);
    }
    if (sample.empty())
        return {0, 0};
    const auto at = [&sample](double q) {
        const auto rank = size_t(std::clamp(std::ceil(q * double(sample.size())) - 1, 0.0, double(sample.size() - 1)));
        std::nth_element(sample.begin(), sample.begin() + std::ptrdiff_t(rank), sample.end());
        return sample[rank];
    };
    const double first = at(low);
    return {first, at(high)};
}

FeatureMap featureMap(const cv::Mat &input, const cv::Mat &kernel, const core::ConvSpec &spec,
                      const core::Budget &budget, JobControl &control)
{
    FeatureMap map;
    try {
        map.result = core::convolve(input, kernel, spec, budget, control.hook());
        map.inputRange = minMaxOf(input);
        map.outputRange = minMaxOf(map.result.output);
        map.outputClip = quantiles(map.result.output, 0.01, 0.99);
    } catch (const std::exception &e) {
        map.error = QString::fromStdString(e.what());
    }
    return map;
}

Size featureMapSize(const cv::Mat &input, const cv::Mat &kernel, const core::ConvSpec &spec)
{
    if (core::validate(spec, {input.rows, input.cols}, {kernel.rows, kernel.cols}))
        return {};
    const core::Geometry g = core::geometry({input.rows, input.cols}, {kernel.rows, kernel.cols}, spec);
    return {1LL * g.rows.padded * g.cols.padded,
            1LL * g.rows.output * g.cols.output * static_cast<long long>(kernel.total())};
}

Size partSize(Part part, const Snapshot &base)
{
    const long long cells = static_cast<long long>(base.input.total());
    const long long padded = 1LL * base.geometry().rows.padded * base.geometry().cols.padded;
    const long long macs = 1LL * base.geometry().rows.output * base.geometry().cols.output
                           * static_cast<long long>(base.kernel.total());
    switch (part) {
    case Part::Comparison: {
        // Six padded inputs, outputs and difference maps, each about the size of this one.
        const long long items = static_cast<long long>(core::allFills().size());
        return {items * (padded + 2 * cells), items * macs};
    }
    case Part::Stages: {
        const long long count = base.view.stageCount;
        return {count * cells, count * cells * static_cast<long long>(base.kernel.total())};
    }
    case Part::Signal: return {3 * (padded + cells), 3 * macs};
    case Part::Channels: {
        // Every channel padded and each filter's map; four filters over every channel is typical.
        const long long channels = base.source.channels();
        const long long filters = std::max<long long>(4, channels);
        return {channels * padded + filters * cells, filters * channels * macs};
    }
    case Part::Pool: {
        // The input as doubles and both rules' outputs, each at most the padded input.
        const long long window = std::max<long long>(1, static_cast<long long>(base.view.pool.window.front())
                                                            * base.view.pool.window.back());
        return {cells + 2 * padded, 2 * padded * window};
    }
    case Part::Transposed: {
        // The stuffed and padded input, the full stamps, their counts and the output: each about
        // s*s times the input; the engine's products, the direct picture's and the stamps'.
        const long long s = std::max(base.view.convtStride, 1);
        const long long d = std::max(base.view.convtDilation, 1);
        const long long e = 1LL * d * (std::max(base.kernel.rows, base.kernel.cols) - 1) + 1;
        const long long side = s + e;
        const long long grown = cells * side * side;
        return {5 * grown, 3 * grown * static_cast<long long>(base.kernel.total())};
    }
    case Part::Layers: return {};
    }
    return {};
}

core::Estimate partEstimate(Part part, core::PerAxis inputSize, int elementBytes, core::PerAxis kernelSize,
                            const core::ConvSpec &spec, const ViewSettings &view)
{
    switch (part) {
    case Part::Comparison:
        return core::compareEstimate(inputSize, elementBytes, kernelSize, spec, engineBy(view.compareBy));
    case Part::Stages: return core::stagesEstimate(inputSize, elementBytes, kernelSize, spec, view.stageCount);
    case Part::Signal:
    case Part::Channels:
    case Part::Pool:
    case Part::Transposed:
    case Part::Layers: break;
    }
    return {};
}

namespace {

/// Runs @p task(i, progress) for i in 0..count-1 on every core there is: the items of a
/// comparison are independent, and the engine computes each on one thread. Each task reports
/// through its own Progress, which stops it once the job is cancelled; @p whole hears their
/// mean. The first error is rethrown.
template <typename Task>
void eachInParallel(int count, JobControl &control, const core::Progress &whole, Task task)
{
    std::vector<int> indices(static_cast<size_t>(count));
    std::iota(indices.begin(), indices.end(), 0);
    std::mutex guard;
    std::exception_ptr failure;
    std::vector<std::atomic<double>> done(static_cast<size_t>(count));
    const auto report = [&](int i, double fraction) {
        done[size_t(i)].store(fraction, std::memory_order_relaxed);
        double sum = 0;
        for (const std::atomic<double> &d : done)
            sum += d.load(std::memory_order_relaxed);
        return whole ? whole(sum / count) : !control.isCancelled();
    };
    QtConcurrent::blockingMap(indices, [&](int i) {
        if (control.isCancelled())
            return;
        try {
            task(i, core::Progress([&report, i](double fraction) { return report(i, fraction); }));
            report(i, 1.0);
        } catch (...) {
            const std::lock_guard<std::mutex> lock(guard);
            if (!failure)
                failure = std::current_exception();
        }
    });
    if (failure)
        std::rethrow_exception(failure);
}

double magnitudeOf(std::pair<double, double> range)
{
    return std::max(std::abs(range.first), std::abs(range.second));
}

/// The difference maps and their figures against @p reference (clamped), as core::setReference()
/// takes them, and their pooled copies: one item per core.
void takeDifferences(CompareSet &set, int reference, JobControl &control, const core::Progress &progress)
{
    core::Comparison &c = set.comparison;
    const int n = int(c.items.size());
    c.reference = std::clamp(reference, 0, std::max(n - 1, 0));
    c.differences.assign(size_t(n), cv::Mat());
    c.summaries.assign(size_t(n), core::DifferenceSummary());
    set.pooling = 1;
    set.pooledDifferences.assign(size_t(n), cv::Mat());
    if (n == 0)
        return;
    const core::CompareItem &ref = c.items[size_t(c.reference)];
    const double refMagnitude = magnitudeOf(set.outputRanges[size_t(c.reference)]);
    // A difference map has its item's output size.
    for (const core::CompareItem &item : c.items)
        set.pooling = std::max(set.pooling, poolingFor(item.result.output.rows, item.result.output.cols));
    if (set.pooling == 1)
        set.pooledDifferences.clear();
    eachInParallel(n, control, progress, [&](int i, const core::Progress &) {
        const core::CompareItem &item = c.items[size_t(i)];
        cv::Mat &map = c.differences[size_t(i)];
        map = core::differenceMap(item, ref);
        const double tolerance
            = core::differenceTolerance(item, ref, magnitudeOf(set.outputRanges[size_t(i)]), refMagnitude);
        c.summaries[size_t(i)] = core::summarizeDifference(map, item, tolerance);
        if (set.pooling > 1)
            set.pooledDifferences[size_t(i)] = pooledDifference(map, set.pooling);
    });
}

} // namespace

int poolingFor(int rows, int cols)
{
    if (1LL * rows * cols <= CompareSet::kPooledCells)
        return 1;
    const auto pooledCells = [rows, cols](int block) {
        return 1LL * ((rows + block - 1) / block) * ((cols + block - 1) / block);
    };
    int block = int(std::ceil(std::sqrt(double(rows) * cols / double(CompareSet::kPooledCells))));
    while (pooledCells(block) > CompareSet::kPooledCells)
        ++block;
    return block;
}

cv::Mat pooledDifference(const cv::Mat &map, int block)
{
    const double none = std::numeric_limits<double>::quiet_NaN();
    if (map.empty() || block < 1)
        return {};
    cv::Mat pooled((map.rows + block - 1) / block, (map.cols + block - 1) / block, CV_64F, cv::Scalar(none));
    for (int r = 0; r < map.rows; ++r) {
        const double *in = map.ptr<double>(r);
        double *out = pooled.ptr<double>(r / block);
        for (int first = 0, k = 0; first < map.cols; first += block, ++k) {
            double best = out[k];
            for (int c = first; c < std::min(first + block, map.cols); ++c)
                if (std::abs(in[c]) > std::abs(best) || (std::isnan(best) && !std::isnan(in[c])))
                    best = in[c];
            out[k] = best;
        }
    }
    return pooled;
}

CompareSet compareSet(const core::Comparison &comparison)
{
    CompareSet set;
    set.comparison = comparison;
    for (const core::CompareItem &item : comparison.items)
        set.outputRanges.push_back(minMaxOf(item.result.output));
    if (!comparison.items.empty()) {
        const core::CompareItem &first = comparison.items.front();
        const core::Geometry &g = first.result.geometry;
        const core::Sides s = first.sides;
        if (!first.result.padded.empty() && g.rows.input > 0 && g.cols.input > 0)
            set.inputRange = minMaxOf(first.result.padded(cv::Rect(s.left, s.top, g.cols.input, g.rows.input)));
    }
    JobControl control;
    takeDifferences(set, comparison.reference, control, {});
    return set;
}

CompareSet comparison(const Snapshot &base, const std::shared_ptr<const CompareSet> &prior,
                      const core::Budget &budget, JobControl &control)
{
    CompareSet set;
    set.origin = base.origin();
    set.inputRange = base.inputRange;
    const int reference = base.view.compareReference;
    try {
        if (prior && prior->error.isEmpty() && !prior->comparison.items.empty()) {
            PartOrigin sameReference = prior->origin;
            sameReference.view.compareReference = reference;
            if (samePart(Part::Comparison, sameReference, set.origin)) {
                set.comparison.by = prior->comparison.by;
                set.comparison.items = prior->comparison.items;
                set.outputRanges = prior->outputRanges;
                takeDifferences(set, reference, control, control.hook());
                return set;
            }
        }
        const core::CompareBy by = engineBy(base.view.compareBy);
        // The whole comparison is checked, as core::compare() checks it, before any item.
        core::requireBudget(partEstimate(Part::Comparison, {base.input.rows, base.input.cols},
                                         int(base.input.elemSize1()), {base.kernel.rows, base.kernel.cols},
                                         base.spec, base.view),
                            budget);
        const std::vector<core::ConvSpec> specs = core::comparedSpecs(base.spec, by);
        std::vector<core::CompareItem> items(specs.size());
        set.outputRanges.assign(specs.size(), {0, 0});
        // The convolutions take most of the time, the difference maps the rest.
        constexpr double kConvolved = 0.8;
        eachInParallel(int(specs.size()), control, core::progressPart(control.hook(), 0, kConvolved),
                       [&](int i, const core::Progress &progress) {
            core::CompareItem &item = items[size_t(i)];
            const core::ConvSpec &spec = specs[size_t(i)];
            if (spec == base.spec && !base.result.padded.empty()) {
                // The snapshot's own feature map is one of the items: it is not computed twice.
                item = {spec, base.result.geometry.sides(), base.result};
                set.outputRanges[size_t(i)] = base.outputRange;
            } else {
                item = core::compareItem(base.input, base.kernel, spec, budget, progress);
                set.outputRanges[size_t(i)] = minMaxOf(item.result.output);
            }
        });
        if (control.isCancelled())
            return set;
        set.comparison.by = by;
        set.comparison.items = std::move(items);
        takeDifferences(set, reference, control, core::progressPart(control.hook(), kConvolved, 1));
    } catch (const std::exception &e) {
        set.comparison = {};
        set.outputRanges.clear();
        set.pooledDifferences.clear();
        set.error = QString::fromStdString(e.what());
        set.beyondBudget = dynamic_cast<const core::OverBudget *>(&e) != nullptr;
    }
    return set;
}

StageSet stages(const Snapshot &base, const core::Budget &budget, JobControl &control)
{
    StageSet set;
    set.origin = base.origin();
    const int count = base.view.stageCount;
    try {
        set.chain = core::applyStages(base.input, base.kernel, base.spec, count, core::kMaxStageCells, budget,
                                      control.hook());
        // The engine stops a chain before a stage that does not fit: that stage is the one
        // after the last it computed.
        ViewSettings next = base.view;
        next.stageCount = int(set.chain.stages.size()) + 1;
        set.beyondBudget = next.stageCount <= count
            && core::overBudget(partEstimate(Part::Stages, {base.input.rows, base.input.cols},
                                             int(base.input.elemSize1()), {base.kernel.rows, base.kernel.cols},
                                             base.spec, next),
                                budget);
    } catch (const std::exception &e) {
        set.chain = {};
        set.chain.requested = count;
        set.chain.stopReason = e.what();
    }
    return set;
}

QString signalUnsupportedReason(const Snapshot &base)
{
    const cv::Mat &input = base.input;
    const cv::Mat &kernel = base.kernel;
    if (input.empty() || input.rows > SignalSet::kMaxChannels)
        return QObject::tr("The signal view shows one-row inputs, or up to %1 rows as the channels of one signal: "
                           "pick a signal above or open a CSV of 1 to %1 rows.")
            .arg(SignalSet::kMaxChannels);
    if (kernel.rows != 1)
        return QObject::tr("The signal view needs a one-row kernel (this one is %1 × %2): pick a signal above "
                           "or enter a kernel of one row.")
            .arg(kernel.rows)
            .arg(kernel.cols);
    const core::Geometry &g = base.geometry();
    if (g.rows.padded != input.rows || g.cols.input != input.cols || g.cols.kernel != kernel.cols)
        return QObject::tr("The signal view pads only before and after the row: set the padding above and "
                           "below to 0.");
    // Output row r is channel r's (or filter r's) only while no row is stepped over.
    if (input.rows > 1 && base.spec.stride.rows != 1)
        return QObject::tr("The signal view reads the rows as channels: set the stride down the rows to 1.");
    return {};
}

core::TensorConvSpec signalSpec(const core::ConvSpec &spec, int groups)
{
    core::TensorConvSpec t;
    t.amount.kind = spec.amount.kind;
    if (spec.amount.kind == core::Amount::Explicit)
        t.amount.values = {spec.amount.sides.left, spec.amount.sides.right};
    t.fill = spec.fill;
    t.value = spec.value;
    t.stride = {spec.stride.cols};
    t.dilation = {spec.dilation.cols};
    t.groups = groups;
    t.operation = spec.operation;
    return t;
}

core::TensorKernel signalBank(const ViewSettings &view, int channels, const cv::Mat &kernel)
{
    cv::Mat k;
    kernel.convertTo(k, CV_64F);
    const int taps = int(k.total());
    const bool depthwise = view.signalFilters == SignalFilters::Depthwise;
    const int filters = depthwise ? channels : 1;
    const int perFilter = depthwise ? 1 : channels;
    core::TensorKernel bank;
    bank.shape = {filters, perFilter, taps};
    // The same taps for every (filter, channel) it reads.
    for (int i = 0; i < filters * perFilter; ++i)
        bank.weights.insert(bank.weights.end(), k.ptr<double>(), k.ptr<double>() + taps);
    if (view.signalBias.size() == 1)
        bank.bias.assign(size_t(filters), view.signalBias.front());
    else if (!view.signalBias.empty() && view.signalBias.size() != size_t(filters))
        throw core::Error("bias has " + std::to_string(view.signalBias.size()) + " values for "
                          + std::to_string(filters) + " filters (give one value for all, or one per filter)");
    else
        bank.bias = view.signalBias;
    return bank;
}

namespace {

/// An input of several rows as the channels of one signal through the view's Conv1D.
void multichannelSignal(SignalSet &set, const Snapshot &base, JobControl &control)
{
    cv::Mat values;
    base.input.convertTo(values, CV_64F);
    const int channels = values.rows;
    set.channelInput = core::Tensor(core::TensorShape{channels, {values.cols}}, values);
    const bool depthwise = base.view.signalFilters == SignalFilters::Depthwise;
    set.convSpec = signalSpec(base.spec, depthwise ? channels : 1);
    try {
        set.bank = signalBank(base.view, channels, base.kernel);
        if (auto why = core::validate(set.convSpec, set.channelInput.shape(), set.bank))
            throw core::Error(*why);
        if (control.isCancelled())
            return;
        set.conv = core::convolveTensor(set.channelInput, set.bank, set.convSpec);
    } catch (const std::exception &e) {
        set.reason = QString::fromStdString(e.what());
        set.channelInput = {};
        set.bank = {};
        set.conv = {};
        return;
    }
    const core::Tensor padded
        = core::padTensor(set.channelInput, set.conv.geometry.pads(), set.convSpec.fill, set.convSpec.value);
    for (int c = 0; c < channels; ++c)
        set.channelPadded.push_back(rowValues(padded.plane(c)));
    if (!set.conv.output.empty()) {
        const core::Tensor out = set.conv.output.converted(CV_64F);
        for (int f = 0; f < out.channels(); ++f)
            set.filterOutputs.push_back(rowValues(out.plane(f)));
    }
    std::pair<double, double> in{0, 0};
    for (const std::vector<double> &row : set.channelPadded) {
        const auto r = rangeWithZero({&row});
        in = {std::min(in.first, r.first), std::max(in.second, r.second)};
    }
    const auto inRange = minMaxOf(values);
    set.inputRange = {std::min(in.first, inRange.first), std::max(in.second, inRange.second)};
    std::pair<double, double> out{0, 0};
    for (const std::vector<double> &row : set.filterOutputs) {
        const auto r = rangeWithZero({&row});
        out = {std::min(out.first, r.first), std::max(out.second, r.second)};
    }
    set.outputRange = out;
    control.setProgress(1.0);
}

} // namespace

SignalSet signal(const Snapshot &base, const core::Budget &budget, JobControl &control)
{
    SignalSet set;
    set.origin = base.origin();
    set.reason = signalUnsupportedReason(base);
    if (!set.reason.isEmpty())
        return set;
    if (base.input.rows > 1) {
        multichannelSignal(set, base, control);
        return set;
    }
    set.input = rowValues(base.input);
    set.padded = rowValues(base.result.padded);
    set.output = rowValues(base.result.output);
    const core::AxisGeometry &a = base.geometry().cols;
    for (size_t i = 0; i < set.strips.size(); ++i) {
        if (control.isCancelled())
            return set;
        set.strips[i] = core::axisGeometry(a.input, a.kernel, a.stride, a.dilation, kStripAmounts[i]);
        core::ConvSpec spec = base.spec;
        spec.amount = {kStripAmounts[i], {}};
        if (core::validate(spec, {base.input.rows, base.input.cols}, {base.kernel.rows, base.kernel.cols}))
            continue;
        const double share = 1.0 / double(set.strips.size());
        try {
            const core::Progress progress = core::progressPart(control.hook(), double(i) * share, double(i + 1) * share);
            set.stripValues[i] = rowValues(core::convolve(base.input, base.kernel, spec, budget, progress).output);
        } catch (const std::exception &) {
            set.stripValues[i].clear();
        }
        control.setProgress(double(i + 1) * share);
    }
    set.inputRange = rangeWithZero({&set.input, &set.padded});
    set.outputRange = rangeWithZero({&set.output});
    set.stripRange = rangeWithZero({&set.stripValues[0], &set.stripValues[1], &set.stripValues[2]});
    return set;
}

LayerSet layers(const Snapshot &base)
{
    LayerSet set;
    set.origin = base.origin();
    const ViewSettings &view = base.view;
    try {
        set.input = core::parseStackInputShape(view.layerInputShape.toStdString());
        set.summary = core::summarizeLayers(set.input, core::parseLayerSpecs(view.layerSpec.toStdString()));
    } catch (const std::exception &e) {
        set.summary = {};
        set.error = QString::fromStdString(e.what());
    }
    return set;
}

core::TensorConvSpec tensorSpec(const core::ConvSpec &spec, int groups)
{
    core::TensorConvSpec t;
    t.amount.kind = spec.amount.kind;
    if (spec.amount.kind == core::Amount::Explicit) {
        const core::Sides &s = spec.amount.sides;
        t.amount.values = {s.top, s.bottom, s.left, s.right};
    }
    t.fill = spec.fill;
    t.value = spec.value;
    t.stride = {spec.stride.rows, spec.stride.cols};
    t.dilation = {spec.dilation.rows, spec.dilation.cols};
    t.groups = groups;
    t.operation = spec.operation;
    return t;
}

core::TensorKernel filterBank(const ViewSettings &view, int channels, const cv::Mat &kernel)
{
    const int groups = view.groups;
    if (groups < 1)
        throw core::Error("groups must be at least 1 (got " + std::to_string(groups) + ")");
    if (channels % groups != 0)
        throw core::Error("groups (" + std::to_string(groups) + ") does not divide the " + std::to_string(channels)
                          + " input channels");
    const int perGroup = channels / groups;
    core::TensorKernel bank;
    // Spatial kernels of the same size each; filter f's kernel for the j-th channel of its group.
    std::vector<cv::Mat> spatial;
    std::function<int(int f, int j)> pick; // index into spatial, or -1 for a kernel of zeros
    switch (view.bank) {
    case FilterBank::Edges: {
        const cv::Mat diagonal = (cv::Mat_<double>(3, 3) << 0, 1, 2, -1, 0, 1, -2, -1, 0);
        const cv::Mat antiDiagonal = (cv::Mat_<double>(3, 3) << -2, -1, 0, -1, 0, 1, 0, 1, 2);
        spatial = {*core::preset("sobel-x"), *core::preset("sobel-y"), diagonal, antiDiagonal};
        bank.shape = {4 * groups, perGroup, 3, 3};
        pick = [](int f, int) { return f % 4; };
        break;
    }
    case FilterBank::Identity:
    case FilterBank::Blur: {
        spatial = {*core::preset(view.bank == FilterBank::Identity ? "identity" : "gaussian-3")};
        bank.shape = {channels, perGroup, 3, 3};
        // Filter f reads its own channel f only: within its group that is slot f % perGroup.
        pick = [perGroup](int f, int j) { return f % perGroup == j ? 0 : -1; };
        break;
    }
    case FilterBank::Kernel: {
        cv::Mat k;
        kernel.convertTo(k, CV_64F);
        spatial = {k};
        bank.shape = {groups, perGroup, k.rows, k.cols};
        pick = [](int, int) { return 0; };
        break;
    }
    case FilterBank::Custom: {
        bank.shape = view.bankShape;
        bank.weights = view.bankWeights;
        if (bank.shape.size() != 4)
            throw core::Error("a filter bank needs 4 axes (filters, channels per group, rows, cols), got "
                              + std::to_string(bank.shape.size()));
        long long cells = 1;
        for (int n : bank.shape)
            cells *= n;
        if (cells != static_cast<long long>(bank.weights.size()))
            throw core::Error("the filter bank's weights do not fill its shape");
        break;
    }
    }
    if (view.bank != FilterBank::Custom) {
        const int filters = bank.shape[0];
        const int rows = bank.shape[2];
        const int cols = bank.shape[3];
        bank.weights.assign(static_cast<size_t>(filters) * perGroup * rows * cols, 0.0);
        for (int f = 0; f < filters; ++f)
            for (int j = 0; j < perGroup; ++j) {
                const int which = pick(f, j);
                if (which < 0)
                    continue;
                const cv::Mat &k = spatial[static_cast<size_t>(which)];
                double *out = bank.weights.data() + (static_cast<size_t>(f) * perGroup + j) * rows * cols;
                for (int r = 0; r < rows; ++r)
                    for (int c = 0; c < cols; ++c)
                        out[r * cols + c] = k.at<double>(r, c);
            }
    }
    const int filters = bank.shape[0];
    if (view.bias.size() == 1)
        bank.bias.assign(static_cast<size_t>(filters), view.bias.front());
    else if (!view.bias.empty() && view.bias.size() != static_cast<size_t>(filters))
        throw core::Error("bias has " + std::to_string(view.bias.size()) + " values for " + std::to_string(filters)
                          + " filters (give one value for all, or one per filter)");
    else
        bank.bias = view.bias;
    return bank;
}

ChannelSet channels(const Snapshot &base, JobControl &control)
{
    ChannelSet set;
    set.origin = base.origin();
    const cv::Mat &source = base.source;
    set.colorImage = !base.tensor && source.channels() == 3;
    if (base.tensor) {
        // An array's channels, in its order: c0 is the plane the other views convolve.
        set.input = core::Tensor(core::TensorShape{source.channels(), {source.rows, source.cols}}, CV_64F);
        for (int c = 0; c < source.channels(); ++c) {
            cv::Mat values;
            cv::extractChannel(source, values, c);
            cv::Mat plane = set.input.plane(c); // a view: same size and type, written in place
            values.convertTo(plane, CV_64F);
            set.channelNames << QStringLiteral("c%1").arg(c);
        }
    } else if (source.channels() == 1) {
        // Numbers keep their precision; an 8-bit plane is read as the other views read it.
        cv::Mat values;
        source.convertTo(values, source.depth() == CV_64F ? CV_64F : CV_32F);
        set.input = core::Tensor(core::TensorShape{1, {source.rows, source.cols}}, values);
        set.channelNames = {QObject::tr("gray")};
    } else {
        set.input = core::tensorFromImage(source);
        set.channelNames = {QObject::tr("R"), QObject::tr("G"), QObject::tr("B")};
    }
    set.spec = tensorSpec(base.spec, base.view.groups);
    try {
        set.bank = filterBank(base.view, set.input.channels(), base.kernel);
        if (auto why = core::validate(set.spec, set.input.shape(), set.bank))
            throw core::Error(*why);
        if (control.isCancelled())
            return set;
        set.result = core::convolveTensor(set.input, set.bank, set.spec);
        set.padded = core::padTensor(set.input, set.result.geometry.pads(), set.spec.fill, set.spec.value);
    } catch (const std::exception &e) {
        set.error = QString::fromStdString(e.what());
        set.bank = {};
        set.result = {};
        return set;
    }
    set.inputRange = minMaxOf(set.input.matrix());
    for (int f = 0; f < set.result.output.channels(); ++f) {
        const bool empty = set.result.output.empty();
        set.outputRanges.push_back(empty ? std::pair<double, double>{0, 0} : minMaxOf(set.result.output.plane(f)));
        set.outputClips.push_back(empty ? std::pair<double, double>{0, 0}
                                        : quantiles(set.result.output.plane(f), 0.01, 0.99));
    }
    control.setProgress(1.0);
    return set;
}

core::PoolSpec poolSpecFor(const core::PoolSpec &given, PoolRule rule, const core::TensorShape &input,
                           QString *note)
{
    core::PoolSpec spec = given;
    const auto pads = [&](const core::PoolSpec &s) {
        std::vector<int> values;
        for (const core::PoolAxis &a : core::poolGeometry(s, input)) {
            values.push_back(a.before);
            values.push_back(a.after);
        }
        return values;
    };
    const auto joined = [](const std::vector<int> &values) {
        QStringList parts;
        for (int v : values)
            parts << QString::number(v);
        return parts.join(QLatin1Char(','));
    };
    if (rule == PoolRule::PyTorch) {
        // PyTorch's pooling takes explicit pads only: same becomes the pads it would add.
        if (spec.amount.kind != core::Amount::Explicit) {
            const bool same = spec.amount.kind == core::Amount::Same;
            std::vector<int> values(2 * static_cast<size_t>(input.spatialRank()), 0);
            if (same && !core::validate(spec, input))
                values = pads(spec);
            spec.amount.kind = core::Amount::Explicit;
            spec.amount.values = values;
            if (same && note)
                *note = QObject::tr("PyTorch has no same pooling: its pads %1 given explicitly").arg(joined(values));
        }
        return spec;
    }
    // TensorFlow pools valid or same, never counts padding and has no ceil_mode.
    spec.ceil = false;
    spec.countPadding = false;
    if (spec.amount.kind == core::Amount::Explicit) {
        const std::vector<int> asked = spec.amount.values;
        const bool any = std::any_of(asked.begin(), asked.end(), [](int v) { return v != 0; });
        spec.amount = {};
        spec.amount.kind = any ? core::Amount::Same : core::Amount::Valid;
        if (any && note && !core::validate(spec, input) && pads(spec) != asked)
            *note = QObject::tr("TensorFlow pads valid or same: same pads %1, not %2").arg(joined(pads(spec)), joined(asked));
    }
    if (given.ceil && note && note->isEmpty())
        *note = QObject::tr("TensorFlow has no ceil_mode");
    return spec;
}

PoolSet pool(const Snapshot &base, JobControl &control)
{
    PoolSet set;
    set.origin = base.origin();
    cv::Mat values;
    base.input.convertTo(values, CV_64F);
    set.input = core::Tensor(core::TensorShape{1, {values.rows, values.cols}}, values);
    set.inputRange = minMaxOf(values);
    const PoolRule other = base.view.poolRule == PoolRule::PyTorch ? PoolRule::TensorFlow : PoolRule::PyTorch;
    for (PoolRule rule : {base.view.poolRule, other}) {
        if (control.isCancelled())
            return set;
        PoolRun run;
        run.rule = rule;
        try {
            run.spec = poolSpecFor(base.view.pool, rule, set.input.shape(), &run.note);
            if (auto why = core::validate(run.spec, set.input.shape()))
                throw core::Error(*why);
            run.result = core::poolTensor(set.input, run.spec);
            if (rule == PoolRule::PyTorch)
                if (auto outside = core::outsidePyTorchRule(run.spec, run.result.axes))
                    run.note = QObject::tr("PyTorch would refuse it (%1); computed all the same")
                                   .arg(QString::fromStdString(*outside));
            if (!run.result.output.empty())
                run.outputRange = minMaxOf(run.result.output.plane(0));
        } catch (const std::exception &e) {
            run.error = QString::fromStdString(e.what());
            run.result = {};
        }
        set.runs.push_back(std::move(run));
    }
    control.setProgress(1.0);
    return set;
}

core::ConvTSpec convtSpec(const ViewSettings &view)
{
    core::ConvTSpec spec;
    spec.amount.kind = view.convtAmount;
    if (view.convtAmount == core::Amount::Explicit) {
        // PyTorch's padding crops the same number on both sides of both axes.
        const int p = view.convtPadding;
        spec.amount.values = {p, p, p, p};
        spec.outputPadding = {view.convtOutputPadding};
    } else {
        spec.outputPadding = {0};
    }
    spec.stride = {view.convtStride};
    spec.dilation = {view.convtDilation};
    return spec;
}

TransposedSet transposed(const Snapshot &base, JobControl &control)
{
    TransposedSet set;
    set.origin = base.origin();
    cv::Mat values;
    base.input.convertTo(values, CV_64F);
    set.input = core::Tensor(core::TensorShape{1, {values.rows, values.cols}}, values);
    cv::Mat k;
    base.kernel.convertTo(k, CV_64F);
    set.kernel.shape = {k.rows, k.cols};
    set.kernel.weights.assign(k.begin<double>(), k.end<double>());
    set.spec = convtSpec(base.view);
    try {
        if (auto why = core::validate(set.spec, set.input.shape(), set.kernel))
            throw core::Error(*why);
        if (control.isCancelled())
            return set;
        set.result = core::transposeConvolve(set.input, set.kernel, set.spec);
        set.explanation = core::explainTransposed(set.input, set.kernel, set.spec);
    } catch (const std::exception &e) {
        set.error = QString::fromStdString(e.what());
        set.result = {};
        return set;
    }
    // The scatter picture: every input cell stamps value x kernel onto the full output.
    const core::ConvTAxis &ar = set.result.axes[0];
    const core::ConvTAxis &ac = set.result.axes[1];
    set.full = cv::Mat::zeros(ar.full, ac.full, CV_64F);
    set.overlaps = cv::Mat::zeros(ar.full, ac.full, CV_32S);
    for (int i = 0; i < values.rows; ++i) {
        if (control.isCancelled())
            return set;
        for (int j = 0; j < values.cols; ++j) {
            const double v = values.at<double>(i, j);
            for (int a = 0; a < k.rows; ++a)
                for (int b = 0; b < k.cols; ++b) {
                    const int r = i * ar.stride + a * ar.dilation;
                    const int c = j * ac.stride + b * ac.dilation;
                    set.full.at<double>(r, c) += v * k.at<double>(a, b);
                    ++set.overlaps.at<int>(r, c);
                }
        }
    }
    double most = 0;
    cv::minMaxLoc(set.overlaps, nullptr, &most);
    set.maxOverlap = int(most);
    set.inputRange = minMaxOf(values);
    const auto fullRange = minMaxOf(set.full);
    const auto outRange = minMaxOf(set.result.output.matrix());
    set.outputRange = {std::min(fullRange.first, outRange.first), std::max(fullRange.second, outRange.second)};
    control.setProgress(1.0);
    return set;
}

QString cancelledText()
{
    return QObject::tr("Cancelled: change a setting to compute it again.");
}

void markCancelled(Snapshot &base, Part part)
{
    switch (part) {
    case Part::Comparison: {
        auto set = std::make_shared<CompareSet>();
        set->origin = base.origin();
        set->error = cancelledText();
        base.comparison = set;
        break;
    }
    case Part::Stages: {
        auto set = std::make_shared<StageSet>();
        set->origin = base.origin();
        set->chain.requested = base.view.stageCount;
        set->chain.stopReason = cancelledText().toStdString();
        base.stages = set;
        break;
    }
    case Part::Signal: {
        auto set = std::make_shared<SignalSet>();
        set->origin = base.origin();
        set->reason = cancelledText();
        base.signal = set;
        break;
    }
    case Part::Layers: {
        auto set = std::make_shared<LayerSet>();
        set->origin = base.origin();
        set->error = cancelledText();
        base.layers = set;
        break;
    }
    case Part::Channels: {
        auto set = std::make_shared<ChannelSet>();
        set->origin = base.origin();
        set->error = cancelledText();
        base.channels = set;
        break;
    }
    case Part::Pool: {
        auto set = std::make_shared<PoolSet>();
        set->origin = base.origin();
        PoolRun run;
        run.error = cancelledText();
        set->runs.push_back(run);
        base.pool = set;
        break;
    }
    case Part::Transposed: {
        auto set = std::make_shared<TransposedSet>();
        set->origin = base.origin();
        set->error = cancelledText();
        base.transposed = set;
        break;
    }
    }
}

} // namespace padlab::ui::parts

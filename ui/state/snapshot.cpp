#include "snapshot.h"

#include "look.h"

#include <QObject>

#include <opencv2/core.hpp>

#include <algorithm>

namespace padlab::ui {

namespace {

bool sameBuffer(const cv::Mat &a, const cv::Mat &b)
{
    return a.data == b.data && a.size == b.size && a.type() == b.type();
}

bool sameValues(const cv::Mat &a, const cv::Mat &b)
{
    return a.size == b.size && a.type() == b.type() && (a.empty() || cv::norm(a, b, cv::NORM_INF) == 0);
}

} // namespace

core::ConvSpec comparedSpec(core::ConvSpec spec, CompareBy by)
{
    if (by == CompareBy::Fill)
        spec.fill = core::Fill::Zeros;
    else if (spec.amount.kind != core::Amount::Explicit)
        spec.amount = {};
    return spec;
}

bool samePart(Part part, const PartOrigin &a, const PartOrigin &b)
{
    if (part == Part::Layers)
        return a.view.layerInputShape == b.view.layerInputShape && a.view.layerSpec == b.view.layerSpec;
    if (part == Part::Pool)
        return sameBuffer(a.input, b.input) && a.view.pool == b.view.pool && a.view.poolRule == b.view.poolRule;
    if (!sameBuffer(a.input, b.input) || !sameValues(a.kernel, b.kernel))
        return false;
    switch (part) {
    case Part::Comparison:
        return a.view.compareBy == b.view.compareBy && a.view.compareReference == b.view.compareReference
               && comparedSpec(a.spec, a.view.compareBy) == comparedSpec(b.spec, b.view.compareBy);
    case Part::Stages: return a.spec == b.spec && a.view.stageCount == b.view.stageCount;
    case Part::Signal:
        return a.spec == b.spec && a.view.signalFilters == b.view.signalFilters
               && a.view.signalBias == b.view.signalBias;
    case Part::Channels:
        return sameBuffer(a.source, b.source) && a.spec == b.spec && a.view.bank == b.view.bank
               && a.view.groups == b.view.groups && a.view.bias == b.view.bias
               && a.view.bankShape == b.view.bankShape && a.view.bankWeights == b.view.bankWeights;
    case Part::Transposed:
        return a.view.convtAmount == b.view.convtAmount && a.view.convtStride == b.view.convtStride
               && a.view.convtDilation == b.view.convtDilation && a.view.convtPadding == b.view.convtPadding
               && a.view.convtOutputPadding == b.view.convtOutputPadding;
    case Part::Layers:
    case Part::Pool: break;
    }
    return true;
}

int Snapshot::stepCount() const
{
    return result.geometry.rows.output * result.geometry.cols.output;
}

int Snapshot::clampStep(int step) const
{
    return std::clamp(step, 0, std::max(stepCount() - 1, 0));
}

QPoint Snapshot::stepCell(int step) const
{
    const int cols = result.geometry.cols.output;
    if (cols == 0)
        return {};
    const int clamped = clampStep(step);
    return {clamped % cols, clamped / cols};
}

std::optional<Part> partOf(View view)
{
    switch (view) {
    case View::Signal: return Part::Signal;
    case View::Compare: return Part::Comparison;
    case View::Stages: return Part::Stages;
    case View::Layers: return Part::Layers;
    case View::Channels: return Part::Channels;
    case View::Pool: return Part::Pool;
    case View::Transposed: return Part::Transposed;
    case View::Window:
    case View::Volume: break;
    }
    return std::nullopt;
}

QSize Snapshot::stepGrid(View shown) const
{
    const QSize featureMap(result.geometry.cols.output, result.geometry.rows.output);
    switch (shown) {
    case View::Channels:
        if (channels && has(Part::Channels) && channels->error.isEmpty())
            return QSize(channels->outputCols(), channels->outputRows());
        return featureMap;
    case View::Pool:
        if (pool && has(Part::Pool) && !pool->runs.empty() && pool->runs.front().ok())
            return QSize(pool->runs.front().outputCols(), pool->runs.front().outputRows());
        return featureMap;
    case View::Transposed:
        if (transposed && has(Part::Transposed) && transposed->ok())
            return QSize(transposed->outputCols(), transposed->outputRows());
        return featureMap;
    case View::Volume: {
        const std::array<int, 3> out = volumeOutputSize(view.volume, kernel);
        return QSize(out[2], out[0] * out[1]);
    }
    case View::Signal:
        // Several channels: the steps walk the filters' output rows (one with one filter), not
        // the feature map's row per channel.
        if (signal && has(Part::Signal) && signal->reason.isEmpty() && signal->multichannel())
            return QSize(signal->outputLength(), signal->filters());
        return featureMap;
    case View::Window:
    case View::Compare:
    case View::Stages:
    case View::Layers: break;
    }
    return featureMap;
}

int Snapshot::stepCount(View shown) const
{
    const QSize grid = stepGrid(shown);
    return grid.width() * grid.height();
}

int Snapshot::clampStep(View shown, int step) const
{
    return std::clamp(step, 0, std::max(stepCount(shown) - 1, 0));
}

QPoint Snapshot::stepCell(View shown, int step) const
{
    const QSize grid = stepGrid(shown);
    if (grid.isEmpty())
        return {};
    const int clamped = std::clamp(step, 0, grid.width() * grid.height() - 1);
    return {clamped % grid.width(), clamped / grid.width()};
}

std::vector<int> Snapshot::stepIndex(View shown, int step) const
{
    const QPoint cell = stepCell(shown, step);
    if (shown == View::Volume) {
        const int rows = volumeOutputSize(view.volume, kernel)[1];
        if (rows > 0)
            return {cell.y() / rows, cell.y() % rows, cell.x()};
    }
    return {cell.y(), cell.x()};
}

core::Window Snapshot::windowAt(int row, int col) const
{
    const core::Geometry &g = result.geometry;
    if (row < 0 || col < 0 || row >= g.rows.output || col >= g.cols.output)
        return {};
    return core::windowAt(result.padded, kernel, g, spec, row, col);
}

core::Window Snapshot::window(int step) const
{
    if (stepCount() == 0)
        return {};
    const QPoint cell = stepCell(step);
    return windowAt(cell.y(), cell.x());
}

PartOrigin Snapshot::origin() const
{
    return {input, kernel, spec, view, source};
}

bool Snapshot::has(Part part) const
{
    const PartOrigin mine = origin();
    switch (part) {
    case Part::Comparison: return comparison && samePart(part, comparison->origin, mine);
    case Part::Stages: return stages && samePart(part, stages->origin, mine);
    case Part::Signal: return signal && samePart(part, signal->origin, mine);
    case Part::Layers: return layers && samePart(part, layers->origin, mine);
    case Part::Channels: return channels && samePart(part, channels->origin, mine);
    case Part::Pool: return pool && samePart(part, pool->origin, mine);
    case Part::Transposed: return transposed && samePart(part, transposed->origin, mine);
    }
    return false;
}

int SignalSet::channelsPerFilter() const
{
    return bank.shape.size() == 3 ? bank.shape[1] : 1;
}

int SignalSet::firstChannel(int filter) const
{
    const int perGroup = std::max(filters() / std::max(convSpec.groups, 1), 1);
    return filter / perGroup * channelsPerFilter();
}

int SignalSet::outputLength() const
{
    return conv.output.empty() ? 0 : conv.output.shape().cols();
}

core::TensorWindow SignalSet::windowAt(int filter, int col) const
{
    if (!multichannel() || filter < 0 || filter >= filters() || col < 0 || col >= outputLength())
        return {};
    return core::tensorWindowAt(channelInput, conv, bank, convSpec, filter, {col});
}

std::vector<double> SignalSet::partialSums(const core::TensorWindow &window) const
{
    std::vector<double> sums(size_t(channels()), 0.0);
    for (const core::TensorTap &tap : window.taps)
        if (tap.channel >= 0 && tap.channel < channels())
            sums[size_t(tap.channel)] += tap.product;
    return sums;
}

QString SignalSet::sumText(const core::TensorWindow &window) const
{
    const std::vector<double> sums = partialSums(window);
    QStringList terms;
    const int first = firstChannel(window.filter);
    if (channelsPerFilter() == 1 && !window.taps.empty() && window.taps.size() <= 7) {
        // One channel (depthwise): its products themselves, weight × value.
        const auto number = [](double v) {
            return v < 0 ? QLatin1Char('(') + cellNumber(v) + QLatin1Char(')') : cellNumber(v);
        };
        QStringList products;
        for (const core::TensorTap &tap : window.taps)
            products << number(tap.weight) + QStringLiteral("×") + number(tap.value);
        terms << QStringLiteral("c%1: %2").arg(first).arg(products.join(QStringLiteral(" + ")));
    } else {
        for (int c = first; c < first + channelsPerFilter() && c < channels(); ++c)
            terms << QStringLiteral("c%1: %2").arg(c).arg(cellNumber(sums[size_t(c)]));
    }
    if (window.hasBias)
        terms << QObject::tr("bias %1").arg(cellNumber(window.bias));
    return terms.join(QStringLiteral(" + ")) + QStringLiteral(" = ") + cellNumber(window.sum);
}

int ChannelSet::channelsPerGroup() const
{
    return std::max(channels() / std::max(spec.groups, 1), 1);
}

int ChannelSet::firstChannel(int filter) const
{
    const int perGroup = std::max(filters() / std::max(spec.groups, 1), 1);
    return filter / perGroup * channelsPerGroup();
}

int ChannelSet::outputRows() const
{
    return result.output.empty() ? 0 : result.output.shape().rows();
}

int ChannelSet::outputCols() const
{
    return result.output.empty() ? 0 : result.output.shape().cols();
}

QPoint ChannelSet::clampCell(QPoint cell) const
{
    return {std::clamp(cell.x(), 0, std::max(outputCols() - 1, 0)),
            std::clamp(cell.y(), 0, std::max(outputRows() - 1, 0))};
}

std::vector<core::TensorWindow> ChannelSet::windowsAt(int row, int col) const
{
    std::vector<core::TensorWindow> windows;
    if (row < 0 || col < 0 || row >= outputRows() || col >= outputCols())
        return windows;
    for (int f = 0; f < filters(); ++f)
        windows.push_back(core::tensorWindowAt(input, result, bank, spec, f, {row, col}));
    return windows;
}

QString ChannelSet::sumText(const core::TensorWindow &window) const
{
    // One partial sum per channel, in the order the taps come (channel by channel).
    QStringList terms;
    int channel = -1;
    double partial = 0;
    const auto flush = [&] {
        if (channel >= 0)
            terms << QStringLiteral("%1: %2").arg(channelNames.value(channel), cellNumber(partial));
    };
    for (const core::TensorTap &tap : window.taps) {
        if (tap.channel != channel) {
            flush();
            channel = tap.channel;
            partial = 0;
        }
        partial += tap.product;
    }
    flush();
    if (window.hasBias)
        terms << QObject::tr("bias %1").arg(cellNumber(window.bias));
    return terms.join(QStringLiteral(" + ")) + QStringLiteral(" = ") + cellNumber(window.sum);
}

int PoolRun::outputRows() const
{
    return ok() ? result.axes[0].output : 0;
}

int PoolRun::outputCols() const
{
    return ok() ? result.axes[1].output : 0;
}

QPoint PoolRun::clampCell(QPoint cell) const
{
    return {std::clamp(cell.x(), 0, std::max(outputCols() - 1, 0)),
            std::clamp(cell.y(), 0, std::max(outputRows() - 1, 0))};
}

bool PoolSet::rulesDiffer() const
{
    if (runs.size() < 2)
        return false;
    const PoolRun &a = runs[0];
    const PoolRun &b = runs[1];
    if (a.ok() != b.ok())
        return true;
    if (!a.ok())
        return a.error != b.error;
    if (a.outputRows() != b.outputRows() || a.outputCols() != b.outputCols())
        return true;
    if (a.result.output.empty())
        return false;
    return cv::norm(a.result.output.plane(0), b.result.output.plane(0), cv::NORM_INF) != 0;
}

std::optional<core::PoolWindow> PoolSet::windowAt(int run, int row, int col) const
{
    if (run < 0 || run >= static_cast<int>(runs.size()))
        return std::nullopt;
    const PoolRun &r = runs[static_cast<size_t>(run)];
    if (row < 0 || col < 0 || row >= r.outputRows() || col >= r.outputCols())
        return std::nullopt;
    return core::poolWindowAt(input, r.result, r.spec, 0, {row, col});
}

QPoint TransposedSet::clampCell(QPoint cell) const
{
    return {std::clamp(cell.x(), 0, std::max(outputCols() - 1, 0)),
            std::clamp(cell.y(), 0, std::max(outputRows() - 1, 0))};
}

core::ConvTWindow TransposedSet::windowAt(QPoint cell) const
{
    if (!ok() || cell.y() < 0 || cell.x() < 0 || cell.y() >= outputRows() || cell.x() >= outputCols())
        return {};
    return core::convtWindowAt(input, result, kernel, spec, 0, {cell.y(), cell.x()});
}

std::optional<QPoint> TransposedSet::inputOfPadded(int row, int col) const
{
    if (!ok())
        return std::nullopt;
    const int r = row - explanation.implicit[0].before;
    const int c = col - explanation.implicit[1].before;
    const int sr = rows().stride;
    const int sc = cols().stride;
    if (r < 0 || c < 0 || r % sr != 0 || c % sc != 0 || r / sr >= rows().input || c / sc >= cols().input)
        return std::nullopt;
    return QPoint(c / sc, r / sr);
}

bool TransposedSet::isImplicitPad(int row, int col) const
{
    if (!ok())
        return false;
    const int r = row - explanation.implicit[0].before;
    const int c = col - explanation.implicit[1].before;
    return r < 0 || c < 0 || r > (rows().input - 1) * rows().stride || c > (cols().input - 1) * cols().stride;
}

QStringList TransposedSet::formulaLines() const
{
    QStringList lines;
    if (!ok())
        return lines;
    const QString r = QString::fromStdString(core::convtOutputFormula(rows()));
    const QString c = QString::fromStdString(core::convtOutputFormula(cols()));
    if (r == c) {
        lines << QObject::tr("rows and cols: %1").arg(r);
    } else {
        lines << QObject::tr("rows: %1").arg(r) << QObject::tr("cols: %1").arg(c);
    }
    return lines;
}

} // namespace padlab::ui

#include "padlab/core/compare.h"

#include "padlab/core/error.h"

#include "largematrix.h"

#include <opencv2/core.hpp>

#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>
#include <string>

namespace padlab::core {

namespace {

ConvResult checkedConvolve(const cv::Mat &input, const cv::Mat &kernel, const ConvSpec &spec,
                           const Budget &budget, const Progress &progress)
{
    if (const auto problem = validate(spec, {input.rows, input.cols}, {kernel.rows, kernel.cols}))
        throw Error(*problem);
    return convolve(input, kernel, spec, budget, progress);
}

/// The cells of @p item on one axis that have a counterpart, [first, end), and the offset to add
/// to reach the reference's index. Both share the stride, so a pairing is a shift: item cell i
/// starts at i*s - before, the reference's cell j at j*s - before', equal when
/// j = i + (before' - before)/s, and never when s does not divide the difference.
struct AxisPairing {
    int first = 0;
    int end = 0;
    int shift = 0;
};

AxisPairing pairAxis(const AxisGeometry &item, const AxisGeometry &reference)
{
    const int delta = reference.before - item.before;
    if (delta % item.stride != 0)
        return {};
    const int shift = delta / item.stride;
    const int first = std::max(0, -shift);
    const int end = std::min(item.output, reference.output - shift);
    return end > first ? AxisPairing{first, end, shift} : AxisPairing{};
}

/// The ring of output index @p i on one axis, or INT_MAX when the axis has no edge to count.
int axisRing(const AxisGeometry &axis, int i)
{
    if (axis.extent == 1 && axis.before == 0 && axis.after == 0)
        return INT_MAX;
    const long long centre = static_cast<long long>(i) * axis.stride - axis.before + (axis.extent - 1) / 2;
    if (centre < 0 || centre >= axis.input)
        return 0;
    return static_cast<int>(std::min(centre, axis.input - 1 - centre)) + 1;
}

double maxAbsOf(const cv::Mat &m)
{
    if (m.empty())
        return 0;
    double low = 0;
    double high = 0;
    cv::minMaxLoc(m, &low, &high);
    return std::max(std::abs(low), std::abs(high));
}

} // namespace

std::vector<PadAmount> comparedAmounts(const ConvSpec &spec)
{
    std::vector<PadAmount> amounts = {
        {Amount::Valid, {}}, {Amount::Same, {}}, {Amount::Full, {}}, {Amount::Causal, {}}};
    if (spec.amount.kind == Amount::Explicit)
        amounts.push_back(spec.amount);
    return amounts;
}

std::vector<ConvSpec> comparedSpecs(const ConvSpec &spec, CompareBy by)
{
    std::vector<ConvSpec> specs;
    if (by == CompareBy::Fill) {
        for (const Fill fill : allFills()) {
            ConvSpec s = spec;
            s.fill = fill;
            specs.push_back(s);
        }
    } else {
        for (const PadAmount &amount : comparedAmounts(spec)) {
            ConvSpec s = spec;
            s.amount = amount;
            specs.push_back(s);
        }
    }
    return specs;
}

Estimate compareEstimate(PerAxis inputSize, int elementBytes, PerAxis kernelSize, const ConvSpec &spec,
                         CompareBy by)
{
    Estimate estimate;
    estimate.add("the input", matrixBytes(static_cast<std::uint64_t>(std::max(inputSize.rows, 0)),
                                          static_cast<std::uint64_t>(std::max(inputSize.cols, 0)), 1,
                                          static_cast<std::uint64_t>(std::max(elementBytes, 0))));
    for (const ConvSpec &s : comparedSpecs(spec, by)) {
        if (validate(s, inputSize, kernelSize))
            continue;
        const Estimate one = convolutionEstimate(inputSize, 1, elementBytes, kernelSize, s);
        const Geometry g = geometry(inputSize, kernelSize, s);
        for (const Estimate::Part &part : one.parts) {
            if (part.what == "the padded input")
                estimate.add("the padded inputs", part.bytes);
            else if (part.what == "the output")
                estimate.add("the outputs", part.bytes);
        }
        estimate.add("the difference maps", matrixBytes(static_cast<std::uint64_t>(g.rows.output),
                                                        static_cast<std::uint64_t>(g.cols.output), 1, sizeof(double)));
        estimate.multiplyAdds += one.multiplyAdds;
    }
    return estimate;
}

CompareItem compareItem(const cv::Mat &input, const cv::Mat &kernel, const ConvSpec &spec, const Budget &budget,
                        const Progress &progress)
{
    if (input.empty())
        throw Error("compare: the input is empty");
    if (input.channels() != 1)
        throw Error("compare: the input must have one channel, not " + std::to_string(input.channels()));
    if (kernel.empty())
        throw Error("compare: the kernel is empty");
    CompareItem item;
    item.spec = spec;
    item.result = checkedConvolve(input, kernel, spec, budget, progress);
    item.sides = item.result.geometry.sides();
    return item;
}

std::vector<CompareItem> compareItems(const cv::Mat &input, const cv::Mat &kernel, const ConvSpec &spec,
                                      CompareBy by, const Budget &budget, const Progress &progress)
{
    const std::vector<ConvSpec> specs = comparedSpecs(spec, by);
    requireBudget(compareEstimate({input.rows, input.cols}, static_cast<int>(input.elemSize1()),
                                  {kernel.rows, kernel.cols}, spec, by),
                  budget);
    std::vector<CompareItem> items;
    items.reserve(specs.size());
    const double share = 1.0 / static_cast<double>(specs.size());
    for (const ConvSpec &s : specs) {
        const double done = static_cast<double>(items.size()) * share;
        items.push_back(compareItem(input, kernel, s, budget, progressPart(progress, done, done + share)));
    }
    return items;
}

cv::Mat differenceMap(const CompareItem &item, const CompareItem &reference)
{
    const Geometry &g = item.result.geometry;
    const Geometry &r = reference.result.geometry;
    if (g.rows.stride != r.rows.stride || g.cols.stride != r.cols.stride || g.rows.dilation != r.rows.dilation
        || g.cols.dilation != r.cols.dilation || g.rows.kernel != r.rows.kernel || g.cols.kernel != r.cols.kernel)
        throw Error("compare: the two results differ in stride, dilation or kernel size; their windows cannot be paired");
    if (g.empty())
        return cv::Mat(g.rows.output, g.cols.output, CV_64F);
    const cv::Scalar none(std::numeric_limits<double>::quiet_NaN());
    cv::Mat out = detail::createLarge(g.rows.output, g.cols.output, CV_64F);
    const AxisPairing rows = r.empty() ? AxisPairing{} : pairAxis(g.rows, r.rows);
    const AxisPairing cols = r.empty() ? AxisPairing{} : pairAxis(g.cols, r.cols);
    if (rows.end == rows.first || cols.end == cols.first) {
        out.setTo(none);
        return out;
    }
    const cv::Rect mine(cols.first, rows.first, cols.end - cols.first, rows.end - rows.first);
    const cv::Rect theirs = mine + cv::Point(cols.shift, rows.shift);
    // Every cell is written once: the differences where both have a cell, NaN around them.
    out.rowRange(0, mine.y).setTo(none);
    out.rowRange(mine.y + mine.height, out.rows).setTo(none);
    out(cv::Rect(0, mine.y, mine.x, mine.height)).setTo(none);
    out(cv::Rect(mine.x + mine.width, mine.y, out.cols - mine.x - mine.width, mine.height)).setTo(none);
    cv::Mat shared = out(mine);
    cv::subtract(item.result.output(mine), reference.result.output(theirs), shared, cv::noArray(), CV_64F);
    return out;
}

double differenceTolerance(const CompareItem &item, const CompareItem &reference)
{
    return differenceTolerance(item, reference, maxAbsOf(item.result.output), maxAbsOf(reference.result.output));
}

double differenceTolerance(const CompareItem &item, const CompareItem &reference, double itemMaxAbs,
                           double referenceMaxAbs)
{
    const bool single = item.result.output.depth() == CV_32F || reference.result.output.depth() == CV_32F;
    const double relative = single ? 1e-5 : 1e-9;
    return relative * std::max({1.0, itemMaxAbs, referenceMaxAbs});
}

int edgeRing(const Geometry &geometry, int row, int col)
{
    const int ring = std::min(axisRing(geometry.rows, row), axisRing(geometry.cols, col));
    return ring == INT_MAX ? 0 : ring;
}

DifferenceSummary summarizeDifference(const cv::Mat &difference, const CompareItem &item, double tolerance)
{
    DifferenceSummary s;
    s.tolerance = tolerance;
    const Geometry &g = item.result.geometry;
    if (difference.rows != g.rows.output || difference.cols != g.cols.output || difference.type() != CV_64F)
        throw Error("compare: the difference map does not match the item's output");
    std::vector<int> colRings(static_cast<size_t>(difference.cols));
    for (int j = 0; j < difference.cols; ++j)
        colRings[static_cast<size_t>(j)] = axisRing(g.cols, j);
    for (int i = 0; i < difference.rows; ++i) {
        const double *d = difference.ptr<double>(i);
        const int rowRing = axisRing(g.rows, i);
        for (int j = 0; j < difference.cols; ++j) {
            if (std::isnan(d[j])) {
                ++s.unmatched;
                continue;
            }
            ++s.compared;
            const double magnitude = std::abs(d[j]);
            s.maxAbs = std::max(s.maxAbs, magnitude);
            if (magnitude > tolerance) {
                ++s.differing;
                const int ring = std::min(rowRing, colRings[static_cast<size_t>(j)]);
                s.edgeReach = std::max(s.edgeReach, ring == INT_MAX ? 0 : ring);
            }
        }
    }
    return s;
}

Comparison compare(const cv::Mat &input, const cv::Mat &kernel, const ConvSpec &spec, CompareBy by,
                   int reference, const Budget &budget, const Progress &progress)
{
    Comparison c;
    c.by = by;
    c.items = compareItems(input, kernel, spec, by, budget, progress);
    setReference(c, reference);
    return c;
}

void setReference(Comparison &comparison, int reference)
{
    comparison.differences.clear();
    comparison.summaries.clear();
    if (comparison.items.empty()) {
        comparison.reference = 0;
        return;
    }
    comparison.reference = std::clamp(reference, 0, int(comparison.items.size()) - 1);
    const CompareItem &ref = comparison.items[static_cast<size_t>(comparison.reference)];
    const double refMaxAbs = maxAbsOf(ref.result.output);
    for (const CompareItem &item : comparison.items) {
        cv::Mat map = differenceMap(item, ref);
        const double tolerance = differenceTolerance(item, ref, maxAbsOf(item.result.output), refMaxAbs);
        comparison.summaries.push_back(summarizeDifference(map, item, tolerance));
        comparison.differences.push_back(std::move(map));
    }
}

} // namespace padlab::core

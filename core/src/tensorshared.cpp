#include "tensorshared.h"

#include "padlab/core/window.h"

#include <algorithm>
#include <cmath>

namespace padlab::core::detail {

namespace {

constexpr long long kMaxAxis = 1'000'000'000;

std::string sizeText(const std::vector<long long> &sizes)
{
    std::string out;
    for (long long s : sizes)
        out += (out.empty() ? "" : "x") + std::to_string(s);
    return out;
}

// The product, or kMaxPaddedCells + 1 once it passes it (no overflow for any int sizes).
long long boundedProduct(const std::vector<long long> &factors)
{
    long long n = 1;
    for (long long f : factors) {
        if (f == 0)
            return 0;
        if (n > (kMaxPaddedCells + 1) / f)
            return kMaxPaddedCells + 1;
        n *= f;
    }
    return std::min(n, kMaxPaddedCells + 1);
}

} // namespace

std::optional<std::string> inputProblem(const TensorShape &input)
{
    if (input.spatialRank() < 1 || input.spatialRank() > 3)
        return "the input needs 1 to 3 spatial axes, got " + std::to_string(input.spatialRank());
    if (input.channels < 1 || input.cells() < 1)
        return "the input is empty";
    return std::nullopt;
}

std::optional<std::string> weightsProblem(const TensorKernel &kernel)
{
    long long count = 1;
    std::string shape;
    for (int d : kernel.shape) {
        shape += (shape.empty() ? "" : "x") + std::to_string(d);
        if (d < 1)
            return "the kernel " + shape + " has an empty axis";
        count = std::min(count * d, kMaxPaddedCells + 1);
    }
    if (static_cast<long long>(kernel.weights.size()) != count)
        return "the kernel holds " + std::to_string(kernel.weights.size()) + " weights, but its shape " +
               shape + " needs " + std::to_string(count);
    for (double w : kernel.weights) {
        if (!std::isfinite(w))
            return "the kernel holds a weight that is not a finite number";
    }
    for (double b : kernel.bias) {
        if (!std::isfinite(b))
            return "the bias holds a value that is not a finite number";
    }
    return std::nullopt;
}

std::optional<std::string> groupsProblem(int channels, int first, int second, int groups,
                                         bool transposed)
{
    if (channels % groups != 0)
        return "groups (" + std::to_string(groups) + ") does not divide the " +
               std::to_string(channels) + " input channels";
    if (!transposed) {
        if (first % groups != 0)
            return "groups (" + std::to_string(groups) + ") does not divide the " +
                   std::to_string(first) + " filters";
        if (second != channels / groups)
            return "the kernel has " + std::to_string(second) +
                   " input channels per group but the input has " + std::to_string(channels) +
                   " channels and groups = " + std::to_string(groups);
        return std::nullopt;
    }
    if (first != channels)
        return "the kernel has " + std::to_string(first) + " input channels but the input has " +
               std::to_string(channels) + " (a transposed convolution's kernel is (C, F/groups, ...))";
    return std::nullopt;
}

std::optional<std::string> sizeProblem(int channels, int filters, const std::vector<AxisRequest> &axes,
                                       int channelsPerGroup)
{
    std::vector<long long> padded{channels};
    std::vector<long long> output{filters};
    std::vector<long long> stacked{channels};
    for (size_t a = 0; a < axes.size(); ++a) {
        const AxisRequest &r = axes[a];
        const long long e = static_cast<long long>(r.dilation) * (r.kernel - 1) + 1;
        if (e > kMaxAxis)
            return "the dilated kernel reaches " + std::to_string(e) + " cells, too many";
        const long long before = r.before < 0 ? e - 1 : r.before;
        const long long after = r.after < 0 ? e - 1 : r.after;
        const long long p = r.input + before + after;
        if (p > kMaxAxis)
            return "a padded axis of " + std::to_string(p) + " cells is too long";
        padded.push_back(p);
        output.push_back(p < e ? 0 : (p - e) / r.stride + 1);
        // The depth taps of a volume are stacked once per output plane.
        stacked.push_back(a == 0 && axes.size() == 3 ? r.kernel * output.back() : p);
    }
    if (boundedProduct(padded) > kMaxPaddedCells)
        return "the padded input would have " + sizeText(padded) + " cells, more than the " +
               std::to_string(kMaxPaddedCells) + " this program handles";
    if (boundedProduct(output) > kMaxPaddedCells)
        return "the output would have " + sizeText(output) + " cells, more than the " +
               std::to_string(kMaxPaddedCells) + " this program handles";
    // The rows a tile stacks: depth taps and column phases of every channel of a group, for
    // the kernel's reach and one stride of rows (strides count only where an axis has more than
    // one output cell).
    const size_t rank = axes.size();
    const AxisRequest &cols = axes.back();
    const long long depthTaps = rank == 3 ? axes.front().kernel : 1;
    const long long phases = cols.stride > 1 && output.back() > 1 ? std::min(cols.stride, cols.kernel) : 1;
    long long rowReach = 1;
    if (rank >= 2) {
        const AxisRequest &rows = axes[rank - 2];
        rowReach = static_cast<long long>(rows.dilation) * (rows.kernel - 1) + 1 +
                   (output[rank - 1] > 1 ? rows.stride : 0);
    }
    if (boundedProduct({depthTaps, channelsPerGroup, phases, rowReach}) > kMaxPaddedCells)
        return "a tile would stack " + std::to_string(depthTaps * channelsPerGroup * phases) + " planes of " +
               std::to_string(rowReach) + " rows, more than this program handles";
    if (boundedProduct(stacked) > kMaxPaddedCells)
        return "the planes read at once would have " + sizeText(stacked) + " cells, more than the " +
               std::to_string(kMaxPaddedCells) + " this program handles";
    return std::nullopt;
}

std::string axisCells(int axis, int rank)
{
    if (rank == 1)
        return "cells";
    const int fromLast = rank - 1 - axis;
    return fromLast == 0 ? "columns" : fromLast == 1 ? "rows" : "planes";
}

std::string axisName(int axis, int rank)
{
    if (rank == 1)
        return "length";
    const int fromLast = rank - 1 - axis;
    return fromLast == 0 ? "columns" : fromLast == 1 ? "rows" : "depth";
}

FilterBank filterBank(const TensorKernel &kernel, const TensorShape &input, int groups,
                      Operation operation)
{
    const int rank = input.spatialRank();
    FilterBank bank;
    const bool spatialOnly = kernel.rank() == rank;
    const std::vector<int> k(kernel.shape.end() - rank, kernel.shape.end());
    bank.size = toAxes3(k, rank, 1);
    const size_t taps = static_cast<size_t>(bank.size[0]) * bank.size[1] * bank.size[2];
    if (spatialOnly) {
        bank.filters = input.channels;
        bank.groups = input.channels;
        bank.channelsPerGroup = 1;
        bank.weights.reserve(taps * static_cast<size_t>(input.channels));
        for (int c = 0; c < input.channels; ++c)
            bank.weights.insert(bank.weights.end(), kernel.weights.begin(), kernel.weights.end());
    } else {
        bank.filters = kernel.shape[0];
        bank.groups = groups;
        bank.channelsPerGroup = kernel.shape[1];
        bank.weights = kernel.weights;
    }
    if (operation == Operation::Convolution) {
        // Reversing a block in C order flips every axis at once.
        for (size_t first = 0; first < bank.weights.size(); first += taps)
            std::reverse(bank.weights.begin() + static_cast<long>(first),
                         bank.weights.begin() + static_cast<long>(first + taps));
    }
    return bank;
}

std::vector<int> unreadOf(int padded, int output, int kernel, int stride, int dilation)
{
    std::vector<char> read(static_cast<size_t>(padded), 0);
    for (long long o = 0; o < output; ++o)
        for (long long t = 0; t < kernel; ++t) {
            const long long p = o * stride + t * dilation;
            if (p < padded)
                read[static_cast<size_t>(p)] = 1;
        }
    std::vector<int> unread;
    for (int p = 0; p < padded; ++p) {
        if (!read[static_cast<size_t>(p)])
            unread.push_back(p);
    }
    return unread;
}

std::vector<int> unravel(int index, const std::vector<int> &sizes)
{
    std::vector<int> out(sizes.size());
    for (size_t a = sizes.size(); a-- > 0;) {
        out[a] = index % sizes[a];
        index /= sizes[a];
    }
    return out;
}

std::string term(double value)
{
    const std::string text = formatNumber(value);
    return value < 0 || std::signbit(value) ? "(" + text + ")" : text;
}

std::string productsText(const std::vector<std::pair<double, double>> &products, std::optional<double> bias,
                         double sum)
{
    std::string text;
    for (const auto &[weight, value] : products)
        text += (text.empty() ? "" : " + ") + term(weight) + "*" + term(value);
    if (bias)
        text += (text.empty() ? "" : " + ") + term(*bias);
    return (text.empty() ? "0" : text) + " = " + formatNumber(sum);
}

} // namespace padlab::core::detail

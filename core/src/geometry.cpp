#include "padlab/core/geometry.h"

#include "padlab/core/error.h"
#include "text.h"

#include <algorithm>
#include <limits>
#include <utility>
#include <sstream>

namespace padlab::core {

namespace {

int positiveInt(std::string_view text, std::string_view option, std::string_view what)
{
    const auto value = text::parseInteger(text);
    if (!value)
        throw Error(std::string(option) + ": " + text::quoted(text::trim(text)) + " is not a whole number (" +
                    std::string(what) + ")");
    if (*value < 1)
        throw Error(std::string(option) + ": " + std::to_string(*value) + " must be at least 1 (" +
                    std::string(what) + ")");
    if (*value > 1'000'000'000)
        throw Error(std::string(option) + ": " + std::to_string(*value) + " is too large");
    return static_cast<int>(*value);
}

PerAxis parsePair(std::string_view text, std::string_view option, std::string_view what,
                  bool allowSingle)
{
    const std::string lowered = text::lower(text::trim(text));
    const auto parts = text::split(lowered, 'x');
    if (parts.size() == 1 && allowSingle) {
        const int n = positiveInt(parts[0], option, what);
        return {n, n};
    }
    if (parts.size() != 2)
        throw Error(std::string(option) + ": expected " + std::string(allowSingle ? "N or " : "") +
                    "HxW, got " + text::quoted(text));
    return {positiveInt(parts[0], option, what), positiveInt(parts[1], option, what)};
}

} // namespace

std::string_view amountName(Amount amount)
{
    switch (amount) {
    case Amount::Valid: return "valid";
    case Amount::Same: return "same";
    case Amount::Full: return "full";
    case Amount::Causal: return "causal";
    case Amount::Explicit: return "explicit";
    }
    return "valid";
}

PadAmount parsePadAmount(std::string_view input)
{
    const std::string lowered = text::lower(text::trim(input));
    for (Amount a : {Amount::Valid, Amount::Same, Amount::Full, Amount::Causal}) {
        if (lowered == amountName(a))
            return {a, {}};
    }
    const auto parts = text::split(lowered, ',');
    if (parts.size() == 1) {
        throw Error("--pad: unknown amount " + text::quoted(text::trim(input)) +
                    " (expected valid, same, full, causal or four numbers T,B,L,R)");
    }
    if (parts.size() != 4)
        throw Error("--pad: expected 4 values T,B,L,R (top, bottom, left, right), got " +
                    std::to_string(parts.size()) + " in " + text::quoted(text::trim(input)));
    int values[4] = {};
    static const char *names[4] = {"top", "bottom", "left", "right"};
    for (size_t i = 0; i < 4; ++i) {
        const auto v = text::parseInteger(parts[i]);
        if (!v)
            throw Error("--pad: " + std::string(names[i]) + " value " +
                        text::quoted(text::trim(parts[i])) + " is not a whole number");
        if (*v < 0)
            throw Error("--pad: " + std::string(names[i]) + " value " + std::to_string(*v) +
                        " is negative (pads must be 0 or more)");
        if (*v > 100'000'000)
            throw Error("--pad: " + std::string(names[i]) + " value " + std::to_string(*v) +
                        " is too large");
        values[i] = static_cast<int>(*v);
    }
    return {Amount::Explicit, {values[0], values[1], values[2], values[3]}};
}

std::string padAmountText(const PadAmount &amount)
{
    if (amount.kind != Amount::Explicit)
        return std::string(amountName(amount.kind));
    const Sides &s = amount.sides;
    return std::to_string(s.top) + "," + std::to_string(s.bottom) + "," + std::to_string(s.left) +
           "," + std::to_string(s.right);
}

PerAxis parsePerAxis(std::string_view text, std::string_view option)
{
    return parsePair(text, option, "rows and columns", true);
}

PerAxis parseSize(std::string_view text, std::string_view option)
{
    return parsePair(text, option, "height x width", false);
}

namespace {

/// Padding before and after on one axis, in 64 bits: every int input gives an exact answer.
std::pair<long long, long long> padding(long long input, long long extent, long long stride, Amount amount,
                                        long long explicitBefore, long long explicitAfter)
{
    switch (amount) {
    case Amount::Valid: break;
    case Amount::Same: {
        const long long out = (input + stride - 1) / stride;
        const long long total = std::max((out - 1) * stride + extent - input, 0LL);
        return {total / 2, total - total / 2};
    }
    case Amount::Full: return {extent - 1, extent - 1};
    case Amount::Causal: return {extent - 1, 0};
    case Amount::Explicit: return {explicitBefore, explicitAfter};
    }
    return {0, 0};
}

constexpr long long kMaxAxis = 1'000'000'000;

} // namespace

std::optional<std::string> validate(const ConvSpec &spec, PerAxis inputSize, PerAxis kernelSize)
{
    if (inputSize.rows < 1 || inputSize.cols < 1)
        return "the input is empty";
    if (kernelSize.rows < 1 || kernelSize.cols < 1)
        return "the kernel is empty";
    if (spec.stride.rows < 1 || spec.stride.cols < 1)
        return "stride must be at least 1 on both axes (got " + std::to_string(spec.stride.rows) +
               "x" + std::to_string(spec.stride.cols) + ")";
    if (spec.dilation.rows < 1 || spec.dilation.cols < 1)
        return "dilation must be at least 1 on both axes (got " +
               std::to_string(spec.dilation.rows) + "x" + std::to_string(spec.dilation.cols) + ")";
    const Sides &s = spec.amount.sides;
    if (spec.amount.kind == Amount::Explicit && (s.top < 0 || s.bottom < 0 || s.left < 0 || s.right < 0))
        return "pads must be 0 or more (got " + padAmountText(spec.amount) + ")";
    // Every term is at most a few times 2^31 here, so nothing below overflows 64 bits; the
    // product of the two sides is formed only once each is known to be at most kMaxAxis.
    const auto extent = [](long long k, long long d) { return d * (k - 1) + 1; };
    const long long eRows = extent(kernelSize.rows, spec.dilation.rows);
    const long long eCols = extent(kernelSize.cols, spec.dilation.cols);
    if (eRows > kMaxAxis || eCols > kMaxAxis)
        return "the dilated kernel is too large";
    const auto [top, bottom] = padding(inputSize.rows, eRows, spec.stride.rows, spec.amount.kind, s.top, s.bottom);
    const auto [left, right] = padding(inputSize.cols, eCols, spec.stride.cols, spec.amount.kind, s.left, s.right);
    const long long rows = inputSize.rows + top + bottom;
    const long long cols = inputSize.cols + left + right;
    if (rows > kMaxAxis || cols > kMaxAxis || rows * cols > kMaxPaddedCells)
        return "the padded input would have " + std::to_string(rows) + "x" + std::to_string(cols) +
               " cells, more than the " + std::to_string(kMaxPaddedCells) + " this program handles";
    return std::nullopt;
}

AxisGeometry axisGeometry(int input, int kernel, int stride, int dilation, Amount amount,
                          int explicitBefore, int explicitAfter)
{
    if (input < 0 || kernel < 1 || stride < 1 || dilation < 1 ||
        (amount == Amount::Explicit && (explicitBefore < 0 || explicitAfter < 0)))
        throw Error("axis geometry: input " + std::to_string(input) + ", kernel " + std::to_string(kernel) +
                    ", stride " + std::to_string(stride) + ", dilation " + std::to_string(dilation) +
                    ", pads " + std::to_string(explicitBefore) + "," + std::to_string(explicitAfter) +
                    ": the input must be 0 or more, kernel, stride and dilation at least 1, pads 0 or more");
    const long long extent = static_cast<long long>(dilation) * (kernel - 1) + 1;
    const auto [before, after] = padding(input, extent, stride, amount, explicitBefore, explicitAfter);
    const long long padded = input + before + after;
    constexpr long long most = std::numeric_limits<int>::max();
    if (extent > most || padded > most)
        throw Error("axis geometry: the window reaches " + std::to_string(extent) + " cells and the padded axis has " +
                    std::to_string(padded) + ", more than this program handles");
    AxisGeometry g;
    g.amount = amount;
    g.input = input;
    g.kernel = kernel;
    g.stride = stride;
    g.dilation = dilation;
    g.extent = static_cast<int>(extent);
    g.before = static_cast<int>(before);
    g.after = static_cast<int>(after);
    g.padded = static_cast<int>(padded);
    g.output = padded < extent ? 0 : static_cast<int>((padded - extent) / stride + 1);
    g.unread = g.output == 0 ? 0 : static_cast<int>(padded - ((g.output - 1LL) * stride + extent));
    return g;
}

std::string outputFormula(const AxisGeometry &a)
{
    std::ostringstream out;
    const long long numerator = static_cast<long long>(a.padded) - a.extent;
    const std::string inner = "floor((" + std::to_string(a.input) + " + " + std::to_string(a.before) +
                              " + " + std::to_string(a.after) + " - " + std::to_string(a.extent) +
                              ") / " + std::to_string(a.stride) + ") + 1";
    if (numerator < 0)
        out << "out = max(" << inner << ", 0) = " << a.output;
    else
        out << "out = " << inner << " = " << a.output;
    if (a.dilation > 1)
        out << ", with e = " << a.dilation << "*(" << a.kernel << " - 1) + 1 = " << a.extent;
    return out.str();
}

std::string paddingFormula(const AxisGeometry &a)
{
    std::ostringstream out;
    out << amountName(a.amount) << ": ";
    switch (a.amount) {
    case Amount::Valid:
        out << "no padding";
        break;
    case Amount::Same: {
        const long long target = (static_cast<long long>(a.input) + a.stride - 1) / a.stride;
        out << "out = ceil(" << a.input << " / " << a.stride << ") = " << target
            << ", total = max((" << target << " - 1)*" << a.stride << " + " << a.extent << " - "
            << a.input << ", 0) = " << static_cast<long long>(a.before) + a.after << ", before = " << a.before
            << ", after = " << a.after;
        break;
    }
    case Amount::Full:
        out << "e - 1 = " << a.extent - 1 << " on both sides";
        break;
    case Amount::Causal:
        out << "e - 1 = " << a.extent - 1 << " before, 0 after";
        break;
    case Amount::Explicit:
        out << "before = " << a.before << ", after = " << a.after << " as given";
        break;
    }
    return out.str();
}

Geometry geometry(PerAxis inputSize, PerAxis kernelSize, const ConvSpec &spec)
{
    const Sides &s = spec.amount.sides;
    return {axisGeometry(inputSize.rows, kernelSize.rows, spec.stride.rows, spec.dilation.rows,
                         spec.amount.kind, s.top, s.bottom),
            axisGeometry(inputSize.cols, kernelSize.cols, spec.stride.cols, spec.dilation.cols,
                         spec.amount.kind, s.left, s.right)};
}

std::string emptyOutputReason(const Geometry &g)
{
    std::string reason;
    const auto explain = [&](const AxisGeometry &a, const char *axis, const char *cells) {
        if (a.output != 0)
            return;
        if (!reason.empty())
            reason += "; ";
        reason += "the kernel reaches " + std::to_string(a.extent) + " " + cells + " but the padded input has " +
                  std::to_string(a.padded) + " " + cells + " (" + axis + ": " + std::to_string(a.input) +
                  " + " + std::to_string(a.before) + " + " + std::to_string(a.after) + ")";
    };
    explain(g.rows, "rows", "rows");
    explain(g.cols, "columns", "columns");
    if (reason.empty())
        return reason;
    return "The output is empty: " + reason + ", so no window fits.";
}

} // namespace padlab::core

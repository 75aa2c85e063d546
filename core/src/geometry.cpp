#include "padlab/core/geometry.h"

#include "padlab/core/error.h"
#include "text.h"

#include <algorithm>
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
    if (spec.amount.kind == Amount::Explicit) {
        const Sides &s = spec.amount.sides;
        if (s.top < 0 || s.bottom < 0 || s.left < 0 || s.right < 0)
            return "pads must be 0 or more (got " + padAmountText(spec.amount) + ")";
    }
    const auto extent = [](long long k, long long d) { return d * (k - 1) + 1; };
    const long long eRows = extent(kernelSize.rows, spec.dilation.rows);
    const long long eCols = extent(kernelSize.cols, spec.dilation.cols);
    if (eRows > 1'000'000'000 || eCols > 1'000'000'000)
        return "the dilated kernel is too large";
    long long padRows = 0;
    long long padCols = 0;
    switch (spec.amount.kind) {
    case Amount::Valid: break;
    case Amount::Same:
    case Amount::Full:
    case Amount::Causal:
        padRows = 2 * (eRows - 1);
        padCols = 2 * (eCols - 1);
        break;
    case Amount::Explicit:
        padRows = static_cast<long long>(spec.amount.sides.top) + spec.amount.sides.bottom;
        padCols = static_cast<long long>(spec.amount.sides.left) + spec.amount.sides.right;
        break;
    }
    const long long cells = (inputSize.rows + padRows) * (inputSize.cols + padCols);
    if (inputSize.rows + padRows > 1'000'000'000 || inputSize.cols + padCols > 1'000'000'000 ||
        cells > kMaxPaddedCells)
        return "the padded input would have " + std::to_string(inputSize.rows + padRows) + "x" +
               std::to_string(inputSize.cols + padCols) + " cells, more than the " +
               std::to_string(kMaxPaddedCells) + " this program handles";
    return std::nullopt;
}

AxisGeometry axisGeometry(int input, int kernel, int stride, int dilation, Amount amount,
                          int explicitBefore, int explicitAfter)
{
    AxisGeometry g;
    g.amount = amount;
    g.input = input;
    g.kernel = kernel;
    g.stride = stride;
    g.dilation = dilation;
    g.extent = dilation * (kernel - 1) + 1;
    switch (amount) {
    case Amount::Valid: break;
    case Amount::Same: {
        const int out = (input + stride - 1) / stride;
        const int total = std::max((out - 1) * stride + g.extent - input, 0);
        g.before = total / 2;
        g.after = total - g.before;
        break;
    }
    case Amount::Full:
        g.before = g.extent - 1;
        g.after = g.extent - 1;
        break;
    case Amount::Causal:
        g.before = g.extent - 1;
        break;
    case Amount::Explicit:
        g.before = explicitBefore;
        g.after = explicitAfter;
        break;
    }
    g.padded = input + g.before + g.after;
    g.output = g.padded < g.extent ? 0 : (g.padded - g.extent) / stride + 1;
    g.unread = g.output == 0 ? 0 : g.padded - ((g.output - 1) * stride + g.extent);
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
        const int target = (a.input + a.stride - 1) / a.stride;
        out << "out = ceil(" << a.input << " / " << a.stride << ") = " << target
            << ", total = max((" << target << " - 1)*" << a.stride << " + " << a.extent << " - "
            << a.input << ", 0) = " << a.before + a.after << ", before = " << a.before
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

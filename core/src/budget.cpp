#include "padlab/core/budget.h"

#include "text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace padlab::core {

namespace {

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();

std::uint64_t multiply(std::uint64_t a, std::uint64_t b)
{
    std::uint64_t product = 0;
    return __builtin_mul_overflow(a, b, &product) ? kMax : product;
}

std::uint64_t sum(std::uint64_t a, std::uint64_t b)
{
    std::uint64_t total = 0;
    return __builtin_add_overflow(a, b, &total) ? kMax : total;
}

/// @p value with three significant digits, trailing zeros dropped: 19.6, 4, 512, 1.25.
std::string roundedText(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.*f", value >= 99.95 ? 0 : value >= 9.995 ? 1 : 2, value);
    std::string number = text;
    if (number.find('.') != std::string::npos) {
        while (number.back() == '0')
            number.pop_back();
        if (number.back() == '.')
            number.pop_back();
    }
    return number;
}

/// @p value (1 or more) in the largest of @p units, a thousand apart, that keeps it below 1000.
std::string inUnits(double value, std::initializer_list<const char *> units)
{
    auto unit = units.begin();
    while (value >= 999.5 && unit + 1 != units.end()) {
        value /= 1000;
        ++unit;
    }
    return roundedText(value) + " " + *unit;
}

/// @p n in words past a million: `1.2 trillion`; exact below.
std::string countText(std::uint64_t n)
{
    if (n < 1'000'000)
        return std::to_string(n);
    return inUnits(static_cast<double>(n) / 1e6, {"million", "billion", "trillion", "quadrillion", "quintillion"});
}

/// A whole number or decimal fraction with an optional suffix of powers of @p base; nullopt
/// for anything else. The suffixes are the last characters, already split off.
std::optional<std::uint64_t> scaled(std::string_view number, std::uint64_t multiplier)
{
    if (number.empty() || number.find_first_not_of("0123456789.") != std::string_view::npos ||
        number.front() == '.' || number.back() == '.')
        return std::nullopt;
    if (number.find('.') == std::string_view::npos) {
        std::uint64_t whole = 0;
        const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), whole);
        if (ec != std::errc() || end != number.data() + number.size())
            return std::nullopt;
        std::uint64_t result = 0;
        if (__builtin_mul_overflow(whole, multiplier, &result) || result == 0)
            return std::nullopt;
        return result;
    }
    double value = 0;
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (ec != std::errc() || end != number.data() + number.size())
        return std::nullopt;
    const double result = std::floor(value * static_cast<double>(multiplier));
    // 2^64 itself is the first double that does not fit.
    if (!(result >= 1) || result >= 18446744073709551616.0)
        return std::nullopt;
    return static_cast<std::uint64_t>(result);
}

struct Suffix {
    std::string_view text;
    std::uint64_t multiplier;
};

std::optional<std::uint64_t> withSuffixes(std::string_view text, std::initializer_list<Suffix> suffixes)
{
    const std::string lowered = text::lower(text::trim(text));
    const std::string_view view(lowered);
    for (const Suffix &suffix : suffixes) {
        if (view.size() > suffix.text.size() && view.substr(view.size() - suffix.text.size()) == suffix.text)
            return scaled(view.substr(0, view.size() - suffix.text.size()), suffix.multiplier);
    }
    return scaled(view, 1);
}

using Parse = std::optional<std::uint64_t> (*)(std::string_view);

/// Sets @p limit from @p value, which @p name gave; an empty value leaves it as it is.
void readLimit(const char *name, const std::optional<std::string> &value, std::uint64_t &limit, Parse parse,
               const char *example)
{
    if (!value || value->empty())
        return;
    const auto parsed = parse(*value);
    if (!parsed)
        throw Error(std::string(name) + ": " + text::quoted(*value) + " is not a limit (for example " + example +
                    ")");
    limit = *parsed;
}

std::optional<std::string> variable(const char *name)
{
    const char *value = std::getenv(name);
    return value == nullptr ? std::nullopt : std::optional<std::string>(value);
}

} // namespace

std::string byteText(std::uint64_t bytes)
{
    if (bytes < 1000)
        return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
    return inUnits(static_cast<double>(bytes) / 1000, {"KB", "MB", "GB", "TB", "PB", "EB"});
}

void Estimate::add(const std::string &what, std::uint64_t bytes)
{
    for (Part &part : parts) {
        if (part.what == what) {
            part.bytes = sum(part.bytes, bytes);
            return;
        }
    }
    parts.push_back({what, bytes});
}

std::uint64_t Estimate::bytes() const
{
    std::uint64_t total = 0;
    for (const Part &part : parts)
        total = sum(total, part.bytes);
    return total;
}

Estimate &Estimate::operator+=(const Estimate &other)
{
    for (const Part &part : other.parts)
        add(part.what, part.bytes);
    multiplyAdds = sum(multiplyAdds, other.multiplyAdds);
    frames = sum(frames, other.frames);
    return *this;
}

std::uint64_t matrixBytes(std::uint64_t rows, std::uint64_t cols, std::uint64_t channels,
                          std::uint64_t elementBytes)
{
    return multiply(multiply(rows, cols), multiply(channels, elementBytes));
}

std::uint64_t csvTextBytes(std::uint64_t values)
{
    return multiply(values, 20);
}

Estimate convolutionEstimate(PerAxis inputSize, int channels, int elementBytes, PerAxis kernelSize,
                             const ConvSpec &spec)
{
    const Geometry g = geometry(inputSize, kernelSize, spec);
    const auto n = [](int v) { return static_cast<std::uint64_t>(std::max(v, 0)); };
    const std::uint64_t cn = n(channels);
    const std::uint64_t size = n(elementBytes);
    Estimate estimate;
    estimate.add("the input", matrixBytes(n(inputSize.rows), n(inputSize.cols), cn, size));
    estimate.add("the padded input", matrixBytes(n(g.rows.padded), n(g.cols.padded), cn, size));
    estimate.add("the output", matrixBytes(n(g.rows.output), n(g.cols.output), cn, size));
    estimate.multiplyAdds = multiply(matrixBytes(n(g.rows.output), n(g.cols.output), cn, 1),
                                     multiply(n(kernelSize.rows), n(kernelSize.cols)));
    return estimate;
}

std::optional<std::string> overBudget(const Estimate &estimate, const Budget &budget)
{
    const std::uint64_t bytes = estimate.bytes();
    if (bytes > budget.memory) {
        const Estimate::Part *largest = nullptr;
        for (const Estimate::Part &part : estimate.parts) {
            if (largest == nullptr || part.bytes > largest->bytes)
                largest = &part;
        }
        std::string need = "the computation needs about " + byteText(bytes) + " of memory";
        if (largest != nullptr && largest->bytes == bytes)
            need += " for " + largest->what;
        else if (largest != nullptr)
            need += " (" + largest->what + " alone " + byteText(largest->bytes) + ")";
        return need + "; the limit is " + byteText(budget.memory) +
               " (raise it with --max-memory or PADLAB_MAX_MEMORY)";
    }
    if (estimate.multiplyAdds > budget.multiplyAdds)
        return "the computation needs about " + countText(estimate.multiplyAdds) +
               " multiply-adds; the limit is " + countText(budget.multiplyAdds) +
               " (raise it with --max-work or PADLAB_MAX_WORK)";
    if (estimate.frames > budget.frames)
        return "the animation would have " + std::to_string(estimate.frames) + " frames; the limit is " +
               std::to_string(budget.frames) + " (raise it with --max-frames or PADLAB_MAX_FRAMES)";
    return std::nullopt;
}

void requireBudget(const Estimate &estimate, const Budget &budget)
{
    if (const auto problem = overBudget(estimate, budget))
        throw OverBudget(*problem);
}

std::optional<std::uint64_t> parseByteSize(std::string_view text)
{
    return withSuffixes(text, {{"kib", 1ULL << 10},
                               {"mib", 1ULL << 20},
                               {"gib", 1ULL << 30},
                               {"tib", 1ULL << 40},
                               {"kb", 1'000},
                               {"mb", 1'000'000},
                               {"gb", 1'000'000'000},
                               {"tb", 1'000'000'000'000},
                               {"k", 1'000},
                               {"m", 1'000'000},
                               {"g", 1'000'000'000},
                               {"t", 1'000'000'000'000},
                               {"b", 1}});
}

std::optional<std::uint64_t> parseCount(std::string_view text)
{
    return withSuffixes(text, {{"k", 1'000}, {"m", 1'000'000}, {"g", 1'000'000'000}, {"t", 1'000'000'000'000}});
}

Budget budgetFromEnvironment()
{
    Budget budget;
    readLimit("PADLAB_MAX_MEMORY", variable("PADLAB_MAX_MEMORY"), budget.memory, parseByteSize, "8G");
    readLimit("PADLAB_MAX_WORK", variable("PADLAB_MAX_WORK"), budget.multiplyAdds, parseCount, "5T");
    readLimit("PADLAB_MAX_FRAMES", variable("PADLAB_MAX_FRAMES"), budget.frames, parseCount, "50000");
    return budget;
}

Budget budgetFromOptions(const std::optional<std::string> &memory, const std::optional<std::string> &work,
                         const std::optional<std::string> &frames)
{
    Budget budget = budgetFromEnvironment();
    readLimit("--max-memory", memory, budget.memory, parseByteSize, "8G");
    readLimit("--max-work", work, budget.multiplyAdds, parseCount, "5T");
    readLimit("--max-frames", frames, budget.frames, parseCount, "50000");
    return budget;
}

void reportProgress(const Progress &progress, double fraction)
{
    if (progress && !progress(std::clamp(fraction, 0.0, 1.0)))
        throw Cancelled();
}

Progress progressPart(const Progress &whole, double from, double to)
{
    if (!whole)
        return {};
    return [whole, from, to](double fraction) { return whole(from + (to - from) * fraction); };
}

} // namespace padlab::core

#include "padlab/core/fill.h"

#include "padlab/core/frameworks.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string>

namespace padlab::core {

namespace {

struct FillInfo {
    Fill fill;
    std::string_view name;
    std::string_view diagram;
};

const std::vector<FillInfo> &fillTable()
{
    static const std::vector<FillInfo> table = {
        {Fill::Zeros, "zeros", "000|abcd|000"},         {Fill::Constant, "constant", "ccc|abcd|ccc"},
        {Fill::Reflect, "reflect", "dcb|abcd|cba"},     {Fill::Symmetric, "symmetric", "cba|abcd|dcb"},
        {Fill::Replicate, "replicate", "aaa|abcd|ddd"}, {Fill::Circular, "circular", "bcd|abcd|abc"},
    };
    return table;
}

const FillInfo &info(Fill fill)
{
    return fillTable().at(static_cast<size_t>(fill));
}

int floorMod(int p, int period)
{
    const int m = p % period;
    return m < 0 ? m + period : m;
}

} // namespace

const std::vector<Fill> &allFills()
{
    static const std::vector<Fill> fills = {Fill::Zeros,     Fill::Constant,  Fill::Reflect,
                                            Fill::Symmetric, Fill::Replicate, Fill::Circular};
    return fills;
}

std::string_view fillName(Fill fill)
{
    return info(fill).name;
}

std::optional<Fill> parseFill(std::string_view name)
{
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const FillInfo &entry : fillTable()) {
        if (entry.name == lower)
            return entry.fill;
    }
    return std::nullopt;
}

std::string_view fillDiagram(Fill fill)
{
    return info(fill).diagram;
}

const FrameworkNames &frameworkNames(Fill fill)
{
    // Read from the table of framework facts, the one place that names fills in frameworks.
    static const std::vector<FrameworkNames> names = [] {
        std::vector<FrameworkNames> all;
        for (const Fill f : allFills()) {
            const auto api = [f](Framework framework) { return fillFact(framework, f).api; };
            all.push_back({api(Framework::Keras), api(Framework::PyTorch), api(Framework::OpenCV),
                           api(Framework::NumPy), api(Framework::SciPy)});
        }
        return all;
    }();
    return names.at(static_cast<size_t>(fill));
}

int donorIndex(int p, int n, Fill fill)
{
    // Every periodic fill takes p modulo a multiple of n: an empty row has no donor to give.
    if (n < 1)
        throw std::invalid_argument("donorIndex: a row of " + std::to_string(n)
                                    + " cells has no cell to copy (n must be at least 1)");
    if (p >= 0 && p < n)
        return p;
    switch (fill) {
    case Fill::Zeros:
    case Fill::Constant:
        return -1;
    case Fill::Replicate:
        return p < 0 ? 0 : n - 1;
    case Fill::Circular:
        return floorMod(p, n);
    case Fill::Reflect: {
        if (n == 1)
            return 0;
        const int period = 2 * (n - 1);
        const int m = floorMod(p, period);
        return m < n ? m : period - m;
    }
    case Fill::Symmetric: {
        const int period = 2 * n;
        const int m = floorMod(p, period);
        return m < n ? m : period - 1 - m;
    }
    }
    return -1;
}

} // namespace padlab::core

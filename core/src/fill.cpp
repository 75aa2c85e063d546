#include "padlab/core/fill.h"

#include <algorithm>
#include <cctype>

namespace padlab::core {

namespace {

struct FillInfo {
    Fill fill;
    std::string_view name;
    std::string_view diagram;
    FrameworkNames names;
};

// The name map of DESIGN.md and SEMANTICS.md section 9, in one place.
const std::vector<FillInfo> &fillTable()
{
    static const std::vector<FillInfo> table = {
        {Fill::Zeros, "zeros", "000|abcd|000",
         {"padding='same' (zeros), ZeroPadding2D, tf.pad CONSTANT", "padding_mode='zeros'",
          "BORDER_CONSTANT (value 0)", "np.pad mode='constant'", "mode='constant' (cval=0)"}},
        {Fill::Constant, "constant", "ccc|abcd|ccc",
         {"tf.pad(mode='CONSTANT', constant_values=c)", "F.pad(mode='constant', value=c)",
          "BORDER_CONSTANT (value c)", "np.pad mode='constant', constant_values=c",
          "mode='constant', cval=c"}},
        {Fill::Reflect, "reflect", "dcb|abcd|cba",
         {"tf.pad(mode='REFLECT')", "padding_mode='reflect'", "BORDER_REFLECT_101 (default)",
          "np.pad mode='reflect'", "mode='mirror'"}},
        {Fill::Symmetric, "symmetric", "cba|abcd|dcb",
         {"tf.pad(mode='SYMMETRIC')", "—", "BORDER_REFLECT", "np.pad mode='symmetric'",
          "mode='reflect'"}},
        {Fill::Replicate, "replicate", "aaa|abcd|ddd",
         {"—", "padding_mode='replicate'", "BORDER_REPLICATE", "np.pad mode='edge'",
          "mode='nearest'"}},
        {Fill::Circular, "circular", "bcd|abcd|abc",
         {"—", "padding_mode='circular'", "BORDER_WRAP", "np.pad mode='wrap'", "mode='wrap'"}},
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
    return info(fill).names;
}

int donorIndex(int p, int n, Fill fill)
{
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

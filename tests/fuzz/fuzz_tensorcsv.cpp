// libFuzzer target: any text as tensor CSV, read from the text alone or in a layout the first
// byte picks. Text the reader accepts must write back and read again to the same array.
#include "padlab/core/error.h"
#include "padlab/core/tensor.h"
#include "padlab/core/tensorcsv.h"

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace padlab::core;
    if (size == 0)
        return 0;
    constexpr Layout kLayouts[] = {Layout::L, Layout::CL, Layout::HW, Layout::CHW, Layout::DHW, Layout::CDHW};
    const std::optional<Layout> layout =
        data[0] % 7 == 6 ? std::nullopt : std::optional<Layout>(kLayouts[data[0] % 7]);
    const std::string_view text(reinterpret_cast<const char *>(data) + 1, size - 1);
    NdArray array;
    try {
        array = parseTensorCsv(text, "fuzz.csv", layout);
    } catch (const Error &) {
        return 0;
    }
    const NdArray back = parseTensorCsv(formatTensorCsv(array), "round trip", layout);
    if (back.shape != array.shape || back.values != array.values)
        std::abort();
    if (layout && !validateLayout(array, *layout)) {
        const NdArray again = arrayFromTensor(tensorFromArray(array, *layout), *layout);
        if (again.values != array.values)
            std::abort();
    }
    return 0;
}

// libFuzzer target: any bytes as a .npy file. A file the reader accepts must write back and
// read again to the same array, and go through every layout its rank allows.
#include "padlab/core/error.h"
#include "padlab/core/npy.h"
#include "padlab/core/tensor.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace padlab::core;
    const std::string_view bytes(reinterpret_cast<const char *>(data), size);
    NdArray array;
    try {
        array = parseNpy(bytes, "fuzz.npy");
    } catch (const Error &) {
        return 0;
    }
    const NdArray back = parseNpy(formatNpy(array), "round trip");
    if (back.shape != array.shape || back.values != array.values)
        std::abort();
    for (Layout layout : {Layout::L, Layout::CL, Layout::HW, Layout::CHW, Layout::DHW, Layout::CDHW}) {
        if (validateLayout(array, layout))
            continue;
        const NdArray again = arrayFromTensor(tensorFromArray(array, layout), layout);
        if (again.shape != array.shape || again.values != array.values)
            std::abort();
    }
    return 0;
}

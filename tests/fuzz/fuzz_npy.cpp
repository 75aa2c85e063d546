#include "targets.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    padlab::fuzz::npy({reinterpret_cast<const char *>(data), size});
    return 0;
}

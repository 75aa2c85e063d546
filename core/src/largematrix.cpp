#include "largematrix.h"

#include <cstddef>
#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace padlab::core::detail {

cv::Mat createLarge(int rows, int cols, int type)
{
    cv::Mat m(rows, cols, type);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    // Advice only: where the kernel declines (huge pages off, or memory too fragmented), the
    // matrix is simply backed by ordinary pages.
    constexpr std::size_t kLarge = std::size_t{8} << 20;
    const std::size_t bytes = m.total() * m.elemSize();
    const long page = sysconf(_SC_PAGESIZE);
    if (bytes >= kLarge && page > 0) {
        const auto start = reinterpret_cast<std::uintptr_t>(m.data);
        const std::uintptr_t mask = static_cast<std::uintptr_t>(page) - 1;
        const std::uintptr_t begin = (start + mask) & ~mask;
        const std::uintptr_t end = (start + bytes) & ~mask;
        if (end > begin)
            madvise(reinterpret_cast<void *>(begin), end - begin, MADV_HUGEPAGE);
    }
#endif
    return m;
}

} // namespace padlab::core::detail

#pragma once

#include <opencv2/core/mat.hpp>

#include <cstddef>
#include <map>
#include <mutex>

namespace padlab::ui {

/**
 * Recycles the memory of large matrices. Every change of a setting computes matrices of the
 * same sizes as the last one (padded inputs, feature maps, difference maps), and fresh memory
 * costs more than the computation itself: the system must find and clear every page. Freed
 * buffers of at least kMinBytes are kept, up to kMaxKeptBytes in all, and handed out again for
 * a matrix of the same size; smaller matrices go to OpenCV's own allocator.
 *
 * install() makes it the allocator of every cv::Mat created afterwards; a matrix made before
 * keeps the allocator it was made with.
 */
class MatrixPool : public cv::MatAllocator {
public:
    static constexpr std::size_t kMinBytes = std::size_t{1} << 20;
    static constexpr std::size_t kMaxKeptBytes = std::size_t{3} << 29; // 1.5 GiB

    /// Makes the pool the allocator of new matrices; once per process, before they are made.
    static void install();

    cv::UMatData *allocate(int dims, const int *sizes, int type, void *data, size_t *step,
                           cv::AccessFlag flags, cv::UMatUsageFlags usageFlags) const override;
    bool allocate(cv::UMatData *data, cv::AccessFlag accessFlags, cv::UMatUsageFlags usageFlags) const override;
    void deallocate(cv::UMatData *data) const override;

    /// Bytes of freed buffers kept for reuse.
    std::size_t keptBytes() const;

private:
    mutable std::mutex m_mutex;
    mutable std::multimap<std::size_t, void *> m_kept;
    mutable std::size_t m_keptBytes = 0;
};

} // namespace padlab::ui

#include "matrixpool.h"

#include <opencv2/core.hpp>

namespace padlab::ui {

void MatrixPool::install()
{
    // Never destroyed: matrices may outlive every other object, up to the process's exit.
    static MatrixPool *pool = new MatrixPool;
    cv::Mat::setDefaultAllocator(pool);
}

cv::UMatData *MatrixPool::allocate(int dims, const int *sizes, int type, void *data0, size_t *step,
                                   cv::AccessFlag, cv::UMatUsageFlags) const
{
    // The layout OpenCV's own allocator gives: rows packed, no padding.
    size_t total = CV_ELEM_SIZE(type);
    for (int i = dims - 1; i >= 0; --i) {
        if (step) {
            if (data0 && step[i] != cv::Mat::AUTO_STEP) {
                CV_Assert(total <= step[i]);
                total = step[i];
            } else {
                step[i] = total;
            }
        }
        total *= size_t(sizes[i]);
    }
    void *data = data0;
    if (!data && total >= kMinBytes) {
        const std::lock_guard<std::mutex> lock(m_mutex);
        const auto kept = m_kept.find(total);
        if (kept != m_kept.end()) {
            data = kept->second;
            m_kept.erase(kept);
            m_keptBytes -= total;
        }
    }
    if (!data)
        data = cv::fastMalloc(total);
    auto *u = new cv::UMatData(this);
    u->data = u->origdata = static_cast<uchar *>(data);
    u->size = total;
    if (data0)
        u->flags |= cv::UMatData::USER_ALLOCATED;
    return u;
}

bool MatrixPool::allocate(cv::UMatData *data, cv::AccessFlag, cv::UMatUsageFlags) const
{
    return data != nullptr;
}

void MatrixPool::deallocate(cv::UMatData *u) const
{
    if (!u)
        return;
    CV_Assert(u->urefcount == 0 && u->refcount == 0);
    if (!(u->flags & cv::UMatData::USER_ALLOCATED)) {
        bool kept = false;
        if (u->size >= kMinBytes) {
            const std::lock_guard<std::mutex> lock(m_mutex);
            if (m_keptBytes + u->size <= kMaxKeptBytes) {
                m_kept.emplace(u->size, u->origdata);
                m_keptBytes += u->size;
                kept = true;
            }
        }
        if (!kept)
            cv::fastFree(u->origdata);
        u->origdata = nullptr;
    }
    delete u;
}

std::size_t MatrixPool::keptBytes() const
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_keptBytes;
}

} // namespace padlab::ui

#include "correlate.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace padlab::core::detail {

namespace {

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define PADLAB_X86_DISPATCH 1
#endif

template <typename T, int Bytes>
struct Vector {
    typedef T type __attribute__((vector_size(Bytes)));
    static constexpr int lanes = Bytes / static_cast<int>(sizeof(T));
};

// Vectors go by reference: passing them by value would change the ABI between the variants.
template <typename V, typename T>
[[gnu::always_inline]] inline void multiplyAdd(V &acc, const V &weight, const T *p)
{
    V v;
    std::memcpy(&v, p, sizeof(V));
    acc += weight * v;
}

template <typename V, typename T>
[[gnu::always_inline]] inline void store(T *p, const V &v)
{
    std::memcpy(p, &v, sizeof(V));
}

// Eight vectors of outputs starting at out[j], all taps summed in named registers (an array of
// accumulators would live in memory) before one store each.
template <typename T, int Bytes>
[[gnu::always_inline]] inline void block8(const T *const *src, const T *w, int taps, int j, T *out)
{
    using V = typename Vector<T, Bytes>::type;
    constexpr int L = Vector<T, Bytes>::lanes;
    V a0 = {}, a1 = {}, a2 = {}, a3 = {}, a4 = {}, a5 = {}, a6 = {}, a7 = {};
    for (int t = 0; t < taps; ++t) {
        const T *p = src[t] + j;
        const V weight = V{} + w[t];
        multiplyAdd(a0, weight, p);
        multiplyAdd(a1, weight, p + L);
        multiplyAdd(a2, weight, p + 2 * L);
        multiplyAdd(a3, weight, p + 3 * L);
        multiplyAdd(a4, weight, p + 4 * L);
        multiplyAdd(a5, weight, p + 5 * L);
        multiplyAdd(a6, weight, p + 6 * L);
        multiplyAdd(a7, weight, p + 7 * L);
    }
    T *o = out + j;
    store(o, a0);
    store(o + L, a1);
    store(o + 2 * L, a2);
    store(o + 3 * L, a3);
    store(o + 4 * L, a4);
    store(o + 5 * L, a5);
    store(o + 6 * L, a6);
    store(o + 7 * L, a7);
}

template <typename T, int Bytes>
[[gnu::always_inline]] inline void block1(const T *const *src, const T *w, int taps, int j, T *out)
{
    using V = typename Vector<T, Bytes>::type;
    V a0 = {};
    for (int t = 0; t < taps; ++t) {
        const V weight = V{} + w[t];
        multiplyAdd(a0, weight, src[t] + j);
    }
    store(out + j, a0);
}

// One output row of n scalars: out[j] = sum over t of w[t] * src[t][j]. The last partial block
// is done by a full block that overlaps the previous one, so nothing is read past src[t][n - 1];
// the overlapped cells are written twice with the same value.
template <typename T, int Bytes>
[[gnu::always_inline]] inline void rowKernel(const T *const *src, const T *w, int taps, int n,
                                             T *out)
{
    constexpr int lanes = Vector<T, Bytes>::lanes;
    constexpr int wide = 8 * lanes;
    if (n < lanes) {
        for (int j = 0; j < n; ++j) {
            T acc = 0;
            for (int t = 0; t < taps; ++t)
                acc += w[t] * src[t][j];
            out[j] = acc;
        }
        return;
    }
    int j = 0;
    for (; j + wide <= n; j += wide)
        block8<T, Bytes>(src, w, taps, j, out);
    for (; j + lanes <= n; j += lanes)
        block1<T, Bytes>(src, w, taps, j, out);
    if (j < n)
        block1<T, Bytes>(src, w, taps, n - lanes, out);
}

// Splits a row of single-channel elements into its S column phases in one pass:
// phase p gets row[p], row[p + S], ... (len of each). S is known at compile time, so the
// compiler turns the interleaved loads into vector shuffles.
template <typename T, int S>
[[gnu::always_inline]] inline void splitBody(const T *__restrict row, int len, T *const *phases)
{
    T *__restrict d0 = phases[0];
    T *__restrict d1 = phases[1];
    T *__restrict d2 = phases[S > 2 ? 2 : 1];
    T *__restrict d3 = phases[S > 3 ? 3 : 1];
    for (int m = 0; m < len; ++m) {
        d0[m] = row[m * S];
        d1[m] = row[m * S + 1];
        if constexpr (S > 2)
            d2[m] = row[m * S + 2];
        if constexpr (S > 3)
            d3[m] = row[m * S + 3];
    }
}

template <typename T>
struct Kit {
    using Row = void (*)(const T *const *, const T *, int, int, T *);
    using Split = void (*)(const T *, int, T *const *);
    Row row;
    Split split2;
    Split split3;
    Split split4;
};

template <typename T>
void rowPlain(const T *const *src, const T *w, int taps, int n, T *out)
{
    rowKernel<T, 16>(src, w, taps, n, out);
}

template <typename T, int S>
void splitPlain(const T *row, int len, T *const *phases)
{
    splitBody<T, S>(row, len, phases);
}

#ifdef PADLAB_X86_DISPATCH
template <typename T>
[[gnu::target("avx2,fma")]] void rowAvx2(const T *const *src, const T *w, int taps, int n, T *out)
{
    rowKernel<T, 32>(src, w, taps, n, out);
}

template <typename T, int S>
[[gnu::target("avx2,fma")]] void splitAvx2(const T *row, int len, T *const *phases)
{
    splitBody<T, S>(row, len, phases);
}

bool hasAvx2Fma()
{
    static const bool yes = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return yes;
}
#endif

// The fastest variant the CPU runs, picked at run time so the build stays portable.
template <typename T>
Kit<T> kit()
{
#ifdef PADLAB_X86_DISPATCH
    if (hasAvx2Fma())
        return {rowAvx2<T>, splitAvx2<T, 2>, splitAvx2<T, 3>, splitAvx2<T, 4>};
#endif
    return {rowPlain<T>, splitPlain<T, 2>, splitPlain<T, 3>, splitPlain<T, 4>};
}

// The elements phase, phase + sx, phase + 2*sx, ... of a row, whole elements of cn channels.
template <typename T>
void gather(const T *row, int phase, int sx, int cn, int from, int to, T *dst)
{
    for (int m = from; m < to; ++m) {
        const T *p = row + static_cast<size_t>(m * sx + phase) * cn;
        for (int c = 0; c < cn; ++c)
            dst[m * cn + c] = p[c];
    }
}

template <typename T>
void correlateTyped(const cv::Mat &padded, const cv::Mat &w, int sy, int sx, int dy, int dx,
                    cv::Mat &out)
{
    const int cn = padded.channels();
    const int kh = w.rows;
    const int kw = w.cols;
    const int taps = kh * kw;
    const int n = out.cols * cn;
    std::vector<T> weights(taps);
    for (int a = 0; a < kh; ++a)
        for (int b = 0; b < kw; ++b)
            weights[a * kw + b] = w.at<T>(a, b);
    const Kit<T> kernels = kit<T>();
    std::vector<const T *> src(taps);

    if (sx == 1) {
        for (int i = 0; i < out.rows; ++i) {
            for (int a = 0; a < kh; ++a) {
                const T *in = padded.ptr<T>(i * sy + a * dy);
                for (int b = 0; b < kw; ++b)
                    src[a * kw + b] = in + static_cast<size_t>(b) * dx * cn;
            }
            kernels.row(src.data(), weights.data(), taps, n, out.ptr<T>(i));
        }
        return;
    }

    // Column phases: kernel column b reads element j + shift[b] of the row's phase phase[b] (the
    // elements phase[b], phase[b] + sx, ...), so each phase is a stride-1 correlation.
    std::vector<int> phase(kw);
    std::vector<int> shift(kw);
    std::vector<int> length(sx, 0);
    for (int b = 0; b < kw; ++b) {
        phase[b] = (b * dx) % sx;
        shift[b] = (b * dx) / sx;
        length[phase[b]] = std::max(length[phase[b]], out.cols + shift[b]);
    }
    const int longest = *std::max_element(length.begin(), length.end());
    // Strides 2 to 4 of one channel split every phase in one pass: whole groups of sx elements
    // up to the longest phase, the few elements after them one by one.
    typename Kit<T>::Split split = nullptr;
    if (cn == 1)
        split = sx == 2 ? kernels.split2 : sx == 3 ? kernels.split3 : sx == 4 ? kernels.split4 : nullptr;
    const int groups = std::min(longest, padded.cols / sx);
    std::vector<size_t> offset(sx, 0);
    size_t slotSize = 0;
    for (int p = 0; p < sx; ++p) {
        offset[p] = slotSize;
        slotSize += static_cast<size_t>(split ? longest : length[p]) * cn;
    }
    // Each needed row is split into its phases once and kept while windows read it: one window
    // spans eh rows, so slot r % eh never holds two rows that one window needs.
    const int eh = dy * (kh - 1) + 1;
    std::vector<T> cache(static_cast<size_t>(eh) * slotSize);
    std::vector<int> cached(eh, -1);
    std::vector<T *> phases(sx);
    for (int i = 0; i < out.rows; ++i) {
        for (int a = 0; a < kh; ++a) {
            const int r = i * sy + a * dy;
            const int slot = r % eh;
            T *base = cache.data() + static_cast<size_t>(slot) * slotSize;
            if (cached[slot] != r) {
                const T *in = padded.ptr<T>(r);
                for (int p = 0; p < sx; ++p)
                    phases[p] = base + offset[p];
                const int done = split ? groups : 0;
                if (split)
                    split(in, groups, phases.data());
                for (int p = 0; p < sx; ++p)
                    gather(in, p, sx, cn, done, length[p], phases[p]);
                cached[slot] = r;
            }
            for (int b = 0; b < kw; ++b)
                src[a * kw + b] = base + offset[phase[b]] + static_cast<size_t>(shift[b]) * cn;
        }
        kernels.row(src.data(), weights.data(), taps, n, out.ptr<T>(i));
    }
}

} // namespace

void correlateDirect(const cv::Mat &padded, const cv::Mat &w, int sy, int sx, int dy, int dx,
                     cv::Mat &out)
{
    if (padded.depth() == CV_32F)
        correlateTyped<float>(padded, w, sy, sx, dy, dx, out);
    else
        correlateTyped<double>(padded, w, sy, sx, dy, dx, out);
}

} // namespace padlab::core::detail

// Direct correlation, one output row (or two) at a time, single-threaded:
// - every output cell sums its taps in vector registers before one store (block8, pairBlock);
// - two output rows whose windows share input rows load each shared vector once (PairTaps);
// - several kernels on one input (the filters of a channel group) share the row pointers and
//   column phases of each window, and the holes of a stacked kernel are skipped;
// - column strides read contiguous copies of each row's column phases, split once per row
//   (splitBody), or, for kernels about as narrow as the stride, no copies at all (GroupedRow);
// - AVX2 with FMA is used when the CPU has it, chosen at run time (kit()), so the same build
//   runs on any x86-64; other CPUs get the same code on 16-byte vectors, and so does every CPU
//   when PADLAB_PORTABLE=1 (portableForced()), which is how the tests run that path too.
// GCC or Clang is required for the vector types.
#include "correlate.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <string_view>
#include <utility>
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

// Two output rows whose windows share input rows: a shared source is loaded once for both.
// Sources used by one row only are listed apart, so no row ever adds a product it does not own.
template <typename T>
struct PairTaps {
    const T *const *shared;
    const T *sharedA;
    const T *sharedB;
    int nShared;
    const T *const *onlyA;
    const T *weightA;
    int nA;
    const T *const *onlyB;
    const T *weightB;
    int nB;
};

template <typename V, typename T>
[[gnu::always_inline]] inline void loadVector(V &v, const T *p)
{
    std::memcpy(&v, p, sizeof(V));
}

// Four vectors of each row starting at column j; eight accumulators stay in registers.
template <typename T, int Bytes>
[[gnu::always_inline]] inline void pairBlock(const PairTaps<T> &taps, int j, T *outA, T *outB)
{
    using V = typename Vector<T, Bytes>::type;
    constexpr int L = Vector<T, Bytes>::lanes;
    V a0 = {}, a1 = {}, a2 = {}, a3 = {}, b0 = {}, b1 = {}, b2 = {}, b3 = {};
    for (int t = 0; t < taps.nShared; ++t) {
        const T *p = taps.shared[t] + j;
        const V wa = V{} + taps.sharedA[t];
        const V wb = V{} + taps.sharedB[t];
        V x0, x1, x2, x3;
        loadVector(x0, p);
        loadVector(x1, p + L);
        loadVector(x2, p + 2 * L);
        loadVector(x3, p + 3 * L);
        a0 += wa * x0;
        b0 += wb * x0;
        a1 += wa * x1;
        b1 += wb * x1;
        a2 += wa * x2;
        b2 += wb * x2;
        a3 += wa * x3;
        b3 += wb * x3;
    }
    for (int t = 0; t < taps.nA; ++t) {
        const T *p = taps.onlyA[t] + j;
        const V weight = V{} + taps.weightA[t];
        multiplyAdd(a0, weight, p);
        multiplyAdd(a1, weight, p + L);
        multiplyAdd(a2, weight, p + 2 * L);
        multiplyAdd(a3, weight, p + 3 * L);
    }
    for (int t = 0; t < taps.nB; ++t) {
        const T *p = taps.onlyB[t] + j;
        const V weight = V{} + taps.weightB[t];
        multiplyAdd(b0, weight, p);
        multiplyAdd(b1, weight, p + L);
        multiplyAdd(b2, weight, p + 2 * L);
        multiplyAdd(b3, weight, p + 3 * L);
    }
    store(outA + j, a0);
    store(outA + j + L, a1);
    store(outA + j + 2 * L, a2);
    store(outA + j + 3 * L, a3);
    store(outB + j, b0);
    store(outB + j + L, b1);
    store(outB + j + 2 * L, b2);
    store(outB + j + 3 * L, b3);
}

// Two rows of n >= pairWidth scalars; the last partial block overlaps the one before it.
template <typename T, int Bytes>
[[gnu::always_inline]] inline void pairKernel(const PairTaps<T> &taps, int n, T *outA, T *outB)
{
    constexpr int wide = 4 * Vector<T, Bytes>::lanes;
    int j = 0;
    for (; j + wide <= n; j += wide)
        pairBlock<T, Bytes>(taps, j, outA, outB);
    if (j < n)
        pairBlock<T, Bytes>(taps, n - wide, outA, outB);
}

// The narrowest row the pair kernel takes, in scalars, whichever variant runs.
template <typename T>
constexpr int pairWidth = 4 * 32 / static_cast<int>(sizeof(T));

#if defined(__clang__) || (defined(__GNUC__) && __GNUC__ >= 12)
#define PADLAB_SHUFFLE 1

// For stride 3: the vector in which element l + L*v of three consecutive vectors (v = 0, 1, 2)
// belongs to phase p. As 3 and the lane count share no factor, the eight elements of a phase
// lie in eight different lanes, so two blends gather them and one permutation orders them.
constexpr int phaseSource(int p, int lane, int lanes)
{
    for (int v = 0; v < 3; ++v) {
        if ((lane + lanes * v) % 3 == p)
            return v;
    }
    return 0;
}

template <int P, int L, typename V, std::size_t... I>
[[gnu::always_inline]] inline void phaseOfThree(const V &a, const V &b, const V &c, V &out,
                                                std::index_sequence<I...>)
{
    const V ab = __builtin_shufflevector(
        a, b, (phaseSource(P, static_cast<int>(I), L) == 1 ? static_cast<int>(I) + L
                                                           : static_cast<int>(I))...);
    const V abc = __builtin_shufflevector(
        ab, c, (phaseSource(P, static_cast<int>(I), L) == 2 ? static_cast<int>(I) + L
                                                            : static_cast<int>(I))...);
    out = __builtin_shufflevector(abc, abc, ((3 * static_cast<int>(I) + P) % L)...);
}
#endif

// Splits a row of single-channel elements into its S column phases in one pass:
// phase p gets row[p], row[p + S], ... (len of each). S is known at compile time, so the
// compiler turns the interleaved loads into vector shuffles; stride 3 gets its shuffles spelt
// out, as the compiler's own take about twice as many.
template <typename T, int S, int Bytes>
[[gnu::always_inline]] inline void splitBody(const T *__restrict row, int len, T *const *phases)
{
    T *__restrict d0 = phases[0];
    T *__restrict d1 = phases[1];
    T *__restrict d2 = phases[S > 2 ? 2 : 1];
    T *__restrict d3 = phases[S > 3 ? 3 : 1];
    int m = 0;
#ifdef PADLAB_SHUFFLE
    if constexpr (S == 3) {
        using V = typename Vector<T, Bytes>::type;
        constexpr int L = Vector<T, Bytes>::lanes;
        for (; m + L <= len; m += L) {
            V a;
            V b;
            V c;
            loadVector(a, row + 3 * m);
            loadVector(b, row + 3 * m + L);
            loadVector(c, row + 3 * m + 2 * L);
            V p;
            phaseOfThree<0, L>(a, b, c, p, std::make_index_sequence<L>{});
            store(d0 + m, p);
            phaseOfThree<1, L>(a, b, c, p, std::make_index_sequence<L>{});
            store(d1 + m, p);
            phaseOfThree<2, L>(a, b, c, p, std::make_index_sequence<L>{});
            store(d2 + m, p);
        }
    }
#endif
    for (; m < len; ++m) {
        d0[m] = row[m * S];
        d1[m] = row[m * S + 1];
        if constexpr (S > 2)
            d2[m] = row[m * S + 2];
        if constexpr (S > 3)
            d3[m] = row[m * S + 3];
    }
}

// Strided columns for kernels about as narrow as the stride S (dilation 1 across): kernel
// columns go in groups of S, group g holding columns g*S .. g*S + S - 1, and
//   acc_g[x] = sum over a of w(a, g*S + x mod S) * in_a[x]      (x: input column)
//   out[j]   = sum over g and c < C_g of acc_g[(j + g)*S + c]    (C_g = min(S, kw - g*S)).
// The first sum is elementwise on the rows as they lie; only the second reads with stride S,
// once per output row and group instead of once per input row. Lanes of acc_g with
// c >= C_g hold products with no kernel tap and are never read.
template <typename T>
struct GroupedRow {
    const T *const *rows; ///< the kh input rows of this output row
    int kh;
    const T *pattern; ///< [g][a][r][lane]: the weight of lane `lane` of a vector at x, x mod S = r
    int groups;
    int kw;
    int needed; ///< input columns read: (ow - 1)*S + kw
    int ow;
    T *acc; ///< groups arrays, accStride apart, indexed by input column
    size_t accStride;
    T *out;
};

template <typename T, int S, int C>
[[gnu::always_inline]] inline void reduceGroup(const T *__restrict acc, int ow, bool first,
                                               T *__restrict out)
{
    if (first) {
        for (int j = 0; j < ow; ++j) {
            T sum = acc[j * S];
            if constexpr (C > 1)
                sum += acc[j * S + 1];
            if constexpr (C > 2)
                sum += acc[j * S + 2];
            if constexpr (C > 3)
                sum += acc[j * S + 3];
            out[j] = sum;
        }
        return;
    }
    for (int j = 0; j < ow; ++j) {
        T sum = acc[j * S];
        if constexpr (C > 1)
            sum += acc[j * S + 1];
        if constexpr (C > 2)
            sum += acc[j * S + 2];
        if constexpr (C > 3)
            sum += acc[j * S + 3];
        out[j] += sum;
    }
}

template <typename T, int Bytes, int S>
[[gnu::always_inline]] inline void groupedKernel(const GroupedRow<T> &job)
{
    using V = typename Vector<T, Bytes>::type;
    constexpr int L = Vector<T, Bytes>::lanes;
    const int kh = job.kh;
#ifdef PADLAB_SHUFFLE
    // Stride 3 with at most three kernel columns: the three sums of L outputs stay in registers
    // and are reduced there, with the shuffles of the stride-3 split; no acc round trip.
    if constexpr (S == 3) {
        if (job.groups == 1) {
            int j = 0;
            for (; 3 * (j + L) <= job.needed; j += L) {
                V s0 = {}, s1 = {}, s2 = {};
                for (int a = 0; a < kh; ++a) {
                    const T *in = job.rows[a] + 3 * j;
                    const T *p = job.pattern + static_cast<size_t>(a) * S * L;
                    V w;
                    V v;
                    loadVector(w, p);
                    loadVector(v, in);
                    s0 += w * v;
                    loadVector(w, p + (L % 3) * L);
                    loadVector(v, in + L);
                    s1 += w * v;
                    loadVector(w, p + (2 * L % 3) * L);
                    loadVector(v, in + 2 * L);
                    s2 += w * v;
                }
                V sum;
                phaseOfThree<0, L>(s0, s1, s2, sum, std::make_index_sequence<L>{});
                if (job.kw > 1) {
                    V more;
                    phaseOfThree<1, L>(s0, s1, s2, more, std::make_index_sequence<L>{});
                    sum += more;
                    if (job.kw > 2) {
                        phaseOfThree<2, L>(s0, s1, s2, more, std::make_index_sequence<L>{});
                        sum += more;
                    }
                }
                store(job.out + j, sum);
            }
            for (; j < job.ow; ++j) {
                T sum = 0;
                for (int a = 0; a < kh; ++a)
                    for (int c = 0; c < job.kw; ++c)
                        sum += job.pattern[(static_cast<size_t>(a) * S + c) * L]
                               * job.rows[a][3 * j + c];
                job.out[j] = sum;
            }
            return;
        }
    }
#endif
    for (int g = 0; g < job.groups; ++g) {
        T *acc = job.acc + static_cast<size_t>(g) * job.accStride;
        const T *pattern = job.pattern + static_cast<size_t>(g) * kh * S * L;
        const int end = std::min((job.ow + g) * S, job.needed);
        int x = g * S;
        // Four vectors at a time: four independent sums keep the multiply-adds overlapping.
        for (; x + 4 * L <= end; x += 4 * L) {
            const int r0 = x % S;
            const int r1 = (x + L) % S;
            const int r2 = (x + 2 * L) % S;
            const int r3 = (x + 3 * L) % S;
            V s0 = {}, s1 = {}, s2 = {}, s3 = {};
            for (int a = 0; a < kh; ++a) {
                const T *in = job.rows[a] + x;
                const T *p = pattern + static_cast<size_t>(a) * S * L;
                V w;
                V v;
                loadVector(w, p + r0 * L);
                loadVector(v, in);
                s0 += w * v;
                loadVector(w, p + r1 * L);
                loadVector(v, in + L);
                s1 += w * v;
                loadVector(w, p + r2 * L);
                loadVector(v, in + 2 * L);
                s2 += w * v;
                loadVector(w, p + r3 * L);
                loadVector(v, in + 3 * L);
                s3 += w * v;
            }
            store(acc + x, s0);
            store(acc + x + L, s1);
            store(acc + x + 2 * L, s2);
            store(acc + x + 3 * L, s3);
        }
        for (; x + L <= end; x += L) {
            V s0 = {};
            for (int a = 0; a < kh; ++a) {
                V w;
                V v;
                loadVector(w, pattern + (static_cast<size_t>(a) * S + x % S) * L);
                loadVector(v, job.rows[a] + x);
                s0 += w * v;
            }
            store(acc + x, s0);
        }
        for (; x < end; ++x) {
            T sum = 0;
            for (int a = 0; a < kh; ++a)
                sum += pattern[(static_cast<size_t>(a) * S + x % S) * L] * job.rows[a][x];
            acc[x] = sum;
        }
    }
    for (int g = 0; g < job.groups; ++g) {
        const T *acc = job.acc + static_cast<size_t>(g) * job.accStride + g * S;
        const int c = std::min(S, job.kw - g * S);
        switch (c) {
        case 1: reduceGroup<T, S, 1>(acc, job.ow, g == 0, job.out); break;
        case 2: reduceGroup<T, S, 2>(acc, job.ow, g == 0, job.out); break;
        case 3:
            if constexpr (S > 2)
                reduceGroup<T, S, 3>(acc, job.ow, g == 0, job.out);
            break;
        default:
            if constexpr (S > 3)
                reduceGroup<T, S, 4>(acc, job.ow, g == 0, job.out);
            break;
        }
    }
}

template <typename T>
struct Kit {
    using Row = void (*)(const T *const *, const T *, int, int, T *);
    using Split = void (*)(const T *, int, T *const *);
    using Pair = void (*)(const PairTaps<T> &, int, T *, T *);
    Row row;
    Pair pair;
    Split split2;
    Split split3;
    Split split4;
    using Grouped = void (*)(const GroupedRow<T> &);
    Grouped grouped2;
    Grouped grouped3;
    Grouped grouped4;
    int lanes; ///< vector lanes of this variant, which the grouped pattern is laid out for
};

template <typename T>
void rowPlain(const T *const *src, const T *w, int taps, int n, T *out)
{
    rowKernel<T, 16>(src, w, taps, n, out);
}

// The plain variant runs 16-byte vectors, so its blocks are half as wide: n is still enough.
template <typename T>
void pairPlain(const PairTaps<T> &taps, int n, T *outA, T *outB)
{
    pairKernel<T, 16>(taps, n, outA, outB);
}

template <typename T, int S>
void groupedPlain(const GroupedRow<T> &job)
{
    groupedKernel<T, 16, S>(job);
}

template <typename T, int S>
void splitPlain(const T *row, int len, T *const *phases)
{
    splitBody<T, S, 16>(row, len, phases);
}

#ifdef PADLAB_X86_DISPATCH
template <typename T>
[[gnu::target("avx2,fma")]] void rowAvx2(const T *const *src, const T *w, int taps, int n, T *out)
{
    rowKernel<T, 32>(src, w, taps, n, out);
}

template <typename T>
[[gnu::target("avx2,fma")]] void pairAvx2(const PairTaps<T> &taps, int n, T *outA, T *outB)
{
    pairKernel<T, 32>(taps, n, outA, outB);
}

template <typename T, int S>
[[gnu::target("avx2,fma")]] void groupedAvx2(const GroupedRow<T> &job)
{
    groupedKernel<T, 32, S>(job);
}

template <typename T, int S>
[[gnu::target("avx2,fma")]] void splitAvx2(const T *row, int len, T *const *phases)
{
    splitBody<T, S, 32>(row, len, phases);
}

bool hasAvx2Fma()
{
    static const bool yes = !portableForced() && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return yes;
}
#endif

// The fastest variant the CPU runs, picked at run time so the build stays portable.
template <typename T>
Kit<T> kit()
{
#ifdef PADLAB_X86_DISPATCH
    if (hasAvx2Fma())
        return {rowAvx2<T>,         pairAvx2<T>,         splitAvx2<T, 2>,
                splitAvx2<T, 3>,    splitAvx2<T, 4>,     groupedAvx2<T, 2>,
                groupedAvx2<T, 3>,  groupedAvx2<T, 4>,   Vector<T, 32>::lanes};
#endif
    return {rowPlain<T>,        pairPlain<T>,        splitPlain<T, 2>,
            splitPlain<T, 3>,   splitPlain<T, 4>,    groupedPlain<T, 2>,
            groupedPlain<T, 3>, groupedPlain<T, 4>,  Vector<T, 16>::lanes};
}

// The elements phase, phase + sx, phase + 2*sx, ... of a row, whole elements of cn channels.
template <typename T>
void gather(const T *row, int phase, int sx, int cn, int from, int to, T *dst)
{
    for (int m = from; m < to; ++m) {
        const T *p = row + (static_cast<size_t>(m) * sx + phase) * cn;
        for (int c = 0; c < cn; ++c)
            dst[static_cast<size_t>(m) * cn + c] = p[c];
    }
}

/// Reports progress between bands of output rows of about kBandWork multiply-adds each (a
/// millisecond or so), so that asking costs nothing next to the work.
class Bands {
public:
    Bands(const Progress &progress, int rows, long long workPerRow)
        : m_progress(progress), m_rows(rows),
          m_band(static_cast<int>(std::clamp<long long>(kBandWork / std::max(workPerRow, 1LL), 1, std::max(rows, 1))))
    {
    }
    /// Called before output row @p row is computed.
    void at(long long row)
    {
        if (m_progress && row >= m_next) {
            reportProgress(m_progress, static_cast<double>(row) / m_rows);
            m_next = row + m_band;
        }
    }

private:
    static constexpr long long kBandWork = 1LL << 22;
    const Progress &m_progress;
    int m_rows;
    int m_band;
    long long m_next = 0;
};

template <typename T>
void correlateGrouped(const cv::Mat &padded, const std::vector<T> &weights, int kh, int kw,
                      int sy, int sx, int dy, const Kit<T> &kernels, cv::Mat &out, Bands &bands)
{
    const int groups = (kw - 1) / sx + 1;
    const int lanes = kernels.lanes;
    // The weight each lane sees, for every start column modulo sx; zero where a group has no tap.
    std::vector<T> pattern(static_cast<size_t>(groups) * kh * sx * lanes, T(0));
    for (int g = 0; g < groups; ++g)
        for (int a = 0; a < kh; ++a)
            for (int r = 0; r < sx; ++r)
                for (int l = 0; l < lanes; ++l) {
                    const int b = g * sx + (r + l) % sx;
                    if (b < kw)
                        pattern[((static_cast<size_t>(g) * kh + a) * sx + r) * lanes + l]
                            = weights[a * kw + b];
                }
    const size_t accStride = static_cast<size_t>(out.cols + groups) * sx;
    std::vector<T> acc(accStride * groups);
    std::vector<const T *> rows(kh);
    const typename Kit<T>::Grouped run = sx == 2   ? kernels.grouped2
                                         : sx == 3 ? kernels.grouped3
                                                   : kernels.grouped4;
    GroupedRow<T> job{rows.data(), kh, pattern.data(), groups, kw, (out.cols - 1) * sx + kw,
                      out.cols, acc.data(), accStride, nullptr};
    for (int i = 0; i < out.rows; ++i) {
        bands.at(i);
        for (int a = 0; a < kh; ++a)
            rows[a] = padded.ptr<T>(i * sy + a * dy);
        job.out = out.ptr<T>(i);
        run(job);
    }
}

template <typename T>
void correlateTyped(const cv::Mat &padded, const cv::Mat *ws, cv::Mat *outs, int count, int sy, int sx,
                    int dy, int dx, const Progress &progress, const cv::Mat &used)
{
    const int cn = padded.channels();
    const cv::Mat &out = outs[0]; // every output has its size
    const int kh = ws[0].rows;
    const int kw = ws[0].cols;
    const int taps = kh * kw;
    const int n = out.cols * cn;
    // Kernel f's weights at f*taps + a*kw + b.
    std::vector<T> weights(static_cast<size_t>(taps) * count);
    for (int f = 0; f < count; ++f)
        for (int a = 0; a < kh; ++a)
            for (int b = 0; b < kw; ++b)
                weights[static_cast<size_t>(f) * taps + a * kw + b] = ws[f].at<T>(a, b);
    std::vector<unsigned char> isTapAt(static_cast<size_t>(taps), 1);
    if (!used.empty())
        for (int a = 0; a < kh; ++a)
            for (int b = 0; b < kw; ++b)
                isTapAt[static_cast<size_t>(a) * kw + b] = used.at<uchar>(a, b) != 0;
    const auto isTap = [&](int a, int b) { return isTapAt[static_cast<size_t>(a) * kw + b] != 0; };
    const Kit<T> kernels = kit<T>();
    Bands bands(progress, out.rows, static_cast<long long>(n) * taps * count);

    // Narrow kernels at strides 2 to 4: the grouped form splits nothing (see GroupedRow). Its
    // strided reads happen once per column group and output row; the split's once per input row
    // read, that is sy times per output row (kh when rows are skipped). Measured, the grouped
    // form wins when it does at most half as many.
    const int columnGroups = (kw - 1) / sx + 1; // ceil(kw / sx), for any stride
    const long long eh = static_cast<long long>(dy) * (kh - 1) + 1;
    if (cn == 1 && dx == 1 && sx >= 2 && sx <= 4 && 2LL * columnGroups <= (sy < eh ? sy : kh)) {
        for (int f = 0; f < count; ++f) {
            const std::vector<T> one(weights.begin() + static_cast<std::ptrdiff_t>(f) * taps,
                                     weights.begin() + static_cast<std::ptrdiff_t>(f + 1) * taps);
            correlateGrouped(padded, one, kh, kw, sy, sx, dy, kernels, outs[f], bands);
        }
        reportProgress(progress, 1.0);
        return;
    }

    // Output rows i and i + m read input rows m*sy apart; when that is a whole number delta of
    // dilated kernel rows below kh, the two windows share kh - delta input rows. (m*sy is the
    // least common multiple of sy and dy, which may pass 2^31.)
    const long long lcm = static_cast<long long>(dy / std::gcd(sy, dy)) * sy;
    const bool pairs = lcm / dy < kh && n >= pairWidth<T>;
    const int m = pairs ? static_cast<int>(lcm / sy) : 1;
    const int delta = pairs ? static_cast<int>(lcm / dy) : 0;
    const int rowsRead = pairs ? kh + delta : kh;

    // Strides 2 to 4 of one channel split every phase in one pass: whole groups of sx elements
    // up to the longest phase, the few elements after them one by one.
    typename Kit<T>::Split split = nullptr;
    if (cn == 1 && sx > 1)
        split = sx == 2   ? kernels.split2
                : sx == 3 ? kernels.split3
                : sx == 4 ? kernels.split4
                          : nullptr;
    // Column phases (strides above 1): kernel column b reads element j + shift of its phase (the
    // elements phase, phase + sx, ...), so each phase is a stride-1 correlation on a contiguous
    // copy. Only the phases some kernel column reads get a slot, at most kw of them however
    // large the stride; the one-pass splitters fill all sx of theirs.
    std::vector<int> slotPhase;
    if (split) {
        slotPhase.resize(static_cast<size_t>(sx));
        std::iota(slotPhase.begin(), slotPhase.end(), 0);
    } else if (sx > 1) {
        for (int b = 0; b < kw; ++b)
            slotPhase.push_back(static_cast<int>(static_cast<long long>(b) * dx % sx));
        std::sort(slotPhase.begin(), slotPhase.end());
        slotPhase.erase(std::unique(slotPhase.begin(), slotPhase.end()), slotPhase.end());
    }
    const size_t slots = slotPhase.size();
    std::vector<size_t> slotOf(kw, 0);
    std::vector<int> length(slots, 0);
    for (int b = 0; b < kw && sx > 1; ++b) {
        const long long reach = static_cast<long long>(b) * dx;
        slotOf[b] = static_cast<size_t>(
            std::lower_bound(slotPhase.begin(), slotPhase.end(), static_cast<int>(reach % sx)) - slotPhase.begin());
        length[slotOf[b]] = std::max(length[slotOf[b]], out.cols + static_cast<int>(reach / sx));
    }
    const int longest = slots == 0 ? 0 : *std::max_element(length.begin(), length.end());
    const int splitGroups = std::min(longest, padded.cols / sx);
    std::vector<size_t> offset(slots, 0);
    size_t slotSize = 0;
    for (size_t p = 0; p < slots; ++p) {
        offset[p] = slotSize;
        slotSize += static_cast<size_t>(split ? longest : length[p]) * cn;
    }
    // Where kernel column b's source starts within a row's data.
    std::vector<size_t> column(kw);
    for (int b = 0; b < kw; ++b) {
        const long long reach = static_cast<long long>(b) * dx;
        column[b] = sx == 1 ? static_cast<size_t>(reach) * cn
                            : offset[slotOf[b]] + static_cast<size_t>(reach / sx) * cn;
    }

    // Each row read is split into its phases once and kept while windows read it. The rows read
    // for one output row (or pair) lie dy apart within `span` rows, so slot r % span never holds
    // two of them; where dilation makes the span long, rows are keyed by r / dy instead, which
    // is consecutive for them, and rowsRead slots suffice.
    const long long span = static_cast<long long>(dy) * (rowsRead - 1) + 1;
    const bool byDilation = span > 2LL * rowsRead;
    const int cacheRows = sx == 1 ? 0 : byDilation ? rowsRead : static_cast<int>(span);
    std::vector<T> cache(static_cast<size_t>(cacheRows) * slotSize);
    std::vector<int> cached(static_cast<size_t>(cacheRows), -1);
    std::vector<T *> phases(slots);
    const auto rowData = [&](int r) -> const T * {
        if (sx == 1)
            return padded.ptr<T>(r);
        const size_t slot = byDilation ? static_cast<size_t>((r / dy) % rowsRead) : static_cast<size_t>(r % span);
        T *base = cache.data() + slot * slotSize;
        if (cached[slot] != r) {
            const T *in = padded.ptr<T>(r);
            for (size_t p = 0; p < slots; ++p)
                phases[p] = base + offset[p];
            const int done = split ? splitGroups : 0;
            if (split)
                split(in, splitGroups, phases.data());
            for (size_t p = 0; p < slots; ++p)
                gather(in, slotPhase[p], sx, cn, done, length[p], phases[p]);
            cached[slot] = r;
        }
        return base;
    };

    // The taps of one output row, in kernel order; kernel f's from f*kept on. Every kernel reads
    // the same cells, so their pointers are found once for all of them.
    int kept = 0;
    for (int t = 0; t < taps; ++t)
        kept += isTapAt[static_cast<size_t>(t)];
    std::vector<T> rowWeights;
    rowWeights.reserve(static_cast<size_t>(kept) * count);
    for (int f = 0; f < count; ++f)
        for (int a = 0; a < kh; ++a)
            for (int b = 0; b < kw; ++b)
                if (isTap(a, b))
                    rowWeights.push_back(weights[static_cast<size_t>(f) * taps + a * kw + b]);
    std::vector<const T *> src(static_cast<size_t>(rowsRead) * kw);
    const auto single = [&](int i) {
        size_t t = 0;
        for (int a = 0; a < kh; ++a) {
            const T *data = rowData(i * sy + a * dy);
            for (int b = 0; b < kw; ++b)
                if (isTap(a, b))
                    src[t++] = data + column[b];
        }
        for (int f = 0; f < count; ++f)
            kernels.row(src.data(), rowWeights.data() + static_cast<size_t>(f) * kept, kept, n, outs[f].ptr<T>(i));
    };
    if (!pairs) {
        for (int i = 0; i < out.rows; ++i) {
            bands.at(i);
            single(i);
        }
        reportProgress(progress, 1.0);
        return;
    }

    // Kernel row u of the pair's window reads input row i*sy + u*dy: the first row's taps are
    // u < kh, the second's are u >= delta.
    // Where each (u, b) goes: 0 nowhere (a hole in both rows' kernels), 1 shared, 2 the first
    // row only, 3 the second only.
    // Each kernel's lists follow one another, in the same order.
    std::vector<unsigned char> role(static_cast<size_t>(rowsRead) * kw, 0);
    std::vector<T> sharedA;
    std::vector<T> sharedB;
    std::vector<T> weightA;
    std::vector<T> weightB;
    for (int f = 0; f < count; ++f) {
        const T *wf = weights.data() + static_cast<size_t>(f) * taps;
        for (int u = 0; u < rowsRead; ++u) {
            for (int b = 0; b < kw; ++b) {
                const bool inA = u < kh && isTap(u, b);
                const bool inB = u >= delta && isTap(u - delta, b);
                unsigned char &r = role[static_cast<size_t>(u) * kw + b];
                if (inA && inB) {
                    sharedA.push_back(wf[u * kw + b]);
                    sharedB.push_back(wf[(u - delta) * kw + b]);
                    r = 1;
                } else if (inA) {
                    weightA.push_back(wf[u * kw + b]);
                    r = 2;
                } else if (inB) {
                    weightB.push_back(wf[(u - delta) * kw + b]);
                    r = 3;
                }
            }
        }
    }
    const size_t nShared = sharedA.size() / static_cast<size_t>(count);
    const size_t nA = weightA.size() / static_cast<size_t>(count);
    const size_t nB = weightB.size() / static_cast<size_t>(count);
    std::vector<const T *> shared(nShared);
    std::vector<const T *> onlyA(nA);
    std::vector<const T *> onlyB(nB);
    std::vector<PairTaps<T>> pairTaps;
    for (int f = 0; f < count; ++f)
        pairTaps.push_back({shared.data(), sharedA.data() + f * nShared, sharedB.data() + f * nShared,
                            static_cast<int>(nShared), onlyA.data(), weightA.data() + f * nA, static_cast<int>(nA),
                            onlyB.data(), weightB.data() + f * nB, static_cast<int>(nB)});
    // Rows go in pairs (i, i + m): for m = 2 that is (0, 2), (1, 3), (4, 6), (5, 7), ...
    for (long long first = 0; first < out.rows; first += 2LL * m) {
        bands.at(first);
        for (int q = 0; q < m && first + q < out.rows; ++q) {
            const int i = static_cast<int>(first) + q;
            if (i + static_cast<long long>(m) >= out.rows) {
                single(i);
                continue;
            }
            // Every row is fetched before any pointer is taken: the cache holds them all.
            for (int u = 0; u < rowsRead; ++u)
                rowData(i * sy + u * dy);
            size_t s = 0;
            size_t a = 0;
            size_t c = 0;
            for (int u = 0; u < rowsRead; ++u) {
                const T *data = rowData(i * sy + u * dy);
                for (int b = 0; b < kw; ++b) {
                    const T *p = data + column[b];
                    switch (role[static_cast<size_t>(u) * kw + b]) {
                    case 1:
                        shared[s++] = p;
                        break;
                    case 2:
                        onlyA[a++] = p;
                        break;
                    case 3:
                        onlyB[c++] = p;
                        break;
                    default:
                        break;
                    }
                }
            }
            for (int f = 0; f < count; ++f)
                kernels.pair(pairTaps[static_cast<size_t>(f)], n, outs[f].ptr<T>(i), outs[f].ptr<T>(i + m));
        }
    }
    reportProgress(progress, 1.0);
}

} // namespace

void correlateDirect(const cv::Mat &padded, const cv::Mat &w, int sy, int sx, int dy, int dx,
                     cv::Mat &out, const Progress &progress)
{
    if (padded.depth() == CV_32F)
        correlateTyped<float>(padded, &w, &out, 1, sy, sx, dy, dx, progress, cv::Mat());
    else
        correlateTyped<double>(padded, &w, &out, 1, sy, sx, dy, dx, progress, cv::Mat());
}

void correlateDirect(const cv::Mat &padded, const cv::Mat *w, cv::Mat *out, int count, int sy, int sx, int dy,
                     int dx, const cv::Mat &taps)
{
    if (count <= 0)
        return;
    if (padded.depth() == CV_32F)
        correlateTyped<float>(padded, w, out, count, sy, sx, dy, dx, {}, taps);
    else
        correlateTyped<double>(padded, w, out, count, sy, sx, dy, dx, {}, taps);
}

bool portableForced()
{
    static const bool forced = [] {
        const char *value = std::getenv("PADLAB_PORTABLE");
        return value != nullptr && std::string_view(value) == "1";
    }();
    return forced;
}

} // namespace padlab::core::detail

// Engine speed against OpenCV on the same input, single-threaded on both sides.
//
// Each case is one benchmark that runs the engine and its OpenCV peer alternately, timing every
// call with the thread's CPU clock and keeping each side's fastest call: both sides meet the
// same machine conditions, and the fastest call is the one least disturbed by other work. After
// the runs a table prints time(engine) / time(OpenCV) per case with the target it must meet:
//   conv stride 1      engine <= 1.1 x filter2D
//   conv stride s >= 2 engine <= (2 / s^2) x (filter2D, then every s-th row and column kept)
//                      for kernels up to 9x9; <= 1.0 x for larger kernels
//   conv dilation 2    engine <= 1.0 x filter2D with the zero-stuffed kernel
//   pad                engine <= 1.2 x copyMakeBorder with the matching border type
// The convolution peers compute exactly the engine's cells from the same padded matrix:
// filter2D runs on its top-left ROI of the stride-1 output's size with anchor (0, 0) and a
// non-isolated border, so the cells right of and below the ROI come from the padded matrix
// itself. On a ROI filter2D always takes its direct (non-DFT) path, which on this kind of
// machine is also faster than the DFT path it would take on the whole matrix for kernels of
// 130 taps and more. Both sides return a fresh matrix per call, as the engine's API does; the
// peer's full-size stride-1 intermediate is reused, which favours OpenCV. The engine asks for
// huge pages for outputs of 8 MiB and more, which is why it fills 12 MP outputs faster.
// OpenCV runs on one thread (cv::setNumThreads(1)): the times are the calling thread's CPU time,
// which would not count work handed to other threads.
#include "padlab/core/convolve.h"
#include "padlab/core/pad.h"

#include <benchmark/benchmark.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace {

using padlab::core::Fill;

struct ImageSize {
    const char *name;
    int rows;
    int cols;
};

constexpr ImageSize k1MP{"1MP", 1000, 1000};
constexpr ImageSize k12MP{"12MP", 3000, 4000};

// Some hundred calls of each side for a 1 MP case, a fixed few for a 12 MP one (a time budget
// would give the slowest cases a single call); the whole run takes a minute or two.
constexpr double kMinTime = 0.3;
constexpr int k12MPCalls = 5;

// One matrix per size, made once: 12 MP of random numbers takes a while.
const cv::Mat &randomMatrix(int rows, int cols)
{
    static std::map<std::pair<int, int>, cv::Mat> cache;
    cv::Mat &m = cache[{rows, cols}];
    if (m.empty()) {
        m.create(rows, cols, CV_32F);
        cv::RNG rng(rows * 7919 + cols);
        rng.fill(m, cv::RNG::UNIFORM, 0.0f, 255.0f);
    }
    return m;
}

cv::Mat randomKernel(int k)
{
    cv::Mat w(k, k, CV_32F);
    cv::RNG rng(k);
    rng.fill(w, cv::RNG::UNIFORM, 0.5f, 1.5f); // no zero taps that filter2D could skip
    return w;
}

// The kernel with dilation - 1 zeros between taps, as filter2D needs it for a dilated kernel.
cv::Mat zeroStuffed(const cv::Mat &w, int dilation)
{
    cv::Mat z = cv::Mat::zeros(dilation * (w.rows - 1) + 1, dilation * (w.cols - 1) + 1, w.type());
    for (int a = 0; a < w.rows; ++a)
        for (int b = 0; b < w.cols; ++b)
            z.at<float>(a * dilation, b * dilation) = w.at<float>(a, b);
    return z;
}

// filter2D computing the engine's stride-1 cells (see the file comment).
void filter2DValid(const cv::Mat &padded, const cv::Mat &w, int outRows, int outCols, cv::Mat &out)
{
    cv::filter2D(padded(cv::Rect(0, 0, outCols, outRows)), out, -1, w, cv::Point(0, 0), 0,
                 cv::BORDER_CONSTANT);
}

cv::Mat subsample(const cv::Mat &full, int stride)
{
    cv::Mat out((full.rows - 1) / stride + 1, (full.cols - 1) / stride + 1, CV_32F);
    for (int i = 0; i < out.rows; ++i) {
        const float *in = full.ptr<float>(i * stride);
        float *o = out.ptr<float>(i);
        for (int j = 0; j < out.cols; ++j)
            o[j] = in[j * stride];
    }
    return out;
}

int borderType(Fill fill)
{
    switch (fill) {
    case Fill::Zeros:
    case Fill::Constant: return cv::BORDER_CONSTANT;
    case Fill::Reflect: return cv::BORDER_REFLECT_101;
    case Fill::Symmetric: return cv::BORDER_REFLECT;
    case Fill::Replicate: return cv::BORDER_REPLICATE;
    case Fill::Circular: return cv::BORDER_WRAP;
    }
    return cv::BORDER_CONSTANT;
}

double threadSeconds()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

// One comparison: the engine's call, OpenCV's call, both returning the matrix they made.
struct Case {
    std::string group;
    std::string label;
    double limit = 1.0;
    std::function<cv::Mat()> engine;
    std::function<cv::Mat()> peer;
    // One pass reading the input, for the strided cases: no method that reads its input can be
    // faster, so floorBest / peerBest is the lowest ratio any engine could reach.
    std::function<cv::Mat()> floor;
    double engineBest = std::numeric_limits<double>::infinity();
    double peerBest = std::numeric_limits<double>::infinity();
    double floorBest = std::numeric_limits<double>::infinity();
    bool disagree = false;
};

std::vector<Case> &cases()
{
    static std::vector<Case> all;
    return all;
}

// The two results must hold the same cells, or the timing compares different work.
bool sameCells(const cv::Mat &a, const cv::Mat &b)
{
    if (a.size() != b.size() || a.type() != b.type())
        return false;
    return cv::norm(a, b, cv::NORM_INF) <= 1e-3 * std::max(1.0, cv::norm(b, cv::NORM_INF));
}

double timed(const std::function<cv::Mat()> &call)
{
    const double start = threadSeconds();
    const cv::Mat result = call();
    benchmark::DoNotOptimize(result.data);
    return threadSeconds() - start;
}

void runCase(benchmark::State &state, size_t index)
{
    Case &c = cases()[index];
    if (!sameCells(c.engine(), c.peer())) {
        c.disagree = true;
        state.SkipWithError("the engine and OpenCV disagree");
        return;
    }
    bool engineFirst = true;
    for (auto _ : state) {
        // Alternating the order keeps either side from always finding the caches the other left.
        if (engineFirst) {
            c.engineBest = std::min(c.engineBest, timed(c.engine));
            c.peerBest = std::min(c.peerBest, timed(c.peer));
        } else {
            c.peerBest = std::min(c.peerBest, timed(c.peer));
            c.engineBest = std::min(c.engineBest, timed(c.engine));
        }
        engineFirst = !engineFirst;
        if (c.floor)
            c.floorBest = std::min(c.floorBest, timed(c.floor));
    }
    state.counters["engine_ms"] = c.engineBest * 1e3;
    state.counters["opencv_ms"] = c.peerBest * 1e3;
    state.counters["ratio"] = c.engineBest / c.peerBest;
    state.counters["target"] = c.limit;
}

void addCase(Case c, bool large)
{
    const size_t index = cases().size();
    const std::string name = c.label;
    cases().push_back(std::move(c));
    auto *b = benchmark::RegisterBenchmark(
        name.c_str(), [index](benchmark::State &state) { runCase(state, index); });
    b->Unit(benchmark::kMillisecond);
    if (large)
        b->Iterations(k12MPCalls);
    else
        b->MinTime(kMinTime);
}

void addConvolution(const ImageSize &size, int k, int stride, int dilation, double limit,
                    const std::string &group)
{
    const int e = dilation * (k - 1) + 1;
    const int paddedRows = size.rows + e - 1;
    const int paddedCols = size.cols + e - 1;
    Case c;
    c.group = group;
    c.label = "conv " + std::string(size.name) + " k" + std::to_string(k) + " s"
              + std::to_string(stride) + " d" + std::to_string(dilation);
    c.limit = limit;
    const cv::Mat kernel = randomKernel(k);
    c.engine = [=] {
        return padlab::core::convolvePadded(randomMatrix(paddedRows, paddedCols), kernel,
                                            {stride, stride}, {dilation, dilation});
    };
    const cv::Mat stuffed = zeroStuffed(kernel, dilation);
    auto full = std::make_shared<cv::Mat>();
    c.peer = [=] {
        const cv::Mat &padded = randomMatrix(paddedRows, paddedCols);
        if (stride == 1) {
            cv::Mat out;
            filter2DValid(padded, stuffed, size.rows, size.cols, out);
            return out;
        }
        filter2DValid(padded, stuffed, size.rows, size.cols, *full);
        return subsample(*full, stride);
    };
    if (stride > 1) {
        c.floor = [=] {
            const cv::Scalar total = cv::sum(randomMatrix(paddedRows, paddedCols));
            return cv::Mat(1, 1, CV_64F, cv::Scalar(total[0]));
        };
    }
    addCase(std::move(c), size.rows * size.cols > k1MP.rows * k1MP.cols);
}

void addPad(const ImageSize &size, Fill fill, int p)
{
    const double value = fill == Fill::Constant ? 3.5 : 0.0;
    Case c;
    c.group = "pad: <= 1.2 x copyMakeBorder";
    c.label = "pad " + std::string(size.name) + " " + std::string(padlab::core::fillName(fill))
              + " " + std::to_string(p);
    c.limit = 1.2;
    c.engine = [=] {
        return padlab::core::pad(randomMatrix(size.rows, size.cols), {p, p, p, p}, fill, value);
    };
    c.peer = [=] {
        cv::Mat out;
        cv::copyMakeBorder(randomMatrix(size.rows, size.cols), out, p, p, p, p, borderType(fill),
                           cv::Scalar::all(value));
        return out;
    };
    addCase(std::move(c), size.rows * size.cols > k1MP.rows * k1MP.cols);
}

void registerAll()
{
    const int kernels[] = {3, 5, 9, 15};
    for (const ImageSize &size : {k1MP, k12MP})
        for (int k : kernels)
            addConvolution(size, k, 1, 1, 1.1, "conv stride 1: <= 1.1 x filter2D");
    for (const ImageSize &size : {k1MP, k12MP})
        for (int s : {2, 3, 4}) {
            if (s == 4 && size.rows != k1MP.rows)
                continue;
            for (int k : kernels)
                addConvolution(size, k, s, 1, k <= 9 ? 2.0 / (s * s) : 1.0,
                               "conv stride s: <= 2/s^2 x (filter2D + subsample) up to 9x9, "
                               "<= 1.0 x above");
        }
    for (const ImageSize &size : {k1MP, k12MP})
        for (int k : kernels)
            addConvolution(size, k, 1, 2, 1.0,
                           "conv dilation 2: <= 1.0 x filter2D with the zero-stuffed kernel");
    for (Fill fill : padlab::core::allFills())
        for (int p : {1, 7, 50})
            addPad(k1MP, fill, p);
    for (Fill fill : padlab::core::allFills())
        addPad(k12MP, fill, 7);
}

int printSummary()
{
    int failed = 0;
    int notRun = 0;
    std::string group;
    std::printf("\nRatios: engine time / OpenCV time, fastest call of each (lower is faster; "
                "pass when <= target).\nfloor: one read of the padded input (cv::sum) / OpenCV "
                "time, the lowest ratio reachable by reading the input once.\n");
    std::printf("%-24s %11s %11s %8s %8s %8s  %s\n", "case", "engine ms", "opencv ms", "ratio",
                "target", "floor", "result");
    for (const Case &c : cases()) {
        if (c.disagree) {
            ++failed;
            std::printf("%-24s the engine and OpenCV disagree: FAIL\n", c.label.c_str());
            continue;
        }
        if (c.engineBest == std::numeric_limits<double>::infinity()) {
            ++notRun;
            continue;
        }
        if (c.group != group) {
            group = c.group;
            std::printf("-- %s\n", group.c_str());
        }
        const double ratio = c.engineBest / c.peerBest;
        const bool pass = ratio <= c.limit;
        failed += pass ? 0 : 1;
        const double floor = c.floor ? c.floorBest / c.peerBest : 0.0;
        std::printf("%-24s %11.3f %11.3f %8.3f %8.3f %8s  %s%s\n", c.label.c_str(),
                    c.engineBest * 1e3, c.peerBest * 1e3, ratio, c.limit,
                    c.floor ? cv::format("%.3f", floor).c_str() : "-", pass ? "pass" : "FAIL",
                    c.floor && floor > c.limit ? " (target below the floor)" : "");
    }
    std::printf("%d of %d ratios miss their target", failed,
                static_cast<int>(cases().size()) - notRun);
    if (notRun > 0)
        std::printf(" (%d cases filtered out)", notRun);
    std::printf("\n");
    return failed;
}

} // namespace

int main(int argc, char **argv)
{
    std::printf("OpenCV threads: %d by default; both sides run on 1\n", cv::getNumThreads());
    cv::setNumThreads(1);
    registerAll();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return printSummary() == 0 ? 0 : 1;
}

// Engine speed against OpenCV on the same padded input, single-threaded on both sides.
//
// Every case runs the engine and its OpenCV peer back to back on the same matrix; after the
// runs a table prints time(engine) / time(OpenCV) for each case with the target it must meet:
//   conv stride 1      engine <= 1.1 x filter2D
//   conv stride s >= 2 engine <= (2 / s^2) x (filter2D + keep every s-th row and column) for
//                      kernels up to 9x9, <= 1.0 x for larger kernels
//   conv dilation 2    engine <= 1.0 x filter2D with the zero-stuffed kernel
//   pad                engine <= 1.2 x copyMakeBorder with the matching border type
// The OpenCV peers compute exactly the engine's cells: filter2D runs on the padded matrix's
// top-left ROI of the stride-1 output's size with anchor (0, 0) and a non-isolated border, so the
// cells right of and below the ROI come from the padded matrix itself, as in the engine.
// Times are CPU time per iteration; with --benchmark_repetitions=N the table uses each
// benchmark's fastest repetition, which is the least disturbed by other work on the machine.
#include "padlab/core/convolve.h"
#include "padlab/core/pad.h"

#include <benchmark/benchmark.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace {

using padlab::core::Fill;
using padlab::core::PerAxis;

struct ImageSize {
    const char *name;
    int rows;
    int cols;
};

constexpr ImageSize k1MP{"1MP", 1000, 1000};
constexpr ImageSize k12MP{"12MP", 3000, 4000};
// Long enough for a steady figure, short enough for the whole run to take about two minutes.
constexpr double kMinTime = 0.15;

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

void subsample(const cv::Mat &full, int stride, cv::Mat &out)
{
    out.create((full.rows - 1) / stride + 1, (full.cols - 1) / stride + 1, CV_32F);
    for (int i = 0; i < out.rows; ++i) {
        const float *in = full.ptr<float>(i * stride);
        float *o = out.ptr<float>(i);
        for (int j = 0; j < out.cols; ++j)
            o[j] = in[j * stride];
    }
}

// A benchmark pair and the target its ratio must meet.
struct Pair {
    std::string group;
    std::string label;
    std::string engine;
    std::string peer;
    double limit;
};

std::vector<Pair> &pairs()
{
    static std::vector<Pair> all;
    return all;
}

// The engine and filter2D must agree, or the timing means nothing.
bool sameCells(const cv::Mat &a, const cv::Mat &b)
{
    if (a.size() != b.size() || a.type() != b.type())
        return false;
    return cv::norm(a, b, cv::NORM_INF) <= 1e-3 * std::max(1.0, cv::norm(b, cv::NORM_INF));
}

void addConvolution(const ImageSize &size, int k, int stride, int dilation, double limit,
                    const std::string &group)
{
    const int e = dilation * (k - 1) + 1;
    const int paddedRows = size.rows + e - 1;
    const int paddedCols = size.cols + e - 1;
    const std::string label = std::string(size.name) + " k" + std::to_string(k) + " s"
                              + std::to_string(stride) + " d" + std::to_string(dilation);
    const std::string engine = "engine/" + label;
    const std::string peer = "opencv/" + label;

    benchmark::RegisterBenchmark(engine.c_str(), [=](benchmark::State &state) {
        const cv::Mat &padded = randomMatrix(paddedRows, paddedCols);
        const cv::Mat w = randomKernel(k);
        for (auto _ : state) {
            cv::Mat out = padlab::core::convolvePadded(padded, w, {stride, stride},
                                                       {dilation, dilation});
            benchmark::DoNotOptimize(out.data);
        }
    })->Unit(benchmark::kMillisecond)->MinTime(kMinTime);

    benchmark::RegisterBenchmark(peer.c_str(), [=](benchmark::State &state) {
        const cv::Mat &padded = randomMatrix(paddedRows, paddedCols);
        const cv::Mat w = zeroStuffed(randomKernel(k), dilation);
        const int outRows = paddedRows - e + 1;
        const int outCols = paddedCols - e + 1;
        cv::Mat full;
        {
            cv::Mat out;
            filter2DValid(padded, w, outRows, outCols, full);
            subsample(full, stride, out);
            const cv::Mat mine = padlab::core::convolvePadded(padded, randomKernel(k),
                                                              {stride, stride},
                                                              {dilation, dilation});
            if (!sameCells(mine, out)) {
                state.SkipWithError("the engine and filter2D disagree");
                return;
            }
        }
        // The result is a fresh matrix each time, as the engine's is; the full-size intermediate
        // of the strided case is reused, which favours OpenCV.
        for (auto _ : state) {
            cv::Mat out;
            if (stride == 1) {
                filter2DValid(padded, w, outRows, outCols, out);
            } else {
                filter2DValid(padded, w, outRows, outCols, full);
                subsample(full, stride, out);
            }
            benchmark::DoNotOptimize(out.data);
        }
    })->Unit(benchmark::kMillisecond)->MinTime(kMinTime);

    pairs().push_back({group, label, engine, peer, limit});
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

void addPad(Fill fill, int p)
{
    const std::string label = "1MP " + std::string(padlab::core::fillName(fill)) + " pad" + std::to_string(p);
    const std::string engine = "engine/pad " + label;
    const std::string peer = "opencv/pad " + label;
    const double value = fill == Fill::Constant ? 3.5 : 0.0;
    const padlab::core::Sides sides{p, p, p, p};

    benchmark::RegisterBenchmark(engine.c_str(), [=](benchmark::State &state) {
        const cv::Mat &input = randomMatrix(k1MP.rows, k1MP.cols);
        for (auto _ : state) {
            cv::Mat out = padlab::core::pad(input, sides, fill, value);
            benchmark::DoNotOptimize(out.data);
        }
    })->Unit(benchmark::kMicrosecond)->MinTime(kMinTime);

    benchmark::RegisterBenchmark(peer.c_str(), [=](benchmark::State &state) {
        const cv::Mat &input = randomMatrix(k1MP.rows, k1MP.cols);
        cv::Mat out;
        cv::copyMakeBorder(input, out, p, p, p, p, borderType(fill), cv::Scalar::all(value));
        if (!sameCells(padlab::core::pad(input, sides, fill, value), out)) {
            state.SkipWithError("pad and copyMakeBorder disagree");
            return;
        }
        for (auto _ : state) {
            // A fresh output each time, as the engine returns a new matrix each time.
            cv::Mat fresh;
            cv::copyMakeBorder(input, fresh, p, p, p, p, borderType(fill), cv::Scalar::all(value));
            benchmark::DoNotOptimize(fresh.data);
        }
    })->Unit(benchmark::kMicrosecond)->MinTime(kMinTime);

    pairs().push_back({"pad", label, engine, peer, 1.2});
}

// Keeps each benchmark's fastest CPU time per iteration while printing as usual.
class Collector : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run> &runs) override
    {
        for (const Run &run : runs) {
            if (run.run_type != Run::RT_Iteration || run.error_occurred)
                continue;
            const double seconds = run.GetAdjustedCPUTime()
                                   / benchmark::GetTimeUnitMultiplier(run.time_unit);
            auto [it, inserted] = m_best.try_emplace(run.run_name.function_name, seconds);
            if (!inserted)
                it->second = std::min(it->second, seconds);
        }
        ConsoleReporter::ReportRuns(runs);
    }

    double best(const std::string &name) const
    {
        const auto it = m_best.find(name);
        return it == m_best.end() ? std::numeric_limits<double>::quiet_NaN() : it->second;
    }

private:
    std::map<std::string, double> m_best;
};

int printSummary(const Collector &collector)
{
    int failed = 0;
    int missing = 0;
    std::string group;
    std::printf("\nRatios: engine time / OpenCV time (lower is faster; pass when <= target)\n");
    std::printf("%-28s %10s %10s %8s %8s  %s\n", "case", "engine ms", "opencv ms", "ratio",
                "target", "result");
    for (const Pair &pair : pairs()) {
        const double mine = collector.best(pair.engine);
        const double theirs = collector.best(pair.peer);
        if (mine != mine || theirs != theirs) {
            ++missing;
            continue;
        }
        if (pair.group != group) {
            group = pair.group;
            std::printf("-- %s\n", group.c_str());
        }
        const double ratio = mine / theirs;
        const bool pass = ratio <= pair.limit;
        failed += pass ? 0 : 1;
        std::printf("%-28s %10.3f %10.3f %8.3f %8.3f  %s\n", pair.label.c_str(), mine * 1e3,
                    theirs * 1e3, ratio, pair.limit, pass ? "pass" : "FAIL");
    }
    std::printf("%d of %d ratios miss their target", failed,
                static_cast<int>(pairs().size()) - missing);
    if (missing > 0)
        std::printf(" (%d cases not run or in error)", missing);
    std::printf("\n");
    return failed;
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
                               "<= 1 above");
        }
    for (const ImageSize &size : {k1MP, k12MP})
        for (int k : kernels)
            addConvolution(size, k, 1, 2, 1.0, "conv dilation 2: <= 1.0 x filter2D, stuffed kernel");
    for (Fill fill : padlab::core::allFills())
        for (int p : {1, 7, 50})
            addPad(fill, p);
}

} // namespace

int main(int argc, char **argv)
{
    std::printf("OpenCV threads: %d by default; both sides run with 1\n", cv::getNumThreads());
    cv::setNumThreads(1);
    registerAll();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    Collector collector;
    benchmark::RunSpecifiedBenchmarks(&collector);
    benchmark::Shutdown();
    return printSummary(collector) == 0 ? 0 : 1;
}

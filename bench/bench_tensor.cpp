// Tensor engine speed against OpenCV on the same input, in single precision on both sides.
//
// Each case is one benchmark that runs the engine and its peer alternately and keeps each
// side's fastest call (as bench_engine does). Single-threaded cases set cv::setNumThreads(1) for
// both sides and time the calling thread's CPU clock; all-core cases let both sides use every
// core and time the wall clock. After the runs a table prints time(engine) / time(peer) with the
// target it must meet:
//   multi-channel conv      engine <= 1.5 x cv::dnn Convolution   (3->16 and 16->16, 3x3 and 5x5,
//                                                                  512^2 and 2048^2, stride 1 and 2)
//   depthwise conv          engine <= 1.2 x cv::dnn Convolution with groups = channels
//   pooling                 engine <= 1.2 x cv::dnn Pooling
//   transposed conv         engine <= 2.0 x cv::dnn Deconvolution
//   3-D conv 16->16 3x3x3   engine <= 1.5 x the same sums done as cv::filter2D calls
//   all cores               engine on every core <= 1 / 1.7 x the engine on one (2048^2 cases)
// The same run also times plain work on one core and on all of them, with no target: a loop of
// multiply-adds in registers and a pass over memory as large as the 2048^2 tensors. They show
// how far the machine itself scales, which bounds what any engine's all-core ratio can reach
// (on a virtual machine sharing its host, memory seldom scales by 1.7).
// Every pair of results is compared first: the two sides compute the same cells. Both sides keep
// their output between calls (cv::dnn its blobs, the engine through its ...Into() calls, which
// reuse an output of the right shape); the engine pads as it reads and the filter2D peer starts
// from a padded input, which favours the peer.
#include "padlab/core/convt.h"
#include "padlab/core/pool.h"
#include "padlab/core/tensorconv.h"

#include <benchmark/benchmark.h>
#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace {

using namespace padlab::core;

// Calls per side: a few for the 2048^2 cases (a 16->16 5x5 call takes seconds on one core),
// more for the small ones.
constexpr int kLargeCalls = 3;
constexpr int kSmallCalls = 8;
// The all-core ratios compare two timings of the same machine, each as noisy as the host is:
// more calls, so that the fastest of each is the machine's and not its neighbours'.
constexpr int kScalingCalls = 12;

double threadSeconds()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

double wallSeconds()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// The tensor, filled once per shape and shared by both sides: a (C*H) x W matrix is also the
// memory of a 1 x C x H x W blob.
const Tensor &randomTensor(int channels, const std::vector<int> &spatial)
{
    static std::map<std::vector<int>, Tensor> cache;
    std::vector<int> key{channels};
    key.insert(key.end(), spatial.begin(), spatial.end());
    Tensor &t = cache[key];
    if (t.empty()) {
        t = Tensor(TensorShape{channels, spatial}, CV_32F);
        cv::Mat m = t.matrix();
        cv::RNG rng(static_cast<uint64_t>(channels) * 7919 + static_cast<uint64_t>(spatial.back()));
        rng.fill(m, cv::RNG::UNIFORM, -1.0f, 1.0f);
    }
    return t;
}

cv::Mat blobOf(const Tensor &t)
{
    std::vector<int> size{1, t.channels()};
    for (int s : t.shape().spatial)
        size.push_back(s);
    return cv::Mat(static_cast<int>(size.size()), size.data(), CV_32F, t.matrix().data);
}

TensorKernel randomKernel(const std::vector<int> &shape, uint64_t seed)
{
    TensorKernel k;
    k.shape = shape;
    size_t n = 1;
    for (int d : shape)
        n *= static_cast<size_t>(d);
    cv::RNG rng(seed);
    for (size_t i = 0; i < n; ++i)
        k.weights.push_back(rng.uniform(-1.0, 1.0));
    return k;
}

cv::Mat kernelBlob(const TensorKernel &k)
{
    cv::Mat m(static_cast<int>(k.shape.size()), k.shape.data(), CV_32F);
    for (size_t i = 0; i < k.weights.size(); ++i)
        m.ptr<float>()[i] = static_cast<float>(k.weights[i]);
    return m;
}

// The output cells as one 2-D matrix: (C*D*H) x W.
cv::Mat flat(const cv::Mat &blob)
{
    const int cols = blob.size[blob.dims - 1];
    return cv::Mat(static_cast<int>(blob.total() / static_cast<size_t>(cols)), cols, CV_32F, blob.data);
}

struct Case {
    std::string group;
    std::string label;
    double limit = 1.0; ///< NaN: no target, shown for information
    int engineThreads = 1; ///< 0: every core
    int peerThreads = 1;
    bool large = false;
    int calls = 0; ///< 0: as large or small cases
    std::function<cv::Mat()> engine;
    std::function<cv::Mat()> peer;
    double engineBest = std::numeric_limits<double>::infinity();
    double peerBest = std::numeric_limits<double>::infinity();
    bool disagree = false;
};

std::vector<Case> &cases()
{
    static std::vector<Case> all;
    return all;
}

int allThreads()
{
    static const int n = cv::getNumberOfCPUs();
    return n;
}

bool sameCells(const cv::Mat &a, const cv::Mat &b)
{
    if (a.size() != b.size())
        return false;
    return cv::norm(a, b, cv::NORM_INF) <= 1e-3 * std::max(1.0, cv::norm(b, cv::NORM_INF));
}

double timed(const std::function<cv::Mat()> &call, int threads, bool wall)
{
    cv::setNumThreads(threads == 0 ? allThreads() : threads);
    const double start = wall ? wallSeconds() : threadSeconds();
    const cv::Mat result = call();
    benchmark::DoNotOptimize(result.data);
    return (wall ? wallSeconds() : threadSeconds()) - start;
}

void runCase(benchmark::State &state, size_t index)
{
    Case &c = cases()[index];
    const bool wall = c.engineThreads != 1 || c.peerThreads != 1;
    {
        cv::setNumThreads(c.engineThreads == 0 ? allThreads() : c.engineThreads);
        const cv::Mat e = c.engine();
        cv::setNumThreads(c.peerThreads == 0 ? allThreads() : c.peerThreads);
        if (!sameCells(e, c.peer())) {
            c.disagree = true;
            state.SkipWithError("the engine and its peer disagree");
            return;
        }
    }
    bool engineFirst = true;
    for (auto _ : state) {
        if (engineFirst) {
            c.engineBest = std::min(c.engineBest, timed(c.engine, c.engineThreads, wall));
            c.peerBest = std::min(c.peerBest, timed(c.peer, c.peerThreads, wall));
        } else {
            c.peerBest = std::min(c.peerBest, timed(c.peer, c.peerThreads, wall));
            c.engineBest = std::min(c.engineBest, timed(c.engine, c.engineThreads, wall));
        }
        engineFirst = !engineFirst;
    }
    state.counters["engine_ms"] = c.engineBest * 1e3;
    state.counters["peer_ms"] = c.peerBest * 1e3;
    state.counters["ratio"] = c.engineBest / c.peerBest;
}

void addCase(Case c)
{
    const size_t index = cases().size();
    const std::string name = c.label;
    const int calls = c.calls > 0 ? c.calls : c.large ? kLargeCalls : kSmallCalls;
    cases().push_back(std::move(c));
    auto *b = benchmark::RegisterBenchmark(name.c_str(),
                                           [index](benchmark::State &state) { runCase(state, index); });
    b->Unit(benchmark::kMillisecond)->Iterations(calls);
}

// A cv::dnn network of one layer, built once.
std::shared_ptr<cv::dnn::Net> oneLayer(const std::string &type, cv::dnn::LayerParams params)
{
    auto net = std::make_shared<cv::dnn::Net>();
    params.name = "layer";
    params.type = type;
    net->addLayerToPrev(params.name, type, params);
    return net;
}

std::function<cv::Mat()> forward(std::shared_ptr<cv::dnn::Net> net, const Tensor &input)
{
    return [net, &input] {
        net->setInput(blobOf(input));
        return flat(net->forward());
    };
}

std::string sizeName(int n)
{
    return std::to_string(n) + "^2";
}

// Both sides on one thread, and both on every core.
void addBothThreadings(Case c)
{
    Case all = c;
    c.label += " 1 thread";
    all.label += " all cores";
    all.engineThreads = 0;
    all.peerThreads = 0;
    addCase(std::move(c));
    addCase(std::move(all));
}

// A call on every core against itself on one.
void addSelfRatio(const std::string &group, const std::string &label, double limit,
                  const std::function<cv::Mat()> &call)
{
    Case c;
    c.group = group;
    c.label = label;
    c.limit = limit;
    c.engineThreads = 0;
    c.peerThreads = 1;
    c.large = true;
    c.calls = kScalingCalls;
    c.engine = call;
    c.peer = call;
    addCase(std::move(c));
}

// The engine on every core against itself on one.
void addScaling(const std::string &label, const std::function<cv::Mat()> &engine)
{
    addSelfRatio("all cores: engine on every core <= 1/1.7 x engine on one (2048^2)", label + " scaling", 1.0 / 1.7,
                 engine);
}

// Plain work split into many equal chunks over the threads OpenCV has; each chunk's result is
// its own cell, so one thread and two compute the same cells.
constexpr int kChunks = 64;

// Multiply-adds in ten independent 8-wide chains held in registers: no memory traffic at all.
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
[[gnu::target("avx2,fma")]]
#endif
float registerWork(int seed, long rounds)
{
    typedef float V __attribute__((vector_size(32)));
    V a[10];
    for (int k = 0; k < 10; ++k)
        a[k] = V{} + static_cast<float>(seed + k) * 1e-3f;
    const V w = V{} + 0.999f;
    const V x = V{} + 1e-3f;
    for (long i = 0; i < rounds; ++i)
        for (V &v : a)
            v = v * w + x;
    V sum = {};
    for (const V &v : a)
        sum += v;
    return sum[0] + sum[7];
}

void addMachineCeiling()
{
    const std::string group = "the machine on plain work (no target): every core / one core";
    const double none = std::numeric_limits<double>::quiet_NaN();
    addSelfRatio(group, "machine: multiply-adds in registers", none,
                 [out = std::make_shared<cv::Mat>(1, kChunks, CV_32F)] {
                     cv::parallel_for_(cv::Range(0, kChunks), [&](const cv::Range &r) {
                         for (int i = r.start; i < r.end; ++i)
                             out->at<float>(i) = registerWork(i, 2'000'000);
                     });
                     return *out;
                 });
    // One read and one write of 16 x 2048 x 2048 cells, as a depthwise 3x3 layer needs at least.
    const Tensor &input = randomTensor(16, {2048, 2048});
    addSelfRatio(group, "machine: 256 MB read, 256 MB written", none, [&input, out = std::make_shared<cv::Mat>()] {
        const cv::Mat in = input.matrix();
        out->create(in.size(), CV_32F);
        cv::parallel_for_(cv::Range(0, kChunks), [&](const cv::Range &r) {
            for (int i = r.start; i < r.end; ++i) {
                const cv::Range band(in.rows * i / kChunks, in.rows * (i + 1) / kChunks);
                in.rowRange(band).convertTo(out->rowRange(band), CV_32F, 0.5, 1.0);
            }
        });
        return *out;
    });
}

std::function<cv::Mat()> addConvolution(int in, int filters, int k, int n, int stride, int groups,
                                        double limit, const std::string &group)
{
    const Tensor &input = randomTensor(in, {n, n});
    TensorKernel kernel = randomKernel({filters, in / groups, k, k}, static_cast<uint64_t>(k * 31 + in));
    TensorConvSpec spec;
    spec.amount = {Amount::Explicit, {k / 2, k / 2, k / 2, k / 2}};
    spec.stride = {stride};
    spec.groups = groups;
    cv::dnn::LayerParams p;
    p.set("kernel_h", k);
    p.set("kernel_w", k);
    p.set("num_output", filters);
    p.set("group", groups);
    p.set("stride", stride);
    p.set("pad", k / 2);
    p.set("bias_term", false);
    p.blobs.push_back(kernelBlob(kernel));
    Case c;
    c.group = group;
    c.label = (groups > 1 ? "depthwise " : "conv ") + std::to_string(in) + "->" + std::to_string(filters) + " " +
              sizeName(n) + " k" + std::to_string(k) + " s" + std::to_string(stride);
    c.limit = limit;
    c.large = n > 1000;
    c.engine = [&input, kernel, spec, out = std::make_shared<Tensor>()] {
        convolveTensorInto(input, kernel, spec, *out);
        return out->matrix();
    };
    c.peer = forward(oneLayer("Convolution", p), input);
    const auto engine = c.engine;
    addBothThreadings(std::move(c));
    return engine;
}

std::function<cv::Mat()> addPooling(PoolOp op, int k, int stride, int pad, int n)
{
    const Tensor &input = randomTensor(16, {n, n});
    PoolSpec spec;
    spec.op = op;
    spec.window = {k};
    spec.stride = {stride};
    spec.amount = {Amount::Explicit, {pad, pad, pad, pad}};
    spec.countPadding = true;
    cv::dnn::LayerParams p;
    p.set("pool", op == PoolOp::Max ? "max" : "ave");
    p.set("kernel_h", k);
    p.set("kernel_w", k);
    p.set("stride", stride);
    p.set("pad", pad);
    p.set("ceil_mode", false);
    p.set("ave_pool_padded_area", true);
    Case c;
    c.group = "pooling: <= 1.2 x cv::dnn Pooling";
    c.label = std::string(op == PoolOp::Max ? "max" : "avg") + "pool 16ch " + sizeName(n) + " k" + std::to_string(k) +
              " s" + std::to_string(stride) + " p" + std::to_string(pad);
    c.limit = 1.2;
    c.large = n > 1000;
    c.engine = [&input, spec, out = std::make_shared<Tensor>()] {
        poolTensorInto(input, spec, *out);
        return out->matrix();
    };
    c.peer = forward(oneLayer("Pooling", p), input);
    const auto engine = c.engine;
    addBothThreadings(std::move(c));
    return engine;
}

void addTransposed(int k, int n, int pad, int outputPadding)
{
    const Tensor &input = randomTensor(16, {n, n});
    const TensorKernel kernel = randomKernel({16, 16, k, k}, static_cast<uint64_t>(k * 17));
    ConvTSpec spec;
    spec.amount = {Amount::Explicit, {pad, pad, pad, pad}};
    spec.stride = {2};
    spec.outputPadding = {outputPadding};
    cv::dnn::LayerParams p;
    p.set("kernel_h", k);
    p.set("kernel_w", k);
    p.set("num_output", 16);
    p.set("stride", 2);
    p.set("pad", pad);
    p.set("adj_h", outputPadding);
    p.set("adj_w", outputPadding);
    p.set("bias_term", false);
    p.blobs.push_back(kernelBlob(kernel));
    Case c;
    c.group = "transposed conv: <= 2.0 x cv::dnn Deconvolution";
    c.label = "convt 16->16 " + sizeName(n) + " k" + std::to_string(k) + " s2 p" + std::to_string(pad) + " o" +
              std::to_string(outputPadding);
    c.limit = 2.0;
    c.large = n > 400;
    c.engine = [&input, kernel, spec, out = std::make_shared<Tensor>()] {
        transposeConvolveInto(input, kernel, spec, *out);
        return out->matrix();
    };
    c.peer = forward(oneLayer("Deconvolution", p), input);
    addBothThreadings(std::move(c));
}

std::function<cv::Mat()> addVolume()
{
    const int channels = 16;
    const int depth = 32;
    const int side = 128;
    const Tensor &input = randomTensor(channels, {depth, side, side});
    const TensorKernel kernel = randomKernel({channels, channels, 3, 3, 3}, 333);
    TensorConvSpec spec;
    spec.amount.kind = Amount::Same;
    // The peer's padded input, made once: zeros around every plane and two zero planes.
    auto padded = std::make_shared<std::vector<cv::Mat>>();
    for (int c = 0; c < channels; ++c)
        for (int z = -1; z <= depth; ++z) {
            cv::Mat plane = cv::Mat::zeros(side + 2, side + 2, CV_32F);
            if (z >= 0 && z < depth)
                input.plane(c, z).copyTo(plane(cv::Rect(1, 1, side, side)));
            padded->push_back(plane);
        }
    auto slices = std::make_shared<std::vector<cv::Mat>>();
    for (int f = 0; f < channels; ++f)
        for (int c = 0; c < channels; ++c)
            for (int az = 0; az < 3; ++az) {
                cv::Mat w(3, 3, CV_32F);
                for (int i = 0; i < 9; ++i)
                    w.ptr<float>()[i] = static_cast<float>(kernel.weights[((static_cast<size_t>(f) * channels + c) * 3 + az) * 9 + i]);
                slices->push_back(w);
            }
    Case c;
    c.group = "3-D conv: <= 1.5 x the same sums as cv::filter2D calls";
    c.label = "conv3d 16->16 32x128x128 k3";
    c.limit = 1.5;
    c.large = true;
    c.engine = [&input, kernel, spec, out = std::make_shared<Tensor>()] {
        convolveTensorInto(input, kernel, spec, *out);
        return out->matrix();
    };
    auto result = std::make_shared<cv::Mat>(channels * depth * side, side, CV_32F);
    c.peer = [padded, slices, result, channels, depth, side] {
        cv::Mat &out = *result;
        cv::Mat term;
        for (int f = 0; f < channels; ++f)
            for (int z = 0; z < depth; ++z) {
                cv::Mat acc = out.rowRange((f * depth + z) * side, (f * depth + z + 1) * side);
                acc.setTo(0);
                for (int ch = 0; ch < channels; ++ch)
                    for (int az = 0; az < 3; ++az) {
                        const cv::Mat &plane = (*padded)[static_cast<size_t>(ch * (depth + 2) + z + az)];
                        // Anchor (0, 0) on the padded plane's top-left ROI: the valid cells, as bench_engine does.
                        cv::filter2D(plane(cv::Rect(0, 0, side, side)), term, -1,
                                     (*slices)[static_cast<size_t>((f * channels + ch) * 3 + az)], cv::Point(0, 0), 0,
                                     cv::BORDER_CONSTANT);
                        acc += term;
                    }
            }
        return out;
    };
    const auto engine = c.engine;
    addBothThreadings(std::move(c));
    return engine;
}

void registerAll()
{
    const std::string conv = "multi-channel conv: <= 1.5 x cv::dnn Convolution";
    for (int n : {512, 2048})
        for (int in : {3, 16})
            for (int k : {3, 5})
                for (int s : {1, 2}) {
                    const auto engine = addConvolution(in, 16, k, n, s, 1, 1.5, conv);
                    if (n == 2048 && in == 16 && k == 3 && s == 1)
                        addScaling("conv 16->16 2048^2 k3 s1", engine);
                }
    const std::string depthwise = "depthwise conv: <= 1.2 x cv::dnn Convolution with groups = channels";
    for (int n : {512, 2048})
        for (int s : {1, 2}) {
            const auto engine = addConvolution(16, 16, 3, n, s, 16, 1.2, depthwise);
            if (n == 2048 && s == 1)
                addScaling("depthwise 16 2048^2 k3 s1", engine);
        }
    for (int n : {512, 2048}) {
        const auto engine = addPooling(PoolOp::Max, 2, 2, 0, n);
        addPooling(PoolOp::Max, 3, 2, 1, n);
        addPooling(PoolOp::Average, 3, 1, 1, n);
        if (n == 2048)
            addScaling("maxpool 16ch 2048^2 k2 s2", engine);
    }
    for (int n : {128, 512}) {
        addTransposed(3, n, 1, 1);
        addTransposed(4, n, 1, 0);
    }
    addScaling("conv3d 16->16 32x128x128 k3", addVolume());
    addMachineCeiling();
}

int printSummary()
{
    int failed = 0;
    int notRun = 0;
    int info = 0;
    std::string group;
    std::printf("\nRatios: engine time / peer time, fastest call of each (lower is faster; pass when <= "
                "target).\n1 thread: both sides on one thread, CPU time; all cores: both on %d threads, wall "
                "time.\n",
                allThreads());
    std::printf("%-40s %11s %11s %8s %8s  %s\n", "case", "engine ms", "peer ms", "ratio", "target", "result");
    for (const Case &c : cases()) {
        if (c.disagree) {
            ++failed;
            std::printf("%-40s the engine and its peer disagree: FAIL\n", c.label.c_str());
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
        if (std::isnan(c.limit)) {
            std::printf("%-40s %11.2f %11.2f %8.3f %8s  %s\n", c.label.c_str(), c.engineBest * 1e3, c.peerBest * 1e3,
                        ratio, "-", "info");
            ++info;
            continue;
        }
        const bool pass = ratio <= c.limit;
        failed += pass ? 0 : 1;
        std::printf("%-40s %11.2f %11.2f %8.3f %8.3f  %s\n", c.label.c_str(), c.engineBest * 1e3, c.peerBest * 1e3,
                    ratio, c.limit, pass ? "pass" : "FAIL");
    }
    std::printf("%d of %d ratios miss their target", failed, static_cast<int>(cases().size()) - notRun - info);
    if (notRun > 0)
        std::printf(" (%d cases filtered out)", notRun);
    std::printf("\n");
    return failed;
}

} // namespace

int main(int argc, char **argv)
{
    std::printf("OpenCV threads: %d by default\n", cv::getNumThreads());
    registerAll();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return printSummary() == 0 ? 0 : 1;
}

// Engine speed against OpenCV on the same padded input.
#include "padlab/core/convolve.h"

#include <benchmark/benchmark.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace {

cv::Mat randomImage(int rows, int cols)
{
    cv::Mat m(rows, cols, CV_32F);
    cv::randu(m, 0.0f, 255.0f);
    return m;
}

void BM_PadLabStride1(benchmark::State &state)
{
    const int k = static_cast<int>(state.range(0));
    const cv::Mat padded = randomImage(1000 + k - 1, 1000 + k - 1);
    const cv::Mat kernel = cv::Mat::ones(k, k, CV_64F);
    for (auto _ : state)
        benchmark::DoNotOptimize(padlab::core::convolvePadded(padded, kernel, {1, 1}, {1, 1}).data);
}
BENCHMARK(BM_PadLabStride1)->Arg(3)->Arg(5)->Arg(9)->Arg(15)->Unit(benchmark::kMillisecond);

void BM_Filter2DStride1(benchmark::State &state)
{
    const int k = static_cast<int>(state.range(0));
    const cv::Mat padded = randomImage(1000 + k - 1, 1000 + k - 1);
    const cv::Mat kernel = cv::Mat::ones(k, k, CV_32F);
    cv::Mat out;
    for (auto _ : state) {
        cv::filter2D(padded, out, -1, kernel, cv::Point(-1, -1), 0, cv::BORDER_CONSTANT);
        benchmark::DoNotOptimize(out.data);
    }
}
BENCHMARK(BM_Filter2DStride1)->Arg(3)->Arg(5)->Arg(9)->Arg(15)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();

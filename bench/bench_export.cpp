// Export speed: an animated GIF of every window position over a 28x28 input with 'same'
// padding, and a PNG composite of a 1-megapixel image, both at the default scale. Runs offscreen.
#include "exporter.h"
#include "matrixpool.h"
#include "session.h"

#include "targetreporter.h"

#include <benchmark/benchmark.h>

#include <QGuiApplication>
#include <QTemporaryDir>
#include <cstdio>
#include <opencv2/core.hpp>
#include <string>

using namespace padlab;

namespace {

cv::Mat photo(int rows, int cols)
{
    cv::Mat m(rows, cols, CV_32F);
    cv::randu(m, 0.0f, 255.0f);
    return m;
}

void prepare(ui::Session &session, int rows, int cols)
{
    session.setSource(photo(rows, cols), "bench");
    session.setPreset("sobel-x");
    core::PadAmount same;
    same.kind = core::Amount::Same;
    session.setAmount(same);
    session.waitUntilIdle();
}

void exportFile(benchmark::State &state, int size, const char *name)
{
    ui::Session session;
    prepare(session, size, size);
    QTemporaryDir dir;
    const QString path = dir.filePath(QString::fromLatin1(name));
    int frames = 0;
    for (auto _ : state) {
        ui::Exporter exporter(session, {});
        exporter.setProgressCallback([&frames](int, int total) { frames = total; });
        if (!exporter.exportTo(path))
            state.SkipWithError(exporter.errorString().toStdString().c_str());
    }
    state.counters["frames"] = frames;
}

void gifAnimation28(benchmark::State &state)
{
    exportFile(state, 28, "animation.gif");
}
BENCHMARK(gifAnimation28)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

void pngComposite1MP(benchmark::State &state)
{
    exportFile(state, 1000, "composite.png");
}
BENCHMARK(pngComposite1MP)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
    QGuiApplication app(argc, argv);
    // As the program does: large matrices are recycled.
    ui::MatrixPool::install();
    benchmark::Initialize(&argc, argv);
    padlab::bench::TargetReporter reporter({{"gifAnimation28", 5000.0}, {"pngComposite1MP", 1000.0}});
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
    return 0;
}

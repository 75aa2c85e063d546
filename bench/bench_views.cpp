// The teaching views for tensors: a colour photo through a bank of filters (a settings change,
// the Channels view painted; a 12-megapixel photo on the worker, with the longest time the event
// loop was kept from running), an animation step in each of the Channels, Pooling, Transposed and
// Volume views, and a GIF of every step of a small colour image through four filters. Runs
// offscreen.
#include "channelspainter.h"
#include "exporter.h"
#include "matrixpool.h"
#include "poolpainter.h"
#include "session.h"
#include "transposedpainter.h"
#include "volume.h"
#include "volumepainter.h"

#include "targetreporter.h"

#include <benchmark/benchmark.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QImage>
#include <QPainter>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <opencv2/core.hpp>

#include <algorithm>
#include <vector>

using namespace padlab;

namespace {

cv::Mat colourPhoto(int rows, int cols)
{
    cv::Mat m(rows, cols, CV_8UC3);
    cv::randu(m, cv::Scalar::all(0), cv::Scalar::all(256));
    return m;
}

cv::Mat greyPhoto(int rows, int cols)
{
    cv::Mat m(rows, cols, CV_32F);
    cv::randu(m, 0.0f, 255.0f);
    return m;
}

// Eight 3x3 filters over the three colour channels, none of them a preset.
void eightFilters(ui::Session &session)
{
    const std::vector<int> shape{8, 3, 3, 3};
    std::vector<double> weights(8 * 3 * 3 * 3);
    for (size_t i = 0; i < weights.size(); ++i)
        weights[i] = double(int(i * 7 % 11) - 5) / 8.0;
    session.setCustomFilterBank(shape, weights);
}

void paintChannels(const ui::Session &session, QImage &canvas)
{
    QPainter painter(&canvas);
    ui::ChannelsOptions options;
    options.step = session.step();
    ui::ChannelsPainter::paint(painter, canvas.rect(), *session.snapshot(), options);
}

// Waits until the session is idle and returns the longest time, in ms, the event loop went
// without running a 1 ms timer: how long the window would have stood still.
double waitAndMeasureStall(ui::Session &session)
{
    QElapsedTimer clock;
    clock.start();
    qint64 last = 0;
    qint64 longest = 0;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(1);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const qint64 now = clock.elapsed();
        longest = std::max(longest, now - last);
        last = now;
    });
    tick.start();
    session.waitUntilIdle();
    tick.stop();
    longest = std::max(longest, clock.elapsed() - last);
    return double(longest);
}

// A settings change on a colour photo with the Channels view shown: the session computes the
// feature map and the eight maps of the bank, then the view is painted at 1920x1080.
void channelsSettingsChange(benchmark::State &state)
{
    ui::Session session;
    session.setSource(colourPhoto(int(state.range(0)), int(state.range(1))), "bench");
    session.setView(ui::View::Channels);
    eightFilters(session);
    session.setAmount({core::Amount::Same, {}});
    session.need(ui::Part::Channels);
    session.waitUntilIdle();
    QImage canvas(1920, 1080, QImage::Format_ARGB32_Premultiplied);
    bool reflect = false;
    double stall = 0;
    for (auto _ : state) {
        reflect = !reflect;
        session.setFill(reflect ? core::Fill::Reflect : core::Fill::Zeros);
        stall = std::max(stall, waitAndMeasureStall(session));
        paintChannels(session, canvas);
    }
    if (session.snapshot()->channels == nullptr || session.snapshot()->channels->filters() != 8)
        state.SkipWithError("the Channels part was not computed with eight filters");
    state.counters["stall_ms"] = stall;
    session.release(ui::Part::Channels);
}
BENCHMARK(channelsSettingsChange)->Args({1000, 1000})->Args({3000, 4000})
    ->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);

// One animation step of a teaching view on a 1-megapixel input: the step moves, the view is
// painted from the same snapshot.
template<typename Paint>
void stepView(benchmark::State &state, ui::Session &session, Paint paint)
{
    session.waitUntilIdle();
    QImage canvas(1920, 1080, QImage::Format_ARGB32_Premultiplied);
    int step = 0;
    for (auto _ : state) {
        step = (step + 997) % std::max(1, session.stepCount());
        session.setStep(step);
        QPainter painter(&canvas);
        paint(painter, canvas.rect(), step);
    }
}

void channelsStep(benchmark::State &state)
{
    ui::Session session;
    session.setSource(colourPhoto(1000, 1000), "bench");
    eightFilters(session);
    session.need(ui::Part::Channels);
    stepView(state, session, [&](QPainter &painter, QRect rect, int step) {
        ui::ChannelsOptions options;
        options.step = step;
        ui::ChannelsPainter::paint(painter, rect, *session.snapshot(), options);
    });
}
BENCHMARK(channelsStep)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);

void poolStep(benchmark::State &state)
{
    ui::Session session;
    session.setSource(greyPhoto(1000, 1000), "bench");
    ui::ViewSettings settings = session.viewSettings();
    settings.poolBoth = true; // both rules side by side: twice the drawing
    session.setViewSettings(settings);
    session.need(ui::Part::Pool);
    stepView(state, session, [&](QPainter &painter, QRect rect, int step) {
        ui::PoolOptions options;
        options.step = step;
        ui::PoolPainter::paint(painter, rect, *session.snapshot(), options);
    });
}
BENCHMARK(poolStep)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);

void transposedStep(benchmark::State &state)
{
    ui::Session session;
    session.setSource(greyPhoto(1000, 1000), "bench");
    session.need(ui::Part::Transposed);
    stepView(state, session, [&](QPainter &painter, QRect rect, int step) {
        ui::TransposedOptions options;
        options.step = step;
        ui::TransposedPainter::paint(painter, rect, *session.snapshot(), options);
    });
}
BENCHMARK(transposedStep)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);

// The Volume view: the built-in numbered volume (every number drawn) under a 3x3x3 box.
void volumeStep(benchmark::State &state)
{
    const ui::VolumeSet set = ui::computeVolume(ui::VolumeSettings{}, cv::Mat::ones(3, 3, CV_64F));
    QImage canvas(1920, 1080, QImage::Format_ARGB32_Premultiplied);
    int step = 0;
    for (auto _ : state) {
        step = (step + 7) % 1000;
        QPainter painter(&canvas);
        ui::VolumeOptions options;
        options.step = step;
        ui::VolumePainter::paint(painter, canvas.rect(), set, options);
    }
}
BENCHMARK(volumeStep)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);

// A GIF of every window position of a 28x28 colour image through four edge filters.
void channelsGif28(benchmark::State &state)
{
    ui::Session session;
    session.setSource(colourPhoto(28, 28), "bench");
    session.setFilterBank(ui::FilterBank::Edges);
    session.setAmount({core::Amount::Same, {}});
    session.waitUntilIdle();
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("channels.gif"));
    ui::ExportOptions options;
    options.view = ui::ExportView::Channels;
    int frames = 0;
    for (auto _ : state) {
        ui::Exporter exporter(session, options);
        exporter.setProgressCallback([&frames](int, int total) { frames = total; });
        if (!exporter.exportTo(path))
            state.SkipWithError(exporter.errorString().toStdString().c_str());
    }
    state.counters["frames"] = frames;
}
// One frame of that GIF, painted.
void channelsFrame28(benchmark::State &state)
{
    ui::Session session;
    session.setSource(colourPhoto(28, 28), "bench");
    session.setFilterBank(ui::FilterBank::Edges);
    session.setAmount({core::Amount::Same, {}});
    session.waitUntilIdle();
    ui::ExportOptions options;
    options.view = ui::ExportView::Channels;
    ui::Exporter exporter(session, options);
    int step = 0;
    for (auto _ : state) {
        step = (step + 37) % 784;
        benchmark::DoNotOptimize(exporter.renderFrame(step));
    }
}
BENCHMARK(channelsFrame28)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);

BENCHMARK(channelsGif28)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    ui::MatrixPool::install();
    benchmark::Initialize(&argc, argv);
    // 50 ms for a 1 MP change with every panel painted, half a second for 12 MP on the worker,
    // one frame at 60 Hz for an animation step in any view, 5 s for the GIF.
    padlab::bench::TargetReporter reporter({{"channelsSettingsChange/1000/1000", 50.0},
                                            {"channelsSettingsChange/3000/4000", 500.0},
                                            {"channelsStep", 1000.0 / 60},
                                            {"poolStep", 1000.0 / 60},
                                            {"transposedStep", 1000.0 / 60},
                                            {"volumeStep", 1000.0 / 60},
                                            {"channelsGif28", 5000.0}});
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
    return 0;
}

// The window's speed: a settings change on a large image (the session computes, every panel is
// painted from its snapshot), an animation step, the teaching views (the session computes their
// part once, the painter draws it), and the time until the main window is on screen. Runs
// offscreen.
#include "comparepainter.h"
#include "mainwindow.h"
#include "panelpainter.h"
#include "matrixpool.h"
#include "session.h"
#include "signalpainter.h"
#include "stagespainter.h"

#include "targetreporter.h"

#include <benchmark/benchmark.h>

#include <QApplication>
#include <QImage>
#include <QPainter>
#include <QStandardPaths>
#include <opencv2/core.hpp>

using namespace padlab;

namespace {

cv::Mat photo(int rows, int cols)
{
    cv::Mat m(rows, cols, CV_32F);
    cv::randu(m, 0.0f, 255.0f);
    return m;
}

// Paints the four panels side by side as the window does at 1920x1080 with cells small enough
// to see the whole image (the 'fit' view of a photo).
void paintAll(const ui::Session &session, QImage &canvas)
{
    QPainter painter(&canvas);
    ui::PanelOptions options;
    options.cellSize = 0.25;
    options.step = session.step();
    const ui::SnapshotPtr snapshot = session.snapshot();
    const int w = canvas.width() / 4;
    for (int i = 0; i < 4; ++i)
        ui::PanelPainter::paint(painter, QRect(i * w, 0, w, canvas.height()), *snapshot,
                                static_cast<ui::Panel>(i), options);
}

void prepare(ui::Session &session, int rows, int cols, const char *preset)
{
    session.setSource(photo(rows, cols), "bench");
    session.setPreset(preset);
    session.setAmount({core::Amount::Same, {}});
    session.waitUntilIdle();
}

void settingsChange(benchmark::State &state)
{
    ui::Session session;
    prepare(session, int(state.range(0)), int(state.range(1)), "sobel-x");
    QImage canvas(1920, 1080, QImage::Format_ARGB32_Premultiplied);
    bool reflect = false;
    for (auto _ : state) {
        reflect = !reflect;
        session.setFill(reflect ? core::Fill::Reflect : core::Fill::Zeros);
        session.waitUntilIdle();
        paintAll(session, canvas);
    }
}
BENCHMARK(settingsChange)->Args({1000, 1000})->Args({3000, 4000})->Unit(benchmark::kMillisecond)
    ->UseRealTime()->MinTime(1.0);

void animationStep(benchmark::State &state)
{
    ui::Session session;
    session.setSource(photo(1000, 1000), "bench");
    session.waitUntilIdle();
    QImage canvas(1920, 1080, QImage::Format_ARGB32_Premultiplied);
    int step = 0;
    for (auto _ : state) {
        step = (step + 1) % session.stepCount();
        session.setStep(step);
        paintAll(session, canvas);
    }
}
BENCHMARK(animationStep)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);

// The Compare view of a photo after a change of kernel: the session computes the new feature
// map and the six fills with their difference maps against zeros, then the grid is painted.
void compareFills(benchmark::State &state)
{
    ui::Session session;
    prepare(session, int(state.range(0)), int(state.range(1)), "box-3");
    session.need(ui::Part::Comparison);
    session.waitUntilIdle();
    // A change in a window already showing the view: the previous results are there to recycle.
    session.setPreset("gaussian-3");
    session.waitUntilIdle();
    QImage canvas(1920, 1080, QImage::Format_ARGB32_Premultiplied);
    bool box = false;
    for (auto _ : state) {
        box = !box;
        session.setPreset(box ? "box-3" : "gaussian-3");
        session.waitUntilIdle();
        QPainter painter(&canvas);
        ui::ComparePainter::paint(painter, canvas.rect(), *session.snapshot(), {});
    }
}
BENCHMARK(compareFills)->Args({1000, 1000})->Args({3000, 4000})->Unit(benchmark::kMillisecond)
    ->UseRealTime()->MinTime(1.0);

// A 3x3 box applied 20 times to a photo with zero fill, every stage painted.
void stagesTwenty(benchmark::State &state)
{
    ui::Session session;
    prepare(session, 1000, 1000, "box-3");
    session.setStageCount(20);
    session.need(ui::Part::Stages);
    session.waitUntilIdle();
    QImage canvas(1920, 1080, QImage::Format_ARGB32_Premultiplied);
    bool zeros = true;
    for (auto _ : state) {
        zeros = !zeros;
        session.setFill(zeros ? core::Fill::Zeros : core::Fill::Replicate);
        session.waitUntilIdle();
        QPainter painter(&canvas);
        ui::StagesPainter::paint(painter, canvas.rect(), *session.snapshot(), {});
    }
}
BENCHMARK(stagesTwenty)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);

// One animation step of the signal view: a short signal and a long recording.
void signalStep(benchmark::State &state)
{
    ui::Session session;
    session.setSource(photo(1, int(state.range(0))), "bench");
    session.setKernel(cv::Mat::ones(1, 5, CV_64F));
    session.setAmount({core::Amount::Causal, {}});
    session.need(ui::Part::Signal);
    session.waitUntilIdle();
    QImage canvas(1920, 1080, QImage::Format_ARGB32_Premultiplied);
    int step = 0;
    for (auto _ : state) {
        step = (step + 7) % session.stepCount();
        session.setStep(step);
        QPainter painter(&canvas);
        ui::SignalOptions options;
        options.step = session.step();
        ui::SignalPainter::paint(painter, canvas.rect(), *session.snapshot(), options);
    }
}
BENCHMARK(signalStep)->Arg(1000)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime()
    ->MinTime(1.0);

void windowStartup(benchmark::State &state)
{
    for (auto _ : state) {
        ui::MainWindow window;
        window.show();
        QApplication::processEvents();
        benchmark::DoNotOptimize(window.isVisible());
    }
}
BENCHMARK(windowStartup)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    // As the program does: large matrices are recycled.
    ui::MatrixPool::install();
    benchmark::Initialize(&argc, argv);
    // One frame for a 1 MP change, an animation step and a signal step; 100 ms for 12 MP; half a
    // second for the window to show. The compare view computes on a worker beyond a quarter
    // megapixel: 50 ms at 1 MP keeps a click snappy, half a second for 12 MP or a second for 20
    // stages keeps the wait short.
    padlab::bench::TargetReporter reporter({{"settingsChange/1000/1000", 16.7},
                                            {"settingsChange/3000/4000", 100.0},
                                            {"animationStep", 1000.0 / 60},
                                            {"compareFills/1000/1000", 50.0},
                                            {"compareFills/3000/4000", 500.0},
                                            {"stagesTwenty", 1000.0},
                                            {"signalStep", 1000.0 / 60},
                                            {"windowStartup", 500.0}});
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
    return 0;
}

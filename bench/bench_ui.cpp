// The window's speed: a settings change on a large image (engine + every panel painted), an
// animation step, the teaching views (compare, stages, signal: engine + painter), and the time
// until the main window is on screen. Runs offscreen.
#include "comparepainter.h"
#include "mainwindow.h"
#include "panelpainter.h"
#include "session.h"
#include "signalpainter.h"
#include "stagespainter.h"

#include "padlab/core/compare.h"
#include "padlab/core/stages.h"

#include "targetreporter.h"

#include <benchmark/benchmark.h>

#include <QApplication>
#include <QImage>
#include <QPainter>
#include <QSignalSpy>
#include <QStandardPaths>
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

// Paints the four panels side by side as the window does at 1920x1080 with cells small enough
// to see the whole image (the 'fit' view of a photo).
void paintAll(const ui::Session &session, QImage &canvas)
{
    QPainter painter(&canvas);
    ui::PanelOptions options;
    options.cellSize = 0.25;
    const int w = canvas.width() / 4;
    for (int i = 0; i < 4; ++i)
        ui::PanelPainter::paint(painter, QRect(i * w, 0, w, canvas.height()), session,
                                static_cast<ui::Panel>(i), options);
}

void waitForResult(ui::Session &session)
{
    if (!session.isBusy())
        return;
    QSignalSpy spy(&session, &ui::Session::busyChanged);
    while (session.isBusy())
        spy.wait(1000);
}

void settingsChange(benchmark::State &state)
{
    const int rows = static_cast<int>(state.range(0));
    const int cols = static_cast<int>(state.range(1));
    ui::Session session;
    session.setSource(photo(rows, cols), "bench");
    session.setPreset("sobel-x");
    core::PadAmount same;
    same.kind = core::Amount::Same;
    session.setAmount(same);
    waitForResult(session);
    QImage canvas(1920, 1080, QImage::Format_ARGB32_Premultiplied);
    bool reflect = false;
    for (auto _ : state) {
        reflect = !reflect;
        session.setFill(reflect ? core::Fill::Reflect : core::Fill::Zeros);
        waitForResult(session);
        paintAll(session, canvas);
    }
}
BENCHMARK(settingsChange)->Args({1000, 1000})->Args({3000, 4000})->Unit(benchmark::kMillisecond)
    ->UseRealTime()->MinTime(1.0);

void animationStep(benchmark::State &state)
{
    ui::Session session;
    session.setSource(photo(1000, 1000), "bench");
    waitForResult(session);
    QImage canvas(1920, 1080, QImage::Format_ARGB32_Premultiplied);
    int step = 0;
    for (auto _ : state) {
        step = (step + 1) % session.stepCount();
        session.setStep(step);
        paintAll(session, canvas);
    }
}
BENCHMARK(animationStep)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);

// Six fills of one photo, their difference maps against zeros, and the grid painted.
void compareFills(benchmark::State &state)
{
    const cv::Mat input = photo(int(state.range(0)), int(state.range(1)));
    const cv::Mat kernel = cv::Mat::ones(3, 3, CV_64F) / 9.0;
    core::ConvSpec spec;
    spec.amount.kind = core::Amount::Same;
    QImage canvas(1920, 1080, QImage::Format_ARGB32_Premultiplied);
    for (auto _ : state) {
        const core::Comparison comparison
            = core::compare(input, kernel, spec, core::CompareBy::Fill, 0);
        QPainter painter(&canvas);
        ui::ComparePainter::paint(painter, canvas.rect(), comparison, {});
    }
}
BENCHMARK(compareFills)->Args({1000, 1000})->Args({3000, 4000})->Unit(benchmark::kMillisecond)
    ->UseRealTime()->MinTime(1.0);

// A 3x3 box applied 20 times to a photo with zero fill, every stage painted.
void stagesTwenty(benchmark::State &state)
{
    ui::Session session;
    session.setSource(photo(1000, 1000), "bench");
    session.setPreset("box-3");
    core::PadAmount same;
    same.kind = core::Amount::Same;
    session.setAmount(same);
    session.setStageCount(20);
    waitForResult(session);
    QImage canvas(1920, 1080, QImage::Format_ARGB32_Premultiplied);
    for (auto _ : state) {
        const core::StageChain chain
            = core::applyStages(session.input(), session.kernel(), session.spec(), 20);
        QPainter painter(&canvas);
        ui::StagesPainter::paint(painter, canvas.rect(), chain, {});
    }
}
BENCHMARK(stagesTwenty)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);

// One animation step of the signal view: a short signal and a long recording.
void signalStep(benchmark::State &state)
{
    ui::Session session;
    session.setSource(photo(1, int(state.range(0))), "bench");
    session.setKernel(cv::Mat::ones(1, 5, CV_64F));
    core::PadAmount causal;
    causal.kind = core::Amount::Causal;
    session.setAmount(causal);
    waitForResult(session);
    QImage canvas(1920, 1080, QImage::Format_ARGB32_Premultiplied);
    int step = 0;
    for (auto _ : state) {
        step = (step + 7) % session.stepCount();
        session.setStep(step);
        QPainter painter(&canvas);
        ui::SignalPainter::paint(painter, canvas.rect(), session, {});
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
    benchmark::Initialize(&argc, argv);
    // One frame for a 1 MP change and for an animation step; 100 ms for 12 MP; half a second
    // for the window to show. The compare and stages views compute on a worker beyond 1 MP:
    // a tenth of a second at 1 MP keeps a click snappy, a second for 12 MP or 20 stages keeps
    // the wait short.
    padlab::bench::TargetReporter reporter({{"settingsChange/1000/1000", 16.7},
                                            {"settingsChange/3000/4000", 100.0},
                                            {"animationStep", 1000.0 / 60},
                                            {"compareFills/1000/1000", 100.0},
                                            {"compareFills/3000/4000", 1000.0},
                                            {"stagesTwenty", 1000.0},
                                            {"signalStep", 1000.0 / 60},
                                            {"windowStartup", 500.0}});
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
    return 0;
}

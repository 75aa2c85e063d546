#include "samples.h"
#include "session.h"
#include "stagespainter.h"
#include "stagesview.h"
#include "testutil.h"

#include "padlab/core/convolve.h"
#include "padlab/core/error.h"
#include "padlab/core/kernels.h"
#include "padlab/core/stages.h"

#include <QImage>
#include <QElapsedTimer>
#include <QLabel>
#include <QPainter>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <optional>

using padlab::core::Amount;
using padlab::core::ConvSpec;
using padlab::core::Fill;
using padlab::core::PadAmount;
using padlab::core::PerAxis;
using padlab::core::StageChain;
using padlab::ui::Session;
using padlab::ui::StagesOptions;
using padlab::ui::StagesPainter;
using padlab::ui::StagesView;

namespace {

ConvSpec specOf(Amount amount, Fill fill = Fill::Zeros, PerAxis stride = {1, 1}, PerAxis dilation = {1, 1})
{
    ConvSpec spec;
    spec.amount.kind = amount;
    spec.fill = fill;
    spec.stride = stride;
    spec.dilation = dilation;
    return spec;
}

cv::Mat box3()
{
    return cv::Mat(3, 3, CV_64F, cv::Scalar(1.0 / 9));
}

cv::Mat constant(int rows, int cols, int type, double value)
{
    return cv::Mat(rows, cols, type, cv::Scalar(value));
}

/// The border figure as the header defines it, with plain sums: the ring (first and last row
/// and column) against every other cell.
std::optional<double> ringOverInterior(const cv::Mat &m)
{
    double ring = 0;
    double inside = 0;
    int ringCount = 0;
    int insideCount = 0;
    for (int r = 0; r < m.rows; ++r)
        for (int c = 0; c < m.cols; ++c) {
            const double v = padlab::test::element(m, r, c);
            if (r == 0 || c == 0 || r == m.rows - 1 || c == m.cols - 1) {
                ring += v;
                ++ringCount;
            } else {
                inside += v;
                ++insideCount;
            }
        }
    if (ringCount == 0 || insideCount == 0 || inside == 0)
        return std::nullopt;
    return (ring / ringCount) / (inside / insideCount);
}

/// OpenCV's border for a fill, to compute "same" stages without the engine.
int openCvBorder(Fill fill)
{
    switch (fill) {
    case Fill::Reflect: return cv::BORDER_REFLECT_101;
    case Fill::Symmetric: return cv::BORDER_REFLECT;
    case Fill::Replicate: return cv::BORDER_REPLICATE;
    default: return cv::BORDER_CONSTANT;
    }
}

/// The chain the session computes for the Stages view.
StageChain chainOf(Session &session)
{
    session.need(padlab::ui::Part::Stages);
    session.waitUntilIdle();
    const auto set = session.snapshot()->stages;
    session.release(padlab::ui::Part::Stages);
    return set ? set->chain : StageChain();
}

QImage renderChain(const StageChain &chain, QSize size, const StagesOptions &options = {})
{
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::magenta); // nothing the painter draws is magenta: unpainted pixels show up
    QPainter painter(&image);
    StagesPainter::paint(painter, QRect(QPoint(0, 0), size), chain, options);
    painter.end();
    // PADLAB_STAGES_PNG=1 keeps every render for a look: /tmp/stages-<test>-<row>.png
    if (qEnvironmentVariableIsSet("PADLAB_STAGES_PNG")) {
        QString name = QStringLiteral("/tmp/stages-%1-%2.png")
                           .arg(QString::fromLatin1(QTest::currentTestFunction()),
                                QString::fromLatin1(QTest::currentDataTag()));
        name.replace(QLatin1Char(' '), QLatin1Char('_'));
        image.save(name);
    }
    return image;
}

QColor centreOf(const QImage &image, const QRectF &r)
{
    return image.pixelColor(r.center().toPoint());
}

int gray(const QColor &c)
{
    return qGray(c.rgb());
}

/// Pixels inside @p r that differ clearly from @p background.
int inkPixels(const QImage &image, const QRect &r, const QColor &background)
{
    int count = 0;
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (std::abs(c.red() - background.red()) + std::abs(c.green() - background.green())
                    + std::abs(c.blue() - background.blue())
                > 120)
                ++count;
        }
    return count;
}

} // namespace

class TstStages : public QObject {
    Q_OBJECT

private slots:
    // Engine
    void sizes_data();
    void sizes();
    void stopsWithReason_data();
    void stopsWithReason();
    void refused_data();
    void refused();
    void eachStageConvolvesThePrevious_data();
    void eachStageConvolvesThePrevious();
    void borderFigureOverStages_data();
    void borderFigureOverStages();
    void borderFigureDefinition_data();
    void borderFigureDefinition();
    // Painter
    void thumbnails_data();
    void thumbnails();
    void validStageDrawnSmaller();
    void photoDrawnAsImages();
    void borderPixelsOverStages_data();
    void borderPixelsOverStages();
    void clippedValuesAreSaid_data();
    void clippedValuesAreSaid();
    void stopReasonWritten();
    void valuesInLargeCells_data();
    void valuesInLargeCells();
    void classroomLayout_data();
    void classroomLayout();
    void effectText_data();
    void effectText();
    // View
    void spinBoxAndSessionAgree();
    void viewFollowsSession_data();
    void viewFollowsSession();
    void computesOnlyWhileVisible();
    void largeInputOnWorker();
    void neverDrawsAStaleChain();
};

// ---------------------------------------------------------------------------------------- Engine

void TstStages::sizes_data()
{
    QTest::addColumn<int>("input");
    QTest::addColumn<ConvSpec>("spec");
    QTest::addColumn<int>("kernel");
    QTest::addColumn<int>("count");
    QTest::addColumn<QList<int>>("expected");
    QTest::newRow("valid 3x3 shrinks by 2") << 28 << specOf(Amount::Valid) << 3 << 5
                                            << QList<int>{28, 26, 24, 22, 20, 18};
    QTest::newRow("valid 5x5 shrinks by 4") << 28 << specOf(Amount::Valid) << 5 << 3
                                            << QList<int>{28, 24, 20, 16};
    QTest::newRow("same keeps 28") << 28 << specOf(Amount::Same) << 3 << 6
                                   << QList<int>{28, 28, 28, 28, 28, 28, 28};
    QTest::newRow("same, stride 2 halves, rounding up")
        << 28 << specOf(Amount::Same, Fill::Zeros, {2, 2}) << 3 << 6 << QList<int>{28, 14, 7, 4, 2, 1, 1};
    QTest::newRow("full grows by 2") << 28 << specOf(Amount::Full) << 3 << 3 << QList<int>{28, 30, 32, 34};
    QTest::newRow("valid, dilation 2 shrinks by 4")
        << 28 << specOf(Amount::Valid, Fill::Zeros, {1, 1}, {2, 2}) << 3 << 3 << QList<int>{28, 24, 20, 16};
    QTest::newRow("causal keeps 28") << 28 << specOf(Amount::Causal, Fill::Reflect) << 3 << 4
                                     << QList<int>{28, 28, 28, 28, 28};
    QTest::newRow("one stage") << 9 << specOf(Amount::Valid) << 3 << 1 << QList<int>{9, 7};
    QTest::newRow("twenty stages of same") << 10 << specOf(Amount::Same) << 3 << 20 << QList<int>(21, 10);
}

void TstStages::sizes()
{
    QFETCH(int, input);
    QFETCH(ConvSpec, spec);
    QFETCH(int, kernel);
    QFETCH(int, count);
    QFETCH(QList<int>, expected);
    const cv::Mat in = padlab::test::randomMat(input, input, CV_64F, 0, 255, 7);
    const StageChain chain = padlab::core::applyStages(in, cv::Mat::ones(kernel, kernel, CV_64F), spec, count);
    QVERIFY2(chain.complete(), chain.stopReason.c_str());
    QCOMPARE(chain.requested, count);
    QCOMPARE(chain.computed(), count);
    QList<int> rows;
    for (const auto &stage : chain.stages) {
        QCOMPARE(stage.output.rows, stage.output.cols);
        QCOMPARE(stage.size().rows, stage.output.rows);
        rows << stage.output.rows;
    }
    QCOMPARE(rows, expected);
    for (int i = 0; i < int(chain.stages.size()); ++i)
        QCOMPARE(chain.stages[size_t(i)].index, i);
}

void TstStages::stopsWithReason_data()
{
    QTest::addColumn<int>("input");
    QTest::addColumn<int>("count");
    QTest::addColumn<long long>("maxCells");
    QTest::addColumn<int>("computed");
    QTest::addColumn<QString>("reasonNames");
    // 28 - 2*13 = 2: the 14th valid 3x3 stage has no room for a window.
    QTest::newRow("valid 3x3 on 28x28, 20 asked") << 28 << 20 << padlab::core::kMaxStageCells << 13 << "Stage 14";
    QTest::newRow("valid 3x3 on 2x2") << 2 << 3 << padlab::core::kMaxStageCells << 0 << "Stage 1";
    QTest::newRow("valid 3x3 on 7x7, 5 asked") << 7 << 5 << padlab::core::kMaxStageCells << 3 << "Stage 4";
    QTest::newRow("exactly enough stages") << 7 << 3 << padlab::core::kMaxStageCells << 3 << "";
    // 10x10 + 8x8 + 6x6 = 200 cells fit, the next 4x4 does not.
    QTest::newRow("cell limit") << 10 << 5 << 210LL << 2 << "Stage 3";
}

void TstStages::stopsWithReason()
{
    QFETCH(int, input);
    QFETCH(int, count);
    QFETCH(long long, maxCells);
    QFETCH(int, computed);
    QFETCH(QString, reasonNames);
    const cv::Mat in = constant(input, input, CV_32F, 100);
    const StageChain chain = padlab::core::applyStages(in, box3(), specOf(Amount::Valid), count, maxCells);
    QCOMPARE(chain.computed(), computed);
    QCOMPARE(chain.requested, count);
    const QString reason = QString::fromStdString(chain.stopReason);
    if (reasonNames.isEmpty()) {
        QVERIFY2(chain.complete(), qPrintable(reason));
        return;
    }
    QVERIFY(!chain.complete());
    QVERIFY2(reason.startsWith(reasonNames + QLatin1Char(' ')), qPrintable(reason));
    // The reason says why in the terms of the stage that failed: its size against the kernel.
    if (maxCells == padlab::core::kMaxStageCells) {
        const int last = input - 2 * computed;
        QVERIFY2(reason.contains(QStringLiteral("padded input has %1 rows").arg(last)), qPrintable(reason));
    } else {
        QVERIFY2(reason.contains(QString::number(maxCells)), qPrintable(reason));
    }
}

void TstStages::refused_data()
{
    QTest::addColumn<cv::Mat>("input");
    QTest::addColumn<ConvSpec>("spec");
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("message");
    const cv::Mat plain = constant(8, 8, CV_64F, 1);
    QTest::newRow("no stages") << plain << specOf(Amount::Same) << 0 << "1 to 20";
    QTest::newRow("21 stages") << plain << specOf(Amount::Same) << 21 << "1 to 20";
    QTest::newRow("three channels") << cv::Mat(8, 8, CV_64FC3, cv::Scalar::all(1)) << specOf(Amount::Same) << 3
                                    << "one-channel";
    QTest::newRow("empty input") << cv::Mat() << specOf(Amount::Same) << 3 << "at least one cell";
    QTest::newRow("stride 0") << plain << specOf(Amount::Same, Fill::Zeros, {0, 1}) << 3 << "stride";
    ConvSpec huge = specOf(Amount::Explicit);
    huge.amount.sides = {20000, 20000, 20000, 20000};
    QTest::newRow("padded size beyond the limit") << plain << huge << 2 << "padded input would have";
}

void TstStages::refused()
{
    QFETCH(cv::Mat, input);
    QFETCH(ConvSpec, spec);
    QFETCH(int, count);
    QFETCH(QString, message);
    try {
        padlab::core::applyStages(input, box3(), spec, count);
        QFAIL("no Error thrown");
    } catch (const padlab::core::Error &e) {
        QVERIFY2(QString::fromStdString(e.what()).contains(message), e.what());
    }
}

void TstStages::eachStageConvolvesThePrevious_data()
{
    QTest::addColumn<ConvSpec>("spec");
    QTest::addColumn<cv::Mat>("kernel");
    QTest::addColumn<int>("type");
    const cv::Mat sobel = *padlab::core::preset("sobel-x");
    const cv::Mat uneven = (cv::Mat_<double>(2, 3) << 1, -2, 0.5, 3, 0, -1);
    QTest::newRow("same zeros box") << specOf(Amount::Same) << box3() << CV_64F;
    QTest::newRow("valid reflect sobel") << specOf(Amount::Valid, Fill::Reflect) << sobel << CV_32F;
    QTest::newRow("full circular uneven") << specOf(Amount::Full, Fill::Circular) << uneven << CV_64F;
    QTest::newRow("same symmetric stride 2") << specOf(Amount::Same, Fill::Symmetric, {2, 2}) << box3() << CV_64F;
    QTest::newRow("causal replicate dilation 2")
        << specOf(Amount::Causal, Fill::Replicate, {1, 1}, {2, 2}) << sobel << CV_32F;
    ConvSpec constantFill = specOf(Amount::Same, Fill::Constant);
    constantFill.value = 7;
    constantFill.operation = padlab::core::Operation::Convolution;
    QTest::newRow("same constant 7, true convolution") << constantFill << uneven << CV_64F;
}

void TstStages::eachStageConvolvesThePrevious()
{
    QFETCH(ConvSpec, spec);
    QFETCH(cv::Mat, kernel);
    QFETCH(int, type);
    const cv::Mat input = padlab::test::randomMat(13, 17, type, -50, 200, 11);
    const StageChain chain = padlab::core::applyStages(input, kernel, spec, 5);
    QVERIFY2(chain.complete(), chain.stopReason.c_str());
    PADLAB_COMPARE_MAT(chain.stages.front().output, input, 0);
    cv::Mat previous = input;
    for (int i = 1; i <= 5; ++i) {
        const padlab::core::ConvResult expected = padlab::core::convolve(previous, kernel, spec);
        const auto &stage = chain.stages[size_t(i)];
        PADLAB_COMPARE_MAT(stage.output, expected.output, 0);
        QCOMPARE(stage.geometry.sides(), expected.geometry.sides());
        double low = 0;
        double high = 0;
        cv::minMaxIdx(expected.output, &low, &high);
        QCOMPARE(stage.minimum, low);
        QCOMPARE(stage.maximum, high);
        previous = expected.output;
    }
}

void TstStages::borderFigureOverStages_data()
{
    QTest::addColumn<Fill>("fill");
    QTest::addColumn<bool>("darkens");
    QTest::newRow("zeros") << Fill::Zeros << true;
    QTest::newRow("reflect") << Fill::Reflect << false;
    QTest::newRow("replicate") << Fill::Replicate << false;
    QTest::newRow("symmetric") << Fill::Symmetric << false;
}

void TstStages::borderFigureOverStages()
{
    QFETCH(Fill, fill);
    QFETCH(bool, darkens);
    const int stages = 20;
    // 0.7 is not a sum of powers of two: a plain mean of many 0.7s is not exactly 0.7.
    const cv::Mat input = constant(28, 28, CV_64F, 0.7);
    const StageChain chain = padlab::core::applyStages(input, box3(), specOf(Amount::Same, fill), stages);
    QCOMPARE(chain.computed(), stages);

    // The same stages without the engine: OpenCV's box filter with the matching border.
    cv::Mat expected = input;
    std::optional<double> previousRatio = ringOverInterior(input);
    QVERIFY(std::abs(*previousRatio - 1.0) < 1e-12);
    QVERIFY(*chain.stages[0].border.ratio() == 1.0);
    for (int i = 1; i <= stages; ++i) {
        cv::Mat next;
        cv::filter2D(expected, next, CV_64F, box3(), cv::Point(-1, -1), 0, openCvBorder(fill));
        expected = next;
        const std::optional<double> ratio = ringOverInterior(expected);
        QVERIFY(ratio);
        const auto &border = chain.stages[size_t(i)].border;
        QVERIFY(border.defined);
        QVERIFY(border.ratio());
        QVERIFY2(std::abs(*border.ratio() - *ratio) < 1e-9,
                 qPrintable(QStringLiteral("stage %1: %2 != %3").arg(i).arg(*border.ratio(), 0, 'g', 17).arg(*ratio, 0, 'g', 17)));
        if (darkens) {
            QVERIFY2(*border.ratio() < *chain.stages[size_t(i - 1)].border.ratio(),
                     qPrintable(QStringLiteral("stage %1 is not darker than stage %2").arg(i).arg(i - 1)));
            QVERIFY(*ratio < *previousRatio);
        } else {
            // A constant image stays constant: its border is exactly as bright as its inside.
            QVERIFY2(*border.ratio() == 1.0, qPrintable(QString::number(*border.ratio(), 'g', 17)));
            QVERIFY(border.difference() == 0.0);
            QVERIFY(std::abs(*ratio - 1.0) < 1e-12);
        }
        previousRatio = ratio;
    }
    if (darkens) {
        // Stage 1 by hand: on 28x28 the ring has 4 corners reading 4 of 9 cells and 104 edge
        // cells reading 6 of 9; the interior reads 9 of 9 everywhere.
        const double ring = (4 * 4.0 / 9 + 104 * 6.0 / 9) / 108;
        QVERIFY(std::abs(*chain.stages[1].border.ratio() - ring) < 1e-12);
    }
}

void TstStages::borderFigureDefinition_data()
{
    QTest::addColumn<cv::Mat>("matrix");
    QTest::addColumn<bool>("defined");
    QTest::addColumn<double>("edge");
    QTest::addColumn<double>("interior");
    QTest::newRow("3x3, dark centre") << cv::Mat((cv::Mat_<double>(3, 3) << 1, 2, 3, 4, 10, 5, 6, 7, 8)) << true
                                      << 4.5 << 10.0;
    QTest::newRow("one-row signal: its two ends")
        << cv::Mat((cv::Mat_<double>(1, 5) << 10, 1, 2, 3, 20)) << true << 15.0 << 2.0;
    QTest::newRow("one-column signal") << cv::Mat((cv::Mat_<float>(4, 1) << 0, 4, 6, 8)) << true << 4.0 << 5.0;
    QTest::newRow("2x5: columns only") << cv::Mat((cv::Mat_<double>(2, 5) << 1, 2, 2, 2, 1, 3, 2, 2, 2, 3)) << true
                                       << 2.0 << 2.0;
    QTest::newRow("constant 0.7: both means exactly 0.7") << cv::Mat(28, 28, CV_64F, cv::Scalar(0.7)) << true << 0.7
                                                          << 0.7;
    QTest::newRow("2x2: no interior") << cv::Mat(2, 2, CV_64F, cv::Scalar(5)) << false << 0.0 << 0.0;
    QTest::newRow("1x2: no interior") << cv::Mat(1, 2, CV_64F, cv::Scalar(5)) << false << 0.0 << 0.0;
}

void TstStages::borderFigureDefinition()
{
    QFETCH(cv::Mat, matrix);
    QFETCH(bool, defined);
    QFETCH(double, edge);
    QFETCH(double, interior);
    const padlab::core::BorderDarkening b = padlab::core::borderDarkening(matrix);
    QCOMPARE(b.defined, defined);
    if (!defined) {
        QVERIFY(!b.ratio());
        return;
    }
    // Exact: QCOMPARE on doubles would forgive the rounding a plain mean makes.
    QVERIFY2(b.edgeMean == edge, qPrintable(QString::number(b.edgeMean, 'g', 17)));
    QVERIFY2(b.interiorMean == interior, qPrintable(QString::number(b.interiorMean, 'g', 17)));
    QVERIFY(b.difference() == edge - interior);
    QVERIFY(*b.ratio() == edge / interior);
}

// --------------------------------------------------------------------------------------- Painter

void TstStages::thumbnails_data()
{
    QTest::addColumn<PadAmount>("amount");
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("thumbnailCount");
    QTest::addColumn<bool>("stopped");
    QTest::newRow("same, 1 stage") << PadAmount{Amount::Same, {}} << 1 << 2 << false;
    QTest::newRow("same, 8 stages") << PadAmount{Amount::Same, {}} << 8 << 9 << false;
    QTest::newRow("same, 20 stages") << PadAmount{Amount::Same, {}} << 20 << 21 << false;
    // 13 valid stages fit on 28x28; the 14th slot says why there is no more.
    QTest::newRow("valid, 20 asked") << PadAmount{Amount::Valid, {}} << 20 << 15 << true;
}

void TstStages::thumbnails()
{
    QFETCH(PadAmount, amount);
    QFETCH(int, count);
    QFETCH(int, thumbnailCount);
    QFETCH(bool, stopped);
    Session session;
    session.setSource(padlab::ui::makeSample(QStringLiteral("digit")), QStringLiteral("digit"));
    session.setPreset(QStringLiteral("box-3"));
    session.setAmount(amount);
    session.setStageCount(count);
    const StageChain chain = chainOf(session);
    QCOMPARE(StagesPainter::slotCount(chain), thumbnailCount);
    QCOMPARE(chain.complete(), !stopped);

    const QSize size(1700, 900);
    const QRect target(QPoint(0, 0), size);
    const QImage image = renderChain(chain, size);
    QRectF previous;
    for (int i = 0; i < int(chain.stages.size()); ++i) {
        const QRectF r = StagesPainter::stageRect(target, chain, {}, i);
        QVERIFY2(!r.isEmpty() && QRectF(target).contains(r), qPrintable(QStringLiteral("stage %1").arg(i)));
        QVERIFY2(!r.intersects(previous), qPrintable(QStringLiteral("stage %1 overlaps").arg(i)));
        previous = r;
        // The thumbnail shows the stage: its middle is painted with the stage's grey.
        const QColor c = centreOf(image, r);
        QVERIFY(c != QColor(Qt::magenta));
        QVERIFY2(c.hslSaturation() < 10, qPrintable(c.name()));
    }
    QCOMPARE(StagesPainter::stageRect(target, chain, {}, int(chain.stages.size())), QRectF());
    QCOMPARE(StagesPainter::stopRect(target, chain, {}).isEmpty(), !stopped);
    QCOMPARE(StagesPainter::stageTitle(chain.stages[1]),
             amount.kind == Amount::Valid ? QStringLiteral("stage 1 · 26 × 26") : QStringLiteral("stage 1 · 28 × 28"));
    QCOMPARE(StagesPainter::stageTitle(chain.stages[0]), QStringLiteral("input · 28 × 28"));
    // Nothing is left unpainted.
    for (int y = 0; y < size.height(); y += 7)
        for (int x = 0; x < size.width(); x += 7)
            QVERIFY2(image.pixelColor(x, y) != QColor(Qt::magenta), qPrintable(QStringLiteral("%1, %2").arg(x).arg(y)));
}

void TstStages::validStageDrawnSmaller()
{
    Session session;
    session.setSource(padlab::ui::makeSample(QStringLiteral("digit")), QStringLiteral("digit"));
    session.setPreset(QStringLiteral("box-3"));
    session.setAmount({Amount::Valid, {}});
    session.setStageCount(10);
    const StageChain chain = chainOf(session);
    const QSize size(1700, 900);
    const QRect target(QPoint(0, 0), size);
    const QImage image = renderChain(chain, size);
    const double cell = StagesPainter::cellSize(target, chain, {});
    QVERIFY(cell >= 4);
    const QRectF input = StagesPainter::stageRect(target, chain, {}, 0);
    for (int i = 1; i <= 10; ++i) {
        // Every thumbnail uses the same cell size: 28, 26, 24, ... cells drawn to scale.
        const QRectF r = StagesPainter::stageRect(target, chain, {}, i);
        QCOMPARE(r.width(), (28 - 2 * i) * cell);
        QCOMPARE(r.height(), (28 - 2 * i) * cell);
        QVERIFY(r.width() < input.width());
    }
    // The digit's background is black up to its edge; beside stage 3, half a cell out, the
    // page shows: the stage really is drawn smaller.
    const QRectF third = StagesPainter::stageRect(target, chain, {}, 3);
    const QPoint inside = StagesPainter::cellRect(target, chain, {}, 3, {0, 11}).center().toPoint();
    const QPoint outside(int(third.left() - cell / 2 - 1), inside.y());
    QVERIFY2(gray(image.pixelColor(inside)) < 40, qPrintable(image.pixelColor(inside).name()));
    QVERIFY2(gray(image.pixelColor(outside)) > 200, qPrintable(image.pixelColor(outside).name()));
}

void TstStages::photoDrawnAsImages()
{
    Session session;
    session.setSource(padlab::ui::makeSample(QStringLiteral("photo")), QStringLiteral("photo"));
    QVERIFY(session.waitUntilIdle());
    session.setPreset(QStringLiteral("box-3"));
    session.setAmount({Amount::Same, {}});
    session.setStageCount(8);
    QVERIFY(session.waitUntilIdle());
    const StageChain chain = chainOf(session);
    QCOMPARE(chain.computed(), 8);
    const QSize size(1700, 900);
    const QRect target(QPoint(0, 0), size);
    const QImage image = renderChain(chain, size);
    // Cells smaller than a pixel: each stage is a picture of its own shape, 640 wide, 480 high.
    QVERIFY(StagesPainter::cellSize(target, chain, {}) < 1);
    for (int i = 0; i <= 8; ++i) {
        const QRect r = StagesPainter::stageRect(target, chain, {}, i).toRect();
        QVERIFY(std::abs(r.width() * 480.0 / (r.height() * 640.0) - 1) < 0.02);
        QSet<int> greys;
        for (int y = r.top() + 1; y < r.bottom(); y += 3)
            for (int x = r.left() + 1; x < r.right(); x += 3) {
                const QColor c = image.pixelColor(x, y);
                QVERIFY2(c.red() == c.green() && c.green() == c.blue(),
                         qPrintable(QStringLiteral("stage %1 at %2, %3: %4").arg(i).arg(x).arg(y).arg(c.name())));
                greys.insert(c.red());
            }
        QVERIFY2(greys.size() > 50, qPrintable(QStringLiteral("stage %1: %2 greys").arg(i).arg(greys.size())));
    }
}

void TstStages::borderPixelsOverStages_data()
{
    QTest::addColumn<Fill>("fill");
    QTest::addColumn<bool>("dark");
    QTest::addColumn<bool>("darkens");
    QTest::newRow("zeros") << Fill::Zeros << false << true;
    QTest::newRow("zeros, dark theme") << Fill::Zeros << true << true;
    QTest::newRow("reflect") << Fill::Reflect << false << false;
    QTest::newRow("symmetric") << Fill::Symmetric << false << false;
    QTest::newRow("replicate") << Fill::Replicate << false << false;
}

void TstStages::borderPixelsOverStages()
{
    QFETCH(Fill, fill);
    QFETCH(bool, dark);
    QFETCH(bool, darkens);
    Session session;
    session.setSource(constant(28, 28, CV_32F, 200), QStringLiteral("bright"));
    session.setPreset(QStringLiteral("box-3"));
    session.setAmount({Amount::Same, {}});
    session.setFill(fill);
    session.setStageCount(8);
    const StageChain chain = chainOf(session);
    StagesOptions options;
    options.look.dark = dark;
    const QSize size(1700, 900);
    const QRect target(QPoint(0, 0), size);
    const QImage image = renderChain(chain, size, options);

    auto pixel = [&](int stage, QPoint cell) {
        return gray(centreOf(image, StagesPainter::cellRect(target, chain, options, stage, cell)));
    };
    // An image is drawn on 0..255 like the main window's input: 200 is a light grey.
    QVERIFY(std::abs(pixel(0, {0, 0}) - 200) <= 2);
    // The middle is out of reach of 8 box stages from the border: it stays as it was.
    QVERIFY(std::abs(pixel(8, {14, 14}) - 200) <= 2);
    int previousCorner = pixel(0, {0, 0});
    int previousEdge = pixel(0, {14, 0});
    for (int stage = 1; stage <= 8; ++stage) {
        const int corner = pixel(stage, {0, 0});
        const int edge = pixel(stage, {14, 0});
        if (darkens) {
            QVERIFY2(corner < previousCorner && edge < previousEdge,
                     qPrintable(QStringLiteral("stage %1: corner %2 (before %3), edge %4 (before %5)")
                                    .arg(stage).arg(corner).arg(previousCorner).arg(edge).arg(previousEdge)));
        } else {
            QCOMPARE(corner, previousCorner);
            QCOMPARE(edge, previousEdge);
        }
        previousCorner = corner;
        previousEdge = edge;
    }
    if (darkens)
        QVERIFY(pixel(8, {0, 0}) < pixel(1, {0, 0}) - 40);
    const QString figure = StagesPainter::borderText(chain.stages[8]);
    QVERIFY2(darkens ? !figure.contains(QStringLiteral("100 %")) : figure.contains(QStringLiteral("100 %")),
             qPrintable(figure));
}

void TstStages::clippedValuesAreSaid_data()
{
    QTest::addColumn<QString>("preset");
    QTest::addColumn<bool>("clipped");
    QTest::newRow("box keeps 0..255") << "box-3" << false;
    QTest::newRow("gaussian keeps 0..255") << "gaussian-3" << false;
    QTest::newRow("sharpen overshoots") << "sharpen" << true;
    QTest::newRow("sobel goes negative") << "sobel-x" << true;
}

void TstStages::clippedValuesAreSaid()
{
    QFETCH(QString, preset);
    QFETCH(bool, clipped);
    Session session;
    session.setSource(padlab::ui::makeSample(QStringLiteral("digit")), QStringLiteral("digit"));
    QVERIFY(session.setPreset(preset));
    session.setAmount({Amount::Same, {}});
    session.setStageCount(3);
    const StageChain chain = chainOf(session);
    QCOMPARE(StagesPainter::isClipped(chain), clipped);
    const QString caption = StagesPainter::caption(chain);
    QCOMPARE(caption.contains(QStringLiteral("clipped")), clipped);
    QVERIFY(caption.contains(QStringLiteral("0 black to 255 white")));
    if (!clipped)
        return;
    // A clipped value takes the end of the scale: the stage's largest value is drawn white or
    // its smallest black.
    const QSize size(1200, 700);
    const QRect target(QPoint(0, 0), size);
    const QImage image = renderChain(chain, size);
    const auto &stage = chain.stages[3];
    cv::Point low;
    cv::Point high;
    cv::minMaxLoc(stage.output, nullptr, nullptr, &low, &high);
    const bool over = stage.maximum > 255;
    const cv::Point at = over ? high : low;
    const int g = gray(centreOf(image, StagesPainter::cellRect(target, chain, {}, 3, {at.x, at.y})));
    QVERIFY2(over ? g >= 250 : g <= 5, qPrintable(QString::number(g)));
}

void TstStages::stopReasonWritten()
{
    Session session;
    session.setSource(constant(6, 6, CV_64F, 3), QStringLiteral("small"));
    session.setPreset(QStringLiteral("box-3"));
    session.setAmount({Amount::Valid, {}});
    session.setStageCount(5);
    const StageChain chain = chainOf(session);
    QCOMPARE(chain.computed(), 2);
    const QSize size(1000, 600);
    const QRect target(QPoint(0, 0), size);
    const QImage image = renderChain(chain, size);
    const QRectF where = StagesPainter::stopRect(target, chain, {});
    QVERIFY(!where.isEmpty());
    // Where stage 3 would be, after stage 2: to its right or below it.
    const QRectF second = StagesPainter::stageRect(target, chain, {}, 2);
    QVERIFY(where.left() > second.right() || where.top() > second.bottom());
    QVERIFY(inkPixels(image, where.adjusted(10, 10, -10, -10).toRect(), QColor(250, 250, 250)) > 200);
}

void TstStages::valuesInLargeCells_data()
{
    QTest::addColumn<QSize>("size");
    QTest::addColumn<bool>("written");
    QTest::newRow("large target: numbers") << QSize(1700, 900) << true;
    QTest::newRow("small target: no numbers") << QSize(420, 260) << false;
}

void TstStages::valuesInLargeCells()
{
    QFETCH(QSize, size);
    QFETCH(bool, written);
    Session session;
    cv::Mat ramp(5, 5, CV_64F);
    for (int r = 0; r < 5; ++r)
        for (int c = 0; c < 5; ++c)
            ramp.at<double>(r, c) = 10 * (r + c);
    session.setSource(ramp, QStringLiteral("ramp"));
    session.setPreset(QStringLiteral("box-3"));
    session.setAmount({Amount::Same, {}});
    session.setStageCount(2);
    const StageChain chain = chainOf(session);
    const QRect target(QPoint(0, 0), size);
    const QImage image = renderChain(chain, size);
    // Cell (2, 2) is 40 in the input and in both stages (a box keeps a ramp's inside), the
    // middle of 0..80: a grey on which the number shows. Stage values such as 13.33 get the
    // same treatment as the input's whole numbers.
    for (int stage = 0; stage <= 2; ++stage) {
        const QRectF cell = StagesPainter::cellRect(target, chain, {}, stage, {2, 2});
        const QColor background = image.pixelColor(cell.toRect().topLeft() + QPoint(2, 2));
        const QRect middle =
            cell.adjusted(cell.width() / 4, cell.height() / 4, -cell.width() / 4, -cell.height() / 4).toRect();
        QVERIFY2((inkPixels(image, middle, background) > 4) == written, qPrintable(QStringLiteral("stage %1").arg(stage)));
    }
}

void TstStages::classroomLayout_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<PadAmount>("amount");
    QTest::addColumn<Fill>("fill");
    QTest::addColumn<int>("count");
    QTest::addColumn<double>("fontScale");
    QTest::newRow("digit, same zeros, 8") << "digit" << PadAmount{Amount::Same, {}} << Fill::Zeros << 8 << 1.0;
    QTest::newRow("bright, same zeros, 8") << "bright" << PadAmount{Amount::Same, {}} << Fill::Zeros << 8 << 1.0;
    QTest::newRow("bright, same reflect, 8") << "bright" << PadAmount{Amount::Same, {}} << Fill::Reflect << 8 << 1.0;
    QTest::newRow("digit, valid, 10") << "digit" << PadAmount{Amount::Valid, {}} << Fill::Zeros << 10 << 1.0;
    QTest::newRow("digit, valid, 20, large text") << "digit" << PadAmount{Amount::Valid, {}} << Fill::Zeros << 20 << 1.6;
    QTest::newRow("digit, same, 20") << "digit" << PadAmount{Amount::Same, {}} << Fill::Zeros << 20 << 1.0;
}

void TstStages::classroomLayout()
{
    QFETCH(QString, input);
    QFETCH(PadAmount, amount);
    QFETCH(Fill, fill);
    QFETCH(int, count);
    QFETCH(double, fontScale);
    Session session;
    session.setSource(input == QLatin1String("digit") ? padlab::ui::makeSample(input) : constant(28, 28, CV_32F, 220),
                      input);
    session.setPreset(QStringLiteral("box-3"));
    session.setAmount(amount);
    session.setFill(fill);
    session.setStageCount(count);
    const StageChain chain = chainOf(session);
    StagesOptions options;
    options.look.fontScale = fontScale;
    const QSize size(1700, 900);
    const QRect target(QPoint(0, 0), size);
    renderChain(chain, size, options);
    // On a projector at 1700x900 every 28x28 stage is large enough to see its border ring.
    QVERIFY2(StagesPainter::cellSize(target, chain, options) >= 5,
             qPrintable(QString::number(StagesPainter::cellSize(target, chain, options))));
    // Each title fits above its thumbnail, unelided: thumbnails side by side are further apart
    // than the longest title is wide.
    QFont title;
    title.setPixelSize(int(std::lround(15 * fontScale)));
    title.setBold(true);
    const QFontMetricsF metrics(title);
    const QRectF first = StagesPainter::stageRect(target, chain, options, 0);
    const QRectF second = StagesPainter::stageRect(target, chain, options, 1);
    const double pitch = std::abs(second.center().y() - first.center().y()) < 1 ? second.center().x() - first.center().x()
                                                                                : size.width();
    for (const auto &stage : chain.stages) {
        const double width = metrics.horizontalAdvance(StagesPainter::stageTitle(stage));
        QVERIFY2(width + 10 < pitch, qPrintable(QStringLiteral("stage %1: title %2 px, thumbnails %3 px apart")
                                                     .arg(stage.index).arg(width).arg(pitch)));
    }
}

void TstStages::effectText_data()
{
    QTest::addColumn<ConvSpec>("spec");
    QTest::addColumn<int>("kernel");
    QTest::addColumn<QString>("text");
    QTest::newRow("same zeros") << specOf(Amount::Same) << 3 << "same · zeros: size kept, border pulled toward 0";
    QTest::newRow("same reflect") << specOf(Amount::Same, Fill::Reflect) << 3
                                  << "same · reflect: size kept, border keeps the image's own values";
    QTest::newRow("valid 3x3") << specOf(Amount::Valid) << 3 << "valid: shrinks by 2 per stage, no padding, the border is cut off";
    QTest::newRow("valid 5x5") << specOf(Amount::Valid, Fill::Reflect) << 5
                               << "valid: shrinks by 4 per stage, no padding, the border is cut off";
    QTest::newRow("full zeros") << specOf(Amount::Full) << 3 << "full · zeros: grows by 2 per stage, border pulled toward 0";
    QTest::newRow("same stride 2") << specOf(Amount::Same, Fill::Zeros, {2, 2}) << 3
                                   << "same · zeros · stride 2: size ÷ 2 per stage (rounded up), border pulled toward 0";
    ConvSpec five = specOf(Amount::Same, Fill::Constant);
    five.value = 5;
    QTest::newRow("same constant 5") << five << 3 << "same · constant 5: size kept, border pulled toward 5";
    QTest::newRow("causal keeps the size")
        << specOf(Amount::Causal) << 3 << "causal · zeros: size kept, top and left only: border pulled toward 0";
    ConvSpec sides = specOf(Amount::Explicit, Fill::Replicate);
    sides.amount.sides = {0, 0, 2, 2};
    QTest::newRow("explicit, columns only")
        << sides << 3
        << "explicit 0,0,2,2 · replicate: rows −2, columns +2 per stage, border keeps the image's own values";
}

void TstStages::effectText()
{
    QFETCH(ConvSpec, spec);
    QFETCH(int, kernel);
    QFETCH(QString, text);
    QCOMPARE(StagesPainter::effectText(spec, {kernel, kernel}), text);
}

// ------------------------------------------------------------------------------------------ View

void TstStages::spinBoxAndSessionAgree()
{
    Session session;
    session.setSource(padlab::ui::makeSample(QStringLiteral("digit")), QStringLiteral("digit"));
    session.setPreset(QStringLiteral("box-3"));
    session.setAmount({Amount::Valid, {}});
    StagesView view(&session);
    view.resize(1200, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto *spin = view.findChild<QSpinBox *>(QStringLiteral("stageCount"));
    QVERIFY(spin);
    QCOMPARE(spin->minimum(), 1);
    QCOMPARE(spin->maximum(), Session::kMaxStages);
    QCOMPARE(spin->value(), session.stageCount());
    QCOMPARE(view.chain().computed(), session.stageCount());

    QSignalSpy settings(&session, &Session::viewSettingsChanged);
    spin->setValue(7);
    QCOMPARE(session.stageCount(), 7);
    QCOMPARE(settings.count(), 1);
    QCOMPARE(view.chain().computed(), 7);
    QCOMPARE(view.chain().stages.back().output.rows, 28 - 2 * 7);

    session.setStageCount(3);
    QCOMPARE(spin->value(), 3);
    QCOMPARE(view.chain().computed(), 3);
    // The session's own clamp: the box follows what the session keeps.
    session.setStageCount(50);
    QCOMPARE(spin->value(), Session::kMaxStages);
    QCOMPARE(view.chain().requested, Session::kMaxStages);
    QVERIFY(!view.chain().complete());
}

void TstStages::viewFollowsSession_data()
{
    QTest::addColumn<QString>("preset");
    QTest::addColumn<PadAmount>("amount");
    QTest::addColumn<int>("lastSize");
    QTest::addColumn<QString>("effect");
    // 4 stages on 28x28.
    QTest::newRow("valid box-3") << "box-3" << PadAmount{Amount::Valid, {}} << 20 << "valid: shrinks by 2";
    QTest::newRow("valid box-5") << "box-5" << PadAmount{Amount::Valid, {}} << 12 << "valid: shrinks by 4";
    QTest::newRow("same box-5") << "box-5" << PadAmount{Amount::Same, {}} << 28 << "same · zeros: size kept";
    QTest::newRow("full box-3") << "box-3" << PadAmount{Amount::Full, {}} << 36 << "full · zeros: grows by 2";
}

void TstStages::viewFollowsSession()
{
    QFETCH(QString, preset);
    QFETCH(PadAmount, amount);
    QFETCH(int, lastSize);
    QFETCH(QString, effect);
    Session session;
    session.setSource(padlab::ui::makeSample(QStringLiteral("digit")), QStringLiteral("digit"));
    session.setPreset(QStringLiteral("gaussian-3"));
    session.setAmount({Amount::Causal, {}});
    session.setStageCount(4);
    StagesView view(&session);
    view.resize(1200, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(view.chain().computed(), 4);
    QSignalSpy drawn(&view, &StagesView::chainChanged);
    QVERIFY(session.setPreset(preset));
    session.setAmount(amount);
    QVERIFY(drawn.count() >= 1);
    QCOMPARE(view.chain().stages.back().output.rows, lastSize);
    QVERIFY2(view.effectText().startsWith(effect), qPrintable(view.effectText()));
    auto *label = view.findChild<QLabel *>(QStringLiteral("effect"));
    QVERIFY(label);
    QCOMPARE(label->text(), view.effectText());
    if (qEnvironmentVariableIsSet("PADLAB_STAGES_PNG"))
        view.grab().save(QStringLiteral("/tmp/stages-view-%1.png").arg(QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('_'))));
    // The drawn stages are the session's kernel applied again and again.
    const padlab::core::ConvResult first = padlab::core::convolve(session.input(), session.kernel(), session.spec());
    PADLAB_COMPARE_MAT(view.chain().stages[1].output, first.output, 0);
}

void TstStages::computesOnlyWhileVisible()
{
    Session session;
    session.setSource(padlab::ui::makeSample(QStringLiteral("digit")), QStringLiteral("digit"));
    session.setPreset(QStringLiteral("box-3"));
    StagesView view(&session);
    QSignalSpy drawn(&view, &StagesView::chainChanged);
    session.setStageCount(6);
    session.setAmount({Amount::Valid, {}});
    QCOMPARE(drawn.count(), 0);
    QVERIFY(view.chain().stages.empty());
    view.resize(1000, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(drawn.count(), 1);
    QCOMPARE(view.chain().computed(), 6);
    // Nothing changed: showing again computes nothing.
    view.hide();
    view.show();
    QCOMPARE(drawn.count(), 1);
    view.hide();
    session.setStageCount(2);
    QCOMPARE(drawn.count(), 1);
    view.show();
    QCOMPARE(drawn.count(), 2);
    QCOMPARE(view.chain().computed(), 2);
}

void TstStages::largeInputOnWorker()
{
    Session session;
    session.setSource(padlab::test::randomMat(1000, 1000, CV_32F, 0, 255, 3), QStringLiteral("photo"));
    QVERIFY(session.waitUntilIdle());
    session.setPreset(QStringLiteral("box-3"));
    QVERIFY(session.waitUntilIdle());
    session.setAmount({Amount::Same, {}});
    QVERIFY(session.waitUntilIdle());
    session.setStageCount(20);
    StagesView view(&session);
    QSignalSpy drawn(&view, &StagesView::chainChanged);
    view.resize(1000, 600);
    view.show();
    // The window stays responsive: the chain is computed on a worker.
    QVERIFY(view.isComputing());
    QVERIFY(view.chain().stages.empty());
    QVERIFY(drawn.wait(30000));
    QVERIFY(!view.isComputing());
    QCOMPARE(view.chain().computed(), 20);
    QCOMPARE(view.chain().stages.back().output.rows, 1000);
    // A change made meanwhile is computed after the running chain.
    session.setStageCount(2);
    QVERIFY(view.isComputing());
    QTRY_COMPARE_WITH_TIMEOUT(view.chain().computed(), 2, 30000);
    QVERIFY(!view.isComputing());
}

// While a newer chain is computed, the view keeps the chain it has and the sentence about that
// chain's settings, never the new sentence over the old stages; both change together.
void TstStages::neverDrawsAStaleChain()
{
    Session session;
    session.setSource(padlab::ui::makeSample(QStringLiteral("digit")), QStringLiteral("digit"));
    session.setPreset(QStringLiteral("box-3"));
    session.setAmount({Amount::Valid, {}});
    session.setStageCount(4);
    StagesView view(&session);
    view.resize(1000, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(view.chain().stages.back().output.rows, 28 - 2 * 4);
    QVERIFY2(view.effectText().startsWith(QStringLiteral("valid")), qPrintable(view.effectText()));

    session.setComputationDelayForTesting(300);
    session.setAmount({Amount::Same, {}});
    QVERIFY(view.isComputing());
    // The feature map, then the chain: every moment in between shows one whole state.
    int looks = 0;
    QElapsedTimer clock;
    clock.start();
    while (view.isComputing() && clock.elapsed() < 20000) {
        const bool valid = view.effectText().startsWith(QStringLiteral("valid"));
        QCOMPARE(view.chain().stages.back().output.rows, valid ? 28 - 2 * 4 : 28);
        QCOMPARE(view.shown()->spec.amount.kind, valid ? Amount::Valid : Amount::Same);
        ++looks;
        QTest::qWait(40);
    }
    QVERIFY(looks >= 5);
    QVERIFY(!view.isComputing());
    QCOMPARE(view.chain().stages.back().output.rows, 28);
    QVERIFY2(view.effectText().startsWith(QStringLiteral("same")), qPrintable(view.effectText()));
}

QTEST_MAIN(TstStages)
#include "tst_stages.moc"

#include "comparepainter.h"
#include "compareview.h"
#include "jobqueue.h"
#include "parts.h"
#include "session.h"
#include "testutil.h"

#include "padlab/core/compare.h"
#include "padlab/core/error.h"

#include <QComboBox>
#include <QImage>
#include <QPainter>
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>

#include <opencv2/core.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

using padlab::core::Amount;
using padlab::core::CompareBy;
using padlab::core::CompareItem;
using padlab::core::Comparison;
using padlab::core::ConvSpec;
using padlab::core::Fill;
using padlab::core::PadAmount;
using padlab::ui::CompareOptions;
using padlab::ui::ComparePainter;
using padlab::ui::CompareRow;
using padlab::ui::CompareView;
using padlab::ui::Look;
using padlab::ui::Part;
using padlab::ui::Session;

namespace {

/// The comparison the session computes for the Compare view; empty when it refuses.
Comparison comparisonOf(Session &session)
{
    session.need(Part::Comparison);
    session.waitUntilIdle();
    const auto set = session.snapshot()->comparison;
    session.release(Part::Comparison);
    return set ? set->comparison : Comparison();
}

Look look(bool dark)
{
    Look l;
    l.dark = dark;
    return l;
}

/// 1, 2, 3, ... row by row: positive everywhere, so a window that reads a reflected copy
/// instead of a zero always sums to more.
cv::Mat ramp(int rows, int cols)
{
    cv::Mat m(rows, cols, CV_64F);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c)
            m.at<double>(r, c) = r * cols + c + 1;
    return m;
}

cv::Mat ones(int size)
{
    return cv::Mat(size, size, CV_64F, cv::Scalar(1));
}

ConvSpec specOf(PadAmount amount, int stride, Fill fill = Fill::Zeros)
{
    ConvSpec spec;
    spec.amount = amount;
    spec.stride = {stride, stride};
    spec.fill = fill;
    return spec;
}

/// Whether output index i's window (start i*s - before, k taps) leaves an axis of n cells.
bool touchesPadding(int i, int stride, int before, int k, int n)
{
    const int start = i * stride - before;
    return start < 0 || start + k > n;
}

const QRect kTarget(0, 0, 1500, 860);

QImage render(const Comparison &comparison, const CompareOptions &options, QRect target = kTarget)
{
    QImage image(target.size(), QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::magenta);
    QPainter painter(&image);
    ComparePainter::paint(painter, target, padlab::ui::parts::compareSet(comparison), options);
    painter.end();
    if (!qEnvironmentVariableIsEmpty("PADLAB_COMPARE_PNG"))
        image.save(qEnvironmentVariable("PADLAB_COMPARE_PNG") + QLatin1String("/")
                   + QString::fromLatin1(QTest::currentTestFunction()) + QLatin1Char('-')
                   + QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('_'))
                   + QLatin1String(".png"));
    return image;
}

bool near(const QColor &a, const QColor &b, int tolerance = 6)
{
    return std::abs(a.red() - b.red()) <= tolerance && std::abs(a.green() - b.green()) <= tolerance
           && std::abs(a.blue() - b.blue()) <= tolerance;
}

QString describe(const QColor &c)
{
    return QStringLiteral("rgb(%1, %2, %3)").arg(c.red()).arg(c.green()).arg(c.blue());
}

} // namespace

class TstCompare : public QObject {
    Q_OBJECT

private slots:
    // Engine
    void fillsEqualConvolve_data();
    void fillsEqualConvolve();
    void zerosAgainstReflect_data();
    void zerosAgainstReflect();
    void amountsPairByWindow_data();
    void amountsPairByWindow();
    void constantZeroEqualsZeros();
    void emptyOutput();
    void refusals_data();
    void refusals();
    // Painter
    void columns_data();
    void columns();
    void referenceDifferenceIsNeutral_data();
    void referenceDifferenceIsNeutral();
    void paddingIsTinted_data();
    void paddingIsTinted();
    void differingCellsAreColoured_data();
    void differingCellsAreColoured();
    void noCounterpartIsGrey();
    void summaryText();
    void columnAtAndBack();
    // View
    void switchingCompareBy_data();
    void switchingCompareBy();
    void clickingAColumnMakesItTheReference_data();
    void clickingAColumnMakesItTheReference();
    void followsTheSession();
    void computesOnlyWhenVisibleAndChanged();
    void largeInputOnAWorker();
    void keepsItsComparisonUntilTheNewOne();
    void snapshotOwnMapIsNotComputedAgain();
    void outputsShareOneScale();
    void poolingFor_data();
    void poolingFor();
    void pooledDifference();
};

void TstCompare::fillsEqualConvolve_data()
{
    QTest::addColumn<PadAmount>("amount");
    QTest::addColumn<int>("stride");
    QTest::newRow("same") << PadAmount{Amount::Same, {}} << 1;
    QTest::newRow("full, stride 2") << PadAmount{Amount::Full, {}} << 2;
    QTest::newRow("explicit 2,0,1,3") << PadAmount{Amount::Explicit, {2, 0, 1, 3}} << 1;
    QTest::newRow("valid") << PadAmount{Amount::Valid, {}} << 1;
}

void TstCompare::fillsEqualConvolve()
{
    QFETCH(PadAmount, amount);
    QFETCH(int, stride);
    ConvSpec spec = specOf(amount, stride);
    spec.value = 7;
    const cv::Mat input = ramp(5, 5);
    const std::vector<CompareItem> items = padlab::core::compareItems(input, ones(3), spec, CompareBy::Fill);
    QCOMPARE(int(items.size()), 6);
    const std::vector<Fill> fills = {Fill::Zeros,     Fill::Constant,  Fill::Reflect,
                                     Fill::Symmetric, Fill::Replicate, Fill::Circular};
    for (size_t i = 0; i < fills.size(); ++i) {
        ConvSpec own = spec;
        own.fill = fills[i];
        const padlab::core::ConvResult expected = padlab::core::convolve(input, ones(3), own);
        QCOMPARE(items[i].spec.fill, fills[i]);
        QCOMPARE(items[i].spec.value, 7.0);
        QCOMPARE(items[i].sides, expected.geometry.sides());
        PADLAB_COMPARE_MAT(items[i].result.output, expected.output, 0);
        PADLAB_COMPARE_MAT(items[i].result.padded, expected.padded, 0);
    }
}

void TstCompare::zerosAgainstReflect_data()
{
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("k");
    QTest::addColumn<int>("stride");
    QTest::addColumn<int>("reach");
    // Reach worked out by hand: the deepest window centre among windows that read padding.
    QTest::newRow("3x3, stride 1") << 5 << 3 << 1 << 1;
    QTest::newRow("5x5, stride 1") << 7 << 5 << 1 << 2;
    QTest::newRow("3x3, stride 2") << 6 << 3 << 2 << 1;
    QTest::newRow("5x5, stride 2, centre on ring 2") << 6 << 5 << 2 << 2;
    QTest::newRow("5x5, stride 2, centres skip ring 2") << 5 << 5 << 2 << 1;
}

void TstCompare::zerosAgainstReflect()
{
    QFETCH(int, n);
    QFETCH(int, k);
    QFETCH(int, stride);
    QFETCH(int, reach);
    const cv::Mat input = ramp(n, n);
    const ConvSpec spec = specOf({Amount::Same, {}}, stride);
    const Comparison c = padlab::core::compare(input, ones(k), spec, CompareBy::Fill, 0);
    QCOMPARE(c.reference, 0);
    const int reflect = 2;
    const cv::Mat &map = c.differences[reflect];
    const CompareItem &item = c.items[reflect];
    const int before = item.sides.top;
    QCOMPARE(item.sides.left, before);

    // Expected from the two convolutions directly.
    ConvSpec zeros = spec;
    ConvSpec reflected = spec;
    reflected.fill = Fill::Reflect;
    const cv::Mat a = padlab::core::convolve(input, ones(k), reflected).output;
    const cv::Mat b = padlab::core::convolve(input, ones(k), zeros).output;
    QCOMPARE(map.rows, a.rows);
    QCOMPARE(map.cols, a.cols);
    long long differing = 0;
    double maxAbs = 0;
    for (int i = 0; i < map.rows; ++i)
        for (int j = 0; j < map.cols; ++j) {
            const double delta = a.at<double>(i, j) - b.at<double>(i, j);
            QCOMPARE(map.at<double>(i, j), delta);
            const bool reads = touchesPadding(i, stride, before, k, n) || touchesPadding(j, stride, before, k, n);
            QVERIFY2((delta != 0) == reads, qPrintable(QStringLiteral("cell %1,%2 delta %3").arg(i).arg(j).arg(delta)));
            if (reads)
                ++differing;
            maxAbs = std::max(maxAbs, std::abs(delta));
        }
    const padlab::core::DifferenceSummary &s = c.summaries[reflect];
    QCOMPARE(s.differing, differing);
    QCOMPARE(s.compared, (long long)map.total());
    QCOMPARE(s.unmatched, 0LL);
    QCOMPARE(s.maxAbs, maxAbs);
    QCOMPARE(s.edgeReach, reach);
    QCOMPARE(c.summaries[0].differing, 0LL); // the reference against itself
    QCOMPARE(c.summaries[0].edgeReach, 0);
}

void TstCompare::amountsPairByWindow_data()
{
    QTest::addColumn<int>("stride");
    QTest::addColumn<PadAmount>("amount");
    QTest::addColumn<int>("reference");
    QTest::addColumn<int>("column");
    QTest::addColumn<int>("ringRows"); // rows (and columns) at the start without a counterpart
    QTest::addColumn<int>("ringRowsEnd");
    // Item order: valid, same, full, causal, explicit.
    QTest::newRow("same against valid: NaN ring") << 1 << PadAmount{} << 0 << 1 << 1 << 1;
    QTest::newRow("valid against same: all paired") << 1 << PadAmount{} << 1 << 0 << 0 << 0;
    QTest::newRow("full against valid: two rings") << 1 << PadAmount{} << 0 << 2 << 2 << 2;
    QTest::newRow("causal against valid: top and left") << 1 << PadAmount{} << 0 << 3 << 2 << 0;
    QTest::newRow("explicit 1,1,1,1 against same") << 1 << PadAmount{Amount::Explicit, {1, 1, 1, 1}} << 1 << 4 << 0 << 0;
    // Explicit windows start on odd cells, valid ones on even cells: none is shared.
    QTest::newRow("explicit 1,1,1,1, stride 2, against valid") << 2 << PadAmount{Amount::Explicit, {1, 1, 1, 1}} << 0
                                                               << 4 << 3 << 0;
}

void TstCompare::amountsPairByWindow()
{
    QFETCH(int, stride);
    QFETCH(PadAmount, amount);
    QFETCH(int, reference);
    QFETCH(int, column);
    QFETCH(int, ringRows);
    QFETCH(int, ringRowsEnd);
    const Comparison c = padlab::core::compare(ramp(5, 5), ones(3), specOf(amount, stride), CompareBy::Amount,
                                               reference);
    QCOMPARE(int(c.items.size()), amount.kind == Amount::Explicit ? 5 : 4);
    const cv::Mat &map = c.differences[size_t(column)];
    long long unmatched = 0;
    for (int i = 0; i < map.rows; ++i)
        for (int j = 0; j < map.cols; ++j) {
            const bool ring = i < ringRows || j < ringRows || i >= map.rows - ringRowsEnd || j >= map.cols - ringRowsEnd;
            const double v = map.at<double>(i, j);
            if (ring) {
                ++unmatched;
                QVERIFY2(std::isnan(v), qPrintable(QStringLiteral("cell %1,%2 = %3").arg(i).arg(j).arg(v)));
            } else {
                QVERIFY2(v == 0, qPrintable(QStringLiteral("cell %1,%2 = %3").arg(i).arg(j).arg(v)));
            }
        }
    QCOMPARE(c.summaries[size_t(column)].unmatched, unmatched);
    QCOMPARE(c.summaries[size_t(column)].compared, (long long)map.total() - unmatched);
    QCOMPARE(c.summaries[size_t(column)].differing, 0LL);
}

void TstCompare::constantZeroEqualsZeros()
{
    ConvSpec spec = specOf({Amount::Same, {}}, 1);
    spec.value = 0;
    Comparison c = padlab::core::compare(ramp(6, 4), ones(3), spec, CompareBy::Fill, 0);
    QCOMPARE(c.summaries[1].differing, 0LL);
    spec.value = 3;
    c = padlab::core::compare(ramp(6, 4), ones(3), spec, CompareBy::Fill, 0);
    // Every window that reads padding reads at least one 3 instead of a 0.
    QCOMPARE(c.summaries[1].differing, 6LL * 4 - 4 * 2);
    QCOMPARE(c.summaries[1].maxAbs, 5 * 3.0); // a corner window reads five padding cells
}

void TstCompare::emptyOutput()
{
    // A 2x2 input is smaller than the 3x3 window: valid has no cell, same keeps 2x2.
    Session session;
    session.setSource(ramp(2, 2), "tiny");
    session.setKernel(ones(3));
    session.setCompareBy(Session::CompareBy::Amount);
    const Comparison c = comparisonOf(session);
    QVERIFY(c.items[0].result.output.empty());
    QCOMPARE(c.summaries[0].compared, 0LL);
    QCOMPARE(c.summaries[1].unmatched, 4LL); // nothing in valid to pair with
    QCOMPARE(ComparePainter::summaryText(c, 0), QStringLiteral("reference\nothers compared with it"));
    QVERIFY(ComparePainter::summaryText(c, 1).startsWith(QStringLiteral("no counterpart")));
    const QImage image = render(c, CompareOptions());
    QVERIFY(ComparePainter::imageRect(kTarget, c, CompareOptions(), 0, CompareRow::Output).isEmpty());
    const QRectF cell = ComparePainter::cellRect(kTarget, c, CompareOptions(), 1, CompareRow::Difference, {0, 0});
    QVERIFY(image.pixelColor((cell.topLeft() + QPointF(4, 4)).toPoint()).hslSaturation() < 12);
}

void TstCompare::refusals_data()
{
    QTest::addColumn<cv::Mat>("input");
    QTest::addColumn<cv::Mat>("kernel");
    QTest::addColumn<int>("stride");
    QTest::newRow("empty input") << cv::Mat() << ones(3) << 1;
    QTest::newRow("three channels") << cv::Mat(4, 4, CV_32FC3, cv::Scalar::all(1)) << ones(3) << 1;
    QTest::newRow("empty kernel") << ramp(4, 4) << cv::Mat() << 1;
    QTest::newRow("stride 0") << ramp(4, 4) << ones(3) << 0;
}

void TstCompare::refusals()
{
    QFETCH(cv::Mat, input);
    QFETCH(cv::Mat, kernel);
    QFETCH(int, stride);
    QVERIFY_THROWS_EXCEPTION(padlab::core::Error,
                             padlab::core::compare(input, kernel, specOf({Amount::Same, {}}, stride), CompareBy::Fill));
    // Results of different strides cannot be paired.
    const auto one = padlab::core::compareItems(ramp(5, 5), ones(3), specOf({}, 1), CompareBy::Fill);
    const auto two = padlab::core::compareItems(ramp(5, 5), ones(3), specOf({}, 2), CompareBy::Fill);
    QVERIFY_THROWS_EXCEPTION(padlab::core::Error, padlab::core::differenceMap(one[0], two[0]));
}

void TstCompare::columns_data()
{
    QTest::addColumn<int>("by");
    QTest::addColumn<PadAmount>("amount");
    QTest::addColumn<QStringList>("titles");
    QTest::newRow("fills") << int(Session::CompareBy::Fill) << PadAmount{Amount::Same, {}}
                           << QStringList{"zeros", "constant 0", "reflect", "symmetric", "replicate", "circular"};
    QTest::newRow("amounts") << int(Session::CompareBy::Amount) << PadAmount{Amount::Same, {}}
                             << QStringList{"valid 0,0,0,0", "same 1,1,1,1", "full 2,2,2,2", "causal 2,0,2,0"};
    QTest::newRow("amounts with explicit")
        << int(Session::CompareBy::Amount) << PadAmount{Amount::Explicit, {0, 3, 1, 0}}
        << QStringList{"valid 0,0,0,0", "same 1,1,1,1", "full 2,2,2,2", "causal 2,0,2,0", "explicit 0,3,1,0"};
}

void TstCompare::columns()
{
    QFETCH(int, by);
    QFETCH(PadAmount, amount);
    QFETCH(QStringList, titles);
    Session session;
    session.setSource(ramp(6, 6), "ramp");
    session.setKernel(ones(3));
    session.setAmount(amount);
    session.setCompareBy(Session::CompareBy(by));
    const Comparison c = comparisonOf(session);
    QCOMPARE(int(c.items.size()), titles.size());
    const CompareOptions o;
    double previousRight = -1;
    for (int i = 0; i < titles.size(); ++i) {
        QCOMPARE(ComparePainter::title(c, i), titles[i]);
        const QRectF column = ComparePainter::columnRect(kTarget, c, o, i);
        QVERIFY(column.width() > 100);
        QVERIFY(column.left() > previousRight);
        previousRight = column.right();
        // The images stack inside their column.
        const QRectF padded = ComparePainter::imageRect(kTarget, c, o, i, CompareRow::Padded);
        const QRectF output = ComparePainter::imageRect(kTarget, c, o, i, CompareRow::Output);
        const QRectF difference = ComparePainter::imageRect(kTarget, c, o, i, CompareRow::Difference);
        QVERIFY(column.contains(padded) && column.contains(output) && column.contains(difference));
        QVERIFY(padded.bottom() < output.top() && output.bottom() < difference.top());
    }
    QVERIFY(previousRight <= kTarget.right());
}

void TstCompare::referenceDifferenceIsNeutral_data()
{
    QTest::addColumn<int>("by");
    QTest::addColumn<int>("reference");
    QTest::addColumn<bool>("dark");
    QTest::newRow("fills, reflect") << int(Session::CompareBy::Fill) << 2 << false;
    QTest::newRow("fills, zeros, dark") << int(Session::CompareBy::Fill) << 0 << true;
    QTest::newRow("amounts, valid") << int(Session::CompareBy::Amount) << 0 << false;
}

void TstCompare::referenceDifferenceIsNeutral()
{
    QFETCH(int, by);
    QFETCH(int, reference);
    QFETCH(bool, dark);
    Session session;
    session.setSource(ramp(5, 5), "ramp");
    session.setKernel(ones(3));
    session.setAmount({Amount::Same, {}});
    session.setCompareBy(Session::CompareBy(by));
    session.setCompareReference(reference);
    const Comparison c = comparisonOf(session);
    QCOMPARE(c.reference, reference);
    CompareOptions o;
    o.look.dark = dark;
    const QImage image = render(c, o);
    const cv::Mat &map = c.differences[size_t(reference)];
    const QColor neutral = Look::neutralColor();
    int nonNeutralElsewhere = 0;
    for (int i = 0; i < map.rows; ++i)
        for (int j = 0; j < map.cols; ++j) {
            // Off the centre, where the written "0" is.
            const QRectF cell = ComparePainter::cellRect(kTarget, c, o, reference, CompareRow::Difference, {j, i});
            const QColor color = image.pixelColor((cell.topLeft() + QPointF(4, 4)).toPoint());
            QVERIFY2(near(color, neutral), qPrintable(describe(color)));
        }
    // Some other column does show a difference, so the check above is not trivially true.
    for (int col = 0; col < int(c.items.size()); ++col) {
        if (col == reference)
            continue;
        const QRectF cell = ComparePainter::cellRect(kTarget, c, o, col, CompareRow::Difference, {0, 0});
        if (!near(image.pixelColor((cell.topLeft() + QPointF(4, 4)).toPoint()), neutral))
            ++nonNeutralElsewhere;
    }
    QVERIFY(nonNeutralElsewhere > 0);
}

void TstCompare::paddingIsTinted_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<bool>("dark");
    QTest::newRow("5x5, values written") << 5 << false;
    QTest::newRow("5x5, dark") << 5 << true;
    QTest::newRow("60x60, small cells") << 60 << false;
}

void TstCompare::paddingIsTinted()
{
    QFETCH(int, size);
    QFETCH(bool, dark);
    Session session;
    cv::Mat flat(size, size, CV_32F, cv::Scalar(128)); // one grey: only the tint can colour a cell
    session.setSource(flat, "flat");
    session.setKernel(ones(3));
    session.setAmount({Amount::Same, {}});
    const Comparison c = comparisonOf(session);
    CompareOptions o;
    o.look.dark = dark;
    const QImage image = render(c, o);
    const int tintHue = look(dark).paddingTint().hslHue();
    const int last = size + 1;
    for (int col = 0; col < 6; ++col) {
        for (const QPoint cell : {QPoint(0, 0), QPoint(last, 0), QPoint(size / 2, last), QPoint(0, size / 2)}) {
            const QRectF rect = ComparePainter::cellRect(kTarget, c, o, col, CompareRow::Padded, cell);
            const QColor color = image.pixelColor((rect.topLeft() + QPointF(rect.width() * 0.15, rect.height() * 0.5)).toPoint());
            QVERIFY2(color.hslSaturation() > 100 && std::abs(color.hslHue() - tintHue) < 20,
                     qPrintable(QStringLiteral("column %1, cell %2,%3: ").arg(col).arg(cell.x()).arg(cell.y())
                                + describe(color)));
        }
        const QRectF inside =
            ComparePainter::cellRect(kTarget, c, o, col, CompareRow::Padded, {size / 2, size / 2});
        const QColor color = image.pixelColor((inside.topLeft() + QPointF(inside.width() * 0.15, inside.height() * 0.5)).toPoint());
        QVERIFY2(color.hslSaturation() < 10, qPrintable(describe(color)));
    }
}

void TstCompare::differingCellsAreColoured_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("k");
    QTest::newRow("5x5, 3x3 kernel, values written") << 5 << 3;
    QTest::newRow("28x28, 5x5 kernel") << 28 << 5;
    QTest::newRow("900x900, far below a pixel per cell") << 900 << 3;
    QTest::newRow("1001x1001, painted from its pooled map") << 1001 << 3;
}

void TstCompare::differingCellsAreColoured()
{
    QFETCH(int, size);
    QFETCH(int, k);
    Session session;
    cv::Mat input(size, size, CV_32F);
    for (int r = 0; r < input.rows; ++r)
        for (int c = 0; c < input.cols; ++c)
            input.at<float>(r, c) = float(40 + (r * 7 + c * 3) % 200);
    session.setSource(input, "pattern");
    session.setKernel(ones(k));
    session.setAmount({Amount::Same, {}});
    session.setCompareReference(0); // zeros
    const Comparison c = comparisonOf(session);
    const CompareOptions o;
    const QImage image = render(c, o);
    const QColor neutral = Look::neutralColor();
    const int reflect = 2;
    const QRectF map = ComparePainter::imageRect(kTarget, c, o, reflect, CompareRow::Difference);
    const double cell = ComparePainter::cellSize(kTarget, c, o);
    // The outermost cells differ (reflect reads copies, zeros reads 0); the centre does not.
    const QRectF corner = ComparePainter::cellRect(kTarget, c, o, reflect, CompareRow::Difference, {0, 0});
    const QRectF edge = ComparePainter::cellRect(kTarget, c, o, reflect, CompareRow::Difference, {size / 2, 0});
    const QRectF centre = ComparePainter::cellRect(kTarget, c, o, reflect, CompareRow::Difference, {size / 2, size / 2});
    const QPointF inset(cell >= 6 ? cell * 0.2 : 0.0, cell >= 6 ? cell * 0.2 : 0.0);
    const QRectF right = ComparePainter::cellRect(kTarget, c, o, reflect, CompareRow::Difference, {size - 1, size / 2});
    const QRectF bottom = ComparePainter::cellRect(kTarget, c, o, reflect, CompareRow::Difference, {size / 2, size - 1});
    for (const QRectF &differs : {corner, edge, right, bottom}) {
        const QColor color = image.pixelColor((differs.topLeft() + inset).toPoint());
        QVERIFY2(!near(color, neutral, 20) && color.hslSaturation() > 60, qPrintable(describe(color)));
    }
    QVERIFY2(near(image.pixelColor((centre.topLeft() + inset).toPoint()), neutral),
             qPrintable(describe(image.pixelColor((centre.topLeft() + inset).toPoint()))));
    // A ring of one cell stays visible however small the cells: at least 2 pixels deep.
    const QColor second = image.pixelColor(QPoint(int(map.center().x()), int(map.top()) + 1));
    QVERIFY2(!near(second, neutral, 20), qPrintable(describe(second)));
}

void TstCompare::noCounterpartIsGrey()
{
    Session session;
    session.setSource(ramp(5, 5), "ramp");
    session.setKernel(ones(3));
    session.setCompareBy(Session::CompareBy::Amount);
    session.setCompareReference(0); // valid
    const Comparison c = comparisonOf(session);
    const CompareOptions o;
    const QImage image = render(c, o);
    const QRectF ring = ComparePainter::cellRect(kTarget, c, o, 1, CompareRow::Difference, {0, 0});
    const QRectF inside = ComparePainter::cellRect(kTarget, c, o, 1, CompareRow::Difference, {2, 2});
    int grey = 0;
    int hatch = 0;
    const QColor light = look(false).noCounterpartColor();
    for (int y = int(ring.top()) + 2; y < int(ring.bottom()) - 2; ++y)
        for (int x = int(ring.left()) + 2; x < int(ring.right()) - 2; ++x) {
            const QColor color = image.pixelColor(x, y);
            QVERIFY2(color.hslSaturation() < 12, qPrintable(describe(color)));
            if (near(color, light))
                ++grey;
            else if (color.lightness() < light.lightness() - 20)
                ++hatch;
        }
    QVERIFY2(grey > 0 && hatch > 0, qPrintable(QStringLiteral("grey %1, hatch %2").arg(grey).arg(hatch)));
    QVERIFY(near(image.pixelColor((inside.topLeft() + QPointF(4, 4)).toPoint()), Look::neutralColor()));
    QVERIFY(ComparePainter::summaryText(c, 1).contains(QStringLiteral("16 cells with no counterpart")));
}

void TstCompare::summaryText()
{
    Session session;
    session.setSource(ramp(6, 6), "ramp");
    session.setKernel(ones(5));
    session.setAmount({Amount::Same, {}});
    const Comparison c = comparisonOf(session);
    // 6x6 with a 5x5 kernel: rows and columns 0, 1, 4, 5 read padding, 2x2 in the middle do not.
    const QString text = ComparePainter::summaryText(c, 2);
    QVERIFY2(text.startsWith(QStringLiteral("differs in 32 cells\nup to 2 cells from the edge")), qPrintable(text));
    QVERIFY(ComparePainter::summaryText(c, 0).startsWith(QStringLiteral("reference")));
    QVERIFY(ComparePainter::subtitle(c, 2).contains(QStringLiteral("BORDER_REFLECT_101")));
    QVERIFY(ComparePainter::toolTip(c, 3).contains(QStringLiteral("SYMMETRIC")));
}

void TstCompare::columnAtAndBack()
{
    Session session;
    session.setSource(ramp(8, 8), "ramp");
    session.setKernel(ones(3));
    const Comparison c = comparisonOf(session);
    const CompareOptions o;
    for (int i = 0; i < 6; ++i) {
        const QRectF column = ComparePainter::columnRect(kTarget, c, o, i);
        QCOMPARE(ComparePainter::columnAt(kTarget, c, o, column.center()), std::optional<int>(i));
        QCOMPARE(ComparePainter::columnAt(kTarget, c, o, column.topLeft() + QPointF(1, 1)), std::optional<int>(i));
    }
    QCOMPARE(ComparePainter::columnAt(kTarget, c, o, QPointF(2, 2)), std::nullopt);
}

void TstCompare::switchingCompareBy_data()
{
    QTest::addColumn<QString>("button");
    QTest::addColumn<int>("by");
    QTest::addColumn<int>("columns");
    QTest::newRow("amounts") << "compareAmounts" << int(Session::CompareBy::Amount) << 4;
    QTest::newRow("fills") << "compareFills" << int(Session::CompareBy::Fill) << 6;
}

void TstCompare::switchingCompareBy()
{
    QFETCH(QString, button);
    QFETCH(int, by);
    QFETCH(int, columns);
    Session session;
    session.setSource(ramp(7, 7), "ramp");
    session.setKernel(ones(3));
    // Start from the other setting, so the click has something to change.
    session.setCompareBy(by == int(Session::CompareBy::Fill) ? Session::CompareBy::Amount : Session::CompareBy::Fill);
    CompareView view(&session);
    view.resize(1400, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto *push = view.findChild<QPushButton *>(button);
    QVERIFY(push);
    QTest::mouseClick(push, Qt::LeftButton);
    QCOMPARE(int(session.compareBy()), by);
    QVERIFY(push->isChecked());
    QVERIFY(view.comparison());
    QCOMPARE(int(view.comparison()->items.size()), columns);
    QCOMPARE(view.findChild<QComboBox *>("compareReference")->count(), columns);
}

void TstCompare::clickingAColumnMakesItTheReference_data()
{
    QTest::addColumn<int>("by");
    QTest::addColumn<int>("column");
    QTest::newRow("fills, circular") << int(Session::CompareBy::Fill) << 5;
    QTest::newRow("fills, reflect") << int(Session::CompareBy::Fill) << 2;
    QTest::newRow("amounts, same") << int(Session::CompareBy::Amount) << 1;
}

void TstCompare::clickingAColumnMakesItTheReference()
{
    QFETCH(int, by);
    QFETCH(int, column);
    Session session;
    session.setSource(ramp(7, 7), "ramp");
    session.setKernel(ones(3));
    session.setCompareBy(Session::CompareBy(by));
    CompareView view(&session);
    view.resize(1400, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(view.comparison());
    const QRectF rect = ComparePainter::columnRect(view.canvas()->rect(), *view.comparison(), view.options(), column);
    QSignalSpy spy(&session, &Session::viewSettingsChanged);
    QTest::mouseClick(view.canvas(), Qt::LeftButton, {}, rect.center().toPoint());
    QCOMPARE(session.compareReference(), column);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(view.comparison()->reference, column);
    QCOMPARE(view.findChild<QComboBox *>("compareReference")->currentIndex(), column);
    // The reference column's own map is now all zero.
    QCOMPARE(view.comparison()->summaries[size_t(column)].differing, 0LL);
    QCOMPARE(view.comparison()->summaries[size_t(column)].unmatched, 0LL);
}

void TstCompare::followsTheSession()
{
    Session session;
    session.setSource(ramp(7, 7), "ramp");
    session.setKernel(ones(3));
    CompareView view(&session);
    view.resize(1400, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto *combo = view.findChild<QComboBox *>("compareReference");
    QCOMPARE(combo->count(), 6);

    session.setCompareBy(Session::CompareBy::Amount);
    QVERIFY(view.findChild<QPushButton *>("compareAmounts")->isChecked());
    QCOMPARE(combo->count(), 4);
    session.setAmount({Amount::Explicit, {1, 0, 0, 1}});
    QCOMPARE(combo->count(), 5);
    QCOMPARE(combo->itemText(4), QStringLiteral("explicit 1,0,0,1"));
    session.setCompareReference(3);
    QCOMPARE(combo->currentIndex(), 3);
    QCOMPARE(view.comparison()->reference, 3);

    // A new kernel is compared at once: the valid output of a 1x1 kernel of 2 doubles the input.
    session.setKernel(cv::Mat(1, 1, CV_64F, cv::Scalar(2)));
    PADLAB_COMPARE_MAT(view.comparison()->items[0].result.output, ramp(7, 7) * 2, 0);
}

void TstCompare::computesOnlyWhenVisibleAndChanged()
{
    Session session;
    session.setSource(ramp(7, 7), "ramp");
    session.setKernel(ones(3));
    CompareView view(&session);
    view.resize(1400, 800);
    QSignalSpy spy(&view, &CompareView::comparisonChanged);
    session.setFill(Fill::Reflect);
    QVERIFY(!view.comparison()); // hidden: nothing computed
    QCOMPARE(spy.count(), 0);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(view.comparison());
    QCOMPARE(spy.count(), 1);
    const Comparison *first = view.comparison();
    session.setStep(5); // the step is no part of a comparison
    session.setFill(Fill::Circular); // nor is the fill when all fills are compared
    QCOMPARE(view.comparison(), first);
    QCOMPARE(spy.count(), 1);
    session.setStride({2, 2});
    QVERIFY(view.comparison() != first);
    QCOMPARE(spy.count(), 2);
    QCOMPARE(view.comparison()->items[0].result.output.rows, 4);
}

void TstCompare::largeInputOnAWorker()
{
    Session session;
    session.setSource(cv::Mat(600, 600, CV_32F, cv::Scalar(100)), "flat");
    session.setKernel(ones(3));
    QVERIFY(session.waitUntilIdle());
    // Large enough for the session's one rule to send it to a worker.
    QVERIFY(padlab::ui::parts::partSize(Part::Comparison, *session.snapshot()).cells
            > padlab::ui::JobQueue::kWorkerCells);
    CompareView view(&session);
    view.resize(1400, 800);
    QSignalSpy spy(&view, &CompareView::comparisonChanged);
    view.show();
    QVERIFY(view.isComputing());
    QVERIFY(!view.comparison());
    QTRY_VERIFY_WITH_TIMEOUT(spy.count() == 1, 20000);
    QVERIFY(!view.isComputing());
    QCOMPARE(int(view.comparison()->items.size()), 6);
    // On a flat input, constant 0 equals zeros; the copying fills differ on the one-cell ring.
    QCOMPARE(view.comparison()->summaries[1].differing, 0LL);
    QCOMPARE(view.comparison()->summaries[2].differing, 4LL * 600 - 4);
    QCOMPARE(view.comparison()->summaries[4].differing, 4LL * 600 - 4);
    QCOMPARE(view.comparison()->summaries[4].edgeReach, 1);
}

// While a newer comparison is computed the grid drawn stays the one it was, whole; the new one
// replaces it in one go.
void TstCompare::keepsItsComparisonUntilTheNewOne()
{
    Session session;
    session.setSource(ramp(9, 9), "ramp");
    session.setKernel(ones(3));
    CompareView view(&session);
    view.resize(1400, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy spy(&view, &CompareView::comparisonChanged);
    QCOMPARE(view.comparison()->items[0].result.output.rows, 9);

    session.setComputationDelayForTesting(400);
    session.setStride({2, 2});
    for (int i = 0; i < 3; ++i) {
        QVERIFY(view.isComputing());
        QVERIFY(view.comparison());
        for (const padlab::core::CompareItem &item : view.comparison()->items)
            QCOMPARE(item.result.output.rows, 9); // every column of the old grid, none of the new
        QCOMPARE(spy.count(), 0);
        QTest::qWait(60);
    }
    QVERIFY(session.waitUntilIdle());
    QCOMPARE(spy.count(), 1);
    for (const padlab::core::CompareItem &item : view.comparison()->items)
        QCOMPARE(item.result.output.rows, 5);
}

// The item of the snapshot's own fill is its feature map, shared rather than computed again.
void TstCompare::snapshotOwnMapIsNotComputedAgain()
{
    Session session;
    session.setSource(ramp(9, 9), "ramp");
    session.setKernel(ones(3));
    session.setAmount({Amount::Same, {}});
    session.setFill(Fill::Reflect);
    session.need(Part::Comparison);
    QVERIFY(session.waitUntilIdle());
    const auto snapshot = session.snapshot();
    const Comparison &c = snapshot->comparison->comparison;
    const auto fills = padlab::core::allFills();
    const int reflect = int(std::find(fills.begin(), fills.end(), Fill::Reflect) - fills.begin());
    QCOMPARE(c.items[size_t(reflect)].result.output.data, snapshot->result.output.data);
    QVERIFY(c.items[0].result.output.data != snapshot->result.output.data);
    PADLAB_COMPARE_MAT(c.items[size_t(reflect)].result.output,
                       padlab::core::convolve(ramp(9, 9), ones(3), specOf({Amount::Same, {}}, 1, Fill::Reflect)).output,
                       0);
}

// Stretched, the outputs of all columns share one grey scale: the smallest value of any column
// is black, the largest white.
void TstCompare::outputsShareOneScale()
{
    Session session;
    session.setSource(ramp(5, 5), "ramp");
    session.setKernel(ones(3));
    session.setAmount({Amount::Same, {}});
    session.need(Part::Comparison);
    QVERIFY(session.waitUntilIdle());
    const auto snapshot = session.snapshot();
    const Comparison &c = snapshot->comparison->comparison;
    CompareOptions o;
    o.look.outputScale = padlab::ui::OutputScale::Stretch;
    QImage image(kTarget.size(), QImage::Format_ARGB32_Premultiplied);
    QPainter painter(&image);
    ComparePainter::paint(painter, kTarget, *snapshot, o);
    painter.end();
    struct Extreme {
        double value;
        int column;
        QPoint cell;
    };
    Extreme low{INFINITY, 0, {}};
    Extreme high{-INFINITY, 0, {}};
    for (int i = 0; i < int(c.items.size()); ++i) {
        const cv::Mat &m = c.items[size_t(i)].result.output;
        for (int r = 0; r < m.rows; ++r)
            for (int col = 0; col < m.cols; ++col) {
                const double v = m.at<double>(r, col);
                if (v < low.value)
                    low = {v, i, {col, r}};
                if (v > high.value)
                    high = {v, i, {col, r}};
            }
    }
    QVERIFY(low.column != high.column); // zeros has the smallest sum, a copying fill the largest
    const double cell = ComparePainter::cellSize(kTarget, c, o);
    const QPointF inset(cell * 0.15, cell * 0.15);
    const auto at = [&](const Extreme &e) {
        return image.pixelColor(
            (ComparePainter::cellRect(kTarget, c, o, e.column, CompareRow::Output, e.cell).topLeft() + inset).toPoint());
    };
    QVERIFY2(near(at(low), Qt::black, 1), qPrintable(describe(at(low))));
    QVERIFY2(near(at(high), Qt::white, 1), qPrintable(describe(at(high))));
    // The padded inputs are grey on the input's own range: 1 black, 25 white.
    const auto padded = [&](QPoint inputCell) {
        const QRectF r = ComparePainter::cellRect(kTarget, c, o, 0, CompareRow::Padded, inputCell + QPoint(1, 1));
        return image.pixelColor((r.topLeft() + inset).toPoint());
    };
    QVERIFY2(near(padded({0, 0}), Qt::black, 1), qPrintable(describe(padded({0, 0}))));
    QVERIFY2(near(padded({4, 4}), Qt::white, 1), qPrintable(describe(padded({4, 4}))));
}

void TstCompare::poolingFor_data()
{
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    QTest::addColumn<int>("expected");
    QTest::newRow("small: none") << 28 << 28 << 1;
    QTest::newRow("exactly the limit: none") << 512 << 512 << 1;
    QTest::newRow("one row more: blocks of 2") << 513 << 512 << 2;
    QTest::newRow("1 MP: blocks of 2") << 1000 << 1000 << 2;
    QTest::newRow("12 MP: blocks of 7") << 3000 << 4000 << 7;
    QTest::newRow("a long recording") << 1 << 3000000 << 12;
}

void TstCompare::poolingFor()
{
    QFETCH(int, rows);
    QFETCH(int, cols);
    QFETCH(int, expected);
    const int block = padlab::ui::parts::poolingFor(rows, cols);
    QCOMPARE(block, expected);
    // The smallest block that leaves no more cells than the limit.
    const auto cells = [&](int b) { return 1LL * ((rows + b - 1) / b) * ((cols + b - 1) / b); };
    if (block > 1) {
        QVERIFY(cells(block) <= padlab::ui::CompareSet::kPooledCells);
        QVERIFY(cells(block - 1) > padlab::ui::CompareSet::kPooledCells);
    }
}

// Each block keeps its Δ of largest magnitude with its sign, NaN only where all of it is NaN;
// the blocks at the right and bottom edges are partial.
void TstCompare::pooledDifference()
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    cv::Mat map(5, 5, CV_64F, cv::Scalar(0));
    map.at<double>(0, 1) = -7;
    map.at<double>(1, 0) = 3;
    map.at<double>(0, 2) = nan;
    map.at<double>(0, 3) = nan;
    map.at<double>(1, 2) = nan;
    map.at<double>(1, 3) = nan;
    map.at<double>(4, 4) = 2;
    map.at<double>(2, 4) = nan;
    map.at<double>(3, 4) = nan;
    const cv::Mat pooled = padlab::ui::parts::pooledDifference(map, 2);
    QCOMPARE(pooled.rows, 3);
    QCOMPARE(pooled.cols, 3);
    QCOMPARE(pooled.at<double>(0, 0), -7.0);
    QVERIFY(std::isnan(pooled.at<double>(0, 1)));
    QCOMPARE(pooled.at<double>(0, 2), 0.0);
    QVERIFY(std::isnan(pooled.at<double>(1, 2)));
    QCOMPARE(pooled.at<double>(2, 2), 2.0);
    QCOMPARE(pooled.at<double>(2, 0), 0.0);
}

QTEST_MAIN(TstCompare)
#include "tst_compare.moc"

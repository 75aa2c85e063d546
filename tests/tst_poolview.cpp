#include "clitestutil.h"
#include "exporter.h"
#include "lessons.h"
#include "mainwindow.h"
#include "poolpainter.h"
#include "poolview.h"
#include "session.h"
#include "testutil.h"

#include "padlab/core/pool.h"

#include <QAction>
#include <QImage>
#include <QPainter>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/core.hpp>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <vector>

using padlab::ui::Part;
using padlab::ui::PoolOptions;
using padlab::ui::PoolPainter;
using padlab::ui::PoolRule;
using padlab::ui::PoolSet;
using padlab::ui::Session;
using padlab::ui::SnapshotPtr;
using padlab::ui::ViewSettings;
namespace core = padlab::core;

namespace {

/// Numbers that differ from cell to cell, some negative, so that a padded 0 would win a max.
cv::Mat numberMatrix(int rows, int cols)
{
    cv::Mat m(rows, cols, CV_64F);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c)
            m.at<double>(r, c) = -3.0 - 1.5 * r - 2.0 * c + (r * c) % 3;
    return m;
}

cv::Mat numbered(int side)
{
    cv::Mat m(side, side, CV_64F);
    for (int r = 0; r < side; ++r)
        for (int c = 0; c < side; ++c)
            m.at<double>(r, c) = r * side + c + 1;
    return m;
}

core::PoolSpec poolOf(core::PoolOp op, int size, int stride, std::optional<std::vector<int>> pads, bool same = false,
                      bool ceil = false, std::optional<bool> count = std::nullopt)
{
    core::PoolSpec spec;
    spec.op = op;
    spec.window = {size};
    spec.stride = {stride};
    if (pads) {
        spec.amount.kind = core::Amount::Explicit;
        spec.amount.values = *pads;
    } else {
        spec.amount.kind = same ? core::Amount::Same : core::Amount::Valid;
    }
    spec.ceil = ceil;
    if (count.has_value()) // assigning the optional whole trips GCC 12's -Wmaybe-uninitialized
        spec.countPadding = *count;
    return spec;
}

std::unique_ptr<Session> poolSession(const cv::Mat &input, const core::PoolSpec &pool, PoolRule rule, bool both = false)
{
    auto session = std::make_unique<Session>();
    session->setSource(input, QStringLiteral("test input"));
    ViewSettings view = session->viewSettings();
    view.pool = pool;
    view.poolRule = rule;
    view.poolBoth = both;
    session->setViewSettings(view);
    session->need(Part::Pool);
    session->waitUntilIdle();
    return session;
}

/// The pooling by hand: padded positions o*s + t, input cells read, padding counted or not,
/// PyTorch's drop of a ceil-mode window that starts in the right padding.
struct HandAxis {
    int before = 0, after = 0, output = 0;
};

HandAxis handAxis(int n, int k, int s, core::Amount kind, int before, int after, bool ceil)
{
    HandAxis a;
    if (kind == core::Amount::Same) {
        const int out = (n + s - 1) / s;
        const int total = std::max((out - 1) * s + k - n, 0);
        a.before = total / 2;
        a.after = total - a.before;
        a.output = out;
        return a;
    }
    a.before = before;
    a.after = after;
    const int span = n + before + after - k;
    a.output = ceil ? (span + s - 1) / s + 1 : span / s + 1;
    if (ceil && (a.output - 1) * s >= n + before)
        --a.output;
    return a;
}

cv::Mat handPool(const cv::Mat &in, core::PoolOp op, int k, int s, const HandAxis &rows, const HandAxis &cols, bool count)
{
    cv::Mat out(rows.output, cols.output, CV_64F);
    const int paddedRows = in.rows + rows.before + rows.after;
    const int paddedCols = in.cols + cols.before + cols.after;
    for (int i = 0; i < rows.output; ++i)
        for (int j = 0; j < cols.output; ++j) {
            double best = -1e300, sum = 0;
            int divisor = 0;
            for (int y = i * s; y < i * s + k; ++y)
                for (int x = j * s; x < j * s + k; ++x) {
                    const int iy = y - rows.before, ix = x - cols.before;
                    if (iy >= 0 && ix >= 0 && iy < in.rows && ix < in.cols) {
                        best = std::max(best, in.at<double>(iy, ix));
                        sum += in.at<double>(iy, ix);
                        ++divisor;
                    } else if (count && y < paddedRows && x < paddedCols) {
                        ++divisor;
                    }
                }
            out.at<double>(i, j) = op == core::PoolOp::Max ? best : sum / divisor;
        }
    return out;
}

/// The distinct colours inside @p rect (a margin of 2 px kept from its edges).
QList<QRgb> coloursIn(const QImage &image, const QRectF &rect)
{
    QList<QRgb> colours;
    const QRect inner = rect.toAlignedRect().adjusted(2, 2, -2, -2);
    for (int y = inner.top(); y <= inner.bottom(); ++y)
        for (int x = inner.left(); x <= inner.right(); ++x) {
            const QRgb c = image.pixel(x, y);
            if (!colours.contains(c))
                colours << c;
        }
    return colours;
}

int pixelsOf(const QImage &image, const QRectF &rect, QRgb colour)
{
    int count = 0;
    const QRect r = rect.toAlignedRect().intersected(image.rect());
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x)
            count += image.pixel(x, y) == colour ? 1 : 0;
    return count;
}

QImage paint(const Session &session, const PoolOptions &options, QSize size = QSize(900, 700))
{
    QImage image(size, QImage::Format_RGB32);
    QPainter painter(&image);
    PoolPainter::paint(painter, image.rect(), *session.snapshot(), options);
    return image;
}

PoolOptions optionsOf(const Session &session)
{
    PoolOptions o;
    o.look = session.look();
    o.step = session.step();
    return o;
}

} // namespace

class TestPoolView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void numbersMatchEngine_data();
    void numbersMatchEngine();
    void divisorText_data();
    void divisorText();
    void windowNumbersShortened_data();
    void windowNumbersShortened();
    void ignoredPaddingHatched_data();
    void ignoredPaddingHatched();
    void droppedWindowDrawn();
    void ceilExtraWindowMarked();
    void rulesSideBySide();
    void hoverShowsItsWindow();
    void tabAndShortcut();
    void lessonCeilTrap();
    void lessonAverageRules();
    void lessonFileKeepsPool();
    void render_data();
    void render();
    void renderAnimation();
    void renderRefusals_data();
    void renderRefusals();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestPoolView::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    const cv::Mat m = numberMatrix(5, 6);
    QString csv;
    for (int r = 0; r < m.rows; ++r) {
        QStringList row;
        for (int c = 0; c < m.cols; ++c)
            row << QString::number(m.at<double>(r, c));
        csv += row.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    QVERIFY(padlab::test::writeBytes(m_dir->filePath(QStringLiteral("in.csv")), csv.toUtf8()));
}

void TestPoolView::numbersMatchEngine_data()
{
    QTest::addColumn<int>("op");
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("stride");
    QTest::addColumn<int>("amount");
    QTest::addColumn<int>("pad");
    QTest::addColumn<bool>("ceil");
    QTest::addColumn<int>("count"); // 0 default, 1 include, 2 exclude
    QTest::addColumn<int>("rule");

    const auto row = [](const char *name, core::PoolOp op, int size, int stride, core::Amount amount, int pad, bool ceil,
                        int count, PoolRule rule) {
        QTest::newRow(name) << int(op) << size << stride << int(amount) << pad << ceil << count << int(rule);
    };
    using A = core::Amount;
    using O = core::PoolOp;
    row("pytorch max 3 s2 pad 1", O::Max, 3, 2, A::Explicit, 1, false, 0, PoolRule::PyTorch);
    row("pytorch max 2 s2 pad 1 ceil", O::Max, 2, 2, A::Explicit, 1, true, 0, PoolRule::PyTorch);
    row("pytorch avg 3 s1 pad 1 include", O::Average, 3, 1, A::Explicit, 1, false, 0, PoolRule::PyTorch);
    row("pytorch avg 3 s1 pad 1 exclude", O::Average, 3, 1, A::Explicit, 1, false, 2, PoolRule::PyTorch);
    row("pytorch avg 3 s2 pad 1 ceil", O::Average, 3, 2, A::Explicit, 1, true, 1, PoolRule::PyTorch);
    row("pytorch avg valid", O::Average, 2, 2, A::Valid, 0, false, 0, PoolRule::PyTorch);
    row("tensorflow avg same", O::Average, 3, 2, A::Same, 0, false, 0, PoolRule::TensorFlow);
    row("tensorflow max same", O::Max, 3, 1, A::Same, 0, false, 0, PoolRule::TensorFlow);
    row("tensorflow from explicit pads is same", O::Average, 3, 1, A::Explicit, 1, false, 1, PoolRule::TensorFlow);
    row("tensorflow valid", O::Max, 2, 1, A::Valid, 0, false, 0, PoolRule::TensorFlow);
}

void TestPoolView::numbersMatchEngine()
{
    QFETCH(int, op);
    QFETCH(int, size);
    QFETCH(int, stride);
    QFETCH(int, amount);
    QFETCH(int, pad);
    QFETCH(bool, ceil);
    QFETCH(int, count);
    QFETCH(int, rule);

    const cv::Mat input = numberMatrix(5, 6);
    const std::optional<bool> counting = count == 0 ? std::nullopt : std::optional<bool>(count == 1);
    const core::PoolSpec given = poolOf(core::PoolOp(op), size, stride,
                                        core::Amount(amount) == core::Amount::Explicit
                                            ? std::optional<std::vector<int>>(std::vector<int>{pad, pad, pad, pad})
                                            : std::nullopt,
                                        core::Amount(amount) == core::Amount::Same, ceil, counting);
    const auto session = poolSession(input, given, PoolRule(rule));
    const SnapshotPtr s = session->snapshot();
    QVERIFY(s->has(Part::Pool));
    const PoolSet &set = *s->pool;
    QCOMPARE(int(set.runs.size()), 2);
    const padlab::ui::PoolRun &run = set.runs[0];
    QVERIFY2(run.ok(), qPrintable(run.error));
    QCOMPARE(run.rule, PoolRule(rule));

    // The oracle: the framework's rule worked out by hand.
    const bool tf = PoolRule(rule) == PoolRule::TensorFlow;
    core::Amount kind = core::Amount(amount);
    if (tf && kind == core::Amount::Explicit)
        kind = pad > 0 ? core::Amount::Same : core::Amount::Valid;
    if (!tf && kind == core::Amount::Valid)
        kind = core::Amount::Explicit; // pads 0
    const HandAxis rows = handAxis(5, size, stride, kind, kind == core::Amount::Explicit ? pad : 0,
                                   kind == core::Amount::Explicit ? pad : 0, ceil && !tf);
    const HandAxis cols = handAxis(6, size, stride, kind, kind == core::Amount::Explicit ? pad : 0,
                                   kind == core::Amount::Explicit ? pad : 0, ceil && !tf);
    const bool countPad = !tf && (count == 0 || count == 1) && kind == core::Amount::Explicit;
    const cv::Mat expected = handPool(input, core::PoolOp(op), size, stride, rows, cols, countPad);
    QCOMPARE(run.outputRows(), expected.rows);
    QCOMPARE(run.outputCols(), expected.cols);
    QString why;
    QVERIFY2(padlab::test::matNear(run.result.output.plane(0), expected, 1e-12, &why), qPrintable(why));

    // And the engine on the same input with the spec the view shows.
    const core::PoolResult engine = core::poolTensor(set.input, run.spec);
    QCOMPARE(cv::norm(engine.output.plane(0), run.result.output.plane(0), cv::NORM_INF), 0.0);
    // Each window written out gives its output cell.
    for (int i = 0; i < run.outputRows(); ++i)
        for (int j = 0; j < run.outputCols(); ++j) {
            const auto window = set.windowAt(0, i, j);
            QVERIFY(window);
            QCOMPARE(window->result, expected.at<double>(i, j));
        }
}

void TestPoolView::divisorText_data()
{
    QTest::addColumn<int>("op");
    QTest::addColumn<int>("rule");
    QTest::addColumn<int>("count");
    QTest::addColumn<QPoint>("cell"); // x = col, y = row
    QTest::addColumn<QString>("text");

    const int avg = int(core::PoolOp::Average);
    const int max = int(core::PoolOp::Max);
    const int torch = int(PoolRule::PyTorch);
    const int tf = int(PoolRule::TensorFlow);
    QTest::newRow("pytorch corner counts the padding")
        << avg << torch << 0 << QPoint(0, 0) << QStringLiteral("divides by 9, padding counted: 5 padded cells add 0");
    QTest::newRow("pytorch exclude corner") << avg << torch << 2 << QPoint(0, 0)
                                            << QStringLiteral("divides by 4: the cells it reads, not the padding");
    QTest::newRow("tensorflow edge") << avg << tf << 0 << QPoint(1, 0)
                                     << QStringLiteral("divides by 6: the cells it reads, not the padding");
    QTest::newRow("inside") << avg << torch << 0 << QPoint(1, 1)
                            << QStringLiteral("divides by 9: every cell it reads is an input cell");
    QTest::newRow("max ignores the padding") << max << torch << 0 << QPoint(0, 0)
                                             << QStringLiteral("max of the 4 input cells it reads: 5 padded cells ignored, not zeros");
}

void TestPoolView::divisorText()
{
    QFETCH(int, op);
    QFETCH(int, rule);
    QFETCH(int, count);
    QFETCH(QPoint, cell);
    QFETCH(QString, text);

    const std::optional<bool> counting = count == 0 ? std::nullopt : std::optional<bool>(count == 1);
    const auto session = poolSession(numbered(4), poolOf(core::PoolOp(op), 3, 1, std::vector<int>{1, 1, 1, 1}, false, false, counting),
                                     PoolRule(rule));
    const PoolSet &set = *session->snapshot()->pool;
    const auto window = set.windowAt(0, cell.y(), cell.x());
    QVERIFY(window);
    QCOMPARE(PoolPainter::divisorText(*window, set.runs[0].spec), text);
    // The painted view writes the current window's divisor.
    session->setStepCell(cell.y(), cell.x());
    QCOMPARE(PoolPainter::currentCell(*session->snapshot(), optionsOf(*session)), cell);
}

// The window written out under the grid writes its numbers as the cells and the sliding window's
// sum do: a third or a float32 cell in a few digits, not 0.3333333333333333 or 1.2000000476837158.
void TestPoolView::windowNumbersShortened_data()
{
    QTest::addColumn<QList<double>>("values"); // 3 x 3, pooled by one 3 x 3 window
    QTest::addColumn<bool>("float32");
    QTest::addColumn<int>("op");
    QTest::addColumn<QString>("text");

    const int avg = int(core::PoolOp::Average);
    const int max = int(core::PoolOp::Max);
    const QString minus(QChar(0x2212));
    QTest::newRow("average of a third") << QList<double>{1, 0, 0, 0, 1, 0, 0, 0, 1} << false << avg
                                        << QStringLiteral("(0, 0): (1 + 0 + 0 + 0 + 1 + 0 + 0 + 0 + 1) / 9 = 0.3333");
    QTest::newRow("max of float32 cells")
        << QList<double>{1.2, -0.5, 0.1, 0, 0, 0, 0, 0, 0} << true << max
        << QStringLiteral("(0, 0): max(1.2, (") + minus + QStringLiteral("0.5), 0.1, 0, 0, 0, 0, 0, 0) = 1.2");
    QTest::newRow("average of float32 cells")
        << QList<double>{1.2, 1.2, 1.2, 0, 0, 0, 0, 0, 0} << true << avg
        << QStringLiteral("(0, 0): (1.2 + 1.2 + 1.2 + 0 + 0 + 0 + 0 + 0 + 0) / 9 = 0.4");
    QTest::newRow("whole numbers stay whole") << QList<double>{1, 2, 3, 4, 5, 6, 7, 8, 9} << false << avg
                                              << QStringLiteral("(0, 0): (1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9) / 9 = 5");
}

void TestPoolView::windowNumbersShortened()
{
    QFETCH(QList<double>, values);
    QFETCH(bool, float32);
    QFETCH(int, op);
    QFETCH(QString, text);

    cv::Mat input(3, 3, float32 ? CV_32F : CV_64F);
    for (int i = 0; i < 9; ++i) {
        if (float32)
            input.at<float>(i / 3, i % 3) = float(values[i]);
        else
            input.at<double>(i / 3, i % 3) = values[i];
    }
    const auto session = poolSession(input, poolOf(core::PoolOp(op), 3, 1, std::nullopt), PoolRule::PyTorch);
    const SnapshotPtr s = session->snapshot();
    QVERIFY(s->has(Part::Pool) && s->pool->runs[0].ok());
    // The engine's own text stays exact (it reads back); the view's is shortened.
    const auto window = s->pool->windowAt(0, 0, 0);
    QVERIFY(window);
    const QString exact = QString::fromStdString(core::poolWindowText(*window, core::PoolOp(op)));
    const QStringList lines = PoolPainter::textLines(*s, optionsOf(*session), 0);
    QVERIFY2(lines.contains(text), qPrintable(lines.join('\n') + "\nengine: " + exact));
    for (const QString &line : lines)
        QVERIFY2(!line.contains("0000") && !line.contains("3333333"), qPrintable(line));
}

void TestPoolView::ignoredPaddingHatched_data()
{
    QTest::addColumn<int>("op");
    QTest::addColumn<int>("count");
    QTest::addColumn<bool>("hatched");

    QTest::newRow("max ignores padding") << int(core::PoolOp::Max) << 0 << true;
    QTest::newRow("average excluding padding") << int(core::PoolOp::Average) << 2 << true;
    QTest::newRow("average counting padding") << int(core::PoolOp::Average) << 1 << false;
}

void TestPoolView::ignoredPaddingHatched()
{
    QFETCH(int, op);
    QFETCH(int, count);
    QFETCH(bool, hatched);

    const auto session = poolSession(numberMatrix(5, 6),
                                     poolOf(core::PoolOp(op), 3, 2, std::vector<int>{1, 1, 1, 1}, false, false,
                                            std::optional<bool>(count == 1)),
                                     PoolRule::PyTorch);
    const PoolOptions o = optionsOf(*session);
    const QImage image = paint(*session, o);
    const QRgb background = o.look.background().rgb();
    const QRect target(QPoint(0, 0), QSize(900, 700));
    // A padded corner cell away from the current window's outline (bottom right), and an input cell.
    const QRectF padded = PoolPainter::paddedCellRect(target, *session->snapshot(), o, 0, QPoint(7, 6));
    const QRectF input = PoolPainter::paddedCellRect(target, *session->snapshot(), o, 0, QPoint(3, 3));
    QVERIFY(!padded.isEmpty());
    QVERIFY(padded.width() >= 10);
    const QList<QRgb> colours = coloursIn(image, padded);
    if (hatched) {
        // Lines on the page's colour: the background shows between them, and they are not a fill.
        QVERIFY2(colours.contains(background), "a hatched cell shows the page between its lines");
        QVERIFY(colours.size() >= 2);
        QVERIFY(pixelsOf(image, padded, o.look.mutedText().rgb()) > 0);
    } else {
        // Counted padding is a value, 0: a tinted cell, no page showing through.
        QVERIFY2(!colours.contains(background), "a counted padded cell is tinted, not hatched");
    }
    // An input cell is never hatched.
    QVERIFY(!coloursIn(image, input).contains(background) || background == qRgb(255, 255, 255));
}

void TestPoolView::droppedWindowDrawn()
{
    // 5 x 5, 2 x 2 stride 2, pads 1: ceil_mode would add a fourth window starting at 6 = n + before.
    const auto session = poolSession(numbered(5), poolOf(core::PoolOp::Max, 2, 2, std::vector<int>{1, 1, 1, 1}, false, true),
                                     PoolRule::PyTorch);
    const PoolSet &set = *session->snapshot()->pool;
    const padlab::ui::PoolRun &run = set.runs[0];
    QVERIFY(run.ok());
    QCOMPARE(run.outputRows(), 3);
    QCOMPARE(run.outputCols(), 3);
    QVERIFY(run.result.axes[1].dropped);
    const QStringList ceil = PoolPainter::ceilLines(run);
    QVERIFY2(ceil.join('\n').contains(QStringLiteral("cols: ceil_mode drops window 3: it would start at 6, in the right padding")),
             qPrintable(ceil.join('\n')));
    QVERIFY(PoolPainter::formulaLines(run).join('\n').contains(QStringLiteral("ceil((5 + 1 + 1 - 2) / 2) + 1 - 1 = 3")));

    session->setStepCell(0, 2);
    const PoolOptions o = optionsOf(*session);
    const QRect target(QPoint(0, 0), QSize(900, 700));
    const QImage image = paint(*session, o);
    // The dropped window covers padded rows 0-1 and columns 6-7 (7 lies past the padded input).
    const QRectF first = PoolPainter::paddedCellRect(target, *session->snapshot(), o, 0, QPoint(6, 0));
    const QRectF last = PoolPainter::paddedCellRect(target, *session->snapshot(), o, 0, QPoint(7, 1));
    QVERIFY(!first.isEmpty() && !last.isEmpty());
    const QRectF box = first.united(last);
    const QRgb dropped = PoolPainter::droppedColor(o.look).rgb();
    const QRectF rightEdge(box.right() - 4, box.top(), 4, box.height());
    QVERIFY2(pixelsOf(image, rightEdge, dropped) > 0, "the dropped window is outlined");
    // Dashed: along its right edge the outline has gaps.
    QVERIFY(pixelsOf(image, rightEdge, dropped) < int(rightEdge.width() * rightEdge.height() * 0.9));

    // Without ceil_mode no window is dropped, and nothing is drawn there.
    ViewSettings view = session->viewSettings();
    view.pool.ceil = false;
    session->setViewSettings(view);
    session->waitUntilIdle();
    QVERIFY(session->snapshot()->has(Part::Pool));
    QVERIFY(!session->snapshot()->pool->runs[0].result.axes[1].dropped);
    const QImage plain = paint(*session, optionsOf(*session));
    QCOMPARE(pixelsOf(plain, rightEdge, dropped), 0);
}

void TestPoolView::ceilExtraWindowMarked()
{
    // 6 x 6, 3 x 3 stride 2, pads 1: floor gives 3 windows, ceil_mode a fourth that starts at 6 < 7
    // (kept) and reads padded cell 8, past the padded input.
    const auto session = poolSession(numbered(6), poolOf(core::PoolOp::Average, 3, 2, std::vector<int>{1, 1, 1, 1}, false, true),
                                     PoolRule::PyTorch);
    const padlab::ui::PoolRun &run = session->snapshot()->pool->runs[0];
    QVERIFY(run.ok());
    QCOMPARE(run.outputCols(), 4);
    QVERIFY(!run.result.axes[1].dropped);
    QVERIFY2(PoolPainter::ceilLines(run).join('\n').contains(QStringLiteral("cols: ceil_mode adds window 3 (dotted)")),
             qPrintable(PoolPainter::ceilLines(run).join('\n')));
    // Its divisor leaves out the cells past the padded input, as PyTorch does.
    const auto window = session->snapshot()->pool->windowAt(0, 0, 3);
    QVERIFY(window);
    QCOMPARE(window->divisor, 6);
    QCOMPARE(PoolPainter::divisorText(*window, run.spec),
             QStringLiteral("divides by 6, padding counted: 4 padded cells add 0; 3 cells past the padded input not counted"));

    const PoolOptions o = optionsOf(*session);
    const QRect target(QPoint(0, 0), QSize(900, 700));
    const QImage image = paint(*session, o);
    // The extra window (padded columns 6 to 8 of rows 0 to 2) is outlined, dotted, in the reference colour.
    const QRectF past = PoolPainter::paddedCellRect(target, *session->snapshot(), o, 0, QPoint(8, 1));
    QVERIFY2(!past.isEmpty(), "the grid reaches the cell past the padded input");
    const QRectF edge(past.right() - 4, past.top(), 4, past.height());
    const QRgb reference = o.look.referenceColor().rgb();
    QVERIFY(pixelsOf(image, edge, reference) > 0);
    QVERIFY(pixelsOf(image, edge, reference) < int(edge.width() * edge.height() * 0.9));
}

void TestPoolView::rulesSideBySide()
{
    // Average 3 x 3, stride 1, pads 1: PyTorch counts the padding, TensorFlow's same does not.
    auto session = poolSession(numbered(4), poolOf(core::PoolOp::Average, 3, 1, std::vector<int>{1, 1, 1, 1}),
                               PoolRule::PyTorch, true);
    const SnapshotPtr s = session->snapshot();
    QVERIFY(s->pool->rulesDiffer());
    QCOMPARE(PoolPainter::shownRuns(*s), 2);
    const PoolOptions o = optionsOf(*session);
    const QRect target(QPoint(0, 0), QSize(1200, 700));
    const QRectF left = PoolPainter::outputCellRect(target, *s, o, 0, QPoint(0, 0));
    const QRectF right = PoolPainter::outputCellRect(target, *s, o, 1, QPoint(0, 0));
    QVERIFY(!left.isEmpty() && !right.isEmpty());
    QVERIFY(right.left() > target.width() / 2);
    QCOMPARE(s->pool->runs[1].rule, PoolRule::TensorFlow);
    QCOMPARE(s->pool->runs[1].result.output.plane(0).at<double>(0, 0), 14.0 / 4);
    QCOMPARE(s->pool->runs[0].result.output.plane(0).at<double>(0, 0), 14.0 / 9);
    // Hovering the right map finds the TensorFlow cell.
    const auto hit = PoolPainter::outputCellAt(target, *s, o, right.center());
    QVERIFY(hit);
    QCOMPARE(hit->first, 1);
    QCOMPARE(hit->second, QPoint(0, 0));

    // A max with the same pads: the rules agree, one column.
    session = poolSession(numbered(4), poolOf(core::PoolOp::Max, 3, 1, std::vector<int>{1, 1, 1, 1}), PoolRule::PyTorch, true);
    QVERIFY(!session->snapshot()->pool->rulesDiffer());
    QCOMPARE(PoolPainter::shownRuns(*session->snapshot()), 1);
    // Without the switch, one column even when they differ.
    session = poolSession(numbered(4), poolOf(core::PoolOp::Average, 3, 1, std::vector<int>{1, 1, 1, 1}), PoolRule::PyTorch, false);
    QCOMPARE(PoolPainter::shownRuns(*session->snapshot()), 1);
}

void TestPoolView::hoverShowsItsWindow()
{
    const auto session = poolSession(numbered(6), poolOf(core::PoolOp::Max, 2, 2, std::vector<int>{0, 0, 0, 0}),
                                     PoolRule::PyTorch);
    PoolOptions o = optionsOf(*session);
    const QRect target(QPoint(0, 0), QSize(900, 700));
    const QImage plain = paint(*session, o);
    o.hoveredOutput = QPoint(2, 2);
    const QImage hovered = paint(*session, o);
    // The hovered window (padded cells 4-5) is outlined in the pen colour; not before.
    const QRectF cell = PoolPainter::paddedCellRect(target, *session->snapshot(), o, 0, QPoint(4, 4));
    const QRgb pen = o.look.penColor().rgb();
    QCOMPARE(pixelsOf(plain, cell, pen), 0);
    QVERIFY(pixelsOf(hovered, cell, pen) > 0);
    // The output cell under the mouse is the one hovered.
    const QRectF out = PoolPainter::outputCellRect(target, *session->snapshot(), o, 0, QPoint(2, 1));
    const auto hit = PoolPainter::outputCellAt(target, *session->snapshot(), o, out.center());
    QVERIFY(hit);
    QCOMPARE(hit->second, QPoint(2, 1));
}

void TestPoolView::tabAndShortcut()
{
    padlab::ui::MainWindow window;
    window.setErrorDialogsEnabled(false);
    QTabWidget *tabs = window.viewTabs();
    QCOMPARE(tabs->tabText(6), QStringLiteral("Pooling"));
    QAction *pooling = nullptr;
    for (QAction *action : window.actions())
        if (action->shortcut() == QKeySequence(Qt::CTRL | Qt::Key_7))
            pooling = action;
    QVERIFY(pooling);
    pooling->trigger();
    QCOMPARE(window.session()->view(), Session::View::Pool);
    QCOMPARE(tabs->currentIndex(), 6);
}

void TestPoolView::lessonCeilTrap()
{
    const std::optional<padlab::ui::Lesson> lesson = padlab::ui::makeBuiltinLesson(QStringLiteral("ceil-mode-trap"));
    QVERIFY(lesson);
    QVERIFY(lesson->explanation.contains(QStringLiteral("ceil((5 + 1 + 1 − 2) / 2) + 1 = 4")));
    QVERIFY(lesson->explanation.contains(QStringLiteral("the fourth would start at 6")));
    QVERIFY(lesson->explanation.contains(QStringLiteral("the output is 3×3")));
    padlab::ui::MainWindow window;
    window.setErrorDialogsEnabled(false);
    QVERIFY(window.openBuiltinLesson(QStringLiteral("ceil-mode-trap")));
    Session *session = window.session();
    QCOMPARE(session->view(), Session::View::Pool); // the lesson chooses its view
    session->need(Part::Pool);
    session->waitUntilIdle();
    const padlab::ui::PoolRun &run = session->snapshot()->pool->runs[0];
    QVERIFY(run.ok());
    QCOMPARE(run.rule, PoolRule::PyTorch);
    QVERIFY(run.spec.ceil);
    QCOMPARE(run.outputRows(), 3);
    QCOMPARE(run.outputCols(), 3);
    QVERIFY(run.result.axes[0].dropped && run.result.axes[1].dropped);
    // Without ceil_mode: the same 3 x 3.
    core::PoolSpec floor = run.spec;
    floor.ceil = false;
    const core::PoolResult plain = core::poolTensor(session->snapshot()->pool->input, floor);
    QCOMPARE(plain.axes[1].output, 3);
    // The hatched cells are ignored: every output is an input cell (no 0 from the padding).
    const cv::Mat out = run.result.output.plane(0);
    QCOMPARE(out.at<double>(0, 0), 1.0);
    QCOMPARE(out.at<double>(2, 2), 25.0);
}

void TestPoolView::lessonAverageRules()
{
    const std::optional<padlab::ui::Lesson> lesson = padlab::ui::makeBuiltinLesson(QStringLiteral("pool-average-padding"));
    QVERIFY(lesson);
    QVERIFY(lesson->explanation.contains(QStringLiteral("1 + 2 + 5 + 6 = 14 by 9, about 1.556")));
    QVERIFY(lesson->explanation.contains(QStringLiteral("14 / 4 = 3.5")));
    QVERIFY(lesson->explanation.contains(QStringLiteral("by 6 along the edges")));
    padlab::ui::MainWindow window;
    window.setErrorDialogsEnabled(false);
    QVERIFY(window.openBuiltinLesson(QStringLiteral("pool-average-padding")));
    Session *session = window.session();
    QCOMPARE(session->view(), Session::View::Pool);
    session->need(Part::Pool);
    session->waitUntilIdle();
    const SnapshotPtr s = session->snapshot();
    const PoolSet &set = *s->pool;
    QCOMPARE(set.runs[0].rule, PoolRule::PyTorch);
    QCOMPARE(set.runs[1].rule, PoolRule::TensorFlow);
    const cv::Mat torch = set.runs[0].result.output.plane(0);
    const cv::Mat tf = set.runs[1].result.output.plane(0);
    QCOMPARE(QString::number(torch.at<double>(0, 0), 'f', 3), QStringLiteral("1.556"));
    QCOMPARE(tf.at<double>(0, 0), 3.5);
    QCOMPARE(set.windowAt(1, 0, 1)->divisor, 6);
    QCOMPARE(set.windowAt(1, 1, 1)->divisor, 9);
    QCOMPARE(set.windowAt(0, 0, 1)->divisor, 9);
    QCOMPARE(PoolPainter::shownRuns(*s), 2); // side by side, as the lesson chose
}

void TestPoolView::lessonFileKeepsPool()
{
    padlab::ui::Lesson lesson = *padlab::ui::makeBuiltinLesson(QStringLiteral("ceil-mode-trap"));
    lesson.view.poolRule = PoolRule::TensorFlow;
    lesson.view.pool.countPadding = false;
    const QString path = m_dir->filePath(QStringLiteral("pool.padlab.json"));
    QString error;
    QVERIFY2(padlab::ui::writeLesson(lesson, path, &error), qPrintable(error));
    const auto read = padlab::ui::readLesson(path, &error);
    QVERIFY2(read, qPrintable(error));
    QVERIFY(read->view.pool == lesson.view.pool);
    QCOMPARE(read->view.poolRule, PoolRule::TensorFlow);
    QCOMPARE(read->view.view, Session::View::Pool);
}

void TestPoolView::render_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("output");
    QTest::addColumn<int>("op");
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("stride");
    QTest::addColumn<int>("pad");
    QTest::addColumn<bool>("ceil");
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("rules"); // 0 pytorch, 1 tensorflow, 2 both
    QTest::addColumn<int>("step");

    QTest::newRow("defaults") << QStringList{} << "default.png" << int(core::PoolOp::Max) << 3 << 2 << 1 << false << 0 << 0 << 1;
    QTest::newRow("max ceil step 3")
        << QStringList{"--op", "max", "--size", "2", "--stride", "2", "--pad", "1", "--ceil", "--step", "3"} << "ceil.png"
        << int(core::PoolOp::Max) << 2 << 2 << 1 << true << 0 << 0 << 3;
    QTest::newRow("avg both")
        << QStringList{"--op", "avg", "--size", "3", "--stride", "1", "--pad", "1", "--rules", "both"} << "both.png"
        << int(core::PoolOp::Average) << 3 << 1 << 1 << false << 0 << 2 << 1;
    QTest::newRow("avg tensorflow exclude")
        << QStringList{"--op", "avg", "--size", "3", "--stride", "2", "--pad", "1", "--count-pad", "exclude", "--rules",
                       "tensorflow"}
        << "tf.png" << int(core::PoolOp::Average) << 3 << 2 << 1 << false << 2 << 1 << 1;
    QTest::newRow("svg") << QStringList{"--op", "avg", "--size", "3", "--stride", "1", "--pad", "1"} << "pool.svg"
                         << int(core::PoolOp::Average) << 3 << 1 << 1 << false << 0 << 0 << 1;
    QTest::newRow("pdf") << QStringList{} << "pool.pdf" << int(core::PoolOp::Max) << 3 << 2 << 1 << false << 0 << 0 << 1;
}

void TestPoolView::render()
{
    QFETCH(QStringList, options);
    QFETCH(QString, output);
    QFETCH(int, op);
    QFETCH(int, size);
    QFETCH(int, stride);
    QFETCH(int, pad);
    QFETCH(bool, ceil);
    QFETCH(int, count);
    QFETCH(int, rules);
    QFETCH(int, step);

    const padlab::test::Run run = padlab::test::runPadlab(
        m_dir->path(), QStringList{"render", "in.csv", "--view", "pool", "-o", output} + options);
    QVERIFY(run.finished && !run.crashed);
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QString path = m_dir->filePath(output);
    const QByteArray bytes = padlab::test::readBytes(path);
    if (output.endsWith(QLatin1String(".svg"))) {
        QVERIFY(bytes.contains("<svg"));
        QVERIFY(bytes.contains("divides by 9, padding counted"));
        return;
    }
    if (output.endsWith(QLatin1String(".pdf"))) {
        QVERIFY(bytes.startsWith("%PDF"));
        return;
    }
    const QImage written(path);
    QCOMPARE(written.size(), padlab::ui::kTeachingExportSize);

    // The same view painted here, through the same painter, from the same settings.
    Session session;
    cv::Mat input = numberMatrix(5, 6);
    session.setSource(input, QStringLiteral("in.csv"));
    core::ConvSpec conv;
    conv.amount.kind = core::Amount::Explicit;
    conv.amount.sides = {pad, pad, pad, pad};
    conv.stride = {stride, stride};
    session.setKernel(cv::Mat::ones(size, size, CV_64F));
    session.setSpec(conv);
    ViewSettings view = session.viewSettings();
    view.pool = poolOf(core::PoolOp(op), size, stride, std::vector<int>{pad, pad, pad, pad}, false, ceil,
                       count == 0 ? std::nullopt : std::optional<bool>(count == 1));
    view.poolRule = rules == 1 ? PoolRule::TensorFlow : PoolRule::PyTorch;
    view.poolBoth = rules == 2;
    session.setViewSettings(view);
    session.setStep(step - 1);
    padlab::ui::ExportOptions exportOptions;
    exportOptions.view = padlab::ui::ExportView::Pool;
    padlab::ui::Exporter exporter(session, exportOptions);
    const QImage painted = exporter.renderImage();
    QCOMPARE(painted.size(), written.size());
    QVERIFY2(painted.convertToFormat(QImage::Format_RGB32) == written.convertToFormat(QImage::Format_RGB32),
             "the rendered PNG differs from the view painted in the test");
}

void TestPoolView::renderAnimation()
{
    const padlab::test::Run run = padlab::test::runPadlab(
        m_dir->path(), QStringList{"render", "in.csv", "--view", "pool", "--size", "2", "--pad", "0", "-o", "pool.gif"});
    QVERIFY(run.finished && !run.crashed);
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QByteArray gif = padlab::test::readBytes(m_dir->filePath(QStringLiteral("pool.gif")));
    QVERIFY(gif.startsWith("GIF89a"));
    // 5 x 6 pooled 2 x 2 at stride 2: 2 x 3 window positions, one frame each.
    QCOMPARE(int(gif.count("\x21\xF9\x04")), 6);
}

void TestPoolView::renderRefusals_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");

    QTest::newRow("size without the pool view") << QStringList{"--size", "3"}
                                                << QStringLiteral("--size applies to the pool view: add --view pool");
    QTest::newRow("unknown rules") << QStringList{"--view", "pool", "--rules", "keras"}
                                   << QStringLiteral("--rules: 'keras' is not pytorch, tensorflow or both");
    QTest::newRow("ceil with same") << QStringList{"--view", "pool", "--pad", "same", "--ceil"}
                                    << QStringLiteral("--ceil (PyTorch's ceil_mode) goes with explicit --pad");
    QTest::newRow("count-pad on a max") << QStringList{"--view", "pool", "--count-pad", "include"}
                                        << QStringLiteral("--count-pad applies only to --op avg");
    QTest::newRow("kernel on the pool view") << QStringList{"--view", "pool", "--kernel", "sobel-x"}
                                             << QStringLiteral("--kernel applies to convolution views, not --view pool");
    QTest::newRow("window only on padding") << QStringList{"--view", "pool", "--size", "2", "--pad", "3"}
                                            << QStringLiteral("cannot pool: window 0 of the rows covers padded cells 0 to 1");
}

void TestPoolView::renderRefusals()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);

    const QStringList before = padlab::test::entries(m_dir->path());
    const padlab::test::Run run = padlab::test::runPadlab(m_dir->path(),
                                                          QStringList{"render", "in.csv", "-o", "refused.png"} + arguments);
    QVERIFY(run.finished && !run.crashed);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(message.toUtf8()), run.err.constData());
    QCOMPARE(padlab::test::entries(m_dir->path()), before);
}

QTEST_MAIN(TestPoolView)
#include "tst_poolview.moc"

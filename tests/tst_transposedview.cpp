#include "clitestutil.h"
#include "colormap.h"
#include "exporter.h"
#include "lessons.h"
#include "mainwindow.h"
#include "session.h"
#include "testutil.h"
#include "transposedpainter.h"
#include "transposedview.h"

#include "padlab/core/convt.h"

#include <QAction>
#include <QComboBox>
#include <QScrollArea>
#include <QSpinBox>
#include <QImage>
#include <QPainter>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/core.hpp>

#include <memory>

using padlab::ui::Part;
using padlab::ui::Session;
using padlab::ui::SnapshotPtr;
using padlab::ui::TransposedOptions;
using padlab::ui::TransposedPainter;
using padlab::ui::TransposedSet;
using padlab::ui::ViewSettings;
namespace core = padlab::core;

namespace {

/// A small matrix of numbers that differ from cell to cell, none of them 0.
cv::Mat numbers(int rows, int cols)
{
    cv::Mat m(rows, cols, CV_64F);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c)
            m.at<double>(r, c) = 1 + r * cols + c + 0.5 * ((r + c) % 2);
    return m;
}

cv::Mat kernelOf(int rows, int cols)
{
    cv::Mat k(rows, cols, CV_64F);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c)
            k.at<double>(r, c) = (r * cols + c) % 2 ? -(r + 1.0) : (c + 2.0);
    return k;
}

/// A session on @p input and @p kernel with the Transposed view's settings, its part computed.
std::unique_ptr<Session> transposedSession(const cv::Mat &input, const cv::Mat &kernel, core::Amount amount,
                                           int stride, int dilation, int padding, int outputPadding)
{
    auto session = std::make_unique<Session>();
    session->setSource(input, QStringLiteral("test input"));
    session->setKernel(kernel);
    ViewSettings view = session->viewSettings();
    view.convtAmount = amount;
    view.convtStride = stride;
    view.convtDilation = dilation;
    view.convtPadding = padding;
    view.convtOutputPadding = outputPadding;
    session->setViewSettings(view);
    session->need(Part::Transposed);
    session->waitUntilIdle();
    return session;
}

QColor pixel(const QImage &image, double x, double y)
{
    return image.pixelColor(int(std::floor(x)), int(std::floor(y)));
}

bool near(const QColor &a, const QColor &b, int tolerance = 40)
{
    return std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) + std::abs(a.blue() - b.blue()) <= tolerance;
}

/// Pixels of @p rect in @p image close to @p color.
int countNear(const QImage &image, const QRectF &rect, const QColor &color, int tolerance)
{
    int count = 0;
    const QRect r = rect.toAlignedRect().intersected(image.rect());
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x)
            count += near(image.pixelColor(x, y), color, tolerance) ? 1 : 0;
    return count;
}

QImage paint(const padlab::ui::Snapshot &s, const TransposedOptions &o, QSize size = {1600, 900})
{
    QImage image(size, QImage::Format_RGB32);
    QPainter painter(&image);
    TransposedPainter::paint(painter, image.rect(), s, o);
    return image;
}

} // namespace

class TestTransposedView : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void numbersMatchEngine_data();
    void numbersMatchEngine();
    void refusals_data();
    void refusals();
    void stuffedZerosAndPadding();
    void croppedAndAddedCells();
    void currentWindowAndStamps_data();
    void currentWindowAndStamps();
    void hoverAndTab();
    void lessonClaims_data();
    void lessonClaims();
    void checkerboardNeedsUnevenOverlap();
    void readableOnProjector_data();
    void readableOnProjector();
    void sameAgainstPyTorch();
    void lessonFileKeepsSettings_data();
    void lessonFileKeepsSettings();
    void render_data();
    void render();
    void renderRefusals_data();
    void renderRefusals();
    void stepsWalkTheTransposedOutput();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestTransposedView::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QVERIFY(padlab::test::writeBytes(m_dir->filePath(QStringLiteral("small.csv")),
                                     QByteArray("1,2,3,4\n5,6,7,8\n-1,0,2,3\n4,-2,1,5\n")));
}

void TestTransposedView::numbersMatchEngine_data()
{
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    QTest::addColumn<int>("kRows");
    QTest::addColumn<int>("kCols");
    QTest::addColumn<int>("amount");
    QTest::addColumn<int>("stride");
    QTest::addColumn<int>("dilation");
    QTest::addColumn<int>("padding");
    QTest::addColumn<int>("outputPadding");
    QTest::addColumn<int>("expectedRows"); // the output size by the formula, worked out here

    const auto row = [](const char *name, int rows, int cols, int kr, int kc, core::Amount amount, int s, int d, int p,
                        int o, int expectedRows) {
        QTest::newRow(name) << rows << cols << kr << kc << int(amount) << s << d << p << o << expectedRows;
    };
    // (n - 1)*s + e - 2p + o
    row("k3 s2 p0", 4, 5, 3, 3, core::Amount::Explicit, 2, 1, 0, 0, 9);
    row("k3 s2 p1 o1", 4, 5, 3, 3, core::Amount::Explicit, 2, 1, 1, 1, 8);
    row("k3 s3 p1 o2", 3, 4, 3, 3, core::Amount::Explicit, 3, 1, 1, 2, 9);
    row("k2x3 s1 p1", 4, 4, 2, 3, core::Amount::Explicit, 1, 1, 1, 0, 3);
    row("k3 s2 d2 p2", 3, 3, 3, 3, core::Amount::Explicit, 2, 2, 2, 1, 6);
    row("crops past e - 1", 4, 4, 2, 2, core::Amount::Explicit, 2, 1, 2, 0, 4);
    // Keras: n*s, and max((n - 1)*s + e, n*s)
    row("keras same k3 s2", 4, 5, 3, 3, core::Amount::Same, 2, 1, 0, 0, 8);
    row("keras same k5 s2", 3, 3, 5, 5, core::Amount::Same, 2, 1, 0, 0, 6);
    row("keras valid k2 s3", 3, 4, 2, 2, core::Amount::Valid, 3, 1, 0, 0, 9);
    row("keras valid k3 s2", 3, 4, 3, 3, core::Amount::Valid, 2, 1, 0, 0, 7);
}

void TestTransposedView::numbersMatchEngine()
{
    QFETCH(int, rows);
    QFETCH(int, cols);
    QFETCH(int, kRows);
    QFETCH(int, kCols);
    QFETCH(int, amount);
    QFETCH(int, stride);
    QFETCH(int, dilation);
    QFETCH(int, padding);
    QFETCH(int, outputPadding);
    QFETCH(int, expectedRows);

    const cv::Mat input = numbers(rows, cols);
    const cv::Mat kernel = kernelOf(kRows, kCols);
    const auto session = transposedSession(input, kernel, core::Amount(amount), stride, dilation, padding, outputPadding);
    const SnapshotPtr s = session->snapshot();
    QVERIFY(s->has(Part::Transposed));
    const TransposedSet &set = *s->transposed;
    QVERIFY2(set.error.isEmpty(), qPrintable(set.error));
    QCOMPARE(set.outputRows(), expectedRows);
    const cv::Mat output = set.result.output.plane(0);

    // The direct picture by hand: s - 1 zeros between cells, e - 1 - before zeros before and
    // e - 1 - after + o after (a negative count crops), then a stride-1 correlation with the
    // kernel flipped on both axes.
    const int er = dilation * (kRows - 1) + 1;
    const int ec = dilation * (kCols - 1) + 1;
    const core::ConvTAxis &ar = set.rows();
    const core::ConvTAxis &ac = set.cols();
    const int padTop = er - 1 - ar.before;
    const int padLeft = ec - 1 - ac.before;
    const int paddedRows = (rows - 1) * stride + 1 + padTop + (er - 1 - ar.after + ar.outputPadding);
    const int paddedCols = (cols - 1) * stride + 1 + padLeft + (ec - 1 - ac.after + ac.outputPadding);
    cv::Mat padded = cv::Mat::zeros(paddedRows, paddedCols, CV_64F);
    for (int i = 0; i < rows; ++i)
        for (int j = 0; j < cols; ++j) {
            const int r = i * stride + padTop;
            const int c = j * stride + padLeft;
            if (r >= 0 && c >= 0 && r < paddedRows && c < paddedCols)
                padded.at<double>(r, c) = input.at<double>(i, j);
        }
    cv::Mat flipped;
    cv::flip(kernel, flipped, -1);
    QCOMPARE(output.rows, paddedRows - er + 1);
    QCOMPARE(output.cols, paddedCols - ec + 1);
    for (int r = 0; r < output.rows; ++r)
        for (int c = 0; c < output.cols; ++c) {
            double sum = 0;
            for (int a = 0; a < kRows; ++a)
                for (int b = 0; b < kCols; ++b)
                    sum += padded.at<double>(r + a * dilation, c + b * dilation) * flipped.at<double>(a, b);
            QVERIFY2(std::abs(sum - output.at<double>(r, c)) < 1e-9,
                     qPrintable(QStringLiteral("cell %1, %2: %3 by hand, %4 from the session")
                                    .arg(r).arg(c).arg(sum).arg(output.at<double>(r, c))));
        }
    // The session's direct picture is that padded input (where no pad is negative).
    if (padTop >= 0 && padLeft >= 0 && er - 1 - ar.after + ar.outputPadding >= 0) {
        const cv::Mat shown = set.explanation.padded.plane(0);
        QCOMPARE(shown.rows, paddedRows);
        QCOMPARE(cv::norm(shown, padded, cv::NORM_INF), 0.0);
    }
    // The scatter picture: the full stamps, cropped, are the output; cells past them are 0.
    for (int r = 0; r < output.rows; ++r)
        for (int c = 0; c < output.cols; ++c) {
            const int fr = r + ar.before;
            const int fc = c + ac.before;
            const double stamped = fr < ar.full && fc < ac.full ? set.full.at<double>(fr, fc) : 0.0;
            QVERIFY(std::abs(stamped - output.at<double>(r, c)) < 1e-9);
        }
    // Every (input cell, tap) pair lands once on the full output.
    QCOMPARE(int(cv::sum(set.overlaps)[0]), rows * cols * kRows * kCols);
    // The window of a cell: its stamps sum to it.
    const QPoint last(output.cols - 1, output.rows - 1);
    const core::ConvTWindow w = set.windowAt(last);
    QVERIFY(std::abs(w.sum - output.at<double>(last.y(), last.x())) < 1e-9);
    // The formula line carries the numbers.
    QVERIFY2(set.formulaLines().join(' ').contains(QStringLiteral("= %1").arg(expectedRows)),
             qPrintable(set.formulaLines().join(' ')));
}

void TestTransposedView::refusals_data()
{
    QTest::addColumn<int>("amount");
    QTest::addColumn<int>("stride");
    QTest::addColumn<int>("padding");
    QTest::addColumn<int>("outputPadding");
    QTest::addColumn<QString>("message");
    QTest::newRow("output padding at the stride")
        << int(core::Amount::Explicit) << 2 << 0 << 2
        << QStringLiteral("output padding (2) must be smaller than the stride (2) or the dilation (1)");
    QTest::newRow("crops leave nothing")
        << int(core::Amount::Explicit) << 1 << 4 << 0 << QStringLiteral("leave no output");
    QTest::newRow("full is not a crop")
        << int(core::Amount::Full) << 2 << 0 << 0 << QStringLiteral("not full");
}

void TestTransposedView::refusals()
{
    QFETCH(int, amount);
    QFETCH(int, stride);
    QFETCH(int, padding);
    QFETCH(int, outputPadding);
    QFETCH(QString, message);
    const auto session
        = transposedSession(numbers(3, 3), kernelOf(3, 3), core::Amount(amount), stride, 1, padding, outputPadding);
    const SnapshotPtr s = session->snapshot();
    QVERIFY(s->has(Part::Transposed));
    QVERIFY2(s->transposed->error.contains(message), qPrintable(s->transposed->error));
    // The view says so instead of drawing.
    TransposedOptions o;
    const QImage image = paint(*s, o);
    QVERIFY(countNear(image, image.rect(), o.look.text(), 0) > 50);
    QVERIFY(!TransposedPainter::outputCellAt(image.rect(), *s, o, QPointF(800, 450)));
}

void TestTransposedView::stuffedZerosAndPadding()
{
    // 3x3 input, kernel 3, stride 2, padding 0: e - 1 = 2 implicit pads each side, 1 stuffed zero.
    const auto session = transposedSession(numbers(3, 3), kernelOf(3, 3), core::Amount::Explicit, 2, 1, 0, 0);
    const SnapshotPtr s = session->snapshot();
    const TransposedSet &set = *s->transposed;
    TransposedOptions o;
    const QImage image = paint(*s, o);
    const QRect target = image.rect();
    const QColor stuffed = TransposedPainter::stuffedColor(o.look);
    const int pr = set.explanation.padded.shape().rows();
    QCOMPARE(pr, 2 + 5 + 2);
    QCOMPARE(set.explanation.implicit[0].before, 2);
    int stuffedCells = 0;
    int realCells = 0;
    int padCells = 0;
    for (int r = 0; r < pr; ++r)
        for (int c = 0; c < pr; ++c) {
            const QRectF cell = TransposedPainter::paddedCellRect(target, *s, o, r, c);
            QVERIFY(cell.width() >= 28); // a number fits
            // A corner away from the number and the grid line.
            const QColor corner = pixel(image, cell.left() + 4, cell.top() + 4);
            if (set.inputOfPadded(r, c)) {
                ++realCells;
                QVERIFY(corner != stuffed);
                QVERIFY(!near(corner, o.look.paddingTint(), 60));
            } else if (set.isImplicitPad(r, c)) {
                ++padCells;
                const QRgb expected = padlab::ui::blend(padlab::ui::grayColor(0.0), o.look.paddingTint().rgb(),
                                                        o.look.paddingAlpha());
                QCOMPARE(corner, QColor(expected));
            } else {
                ++stuffedCells;
                QCOMPARE(corner, stuffed);
            }
        }
    QCOMPARE(realCells, 9);
    QCOMPARE(stuffedCells, 5 * 5 - 9);
    QCOMPARE(padCells, 9 * 9 - 25);
    // Real cells in their grey, by value: the smallest darkest.
    const QRectF first = TransposedPainter::paddedCellRect(target, *s, o, 2, 2);
    const QRectF last = TransposedPainter::paddedCellRect(target, *s, o, 6, 6);
    QVERIFY(pixel(image, first.left() + 4, first.top() + 4).lightness()
            < pixel(image, last.left() + 4, last.top() + 4).lightness());
}

void TestTransposedView::croppedAndAddedCells()
{
    // 3x3 input, kernel 3, stride 3, padding 1, output padding 2: full 9 cells, 1 cropped before,
    // the last stamped cell cropped after and given back by output_padding, plus one past the stamps.
    const auto session = transposedSession(numbers(3, 3), kernelOf(3, 3), core::Amount::Explicit, 3, 1, 1, 2);
    const SnapshotPtr s = session->snapshot();
    const TransposedSet &set = *s->transposed;
    QCOMPARE(set.rows().full, 9);
    QCOMPARE(set.outputRows(), 9 - 1 - 1 + 2);
    TransposedOptions o;
    o.step = 4; // not on the border
    const QImage image = paint(*s, o);
    const QRect target = image.rect();
    const QColor crossed = TransposedPainter::croppedInk(o.look);
    const QColor added = TransposedPainter::addedInk(o.look);
    const auto onCross = [&](int row, int col) {
        const QRectF cell = TransposedPainter::fullCellRect(target, *s, o, row, col);
        return pixel(image, cell.left() + 0.3 * cell.width(), cell.top() + 0.3 * cell.width());
    };
    // Row 0 and column 0 of the full output are cropped: crossed out.
    for (int c = 0; c < 9; ++c) {
        QVERIFY2(near(onCross(0, c), crossed), qPrintable(QStringLiteral("full cell 0, %1").arg(c)));
        QVERIFY2(near(onCross(c, 0), crossed), qPrintable(QStringLiteral("full cell %1, 0").arg(c)));
    }
    // The output's cells are not.
    for (int r = 1; r < 9; ++r)
        for (int c = 1; c < 9; ++c)
            QVERIFY2(!near(onCross(r, c), crossed), qPrintable(QStringLiteral("full cell %1, %2").arg(r).arg(c)));
    // The last two rows and columns of the output are output_padding's: outlined dashed; the
    // others are not.
    const QRectF addedCell = TransposedPainter::outputCellRect(target, *s, o, QPoint(8, 8));
    QVERIFY(!addedCell.isEmpty());
    QVERIFY(countNear(image, addedCell, added, 30) > 20);
    const QRectF stampedAdded = TransposedPainter::outputCellRect(target, *s, o, QPoint(2, 7));
    QVERIFY(countNear(image, stampedAdded, added, 30) > 20);
    const QRectF plain = TransposedPainter::outputCellRect(target, *s, o, QPoint(2, 2));
    QCOMPARE(countNear(image, plain, added, 30), 0);
    // Hovering a cropped cell finds no output cell; an output cell finds itself.
    QVERIFY(!TransposedPainter::outputCellAt(target, *s, o,
                                             TransposedPainter::fullCellRect(target, *s, o, 0, 3).center()));
    QCOMPARE(TransposedPainter::outputCellAt(target, *s, o, addedCell.center()), std::optional<QPoint>(QPoint(8, 8)));
    // The sum line of a cell no stamp reaches says so.
    QVERIFY(TransposedPainter::sumLine(set, QPoint(8, 8)).contains(QStringLiteral("no input cell stamps")));
}

void TestTransposedView::currentWindowAndStamps_data()
{
    QTest::addColumn<int>("step");
    QTest::addColumn<bool>("hover");
    QTest::newRow("first cell") << 0 << false;
    QTest::newRow("step 5") << 5 << false;
    QTest::newRow("hovered") << 0 << true;
}

void TestTransposedView::currentWindowAndStamps()
{
    QFETCH(int, step);
    QFETCH(bool, hover);
    const auto session = transposedSession(numbers(4, 4), kernelOf(3, 3), core::Amount::Explicit, 2, 1, 1, 1);
    const SnapshotPtr s = session->snapshot();
    const TransposedSet &set = *s->transposed;
    TransposedOptions o;
    o.step = step;
    if (hover)
        o.hoveredOutput = QPoint(5, 3);
    const QImage image = paint(*s, o);
    const QRect target = image.rect();
    // The step walks the transposed output row by row (8 cells a side here), not the window's.
    const QPoint current = TransposedPainter::currentCell(*s, o);
    QCOMPARE(set.outputCols(), 8);
    QCOMPARE(current, QPoint(step % set.outputCols(), step / set.outputCols()));
    const QPoint shown = hover ? *o.hoveredOutput : current;
    // The flipped kernel's window: e x e cells from the shown cell in the padded grid.
    const QRectF box = TransposedPainter::paddedCellRect(target, *s, o, shown.y(), shown.x())
                           .united(TransposedPainter::paddedCellRect(target, *s, o, shown.y() + 2, shown.x() + 2));
    const QColor windowColor = o.look.windowColor();
    QCOMPARE(pixel(image, box.left() + 1, box.center().y() - 5), windowColor);
    QCOMPARE(pixel(image, box.right() - 1, box.center().y() - 5), windowColor);
    QCOMPARE(pixel(image, box.center().x() - 5, box.top() + 1), windowColor);
    // The input cells that stamp onto the shown cell are ringed; no other real cell is.
    const core::ConvTWindow w = set.windowAt(shown);
    QVERIFY(!w.stamps.empty());
    const QColor ring = o.look.currentCellColor();
    const int pr = set.explanation.padded.shape().rows();
    const int pc = set.explanation.padded.shape().cols();
    int ringed = 0;
    for (int r = 0; r < pr; ++r)
        for (int c = 0; c < pc; ++c) {
            const auto in = set.inputOfPadded(r, c);
            if (!in)
                continue;
            const QRectF cell = TransposedPainter::paddedCellRect(target, *s, o, r, c);
            const bool stamps = std::any_of(w.stamps.begin(), w.stamps.end(), [&](const core::ConvTStamp &st) {
                return st.input[0] == in->y() && st.input[1] == in->x();
            });
            const bool isRinged = pixel(image, cell.left() + 2, cell.center().y() + 6) == ring;
            QCOMPARE(isRinged, stamps);
            ringed += isRinged ? 1 : 0;
        }
    QCOMPARE(ringed, int(w.stamps.size()));
    // The current cell is marked in the scatter picture.
    const QRectF out = TransposedPainter::outputCellRect(target, *s, o, current);
    QCOMPARE(pixel(image, out.left() + 1, out.center().y()), ring);
}

void TestTransposedView::hoverAndTab()
{
    padlab::ui::MainWindow window;
    window.setErrorDialogsEnabled(false);
    window.resize(1400, 900);
    Session *session = window.session();
    session->setSource(numbers(3, 3), QStringLiteral("numbers"));
    session->setKernel(kernelOf(3, 3));
    // The window reopens as it was closed (a previous run's settings): start from the defaults.
    session->setViewSettings(ViewSettings{});
    session->waitUntilIdle();
    // The tab follows the Channels tab; its View menu entry has the next Ctrl+digit.
    QTabWidget *tabs = window.viewTabs();
    const int index = int(Session::View::Transposed);
    QCOMPARE(tabs->tabText(index), QStringLiteral("Transposed"));
    QAction *show = nullptr;
    for (QAction *action : window.findChildren<QAction *>())
        if (action->shortcut() == QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + index)))
            show = action;
    QVERIFY(show);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    show->trigger();
    QCOMPARE(session->view(), Session::View::Transposed);
    padlab::ui::TransposedView *view = window.transposedView();
    QVERIFY(view->isVisible());
    QTRY_VERIFY(session->snapshot()->has(Part::Transposed));
    QTRY_VERIFY(view->shown()->has(Part::Transposed));
    // The controls are the session's settings.
    auto *stride = view->findChild<QSpinBox *>(QStringLiteral("convtStride"));
    auto *padding = view->findChild<QSpinBox *>(QStringLiteral("convtPadding"));
    auto *preset = view->findChild<QComboBox *>(QStringLiteral("convtPreset"));
    QVERIFY(stride && padding && preset);
    stride->setValue(3);
    padding->setValue(1);
    QCOMPARE(session->viewSettings().convtStride, 3);
    QCOMPARE(session->viewSettings().convtPadding, 1);
    session->waitUntilIdle();
    QTRY_COMPARE(view->shown()->transposed->outputRows(), (3 - 1) * 3 + 3 - 2);
    preset->setCurrentIndex(preset->findData(int(core::Amount::Same)));
    Q_EMIT preset->activated(preset->currentIndex());
    QCOMPARE(session->viewSettings().convtAmount, core::Amount::Same);
    QVERIFY(!padding->isEnabled());
    session->waitUntilIdle();
    QTRY_COMPARE(view->shown()->transposed->outputRows(), 9);
    // Hovering an output cell of the canvas: the view knows which.
    auto *scroll = view->findChild<QScrollArea *>();
    QVERIFY(scroll);
    QWidget *canvas = scroll->widget();
    QVERIFY(canvas);
    // The canvas takes the height its grids need once the scroll area has laid it out again.
    QTRY_COMPARE(canvas->height(), std::max(scroll->viewport()->height(), canvas->heightForWidth(canvas->width())));
    const QRectF cell = TransposedPainter::outputCellRect(canvas->rect(), *view->shown(), view->options(), QPoint(4, 2));
    QVERIFY(!cell.isEmpty());
    // The canvas is as tall as readable numbers need: the cell may be below the fold.
    scroll->ensureVisible(cell.center().toPoint().x(), cell.center().toPoint().y());
    QTest::mouseMove(canvas, cell.center().toPoint());
    QTRY_COMPARE(view->hoveredOutput(), std::optional<QPoint>(QPoint(4, 2)));
}

void TestTransposedView::lessonClaims_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<int>("outputRows");
    QTest::addColumn<int>("full");
    QTest::addColumn<int>("before");
    QTest::addColumn<int>("implicitBefore");
    QTest::addColumn<int>("implicitAfter");
    QTest::addColumn<QString>("claim");
    QTest::newRow("padding crops") << QStringLiteral("transposed-crops") << 6 << 7 << 1 << 1 << 2
                                   << QStringLiteral("out = 7 − 1 − 1 + 1 = 6");
    QTest::newRow("checkerboard") << QStringLiteral("checkerboard") << 9 << 9 << 0 << 2 << 2
                                  << QStringLiteral("the 9×9 output is that count, a checkerboard of 4, 2 and 1");
    QTest::newRow("same") << QStringLiteral("convt-same") << 8 << 9 << 0 << 2 << 1
                          << QStringLiteral("max(3 − 2, 0)//2 = 0 cells before and the remaining 1 after");
}

void TestTransposedView::lessonClaims()
{
    QFETCH(QString, id);
    QFETCH(int, outputRows);
    QFETCH(int, full);
    QFETCH(int, before);
    QFETCH(int, implicitBefore);
    QFETCH(int, implicitAfter);
    QFETCH(QString, claim);
    const std::optional<padlab::ui::Lesson> lesson = padlab::ui::makeBuiltinLesson(id);
    QVERIFY(lesson);
    QVERIFY2(lesson->explanation.contains(claim), qPrintable(lesson->explanation));
    QCOMPARE(lesson->view.view, Session::View::Transposed);
    Session session;
    QString error;
    QVERIFY2(padlab::ui::applyLesson(*lesson, session, &error), qPrintable(error));
    session.need(Part::Transposed);
    session.waitUntilIdle();
    const SnapshotPtr s = session.snapshot();
    QVERIFY(s->has(Part::Transposed));
    const TransposedSet &set = *s->transposed;
    QVERIFY2(set.ok(), qPrintable(set.error));
    for (const core::ConvTAxis *a : {&set.rows(), &set.cols()}) {
        QCOMPARE(a->output, outputRows);
        QCOMPARE(a->full, full);
        QCOMPARE(a->before, before);
    }
    QCOMPARE(set.explanation.implicit[0].before, implicitBefore);
    QCOMPARE(set.explanation.implicit[0].after, implicitAfter);
    if (id == QLatin1String("checkerboard")) {
        // Ones through ones: each cell is its count of stamps, 4 at even/even inside, 1 at odd/odd.
        const cv::Mat out = set.result.output.plane(0);
        QCOMPARE(set.maxOverlap, 4);
        for (int r = 0; r < 9; ++r)
            for (int c = 0; c < 9; ++c) {
                QCOMPARE(out.at<double>(r, c), double(set.overlaps.at<int>(r, c)));
                const int rowStamps = r % 2 == 0 && r > 0 && r < 8 ? 2 : 1;
                const int colStamps = c % 2 == 0 && c > 0 && c < 8 ? 2 : 1;
                QCOMPARE(set.overlaps.at<int>(r, c), rowStamps * colStamps);
            }
        // The shading tells them apart.
        TransposedOptions o;
        const QImage image = paint(*s, o);
        const auto corner = [&](int r, int c) {
            const QRectF cell = TransposedPainter::fullCellRect(image.rect(), *s, o, r, c);
            return pixel(image, cell.left() + 4, cell.top() + 4);
        };
        QCOMPARE(corner(2, 2), TransposedPainter::overlapColor(o.look, 4, 4));
        QCOMPARE(corner(1, 2), TransposedPainter::overlapColor(o.look, 2, 4));
        QCOMPARE(corner(1, 1), TransposedPainter::overlapColor(o.look, 1, 4));
        QVERIFY(corner(2, 2).lightness() < corner(1, 2).lightness());
        QVERIFY(corner(1, 2).lightness() < corner(1, 1).lightness());
    }
}

void TestTransposedView::checkerboardNeedsUnevenOverlap()
{
    // The lesson's last claim: kernel 4 at stride 2 reaches every inner cell equally often.
    const auto session = transposedSession(cv::Mat::ones(4, 4, CV_64F), cv::Mat::ones(4, 4, CV_64F),
                                           core::Amount::Explicit, 2, 1, 0, 0);
    const TransposedSet &set = *session->snapshot()->transposed;
    const int full = set.rows().full;
    QCOMPARE(full, 10);
    for (int r = 2; r < full - 2; ++r)
        for (int c = 2; c < full - 2; ++c)
            QCOMPARE(set.overlaps.at<int>(r, c), 4);
    QVERIFY(padlab::ui::makeBuiltinLesson(QStringLiteral("checkerboard"))
                ->explanation.contains(QStringLiteral("(4 at stride 2) reaches every inner cell equally")));
}

void TestTransposedView::readableOnProjector_data()
{
    QTest::addColumn<QSize>("tab");
    QTest::addColumn<bool>("dark");
    QTest::addColumn<bool>("stacked");
    // The canvas of the Transposed tab at 1280 x 720 and 1920 x 1080 with the settings docked
    // below (short and wide), and a tall, narrow one (a portrait window, the docks beside).
    QTest::newRow("1280x720 light") << QSize(1240, 330) << false << false;
    QTest::newRow("1280x720 dark") << QSize(1240, 330) << true << false;
    QTest::newRow("1920x1080 light") << QSize(1880, 590) << false << false;
    QTest::newRow("1920x1080 dark") << QSize(1880, 590) << true << false;
    QTest::newRow("tall and narrow") << QSize(760, 1400) << false << true;
}

void TestTransposedView::readableOnProjector()
{
    QFETCH(QSize, tab);
    QFETCH(bool, dark);
    QFETCH(bool, stacked);
    // A 6x6 matrix, kernel 3, stride 2: 15 x 15 padded, 13 x 13 full output.
    const auto session = transposedSession(numbers(6, 6), kernelOf(3, 3), core::Amount::Explicit, 2, 1, 0, 0);
    const SnapshotPtr s = session->snapshot();
    const TransposedSet &set = *s->transposed;
    TransposedOptions o;
    o.look.dark = dark;
    // The canvas: the tab's width, and as high as readable numbers need (the tab scrolls).
    const QRect target(0, 0, tab.width(),
                       std::max(tab.height(), TransposedPainter::heightForWidth(*s, o.look, tab.width())));
    const QImage image = paint(*s, o, target.size());
    const int pr = set.explanation.padded.shape().rows();
    const int fr = set.full.rows;
    QCOMPARE(pr, 15);
    QCOMPARE(fr, 13);
    QRectF padded, full, kernel;
    for (int r = 0; r < pr; ++r)
        for (int c = 0; c < pr; ++c)
            padded |= TransposedPainter::paddedCellRect(target, *s, o, r, c);
    for (int r = 0; r < fr; ++r)
        for (int c = 0; c < fr; ++c)
            full |= TransposedPainter::fullCellRect(target, *s, o, r, c);
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c)
            kernel |= TransposedPainter::kernelCellRect(target, *s, o, r, c);
    // Every grid inside the canvas, none over another.
    for (const QRectF &grid : {padded, full, kernel})
        QVERIFY(QRectF(target).contains(grid));
    QVERIFY(!padded.intersects(full) && !padded.intersects(kernel) && !kernel.intersects(full));
    QCOMPARE(full.top() > padded.bottom(), stacked);
    // Cells large enough for numbers of at least 11 px (drawn at 0.36 of the cell).
    const QRectF cell = TransposedPainter::paddedCellRect(target, *s, o, 0, 0);
    QVERIFY2(cell.width() * 0.36 >= 11, qPrintable(QString::number(cell.width())));
    QVERIFY(TransposedPainter::kernelCellRect(target, *s, o, 0, 0).width() >= cell.width());
    // The implicit padding's 0 stands out from its fill, in either theme.
    const QRect pad = cell.toAlignedRect().adjusted(2, 2, -2, -2);
    const int fill = image.pixelColor(pad.topLeft()).lightness();
    int ink = 0;
    for (int y = pad.top(); y <= pad.bottom(); ++y)
        for (int x = pad.left(); x <= pad.right(); ++x)
            ink = std::max(ink, std::abs(image.pixelColor(x, y).lightness() - fill));
    QVERIFY2(ink > 70, qPrintable(QStringLiteral("contrast %1 on lightness %2").arg(ink).arg(fill)));
}

void TestTransposedView::sameAgainstPyTorch()
{
    // convt-same: PyTorch's padding=1, output_padding=1 also gives 8x8, one cell further on.
    const cv::Mat input = numbers(4, 4);
    const cv::Mat kernel = cv::Mat::ones(3, 3, CV_64F);
    const auto keras = transposedSession(input, kernel, core::Amount::Same, 2, 1, 0, 0);
    const auto torch = transposedSession(input, kernel, core::Amount::Explicit, 2, 1, 1, 1);
    const cv::Mat k = keras->snapshot()->transposed->result.output.plane(0);
    const cv::Mat t = torch->snapshot()->transposed->result.output.plane(0);
    QCOMPARE(k.rows, 8);
    QCOMPARE(t.rows, 8);
    QVERIFY(cv::norm(k, t, cv::NORM_INF) > 0);
    QCOMPARE(cv::norm(k(cv::Rect(1, 1, 7, 7)), t(cv::Rect(0, 0, 7, 7)), cv::NORM_INF), 0.0);
    QVERIFY(padlab::ui::makeBuiltinLesson(QStringLiteral("convt-same"))
                ->explanation.contains(QStringLiteral("the same numbers, one cell further on")));
}

void TestTransposedView::lessonFileKeepsSettings_data()
{
    QTest::addColumn<int>("amount");
    QTest::addColumn<int>("padding");
    QTest::newRow("pytorch") << int(core::Amount::Explicit) << 2;
    QTest::newRow("keras same") << int(core::Amount::Same) << 0;
    QTest::newRow("keras valid") << int(core::Amount::Valid) << 0;
}

void TestTransposedView::lessonFileKeepsSettings()
{
    QFETCH(int, amount);
    QFETCH(int, padding);
    const auto session = transposedSession(numbers(3, 3), kernelOf(3, 3), core::Amount(amount), 3, 2, padding,
                                           amount == int(core::Amount::Explicit) ? 1 : 0);
    ViewSettings view = session->viewSettings();
    view.view = Session::View::Transposed;
    session->setViewSettings(view);
    const QString path = m_dir->filePath(QStringLiteral("saved.padlab.json"));
    QString error;
    QVERIFY2(padlab::ui::writeLesson(padlab::ui::lessonFromSession(*session), path, &error), qPrintable(error));
    const std::optional<padlab::ui::Lesson> read = padlab::ui::readLesson(path, &error);
    QVERIFY2(read, qPrintable(error));
    QCOMPARE(read->view.view, Session::View::Transposed);
    QCOMPARE(read->view.convtAmount, core::Amount(amount));
    QCOMPARE(read->view.convtStride, 3);
    QCOMPARE(read->view.convtDilation, 2);
    QCOMPARE(read->view.convtPadding, padding);
    QCOMPARE(read->view.convtOutputPadding, view.convtOutputPadding);
    QVERIFY(read->view == session->viewSettings());
    // A malformed setting is named.
    QByteArray text = padlab::test::readBytes(path);
    text.replace("\"stride\": 3", "\"stride\": 0");
    QVERIFY(padlab::test::writeBytes(path, text));
    QVERIFY(!padlab::ui::readLesson(path, &error));
    QVERIFY2(error.contains(QStringLiteral("view.transposed.stride: expected a whole number from 1")), qPrintable(error));
}

void TestTransposedView::render_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("output");
    QTest::addColumn<int>("amount");
    QTest::addColumn<int>("stride");
    QTest::addColumn<int>("padding");
    QTest::addColumn<int>("outputPadding");
    QTest::addColumn<int>("step");

    QTest::newRow("pytorch png") << QStringLiteral("small.csv")
                                 << QStringList{"--stride", "2", "--pad", "1", "--output-padding", "1"}
                                 << QStringLiteral("torch.png") << int(core::Amount::Explicit) << 2 << 1 << 1 << 1;
    QTest::newRow("keras same png with a step")
        << QStringLiteral("small.csv") << QStringList{"--stride", "2", "--pad", "same", "--step", "6"}
        << QStringLiteral("same.png") << int(core::Amount::Same) << 2 << 0 << 0 << 6;
    QTest::newRow("keras valid stride 3") << QStringLiteral("small.csv") << QStringList{"--stride", "3", "--pad", "valid"}
                                          << QStringLiteral("valid.png") << int(core::Amount::Valid) << 3 << 0 << 0 << 1;
    QTest::newRow("lesson") << QStringLiteral("lesson:checkerboard") << QStringList{} << QStringLiteral("lesson.png")
                            << -1 << 0 << 0 << 0 << 0;
    QTest::newRow("svg") << QStringLiteral("small.csv") << QStringList{} << QStringLiteral("t.svg")
                         << int(core::Amount::Explicit) << 2 << 0 << 0 << 1;
    QTest::newRow("pdf") << QStringLiteral("small.csv") << QStringList{} << QStringLiteral("t.pdf")
                         << int(core::Amount::Explicit) << 2 << 0 << 0 << 1;
    QTest::newRow("gif") << QStringLiteral("small.csv") << QStringList{"--pad", "1"} << QStringLiteral("t.gif")
                         << int(core::Amount::Explicit) << 2 << 1 << 0 << 1;
}

void TestTransposedView::render()
{
    QFETCH(QString, input);
    QFETCH(QStringList, options);
    QFETCH(QString, output);
    QFETCH(int, amount);
    QFETCH(int, stride);
    QFETCH(int, padding);
    QFETCH(int, outputPadding);
    QFETCH(int, step);

    const bool lesson = input.startsWith(QLatin1String("lesson:"));
    const QStringList view = lesson ? QStringList{} : QStringList{"--view", "transposed"};
    const padlab::test::Run run
        = padlab::test::runPadlab(m_dir->path(), QStringList{"render", input, "-o", output} + view + options);
    PADLAB_VERIFY_SUCCESS(run);
    const QString path = m_dir->filePath(output);
    const QByteArray bytes = padlab::test::readBytes(path);
    if (output.endsWith(QLatin1String(".svg"))) {
        QVERIFY(bytes.contains("<svg"));
        QVERIFY(bytes.contains("Scatter"));
        QVERIFY(bytes.contains("stuffed zero"));
        return;
    }
    if (output.endsWith(QLatin1String(".pdf"))) {
        QVERIFY(bytes.startsWith("%PDF"));
        return;
    }
    if (output.endsWith(QLatin1String(".gif"))) {
        QVERIFY(bytes.startsWith("GIF8"));
        // One frame per window position: more than one image block.
        QVERIFY(bytes.count(QByteArray("\x21\xF9\x04", 3)) > 1);
        return;
    }
    const QImage written(path);
    QCOMPARE(written.size(), padlab::ui::kTeachingExportSize);

    // The same view painted here, through the same painter, from the same settings.
    Session session;
    if (lesson) {
        QString error;
        QVERIFY(padlab::ui::applyLesson(*padlab::ui::makeBuiltinLesson(input.mid(7)), session, &error));
    } else {
        QVERIFY(session.openFile(m_dir->filePath(input)));
        session.setSpec(Session::defaultSpec());
        session.setPreset(QString::fromLatin1(Session::kDefaultPreset));
        ViewSettings settings = session.viewSettings();
        settings.convtAmount = core::Amount(amount);
        settings.convtStride = stride;
        settings.convtPadding = padding;
        settings.convtOutputPadding = outputPadding;
        session.setViewSettings(settings);
        session.setStep(step - 1);
    }
    session.waitUntilIdle();
    padlab::ui::ExportOptions exportOptions;
    exportOptions.view = padlab::ui::ExportView::Transposed;
    padlab::ui::Exporter exporter(session, exportOptions);
    const QImage painted = exporter.renderImage();
    QCOMPARE(painted.size(), written.size());
    QVERIFY2(painted.convertToFormat(QImage::Format_RGB32) == written.convertToFormat(QImage::Format_RGB32),
             "the rendered PNG differs from the view painted in the test");
    // And it is the view: the stuffed zeros' colour is in it.
    QVERIFY(countNear(written, written.rect(), TransposedPainter::stuffedColor(padlab::ui::Look()), 0) > 100);
}

void TestTransposedView::renderRefusals_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("output padding at the stride")
        << QStringList{"--view", "transposed", "--stride", "2", "--pad", "0", "--output-padding", "2"}
        << QStringLiteral("output padding (2) must be smaller than the stride (2) or the dilation (1)");
    QTest::newRow("output padding without the view")
        << QStringList{"--output-padding", "1"} << QStringLiteral("--output-padding applies to the transposed view");
    QTest::newRow("output padding with same")
        << QStringList{"--view", "transposed", "--pad", "same", "--output-padding", "1"}
        << QStringLiteral("--output-padding goes with PyTorch's padding");
    QTest::newRow("full") << QStringList{"--view", "transposed", "--pad", "full"}
                          << QStringLiteral("--pad 'full': the transposed view takes valid, same (Keras) or one PyTorch padding");
    QTest::newRow("a fill") << QStringList{"--view", "transposed", "--fill", "reflect"}
                            << QStringLiteral("--fill does not apply to the transposed view");
    QTest::newRow("crops leave nothing") << QStringList{"--view", "transposed", "--stride", "1", "--pad", "9"}
                                         << QStringLiteral("leave no output");
}

void TestTransposedView::renderRefusals()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const QStringList before = padlab::test::entries(m_dir->path());
    const padlab::test::Run run
        = padlab::test::runPadlab(m_dir->path(), QStringList{"render", "small.csv", "-o", "refused.png"} + arguments);
    QVERIFY(run.finished && !run.crashed);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(message.toUtf8()), run.err.constData());
    QCOMPARE(padlab::test::entries(m_dir->path()), before);
}

// A transposed convolution's output is larger than its input: the steps, the clicks, the
// animation and --step walk every cell of it, not only as many as the window's feature map has.
void TestTransposedView::stepsWalkTheTransposedOutput()
{
    // 3 x 3 input, 3 x 3 kernel, stride 2, no padding: (3 - 1) * 2 + 3 = 7 cells a side.
    auto session = transposedSession(numbers(3, 3), kernelOf(3, 3), core::Amount::Explicit, 2, 1, 0, 0);
    session->setView(Session::View::Transposed);
    session->waitUntilIdle();
    QCOMPARE(session->snapshot()->transposed->outputRows(), 7);
    QCOMPARE(session->stepCount(), 49);
    session->setStep(48);
    QCOMPARE(session->step(), 48);
    QCOMPARE(session->stepIndex(), (std::vector<int>{6, 6}));
    TransposedOptions options;
    options.step = session->step();
    QCOMPARE(TransposedPainter::currentCell(*session->snapshot(), options), QPoint(6, 6));
    session->setStepCell(5, 3); // as a click on output cell (5, 3) does
    QCOMPARE(session->step(), 5 * 7 + 3);

    // An animation of the view has a frame per transposed output cell.
    padlab::ui::ExportOptions exportOptions;
    exportOptions.view = padlab::ui::ExportView::Transposed;
    QCOMPARE(padlab::ui::Exporter(*session, exportOptions).frameCount(), 49LL);

    // Back on the sliding window, the steps are its feature map's (3 x 3, same), the step clamped.
    QSignalSpy moved(session.get(), &Session::stepChanged);
    session->setView(Session::View::Window);
    QCOMPARE(session->stepCount(), 9);
    QCOMPARE(session->step(), 8);
    QVERIFY(!moved.isEmpty());

    // The command line counts the same positions.
    QVERIFY(padlab::test::writeBytes(m_dir->filePath("three.csv"), "1,2,3\n4,5,6\n7,8,9\n"));
    const QStringList common{"render", "three.csv", "--view", "transposed", "--stride", "2", "--pad", "0"};
    PADLAB_VERIFY_SUCCESS(padlab::test::runPadlab(m_dir->path(), common + QStringList{"--step", "49", "-o", "last.png"}));
    const padlab::test::Run beyond
        = padlab::test::runPadlab(m_dir->path(), common + QStringList{"--step", "50", "-o", "beyond.png"});
    QCOMPARE(beyond.exitCode, 2);
    QVERIFY2(beyond.err.contains("1 to 49"), beyond.err.constData());
    QVERIFY(!QFile::exists(m_dir->filePath("beyond.png")));
}

QTEST_MAIN(TestTransposedView)
#include "tst_transposedview.moc"

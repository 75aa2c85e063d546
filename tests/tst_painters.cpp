#include "panelpainter.h"
#include "session.h"
#include "testutil.h"

#include <QImage>
#include <QPainter>
#include <QSignalSpy>
#include <QtTest>

#include <opencv2/core.hpp>

using padlab::core::Amount;
using padlab::core::Fill;
using padlab::ui::Look;
using padlab::ui::OutputScale;
using padlab::ui::Panel;
using padlab::ui::PanelOptions;
using padlab::ui::PanelPainter;
using padlab::ui::Session;

Q_DECLARE_METATYPE(Panel)
Q_DECLARE_METATYPE(OutputScale)

namespace {

const QRect kTarget(0, 0, 640, 480);

/// @p o at the session's step: the painter draws the window where the session has it.
PanelOptions at(const Session &session, PanelOptions o)
{
    o.step = session.step();
    return o;
}

QImage render(const Session &session, Panel panel, const PanelOptions &options, QRect target = kTarget,
             double dpr = 1.0)
{
    QImage image(target.size() * dpr, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(dpr);
    image.fill(Qt::magenta); // nothing the painter draws is magenta: unpainted pixels show up
    QPainter painter(&image);
    PanelPainter::paint(painter, target, *session.snapshot(), panel, at(session, options));
    painter.end();
    return image;
}

QPoint cellPoint(const Session &s, Panel panel, const PanelOptions &o, QPoint cell, QPointF fraction)
{
    const QRectF r = PanelPainter::cellRect(kTarget, *s.snapshot(), panel, at(s, o), cell);
    return QPointF(r.left() + r.width() * fraction.x(), r.top() + r.height() * fraction.y()).toPoint();
}

/// The colour at logical point @p p (device pixels differ on high-DPI images).
QColor colorAt(const QImage &image, QPoint p)
{
    return image.pixelColor((QPointF(p) * image.devicePixelRatio()).toPoint());
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

cv::Mat ramp(int rows, int cols, double scale)
{
    cv::Mat m(rows, cols, CV_64F);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c)
            m.at<double>(r, c) = scale * (r * cols + c);
    return m;
}

Look look(bool dark)
{
    Look l;
    l.dark = dark;
    return l;
}

PanelOptions options(double cellSize, bool dark = false)
{
    PanelOptions o;
    o.cellSize = cellSize;
    o.look.dark = dark;
    return o;
}

/// Pixels inside the middle half of a cell that differ clearly from the cell's background.
int inkPixels(const QImage &image, const QRectF &cell)
{
    const QRect inner = cell.adjusted(cell.width() / 4, cell.height() / 4, -cell.width() / 4,
                                      -cell.height() / 4).toRect();
    const QColor background = image.pixelColor(cell.toRect().topLeft() + QPoint(3, 3));
    int count = 0;
    for (int y = inner.top(); y <= inner.bottom(); ++y)
        for (int x = inner.left(); x <= inner.right(); ++x)
            if (!near(image.pixelColor(x, y), background, 40))
                ++count;
    return count;
}

} // namespace

class TestPainters : public QObject {
    Q_OBJECT

private slots:
    void titles_data();
    void titles();
    void paddingIsTinted_data();
    void paddingIsTinted();
    void unreadCellsAreDarker();
    void windowOutlineFollowsStep_data();
    void windowOutlineFollowsStep();
    void windowBoxSurroundsTheWindow_data();
    void windowBoxSurroundsTheWindow();
    void inputLightsDonors();
    void currentOutputCell_data();
    void currentOutputCell();
    void uncomputedCellsAreFaded();
    void colorBar_data();
    void colorBar();
    void valuesWhenCellsAreLarge_data();
    void valuesWhenCellsAreLarge();
    void windowPanelShowsTaps();
    void hugeInputPaintsAsImage();
    void cellAtAndBack_data();
    void cellAtAndBack();
    void paintsOnlyInsideTarget_data();
    void paintsOnlyInsideTarget();
};

void TestPainters::titles_data()
{
    QTest::addColumn<Panel>("panel");
    QTest::addColumn<QString>("title");
    QTest::newRow("input") << Panel::Input << "Input — 4 × 6";
    QTest::newRow("padded") << Panel::Padded << "Padded input — 8 × 10";
    QTest::newRow("window") << Panel::Window << "Window at (0, 0) — 3 × 3";
    QTest::newRow("output") << Panel::Output << "Output — 6 × 8";
}

void TestPainters::titles()
{
    QFETCH(Panel, panel);
    QFETCH(QString, title);
    Session session;
    session.setSource(ramp(4, 6, 1), "ramp");
    session.setAmount({Amount::Full, {}});
    session.setPreset("box-3");
    QCOMPARE(PanelPainter::title(*session.snapshot(), panel, at(session, {})), title);
    QVERIFY(PanelPainter::titleHeight(options(20)) > 0);
    PanelOptions hidden = options(20);
    hidden.showTitle = false;
    QCOMPARE(PanelPainter::titleHeight(hidden), 0);
}

void TestPainters::paddingIsTinted_data()
{
    QTest::addColumn<int>("fill");
    QTest::addColumn<bool>("dark");
    QTest::addColumn<double>("cellSize");
    QTest::addColumn<double>("dpr");
    QTest::newRow("zeros light") << int(Fill::Zeros) << false << 24.0 << 1.0;
    QTest::newRow("reflect light") << int(Fill::Reflect) << false << 24.0 << 1.0;
    QTest::newRow("replicate dark") << int(Fill::Replicate) << true << 24.0 << 1.0;
    QTest::newRow("zeros, large cells with values") << int(Fill::Zeros) << false << 44.0 << 1.0;
    QTest::newRow("circular, tiny cells") << int(Fill::Circular) << false << 4.0 << 1.0;
    QTest::newRow("reflect, high-DPI") << int(Fill::Reflect) << false << 24.0 << 2.0;
    QTest::newRow("circular, tiny cells, high-DPI") << int(Fill::Circular) << false << 4.0 << 2.0;
}

void TestPainters::paddingIsTinted()
{
    QFETCH(int, fill);
    QFETCH(bool, dark);
    QFETCH(double, cellSize);
    QFETCH(double, dpr);
    Session session;
    session.setSource(ramp(6, 6, 7), "ramp");
    session.setAmount({Amount::Explicit, {2, 2, 2, 2}});
    session.setFill(Fill(fill));
    const PanelOptions o = options(cellSize, dark);
    const QImage image = render(session, Panel::Padded, o, kTarget, dpr);
    const int tintHue = look(dark).paddingTint().hslHue();

    // Cell (9, 9) is padding, far from the window at step 0; (4, 4) is input.
    const QColor padding = colorAt(image, cellPoint(session, Panel::Padded, o, {9, 9}, {0.06, 0.5}));
    const QColor input = colorAt(image, cellPoint(session, Panel::Padded, o, {4, 4}, {0.06, 0.5}));
    QVERIFY2(padding.hslSaturation() > 100 && std::abs(padding.hslHue() - tintHue) < 20,
             qPrintable(describe(padding)));
    QVERIFY2(input.hslSaturation() < 10, qPrintable(describe(input)));
    // Along a padding row, every cell is tinted, whatever its value.
    for (int col = 0; col < 10; ++col) {
        const QColor c = colorAt(image, cellPoint(session, Panel::Padded, o, {col, 9}, {0.06, 0.5}));
        QVERIFY2(c.hslSaturation() > 100, qPrintable(QStringLiteral("col %1: ").arg(col) + describe(c)));
    }
    // The padding right next to the input on each side is tinted, and the input's own outermost
    // cells are not: the border between them is where the input ends. Sampled on the side away
    // from the input, which its outline covers; tiny cells lie under the outline altogether.
    if (cellSize < 12)
        return;
    struct Edge {
        const char *side;
        QPoint padding;
        QPointF away;
        QPoint input;
    };
    const Edge edges[] = {
        {"top", {4, 1}, {0.5, 0.06}, {4, 2}},
        {"bottom", {4, 8}, {0.5, 0.94}, {4, 7}},
        {"left", {1, 4}, {0.06, 0.5}, {2, 4}},
        {"right", {8, 4}, {0.94, 0.5}, {7, 4}},
    };
    for (const Edge &edge : edges) {
        const QColor next = colorAt(image, cellPoint(session, Panel::Padded, o, edge.padding, edge.away));
        QVERIFY2(next.hslSaturation() > 100 && std::abs(next.hslHue() - tintHue) < 20,
                 qPrintable(QStringLiteral("padding %1 of the input: ").arg(QLatin1String(edge.side)) + describe(next)));
        const QColor inside = colorAt(image, cellPoint(session, Panel::Padded, o, edge.input, {0.5, 0.5}));
        QVERIFY2(inside.hslSaturation() < 10,
                 qPrintable(QStringLiteral("input's %1 row: ").arg(QLatin1String(edge.side)) + describe(inside)));
    }
}

void TestPainters::windowBoxSurroundsTheWindow_data()
{
    QTest::addColumn<QPoint>("stride");   // x = cols, y = rows
    QTest::addColumn<QPoint>("stepCell"); // x = output col, y = output row
    QTest::addColumn<double>("cellSize");
    QTest::newRow("large cells") << QPoint(1, 1) << QPoint(3, 2) << 30.0;
    QTest::newRow("stride 2") << QPoint(2, 2) << QPoint(2, 1) << 24.0;
    QTest::newRow("cells of 8 px") << QPoint(1, 1) << QPoint(4, 3) << 8.0;
    QTest::newRow("cells of 4 px, taps not framed") << QPoint(1, 1) << QPoint(4, 3) << 4.0;
    QTest::newRow("cells of 2 px, stride 2x1") << QPoint(1, 2) << QPoint(5, 2) << 2.0;
}

// The window's outer box: on all four sides just outside the cells the window reads
// (DESIGN.md: rows i*sy .. i*sy + e - 1, columns j*sx .. j*sx + e - 1), whatever the cell size.
void TestPainters::windowBoxSurroundsTheWindow()
{
    QFETCH(QPoint, stride);
    QFETCH(QPoint, stepCell);
    QFETCH(double, cellSize);
    Session session;
    session.setSource(ramp(9, 11, 2), "ramp");
    session.setAmount({Amount::Full, {}});
    session.setStride({stride.y(), stride.x()});
    session.setStepCell(stepCell.y(), stepCell.x());
    QCOMPARE(session.stepCell(), stepCell);
    const PanelOptions o = options(cellSize);
    const QImage image = render(session, Panel::Padded, o);
    const QColor windowColor = look(false).windowColor();

    const int extent = 3;
    const QPoint first(stepCell.x() * stride.x(), stepCell.y() * stride.y());
    const QPoint last = first + QPoint(extent - 1, extent - 1);
    const QRectF topLeft = PanelPainter::cellRect(kTarget, *session.snapshot(), Panel::Padded, at(session, o), first);
    const QRectF bottomRight = PanelPainter::cellRect(kTarget, *session.snapshot(), Panel::Padded, at(session, o), last);
    // A window of a few pixels gets a box of at least 10 around its centre, so it stays visible.
    QRectF box(topLeft.topLeft(), bottomRight.bottomRight());
    const QPointF middle = box.center();
    box.setWidth(std::max(box.width(), 10.0));
    box.setHeight(std::max(box.height(), 10.0));
    box.moveCenter(middle);
    struct Side {
        const char *name;
        QPointF outside;
    };
    const Side sides[] = {
        {"top", {middle.x(), box.top() - 1.5}},
        {"bottom", {middle.x(), box.bottom() + 1.5}},
        {"left", {box.left() - 1.5, middle.y()}},
        {"right", {box.right() + 1.5, middle.y()}},
    };
    for (const Side &side : sides) {
        const QColor c = colorAt(image, side.outside.toPoint());
        QVERIFY2(near(c, windowColor),
                 qPrintable(QStringLiteral("%1 edge: ").arg(QLatin1String(side.name)) + describe(c)));
    }
    // One cell further out there is no box: it hugs the window, not a larger rectangle.
    if (cellSize >= 8) {
        const QColor beyond = colorAt(image, QPointF(box.right() + cellSize * 1.5, middle.y()).toPoint());
        QVERIFY2(!near(beyond, windowColor, 60), qPrintable(describe(beyond)));
        const QColor below = colorAt(image, QPointF(middle.x(), box.bottom() + cellSize * 1.5).toPoint());
        QVERIFY2(!near(below, windowColor, 60), qPrintable(describe(below)));
    }
}

void TestPainters::unreadCellsAreDarker()
{
    Session session;
    session.setSource(cv::Mat(6, 6, CV_32F, cv::Scalar(200)), "flat");
    session.setPreset("box-3");
    session.setAmount({Amount::Valid, {}});
    session.setStride({2, 2}); // windows read rows and columns 0..4: the last one is never read
    QCOMPARE(session.geometry().rows.unread, 1);
    const PanelOptions o = options(24);
    const QImage image = render(session, Panel::Padded, o);
    const QColor read = colorAt(image, cellPoint(session, Panel::Padded, o, {3, 3}, {0.5, 0.5}));
    const QColor unread = colorAt(image, cellPoint(session, Panel::Padded, o, {3, 5}, {0.5, 0.5}));
    const QColor corner = colorAt(image, cellPoint(session, Panel::Padded, o, {5, 5}, {0.5, 0.5}));
    QVERIFY2(near(read, QColor(200, 200, 200)), qPrintable(describe(read)));
    QVERIFY2(unread.lightness() < read.lightness() - 50, qPrintable(describe(unread)));
    QVERIFY2(corner.lightness() < read.lightness() - 50, qPrintable(describe(corner)));
}

void TestPainters::windowOutlineFollowsStep_data()
{
    QTest::addColumn<QPoint>("stride");   // x = cols, y = rows
    QTest::addColumn<QPoint>("dilation"); // x = cols, y = rows
    QTest::addColumn<QPoint>("stepCell"); // x = output col, y = output row
    QTest::addColumn<double>("cellSize");
    QTest::newRow("first") << QPoint(1, 1) << QPoint(1, 1) << QPoint(0, 0) << 30.0;
    QTest::newRow("middle") << QPoint(1, 1) << QPoint(1, 1) << QPoint(3, 2) << 30.0;
    QTest::newRow("stride 2") << QPoint(2, 2) << QPoint(1, 1) << QPoint(2, 1) << 30.0;
    QTest::newRow("dilation 2") << QPoint(1, 1) << QPoint(2, 2) << QPoint(1, 2) << 30.0;
    QTest::newRow("stride 2x1 dilation 1x2, small cells") << QPoint(1, 2) << QPoint(2, 1) << QPoint(2, 1)
                                                          << 12.0;
}

void TestPainters::windowOutlineFollowsStep()
{
    QFETCH(QPoint, stride);
    QFETCH(QPoint, dilation);
    QFETCH(QPoint, stepCell);
    QFETCH(double, cellSize);
    Session session;
    session.setSource(ramp(7, 8, 2), "ramp");
    session.setAmount({Amount::Full, {}});
    session.setStride({stride.y(), stride.x()});
    session.setDilation({dilation.y(), dilation.x()});
    session.setStepCell(stepCell.y(), stepCell.x());
    QCOMPARE(session.stepCell(), stepCell);
    const PanelOptions o = options(cellSize);
    const QColor windowColor = look(false).windowColor();

    // DESIGN.md: output cell (i, j) reads padded cells (i*sy + a*dy, j*sx + b*dx).
    auto tapCells = [&](QPoint out) {
        QList<QPoint> cells;
        for (int a = 0; a < 3; ++a)
            for (int b = 0; b < 3; ++b)
                cells << QPoint(out.x() * stride.x() + b * dilation.x(), out.y() * stride.y() + a * dilation.y());
        return cells;
    };
    const QImage image = render(session, Panel::Padded, o);
    for (const QPoint &cell : tapCells(stepCell)) {
        const QRectF r = PanelPainter::cellRect(kTarget, *session.snapshot(), Panel::Padded, at(session, o), cell);
        const QPoint inside = (r.topLeft() + QPointF(r.width() / 2, 1)).toPoint();
        QVERIFY2(near(colorAt(image, inside), windowColor),
                 qPrintable(QStringLiteral("tap (%1, %2): ").arg(cell.x()).arg(cell.y())
                            + describe(colorAt(image, inside))));
    }
    if (dilation != QPoint(1, 1)) {
        // A gap between dilated taps is inside the window but not read: its edge is not outlined.
        const QPoint gap(stepCell.x() * stride.x() + (dilation.x() > 1 ? 1 : 0),
                         stepCell.y() * stride.y() + (dilation.y() > 1 ? 1 : 0));
        const QRectF r = PanelPainter::cellRect(kTarget, *session.snapshot(), Panel::Padded, at(session, o), gap);
        const QPoint inside = (r.topLeft() + QPointF(r.width() / 2, r.height() / 2)).toPoint();
        QVERIFY2(!near(colorAt(image, inside), windowColor, 60), qPrintable(describe(colorAt(image, inside))));
    }

    // Moving to the last step moves the outline away from the first window's top-left tap.
    QSignalSpy steps(&session, &Session::stepChanged);
    session.setStep(session.stepCount() - 1);
    QCOMPARE(steps.count(), 1);
    const QImage moved = render(session, Panel::Padded, o);
    const QRectF first = PanelPainter::cellRect(kTarget, *session.snapshot(), Panel::Padded, at(session, o), tapCells(stepCell).first());
    const QPoint oldTap = (first.topLeft() + QPointF(first.width() / 2, 1)).toPoint();
    QVERIFY2(!near(colorAt(moved, oldTap), windowColor, 60), qPrintable(describe(colorAt(moved, oldTap))));
    for (const QPoint &cell : tapCells(session.stepCell())) {
        const QRectF r = PanelPainter::cellRect(kTarget, *session.snapshot(), Panel::Padded, at(session, o), cell);
        QVERIFY(near(colorAt(moved, (r.topLeft() + QPointF(r.width() / 2, 1)).toPoint()), windowColor));
    }
}

void TestPainters::inputLightsDonors()
{
    Session session;
    session.setSource(ramp(5, 5, 10), "ramp");
    session.setAmount({Amount::Same, {}});
    session.setStepCell(2, 2); // the window reads input rows and columns 1..3 directly
    PanelOptions o = options(30);
    const QColor windowColor = look(false).windowColor();
    const QImage image = render(session, Panel::Input, o);
    auto outlined = [&](const QImage &img, QPoint cell) {
        const QRectF r = PanelPainter::cellRect(kTarget, *session.snapshot(), Panel::Input, at(session, o), cell);
        return near(img.pixelColor((r.topLeft() + QPointF(r.width() / 2, 1)).toPoint()), windowColor);
    };
    QVERIFY(outlined(image, {1, 1}));
    QVERIFY(outlined(image, {3, 3}));
    QVERIFY(!outlined(image, {0, 0}));
    QVERIFY(!outlined(image, {4, 2}));

    // Hovering an output cell lights its receptive field.
    o.hoveredOutput = QPoint(4, 4);
    const QImage hovered = render(session, Panel::Input, o);
    const QRectF corner = PanelPainter::cellRect(kTarget, *session.snapshot(), Panel::Input, at(session, o), {4, 4});
    const QPoint centre = corner.center().toPoint() + QPoint(0, int(corner.height() / 3));
    QVERIFY(hovered.pixelColor(centre) != image.pixelColor(centre));
    QVERIFY(hovered.pixelColor(centre).blue() > hovered.pixelColor(centre).red());
}

void TestPainters::currentOutputCell_data()
{
    QTest::addColumn<int>("step");
    QTest::addColumn<bool>("dark");
    QTest::addColumn<double>("cellSize");
    QTest::newRow("first, light") << 0 << false << 30.0;
    QTest::newRow("middle, dark") << 13 << true << 30.0;
    QTest::newRow("last, small cells") << 34 << false << 8.0;
}

void TestPainters::currentOutputCell()
{
    QFETCH(int, step);
    QFETCH(bool, dark);
    QFETCH(double, cellSize);
    Session session;
    session.setSource(ramp(5, 7, 3), "ramp");
    session.setStep(step);
    const PanelOptions o = options(cellSize, dark);
    const QImage image = render(session, Panel::Output, o);
    const QColor highlight = look(dark).currentCellColor();
    const QPoint current(step % 7, step / 7);
    const QPoint other((step + 3) % 7, (step / 7 + 2) % 5);
    auto edge = [&](QPoint cell) {
        const QRectF r = PanelPainter::cellRect(kTarget, *session.snapshot(), Panel::Output, at(session, o), cell);
        return image.pixelColor((r.topLeft() + QPointF(1, r.height() / 2)).toPoint());
    };
    QVERIFY2(near(edge(current), highlight), qPrintable(describe(edge(current))));
    QVERIFY2(!near(edge(other), highlight, 40), qPrintable(describe(edge(other))));
}

void TestPainters::uncomputedCellsAreFaded()
{
    Session session;
    session.setSource(ramp(4, 4, 20), "ramp");
    session.setAmount({Amount::Valid, {}});
    session.setKernel((cv::Mat_<double>(1, 1) << 1)); // output = input: strong colours everywhere
    session.setStep(5);
    PanelOptions o = options(24);
    o.look.outputScale = OutputScale::Stretch;
    const QImage faded = render(session, Panel::Output, o);
    o.fadeUncomputed = false;
    const QImage full = render(session, Panel::Output, o);
    auto centre = [&](const QImage &img, QPoint cell) {
        return img.pixelColor(PanelPainter::cellRect(kTarget, *session.snapshot(), Panel::Output, at(session, o), cell).center().toPoint());
    };
    // Column 1 of row 0 is step 1, already computed; column 0 of row 2 is step 8, not yet.
    QCOMPARE(centre(faded, {1, 0}), centre(full, {1, 0}));
    QVERIFY2(centre(faded, {0, 2}).lightness() > centre(full, {0, 2}).lightness() + 40,
             qPrintable(describe(centre(faded, {0, 2})) + " vs " + describe(centre(full, {0, 2}))));
}

void TestPainters::colorBar_data()
{
    QTest::addColumn<OutputScale>("scale");
    QTest::addColumn<bool>("bar");
    QTest::newRow("diverging") << OutputScale::Diverging << true;
    QTest::newRow("clip") << OutputScale::Clip << false;
    QTest::newRow("absolute") << OutputScale::Absolute << false;
    QTest::newRow("stretch") << OutputScale::Stretch << false;
}

void TestPainters::colorBar()
{
    QFETCH(OutputScale, scale);
    QFETCH(bool, bar);
    Session session;
    session.setSource(ramp(5, 5, 1), "ramp"); // sobel-x: negative and positive outputs
    PanelOptions o = options(20);
    o.look.outputScale = OutputScale::Diverging;
    const QRectF grid = PanelPainter::gridRect(kTarget, *session.snapshot(), Panel::Output, at(session, o));
    o.look.outputScale = scale;
    const QImage image = render(session, Panel::Output, o);
    const QColor background = image.pixelColor(kTarget.right() - 2, kTarget.bottom() - 2);

    // Scan the strip right of the diverging layout's grid, where the bar goes.
    int top = -1;
    int bottom = -1;
    int column = -1;
    for (int x = int(grid.right()) + 2; x < kTarget.right() && column < 0; ++x)
        for (int y = int(grid.top()); y < kTarget.bottom(); ++y)
            if (image.pixelColor(x, y).hslSaturation() > 120) {
                column = x + 4;
                break;
            }
    if (!bar) {
        QCOMPARE(column, -1);
        return;
    }
    QVERIFY(column > 0);
    for (int y = 0; y < kTarget.height(); ++y) {
        const QColor c = image.pixelColor(column, y);
        if (!near(c, background, 3) && c.hslSaturation() > 30) {
            if (top < 0)
                top = y;
            bottom = y;
        }
    }
    QVERIFY(bottom - top > 50);
    const QColor high = image.pixelColor(column, top + 2);
    const QColor low = image.pixelColor(column, bottom - 2);
    QVERIFY2(high.red() > high.blue() + 80, qPrintable(describe(high)));
    QVERIFY2(low.blue() > low.red() + 80, qPrintable(describe(low)));
}

void TestPainters::valuesWhenCellsAreLarge_data()
{
    QTest::addColumn<Panel>("panel");
    QTest::addColumn<double>("cellSize");
    QTest::addColumn<double>("fontScale");
    QTest::addColumn<bool>("text");
    QTest::newRow("input large") << Panel::Input << 48.0 << 1.0 << true;
    QTest::newRow("input small") << Panel::Input << 20.0 << 1.0 << false;
    QTest::newRow("padded large") << Panel::Padded << 40.0 << 1.0 << true;
    QTest::newRow("padded small") << Panel::Padded << 14.0 << 1.0 << false;
    QTest::newRow("output large") << Panel::Output << 40.0 << 1.0 << true;
    QTest::newRow("output, classroom font keeps the values") << Panel::Output << 40.0 << 2.0 << true;
    QTest::newRow("output small, classroom font") << Panel::Output << 14.0 << 2.0 << false;
}

void TestPainters::valuesWhenCellsAreLarge()
{
    QFETCH(Panel, panel);
    QFETCH(double, cellSize);
    QFETCH(double, fontScale);
    QFETCH(bool, text);
    Session session;
    session.setSource(ramp(4, 4, 11), "ramp");
    session.setStep(session.stepCount() - 1); // every output cell computed
    PanelOptions o = options(cellSize);
    o.look.fontScale = fontScale;
    o.look.outputScale = OutputScale::Stretch;
    const QImage image = render(session, panel, o);
    const QRectF cell = PanelPainter::cellRect(kTarget, *session.snapshot(), panel, at(session, o), {2, 1});
    const int ink = inkPixels(image, cell);
    if (text)
        QVERIFY2(ink > 5, qPrintable(QString::number(ink)));
    else
        QCOMPARE(ink, 0);
}

void TestPainters::windowPanelShowsTaps()
{
    Session session;
    session.setSource(ramp(5, 5, 10), "ramp");
    session.setAmount({Amount::Same, {}});
    session.setStep(0); // the top-left window: its first row and column read padding
    const PanelOptions o = options(32);
    const QImage image = render(session, Panel::Window, o, kTarget);
    QCOMPARE(PanelPainter::gridSize(*session.snapshot(), Panel::Window), QSize(3, 3));
    const int tintHue = look(false).paddingTint().hslHue();
    auto corner = [&](QPoint tap) {
        const QRectF r = PanelPainter::cellRect(kTarget, *session.snapshot(), Panel::Window, at(session, o), tap);
        return image.pixelColor((r.topLeft() + QPointF(5, 5)).toPoint());
    };
    QVERIFY2(std::abs(corner({0, 0}).hslHue() - tintHue) < 20 && corner({0, 0}).hslSaturation() > 100,
             qPrintable(describe(corner({0, 0}))));
    QVERIFY2(corner({1, 1}).hslSaturation() < 10, qPrintable(describe(corner({1, 1}))));
    // Readable at a distance: the grid fills the panel and every tap has its product written.
    const QRectF grid = PanelPainter::gridRect(kTarget, *session.snapshot(), Panel::Window, at(session, o));
    QVERIFY(grid.width() > kTarget.width() / 3);
    for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b)
            QVERIFY(inkPixels(image, PanelPainter::cellRect(kTarget, *session.snapshot(), Panel::Window, at(session, o), {b, a})) > 20);
    // The multiply-add is written below the grid.
    int ink = 0;
    for (int y = int(grid.bottom()) + 12; y < kTarget.bottom(); ++y)
        for (int x = 0; x < kTarget.width(); ++x)
            ink += image.pixelColor(x, y).lightness() < 128 ? 1 : 0;
    QVERIFY(ink > 100);
}

void TestPainters::hugeInputPaintsAsImage()
{
    cv::Mat photo(3000, 4000, CV_32F);
    for (int r = 0; r < photo.rows; ++r) {
        float *row = photo.ptr<float>(r);
        for (int c = 0; c < photo.cols; ++c)
            row[c] = float(c) * 255.0f / 3999.0f;
    }
    Session session;
    QSignalSpy changed(&session, &Session::changed);
    session.setSource(photo, "photo");
    QVERIFY(changed.wait(120000));
    PanelOptions o = options(0.15); // the whole photo in 600 x 450 pixels
    for (Panel panel : {Panel::Input, Panel::Padded, Panel::Output}) {
        const QImage image = render(session, panel, o);
        QVERIFY(image.pixelColor(kTarget.center()) != QColor(Qt::magenta));
        if (panel != Panel::Input)
            continue;
        const QRectF grid = PanelPainter::gridRect(kTarget, *session.snapshot(), panel, at(session, o));
        const int y = int(grid.top() + 200);
        int previous = -1;
        for (int x = int(grid.left()) + 1; x < int(grid.left() + 590); x += 20) {
            const QColor c = image.pixelColor(x, y);
            QVERIFY2(c.red() == c.green() && c.green() == c.blue(), qPrintable(describe(c)));
            QVERIFY(c.red() >= previous);
            const double expected = (x - grid.left()) / 0.15 * 255.0 / 3999.0;
            QVERIFY2(std::abs(c.red() - expected) < 4, qPrintable(describe(c)));
            previous = c.red();
        }
    }
}

void TestPainters::cellAtAndBack_data()
{
    QTest::addColumn<Panel>("panel");
    QTest::addColumn<double>("cellSize");
    QTest::addColumn<QPointF>("origin");
    QTest::addColumn<QPointF>("position");
    QTest::addColumn<QPoint>("cell"); // (-1, -1): outside the grid
    const int title = PanelPainter::titleHeight(options(1));
    QTest::newRow("input first cell") << Panel::Input << 20.0 << QPointF() << QPointF(5, title + 5) << QPoint(0, 0);
    QTest::newRow("input 3,2") << Panel::Input << 20.0 << QPointF() << QPointF(65, title + 45) << QPoint(3, 2);
    QTest::newRow("panned") << Panel::Padded << 20.0 << QPointF(2, 1) << QPointF(5, title + 5) << QPoint(2, 1);
    QTest::newRow("half-cell pan") << Panel::Padded << 10.0 << QPointF(0.5, 0.5) << QPointF(6, title + 6)
                                   << QPoint(1, 1);
    QTest::newRow("title band") << Panel::Input << 20.0 << QPointF() << QPointF(5, title - 2) << QPoint(-1, -1);
    QTest::newRow("past the last column") << Panel::Output << 20.0 << QPointF() << QPointF(300, title + 5)
                                          << QPoint(-1, -1);
    QTest::newRow("window panel") << Panel::Window << 20.0 << QPointF() << QPointF(320, title + 20)
                                  << QPoint(1, 0);
}

void TestPainters::cellAtAndBack()
{
    QFETCH(Panel, panel);
    QFETCH(double, cellSize);
    QFETCH(QPointF, origin);
    QFETCH(QPointF, position);
    QFETCH(QPoint, cell);
    Session session;
    session.setSource(ramp(6, 9, 1), "ramp");
    session.setAmount({Amount::Full, {}});
    PanelOptions o = options(cellSize);
    o.origin = origin;
    const std::optional<QPoint> found = PanelPainter::cellAt(kTarget, *session.snapshot(), panel, at(session, o), position);
    if (cell == QPoint(-1, -1)) {
        QVERIFY(!found);
        return;
    }
    QVERIFY(found);
    QCOMPARE(*found, cell);
    // And back: every visible cell's centre maps to that cell.
    const QSize size = PanelPainter::gridSize(*session.snapshot(), panel);
    for (int r = int(origin.y()); r < size.height(); ++r)
        for (int c = int(origin.x()); c < size.width(); ++c) {
            const QRectF rect = PanelPainter::cellRect(kTarget, *session.snapshot(), panel, at(session, o), {c, r});
            const QRectF grid = PanelPainter::gridRect(kTarget, *session.snapshot(), panel, at(session, o));
            for (const QPointF &p : {rect.center(), rect.topLeft(), rect.bottomRight() - QPointF(0.01, 0.01)}) {
                if (grid.contains(p))
                    QCOMPARE(PanelPainter::cellAt(kTarget, *session.snapshot(), panel, at(session, o), p), std::optional<QPoint>(QPoint(c, r)));
            }
        }
}

void TestPainters::paintsOnlyInsideTarget_data()
{
    QTest::addColumn<Panel>("panel");
    QTest::newRow("input") << Panel::Input;
    QTest::newRow("padded") << Panel::Padded;
    QTest::newRow("window") << Panel::Window;
    QTest::newRow("output") << Panel::Output;
}

void TestPainters::paintsOnlyInsideTarget()
{
    // Exports put several panels side by side in one image: each stays inside its rectangle.
    QFETCH(Panel, panel);
    Session session;
    session.setSource(ramp(30, 30, 1), "ramp");
    const QRect target(100, 60, 300, 200);
    QImage image(500, 320, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::magenta);
    QPainter painter(&image);
    PanelPainter::paint(painter, target, *session.snapshot(), panel, at(session, options(40)));
    painter.end();
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3) {
            const bool magenta = image.pixelColor(x, y) == QColor(Qt::magenta);
            QVERIFY2(magenta != target.contains(x, y), qPrintable(QStringLiteral("(%1, %2)").arg(x).arg(y)));
        }
    const QRectF first = PanelPainter::cellRect(target, *session.snapshot(), panel, at(session, options(40)), {0, 0});
    QVERIFY(target.contains(first.center().toPoint()));
    QCOMPARE(PanelPainter::cellAt(target, *session.snapshot(), panel, at(session, options(40)), first.center()), std::optional<QPoint>(QPoint(0, 0)));
}

QTEST_MAIN(TestPainters)
#include "tst_painters.moc"

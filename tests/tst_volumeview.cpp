#include "clitestutil.h"
#include "exporter.h"
#include "lessons.h"
#include "mainwindow.h"
#include "session.h"
#include "volumepainter.h"
#include "volumeview.h"

#include "padlab/core/npy.h"

#include <QAction>
#include <QComboBox>
#include <QSpinBox>
#include <QScrollArea>
#include <QScrollBar>
#include <QFontMetricsF>
#include <QImage>
#include <QPainter>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>
#include <set>
#include <vector>

using namespace padlab;
using padlab::ui::MainWindow;
using padlab::ui::Session;
using padlab::ui::VolumeKernel;
using padlab::ui::VolumeOptions;
using padlab::ui::VolumePainter;
using padlab::ui::VolumeSet;
using padlab::ui::VolumeSettings;
using padlab::ui::VolumeSource;

Q_DECLARE_METATYPE(VolumeSettings)

namespace {

VolumeSettings explicitPads(std::array<int, 6> pads, int kd = 3)
{
    VolumeSettings s;
    s.amount = core::Amount::Explicit;
    s.pads = pads;
    s.kernelDepth = kd;
    return s;
}

QImage paint(const VolumeSet &set, const VolumeOptions &options)
{
    QImage image(VolumePainter::naturalSize(set, options.look), QImage::Format_RGB32);
    QPainter painter(&image);
    VolumePainter::paint(painter, image.rect(), set, options);
    painter.end();
    return image;
}

/// The colour of a cell away from its grid line and its number.
QColor cellColor(const QImage &image, const QRectF &rect)
{
    return image.pixelColor((rect.topLeft() + QPointF(3, 3)).toPoint());
}
/// Whether dark text is drawn inside @p rect (the light theme's numbers).
bool written(const QImage &image, const QRectF &rect)
{
    const QRect inner = rect.toAlignedRect().adjusted(3, 3, -3, -3).intersected(image.rect());
    for (int y = inner.top(); y <= inner.bottom(); ++y)
        for (int x = inner.left(); x <= inner.right(); ++x)
            if (image.pixelColor(x, y).lightness() < 90)
                return true;
    return false;
}
bool tinted(const QColor &c) { return c.red() - c.blue() > 80; }  // the padding's orange
bool windowLit(const QColor &c) { return c.blue() - c.red() > 40; } // the window's blue

/// out(d, h, w) of a one-channel volume by the definition, without the engine.
double bruteForce(const core::Tensor &input, const VolumeSet &set, const std::vector<int> &cell)
{
    const auto &axes = set.result.geometry.axes;
    const auto &k = set.kernel.shape; // (1, C, kd, kh, kw)
    double sum = 0;
    for (int c = 0; c < input.channels(); ++c)
        for (int a = 0; a < k[2]; ++a)
            for (int b = 0; b < k[3]; ++b)
                for (int e = 0; e < k[4]; ++e) {
                    const int z = cell[0] * axes[0].stride + a * axes[0].dilation - axes[0].before;
                    const int y = cell[1] * axes[1].stride + b * axes[1].dilation - axes[1].before;
                    const int x = cell[2] * axes[2].stride + e * axes[2].dilation - axes[2].before;
                    const auto &s = input.shape();
                    if (z < 0 || y < 0 || x < 0 || z >= s.depth() || y >= s.rows() || x >= s.cols())
                        continue; // zeros
                    const double w = set.kernel.weights[size_t((((c * k[2]) + a) * k[3] + b) * k[4] + e)];
                    sum += w * input.at(c, {z, y, x});
                }
    return sum;
}

} // namespace

class TestVolumeView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void paddingSlicesTinted_data();
    void paddingSlicesTinted();
    void windowInExactlyKdSlices_data();
    void windowInExactlyKdSlices();
    void numbersMatchTheDefinition_data();
    void numbersMatchTheDefinition();
    void everyNumberFits();
    void numbersContrast_data();
    void numbersContrast();
    void slicesWrapInsideTarget_data();
    void slicesWrapInsideTarget();
    void tabFitsScreen_data();
    void tabFitsScreen();
    void refusalsNamed_data();
    void refusalsNamed();
    void tabAndShortcut();
    void hoverShowsWindow();
    void render_data();
    void render();
    void renderRefuses_data();
    void renderRefuses();
    void lessonClaims();
    void stepsWalkTheVolumeOutput();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestVolumeView::initTestCase()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestVolumeView::paddingSlicesTinted_data()
{
    QTest::addColumn<VolumeSettings>("settings");
    QTest::newRow("one on every side") << explicitPads({1, 1, 1, 1, 1, 1});
    QTest::newRow("two in front, none behind") << explicitPads({2, 0, 1, 0, 0, 1});
    QTest::newRow("none in front, three behind") << explicitPads({0, 3, 0, 0, 0, 0});
    VolumeSettings same;
    same.amount = core::Amount::Same;
    QTest::newRow("same") << same;
}

void TestVolumeView::paddingSlicesTinted()
{
    QFETCH(VolumeSettings, settings);
    const VolumeSet set = ui::computeVolume(settings, cv::Mat());
    QVERIFY2(set.ok(), qPrintable(set.error));
    const auto &axes = set.result.geometry.axes;
    QCOMPARE(set.padded.shape().depth(), 5 + axes[0].before + axes[0].after);
    VolumeOptions options;
    // The window at the last output cell, so that the first input cell is not lit.
    options.step = set.outputCells() - 1;
    const QImage image = paint(set, options);
    const std::vector<int> cell = VolumePainter::currentCell(set, options);
    std::set<int> read;
    for (const auto &tap : set.windowAt(cell).taps)
        read.insert(tap.padded[0]);
    for (int z = 0; z < set.padded.shape().depth(); ++z) {
        const bool padSlice = z < axes[0].before || z >= axes[0].before + 5;
        // An input row and column, so only the slice itself decides.
        const int y = axes[1].before, x = axes[2].before;
        const QColor inner = cellColor(image, VolumePainter::paddedCellRect(image.rect(), set, options, 0, z, y, x));
        QVERIFY2(tinted(inner) == padSlice, qPrintable(QStringLiteral("slice %1: %2").arg(z).arg(inner.name())));
        // The padded rows and columns of every slice are tinted; a corner is never read here unless lit.
        if (axes[1].before > 0 && !read.count(z)) {
            const QColor top = cellColor(image, VolumePainter::paddedCellRect(image.rect(), set, options, 0, z, 0, x));
            QVERIFY2(tinted(top), qPrintable(QStringLiteral("slice %1 top row").arg(z)));
        }
    }
}

void TestVolumeView::windowInExactlyKdSlices_data()
{
    QTest::addColumn<VolumeSettings>("settings");
    QTest::addColumn<int>("step");
    for (int kd = 1; kd <= 5; ++kd)
        QTest::addRow("kd %d, first cell", kd) << explicitPads({1, 1, 1, 1, 1, 1}, kd) << 0;
    QTest::newRow("kd 3, a middle cell") << explicitPads({1, 1, 1, 1, 1, 1}, 3) << 100;
    VolumeSettings dilated = explicitPads({2, 2, 1, 1, 1, 1}, 2);
    dilated.dilation = {2, 1, 1};
    QTest::newRow("kd 2 dilated 2 in depth") << dilated << 40;
    VolumeSettings strided = explicitPads({0, 0, 0, 0, 0, 0}, 2);
    strided.stride = {2, 2, 2};
    QTest::newRow("kd 2 stride 2") << strided << 5;
}

void TestVolumeView::windowInExactlyKdSlices()
{
    QFETCH(VolumeSettings, settings);
    QFETCH(int, step);
    const VolumeSet set = ui::computeVolume(settings, cv::Mat());
    QVERIFY2(set.ok(), qPrintable(set.error));
    VolumeOptions options;
    options.step = step;
    const QImage image = paint(set, options);
    const std::vector<int> cell = VolumePainter::currentCell(set, options);
    const auto &axes = set.result.geometry.axes;
    std::set<int> expected;
    for (int t = 0; t < settings.kernelDepth; ++t)
        expected.insert(cell[0] * axes[0].stride + t * axes[0].dilation);
    const auto &ps = set.padded.shape();
    std::set<int> lit;
    int litCells = 0;
    for (int z = 0; z < ps.depth(); ++z)
        for (int y = 0; y < ps.rows(); ++y)
            for (int x = 0; x < ps.cols(); ++x)
                if (windowLit(cellColor(image, VolumePainter::paddedCellRect(image.rect(), set, options, 0, z, y, x)))) {
                    lit.insert(z);
                    ++litCells;
                }
    QCOMPARE(lit, expected);
    QCOMPARE(int(lit.size()), settings.kernelDepth);
    QCOMPARE(litCells, settings.kernelDepth * 9);
    // The current output cell is marked in green, the others not.
    const QColor current = cellColor(image, VolumePainter::outputCellRect(image.rect(), set, options, cell));
    QVERIFY2(current.green() - current.red() > 60, qPrintable(current.name()));
}

void TestVolumeView::numbersMatchTheDefinition_data()
{
    QTest::addColumn<VolumeSettings>("settings");
    QTest::newRow("numbered, pads 1") << explicitPads({1, 1, 1, 1, 1, 1});
    QTest::newRow("numbered, uneven pads") << explicitPads({2, 0, 0, 1, 3, 0}, 2);
    VolumeSettings full;
    full.amount = core::Amount::Full;
    full.stride = {2, 1, 3};
    QTest::newRow("full, stride 2x1x3") << full;
    VolumeSettings sphere;
    sphere.source = VolumeSource::Sphere;
    sphere.amount = core::Amount::Valid;
    sphere.dilation = {1, 2, 2};
    QTest::newRow("sphere valid dilated") << sphere;
    VolumeSettings stacked = explicitPads({1, 1, 1, 1, 1, 1}, 2);
    stacked.kernel = VolumeKernel::Stacked;
    QTest::newRow("sobel stacked 2 deep") << stacked;
    VolumeSettings custom;
    custom.source = VolumeSource::Custom;
    custom.sourceShape = {2, 3, 4, 4};
    for (int i = 0; i < 2 * 3 * 4 * 4; ++i)
        custom.sourceValues.push_back((i * 7) % 11 - 5);
    custom.kernel = VolumeKernel::Custom;
    custom.kernelShape = {2, 2, 3};
    custom.kernelWeights = {1, -1, 2, 0, 3, -2, 1, 1, 1, -1, 0, 2};
    custom.amount = core::Amount::Same;
    QTest::newRow("two channels, custom kernel, same") << custom;
}

void TestVolumeView::numbersMatchTheDefinition()
{
    QFETCH(VolumeSettings, settings);
    Session session;
    session.setPreset(QStringLiteral("sobel-x"));
    session.waitUntilIdle();
    session.setVolumeSettings(settings);
    QCOMPARE(session.volumeSettings(), settings);
    const VolumeSet set = ui::computeVolume(session.volumeSettings(), session.kernel());
    QVERIFY2(set.ok(), qPrintable(set.error));
    // Each axis's size as the formula says.
    const auto &axes = set.result.geometry.axes;
    const auto &in = set.input.shape();
    const int sizes[] = {in.depth(), in.rows(), in.cols()};
    const QStringList formulas = set.formulas();
    QCOMPARE(formulas.size(), 3);
    for (int a = 0; a < 3; ++a) {
        const int k = set.kernel.shape[size_t(2 + a)];
        const int e = axes[a].dilation * (k - 1) + 1;
        const int out = (sizes[a] + axes[a].before + axes[a].after - e) / axes[a].stride + 1;
        QCOMPARE(axes[a].output, out);
        QVERIFY2(formulas[a].contains(QStringLiteral(") + 1 = %1").arg(out)), qPrintable(formulas[a]));
    }
    for (int step = 0; step < set.outputCells(); ++step) {
        const std::vector<int> cell = set.cellOfStep(step);
        QCOMPARE(set.stepOfCell(cell), step);
        const double expected = bruteForce(set.input, set, cell);
        const double got = set.result.output.at(0, cell);
        QVERIFY2(std::abs(got - expected) < 1e-9, qPrintable(QStringLiteral("step %1: %2 vs %3").arg(step).arg(got).arg(expected)));
        const auto window = set.windowAt(cell);
        double partial = 0;
        std::set<int> slices;
        for (const auto &part : set.sliceSums(window)) {
            partial += part.sum;
            slices.insert(part.slice);
        }
        QVERIFY(std::abs(partial - got) < 1e-9);
        QCOMPARE(int(slices.size()), set.kernel.shape[2]);
    }
}

void TestVolumeView::everyNumberFits()
{
    // Sobel stacked three deep on the numbered volume: outputs such as −1878 need five characters.
    Session session;
    session.setPreset(QStringLiteral("sobel-x"));
    session.waitUntilIdle();
    VolumeSettings s;
    s.kernel = VolumeKernel::Stacked;
    s.amount = core::Amount::Same;
    const VolumeSet set = ui::computeVolume(s, session.kernel());
    QVERIFY(set.ok());
    VolumeOptions options;
    options.look.fontScale = 1.5;
    const QSize size = VolumePainter::naturalSize(set, options.look);
    const QRect target(QPoint(0, 0), size);
    const QFontMetricsF metrics(ui::pixelFont(options.look.px(11)));
    double longest = 0;
    for (int step = 0; step < set.outputCells(); ++step) {
        const std::vector<int> cell = set.cellOfStep(step);
        const double width = metrics.horizontalAdvance(ui::cellNumber(set.result.output.at(0, cell)));
        longest = std::max(longest, width);
        QVERIFY2(width < VolumePainter::outputCellRect(target, set, options, cell).width() - 2,
                 qPrintable(ui::cellNumber(set.result.output.at(0, cell))));
    }
    QVERIFY(longest > metrics.horizontalAdvance(QStringLiteral("000")));
}

/// Rows of data for the wrap tests: volumes whose slices do not fit side by side on a projector.
static void addWrapRows()
{
    QTest::addColumn<VolumeSettings>("settings");
    QTest::addColumn<QSize>("screen");
    QTest::addColumn<double>("fontScale");
    VolumeSettings same;
    same.amount = core::Amount::Same;
    VolumeSettings sphere;
    sphere.source = VolumeSource::Sphere;
    sphere.amount = core::Amount::Full; // 9 slices of 11 x 11
    const VolumeSettings behind = explicitPads({0, 3, 1, 1, 2, 2}, 2);
    for (const QSize screen : {QSize(1280, 720), QSize(1920, 1080)}) {
        const QByteArray size = QByteArray::number(screen.width()) + "x" + QByteArray::number(screen.height());
        QTest::newRow(("numbered same " + size).constData()) << same << screen << 1.0;
        QTest::newRow(("sphere full " + size).constData()) << sphere << screen << 1.0;
        QTest::newRow(("three behind " + size).constData()) << behind << screen << 1.0;
        QTest::newRow(("numbered same, text 1.5 " + size).constData()) << same << screen << 1.5;
    }
}

/// WCAG's relative luminance and contrast ratio.
static double luminance(const QColor &c)
{
    auto lin = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF());
}

/// The best contrast any pixel of @p rect's inside has with its fill (the text's strongest stroke).
static double inkContrast(const QImage &image, const QRectF &rect)
{
    const QRect inner = rect.toAlignedRect().adjusted(3, 3, -3, -3);
    const double fill = luminance(image.pixelColor(inner.topLeft()));
    double best = 1;
    for (int y = inner.top(); y <= inner.bottom(); ++y)
        for (int x = inner.left(); x <= inner.right(); ++x) {
            const double l = luminance(image.pixelColor(x, y));
            best = std::max(best, (std::max(l, fill) + 0.05) / (std::min(l, fill) + 0.05));
        }
    return best;
}

void TestVolumeView::numbersContrast_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light") << false;
    QTest::newRow("dark") << true;
}

void TestVolumeView::numbersContrast()
{
    // Every number stands out from its cell: padding, the window over padding, input, output.
    QFETCH(bool, dark);
    const VolumeSet set = ui::computeVolume(explicitPads({1, 1, 1, 1, 1, 1}), cv::Mat());
    QVERIFY(set.ok());
    VolumeOptions options;
    options.look.dark = dark;
    const QImage image = paint(set, options);
    const std::vector<int> cell = VolumePainter::currentCell(set, options);
    int litPadding = 0;
    for (const auto &tap : set.windowAt(cell).taps) {
        const QRectF r = VolumePainter::paddedCellRect(image.rect(), set, options, 0, tap.padded[0], tap.padded[1], tap.padded[2]);
        const double contrast = inkContrast(image, r);
        QVERIFY2(contrast >= 4.5, qPrintable(QStringLiteral("window cell %1,%2,%3: %4")
                                                 .arg(tap.padded[0]).arg(tap.padded[1]).arg(tap.padded[2]).arg(contrast)));
        litPadding += tinted(cellColor(image, r)) ? 0 : 1;
    }
    QVERIFY(litPadding > 0);
    const auto &ps = set.padded.shape();
    for (int z : {0, 3, ps.depth() - 1})
        for (int y : {0, 3})
            for (int x : {0, 4}) {
                const double contrast = inkContrast(image, VolumePainter::paddedCellRect(image.rect(), set, options, 0, z, y, x));
                QVERIFY2(contrast >= 4.5, qPrintable(QStringLiteral("cell %1,%2,%3: %4").arg(z).arg(y).arg(x).arg(contrast)));
            }
    for (int z = 0; z < set.outDepth(); ++z) {
        const double contrast = inkContrast(image, VolumePainter::outputCellRect(image.rect(), set, options, {z, 2, 2}));
        QVERIFY2(contrast >= 4.5, qPrintable(QStringLiteral("output slice %1: %2").arg(z).arg(contrast)));
    }
}

void TestVolumeView::slicesWrapInsideTarget_data()
{
    addWrapRows();
}

void TestVolumeView::slicesWrapInsideTarget()
{
    QFETCH(VolumeSettings, settings);
    QFETCH(QSize, screen);
    QFETCH(double, fontScale);
    const VolumeSet set = ui::computeVolume(settings, cv::Mat());
    QVERIFY2(set.ok(), qPrintable(set.error));
    VolumeOptions options;
    options.look.fontScale = fontScale;
    options.step = set.outputCells() - 1;
    // As wide as the screen; as high as the screen or, when that is too little, as the view scrolls.
    const QRect target(0, 0, screen.width(),
                       std::max(screen.height(), VolumePainter::heightForWidth(set, options.look, screen.width())));
    // Side by side, the slices would not fit: they must wrap.
    const auto &ps = set.padded.shape();
    QVERIFY(VolumePainter::paddedCellRect(QRect(0, 0, 100000, 100000), set, options, 0, ps.depth() - 1, 0, 0).isValid());
    QImage image(target.size(), QImage::Format_RGB32);
    {
        QPainter painter(&image);
        VolumePainter::paint(painter, target, set, options);
    }
    const QFontMetricsF metrics(ui::pixelFont(options.look.px(11)));
    double widest = 0;
    for (const cv::Mat *m : {&set.padded.matrix(), &set.result.output.matrix()})
        for (int r = 0; r < m->rows; ++r)
            for (int c = 0; c < m->cols; ++c)
                widest = std::max(widest, metrics.horizontalAdvance(ui::cellNumber(m->at<double>(r, c))));
    std::vector<QRectF> sliceRects;
    std::set<double> rowTops;
    for (int z = 0; z < ps.depth(); ++z) {
        const QRectF first = VolumePainter::paddedCellRect(target, set, options, 0, z, 0, 0);
        const QRectF last = VolumePainter::paddedCellRect(target, set, options, 0, z, ps.rows() - 1, ps.cols() - 1);
        const QRectF slice = first.united(last);
        QVERIFY2(QRectF(target).contains(slice), qPrintable(QStringLiteral("slice %1 outside the target").arg(z)));
        // Every number is read: the cell is as wide as the text needs, never shrunk below it.
        QVERIFY2(first.width() >= widest + 2, qPrintable(QStringLiteral("cell %1 < text %2").arg(first.width()).arg(widest)));
        for (const QRectF &other : sliceRects)
            QVERIFY2(!other.intersects(slice), qPrintable(QStringLiteral("slice %1 overlaps another").arg(z)));
        sliceRects.push_back(slice);
        rowTops.insert(slice.top());
        // Padded slices in front and behind are tinted, the input's slices not (an input cell).
        const auto &axes = set.result.geometry.axes;
        const bool padSlice = z < axes[0].before || z >= axes[0].before + set.input.shape().depth();
        const QColor inner = cellColor(image, VolumePainter::paddedCellRect(target, set, options, 0, z, axes[1].before,
                                                                            axes[2].before));
        if (!windowLit(inner))
            QVERIFY2(tinted(inner) == padSlice, qPrintable(QStringLiteral("slice %1: %2").arg(z).arg(inner.name())));
        // The last cell's number is drawn where the rects say.
        QVERIFY2(written(image, last), qPrintable(QStringLiteral("slice %1").arg(z)));
    }
    QVERIFY2(rowTops.size() > 1, "the input slices did not wrap into rows");
    // The output after the input, every output slice inside the target too.
    const double inputBottom = std::max_element(sliceRects.begin(), sliceRects.end(), [](const QRectF &a, const QRectF &b) {
                                   return a.bottom() < b.bottom();
                               })->bottom();
    for (int z = 0; z < set.outDepth(); ++z) {
        const QRectF first = VolumePainter::outputCellRect(target, set, options, {z, 0, 0});
        const QRectF last = VolumePainter::outputCellRect(target, set, options, {z, set.outRows() - 1, set.outCols() - 1});
        QVERIFY(QRectF(target).contains(first.united(last)));
        QVERIFY(first.top() > inputBottom);
        QVERIFY2(written(image, last), qPrintable(QStringLiteral("output slice %1").arg(z)));
        // Hit-testing agrees with the drawing.
        QCOMPARE(VolumePainter::outputCellAt(target, set, options, last.center()),
                 std::optional<std::vector<int>>(std::vector<int>{z, set.outRows() - 1, set.outCols() - 1}));
    }
}

void TestVolumeView::tabFitsScreen_data()
{
    addWrapRows();
}

void TestVolumeView::tabFitsScreen()
{
    QFETCH(VolumeSettings, settings);
    QFETCH(QSize, screen);
    QFETCH(double, fontScale);
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    window.resize(screen);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.setFontScale(fontScale);
    window.session()->setVolumeSettings(settings);
    window.session()->setView(Session::View::Volume);
    auto *scroll = qobject_cast<QScrollArea *>(window.viewTabs()->currentWidget());
    QVERIFY(scroll);
    ui::VolumeCanvas *canvas = window.volumeView()->canvas();
    QTRY_VERIFY(canvas->isVisible());
    // The scroll area lays the view out when the posted layout requests arrive.
    QTRY_VERIFY(canvas->height() >= canvas->heightForWidth(canvas->width()));
    // Nothing runs off the right edge: no sideways scrolling, the canvas inside the tab's width.
    QCOMPARE(scroll->horizontalScrollBar()->maximum(), 0);
    const QRect visible(canvas->mapTo(scroll->viewport(), QPoint(0, 0)), canvas->size());
    QVERIFY2(visible.right() <= scroll->viewport()->width(),
             qPrintable(QStringLiteral("%1 > %2").arg(visible.right()).arg(scroll->viewport()->width())));
    // Every control within the tab's width: the rows of controls wrap rather than run off.
    for (QWidget *control : window.volumeView()->findChildren<QWidget *>()) {
        if (!qobject_cast<QSpinBox *>(control) && !qobject_cast<QComboBox *>(control))
            continue;
        const QRect at(control->mapTo(scroll->viewport(), QPoint(0, 0)), control->size());
        QVERIFY2(at.left() >= 0 && at.right() <= scroll->viewport()->width(), qPrintable(control->objectName()));
    }
    // Every slice inside the canvas; its numbers at least at the look's text size.
    const VolumeSet &set = window.volumeView()->volumeSet();
    const VolumeOptions options = window.volumeView()->options();
    const QRectF natural = VolumePainter::paddedCellRect(QRect(QPoint(0, 0), VolumePainter::naturalSize(set, options.look)),
                                                         set, options, 0, 0, 0, 0);
    const auto &ps = set.padded.shape();
    for (int z = 0; z < ps.depth(); ++z) {
        const QRectF slice = VolumePainter::paddedCellRect(canvas->rect(), set, options, 0, z, 0, 0)
                                 .united(VolumePainter::paddedCellRect(canvas->rect(), set, options, 0, z, ps.rows() - 1,
                                                                       ps.cols() - 1));
        QVERIFY2(QRectF(canvas->rect()).contains(slice), qPrintable(QStringLiteral("slice %1").arg(z)));
        QVERIFY2(slice.width() >= natural.width() * ps.cols() - 0.5, qPrintable(QStringLiteral("%1 vs %2 canvas %3x%4").arg(slice.width()).arg(natural.width() * ps.cols()).arg(canvas->width()).arg(canvas->height())));
    }
    const QRectF lastOut = VolumePainter::outputCellRect(canvas->rect(), set, options,
                                                         {set.outDepth() - 1, set.outRows() - 1, set.outCols() - 1});
    QVERIFY(QRectF(canvas->rect()).contains(lastOut));
    // What does not fit in height is reached by scrolling down.
    QCOMPARE(scroll->verticalScrollBar()->maximum() > 0,
             window.volumeView()->height() > scroll->viewport()->height());
}

void TestVolumeView::refusalsNamed_data()
{
    QTest::addColumn<VolumeSettings>("settings");
    QTest::addColumn<QString>("words");
    VolumeSettings big = explicitPads({0, 0, 0, 0, 0, 0}, 5);
    big.stride = {1, 1, 1};
    big.kernel = VolumeKernel::Custom;
    big.kernelShape = {7, 1, 1};
    big.kernelWeights = std::vector<double>(7, 1.0);
    QTest::newRow("kernel deeper than the volume") << big << QStringLiteral("depth");
    VolumeSettings shortWeights;
    shortWeights.kernel = VolumeKernel::Custom;
    shortWeights.kernelShape = {2, 2, 2};
    shortWeights.kernelWeights = {1, 2, 3};
    QTest::newRow("too few weights") << shortWeights << QStringLiteral("3 weights");
    VolumeSettings noValues;
    noValues.source = VolumeSource::Custom;
    noValues.sourceShape = {1, 2, 2, 2};
    QTest::newRow("volume without values") << noValues << QStringLiteral("0 values for 8 cells");
    VolumeSettings causal;
    causal.amount = core::Amount::Causal;
    QTest::newRow("causal") << causal << QStringLiteral("causal");
}

void TestVolumeView::refusalsNamed()
{
    QFETCH(VolumeSettings, settings);
    QFETCH(QString, words);
    const VolumeSet set = ui::computeVolume(settings, cv::Mat());
    QVERIFY(!set.ok());
    QVERIFY2(set.error.contains(words), qPrintable(set.error));
    // Painted, it says so instead of crashing.
    const QImage image = paint(set, VolumeOptions{});
    QVERIFY(!image.isNull());
}

void TestVolumeView::tabAndShortcut()
{
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    QTabWidget *tabs = window.viewTabs();
    const int index = int(Session::View::Volume);
    QCOMPARE(tabs->tabText(index), QStringLiteral("Volume"));
    // The View menu's Ctrl+N: the Volume tab is the ninth once Pooling and Transposed are in.
    const QKeySequence keys(Qt::CTRL | Qt::Key(Qt::Key_1 + index));
    bool found = false;
    for (QAction *action : window.actions())
        if (action->shortcut() == keys && action->text() == QStringLiteral("Volume")) {
            action->trigger();
            found = true;
        }
    QVERIFY(found);
    QCOMPARE(window.session()->view(), Session::View::Volume);
    QCOMPARE(tabs->currentIndex(), index);
}

void TestVolumeView::hoverShowsWindow()
{
    Session session;
    ui::VolumeView view(&session);
    view.resize(1800, 1200);
    const VolumeSet &set = view.volumeSet();
    QVERIFY(set.ok());
    const std::vector<int> target{3, 4, 5};
    view.setHoveredOutput(target);
    QCOMPARE(VolumePainter::currentCell(set, view.options()), target);
    const QImage image = paint(set, view.options());
    // out[3, 4, 5] reads padded slices 3, 4, 5 only, rows 4..6 and columns 5..7.
    for (int z = 0; z < set.padded.shape().depth(); ++z) {
        const QColor c = cellColor(image, VolumePainter::paddedCellRect(image.rect(), set, view.options(), 0, z, 5, 6));
        QCOMPARE(windowLit(c), z >= 3 && z <= 5);
    }
    // Changing a pad in the session changes the view's set.
    VolumeSettings s = session.volumeSettings();
    s.pads = {0, 0, 0, 0, 0, 0};
    session.setVolumeSettings(s);
    QCOMPARE(view.volumeSet().padded.shape().depth(), 5);
    QCOMPARE(view.volumeSet().outDepth(), 3);
}

void TestVolumeView::render_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<VolumeSettings>("settings");
    QTest::addColumn<int>("step");
    QTest::newRow("numbered, default") << QStringList{"numbered"} << VolumeSettings{} << 0;
    VolumeSettings uneven = explicitPads({1, 1, 0, 0, 2, 2});
    uneven.stride = {1, 2, 2};
    QTest::newRow("six pads, stride, step")
        << QStringList{"numbered", "--pad", "1,1,0,0,2,2", "--stride", "1x2x2", "--step", "5"} << uneven << 4;
    VolumeSettings sphere;
    sphere.source = VolumeSource::Sphere;
    sphere.amount = core::Amount::Same;
    QTest::newRow("sphere same") << QStringList{"sphere", "--pad", "same"} << sphere << 0;
    VolumeSettings npy;
    npy.source = VolumeSource::Custom;
    npy.sourceShape = {1, 3, 3, 4};
    for (int i = 0; i < 36; ++i)
        npy.sourceValues.push_back(i);
    npy.kernel = VolumeKernel::Custom;
    npy.kernelShape = {2, 1, 2};
    npy.kernelWeights = {1, -1, 2, 3};
    npy.amount = core::Amount::Full;
    QTest::newRow("npy volume and kernel") << QStringList{"volume.npy", "--kernel", "k3.npy", "--pad", "full", "--step", "7"}
                                           << npy << 6;
}

void TestVolumeView::render()
{
    QFETCH(QStringList, arguments);
    QFETCH(VolumeSettings, settings);
    QFETCH(int, step);
    core::NdArray volume;
    volume.shape = {3, 3, 4};
    for (int i = 0; i < 36; ++i)
        volume.values.push_back(i);
    core::NdArray kernel;
    kernel.shape = {2, 1, 2};
    kernel.values = {1, -1, 2, 3};
    for (const auto &[name, array] : {std::pair{"volume.npy", volume}, std::pair{"k3.npy", kernel}}) {
        const std::string npy = core::formatNpy(array);
        QVERIFY(padlab::test::writeBytes(m_dir->filePath(QLatin1String(name)), QByteArray(npy.data(), qsizetype(npy.size()))));
    }
    const QString output = QStringLiteral("volume-%1.png").arg(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-')).remove(QLatin1Char(','));
    const padlab::test::Run run = padlab::test::runPadlab(
        m_dir->path(), QStringList{"render"} + arguments + QStringList{"--view", "volume", "-o", output});
    PADLAB_VERIFY_SUCCESS(run);
    const QImage written(m_dir->filePath(output));
    QVERIFY(!written.isNull());

    Session session;
    session.setVolumeSettings(settings);
    padlab::ui::ExportOptions options;
    options.view = padlab::ui::ExportView::Volume;
    options.step = step;
    padlab::ui::Exporter exporter(session, options);
    const QImage painted = exporter.renderImage();
    QCOMPARE(painted.size(), written.size());
    QVERIFY2(painted.convertToFormat(QImage::Format_RGB32) == written.convertToFormat(QImage::Format_RGB32),
             "render --view volume differs from the painting");
    // And the painting is the painter's, at its natural size.
    const VolumeSet set = ui::computeVolume(settings, session.kernel());
    VolumeOptions o;
    o.step = step;
    QCOMPARE(paint(set, o).convertToFormat(QImage::Format_RGB32), written.convertToFormat(QImage::Format_RGB32));

    // Animated: a GIF through the same path.
    const padlab::test::Run gif = padlab::test::runPadlab(
        m_dir->path(), QStringList{"render"} + arguments + QStringList{"--view", "volume", "--every", "20", "-o", "v.gif"});
    PADLAB_VERIFY_SUCCESS(gif);
    QVERIFY(padlab::test::readBytes(m_dir->filePath(QStringLiteral("v.gif"))).startsWith("GIF8"));
}

void TestVolumeView::renderRefuses_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("three pads") << QStringList{"numbered", "--pad", "1,1,1"}
                                << QStringLiteral("6 numbers (front,back,top,bottom,left,right), got 3");
    QTest::newRow("unknown input") << QStringList{"cube"} << QStringLiteral("`numbered`, `sphere` or a .npy volume");
    QTest::newRow("stride of two values") << QStringList{"numbered", "--stride", "1x2"} << QStringLiteral("--stride");
    QTest::newRow("step beyond the output") << QStringList{"numbered", "--step", "181"}
                                            << QStringLiteral("180 cells (1 to 180)");
    QTest::newRow("kernel deeper than the volume padded")
        << QStringList{"numbered", "--pad", "valid", "--kernel", "deep.npy"} << QStringLiteral("cannot convolve the volume");
    QTest::newRow("groups") << QStringList{"numbered", "--groups", "2"} << QStringLiteral("--groups does not apply");
}

void TestVolumeView::renderRefuses()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    core::NdArray deep;
    deep.shape = {6, 1, 1};
    deep.values.assign(6, 1.0);
    const std::string npy = core::formatNpy(deep);
    QVERIFY(padlab::test::writeBytes(m_dir->filePath(QStringLiteral("deep.npy")), QByteArray(npy.data(), qsizetype(npy.size()))));
    const padlab::test::Run run = padlab::test::runPadlab(
        m_dir->path(), QStringList{"render"} + arguments + QStringList{"--view", "volume", "-o", "refused.png"});
    QVERIFY(run.finished);
    QVERIFY(!run.crashed);
    QVERIFY(run.exitCode != 0);
    QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
    QCOMPARE(QString::fromUtf8(run.err).count(QLatin1Char('\n')), 1); // one message
    QVERIFY(!QFileInfo::exists(m_dir->filePath(QStringLiteral("refused.png"))));
}

void TestVolumeView::lessonClaims()
{
    const std::optional<ui::Lesson> lesson = ui::makeBuiltinLesson(QStringLiteral("zeropadding3d"));
    QVERIFY(lesson);
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    QVERIFY(window.openBuiltinLesson(QStringLiteral("zeropadding3d")));
    QCOMPARE(window.session()->view(), Session::View::Volume);
    QCOMPARE(window.viewTabs()->currentIndex(), int(Session::View::Volume));
    const VolumeSet &set = window.volumeView()->volumeSet();
    QVERIFY(set.ok());
    const QString &text = lesson->explanation;
    // 7x8x8 after padding 5x6x6 by one on every side.
    const auto &ps = set.padded.shape();
    QVERIFY(text.contains(QStringLiteral("5×6×6")));
    QVERIFY(text.contains(QStringLiteral("%1×%2×%3").arg(ps.depth()).arg(ps.rows()).arg(ps.cols())));
    QCOMPARE(ps.depth(), 7);
    // The corner: each slice's partial sum and the total as the view writes them.
    const VolumeOptions options = window.volumeView()->options();
    const std::vector<int> cell = VolumePainter::currentCell(set, options);
    QCOMPARE(cell, (std::vector<int>{0, 0, 0}));
    const auto window3 = set.windowAt(cell);
    const auto parts = set.sliceSums(window3);
    QCOMPARE(int(parts.size()), 3);
    QCOMPARE(parts[0].sum, 0.0);
    QCOMPARE(parts[1].sum, 22.0);
    QCOMPARE(parts[2].sum, 422.0);
    QCOMPARE(window3.sum, 444.0);
    QCOMPARE(set.totalText(window3), QStringLiteral("slice 0: 0 + slice 1: 22 + slice 2: 422 = 444"));
    QVERIFY(text.contains(QStringLiteral("0 + 1 + 10 + 11 = 22")));
    QVERIFY(text.contains(QStringLiteral("100 + 101 + 110 + 111 = 422")));
    QVERIFY(text.contains(QStringLiteral("out[0, 0, 0] = 444")));
    QCOMPARE(set.input.at(0, {1, 1, 1}), 111.0);
    // Every axis keeps its size; the depth formula is the view's, word for word.
    QCOMPARE(set.outDepth(), 5);
    QCOMPARE(set.outRows(), 6);
    QCOMPARE(set.outCols(), 6);
    const QString depth = set.formulas().first().section(QStringLiteral(": "), 1);
    QVERIFY2(text.contains(depth), qPrintable(depth));
}

// The Volume view's steps walk its output's depth x rows x cols cells, however few window
// positions the session's own input has.
void TestVolumeView::stepsWalkTheVolumeOutput()
{
    Session session;
    session.setSource(cv::Mat::ones(2, 2, CV_64F), QStringLiteral("tiny"));
    session.setPreset(QStringLiteral("box-3"));
    session.waitUntilIdle();
    QCOMPARE(session.stepCount(), 4); // the window's 2 x 2 'same' output
    ui::ViewSettings view = session.viewSettings();
    view.volume = explicitPads({1, 1, 1, 1, 1, 1});
    view.view = Session::View::Volume;
    session.setViewSettings(view);
    const VolumeSet set = ui::computeVolume(view.volume, session.kernel());
    QVERIFY(set.ok());
    QCOMPARE(session.stepCount(), set.outputCells());
    QVERIFY(set.outputCells() > 4);
    session.setStep(set.outputCells() - 1);
    QCOMPARE(session.step(), set.outputCells() - 1);
    QCOMPARE(session.stepIndex(), (std::vector<int>{set.outDepth() - 1, set.outRows() - 1, set.outCols() - 1}));
    QCOMPARE(set.cellOfStep(session.step()), session.stepIndex());
}

QTEST_MAIN(TestVolumeView)
#include "tst_volumeview.moc"

#include "comparepainter.h"
#include "exporter.h"
#include "panelpainter.h"
#include "session.h"
#include "signalpainter.h"
#include "stagespainter.h"
#include "gifread.h"
#include "testutil.h"

#include "padlab/core/csv.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

#include <gif_lib.h>
#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>

#include <sys/stat.h>

using padlab::core::Amount;
using padlab::test::gifImageCount;
using padlab::test::titleInkHeight;
using padlab::core::Fill;
using padlab::core::PerAxis;
using padlab::ui::ExportOptions;
using padlab::ui::Exporter;
using padlab::ui::ExportView;
using padlab::ui::Panel;
using padlab::ui::PanelPainter;
using padlab::ui::Session;

Q_DECLARE_METATYPE(ExportView)

namespace {

padlab::ui::Look look(bool dark)
{
    padlab::ui::Look l;
    l.dark = dark;
    return l;
}

/// A 5 × 6 ramp with 'same' padding of a 3 × 3 kernel: a ring of padding one cell wide.
void prepare(Session &session, int stride = 1)
{
    cv::Mat input(5, 6, CV_64F);
    for (int r = 0; r < input.rows; ++r)
        for (int c = 0; c < input.cols; ++c)
            input.at<double>(r, c) = 10 * r + c;
    session.setSource(input, QStringLiteral("ramp"));
    session.setPreset(QStringLiteral("sobel-x"));
    padlab::core::ConvSpec spec;
    spec.amount.kind = Amount::Same;
    spec.fill = Fill::Zeros;
    spec.stride = PerAxis{stride, stride};
    session.setSpec(spec);
    QVERIFY(!session.isBusy());
}

QRgb pixelAt(const QImage &image, QPointF point)
{
    return image.pixel(point.toPoint()) & 0xffffff;
}

/// Files in @p dir, hidden ones (temporary files) included.
QStringList filesIn(const QTemporaryDir &dir)
{
    return QDir(dir.path()).entryList(QDir::Files | QDir::Hidden | QDir::System);
}

/// A 28 × 28 input (a digit's size) of random values, as bench_export draws, with 'same'
/// padding of sobel-x: cells for readable numbers make its four panels thousands of pixels wide.
void prepare28(Session &session)
{
    cv::Mat input(28, 28, CV_32F);
    cv::RNG rng(28);
    rng.fill(input, cv::RNG::UNIFORM, 0.0f, 255.0f);
    session.setSource(input, QStringLiteral("digit-sized"));
    session.setPreset(QStringLiteral("sobel-x"));
    padlab::core::ConvSpec spec;
    spec.amount.kind = Amount::Same;
    session.setSpec(spec);
    session.waitUntilIdle();
}

/// The size of a video's frames, and how many it has.
QSize videoSize(const QString &path, int *frames = nullptr)
{
    cv::VideoCapture video(QFile::encodeName(path).toStdString());
    QSize size;
    int count = 0;
    cv::Mat frame;
    while (video.read(frame)) {
        ++count;
        size = QSize(frame.cols, frame.rows);
    }
    if (frames)
        *frames = count;
    return size;
}

int positions(int count, int every)
{
    // Every N-th position from 0, and the last one whenever that falls between.
    int frames = (count + every - 1) / every;
    if ((count - 1) % every != 0)
        ++frames;
    return frames;
}

} // namespace

class TestExport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void formats_data();
    void formats();
    void png_data();
    void png();
    void svgCells_data();
    void svgCells();
    void pdf();
    void gifFrames_data();
    void gifFrames();
    void mp4Frames_data();
    void mp4Frames();
    void animationFitsASlide_data();
    void animationFitsASlide();
    void gifDecodesToTheFrames_data();
    void gifDecodesToTheFrames();
    void csv_data();
    void csv();
    void cancelled_data();
    void cancelled();
    void cancelWhileTheViewIsComputed();
    void refused_data();
    void refused();
    void replacesOnlyFiles_data();
    void replacesOnlyFiles();
    void keepsLinkAndMode_data();
    void keepsLinkAndMode();
    void checksBudget_data();
    void checksBudget();
    void animationLeavesSessionAlone();
    void teachingViewStills_data();
    void teachingViewStills();
    void teachingViewFiles_data();
    void teachingViewFiles();
    void framesEqualWindowPainting_data();
    void framesEqualWindowPainting();
};

void TestExport::formats_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("known");
    QTest::newRow("png") << "a/figure.png" << true;
    QTest::newRow("upper-case SVG") << "figure.SVG" << true;
    QTest::newRow("pdf") << "figure.pdf" << true;
    QTest::newRow("gif") << "slide.gif" << true;
    QTest::newRow("mp4") << "lecture.mp4" << true;
    QTest::newRow("csv") << "out.csv" << true;
    QTest::newRow("jpeg") << "photo.jpg" << false;
    QTest::newRow("no extension") << "figure" << false;
}

void TestExport::formats()
{
    QFETCH(QString, path);
    QFETCH(bool, known);
    QCOMPARE(Exporter::formatOf(path).has_value(), known);
}

void TestExport::png_data()
{
    QTest::addColumn<ExportView>("view");
    QTest::addColumn<bool>("dark");
    QTest::addColumn<int>("step");
    QTest::newRow("all, first step") << ExportView::All << false << 0;
    QTest::newRow("all, dark, middle") << ExportView::All << true << 14;
    QTest::newRow("padded, last step") << ExportView::Padded << false << 29;
    QTest::newRow("input, dark") << ExportView::Input << true << 7;
    QTest::newRow("output") << ExportView::Output << false << 20;
}

void TestExport::png()
{
    QFETCH(ExportView, view);
    QFETCH(bool, dark);
    QFETCH(int, step);
    Session session;
    prepare(session);
    session.setStep(step);
    ExportOptions options;
    options.view = view;
    options.look.dark = dark;
    options.cellSize = 40;
    Exporter exporter(session, options);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("figure.png"));
    QVERIFY2(exporter.exportTo(path), qPrintable(exporter.errorString()));

    QImage image;
    QVERIFY(image.load(path, "PNG"));
    QCOMPARE(image.size(), exporter.imageSize());
    QVERIFY(image.width() >= 6 * 40 && image.height() >= 5 * 40);

    const padlab::core::Window window = session.window();
    const QRgb windowColor = look(dark).windowColor().rgb() & 0xffffff;
    const bool padded = view == ExportView::All || view == ExportView::Padded;
    const bool input = view == ExportView::All || view == ExportView::Input;
    const bool output = view == ExportView::All || view == ExportView::Output;
    if (padded) {
        // A corner padding cell away from the window shows the padding tint on its outer ring.
        const bool bottomRight = window.top <= 2;
        const QRectF cell = exporter.cellRect(Panel::Padded, bottomRight ? QPoint(7, 6) : QPoint(0, 0));
        const QPointF ring = bottomRight ? cell.bottomRight() - QPointF(2, 2) : cell.topLeft() + QPointF(2, 2);
        QCOMPARE(pixelAt(image, ring), look(dark).paddingTint().rgb() & 0xffffff);
        // Each tap of the window is framed in the window colour.
        for (const auto &tap : window.taps) {
            const QRectF tapCell = exporter.cellRect(Panel::Padded, QPoint(tap.paddedCol, tap.paddedRow));
            QCOMPARE(pixelAt(image, tapCell.center() + QPointF(0, tapCell.height() / 2 - 1)), windowColor);
        }
    }
    if (input) {
        for (const auto &tap : window.taps) {
            if (tap.donor.isPadding)
                continue;
            const QRectF cell = exporter.cellRect(Panel::Input, QPoint(tap.donor.col, tap.donor.row));
            QCOMPARE(pixelAt(image, cell.topLeft() + QPointF(1, 1)), windowColor);
        }
    }
    if (output) {
        const QRectF cell = exporter.cellRect(Panel::Output, session.stepCell());
        QCOMPARE(pixelAt(image, cell.topLeft() + QPointF(1, 1)), look(dark).currentCellColor().rgb() & 0xffffff);
    }
}

void TestExport::svgCells_data()
{
    QTest::addColumn<ExportView>("view");
    QTest::addColumn<int>("cells");
    QTest::newRow("input") << ExportView::Input << 5 * 6;
    QTest::newRow("padded") << ExportView::Padded << 7 * 8;
    QTest::newRow("output") << ExportView::Output << 5 * 6;
    QTest::newRow("all") << ExportView::All << 5 * 6 + 7 * 8 + 5 * 6;
}

void TestExport::svgCells()
{
    QFETCH(ExportView, view);
    QFETCH(int, cells);
    Session session;
    prepare(session);
    ExportOptions options;
    options.view = view;
    options.cellSize = 30; // smaller than the window panel's taps, so only grid cells are 30 × 30
    Exporter exporter(session, options);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("figure.svg"));
    QVERIFY2(exporter.exportTo(path), qPrintable(exporter.errorString()));

    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&file);
    int cellRects = 0;
    int texts = 0;
    QStringList words;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == QLatin1String("rect")) {
            const auto a = xml.attributes();
            if (qAbs(a.value("width").toDouble() - 30) < 0.01 && qAbs(a.value("height").toDouble() - 30) < 0.01)
                ++cellRects;
        } else if (xml.name() == QLatin1String("text")) {
            ++texts;
            words << xml.readElementText();
        }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QCOMPARE(cellRects, cells);
    // Numbers are text, so they stay sharp: each shown cell writes its value.
    QVERIFY2(texts >= cells, qPrintable(QString::number(texts)));
    QVERIFY(words.contains(QStringLiteral("43")) || view == ExportView::Output);
}

void TestExport::pdf()
{
    Session session;
    prepare(session);
    Exporter exporter(session, {});
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("figure.pdf"));
    QVERIFY2(exporter.exportTo(path), qPrintable(exporter.errorString()));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QVERIFY(bytes.startsWith("%PDF-"));
    QVERIFY(bytes.trimmed().endsWith("%%EOF"));
    // One page, exactly the figure's size in points.
    const QSize size = exporter.imageSize();
    QCOMPARE(bytes.count("/Type /Page\n") + bytes.count("/Type /Page "), 1);
    const QByteArray box = QStringLiteral("/MediaBox [0 0 %1.000000 %2.000000]").arg(size.width()).arg(size.height()).toLatin1();
    QVERIFY2(bytes.contains(box), box.constData());
}

void TestExport::gifFrames_data()
{
    QTest::addColumn<int>("stride");
    QTest::addColumn<int>("every");
    QTest::addColumn<bool>("rowByRow");
    QTest::addColumn<int>("frames");
    QTest::newRow("every position") << 1 << 1 << false << 30;
    QTest::newRow("stride 2") << 2 << 1 << false << 9;
    QTest::newRow("every 4th, and the last") << 1 << 4 << false << positions(30, 4);
    QTest::newRow("every 29th lands on the last") << 1 << 29 << false << 2;
    QTest::newRow("row by row") << 1 << 1 << true << 5;
}

void TestExport::gifFrames()
{
    QFETCH(int, stride);
    QFETCH(int, every);
    QFETCH(bool, rowByRow);
    QFETCH(int, frames);
    Session session;
    prepare(session, stride);
    ExportOptions options;
    options.every = every;
    options.rowByRow = rowByRow;
    Exporter exporter(session, options);
    int reported = 0;
    exporter.setProgressCallback([&reported](int done, int) { reported = done; });
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("slide.gif"));
    QVERIFY2(exporter.exportTo(path), qPrintable(exporter.errorString()));
    QSize screen;
    QCOMPARE(gifImageCount(path, &screen), frames);
    QCOMPARE(reported, frames);
    QCOMPARE(screen, exporter.imageSize());
    QCOMPARE(filesIn(dir), QStringList{QStringLiteral("slide.gif")});
}

void TestExport::mp4Frames_data()
{
    QTest::addColumn<int>("stride");
    QTest::addColumn<double>("scale");
    QTest::newRow("every position") << 1 << 16.0;
    QTest::newRow("stride 2, odd scale") << 2 << 15.0;
}

void TestExport::mp4Frames()
{
    QFETCH(int, stride);
    QFETCH(double, scale);
    Session session;
    prepare(session, stride);
    ExportOptions options;
    options.cellSize = scale;
    options.fps = 12;
    Exporter exporter(session, options);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("lecture.mp4"));
    {
        // A finished video replaces an earlier file of the same name.
        QFile earlier(path);
        QVERIFY(earlier.open(QIODevice::WriteOnly));
        earlier.write("an earlier export");
    }
    QVERIFY2(exporter.exportTo(path), qPrintable(exporter.errorString()));
    QCOMPARE(filesIn(dir), QStringList{QStringLiteral("lecture.mp4")});

    cv::VideoCapture video(QFile::encodeName(path).toStdString());
    QVERIFY(video.isOpened());
    int frames = 0;
    cv::Mat frame;
    QSize size;
    while (video.read(frame)) {
        ++frames;
        size = QSize(frame.cols, frame.rows);
    }
    QCOMPARE(frames, session.stepCount());
    const QSize still = exporter.imageSize();
    // Video sizes are even: the still's size, rounded up.
    QCOMPARE(size, QSize(still.width() + still.width() % 2, still.height() + still.height() % 2));
}

void TestExport::animationFitsASlide_data()
{
    QTest::addColumn<QString>("suffix");
    QTest::addColumn<bool>("large");
    QTest::newRow("28 x 28, GIF") << "gif" << true;
    QTest::newRow("28 x 28, MP4") << "mp4" << true;
    QTest::newRow("5 x 6, GIF: not enlarged") << "gif" << false;
    QTest::newRow("5 x 6, MP4: not enlarged") << "mp4" << false;
}

// At the default scale an animation's frames fit a 1920 x 1080 slide: its cells shrink, only as
// far as that needs, and its text keeps a still's size; a still keeps its cells for readable
// numbers.
void TestExport::animationFitsASlide()
{
    QFETCH(QString, suffix);
    QFETCH(bool, large);
    Session session;
    if (large)
        prepare28(session);
    else
        prepare(session);
    QTemporaryDir dir;

    Exporter still(session, {});
    const QString png = dir.filePath(QStringLiteral("figure.png"));
    QVERIFY2(still.exportTo(png), qPrintable(still.errorString()));
    QImage figure;
    QVERIFY(figure.load(png, "PNG"));
    QCOMPARE(figure.size(), still.imageSize());
    QCOMPARE(still.look().fontScale, 1.0);
    QCOMPARE(figure.width() > 1920, large);

    ExportOptions options;
    options.rowByRow = true; // fewer frames; the size is the same for every step
    Exporter animation(session, options);
    const QString path = dir.filePath(QStringLiteral("animation.") + suffix);
    QVERIFY2(animation.exportTo(path), qPrintable(animation.errorString()));
    QSize frame;
    int frames = 0;
    if (suffix == QLatin1String("gif"))
        frames = gifImageCount(path, &frame);
    else
        frame = videoSize(path, &frames);
    QCOMPARE(frames, session.geometry().rows.output);
    QVERIFY2(frame.width() <= 1920 && frame.height() <= 1080,
             qPrintable(QStringLiteral("%1 x %2").arg(frame.width()).arg(frame.height())));
    if (suffix == QLatin1String("mp4"))
        QCOMPARE(QSize(frame.width() % 2, frame.height() % 2), QSize(0, 0));
    // The titles and labels are as large as a still's: readable on the slide.
    QCOMPARE(animation.look().fontScale, still.look().fontScale);
    const int band = PanelPainter::titleHeight(padlab::ui::PanelOptions());
    const int stillTitle = titleInkHeight(figure, band);
    const int frameTitle = titleInkHeight(animation.renderFrame(0), band);
    QVERIFY2(stillTitle >= 10 && frameTitle >= stillTitle,
             qPrintable(QStringLiteral("title %1 px high in a frame, %2 in a still").arg(frameTitle).arg(stillTitle)));
    if (large) {
        // Smaller cells, the largest whole pixels that fit: a pixel more would not.
        QVERIFY(animation.cellSize() < still.cellSize());
        QCOMPARE(animation.cellSize(), std::floor(animation.cellSize()));
        ExportOptions larger;
        larger.cellSize = animation.cellSize() + 1;
        const QSize over = Exporter(session, larger).imageSize();
        QVERIFY2(over.width() > 1920 || over.height() > 1080,
                 qPrintable(QStringLiteral("%1 x %2").arg(over.width()).arg(over.height())));
    } else {
        // A figure that fits already is written as a still would be.
        const QSize even(figure.width() + figure.width() % 2, figure.height() + figure.height() % 2);
        QCOMPARE(frame, suffix == QLatin1String("mp4") ? even : figure.size());
    }
    // A scale asked for is what is written, even past the slide.
    if (large && suffix == QLatin1String("gif")) {
        options.scale = 1;
        Exporter asked(session, options);
        QVERIFY2(asked.exportTo(path), qPrintable(asked.errorString()));
        QCOMPARE(gifImageCount(path, &frame), frames);
        QCOMPARE(frame, figure.size());
    }
}

void TestExport::gifDecodesToTheFrames_data()
{
    QTest::addColumn<double>("cell");
    QTest::addColumn<bool>("dark");
    QTest::newRow("large cells") << 40.0 << false;
    QTest::newRow("small cells, dark") << 9.0 << true;
}

// Every frame of a GIF, read back with giflib and drawn over the frames before it as a viewer
// does, is the frame painted: the changed boxes, the transparent pixels and their encoding.
void TestExport::gifDecodesToTheFrames()
{
    QFETCH(double, cell);
    QFETCH(bool, dark);
    Session session;
    prepare(session);
    ExportOptions options;
    options.cellSize = cell;
    options.look.dark = dark;
    Exporter exporter(session, options);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("frames.gif"));
    QVERIFY2(exporter.exportTo(path), qPrintable(exporter.errorString()));
    int error = 0;
    GifFileType *gif = DGifOpenFileName(QFile::encodeName(path).constData(), &error);
    QVERIFY(gif);
    QCOMPARE(DGifSlurp(gif), GIF_OK);
    QCOMPARE(gif->ImageCount, session.stepCount());
    QImage shown(gif->SWidth, gif->SHeight, QImage::Format_RGB32);
    shown.fill(Qt::black);
    for (int i = 0; i < gif->ImageCount; ++i) {
        const SavedImage &image = gif->SavedImages[i];
        GraphicsControlBlock control{};
        control.TransparentColor = NO_TRANSPARENT_COLOR;
        DGifSavedExtensionToGCB(gif, i, &control);
        const ColorMapObject *map = image.ImageDesc.ColorMap ? image.ImageDesc.ColorMap : gif->SColorMap;
        for (int y = 0; y < image.ImageDesc.Height; ++y)
            for (int x = 0; x < image.ImageDesc.Width; ++x) {
                const int index = image.RasterBits[y * image.ImageDesc.Width + x];
                if (index == control.TransparentColor)
                    continue;
                const GifColorType c = map->Colors[index];
                shown.setPixel(image.ImageDesc.Left + x, image.ImageDesc.Top + y, qRgb(c.Red, c.Green, c.Blue));
            }
        const QImage painted = exporter.renderFrame(i);
        QCOMPARE(shown.size(), painted.size());
        // Exact where the palette holds the colour (nearly everywhere); the smoothed edges of text
        // bring more colours than a palette holds, and share the nearest.
        long long exact = 0;
        int worst = 0;
        for (int y = 0; y < painted.height(); ++y)
            for (int x = 0; x < painted.width(); ++x) {
                const QRgb a = shown.pixel(x, y);
                const QRgb b = painted.pixel(x, y);
                exact += (a & 0xffffff) == (b & 0xffffff);
                worst = std::max({worst, std::abs(qRed(a) - qRed(b)), std::abs(qGreen(a) - qGreen(b)),
                                  std::abs(qBlue(a) - qBlue(b))});
            }
        QVERIFY2(exact >= painted.width() * painted.height() * 97LL / 100 && worst <= 48,
                 qPrintable(QStringLiteral("frame %1: %2 of %3 exact, off by up to %4")
                                .arg(i)
                                .arg(exact)
                                .arg(painted.width() * painted.height())
                                .arg(worst)));
    }
    DGifCloseFile(gif, &error);
}

void TestExport::csv_data()
{
    QTest::addColumn<ExportView>("view");
    QTest::newRow("padded") << ExportView::Padded;
    QTest::newRow("output") << ExportView::Output;
    QTest::newRow("input") << ExportView::Input;
}

void TestExport::csv()
{
    QFETCH(ExportView, view);
    Session session;
    prepare(session);
    session.setFill(Fill::Reflect);
    ExportOptions options;
    options.view = view;
    Exporter exporter(session, options);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("values.csv"));
    QVERIFY2(exporter.exportTo(path), qPrintable(exporter.errorString()));
    const cv::Mat read = padlab::core::readCsvFile(QFile::encodeName(path).toStdString());
    const cv::Mat expected = view == ExportView::Padded   ? session.result().padded
                             : view == ExportView::Output ? session.result().output
                                                          : session.resultInput();
    QCOMPARE(read.rows, expected.rows);
    QCOMPARE(read.cols, expected.cols);
    cv::Mat expected64;
    expected.convertTo(expected64, CV_64F);
    QCOMPARE(cv::norm(read, expected64, cv::NORM_INF), 0.0);
}

void TestExport::cancelled_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("existing");
    QTest::newRow("gif, new") << "slide.gif" << false;
    QTest::newRow("gif over an existing file") << "slide.gif" << true;
    QTest::newRow("mp4, new") << "lecture.mp4" << false;
    QTest::newRow("mp4 over an existing file") << "lecture.mp4" << true;
}

void TestExport::cancelled()
{
    QFETCH(QString, name);
    QFETCH(bool, existing);
    Session session;
    prepare(session);
    QTemporaryDir dir;
    const QString path = dir.filePath(name);
    const QByteArray before("an earlier export");
    if (existing) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(before);
    }
    Exporter exporter(session, {});
    int frames = 0;
    exporter.setProgressCallback([&](int done, int) {
        frames = done;
        if (done == 3)
            exporter.cancel();
    });
    QVERIFY(!exporter.exportTo(path));
    QVERIFY(exporter.wasCancelled());
    QCOMPARE(frames, 3);
    if (existing) {
        QCOMPARE(filesIn(dir), QStringList{name});
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), before);
    } else {
        QCOMPARE(filesIn(dir), QStringList{});
    }
}

// A teaching view's part is computed before the export draws it: its progress reaches the
// callback, and Cancel stops the computation and writes nothing.
void TestExport::cancelWhileTheViewIsComputed()
{
    Session session;
    prepare(session);
    session.setComputationDelayForTesting(3000); // every computation takes seconds
    ExportOptions options;
    options.view = ExportView::Compare;
    Exporter exporter(session, options);
    QList<QPair<int, int>> calls;
    exporter.setProgressCallback([&](int done, int total) {
        calls << qMakePair(done, total);
        exporter.cancel();
    });
    QTemporaryDir dir;
    QVERIFY(!exporter.exportTo(dir.filePath(QStringLiteral("compare.png"))));
    QVERIFY(exporter.wasCancelled());
    QCOMPARE(exporter.errorString(), QStringLiteral("export cancelled"));
    QVERIFY(!calls.isEmpty());
    QCOMPARE(calls.first().second, 100);
    QVERIFY(!session.isBusy());
    // The comparison was stopped, not left to run to its end.
    const auto shown = session.snapshot();
    QVERIFY(shown->comparison && shown->comparison->comparison.items.empty());
    QVERIFY2(shown->comparison->error.startsWith(QLatin1String("Cancelled")), qPrintable(shown->comparison->error));
    QCOMPARE(filesIn(dir), QStringList{});
}

void TestExport::refused_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown extension") << "figure.bmp" << "unknown format '.bmp'";
    QTest::newRow("missing folder") << "missing/figure.png" << "does not exist";
    QTest::newRow("csv of the window") << "window.csv" << "one matrix";
}

void TestExport::refused()
{
    QFETCH(QString, name);
    QFETCH(QString, message);
    Session session;
    prepare(session);
    ExportOptions options;
    if (name.startsWith(QLatin1String("window")))
        options.view = ExportView::Window;
    Exporter exporter(session, options);
    QTemporaryDir dir;
    QVERIFY(!exporter.exportTo(dir.filePath(name)));
    QVERIFY2(exporter.errorString().contains(message), qPrintable(exporter.errorString()));
    QCOMPARE(filesIn(dir), QStringList{});
}

void TestExport::replacesOnlyFiles_data()
{
    QTest::addColumn<QString>("name");
    for (const char *name : {"fifo.png", "fifo.svg", "fifo.pdf", "fifo.gif", "fifo.mp4", "fifo.csv"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

void TestExport::replacesOnlyFiles()
{
    QFETCH(QString, name);
    Session session;
    prepare(session);
    QTemporaryDir dir;
    const QString path = dir.filePath(name);
    QCOMPARE(::mkfifo(QFile::encodeName(path).constData(), 0600), 0);
    ExportOptions options;
    options.view = name.endsWith(QLatin1String(".csv")) ? ExportView::Output : ExportView::All;
    Exporter exporter(session, options);
    // Written as a file, a FIFO without a reader would block, or be replaced.
    QVERIFY(!exporter.exportTo(path));
    QVERIFY2(exporter.errorString().contains(QLatin1String("FIFO")), qPrintable(exporter.errorString()));
    QVERIFY(QFileInfo(path).exists() && !QFileInfo(path).isFile());
    QCOMPARE(filesIn(dir), QStringList{name});
}

void TestExport::keepsLinkAndMode_data()
{
    QTest::addColumn<QString>("suffix");
    for (const char *suffix : {"png", "svg", "pdf", "gif", "mp4", "csv"})
        QTest::newRow(suffix) << QString::fromLatin1(suffix);
}

void TestExport::keepsLinkAndMode()
{
    QFETCH(QString, suffix);
    Session session;
    prepare(session);
    QTemporaryDir dir;
    const QString target = dir.filePath(QStringLiteral("kept.") + suffix);
    QFile file(target);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("an earlier export");
    file.close();
    QCOMPARE(::chmod(QFile::encodeName(target).constData(), 0444), 0);
    struct stat before = {};
    QCOMPARE(::stat(QFile::encodeName(target).constData(), &before), 0);
    const QString link = dir.filePath(QStringLiteral("link.") + suffix);
    QVERIFY(QFile::link(target, link));
    ExportOptions options;
    options.view = suffix == QLatin1String("csv") ? ExportView::Output : ExportView::All;
    Exporter exporter(session, options);
    QVERIFY2(exporter.exportTo(link), qPrintable(exporter.errorString()));
    QVERIFY(QFileInfo(link).isSymLink());
    struct stat after = {};
    QCOMPARE(::stat(QFile::encodeName(target).constData(), &after), 0);
    // As root a 0444 file is writable anyway: only the mode itself tells it was kept.
    QCOMPARE(after.st_mode, before.st_mode);
    QVERIFY(after.st_size > qint64(sizeof("an earlier export")));
    QCOMPARE(filesIn(dir), (QStringList{QStringLiteral("kept.") + suffix, QStringLiteral("link.") + suffix}));
}

void TestExport::checksBudget_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<ExportView>("view");
    QTest::addColumn<qulonglong>("memory");
    QTest::addColumn<qulonglong>("frames");
    QTest::addColumn<QString>("message"); // empty: exported
    const qulonglong memory = padlab::core::kDefaultMaxMemory;
    const qulonglong frames = padlab::core::kDefaultMaxFrames;
    QTest::newRow("image beyond the memory") << "still.png" << ExportView::All << 200'000ULL << frames
                                             << "the image";
    QTest::newRow("compare beyond the memory") << "compare.png" << ExportView::Compare << 100'000ULL << frames
                                               << "the limit is 100 KB";
    QTest::newRow("30 frames, 29 allowed") << "slide.gif" << ExportView::All << memory << 29ULL << "30 frames";
    QTest::newRow("30 frames, 30 allowed") << "slide.gif" << ExportView::All << memory << 30ULL << QString();
    QTest::newRow("a still has no frames") << "still.png" << ExportView::All << memory << 1ULL << QString();
}

void TestExport::checksBudget()
{
    QFETCH(QString, name);
    QFETCH(ExportView, view);
    QFETCH(qulonglong, memory);
    QFETCH(qulonglong, frames);
    QFETCH(QString, message);
    Session session;
    prepare(session);
    session.setBudget({memory, padlab::core::kDefaultMaxMultiplyAdds, frames});
    ExportOptions options;
    options.view = view;
    Exporter exporter(session, options);
    QTemporaryDir dir;
    const bool written = exporter.exportTo(dir.filePath(name));
    if (message.isEmpty()) {
        QVERIFY2(written, qPrintable(exporter.errorString()));
        return;
    }
    QVERIFY(!written);
    QVERIFY2(exporter.errorString().contains(message), qPrintable(exporter.errorString()));
    QCOMPARE(filesIn(dir), QStringList{});
}

void TestExport::animationLeavesSessionAlone()
{
    Session session;
    prepare(session);
    session.setStep(11);
    Exporter exporter(session, {});
    int moves = 0;
    connect(&session, &Session::stepChanged, this, [&moves] { ++moves; });
    QTemporaryDir dir;
    QVERIFY(exporter.exportTo(dir.filePath(QStringLiteral("slide.gif"))));
    QCOMPARE(session.step(), 11);
    QCOMPARE(moves, 0);
}

namespace {

/// A one-row signal of 8 samples with a 1 × 3 kernel, causal: what the signal view draws.
void prepareSignal(Session &session)
{
    cv::Mat input(1, 8, CV_64F);
    for (int c = 0; c < input.cols; ++c)
        input.at<double>(0, c) = (c % 3) + 0.5 * c;
    session.setSource(input, QStringLiteral("signal"));
    session.setKernel((cv::Mat_<double>(1, 3) << 1, 2, -1));
    session.setAmount({Amount::Causal, {}});
    QVERIFY(!session.isBusy());
}

/// What the view's own painter draws on a canvas of @p size, as the window would: the
/// session's snapshot with the part the view asks for, at the session's step.
QImage paintedDirectly(ExportView view, Session &session, QSize size, bool fade = false)
{
    const padlab::ui::Part part = view == ExportView::Signal    ? padlab::ui::Part::Signal
                                  : view == ExportView::Compare ? padlab::ui::Part::Comparison
                                                                : padlab::ui::Part::Stages;
    session.need(part);
    session.waitUntilIdle();
    const padlab::ui::SnapshotPtr shown = session.snapshot();
    session.release(part);
    QImage image(size, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    const QRect target(QPoint(0, 0), size);
    if (view == ExportView::Signal) {
        padlab::ui::SignalOptions o;
        o.step = session.step();
        o.fadeUncomputed = fade;
        padlab::ui::SignalPainter::paint(painter, target, *shown, o);
    } else if (view == ExportView::Compare) {
        padlab::ui::ComparePainter::paint(painter, target, *shown, {});
    } else {
        padlab::ui::StagesPainter::paint(painter, target, *shown, {});
    }
    return image;
}

} // namespace

void TestExport::teachingViewStills_data()
{
    QTest::addColumn<ExportView>("view");
    QTest::addColumn<bool>("signalInput");
    QTest::newRow("signal") << ExportView::Signal << true;
    QTest::newRow("compare fills") << ExportView::Compare << false;
    QTest::newRow("stages") << ExportView::Stages << false;
}

void TestExport::teachingViewStills()
{
    QFETCH(ExportView, view);
    QFETCH(bool, signalInput);
    Session session;
    if (signalInput)
        prepareSignal(session);
    else
        prepare(session);
    session.setStageCount(3);
    ExportOptions options;
    options.view = view;
    Exporter exporter(session, options);
    QCOMPARE(exporter.imageSize(), padlab::ui::kTeachingExportSize);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("figure.png"));
    QVERIFY2(exporter.exportTo(path), qPrintable(exporter.errorString()));
    const QImage written(path);
    QCOMPARE(written.size(), padlab::ui::kTeachingExportSize);
    // The figure is the view's own drawing, not an empty canvas.
    const QImage expected = paintedDirectly(view, session, written.size());
    QCOMPARE(written.convertToFormat(QImage::Format_RGB32), expected);
    int inked = 0;
    for (int y = 0; y < expected.height(); y += 4)
        for (int x = 0; x < expected.width(); x += 4)
            inked += (expected.pixel(x, y) & 0xffffff) != 0xffffff;
    QVERIFY2(inked > 500, qPrintable(QString::number(inked)));

    const QString svg = dir.filePath(QStringLiteral("figure.svg"));
    QVERIFY2(exporter.exportTo(svg), qPrintable(exporter.errorString()));
    QFile file(svg);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().contains("<text"));
}

void TestExport::teachingViewFiles_data()
{
    QTest::addColumn<ExportView>("view");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("message"); // empty: the export succeeds

    QTest::newRow("signal animation, one frame a sample")
        << ExportView::Signal << "signal.gif" << QString();
    QTest::newRow("signal csv is its output") << ExportView::Signal << "signal.csv" << QString();
    QTest::newRow("compare does not animate")
        << ExportView::Compare << "compare.gif" << "the compare view does not move";
    QTest::newRow("stages do not animate")
        << ExportView::Stages << "stages.mp4" << "the stages view does not move";
    QTest::newRow("stages csv") << ExportView::Stages << "stages.csv" << "one matrix";
}

void TestExport::teachingViewFiles()
{
    QFETCH(ExportView, view);
    QFETCH(QString, name);
    QFETCH(QString, message);
    Session session;
    prepareSignal(session);
    ExportOptions options;
    options.view = view;
    Exporter exporter(session, options);
    QTemporaryDir dir;
    const QString path = dir.filePath(name);
    if (!message.isEmpty()) {
        QVERIFY(!exporter.exportTo(path));
        QVERIFY2(exporter.errorString().contains(message), qPrintable(exporter.errorString()));
        QCOMPARE(filesIn(dir), QStringList{});
        return;
    }
    QVERIFY2(exporter.exportTo(path), qPrintable(exporter.errorString()));
    if (name.endsWith(QLatin1String(".gif"))) {
        QCOMPARE(gifImageCount(path), session.stepCount());
        QCOMPARE(session.stepCount(), 8);
    } else {
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll().toStdString(), padlab::core::formatCsv(session.result().output));
    }
}

void TestExport::framesEqualWindowPainting_data()
{
    QTest::addColumn<ExportView>("view");
    QTest::addColumn<int>("stride");
    QTest::newRow("all panels") << ExportView::All << 1;
    QTest::newRow("padded, stride 2") << ExportView::Padded << 2;
    QTest::newRow("output") << ExportView::Output << 1;
    QTest::newRow("signal") << ExportView::Signal << 1;
}

// An animation moves the step in the painters' options over one snapshot: each frame is what the
// window paints with the session at that step, and the session itself never moves.
void TestExport::framesEqualWindowPainting()
{
    QFETCH(ExportView, view);
    QFETCH(int, stride);
    Session session;
    if (view == ExportView::Signal)
        prepareSignal(session);
    else
        prepare(session, stride);
    ExportOptions options;
    options.view = view;
    options.cellSize = 24;
    const Exporter animation(session, options);
    QSignalSpy steps(&session, &Session::stepChanged);
    std::vector<QImage> frames{animation.renderFrame(0)}; // the view's part computed, if it lacked it
    const int computed = session.computations();
    for (int step = 1; step < session.stepCount(); ++step)
        frames.push_back(animation.renderFrame(step));
    QCOMPARE(steps.count(), 0);
    QCOMPARE(session.computations(), computed); // nothing computed again for a frame

    ExportOptions still = options;
    still.fadeUncomputed = true; // as an animation, and as the window once the window moves
    for (int step = 0; step < session.stepCount(); ++step) {
        session.setStep(step);
        const QImage shown = view == ExportView::Signal
                                 ? paintedDirectly(view, session, padlab::ui::kTeachingExportSize, true)
                                 : Exporter(session, still).renderImage();
        QVERIFY2(frames[size_t(step)] == shown.convertToFormat(frames[size_t(step)].format()),
                 qPrintable(QStringLiteral("step %1").arg(step)));
    }
    // Frames of different steps differ: the step is really in them.
    QVERIFY(frames.front() != frames.back());
}

QTEST_MAIN(TestExport)
#include "tst_export.moc"

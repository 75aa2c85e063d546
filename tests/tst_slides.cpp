// Exports for slides: the export dialog's options and live figures, sizes that grow text with
// the cells, readable composites, exact GIF colours, centred SVG text, default names and
// exports that never replace their input (the window's Exporter and the executable).

#include "clitestutil.h"
#include "exportdialog.h"
#include "exporter.h"
#include "gifread.h"
#include "gifwriter.h"
#include "look.h"
#include "panelpainter.h"
#include "samples.h"
#include "session.h"
#include "testutil.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QSpinBox>
#include <QPainter>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

#include <gif_lib.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>

#include <cmath>
#include <map>

using padlab::core::Amount;
using padlab::core::Fill;
using padlab::core::PerAxis;
using padlab::test::firstGifFrame;
using padlab::test::gifImageCount;
using padlab::test::readBytes;
using padlab::test::runPadlab;
using padlab::ui::ExportDialog;
using padlab::ui::ExportOptions;
using padlab::ui::Exporter;
using padlab::ui::ExportView;
using padlab::ui::Panel;
using padlab::ui::Session;

Q_DECLARE_METATYPE(ExportView)

namespace {

/// An input of @p rows × @p cols (values 10 r + c), a 3 × 3 kernel, @p amount padding and
/// @p stride.
void prepare(Session &session, int rows, int cols, Amount amount = Amount::Same, int stride = 1)
{
    cv::Mat input(rows, cols, CV_64F);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c)
            input.at<double>(r, c) = 10 * r + c;
    session.setSource(input, QStringLiteral("ramp"));
    session.setPreset(QStringLiteral("sobel-x"));
    padlab::core::ConvSpec spec;
    spec.amount.kind = amount;
    spec.stride = PerAxis{stride, stride};
    session.setSpec(spec);
    session.waitUntilIdle();
}

/// An image of vertical bands of the given greys.
QImage bands(const QList<int> &greys, int bandWidth = 4, int height = 6)
{
    QImage image(int(greys.size()) * bandWidth, height, QImage::Format_RGB32);
    for (int x = 0; x < image.width(); ++x)
        for (int y = 0; y < height; ++y) {
            const int g = greys[x / bandWidth];
            image.setPixel(x, y, qRgb(g, g, g));
        }
    return image;
}

/// A PNG of @p rows × @p cols greys in @p folder.
QString writeImage(const QString &folder, const QString &name, int rows, int cols)
{
    cv::Mat image(rows, cols, CV_8U);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c)
            image.at<uchar>(r, c) = uchar((r * 37 + c * 11) % 256);
    const QString path = QDir(folder).filePath(name);
    cv::imwrite(QFile::encodeName(path).toStdString(), image);
    return path;
}

} // namespace

class TestSlides : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void frameCounts_data();
    void frameCounts();
    void scaleGrowsCellsAndText_data();
    void scaleGrowsCellsAndText();
    void targetWidth_data();
    void targetWidth();
    void tabViewOffered_data();
    void tabViewOffered();
    void dialogFigures_data();
    void dialogFigures();
    void defaultFramesFitASlide_data();
    void defaultFramesFitASlide();
    void dialogSizeFitsASlide_data();
    void dialogSizeFitsASlide();
    void confirmsLongAnimations_data();
    void confirmsLongAnimations();
    void compositeNumbersReadable_data();
    void compositeNumbersReadable();
    void svgTextCentred_data();
    void svgTextCentred();
    void gifColoursExact_data();
    void gifColoursExact();
    void gifManyColoursKeepFrequentOnes();
    void gifExportKeepsCellGreys();
    void defaultName_data();
    void defaultName();
    void exporterRefusesInput_data();
    void exporterRefusesInput();
    void commandLineRefusesInput_data();
    void commandLineRefusesInput();
};

void TestSlides::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestSlides::frameCounts_data()
{
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    QTest::addColumn<int>("stride");
    QTest::addColumn<int>("every");
    QTest::addColumn<bool>("rowByRow");
    QTest::addColumn<int>("frames");
    // 5 × 6 same: 30 positions, 0..29.
    QTest::newRow("every position") << 5 << 6 << 1 << 1 << false << 30;
    QTest::newRow("every 4th: 0, 4 .. 28, and 29") << 5 << 6 << 1 << 4 << false << 9;
    QTest::newRow("every 29th lands on the last") << 5 << 6 << 1 << 29 << false << 2;
    QTest::newRow("every 100th: first and last") << 5 << 6 << 1 << 100 << false << 2;
    QTest::newRow("row by row") << 5 << 6 << 1 << 1 << true << 5;
    // Stride 2 over 5 × 6: 3 × 3 positions.
    QTest::newRow("stride 2") << 5 << 6 << 2 << 1 << false << 9;
    QTest::newRow("stride 2, row by row") << 5 << 6 << 2 << 1 << true << 3;
    QTest::newRow("60 x 60, every 7th") << 60 << 60 << 1 << 7 << false << 516; // 0..3598 step 7, and 3599
}

void TestSlides::frameCounts()
{
    QFETCH(int, rows);
    QFETCH(int, cols);
    QFETCH(int, stride);
    QFETCH(int, every);
    QFETCH(bool, rowByRow);
    QFETCH(int, frames);
    Session session;
    prepare(session, rows, cols, Amount::Same, stride);
    ExportOptions options;
    options.every = every;
    options.rowByRow = rowByRow;
    QCOMPARE(Exporter(session, options).frameCount(), frames);

    ExportDialog dialog(session, ExportView::All, true, false);
    if (rowByRow)
        dialog.setRowByRow(true);
    else
        dialog.setEvery(every);
    QCOMPARE(dialog.frameCount(), frames);
    QVERIFY2(dialog.findChild<QLabel *>(QStringLiteral("frames"))->text().startsWith(QLocale().toString(frames) + ' '),
             qPrintable(dialog.summaryText()));

    if (frames <= 30) {
        // The file has as many frames as the dialog said.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("slide.gif"));
        Exporter exporter(session, dialog.options());
        QVERIFY2(exporter.exportTo(path), qPrintable(exporter.errorString()));
        QCOMPARE(gifImageCount(path), frames);
    }
}

void TestSlides::scaleGrowsCellsAndText_data()
{
    QTest::addColumn<ExportView>("view");
    QTest::addColumn<double>("scale");
    QTest::addColumn<double>("fontScale");
    QTest::newRow("all, twice") << ExportView::All << 2.0 << 1.0;
    QTest::newRow("all, half") << ExportView::All << 0.5 << 1.0;
    QTest::newRow("padded, three times, larger text") << ExportView::Padded << 3.0 << 1.5;
    QTest::newRow("window, 1.5") << ExportView::Window << 1.5 << 1.0;
}

void TestSlides::scaleGrowsCellsAndText()
{
    QFETCH(ExportView, view);
    QFETCH(double, scale);
    QFETCH(double, fontScale);
    Session session;
    prepare(session, 5, 6);
    ExportOptions options;
    options.view = view;
    options.look.fontScale = fontScale;
    const Exporter plain(session, options);
    options.scale = scale;
    const Exporter scaled(session, options);
    QCOMPARE(scaled.cellSize(), plain.cellSize() * scale);
    QCOMPARE(scaled.look().fontScale, fontScale * scale);
    // Everything grows together: the figure by the scale, within the rounding of its parts.
    const QSize a = plain.imageSize();
    const QSize b = scaled.imageSize();
    QVERIFY2(std::abs(b.width() - a.width() * scale) <= 4 * scale + 4, qPrintable(QStringLiteral("%1 -> %2").arg(a.width()).arg(b.width())));
    QVERIFY2(std::abs(b.height() - a.height() * scale) <= 4 * scale + 4, qPrintable(QStringLiteral("%1 -> %2").arg(a.height()).arg(b.height())));
    // The drawn image is that size, and the numbers grew with the cells.
    const QImage small = plain.renderImage();
    QCOMPARE(scaled.renderImage().size(), b);
    QCOMPARE(small.size(), a);
    if (view != ExportView::Window) {
        QImage image(b, QImage::Format_RGB32);
        QPainter painter(&image);
        const double px = scaled.paint(painter, 0, false);
        QImage smallImage(a, QImage::Format_RGB32);
        QPainter smallPainter(&smallImage);
        const double smallPx = plain.paint(smallPainter, 0, false);
        if (smallPx > 0 && px > 0)
            QVERIFY2(std::abs(px - smallPx * scale) <= 1.0 + 0.05 * px, qPrintable(QStringLiteral("%1 -> %2").arg(smallPx).arg(px)));
        else
            QVERIFY(scale < 1); // numbers too small to write only when shrunk
    }
}

void TestSlides::targetWidth_data()
{
    QTest::addColumn<ExportView>("view");
    QTest::addColumn<int>("width");
    QTest::newRow("all, 1280") << ExportView::All << 1280;
    QTest::newRow("all, 1920") << ExportView::All << 1920;
    QTest::newRow("all, 4000") << ExportView::All << 4000;
    QTest::newRow("output, 800") << ExportView::Output << 800;
    QTest::newRow("input, 640") << ExportView::Input << 640;
}

void TestSlides::targetWidth()
{
    QFETCH(ExportView, view);
    QFETCH(int, width);
    Session session;
    prepare(session, 12, 12);
    ExportDialog dialog(session, view, false, false);
    dialog.setTargetWidth(width);
    const QSize size = dialog.imageSize();
    QVERIFY2(size.width() <= width && size.width() >= width * 0.97,
             qPrintable(QStringLiteral("%1 for %2").arg(size.width()).arg(width)));
    QCOMPARE(Exporter(session, dialog.options()).imageSize(), size);
    QVERIFY2(dialog.findChild<QLabel *>(QStringLiteral("pixels"))->text().startsWith(
                 QStringLiteral("%1 × %2 ").arg(size.width()).arg(size.height())),
             qPrintable(dialog.summaryText()));
}

void TestSlides::tabViewOffered_data()
{
    QTest::addColumn<ExportView>("view");
    QTest::addColumn<QString>("label");
    QTest::newRow("signal") << ExportView::Signal << "Signal";
    QTest::newRow("stages") << ExportView::Stages << "Stages";
    QTest::newRow("channels") << ExportView::Channels << "Channels";
    QTest::newRow("transposed") << ExportView::Transposed << "Transposed";
    QTest::newRow("volume") << ExportView::Volume << "Volume";
}

void TestSlides::tabViewOffered()
{
    // Opened on a tab of its own, the dialog offers that view by name and exports it (not the
    // four panels, nor an unnamed entry).
    QFETCH(ExportView, view);
    QFETCH(QString, label);
    Session session;
    prepare(session, 8, 8);
    ExportDialog dialog(session, view, false, false);
    const auto *box = dialog.findChild<QComboBox *>(QStringLiteral("view"));
    QVERIFY(box);
    QCOMPARE(box->count(), 1);
    QCOMPARE(box->currentText(), label);
    QCOMPARE(dialog.options().view, view);
}

void TestSlides::dialogFigures_data()
{
    QTest::addColumn<QString>("suffix");
    QTest::addColumn<int>("every");
    QTest::addColumn<double>("fps");
    QTest::addColumn<double>("scale");
    QTest::newRow("gif, every step, 10 fps") << "gif" << 1 << 10.0 << 1.0;
    QTest::newRow("gif, every 3rd, 4 fps, half") << "gif" << 3 << 4.0 << 0.5;
    QTest::newRow("mp4, every 2nd, 25 fps") << "mp4" << 2 << 25.0 << 1.0;
    QTest::newRow("png, twice") << "png" << 1 << 10.0 << 2.0;
    QTest::newRow("svg") << "svg" << 1 << 10.0 << 1.0;
    QTest::newRow("pdf") << "pdf" << 1 << 10.0 << 1.0;
}

void TestSlides::dialogFigures()
{
    QFETCH(QString, suffix);
    QFETCH(int, every);
    QFETCH(double, fps);
    QFETCH(double, scale);
    Session session;
    prepare(session, 5, 6);
    const bool animation = suffix == "gif" || suffix == "mp4";
    ExportDialog dialog(session, ExportView::All, animation, false);
    QTemporaryDir dir;
    const QString path = dir.filePath("figure." + suffix);
    dialog.setPath(path);
    dialog.setScale(scale);
    dialog.setEvery(every);
    dialog.setFps(fps);
    QCOMPARE(dialog.path(), path);

    ExportOptions expected;
    expected.every = every;
    expected.fps = fps;
    expected.scale = scale;
    expected.look = session.look();
    const Exporter reference(session, expected);
    const long long frames = animation ? reference.frameCount() : 1;
    QCOMPARE(dialog.frameCount(), frames);
    // A video's frames are even-sized.
    const QSize image = suffix == "mp4" ? QSize(reference.imageSize().width() + reference.imageSize().width() % 2,
                                                reference.imageSize().height() + reference.imageSize().height() % 2)
                                        : reference.imageSize();
    QCOMPARE(dialog.imageSize(), image);
    QCOMPARE(dialog.durationSeconds(), animation ? double(frames) / fps : 0.0);
    const QString summary = dialog.summaryText();
    QVERIFY2(summary.contains(QStringLiteral("%1 × %2 pixels").arg(image.width()).arg(image.height())),
             qPrintable(summary));

    // The expected size is near what is written: exact for stills, close for a GIF.
    const std::optional<qint64> bytes = dialog.expectedBytes();
    QVERIFY(bytes);
    if (suffix == "mp4") {
        QVERIFY(*bytes > 0);
        return;
    }
    Exporter exporter(session, dialog.options());
    QVERIFY2(exporter.exportTo(path), qPrintable(exporter.errorString()));
    const qint64 written = QFileInfo(path).size();
    if (suffix == "gif")
        QVERIFY2(std::abs(double(*bytes - written)) <= 0.25 * written, qPrintable(QStringLiteral("%1 of %2").arg(*bytes).arg(written)));
    else if (suffix == "pdf")
        QVERIFY2(std::abs(double(*bytes - written)) <= 200, qPrintable(QStringLiteral("%1 of %2").arg(*bytes).arg(written))); // dates
    else
        QCOMPARE(*bytes, written);
}

void TestSlides::defaultFramesFitASlide_data()
{
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    QTest::addColumn<bool>("rowByRow");
    QTest::addColumn<int>("every");
    QTest::addColumn<int>("frames");
    QTest::newRow("28 x 28 digit: every position") << 28 << 28 << false << 1 << 784;
    QTest::newRow("40 x 50: 2000 positions, every one") << 40 << 50 << false << 1 << 2000;
    QTest::newRow("526 x 800 photo: row by row") << 526 << 800 << true << 1 << 526;
    // 75,000 positions in 2,500 rows: every 38th, 0 .. 74,974, and the last.
    QTest::newRow("2500 x 30: every 38th position") << 2500 << 30 << false << 38 << 1975;
}

void TestSlides::defaultFramesFitASlide()
{
    QFETCH(int, rows);
    QFETCH(int, cols);
    QFETCH(bool, rowByRow);
    QFETCH(int, every);
    QFETCH(int, frames);
    Session session;
    prepare(session, rows, cols, Amount::Same);
    ExportDialog dialog(session, ExportView::All, true, false);
    QCOMPARE(dialog.options().rowByRow, rowByRow);
    QCOMPARE(dialog.options().every, every);
    QCOMPARE(dialog.findChild<QSpinBox *>(QStringLiteral("every"))->suffix(),
             every == 1 ? QStringLiteral(" window position") : QStringLiteral(" window positions"));
    QCOMPARE(dialog.frameCount(), frames);
    QVERIFY(!dialog.needsConfirmation());
    // A still has no frames to choose.
    ExportDialog still(session, ExportView::All, false, false);
    QCOMPARE(still.frameCount(), 1);
}

void TestSlides::dialogSizeFitsASlide_data()
{
    QTest::addColumn<QString>("suffix");
    QTest::addColumn<ExportView>("view");
    QTest::newRow("digit, all, gif") << "gif" << ExportView::All;
    QTest::newRow("digit, all, mp4") << "mp4" << ExportView::All;
    QTest::newRow("digit, padded, gif") << "gif" << ExportView::Padded;
    QTest::newRow("digit, all, png") << "png" << ExportView::All;
}

// The dialog starts at scale 1: a still's cells for readable numbers, an animation's smaller, to
// fit a 1920 x 1080 slide, with its text as large as a still's; the scale, the width and the
// size line all say what is written.
void TestSlides::dialogSizeFitsASlide()
{
    QFETCH(QString, suffix);
    QFETCH(ExportView, view);
    Session session;
    session.setSource(padlab::ui::makeSample(QStringLiteral("digit")), QStringLiteral("digit"));
    session.waitUntilIdle();
    const bool animation = suffix != QLatin1String("png");
    // The dialog opens on the composite; another view is fitted anew.
    ExportDialog dialog(session, ExportView::All, animation, false);
    QTemporaryDir dir;
    const QString path = dir.filePath("digit." + suffix);
    dialog.setPath(path);
    dialog.setView(view);
    dialog.setRowByRow(true);
    const QSize size = dialog.imageSize();
    const double scale = dialog.findChild<QDoubleSpinBox *>(QStringLiteral("scale"))->value();
    const int width = dialog.findChild<QSpinBox *>(QStringLiteral("width"))->value();
    QCOMPARE(width, size.width());
    QVERIFY2(dialog.findChild<QLabel *>(QStringLiteral("pixels"))->text().startsWith(
                 QStringLiteral("%1 × %2 ").arg(size.width()).arg(size.height())),
             qPrintable(dialog.summaryText()));
    QCOMPARE(scale, 1.0);
    ExportOptions still;
    still.view = view;
    const Exporter stillExporter(session, still);
    const QSize full = stillExporter.imageSize();
    const Exporter chosen(session, dialog.options());
    // Text as large as a still's.
    QCOMPARE(chosen.look().fontScale, stillExporter.look().fontScale);
    if (animation) {
        QVERIFY2(size.width() <= 1920 && size.height() <= 1080 && (size.width() >= 1700 || size.height() >= 1000),
                 qPrintable(QStringLiteral("%1 x %2").arg(size.width()).arg(size.height())));
        QVERIFY(chosen.cellSize() < stillExporter.cellSize());
    } else {
        QCOMPARE(size, full);
    }
    QVERIFY(full.width() > 1920 || full.height() > 1080); // too large for a slide

    // What is written is what the dialog said.
    Exporter exporter(session, dialog.options());
    QVERIFY2(exporter.exportTo(path), qPrintable(exporter.errorString()));
    QSize written;
    if (suffix == QLatin1String("gif")) {
        QVERIFY(gifImageCount(path, &written) > 0);
    } else if (suffix == QLatin1String("mp4")) {
        cv::VideoCapture video(QFile::encodeName(path).toStdString());
        cv::Mat frame;
        QVERIFY(video.read(frame));
        written = QSize(frame.cols, frame.rows);
    } else {
        written = QImage(path).size();
    }
    QCOMPARE(written, size);

    // A scale chosen grows that figure, and the width follows it.
    dialog.setScale(2);
    QVERIFY2(std::abs(dialog.imageSize().width() - 2 * size.width()) <= 8,
             qPrintable(QStringLiteral("%1 for %2").arg(dialog.imageSize().width()).arg(size.width())));
    QCOMPARE(dialog.findChild<QSpinBox *>(QStringLiteral("width"))->value(), dialog.imageSize().width());
    // A width chosen is kept, and the scale follows it.
    dialog.setTargetWidth(size.width() / 2);
    QVERIFY2(std::abs(dialog.findChild<QDoubleSpinBox *>(QStringLiteral("scale"))->value() - 0.5) <= 0.02,
             qPrintable(dialog.summaryText()));
}

void TestSlides::confirmsLongAnimations_data()
{
    QTest::addColumn<int>("every");
    QTest::addColumn<bool>("answer");
    QTest::addColumn<bool>("asked");
    QTest::addColumn<bool>("accepted");
    // 60 × 60 valid, 3 × 3: 58 × 58 = 3,364 positions.
    QTest::newRow("3364 frames, yes") << 1 << true << true << true;
    QTest::newRow("3364 frames, no") << 1 << false << true << false;
    QTest::newRow("every 2nd: 1683 frames, not asked") << 2 << false << false << true;
}

void TestSlides::confirmsLongAnimations()
{
    QFETCH(int, every);
    QFETCH(bool, answer);
    QFETCH(bool, asked);
    QFETCH(bool, accepted);
    Session session;
    prepare(session, 60, 60, Amount::Valid);
    ExportDialog dialog(session, ExportView::All, true, false);
    QTemporaryDir dir;
    dialog.setPath(dir.filePath(QStringLiteral("long.gif")));
    dialog.setEvery(every);
    QCOMPARE(dialog.needsConfirmation(), asked);
    QStringList questions;
    dialog.setConfirmation([&](const QString &question) {
        questions << question;
        return answer;
    });
    dialog.accept();
    QCOMPARE(questions.size(), asked ? 1 : 0);
    if (asked)
        QVERIFY2(questions.first().contains(QLocale().toString(3364)), qPrintable(questions.first()));
    QCOMPARE(dialog.result() == QDialog::Accepted, accepted);
    QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("long.gif")))); // the dialog writes nothing
}

void TestSlides::compositeNumbersReadable_data()
{
    QTest::addColumn<QString>("sample");
    QTest::addColumn<double>("fontScale");
    QTest::newRow("digit, text 100 %") << "digit" << 1.0;
    QTest::newRow("digit, text 150 %") << "digit" << 1.5;
}

void TestSlides::compositeNumbersReadable()
{
    QFETCH(QString, sample);
    QFETCH(double, fontScale);
    Session session;
    session.setSource(padlab::ui::makeSample(sample), sample);
    session.waitUntilIdle();
    QCOMPARE(session.input().rows, 28);
    ExportOptions options;
    options.look.fontScale = fontScale;
    const Exporter exporter(session, options);
    QImage image(exporter.imageSize(), QImage::Format_RGB32);
    QPainter painter(&image);
    const double px = exporter.paint(painter, 0, false);
    // Every grid writes its numbers, the smallest at least 14 pixels at text size 1.
    QVERIFY2(px >= 14 * fontScale - 0.01, qPrintable(QString::number(px)));
    QVERIFY(exporter.cellSize() >= padlab::ui::kMinValueCell);
}

void TestSlides::svgTextCentred_data()
{
    QTest::addColumn<ExportView>("view");
    QTest::addColumn<double>("cellSize");
    QTest::addColumn<bool>("dark");
    QTest::newRow("input, 40 px") << ExportView::Input << 40.0 << false;
    QTest::newRow("padded, 36 px, dark") << ExportView::Padded << 36.0 << true;
    QTest::newRow("output, 48 px") << ExportView::Output << 48.0 << false;
    QTest::newRow("all, picked size") << ExportView::All << 0.0 << false;
}

void TestSlides::svgTextCentred()
{
    QFETCH(ExportView, view);
    QFETCH(double, cellSize);
    QFETCH(bool, dark);
    Session session;
    prepare(session, 4, 5);
    ExportOptions options;
    options.view = view;
    options.cellSize = cellSize;
    options.look.dark = dark;
    Exporter exporter(session, options);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("figure.svg"));
    QVERIFY2(exporter.exportTo(path), qPrintable(exporter.errorString()));

    struct Text {
        double x;
        double y;
        QString anchor;
        QString family;
    };
    std::multimap<QString, Text> texts;
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&file);
    int count = 0;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement || xml.name() != QLatin1String("text"))
            continue;
        const auto a = xml.attributes();
        const Text t{a.value("x").toDouble(), a.value("y").toDouble(), a.value("text-anchor").toString(),
                     a.value("font-family").toString()};
        // Every text, numbers and titles alike, is anchored at its middle in a generic family.
        QCOMPARE(t.anchor, QStringLiteral("middle"));
        QCOMPARE(t.family, QStringLiteral("sans-serif"));
        texts.emplace(xml.readElementText(), t);
        ++count;
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY(count > 0);
    // Each cell number sits at its cell's centre.
    const padlab::ui::Snapshot &shown = *session.snapshot();
    for (Panel panel : {Panel::Input, Panel::Padded, Panel::Output}) {
        const bool shownPanel = view == ExportView::All || (panel == Panel::Input && view == ExportView::Input)
                                || (panel == Panel::Padded && view == ExportView::Padded)
                                || (panel == Panel::Output && view == ExportView::Output);
        if (!shownPanel)
            continue;
        const cv::Mat &values = panel == Panel::Input ? shown.input
                                : panel == Panel::Padded ? shown.result.padded : shown.result.output;
        for (int r = 0; r < values.rows; ++r)
            for (int c = 0; c < values.cols; ++c) {
                const QString number = padlab::ui::cellNumber(values.at<double>(r, c));
                const QRectF cell = exporter.cellRect(panel, QPoint(c, r));
                bool found = false;
                const auto [from, to] = texts.equal_range(number);
                for (auto it = from; it != to; ++it)
                    found |= std::abs(it->second.x - cell.center().x()) < 0.05 && it->second.y > cell.top()
                             && it->second.y < cell.bottom();
                QVERIFY2(found, qPrintable(QStringLiteral("'%1' of cell (%2, %3) not at x %4").arg(number).arg(r).arg(c).arg(cell.center().x())));
            }
    }
}

void TestSlides::gifColoursExact_data()
{
    QTest::addColumn<QList<int>>("greys");
    QTest::newRow("226 alone") << QList<int>{226};
    QTest::newRow("page, cells and text greys") << QList<int>{250, 226, 128, 20, 0, 255};
    QList<int> many;
    for (int g = 0; g < 255; ++g)
        many << g;
    QTest::newRow("255 greys") << many;
}

void TestSlides::gifColoursExact()
{
    QFETCH(QList<int>, greys);
    const QImage frame = bands(greys);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("greys.gif"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        padlab::ui::GifWriter gif(&file);
        QVERIFY(gif.open(frame.size(), padlab::ui::GifWriter::paletteFor({frame})));
        QVERIFY(gif.addFrame(frame, 10));
        QVERIFY(gif.close());
    }
    const QImage read = firstGifFrame(path);
    QCOMPARE(read.size(), frame.size());
    for (int x = 0; x < frame.width(); ++x)
        for (int y = 0; y < frame.height(); ++y)
            QVERIFY2((read.pixel(x, y) & 0xffffff) == (frame.pixel(x, y) & 0xffffff),
                     qPrintable(QStringLiteral("(%1, %2): %3 for %4").arg(x).arg(y)
                                    .arg(read.pixel(x, y) & 0xffffff, 6, 16).arg(frame.pixel(x, y) & 0xffffff, 6, 16)));
}

void TestSlides::gifManyColoursKeepFrequentOnes()
{
    // Wide bands of three greys (cells) and a strip of 400 colours seen once each (smoothed
    // text edges): the palette cannot hold them all, the cells' greys stay exact.
    QImage frame(400, 40, QImage::Format_RGB32);
    const int greys[] = {226, 128, 20};
    for (int x = 0; x < frame.width(); ++x) {
        for (int y = 0; y < 39; ++y)
            frame.setPixel(x, y, qRgb(greys[x * 3 / frame.width()], greys[x * 3 / frame.width()], greys[x * 3 / frame.width()]));
        frame.setPixel(x, 39, qRgb(x % 256, (x * 7) % 256, 255 - x % 200));
    }
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("many.gif"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        padlab::ui::GifWriter gif(&file);
        const std::vector<QRgb> palette = padlab::ui::GifWriter::paletteFor({frame});
        QVERIFY(palette.size() <= 255);
        QVERIFY(gif.open(frame.size(), palette));
        QVERIFY(gif.addFrame(frame, 10));
        QVERIFY(gif.close());
    }
    const QImage read = firstGifFrame(path);
    QCOMPARE(read.size(), frame.size());
    for (int x = 0; x < frame.width(); ++x)
        for (int y = 0; y < 39; ++y)
            QCOMPARE(read.pixel(x, y) & 0xffffff, frame.pixel(x, y) & 0xffffff);
}

void TestSlides::gifExportKeepsCellGreys()
{
    // An 8-bit input whose bottom row is 226: those cells are (226, 226, 226) in the window, and
    // in the GIF.
    Session session;
    const cv::Mat input = (cv::Mat_<uchar>(3, 3) << 0, 40, 255, 90, 180, 20, 226, 226, 226);
    session.setSource(input, QStringLiteral("grey"));
    session.setPreset(QStringLiteral("box-3"));
    session.waitUntilIdle();
    ExportOptions options;
    options.view = ExportView::Input;
    options.cellSize = 40;
    Exporter exporter(session, options);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("grey.gif"));
    QVERIFY2(exporter.exportTo(path), qPrintable(exporter.errorString()));
    const QImage read = firstGifFrame(path);
    const QImage drawn = exporter.renderFrame(0);
    QCOMPARE(read.size(), drawn.size());
    // A cell's corner, away from its number and the window's frame.
    const QRectF cell = exporter.cellRect(Panel::Input, QPoint(1, 2)); // where the window is not
    const QPoint corner = (cell.topLeft() + QPointF(cell.width() * 0.8, cell.height() * 0.85)).toPoint();
    QCOMPARE(drawn.pixel(corner) & 0xffffff, qRgb(226, 226, 226) & 0xffffff);
    QCOMPARE(read.pixel(corner) & 0xffffff, qRgb(226, 226, 226) & 0xffffff);
}

void TestSlides::defaultName_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<ExportView>("view");
    QTest::addColumn<QString>("suffix");
    QTest::addColumn<bool>("writable");
    QTest::addColumn<QString>("name");
    QTest::newRow("rose, window, png") << "rose.png" << ExportView::Window << "png" << true << "rose-window.png";
    QTest::newRow("digit, all, gif") << "digit.png" << ExportView::All << "gif" << true << "digit-all.gif";
    QTest::newRow("same extension as the input") << "plot.png" << ExportView::Input << "png" << true << "plot-input.png";
    QTest::newRow("spaces in the name") << "my photo.png" << ExportView::Output << "svg" << true << "my-photo-output.svg";
    QTest::newRow("brackets and spaces") << "scan (2) final.png" << ExportView::Window << "png" << true << "scan-2-final-window.png";
    QTest::newRow("read-only folder: Pictures") << "rose.png" << ExportView::Padded << "pdf" << false << "rose-padded.pdf";
    QTest::newRow("a sample: Pictures") << QString() << ExportView::All << "png" << false << "digit-all.png";
}

void TestSlides::defaultName()
{
    QFETCH(QString, input);
    QFETCH(ExportView, view);
    QFETCH(QString, suffix);
    QFETCH(bool, writable);
    QFETCH(QString, name);
    QTemporaryDir dir;
    Session session;
    QString inputPath;
    if (input.isEmpty()) {
        // As the window opens it: named by its menu title.
        session.setSource(padlab::ui::makeSample(QStringLiteral("digit")), padlab::ui::samples().constFirst().title);
        QCOMPARE(padlab::ui::samples().constFirst().id, QStringLiteral("digit"));
        session.waitUntilIdle();
        const QString path = Exporter::defaultPath(session, view, suffix);
        QCOMPARE(QFileInfo(path).fileName(), name);
        QCOMPARE(QFileInfo(path).absolutePath(),
                 QFileInfo(QStandardPaths::writableLocation(QStandardPaths::PicturesLocation)).absoluteFilePath());
        return;
    }
    inputPath = writeImage(dir.path(), input, 8, 9);
    QVERIFY(session.openFile(inputPath));
    session.waitUntilIdle();
    if (!writable)
        QVERIFY(QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::ExeOwner));
    const QString path = Exporter::defaultPath(session, view, suffix);
    QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QCOMPARE(QFileInfo(path).fileName(), name);
    const QString folder = writable || QFileInfo(dir.path()).isWritable() // root writes anywhere
                               ? dir.path()
                               : QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    if (writable)
        QCOMPARE(QFileInfo(path).absolutePath(), QFileInfo(dir.path()).absoluteFilePath());
    else
        QVERIFY2(QFileInfo(path).absolutePath() != QFileInfo(dir.path()).absoluteFilePath() || folder == dir.path(),
                 qPrintable(path));
    QVERIFY(QFileInfo(path) != QFileInfo(inputPath));

    // The dialog proposes it.
    ExportDialog dialog(session, view, suffix == "gif" || suffix == "mp4", false);
    if (suffix == "png" || suffix == "gif")
        QCOMPARE(dialog.path(), Exporter::defaultPath(session, view, suffix));
}

void TestSlides::exporterRefusesInput_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("target"); // relative to the folder; "link" is a link to the input
    QTest::addColumn<ExportView>("view");
    QTest::newRow("png over itself") << "rose.png" << "rose.png" << ExportView::All;
    QTest::newRow("another spelling") << "rose.png" << "./sub/../rose.png" << ExportView::Input;
    QTest::newRow("through a link") << "rose.png" << "link.png" << ExportView::Padded;
    QTest::newRow("csv over its own csv") << "values.csv" << "values.csv" << ExportView::Output;
}

void TestSlides::exporterRefusesInput()
{
    QFETCH(QString, input);
    QFETCH(QString, target);
    QFETCH(ExportView, view);
    QTemporaryDir dir;
    QDir(dir.path()).mkdir(QStringLiteral("sub"));
    QString inputPath;
    if (input.endsWith(".csv")) {
        inputPath = dir.filePath(input);
        QVERIFY(padlab::test::writeBytes(inputPath, "1,2,3\n4,5,6\n7,8,9\n"));
    } else {
        inputPath = writeImage(dir.path(), input, 6, 7);
    }
    QVERIFY(QFile::link(inputPath, dir.filePath(QStringLiteral("link.png"))));
    const QByteArray before = readBytes(inputPath);
    Session session;
    QVERIFY(session.openFile(inputPath));
    session.waitUntilIdle();
    ExportOptions options;
    options.view = view;
    Exporter exporter(session, options);
    QVERIFY(!exporter.exportTo(dir.filePath(target)));
    QVERIFY2(exporter.errorString().contains(QStringLiteral("input")) && exporter.errorString().contains(input),
             qPrintable(exporter.errorString()));
    QCOMPARE(readBytes(inputPath), before);
    // Another name is written.
    QVERIFY2(exporter.exportTo(dir.filePath("other." + QFileInfo(input).suffix())), qPrintable(exporter.errorString()));
    QCOMPARE(readBytes(inputPath), before);
}

void TestSlides::commandLineRefusesInput_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QStringList>("arguments"); // INPUT stands for the input's path, LINK for a link to it
    QTest::newRow("render png over itself") << "rose.png" << QStringList{"render", "INPUT", "-o", "INPUT"};
    QTest::newRow("render csv over itself")
        << "values.csv" << QStringList{"render", "INPUT", "--view", "input", "-o", "INPUT"};
    QTest::newRow("render through a link") << "rose.png" << QStringList{"render", "INPUT", "-o", "LINK"};
    QTest::newRow("conv over itself")
        << "values.csv" << QStringList{"conv", "INPUT", "--kernel", "box-3", "-o", "INPUT"};
    QTest::newRow("pad over itself") << "values.csv" << QStringList{"pad", "INPUT", "--pad", "1", "-o", "INPUT"};
    QTest::newRow("pad image through a link") << "rose.png" << QStringList{"pad", "INPUT", "-o", "LINK"};
    QTest::newRow("conv over its kernel file")
        << "values.csv" << QStringList{"conv", "values-copy.csv", "--kernel", "INPUT", "-o", "INPUT"};
}

void TestSlides::commandLineRefusesInput()
{
    QFETCH(QString, input);
    QFETCH(QStringList, arguments);
    QTemporaryDir dir;
    QString inputPath;
    if (input.endsWith(".csv")) {
        inputPath = dir.filePath(input);
        QVERIFY(padlab::test::writeBytes(inputPath, "1,2,3\n4,5,6\n7,8,9\n"));
        QVERIFY(padlab::test::writeBytes(dir.filePath("values-copy.csv"), "1,2,3\n4,5,6\n7,8,9\n"));
    } else {
        inputPath = writeImage(dir.path(), input, 6, 7);
    }
    const QString link = dir.filePath("link." + QFileInfo(input).suffix());
    QVERIFY(QFile::link(inputPath, link));
    arguments.replaceInStrings(QRegularExpression("^INPUT$"), input);
    arguments.replaceInStrings(QRegularExpression("^LINK$"), QFileInfo(link).fileName());
    const QByteArray before = readBytes(inputPath);
    const QStringList entries = padlab::test::entries(dir.path());
    const padlab::test::Run run = runPadlab(dir.path(), arguments);
    QVERIFY(run.finished);
    QVERIFY(!run.crashed);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.startsWith("padlab: error: ") && run.err.contains(input.toUtf8()), run.err.constData());
    QCOMPARE(run.err.count('\n'), 1);
    QCOMPARE(readBytes(inputPath), before);
    QCOMPARE(padlab::test::entries(dir.path()), entries);
}

QTEST_MAIN(TestSlides)
#include "tst_slides.moc"

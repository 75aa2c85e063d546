#include "gifread.h"
#include "testutil.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

#include "exporter.h"
#include "lesson.h"
#include "session.h"


namespace {

using padlab::test::firstGifFrame;
using padlab::test::gifImageCount;
using padlab::test::titleInkHeight;

constexpr int kTitleBand = 30; // the title band at text size 1

struct Run {
    int status = -1;
    QByteArray out;
    QByteArray err;
};

/// Runs padlab with no display at all: no DISPLAY, no WAYLAND_DISPLAY, no QT_QPA_PLATFORM.
Run runPadlab(const QStringList &arguments, const QString &folder)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        environment.remove(QString::fromLatin1(name));
    process.setProcessEnvironment(environment);
    process.setWorkingDirectory(folder);
    process.start(QStringLiteral(PADLAB_EXECUTABLE), arguments);
    if (!process.waitForFinished(120000))
        return {};
    return {process.exitCode(), process.readAllStandardOutput(), process.readAllStandardError()};
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

/// A 28 x 28 input of three-digit values, as CSV: a digit's size.
QByteArray input28()
{
    QByteArray csv;
    for (int r = 0; r < 28; ++r) {
        QStringList row;
        for (int c = 0; c < 28; ++c)
            row << QString::number((r * 37 + c * 11) % 256);
        csv += row.join(',').toLatin1() + '\n';
    }
    return csv;
}

// A 6 x 7 ramp, written as CSV.
const QByteArray kInput = "0,1,2,3,4,5,6\n10,11,12,13,14,15,16\n20,21,22,23,24,25,26\n"
                          "30,31,32,33,34,35,36\n40,41,42,43,44,45,46\n50,51,52,53,54,55,56\n";

} // namespace

class TestRender : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void png_data();
    void png();
    void svg();
    void gif_data();
    void gif();
    void animationSize_data();
    void animationSize();
    void csvAgreesWithConv_data();
    void csvAgreesWithConv();
    void errors_data();
    void errors();
    void lesson_data();
    void lesson();
    void malformedLesson();
    void teachingViews_data();
    void teachingViews();
    void lessonInTeachingView_data();
    void lessonInTeachingView();

private:
    /// A lesson on the ramp: same, reflect, sobel-y, at step 9.
    void writeRampLesson();
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestRender::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    writeFile(m_dir->filePath(QStringLiteral("ramp.csv")), kInput);
}

void TestRender::png_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QSize>("atLeast");
    QTest::newRow("all four panels") << QStringList{"--pad", "same"} << QSize(4 * 6 * 32, 6 * 32);
    QTest::newRow("padded at scale 50") << QStringList{"--view", "padded", "--pad", "full", "--scale", "50"}
                                        << QSize(11 * 50, 10 * 50);
    QTest::newRow("output, dark, last step")
        << QStringList{"--view", "output", "--dark", "--step", "20", "--kernel", "box-3", "--pad", "valid"}
        << QSize(5 * 32, 4 * 32);
}

void TestRender::png()
{
    QFETCH(QStringList, options);
    QFETCH(QSize, atLeast);
    const Run run = runPadlab(QStringList{"render", "ramp.csv", "-o", "figure.png"} + options, m_dir->path());
    QCOMPARE(run.err, QByteArray());
    QCOMPARE(run.status, 0);
    QImage image;
    QVERIFY(image.load(m_dir->filePath(QStringLiteral("figure.png")), "PNG"));
    QVERIFY2(image.width() >= atLeast.width() && image.height() >= atLeast.height(),
             qPrintable(QStringLiteral("%1 x %2").arg(image.width()).arg(image.height())));
    // The window's colour is drawn somewhere, so the panels were painted, not just filled.
    const QRgb dark = qRgb(70, 160, 255);
    const QRgb light = qRgb(0, 90, 255);
    const bool darkTheme = options.contains(QStringLiteral("--dark"));
    const QRgb wanted = options.contains(QStringLiteral("output")) ? (darkTheme ? qRgb(60, 230, 110) : qRgb(0, 170, 60))
                                                                   : (darkTheme ? dark : light);
    bool found = false;
    for (int y = 0; y < image.height() && !found; ++y)
        for (int x = 0; x < image.width() && !found; ++x)
            found = (image.pixel(x, y) & 0xffffff) == (wanted & 0xffffff);
    QVERIFY(found);
}

void TestRender::svg()
{
    const Run run = runPadlab({"render", "ramp.csv", "--pad", "same", "--view", "padded", "--scale", "24", "-o",
                            "figure.svg"},
                           m_dir->path());
    QCOMPARE(run.status, 0);
    QFile file(m_dir->filePath(QStringLiteral("figure.svg")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&file);
    int cells = 0;
    while (!xml.atEnd()) {
        if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("rect")
            && xml.attributes().value("width").toDouble() == 24 && xml.attributes().value("height").toDouble() == 24)
            ++cells;
    }
    QVERIFY(!xml.hasError());
    QCOMPARE(cells, 8 * 9); // the padded input of a 6 x 7 ramp with 'same' padding of 3 x 3
}

void TestRender::gif_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<int>("frames");
    QTest::newRow("every position") << QStringList{"--pad", "same"} << 6 * 7;
    QTest::newRow("valid, stride 2") << QStringList{"--pad", "valid", "--stride", "2"} << 2 * 3;
    QTest::newRow("the window's same by default, stride 2") << QStringList{"--stride", "2"} << 3 * 4;
    QTest::newRow("row by row") << QStringList{"--pad", "same", "--row-by-row", "--fps", "4"} << 6;
    QTest::newRow("every 10th") << QStringList{"--pad", "same", "--every", "10"} << 6;
}

void TestRender::gif()
{
    QFETCH(QStringList, options);
    QFETCH(int, frames);
    const Run run = runPadlab(QStringList{"render", "ramp.csv", "-o", "slide.gif"} + options, m_dir->path());
    QCOMPARE(run.err, QByteArray());
    QCOMPARE(run.status, 0);
    QCOMPARE(gifImageCount(m_dir->filePath(QStringLiteral("slide.gif"))), frames);
}

void TestRender::animationSize_data()
{
    QTest::addColumn<QStringList>("scale");
    QTest::addColumn<bool>("fitted");
    QTest::newRow("default: fits a slide") << QStringList{} << true;
    QTest::newRow("--scale 20: as asked") << QStringList{"--scale", "20"} << false;
}

// Without --scale a GIF's frames fit 1920 x 1080 (smaller cells, the text as large) while a PNG
// keeps cells for readable numbers; --scale is what is written either way.
void TestRender::animationSize()
{
    QFETCH(QStringList, scale);
    QFETCH(bool, fitted);
    writeFile(m_dir->filePath(QStringLiteral("in28.csv")), input28());
    const QStringList common{"render", "in28.csv", "--pad", "same", "--row-by-row"};
    Run run = runPadlab(common + scale + QStringList{"-o", "figure.png"}, m_dir->path());
    QCOMPARE(run.err, QByteArray());
    QCOMPARE(run.status, 0);
    QImage figure;
    QVERIFY(figure.load(m_dir->filePath(QStringLiteral("figure.png")), "PNG"));
    QVERIFY2(figure.width() > 1920, qPrintable(QString::number(figure.width())));
    run = runPadlab(common + scale + QStringList{"-o", "slide.gif"}, m_dir->path());
    QCOMPARE(run.err, QByteArray());
    QCOMPARE(run.status, 0);
    const QString gif = m_dir->filePath(QStringLiteral("slide.gif"));
    QCOMPARE(gifImageCount(gif), 28);
    QSize frame;
    gifImageCount(gif, &frame);
    if (fitted) {
        // Smaller cells, as large as fit.
        QVERIFY2(frame.width() <= 1920 && frame.height() <= 1080 && frame.width() >= 1700,
                 qPrintable(QStringLiteral("%1 x %2").arg(frame.width()).arg(frame.height())));
    } else {
        QCOMPARE(frame, figure.size());
    }
    // Titles as high as the still's: readable on a slide.
    const int stillTitle = titleInkHeight(figure, kTitleBand);
    const int frameTitle = titleInkHeight(firstGifFrame(gif), kTitleBand);
    QVERIFY2(stillTitle >= 10 && frameTitle >= stillTitle,
             qPrintable(QStringLiteral("title %1 px high in a frame, %2 in a still").arg(frameTitle).arg(stillTitle)));
}

void TestRender::csvAgreesWithConv_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::newRow("reflect, same") << QStringList{"--pad", "same", "--fill", "reflect", "--kernel", "sobel-y"};
    QTest::newRow("circular, stride 2") << QStringList{"--pad", "full", "--fill", "circular", "--stride", "2",
                                                       "--kernel", "1,2;3,4"};
}

void TestRender::csvAgreesWithConv()
{
    QFETCH(QStringList, options);
    const Run render = runPadlab(QStringList{"render", "ramp.csv", "-o", "render.csv"} + options, m_dir->path());
    QCOMPARE(render.status, 0);
    const Run conv = runPadlab(QStringList{"conv", "ramp.csv", "-o", "conv.csv"} + options, m_dir->path());
    QCOMPARE(conv.status, 0);
    const QByteArray rendered = readFile(m_dir->filePath(QStringLiteral("render.csv")));
    QVERIFY(!rendered.isEmpty());
    QCOMPARE(rendered, readFile(m_dir->filePath(QStringLiteral("conv.csv"))));
}

void TestRender::errors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown extension") << QStringList{"-o", "figure.bmp"} << "figure.bmp" << "unknown output format";
    QTest::newRow("missing folder") << QStringList{"-o", "nowhere/figure.png"} << "nowhere/figure.png"
                                    << "does not exist";
    QTest::newRow("unknown view") << QStringList{"-o", "figure.png", "--view", "kernel"} << "figure.png"
                                  << "--view";
    QTest::newRow("step past the output") << QStringList{"-o", "figure.png", "--step", "43", "--pad", "same"}
                                          << "figure.png" << "1 to 42";
    QTest::newRow("step 0") << QStringList{"-o", "figure.png", "--step", "0"} << "figure.png" << "count from 1";
    QTest::newRow("frame rate") << QStringList{"-o", "slide.gif", "--fps", "0"} << "slide.gif" << "--fps";
    QTest::newRow("csv of the window") << QStringList{"-o", "values.csv", "--view", "window"} << "values.csv"
                                       << "one matrix";
    QTest::newRow("no output") << QStringList{} << QString() << "-o";
    QTest::newRow("compare does not animate")
        << QStringList{"-o", "compare.gif", "--view", "compare"} << "compare.gif" << "does not move";
}

void TestRender::errors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, target);
    QFETCH(QString, message);
    // An existing file of that name stays as it was.
    const QByteArray before("kept");
    if (!target.isEmpty() && !target.contains('/'))
        writeFile(m_dir->filePath(target), before);
    const Run run = runPadlab(QStringList{"render", "ramp.csv"} + arguments, m_dir->path());
    QCOMPARE(run.status, 2);
    QVERIFY2(run.err.startsWith("padlab: error: ") && run.err.count('\n') == 1, run.err.constData());
    QVERIFY2(run.err.contains(message.toUtf8()), run.err.constData());
    QVERIFY(run.out.isEmpty());
    if (!target.isEmpty() && !target.contains('/'))
        QCOMPARE(readFile(m_dir->filePath(target)), before);
    QStringList expected{QStringLiteral("ramp.csv")};
    if (!target.isEmpty() && !target.contains('/'))
        expected << target;
    expected.sort();
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files | QDir::Hidden, QDir::Name), expected);
}

void TestRender::writeRampLesson()
{
    padlab::ui::Session session;
    QVERIFY(session.openFile(m_dir->filePath(QStringLiteral("ramp.csv"))));
    QVERIFY(session.setPreset(QStringLiteral("sobel-y")));
    session.setAmount(padlab::core::parsePadAmount("same"));
    session.setFill(padlab::core::Fill::Reflect);
    session.setStep(9);
    QString error;
    QVERIFY2(padlab::ui::writeLesson(padlab::ui::lessonFromSession(session),
                                     m_dir->filePath(QStringLiteral("ramp.padlab.json")), &error),
             qPrintable(error));
}

void TestRender::lesson_data()
{
    QTest::addColumn<QStringList>("renderOptions");
    QTest::addColumn<QStringList>("convOptions");
    QTest::newRow("the lesson's settings")
        << QStringList{} << QStringList{"--pad", "same", "--fill", "reflect", "--kernel", "sobel-y"};
    QTest::newRow("an option overrides the lesson")
        << QStringList{"--fill", "zeros"} << QStringList{"--pad", "same", "--fill", "zeros", "--kernel", "sobel-y"};
    QTest::newRow("another kernel")
        << QStringList{"--kernel", "1,1"} << QStringList{"--pad", "same", "--fill", "reflect", "--kernel", "1,1"};
}

void TestRender::lesson()
{
    QFETCH(QStringList, renderOptions);
    QFETCH(QStringList, convOptions);
    writeRampLesson();
    const Run render = runPadlab(QStringList{"render", "ramp.padlab.json", "-o", "render.csv", "--view", "output"} +
                                     renderOptions,
                                 m_dir->path());
    QVERIFY2(render.status == 0, render.err.constData());
    const Run conv = runPadlab(QStringList{"conv", "ramp.csv", "-o", "conv.csv"} + convOptions, m_dir->path());
    QCOMPARE(conv.status, 0);
    const QByteArray rendered = readFile(m_dir->filePath(QStringLiteral("render.csv")));
    QVERIFY(!rendered.isEmpty());
    QCOMPARE(rendered, readFile(m_dir->filePath(QStringLiteral("conv.csv"))));

    // The lesson's step is where the window stands: a PNG of it differs from one at step 1
    // (the first position), and equals one at step 10 (the lesson's output cell 9, counted from 0).
    QCOMPARE(runPadlab({"render", "ramp.padlab.json", "-o", "lesson.png", "--view", "padded"}, m_dir->path()).status, 0);
    QCOMPARE(runPadlab({"render", "ramp.padlab.json", "-o", "first.png", "--view", "padded", "--step", "1"},
                       m_dir->path())
                 .status,
             0);
    QCOMPARE(runPadlab({"render", "ramp.padlab.json", "-o", "again.png", "--view", "padded", "--step", "10"},
                       m_dir->path())
                 .status,
             0);
    const QImage atLesson(m_dir->filePath(QStringLiteral("lesson.png")));
    QVERIFY(!atLesson.isNull());
    QVERIFY(atLesson != QImage(m_dir->filePath(QStringLiteral("first.png"))));
    QCOMPARE(atLesson, QImage(m_dir->filePath(QStringLiteral("again.png"))));
}

void TestRender::malformedLesson()
{
    writeFile(m_dir->filePath(QStringLiteral("broken.padlab.json")), "{\"version\": 99}");
    writeFile(m_dir->filePath(QStringLiteral("figure.png")), "kept");
    const Run run = runPadlab({"render", "broken.padlab.json", "-o", "figure.png"}, m_dir->path());
    QCOMPARE(run.status, 2);
    QVERIFY2(run.err.startsWith("padlab: error: ") && run.err.count('\n') == 1, run.err.constData());
    QVERIFY2(run.err.contains("broken.padlab.json") && run.err.contains("version"), run.err.constData());
    QCOMPARE(readFile(m_dir->filePath(QStringLiteral("figure.png"))), QByteArray("kept"));
}

void TestRender::teachingViews_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QStringList>("options");
    QTest::newRow("signal, causal") << "signal.csv" << QStringList{"--view", "signal", "--pad", "causal",
                                                                 "--kernel", "1,2,1", "--dilation", "2"};
    QTest::newRow("compare fills") << "ramp.csv" << QStringList{"--view", "compare", "--pad", "same"};
    QTest::newRow("stages, dark") << "ramp.csv" << QStringList{"--view", "stages", "--kernel", "box-3",
                                                             "--pad", "same", "--dark"};
}

void TestRender::teachingViews()
{
    QFETCH(QString, input);
    QFETCH(QStringList, options);
    writeFile(m_dir->filePath(QStringLiteral("signal.csv")), "0,1,4,9,16,9,4,1,0,2,5\n");
    const Run run = runPadlab(QStringList{"render", input, "-o", "figure.png"} + options, m_dir->path());
    QVERIFY2(run.status == 0, run.err.constData());
    const QImage image(m_dir->filePath(QStringLiteral("figure.png")));
    QCOMPARE(image.size(), padlab::ui::kTeachingExportSize);
    // Drawn, not just filled: many colours besides the background.
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() > 20, qPrintable(QString::number(colours.size())));
}

void TestRender::lessonInTeachingView_data()
{
    QTest::addColumn<int>("view");
    QTest::addColumn<bool>("teaching"); // drawn on the teaching canvas
    QTest::newRow("window") << int(padlab::ui::Session::View::Window) << false;
    QTest::newRow("stages") << int(padlab::ui::Session::View::Stages) << true;
    QTest::newRow("compare") << int(padlab::ui::Session::View::Compare) << true;
}

void TestRender::lessonInTeachingView()
{
    QFETCH(int, view);
    QFETCH(bool, teaching);
    padlab::ui::Session session;
    QVERIFY(session.openFile(m_dir->filePath(QStringLiteral("ramp.csv"))));
    session.setView(padlab::ui::Session::View(view));
    QString error;
    QVERIFY2(padlab::ui::writeLesson(padlab::ui::lessonFromSession(session),
                                     m_dir->filePath(QStringLiteral("view.padlab.json")), &error),
             qPrintable(error));
    QCOMPARE(runPadlab({"render", "view.padlab.json", "-o", "lesson.png"}, m_dir->path()).status, 0);
    const QImage image(m_dir->filePath(QStringLiteral("lesson.png")));
    QVERIFY(!image.isNull());
    QCOMPARE(image.size() == padlab::ui::kTeachingExportSize, teaching);
    // --view still wins over the lesson's view.
    QCOMPARE(runPadlab({"render", "view.padlab.json", "-o", "panel.png", "--view", "padded"}, m_dir->path())
                 .status,
             0);
    QVERIFY(QImage(m_dir->filePath(QStringLiteral("panel.png"))).size() != padlab::ui::kTeachingExportSize);
}

QTEST_GUILESS_MAIN(TestRender)
#include "tst_render.moc"

#include "clitestutil.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <bit>
#include <cstdint>
#include <memory>
#include <unistd.h>

namespace {

using padlab::test::entries;
using padlab::test::readBytes;
using padlab::test::Run;

void writeBytes(const QString &path, const QByteArray &bytes)
{
    QVERIFY2(padlab::test::writeBytes(path, bytes), qPrintable(path));
}

QByteArray pngBytes(const QImage &image)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

/// A 32x32 image of varied pixels: a real image with enough data to be cut short in the middle.
QImage noise()
{
    QImage image(32, 32, QImage::Format_Grayscale8);
    std::uint32_t state = 12345;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            state = state * 1664525u + 1013904223u;
            image.scanLine(y)[x] = static_cast<uchar>(state >> 24);
        }
    }
    return image;
}

std::uint64_t bits(double value)
{
    return std::bit_cast<std::uint64_t>(value);
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void help_data();
    void help();
    void version();
    void pad_data();
    void pad();
    void numbersRoundTrip_data();
    void numbersRoundTrip();
    void conv_data();
    void conv();
    void shape_data();
    void shape();
    void shapeEmptyOutput();
    void summary_data();
    void summary();
    void csvFile_data();
    void csvFile();
    void imageFile_data();
    void imageFile();
    void imageInput_data();
    void imageInput();
    void emptyOutput_data();
    void emptyOutput();
    void errors_data();
    void errors();
    void wordsThatOpenNoWindow_data();
    void wordsThatOpenNoWindow();
    void windowWithoutDisplay_data();
    void windowWithoutDisplay();

private:
    /// Runs padlab headless, with @p changes to its environment after that.
    Run run(const QStringList &arguments, const QList<padlab::test::EnvironmentChange> &changes = {}) const
    {
        return padlab::test::runPadlab(m_dir->path(), arguments, changes);
    }
    QString path(const QString &name) const { return m_dir->filePath(name); }
    QStringList entries() const { return padlab::test::entries(m_dir->path()); }

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestCli::initTestCase()
{
    QVERIFY2(QFile::exists(QStringLiteral(PADLAB_EXECUTABLE)), PADLAB_EXECUTABLE);
}

void TestCli::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    writeBytes(path("in.csv"), "1,2,3,4,5\n");
    writeBytes(path("ragged.csv"), "1,2,3\n4,5\n");
    writeBytes(path("text.csv"), "1,2,3\n4,abc,6\n");
    writeBytes(path("empty.csv"), "");
    writeBytes(path("blank.csv"), "\n\n");
    writeBytes(path("x.png"), "this is text, not an image\n");
    const QByteArray png = pngBytes(noise());
    QVERIFY(png.size() > 100);
    writeBytes(path("truncated.png"), png.left(png.size() / 2));
    // Full length, but the compressed pixels are garbage.
    QByteArray damaged = png;
    const qsizetype data = damaged.indexOf("IDAT") + 4;
    for (qsizetype i = data; i < data + 16; ++i)
        damaged[i] = static_cast<char>(damaged.at(i) ^ 0x5a);
    writeBytes(path("damaged.png"), damaged);
    writeBytes(path("locked.csv"), "1,2\n");
    QVERIFY(QFile::setPermissions(path("locked.csv"), QFileDevice::Permissions()));
    QVERIFY(QDir(m_dir->path()).mkdir("folder.csv"));
}

// ---- help ---------------------------------------------------------------------------------

void TestCli::help_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("usage");
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("argument"); ///< the Arguments section's entry; empty: no such section

    const QStringList padOptions = {"--layout LAYOUT", "--kernel-size K", "--pad P", "--fill F", "--value C",
                                    "--stride S", "--dilation D", "--color", "-o, --output OUT",
                                    "-h, --help"};
    const QStringList convOptions = {"--kernel K", "--bias B", "--groups G", "--layout LAYOUT", "--pad P", "--fill F", "--value C",
                                     "--stride S", "--dilation D", "--convolution", "--color",
                                     "-o, --output OUT", "-h, --help"};
    const QStringList shapeOptions = {"--input-size SIZE", "--kernel-size K", "--op conv|pool|convt", "--pad P",
                                      "--stride S", "--dilation D", "--output-padding O", "--ceil", "-h, --help"};
    const QStringList summaryOptions = {"--input-shape SHAPE", "--layers SPEC", "-h, --help"};
    const QStringList poolOptions = {"--op max|avg", "--size K", "--stride S", "--dilation D", "--pad P", "--ceil",
                                     "--count-pad WHICH", "--layout LAYOUT", "-o, --output OUT"};
    const QStringList convtOptions = {"--kernel K", "--bias B", "--groups G", "--layout LAYOUT", "--pad P",
                                      "--output-padding O", "--stride S", "--dilation D", "-o, --output OUT"};
    QStringList allOptions = padOptions + convOptions + shapeOptions + summaryOptions + poolOptions + convtOptions;
    allOptions.removeDuplicates();

    QTest::newRow("padlab --help")
        << QStringList{"--help"} << "Usage: padlab COMMAND" << allOptions << "INPUT";
    QTest::newRow("padlab -h") << QStringList{"-h"} << "Usage: padlab COMMAND" << allOptions << "INPUT";
    QTest::newRow("padlab help") << QStringList{"help"} << "Usage: padlab COMMAND" << allOptions << "INPUT";
    QTest::newRow("padlab pad --help") << QStringList{"pad", "--help"} << "Usage: padlab pad INPUT"
                                       << padOptions << "INPUT";
    QTest::newRow("padlab help pad") << QStringList{"help", "pad"} << "Usage: padlab pad INPUT"
                                     << padOptions << "INPUT";
    QTest::newRow("padlab conv --help") << QStringList{"conv", "--help"}
                                        << "Usage: padlab conv INPUT --kernel K" << convOptions << "INPUT";
    QTest::newRow("padlab conv -h with other options")
        << QStringList{"conv", "in.csv", "--pad", "same", "-h"} << "Usage: padlab conv INPUT"
        << convOptions << "INPUT";
    QTest::newRow("padlab render --help") << QStringList{"render", "--help"} << "Usage: padlab render INPUT|LESSON"
                                          << QStringList{"--view VIEW", "-o, --output OUT"} << "INPUT|LESSON";
    QTest::newRow("padlab code --help") << QStringList{"code", "--help"} << "Usage: padlab code INPUT"
                                        << QStringList{"--framework NAME"} << "INPUT";
    QTest::newRow("padlab shape --help") << QStringList{"shape", "--help"}
                                         << "Usage: padlab shape --input-size SIZE" << shapeOptions << "";
    QTest::newRow("padlab summary --help") << QStringList{"summary", "--help"}
                                           << "Usage: padlab summary --input-shape SHAPE"
                                           << summaryOptions << "";
    QTest::newRow("padlab pool --help") << QStringList{"pool", "--help"} << "Usage: padlab pool INPUT --op max|avg"
                                        << poolOptions << "INPUT";
    QTest::newRow("padlab convt --help") << QStringList{"convt", "--help"} << "Usage: padlab convt INPUT --kernel K"
                                         << convtOptions << "INPUT";
    QTest::newRow("padlab code --help lists the ops")
        << QStringList{"code", "--help"} << "Usage: padlab code INPUT"
        << QStringList{"--op conv|convt|max|avg", "--size K", "--output-padding O", "--framework NAME"} << "INPUT";
}

void TestCli::help()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, usage);
    QFETCH(QStringList, options);
    QFETCH(QString, argument);

    const Run result = run(arguments);
    PADLAB_VERIFY_SUCCESS(result);
    const QString text = QString::fromUtf8(result.out);
    QVERIFY2(text.startsWith(usage), qPrintable(text));
    // The positional argument has a section of its own, explained, before the options.
    const QRegularExpression arguments_("^Arguments:\n  " + QRegularExpression::escape(argument) + "  +\\w",
                                        QRegularExpression::MultilineOption);
    if (argument.isEmpty()) {
        QVERIFY2(!text.contains(QStringLiteral("Arguments:")), qPrintable(text));
    } else {
        const QRegularExpressionMatch section = arguments_.match(text);
        QVERIFY2(section.hasMatch(), qPrintable(argument + " not explained under Arguments in:\n" + text));
        QVERIFY(section.capturedStart() < text.indexOf(QStringLiteral("Options:")));
    }
    for (const QString &option : options) {
        // Each option is listed at the start of a line and followed by its explanation.
        const QRegularExpression explained("^  " + QRegularExpression::escape(option) + "  +\\w",
                                           QRegularExpression::MultilineOption);
        QVERIFY2(
            explained.match(text).hasMatch(), qPrintable(option + " not explained in:\n" + text));
    }
}

void TestCli::version()
{
    const Run result = run({"--version"});
    PADLAB_VERIFY_SUCCESS(result);
    const QRegularExpression expected("^padlab \\d+\\.\\d+\\.\\d+\n$");
    QVERIFY2(expected.match(QString::fromUtf8(result.out)).hasMatch(), result.out.constData());
}

// ---- pad ----------------------------------------------------------------------------------

void TestCli::pad_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QByteArray>("expected");

    // SEMANTICS.md section 7: [1 2 3 4 5] padded by 3 on each side.
    const QByteArray row = "1,2,3,4,5\n";
    const QStringList three = {"--pad", "0,0,3,3"};
    QTest::newRow("zeros") << row << three + QStringList{"--fill", "zeros"}
                           << QByteArray("0,0,0,1,2,3,4,5,0,0,0\n");
    QTest::newRow("constant 7") << row << three + QStringList{"--fill", "constant", "--value", "7"}
                                << QByteArray("7,7,7,1,2,3,4,5,7,7,7\n");
    QTest::newRow("reflect") << row << three + QStringList{"--fill", "reflect"}
                             << QByteArray("4,3,2,1,2,3,4,5,4,3,2\n");
    QTest::newRow("symmetric") << row << three + QStringList{"--fill", "symmetric"}
                               << QByteArray("3,2,1,1,2,3,4,5,5,4,3\n");
    QTest::newRow("replicate") << row << three + QStringList{"--fill", "replicate"}
                               << QByteArray("1,1,1,1,2,3,4,5,5,5,5\n");
    QTest::newRow("circular") << row << three + QStringList{"--fill", "circular"}
                              << QByteArray("3,4,5,1,2,3,4,5,1,2,3\n");
    QTest::newRow("default is valid") << row << QStringList{} << row;
    QTest::newRow("fill name in capitals") << row << three + QStringList{"--fill", "REFLECT"}
                                           << QByteArray("4,3,2,1,2,3,4,5,4,3,2\n");
    QTest::newRow("reflect wider than the input")
        << QByteArray("1,2,3\n") << QStringList{"--pad", "0,0,7,7", "--fill", "reflect"}
        << QByteArray("2,3,2,1,2,3,2,1,2,3,2,1,2,3,2,1,2\n");
    QTest::newRow("circular wider than the input")
        << QByteArray("1,2,3\n") << QStringList{"--pad", "0,0,7,7", "--fill", "circular"}
        << QByteArray("3,1,2,3,1,2,3,1,2,3,1,2,3,1,2,3,1\n");
    QTest::newRow("same k1x3") << row << QStringList{"--pad", "same", "--kernel-size", "1x3"}
                               << QByteArray("0,1,2,3,4,5,0\n");
    QTest::newRow("same k1x4 extra after")
        << row << QStringList{"--pad", "same", "--kernel-size", "1x4"}
        << QByteArray("0,1,2,3,4,5,0,0\n");
    QTest::newRow("same k1x3 stride 2")
        << row << QStringList{"--pad", "same", "--kernel-size", "1x3", "--stride", "2"}
        << QByteArray("0,1,2,3,4,5,0\n");
    QTest::newRow("full k1x3") << row << QStringList{"--pad", "full", "--kernel-size", "1x3"}
                               << QByteArray("0,0,1,2,3,4,5,0,0\n");
    QTest::newRow("full k1x3 dilation 2")
        << row << QStringList{"--pad", "full", "--kernel-size", "1x3", "--dilation", "2"}
        << QByteArray("0,0,0,0,1,2,3,4,5,0,0,0,0\n");
    QTest::newRow("causal k1x3") << row << QStringList{"--pad", "causal", "--kernel-size", "1x3"}
                                 << QByteArray("0,0,1,2,3,4,5\n");
    QTest::newRow("causal 3x3 on 2x2") << QByteArray("1,2\n3,4\n")
                                       << QStringList{"--pad", "causal", "--kernel-size", "3x3"}
                                       << QByteArray("0,0,0,0\n0,0,0,0\n0,0,1,2\n0,0,3,4\n");
    QTest::newRow("reflect 1 on 2x2") << QByteArray("1,2\n3,4\n")
                                      << QStringList{"--pad", "1,1,1,1", "--fill", "reflect"}
                                      << QByteArray("4,3,4,3\n2,1,2,1\n4,3,4,3\n2,1,2,1\n");
    QTest::newRow("explicit sides in order T,B,L,R")
        << QByteArray("1,2\n3,4\n") << QStringList{"--pad", "1,0,0,2", "--fill", "replicate"}
        << QByteArray("1,2,2,2\n1,2,2,2\n3,4,4,4\n");
    QTest::newRow("value alone selects constant")
        << QByteArray("1,2\n3,4\n") << QStringList{"--pad", "1,0,0,1", "--value", "-3"}
        << QByteArray("-3,-3,-3\n1,2,-3\n3,4,-3\n");
    QTest::newRow("option with equals sign") << row << QStringList{"--pad=0,0,1,1", "--value=9"}
                                             << QByteArray("9,1,2,3,4,5,9\n");
}

void TestCli::pad()
{
    QFETCH(QByteArray, input);
    QFETCH(QStringList, options);
    QFETCH(QByteArray, expected);

    writeBytes(path("input.csv"), input);
    const Run result = run(QStringList{"pad", "input.csv"} + options);
    PADLAB_VERIFY_SUCCESS(result);
    QCOMPARE(result.out, expected);
}

void TestCli::numbersRoundTrip_data()
{
    QTest::addColumn<QByteArray>("number");

    QTest::newRow("0.1") << QByteArray("0.1");
    QTest::newRow("1e-300") << QByteArray("1e-300");
    QTest::newRow("-2.5e+300") << QByteArray("-2.5e+300");
    QTest::newRow("0.1 + 0.2") << QByteArray("0.30000000000000004");
    QTest::newRow("smallest subnormal") << QByteArray("4.9406564584124654e-324");
    QTest::newRow("largest double") << QByteArray("1.7976931348623157e308");
    QTest::newRow("2^53 + 2") << QByteArray("9007199254740994");
    QTest::newRow("one third") << QByteArray("0.33333333333333331");
}

void TestCli::numbersRoundTrip()
{
    QFETCH(QByteArray, number);

    bool ok = false;
    const double value = number.toDouble(&ok);
    QVERIFY(ok);
    writeBytes(path("numbers.csv"), number + ",1\n");
    // The number passes once as input and once as the fill value.
    const Run result = run({"pad", "numbers.csv", "--pad", "0,0,1,0", "--value",
                            QString::fromLatin1(number)});
    PADLAB_VERIFY_SUCCESS(result);
    QVERIFY(result.out.endsWith('\n'));
    const QList<QByteArray> fields = result.out.trimmed().split(',');
    QCOMPARE(fields.size(), 3);
    for (int i = 0; i < 2; ++i) {
        const double read = fields.at(i).toDouble(&ok);
        QVERIFY2(ok, fields.at(i).constData());
        QCOMPARE(bits(read), bits(value));
    }
    QCOMPARE(fields.at(2), QByteArray("1"));
}

// ---- conv ---------------------------------------------------------------------------------

void TestCli::conv_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("kernelFile");
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QByteArray>("expected");

    // SEMANTICS.md section 7: correlation examples on [1 2 3 4 5].
    const QByteArray row = "1,2,3,4,5\n";
    QTest::newRow("same zeros") << row << QByteArray()
                                << QStringList{"--kernel", "1,0,-1", "--pad", "same"}
                                << QByteArray("-2,-2,-2,-2,4\n");
    QTest::newRow("same reflect") << row << QByteArray()
                                  << QStringList{"--kernel", "1,0,-1", "--pad", "same", "--fill",
                                         "reflect"}
                                  << QByteArray("0,-2,-2,-2,0\n");
    QTest::newRow("same true convolution")
        << row << QByteArray()
        << QStringList{"--kernel", "1,0,-1", "--pad", "same", "--convolution"}
        << QByteArray("2,2,2,2,-4\n");
    QTest::newRow("valid by default") << row << QByteArray() << QStringList{"--kernel", "1,0,-1"}
                                      << QByteArray("-2,-2,-2\n");
    QTest::newRow("even kernel same, extra after")
        << row << QByteArray() << QStringList{"--kernel", "1,1", "--pad", "same"}
        << QByteArray("3,5,7,9,5\n");
    QTest::newRow("kernel 1,2,3,4 same")
        << row << QByteArray() << QStringList{"--kernel", "1,2,3,4", "--pad", "same"}
        << QByteArray("20,30,40,26,14\n");
    QTest::newRow("full") << row << QByteArray()
                          << QStringList{"--kernel", "1,1,1", "--pad", "full"}
                          << QByteArray("1,3,6,9,12,9,5\n");
    QTest::newRow("causal") << row << QByteArray()
                            << QStringList{"--kernel", "1,1,1", "--pad", "causal"}
                            << QByteArray("1,3,6,9,12\n");
    QTest::newRow("same stride 2")
        << row << QByteArray()
        << QStringList{"--kernel", "1,0,-1", "--pad", "same", "--stride", "2"}
        << QByteArray("-2,-2,4\n");
    QTest::newRow("valid dilation 2")
        << row << QByteArray() << QStringList{"--kernel", "1,0,-1", "--dilation", "2"}
        << QByteArray("-4\n");
    QTest::newRow("constant fill value")
        << row << QByteArray()
        << QStringList{"--kernel", "1,0,-1", "--pad", "same", "--value", "10"}
        << QByteArray("8,-2,-2,-2,-6\n");
    QTest::newRow("2-D stride 2") << QByteArray("1,2,3,4\n5,6,7,8\n9,10,11,12\n13,14,15,16\n")
                                  << QByteArray()
                                  << QStringList{"--kernel", "1,1;1,1", "--stride", "2"}
                                  << QByteArray("14,22\n46,54\n");
    QTest::newRow("2-D stride per axis") << QByteArray("1,2,3,4\n5,6,7,8\n9,10,11,12\n")
                                         << QByteArray()
                                         << QStringList{"--kernel", "1;1", "--stride", "2x3"}
                                         << QByteArray("6,12\n");
    QTest::newRow("kernel from a csv file")
        << row << QByteArray("1,0,-1\n") << QStringList{"--kernel", "kernel.csv", "--pad", "same"}
        << QByteArray("-2,-2,-2,-2,4\n");
    QTest::newRow("preset sobel-x") << QByteArray("1,2,3\n4,5,6\n7,8,9\n") << QByteArray()
                                    << QStringList{"--kernel", "sobel-x"} << QByteArray("8\n");
    QTest::newRow("preset identity same") << QByteArray("1,2,3\n4,5,6\n7,8,9\n") << QByteArray()
                                          << QStringList{"--kernel", "identity", "--pad", "same"}
                                          << QByteArray("1,2,3\n4,5,6\n7,8,9\n");
}

void TestCli::conv()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, kernelFile);
    QFETCH(QStringList, options);
    QFETCH(QByteArray, expected);

    writeBytes(path("input.csv"), input);
    if (!kernelFile.isEmpty())
        writeBytes(path("kernel.csv"), kernelFile);
    const Run result = run(QStringList{"conv", "input.csv"} + options);
    PADLAB_VERIFY_SUCCESS(result);
    QCOMPARE(result.out, expected);
}

// ---- shape and summary --------------------------------------------------------------------

void TestCli::shape_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("expected");

    QTest::newRow("28x28 k3 same") << QStringList{"--input-size", "28x28", "--kernel-size", "3x3",
                                                  "--pad", "same"}
                                   << "output: 28x28\n"
                                      "padding: top 1, bottom 1, left 1, right 1\n"
                                      "rows: out = floor((28 + 1 + 1 - 3) / 1) + 1 = 28\n"
                                      "cols: out = floor((28 + 1 + 1 - 3) / 1) + 1 = 28\n";
    QTest::newRow("224 k7 s2 same, extra after")
        << QStringList{"--input-size", "224x224", "--kernel-size", "7x7", "--pad", "same",
                       "--stride", "2"}
        << "output: 112x112\n"
           "padding: top 2, bottom 3, left 2, right 3\n"
           "rows: out = floor((224 + 2 + 3 - 7) / 2) + 1 = 112\n"
           "cols: out = floor((224 + 2 + 3 - 7) / 2) + 1 = 112\n";
    QTest::newRow("valid by default") << QStringList{"--input-size", "5x7", "--kernel-size", "3x2"}
                                      << "output: 3x6\n"
                                         "padding: top 0, bottom 0, left 0, right 0\n"
                                         "rows: out = floor((5 + 0 + 0 - 3) / 1) + 1 = 3\n"
                                         "cols: out = floor((7 + 0 + 0 - 2) / 1) + 1 = 6\n";
    QTest::newRow("explicit pads") << QStringList{"--input-size", "4x4", "--kernel-size", "3x3",
                                                  "--pad", "2,0,1,3"}
                                   << "output: 4x6\n"
                                      "padding: top 2, bottom 0, left 1, right 3\n"
                                      "rows: out = floor((4 + 2 + 0 - 3) / 1) + 1 = 4\n"
                                      "cols: out = floor((4 + 1 + 3 - 3) / 1) + 1 = 6\n";
    QTest::newRow("stride 2 leaves a column unread")
        << QStringList{"--input-size", "5x6", "--kernel-size", "3x3", "--stride", "1x2"}
        << "output: 3x2\n"
           "padding: top 0, bottom 0, left 0, right 0\n"
           "rows: out = floor((5 + 0 + 0 - 3) / 1) + 1 = 3\n"
           "cols: out = floor((6 + 0 + 0 - 3) / 2) + 1 = 2\n"
           "cols: 1 padded column is never read (stride 2 does not divide evenly)\n";
    QTest::newRow("stride 3 leaves two rows unread")
        << QStringList{"--input-size", "8x5", "--kernel-size", "3x3", "--stride", "3x1"}
        << "output: 2x3\n"
           "padding: top 0, bottom 0, left 0, right 0\n"
           "rows: out = floor((8 + 0 + 0 - 3) / 3) + 1 = 2\n"
           "cols: out = floor((5 + 0 + 0 - 3) / 1) + 1 = 3\n"
           "rows: 2 padded rows are never read (stride 3 does not divide evenly)\n";
}

void TestCli::shape()
{
    QFETCH(QStringList, options);
    QFETCH(QString, expected);

    const Run result = run(QStringList{"shape"} + options);
    PADLAB_VERIFY_SUCCESS(result);
    // The arithmetic exactly; then only the frameworks' notes, one a line (`PyTorch: ...`).
    const QString text = QString::fromUtf8(result.out);
    QVERIFY2(text.startsWith(expected), qPrintable(text));
    const QRegularExpression note("^(All|Keras|PyTorch|TensorFlow|OpenCV|SciPy|NumPy): \\S");
    for (const QString &line : text.mid(expected.size()).split('\n', Qt::SkipEmptyParts))
        QVERIFY2(note.match(line).hasMatch(), qPrintable(line));
}

void TestCli::shapeEmptyOutput()
{
    const Run result = run({"shape", "--input-size", "2x9", "--kernel-size", "5x3"});
    PADLAB_VERIFY_SUCCESS(result);
    const QStringList lines = QString::fromUtf8(result.out).split('\n');
    QVERIFY2(lines.size() == 6 && lines.at(5).isEmpty(), result.out.constData());
    QCOMPARE(lines.at(0), QStringLiteral("output: 0x7"));
    QCOMPARE(lines.at(1), QStringLiteral("padding: top 0, bottom 0, left 0, right 0"));
    QVERIFY2(lines.at(2).startsWith("rows: out = ") && lines.at(2).endsWith("= 0"),
             qPrintable(lines.at(2)));
    QCOMPARE(lines.at(3), QStringLiteral("cols: out = floor((9 + 0 + 0 - 3) / 1) + 1 = 7"));
    // The explanation names the kernel's reach against the padded size on the axis at fault.
    QVERIFY2(
        lines.at(4).contains("empty") && lines.at(4).contains('5') && lines.at(4).contains('2'),
        qPrintable(lines.at(4)));
}

void TestCli::summary_data()
{
    QTest::addColumn<QString>("inputShape");
    QTest::addColumn<QString>("layers");
    QTest::addColumn<QStringList>("shapes");
    QTest::addColumn<QStringList>("params");
    QTest::addColumn<QString>("total");

    QTest::newRow("mnist") << "28x28x1"
                           << "conv2d:32:3,maxpool:2,flatten,dense:10"
                           << QStringList{"(None, 26, 26, 32)", "(None, 13, 13, 32)",
                                  "(None, 5408)", "(None, 10)"}
                           << QStringList{"320", "0", "0", "54,090"} << "54,410";
    QTest::newRow("two convs") << "28x28x1" << "conv2d:32:3,conv2d:64:3"
                               << QStringList{"(None, 26, 26, 32)", "(None, 24, 24, 64)"}
                               << QStringList{"320", "18,496"} << "18,816";
    QTest::newRow("same conv keeps the size") << "28x28x1" << "conv2d:32:3:1:same"
                                              << QStringList{"(None, 28, 28, 32)"}
                                              << QStringList{"320"} << "320";
    QTest::newRow("strided conv on colour") << "28x28x3" << "conv2d:16:3:2"
                                            << QStringList{"(None, 13, 13, 16)"}
                                            << QStringList{"448"} << "448";
}

void TestCli::summary()
{
    QFETCH(QString, inputShape);
    QFETCH(QString, layers);
    QFETCH(QStringList, shapes);
    QFETCH(QStringList, params);
    QFETCH(QString, total);

    const Run result = run({"summary", "--input-shape", inputShape, "--layers", layers});
    PADLAB_VERIFY_SUCCESS(result);
    const QString text = QString::fromUtf8(result.out);
    QVERIFY(text.endsWith('\n'));
    const QStringList lines = text.trimmed().split('\n');
    QCOMPARE(lines.constLast(), "Total params: " + total);
    // One table row per layer, in order, each with its output shape and parameter count.
    qsizetype from = 0;
    for (qsizetype i = 0; i < shapes.size(); ++i) {
        qsizetype found = -1;
        for (qsizetype l = from; l < lines.size() && found < 0; ++l) {
            if (lines.at(l).contains(shapes.at(i)))
                found = l;
        }
        QVERIFY2(found >= 0, qPrintable(shapes.at(i) + " missing in:\n" + text));
        QCOMPARE(lines.at(found).split(' ', Qt::SkipEmptyParts).constLast(), params.at(i));
        from = found + 1;
    }
}

// ---- files --------------------------------------------------------------------------------

void TestCli::csvFile_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("pad") << QStringList{"pad", "in.csv", "--pad", "0,0,1,1", "--fill", "replicate"}
                         << QByteArray("1,1,2,3,4,5,5\n");
    QTest::newRow("conv") << QStringList{"conv", "in.csv", "--kernel", "1,0,-1", "--pad", "same"}
                          << QByteArray("-2,-2,-2,-2,4\n");
}

void TestCli::csvFile()
{
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, expected);

    const Run toStdout = run(arguments);
    PADLAB_VERIFY_SUCCESS(toStdout);
    QCOMPARE(toStdout.out, expected);

    const Run toFile = run(arguments + QStringList{"-o", "result.csv"});
    PADLAB_VERIFY_SUCCESS(toFile);
    QVERIFY(toFile.out.isEmpty());
    QCOMPARE(readBytes(path("result.csv")), expected);

    // An existing file is replaced, through the long option name too.
    writeBytes(path("result.csv"), "old content that is longer than the result\n");
    const Run replace = run(arguments + QStringList{"--output", "result.csv"});
    PADLAB_VERIFY_SUCCESS(replace);
    QCOMPARE(readBytes(path("result.csv")), expected);
}

void TestCli::imageFile_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("lossless");

    QTest::newRow("png") << "result.png" << true;
    QTest::newRow("bmp") << "result.bmp" << true;
    QTest::newRow("upper-case PNG") << "RESULT.PNG" << true;
    QTest::newRow("jpg") << "result.jpg" << false;
}

void TestCli::imageFile()
{
    QFETCH(QString, name);
    QFETCH(bool, lossless);

    // Values beyond 0..255 saturate; fractions round.
    writeBytes(path("values.csv"), "0,100,300\n-5,255.4,127.6\n");
    const Run result = run({"pad", "values.csv", "--pad", "0,1,0,0", "-o", name});
    PADLAB_VERIFY_SUCCESS(result);
    QVERIFY(result.out.isEmpty());
    const QImage image(path(name));
    QVERIFY2(!image.isNull(), qPrintable(name));
    QCOMPARE(image.size(), QSize(3, 3));
    if (!lossless)
        return;
    const int expected[3][3] = {{0, 100, 255}, {0, 255, 128}, {0, 0, 0}};
    for (int y = 0; y < 3; ++y) {
        for (int x = 0; x < 3; ++x) {
            const QRgb pixel = image.pixel(x, y);
            QCOMPARE(qRed(pixel), expected[y][x]);
            QCOMPARE(qGreen(pixel), expected[y][x]);
            QCOMPARE(qBlue(pixel), expected[y][x]);
        }
    }
}

void TestCli::imageInput_data()
{
    QTest::addColumn<bool>("color");

    QTest::newRow("grayscale") << false;
    QTest::newRow("color") << true;
}

void TestCli::imageInput()
{
    QFETCH(bool, color);

    QImage source(2, 1, QImage::Format_RGB32);
    source.setPixel(0, 0, qRgb(10, 10, 10));
    source.setPixel(1, 0, color ? qRgb(255, 0, 0) : qRgb(200, 200, 200));
    writeBytes(path("source.png"), pngBytes(source));

    QStringList arguments = {"pad", "source.png", "--pad", "0,0,1,0"};
    if (color)
        arguments << "--color";
    if (!color) {
        const Run csv = run(arguments);
        PADLAB_VERIFY_SUCCESS(csv);
        QCOMPARE(csv.out, QByteArray("0,10,200\n"));
    }
    const Run result = run(arguments + QStringList{"-o", "padded.png"});
    PADLAB_VERIFY_SUCCESS(result);
    const QImage padded(path("padded.png"));
    QCOMPARE(padded.size(), QSize(3, 1));
    QCOMPARE(padded.pixel(0, 0), qRgb(0, 0, 0));
    QCOMPARE(padded.pixel(1, 0), qRgb(10, 10, 10));
    QCOMPARE(padded.pixel(2, 0), source.pixel(1, 0));
}

void TestCli::emptyOutput_data()
{
    QTest::addColumn<QString>("output");

    QTest::newRow("standard output") << QString();
    QTest::newRow("csv file") << "result.csv";
    QTest::newRow("csv file replacing an old one") << "old.csv";
    QTest::newRow("png file") << "result.png";
}

void TestCli::emptyOutput()
{
    QFETCH(QString, output);

    if (output == "old.csv")
        writeBytes(path(output), "1,2,3\n");
    QStringList arguments = {"conv", "in.csv", "--kernel", "1,1,1,1,1,1,1"};
    if (!output.isEmpty())
        arguments << "-o" << output;
    const Run result = run(arguments);
    QVERIFY(result.finished && !result.crashed);
    QCOMPARE(result.exitCode, 0);
    QVERIFY(result.out.isEmpty());
    if (!output.isEmpty()) {
        QVERIFY(QFile::exists(path(output)));
        QCOMPARE(QFileInfo(path(output)).size(), 0);
    }
    // One sentence on standard error saying why: a 7-wide kernel against 5 padded columns.
    const QList<QByteArray> lines = result.err.split('\n');
    QVERIFY2(lines.size() == 2 && lines.at(1).isEmpty(), result.err.constData());
    QVERIFY2(!lines.at(0).contains("error"), result.err.constData());
    QVERIFY2(
        lines.at(0).contains("empty") && lines.at(0).contains('7') && lines.at(0).contains('5'),
        result.err.constData());
}

// ---- errors -------------------------------------------------------------------------------

void TestCli::errors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QStringList>("culprits");

    auto row = [](const char *name, const QStringList &arguments, const QStringList &culprits) {
        QTest::newRow(name) << arguments << culprits;
    };

    row("missing input file", {"pad", "nope.csv", "-o", "out.csv"}, {"nope.csv"});
    row("missing image file", {"pad", "nope.png", "-o", "out.png"}, {"nope.png"});
    // Permissions do not stop the superuser.
    if (::geteuid() != 0)
        row("unreadable input file", {"pad", "locked.csv", "-o", "out.csv"}, {"locked.csv"});
    row("input is a folder", {"pad", "folder.csv", "-o", "out.csv"}, {"folder.csv"});
    row("ragged csv", {"pad", "ragged.csv", "-o", "out.csv"}, {"ragged.csv", "line 2"});
    row("non-numeric csv", {"conv", "text.csv", "--kernel", "1", "-o", "out.csv"},
        {"text.csv", "line 2", "abc"});
    row("empty csv", {"pad", "empty.csv", "-o", "out.csv"}, {"empty.csv"});
    row("csv of blank lines", {"pad", "blank.csv", "-o", "out.csv"}, {"blank.csv"});
    row("text file named png", {"pad", "x.png", "-o", "out.png"}, {"x.png"});
    row("truncated png", {"pad", "truncated.png", "-o", "out.png"}, {"truncated.png"});
    row("damaged png", {"pad", "damaged.png", "-o", "out.png"}, {"damaged.png"});
    row("truncated png in colour",
        {"conv", "truncated.png", "--color", "--kernel", "box-3", "-o", "out.csv"},
        {"truncated.png"});
    row("stride zero", {"pad", "in.csv", "--stride", "0", "-o", "out.csv"}, {"--stride"});
    row("stride negative", {"conv", "in.csv", "--kernel", "1,1", "--stride", "-1", "-o", "out.csv"},
        {"--stride"});
    row("stride zero on one axis",
        {"shape", "--input-size", "5x5", "--kernel-size", "3x3", "--stride", "2x0"}, {"--stride"});
    row("stride not a number", {"pad", "in.csv", "--stride", "two", "-o", "out.csv"}, {"--stride"});
    row("dilation zero", {"conv", "in.csv", "--kernel", "1,1", "--dilation", "0", "-o", "out.csv"},
        {"--dilation"});
    row("dilation negative",
        {"shape", "--input-size", "5x5", "--kernel-size", "3x3", "--dilation", "-2"},
        {"--dilation"});
    row("negative pad", {"pad", "in.csv", "--pad", "1,-1,0,0", "-o", "out.csv"}, {"--pad"});
    row("three pad values", {"pad", "in.csv", "--pad", "1,1,1", "-o", "out.csv"}, {"--pad"});
    row("five pad values",
        {"conv", "in.csv", "--kernel", "1", "--pad", "1,1,1,1,1", "-o", "out.csv"}, {"--pad"});
    row("unknown amount", {"pad", "in.csv", "--pad", "middle", "-o", "out.csv"},
        {"--pad", "middle"});
    row("unknown fill", {"pad", "in.csv", "--pad", "1,1,1,1", "--fill", "mirror", "-o", "out.csv"},
        {"--fill", "mirror"});
    row("value not a number", {"pad", "in.csv", "--value", "abc", "-o", "out.csv"},
        {"--value", "abc"});
    row("value with another fill",
        {"pad", "in.csv", "--fill", "reflect", "--value", "3", "-o", "out.csv"}, {"--value"});
    row("bad kernel size", {"pad", "in.csv", "--kernel-size", "3y3", "-o", "out.csv"},
        {"--kernel-size"});
    row("unknown preset", {"conv", "in.csv", "--kernel", "sobel-z", "-o", "out.csv"},
        {"--kernel", "sobel-z"});
    row("missing kernel file", {"conv", "in.csv", "--kernel", "nokernel.csv", "-o", "out.csv"},
        {"nokernel.csv"});
    row("ragged kernel file", {"conv", "in.csv", "--kernel", "ragged.csv", "-o", "out.csv"},
        {"ragged.csv"});
    row("ragged inline kernel", {"conv", "in.csv", "--kernel", "1,0;1", "-o", "out.csv"},
        {"--kernel"});
    row("unknown command", {"frobnicate", "in.csv"}, {"frobnicate"});
    row("a file and another word", {"in.csv", "extra"}, {"extra"});
    row("unknown top-level option", {"--frobnicate"}, {"--frobnicate"});
    row("unknown option", {"pad", "in.csv", "--frob", "-o", "out.csv"}, {"frob"});
    row("option of another command", {"pad", "in.csv", "--convolution", "-o", "out.csv"},
        {"convolution"});
    row("help on an unknown command", {"help", "frobnicate"}, {"frobnicate"});
    row("missing input", {"pad", "-o", "out.csv"}, {"INPUT"});
    row("missing kernel", {"conv", "in.csv", "-o", "out.csv"}, {"--kernel"});
    row("missing option value", {"pad", "in.csv", "-o", "out.csv", "--pad"}, {"--pad"});
    row("extra argument", {"pad", "in.csv", "other.csv", "-o", "out.csv"}, {"other.csv"});
    row("shape without input size", {"shape", "--kernel-size", "3x3"}, {"--input-size"});
    row("shape without kernel size", {"shape", "--input-size", "28x28"}, {"--kernel-size"});
    row("shape with a zero size", {"shape", "--input-size", "0x5", "--kernel-size", "3x3"},
        {"--input-size"});
    row("summary without layers", {"summary", "--input-shape", "28x28x1"}, {"--layers"});
    row("summary without input shape", {"summary", "--layers", "dense:10"}, {"--input-shape"});
    row("summary bad input shape", {"summary", "--input-shape", "28x28x1x1x1", "--layers", "dense:10"},
        {"--input-shape"});
    row("summary unknown layer",
        {"summary", "--input-shape", "28x28x1", "--layers", "conv2d:32:3,pool:2"}, {"pool:2"});
    row("summary conv larger than its input",
        {"summary", "--input-shape", "2x2x1", "--layers", "conv2d:3:5"}, {"conv2d"});
    row("output folder missing", {"pad", "in.csv", "-o", "nodir/out.csv"}, {"nodir"});
    row("unknown output format", {"pad", "in.csv", "-o", "out.xyz"}, {"out.xyz"});
    row("output without extension", {"pad", "in.csv", "-o", "out"}, {"'out'"});
    row("output is a folder", {"pad", "in.csv", "-o", "folder.csv"}, {"folder.csv"});
}

void TestCli::errors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QStringList, culprits);

    const qsizetype o = arguments.indexOf("-o");
    const QString output = o >= 0 ? arguments.at(o + 1) : QString();
    const bool canPrepare = !output.isEmpty() && !QFileInfo(path(output)).isDir() &&
                            QFileInfo(path(output)).dir().exists();

    // First with no output file, then (where one can exist) with one that must survive.
    for (const bool existing : {false, true}) {
        if (existing && !canPrepare)
            break;
        const QByteArray previous = "previous content\n";
        if (existing)
            writeBytes(path(output), previous);
        const QStringList before = entries();

        const Run result = run(arguments);
        QVERIFY(result.finished);
        QVERIFY(!result.crashed);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.out.isEmpty(), result.out.constData());
        const QList<QByteArray> lines = result.err.split('\n');
        QVERIFY2(lines.size() == 2 && lines.at(1).isEmpty(), result.err.constData());
        QVERIFY2(lines.at(0).startsWith("padlab: error: "), result.err.constData());
        for (const QString &culprit : culprits)
            QVERIFY2(lines.at(0).contains(culprit.toUtf8()),
                     qPrintable(culprit + " not named in: " + QString::fromUtf8(lines.at(0))));

        QCOMPARE(entries(), before);
        if (existing)
            QCOMPARE(readBytes(path(output)), previous);
    }
}

void TestCli::wordsThatOpenNoWindow_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("line");
    QTest::newRow("code alone") << QStringList{"code"}
                                << "padlab: error: missing INPUT for 'padlab code' (see 'padlab code --help')";
    QTest::newRow("conv alone") << QStringList{"conv"}
                                << "padlab: error: missing INPUT for 'padlab conv' (see 'padlab conv --help')";
    QTest::newRow("unknown word") << QStringList{"frobnicate"} << "padlab: error: no such command or file: frobnicate";
    QTest::newRow("missing file") << QStringList{"photo.jpg"} << "padlab: error: no such command or file: photo.jpg";
    QTest::newRow("a folder") << QStringList{"folder.csv"}
                              << "padlab: error: 'folder.csv' is a folder; the window opens a file";
}

// Every first word the command line knows runs headless, and a word that is neither a command nor
// a file is refused by name: none opens the window, which here could be shown (offscreen) and
// would keep running.
void TestCli::wordsThatOpenNoWindow()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, line);
    const Run result = run(arguments, {{"QT_QPA_PLATFORM", QStringLiteral("offscreen")}});
    QVERIFY2(result.finished, "padlab kept running: it opened the window");
    QVERIFY(!result.crashed);
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.out.isEmpty());
    QCOMPARE(QString::fromUtf8(result.err), line + QLatin1Char('\n'));
}

void TestCli::windowWithoutDisplay_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("no arguments") << QStringList{};
    QTest::newRow("a file") << QStringList{"in.csv"};
}

// Without a display (no DISPLAY, no WAYLAND_DISPLAY, no platform named) the window is refused in
// one line instead of Qt's abort.
void TestCli::windowWithoutDisplay()
{
    QFETCH(QStringList, arguments);
    const Run result = run(arguments, {{"DISPLAY", QString()}, {"WAYLAND_DISPLAY", QString()},
                                       {"QT_QPA_PLATFORM", QString()}});
    QVERIFY(result.finished);
    QVERIFY2(!result.crashed, result.err.constData());
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.out.isEmpty());
    const QList<QByteArray> lines = result.err.split('\n');
    QVERIFY2(lines.size() == 2 && lines.at(1).isEmpty(), result.err.constData());
    QVERIFY2(lines.at(0).startsWith("padlab: error: no display"), result.err.constData());
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"

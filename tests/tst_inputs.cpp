#include "padlab/core/csv.h"
#include "padlab/core/error.h"
#include "padlab/core/files.h"
#include "padlab/core/image.h"
#include "padlab/core/kernels.h"
#include "testutil.h"

#include <QByteArray>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QObject>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include <sys/resource.h>
#include <sys/stat.h>

using namespace padlab::core;

namespace {

cv::Mat mat(int rows, int cols, std::initializer_list<double> values)
{
    if (int(values.size()) != rows * cols)
        throw std::invalid_argument("mat: wrong count of values");
    return cv::Mat(std::vector<double>(values), true).reshape(1, rows).clone();
}

/// The message of the Error @p call throws, or a null string when it throws none.
QString errorOf(const std::function<void()> &call)
{
    try {
        call();
    } catch (const Error &e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

std::string bytesOf(const QByteArray &data)
{
    return std::string(data.constData(), size_t(data.size()));
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

bool writeAll(const QString &path, const QByteArray &data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

/// CRC-32 as PNG chunks use it (polynomial 0xEDB88320), so a patched header stays valid.
std::uint32_t crc32(const QByteArray &data)
{
    std::uint32_t crc = 0xFFFFFFFFu;
    for (char ch : data) {
        crc ^= std::uint8_t(ch);
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return crc ^ 0xFFFFFFFFu;
}

void putBigEndian(QByteArray &data, int at, std::uint32_t value)
{
    for (int i = 0; i < 4; ++i)
        data[at + i] = char((value >> (24 - 8 * i)) & 0xFF);
}

/// A PNG whose IHDR declares @p width x @p height, with a correct chunk CRC.
QByteArray withPngSize(QByteArray png, std::uint32_t width, std::uint32_t height)
{
    putBigEndian(png, 16, width);
    putBigEndian(png, 20, height);
    putBigEndian(png, 29, crc32(png.mid(12, 17)));
    return png;
}

/// A small GIF: header, logical screen of 5x3 with a two-colour table, one image, trailer.
QByteArray smallGif()
{
    QByteArray gif("GIF89a");
    gif.append("\x05\x00\x03\x00\x80\x00\x00", 7);
    gif.append("\x00\x00\x00\xff\xff\xff", 6);
    gif.append("\x2c\x00\x00\x00\x00\x05\x00\x03\x00\x00", 10);
    gif.append("\x02\x02\x44\x01\x00", 5);
    gif.append(';');
    return gif;
}

cv::Mat grayPattern()
{
    cv::Mat m(3, 4, CV_8UC1);
    for (int i = 0; i < 12; ++i)
        m.at<uchar>(i / 4, i % 4) = uchar(i * 21 + 3);
    return m;
}

cv::Mat colorPattern()
{
    cv::Mat m(2, 3, CV_8UC3);
    for (int i = 0; i < 6; ++i)
        m.at<cv::Vec3b>(i / 3, i % 3) = cv::Vec3b(uchar(10 + i), uchar(100 + 20 * i), uchar(250 - 30 * i));
    return m;
}

cv::Mat asFloat(const cv::Mat &m)
{
    cv::Mat out;
    m.convertTo(out, CV_32F);
    return out;
}

/// A minimal uncompressed grayscale TIFF of @p gray in either byte order, its one strip
/// declared @p declaredBytes long and the image @p width x @p height (those of @p gray unless
/// told otherwise).
QByteArray tiffOf(const cv::Mat &gray, bool little, long long declaredBytes = -1, long long width = -1,
                  long long height = -1)
{
    QByteArray t;
    const auto put = [&](std::uint64_t value, int bytes) {
        for (int i = 0; i < bytes; ++i)
            t.append(char(little ? (value >> (8 * i)) & 0xFF : (value >> (8 * (bytes - 1 - i))) & 0xFF));
    };
    t.append(little ? "II" : "MM");
    put(42, 2);
    put(8, 4);
    const int entries = 9;
    const std::uint32_t data = 8 + 2 + 12 * entries + 4;
    put(entries, 2);
    const auto entry = [&](int tag, int type, std::uint32_t value) {
        put(tag, 2);
        put(type, 2);
        put(1, 4);
        if (type == 3) {
            put(value, 2); // a SHORT lies in the first two bytes of the field
            put(0, 2);
        } else {
            put(value, 4);
        }
    };
    entry(256, 4, std::uint32_t(width < 0 ? gray.cols : width));
    entry(257, 3, std::uint32_t(height < 0 ? gray.rows : height));
    entry(258, 3, 8);
    entry(259, 3, 1);
    entry(262, 3, 1);
    entry(273, 4, data);
    entry(277, 3, 1);
    entry(278, 4, std::uint32_t(gray.rows));
    entry(279, 4, std::uint32_t(declaredBytes < 0 ? gray.total() : declaredBytes));
    put(0, 4);
    for (int r = 0; r < gray.rows; ++r)
        t.append(reinterpret_cast<const char *>(gray.ptr(r)), gray.cols);
    return t;
}

/// @p bytes in a heap block of exactly their size, so that a sanitizer sees any read past them.
std::optional<ImageHeader> headerOfExactly(const QByteArray &bytes)
{
    const std::unique_ptr<char[]> exact(new char[size_t(std::max<qsizetype>(bytes.size(), 1))]);
    std::memcpy(exact.get(), bytes.constData(), size_t(bytes.size()));
    return padlab::core::readImageHeader(std::string_view(exact.get(), size_t(bytes.size())));
}

/// The peak resident memory of this process so far, in bytes.
long long peakBytes()
{
    struct rusage usage = {};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss * 1024LL;
}

/// OpenCV's temporary files (`__opencv_temp.*`) in @p folder.
int openCvTemporaries(const QString &folder)
{
    return int(QDir(folder).entryList({QStringLiteral("__opencv_temp*")}, QDir::Files | QDir::Hidden).size());
}

} // namespace

class TestInputs : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void parseCsv_data();
    void parseCsv();
    void parseCsvRefuses_data();
    void parseCsvRefuses();
    void readCsvFile();
    void formatCsv_data();
    void formatCsv();
    void formatCsvRoundTrip();
    void presets_data();
    void presets();
    void presetValues();
    void loadKernel_data();
    void loadKernel();
    void loadKernelRefuses_data();
    void loadKernelRefuses();
    void loadImage_data();
    void loadImage();
    void loadImageRefuses_data();
    void loadImageRefuses();
    void pixelLimit();
    void readImageHeader_data();
    void readImageHeader();
    void looksLikeImagePath_data();
    void looksLikeImagePath();
    void tiff_data();
    void tiff();
    void refusedFormats_data();
    void refusedFormats();
    void bombsAreRefusedCheaply_data();
    void bombsAreRefusedCheaply();
    void decodingWritesNoFile();
    void openCvEnforcesTheLimit();
    void onlyRegularFiles_data();
    void onlyRegularFiles();
    void lessonInputErrorsQuoteNothing();
    void resultsMustBeFinite_data();
    void resultsMustBeFinite();

private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }
};

void TestInputs::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(cv::imwrite(path(QStringLiteral("gray.png")).toStdString(), grayPattern()));
    QVERIFY(cv::imwrite(path(QStringLiteral("color.png")).toStdString(), colorPattern()));
    QVERIFY(cv::imwrite(path(QStringLiteral("gray.bmp")).toStdString(), grayPattern()));
    QVERIFY(cv::imwrite(path(QStringLiteral("photo.jpg")).toStdString(),
                        cv::Mat(6, 9, CV_8UC3, cv::Scalar(40, 90, 200))));
    QVERIFY(cv::imwrite(path(QStringLiteral("wide.png")).toStdString(), cv::Mat(30, 40, CV_8UC1, cv::Scalar(7))));

    const QByteArray png = readAll(path(QStringLiteral("gray.png")));
    const QByteArray jpg = readAll(path(QStringLiteral("photo.jpg")));
    QVERIFY(png.size() > 40 && jpg.size() > 40);
    QVERIFY(writeAll(path(QStringLiteral("cut.png")), png.left(png.size() / 2)));
    QVERIFY(writeAll(path(QStringLiteral("cut.jpg")), jpg.left(jpg.size() / 2)));
    QVERIFY(writeAll(path(QStringLiteral("huge.png")), withPngSize(png, 30000, 30000)));
    QVERIFY(writeAll(path(QStringLiteral("widest.png")), withPngSize(png, 0xFFFFFFFFu, 0xFFFFFFFFu)));
    QVERIFY(writeAll(path(QStringLiteral("huge.pgm")), QByteArray("P5\n4294967296 4294967296\n255\nabcd")));
    QVERIFY(writeAll(path(QStringLiteral("text.png")), "this is not an image\n"));
    QVERIFY(writeAll(path(QStringLiteral("empty.png")), QByteArray()));
    QVERIFY(writeAll(path(QStringLiteral("small.gif")), smallGif()));
    QVERIFY(writeAll(path(QStringLiteral("kernel.csv")), "1,2\n3,4\n"));
    QVERIFY(writeAll(path(QStringLiteral("ragged.csv")), "1,2,3\n4,5,6\n7,8\n"));
}

void TestInputs::parseCsv_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<cv::Mat>("expected");
    QTest::newRow("two rows") << QByteArray("1,2,3\n4,5,6\n") << mat(2, 3, {1, 2, 3, 4, 5, 6});
    QTest::newRow("no final newline") << QByteArray("1,2\n3,4") << mat(2, 2, {1, 2, 3, 4});
    QTest::newRow("CRLF") << QByteArray("1,2\r\n3,4\r\n") << mat(2, 2, {1, 2, 3, 4});
    QTest::newRow("BOM") << QByteArray("\xEF\xBB\xBF" "1,2\n3,4\n") << mat(2, 2, {1, 2, 3, 4});
    QTest::newRow("spaces around numbers") << QByteArray(" 1 , 2\n3 ,\t4 \n") << mat(2, 2, {1, 2, 3, 4});
    QTest::newRow("trailing blank lines") << QByteArray("1,2\n3,4\n\n\n  \n\r\n") << mat(2, 2, {1, 2, 3, 4});
    QTest::newRow("one row is a 1-D signal") << QByteArray("1,-2.5,3e2,+4") << mat(1, 4, {1, -2.5, 300, 4});
    QTest::newRow("one column") << QByteArray("1\n2\n3\n") << mat(3, 1, {1, 2, 3});
    QTest::newRow("exact decimals") << QByteArray("0.1,1e-300,-0.30000000000000004")
                                    << mat(1, 3, {0.1, 1e-300, -0.30000000000000004});
}

void TestInputs::parseCsv()
{
    try {
        QFETCH(QByteArray, text);
        QFETCH(cv::Mat, expected);
        const cv::Mat parsed = padlab::core::parseCsv(bytesOf(text), "data.csv");
        QCOMPARE(parsed.type(), CV_64F);
        PADLAB_COMPARE_MAT(parsed, expected, 0.0);
    } catch (const std::exception &e) {
        QFAIL(qPrintable(QStringLiteral("unexpected error: ") + QString::fromUtf8(e.what())));
    }
}

void TestInputs::parseCsvRefuses_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QStringList>("mentions");
    QTest::newRow("ragged row") << QByteArray("1,2,3\n4,5\n") << QStringList{QStringLiteral("line 2")};
    QTest::newRow("ragged third row") << QByteArray("1,2\n3,4\n5,6,7\n") << QStringList{QStringLiteral("line 3")};
    QTest::newRow("word") << QByteArray("1,2\nabc,4\n")
                          << QStringList{QStringLiteral("line 2"), QStringLiteral("column 1"), QStringLiteral("abc")};
    QTest::newRow("word in column 3") << QByteArray("1,2,x7\n")
                                      << QStringList{QStringLiteral("line 1"), QStringLiteral("column 3"),
                                                     QStringLiteral("x7")};
    QTest::newRow("missing value") << QByteArray("1,,2\n") << QStringList{QStringLiteral("column 2")};
    QTest::newRow("empty text") << QByteArray() << QStringList{QStringLiteral("empty")};
    QTest::newRow("only blank lines") << QByteArray("\n \n\r\n") << QStringList{QStringLiteral("empty")};
    QTest::newRow("empty line in the middle") << QByteArray("1,2\n\n3,4\n")
                                              << QStringList{QStringLiteral("line 2"), QStringLiteral("empty")};
    // A NaN or an infinity would poison every window it touches, so they are refused.
    QTest::newRow("nan") << QByteArray("1,nan\n") << QStringList{QStringLiteral("column 2"), QStringLiteral("nan")};
    QTest::newRow("inf") << QByteArray("inf,1\n") << QStringList{QStringLiteral("column 1"), QStringLiteral("inf")};
    QTest::newRow("overflow") << QByteArray("1\n1e999\n")
                              << QStringList{QStringLiteral("line 2"), QStringLiteral("1e999")};
    QTest::newRow("semicolon separator") << QByteArray("1;2\n") << QStringList{QStringLiteral("line 1")};
}

void TestInputs::parseCsvRefuses()
{
    QFETCH(QByteArray, text);
    QFETCH(QStringList, mentions);
    const QString message = errorOf([&] { padlab::core::parseCsv(bytesOf(text), "data.csv"); });
    QVERIFY2(!message.isNull(), "accepted");
    QVERIFY2(message.contains(QLatin1String("data.csv")), qPrintable(message));
    for (const QString &m : mentions)
        QVERIFY2(message.contains(m), qPrintable(message));
}

void TestInputs::readCsvFile()
{
    try {
        PADLAB_COMPARE_MAT(padlab::core::readCsvFile(path(QStringLiteral("kernel.csv")).toStdString()),
                           mat(2, 2, {1, 2, 3, 4}), 0.0);

        const QString missing = path(QStringLiteral("no-such-file.csv"));
        QString message = errorOf([&] { padlab::core::readCsvFile(missing.toStdString()); });
        QVERIFY2(message.contains(missing), qPrintable(message));

        const QString ragged = path(QStringLiteral("ragged.csv"));
        message = errorOf([&] { padlab::core::readCsvFile(ragged.toStdString()); });
        QVERIFY2(message.contains(ragged) && message.contains(QLatin1String("line 3")), qPrintable(message));

        const cv::Mat input = loadInput(path(QStringLiteral("kernel.csv")).toStdString());
        QCOMPARE(input.type(), CV_64F);
        PADLAB_COMPARE_MAT(input, mat(2, 2, {1, 2, 3, 4}), 0.0);
    } catch (const std::exception &e) {
        QFAIL(qPrintable(QStringLiteral("unexpected error: ") + QString::fromUtf8(e.what())));
    }
}

void TestInputs::formatCsv_data()
{
    QTest::addColumn<cv::Mat>("matrix");
    QTest::addColumn<QString>("text");
    QTest::newRow("integers and fractions") << mat(2, 2, {1, 2.5, -3, 0.1}) << QStringLiteral("1,2.5\n-3,0.1\n");
    QTest::newRow("one row") << mat(1, 3, {7, 8, 9}) << QStringLiteral("7,8,9\n");
    QTest::newRow("empty") << cv::Mat() << QString();
    cv::Mat twoChannels(1, 2, CV_64FC2);
    twoChannels.at<cv::Vec2d>(0, 0) = {1, 10};
    twoChannels.at<cv::Vec2d>(0, 1) = {2, 20};
    QTest::newRow("two channels, one block each") << twoChannels << QStringLiteral("1,2\n\n10,20\n");
}

void TestInputs::formatCsv()
{
    QFETCH(cv::Mat, matrix);
    QFETCH(QString, text);
    QCOMPARE(QString::fromStdString(padlab::core::formatCsv(matrix)), text);
}

void TestInputs::formatCsvRoundTrip()
{
    try {
        cv::Mat m = padlab::test::randomMat(6, 5, CV_64F, -1e6, 1e6, 99);
        m.at<double>(0, 0) = 0.1;
        m.at<double>(0, 1) = 1.0 / 3.0;
        m.at<double>(0, 2) = -1e-300;
        m.at<double>(0, 3) = 123456789.123;
        m.at<double>(0, 4) = 1e22;
        m.at<double>(1, 0) = 5e-324;
        const std::string text = padlab::core::formatCsv(m);
        PADLAB_COMPARE_MAT(padlab::core::parseCsv(text, "round trip"), m, 0.0);

        // Images are CV_32F: their values must come back exactly too.
        const cv::Mat f = padlab::test::randomMat(4, 7, CV_32F, -300, 300, 5);
        const cv::Mat back = padlab::core::parseCsv(padlab::core::formatCsv(f), "round trip");
        PADLAB_COMPARE_MAT(back, f, 0.0);
    } catch (const std::exception &e) {
        QFAIL(qPrintable(QStringLiteral("unexpected error: ") + QString::fromUtf8(e.what())));
    }
}

void TestInputs::presets_data()
{
    QTest::addColumn<QString>("name");
    QVERIFY(presetNames().size() >= 11);
    for (const std::string &name : presetNames())
        QTest::newRow(name.c_str()) << QString::fromStdString(name);
}

void TestInputs::presets()
{
    try {
        QFETCH(QString, name);
        const std::optional<cv::Mat> k = preset(name.toStdString());
        QVERIFY(k.has_value());
        QCOMPARE(k->type(), CV_64F);
        QVERIFY(k->rows >= 1 && k->cols >= 1);
        QVERIFY2(k->rows % 2 == 1 && k->rows == k->cols, "presets are odd squares, so they have a centre");
        PADLAB_COMPARE_MAT(padlab::core::loadKernel(name.toStdString()), *k, 0.0);
    } catch (const std::exception &e) {
        QFAIL(qPrintable(QStringLiteral("unexpected error: ") + QString::fromUtf8(e.what())));
    }
}

void TestInputs::presetValues()
{
    try {
        const cv::Mat identity = *preset("identity");
        for (int r = 0; r < identity.rows; ++r)
            for (int c = 0; c < identity.cols; ++c)
                QCOMPARE(identity.at<double>(r, c), (r == identity.rows / 2 && c == identity.cols / 2) ? 1.0 : 0.0);

        const cv::Mat sobelX = mat(3, 3, {-1, 0, 1, -2, 0, 2, -1, 0, 1});
        PADLAB_COMPARE_MAT(*preset("sobel-x"), sobelX, 0.0);
        PADLAB_COMPARE_MAT(*preset("sobel-y"), cv::Mat(sobelX.t()), 0.0);

        for (const char *name : {"gaussian-3", "gaussian-5", "box-3", "box-5"}) {
            const cv::Mat k = *preset(name);
            QVERIFY2(std::abs(cv::sum(k)[0] - 1.0) < 1e-12, name);
            double low = 0;
            double high = 0;
            cv::minMaxLoc(k, &low, &high);
            QVERIFY2(low > 0, name);
            // Smoothing kernels weigh the centre most (box: equally).
            QCOMPARE(k.at<double>(k.rows / 2, k.cols / 2), high);
        }
        const cv::Mat box = *preset("box-3");
        for (int i = 0; i < 9; ++i)
            QCOMPARE(box.at<double>(i / 3, i % 3), 1.0 / 9);
        QVERIFY(!preset("no-such-kernel").has_value());
    } catch (const std::exception &e) {
        QFAIL(qPrintable(QStringLiteral("unexpected error: ") + QString::fromUtf8(e.what())));
    }
}

void TestInputs::loadKernel_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<cv::Mat>("expected");
    QTest::newRow("inline 3x3") << QStringLiteral("1,0,-1;2,0,-2;1,0,-1") << mat(3, 3, {1, 0, -1, 2, 0, -2, 1, 0, -1});
    QTest::newRow("inline one row") << QStringLiteral("0.5, 0.5") << mat(1, 2, {0.5, 0.5});
    QTest::newRow("inline column") << QStringLiteral("1;-2;1") << mat(3, 1, {1, -2, 1});
    QTest::newRow("inline exponent") << QStringLiteral("1e-3,-2E1") << mat(1, 2, {1e-3, -20});
    QTest::newRow("csv file") << path(QStringLiteral("kernel.csv")) << mat(2, 2, {1, 2, 3, 4});
}

void TestInputs::loadKernel()
{
    try {
        QFETCH(QString, spec);
        QFETCH(cv::Mat, expected);
        PADLAB_COMPARE_MAT(padlab::core::loadKernel(spec.toStdString()), expected, 0.0);
    } catch (const std::exception &e) {
        QFAIL(qPrintable(QStringLiteral("unexpected error: ") + QString::fromUtf8(e.what())));
    }
}

void TestInputs::loadKernelRefuses_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QStringList>("mentions");
    QStringList presets;
    for (const std::string &name : presetNames())
        presets << QString::fromStdString(name);
    QTest::newRow("unknown preset lists the presets") << QStringLiteral("gausian-3")
                                                      << (QStringList{QStringLiteral("gausian-3")} + presets);
    QTest::newRow("ragged inline rows") << QStringLiteral("1,2;3") << QStringList{QStringLiteral("2")};
    QTest::newRow("empty") << QStringLiteral("  ") << QStringList{QStringLiteral("empty")};
    QTest::newRow("missing csv file") << QStringLiteral("/nonexistent/k.csv")
                                      << QStringList{QStringLiteral("/nonexistent/k.csv")};
}

void TestInputs::loadKernelRefuses()
{
    QFETCH(QString, spec);
    QFETCH(QStringList, mentions);
    const QString message = errorOf([&] { padlab::core::loadKernel(spec.toStdString()); });
    QVERIFY2(!message.isNull(), "accepted");
    for (const QString &m : mentions)
        QVERIFY2(message.contains(m), qPrintable(m + QStringLiteral(" not in: ") + message));

    const QString rows = errorOf([] { parseKernelRows("1,0;2,x"); });
    QVERIFY2(rows.contains(QLatin1String("2")) && rows.contains(QLatin1String("x")), qPrintable(rows));
}

void TestInputs::loadImage_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("mode");
    QTest::addColumn<cv::Mat>("expected");
    QTest::newRow("grayscale PNG") << QStringLiteral("gray.png") << int(ImageMode::Grayscale) << asFloat(grayPattern());
    QTest::newRow("colour PNG") << QStringLiteral("color.png") << int(ImageMode::Color) << asFloat(colorPattern());
    QTest::newRow("grayscale PNG read as colour") << QStringLiteral("gray.png") << int(ImageMode::Color)
                                                  << asFloat([] {
                                                         cv::Mat c;
                                                         cv::merge(std::vector<cv::Mat>(3, grayPattern()), c);
                                                         return c;
                                                     }());
    QTest::newRow("grayscale BMP") << QStringLiteral("gray.bmp") << int(ImageMode::Grayscale) << asFloat(grayPattern());
}

void TestInputs::loadImage()
{
    try {
        QFETCH(QString, file);
        QFETCH(int, mode);
        QFETCH(cv::Mat, expected);
        const cv::Mat image = padlab::core::loadImage(path(file).toStdString(), ImageMode(mode));
        QCOMPARE(image.depth(), CV_32F);
        PADLAB_COMPARE_MAT(image, expected, 0.0);
        if (mode == int(ImageMode::Grayscale))
            PADLAB_COMPARE_MAT(loadInput(path(file).toStdString()), expected, 0.0);
    } catch (const std::exception &e) {
        QFAIL(qPrintable(QStringLiteral("unexpected error: ") + QString::fromUtf8(e.what())));
    }
}

void TestInputs::loadImageRefuses_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("mention");
    QTest::newRow("truncated PNG") << QStringLiteral("cut.png") << QStringLiteral("cut short");
    QTest::newRow("truncated JPEG") << QStringLiteral("cut.jpg") << QStringLiteral("cut short");
    QTest::newRow("text named .png") << QStringLiteral("text.png") << QStringLiteral("not an image");
    QTest::newRow("empty file") << QStringLiteral("empty.png") << QStringLiteral("empty");
    QTest::newRow("missing file") << QStringLiteral("absent.png") << QStringLiteral("cannot open");
    QTest::newRow("GIF") << QStringLiteral("small.gif") << QStringLiteral("GIF");
    QTest::newRow("huge PNG header") << QStringLiteral("huge.png") << QStringLiteral("30000x30000");
    // Sizes whose product does not fit in 64 bits are still too large, not wrapped around.
    QTest::newRow("PNG header near 2^32") << QStringLiteral("widest.png") << QStringLiteral("4294967295x4294967295");
    QTest::newRow("PNM header 2^32") << QStringLiteral("huge.pgm") << QStringLiteral("4294967296x4294967296");
}

void TestInputs::loadImageRefuses()
{
    QFETCH(QString, file);
    QFETCH(QString, mention);
    const QString full = path(file);
    const QString message = errorOf([&] { padlab::core::loadImage(full.toStdString()); });
    QVERIFY2(!message.isNull(), "accepted");
    QVERIFY2(message.contains(full), qPrintable(message));
    QVERIFY2(message.contains(mention), qPrintable(message));
}

void TestInputs::pixelLimit()
{
    try {
        // 40x30 = 1200 pixels: the limit is inclusive, one pixel less refuses before decoding.
        const std::string wide = path(QStringLiteral("wide.png")).toStdString();
        QCOMPARE(padlab::core::loadImage(wide, ImageMode::Grayscale, 1200).size(), cv::Size(40, 30));
        const QString message = errorOf([&] { padlab::core::loadImage(wide, ImageMode::Grayscale, 1199); });
        QVERIFY2(message.contains(QLatin1String("40x30")), qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("1199")), qPrintable(message));

        // The huge header is refused from the header alone: the same bytes read back 30000x30000.
        const auto header = padlab::core::readImageHeader(bytesOf(readAll(path(QStringLiteral("huge.png")))));
        QVERIFY(header.has_value());
        QCOMPARE(header->width, std::int64_t(30000));
        QCOMPARE(header->height, std::int64_t(30000));
        QVERIFY(!header->truncated);
    } catch (const std::exception &e) {
        QFAIL(qPrintable(QStringLiteral("unexpected error: ") + QString::fromUtf8(e.what())));
    }
}

void TestInputs::readImageHeader_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("format"); // empty: not an image
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::addColumn<bool>("truncated");
    QTest::newRow("PNG") << readAll(path(QStringLiteral("gray.png"))) << QStringLiteral("PNG") << 4 << 3 << false;
    QTest::newRow("PNG cut short") << readAll(path(QStringLiteral("cut.png"))) << QStringLiteral("PNG") << 4 << 3
                                   << true;
    QTest::newRow("JPEG") << readAll(path(QStringLiteral("photo.jpg"))) << QStringLiteral("JPEG") << 9 << 6 << false;
    QTest::newRow("JPEG cut short") << readAll(path(QStringLiteral("cut.jpg"))) << QStringLiteral("JPEG") << 9 << 6
                                    << true;
    QTest::newRow("BMP") << readAll(path(QStringLiteral("gray.bmp"))) << QStringLiteral("BMP") << 4 << 3 << false;
    QTest::newRow("GIF") << smallGif() << QStringLiteral("GIF") << 5 << 3 << false;
    QTest::newRow("PNM") << QByteArray("P5\n# comment\n4 3\n255\n" "abcdefghijkl") << QStringLiteral("PNM") << 4 << 3
                         << false;
    QTest::newRow("WebP VP8X") << QByteArray("RIFF\x16\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x00\x00\x00\x00"
                                             "\x7f\x02\x00\xdf\x01\x00",
                                             30)
                               << QStringLiteral("WebP") << 640 << 480 << false;
    QTest::newRow("WebP VP8X one byte short") << QByteArray("RIFF\x16\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x00\x00"
                                                            "\x00\x00\x7f\x02\x00\xdf\x01",
                                                            29)
                                              << QStringLiteral("WebP") << 0 << 0 << true;
    QTest::newRow("WebP VP8L cut in its size") << QByteArray("RIFF\x0c\x00\x00\x00WEBPVP8L\x00\x00\x00\x00\x2f\x01", 22)
                                               << QStringLiteral("WebP") << 0 << 0 << true;
    QTest::newRow("PNM binary cut short") << QByteArray("P5 4 3 255\n" "abcdefghijk") << QStringLiteral("PNM") << 4
                                          << 3 << true;
    QTest::newRow("PNM bitmap exact") << QByteArray("P4 9 2\n" "abcd") << QStringLiteral("PNM") << 9 << 2 << false;
    QTest::newRow("PNM 16-bit exact") << QByteArray("P5 2 1 65535\n" "abcd") << QStringLiteral("PNM") << 2 << 1
                                      << false;
    QTest::newRow("text") << QByteArray("hello, world") << QString() << 0 << 0 << false;
    QTest::newRow("CSV") << QByteArray("1,2\n3,4\n") << QString() << 0 << 0 << false;
}

void TestInputs::readImageHeader()
{
    try {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, format);
        QFETCH(int, width);
        QFETCH(int, height);
        QFETCH(bool, truncated);
        QVERIFY(!bytes.isEmpty());
        const std::optional<ImageHeader> header = headerOfExactly(bytes);
        if (format.isEmpty()) {
            QVERIFY(!header.has_value());
            return;
        }
        QVERIFY(header.has_value());
        QCOMPARE(QString::fromStdString(header->format), format);
        QCOMPARE(header->width, std::int64_t(width));
        QCOMPARE(header->height, std::int64_t(height));
        QCOMPARE(header->truncated, truncated);
    } catch (const std::exception &e) {
        QFAIL(qPrintable(QStringLiteral("unexpected error: ") + QString::fromUtf8(e.what())));
    }
}

void TestInputs::looksLikeImagePath_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("image");
    QTest::newRow("png") << QStringLiteral("a.png") << true;
    QTest::newRow("upper-case JPG") << QStringLiteral("/tmp/B.JPG") << true;
    QTest::newRow("jpeg") << QStringLiteral("c.jpeg") << true;
    QTest::newRow("bmp") << QStringLiteral("d.bmp") << true;
    QTest::newRow("csv") << QStringLiteral("e.csv") << false;
    QTest::newRow("lesson") << QStringLiteral("f.padlab.json") << false;
    QTest::newRow("no extension") << QStringLiteral("png") << false;
}

void TestInputs::looksLikeImagePath()
{
    QFETCH(QString, file);
    QFETCH(bool, image);
    QCOMPARE(padlab::core::looksLikeImagePath(file.toStdString()), image);
}

void TestInputs::tiff_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("width");
    QTest::addColumn<bool>("truncated");
    QTest::addColumn<bool>("decodes");
    const cv::Mat gray = grayPattern();
    QTest::newRow("little-endian") << tiffOf(gray, true) << 4 << false << true;
    QTest::newRow("big-endian") << tiffOf(gray, false) << 4 << false << true;
    QTest::newRow("strip past the end") << tiffOf(gray, true, 5000) << 4 << true << false;
    QTest::newRow("file cut in the strip") << tiffOf(gray, false).chopped(3) << 4 << true << false;
    QTest::newRow("directory past the end") << QByteArray("II*\0\x00\x10\x00\x00", 8) << 0 << true << false;
    QTest::newRow("directory cut short") << tiffOf(gray, true).left(40) << 0 << true << false;
    // 20000x20000 declared by 4 KB: refused from the header (it once took 8.9 GB and 116 s).
    QTest::newRow("20000x20000 bomb") << tiffOf(gray, true, -1, 20000, 20000) << 20000 << false << false;
}

void TestInputs::tiff()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, width);
    QFETCH(bool, truncated);
    QFETCH(bool, decodes);
    const std::optional<ImageHeader> header = headerOfExactly(bytes);
    QVERIFY(header.has_value());
    QCOMPARE(QString::fromStdString(header->format), QStringLiteral("TIFF"));
    QVERIFY(header->readable);
    QCOMPARE(header->width, std::int64_t(width));
    QCOMPARE(header->truncated, truncated);
    try {
        const cv::Mat image = decodeImage(bytesOf(bytes), "x.tif");
        QVERIFY2(decodes, "decoded");
        PADLAB_COMPARE_MAT(image, grayPattern(), 0.0);
    } catch (const Error &e) {
        QVERIFY2(!decodes, e.what());
        QVERIFY2(QString::fromUtf8(e.what()).contains(QLatin1String("TIFF")), e.what());
    }
}

void TestInputs::refusedFormats_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("format");
    QTest::newRow("DICOM named .png") << QByteArray(128, '\0') + "DICM" << "DICOM";
    QTest::newRow("PAM") << QByteArray("P7\nWIDTH 30000\nHEIGHT 30000\nDEPTH 1\nMAXVAL 255\nENDHDR\n") << "PAM";
    QTest::newRow("PFM") << QByteArray("Pf\n30000 30000\n-1.0\n") << "PFM";
    QTest::newRow("PFM colour") << QByteArray("PF\n3 3\n1.0\n") << "PFM";
    QTest::newRow("OpenEXR") << QByteArray("\x76\x2f\x31\x01\x02\x00\x00\x00", 8) << "OpenEXR";
    QTest::newRow("Radiance HDR") << QByteArray("#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n") << "Radiance HDR";
    QTest::newRow("RGBE") << QByteArray("#?RGBE\n") << "Radiance HDR";
    QTest::newRow("JPEG 2000") << QByteArray("\x00\x00\x00\x0cjP  \r\n\x87\n", 12) << "JPEG 2000";
    QTest::newRow("JPEG 2000 codestream") << QByteArray("\xff\x4f\xff\x51\x00\x2f", 6) << "JPEG 2000";
    QTest::newRow("Sun raster") << QByteArray("\x59\xa6\x6a\x95\x00\x00\x00\x10", 8) << "Sun raster";
    QTest::newRow("BigTIFF") << QByteArray("II+\0\x08\x00\x00\x00", 8) << "BigTIFF";
    QTest::newRow("HEIF") << QByteArray("\x00\x00\x00\x18" "ftypheic\x00\x00\x00\x00", 16) << "HEIF";
    QTest::newRow("GIF") << smallGif() << "GIF";
}

void TestInputs::refusedFormats()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, format);
    const std::optional<ImageHeader> header = headerOfExactly(bytes);
    QVERIFY(header.has_value());
    QCOMPARE(QString::fromStdString(header->format), format);
    QVERIFY(!header->readable);
    const QString message = errorOf([&] { decodeImage(bytesOf(bytes), "input.png"); });
    QVERIFY2(message.contains(QStringLiteral("input.png: ") + format + QStringLiteral(" images cannot be read")),
             qPrintable(message));
}

void TestInputs::bombsAreRefusedCheaply_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("mention");
    QTest::newRow("TIFF 20000x20000") << tiffOf(grayPattern(), true, -1, 20000, 20000) << "20000x20000";
    QTest::newRow("PAM 30000x30000") << QByteArray("P7\nWIDTH 30000\nHEIGHT 30000\nDEPTH 1\nMAXVAL 255\n"
                                                   "TUPLTYPE GRAYSCALE\nENDHDR\n")
                                            + QByteArray(100, '\0')
                                     << "PAM";
    QTest::newRow("PFM 30000x30000") << QByteArray("Pf\n30000 30000\n-1.0\n") + QByteArray(100, '\0') << "PFM";
    QTest::newRow("PNM 14000x14000 without data") << QByteArray("P5 14000 14000 255\n") + QByteArray(100, '\0')
                                                  << "cut short";
    QTest::newRow("unknown bytes") << QByteArray(128, '\0') + "DICX" << "not an image";
}

void TestInputs::bombsAreRefusedCheaply()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, mention);
    const long long before = peakBytes();
    QElapsedTimer timer;
    timer.start();
    const QString message = errorOf([&] { decodeImage(bytesOf(bytes), "bomb", ImageMode::Color); });
    // Bounds far above a refusal from the header, far below a decode of what is declared.
    QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
    QVERIFY2(peakBytes() - before < 50'000'000, qPrintable(QString::number(peakBytes() - before)));
    QVERIFY2(message.contains(mention), qPrintable(message));
}

void TestInputs::decodingWritesNoFile()
{
    // OpenCV copies data for its decoders without buffer support (DICOM, PFM, Radiance HDR,
    // OpenEXR, Sun raster) to OPENCV_TEMP_PATH first, and leaves the copy when they throw.
    QTemporaryDir temporaries;
    QVERIFY(temporaries.isValid());
    qputenv("OPENCV_TEMP_PATH", temporaries.path().toLocal8Bit());
    const int inTmp = openCvTemporaries(QDir::tempPath());
    const QList<QByteArray> inputs = {
        QByteArray(128, '\0') + "DICM",
        QByteArray("Pf\n30000 30000\n-1.0\n") + QByteArray(100, '\0'),
        QByteArray("PF\n2 2\n-1.0\n") + QByteArray(48, '\0'),
        QByteArray("#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 2 +X 2\n") + QByteArray(16, '\0'),
        QByteArray("\x59\xa6\x6a\x95\x00\x00\x00\x02\x00\x00\x00\x02\x00\x00\x00\x08", 16)
            + QByteArray(20, '\0'),
        QByteArray("\x76\x2f\x31\x01\x02\x00\x00\x00", 8) + QByteArray(64, '\0'),
        tiffOf(grayPattern(), true),
        readAll(path(QStringLiteral("gray.png"))),
    };
    for (const QByteArray &bytes : inputs)
        errorOf([&] { decodeImage(bytesOf(bytes), "input"); });
    qunsetenv("OPENCV_TEMP_PATH");
    QCOMPARE(openCvTemporaries(temporaries.path()), 0);
    QCOMPARE(openCvTemporaries(QDir::tempPath()), inTmp);
}

void TestInputs::openCvEnforcesTheLimit()
{
    // OpenCV reads OPENCV_IO_MAX_IMAGE_PIXELS before main(); this program sets it before that
    // (core/src/decoderlimits.cpp). A PNG declaring 20000x20000 pixels is within OpenCV's own
    // default of 2^30, but not within the 2*10^8 of this program: OpenCV refuses it itself.
    const QByteArray png = withPngSize(readAll(path(QStringLiteral("gray.png"))), 20000, 20000);
    const cv::Mat raw(1, int(png.size()), CV_8U, const_cast<char *>(png.constData()));
    try {
        const cv::Mat decoded = cv::imdecode(raw, cv::IMREAD_GRAYSCALE);
        QFAIL("OpenCV decoded an image past the limit");
    } catch (const cv::Exception &e) {
        QVERIFY2(QString::fromStdString(e.what()).contains(QLatin1String("CV_IO_MAX_IMAGE_PIXELS")), e.what());
    }
    QCOMPARE(qgetenv("OPENCV_IO_MAX_IMAGE_PIXELS"), QByteArray::number(qlonglong(kMaxImagePixels)));
}

void TestInputs::onlyRegularFiles_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("mention");
    QTest::newRow("/dev/zero as CSV") << "/dev/zero.csv" << "device";
    QTest::newRow("/dev/zero as image") << "/dev/zero" << "device";
    QTest::newRow("link to /dev/zero as CSV") << "zero.csv" << "device";
    QTest::newRow("FIFO as CSV") << "pipe.csv" << "FIFO";
    QTest::newRow("FIFO as image") << "pipe.png" << "FIFO";
    QTest::newRow("CSV over the limit") << "big.csv" << "256 MB";
    QTest::newRow("image over the limit") << "big.png" << "1 GB";
}

void TestInputs::onlyRegularFiles()
{
    QFETCH(QString, file);
    QFETCH(QString, mention);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QFile::link(QStringLiteral("/dev/zero"), dir.filePath(QStringLiteral("zero.csv"))));
    QVERIFY(QFile::link(QStringLiteral("/dev/zero"), dir.filePath(QStringLiteral("zero.png"))));
    QCOMPARE(::mkfifo(QFile::encodeName(dir.filePath(QStringLiteral("pipe.csv"))).constData(), 0600), 0);
    QCOMPARE(::mkfifo(QFile::encodeName(dir.filePath(QStringLiteral("pipe.png"))).constData(), 0600), 0);
    for (const auto &[name, size] : {std::pair{"big.csv", qint64(kMaxCsvBytes) + 1},
                                     std::pair{"big.png", qint64(kMaxImageFileBytes) + 1}}) {
        QFile sparse(dir.filePath(QString::fromLatin1(name)));
        QVERIFY(sparse.open(QIODevice::WriteOnly) && sparse.resize(size));
    }
    // /dev/zero.csv does not exist: the device itself is named by a CSV-looking link instead.
    const QString named = file == QLatin1String("/dev/zero.csv") ? dir.filePath(QStringLiteral("zero.csv"))
                          : file.startsWith('/')                 ? file
                                                                 : dir.filePath(file);
    const QString message = errorOf([&] { loadInput(QFile::encodeName(named).toStdString()); });
    QVERIFY2(message.contains(mention), qPrintable(message));
    QVERIFY2(message.contains(named), qPrintable(message));
}

void TestInputs::lessonInputErrorsQuoteNothing()
{
    const std::string secret = "password=hunter2\n";
    const QString quoted = errorOf([&] { padlab::core::parseCsv(secret, "secret.csv"); });
    QVERIFY2(quoted.contains(QLatin1String("hunter2")), qPrintable(quoted));
    const QString silent = errorOf([&] { padlab::core::parseCsv(secret, "secret.csv", false); });
    QVERIFY2(silent.contains(QLatin1String("line 1, column 1")), qPrintable(silent));
    QVERIFY2(!silent.contains(QLatin1String("hunter2")) && !silent.contains(QLatin1String("password")),
             qPrintable(silent));
}

void TestInputs::resultsMustBeFinite_data()
{
    QTest::addColumn<cv::Mat>("result");
    QTest::addColumn<QString>("cell"); // empty: finite
    QTest::newRow("finite") << mat(2, 2, {1, 1e308, -1e308, 0}) << QString();
    QTest::newRow("inf") << mat(2, 2, {1, 2, 3, HUGE_VAL}) << "row 2, column 2 is inf";
    QTest::newRow("-inf first") << mat(1, 3, {-HUGE_VAL, 1, HUGE_VAL}) << "row 1, column 1 is -inf";
    QTest::newRow("nan") << mat(2, 1, {0, std::nan("")}) << "row 2, column 1 is nan";
    cv::Mat colour(1, 2, CV_32FC3, cv::Scalar(1, 2, 3));
    colour.at<cv::Vec3f>(0, 1)[2] = std::numeric_limits<float>::infinity();
    QTest::newRow("float colour") << colour << "row 1, column 2, channel 3 is inf";
}

void TestInputs::resultsMustBeFinite()
{
    QFETCH(cv::Mat, result);
    QFETCH(QString, cell);
    const QString message = errorOf([&] { requireFinite(result); });
    const QString csv = errorOf([&] { padlab::core::formatCsv(result); });
    if (cell.isEmpty()) {
        QVERIFY2(message.isNull(), qPrintable(message));
        QVERIFY2(csv.isNull(), qPrintable(csv));
        return;
    }
    QVERIFY2(message.contains(cell), qPrintable(message));
    QCOMPARE(csv, message);
}

QTEST_GUILESS_MAIN(TestInputs)
#include "tst_inputs.moc"

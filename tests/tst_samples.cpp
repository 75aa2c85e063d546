#include <QSet>
#include <QSize>
#include <QTest>

#include <opencv2/core.hpp>

#include "samples.h"

using padlab::ui::makeSample;
using padlab::ui::samples;

namespace {

// Sizes and channel counts as the menu describes them.
struct Documented
{
    QSize size;
    int channels = 0;
};

Documented documented(const QString &id)
{
    if (id == QLatin1String("digit"))
        return {QSize(28, 28), 1};
    if (id == QLatin1String("checkerboard"))
        return {QSize(32, 32), 1};
    if (id == QLatin1String("gradient"))
        return {QSize(64, 64), 1};
    if (id == QLatin1String("shapes"))
        return {QSize(128, 128), 1};
    if (id == QLatin1String("photo"))
        return {QSize(640, 480), 3};
    return {};
}

} // namespace

class TestSamples : public QObject
{
    Q_OBJECT

private slots:
    void menu();
    void build_data();
    void build();
    void digitLooksLikeMnist();
    void checkerboardAlternates_data();
    void checkerboardAlternates();
    void gradientRises();
    void shapesRunOffTheRightEdge();
    void photoIsInColour();
    void unknownIdIsEmpty_data();
    void unknownIdIsEmpty();
};

void TestSamples::menu()
{
    QVERIFY(!samples().isEmpty());
    QSet<QString> ids;
    for (const auto &sample : samples()) {
        QVERIFY2(!sample.title.isEmpty(), qPrintable(sample.id));
        QVERIFY2(!sample.description.isEmpty(), qPrintable(sample.id));
        ids.insert(sample.id);
    }
    QCOMPARE(ids.size(), samples().size());
    QCOMPARE(padlab::ui::defaultSampleId(), QStringLiteral("digit"));
    QVERIFY(ids.contains(padlab::ui::defaultSampleId()));
}

void TestSamples::build_data()
{
    QTest::addColumn<QString>("id");
    for (const auto &sample : samples())
        QTest::newRow(qPrintable(sample.id)) << sample.id;
}

void TestSamples::build()
{
    QFETCH(QString, id);
    const Documented expected = documented(id);
    QVERIFY2(expected.channels > 0, "the sample has no documented size");

    const cv::Mat image = makeSample(id);
    QCOMPARE(image.depth(), CV_32F);
    QCOMPARE(image.channels(), expected.channels);
    QCOMPARE(QSize(image.cols, image.rows), expected.size);

    double lo = 0.0;
    double hi = 0.0;
    cv::minMaxLoc(image.reshape(1), &lo, &hi);
    QVERIFY2(lo >= 0.0 && hi <= 255.0, qPrintable(QStringLiteral("range %1..%2").arg(lo).arg(hi)));

    // Every channel must carry a visible picture, not a flat or nearly flat field.
    cv::Scalar mean;
    cv::Scalar stddev;
    cv::meanStdDev(image, mean, stddev);
    for (int c = 0; c < image.channels(); ++c)
        QVERIFY2(stddev[c] > 25.0, qPrintable(QStringLiteral("channel %1 std dev %2")
                                                  .arg(c)
                                                  .arg(stddev[c])));

    const cv::Mat again = makeSample(id);
    QCOMPARE(again.size(), image.size());
    QCOMPARE(again.type(), image.type());
    QCOMPARE(cv::norm(image, again, cv::NORM_INF), 0.0);
}

void TestSamples::digitLooksLikeMnist()
{
    const cv::Mat digit = makeSample(QStringLiteral("digit"));
    QCOMPARE(digit.type(), CV_32FC1);
    QCOMPARE(digit.size(), cv::Size(28, 28));
    // Whole numbers, as MNIST's bytes: no cell needs more than three digits.
    cv::Mat rounded;
    digit.convertTo(rounded, CV_8U);
    rounded.convertTo(rounded, CV_32F);
    QCOMPARE(cv::countNonZero(rounded != digit), 0);

    // MNIST keeps a blank margin of about four pixels around the digit.
    constexpr int margin = 3;
    cv::Mat inner = cv::Mat::zeros(digit.size(), CV_8U);
    inner(cv::Rect(margin, margin, 28 - 2 * margin, 28 - 2 * margin)).setTo(1);
    double borderMax = 0.0;
    cv::minMaxLoc(digit, nullptr, &borderMax, nullptr, nullptr, inner == 0);
    QVERIFY2(borderMax < 20.0, qPrintable(QStringLiteral("border max %1").arg(borderMax)));

    const cv::Mat centre = digit(cv::Rect(7, 7, 14, 14));
    double centreMax = 0.0;
    cv::minMaxLoc(centre, nullptr, &centreMax);
    QVERIFY2(centreMax > 240.0, qPrintable(QStringLiteral("centre max %1").arg(centreMax)));

    // A stroke, not a blob or a speck: MNIST digits light up roughly 10-20% of the pixels.
    const int bright = cv::countNonZero(digit > 128.0f);
    QVERIFY2(bright > 50 && bright < 200, qPrintable(QStringLiteral("%1 bright").arg(bright)));

    // Anti-aliased: the stroke edge has grey levels between black and white.
    const int grey = cv::countNonZero((digit > 40.0f) & (digit < 215.0f));
    QVERIFY2(grey > 20, qPrintable(QStringLiteral("%1 grey").arg(grey)));
}

void TestSamples::checkerboardAlternates_data()
{
    QTest::addColumn<int>("row");
    QTest::addColumn<int>("col");
    QTest::newRow("top left square") << 0 << 0;
    QTest::newRow("second square in a row") << 0 << 4;
    QTest::newRow("middle") << 12 << 16;
    QTest::newRow("bottom right square") << 28 << 28;
}

void TestSamples::checkerboardAlternates()
{
    QFETCH(int, row);
    QFETCH(int, col);
    const cv::Mat board = makeSample(QStringLiteral("checkerboard"));
    QCOMPARE(board.size(), cv::Size(32, 32));

    const cv::Mat square = board(cv::Rect(col, row, 4, 4));
    double lo = 0.0;
    double hi = 0.0;
    cv::minMaxLoc(square, &lo, &hi);
    QCOMPARE(lo, hi);
    QVERIFY(lo == 0.0 || lo == 255.0);

    // The four neighbours of a square all have the other colour.
    const float own = board.at<float>(row, col);
    const QPoint neighbours[] = {{col - 4, row}, {col + 4, row}, {col, row - 4}, {col, row + 4}};
    for (const QPoint &n : neighbours) {
        if (n.x() < 0 || n.y() < 0 || n.x() >= 32 || n.y() >= 32)
            continue;
        QCOMPARE(board.at<float>(n.y(), n.x()), 255.0f - own);
    }
}

void TestSamples::gradientRises()
{
    const cv::Mat ramp = makeSample(QStringLiteral("gradient"));
    QCOMPARE(ramp.type(), CV_32FC1);
    QCOMPARE(ramp.at<float>(0, 0), 0.0f);
    QCOMPARE(ramp.at<float>(ramp.rows - 1, ramp.cols - 1), 255.0f);
    for (int r = 0; r < ramp.rows; ++r) {
        for (int c = 0; c < ramp.cols; ++c) {
            if (c + 1 < ramp.cols)
                QVERIFY(ramp.at<float>(r, c + 1) > ramp.at<float>(r, c));
            if (r + 1 < ramp.rows)
                QVERIFY(ramp.at<float>(r + 1, c) > ramp.at<float>(r, c));
        }
    }
}

void TestSamples::shapesRunOffTheRightEdge()
{
    // The bar that reaches the right edge is what makes circular and reflecting fills differ.
    const cv::Mat shapes = makeSample(QStringLiteral("shapes"));
    cv::Scalar mean;
    cv::Scalar stddev;
    cv::meanStdDev(shapes.col(shapes.cols - 1), mean, stddev);
    QVERIFY2(stddev[0] > 20.0, qPrintable(QStringLiteral("right column std dev %1").arg(stddev[0])));
}

void TestSamples::photoIsInColour()
{
    const cv::Mat photo = makeSample(QStringLiteral("photo"));
    QCOMPARE(photo.type(), CV_32FC3);
    std::vector<cv::Mat> bgr;
    cv::split(photo, bgr);
    // Sky on top is blue-dominant, ground at the bottom green-dominant (channels are B, G, R).
    const cv::Scalar sky = cv::mean(photo(cv::Rect(0, 0, photo.cols, 40)));
    const cv::Scalar ground = cv::mean(photo(cv::Rect(0, photo.rows - 40, photo.cols, 40)));
    QVERIFY2(sky[0] > sky[2] + 40.0, qPrintable(QStringLiteral("sky B %1 R %2").arg(sky[0]).arg(sky[2])));
    QVERIFY2(ground[1] > ground[0] + 20.0 && ground[1] > ground[2],
             qPrintable(QStringLiteral("ground B %1 G %2 R %3")
                            .arg(ground[0])
                            .arg(ground[1])
                            .arg(ground[2])));
    QVERIFY(cv::norm(bgr[0], bgr[2], cv::NORM_L1) / photo.total() > 20.0);
}

void TestSamples::unknownIdIsEmpty_data()
{
    QTest::addColumn<QString>("id");
    QTest::newRow("empty") << QString();
    QTest::newRow("misspelt") << QStringLiteral("digits");
    QTest::newRow("title instead of id") << QStringLiteral("Checkerboard");
}

void TestSamples::unknownIdIsEmpty()
{
    QFETCH(QString, id);
    QVERIFY(makeSample(id).empty());
}

QTEST_MAIN(TestSamples)
#include "tst_samples.moc"

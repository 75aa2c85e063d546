#include "padlab/core/fill.h"
#include "padlab/core/pad.h"
#include "testutil.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTest>

#include <opencv2/core.hpp>

#include <stdexcept>
#include <vector>

using namespace padlab::core;
using padlab::test::element;

namespace {

/// An independent model of each fill: walk from the first cell one step at a time, turning
/// around (reflect, symmetric), stopping (replicate) or wrapping (circular) at the ends.
int walkDonor(int p, int n, Fill fill)
{
    if (p >= 0 && p < n)
        return p;
    if (fill == Fill::Zeros || fill == Fill::Constant)
        return -1;
    int x = 0;
    int dir = p > 0 ? 1 : -1;
    const int steps = p > 0 ? p : -p;
    for (int i = 0; i < steps; ++i) {
        const bool outside = x + dir < 0 || x + dir >= n;
        switch (fill) {
        case Fill::Replicate:
            if (!outside)
                x += dir;
            break;
        case Fill::Circular:
            x = outside ? (dir > 0 ? 0 : n - 1) : x + dir;
            break;
        case Fill::Reflect:
            if (n == 1)
                break;
            if (outside)
                dir = -dir;
            x += dir;
            break;
        case Fill::Symmetric:
            if (outside)
                dir = -dir; // the edge cell repeats once before walking back
            else
                x += dir;
            break;
        default:
            break;
        }
    }
    return x;
}

QString fillText(Fill fill)
{
    return QString::fromLatin1(fillName(fill).data(), int(fillName(fill).size()));
}

QString sidesText(const Sides &s)
{
    return QStringLiteral("%1,%2,%3,%4").arg(s.top).arg(s.bottom).arg(s.left).arg(s.right);
}

int borderType(Fill fill)
{
    switch (fill) {
    case Fill::Zeros:
    case Fill::Constant: return cv::BORDER_CONSTANT;
    case Fill::Reflect: return cv::BORDER_REFLECT_101;
    case Fill::Symmetric: return cv::BORDER_REFLECT;
    case Fill::Replicate: return cv::BORDER_REPLICATE;
    case Fill::Circular: return cv::BORDER_WRAP;
    }
    return -1;
}

/// The padded matrix the walk model predicts (CV_64F, one channel).
cv::Mat modelPad(const cv::Mat &input, const Sides &s, Fill fill, double value)
{
    cv::Mat out(input.rows + s.top + s.bottom, input.cols + s.left + s.right, CV_64F);
    for (int r = 0; r < out.rows; ++r)
        for (int c = 0; c < out.cols; ++c) {
            const int dr = walkDonor(r - s.top, input.rows, fill);
            const int dc = walkDonor(c - s.left, input.cols, fill);
            out.at<double>(r, c) = (dr < 0 || dc < 0) ? (fill == Fill::Zeros ? 0.0 : value)
                                                      : element(input, dr, dc);
        }
    return out;
}

cv::Mat row(std::initializer_list<double> values)
{
    return cv::Mat(std::vector<double>(values), true).reshape(1, 1);
}

} // namespace

class TestPadding : public QObject {
    Q_OBJECT

private slots:
    void walkModelMatchesDocument();
    void donorIndex_data();
    void donorIndex();
    void donorIndexOfEmptyRow_data();
    void donorIndexOfEmptyRow();
    void referenceCases_data();
    void referenceCases();
    void documentedRows_data();
    void documentedRows();
    void matchesCopyMakeBorder_data();
    void matchesCopyMakeBorder();
    void widePads_data();
    void widePads();
    void farWiderPadsStayLinear_data();
    void farWiderPadsStayLinear();
    void donorOf_data();
    void donorOf();
    void roiIsPaddedFromItself_data();
    void roiIsPaddedFromItself();
    void names_data();
    void names();
};

// The model itself must draw the diagrams of fill.h, or comparing against it proves nothing.
void TestPadding::walkModelMatchesDocument()
{
    auto draw = [](Fill fill) {
        QString text;
        for (int p = -3; p < 4 + 3; ++p)
            text += walkDonor(p, 4, fill) < 0 ? QLatin1Char('0') : QLatin1Char('a' + walkDonor(p, 4, fill));
        return text;
    };
    QCOMPARE(draw(Fill::Zeros), QStringLiteral("000abcd000"));
    QCOMPARE(draw(Fill::Reflect), QStringLiteral("dcbabcdcba"));
    QCOMPARE(draw(Fill::Symmetric), QStringLiteral("cbaabcddcb"));
    QCOMPARE(draw(Fill::Replicate), QStringLiteral("aaaabcdddd"));
    QCOMPARE(draw(Fill::Circular), QStringLiteral("bcdabcdabc"));
}

void TestPadding::donorIndex_data()
{
    QTest::addColumn<Fill>("fill");
    QTest::addColumn<int>("n");
    for (Fill fill : allFills())
        for (int n = 1; n <= 8; ++n)
            QTest::addRow("%s n=%d", qPrintable(fillText(fill)), n) << fill << n;
}

void TestPadding::donorIndex()
{
    QFETCH(Fill, fill);
    QFETCH(int, n);
    for (int p = -40; p <= 40; ++p) {
        const int expected = walkDonor(p, n, fill);
        const int actual = padlab::core::donorIndex(p, n, fill);
        if (actual != expected)
            QFAIL(qPrintable(QStringLiteral("donorIndex(p=%1, n=%2, %3) = %4, expected %5")
                                 .arg(p)
                                 .arg(n)
                                 .arg(fillText(fill))
                                 .arg(actual)
                                 .arg(expected)));
    }
}

void TestPadding::donorIndexOfEmptyRow_data()
{
    QTest::addColumn<Fill>("fill");
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("p");
    for (Fill fill : allFills()) {
        QTest::addRow("%s n=0 p=0", qPrintable(fillText(fill))) << fill << 0 << 0;
        QTest::addRow("%s n=0 p=-3", qPrintable(fillText(fill))) << fill << 0 << -3;
        QTest::addRow("%s n=-2 p=5", qPrintable(fillText(fill))) << fill << -2 << 5;
    }
}

// The engine itself refuses an empty row, instead of dividing by its size.
void TestPadding::donorIndexOfEmptyRow()
{
    QFETCH(Fill, fill);
    QFETCH(int, n);
    QFETCH(int, p);
    try {
        const int donor = padlab::core::donorIndex(p, n, fill);
        QFAIL(qPrintable(QStringLiteral("returned %1 instead of refusing").arg(donor)));
    } catch (const std::invalid_argument &e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("row of %1 cells").arg(n)), e.what());
    }
}

void TestPadding::referenceCases_data()
{
    QTest::addColumn<cv::Mat>("input");
    QTest::addColumn<Sides>("sides");
    QTest::addColumn<Fill>("fill");
    QTest::addColumn<double>("value");
    QTest::addColumn<cv::Mat>("expected");
    for (const auto &c : padlab::test::referenceCases())
        QTest::newRow(qPrintable(c.name)) << c.input << c.sides << c.spec.fill << c.spec.value << c.padded;
}

void TestPadding::referenceCases()
{
    try {
        QFETCH(cv::Mat, input);
        QFETCH(Sides, sides);
        QFETCH(Fill, fill);
        QFETCH(double, value);
        QFETCH(cv::Mat, expected);
        const cv::Mat padded = pad(input, sides, fill, value);
        QCOMPARE(padded.type(), input.type());
        PADLAB_COMPARE_MAT(padded, expected, 0.0);
    } catch (const std::exception &e) {
        QFAIL(qPrintable(QStringLiteral("unexpected error: ") + QString::fromUtf8(e.what())));
    }
}

void TestPadding::documentedRows_data()
{
    QTest::addColumn<cv::Mat>("input");
    QTest::addColumn<int>("before");
    QTest::addColumn<int>("after");
    QTest::addColumn<Fill>("fill");
    QTest::addColumn<double>("value");
    QTest::addColumn<cv::Mat>("expected");

    // SEMANTICS.md section 7 and DESIGN.md "Fill".
    const cv::Mat five = row({1, 2, 3, 4, 5});
    QTest::newRow("12345 3/3 zeros") << five << 3 << 3 << Fill::Zeros << 9.0
                                     << row({0, 0, 0, 1, 2, 3, 4, 5, 0, 0, 0});
    QTest::newRow("12345 3/3 constant -1.5") << five << 3 << 3 << Fill::Constant << -1.5
                                             << row({-1.5, -1.5, -1.5, 1, 2, 3, 4, 5, -1.5, -1.5, -1.5});
    QTest::newRow("12345 3/3 reflect") << five << 3 << 3 << Fill::Reflect << 0.0
                                       << row({4, 3, 2, 1, 2, 3, 4, 5, 4, 3, 2});
    QTest::newRow("12345 3/3 symmetric") << five << 3 << 3 << Fill::Symmetric << 0.0
                                         << row({3, 2, 1, 1, 2, 3, 4, 5, 5, 4, 3});
    QTest::newRow("12345 3/3 replicate") << five << 3 << 3 << Fill::Replicate << 0.0
                                         << row({1, 1, 1, 1, 2, 3, 4, 5, 5, 5, 5});
    QTest::newRow("12345 3/3 circular") << five << 3 << 3 << Fill::Circular << 0.0
                                        << row({3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3});

    const cv::Mat three = row({1, 2, 3});
    QTest::newRow("123 7/7 reflect") << three << 7 << 7 << Fill::Reflect << 0.0
                                     << row({2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2});
    QTest::newRow("123 7/7 symmetric") << three << 7 << 7 << Fill::Symmetric << 0.0
                                       << row({1, 1, 2, 3, 3, 2, 1, 1, 2, 3, 3, 2, 1, 1, 2, 3, 3});
    QTest::newRow("123 7/7 circular") << three << 7 << 7 << Fill::Circular << 0.0
                                      << row({3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1});

    // tf.pad documentation example.
    QTest::newRow("tf.pad 123 2/2 REFLECT") << three << 2 << 2 << Fill::Reflect << 0.0
                                            << row({3, 2, 1, 2, 3, 2, 1});
    QTest::newRow("tf.pad 123 2/2 SYMMETRIC") << three << 2 << 2 << Fill::Symmetric << 0.0
                                              << row({2, 1, 1, 2, 3, 3, 2});
    QTest::newRow("123 1/4 reflect uneven") << three << 1 << 4 << Fill::Reflect << 0.0
                                            << row({2, 1, 2, 3, 2, 1, 2, 3});
}

void TestPadding::documentedRows()
{
    try {
        QFETCH(cv::Mat, input);
        QFETCH(int, before);
        QFETCH(int, after);
        QFETCH(Fill, fill);
        QFETCH(double, value);
        QFETCH(cv::Mat, expected);

        const cv::Mat horizontal = pad(input, Sides{0, 0, before, after}, fill, value);
        PADLAB_COMPARE_MAT(horizontal, expected, 0.0);

        // The same row standing up must pad the same way along the other axis.
        const cv::Mat vertical = pad(input.t(), Sides{before, after, 0, 0}, fill, value);
        PADLAB_COMPARE_MAT(vertical, cv::Mat(expected.t()), 0.0);
    } catch (const std::exception &e) {
        QFAIL(qPrintable(QStringLiteral("unexpected error: ") + QString::fromUtf8(e.what())));
    }
}

void TestPadding::matchesCopyMakeBorder_data()
{
    QTest::addColumn<Fill>("fill");
    QTest::addColumn<int>("type");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    QTest::addColumn<Sides>("sides");

    const std::vector<std::pair<int, const char *>> types = {
        {CV_8UC1, "8UC1"}, {CV_8UC3, "8UC3"}, {CV_16SC1, "16SC1"}, {CV_32FC1, "32FC1"},
        {CV_32FC3, "32FC3"}, {CV_32FC4, "32FC4"}, {CV_64FC1, "64FC1"}, {CV_64FC2, "64FC2"},
    };
    const std::vector<std::tuple<int, int, Sides>> shapes = {
        {6, 7, Sides{1, 1, 1, 1}},   {5, 4, Sides{2, 3, 0, 4}},  {4, 9, Sides{0, 0, 3, 0}},
        {3, 3, Sides{8, 5, 11, 7}},  {1, 6, Sides{4, 2, 9, 1}},  {7, 1, Sides{3, 10, 2, 2}},
    };
    for (Fill fill : allFills())
        for (const auto &[type, typeName] : types)
            for (const auto &[rows, cols, sides] : shapes)
                QTest::addRow("%s %s %dx%d pads %s", qPrintable(fillText(fill)), typeName, rows, cols,
                              qPrintable(sidesText(sides)))
                    << fill << type << rows << cols << sides;
}

void TestPadding::matchesCopyMakeBorder()
{
    try {
        QFETCH(Fill, fill);
        QFETCH(int, type);
        QFETCH(int, rows);
        QFETCH(int, cols);
        QFETCH(Sides, sides);

        const bool integer = CV_MAT_DEPTH(type) < CV_32F;
        const cv::Mat input = padlab::test::randomMat(rows, cols, type, integer ? 0 : -50, integer ? 120 : 50,
                                                      uint64_t(rows * 1000 + cols * 10 + type));
        const double value = fill == Fill::Zeros ? 0.0 : (integer ? 7.0 : -2.5);

        cv::Mat expected;
        cv::copyMakeBorder(input, expected, sides.top, sides.bottom, sides.left, sides.right,
                           borderType(fill), cv::Scalar::all(value));
        const cv::Mat actual = pad(input, sides, fill, value);
        QCOMPARE(actual.type(), type);
        PADLAB_COMPARE_MAT(actual, expected, 0.0);
    } catch (const std::exception &e) {
        QFAIL(qPrintable(QStringLiteral("unexpected error: ") + QString::fromUtf8(e.what())));
    }
}

void TestPadding::widePads_data()
{
    QTest::addColumn<Fill>("fill");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    QTest::addColumn<Sides>("sides");

    const std::vector<std::tuple<int, int, Sides>> shapes = {
        {1, 1, Sides{3, 5, 4, 2}},    {1, 5, Sides{6, 2, 13, 17}}, {1, 2, Sides{0, 0, 9, 4}},
        {2, 3, Sides{5, 7, 10, 3}},   {4, 1, Sides{9, 9, 6, 6}},   {3, 4, Sides{20, 1, 1, 20}},
    };
    for (Fill fill : allFills())
        for (const auto &[rows, cols, sides] : shapes)
            QTest::addRow("%s %dx%d pads %s", qPrintable(fillText(fill)), rows, cols,
                          qPrintable(sidesText(sides)))
                << fill << rows << cols << sides;
}

void TestPadding::widePads()
{
    try {
        QFETCH(Fill, fill);
        QFETCH(int, rows);
        QFETCH(int, cols);
        QFETCH(Sides, sides);

        cv::Mat input(rows, cols, CV_64F);
        for (int i = 0; i < rows * cols; ++i)
            input.at<double>(i / cols, i % cols) = 10 * (i / cols) + (i % cols) + 1;
        const double value = 42.5;

        const cv::Mat actual = pad(input, sides, fill, value);
        PADLAB_COMPARE_MAT(actual, modelPad(input, sides, fill, value), 0.0);
    } catch (const std::exception &e) {
        QFAIL(qPrintable(QStringLiteral("unexpected error: ") + QString::fromUtf8(e.what())));
    }
}

void TestPadding::farWiderPadsStayLinear_data()
{
    QTest::addColumn<Fill>("fill");
    for (Fill fill : allFills())
        QTest::newRow(qPrintable(fillText(fill))) << fill;
}

// Pads a million times wider than a 1x2 colour selection: done in time proportional to the
// padded size (OpenCV alone mirrors one input width at a time, minutes here), and the cells are
// those of the walk model, taken from the selection only.
void TestPadding::farWiderPadsStayLinear()
{
    QFETCH(Fill, fill);
    const cv::Mat big = padlab::test::randomMat(5, 7, CV_32FC3, -100, 100, 23);
    const cv::Mat roi(big, cv::Rect(2, 1, 2, 1));
    const Sides sides{3, 2, 1'000'000, 999'999};
    QElapsedTimer timer;
    timer.start();
    const cv::Mat padded = pad(roi, sides, fill, 7.5);
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(padded.rows, 6);
    QCOMPARE(padded.cols, 2'000'001);
    for (const int col : {0, 1, 2, 999'998, 999'999, 1'000'000, 1'000'001, 1'000'002, 1'500'000, 2'000'000})
        for (int row = 0; row < padded.rows; ++row) {
            const int r = walkDonor(row - sides.top, roi.rows, fill);
            const int c = walkDonor(col - sides.left, roi.cols, fill);
            for (int ch = 0; ch < 3; ++ch) {
                const double expected = r < 0 || c < 0 ? (fill == Fill::Constant ? 7.5 : 0.0)
                                                       : roi.at<cv::Vec3f>(r, c)[ch];
                QCOMPARE(double(padded.at<cv::Vec3f>(row, col)[ch]), expected);
            }
        }
}

void TestPadding::donorOf_data()
{
    QTest::addColumn<Fill>("fill");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    QTest::addColumn<Sides>("sides");

    const std::vector<std::tuple<int, int, Sides>> shapes = {
        {4, 5, Sides{1, 2, 2, 1}}, {3, 3, Sides{7, 4, 0, 9}}, {1, 1, Sides{2, 2, 2, 2}}, {1, 6, Sides{0, 0, 8, 3}},
    };
    for (Fill fill : allFills())
        for (const auto &[rows, cols, sides] : shapes)
            QTest::addRow("%s %dx%d pads %s", qPrintable(fillText(fill)), rows, cols,
                          qPrintable(sidesText(sides)))
                << fill << rows << cols << sides;
}

void TestPadding::donorOf()
{
    try {
        QFETCH(Fill, fill);
        QFETCH(int, rows);
        QFETCH(int, cols);
        QFETCH(Sides, sides);

        cv::Mat input(rows, cols, CV_64F);
        for (int i = 0; i < rows * cols; ++i)
            input.at<double>(i / cols, i % cols) = 100 + i;
        const double value = -3.25;
        const cv::Mat padded = pad(input, sides, fill, value);

        for (int r = 0; r < padded.rows; ++r)
            for (int c = 0; c < padded.cols; ++c) {
                const Donor donor = padlab::core::donorOf(r, c, PerAxis{rows, cols}, sides, fill);
                const QString where = QStringLiteral("padded cell (%1, %2)").arg(r).arg(c);
                const bool inside = r >= sides.top && r < sides.top + rows && c >= sides.left
                                    && c < sides.left + cols;
                QVERIFY2(donor.isPadding == !inside, qPrintable(where + QStringLiteral(": isPadding wrong")));

                const int dr = walkDonor(r - sides.top, rows, fill);
                const int dc = walkDonor(c - sides.left, cols, fill);
                const bool fillValue = dr < 0 || dc < 0;
                QVERIFY2(donor.isFillValue() == fillValue, qPrintable(where + QStringLiteral(": isFillValue wrong")));
                if (fillValue) {
                    QCOMPARE(donor.row, -1);
                    QCOMPARE(donor.col, -1);
                    QCOMPARE(padded.at<double>(r, c), fill == Fill::Zeros ? 0.0 : value);
                } else {
                    QVERIFY2(donor.row == dr && donor.col == dc,
                             qPrintable(where + QStringLiteral(": donor (%1, %2), expected (%3, %4)")
                                                    .arg(donor.row)
                                                    .arg(donor.col)
                                                    .arg(dr)
                                                    .arg(dc)));
                    QCOMPARE(padded.at<double>(r, c), input.at<double>(donor.row, donor.col));
                }
            }
    } catch (const std::exception &e) {
        QFAIL(qPrintable(QStringLiteral("unexpected error: ") + QString::fromUtf8(e.what())));
    }
}

void TestPadding::roiIsPaddedFromItself_data()
{
    QTest::addColumn<Fill>("fill");
    for (Fill fill : allFills())
        QTest::newRow(qPrintable(fillText(fill))) << fill;
}

// A selection inside a bigger image is padded from its own cells, never from the pixels around it.
void TestPadding::roiIsPaddedFromItself()
{
    try {
        QFETCH(Fill, fill);
        const cv::Mat big = padlab::test::randomMat(12, 15, CV_32FC1, -100, 100, 17);
        const cv::Mat roi(big, cv::Rect(4, 3, 6, 5));
        const Sides sides{2, 3, 4, 1};
        PADLAB_COMPARE_MAT(pad(roi, sides, fill, 1.5), pad(roi.clone(), sides, fill, 1.5), 0.0);
        PADLAB_COMPARE_MAT(pad(roi, sides, fill, 1.5), modelPad(roi, sides, fill, 1.5), 0.0);
    } catch (const std::exception &e) {
        QFAIL(qPrintable(QStringLiteral("unexpected error: ") + QString::fromUtf8(e.what())));
    }
}

void TestPadding::names_data()
{
    QTest::addColumn<Fill>("fill");
    QTest::addColumn<QString>("opencv");
    QTest::addColumn<QString>("numpy");
    // DESIGN.md "Fill" table.
    QTest::newRow("zeros") << Fill::Zeros << QStringLiteral("BORDER_CONSTANT") << QStringLiteral("constant");
    QTest::newRow("constant") << Fill::Constant << QStringLiteral("BORDER_CONSTANT") << QStringLiteral("constant");
    QTest::newRow("reflect") << Fill::Reflect << QStringLiteral("BORDER_REFLECT_101") << QStringLiteral("reflect");
    QTest::newRow("symmetric") << Fill::Symmetric << QStringLiteral("BORDER_REFLECT") << QStringLiteral("symmetric");
    QTest::newRow("replicate") << Fill::Replicate << QStringLiteral("BORDER_REPLICATE") << QStringLiteral("edge");
    QTest::newRow("circular") << Fill::Circular << QStringLiteral("BORDER_WRAP") << QStringLiteral("wrap");
}

void TestPadding::names()
{
    QFETCH(Fill, fill);
    QFETCH(QString, opencv);
    QFETCH(QString, numpy);

    const QString name = fillText(fill);
    QCOMPARE(QString::fromStdString(std::string(fillName(fill))), QString::fromLatin1(QTest::currentDataTag()));
    QVERIFY(parseFill(name.toStdString()) == fill);
    QVERIFY(parseFill(name.toUpper().toStdString()) == fill);
    QVERIFY(!parseFill(name.toStdString() + "x").has_value());

    // The diagram a user reads must be what the fill does to `abcd`.
    QString drawn;
    for (int p = -3; p < 4 + 3; ++p) {
        if (p == 0 || p == 4)
            drawn += QLatin1Char('|');
        const int donor = walkDonor(p, 4, fill);
        drawn += donor >= 0 ? QChar(QLatin1Char(char('a' + donor)))
                            : (fill == Fill::Zeros ? QLatin1Char('0') : QLatin1Char('c'));
    }
    QCOMPARE(QString::fromStdString(std::string(fillDiagram(fill))), drawn);

    const FrameworkNames &names = frameworkNames(fill);
    QVERIFY2(QString::fromStdString(names.opencv).startsWith(opencv), names.opencv.c_str());
    if (fill == Fill::Symmetric)
        QVERIFY2(!QString::fromStdString(names.opencv).startsWith(QLatin1String("BORDER_REFLECT_101")),
                 names.opencv.c_str());
    QVERIFY2(QString::fromStdString(names.numpy).contains(numpy), names.numpy.c_str());
}

QTEST_GUILESS_MAIN(TestPadding)
#include "tst_padding.moc"

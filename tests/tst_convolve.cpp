#include "padlab/core/convolve.h"
#include "padlab/core/geometry.h"
#include "padlab/core/pad.h"
#include "padlab/core/window.h"
#include "testutil.h"

#include <QObject>
#include <QSet>
#include <QTest>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <array>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <vector>

using namespace padlab::core;
using padlab::test::element;

Q_DECLARE_METATYPE(padlab::core::Operation)

namespace {

QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

cv::Mat row(std::initializer_list<double> values)
{
    return cv::Mat(std::vector<double>(values), true).reshape(1, 1);
}

int outputLength(int padded, int kernel, int stride, int dilation)
{
    const int e = dilation * (kernel - 1) + 1;
    return padded < e ? 0 : (padded - e) / stride + 1;
}

/// The definition in DESIGN.md, one product at a time, in double: out(i, j) = sum of
/// w(a, b) * padded(i*sy + a*dy, j*sx + b*dx), w flipped on both axes for true convolution.
cv::Mat naiveConvolve(const cv::Mat &padded, const cv::Mat &kernel, PerAxis stride, PerAxis dilation,
                      Operation operation)
{
    const int rows = outputLength(padded.rows, kernel.rows, stride.rows, dilation.rows);
    const int cols = outputLength(padded.cols, kernel.cols, stride.cols, dilation.cols);
    const int cn = padded.channels();
    cv::Mat out(rows, cols, CV_MAKETYPE(CV_64F, cn), cv::Scalar::all(0));
    for (int i = 0; i < rows; ++i)
        for (int j = 0; j < cols; ++j)
            for (int ch = 0; ch < cn; ++ch) {
                double sum = 0;
                for (int a = 0; a < kernel.rows; ++a)
                    for (int b = 0; b < kernel.cols; ++b) {
                        const int ka = operation == Operation::Convolution ? kernel.rows - 1 - a : a;
                        const int kb = operation == Operation::Convolution ? kernel.cols - 1 - b : b;
                        sum += element(kernel, ka, kb)
                               * element(padded, i * stride.rows + a * dilation.rows,
                                         j * stride.cols + b * dilation.cols, ch);
                    }
                out.ptr<double>(i)[j * cn + ch] = sum;
            }
    return out;
}

ConvSpec makeSpec(Amount amount, Fill fill, Operation operation)
{
    ConvSpec spec;
    spec.amount.kind = amount;
    spec.fill = fill;
    spec.operation = operation;
    return spec;
}

} // namespace

class TestConvolve : public QObject {
    Q_OBJECT

private slots:
    void referenceFileIsComplete();
    void referenceCases_data();
    void referenceCases();
    void documentedExamples_data();
    void documentedExamples();
    void matchesNaiveLoop_data();
    void matchesNaiveLoop();
    void matchesFilter2D_data();
    void matchesFilter2D();
    void kernelDepths_data();
    void kernelDepths();
    void edgeSizes_data();
    void edgeSizes();
    void windowAt_data();
    void windowAt();
    void windowAtChannel();
    void windowSumText_data();
    void windowSumText();
    void formatNumber_data();
    void formatNumber();
};

// The copy under tests/data must hold every case, or the suites below would quietly test less.
void TestConvolve::referenceFileIsComplete()
{
    const auto cases = padlab::test::referenceCases();
    QCOMPARE(int(cases.size()), 120);
    QSet<QString> names;
    QSet<int> fills;
    QSet<int> amounts;
    int empty = 0;
    int flat = 0;
    for (const auto &c : cases) {
        names.insert(c.name);
        fills.insert(int(c.spec.fill));
        amounts.insert(int(c.spec.amount.kind));
        empty += c.output.empty() ? 1 : 0;
        flat += c.input.rows == 1 ? 1 : 0;
    }
    QCOMPARE(names.size(), 120);
    QCOMPARE(fills.size(), 6);
    QCOMPARE(amounts.size(), 5);
    QVERIFY(empty > 0);
    QVERIFY(flat > 0);
}

void TestConvolve::referenceCases_data()
{
    QTest::addColumn<cv::Mat>("input");
    QTest::addColumn<cv::Mat>("kernel");
    QTest::addColumn<ConvSpec>("spec");
    QTest::addColumn<cv::Mat>("padded");
    QTest::addColumn<cv::Mat>("output");
    for (const auto &c : padlab::test::referenceCases())
        QTest::newRow(qPrintable(c.name)) << c.input << c.kernel << c.spec << c.padded << c.output;
}

void TestConvolve::referenceCases()
{
    try {
        QFETCH(cv::Mat, input);
        QFETCH(cv::Mat, kernel);
        QFETCH(ConvSpec, spec);
        QFETCH(cv::Mat, padded);
        QFETCH(cv::Mat, output);

        const ConvResult result = convolve(input, kernel, spec);
        PADLAB_COMPARE_MAT(result.padded, padded, 0.0);

        const PerAxis expectedSize{
            outputLength(padded.rows, kernel.rows, spec.stride.rows, spec.dilation.rows),
            outputLength(padded.cols, kernel.cols, spec.stride.cols, spec.dilation.cols)};
        QCOMPARE(result.geometry.outputSize(), expectedSize);
        if (output.empty()) {
            QVERIFY(expectedSize.rows == 0 || expectedSize.cols == 0);
            QVERIFY2(result.output.empty(), qPrintable(padlab::test::matText(result.output)));
            QVERIFY(result.output.rows == 0 || result.output.cols == 0);
            QVERIFY(result.geometry.empty());
            return;
        }
        QCOMPARE(result.output.type(), CV_64F);
        QCOMPARE(result.output.rows, expectedSize.rows);
        QCOMPARE(result.output.cols, expectedSize.cols);
        PADLAB_COMPARE_MAT(result.output, output, 1e-9);
    } catch (const std::exception &e) {
        QFAIL(qPrintable(QStringLiteral("unexpected error: ") + QString::fromUtf8(e.what())));
    }
}

void TestConvolve::documentedExamples_data()
{
    QTest::addColumn<cv::Mat>("kernel");
    QTest::addColumn<ConvSpec>("spec");
    QTest::addColumn<cv::Mat>("expected");

    // SEMANTICS.md section 7, on x = [1 2 3 4 5].
    QTest::newRow("[1,0,-1] zeros") << row({1, 0, -1})
                                    << makeSpec(Amount::Same, Fill::Zeros, Operation::Correlation)
                                    << row({-2, -2, -2, -2, 4});
    QTest::newRow("[1,0,-1] reflect") << row({1, 0, -1})
                                      << makeSpec(Amount::Same, Fill::Reflect, Operation::Correlation)
                                      << row({0, -2, -2, -2, 0});
    QTest::newRow("[1,0,-1] zeros convolution") << row({1, 0, -1})
                                                << makeSpec(Amount::Same, Fill::Zeros, Operation::Convolution)
                                                << row({2, 2, 2, 2, -4});
    QTest::newRow("[1,1] same") << row({1, 1}) << makeSpec(Amount::Same, Fill::Zeros, Operation::Correlation)
                                << row({3, 5, 7, 9, 5});
    QTest::newRow("[1,2,3,4] same") << row({1, 2, 3, 4})
                                    << makeSpec(Amount::Same, Fill::Zeros, Operation::Correlation)
                                    << row({20, 30, 40, 26, 14});
    QTest::newRow("[1,1,1] full") << row({1, 1, 1}) << makeSpec(Amount::Full, Fill::Zeros, Operation::Correlation)
                                  << row({1, 3, 6, 9, 12, 9, 5});
    ConvSpec opencvAnchor = makeSpec(Amount::Explicit, Fill::Zeros, Operation::Correlation);
    opencvAnchor.amount.sides = {0, 0, 2, 1};
    QTest::newRow("[1,2,3,4] OpenCV anchor pads 2/1") << row({1, 2, 3, 4}) << opencvAnchor
                                                      << row({11, 20, 30, 40, 26});
}

void TestConvolve::documentedExamples()
{
    try {
        QFETCH(cv::Mat, kernel);
        QFETCH(ConvSpec, spec);
        QFETCH(cv::Mat, expected);
        const cv::Mat x = row({1, 2, 3, 4, 5});

        PADLAB_COMPARE_MAT(convolve(x, kernel, spec).output, expected, 1e-12);

        // The same signal standing up, with the kernel and the pads turned too.
        ConvSpec turned = spec;
        const Sides &s = spec.amount.sides;
        turned.amount.sides = {s.left, s.right, s.top, s.bottom};
        PADLAB_COMPARE_MAT(convolve(x.t(), kernel.t(), turned).output, cv::Mat(expected.t()), 1e-12);
    } catch (const std::exception &e) {
        QFAIL(qPrintable(QStringLiteral("unexpected error: ") + QString::fromUtf8(e.what())));
    }
}

void TestConvolve::matchesNaiveLoop_data()
{
    QTest::addColumn<cv::Mat>("padded");
    QTest::addColumn<cv::Mat>("kernel");
    QTest::addColumn<PerAxis>("stride");
    QTest::addColumn<PerAxis>("dilation");
    QTest::addColumn<Operation>("operation");
    QTest::addColumn<double>("tolerance");

    const std::vector<PerAxis> kernels = {{1, 1}, {2, 2}, {3, 3}, {4, 6},   {5, 2},
                                          {1, 9}, {8, 1}, {7, 7}, {11, 11}, {15, 15}};
    const std::vector<std::pair<PerAxis, PerAxis>> steps = {
        {{1, 1}, {1, 1}}, {{2, 3}, {1, 1}}, {{4, 4}, {1, 1}}, {{1, 4}, {2, 1}},
        {{1, 1}, {3, 2}}, {{3, 1}, {2, 3}}, {{2, 2}, {3, 3}},
    };
    uint64_t seed = 1;
    for (const PerAxis &k : kernels)
        for (const auto &[stride, dilation] : steps)
            for (int depth : {CV_32F, CV_64F}) {
                ++seed;
                const int channels = std::array<int, 5>{1, 3, 1, 4, 2}[seed % 5];
                const bool roi = seed % 2 == 0;
                const Operation op = seed % 4 < 2 ? Operation::Correlation : Operation::Convolution;
                // Outputs from a few cells to wider than the vectorised blocks (and not a multiple
                // of them), so every code path of the engine sees both.
                const int extraRows = int(seed % 9) + (seed % 3 == 1 ? 14 : 0);
                const int extraCols = int((seed * 7) % 11) * (1 + int(seed % 4) * stride.cols * 4);
                const int rows = dilation.rows * (k.rows - 1) + 1 + extraRows;
                const int cols = dilation.cols * (k.cols - 1) + 1 + extraCols;
                cv::Mat padded;
                if (roi) {
                    // A view into a bigger matrix: rows are not contiguous and the
                    // surrounding cells must not leak into the result.
                    const cv::Mat big = padlab::test::randomMat(rows + 9, cols + 13, CV_MAKETYPE(depth, channels),
                                                                -1e3, 1e3, seed + 1000);
                    padded = cv::Mat(big, cv::Rect(5, 4, cols, rows));
                } else {
                    padded = padlab::test::randomMat(rows, cols, CV_MAKETYPE(depth, channels), -1, 1, seed);
                }
                const cv::Mat kernel = padlab::test::randomMat(k.rows, k.cols, CV_64F, -2, 2, seed + 7);
                QTest::addRow("k%dx%d s%dx%d d%dx%d %s c%d %s%s", k.rows, k.cols, stride.rows, stride.cols,
                              dilation.rows, dilation.cols, depth == CV_32F ? "32F" : "64F", channels,
                              op == Operation::Correlation ? "corr" : "conv", roi ? " roi" : "")
                    << padded << kernel << stride << dilation << op << (depth == CV_32F ? 1e-4 : 1e-9);
            }
}

void TestConvolve::matchesNaiveLoop()
{
    try {
        QFETCH(cv::Mat, padded);
        QFETCH(cv::Mat, kernel);
        QFETCH(PerAxis, stride);
        QFETCH(PerAxis, dilation);
        QFETCH(Operation, operation);
        QFETCH(double, tolerance);

        const cv::Mat expected = naiveConvolve(padded, kernel, stride, dilation, operation);
        const cv::Mat actual = convolvePadded(padded, kernel, stride, dilation, operation);
        QCOMPARE(actual.type(), padded.type());
        PADLAB_COMPARE_MAT(actual, expected, tolerance);
    } catch (const std::exception &e) {
        QFAIL(qPrintable(QStringLiteral("unexpected error: ") + QString::fromUtf8(e.what())));
    }
}

void TestConvolve::matchesFilter2D_data()
{
    QTest::addColumn<Fill>("fill");
    QTest::addColumn<int>("type");
    QTest::addColumn<PerAxis>("kernelSize");
    QTest::addColumn<Operation>("operation");

    // filter2D has no BORDER_WRAP and no border value, so circular and constant are left out.
    const std::vector<std::pair<Fill, const char *>> fills = {{Fill::Zeros, "zeros"},
                                                              {Fill::Reflect, "reflect"},
                                                              {Fill::Symmetric, "symmetric"},
                                                              {Fill::Replicate, "replicate"}};
    const std::vector<PerAxis> kernels = {{3, 3}, {5, 5}, {3, 7}, {1, 5}, {4, 4}, {2, 3}, {13, 13}};
    for (const auto &[fill, name] : fills)
        for (int type : {CV_32FC1, CV_64FC1, CV_32FC3})
            for (const PerAxis &k : kernels)
                for (Operation op : {Operation::Correlation, Operation::Convolution})
                    QTest::addRow("%s %s k%dx%d %s", name,
                                  type == CV_32FC1   ? "32FC1"
                                  : type == CV_64FC1 ? "64FC1"
                                                     : "32FC3",
                                  k.rows, k.cols, op == Operation::Correlation ? "corr" : "conv")
                        << fill << type << k << op;
}

// cv::filter2D centres the kernel at (k/2) and fills its border the same way, so with the pads
// it implies (k/2 before, (k-1)/2 after) the engine must give the same image.
void TestConvolve::matchesFilter2D()
{
    QFETCH(Fill, fill);
    QFETCH(int, type);
    QFETCH(PerAxis, kernelSize);
    QFETCH(Operation, operation);
    try {
        const cv::Mat input = padlab::test::randomMat(17, 23, type, 0, 255, uint64_t(type + 31 * kernelSize.cols));
        const cv::Mat kernel = padlab::test::randomMat(kernelSize.rows, kernelSize.cols, CV_64F, -1, 1,
                                                       uint64_t(kernelSize.rows * 7 + kernelSize.cols));
        ConvSpec spec = makeSpec(Amount::Explicit, fill, operation);
        spec.amount.sides = {kernelSize.rows / 2, (kernelSize.rows - 1) / 2, kernelSize.cols / 2,
                             (kernelSize.cols - 1) / 2};
        if (operation == Operation::Convolution) {
            // A flipped kernel's centre moves: the pads mirror too.
            std::swap(spec.amount.sides.top, spec.amount.sides.bottom);
            std::swap(spec.amount.sides.left, spec.amount.sides.right);
        }

        cv::Mat weights;
        kernel.convertTo(weights, CV_MAKETYPE(CV_MAT_DEPTH(type), 1));
        cv::Point anchor(-1, -1);
        if (operation == Operation::Convolution) {
            cv::flip(weights, weights, -1);
            anchor = cv::Point(weights.cols - weights.cols / 2 - 1, weights.rows - weights.rows / 2 - 1);
        }
        const int border = fill == Fill::Zeros       ? cv::BORDER_CONSTANT
                           : fill == Fill::Reflect   ? cv::BORDER_REFLECT_101
                           : fill == Fill::Symmetric ? cv::BORDER_REFLECT
                                                     : cv::BORDER_REPLICATE;
        cv::Mat expected;
        cv::filter2D(input, expected, -1, weights, anchor, 0, border);

        const cv::Mat actual = convolve(input, kernel, spec).output;
        QCOMPARE(actual.type(), type);
        PADLAB_COMPARE_MAT(actual, expected, CV_MAT_DEPTH(type) == CV_32F ? 1e-4 : 1e-9);
    } catch (const std::exception &e) {
        QFAIL(qPrintable(QStringLiteral("unexpected error: ") + QString::fromUtf8(e.what())));
    }
}

void TestConvolve::kernelDepths_data()
{
    QTest::addColumn<int>("depth");
    QTest::newRow("8U") << CV_8U;
    QTest::newRow("16S") << CV_16S;
    QTest::newRow("32S") << CV_32S;
    QTest::newRow("32F") << CV_32F;
}

// A kernel read from an integer image or typed as floats weighs the same as its CV_64F copy.
void TestConvolve::kernelDepths()
{
    QFETCH(int, depth);
    try {
        const cv::Mat kernel64 = (cv::Mat_<double>(2, 3) << 1, 0, 3, 2, 5, 4);
        cv::Mat kernel;
        kernel64.convertTo(kernel, depth);
        const cv::Mat input = padlab::test::randomMat(6, 7, CV_64F, -10, 10, 41);
        const ConvSpec spec = makeSpec(Amount::Same, Fill::Reflect, Operation::Convolution);
        const ConvResult expected = convolve(input, kernel64, spec);
        const ConvResult actual = convolve(input, kernel, spec);
        PADLAB_COMPARE_MAT(actual.output, expected.output, 1e-12);
        for (int a = 0; a < 2; ++a)
            for (int b = 0; b < 3; ++b)
                QCOMPARE(tapWeight(kernel, a, b, Operation::Convolution), kernel64.at<double>(1 - a, 2 - b));
    } catch (const std::exception &e) {
        QFAIL(qPrintable(QStringLiteral("unexpected error: ") + QString::fromUtf8(e.what())));
    }
}

void TestConvolve::edgeSizes_data()
{
    QTest::addColumn<cv::Mat>("input");
    QTest::addColumn<cv::Mat>("kernel");
    QTest::addColumn<ConvSpec>("spec");
    QTest::addColumn<PerAxis>("outputSize");

    cv::Mat one(1, 1, CV_64F, cv::Scalar(4.5));
    ConvSpec plain;
    QTest::newRow("1x1 input 1x1 kernel") << one << cv::Mat(1, 1, CV_64F, cv::Scalar(-2.0)) << plain << PerAxis{1, 1};
    ConvSpec same = makeSpec(Amount::Same, Fill::Reflect, Operation::Correlation);
    QTest::newRow("1x1 input 3x3 kernel same reflect")
        << one << padlab::test::randomMat(3, 3, CV_64F, -1, 1, 3) << same << PerAxis{1, 1};
    ConvSpec full = makeSpec(Amount::Full, Fill::Circular, Operation::Convolution);
    QTest::newRow("1x1 input 2x3 kernel full circular")
        << one << padlab::test::randomMat(2, 3, CV_64F, -1, 1, 4) << full << PerAxis{2, 3};

    const cv::Mat small = padlab::test::randomMat(3, 4, CV_64F, -5, 5, 5);
    ConvSpec bigStride;
    bigStride.stride = {5, 9};
    QTest::newRow("stride larger than input") << small << cv::Mat(1, 1, CV_64F, cv::Scalar(2.0)) << bigStride
                                              << PerAxis{1, 1};
    ConvSpec bigStrideSame = makeSpec(Amount::Same, Fill::Replicate, Operation::Correlation);
    bigStrideSame.stride = {7, 7};
    QTest::newRow("stride larger than input, same")
        << small << padlab::test::randomMat(3, 3, CV_64F, -1, 1, 6) << bigStrideSame << PerAxis{1, 1};
    QTest::newRow("kernel larger than input") << small << padlab::test::randomMat(4, 5, CV_64F, -1, 1, 7) << plain
                                              << PerAxis{0, 0};
    QTest::newRow("kernel taller than input") << small << padlab::test::randomMat(4, 2, CV_64F, -1, 1, 8) << plain
                                              << PerAxis{0, 3};
    ConvSpec dilated;
    dilated.dilation = {1, 2};
    QTest::newRow("dilated kernel wider than input")
        << small << padlab::test::randomMat(2, 3, CV_64F, -1, 1, 9) << dilated << PerAxis{2, 0};
}

void TestConvolve::edgeSizes()
{
    try {
        QFETCH(cv::Mat, input);
        QFETCH(cv::Mat, kernel);
        QFETCH(ConvSpec, spec);
        QFETCH(PerAxis, outputSize);

        const ConvResult result = convolve(input, kernel, spec);
        QCOMPARE(result.geometry.outputSize(), outputSize);
        const bool empty = outputSize.rows == 0 || outputSize.cols == 0;
        QCOMPARE(result.geometry.empty(), empty);
        if (empty) {
            QVERIFY2(result.output.empty(), qPrintable(padlab::test::matText(result.output)));
            QVERIFY(!emptyOutputReason(result.geometry).empty());
            return;
        }
        QCOMPARE(result.output.rows, outputSize.rows);
        QCOMPARE(result.output.cols, outputSize.cols);
        PADLAB_COMPARE_MAT(result.output, naiveConvolve(result.padded, kernel, spec.stride, spec.dilation,
                                                        spec.operation),
                           1e-12);
    } catch (const std::exception &e) {
        QFAIL(qPrintable(QStringLiteral("unexpected error: ") + QString::fromUtf8(e.what())));
    }
}

void TestConvolve::windowAt_data()
{
    QTest::addColumn<cv::Mat>("input");
    QTest::addColumn<cv::Mat>("kernel");
    QTest::addColumn<ConvSpec>("spec");
    QTest::addColumn<cv::Mat>("output");
    for (const auto &c : padlab::test::referenceCases())
        if (!c.output.empty())
            QTest::newRow(qPrintable(c.name)) << c.input << c.kernel << c.spec << c.output;
}

void TestConvolve::windowAt()
{
    try {
        QFETCH(cv::Mat, input);
        QFETCH(cv::Mat, kernel);
        QFETCH(ConvSpec, spec);
        QFETCH(cv::Mat, output);

        const ConvResult result = convolve(input, kernel, spec);
        const Geometry &g = result.geometry;
        const Sides sides = g.sides();
        for (int i = 0; i < output.rows; ++i)
            for (int j = 0; j < output.cols; ++j) {
                const Window w = padlab::core::windowAt(result.padded, kernel, g, spec, i, j);
                const QString where = QStringLiteral("output (%1, %2)").arg(i).arg(j);
                QCOMPARE(w.row, i);
                QCOMPARE(w.col, j);
                QCOMPARE(w.top, i * spec.stride.rows);
                QCOMPARE(w.left, j * spec.stride.cols);
                QCOMPARE(w.height, spec.dilation.rows * (kernel.rows - 1) + 1);
                QCOMPARE(w.width, spec.dilation.cols * (kernel.cols - 1) + 1);
                QCOMPARE(int(w.taps.size()), kernel.rows * kernel.cols);
                double sum = 0;
                for (int t = 0; t < int(w.taps.size()); ++t) {
                    const Tap &tap = w.taps[size_t(t)];
                    const int a = t / kernel.cols;
                    const int b = t % kernel.cols;
                    const QString at = where + QStringLiteral(" tap (%1, %2)").arg(a).arg(b);
                    QVERIFY2(tap.a == a && tap.b == b, qPrintable(at + QStringLiteral(": taps out of order")));
                    QCOMPARE(tap.paddedRow, i * spec.stride.rows + a * spec.dilation.rows);
                    QCOMPARE(tap.paddedCol, j * spec.stride.cols + b * spec.dilation.cols);

                    const bool inside = tap.paddedRow >= sides.top && tap.paddedRow < sides.top + input.rows
                                        && tap.paddedCol >= sides.left && tap.paddedCol < sides.left + input.cols;
                    QVERIFY2(tap.donor.isPadding == !inside, qPrintable(at + QStringLiteral(": isPadding")));
                    const double cell = result.padded.at<double>(tap.paddedRow, tap.paddedCol);
                    QCOMPARE(tap.value, cell);
                    if (tap.donor.isFillValue()) {
                        QVERIFY2(spec.fill == Fill::Zeros || spec.fill == Fill::Constant, qPrintable(at));
                        QCOMPARE(cell, spec.fill == Fill::Zeros ? 0.0 : spec.value);
                    } else {
                        QCOMPARE(cell, input.at<double>(tap.donor.row, tap.donor.col));
                        if (inside) {
                            QCOMPARE(tap.donor.row, tap.paddedRow - sides.top);
                            QCOMPARE(tap.donor.col, tap.paddedCol - sides.left);
                        }
                    }

                    const double weight = spec.operation == Operation::Convolution
                                              ? kernel.at<double>(kernel.rows - 1 - a, kernel.cols - 1 - b)
                                              : kernel.at<double>(a, b);
                    QCOMPARE(tap.weight, weight);
                    QCOMPARE(tap.product, weight * cell);
                    sum += weight * cell;
                }
                QVERIFY2(std::abs(w.sum - sum) <= 1e-9 * std::max(1.0, std::abs(sum)), qPrintable(where));
                QVERIFY2(std::abs(w.sum - output.at<double>(i, j)) <= 1e-9 * std::max(1.0, std::abs(sum)),
                         qPrintable(where + QStringLiteral(": window sum %1, output %2")
                                                .arg(w.sum)
                                                .arg(output.at<double>(i, j))));
            }
    } catch (const std::exception &e) {
        QFAIL(qPrintable(QStringLiteral("unexpected error: ") + QString::fromUtf8(e.what())));
    }
}

// Every channel of a colour image has its own windows; their sums are that channel's output.
void TestConvolve::windowAtChannel()
{
    try {
        const cv::Mat input = padlab::test::randomMat(5, 6, CV_32FC3, 0, 255, 21);
        const cv::Mat kernel = padlab::test::randomMat(3, 2, CV_64F, -1, 1, 22);
        ConvSpec spec = makeSpec(Amount::Same, Fill::Symmetric, Operation::Convolution);
        spec.stride = {2, 1};
        const ConvResult result = convolve(input, kernel, spec);
        QCOMPARE(result.output.type(), CV_32FC3);
        QCOMPARE(result.output.size(), cv::Size(6, 3));
        for (int ch = 0; ch < 3; ++ch)
            for (int i = 0; i < result.output.rows; ++i)
                for (int j = 0; j < result.output.cols; ++j) {
                    const Window w = padlab::core::windowAt(result.padded, kernel, result.geometry, spec, i, j, ch);
                    for (const Tap &tap : w.taps)
                        QCOMPARE(tap.value, element(result.padded, tap.paddedRow, tap.paddedCol, ch));
                    const double out = element(result.output, i, j, ch);
                    QVERIFY2(std::abs(w.sum - out) <= 1e-4 * std::max(1.0, std::abs(out)),
                             qPrintable(QStringLiteral("channel %1 cell (%2, %3): %4 vs %5")
                                            .arg(ch)
                                            .arg(i)
                                            .arg(j)
                                            .arg(w.sum)
                                            .arg(out)));
                }
    } catch (const std::exception &e) {
        QFAIL(qPrintable(QStringLiteral("unexpected error: ") + QString::fromUtf8(e.what())));
    }
}

void TestConvolve::windowSumText_data()
{
    QTest::addColumn<cv::Mat>("input");
    QTest::addColumn<cv::Mat>("kernel");
    QTest::addColumn<ConvSpec>("spec");
    QTest::addColumn<int>("col");
    QTest::addColumn<QString>("text");

    const ConvSpec valid;
    QTest::newRow("negative weight in brackets") << row({12, 40, 7}) << row({-1, 0, 1}) << valid << 0
                                                 << QStringLiteral("(-1)*12 + 0*40 + 1*7 = -5");
    QTest::newRow("negative value and fraction") << row({-3, 2.5}) << row({2, -0.5}) << valid << 0
                                                 << QStringLiteral("2*(-3) + (-0.5)*2.5 = -7.25");
    const ConvSpec zeros = makeSpec(Amount::Same, Fill::Zeros, Operation::Convolution);
    QTest::newRow("zero padding, flipped weights") << row({1, 2, 3}) << row({1, 2, 4}) << zeros << 0
                                                   << QStringLiteral("4*0 + 2*1 + 1*2 = 4");
    ConvSpec constant = makeSpec(Amount::Causal, Fill::Constant, Operation::Correlation);
    constant.value = -0.25;
    QTest::newRow("constant fill value") << row({8, 16}) << row({4, 0.5}) << constant << 0
                                         << QStringLiteral("4*(-0.25) + 0.5*8 = 3");
}

void TestConvolve::windowSumText()
{
    try {
        QFETCH(cv::Mat, input);
        QFETCH(cv::Mat, kernel);
        QFETCH(ConvSpec, spec);
        QFETCH(int, col);
        QFETCH(QString, text);
        const ConvResult result = convolve(input, kernel, spec);
        const Window w = padlab::core::windowAt(result.padded, kernel, result.geometry, spec, 0, col);
        QCOMPARE(qs(padlab::core::windowSumText(w)), text);
    } catch (const std::exception &e) {
        QFAIL(qPrintable(QStringLiteral("unexpected error: ") + QString::fromUtf8(e.what())));
    }
}

void TestConvolve::formatNumber_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("text"); // empty: only the round trip is checked
    QTest::newRow("0.1") << 0.1 << QStringLiteral("0.1");
    QTest::newRow("1e-300") << 1e-300 << QStringLiteral("1e-300");
    QTest::newRow("-0.0 prints as 0") << -0.0 << QStringLiteral("0");
    QTest::newRow("123456789.123") << 123456789.123 << QStringLiteral("123456789.123");
    QTest::newRow("integer 5") << 5.0 << QStringLiteral("5");
    QTest::newRow("integer -42") << -42.0 << QStringLiteral("-42");
    QTest::newRow("integer 1048576") << 1048576.0 << QStringLiteral("1048576");
    QTest::newRow("0.1 + 0.2") << 0.1 + 0.2 << QStringLiteral("0.30000000000000004");
    QTest::newRow("one third") << 1.0 / 3.0 << QString();
    QTest::newRow("-2.5e-8") << -2.5e-8 << QString();
    QTest::newRow("largest double") << 1.7976931348623157e308 << QString();
    QTest::newRow("float 0.1 widened") << double(0.1f) << QString();
}

void TestConvolve::formatNumber()
{
    QFETCH(double, value);
    QFETCH(QString, text);
    const std::string printed = padlab::core::formatNumber(value);
    if (!text.isEmpty())
        QCOMPARE(qs(printed), text);
    // Reading the text back gives the same double.
    char *end = nullptr;
    const double back = std::strtod(printed.c_str(), &end);
    QVERIFY2(end == printed.c_str() + printed.size(), printed.c_str());
    QVERIFY2(back == value, printed.c_str());
}

QTEST_GUILESS_MAIN(TestConvolve)
#include "tst_convolve.moc"

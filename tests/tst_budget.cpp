#include "padlab/core/budget.h"
#include "padlab/core/compare.h"
#include "padlab/core/convolve.h"
#include "padlab/core/error.h"
#include "padlab/core/stages.h"
#include "testutil.h"

#include <QObject>
#include <QTest>

#include <opencv2/core.hpp>

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include <sys/resource.h>

using namespace padlab::core;

namespace {

QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

/// The peak resident memory of this process so far, in bytes.
long long peakBytes()
{
    struct rusage usage = {};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss * 1024LL;
}

ConvSpec strided(int stride)
{
    ConvSpec spec;
    spec.stride = {stride, stride};
    return spec;
}

} // namespace

Q_DECLARE_METATYPE(std::optional<std::uint64_t>)

class TestBudget : public QObject {
    Q_OBJECT

private slots:
    void parseByteSize_data();
    void parseByteSize();
    void parseCount_data();
    void parseCount();
    void byteText_data();
    void byteText();
    void environment_data();
    void environment();
    void optionsOverEnvironment();

    void convolutionEstimate();
    void defaultsLetOrdinaryWorkPass_data();
    void defaultsLetOrdinaryWorkPass();
    void refusalSaysEstimateAndLimit_data();
    void refusalSaysEstimateAndLimit();
    void convolveChecksBeforeWork();
    void compareCountsEveryItem();
    void stagesStopWhereTheBudgetEnds();

    void hugeStrideCostsLittle();
    void progressReachesTheEnd_data();
    void progressReachesTheEnd();
    void cancelStops_data();
    void cancelStops();
};

void TestBudget::parseByteSize_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<std::optional<std::uint64_t>>("bytes");
    QTest::newRow("plain") << "4000" << std::optional<std::uint64_t>(4000);
    QTest::newRow("G") << "4G" << std::optional<std::uint64_t>(4'000'000'000);
    QTest::newRow("GB lower case") << "4gb" << std::optional<std::uint64_t>(4'000'000'000);
    QTest::newRow("fraction") << "1.5G" << std::optional<std::uint64_t>(1'500'000'000);
    QTest::newRow("M") << "512M" << std::optional<std::uint64_t>(512'000'000);
    QTest::newRow("K") << "64K" << std::optional<std::uint64_t>(64'000);
    QTest::newRow("T") << "2T" << std::optional<std::uint64_t>(2'000'000'000'000);
    QTest::newRow("GiB") << "4GiB" << std::optional<std::uint64_t>(4ULL << 30);
    QTest::newRow("MiB") << "3MiB" << std::optional<std::uint64_t>(3ULL << 20);
    QTest::newRow("B") << "100B" << std::optional<std::uint64_t>(100);
    QTest::newRow("spaces") << " 8G " << std::optional<std::uint64_t>(8'000'000'000);
    QTest::newRow("largest") << "18446744073709551615" << std::optional<std::uint64_t>(UINT64_MAX);
    QTest::newRow("past 2^64") << "18446744073709551616" << std::optional<std::uint64_t>();
    QTest::newRow("T past 2^64") << "20000000T" << std::optional<std::uint64_t>();
    QTest::newRow("zero") << "0" << std::optional<std::uint64_t>();
    QTest::newRow("negative") << "-1G" << std::optional<std::uint64_t>();
    QTest::newRow("exponent") << "1e9" << std::optional<std::uint64_t>();
    QTest::newRow("unknown unit") << "4X" << std::optional<std::uint64_t>();
    QTest::newRow("unit alone") << "G" << std::optional<std::uint64_t>();
    QTest::newRow("empty") << "" << std::optional<std::uint64_t>();
    QTest::newRow("dot alone") << ".G" << std::optional<std::uint64_t>();
}

void TestBudget::parseByteSize()
{
    QFETCH(QString, text);
    QFETCH(std::optional<std::uint64_t>, bytes);
    QCOMPARE(padlab::core::parseByteSize(text.toStdString()), bytes);
}

void TestBudget::parseCount_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<std::optional<std::uint64_t>>("count");
    QTest::newRow("plain") << "20000" << std::optional<std::uint64_t>(20000);
    QTest::newRow("K") << "500K" << std::optional<std::uint64_t>(500'000);
    QTest::newRow("T") << "2T" << std::optional<std::uint64_t>(2'000'000'000'000);
    QTest::newRow("no bytes") << "4GB" << std::optional<std::uint64_t>();
    QTest::newRow("zero") << "0" << std::optional<std::uint64_t>();
    QTest::newRow("words") << "many" << std::optional<std::uint64_t>();
}

void TestBudget::parseCount()
{
    QFETCH(QString, text);
    QFETCH(std::optional<std::uint64_t>, count);
    QCOMPARE(padlab::core::parseCount(text.toStdString()), count);
}

void TestBudget::byteText_data()
{
    QTest::addColumn<qulonglong>("bytes");
    QTest::addColumn<QString>("text");
    QTest::newRow("one") << 1ULL << "1 byte";
    QTest::newRow("bytes") << 999ULL << "999 bytes";
    QTest::newRow("KB") << 1500ULL << "1.5 KB";
    QTest::newRow("4 GB") << 4'000'000'000ULL << "4 GB";
    QTest::newRow("19.6 GB") << 19'600'000'000ULL << "19.6 GB";
    QTest::newRow("rounds up a unit") << 999'999ULL << "1 MB";
    QTest::newRow("256 MB") << 256'000'000ULL << "256 MB";
    QTest::newRow("largest") << qulonglong(UINT64_MAX) << "18.4 EB";
}

void TestBudget::byteText()
{
    QFETCH(qulonglong, bytes);
    QFETCH(QString, text);
    QCOMPARE(qs(padlab::core::byteText(bytes)), text);
}

void TestBudget::environment_data()
{
    QTest::addColumn<QString>("memory");
    QTest::addColumn<QString>("work");
    QTest::addColumn<QString>("frames");
    QTest::addColumn<QString>("error"); // empty: read
    QTest::newRow("unset") << QString() << QString() << QString() << QString();
    QTest::newRow("all set") << "8G" << "5T" << "50000" << QString();
    QTest::newRow("memory malformed") << "lots" << QString() << QString() << "PADLAB_MAX_MEMORY";
    QTest::newRow("frames malformed") << QString() << QString() << "-3" << "PADLAB_MAX_FRAMES";
    QTest::newRow("work malformed") << QString() << "4GB" << QString() << "PADLAB_MAX_WORK";
}

void TestBudget::environment()
{
    QFETCH(QString, memory);
    QFETCH(QString, work);
    QFETCH(QString, frames);
    QFETCH(QString, error);
    const auto set = [](const char *name, const QString &value) {
        if (value.isNull())
            qunsetenv(name);
        else
            qputenv(name, value.toUtf8());
    };
    set("PADLAB_MAX_MEMORY", memory);
    set("PADLAB_MAX_WORK", work);
    set("PADLAB_MAX_FRAMES", frames);
    try {
        const Budget budget = budgetFromEnvironment();
        QVERIFY2(error.isEmpty(), "accepted");
        QCOMPARE(budget.memory, memory.isNull() ? kDefaultMaxMemory : *padlab::core::parseByteSize(memory.toStdString()));
        QCOMPARE(budget.multiplyAdds, work.isNull() ? kDefaultMaxMultiplyAdds : *padlab::core::parseCount(work.toStdString()));
        QCOMPARE(budget.frames, frames.isNull() ? kDefaultMaxFrames : *padlab::core::parseCount(frames.toStdString()));
    } catch (const Error &e) {
        QVERIFY2(!error.isEmpty(), e.what());
        QVERIFY2(qs(e.what()).contains(error), e.what());
    }
    set("PADLAB_MAX_MEMORY", {});
    set("PADLAB_MAX_WORK", {});
    set("PADLAB_MAX_FRAMES", {});
}

void TestBudget::optionsOverEnvironment()
{
    qputenv("PADLAB_MAX_MEMORY", "8G");
    qputenv("PADLAB_MAX_FRAMES", "20");
    const Budget budget = budgetFromOptions(std::string("1G"), std::nullopt, std::string("30"));
    QCOMPARE(budget.memory, std::uint64_t(1'000'000'000));
    QCOMPARE(budget.multiplyAdds, kDefaultMaxMultiplyAdds);
    QCOMPARE(budget.frames, std::uint64_t(30));
    QCOMPARE(budgetFromOptions(std::nullopt, std::nullopt, std::nullopt).memory, std::uint64_t(8'000'000'000));
    try {
        budgetFromOptions(std::string("lots"), std::nullopt, std::nullopt);
        QFAIL("accepted");
    } catch (const Error &e) {
        QCOMPARE(qs(e.what()), QStringLiteral("--max-memory: 'lots' is not a limit (for example 8G)"));
    }
    qunsetenv("PADLAB_MAX_MEMORY");
    qunsetenv("PADLAB_MAX_FRAMES");
}

void TestBudget::convolutionEstimate()
{
    // A 100x200 colour float image, same with a 5x5 kernel at stride 2: padded 103x203.
    ConvSpec spec = strided(2);
    spec.amount.kind = Amount::Same;
    const Estimate e = padlab::core::convolutionEstimate({100, 200}, 3, 4, {5, 5}, spec);
    QCOMPARE(e.parts.size(), size_t(3));
    QCOMPARE(e.parts[0].what, std::string("the input"));
    QCOMPARE(e.parts[0].bytes, std::uint64_t(100 * 200 * 3 * 4));
    QCOMPARE(e.parts[1].what, std::string("the padded input"));
    QCOMPARE(e.parts[1].bytes, std::uint64_t(103 * 203 * 3 * 4));
    QCOMPARE(e.parts[2].what, std::string("the output"));
    QCOMPARE(e.parts[2].bytes, std::uint64_t(50 * 100 * 3 * 4));
    QCOMPARE(e.multiplyAdds, std::uint64_t(50 * 100 * 3 * 25));
    QCOMPARE(e.bytes(), e.parts[0].bytes + e.parts[1].bytes + e.parts[2].bytes);
}

void TestBudget::defaultsLetOrdinaryWorkPass_data()
{
    QTest::addColumn<int>("what"); // 0 convolution, 1 compare by fill, 2 stages
    QTest::addColumn<PerAxis>("input");
    QTest::addColumn<int>("channels");
    QTest::addColumn<PerAxis>("kernel");
    QTest::addColumn<int>("count");
    QTest::newRow("12 MP colour photo") << 0 << PerAxis{3000, 4000} << 3 << PerAxis{5, 5} << 1;
    QTest::newRow("12 MP compared under six fills") << 1 << PerAxis{3000, 4000} << 1 << PerAxis{9, 9} << 1;
    QTest::newRow("20 stages of 1 MP") << 2 << PerAxis{1000, 1000} << 1 << PerAxis{5, 5} << 20;
    QTest::newRow("31x31 kernel on 12 MP") << 0 << PerAxis{3000, 4000} << 1 << PerAxis{31, 31} << 1;
}

void TestBudget::defaultsLetOrdinaryWorkPass()
{
    QFETCH(int, what);
    QFETCH(PerAxis, input);
    QFETCH(int, channels);
    QFETCH(PerAxis, kernel);
    QFETCH(int, count);
    ConvSpec spec;
    spec.amount.kind = Amount::Same;
    const Estimate e = what == 0 ? padlab::core::convolutionEstimate(input, channels, 4, kernel, spec)
                       : what == 1 ? compareEstimate(input, 4, kernel, spec, CompareBy::Fill)
                                   : stagesEstimate(input, 4, kernel, spec, count);
    const auto problem = overBudget(e, Budget{});
    QVERIFY2(!problem, problem ? problem->c_str() : "");
}

void TestBudget::refusalSaysEstimateAndLimit_data()
{
    QTest::addColumn<qulonglong>("memory");
    QTest::addColumn<qulonglong>("work");
    QTest::addColumn<qulonglong>("frames");
    QTest::addColumn<QStringList>("mentions");
    const qulonglong work = kDefaultMaxMultiplyAdds;
    const qulonglong frames = kDefaultMaxFrames;
    const qulonglong memory = kDefaultMaxMemory;
    QTest::newRow("memory") << 1'000'000ULL << work << frames
                            << QStringList{"about 3.88 MB of memory", "the padded input alone 1.31 MB",
                                           "the limit is 1 MB", "--max-memory", "PADLAB_MAX_MEMORY"};
    QTest::newRow("multiply-adds") << memory << 1'000'000ULL << frames
                                   << QStringList{"about 1.45 million multiply-adds", "the limit is 1 million",
                                                  "--max-work", "PADLAB_MAX_WORK"};
    QTest::newRow("frames") << memory << work << 100ULL
                            << QStringList{"400 frames", "the limit is 100", "--max-frames", "PADLAB_MAX_FRAMES"};
}

void TestBudget::refusalSaysEstimateAndLimit()
{
    QFETCH(qulonglong, memory);
    QFETCH(qulonglong, work);
    QFETCH(qulonglong, frames);
    QFETCH(QStringList, mentions);
    ConvSpec spec;
    spec.amount.kind = Amount::Full;
    // 400x400 doubles with a 3x3 kernel, full: padded 404x404, output 402x402.
    Estimate e = padlab::core::convolutionEstimate({400, 400}, 1, 8, {3, 3}, spec);
    e.frames = 400;
    const auto problem = overBudget(e, Budget{memory, work, frames});
    QVERIFY(problem.has_value());
    for (const QString &mention : mentions)
        QVERIFY2(qs(*problem).contains(mention), problem->c_str());
    QVERIFY(!overBudget(e, Budget{kDefaultMaxMemory, kDefaultMaxMultiplyAdds, 400}));
}

void TestBudget::convolveChecksBeforeWork()
{
    const cv::Mat input = padlab::test::randomMat(300, 300, CV_64F, 0, 1, 3);
    const cv::Mat kernel = cv::Mat::ones(3, 3, CV_64F);
    ConvSpec spec;
    spec.amount.kind = Amount::Explicit;
    spec.amount.sides = {1000, 1000, 1000, 1000};
    const long long before = peakBytes();
    try {
        convolve(input, kernel, spec, Budget{10'000'000, kDefaultMaxMultiplyAdds, kDefaultMaxFrames});
        QFAIL("accepted");
    } catch (const OverBudget &e) {
        QVERIFY2(qs(e.what()).contains("the padded input"), e.what());
        QVERIFY2(qs(e.what()).contains("the limit is 10 MB"), e.what());
    }
    // Refused from the sizes alone: nothing near the 43 MB the padded input would take.
    QVERIFY(peakBytes() - before < 20'000'000);
    QCOMPARE(convolve(input, kernel, spec).output.rows, 2300 - 2);
}

void TestBudget::compareCountsEveryItem()
{
    const cv::Mat input = padlab::test::randomMat(100, 100, CV_32F, 0, 1, 5);
    const cv::Mat kernel = cv::Mat::ones(3, 3, CV_64F);
    ConvSpec spec;
    spec.amount.kind = Amount::Same;
    const Estimate one = padlab::core::convolutionEstimate({100, 100}, 1, 4, {3, 3}, spec);
    const Estimate all = compareEstimate({100, 100}, 4, {3, 3}, spec, CompareBy::Fill);
    QCOMPARE(all.multiplyAdds, 6 * one.multiplyAdds);
    // Six padded inputs and outputs and six difference maps of doubles, but one input.
    QCOMPARE(all.bytes(), one.parts[0].bytes + 6 * (one.parts[1].bytes + one.parts[2].bytes) + 6 * 100 * 100 * 8);
    // A budget that one convolution fits but six do not.
    const Budget tight{one.bytes() * 3, kDefaultMaxMultiplyAdds, kDefaultMaxFrames};
    QVERIFY(!overBudget(one, tight));
    try {
        compare(input, kernel, spec, CompareBy::Fill, 0, tight);
        QFAIL("accepted");
    } catch (const OverBudget &e) {
        QVERIFY2(qs(e.what()).contains("difference maps") || qs(e.what()).contains("padded inputs"), e.what());
    }
    QCOMPARE(compare(input, kernel, spec, CompareBy::Fill).items.size(), size_t(6));
}

void TestBudget::stagesStopWhereTheBudgetEnds()
{
    const cv::Mat input = padlab::test::randomMat(100, 100, CV_64F, 0, 1, 9);
    const cv::Mat kernel = cv::Mat::ones(3, 3, CV_64F) / 9;
    ConvSpec spec;
    spec.amount.kind = Amount::Same;
    const Estimate three = stagesEstimate({100, 100}, 8, {3, 3}, spec, 3);
    const Estimate four = stagesEstimate({100, 100}, 8, {3, 3}, spec, 4);
    QVERIFY(four.bytes() > three.bytes());
    const Budget budget{three.bytes(), kDefaultMaxMultiplyAdds, kDefaultMaxFrames};
    const StageChain chain = applyStages(input, kernel, spec, 6, kMaxStageCells, budget);
    QCOMPARE(chain.computed(), 3);
    QVERIFY2(qs(chain.stopReason).startsWith("Stage 4 is not computed"), chain.stopReason.c_str());
    QVERIFY2(qs(chain.stopReason).contains("the limit is"), chain.stopReason.c_str());
    QCOMPARE(applyStages(input, kernel, spec, 6).computed(), 6);
}

void TestBudget::hugeStrideCostsLittle()
{
    // A 3x3 input with a stride of a billion: one output cell, and buffers of a few cells.
    const cv::Mat input = (cv::Mat_<double>(3, 3) << 1, 2, 3, 4, 5, 6, 7, 8, 9);
    const cv::Mat kernel = cv::Mat::ones(3, 3, CV_64F);
    const long long before = peakBytes();
    for (const int stride : {1'000'000'000, std::numeric_limits<int>::max()}) {
        for (const PerAxis dilation : {PerAxis{1, 1}, PerAxis{1, 2}}) {
            ConvSpec spec = strided(stride);
            spec.dilation = dilation;
            spec.amount.kind = Amount::Same;
            const ConvResult result = convolve(input, kernel, spec);
            QCOMPARE(result.output.rows, 1);
            QCOMPARE(result.output.cols, 1);
            // same with one output needs no padding for a reach of 3; a reach of 5 across gets a
            // zero column on each side, so only the middle column is read.
            QCOMPARE(result.output.at<double>(0, 0), dilation.cols == 1 ? 45.0 : 2.0 + 5 + 8);
        }
    }
    QVERIFY2(peakBytes() - before < 20'000'000, qPrintable(QString::number(peakBytes() - before)));
}

void TestBudget::progressReachesTheEnd_data()
{
    QTest::addColumn<PerAxis>("stride");
    QTest::addColumn<PerAxis>("dilation");
    QTest::addColumn<int>("kernel");
    QTest::addColumn<int>("bands"); // the fewest reports to expect: a few milliseconds of work each
    QTest::newRow("plain") << PerAxis{1, 1} << PerAxis{1, 1} << 9 << 10;
    QTest::newRow("column stride 3 (grouped)") << PerAxis{1, 3} << PerAxis{1, 1} << 3 << 3;
    QTest::newRow("column stride 2 (split)") << PerAxis{1, 2} << PerAxis{1, 1} << 9 << 10;
    QTest::newRow("row pairs") << PerAxis{1, 1} << PerAxis{2, 1} << 7 << 10;
    QTest::newRow("stride 7") << PerAxis{7, 7} << PerAxis{1, 1} << 9 << 2;
}

void TestBudget::progressReachesTheEnd()
{
    QFETCH(PerAxis, stride);
    QFETCH(PerAxis, dilation);
    QFETCH(int, kernel);
    QFETCH(int, bands);
    const cv::Mat padded = padlab::test::randomMat(1200, 1200, CV_32F, 0, 1, 4);
    const cv::Mat weights = padlab::test::randomMat(kernel, kernel, CV_64F, -1, 1, 5);
    std::vector<double> heard;
    const cv::Mat out = convolvePadded(padded, weights, stride, dilation, Operation::Correlation, [&](double f) {
        heard.push_back(f);
        return true;
    });
    QVERIFY2(int(heard.size()) >= bands, qPrintable(QString::number(heard.size())));
    QCOMPARE(heard.front(), 0.0);
    QCOMPARE(heard.back(), 1.0);
    for (size_t i = 1; i < heard.size(); ++i)
        QVERIFY(heard[i] >= heard[i - 1]);
    PADLAB_COMPARE_MAT(out, convolvePadded(padded, weights, stride, dilation), 0.0);
}

void TestBudget::cancelStops_data()
{
    QTest::addColumn<int>("what"); // 0 convolve, 1 compare, 2 stages
    QTest::newRow("convolve") << 0;
    QTest::newRow("compare") << 1;
    QTest::newRow("stages") << 2;
}

void TestBudget::cancelStops()
{
    QFETCH(int, what);
    const cv::Mat input = padlab::test::randomMat(800, 800, CV_32F, 0, 1, 8);
    const cv::Mat kernel = cv::Mat::ones(15, 15, CV_64F);
    ConvSpec spec;
    spec.amount.kind = Amount::Same;
    int calls = 0;
    // Answers false half-way: the work stops there with Cancelled.
    const Progress stopHalfWay = [&](double fraction) {
        ++calls;
        return fraction < 0.5;
    };
    try {
        if (what == 0)
            convolve(input, kernel, spec, {}, stopHalfWay);
        else if (what == 1)
            compare(input, kernel, spec, CompareBy::Fill, 0, {}, stopHalfWay);
        else
            applyStages(input, kernel, spec, 4, kMaxStageCells, {}, stopHalfWay);
        QFAIL("not cancelled");
    } catch (const Cancelled &) {
    }
    QVERIFY(calls >= 2);
}

QTEST_GUILESS_MAIN(TestBudget)
#include "tst_budget.moc"

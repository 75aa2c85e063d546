#include "clitestutil.h"
#include "exporter.h"
#include "session.h"
#include "signalpainter.h"
#include "signalview.h"
#include "testutil.h"

#include "padlab/core/convolve.h"
#include "padlab/core/csv.h"
#include "padlab/core/kernels.h"
#include "padlab/core/error.h"
#include "padlab/core/waveforms.h"

#include <QImage>
#include <QPainter>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QDoubleSpinBox>
#include <QToolButton>
#include <QtTest>

#include <opencv2/core.hpp>

#include <cmath>
#include <numbers>
#include <set>

using padlab::core::Amount;
using padlab::core::Fill;
using padlab::core::Waveform;
using padlab::ui::Look;
using padlab::ui::Part;
using padlab::ui::Session;
using padlab::ui::SignalOptions;
using padlab::ui::SignalPainter;
using padlab::ui::SignalPlot;
using padlab::ui::SignalFilters;
using padlab::ui::SignalView;
using padlab::ui::Snapshot;

Q_DECLARE_METATYPE(Waveform)
Q_DECLARE_METATYPE(Amount)
Q_DECLARE_METATYPE(SignalPlot)
Q_DECLARE_METATYPE(SignalFilters)

namespace {

const QSize kSize(1600, 700);

/// What the view paints for @p session: its snapshot, with the signal part the view asks for.
const Snapshot &shown(Session &session)
{
    if (!session.snapshot()->has(Part::Signal)) {
        session.need(Part::Signal);
        session.waitUntilIdle();
    }
    return *session.snapshot();
}

/// @p o at the session's step, as the view paints it.
SignalOptions stepped(const Session &session, SignalOptions o)
{
    o.step = session.step();
    return o;
}

Look look(bool dark)
{
    Look l;
    l.dark = dark;
    return l;
}

QImage render(Session &session, const SignalOptions &options, QSize size = kSize)
{
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::magenta); // nothing the painter draws is magenta: unpainted pixels show up
    QPainter painter(&image);
    SignalPainter::paint(painter, image.rect(), shown(session), stepped(session, options));
    painter.end();
    // Set PADLAB_SIGNAL_PNG to a folder to look at what the tests check.
    const QString folder = qEnvironmentVariable("PADLAB_SIGNAL_PNG");
    if (!folder.isEmpty()) {
        QString name = QStringLiteral("%1-%2").arg(QTest::currentTestFunction(), QTest::currentDataTag());
        name.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9-]+")), QStringLiteral("_"));
        image.save(folder + QLatin1Char('/') + name + QStringLiteral(".png"));
    }
    return image;
}

bool near(const QColor &a, const QColor &b, int tolerance)
{
    return std::abs(a.red() - b.red()) <= tolerance && std::abs(a.green() - b.green()) <= tolerance
           && std::abs(a.blue() - b.blue()) <= tolerance;
}

/// Whether a pixel of @p color lies within @p halfWidth pixels of column @p x inside @p area.
bool columnHas(const QImage &image, const QRectF &area, double x, const QColor &color, int tolerance,
               int halfWidth = 1)
{
    const int cx = int(std::lround(x));
    for (int px = cx - halfWidth; px <= cx + halfWidth; ++px)
        for (int py = int(std::ceil(area.top())); py < int(area.bottom()); ++py)
            if (px >= 0 && px < image.width() && near(image.pixelColor(px, py), color, tolerance))
                return true;
    return false;
}

/// The input times (on the shared axis, inside @p plot's width) whose column holds @p color.
std::set<int> timesWith(const QImage &image, Session &s, const SignalOptions &o, SignalPlot plot,
                        const QColor &color, int tolerance)
{
    const QRect target(QPoint(), image.size());
    const QRectF area = SignalPainter::plotRect(target, shown(s), stepped(s, o), plot);
    std::set<int> times;
    for (int time = -40; time < 80; ++time) {
        const double x = SignalPainter::timeX(target, shown(s), stepped(s, o), time);
        if (x > area.left() && x < area.right() && columnHas(image, area, x, color, tolerance))
            times.insert(time);
    }
    return times;
}

QString text(const std::set<int> &times)
{
    QStringList parts;
    for (int t : times)
        parts << QString::number(t);
    return QLatin1Char('{') + parts.join(QStringLiteral(", ")) + QLatin1Char('}');
}

cv::Mat row(const std::vector<double> &values)
{
    cv::Mat m(1, int(values.size()), CV_64F);
    for (size_t i = 0; i < values.size(); ++i)
        m.at<double>(0, int(i)) = values[i];
    return m;
}

/// A one-row signal with a 1 x 3 kernel of ones and the given settings.
void setUp(Session &s, Waveform waveform, Amount amount, int dilation, int stride = 1, Fill fill = Fill::Zeros,
           int length = 24)
{
    s.setSource(padlab::core::makeWaveform(waveform, length),
                QString::fromLatin1(padlab::core::waveformName(waveform).data()));
    s.setKernel(cv::Mat::ones(1, 3, CV_64F));
    s.setAmount({amount, {}});
    s.setFill(fill);
    s.setDilation({1, dilation});
    s.setStride({1, stride});
}


/// The input times (on the shared axis) whose column holds @p color inside @p area.
std::set<int> timesIn(const QImage &image, Session &s, const SignalOptions &o, const QRectF &area,
                      const QColor &color, int tolerance)
{
    const QRect target(QPoint(), image.size());
    std::set<int> times;
    for (int time = -40; time < 80; ++time) {
        const double x = SignalPainter::timeX(target, shown(s), stepped(s, o), time);
        if (x > area.left() && x < area.right() && columnHas(image, area, x, color, tolerance))
            times.insert(time);
    }
    return times;
}

/// Three sensors of 24 samples: a sine, a step and a ramp, one per row.
cv::Mat sensors()
{
    cv::Mat m(3, 24, CV_64F);
    for (int t = 0; t < 24; ++t) {
        m.at<double>(0, t) = std::round(100 * std::sin(2 * std::numbers::pi * t / 12)) / 100;
        m.at<double>(1, t) = t >= 12 ? 1 : 0;
        m.at<double>(2, t) = 0.25 * t - 2;
    }
    return m;
}

/// @p input's rows as channels, with @p kernel (one row) and the given settings.
void setUpChannels(Session &s, const cv::Mat &input, const cv::Mat &kernel, Amount amount, SignalFilters filters,
                   int dilation = 1, int stride = 1, Fill fill = Fill::Zeros, std::vector<double> bias = {})
{
    s.setSource(input, QStringLiteral("sensors.csv"));
    s.setKernel(kernel);
    s.setAmount({amount, {}});
    s.setFill(fill);
    s.setDilation({1, dilation});
    s.setStride({1, stride});
    s.setSignalFilters(filters);
    s.setSignalBias(bias);
}

/// Row @p r of @p input convolved alone by the engine's 2-D convolution, with @p s's settings.
std::vector<double> rowOutput(const Session &s, const cv::Mat &input, int r)
{
    const cv::Mat out = padlab::core::convolve(input.row(r).clone(), s.kernel(), s.spec()).output;
    std::vector<double> values;
    for (int c = 0; c < out.cols; ++c)
        values.push_back(out.at<double>(0, c));
    return values;
}

} // namespace

class TstSignal : public QObject {
    Q_OBJECT

private slots:
    void waveformValues_data();
    void waveformValues();
    void noisySine_data();
    void noisySine();
    void waveformNames();
    void waveformLengthRefused_data();
    void waveformLengthRefused();

    void tapsHighlighted_data();
    void tapsHighlighted();
    void paddingIsTinted_data();
    void paddingIsTinted();
    void outputStems_data();
    void outputStems();
    void stemAndLineDiffer_data();
    void stemAndLineDiffer();
    void stripAlignsByLastTap_data();
    void stripAlignsByLastTap();
    void sentenceSaysHowFarAfterT_data();
    void sentenceSaysHowFarAfterT();
    void outputSampleAtHitsSamples();

    void viewChoosesSignal_data();
    void viewChoosesSignal();
    void viewExplainsWhatItNeeds_data();
    void viewExplainsWhatItNeeds();
    void viewClickMovesStep_data();
    void viewClickMovesStep();
    void viewPlotStyleButtons();

    void initTestCase();
    void channelRowsPainted_data();
    void channelRowsPainted();
    void channelTotalsAreTheEngines_data();
    void channelTotalsAreTheEngines();
    void channelSentenceWritesTheSum();
    void depthwiseGivesRowPerChannel_data();
    void depthwiseGivesRowPerChannel();
    void channelClickMovesStep_data();
    void channelClickMovesStep();
    void channelFiltersButtons();
    void channelStepsWalkTheFilters();
    void channelRender_data();
    void channelRender();
    void channelRenderRefusals_data();
    void channelRenderRefusals();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TstSignal::waveformValues_data()
{
    QTest::addColumn<Waveform>("waveform");
    QTest::addColumn<int>("length");
    QTest::addColumn<cv::Mat>("expected");
    QTest::newRow("step 6") << Waveform::Step << 6 << row({0, 0, 0, 1, 1, 1});
    QTest::newRow("step 5: the middle is sample 2") << Waveform::Step << 5 << row({0, 0, 1, 1, 1});
    QTest::newRow("step 1") << Waveform::Step << 1 << row({1});
    QTest::newRow("impulse 7") << Waveform::Impulse << 7 << row({0, 0, 0, 1, 0, 0, 0});
    QTest::newRow("impulse 4") << Waveform::Impulse << 4 << row({0, 0, 1, 0});
    QTest::newRow("ramp 5") << Waveform::Ramp << 5 << row({0, 1, 2, 3, 4});
    std::vector<double> step24(24, 0.0);
    std::fill(step24.begin() + 12, step24.end(), 1.0);
    QTest::newRow("step, default length 24") << Waveform::Step << padlab::core::kDefaultWaveformLength
                                             << row(step24);
}

void TstSignal::waveformValues()
{
    QFETCH(Waveform, waveform);
    QFETCH(int, length);
    QFETCH(cv::Mat, expected);
    const cv::Mat made = padlab::core::makeWaveform(waveform, length);
    QCOMPARE(made.type(), CV_64F);
    PADLAB_COMPARE_MAT(made, expected, 0);
}

void TstSignal::noisySine_data()
{
    QTest::addColumn<int>("length");
    QTest::newRow("24") << 24;
    QTest::newRow("60") << 60;
    QTest::newRow("7") << 7;
}

void TstSignal::noisySine()
{
    QFETCH(int, length);
    const cv::Mat made = padlab::core::makeWaveform(Waveform::NoisySine, length);
    QCOMPARE(made.rows, 1);
    QCOMPARE(made.cols, length);
    double largestNoise = 0;
    for (int t = 0; t < length; ++t) {
        const double v = made.at<double>(0, t);
        // Two periods of a sine, moved by small noise, written with two decimals.
        const double sine = std::sin(2 * std::numbers::pi * 2 * t / length);
        QVERIFY2(std::abs(v - sine) <= 0.2 + 0.005, qPrintable(QStringLiteral("t %1: %2").arg(t).arg(v)));
        QVERIFY2(std::abs(v * 100 - std::round(v * 100)) < 1e-9, qPrintable(QString::number(v, 'g', 17)));
        largestNoise = std::max(largestNoise, std::abs(v - sine));
    }
    if (length >= 24)
        QVERIFY2(largestNoise > 0.05, "the noise is missing");
    // The same numbers every time: a lesson that names the signal shows the same plot.
    PADLAB_COMPARE_MAT(padlab::core::makeWaveform(Waveform::NoisySine, length), made, 0);
}

void TstSignal::waveformNames()
{
    for (Waveform w : padlab::core::allWaveforms())
        QCOMPARE(padlab::core::parseWaveform(padlab::core::waveformName(w)), std::optional<Waveform>(w));
    QCOMPARE(padlab::core::allWaveforms().size(), size_t(4));
    QCOMPARE(padlab::core::waveformName(Waveform::NoisySine), std::string_view("noisy-sine"));
    QCOMPARE(padlab::core::parseWaveform(" Noisy_Sine "), std::optional<Waveform>(Waveform::NoisySine));
    QCOMPARE(padlab::core::parseWaveform("STEP"), std::optional<Waveform>(Waveform::Step));
    QVERIFY(!padlab::core::parseWaveform("square"));
    QVERIFY(!padlab::core::parseWaveform(""));
}

void TstSignal::waveformLengthRefused_data()
{
    QTest::addColumn<int>("length");
    QTest::newRow("zero") << 0;
    QTest::newRow("negative") << -3;
    QTest::newRow("beyond the largest") << padlab::core::kMaxWaveformLength + 1;
}

void TstSignal::waveformLengthRefused()
{
    QFETCH(int, length);
    try {
        padlab::core::makeWaveform(Waveform::Ramp, length);
        QFAIL("no error");
    } catch (const padlab::core::Error &e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(QString::number(length)), e.what());
    }
}

void TstSignal::tapsHighlighted_data()
{
    QTest::addColumn<Amount>("amount");
    QTest::addColumn<int>("dilation");
    QTest::addColumn<int>("step");
    QTest::addColumn<QList<int>>("offsets"); // tap times relative to t
    QTest::newRow("causal, dilation 2: t-4, t-2, t") << Amount::Causal << 2 << 10 << QList<int>{-4, -2, 0};
    QTest::newRow("causal, dilation 2, taps in the padding") << Amount::Causal << 2 << 1 << QList<int>{-4, -2, 0};
    QTest::newRow("causal, dilation 1") << Amount::Causal << 1 << 7 << QList<int>{-2, -1, 0};
    QTest::newRow("causal, dilation 3") << Amount::Causal << 3 << 12 << QList<int>{-6, -3, 0};
    QTest::newRow("same, dilation 2: reaches after t") << Amount::Same << 2 << 10 << QList<int>{-2, 0, 2};
    QTest::newRow("valid, dilation 2: all at or after t") << Amount::Valid << 2 << 5 << QList<int>{0, 2, 4};
}

void TstSignal::tapsHighlighted()
{
    QFETCH(Amount, amount);
    QFETCH(int, dilation);
    QFETCH(int, step);
    QFETCH(QList<int>, offsets);
    Session session;
    setUp(session, Waveform::NoisySine, amount, dilation);
    session.setStep(step);
    const SignalOptions o;
    const QImage image = render(session, o);
    const std::set<int> lit = timesWith(image, session, o, SignalPlot::Padded, look(false).windowColor(), 40);
    std::set<int> expected;
    for (int offset : offsets)
        expected.insert(step + offset);
    QVERIFY2(lit == expected, qPrintable(text(lit) + QStringLiteral(" != ") + text(expected)));
    const bool afterT = *lit.rbegin() > step;
    QCOMPARE(afterT, amount != Amount::Causal);
}

void TstSignal::paddingIsTinted_data()
{
    QTest::addColumn<Amount>("amount");
    QTest::addColumn<int>("fill");
    QTest::addColumn<bool>("dark");
    QTest::addColumn<QList<int>>("padding"); // the padding samples' times
    QTest::newRow("causal zeros") << Amount::Causal << int(Fill::Zeros) << false << QList<int>{-4, -3, -2, -1};
    QTest::newRow("same reflect") << Amount::Same << int(Fill::Reflect) << false << QList<int>{-2, -1, 24, 25};
    QTest::newRow("same replicate, dark") << Amount::Same << int(Fill::Replicate) << true
                                          << QList<int>{-2, -1, 24, 25};
    QTest::newRow("full circular") << Amount::Full << int(Fill::Circular) << false
                                   << QList<int>{-4, -3, -2, -1, 24, 25, 26, 27};
}

void TstSignal::paddingIsTinted()
{
    QFETCH(Amount, amount);
    QFETCH(int, fill);
    QFETCH(bool, dark);
    QFETCH(QList<int>, padding);
    Session session;
    setUp(session, Waveform::NoisySine, amount, 2, 1, Fill(fill));
    SignalOptions o;
    o.look.dark = dark;
    const QImage image = render(session, o);
    const std::set<int> tinted = timesWith(image, session, o, SignalPlot::Padded, look(dark).paddingTint(), 30);
    const std::set<int> expected(padding.begin(), padding.end());
    QVERIFY2(tinted == expected, qPrintable(text(tinted) + QStringLiteral(" != ") + text(expected)));
    // The input plot has no padding.
    QVERIFY(timesWith(image, session, o, SignalPlot::Input, look(dark).paddingTint(), 30).empty());
}

void TstSignal::outputStems_data()
{
    QTest::addColumn<Amount>("amount");
    QTest::addColumn<int>("stride");
    QTest::addColumn<Session::PlotStyle>("style");
    QTest::addColumn<int>("count");
    // 24 samples, 3 taps, dilation 2: the window reaches e = 5 samples.
    QTest::newRow("valid: 24 - 5 + 1") << Amount::Valid << 1 << Session::PlotStyle::Stem << 20;
    QTest::newRow("same: 24") << Amount::Same << 1 << Session::PlotStyle::Stem << 24;
    QTest::newRow("causal: 24") << Amount::Causal << 1 << Session::PlotStyle::Stem << 24;
    QTest::newRow("causal, stride 2: ceil(24 / 2)") << Amount::Causal << 2 << Session::PlotStyle::Stem << 12;
    QTest::newRow("valid, line") << Amount::Valid << 1 << Session::PlotStyle::Line << 20;
}

void TstSignal::outputStems()
{
    QFETCH(Amount, amount);
    QFETCH(int, stride);
    QFETCH(Session::PlotStyle, style);
    QFETCH(int, count);
    Session session;
    setUp(session, Waveform::NoisySine, amount, 2, stride);
    session.setPlotStyle(style);
    session.setStep(session.stepCount() - 1); // every sample computed: none faded
    QCOMPARE(SignalPainter::sampleCount(shown(session), SignalPlot::Output), count);
    const SignalOptions o;
    const QImage image = render(session, o);
    const QRect target(QPoint(), image.size());
    const QColor ink = look(false).sampleColor();
    // y[j] sits below x[j * stride]: a marker there, and nothing between the samples.
    for (int j = 0; j < count; ++j) {
        const QPointF at = SignalPainter::samplePoint(target, shown(session), stepped(session, o), SignalPlot::Output, j);
        QCOMPARE(at.x(), SignalPainter::timeX(target, shown(session), stepped(session, o), j * stride));
        QVERIFY2(near(image.pixelColor(at.toPoint()), ink, 25), qPrintable(QStringLiteral("y[%1]").arg(j)));
    }
    if (style == Session::PlotStyle::Stem) {
        std::set<int> expected;
        for (int j = 0; j < count; ++j)
            expected.insert(j * stride);
        const std::set<int> stems = timesWith(image, session, o, SignalPlot::Output, ink, 25);
        QVERIFY2(stems == expected, qPrintable(text(stems) + QStringLiteral(" != ") + text(expected)));
    }
}

void TstSignal::stemAndLineDiffer_data()
{
    QTest::addColumn<Session::PlotStyle>("style");
    QTest::newRow("stem") << Session::PlotStyle::Stem;
    QTest::newRow("line") << Session::PlotStyle::Line;
}

void TstSignal::stemAndLineDiffer()
{
    QFETCH(Session::PlotStyle, style);
    Session session;
    setUp(session, Waveform::Ramp, Amount::Causal, 1, 1, Fill::Zeros, 12);
    session.setPlotStyle(style);
    const SignalOptions o;
    const QImage image = render(session, o);
    const QRect target(QPoint(), image.size());
    const QColor ink = look(false).sampleColor();
    auto inkNear = [&](QPointF p) {
        for (int dy = -1; dy <= 1; ++dy)
            for (int dx = -1; dx <= 1; ++dx)
                if (near(image.pixelColor(p.toPoint() + QPoint(dx, dy)), ink, 40))
                    return true;
        return false;
    };
    const QPointF x5 = SignalPainter::samplePoint(target, shown(session), stepped(session, o), SignalPlot::Input, 5);
    const QPointF x6 = SignalPainter::samplePoint(target, shown(session), stepped(session, o), SignalPlot::Input, 6);
    const QPointF x0 = SignalPainter::samplePoint(target, shown(session), stepped(session, o), SignalPlot::Input, 0);
    const QPointF between = (x5 + x6) / 2;              // on the line from x[5] to x[6]
    const QPointF midStem(x6.x(), (x0.y() + x6.y()) / 2); // halfway up the stem of x[6]
    const bool line = style == Session::PlotStyle::Line;
    QCOMPARE(inkNear(between), line);
    QCOMPARE(inkNear(midStem), !line);
    // Both styles mark the samples themselves.
    QVERIFY(inkNear(x6));
}

void TstSignal::stripAlignsByLastTap_data()
{
    QTest::addColumn<SignalPlot>("plot");
    QTest::addColumn<int>("first"); // the time of y[0]'s last tap
    QTest::addColumn<int>("count");
    // 24 samples, 3 taps, dilation 2 (e = 5): valid starts at e - 1, same at its padding after
    // (total e - 1 = 4, before 2, after 2), causal at 0.
    QTest::newRow("valid starts late") << SignalPlot::Valid << 4 << 20;
    QTest::newRow("same is shifted by its padding after") << SignalPlot::Same << 2 << 24;
    QTest::newRow("causal output t sits at t") << SignalPlot::Causal << 0 << 24;
}

void TstSignal::stripAlignsByLastTap()
{
    QFETCH(SignalPlot, plot);
    QFETCH(int, first);
    QFETCH(int, count);
    Session session;
    // The session's own amount is none of the three: the strip does not depend on it.
    setUp(session, Waveform::Ramp, Amount::Full, 2);
    const SignalOptions o;
    const QImage image = render(session, o);
    const QRect target(QPoint(), image.size());
    QCOMPARE(SignalPainter::sampleCount(shown(session), plot), count);
    for (int j = 0; j < count; ++j) {
        QCOMPARE(SignalPainter::sampleTime(shown(session), plot, j), first + j);
        QCOMPARE(SignalPainter::samplePoint(target, shown(session), stepped(session, o), plot, j).x(),
                 SignalPainter::timeX(target, shown(session), stepped(session, o), first + j));
    }
    std::set<int> expected;
    for (int j = 0; j < count; ++j)
        expected.insert(first + j);
    const std::set<int> drawn = timesWith(image, session, o, plot, look(false).sampleColor(), 25);
    QVERIFY2(drawn == expected, qPrintable(text(drawn) + QStringLiteral(" != ") + text(expected)));
    if (plot == SignalPlot::Causal)
        for (int t = 0; t < count; ++t)
            QCOMPARE(SignalPainter::samplePoint(target, shown(session), stepped(session, o), plot, t).x(),
                     SignalPainter::samplePoint(target, shown(session), stepped(session, o), SignalPlot::Input, t).x());
}

void TstSignal::sentenceSaysHowFarAfterT_data()
{
    QTest::addColumn<Amount>("amount");
    QTest::addColumn<QString>("sentence");
    // 24-sample ramp x[t] = t, kernel [1 1 1], dilation 2, output 10.
    QTest::newRow("causal") << Amount::Causal << QStringLiteral("y[10] = 24 reads x[6], x[8], x[10]: nothing after t = 10");
    QTest::newRow("same") << Amount::Same << QStringLiteral("y[10] = 30 reads x[8], x[10], x[12]: 2 samples after t = 10");
    QTest::newRow("valid") << Amount::Valid << QStringLiteral("y[10] = 36 reads x[10], x[12], x[14]: 4 samples after t = 10");
}

void TstSignal::sentenceSaysHowFarAfterT()
{
    QFETCH(Amount, amount);
    QFETCH(QString, sentence);
    Session session;
    setUp(session, Waveform::Ramp, amount, 2);
    QCOMPARE(SignalPainter::windowSentence(shown(session), 10), sentence);
}

void TstSignal::outputSampleAtHitsSamples()
{
    Session session;
    setUp(session, Waveform::Step, Amount::Causal, 2, 2);
    const SignalOptions o;
    const QRect target(QPoint(), kSize);
    for (int j = 0; j < session.stepCount(); ++j) {
        const QPointF at = SignalPainter::samplePoint(target, shown(session), stepped(session, o), SignalPlot::Output, j);
        QCOMPARE(SignalPainter::outputSampleAt(target, shown(session), stepped(session, o), at), std::optional<int>(j));
    }
    const QPointF input = SignalPainter::samplePoint(target, shown(session), stepped(session, o), SignalPlot::Input, 4);
    QCOMPARE(SignalPainter::outputSampleAt(target, shown(session), stepped(session, o), input), std::optional<int>());
    // Right of the last sample, beyond the output.
    const QPointF last = SignalPainter::samplePoint(target, shown(session), stepped(session, o), SignalPlot::Output, session.stepCount() - 1);
    const double beyond = SignalPainter::timeX(target, shown(session), stepped(session, o), 2 * session.stepCount() + 1);
    QCOMPARE(SignalPainter::outputSampleAt(target, shown(session), stepped(session, o), {beyond, last.y()}), std::optional<int>());
}

void TstSignal::viewChoosesSignal_data()
{
    QTest::addColumn<Waveform>("waveform");
    QTest::addColumn<QString>("button");
    QTest::newRow("step") << Waveform::Step << QStringLiteral("Step");
    QTest::newRow("impulse") << Waveform::Impulse << QStringLiteral("Impulse");
    QTest::newRow("ramp") << Waveform::Ramp << QStringLiteral("Ramp");
    QTest::newRow("noisy sine") << Waveform::NoisySine << QStringLiteral("Noisy sine");
}

void TstSignal::viewChoosesSignal()
{
    QFETCH(Waveform, waveform);
    QFETCH(QString, button);
    Session session; // a 7 x 7 ramp and a 3 x 3 kernel
    SignalView view(&session);
    QVERIFY(!view.message().isEmpty());
    QToolButton *chosen = nullptr;
    for (QToolButton *b : view.findChildren<QToolButton *>())
        if (b->text() == button)
            chosen = b;
    QVERIFY(chosen);
    QTest::mouseClick(chosen, Qt::LeftButton);
    PADLAB_COMPARE_MAT(session.input(), padlab::core::makeWaveform(waveform), 0);
    QCOMPARE(session.inputName(), QString::fromLatin1(padlab::core::waveformName(waveform).data()));
    QCOMPARE(session.kernel().rows, 1);
    QVERIFY(chosen->isChecked());
    QVERIFY2(view.message().isEmpty(), qPrintable(view.message()));
    // Clicking it again keeps it chosen.
    QTest::mouseClick(chosen, Qt::LeftButton);
    QVERIFY(chosen->isChecked());
}

void TstSignal::viewExplainsWhatItNeeds_data()
{
    QTest::addColumn<cv::Mat>("input");
    QTest::addColumn<cv::Mat>("kernel");
    QTest::addColumn<QString>("says");
    // Up to 8 rows are channels; more are a matrix.
    QTest::newRow("9-row input") << cv::Mat(cv::Mat::ones(9, 5, CV_64F)) << cv::Mat(cv::Mat::ones(1, 3, CV_64F))
                                 << QStringLiteral("one-row inputs");
    QTest::newRow("2-D kernel") << cv::Mat(cv::Mat::ones(1, 9, CV_64F)) << cv::Mat(cv::Mat::ones(3, 3, CV_64F))
                                << QStringLiteral("one-row kernel");
}

void TstSignal::viewExplainsWhatItNeeds()
{
    QFETCH(cv::Mat, input);
    QFETCH(cv::Mat, kernel);
    QFETCH(QString, says);
    Session session;
    SignalView view(&session);
    view.chooseSignal(Waveform::Step);
    QVERIFY(view.message().isEmpty());
    session.setSource(input, QStringLiteral("matrix"));
    session.setKernel(kernel);
    QVERIFY2(view.message().contains(says), qPrintable(view.message()));
    // No plots are drawn: no sample ink, only the sentence.
    const QImage image = render(session, view.options(), {900, 500});
    QVERIFY(SignalPainter::plotRect(image.rect(), shown(session), stepped(session, view.options()), SignalPlot::Output).isEmpty());
    int samplePixels = 0;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2)
            if (near(image.pixelColor(x, y), look(false).paddingTint(), 30)
                || near(image.pixelColor(x, y), look(false).windowColor(), 30))
                ++samplePixels;
    QCOMPARE(samplePixels, 0);
}

void TstSignal::viewClickMovesStep_data()
{
    QTest::addColumn<int>("stride");
    QTest::addColumn<int>("target");
    QTest::newRow("first") << 1 << 0;
    QTest::newRow("middle") << 1 << 13;
    QTest::newRow("last") << 1 << 23;
    QTest::newRow("stride 2") << 2 << 7;
}

void TstSignal::viewClickMovesStep()
{
    QFETCH(int, stride);
    QFETCH(int, target);
    Session session;
    SignalView view(&session);
    view.resize(1200, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.chooseSignal(Waveform::NoisySine);
    session.setAmount({Amount::Causal, {}});
    session.setStride({1, stride});
    session.setStep(5);
    QWidget *canvas = view.canvas();
    const QPointF at = SignalPainter::samplePoint(canvas->rect(), shown(session), stepped(session, view.options()), SignalPlot::Output, target);
    QTest::mouseClick(canvas, Qt::LeftButton, {}, at.toPoint());
    QCOMPARE(session.step(), target);
    // A click on the input plot is no output sample: the step stays.
    const QPointF input = SignalPainter::samplePoint(canvas->rect(), shown(session), stepped(session, view.options()), SignalPlot::Input, 2);
    QTest::mouseClick(canvas, Qt::LeftButton, {}, input.toPoint());
    QCOMPARE(session.step(), target);
}

void TstSignal::viewPlotStyleButtons()
{
    Session session;
    SignalView view(&session);
    QToolButton *line = nullptr;
    QToolButton *stem = nullptr;
    for (QToolButton *b : view.findChildren<QToolButton *>()) {
        if (b->text() == QLatin1String("Line"))
            line = b;
        if (b->text() == QLatin1String("Stem"))
            stem = b;
    }
    QVERIFY(line && stem);
    QVERIFY(stem->isChecked());
    QTest::mouseClick(line, Qt::LeftButton);
    QCOMPARE(session.plotStyle(), Session::PlotStyle::Line);
    QVERIFY(line->isChecked() && !stem->isChecked());
    // A change made elsewhere (a lesson, the menu) shows on the buttons.
    session.setPlotStyle(Session::PlotStyle::Stem);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(stem->isChecked());
}

void TstSignal::initTestCase()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    const std::string csv = padlab::core::formatCsv(sensors());
    QVERIFY(padlab::test::writeBytes(m_dir->filePath(QStringLiteral("sensors.csv")),
                                     QByteArray(csv.data(), qsizetype(csv.size()))));
}

void TstSignal::channelRowsPainted_data()
{
    QTest::addColumn<Amount>("amount");
    QTest::addColumn<int>("fill");
    QTest::addColumn<SignalFilters>("filters");
    QTest::addColumn<int>("dilation");
    QTest::addColumn<int>("step");         // the session's step
    QTest::addColumn<bool>("dark");
    QTest::addColumn<QList<int>>("padding"); // the padding samples' times, in every channel
    QTest::addColumn<QList<int>>("taps");    // the window's tap times
    QTest::addColumn<int>("reads");          // the only channel read, or -1 for every channel

    QTest::newRow("causal zeros, sum") << Amount::Causal << int(Fill::Zeros) << SignalFilters::Sum << 1 << 7 << false
                                       << QList<int>{-2, -1} << QList<int>{5, 6, 7} << -1;
    QTest::newRow("causal, dilation 2, at the start") << Amount::Causal << int(Fill::Zeros) << SignalFilters::Sum << 2
                                                      << 1 << false << QList<int>{-4, -3, -2, -1}
                                                      << QList<int>{-3, -1, 1} << -1;
    QTest::newRow("same reflect, sum, dark") << Amount::Same << int(Fill::Reflect) << SignalFilters::Sum << 1 << 12
                                             << true << QList<int>{-1, 24} << QList<int>{11, 12, 13} << -1;
    QTest::newRow("full replicate, sum") << Amount::Full << int(Fill::Replicate) << SignalFilters::Sum << 1 << 0
                                         << false << QList<int>{-2, -1, 24, 25} << QList<int>{-2, -1, 0} << -1;
    // The session steps row by row: step 24 + 9 is output row 1, sample 9: filter 1 reads c1 only.
    QTest::newRow("same zeros, depthwise, filter 1") << Amount::Same << int(Fill::Zeros) << SignalFilters::Depthwise
                                                     << 1 << 33 << false << QList<int>{-1, 24}
                                                     << QList<int>{8, 9, 10} << 1;
    QTest::newRow("causal, depthwise, filter 2, dark") << Amount::Causal << int(Fill::Zeros)
                                                       << SignalFilters::Depthwise << 1 << 48 + 20 << true
                                                       << QList<int>{-2, -1} << QList<int>{18, 19, 20} << 2;
}

void TstSignal::channelRowsPainted()
{
    QFETCH(Amount, amount);
    QFETCH(int, fill);
    QFETCH(SignalFilters, filters);
    QFETCH(int, dilation);
    QFETCH(int, step);
    QFETCH(bool, dark);
    QFETCH(QList<int>, padding);
    QFETCH(QList<int>, taps);
    QFETCH(int, reads);
    Session session;
    setUpChannels(session, sensors(), cv::Mat::ones(1, 3, CV_64F), amount, filters, dilation, 1, Fill(fill));
    session.setStep(step);
    SignalOptions o;
    o.look.dark = dark;
    const QImage image = render(session, o);
    const QRect target(QPoint(), image.size());
    QCOMPARE(SignalPainter::channelCount(shown(session)), 3);
    const std::set<int> expectedPadding(padding.begin(), padding.end());
    const std::set<int> expectedTaps(taps.begin(), taps.end());
    double lastBottom = 0;
    for (int c = 0; c < 3; ++c) {
        const QRectF row = SignalPainter::channelRect(target, shown(session), stepped(session, o), c);
        QVERIFY(!row.isEmpty());
        QVERIFY2(row.top() >= lastBottom, "the channel rows overlap");
        lastBottom = row.bottom();
        // Every channel is padded the same way on the time axis.
        const std::set<int> tinted = timesIn(image, session, o, row, look(dark).paddingTint(), 30);
        QVERIFY2(tinted == expectedPadding,
                 qPrintable(QStringLiteral("c%1: ").arg(c) + text(tinted) + QStringLiteral(" != ") + text(expectedPadding)));
        // The window at the same times on every channel its filter reads, and on no other.
        const std::set<int> lit = timesIn(image, session, o, row, look(dark).windowColor(), 40);
        const std::set<int> expected = reads < 0 || reads == c ? expectedTaps : std::set<int>();
        QVERIFY2(lit == expected,
                 qPrintable(QStringLiteral("c%1: ").arg(c) + text(lit) + QStringLiteral(" != ") + text(expected)));
    }
    // The output row of the current cell rings it, at its time.
    const QPoint cell = SignalPainter::currentCell(shown(session), session.step());
    const QRectF out = SignalPainter::filterRect(target, shown(session), stepped(session, o), cell.y());
    QVERIFY(out.top() >= lastBottom);
    const double x = SignalPainter::timeX(target, shown(session), stepped(session, o), cell.x());
    QVERIFY(columnHas(image, out, x, look(dark).currentCellColor(), 40));
    QCOMPARE(timesIn(image, session, o, out, look(dark).currentCellColor(), 40), std::set<int>{cell.x()});
}

void TstSignal::channelTotalsAreTheEngines_data()
{
    QTest::addColumn<Amount>("amount");
    QTest::addColumn<int>("dilation");
    QTest::addColumn<int>("stride");
    QTest::addColumn<int>("fill");
    QTest::addColumn<SignalFilters>("filters");
    QTest::addColumn<std::vector<double>>("bias");
    QTest::addColumn<int>("length"); // output samples

    QTest::newRow("valid, sum") << Amount::Valid << 1 << 1 << int(Fill::Zeros) << SignalFilters::Sum
                                << std::vector<double>{} << 22;
    QTest::newRow("same, sum, bias") << Amount::Same << 1 << 1 << int(Fill::Zeros) << SignalFilters::Sum
                                     << std::vector<double>{0.5} << 24;
    QTest::newRow("causal, dilation 2, sum") << Amount::Causal << 2 << 1 << int(Fill::Zeros) << SignalFilters::Sum
                                             << std::vector<double>{} << 24;
    QTest::newRow("same reflect, stride 2, sum") << Amount::Same << 1 << 2 << int(Fill::Reflect) << SignalFilters::Sum
                                                 << std::vector<double>{-1} << 12;
    QTest::newRow("valid, depthwise") << Amount::Valid << 1 << 1 << int(Fill::Zeros) << SignalFilters::Depthwise
                                      << std::vector<double>{} << 22;
    QTest::newRow("same, depthwise, bias per filter") << Amount::Same << 1 << 1 << int(Fill::Circular)
                                                      << SignalFilters::Depthwise << std::vector<double>{1, 2, 3} << 24;
    QTest::newRow("causal, dilation 3, depthwise") << Amount::Causal << 3 << 1 << int(Fill::Zeros)
                                                   << SignalFilters::Depthwise << std::vector<double>{0.25} << 24;
}

void TstSignal::channelTotalsAreTheEngines()
{
    QFETCH(Amount, amount);
    QFETCH(int, dilation);
    QFETCH(int, stride);
    QFETCH(int, fill);
    QFETCH(SignalFilters, filters);
    QFETCH(std::vector<double>, bias);
    QFETCH(int, length);
    const cv::Mat input = sensors();
    const cv::Mat kernel = (cv::Mat_<double>(1, 3) << 1, 2, -1);
    Session session;
    setUpChannels(session, input, kernel, amount, filters, dilation, stride, Fill(fill), bias);
    const Snapshot &s = shown(session);
    QVERIFY2(s.signal && s.signal->reason.isEmpty(), qPrintable(s.signal ? s.signal->reason : QString()));
    const padlab::ui::SignalSet &set = *s.signal;
    const int count = filters == SignalFilters::Sum ? 1 : 3;
    QCOMPARE(set.filters(), count);
    QCOMPARE(set.outputLength(), length);
    // Each row alone through the engine's plane convolution: the channel's part of every sum.
    std::vector<std::vector<double>> rows;
    for (int c = 0; c < 3; ++c) {
        rows.push_back(rowOutput(session, input, c));
        QCOMPARE(int(rows.back().size()), length);
    }
    const auto biasOf = [&](int f) { return bias.empty() ? 0.0 : bias.size() == 1 ? bias[0] : bias[size_t(f)]; };
    for (int j : {0, 1, length / 2, length - 1}) {
        for (int f = 0; f < count; ++f) {
            double expected = biasOf(f);
            for (int c = 0; c < 3; ++c)
                if (filters == SignalFilters::Sum || c == f)
                    expected += rows[size_t(c)][size_t(j)];
            const QString where = QStringLiteral("y%1[%2]").arg(f).arg(j);
            QVERIFY2(std::abs(set.filterOutputs[size_t(f)][size_t(j)] - expected) < 1e-9, qPrintable(where));
            // The window's parts: each channel's is that channel's own output; they add up to it.
            const padlab::core::TensorWindow window = set.windowAt(f, j);
            QVERIFY2(std::abs(window.sum - expected) < 1e-9, qPrintable(where));
            const std::vector<double> parts = set.partialSums(window);
            for (int c = 0; c < 3; ++c) {
                const double part = filters == SignalFilters::Sum || c == f ? rows[size_t(c)][size_t(j)] : 0.0;
                QVERIFY2(std::abs(parts[size_t(c)] - part) < 1e-9, qPrintable(where + QStringLiteral(" c%1").arg(c)));
            }
            QCOMPARE(window.hasBias, !bias.empty());
            QVERIFY2(set.sumText(window).endsWith(QStringLiteral(" = ") + padlab::ui::cellNumber(expected)),
                     qPrintable(set.sumText(window)));
        }
    }
    // Depthwise is the session's own feature map, row by row (plus the bias).
    if (filters == SignalFilters::Depthwise)
        for (int f = 0; f < 3; ++f)
            for (int j = 0; j < length; ++j)
                QVERIFY(std::abs(set.filterOutputs[size_t(f)][size_t(j)]
                                 - (s.result.output.at<double>(f, j) + biasOf(f))) < 1e-9);
}

void TstSignal::channelSentenceWritesTheSum()
{
    Session session;
    setUpChannels(session, sensors(), (cv::Mat_<double>(1, 3) << 1, 2, 1), Amount::Causal, SignalFilters::Sum);
    // y[7] reads t = 5, 6, 7: c0 0.5 + 2 * 0 - 0.5, c1 nothing, c2 -0.75 - 1 - 0.25.
    QCOMPARE(SignalPainter::windowSentence(shown(session), 7),
             QStringLiteral("y[7] = c0: 0 + c1: 0 + c2: \u22122 = \u22122"));
    session.setSignalBias({0.5});
    QCOMPARE(SignalPainter::windowSentence(shown(session), 7),
             QStringLiteral("y[7] = c0: 0 + c1: 0 + c2: \u22122 + bias 0.5 = \u22121.5"));
    // Depthwise: session step 24 + 14 is filter 1 at sample 14, reading c1 only: its products written out.
    session.setSignalFilters(SignalFilters::Depthwise);
    QCOMPARE(SignalPainter::windowSentence(shown(session), 24 + 14),
             QStringLiteral("y1[14] = c1: 1×1 + 2×1 + 1×1 + bias 0.5 = 4.5"));
    session.setKernel((cv::Mat_<double>(1, 3) << -1, 0, 1));
    QCOMPARE(SignalPainter::windowSentence(shown(session), 24 + 12),
             QStringLiteral("y1[12] = c1: (−1)×0 + 0×0 + 1×1 + bias 0.5 = 1.5"));
}

void TstSignal::depthwiseGivesRowPerChannel_data()
{
    QTest::addColumn<int>("channels");
    QTest::addColumn<SignalFilters>("filters");
    QTest::addColumn<int>("rows");
    QTest::newRow("2 channels, sum") << 2 << SignalFilters::Sum << 1;
    QTest::newRow("2 channels, depthwise") << 2 << SignalFilters::Depthwise << 2;
    QTest::newRow("3 channels, depthwise") << 3 << SignalFilters::Depthwise << 3;
    QTest::newRow("8 channels, sum") << 8 << SignalFilters::Sum << 1;
    QTest::newRow("8 channels, depthwise") << 8 << SignalFilters::Depthwise << 8;
}

void TstSignal::depthwiseGivesRowPerChannel()
{
    QFETCH(int, channels);
    QFETCH(SignalFilters, filters);
    QFETCH(int, rows);
    cv::Mat input(channels, 16, CV_64F);
    for (int c = 0; c < channels; ++c)
        for (int t = 0; t < 16; ++t)
            input.at<double>(c, t) = (c + 1) * ((t + c) % 4 == 0 ? 1.0 : -0.5);
    Session session;
    setUpChannels(session, input, cv::Mat::ones(1, 3, CV_64F), Amount::Same, filters);
    session.setStep(session.stepCount() - 1);
    const SignalOptions o;
    const QImage image = render(session, o, {1600, 900});
    const QRect target(QPoint(), image.size());
    QCOMPARE(SignalPainter::channelCount(shown(session)), channels);
    QCOMPARE(SignalPainter::filterCount(shown(session)), rows);
    QCOMPARE(int(shown(session).signal->filterOutputs.size()), rows);
    QVERIFY(SignalPainter::filterRect(target, shown(session), stepped(session, o), rows).isEmpty());
    QVERIFY(SignalPainter::channelRect(target, shown(session), stepped(session, o), channels).isEmpty());
    // Every output row is drawn, below the channels, each sample at its time.
    const double below = SignalPainter::channelRect(target, shown(session), stepped(session, o), channels - 1).bottom();
    for (int f = 0; f < rows; ++f) {
        const QRectF r = SignalPainter::filterRect(target, shown(session), stepped(session, o), f);
        QVERIFY(r.top() > below && r.bottom() <= image.height());
        for (int j : {0, 7, 15}) {
            const QPointF at = SignalPainter::outputPoint(target, shown(session), stepped(session, o), f, j);
            QVERIFY(r.contains(at));
            QCOMPARE(at.x(), SignalPainter::timeX(target, shown(session), stepped(session, o), j));
            QVERIFY2(near(image.pixelColor(at.toPoint()), look(false).sampleColor(), 25)
                         || near(image.pixelColor(at.toPoint()), look(false).currentCellColor(), 40),
                     qPrintable(QStringLiteral("y%1[%2]").arg(f).arg(j)));
        }
    }
}

void TstSignal::channelClickMovesStep_data()
{
    QTest::addColumn<SignalFilters>("filters");
    QTest::addColumn<int>("filter");
    QTest::addColumn<int>("sample");
    QTest::newRow("sum: the one row") << SignalFilters::Sum << 0 << 9;
    QTest::newRow("depthwise: filter 0") << SignalFilters::Depthwise << 0 << 3;
    QTest::newRow("depthwise: filter 2") << SignalFilters::Depthwise << 2 << 17;
}

void TstSignal::channelClickMovesStep()
{
    QFETCH(SignalFilters, filters);
    QFETCH(int, filter);
    QFETCH(int, sample);
    Session session;
    SignalView view(&session);
    view.resize(1280, 720);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    setUpChannels(session, sensors(), cv::Mat::ones(1, 3, CV_64F), Amount::Causal, filters);
    session.setStep(5);
    QVERIFY2(view.message().isEmpty(), qPrintable(view.message()));
    QWidget *canvas = view.canvas();
    const QPointF at = SignalPainter::outputPoint(canvas->rect(), shown(session), stepped(session, view.options()),
                                                  filter, sample);
    QVERIFY(!at.isNull());
    QTest::mouseMove(canvas, at.toPoint());
    QCOMPARE(canvas->cursor().shape(), Qt::PointingHandCursor);
    QTest::mouseClick(canvas, Qt::LeftButton, {}, at.toPoint());
    QCOMPARE(session.stepCell(), QPoint(sample, filter));
    QCOMPARE(SignalPainter::currentCell(shown(session), session.step()), QPoint(sample, filter));
    // A click on a channel row is no output sample: the step stays.
    const QPointF input = SignalPainter::channelPoint(canvas->rect(), shown(session), stepped(session, view.options()),
                                                      1, 4);
    QTest::mouseClick(canvas, Qt::LeftButton, {}, input.toPoint());
    QCOMPARE(session.stepCell(), QPoint(sample, filter));
}

// Shown in the window, the Signal tab's steps walk the filters' outputs: one pass along the
// time axis with one filter summing the channels, one per filter with depthwise.
void TstSignal::channelStepsWalkTheFilters()
{
    Session session;
    session.setView(Session::View::Signal);
    session.need(padlab::ui::Part::Signal);
    setUpChannels(session, sensors(), cv::Mat::ones(1, 3, CV_64F), Amount::Causal, SignalFilters::Sum);
    session.waitUntilIdle();
    const int length = session.snapshot()->signal->outputLength();
    QVERIFY(length > 1);
    QCOMPARE(session.stepCount(), length);
    session.setStep(length - 1);
    QCOMPARE(session.stepIndex(), (std::vector<int>{0, length - 1}));
    QCOMPARE(SignalPainter::currentCell(shown(session), session.step()), QPoint(length - 1, 0));

    session.setSignalFilters(SignalFilters::Depthwise);
    session.waitUntilIdle();
    QCOMPARE(session.stepCount(), 3 * length);
    session.setStep(2 * length + 4);
    QCOMPARE(SignalPainter::currentCell(shown(session), session.step()), QPoint(4, 2));
    session.release(padlab::ui::Part::Signal);
}

void TstSignal::channelFiltersButtons()
{
    Session session;
    SignalView view(&session);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QToolButton *sum = nullptr;
    QToolButton *depthwise = nullptr;
    for (QToolButton *b : view.findChildren<QToolButton *>()) {
        if (b->text().startsWith(QLatin1String("Sum over channels")))
            sum = b;
        if (b->text().startsWith(QLatin1String("Each channel on its own")))
            depthwise = b;
    }
    QVERIFY(sum && depthwise);
    // A one-row signal has no channels to choose filters for.
    view.chooseSignal(Waveform::Step);
    QVERIFY(!sum->isVisible() && !depthwise->isVisible());
    setUpChannels(session, sensors(), cv::Mat::ones(1, 3, CV_64F), Amount::Same, SignalFilters::Sum);
    QVERIFY(sum->isVisible() && depthwise->isVisible());
    QVERIFY(sum->isChecked());
    QTest::mouseClick(depthwise, Qt::LeftButton);
    QCOMPARE(session.signalFilters(), SignalFilters::Depthwise);
    QCOMPARE(SignalPainter::filterCount(shown(session)), 3);
    QVERIFY(depthwise->isChecked() && !sum->isChecked());
    auto *bias = view.findChild<QDoubleSpinBox *>();
    QVERIFY(bias);
    bias->setValue(1.5);
    QCOMPARE(session.signalBias(), std::vector<double>{1.5});
    QVERIFY(SignalPainter::windowSentence(shown(session), session.step()).contains(QStringLiteral("bias 1.5")));
    // A change made elsewhere (a lesson) shows on the buttons.
    session.setSignalFilters(SignalFilters::Sum);
    QVERIFY(sum->isChecked());
}

void TstSignal::channelRender_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<SignalFilters>("filters");
    QTest::addColumn<std::vector<double>>("bias");
    QTest::addColumn<bool>("dark");
    QTest::newRow("sum, causal") << QStringList{"--kernel", "1,2,1", "--pad", "causal", "--step", "8"}
                                 << SignalFilters::Sum << std::vector<double>{} << false;
    QTest::newRow("depthwise, same reflect, bias, dark")
        << QStringList{"--kernel", "1,0,-1", "--pad", "same", "--fill", "reflect", "--groups", "3", "--bias", "0.5",
                       "--step", "30", "--dark"}
        << SignalFilters::Depthwise << std::vector<double>{0.5} << true;
    QTest::newRow("sum, groups 1, bias per filter") << QStringList{"--kernel", "1,1,1", "--groups", "1", "--bias", "2"}
                                                    << SignalFilters::Sum << std::vector<double>{2} << false;
}

void TstSignal::channelRender()
{
    QFETCH(QStringList, options);
    QFETCH(SignalFilters, filters);
    QFETCH(std::vector<double>, bias);
    QFETCH(bool, dark);
    const QString output = QStringLiteral("%1.png").arg(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('_'))
                               .remove(QLatin1Char(','));
    const padlab::test::Run run = padlab::test::runPadlab(
        m_dir->path(), QStringList{"render", "sensors.csv", "--view", "signal", "-o", output} + options);
    PADLAB_VERIFY_SUCCESS(run);
    const QImage written(m_dir->filePath(output));
    QCOMPARE(written.size(), padlab::ui::kTeachingExportSize);

    // The same view painted here, through the same painter, from the same settings.
    Session session;
    session.setSource(sensors(), QStringLiteral("sensors.csv"));
    session.setSpec(Session::defaultSpec());
    const QString kernel = options[options.indexOf(QStringLiteral("--kernel")) + 1];
    session.setKernel(padlab::core::loadKernel(kernel.toStdString()));
    padlab::core::ConvSpec spec = Session::defaultSpec();
    if (options.contains(QStringLiteral("--pad")))
        spec.amount.kind = options.contains(QStringLiteral("causal")) ? Amount::Causal : Amount::Same;
    if (options.contains(QStringLiteral("reflect")))
        spec.fill = Fill::Reflect;
    session.setSpec(spec);
    session.setSignalFilters(filters);
    session.setSignalBias(bias);
    const int step = options.contains(QStringLiteral("--step"))
                         ? options[options.indexOf(QStringLiteral("--step")) + 1].toInt()
                         : 1;
    session.setStep(step - 1);
    padlab::ui::ExportOptions exportOptions;
    exportOptions.view = padlab::ui::ExportView::Signal;
    exportOptions.look.dark = dark;
    padlab::ui::Exporter exporter(session, exportOptions);
    const QImage painted = exporter.renderImage();
    QCOMPARE(painted.size(), written.size());
    QVERIFY2(painted.convertToFormat(QImage::Format_RGB32) == written.convertToFormat(QImage::Format_RGB32),
             "the rendered PNG differs from the view painted in the test");
    // And it is the channels' painting: three channel rows, the filters asked for.
    QCOMPARE(SignalPainter::channelCount(shown(session)), 3);
    QCOMPARE(SignalPainter::filterCount(shown(session)), filters == SignalFilters::Sum ? 1 : 3);
}

void TstSignal::channelRenderRefusals_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("groups neither 1 nor C") << QStringLiteral("sensors.csv") << QStringList{"--groups", "2"}
                                            << QStringLiteral("--groups 2: the signal view sums the 3 channels");
    QTest::newRow("bias of the wrong length") << QStringLiteral("sensors.csv") << QStringList{"--bias", "1,2"}
                                              << QStringLiteral("bias has 2 values for 1 filters");
    QTest::newRow("groups on one row") << QStringLiteral("row.csv") << QStringList{"--groups", "1"}
                                       << QStringLiteral("this input has one row");
}

void TstSignal::channelRenderRefusals()
{
    QFETCH(QString, input);
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    QVERIFY(padlab::test::writeBytes(m_dir->filePath(QStringLiteral("row.csv")), "1,2,3,4,5\n"));
    const QStringList before = padlab::test::entries(m_dir->path());
    const padlab::test::Run run = padlab::test::runPadlab(
        m_dir->path(), QStringList{"render", input, "--view", "signal", "--kernel", "1,1,1", "-o", "refused.png"}
                           + arguments);
    QVERIFY(run.finished && !run.crashed);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(message.toUtf8()), run.err.constData());
    QCOMPARE(padlab::test::entries(m_dir->path()), before);
}

QTEST_MAIN(TstSignal)
#include "tst_signal.moc"

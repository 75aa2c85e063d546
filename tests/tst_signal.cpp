#include "session.h"
#include "signalpainter.h"
#include "signalview.h"
#include "testutil.h"

#include "padlab/core/error.h"
#include "padlab/core/waveforms.h"

#include <QImage>
#include <QPainter>
#include <QRegularExpression>
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
using padlab::ui::SignalView;
using padlab::ui::Snapshot;

Q_DECLARE_METATYPE(Waveform)
Q_DECLARE_METATYPE(Amount)
Q_DECLARE_METATYPE(SignalPlot)

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
    QTest::newRow("2-D input") << cv::Mat(cv::Mat::ones(3, 5, CV_64F)) << cv::Mat(cv::Mat::ones(1, 3, CV_64F))
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

QTEST_MAIN(TstSignal)
#include "tst_signal.moc"

#include "signalpainter.h"

#include "colormap.h"
#include "look.h"
#include "parts.h"

#include "padlab/core/fill.h"
#include "padlab/core/window.h"

#include <QFont>
#include <QFontMetricsF>
#include <QObject>
#include <QPainter>
#include <QPen>
#include <QStringList>

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <vector>

namespace padlab::ui {

namespace {

// Sizes scale with the font scale so that a projector shows them at the same proportions.
double titlePx(const SignalOptions &o) { return o.look.px(15.0); }
double namePx(const SignalOptions &o) { return o.look.px(14.0); }
double notePx(const SignalOptions &o) { return o.look.px(13.0); }
double valuePx(const SignalOptions &o) { return o.look.px(14.0); }
// Below this a number cannot be read from the back of a room: none is written instead.
constexpr double kMinValuePx = 11.0;
constexpr double kBandAlpha = 0.16;
constexpr double kTapBandAlpha = 0.13;
constexpr double kConnectorAlpha = 0.45;

QString minusSign(QString text)
{
    return text.replace(QLatin1Char('-'), QChar(0x2212));
}

/// A number short enough to write beside a sample: exact when short, else three digits.
QString shortNumber(double value)
{
    QString text = QString::fromStdString(core::formatNumber(value));
    if (text.size() > 5)
        text = std::abs(value) >= 100 ? QString::number(value, 'f', 0) : QString::number(value, 'g', 3);
    return minusSign(text);
}

QString timeText(int time)
{
    return minusSign(QString::number(time));
}

QColor withAlpha(QColor color, double alpha)
{
    color.setAlphaF(float(alpha));
    return color;
}

int stripIndex(SignalPlot plot)
{
    switch (plot) {
    case SignalPlot::Same: return 1;
    case SignalPlot::Causal: return 2;
    default: return 0;
    }
}

constexpr std::array<SignalPlot, 3> kStripPlots = {SignalPlot::Valid, SignalPlot::Same, SignalPlot::Causal};

/// The numbers of the snapshot's row: the geometry of its axis and of the three strip amounts,
/// and the range of input times the plots cover.
struct Signal {
    bool ok = false;
    const SignalSet *set = nullptr;
    core::AxisGeometry axis;
    std::array<core::AxisGeometry, 3> strips;
    int tMin = 0;
    int tMax = 0;
};

int lastTapTime(const core::AxisGeometry &a, int index)
{
    return index * a.stride + (a.kernel - 1) * a.dilation - a.before;
}

Signal signalOf(const Snapshot &s)
{
    Signal sig;
    if (!s.signal || !s.signal->reason.isEmpty() || s.signal->multichannel())
        return sig;
    sig.ok = true;
    sig.set = s.signal.get();
    sig.axis = s.geometry().cols;
    sig.strips = sig.set->strips;
    const core::AxisGeometry &a = sig.axis;
    sig.tMin = std::min(-a.before, 0);
    sig.tMax = std::max(a.input + a.after - 1, a.input - 1);
    if (a.output > 0)
        sig.tMax = std::max(sig.tMax, (a.output - 1) * a.stride);
    for (const core::AxisGeometry &strip : sig.strips)
        if (strip.output > 0)
            sig.tMax = std::max(sig.tMax, lastTapTime(strip, strip.output - 1));
    return sig;
}

/// Where everything lands inside the target.
struct Layout {
    QRectF title;
    QRectF sentence;
    QRectF marker; // the band above the input that names t
    std::array<QRectF, 6> plots;
    std::vector<QRectF> channelPlots; // several channels: each channel's padded row
    std::vector<QRectF> filterPlots;  // and each filter's output row
    QRectF times;      // time labels under the output plot
    QRectF stripTitle;
    QRectF stripTimes; // time labels under the strip; empty when there is no room
    double nameLeft = 0;
    double left = 0;
    double right = 0;
    double tMin = 0;
    double spacing = 1;

    double x(double time) const { return left + (time - tMin + 0.5) * spacing; }
    double timeAt(double px) const { return (px - left) / spacing + tMin - 0.5; }
    const QRectF &plot(SignalPlot which) const { return plots[size_t(which)]; }
};

/// The top of both layouts: title and sentence, the name column as wide as @p widestNote
/// needs, and the marker row; returns where the plots start.
double layoutTop(Layout &l, const QRectF &area, const SignalOptions &o, const QString &widestNote)
{
    const double f = o.look.fontScale;
    double y = area.top();
    if (o.showTitle) {
        l.title = QRectF(area.left(), y, area.width(), std::ceil(24 * f));
        y = l.title.bottom();
        l.sentence = QRectF(area.left(), y, area.width(), std::ceil(24 * f));
        y = l.sentence.bottom() + 2 * f;
    }
    const QFontMetricsF names(pixelFont(namePx(o), true));
    const QFontMetricsF notes(pixelFont(notePx(o)));
    const double margin = std::min(std::max({names.horizontalAdvance(QObject::tr("Padded input")),
                                             notes.horizontalAdvance(widestNote)})
                                       + 16 * f,
                                   area.width() * 0.3);
    l.nameLeft = area.left();
    l.left = area.left() + margin;
    l.right = area.right();
    l.marker = QRectF(l.left, y, l.right - l.left, std::ceil(22 * f));
    return l.marker.bottom();
}

Layout layoutOf(const QRect &target, const Signal &sig, const SignalOptions &o)
{
    Layout l;
    const double f = o.look.fontScale;
    const QRectF area = QRectF(target).adjusted(8 * f, 6 * f, -14 * f, -4 * f);
    double y = layoutTop(l, area, o, QObject::tr("y[0] at t = 88"));

    const double timesHeight = std::ceil(20 * f);
    const double stripTitleHeight = std::ceil(26 * f);
    const double gap = std::round(8 * f);
    const double rowGap = std::round(3 * f);
    constexpr std::array<double, 6> weights = {1.0, 1.35, 1.0, 0.42, 0.42, 0.42};
    double weightSum = 0;
    for (double w : weights)
        weightSum += w;
    double rest = area.bottom() - y - timesHeight - stripTitleHeight - 2 * gap - 2 * rowGap;
    const bool stripTimes = rest - timesHeight > weightSum * 40 * f;
    if (stripTimes)
        rest -= timesHeight;
    rest = std::max(rest, weightSum);
    auto take = [&](SignalPlot plot, double after) {
        const double h = std::floor(rest * weights[size_t(plot)] / weightSum);
        l.plots[size_t(plot)] = QRectF(l.left, y, l.right - l.left, h);
        y += h + after;
    };
    take(SignalPlot::Input, gap);
    take(SignalPlot::Padded, gap);
    take(SignalPlot::Output, 0);
    l.times = QRectF(l.left, y, l.right - l.left, timesHeight);
    y = l.times.bottom();
    l.stripTitle = QRectF(area.left(), y, area.width(), stripTitleHeight);
    y = l.stripTitle.bottom();
    take(SignalPlot::Valid, rowGap);
    take(SignalPlot::Same, rowGap);
    take(SignalPlot::Causal, 0);
    if (stripTimes)
        l.stripTimes = QRectF(l.left, y, l.right - l.left, timesHeight);

    l.tMin = sig.tMin;
    l.spacing = (l.right - l.left) / std::max(1, sig.tMax - sig.tMin + 1);
    return l;
}

/// Maps values to heights inside a plot, with room above and below for the values' text.
struct YMap {
    double top = 0;
    double bottom = 1;
    double low = -1;
    double high = 1;
    double y(double v) const { return bottom - (v - low) / (high - low) * (bottom - top); }
};

YMap yMap(const QRectF &rect, std::pair<double, double> range, double padTop, double padBottom)
{
    YMap m;
    m.low = std::min(range.first, 0.0);
    m.high = std::max(range.second, 0.0);
    if (!(m.high - m.low > 1e-12)) {
        m.low -= 1;
        m.high += 1;
    }
    m.top = rect.top() + padTop;
    m.bottom = std::max(rect.bottom() - padBottom, m.top + 1);
    return m;
}

/// One sample as drawn.
struct Sample {
    double time = 0;
    double value = 0;
    QRgb color = 0;      // a plain number: a long row compares it for every sample
    bool hollow = false; // padding: a ring, not a disc
    bool dashed = false; // padding: a dashed stem or line
    bool labelled = true;
    QRgb labelColor = 0;
};

/// How big markers and stems are for the spacing between samples.
struct Marks {
    double radius = 3;
    double stem = 2;
    bool markers = true;
};

Marks marksFor(double spacing, const SignalOptions &o)
{
    Marks m;
    m.radius = std::clamp(spacing * 0.15, 2.5, o.look.px(5.0));
    m.stem = std::clamp(spacing * 0.07, 1.0, o.look.px(3.0));
    m.markers = spacing >= 4;
    return m;
}

double ringWidth(const SignalOptions &o)
{
    return std::max(2.0, o.look.px(2.5));
}

/// The radius of the rings around the window's taps and the current output sample.
double ringRadius(const Marks &marks, const SignalOptions &o)
{
    return marks.radius + 3 + ringWidth(o) / 2;
}

/// How far a value is written from its sample's centre. Not clear of the rings: on short plots
/// that room is better spent on the text, and a ring only grazes the text's leading.
double labelOffset(const Marks &marks, const SignalOptions &o)
{
    return marks.radius + o.look.px(3);
}

/// The font size at which every text fits @p width, up to @p px; 0 when below kMinValuePx.
double fitPx(const QStringList &texts, double width, double px)
{
    const QFontMetricsF metrics(pixelFont(px));
    double widest = 0;
    for (const QString &text : texts)
        widest = std::max(widest, metrics.horizontalAdvance(text));
    const double fitted = widest > 0 ? std::min(px, px * width / widest) : px;
    return fitted >= kMinValuePx ? fitted : 0;
}

/// The room for a kernel weight above its tap: the gap to the next tap.
double weightWidth(const Layout &l, const core::AxisGeometry &a)
{
    return l.spacing * std::max(1, a.dilation) * 0.94;
}

/// The values of every plot and where they land: one function for paint() and the hit tests.
struct Plots {
    explicit Plots(const SignalSet &set)
        : input(set.input), padded(set.padded), output(set.output), strips(set.stripValues)
    {
    }
    const std::vector<double> &input;
    const std::vector<double> &padded;
    const std::vector<double> &output;
    const std::array<std::vector<double>, 3> &strips;
    Marks marks;
    Marks stripMarks;
    double labelPx = 0;  // values written on the samples; 0 when they do not fit
    double weightPx = 0; // the kernel weights above their taps
    double weightRoom = 0;
    double donorPx = 0;  // where each padding sample's value comes from
    double donorRoom = 0;
    YMap inputMap;
    YMap paddedMap;
    YMap outputMap;
    std::array<YMap, 3> stripMaps;
};

Plots plotsOf(const Snapshot &s, const Signal &sig, const Layout &l, const SignalOptions &o)
{
    const SignalSet &set = *sig.set;
    Plots p(set);
    const core::AxisGeometry &a = sig.axis;
    p.marks = marksFor(l.spacing, o);
    p.stripMarks = marksFor(l.spacing * 0.75, o);

    // Values are written at one size on all three plots, when they fit between samples.
    // No number is narrower than one digit: long rows skip writing out every value to learn that.
    QStringList labels;
    if (l.spacing >= kMinValuePx * 0.6) {
        for (double v : p.padded)
            labels << shortNumber(v);
        for (double v : p.output)
            labels << shortNumber(v);
    }
    const bool donors = a.before + a.after > 0 && s.spec.fill != core::Fill::Zeros
                        && s.spec.fill != core::Fill::Constant;
    p.donorPx = donors ? fitPx({QStringLiteral("x[%1]").arg(a.input - 1)}, l.spacing * 0.94, notePx(o)) : 0;
    p.donorRoom = p.donorPx > 0 ? std::ceil(p.donorPx * 1.3) : 0;
    const double fitted = labels.isEmpty() ? 0 : fitPx(labels, l.spacing * 0.94, valuePx(o));
    if (a.output > 0) {
        // The weights are written no larger than the values, so that the numbers read as one set.
        p.weightPx = std::min(fitPx({QStringLiteral("×") + shortNumber(-88.8)}, weightWidth(l, a), notePx(o)),
                              fitted > 0 ? fitted : notePx(o));
        p.weightRoom = std::ceil(std::max(p.weightPx, kMinValuePx) * 1.3);
    }

    // Values are written above samples at or above 0 and below negative ones: a plot keeps room
    // for text only on the sides it needs, at most 30% of it on each of two sides (45% on one), so
    // that the samples keep the rest to show their shape.
    const auto [inLow, inHigh] = set.inputRange;
    const auto [outLow, outHigh] = set.outputRange;
    const bool inBoth = inLow < 0 && inHigh >= 0;
    const bool outBoth = outLow < 0 && outHigh >= 0;
    const double offset = labelOffset(p.marks, o);
    auto share = [](bool both) { return both ? 0.3 : 0.45; };
    auto room = [&] {
        return std::min({l.plot(SignalPlot::Input).height() * share(inBoth),
                         l.plot(SignalPlot::Output).height() * share(outBoth),
                         (l.plot(SignalPlot::Padded).height() - p.weightRoom - p.donorRoom) * share(inBoth)});
    };
    // The values matter more than the donors' names: on a short padded plot the names go.
    if (p.donorRoom > 0 && (room() - offset) / 1.25 < std::min(fitted, valuePx(o))) {
        p.donorPx = 0;
        p.donorRoom = 0;
    }
    p.labelPx = std::min(fitted, (room() - offset) / 1.25);
    if (p.labelPx < kMinValuePx)
        p.labelPx = 0;
    else
        p.weightPx = std::min(p.weightPx, p.labelPx);
    const double labelRoom = p.labelPx > 0 ? p.labelPx * 1.25 + offset : ringRadius(p.marks, o) + 2;
    const double plain = ringRadius(p.marks, o) + 2;
    const double inAbove = inHigh >= 0 ? labelRoom : plain;
    const double inBelow = inLow < 0 ? labelRoom : plain;
    const double outAbove = outHigh >= 0 ? labelRoom : plain;
    const double outBelow = outLow < 0 ? labelRoom : plain;

    p.inputMap = yMap(l.plot(SignalPlot::Input), set.inputRange, inAbove, inBelow);
    p.paddedMap = yMap(l.plot(SignalPlot::Padded), set.inputRange, inAbove + p.weightRoom, inBelow + p.donorRoom);
    p.outputMap = yMap(l.plot(SignalPlot::Output), set.outputRange, outAbove, outBelow);
    for (size_t i = 0; i < kStripPlots.size(); ++i)
        p.stripMaps[i] = yMap(l.plot(kStripPlots[i]), set.stripRange, p.stripMarks.radius + 3,
                              p.stripMarks.radius + 3);
    return p;
}

/// Draws @p count samples, sample(i) giving each one, in time order: built one at a time, so
/// that a long recording costs no memory and one pass.
template <typename SampleAt>
void drawSeries(QPainter &p, const Layout &l, const YMap &m, int count, SampleAt sample, PlotStyle style,
                const Marks &marks, double labelPx, double offset, const Look &look)
{
    if (count <= 0)
        return;
    p.setBrush(Qt::NoBrush);
    const double zero = m.y(0);
    if (l.spacing < 1.0) {
        // Several samples to a pixel: one vertical span per pixel column, from the lowest to the
        // highest sample there (and to the axis for stems), so that a long row paints quickly;
        // the spans of one colour are drawn in one call.
        std::vector<std::pair<QRgb, std::vector<QRect>>> spans;
        const auto spansOf = [&spans](QRgb color) -> std::vector<QRect> & {
            for (auto &[c, rects] : spans)
                if (c == color)
                    return rects;
            return spans.emplace_back(color, std::vector<QRect>()).second;
        };
        int i = 0;
        Sample first = sample(0);
        while (i < count) {
            const int column = int(std::floor(l.x(first.time)));
            // Times grow with the index: the column ends where the next one's time begins.
            const double end = l.timeAt(column + 1);
            double low = first.value;
            double high = first.value;
            int k = i + 1;
            Sample next;
            for (; k < count; ++k) {
                next = sample(k);
                if (next.time >= end || next.color != first.color)
                    break;
                low = std::min(low, next.value);
                high = std::max(high, next.value);
            }
            if (style == PlotStyle::Stem) {
                low = std::min(low, 0.0);
                high = std::max(high, 0.0);
            }
            // From the pixel of the highest value to that of the lowest.
            const int top = int(std::floor(m.y(high)));
            spansOf(first.color).emplace_back(column, top, 1, int(std::floor(m.y(low))) - top + 1);
            i = k;
            first = next;
        }
        // Whole pixels need no smoothing, and are filled much faster without it.
        const bool smooth = p.testRenderHint(QPainter::Antialiasing);
        p.setRenderHint(QPainter::Antialiasing, false);
        p.setPen(Qt::NoPen);
        for (const auto &[color, rects] : spans) {
            p.setBrush(QColor::fromRgba(color));
            p.drawRects(rects.data(), int(rects.size()));
        }
        p.setBrush(Qt::NoBrush);
        p.setRenderHint(QPainter::Antialiasing, smooth);
        return;
    }
    if (style == PlotStyle::Stem) {
        for (int i = 0; i < count; ++i) {
            const Sample s = sample(i);
            QPen pen(QColor::fromRgba(s.color), marks.stem, s.dashed ? Qt::DashLine : Qt::SolidLine, Qt::FlatCap);
            p.setPen(pen);
            p.drawLine(QPointF(l.x(s.time), zero), QPointF(l.x(s.time), m.y(s.value)));
        }
    } else {
        Sample a = sample(0);
        for (int i = 1; i < count; ++i) {
            const Sample b = sample(i);
            const bool dashed = a.dashed || b.dashed;
            p.setPen(QPen(QColor::fromRgba(dashed ? (a.dashed ? a.color : b.color) : b.color), std::max(2.0, marks.stem),
                          dashed ? Qt::DashLine : Qt::SolidLine, Qt::RoundCap));
            p.drawLine(QPointF(l.x(a.time), m.y(a.value)), QPointF(l.x(b.time), m.y(b.value)));
            a = b;
        }
    }
    if (marks.markers) {
        const double r = style == PlotStyle::Stem ? marks.radius : marks.radius * 0.75;
        for (int i = 0; i < count; ++i) {
            const Sample s = sample(i);
            const QPointF c(l.x(s.time), m.y(s.value));
            if (s.hollow) {
                const double w = std::max(2.0, r * 0.45);
                p.setPen(QPen(QColor::fromRgba(s.color), w));
                p.setBrush(look.background());
                p.drawEllipse(c, r + w / 2, r + w / 2);
            } else {
                p.setPen(Qt::NoPen);
                p.setBrush(QColor::fromRgba(s.color));
                p.drawEllipse(c, r, r);
            }
        }
    }
    if (labelPx < kMinValuePx)
        return;
    p.setFont(pixelFont(labelPx));
    const double h = labelPx * 1.25;
    const double w = l.spacing * 1.2;
    for (int i = 0; i < count; ++i) {
        const Sample s = sample(i);
        if (!s.labelled)
            continue;
        const QPointF c(l.x(s.time), m.y(s.value));
        const QRectF box = s.value >= 0 ? QRectF(c.x() - w / 2, c.y() - offset - h, w, h)
                                        : QRectF(c.x() - w / 2, c.y() + offset, w, h);
        p.setPen(QColor::fromRgba(s.labelColor));
        p.drawText(box, Qt::AlignCenter, shortNumber(s.value));
    }
}

/// Every how many samples a time label is written, so that labels never touch.
int labelEvery(const Layout &l, int tMin, int tMax, double px)
{
    const QFontMetricsF metrics(pixelFont(px));
    const double widest = std::max(metrics.horizontalAdvance(timeText(tMin)), metrics.horizontalAdvance(timeText(tMax)))
                          + 8;
    for (int every : {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000})
        if (every * l.spacing >= widest)
            return every;
    return 200000;
}

int firstMultiple(int from, int every)
{
    const int q = from / every;
    const int m = q * every;
    return m < from ? m + every : m;
}

void drawTimes(QPainter &p, const Layout &l, const QRectF &row, int tMin, int tMax, int every, double px,
               const Look &look)
{
    if (row.isEmpty())
        return;
    p.setFont(pixelFont(px));
    p.setPen(look.mutedText());
    const double w = std::max(every * l.spacing, 40.0);
    for (int time = firstMultiple(tMin, every); time <= tMax; time += every)
        p.drawText(QRectF(l.x(time) - w / 2, row.top(), w, row.height()), Qt::AlignHCenter | Qt::AlignVCenter,
                   timeText(time));
}

void drawName(QPainter &p, const Layout &l, const QRectF &plot, const QString &name, const QString &note,
              bool bold, const QColor &nameColor, const SignalOptions &o)
{
    const QRectF box(l.nameLeft, plot.top(), l.left - l.nameLeft - o.look.px(10), plot.height());
    const QFontMetricsF nameMetrics(pixelFont(namePx(o), bold));
    const double lineHeight = nameMetrics.height();
    const bool twoLines = !note.isEmpty() && box.height() >= lineHeight * 2.1;
    const double top = box.center().y() - (twoLines ? lineHeight : lineHeight / 2);
    p.setFont(pixelFont(namePx(o), bold));
    p.setPen(nameColor);
    p.drawText(QRectF(box.left(), top, box.width(), lineHeight), Qt::AlignLeft | Qt::AlignVCenter,
               nameMetrics.elidedText(name, Qt::ElideRight, box.width()));
    if (twoLines) {
        p.setFont(pixelFont(notePx(o)));
        p.setPen(o.look.mutedText());
        p.drawText(QRectF(box.left(), top + lineHeight, box.width(), lineHeight), Qt::AlignLeft | Qt::AlignVCenter,
                   QFontMetricsF(p.font()).elidedText(note, Qt::ElideRight, box.width()));
    }
}

void drawAxis(QPainter &p, const QRectF &plot, const YMap &m, const Look &look)
{
    p.setPen(QPen(look.axis(), 1));
    const double y = std::round(m.y(0)) + 0.5;
    p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
}

QString kernelText(const cv::Mat &kernel)
{
    if (kernel.cols > 7)
        return QObject::tr("%1 taps").arg(kernel.cols);
    QStringList weights;
    for (int c = 0; c < kernel.cols; ++c)
        weights << shortNumber(cellValue(kernel, 0, c));
    return QLatin1Char('[') + weights.join(QLatin1Char(' ')) + QLatin1Char(']');
}

QString titleText(const Snapshot &s)
{
    const core::ConvSpec &spec = s.spec;
    const core::AxisGeometry &a = s.geometry().cols;
    QStringList parts;
    if (s.signal && s.signal->multichannel())
        parts << QObject::tr("%1, %2 channels × %3 samples").arg(s.inputName).arg(s.signal->channels()).arg(a.input);
    else
        parts << QObject::tr("%1, %2 samples").arg(s.inputName).arg(a.input);
    parts << QObject::tr("kernel %1").arg(kernelText(s.kernel));
    parts << QString::fromStdString(core::padAmountText(spec.amount));
    QString fill = QObject::tr("fill %1").arg(QString::fromLatin1(core::fillName(spec.fill).data()));
    if (spec.fill == core::Fill::Constant)
        fill += QLatin1Char(' ') + shortNumber(spec.value);
    parts << fill;
    if (a.dilation > 1)
        parts << QObject::tr("dilation %1").arg(a.dilation);
    if (a.stride > 1)
        parts << QObject::tr("stride %1").arg(a.stride);
    if (spec.operation == core::Operation::Convolution)
        parts << QObject::tr("convolution (kernel flipped)");
    return parts.join(QStringLiteral("  ·  "));
}

void drawMessage(QPainter &p, const QRectF &r, const QString &text, double px, const Look &look)
{
    p.setFont(pixelFont(px));
    p.setPen(look.mutedText());
    p.drawText(r.adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, text);
}

void paintSignal(QPainter &p, const QRect &target, const Snapshot &s, const SignalOptions &o)
{
    const Look &look = o.look;
    const Signal sig = signalOf(s);
    const Layout l = layoutOf(target, sig, o);
    const core::AxisGeometry &a = sig.axis;
    const double f = look.fontScale;
    const PlotStyle style = s.view.plotStyle;
    const QColor ink = look.sampleColor();
    const QColor tint = look.paddingTint();
    const QColor paddingInk = look.paddingInk();
    const QColor text = look.text();
    const QRgb inkRgb = ink.rgba();
    const QRgb tintRgb = tint.rgba();
    const QRgb paddingInkRgb = paddingInk.rgba();
    const QRgb textRgb = text.rgba();
    const QColor windowColor = look.windowColor();
    const QColor current = look.currentCellColor();
    const QRgb fadedRgb = blend(ink.rgb(), look.background().rgb(), kFutureAlpha);

    const Plots d = plotsOf(s, sig, l, o);
    const std::vector<double> &input = d.input;
    const std::vector<double> &output = d.output;
    const Marks &marks = d.marks;

    const bool hasOutput = a.output > 0 && int(output.size()) == a.output;
    const int j = hasOutput ? std::clamp(o.step, 0, a.output - 1) : 0;
    const int tNow = j * a.stride;
    const core::Window window = hasOutput ? s.windowAt(0, j) : core::Window();
    int lastRead = INT_MIN;
    for (const core::Tap &tap : window.taps)
        lastRead = std::max(lastRead, tap.paddedCol - a.before);

    // Title and the sentence about the current window.
    if (o.showTitle) {
        p.setFont(pixelFont(titlePx(o), true));
        p.setPen(text);
        p.drawText(l.title, Qt::AlignLeft | Qt::AlignVCenter,
                   QFontMetricsF(p.font()).elidedText(titleText(s), Qt::ElideRight, l.title.width()));
        p.setFont(pixelFont(titlePx(o)));
        p.setPen(hasOutput && lastRead > tNow ? paddingInk : text);
        p.drawText(l.sentence, Qt::AlignLeft | Qt::AlignVCenter,
                   QFontMetricsF(p.font()).elidedText(SignalPainter::windowSentence(s, j), Qt::ElideRight,
                                                      l.sentence.width()));
    }

    const QRectF &inputRect = l.plot(SignalPlot::Input);
    const QRectF &paddedRect = l.plot(SignalPlot::Padded);
    const QRectF &outputRect = l.plot(SignalPlot::Output);
    const double stripTop = l.plot(SignalPlot::Valid).top();
    const double stripBottom = l.plot(SignalPlot::Causal).bottom();

    // Light verticals at the labelled times, through every plot.
    const double timePx = notePx(o);
    const int every = labelEvery(l, sig.tMin, sig.tMax, timePx);
    p.setPen(QPen(look.plotGrid(), 1));
    for (int time = firstMultiple(sig.tMin, every); time <= sig.tMax; time += every) {
        const double x = std::round(l.x(time)) + 0.5;
        p.drawLine(QPointF(x, inputRect.top()), QPointF(x, outputRect.bottom()));
        p.drawLine(QPointF(x, stripTop), QPointF(x, stripBottom));
    }

    // The padding: a tinted band on each side of the input, its edges drawn as on the padded panel.
    const double inLeft = l.x(-0.5);
    const double inRight = l.x(a.input - 0.5);
    const QColor band = withAlpha(tint, kBandAlpha);
    if (a.before > 0)
        p.fillRect(QRectF(QPointF(l.x(-a.before - 0.5), paddedRect.top()), QPointF(inLeft, paddedRect.bottom())),
                   band);
    if (a.after > 0)
        p.fillRect(QRectF(QPointF(inRight, paddedRect.top()),
                          QPointF(l.x(a.input + a.after - 0.5), paddedRect.bottom())),
                   band);

    // After t: shaded on the input and padded plots, where a causal window never reads.
    if (hasOutput) {
        const double from = std::min(l.x(tNow + 0.5), l.right);
        for (const QRectF &r : {inputRect, paddedRect})
            p.fillRect(QRectF(QPointF(from, r.top()), QPointF(l.right, r.bottom())), look.future());
        for (const core::Tap &tap : window.taps) {
            const double x = l.x(tap.paddedCol - a.before);
            p.fillRect(QRectF(x - l.spacing * 0.4, paddedRect.top(), l.spacing * 0.8, paddedRect.height()),
                       withAlpha(windowColor, kTapBandAlpha));
        }
    }

    const YMap &inputMap = d.inputMap;
    const YMap &paddedMap = d.paddedMap;
    const YMap &outputMap = d.outputMap;
    drawAxis(p, inputRect, inputMap, look);
    drawAxis(p, paddedRect, paddedMap, look);
    if (hasOutput)
        drawAxis(p, outputRect, outputMap, look);

    // The input's edges on the padded plot.
    if (a.before + a.after > 0) {
        p.setPen(QPen(look.edge(), std::max(1.5, 2 * f)));
        for (double x : {inLeft, inRight})
            p.drawLine(QPointF(x, paddedRect.top()), QPointF(x, paddedRect.bottom()));
    }

    // The t marker through every plot, under the samples so that their values stay readable.
    if (hasOutput) {
        p.setPen(QPen(current, std::max(1.5, 2 * f), Qt::DashLine));
        const double xt = l.x(tNow);
        p.drawLine(QPointF(xt, inputRect.top()), QPointF(xt, outputRect.bottom()));
        p.drawLine(QPointF(xt, stripTop), QPointF(xt, stripBottom));
    }

    p.setRenderHint(QPainter::Antialiasing, true);
    drawSeries(
        p, l, inputMap, int(input.size()),
        [&](int i) { return Sample{double(i), input[size_t(i)], inkRgb, false, false, true, textRgb}; }, style, marks,
        d.labelPx, labelOffset(marks, o), look);

    drawSeries(
        p, l, paddedMap, int(d.padded.size()),
        [&](int i) {
            const int time = i - a.before;
            const bool isPadding = time < 0 || time >= a.input;
            return Sample{double(time), d.padded[size_t(i)], isPadding ? tintRgb : inkRgb, isPadding, isPadding, true,
                          isPadding ? paddingInkRgb : textRgb};
        },
        style, marks, d.labelPx, labelOffset(marks, o), look);

    if (hasOutput) {
        drawSeries(
            p, l, outputMap, a.output,
            [&](int i) {
                const bool future = o.fadeUncomputed && i > j;
                return Sample{double(i * a.stride), output[size_t(i)], future ? fadedRgb : inkRgb, false, false,
                              !future, textRgb};
            },
            style, marks, d.labelPx, labelOffset(marks, o), look);
    } else {
        drawMessage(p, outputRect, QString::fromStdString(core::emptyOutputReason(s.geometry())), notePx(o), look);
    }

    // The strip: the three outputs at the time of their window's last tap, on one value scale.
    const Marks &stripMarks = d.stripMarks;
    const std::array<std::vector<double>, 3> &strips = d.strips;
    const std::array<YMap, 3> &stripMaps = d.stripMaps;
    for (size_t i = 0; i < kStripPlots.size(); ++i) {
        const QRectF &r = l.plot(kStripPlots[i]);
        if (!strips[i].empty())
            drawAxis(p, r, stripMaps[i], look);
        const core::AxisGeometry &g = sig.strips[i];
        const std::vector<double> &values = strips[i];
        drawSeries(
            p, l, stripMaps[i], int(values.size()),
            [&](int k) {
                return Sample{double(lastTapTime(g, k)), values[size_t(k)], inkRgb, false, false, false, textRgb};
            },
            style, stripMarks, 0, 0, look);
        if (values.empty())
            drawMessage(p, r, QString::fromStdString(core::emptyOutputReason({s.geometry().rows, g})), notePx(o), look);
    }

    if (hasOutput) {
        // The window: rings on its taps, joined to the sample they make; the input samples it reads.
        const QPointF made(l.x(tNow), outputMap.y(output[size_t(j)]));
        const double ringPen = ringWidth(o);
        const double ring = ringRadius(marks, o);
        // From ring to ring, so that the samples themselves stay clear.
        p.setPen(QPen(withAlpha(windowColor, kConnectorAlpha), std::max(1.5, 1.5 * f)));
        for (const core::Tap &tap : window.taps) {
            const QPointF from(l.x(tap.paddedCol - a.before), paddedMap.y(tap.value));
            const QPointF along = made - from;
            const double length = std::hypot(along.x(), along.y());
            if (length > 2 * ring)
                p.drawLine(from + along * (ring / length), made - along * (ring / length));
        }
        p.setBrush(Qt::NoBrush);
        for (const core::Tap &tap : window.taps) {
            p.setPen(QPen(windowColor, ringPen));
            p.drawEllipse(QPointF(l.x(tap.paddedCol - a.before), paddedMap.y(tap.value)), ring, ring);
            if (tap.donor.isFillValue())
                continue;
            // Read through a padding copy: dashed, as on the input panel.
            p.setPen(QPen(windowColor, ringPen, tap.donor.isPadding ? Qt::DashLine : Qt::SolidLine));
            p.drawEllipse(QPointF(l.x(tap.donor.col), inputMap.y(input[size_t(tap.donor.col)])), ring, ring);
        }
        p.setPen(QPen(current, ringPen));
        p.drawEllipse(made, ring, ring);

        // The weights above their taps, when they fit between them.
        if (d.weightPx > 0) {
            p.setFont(pixelFont(d.weightPx, true));
            p.setPen(windowColor);
            const double w = weightWidth(l, a);
            for (const core::Tap &tap : window.taps) {
                const double x = l.x(tap.paddedCol - a.before);
                p.drawText(QRectF(x - w / 2, paddedRect.top(), w, d.weightRoom), Qt::AlignCenter,
                           QStringLiteral("×") + shortNumber(tap.weight));
            }
        }

        // The same output sample in each strip row: where each amount puts y[j].
        for (size_t i = 0; i < kStripPlots.size(); ++i) {
            if (j >= int(strips[i].size()))
                continue;
            const double r = stripMarks.radius + 2 + ringPen / 2;
            p.setPen(QPen(current, ringPen));
            p.drawEllipse(QPointF(l.x(lastTapTime(sig.strips[i], j)), stripMaps[i].y(strips[i][size_t(j)])), r, r);
        }

        // The t marker's name, and what lies after it.
        const double xt = l.x(tNow);
        p.setFont(pixelFont(notePx(o), true));
        const QFontMetricsF metrics(p.font());
        const QString tLabel = QObject::tr("t = %1").arg(timeText(tNow));
        const double tWidth = metrics.horizontalAdvance(tLabel) + 8;
        const double tLeft = std::clamp(xt - tWidth / 2, l.marker.left(), l.marker.right() - tWidth);
        p.setPen(current);
        p.drawText(QRectF(tLeft, l.marker.top(), tWidth, l.marker.height()), Qt::AlignCenter, tLabel);
        const bool readsAfter = lastRead > tNow;
        const QString after = readsAfter ? QObject::tr("after t: read") : QObject::tr("after t: not read");
        p.setFont(pixelFont(notePx(o)));
        p.setPen(readsAfter ? paddingInk : look.mutedText());
        const QRectF afterBox(QPointF(tLeft + tWidth + 4 * f, l.marker.top()), l.marker.bottomRight());
        if (QFontMetricsF(p.font()).horizontalAdvance(after) <= afterBox.width())
            p.drawText(afterBox, Qt::AlignLeft | Qt::AlignVCenter, after);
    }
    p.setRenderHint(QPainter::Antialiasing, false);

    // Where each padding sample's value comes from.
    if (d.donorPx > 0) {
        p.setFont(pixelFont(d.donorPx));
        p.setPen(paddingInk);
        for (int time = -a.before; time < a.input + a.after; ++time) {
            if (time >= 0 && time < a.input)
                continue;
            const int from = core::donorIndex(time, a.input, s.spec.fill);
            if (from < 0)
                continue;
            const double x = l.x(time);
            p.drawText(QRectF(x - l.spacing / 2, paddedRect.bottom() - d.donorRoom, l.spacing, d.donorRoom),
                       Qt::AlignCenter, QStringLiteral("x[%1]").arg(from));
        }
    }

    drawTimes(p, l, l.times, sig.tMin, sig.tMax, every, timePx, look);
    drawTimes(p, l, l.stripTimes, sig.tMin, sig.tMax, every, timePx, look);

    // Names on the left.
    const QString fillNote = a.before + a.after == 0
                                 ? QObject::tr("no padding")
                                 : QObject::tr("fill: %1").arg(QString::fromLatin1(core::fillName(s.spec.fill).data()));
    drawName(p, l, inputRect, QObject::tr("Input x[t]"), QObject::tr("%1 samples").arg(a.input), true, text, o);
    drawName(p, l, paddedRect, QObject::tr("Padded input"), fillNote, true, text, o);
    drawName(p, l, outputRect, QObject::tr("Output y[t]"), QObject::tr("%1 samples").arg(a.output), true, text, o);
    p.setFont(pixelFont(notePx(o)));
    p.setPen(look.mutedText());
    p.drawText(l.stripTitle.adjusted(0, 0, 0, -2 * f), Qt::AlignLeft | Qt::AlignBottom,
               QFontMetricsF(p.font()).elidedText(
                   hasOutput ? QObject::tr("valid, same and causal outputs of this kernel, each y[i] at the time "
                                           "of its window's last tap (y[%1] ringed)")
                                   .arg(j)
                             : QObject::tr("valid, same and causal outputs of this kernel, each y[i] at the time "
                                           "of its window's last tap"),
                   Qt::ElideRight, l.stripTitle.width()));
    const core::Amount amount = s.spec.amount.kind;
    for (size_t i = 0; i < kStripPlots.size(); ++i) {
        const core::AxisGeometry &g = sig.strips[i];
        const bool mine = g.amount == amount;
        const QString note = g.output > 0 ? QObject::tr("y[0] at t = %1").arg(timeText(lastTapTime(g, 0)))
                                          : QObject::tr("empty");
        const QRectF &r = l.plot(kStripPlots[i]);
        drawName(p, l, r, QString::fromLatin1(core::amountName(g.amount).data()), note, mine,
                 mine ? text : look.mutedText(), o);
        if (mine)
            p.fillRect(QRectF(l.left - 6 * f, r.top() + 2, 3 * f, r.height() - 4), windowColor);
    }
}


// ---- Several channels: each channel's padded row, the window over them, the Conv1D's rows ----

/// The numbers of a multichannel signal: the time axis and the current output cell.
struct Channels {
    bool ok = false;
    const SignalSet *set = nullptr;
    core::AxisGeometry axis;
    int tMin = 0;
    int tMax = 0;
};

Channels channelsOf(const Snapshot &s)
{
    Channels c;
    if (!s.signal || !s.signal->reason.isEmpty() || !s.signal->multichannel()
        || s.signal->conv.geometry.axes.size() != 1)
        return c;
    c.ok = true;
    c.set = s.signal.get();
    c.axis = c.set->conv.geometry.axes[0];
    const core::AxisGeometry &a = c.axis;
    c.tMin = std::min(-a.before, 0);
    c.tMax = std::max(a.input + a.after - 1, a.input - 1);
    if (a.output > 0)
        c.tMax = std::max(c.tMax, (a.output - 1) * a.stride);
    return c;
}

/// The output cell of @p step: x = output sample, y = filter (the steps walk the filters' rows).
QPoint cellOf(const Snapshot &s, const SignalSet &set, int step)
{
    const QPoint cell = s.stepCell(View::Signal, step);
    return {std::clamp(cell.x(), 0, std::max(set.outputLength() - 1, 0)),
            std::clamp(cell.y(), 0, set.filters() - 1)};
}

Layout channelLayoutOf(const QRect &target, const Channels &ch, const SignalOptions &o)
{
    Layout l;
    const double f = o.look.fontScale;
    const QRectF area = QRectF(target).adjusted(8 * f, 6 * f, -14 * f, -4 * f);
    double y = layoutTop(l, area, o, QObject::tr("window Σ −88.88"));
    const int channels = ch.set->channels();
    const int filters = ch.set->filters();
    const double timesHeight = std::ceil(20 * f);
    const double titleHeight = std::ceil(26 * f);
    const double rowGap = std::round(4 * f);
    const double rest = std::max(area.bottom() - y - 2 * timesHeight - titleHeight - rowGap * (channels + filters),
                                 double(channels + filters));
    const double h = std::floor(rest / (channels + filters));
    for (int c = 0; c < channels; ++c) {
        l.channelPlots.push_back(QRectF(l.left, y, l.right - l.left, h));
        y += h + rowGap;
    }
    l.times = QRectF(l.left, y - rowGap, l.right - l.left, timesHeight);
    y = l.times.bottom();
    l.stripTitle = QRectF(area.left(), y, area.width(), titleHeight);
    y = l.stripTitle.bottom();
    for (int k = 0; k < filters; ++k) {
        l.filterPlots.push_back(QRectF(l.left, y, l.right - l.left, h));
        y += h + rowGap;
    }
    l.stripTimes = QRectF(l.left, y - rowGap, l.right - l.left, timesHeight);
    l.tMin = ch.tMin;
    l.spacing = (l.right - l.left) / std::max(1, ch.tMax - ch.tMin + 1);
    return l;
}

/// Where the values of every row land, and the sizes of what is written on them.
struct ChannelPlots {
    Marks marks;
    double labelPx = 0;
    double weightPx = 0;
    double weightRoom = 0;
    std::vector<YMap> channelMaps;
    std::vector<YMap> filterMaps;
};

ChannelPlots channelPlotsOf(const Channels &ch, const Layout &l, const SignalOptions &o)
{
    const SignalSet &set = *ch.set;
    ChannelPlots p;
    p.marks = marksFor(l.spacing, o);
    QStringList labels;
    if (l.spacing >= kMinValuePx * 0.6) {
        for (const std::vector<double> &row : set.channelPadded)
            for (double v : row)
                labels << shortNumber(v);
        for (const std::vector<double> &row : set.filterOutputs)
            for (double v : row)
                labels << shortNumber(v);
    }
    const double fitted = labels.isEmpty() ? 0 : fitPx(labels, l.spacing * 0.94, valuePx(o));
    const double h = l.channelPlots.empty() ? 0 : l.channelPlots.front().height();
    if (ch.axis.output > 0 && h >= o.look.px(70)) {
        p.weightPx = std::min(fitPx({QStringLiteral("×") + shortNumber(-88.8)}, weightWidth(l, ch.axis), notePx(o)),
                              fitted > 0 ? fitted : notePx(o));
        if (p.weightPx > 0)
            p.weightRoom = std::ceil(std::max(p.weightPx, kMinValuePx) * 1.3);
    }
    const auto [inLow, inHigh] = set.inputRange;
    const auto [outLow, outHigh] = set.outputRange;
    const bool inBoth = inLow < 0 && inHigh >= 0;
    const bool outBoth = outLow < 0 && outHigh >= 0;
    const double offset = labelOffset(p.marks, o);
    const auto share = [](bool both) { return both ? 0.3 : 0.45; };
    const double room = std::min((h - p.weightRoom) * share(inBoth), h * share(outBoth));
    p.labelPx = std::min(fitted, (room - offset) / 1.25);
    if (p.labelPx < kMinValuePx)
        p.labelPx = 0;
    else if (p.weightPx > 0)
        p.weightPx = std::min(p.weightPx, p.labelPx);
    const double labelRoom = p.labelPx > 0 ? p.labelPx * 1.25 + offset : ringRadius(p.marks, o) + 2;
    const double plain = ringRadius(p.marks, o) + 2;
    for (const QRectF &r : l.channelPlots)
        p.channelMaps.push_back(yMap(r, set.inputRange, (inHigh >= 0 ? labelRoom : plain) + p.weightRoom,
                                     inLow < 0 ? labelRoom : plain));
    for (const QRectF &r : l.filterPlots)
        p.filterMaps.push_back(
            yMap(r, set.outputRange, outHigh >= 0 ? labelRoom : plain, outLow < 0 ? labelRoom : plain));
    return p;
}

QString filterName(const SignalSet &set, int filter)
{
    return set.filters() == 1 ? QStringLiteral("y[t]") : QStringLiteral("y%1[t]").arg(filter);
}

QString cellName(const SignalSet &set, QPoint cell)
{
    return set.filters() == 1 ? QStringLiteral("y[%1]").arg(cell.x())
                              : QStringLiteral("y%1[%2]").arg(cell.y()).arg(cell.x());
}

QString bankText(const SignalSet &set)
{
    const int taps = set.bank.shape.size() == 3 ? set.bank.shape[2] : 0;
    QString text = set.filters() == 1 && set.channels() > 1
                       ? QObject::tr("Conv1D: 1 filter (1 × %1 × %2): the kernel on every channel, the products "
                                     "summed over the channels")
                             .arg(set.channels())
                             .arg(taps)
                       : QObject::tr("Conv1D, depthwise: %1 filters (%1 × 1 × %2), each reading its own channel")
                             .arg(set.filters())
                             .arg(taps);
    if (!set.bank.bias.empty()) {
        QStringList values;
        const bool same = std::all_of(set.bank.bias.begin(), set.bank.bias.end(),
                                      [&](double b) { return b == set.bank.bias.front(); });
        for (double b : same ? std::vector<double>{set.bank.bias.front()} : set.bank.bias)
            values << shortNumber(b);
        text += QObject::tr(", bias %1").arg(values.join(QStringLiteral(", ")));
    }
    return text;
}

void paintChannels(QPainter &p, const QRect &target, const Snapshot &s, const SignalOptions &o)
{
    const Look &look = o.look;
    const Channels ch = channelsOf(s);
    const SignalSet &set = *ch.set;
    const Layout l = channelLayoutOf(target, ch, o);
    const ChannelPlots d = channelPlotsOf(ch, l, o);
    const core::AxisGeometry &a = ch.axis;
    const double f = look.fontScale;
    const PlotStyle style = s.view.plotStyle;
    const QColor ink = look.sampleColor();
    const QColor tint = look.paddingTint();
    const QColor paddingInk = look.paddingInk();
    const QColor text = look.text();
    const QRgb inkRgb = ink.rgba();
    const QRgb tintRgb = tint.rgba();
    const QRgb paddingInkRgb = paddingInk.rgba();
    const QRgb textRgb = text.rgba();
    const QColor windowColor = look.windowColor();
    const QColor current = look.currentCellColor();
    const QRgb fadedRgb = blend(ink.rgb(), look.background().rgb(), kFutureAlpha);
    const int channels = set.channels();
    const int filters = set.filters();

    const bool hasOutput = set.outputLength() > 0 && int(set.filterOutputs.size()) == filters;
    const QPoint cell = hasOutput ? cellOf(s, set, o.step) : QPoint();
    const int j = cell.x();
    const int now = cell.y();
    const int tNow = j * a.stride;
    const core::TensorWindow window = hasOutput ? set.windowAt(now, j) : core::TensorWindow();
    const std::vector<double> partial = set.partialSums(window);
    const int firstRead = set.firstChannel(now);
    const int lastRead = firstRead + set.channelsPerFilter() - 1;
    const auto reads = [&](int c) { return hasOutput && c >= firstRead && c <= lastRead; };
    int lastTime = INT_MIN;
    for (const core::TensorTap &tap : window.taps)
        lastTime = std::max(lastTime, tap.padded.front() - a.before);

    if (o.showTitle) {
        p.setFont(pixelFont(titlePx(o), true));
        p.setPen(text);
        p.drawText(l.title, Qt::AlignLeft | Qt::AlignVCenter,
                   QFontMetricsF(p.font()).elidedText(titleText(s), Qt::ElideRight, l.title.width()));
        p.setFont(pixelFont(titlePx(o)));
        p.setPen(text);
        p.drawText(l.sentence, Qt::AlignLeft | Qt::AlignVCenter,
                   QFontMetricsF(p.font()).elidedText(SignalPainter::windowSentence(s, o.step), Qt::ElideRight,
                                                      l.sentence.width()));
    }

    const double top = l.channelPlots.front().top();
    const double channelsBottom = l.channelPlots.back().bottom();
    const double filtersTop = l.filterPlots.front().top();
    const double bottom = l.filterPlots.back().bottom();
    const double timePx = notePx(o);
    const int every = labelEvery(l, ch.tMin, ch.tMax, timePx);
    p.setPen(QPen(look.plotGrid(), 1));
    for (int time = firstMultiple(ch.tMin, every); time <= ch.tMax; time += every) {
        const double x = std::round(l.x(time)) + 0.5;
        p.drawLine(QPointF(x, top), QPointF(x, channelsBottom));
        p.drawLine(QPointF(x, filtersTop), QPointF(x, bottom));
    }

    // Every channel padded the same way: tinted bands on both sides, the input's edges.
    const double inLeft = l.x(-0.5);
    const double inRight = l.x(a.input - 0.5);
    const QColor band = withAlpha(tint, kBandAlpha);
    for (int c = 0; c < channels; ++c) {
        const QRectF &r = l.channelPlots[size_t(c)];
        if (a.before > 0)
            p.fillRect(QRectF(QPointF(l.x(-a.before - 0.5), r.top()), QPointF(inLeft, r.bottom())), band);
        if (a.after > 0)
            p.fillRect(QRectF(QPointF(inRight, r.top()), QPointF(l.x(a.input + a.after - 0.5), r.bottom())), band);
        if (hasOutput) {
            const double from = std::min(l.x(tNow + 0.5), l.right);
            p.fillRect(QRectF(QPointF(from, r.top()), QPointF(l.right, r.bottom())), look.future());
            if (reads(c))
                for (const core::TensorTap &tap : window.taps)
                    if (tap.channel == c) {
                        const double x = l.x(tap.padded.front() - a.before);
                        p.fillRect(QRectF(x - l.spacing * 0.4, r.top(), l.spacing * 0.8, r.height()),
                                   withAlpha(windowColor, kTapBandAlpha));
                    }
        }
        drawAxis(p, r, d.channelMaps[size_t(c)], look);
        if (a.before + a.after > 0) {
            p.setPen(QPen(look.edge(), std::max(1.5, 2 * f)));
            for (double x : {inLeft, inRight})
                p.drawLine(QPointF(x, r.top()), QPointF(x, r.bottom()));
        }
    }
    for (int k = 0; k < filters; ++k)
        if (hasOutput)
            drawAxis(p, l.filterPlots[size_t(k)], d.filterMaps[size_t(k)], look);

    if (hasOutput) {
        p.setPen(QPen(current, std::max(1.5, 2 * f), Qt::DashLine));
        const double xt = l.x(tNow);
        p.drawLine(QPointF(xt, top), QPointF(xt, channelsBottom));
        p.drawLine(QPointF(xt, filtersTop), QPointF(xt, bottom));
    }

    p.setRenderHint(QPainter::Antialiasing, true);
    for (int c = 0; c < channels; ++c) {
        const std::vector<double> &row = set.channelPadded[size_t(c)];
        drawSeries(
            p, l, d.channelMaps[size_t(c)], int(row.size()),
            [&](int i) {
                const int time = i - a.before;
                const bool isPadding = time < 0 || time >= a.input;
                return Sample{double(time), row[size_t(i)], isPadding ? tintRgb : inkRgb, isPadding, isPadding, true,
                              isPadding ? paddingInkRgb : textRgb};
            },
            style, d.marks, d.labelPx, labelOffset(d.marks, o), look);
    }
    for (int k = 0; k < filters; ++k) {
        const QRectF &r = l.filterPlots[size_t(k)];
        if (!hasOutput) {
            drawMessage(p, r, QString::fromStdString(core::emptyOutputReason(set.conv.geometry)), notePx(o), look);
            continue;
        }
        const std::vector<double> &row = set.filterOutputs[size_t(k)];
        drawSeries(
            p, l, d.filterMaps[size_t(k)], int(row.size()),
            [&](int i) {
                // Computed row by row, as the session steps: rows after the current one not yet.
                const bool future = o.fadeUncomputed && (k > now || (k == now && i > j));
                return Sample{double(i * a.stride), row[size_t(i)], future ? fadedRgb : inkRgb, false, false, !future,
                              textRgb};
            },
            style, d.marks, d.labelPx, labelOffset(d.marks, o), look);
    }

    if (hasOutput) {
        const double ringPen = ringWidth(o);
        const double ring = ringRadius(d.marks, o);
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(windowColor, ringPen));
        for (const core::TensorTap &tap : window.taps)
            p.drawEllipse(QPointF(l.x(tap.padded.front() - a.before), d.channelMaps[size_t(tap.channel)].y(tap.value)),
                          ring, ring);
        const QPointF made(l.x(tNow), d.filterMaps[size_t(now)].y(set.filterOutputs[size_t(now)][size_t(j)]));
        p.setPen(QPen(current, ringPen));
        p.drawEllipse(made, ring, ring);
        // The kernel's weights above the taps of every channel the filter reads.
        if (d.weightPx > 0) {
            p.setFont(pixelFont(d.weightPx, true));
            p.setPen(windowColor);
            const double w = weightWidth(l, a);
            for (const core::TensorTap &tap : window.taps) {
                const QRectF &r = l.channelPlots[size_t(tap.channel)];
                const double x = l.x(tap.padded.front() - a.before);
                p.drawText(QRectF(x - w / 2, r.top(), w, d.weightRoom), Qt::AlignCenter,
                           QStringLiteral("×") + shortNumber(tap.weight));
            }
        }
        const double xt = l.x(tNow);
        p.setFont(pixelFont(notePx(o), true));
        const QFontMetricsF metrics(p.font());
        const QString tLabel = QObject::tr("t = %1").arg(timeText(tNow));
        const double tWidth = metrics.horizontalAdvance(tLabel) + 8;
        const double tLeft = std::clamp(xt - tWidth / 2, l.marker.left(), l.marker.right() - tWidth);
        p.setPen(current);
        p.drawText(QRectF(tLeft, l.marker.top(), tWidth, l.marker.height()), Qt::AlignCenter, tLabel);
        const bool readsAfter = lastTime > tNow;
        const QString after = readsAfter ? QObject::tr("after t: read") : QObject::tr("after t: not read");
        p.setFont(pixelFont(notePx(o)));
        p.setPen(readsAfter ? paddingInk : look.mutedText());
        const QRectF afterBox(QPointF(tLeft + tWidth + 4 * f, l.marker.top()), l.marker.bottomRight());
        if (QFontMetricsF(p.font()).horizontalAdvance(after) <= afterBox.width())
            p.drawText(afterBox, Qt::AlignLeft | Qt::AlignVCenter, after);
    }
    p.setRenderHint(QPainter::Antialiasing, false);

    drawTimes(p, l, l.times, ch.tMin, ch.tMax, every, timePx, look);
    drawTimes(p, l, l.stripTimes, ch.tMin, ch.tMax, every, timePx, look);

    // Names on the left: each channel with its part of the current sum.
    const QString fillNote = a.before + a.after == 0
                                 ? QObject::tr("no padding")
                                 : QObject::tr("fill: %1").arg(QString::fromLatin1(core::fillName(s.spec.fill).data()));
    for (int c = 0; c < channels; ++c) {
        const QString note = reads(c) ? QObject::tr("window Σ %1").arg(shortNumber(partial[size_t(c)]))
                                      : (hasOutput ? QObject::tr("not read") : fillNote);
        drawName(p, l, l.channelPlots[size_t(c)], QObject::tr("c%1, padded").arg(c), note, true,
                 reads(c) ? text : look.mutedText(), o);
        if (reads(c))
            p.fillRect(QRectF(l.left - 6 * f, l.channelPlots[size_t(c)].top() + 2, 3 * f,
                              l.channelPlots[size_t(c)].height() - 4),
                       windowColor);
    }
    for (int k = 0; k < filters; ++k) {
        const QString note = filters == 1 ? QObject::tr("sum of %1 channels").arg(channels)
                                          : QObject::tr("from c%1").arg(set.firstChannel(k));
        drawName(p, l, l.filterPlots[size_t(k)], filterName(set, k), note, true,
                 !hasOutput || k == now ? text : look.mutedText(), o);
    }
    p.setFont(pixelFont(notePx(o)));
    p.setPen(look.mutedText());
    QString title = bankText(set);
    if (hasOutput)
        title += QObject::tr(" (%1 ringed)").arg(cellName(set, cell));
    p.drawText(l.stripTitle.adjusted(0, 0, 0, -2 * f), Qt::AlignLeft | Qt::AlignBottom,
               QFontMetricsF(p.font()).elidedText(title, Qt::ElideRight, l.stripTitle.width()));
}

} // namespace

bool SignalPainter::canShow(const Snapshot &snapshot)
{
    return unsupportedReason(snapshot).isEmpty();
}

QString SignalPainter::unsupportedReason(const Snapshot &snapshot)
{
    return parts::signalUnsupportedReason(snapshot);
}

void SignalPainter::paint(QPainter &painter, const QRect &target, const Snapshot &snapshot,
                          const SignalOptions &options)
{
    painter.save();
    painter.setClipRect(target);
    painter.fillRect(target, options.look.background());
    QString reason = unsupportedReason(snapshot);
    if (reason.isEmpty())
        reason = snapshot.signal ? snapshot.signal->reason : QObject::tr("Computing…");
    if (reason.isEmpty() && snapshot.signal->multichannel())
        paintChannels(painter, target, snapshot, options);
    else if (reason.isEmpty())
        paintSignal(painter, target, snapshot, options);
    else
        drawMessage(painter, QRectF(target), reason, titlePx(options) * 1.1, options.look);
    painter.restore();
}

QRectF SignalPainter::plotRect(const QRect &target, const Snapshot &snapshot, const SignalOptions &options,
                               SignalPlot plot)
{
    const Signal sig = signalOf(snapshot);
    if (!sig.ok)
        return {};
    return layoutOf(target, sig, options).plot(plot);
}

double SignalPainter::timeX(const QRect &target, const Snapshot &snapshot, const SignalOptions &options,
                            double time)
{
    if (const Channels ch = channelsOf(snapshot); ch.ok)
        return channelLayoutOf(target, ch, options).x(time);
    return layoutOf(target, signalOf(snapshot), options).x(time);
}

int SignalPainter::channelCount(const Snapshot &snapshot)
{
    const Channels ch = channelsOf(snapshot);
    return ch.ok ? ch.set->channels() : (signalOf(snapshot).ok ? 1 : 0);
}

int SignalPainter::filterCount(const Snapshot &snapshot)
{
    const Channels ch = channelsOf(snapshot);
    return ch.ok ? ch.set->filters() : (signalOf(snapshot).ok ? 1 : 0);
}

QRectF SignalPainter::channelRect(const QRect &target, const Snapshot &snapshot, const SignalOptions &options,
                                  int channel)
{
    const Channels ch = channelsOf(snapshot);
    if (!ch.ok || channel < 0 || channel >= ch.set->channels())
        return {};
    return channelLayoutOf(target, ch, options).channelPlots[size_t(channel)];
}

QRectF SignalPainter::filterRect(const QRect &target, const Snapshot &snapshot, const SignalOptions &options,
                                 int filter)
{
    const Channels ch = channelsOf(snapshot);
    if (!ch.ok || filter < 0 || filter >= ch.set->filters())
        return {};
    return channelLayoutOf(target, ch, options).filterPlots[size_t(filter)];
}

QPointF SignalPainter::channelPoint(const QRect &target, const Snapshot &snapshot, const SignalOptions &options,
                                    int channel, int index)
{
    const Channels ch = channelsOf(snapshot);
    if (!ch.ok || channel < 0 || channel >= ch.set->channels() || index < 0 || index >= ch.axis.padded)
        return {};
    const Layout l = channelLayoutOf(target, ch, options);
    const ChannelPlots d = channelPlotsOf(ch, l, options);
    return {l.x(index - ch.axis.before),
            d.channelMaps[size_t(channel)].y(ch.set->channelPadded[size_t(channel)][size_t(index)])};
}

QPointF SignalPainter::outputPoint(const QRect &target, const Snapshot &snapshot, const SignalOptions &options,
                                   int filter, int index)
{
    const Channels ch = channelsOf(snapshot);
    if (!ch.ok)
        return filter == 0 ? samplePoint(target, snapshot, options, SignalPlot::Output, index) : QPointF();
    if (filter < 0 || filter >= int(ch.set->filterOutputs.size()) || index < 0 || index >= ch.set->outputLength())
        return {};
    const Layout l = channelLayoutOf(target, ch, options);
    const ChannelPlots d = channelPlotsOf(ch, l, options);
    return {l.x(index * ch.axis.stride),
            d.filterMaps[size_t(filter)].y(ch.set->filterOutputs[size_t(filter)][size_t(index)])};
}

QPoint SignalPainter::currentCell(const Snapshot &snapshot, int step)
{
    if (const Channels ch = channelsOf(snapshot); ch.ok)
        return ch.set->outputLength() > 0 ? cellOf(snapshot, *ch.set, step) : QPoint();
    const Signal sig = signalOf(snapshot);
    return sig.ok && sig.axis.output > 0 ? QPoint(std::clamp(step, 0, sig.axis.output - 1), 0) : QPoint();
}

std::optional<QPoint> SignalPainter::outputCellAt(const QRect &target, const Snapshot &snapshot,
                                                  const SignalOptions &options, QPointF position)
{
    const Channels ch = channelsOf(snapshot);
    if (!ch.ok) {
        if (const std::optional<int> j = outputSampleAt(target, snapshot, options, position))
            return QPoint(*j, 0);
        return std::nullopt;
    }
    const int length = ch.set->outputLength();
    if (length == 0)
        return std::nullopt;
    const Layout l = channelLayoutOf(target, ch, options);
    for (int k = 0; k < int(l.filterPlots.size()); ++k) {
        if (!l.filterPlots[size_t(k)].contains(position))
            continue;
        const int stride = ch.axis.stride;
        const int index = int(std::lround(l.timeAt(position.x()) / stride));
        if (index < 0 || index >= length)
            return std::nullopt;
        if (std::abs(l.x(index * stride) - position.x()) > std::max(l.spacing * stride / 2, 6.0))
            return std::nullopt;
        return QPoint(index, k);
    }
    return std::nullopt;
}

int SignalPainter::sampleCount(const Snapshot &snapshot, SignalPlot plot)
{
    const Signal sig = signalOf(snapshot);
    if (!sig.ok)
        return 0;
    switch (plot) {
    case SignalPlot::Input: return sig.axis.input;
    case SignalPlot::Padded: return sig.axis.padded;
    case SignalPlot::Output: return sig.axis.output;
    default: return sig.strips[size_t(stripIndex(plot))].output;
    }
}

int SignalPainter::sampleTime(const Snapshot &snapshot, SignalPlot plot, int index)
{
    const Signal sig = signalOf(snapshot);
    switch (plot) {
    case SignalPlot::Input: return index;
    case SignalPlot::Padded: return index - sig.axis.before;
    case SignalPlot::Output: return index * sig.axis.stride;
    default: return lastTapTime(sig.strips[size_t(stripIndex(plot))], index);
    }
}

QPointF SignalPainter::samplePoint(const QRect &target, const Snapshot &snapshot, const SignalOptions &options,
                                   SignalPlot plot, int index)
{
    const Signal sig = signalOf(snapshot);
    if (!sig.ok || index < 0 || index >= sampleCount(snapshot, plot))
        return {};
    const Layout l = layoutOf(target, sig, options);
    const Plots d = plotsOf(snapshot, sig, l, options);
    const double x = l.x(sampleTime(snapshot, plot, index));
    switch (plot) {
    case SignalPlot::Input: return {x, d.inputMap.y(d.input[size_t(index)])};
    case SignalPlot::Padded: return {x, d.paddedMap.y(d.padded[size_t(index)])};
    case SignalPlot::Output: return {x, d.outputMap.y(d.output[size_t(index)])};
    default: break;
    }
    const size_t row = size_t(stripIndex(plot));
    return {x, d.stripMaps[row].y(d.strips[row][size_t(index)])};
}

std::optional<int> SignalPainter::outputSampleAt(const QRect &target, const Snapshot &snapshot,
                                                 const SignalOptions &options, QPointF position)
{
    if (channelsOf(snapshot).ok) {
        if (const std::optional<QPoint> cell = outputCellAt(target, snapshot, options, position))
            return cell->x();
        return std::nullopt;
    }
    const Signal sig = signalOf(snapshot);
    if (!sig.ok || sig.axis.output == 0)
        return std::nullopt;
    const Layout l = layoutOf(target, sig, options);
    if (!l.plot(SignalPlot::Output).contains(position))
        return std::nullopt;
    const int stride = sig.axis.stride;
    const int index = int(std::lround(l.timeAt(position.x()) / stride));
    if (index < 0 || index >= sig.axis.output)
        return std::nullopt;
    if (std::abs(l.x(index * stride) - position.x()) > std::max(l.spacing * stride / 2, 6.0))
        return std::nullopt;
    return index;
}

QString SignalPainter::windowSentence(const Snapshot &snapshot, int step)
{
    if (!canShow(snapshot))
        return {};
    if (const Channels ch = channelsOf(snapshot); ch.ok) {
        const SignalSet &set = *ch.set;
        if (set.outputLength() == 0)
            return QString::fromStdString(core::emptyOutputReason(set.conv.geometry));
        const QPoint cell = cellOf(snapshot, set, step);
        return cellName(set, cell) + QStringLiteral(" = ") + set.sumText(set.windowAt(cell.y(), cell.x()));
    }
    const core::Geometry &g = snapshot.geometry();
    if (g.empty())
        return QString::fromStdString(core::emptyOutputReason(g));
    const core::AxisGeometry &a = g.cols;
    const int j = std::clamp(step, 0, a.output - 1);
    const int t = j * a.stride;
    const core::Window window = snapshot.windowAt(0, j);
    QStringList reads;
    int last = INT_MIN;
    for (const core::Tap &tap : window.taps) {
        const int time = tap.paddedCol - a.before;
        reads << QStringLiteral("x[%1]").arg(timeText(time));
        last = std::max(last, time);
    }
    if (reads.size() > 6)
        reads = QStringList{reads.first(), QStringLiteral("…"), reads.last()};
    const QString who = a.stride == 1 ? QStringLiteral("y[%1]").arg(j)
                                      : QObject::tr("y[%1] (at t = %2)").arg(j).arg(timeText(t));
    QString reach;
    if (last <= t)
        reach = QObject::tr("nothing after t = %1").arg(timeText(t));
    else if (last - t == 1)
        reach = QObject::tr("1 sample after t = %1").arg(timeText(t));
    else
        reach = QObject::tr("%1 samples after t = %2").arg(last - t).arg(timeText(t));
    return QObject::tr("%1 = %2 reads %3: %4")
        .arg(who, shortNumber(window.sum), reads.join(QStringLiteral(", ")), reach);
}

core::Amount SignalPainter::stripAmount(SignalPlot plot)
{
    switch (plot) {
    case SignalPlot::Same: return core::Amount::Same;
    case SignalPlot::Causal: return core::Amount::Causal;
    default: return core::Amount::Valid;
    }
}

} // namespace padlab::ui

#include "volumepainter.h"
#include "cellgrid.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <opencv2/core.hpp>

#include <algorithm>
#include <cmath>
#include <set>

namespace padlab::ui {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("padlab::ui::VolumePainter", text);
}

constexpr int kMaxSlicesPerRow = 7;

double cellFontPx(const Look &look)
{
    return look.px(11);
}

/// Every position in natural units (before the scale that fits the target).
struct Layout {
    double cell = 30, gap = 14, line = 18, margin = 12;
    double minWidth = 0; ///< the widest line of text (but the title) and a slice, with the margins
    double titleWidth = 0;
    double titleY = 0;
    int titleLines = 1; ///< the title wraps onto a second line when the view is narrow
    // Padded input: per channel, the top-left of each slice's grid.
    std::vector<std::vector<QPointF>> slices;
    double inputBottom = 0;
    double totalY = 0;
    double outputTitleY = 0;
    std::vector<QPointF> outSlices;
    double formulaY = 0;
    QSizeF size;
    double scale = 1;  ///< natural units to the target's pixels
    QPointF offset;
};

double titleFontPx(const Look &look)
{
    return look.px(12);
}

QString titleText(const VolumeSet &set)
{
    const auto &ps = set.padded.shape();
    return tr("Padded input  %1 × %2 × %3 (depth × rows × cols), kernel %4 × %5 × %6, as its depth slices")
        .arg(ps.depth()).arg(ps.rows()).arg(ps.cols())
        .arg(set.kernel.shape[2]).arg(set.kernel.shape[3]).arg(set.kernel.shape[4]);
}

/// The sizes that do not depend on where the slices wrap: the cell, wide enough for every
/// number, and the narrowest width that still shows every line of text and one whole slice.
Layout measure(const VolumeSet &set, const Look &look)
{
    Layout l;
    // Wide enough for the widest number of the input and the output, so that every one is read.
    double widest = 0;
    const QFontMetricsF metrics(pixelFont(cellFontPx(look)));
    for (const cv::Mat *m : {&set.padded.matrix(), &set.result.output.matrix()}) {
        if (m->empty())
            continue;
        double lo = 0, hi = 0;
        cv::minMaxLoc(*m, &lo, &hi);
        // The longest text is at an extreme, or a fraction anywhere: measure them all when few.
        if (m->total() <= std::size_t(kMaxVolumeCells) * 8) {
            for (int r = 0; r < m->rows; ++r)
                for (int c = 0; c < m->cols; ++c)
                    widest = std::max(widest, metrics.horizontalAdvance(cellNumber(m->at<double>(r, c))));
        } else {
            widest = std::max({widest, metrics.horizontalAdvance(cellNumber(lo)), metrics.horizontalAdvance(cellNumber(hi))});
        }
    }
    l.cell = std::max({kMinValueCell, look.px(30), std::ceil(widest + look.px(6))});
    l.gap = look.px(16);
    l.line = look.px(18);
    l.margin = look.px(12);
    // Lines of text are never cut: the view is at least as wide as the longest one.
    double text = look.px(520);
    if (!set.padded.empty()) {
        const QFontMetricsF bold(pixelFont(titleFontPx(look), true)), plain(pixelFont(titleFontPx(look)));
        l.titleWidth = bold.horizontalAdvance(titleText(set));
        for (const QString &f : set.formulas())
            text = std::max(text, plain.horizontalAdvance(f));
        text = std::max(text, l.cell * set.padded.shape().cols());
    }
    l.minWidth = std::ceil(text + look.px(4)) + 2 * l.margin;
    return l;
}

/// How many slices of @p sliceWidth fit side by side in @p width.
int slicesPerRow(double width, double sliceWidth, const Layout &l, int count)
{
    const int fit = int(std::floor((width - 2 * l.margin + l.gap) / (sliceWidth + l.gap)));
    return std::clamp(fit, 1, std::max(count, 1));
}

/// The slices wrapped into rows @p width wide: the input's, a group per channel, then the
/// output's. The layout is at least @c minWidth wide, and as wide as its widest row.
Layout place(const VolumeSet &set, Layout l, double width)
{
    width = std::max(width, l.minWidth);
    double used = l.minWidth;
    double y = l.margin;
    l.titleY = y;
    l.titleLines = l.titleWidth > width - 2 * l.margin ? 2 : 1;
    y += l.line * (l.titleLines + 0.3);
    if (!set.padded.empty()) {
        const auto &ps = set.padded.shape();
        const int depth = ps.depth(), rows = ps.rows(), cols = ps.cols();
        const double sw = cols * l.cell, sh = rows * l.cell;
        const int perRow = slicesPerRow(width, sw, l, depth);
        for (int c = 0; c < set.channels(); ++c) {
            std::vector<QPointF> row;
            for (int z = 0; z < depth; ++z) {
                if (z > 0 && z % perRow == 0)
                    y += l.line + sh + l.line + l.gap;
                const double x = l.margin + (z % perRow) * (sw + l.gap);
                row.push_back(QPointF(x, y + l.line));
            }
            y += l.line + sh + l.line + l.gap;
            l.slices.push_back(row);
        }
        used = std::max(used, 2 * l.margin + perRow * sw + (perRow - 1) * l.gap);
    }
    l.inputBottom = y;
    l.totalY = y;
    // Two lines: a long sum (five slices of large numbers) wraps rather than being cut.
    y += l.line * 2.6;
    l.outputTitleY = y;
    y += l.line * 1.3;
    if (set.ok()) {
        const double sw = set.outCols() * l.cell, sh = set.outRows() * l.cell;
        const int perRow = slicesPerRow(width, sw, l, set.outDepth());
        for (int z = 0; z < set.outDepth(); ++z) {
            if (z > 0 && z % perRow == 0)
                y += l.line + sh + l.gap;
            l.outSlices.push_back(QPointF(l.margin + (z % perRow) * (sw + l.gap), y + l.line));
        }
        y += l.line + sh + l.gap;
        used = std::max(used, 2 * l.margin + perRow * sw + (perRow - 1) * l.gap);
    }
    l.formulaY = y;
    y += l.line * 3.4 + l.margin;
    l.size = QSizeF(used, y);
    return l;
}

/// The widths at which the rows wrap differently: every count of input and output slices per row.
std::vector<double> wrapWidths(const VolumeSet &set, const Layout &l)
{
    std::vector<double> widths{l.minWidth};
    auto add = [&](int count, double sliceWidth) {
        for (int n = 1; n <= count; ++n)
            widths.push_back(2 * l.margin + n * sliceWidth + (n - 1) * l.gap);
    };
    if (!set.padded.empty())
        add(set.padded.shape().depth(), set.padded.shape().cols() * l.cell);
    if (set.ok())
        add(set.outDepth(), set.outCols() * l.cell);
    return widths;
}

/// The wrap that shows the slices largest in @p target, scaled to fit it.
Layout fitted(const QRect &target, const VolumeSet &set, const Look &look)
{
    const Layout base = measure(set, look);
    Layout best;
    best.scale = -1;
    for (double width : wrapWidths(set, base)) {
        Layout l = place(set, base, width);
        l.scale = std::min(target.width() / l.size.width(), target.height() / l.size.height());
        // Equal scales: the fewer rows (the wider layout) reads as one volume.
        if (l.scale > best.scale + 1e-9 || (std::abs(l.scale - best.scale) <= 1e-9 && l.size.height() < best.size.height()))
            best = l;
    }
    if (!(best.scale > 0))
        best.scale = 1;
    best.offset = QPointF(target.left(), target.top());
    return best;
}

QColor shade(double value, std::pair<double, double> range, const Look &look)
{
    const double span = range.second - range.first;
    const double t = span > 0 ? std::clamp((value - range.first) / span, 0.0, 1.0) : 0.0;
    if (look.dark)
        return QColor::fromRgbF(0.15 + 0.35 * t, 0.15 + 0.35 * t, 0.17 + 0.35 * t);
    const double g = 1.0 - 0.33 * t;
    return QColor::fromRgbF(g, g, g);
}

std::pair<double, double> rangeOf(const cv::Mat &m)
{
    if (m.empty())
        return {0, 0};
    double lo = 0, hi = 0;
    cv::minMaxLoc(m, &lo, &hi);
    return {lo, hi};
}

QColor blend(const QColor &under, const QColor &over, double alpha)
{
    return QColor::fromRgbF(under.redF() * (1 - alpha) + over.redF() * alpha,
                            under.greenF() * (1 - alpha) + over.greenF() * alpha,
                            under.blueF() * (1 - alpha) + over.blueF() * alpha);
}

double luminance(const QColor &c)
{
    auto lin = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF());
}

/// Black or white, whichever contrasts more with @p fill: the dark theme's padding orange and
/// the window's blue over it are middle tones on which the theme's light text was hard to read.
QColor inkOn(const QColor &fill)
{
    const double l = luminance(fill);
    return (l + 0.05) / 0.05 > 1.05 / (l + 0.05) ? QColor(0, 0, 0) : QColor(255, 255, 255);
}

QString number(double value)
{
    QString s = QString::number(value, 'g', 6);
    s.replace(QLatin1Char('-'), QChar(0x2212));
    return s;
}

} // namespace

QSize VolumePainter::naturalSize(const VolumeSet &set, const Look &look)
{
    // At most kMaxSlicesPerRow slices side by side: a picture for a page or a slide.
    const Layout base = measure(set, look);
    const double sliceWidth = set.padded.empty() ? 0 : set.padded.shape().cols() * base.cell;
    const int perRow = set.padded.empty() ? 1 : std::min(set.padded.shape().depth(), kMaxSlicesPerRow);
    const Layout l = place(set, base, 2 * base.margin + perRow * sliceWidth + (perRow - 1) * base.gap);
    return QSize(int(std::ceil(l.size.width())), int(std::ceil(l.size.height())));
}

QSize VolumePainter::minimumSize(const VolumeSet &set, const Look &look)
{
    const Layout base = measure(set, look);
    return QSize(int(std::ceil(base.minWidth)), int(std::ceil(place(set, base, base.minWidth).size.height())));
}

int VolumePainter::heightForWidth(const VolumeSet &set, const Look &look, int width)
{
    return int(std::ceil(place(set, measure(set, look), width).size.height()));
}

std::vector<int> VolumePainter::currentCell(const VolumeSet &set, const VolumeOptions &options)
{
    if (options.hoveredOutput && options.hoveredOutput->size() == 3 && set.ok()) {
        const auto &c = *options.hoveredOutput;
        if (c[0] >= 0 && c[0] < set.outDepth() && c[1] >= 0 && c[1] < set.outRows() && c[2] >= 0
            && c[2] < set.outCols())
            return c;
    }
    return set.cellOfStep(options.step);
}

QRectF VolumePainter::paddedCellRect(const QRect &target, const VolumeSet &set, const VolumeOptions &options,
                                     int channel, int z, int y, int x)
{
    const Layout l = fitted(target, set, options.look);
    if (channel < 0 || channel >= int(l.slices.size()) || z < 0 || z >= int(l.slices[channel].size()))
        return {};
    const QPointF p = l.slices[channel][z] + QPointF(x * l.cell, y * l.cell);
    return QRectF(l.offset + p * l.scale, QSizeF(l.cell, l.cell) * l.scale);
}

QRectF VolumePainter::outputCellRect(const QRect &target, const VolumeSet &set, const VolumeOptions &options,
                                     const std::vector<int> &cell)
{
    const Layout l = fitted(target, set, options.look);
    if (cell.size() != 3 || cell[0] < 0 || cell[0] >= int(l.outSlices.size()))
        return {};
    const QPointF p = l.outSlices[cell[0]] + QPointF(cell[2] * l.cell, cell[1] * l.cell);
    return QRectF(l.offset + p * l.scale, QSizeF(l.cell, l.cell) * l.scale);
}

std::optional<std::vector<int>> VolumePainter::outputCellAt(const QRect &target, const VolumeSet &set,
                                                            const VolumeOptions &options, QPointF position)
{
    if (!set.ok())
        return std::nullopt;
    const Layout l = fitted(target, set, options.look);
    const QPointF p = (position - l.offset) / l.scale;
    for (int z = 0; z < int(l.outSlices.size()); ++z) {
        const QPointF q = p - l.outSlices[z];
        const int x = int(std::floor(q.x() / l.cell)), y = int(std::floor(q.y() / l.cell));
        if (x >= 0 && x < set.outCols() && y >= 0 && y < set.outRows())
            return std::vector<int>{z, y, x};
    }
    return std::nullopt;
}

void VolumePainter::paint(QPainter &painter, const QRect &target, const VolumeSet &set, const VolumeOptions &options)
{
    const Look &look = options.look;
    painter.save();
    painter.fillRect(target, look.background());
    const Layout l = fitted(target, set, look);
    painter.translate(l.offset);
    painter.scale(l.scale, l.scale);
    painter.setRenderHint(QPainter::Antialiasing, false);
    const double textPx = titleFontPx(look);
    const QFont font = pixelFont(textPx), bold = pixelFont(textPx, true), cellFont = pixelFont(cellFontPx(look));
    const QRectF full(0, 0, l.size.width(), l.size.height());
    // A slice's cell borders in one call: one rasterization, not one per cell.
    const auto sliceGrid = [&](QPointF origin, int rows, int cols) {
        drawGridLines(
            painter, rows, cols, [&](int x) { return origin.x() + x * l.cell; },
            [&](int y) { return origin.y() + y * l.cell; }, look.grid(), 0);
    };

    auto text = [&](double y, const QString &s, const QFont &fnt, const QColor &color, double x = -1) {
        painter.setFont(fnt);
        painter.setPen(color);
        painter.drawText(QRectF(x < 0 ? l.margin : x, y, full.width() - 2 * l.margin, l.line * 1.2),
                         Qt::AlignLeft | Qt::AlignVCenter, s);
    };

    if (!set.error.isEmpty() && set.padded.empty()) {
        text(l.titleY, tr("Volume: %1").arg(set.error), bold, look.text());
        painter.restore();
        return;
    }

    const auto &ps = set.padded.shape();
    const auto &axes = set.result.geometry.axes;
    const auto &is = set.input.shape();
    painter.setFont(bold);
    painter.setPen(look.text());
    painter.drawText(QRectF(l.margin, l.titleY, full.width() - 2 * l.margin, l.line * (l.titleLines + 0.2)),
                     Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap, titleText(set));

    const std::vector<int> cell = currentCell(set, options);
    core::TensorWindow window;
    std::vector<VolumeSlicePart> parts;
    if (!cell.empty()) {
        window = set.windowAt(cell);
        parts = set.sliceSums(window);
    }
    // (channel, z) -> taps read there
    std::set<std::tuple<int, int, int, int>> taps;
    for (const auto &t : window.taps)
        taps.insert({t.channel, t.padded[0], t.padded[1], t.padded[2]});

    const auto inRange = rangeOf(set.input.matrix());
    const int before0 = axes[0].before, before1 = axes[1].before, before2 = axes[2].before;
    for (int c = 0; c < set.channels(); ++c) {
        for (int z = 0; z < ps.depth(); ++z) {
            const QPointF origin = l.slices[c][z];
            const bool padSlice = z < before0 || z >= before0 + is.depth();
            const VolumeSlicePart *part = nullptr;
            for (const auto &p : parts)
                if (p.channel == c && p.slice == z)
                    part = &p;
            QString label = padSlice ? tr("slice %1 (padding)").arg(z) : tr("slice %1 = d %2").arg(z).arg(z - before0);
            if (set.channels() > 1)
                label = QStringLiteral("c%1 ").arg(c) + label;
            text(origin.y() - l.line, label, part ? bold : font,
                 part ? look.windowColor() : (padSlice ? look.paddingInk() : look.mutedText()), origin.x());
            const cv::Mat plane = set.padded.plane(c, z);
            for (int y = 0; y < ps.rows(); ++y)
                for (int x = 0; x < ps.cols(); ++x) {
                    const QRectF r(origin + QPointF(x * l.cell, y * l.cell), QSizeF(l.cell, l.cell));
                    const double v = plane.at<double>(y, x);
                    const bool pad = padSlice || y < before1 || y >= before1 + is.rows() || x < before2
                                     || x >= before2 + is.cols();
                    QColor fill = shade(v, inRange, look);
                    if (pad)
                        fill = blend(fill, look.paddingTint(), look.paddingAlpha());
                    if (taps.count({c, z, y, x}))
                        fill = blend(fill, look.windowColor(), 0.55);
                    painter.fillRect(r, fill);
                    painter.setFont(cellFont);
                    painter.setPen(inkOn(fill));
                    painter.drawText(r, Qt::AlignCenter, cellNumber(v));
                }
            sliceGrid(origin, ps.rows(), ps.cols());
            const QRectF sliceRect(origin, QSizeF(ps.cols() * l.cell, ps.rows() * l.cell));
            if (!padSlice) {
                const QRectF inner(origin + QPointF(before2 * l.cell, before1 * l.cell),
                                   QSizeF(is.cols() * l.cell, is.rows() * l.cell));
                frame(painter, inner, look.px(2), look.edge());
            }
            if (part) {
                frame(painter, sliceRect, look.px(2.5), look.windowColor());
                text(sliceRect.bottom() + 2, tr("Σ = %1").arg(number(part->sum)), bold, look.windowColor(),
                     origin.x());
            }
        }
    }

    if (!cell.empty()) {
        painter.setFont(bold);
        painter.setPen(look.text());
        painter.drawText(QRectF(l.margin, l.totalY, full.width() - 2 * l.margin, l.line * 2.4),
                         Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
                         tr("out[%1, %2, %3] = %4").arg(cell[0]).arg(cell[1]).arg(cell[2]).arg(set.totalText(window)));
    }
    else if (!set.error.isEmpty())
        text(l.totalY, set.error, bold, look.text());

    if (set.ok()) {
        text(l.outputTitleY,
             tr("Output  %1 × %2 × %3 (depth × rows × cols)").arg(set.outDepth()).arg(set.outRows()).arg(set.outCols()),
             bold, look.text());
        const auto outRange = rangeOf(set.result.output.matrix());
        for (int z = 0; z < set.outDepth(); ++z) {
            const QPointF origin = l.outSlices[z];
            text(origin.y() - l.line, tr("d %1").arg(z), (!cell.empty() && cell[0] == z) ? bold : font,
                 (!cell.empty() && cell[0] == z) ? look.currentCellColor() : look.mutedText(), origin.x());
            const cv::Mat plane = set.result.output.plane(0, z);
            for (int y = 0; y < set.outRows(); ++y)
                for (int x = 0; x < set.outCols(); ++x) {
                    const QRectF r(origin + QPointF(x * l.cell, y * l.cell), QSizeF(l.cell, l.cell));
                    const double v = plane.at<double>(y, x);
                    const bool current = !cell.empty() && cell == std::vector<int>{z, y, x};
                    QColor fill = shade(v, outRange, look);
                    if (current)
                        fill = blend(fill, look.currentCellColor(), 0.45);
                    painter.fillRect(r, fill);
                    painter.setFont(cellFont);
                    painter.setPen(inkOn(fill));
                    painter.drawText(r, Qt::AlignCenter, cellNumber(v));
                }
            sliceGrid(origin, set.outRows(), set.outCols());
            if (!cell.empty() && cell[0] == z)
                frame(painter, QRectF(origin + QPointF(cell[2] * l.cell, cell[1] * l.cell), QSizeF(l.cell, l.cell)),
                      look.px(2.5), look.currentCellColor());
        }
    }
    const QStringList formulas = set.formulas();
    for (int i = 0; i < formulas.size(); ++i)
        text(l.formulaY + i * l.line * 1.1, formulas[i], font, look.text());
    painter.restore();
}

} // namespace padlab::ui

#include "channelspainter.h"
#include "cellgrid.h"

#include "colormap.h"

#include <QFontMetricsF>
#include <QImage>
#include <QObject>
#include <QPainter>
#include <QPen>

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

namespace padlab::ui {

namespace {

constexpr double kMaxChannelCell = 56;
constexpr double kMaxKernelCell = 40;
constexpr double kMinKernelValueCell = 18; // a weight is a short number: it fits smaller cells
constexpr int kMaxSumLines = 12;
constexpr double kReadableCell = 32; ///< numbers of 11.5 px (0.36 of the cell) at the look's text size
constexpr int kMaxReadRows = 24;

/// A grid of cells placed in the view: rows x cols cells of @c cell pixels from @c rect's corner.
struct Grid {
    QRectF rect;
    double cell = 0;
    int rows = 0;
    int cols = 0;

    double x(int col) const { return rect.left() + (cell >= 2 ? std::round(col * cell) : col * cell); }
    double y(int row) const { return rect.top() + (cell >= 2 ? std::round(row * cell) : row * cell); }
    QRectF cellRect(int row, int col) const { return QRectF(QPointF(x(col), y(row)), QPointF(x(col + 1), y(row + 1))); }
    QRectF box(int top, int left, int height, int width) const
    {
        return QRectF(QPointF(x(left), y(top)), QPointF(x(left + width), y(top + height)));
    }
};

/// The largest cell (at most @p maximum, whole pixels from 2 up) at which @p count grids of
/// @p rows x @p cols fit side by side in @p width x @p height with @p gap between them.
double fitCell(int count, int rows, int cols, double width, double height, double gap, double maximum)
{
    if (count <= 0 || rows <= 0 || cols <= 0)
        return 0;
    double cell = std::min({(width - (count - 1) * gap) / (double(count) * cols), height / rows, maximum});
    cell = std::max(cell, 0.05);
    return cell >= 2 ? std::floor(cell) : cell;
}

/// @p count grids side by side from @p topLeft.
std::vector<Grid> rowOfGrids(QPointF topLeft, int count, int rows, int cols, double cell, double gap)
{
    std::vector<Grid> grids;
    double x = topLeft.x();
    for (int i = 0; i < count; ++i) {
        Grid g;
        g.cell = cell;
        g.rows = rows;
        g.cols = cols;
        g.rect = QRectF(std::round(x), std::round(topLeft.y()), cell * cols, cell * rows);
        grids.push_back(g);
        x += cell * cols + gap;
    }
    return grids;
}

struct Layout {
    QRectF message; ///< where a refusal or "computing" is written when there is no bank to draw
    QRectF channelsTitle;
    std::vector<Grid> channels;
    QRectF bankTitle;
    std::vector<std::vector<Grid>> kernels; ///< [filter][channel]; rows 0 where it reads none
    std::vector<QRectF> filterLabels;
    std::vector<QRectF> biasLabels;
    std::vector<QRectF> channelLabels; ///< above each channel's grid and each bank column
    std::vector<QRectF> bankColumns;
    QRectF sums;
    QRectF outputsTitle;
    std::vector<Grid> outputs;
};

double titlePx(const Look &look) { return look.px(15); }
double labelPx(const Look &look) { return look.px(12); }

QString bankTitle(const ChannelSet &set)
{
    const int groups = set.spec.groups;
    QString text = QObject::tr("Filter bank · %1 filters × %2 kernels").arg(set.filters()).arg(set.channelsPerGroup());
    if (groups == 1)
        return text;
    text += QObject::tr(" · groups %1").arg(groups);
    if (groups == set.channels())
        text += QObject::tr(" (depthwise)");
    return text;
}

Layout layoutOf(const QRect &target, const Snapshot &snapshot, const ChannelsOptions &o)
{
    Layout l;
    const Look &look = o.look;
    const double margin = std::round(look.px(10));
    const QRectF area = QRectF(target).adjusted(margin, margin, -margin, -margin);
    const ChannelSet *set = snapshot.channels.get();
    if (!set || !set->error.isEmpty() || set->padded.empty()) {
        l.message = area;
        return l;
    }
    const double titleH = std::round(look.px(24));
    // Tall enough that a label clears the window's outline on the grid's first row.
    const double labelH = std::round(look.px(24));
    const double gap = std::round(look.px(14));
    const double small = std::round(look.px(6));
    const int channels = set->channels();
    const int filters = set->filters();
    const int perGroup = set->channelsPerGroup();
    const int kRows = set->bank.shape[2];
    const int kCols = set->bank.shape[3];

    const int lines = std::min(filters, kMaxSumLines) + 1;
    const double sumsH = lines * std::round(look.px(23)) + small;
    const double bandsH = std::max(area.height() - sumsH - 2 * gap, 10.0);
    const double topH = std::round(bandsH * 0.58);
    const double bottomH = bandsH - topH;

    // The bank first: as wide as its kernels need, at most 45 % of the width.
    const QFontMetricsF labels(pixelFont(labelPx(look)));
    const double rowLabelW = std::ceil(labels.horizontalAdvance(QStringLiteral("f00")) + small);
    double biasW = 0;
    for (double b : set->bank.bias)
        biasW = std::max(biasW, labels.horizontalAdvance(QStringLiteral("+ ") + cellNumber(b)));
    biasW = biasW > 0 ? std::ceil(biasW + small) : 0;
    const double bankTitleW =
        std::ceil(QFontMetricsF(pixelFont(titlePx(look), true)).horizontalAdvance(bankTitle(*set)) + small);
    const double bankMaxW = area.width() * 0.45;
    const double bankH = topH - titleH - labelH;
    double kc = std::min((bankMaxW - rowLabelW - biasW - (channels - 1) * small) / (double(channels) * kCols),
                         (bankH - (filters - 1) * small) / (double(filters) * kRows));
    kc = std::clamp(kc, 0.5, look.px(kMaxKernelCell));
    kc = kc >= 2 ? std::floor(kc) : kc;
    const double bankW = rowLabelW + channels * kCols * kc + (channels - 1) * small + biasW;
    const double bankLeft = area.right() - bankW;

    const double channelsW = bankLeft - gap - area.left();
    // The bank's title may reach over the channels' column: theirs is short.
    const double titleLeft = std::max(area.right() - std::max(bankW, bankTitleW), area.left() + area.width() / 2);
    l.channelsTitle = QRectF(area.left(), area.top(), std::min(channelsW, titleLeft - gap - area.left()), titleH);
    const core::TensorShape &padded = set->padded.shape();
    const double cc = fitCell(channels, padded.rows(), padded.cols(), channelsW, topH - titleH - labelH, gap,
                              look.px(kMaxChannelCell));
    l.channels = rowOfGrids(QPointF(area.left(), area.top() + titleH + labelH), channels, padded.rows(),
                            padded.cols(), cc, gap);
    for (const Grid &g : l.channels)
        l.channelLabels.push_back(QRectF(g.rect.left(), g.rect.top() - labelH, std::max(g.rect.width(), 40.0), labelH));

    l.bankTitle = QRectF(titleLeft, area.top(), area.right() - titleLeft, titleH);
    const double kernelsLeft = bankLeft + rowLabelW;
    for (int c = 0; c < channels; ++c)
        l.bankColumns.push_back(
            QRectF(kernelsLeft + c * (kCols * kc + small), area.top() + titleH, kCols * kc, labelH));
    for (int f = 0; f < filters; ++f) {
        const double top = area.top() + titleH + labelH + f * (kRows * kc + small);
        l.filterLabels.push_back(QRectF(bankLeft, top, rowLabelW - small, kRows * kc));
        std::vector<Grid> row(static_cast<size_t>(channels));
        const int first = set->firstChannel(f);
        for (int j = 0; j < perGroup; ++j) {
            Grid &g = row[static_cast<size_t>(first + j)];
            g.cell = kc;
            g.rows = kRows;
            g.cols = kCols;
            g.rect = QRectF(std::round(l.bankColumns[size_t(first + j)].left()), std::round(top), kCols * kc, kRows * kc);
        }
        l.kernels.push_back(row);
        l.biasLabels.push_back(QRectF(area.right() - biasW, top, biasW, kRows * kc));
    }

    l.sums = QRectF(area.left(), area.top() + topH + gap, area.width(), sumsH);
    const double outTop = l.sums.bottom() + gap;
    l.outputsTitle = QRectF(area.left(), outTop, area.width(), titleH);
    const double oc = fitCell(filters, set->outputRows(), set->outputCols(), area.width(),
                              bottomH - titleH - labelH, gap, look.px(kMaxChannelCell));
    l.outputs = rowOfGrids(QPointF(area.left(), outTop + titleH + labelH), filters, set->outputRows(),
                           set->outputCols(), oc, gap);
    return l;
}

/// Fills @p g's cells with @p colorOf: a rectangle per cell when cells are large enough to see,
/// else one image of the pixels the grid covers.
template <typename ColorOf>
void fillGrid(QPainter &p, const Grid &g, ColorOf colorOf)
{
    if (g.rows <= 0 || g.cols <= 0)
        return;
    if (g.cell >= kMinGridCell) {
        for (int r = 0; r < g.rows; ++r)
            for (int c = 0; c < g.cols; ++c)
                p.fillRect(g.cellRect(r, c), QColor(colorOf(r, c)));
        return;
    }
    drawCellImage(p, g.box(0, 0, g.rows, g.cols), g.rows, g.cols, colorOf);
}

void gridLines(QPainter &p, const Grid &g, const Look &look)
{
    if (g.cell < kMinGridCell)
        return;
    drawGridLines(p, g.rows, g.cols, [&g](int c) { return g.x(c); }, [&g](int r) { return g.y(r); }, look.grid());
}

/// Writes every cell's number at one size for the whole grid, inset by @p insetOf pixels.
void gridNumbers(QPainter &p, const Grid &g, double minCell, const std::function<double(int, int)> &valueOf,
                 const std::function<QRgb(int, int)> &colorOf, const std::function<double(int, int)> &insetOf,
                 const Look &look)
{
    if (g.cell < minCell)
        return;
    double px = g.cell * std::min(0.36 * look.fontScale, 0.6);
    const QFontMetricsF metrics(pixelFont(px));
    double widest = 0;
    for (int r = 0; r < g.rows; ++r)
        for (int c = 0; c < g.cols; ++c)
            widest = std::max(widest, metrics.horizontalAdvance(cellNumber(valueOf(r, c))) / (g.cell - 2 * insetOf(r, c)));
    if (widest > 0.88)
        px *= 0.88 / widest;
    if (px < kMinTextPx)
        return;
    p.setFont(pixelFont(px));
    for (int r = 0; r < g.rows; ++r)
        for (int c = 0; c < g.cols; ++c) {
            const double inset = insetOf(r, c);
            p.setPen(textColorOn(colorOf(r, c)));
            p.drawText(g.cellRect(r, c).adjusted(inset, inset, -inset, -inset), Qt::AlignCenter,
                       cellNumber(valueOf(r, c)));
        }
}

/// Black to the channel's own colour for an image's R, G and B; black to white otherwise.
QRgb channelColor(double position, int channel, bool tinted)
{
    const int v = int(std::round(std::clamp(position, 0.0, 1.0) * 255));
    if (!tinted)
        return qRgb(v, v, v);
    const int low = int(std::round(v * 0.3));
    switch (channel) {
    case 0: return qRgb(v, low, low);
    case 1: return qRgb(low, v, low);
    default: return qRgb(low, int(std::round(v * 0.45)), v);
    }
}

void frameOutside(QPainter &p, const QRectF &box, double width, const QColor &color)
{
    QRectF r = box;
    const double minimum = 8;
    if (r.width() < minimum)
        r.adjust(-(minimum - box.width()) / 2, 0, (minimum - box.width()) / 2, 0);
    if (r.height() < minimum)
        r.adjust(0, -(minimum - box.height()) / 2, 0, (minimum - box.height()) / 2);
    frame(p, r.adjusted(-width, -width, width, width), width, color);
}

void drawLabel(QPainter &p, const QRectF &r, const QString &text, const QColor &color, double px, bool bold = false,
               Qt::Alignment align = Qt::AlignLeft | Qt::AlignVCenter)
{
    p.setFont(pixelFont(px, bold));
    p.setPen(color);
    p.drawText(r, align, QFontMetricsF(p.font()).elidedText(text, Qt::ElideRight, r.width()));
}

} // namespace

int ChannelsPainter::heightForWidth(const Snapshot &snapshot, const Look &look, int width)
{
    const ChannelSet *set = snapshot.channels.get();
    if (!set || !set->error.isEmpty() || set->padded.empty())
        return 0;
    const core::TensorShape &padded = set->padded.shape();
    // A photo's grids are read as images, not number by number: they ask for no more height.
    if (std::max(padded.rows(), set->outputRows()) > kMaxReadRows)
        return 0;
    ChannelsOptions o;
    o.look = look;
    const auto cells = [&](int height) {
        const Layout l = layoutOf(QRect(0, 0, width, height), snapshot, o);
        if (l.channels.empty() || l.outputs.empty())
            return std::pair<double, double>{0, 0};
        return std::pair<double, double>{l.channels.front().cell, l.outputs.front().cell};
    };
    // Cells that hold their numbers readably, or as large as the width allows when it allows less.
    const int tallest = int(look.px(4000));
    const auto widest = cells(tallest);
    const double wantIn = std::min(look.px(kReadableCell), widest.first);
    const double wantOut = std::min(look.px(kReadableCell), widest.second);
    int lo = 0, hi = tallest;
    while (hi - lo > 4) {
        const int mid = (lo + hi) / 2;
        const auto c = cells(mid);
        (c.first >= wantIn && c.second >= wantOut ? hi : lo) = mid;
    }
    return hi;
}

QPoint ChannelsPainter::currentCell(const Snapshot &snapshot, const ChannelsOptions &options)
{
    const QPoint cell = snapshot.stepCell(View::Channels, options.step);
    return snapshot.channels ? snapshot.channels->clampCell(cell) : cell;
}

QStringList ChannelsPainter::sumLines(const ChannelSet &set, QPoint cell)
{
    QStringList lines;
    for (const core::TensorWindow &window : set.windowsAt(cell.y(), cell.x()))
        lines << QStringLiteral("f%1: ").arg(window.filter) + set.sumText(window);
    return lines;
}

void ChannelsPainter::paint(QPainter &p, const QRect &target, const Snapshot &snapshot, const ChannelsOptions &o)
{
    const Look &look = o.look;
    p.save();
    p.fillRect(target, look.background());
    const Layout l = layoutOf(target, snapshot, o);
    const ChannelSet *set = snapshot.channels.get();
    if (!l.message.isEmpty()) {
        QString text = QObject::tr("Computing the channels…");
        if (set && !set->error.isEmpty())
            text = QObject::tr("This filter bank does not fit the input: %1").arg(set->error);
        else if (set && set->padded.empty() && !o.computing)
            text = QString::fromStdString(core::emptyOutputReason(set->result.geometry));
        p.setFont(pixelFont(labelPx(look) * 1.3));
        p.setPen(look.mutedText());
        p.drawText(l.message, Qt::AlignCenter | Qt::TextWordWrap, text);
        p.restore();
        return;
    }
    const QPoint cell = currentCell(snapshot, o);
    const std::vector<core::TensorWindow> windows = set->windowsAt(cell.y(), cell.x());
    const std::vector<core::TensorWindow> hovered =
        o.hoveredOutput ? set->windowsAt(o.hoveredOutput->y(), o.hoveredOutput->x()) : std::vector<core::TensorWindow>();
    const core::TensorGeometry &geometry = set->result.geometry;
    const std::vector<core::AxisPads> pads = geometry.pads();
    const core::TensorShape &inputShape = set->input.shape();
    const core::TensorShape &paddedShape = set->padded.shape();

    // The input channels, padded.
    drawLabel(p, l.channelsTitle,
              QObject::tr("Input channels, padded · %1 × %2 × %3%4")
                  .arg(set->channels())
                  .arg(paddedShape.rows())
                  .arg(paddedShape.cols())
                  .arg(o.computing ? QObject::tr(" · computing…") : QString()),
              look.text(), titlePx(look), true);
    const bool stretch = set->input.depth() == CV_64F;
    const ValueRange range = stretch ? ValueRange{set->inputRange.first, set->inputRange.second} : ValueRange{0, 255};
    const QRgb tint = look.paddingTint().rgb();
    const int inTop = pads[0].before;
    const int inLeft = pads[1].before;
    const auto isPadding = [&](int r, int c) {
        return r < inTop || r >= inTop + inputShape.rows() || c < inLeft || c >= inLeft + inputShape.cols();
    };
    const double strength = std::clamp(look.paddingStrength, 0.0, 1.0);
    for (int ch = 0; ch < set->channels(); ++ch) {
        const Grid &g = l.channels[size_t(ch)];
        drawLabel(p, l.channelLabels[size_t(ch)], set->channelNames.value(ch), look.text(), labelPx(look), true,
                  Qt::AlignLeft | Qt::AlignTop);
        const cv::Mat plane = set->padded.plane(ch); // one header, not one per cell
        // Cells drawn as an image (a photo) take their colour from a table: one look-up a pixel.
        const bool exact = g.cell >= kMinGridCell;
        const ColorTable table(range.low, range.high,
                               [&](double v) { return channelColor(range.position(v), ch, set->colorImage); });
        const auto valueColor = [&](int r, int c) {
            const double v = cellValue(plane, r, c);
            return exact ? channelColor(range.position(v), ch, set->colorImage) : table(v);
        };
        const bool rings = g.cell >= kMinValueCell;
        const double ring = rings ? std::max(1.0, std::round(g.cell * 0.1 * strength)) : 0.0;
        if (rings) {
            // As in the padded panel: a padding cell is a tinted ring around its value.
            fillGrid(p, g, [&](int r, int c) { return isPadding(r, c) ? tint : valueColor(r, c); });
            for (int r = 0; r < g.rows; ++r)
                for (int c = 0; c < g.cols; ++c)
                    if (isPadding(r, c))
                        p.fillRect(g.cellRect(r, c).adjusted(ring, ring, -ring, -ring), QColor(valueColor(r, c)));
        } else {
            const double alpha = look.paddingAlpha();
            const ColorTable padded = table.blended(tint, alpha);
            fillGrid(p, g, [&](int r, int c) {
                if (!isPadding(r, c))
                    return valueColor(r, c);
                return exact ? blend(valueColor(r, c), tint, alpha) : padded(cellValue(plane, r, c));
            });
        }
        gridLines(p, g, look);
        gridNumbers(
            p, g, kMinValueCell, [&](int r, int c) { return cellValue(plane, r, c); }, valueColor,
            [&](int r, int c) { return isPadding(r, c) ? ring : 0.0; }, look);
        if (inputShape.rows() > 0 && inputShape.cols() > 0 && (inTop + inLeft + pads[0].after + pads[1].after) > 0) {
            const QRectF inner = g.box(inTop, inLeft, inputShape.rows(), inputShape.cols());
            frame(p, inner.adjusted(-1, -1, 1, 1), 2, look.edge());
        }
        // The hovered output cell's receptive field in this channel.
        if (!hovered.empty()) {
            // Every filter's window covers the same cells; one outline serves them all.
            QColor wash = look.windowColor();
            wash.setAlphaF(0.3);
            {
                const core::TensorWindow &w = hovered.front();
                for (int r = 0; r < w.extent[0]; r += geometry.axes[0].dilation)
                    for (int c = 0; c < w.extent[1]; c += geometry.axes[1].dilation)
                        p.fillRect(g.cellRect(w.origin[0] + r, w.origin[1] + c), wash);
                frameOutside(p, g.box(w.origin[0], w.origin[1], w.extent[0], w.extent[1]),
                             std::max(1.0, std::round(look.px(1.5))), look.windowColor());
            }
        }
        // The current window, in every channel.
        if (!windows.empty()) {
            const core::TensorWindow &w = windows.front();
            const double width = std::max(3.0, std::round(g.cell * 0.08));
            if (g.cell >= kMinGridCell && (geometry.axes[0].dilation > 1 || geometry.axes[1].dilation > 1)) {
                for (int r = 0; r < w.extent[0]; r += geometry.axes[0].dilation)
                    for (int c = 0; c < w.extent[1]; c += geometry.axes[1].dilation)
                        frame(p, g.cellRect(w.origin[0] + r, w.origin[1] + c), std::max(2.0, width / 2), look.windowColor());
            }
            frameOutside(p, g.box(w.origin[0], w.origin[1], w.extent[0], w.extent[1]), width, look.windowColor());
        }
    }

    // The filter bank: filter rows, channel columns, a kernel where the filter reads the channel.
    drawLabel(p, l.bankTitle, bankTitle(*set), look.text(), titlePx(look), true);
    double extent = 0;
    for (double w : set->bank.weights)
        extent = std::max(extent, std::abs(w));
    const auto weightColor = [extent](double w) { return divergingColor(extent > 0 ? w / extent : 0); };
    for (int ch = 0; ch < set->channels(); ++ch)
        drawLabel(p, l.bankColumns[size_t(ch)], set->channelNames.value(ch), look.mutedText(), labelPx(look), false,
                  Qt::AlignCenter);
    const int rows = set->bank.shape[2];
    const int cols = set->bank.shape[3];
    const int perGroup = set->channelsPerGroup();
    for (int f = 0; f < set->filters(); ++f) {
        drawLabel(p, l.filterLabels[size_t(f)], QStringLiteral("f%1").arg(f), look.text(), labelPx(look), true);
        const int first = set->firstChannel(f);
        for (int j = 0; j < perGroup; ++j) {
            const Grid &g = l.kernels[size_t(f)][size_t(first + j)];
            const double *k = set->bank.weights.data() + (size_t(f) * perGroup + j) * rows * cols;
            const auto colorOf = [&](int r, int c) { return weightColor(k[r * cols + c]); };
            fillGrid(p, g, colorOf);
            gridLines(p, g, look);
            gridNumbers(p, g, kMinKernelValueCell, [&](int r, int c) { return k[r * cols + c]; }, colorOf,
                        [](int, int) { return 0.0; }, look);
        }
        if (!set->bank.bias.empty())
            drawLabel(p, l.biasLabels[size_t(f)], QStringLiteral("+ ") + cellNumber(set->bank.bias[size_t(f)]),
                      look.text(), labelPx(look), false, Qt::AlignRight | Qt::AlignVCenter);
    }

    // The multiply-add of every filter at the current cell, a partial sum per channel.
    {
        QStringList lines = sumLines(*set, cell);
        const int shown = std::min<int>(int(lines.size()), kMaxSumLines);
        QStringList text;
        if (!windows.empty())
            text << QObject::tr("Output cell (row %1, col %2):").arg(cell.y()).arg(cell.x());
        for (int i = 0; i < shown; ++i)
            text << lines[i];
        if (lines.size() > shown)
            text.last() += QObject::tr("   … and %1 more filters").arg(lines.size() - shown);
        double px = look.px(17);
        const double lineH = l.sums.height() / std::max<qsizetype>(text.size(), 1);
        while (px > 8) {
            const QFontMetricsF metrics(pixelFont(px));
            double widest = 0;
            for (const QString &line : text)
                widest = std::max(widest, metrics.horizontalAdvance(line));
            if (widest <= l.sums.width() && metrics.height() <= lineH)
                break;
            px *= 0.92;
        }
        for (int i = 0; i < text.size(); ++i)
            drawLabel(p, QRectF(l.sums.left(), l.sums.top() + i * lineH, l.sums.width(), lineH), text[i],
                      i == 0 ? look.mutedText() : look.text(), px, false);
    }

    // The F output feature maps, the current cell marked in each. On a photo a few edge cells (the
    // padded border, say) would stretch the colours until the rest is white: the colours span the
    // 1st to 99th percentile of each map when that is narrower, and the title says so.
    const auto extentOf = [&](int f) {
        const auto [low, high] = set->outputRanges[size_t(f)];
        const double full = std::max(std::abs(low), std::abs(high));
        if (!look.clipOutliers || size_t(f) >= set->outputClips.size())
            return std::pair{full, false};
        const auto [clipLow, clipHigh] = set->outputClips[size_t(f)];
        const double clipped = std::max(std::abs(clipLow), std::abs(clipHigh));
        return clipped > 0 && clipped < full ? std::pair{clipped, true} : std::pair{full, false};
    };
    bool anyClipped = false;
    for (int f = 0; f < set->filters(); ++f)
        anyClipped = anyClipped || extentOf(f).second;
    drawLabel(p, l.outputsTitle,
              QObject::tr("Output feature maps · %1 × %2 × %3")
                      .arg(set->filters())
                      .arg(set->outputRows())
                      .arg(set->outputCols())
                  + (anyClipped ? QObject::tr(" · colours span each map's 1–99 %") : QString()),
              look.text(), titlePx(look), true);
    if (set->outputRows() == 0 || set->outputCols() == 0) {
        drawLabel(p, l.outputsTitle.translated(0, l.outputsTitle.height()),
                  QString::fromStdString(core::emptyOutputReason(geometry)), look.mutedText(), labelPx(look) * 1.2);
        p.restore();
        return;
    }
    for (int f = 0; f < set->filters(); ++f) {
        const Grid &g = l.outputs[size_t(f)];
        const double e = extentOf(f).first;
        const cv::Mat plane = set->result.output.plane(f);
        const bool exact = g.cell >= kMinGridCell;
        const double span = e > 0 ? e : 1.0;
        const ColorTable table(-span, span, [e](double v) { return divergingColor(e > 0 ? v / e : 0); });
        const auto colorOf = [&](int r, int c) {
            const double v = cellValue(plane, r, c);
            return exact ? divergingColor(e > 0 ? v / e : 0) : table(v);
        };
        drawLabel(p, QRectF(g.rect.left(), g.rect.top() - std::round(look.px(24)), std::max(g.rect.width(), 30.0),
                            std::round(look.px(24))),
                  QStringLiteral("f%1").arg(f), look.text(), labelPx(look), true, Qt::AlignLeft | Qt::AlignTop);
        fillGrid(p, g, colorOf);
        gridLines(p, g, look);
        gridNumbers(p, g, kMinValueCell, [&](int r, int c) { return cellValue(plane, r, c); }, colorOf,
                    [](int, int) { return 0.0; }, look);
        if (o.hoveredOutput)
            frameOutside(p, g.cellRect(o.hoveredOutput->y(), o.hoveredOutput->x()),
                         std::max(1.0, std::round(look.px(1.5))), look.windowColor());
        frameOutside(p, g.cellRect(cell.y(), cell.x()), std::max(2.0, std::round(g.cell * 0.08)),
                     look.currentCellColor());
    }
    p.restore();
}

QRectF ChannelsPainter::channelCellRect(const QRect &target, const Snapshot &snapshot, const ChannelsOptions &options,
                                        int channel, QPoint cell)
{
    const Layout l = layoutOf(target, snapshot, options);
    if (channel < 0 || channel >= int(l.channels.size()))
        return {};
    return l.channels[size_t(channel)].cellRect(cell.y(), cell.x());
}

QRectF ChannelsPainter::outputCellRect(const QRect &target, const Snapshot &snapshot, const ChannelsOptions &options,
                                       int filter, QPoint cell)
{
    const Layout l = layoutOf(target, snapshot, options);
    if (filter < 0 || filter >= int(l.outputs.size()))
        return {};
    return l.outputs[size_t(filter)].cellRect(cell.y(), cell.x());
}

QRectF ChannelsPainter::kernelRect(const QRect &target, const Snapshot &snapshot, const ChannelsOptions &options,
                                   int filter, int channel)
{
    const Layout l = layoutOf(target, snapshot, options);
    if (filter < 0 || filter >= int(l.kernels.size()) || channel < 0 || channel >= int(l.kernels[size_t(filter)].size()))
        return {};
    const Grid &g = l.kernels[size_t(filter)][size_t(channel)];
    return g.rows > 0 ? g.rect : QRectF();
}

std::optional<QPoint> ChannelsPainter::outputCellAt(const QRect &target, const Snapshot &snapshot,
                                                    const ChannelsOptions &options, QPointF position)
{
    const Layout l = layoutOf(target, snapshot, options);
    for (const Grid &g : l.outputs) {
        const QRectF box = g.box(0, 0, g.rows, g.cols);
        if (g.cell > 0 && box.contains(position)) {
            const int col = std::clamp(int((position.x() - g.rect.left()) / g.cell), 0, g.cols - 1);
            const int row = std::clamp(int((position.y() - g.rect.top()) / g.cell), 0, g.rows - 1);
            return QPoint(col, row);
        }
    }
    return std::nullopt;
}

} // namespace padlab::ui

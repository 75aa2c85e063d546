#include "panelpainter.h"
#include "sizetext.h"

#include "colormap.h"
#include "look.h"

#include "padlab/core/window.h"

#include <QFont>
#include <QFontMetricsF>
#include <QImage>
#include <QPaintDevice>
#include <QObject>
#include <QPainter>
#include <QPen>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <vector>

namespace padlab::ui {

namespace {

// Sizes scale with the font scale so that a projector shows them at the same proportions.
double titleFontPx(const PanelOptions &o) { return o.look.px(15.0); }
double labelFontPx(const PanelOptions &o) { return o.look.px(12.0); }
constexpr double kUnreadAlpha = 0.5;
constexpr double kMaxValueCellSearch = 512; // pixels per cell; numbers wider than that are not sought

ColorTable grayTable(ValueRange range)
{
    return ColorTable(range.low, range.high, [range](double v) { return grayColor(range.position(v)); });
}

/// The grey scale of the input and padded panels.
ColorTable inputGrays(const Snapshot &s)
{
    if (!stretchesInput(s.input))
        return grayTable({0, 255});
    const auto [low, high] = s.inputRange;
    return grayTable({low, high});
}

/// The output values the colours span: all of them, or the 1st to 99th percentile.
struct ColorRange {
    double low = 0;
    double high = 0;
    bool clipped = false; ///< values outside low..high take the colour of the nearer end

    double extent() const { return std::max(std::abs(low), std::abs(high)); }
    QString topLabel() const { return (clipped ? QStringLiteral("≥ ") : QString()) + cellNumber(extent()); }
    QString bottomLabel() const { return (clipped ? QStringLiteral("≤ ") : QString()) + cellNumber(-extent()); }
    QString note() const { return clipped ? QObject::tr("1–99 %") : QString(); }
};

ColorRange colorRange(const Snapshot &s, const Look &look)
{
    const auto [low, high] = s.outputRange;
    const auto [clipLow, clipHigh] = s.outputClip;
    if (!look.clipOutliers || (clipLow <= low && clipHigh >= high))
        return {low, high, false};
    return {clipLow, clipHigh, true};
}

/// Where cells land inside a panel: the grid's rectangle, the pixels per cell and the pan.
struct Layout {
    QRectF grid;
    double cell = 1;
    QPointF origin;
    QSize cells;
    QRectF extra; // the colour bar (Output) or the multiply-add text (Window)
    double sumFontPx = 0;

    double x(int col) const { return grid.left() + std::round((col - origin.x()) * cell); }
    double y(int row) const { return grid.top() + std::round((row - origin.y()) * cell); }
    QRectF cellRect(int row, int col) const
    {
        return QRectF(QPointF(x(col), y(row)), QPointF(x(col + 1), y(row + 1)));
    }
    int firstCol() const { return std::clamp(int(std::floor(origin.x())), 0, cells.width()); }
    int firstRow() const { return std::clamp(int(std::floor(origin.y())), 0, cells.height()); }
    int endCol() const
    {
        return std::clamp(int(std::ceil(origin.x() + grid.width() / cell)), 0, cells.width());
    }
    int endRow() const
    {
        return std::clamp(int(std::ceil(origin.y() + grid.height() / cell)), 0, cells.height());
    }
    /// The part of the grid rectangle covered by cells.
    QRectF covered() const
    {
        return grid.intersected(QRectF(QPointF(x(0), y(0)), QPointF(x(cells.width()), y(cells.height()))));
    }
};

/// The multiply-add of core::windowSumText, with the numbers shortened as in the cells.
QString sumText(const core::Window &window)
{
    auto factor = [](double v) {
        const QString text = cellNumber(v);
        return v < 0 ? QLatin1Char('(') + text + QLatin1Char(')') : text;
    };
    QStringList terms;
    for (const core::Tap &tap : window.taps)
        terms << factor(tap.weight) + QChar(0x00D7) + factor(tap.value);
    return terms.join(QStringLiteral(" + ")) + QStringLiteral(" = ") + cellNumber(window.sum);
}

QString emptyReason(const Snapshot &snapshot)
{
    return QString::fromStdString(core::emptyOutputReason(snapshot.geometry()));
}

Layout layoutOf(const QRect &target, const Snapshot &snapshot, Panel panel, const PanelOptions &o)
{
    Layout l;
    l.cells = PanelPainter::gridSize(snapshot, panel);
    const QRectF area = QRectF(target).adjusted(0, PanelPainter::titleHeight(o), 0, 0);
    l.grid = area;
    l.cell = std::max(o.cellSize, 0.01);
    l.origin = o.origin;
    if (panel == Panel::Output && o.look.outputScale == OutputScale::Diverging) {
        // Room for the bar and its longest label: the negative end, or the clip's note.
        const ColorRange range = colorRange(snapshot, o.look);
        const QFontMetricsF metrics(pixelFont(labelFontPx(o)));
        const double labels = std::max(metrics.horizontalAdvance(range.bottomLabel()),
                                       metrics.horizontalAdvance(range.note()));
        const double bar = std::min(std::ceil(o.look.px(38) + labels), area.width() / 2);
        l.grid.setRight(area.right() - bar);
        l.extra = QRectF(l.grid.right(), area.top(), bar, area.height());
    } else if (panel == Panel::Window) {
        // The window is a handful of taps: it fills its panel, with the sum written below.
        l.origin = QPointF();
        const double gap = o.look.px(8.0);
        double px = o.look.px(17.0);
        double textHeight = 0;
        const QString text = snapshot.stepCount() > 0 ? sumText(snapshot.window(o.step)) : emptyReason(snapshot);
        const QRectF textBox(0, 0, std::max(area.width() - 2 * gap, 10.0), 1e6);
        while (true) {
            textHeight = QFontMetricsF(pixelFont(px)).boundingRect(textBox, Qt::TextWordWrap, text).height();
            if (textHeight <= 0.45 * area.height() || px <= 9)
                break;
            px *= 0.88;
        }
        textHeight = std::min(textHeight, 0.45 * area.height());
        l.sumFontPx = px;
        const double gridHeight = std::max(area.height() - textHeight - 2 * gap, 1.0);
        if (!l.cells.isEmpty()) {
            l.cell = std::min({(area.width() - 2 * gap) / l.cells.width(), gridHeight / l.cells.height(),
                               o.look.px(150.0)});
            l.cell = std::max(std::floor(l.cell), 1.0);
        }
        const double w = l.cell * l.cells.width();
        const double h = l.cell * l.cells.height();
        l.grid = QRectF(std::round(area.left() + (area.width() - w) / 2), area.top() + gap, w, h);
        l.extra = QRectF(area.left() + gap, l.grid.bottom() + gap, area.width() - 2 * gap,
                         area.bottom() - l.grid.bottom() - gap);
    }
    return l;
}

/// At least @p minimum pixels wide and high, around the same centre: a window of sub-pixel
/// cells stays visible.
QRectF atLeast(const QRectF &r, double minimum)
{
    QRectF out = r;
    if (out.width() < minimum)
        out.adjust(-(minimum - r.width()) / 2, 0, (minimum - r.width()) / 2, 0);
    if (out.height() < minimum)
        out.adjust(0, -(minimum - r.height()) / 2, 0, (minimum - r.height()) / 2);
    return out;
}

/// Texts written centred in their rectangles at one font size for all of them: the largest size,
/// up to @p px, at which every text fits its rectangle's width. A panel whose numbers change size
/// from cell to cell reads as noise.
struct TextBlock {
    struct Item {
        QRectF rect;
        QString text;
        QColor color;
    };
    std::vector<Item> items;

    /// The font size used, 0 when there is nothing to write; the widest text takes @p room of
    /// its rectangle's width.
    double fit(double px, bool bold, double room = 0.88) const
    {
        if (items.empty())
            return 0;
        const QFontMetricsF metrics(pixelFont(px, bold));
        double scale = 1;
        for (const Item &item : items) {
            const double width = metrics.horizontalAdvance(item.text);
            if (width > 0)
                scale = std::min(scale, item.rect.width() * room / width);
        }
        return px * scale;
    }

    void draw(QPainter &p, double px, bool bold) const
    {
        p.setFont(pixelFont(px, bold));
        for (const Item &item : items) {
            p.setPen(item.color);
            p.drawText(item.rect, Qt::AlignCenter, item.text);
        }
    }
};

/// Fills the visible cells: one rectangle per cell when cells are large enough to see, else one
/// image at device resolution sampled nearest-neighbour, so a photo of millions of cells costs
/// no more than the pixels it covers.
template <typename ColorOf>
void fillCells(QPainter &p, const Layout &l, ColorOf colorOf)
{
    if (l.cells.isEmpty())
        return;
    if (l.cell >= kMinGridCell) {
        for (int r = l.firstRow(); r < l.endRow(); ++r)
            for (int c = l.firstCol(); c < l.endCol(); ++c)
                p.fillRect(l.cellRect(r, c), QColor(colorOf(r, c)));
        return;
    }
    const QRectF area = l.covered();
    if (area.isEmpty())
        return;
    const double dpr = p.device() ? p.device()->devicePixelRatioF() : 1.0;
    const int w = std::max(1, int(std::ceil(area.width() * dpr)));
    const int h = std::max(1, int(std::ceil(area.height() * dpr)));
    std::vector<int> cols(static_cast<size_t>(w));
    std::vector<int> rows(static_cast<size_t>(h));
    for (int i = 0; i < w; ++i)
        cols[size_t(i)] = std::clamp(int(std::floor(l.origin.x() + (area.left() - l.grid.left() + (i + 0.5) / dpr) / l.cell)),
                                     0, l.cells.width() - 1);
    for (int j = 0; j < h; ++j)
        rows[size_t(j)] = std::clamp(int(std::floor(l.origin.y() + (area.top() - l.grid.top() + (j + 0.5) / dpr) / l.cell)),
                                     0, l.cells.height() - 1);
    QImage image(w, h, QImage::Format_RGB32);
    for (int j = 0; j < h; ++j) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(j));
        for (int i = 0; i < w; ++i)
            line[i] = colorOf(rows[size_t(j)], cols[size_t(i)]);
    }
    p.drawImage(QRectF(area.topLeft(), QSizeF(w / dpr, h / dpr)), image);
}

void drawGridLines(QPainter &p, const Layout &l, const Look &look)
{
    if (l.cell < kMinGridCell || l.cells.isEmpty())
        return;
    p.setPen(QPen(look.grid(), 1));
    const double top = l.y(l.firstRow());
    const double bottom = l.y(l.endRow());
    const double left = l.x(l.firstCol());
    const double right = l.x(l.endCol());
    for (int c = l.firstCol(); c <= l.endCol(); ++c)
        p.drawLine(QLineF(l.x(c), top, l.x(c), bottom));
    for (int r = l.firstRow(); r <= l.endRow(); ++r)
        p.drawLine(QLineF(left, l.y(r), right, l.y(r)));
}

/// A cell's number as a share of the cell's height, before it is fitted to the cell's width.
double valueShare(const PanelOptions &o) { return std::min(o.valueScale * o.look.fontScale, 0.6); }

double valueRoom(const PanelOptions &o) { return std::clamp(o.valueRoom, 0.1, 1.0); }

/// The tinted ring of a padding cell of @p cell pixels that holds a number (0 when none does):
/// down to a one-pixel outline, the weaker the tint the more of the fill's grey shows.
double paddingRing(double cell, const Look &look)
{
    if (cell < kMinValueCell)
        return 0;
    return std::max(1.0, std::round(cell * 0.1 * std::clamp(look.paddingStrength, 0.0, 1.0)));
}

/// Writes each visible cell's value; @p insetOf gives how much of a cell's edge the number must
/// leave free (the ring of a padding cell).
template <typename ColorOf, typename ValueOf, typename InsetOf>
double drawValues(QPainter &p, const Layout &l, const PanelOptions &o, ColorOf colorOf, ValueOf valueOf,
                  InsetOf insetOf)
{
    if (l.cell < kMinValueCell)
        return 0;
    TextBlock block;
    for (int r = l.firstRow(); r < l.endRow(); ++r)
        for (int c = l.firstCol(); c < l.endCol(); ++c) {
            const std::optional<double> v = valueOf(r, c);
            if (!v)
                continue;
            const double inset = insetOf(r, c);
            block.items.push_back({l.cellRect(r, c).adjusted(inset, inset, -inset, -inset), cellNumber(*v),
                                   textColorOn(colorOf(r, c))});
        }
    const double px = block.fit(l.cell * valueShare(o), false, valueRoom(o));
    if (px < kMinTextPx)
        return 0;
    block.draw(p, px, false);
    return px;
}

template <typename ColorOf, typename ValueOf>
double drawValues(QPainter &p, const Layout &l, const PanelOptions &o, ColorOf colorOf, ValueOf valueOf)
{
    return drawValues(p, l, o, colorOf, valueOf, [](int, int) { return 0.0; });
}

void drawTitle(QPainter &p, const QRect &target, const QString &title, const PanelOptions &o)
{
    if (!o.showTitle)
        return;
    const QRectF band(target.left() + o.look.px(6), target.top(), target.width() - o.look.px(12),
                      PanelPainter::titleHeight(o));
    p.setFont(pixelFont(titleFontPx(o), true));
    p.setPen(o.look.text());
    p.drawText(band, Qt::AlignLeft | Qt::AlignVCenter,
               QFontMetricsF(p.font()).elidedText(title, Qt::ElideRight, band.width()));
}

void drawMessage(QPainter &p, const QRectF &r, const QString &text, const PanelOptions &o)
{
    p.setFont(pixelFont(labelFontPx(o) * 1.2));
    p.setPen(o.look.mutedText());
    p.drawText(r.adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, text);
}

double lineWidth(const Layout &l, double fraction, double minimum)
{
    return std::max(minimum, std::round(l.cell * fraction));
}

/// Marks the cells @p cells (this panel's coordinates) with an outline and a faint wash, so
/// the pixels they hold stay visible; cells too small to outline one by one share one outline.
void lightCells(QPainter &p, const Layout &l, const std::vector<QPoint> &cells, const QColor &color)
{
    if (cells.empty())
        return;
    QColor wash = color;
    wash.setAlphaF(0.15);
    if (l.cell < kMinGridCell) {
        QRect bounds;
        for (const QPoint &cell : cells)
            bounds |= QRect(cell, QSize(1, 1));
        const QRectF box(QPointF(l.x(bounds.left()), l.y(bounds.top())),
                         QPointF(l.x(bounds.right() + 1), l.y(bounds.bottom() + 1)));
        p.fillRect(box, wash);
        frame(p, atLeast(box, 6).adjusted(-2, -2, 2, 2), 2, color);
        return;
    }
    const double width = std::max(1.0, std::round(l.cell * 0.05));
    QPen pen(color, width, Qt::DotLine);
    pen.setJoinStyle(Qt::MiterJoin);
    p.setBrush(Qt::NoBrush);
    for (const QPoint &cell : cells) {
        const QRectF rect = l.cellRect(cell.y(), cell.x());
        p.fillRect(rect, wash);
        p.setPen(pen);
        p.drawRect(rect.adjusted(width * 1.5, width * 1.5, -width * 1.5, -width * 1.5));
    }
}

/// The pen's rings: an ellipse around each ringed block of cells, wide enough to see from the
/// back of a room.
void drawRings(QPainter &p, const Layout &l, const PanelOptions &o)
{
    if (o.rings.empty())
        return;
    const double width = std::max(3.0, std::round(o.look.px(4)));
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(o.look.penColor(), width));
    for (const QRect &cells : o.rings) {
        const QRectF box(QPointF(l.x(cells.left()), l.y(cells.top())),
                         QPointF(l.x(cells.right() + 1), l.y(cells.bottom() + 1)));
        // An ellipse through the block's corners is sqrt(2) times its box.
        const QRectF ring = atLeast(box, 8);
        const double dx = ring.width() * 0.5 * (std::sqrt(2.0) - 1) + width / 2;
        const double dy = ring.height() * 0.5 * (std::sqrt(2.0) - 1) + width / 2;
        p.drawEllipse(ring.adjusted(-dx, -dy, dx, dy));
    }
    p.restore();
}

double paintInput(QPainter &p, const Layout &l, const Snapshot &s, const PanelOptions &o)
{
    const cv::Mat &input = s.input;
    const ColorTable gray = inputGrays(s);
    auto colorOf = [&](int r, int c) { return gray(cellValue(input, r, c)); };
    fillCells(p, l, colorOf);
    drawGridLines(p, l, o.look);
    const double valuePx = drawValues(p, l, o, colorOf, [&](int r, int c) { return std::optional<double>(cellValue(input, r, c)); });

    const QColor windowColor = o.look.windowColor();
    if (o.hoveredOutput) {
        std::vector<QPoint> donors;
        for (const core::Tap &tap : s.windowAt(o.hoveredOutput->y(), o.hoveredOutput->x()).taps)
            if (!tap.donor.isFillValue())
                donors.emplace_back(tap.donor.col, tap.donor.row);
        lightCells(p, l, donors, windowColor);
    }
    if (s.stepCount() == 0)
        return valuePx;
    const double width = lineWidth(l, 0.08, 2);
    QPen dashed(windowColor, width, Qt::DashLine);
    dashed.setJoinStyle(Qt::MiterJoin);
    for (const core::Tap &tap : s.window(o.step).taps) {
        if (tap.donor.isFillValue())
            continue;
        const QRectF cell = atLeast(l.cellRect(tap.donor.row, tap.donor.col), 6);
        if (tap.donor.isPadding) {
            // Read through a padding copy: dashed, so it differs from a direct read.
            p.setPen(dashed);
            p.setBrush(Qt::NoBrush);
            p.drawRect(cell.adjusted(width / 2, width / 2, -width / 2, -width / 2));
        } else {
            frame(p, cell, width, windowColor);
        }
    }
    return valuePx;
}

/// Padding thinner than a few pixels on screen (one cell of a photo at Fit) is drawn as a band
/// of that width along the padded grid's edge, so the ring never vanishes.
void paddingBands(QPainter &p, const Layout &l, const core::Geometry &g, const Look &look)
{
    const int before[2] = {g.rows.before, g.cols.before};
    const int after[2] = {g.rows.padded - g.rows.before - g.rows.input, g.cols.padded - g.cols.before - g.cols.input};
    if (before[0] + before[1] + after[0] + after[1] == 0 || l.cells.isEmpty())
        return;
    const QRectF outer(QPointF(l.x(0), l.y(0)), QPointF(l.x(l.cells.width()), l.y(l.cells.height())));
    const double band = std::max(3.0, std::round(look.px(4)));
    QColor tint = look.paddingTint();
    tint.setAlphaF(0.85);
    const auto narrow = [&](int cells) { return cells > 0 && cells * l.cell < band; };
    if (narrow(before[0]))
        p.fillRect(QRectF(outer.left(), outer.top(), outer.width(), band), tint);
    if (narrow(after[0]))
        p.fillRect(QRectF(outer.left(), outer.bottom() - band, outer.width(), band), tint);
    if (narrow(before[1]))
        p.fillRect(QRectF(outer.left(), outer.top(), band, outer.height()), tint);
    if (narrow(after[1]))
        p.fillRect(QRectF(outer.right() - band, outer.top(), band, outer.height()), tint);
    // A faint tint no longer marks the padding by itself: its outer edge does.
    if (look.paddingStrength < 0.5)
        frame(p, outer, std::max(1.0, std::round(look.px(1.5))), look.paddingInk());
}

double paintPadded(QPainter &p, const Layout &l, const Snapshot &s, const PanelOptions &o)
{
    const cv::Mat &padded = s.result.padded;
    const core::Geometry &g = s.geometry();
    const ColorTable gray = inputGrays(s);
    const QRgb tint = o.look.paddingTint().rgb();
    const QRgb shade = o.look.unread().rgb();
    const int inTop = g.rows.before;
    const int inBottom = g.rows.before + g.rows.input;
    const int inLeft = g.cols.before;
    const int inRight = g.cols.before + g.cols.input;
    const int readRows = g.rows.padded - g.rows.unread;
    const int readCols = g.cols.padded - g.cols.unread;
    auto isPadding = [&](int r, int c) { return r < inTop || r >= inBottom || c < inLeft || c >= inRight; };
    auto shaded = [&](int r, int c, QRgb color) {
        return r >= readRows || c >= readCols ? blend(color, shade, kUnreadAlpha) : color;
    };
    auto valueColor = [&](int r, int c) {
        return shaded(r, c, gray(cellValue(padded, r, c)));
    };
    const bool rings = l.cell >= kMinValueCell;
    const double ring = paddingRing(l.cell, o.look);
    if (rings) {
        // Where values are written, a padding cell is a tinted ring around its value: obviously
        // added, and its value (a copy or the fill) stays as grey as the input cell it equals.
        fillCells(p, l, [&](int r, int c) { return isPadding(r, c) ? shaded(r, c, tint) : valueColor(r, c); });
        for (int r = l.firstRow(); r < l.endRow(); ++r)
            for (int c = l.firstCol(); c < l.endCol(); ++c)
                if (isPadding(r, c))
                    p.fillRect(l.cellRect(r, c).adjusted(ring, ring, -ring, -ring), QColor(valueColor(r, c)));
    } else {
        const double alpha = o.look.paddingAlpha();
        fillCells(p, l, [&](int r, int c) {
            return isPadding(r, c) ? shaded(r, c, blend(gray(cellValue(padded, r, c)), tint, alpha))
                                   : valueColor(r, c);
        });
    }
    drawGridLines(p, l, o.look);
    const double valuePx = drawValues(
        p, l, o, valueColor, [&](int r, int c) { return std::optional<double>(cellValue(padded, r, c)); },
        [&](int r, int c) { return isPadding(r, c) ? ring : 0.0; });

    // The input's own rectangle: a strong line with a halo, visible on black and white cells.
    if (g.rows.input > 0 && g.cols.input > 0) {
        const QRectF inner(QPointF(l.x(inLeft), l.y(inTop)), QPointF(l.x(inRight), l.y(inBottom)));
        const double w = std::max(2.0, std::round(o.look.px(3)));
        frame(p, inner.adjusted(-w - 1, -w - 1, w + 1, w + 1), 1, o.look.edgeHalo());
        frame(p, inner.adjusted(-w, -w, w, w), w, o.look.edge());
        frame(p, inner, 1, o.look.edgeHalo());
    }
    paddingBands(p, l, g, o.look);

    const QColor windowColor = o.look.windowColor();
    if (o.hoveredOutput) {
        std::vector<QPoint> cells;
        for (const core::Tap &tap : s.windowAt(o.hoveredOutput->y(), o.hoveredOutput->x()).taps)
            cells.emplace_back(tap.paddedCol, tap.paddedRow);
        lightCells(p, l, cells, windowColor);
    }
    if (s.stepCount() == 0)
        return valuePx;
    const core::Window window = s.window(o.step);
    if (l.cell >= kMinGridCell) {
        const double tapWidth = lineWidth(l, 0.08, 2);
        for (const core::Tap &tap : window.taps)
            frame(p, l.cellRect(tap.paddedRow, tap.paddedCol), tapWidth, windowColor);
    }
    const QRectF box(QPointF(l.x(window.left), l.y(window.top)),
                     QPointF(l.x(window.left + window.width), l.y(window.top + window.height)));
    const double boxWidth = lineWidth(l, 0.08, 3);
    frame(p, atLeast(box, 10).adjusted(-boxWidth, -boxWidth, boxWidth, boxWidth), boxWidth, windowColor);
    return valuePx;
}

/// The colours of output values for @p scale, given the output's smallest and largest value.
ColorTable outputTable(OutputScale scale, ValueRange range, double extent)
{
    switch (scale) {
    case OutputScale::Diverging:
        return ColorTable(-extent, extent, [extent](double v) { return divergingColor(extent > 0 ? v / extent : 0); });
    case OutputScale::Absolute:
        return ColorTable(-extent, extent, [extent](double v) { return grayColor(extent > 0 ? std::abs(v) / extent : 0); });
    case OutputScale::Clip:
        return ColorTable(0, 255, [](double v) { return grayColor(v / 255.0); });
    case OutputScale::Stretch:
        break;
    }
    return grayTable(range);
}

void drawColorBar(QPainter &p, const Layout &l, const ColorRange &range, const PanelOptions &o)
{
    // The bar keeps to its own strip: it never covers output columns.
    p.setClipRect(l.extra);
    const double barWidth = std::round(o.look.px(16));
    const double margin = std::round(o.look.px(8));
    const double labelPx = labelFontPx(o);
    const double covered = l.covered().isEmpty() ? 0 : l.covered().height();
    // Room below the bar for the clip's note.
    const double note = range.clipped ? 2 * labelPx : 0;
    const double height = std::min(std::max(covered, o.look.px(140.0)), l.extra.height() - 2 * labelPx - note);
    if (height < 10)
        return;
    const QRectF bar(l.extra.left() + margin, l.extra.top() + labelPx / 2, barWidth, std::round(height));
    const int lines = int(bar.height());
    for (int i = 0; i < lines; ++i) {
        const double v = 1.0 - 2.0 * (i + 0.5) / lines; // +1 at the top, -1 at the bottom
        p.fillRect(QRectF(bar.left(), bar.top() + i, bar.width(), 1), QColor(divergingColor(v)));
    }
    frame(p, bar, 1, o.look.mutedText());
    p.setFont(pixelFont(labelPx));
    p.setPen(o.look.text());
    const double textLeft = bar.right() + o.look.px(8);
    const double textWidth = l.extra.right() - textLeft;
    auto label = [&](double y, const QString &text) {
        p.drawLine(QLineF(bar.right(), y, bar.right() + o.look.px(4), y));
        p.drawText(QRectF(textLeft, y - labelPx, textWidth, 2 * labelPx), Qt::AlignLeft | Qt::AlignVCenter,
                   text);
    };
    label(bar.top(), range.topLabel());
    label(bar.center().y(), QStringLiteral("0"));
    label(bar.bottom(), range.bottomLabel());
    if (range.clipped) {
        // Says that the ends hold every value beyond them.
        p.setPen(o.look.mutedText());
        p.drawText(QRectF(bar.left(), bar.bottom() + labelPx, l.extra.right() - bar.left(), 2 * labelPx),
                   Qt::AlignLeft | Qt::AlignTop, range.note());
    }
}

double paintOutput(QPainter &p, const Layout &l, const Snapshot &s, const PanelOptions &o)
{
    if (s.stepCount() == 0) {
        drawMessage(p, l.grid, emptyReason(s), o);
        return 0;
    }
    const cv::Mat &output = s.result.output;
    const ColorRange range = colorRange(s, o.look);
    const ColorTable mapping = outputTable(o.look.outputScale, {range.low, range.high}, range.extent());
    const int cols = l.cells.width();
    const int step = s.clampStep(o.step);
    auto isFuture = [&](int r, int c) { return o.fadeUncomputed && r * cols + c > step; };
    const ColorTable faded = mapping.blended(o.look.background().rgb(), kFutureAlpha);
    auto colorOf = [&](int r, int c) {
        const double v = cellValue(output, r, c);
        return isFuture(r, c) ? faded(v) : mapping(v);
    };
    fillCells(p, l, colorOf);
    drawGridLines(p, l, o.look);
    const double valuePx = drawValues(p, l, o, colorOf, [&](int r, int c) {
        return isFuture(r, c) ? std::nullopt : std::optional<double>(cellValue(output, r, c));
    });
    if (o.hoveredOutput) {
        QPen pen(o.look.text(), 1.5, Qt::DashLine);
        p.setPen(pen);
        p.setBrush(Qt::NoBrush);
        p.drawRect(atLeast(l.cellRect(o.hoveredOutput->y(), o.hoveredOutput->x()), 6));
    }
    const QPoint current = s.stepCell(o.step);
    const double width = lineWidth(l, 0.1, 3);
    frame(p, atLeast(l.cellRect(current.y(), current.x()), 10), width, o.look.currentCellColor());
    drawRings(p, l, o);
    if (o.look.outputScale == OutputScale::Diverging)
        drawColorBar(p, l, range, o);
    return valuePx;
}

double paintWindow(QPainter &p, const Layout &l, const Snapshot &s, const PanelOptions &o)
{
    if (s.stepCount() == 0) {
        drawMessage(p, l.grid.united(l.extra), emptyReason(s), o);
        return 0;
    }
    const core::Window window = s.window(o.step);
    const QRgb tint = o.look.paddingTint().rgb();
    const QRgb plain = o.look.tapBackground().rgb();
    TextBlock factors;
    TextBlock products;
    for (const core::Tap &tap : window.taps) {
        const QRectF cell = l.cellRect(tap.a, tap.b);
        const QRgb background = tap.donor.isPadding ? blend(plain, tint, o.look.paddingAlpha()) : plain;
        p.fillRect(cell, QColor(background));
        const QColor ink = textColorOn(background);
        const QRectF inner = cell.adjusted(3, 3, -3, -3);
        factors.items.push_back({QRectF(inner.left(), inner.top(), inner.width(), inner.height() * 0.4),
                                 cellNumber(tap.weight) + QStringLiteral(" × ") + cellNumber(tap.value), ink});
        products.items.push_back({QRectF(inner.left(), inner.top() + inner.height() * 0.38, inner.width(),
                                         inner.height() * 0.55),
                                  cellNumber(tap.product), ink});
    }
    const double factorsPx = factors.fit(l.cell * 0.15, false);
    double valuePx = 0;
    if (factorsPx >= kMinTextPx) {
        factors.draw(p, factorsPx, false);
        valuePx = products.fit(l.cell * 0.3, true);
        products.draw(p, valuePx, true);
    } else {
        // Too small for both lines: the product alone, centred in its tap.
        for (size_t i = 0; i < products.items.size(); ++i)
            products.items[i].rect = l.cellRect(window.taps[i].a, window.taps[i].b);
        const double px = products.fit(l.cell * 0.36, true);
        if (px >= kMinTextPx) {
            products.draw(p, px, true);
            valuePx = px;
        }
    }
    drawGridLines(p, l, o.look);
    frame(p, l.grid.adjusted(-2, -2, 2, 2), 2, o.look.windowColor());

    p.setFont(pixelFont(l.sumFontPx));
    p.setPen(o.look.text());
    p.drawText(l.extra, Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap, sumText(window));
    drawRings(p, l, o);
    return valuePx;
}

} // namespace

double PanelPainter::cellSizeForValues(const Snapshot &snapshot, Panel panel, const PanelOptions &options,
                                       double px)
{
    const cv::Mat *values = panel == Panel::Input    ? &snapshot.input
                            : panel == Panel::Padded ? &snapshot.result.padded
                            : panel == Panel::Output ? &snapshot.result.output
                                                     : nullptr;
    if (!values || values->empty())
        return 0;
    QStringList texts;
    for (int r = 0; r < values->rows; ++r)
        for (int c = 0; c < values->cols; ++c)
            texts << cellNumber(cellValue(*values, r, c));
    texts.removeDuplicates();
    const double share = valueShare(options);
    // The same fit as drawValues(), tried from the size the height allows up.
    for (double cell = std::max(kMinValueCell, std::ceil(px / share)); cell < kMaxValueCellSearch; ++cell) {
        const double inset = panel == Panel::Padded ? paddingRing(cell, options.look) : 0;
        TextBlock block;
        for (const QString &text : texts)
            block.items.push_back({QRectF(0, 0, cell - 2 * inset, cell - 2 * inset), text, QColor()});
        if (block.fit(cell * share, false, valueRoom(options)) >= px)
            return cell;
    }
    return kMaxValueCellSearch;
}

int PanelPainter::titleHeight(const PanelOptions &options)
{
    return options.showTitle ? int(std::ceil(options.look.px(30))) : 0;
}

QSize PanelPainter::gridSize(const Snapshot &snapshot, Panel panel)
{
    const core::Geometry &g = snapshot.geometry();
    switch (panel) {
    case Panel::Input: return {g.cols.input, g.rows.input};
    case Panel::Padded: return {g.cols.padded, g.rows.padded};
    case Panel::Window: return {g.cols.kernel, g.rows.kernel};
    case Panel::Output: return {g.cols.output, g.rows.output};
    }
    return {};
}

QString PanelPainter::title(const Snapshot &snapshot, Panel panel, const PanelOptions &options)
{
    const QSize size = gridSize(snapshot, panel);
    const QString cells = sizeText(size.height(), size.width());
    switch (panel) {
    case Panel::Input: return QObject::tr("Input — %1").arg(cells);
    case Panel::Padded: return QObject::tr("Padded input — %1").arg(cells);
    case Panel::Window: {
        if (snapshot.stepCount() == 0)
            return QObject::tr("Window — %1").arg(cells);
        const QPoint at = snapshot.stepCell(options.step);
        return QObject::tr("Window at (%1, %2) — %3").arg(at.y()).arg(at.x()).arg(cells);
    }
    case Panel::Output:
        // While a newer result is computed, the drawn one is the previous result.
        return options.computing ? QObject::tr("Output — %1 — computing…").arg(cells)
                                : QObject::tr("Output — %1").arg(cells);
    }
    return {};
}

PanelDrawn PanelPainter::paint(QPainter &painter, const QRect &target, const Snapshot &snapshot, Panel panel,
                               const PanelOptions &options)
{
    painter.save();
    painter.setClipRect(target);
    painter.fillRect(target, options.look.background());
    drawTitle(painter, target, title(snapshot, panel, options), options);
    const Layout l = layoutOf(target, snapshot, panel, options);
    // Frames may reach a little past the grid's sides, never into the title band above it nor
    // into the colour bar beside it.
    QRectF cells = l.grid.united(l.extra).adjusted(-12, -12, 12, 12);
    cells.setTop(std::max(cells.top(), double(target.top() + titleHeight(options))));
    if (panel == Panel::Output && !l.extra.isEmpty())
        cells.setRight(l.grid.right());
    painter.setClipRect(cells.intersected(QRectF(target)));
    PanelDrawn drawn;
    switch (panel) {
    case Panel::Input:
        drawn.valuePx = paintInput(painter, l, snapshot, options);
        drawRings(painter, l, options);
        break;
    case Panel::Padded:
        drawn.valuePx = paintPadded(painter, l, snapshot, options);
        drawRings(painter, l, options);
        break;
    case Panel::Window: drawn.valuePx = paintWindow(painter, l, snapshot, options); break;
    case Panel::Output: drawn.valuePx = paintOutput(painter, l, snapshot, options); break;
    }
    painter.restore();
    return drawn;
}

std::optional<QPoint> PanelPainter::cellAt(const QRect &target, const Snapshot &snapshot, Panel panel,
                                           const PanelOptions &options, QPointF position)
{
    const Layout l = layoutOf(target, snapshot, panel, options);
    if (!l.grid.contains(position) || l.cells.isEmpty())
        return std::nullopt;
    int col = int(std::floor(l.origin.x() + (position.x() - l.grid.left()) / l.cell));
    int row = int(std::floor(l.origin.y() + (position.y() - l.grid.top()) / l.cell));
    // Cell edges are rounded to whole pixels: agree with what was drawn.
    if (position.x() < l.x(col))
        --col;
    else if (position.x() >= l.x(col + 1))
        ++col;
    if (position.y() < l.y(row))
        --row;
    else if (position.y() >= l.y(row + 1))
        ++row;
    if (col < 0 || row < 0 || col >= l.cells.width() || row >= l.cells.height())
        return std::nullopt;
    return QPoint(col, row);
}

QRectF PanelPainter::cellRect(const QRect &target, const Snapshot &snapshot, Panel panel,
                              const PanelOptions &options, QPoint cell)
{
    return layoutOf(target, snapshot, panel, options).cellRect(cell.y(), cell.x());
}

QRectF PanelPainter::gridRect(const QRect &target, const Snapshot &snapshot, Panel panel,
                              const PanelOptions &options)
{
    return layoutOf(target, snapshot, panel, options).grid;
}

} // namespace padlab::ui

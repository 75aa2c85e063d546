#include "comparepainter.h"
#include "sizetext.h"

#include "colormap.h"
#include "look.h"

#include "padlab/core/fill.h"
#include "padlab/core/window.h"

#include <QFont>
#include <QFontMetricsF>
#include <QImage>
#include <QPaintDevice>
#include <QObject>
#include <QPainter>
#include <QPen>
#include <QStringList>

#include <opencv2/core.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace padlab::ui {

namespace {

// A differing cell is drawn at least this far along the diverging ramp: a change of 1 next to a
// change of 500 is still seen.
constexpr double kMinVisibleDifference = 0.45;
// Below this many device pixels per cell, differing pixels spread this far to their neighbours
// (and padding pixels inwards), so that a one-cell ring stays visible.
constexpr double kSpreadBelow = 3.0;
constexpr int kSpread = 2;

double titlePx(const CompareOptions &o) { return 17.0 * o.look.fontScale; }
double textPx(const CompareOptions &o) { return 13.0 * o.look.fontScale; }
double summaryPx(const CompareOptions &o) { return 15.0 * o.look.fontScale; }

QString cellsText(long long count)
{
    return count == 1 ? QObject::tr("1 cell") : QObject::tr("%1 cells").arg(count);
}

const cv::Mat &matOf(const core::CompareItem &item, CompareRow row)
{
    return row == CompareRow::Padded ? item.result.padded : item.result.output;
}

struct Layout {
    std::vector<QRectF> columns;
    double cell = 1;
    double titleHeight = 0;
    double captionHeight = 0;
    double summaryHeight = 0;
    double rowTop[3] = {0, 0, 0};    // top of each image band (below its caption)
    double rowHeight[3] = {0, 0, 0}; // height of each image band
    double summaryTop = 0;

    QRectF image(const core::Comparison &c, int column, CompareRow row) const
    {
        const cv::Mat &m = matOf(c.items[size_t(column)], row);
        const QRectF &col = columns[size_t(column)];
        const double w = m.cols * cell;
        const double h = m.rows * cell;
        if (m.empty())
            return QRectF(col.center().x(), rowTop[int(row)], 0, 0);
        return QRectF(std::round(col.left() + (col.width() - w) / 2), rowTop[int(row)], w, h);
    }
};

/// Everything in a column's height that is not an image: margins, title, captions, summary.
double textHeight(const Layout &l, const CompareOptions &o)
{
    return 2 * std::round(8 * o.look.fontScale) + l.titleHeight + 3 * l.captionHeight + l.summaryHeight
           + 2 * std::round(10 * o.look.fontScale);
}

Layout layoutOf(const QRect &target, const core::Comparison &c, const CompareOptions &o)
{
    Layout l;
    const int n = int(c.items.size());
    if (n == 0)
        return l;
    const double margin = std::round(8 * o.look.fontScale);
    const double gap = std::round(10 * o.look.fontScale);
    const double colWidth = std::max(1.0, (target.width() - 2 * margin - (n - 1) * gap) / n);
    for (int i = 0; i < n; ++i)
        l.columns.emplace_back(std::round(target.left() + margin + i * (colWidth + gap)), target.top() + margin,
                               std::floor(colWidth), target.height() - 2 * margin);
    l.titleHeight = std::ceil(titlePx(o) * 1.4 + textPx(o) * 1.3 * 2 + 4 * o.look.fontScale);
    l.captionHeight = std::ceil(textPx(o) * 1.5);
    l.summaryHeight = std::ceil(summaryPx(o) * 1.35 + textPx(o) * 1.3 * 3 + 6 * o.look.fontScale);

    int rowCells[3] = {0, 0, 0};
    int widthCells = 1;
    for (const core::CompareItem &item : c.items) {
        rowCells[0] = std::max(rowCells[0], item.result.padded.rows);
        rowCells[1] = std::max(rowCells[1], item.result.output.rows);
        widthCells = std::max({widthCells, item.result.padded.cols, item.result.output.cols});
    }
    rowCells[2] = rowCells[1];
    const double available = target.height() - textHeight(l, o);
    const int tallCells = std::max(1, rowCells[0] + rowCells[1] + rowCells[2]);
    l.cell = std::min({colWidth / widthCells, std::max(available, 1.0) / tallCells, 72.0 * o.look.fontScale});
    if (l.cell >= 4)
        l.cell = std::floor(l.cell);
    l.cell = std::max(l.cell, 0.01);

    double y = target.top() + margin + l.titleHeight;
    for (int r = 0; r < 3; ++r) {
        l.rowTop[r] = y + l.captionHeight;
        // An empty output still gets a band for its message.
        l.rowHeight[r] = rowCells[r] > 0 ? std::ceil(rowCells[r] * l.cell) : l.captionHeight;
        y = l.rowTop[r] + l.rowHeight[r] + (r < 2 ? gap / 2 : 0);
    }
    l.summaryTop = y + gap / 2;
    return l;
}

/// Fills a matrix's cells: a rectangle per cell when cells are large, else an image at device
/// resolution whose pixels take @p pixelColor of the cell range they cover.
template <typename CellColor, typename PixelColor>
void fillMatrix(QPainter &p, const QRectF &rect, int rows, int cols, double cell, CellColor cellColor,
                PixelColor pixelColor)
{
    if (rows == 0 || cols == 0)
        return;
    if (cell >= kMinGridCell) {
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < cols; ++c)
                p.fillRect(QRectF(rect.left() + c * cell, rect.top() + r * cell, cell, cell), QColor(cellColor(r, c)));
        return;
    }
    const double dpr = p.device() ? p.device()->devicePixelRatioF() : 1.0;
    const int w = std::max(1, int(std::ceil(rect.width() * dpr)));
    const int h = std::max(1, int(std::ceil(rect.height() * dpr)));
    const double perPixel = 1.0 / (cell * dpr); // cells per device pixel
    auto range = [perPixel](int i, int count) {
        const int first = std::clamp(int(std::floor(i * perPixel)), 0, count - 1);
        const int end = std::clamp(int(std::floor((i + 1) * perPixel)), first + 1, count);
        return std::pair<int, int>(first, end);
    };
    std::vector<std::pair<int, int>> colRanges(static_cast<size_t>(w));
    for (int i = 0; i < w; ++i)
        colRanges[size_t(i)] = range(i, cols);
    QImage image(w, h, QImage::Format_RGB32);
    pixelColor(image, colRanges, [&](int j) { return range(j, rows); }, cell * dpr);
    p.drawImage(QRectF(rect.topLeft(), QSizeF(w / dpr, h / dpr)), image);
}

void drawGrid(QPainter &p, const QRectF &rect, int rows, int cols, double cell, const Look &look)
{
    if (cell < kMinGridCell || rows == 0 || cols == 0)
        return;
    p.setPen(QPen(look.grid(), 1));
    for (int c = 0; c <= cols; ++c)
        p.drawLine(QLineF(rect.left() + c * cell, rect.top(), rect.left() + c * cell, rect.bottom()));
    for (int r = 0; r <= rows; ++r)
        p.drawLine(QLineF(rect.left(), rect.top() + r * cell, rect.right(), rect.top() + r * cell));
}

/// Writes the values of a matrix's cells when cells are large enough, one font size for all.
template <typename CellColor, typename ValueOf>
void drawValues(QPainter &p, const QRectF &rect, int rows, int cols, double cell, const CompareOptions &o,
                CellColor cellColor, ValueOf valueOf)
{
    if (cell < kMinValueCell)
        return;
    struct Text {
        QRectF box;
        QString text;
        QColor ink;
    };
    double px = cell * std::min(0.36 * o.look.fontScale, 0.6);
    std::vector<Text> texts;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) {
            const std::optional<double> v = valueOf(r, c);
            if (!v)
                continue;
            texts.push_back({QRectF(rect.left() + c * cell, rect.top() + r * cell, cell, cell), cellNumber(*v),
                             textColorOn(cellColor(r, c))});
        }
    const QFontMetricsF metrics(pixelFont(px));
    double scale = 1;
    for (const Text &t : texts)
        scale = std::min(scale, t.box.width() * 0.88 / std::max(metrics.horizontalAdvance(t.text), 1.0));
    px *= scale;
    if (px < kMinTextPx)
        return;
    p.setFont(pixelFont(px));
    for (const Text &t : texts) {
        p.setPen(t.ink);
        p.drawText(t.box, Qt::AlignCenter, t.text);
    }
}

/// The shared grey scale of the padded inputs: 0..255 for images, the input's own range for
/// numeric data, as the Window view shows them.
ColorTable inputGrays(const CompareSet &set)
{
    if (set.comparison.items.front().result.padded.depth() != CV_64F)
        return ColorTable(0, 255, [](double v) { return grayColor(v / 255.0); });
    const auto [low, high] = set.inputRange;
    const ValueRange range{low, high};
    return ColorTable(low, high, [range](double v) { return grayColor(range.position(v)); });
}

ColorTable outputColors(const CompareSet &set, OutputScale scale)
{
    double low = 0;
    double high = 0;
    bool any = false;
    for (size_t i = 0; i < set.comparison.items.size() && i < set.outputRanges.size(); ++i) {
        if (set.comparison.items[i].result.output.empty())
            continue;
        const auto [a, b] = set.outputRanges[i];
        low = any ? std::min(low, a) : a;
        high = any ? std::max(high, b) : b;
        any = true;
    }
    const double extent = std::max(std::abs(low), std::abs(high));
    switch (scale) {
    case OutputScale::Diverging:
        return ColorTable(-extent, extent, [extent](double v) { return divergingColor(extent > 0 ? v / extent : 0); });
    case OutputScale::Absolute:
        return ColorTable(-extent, extent,
                          [extent](double v) { return grayColor(extent > 0 ? std::abs(v) / extent : 0); });
    case OutputScale::Clip:
        return ColorTable(0, 255, [](double v) { return grayColor(v / 255.0); });
    case OutputScale::Stretch:
        break;
    }
    const ValueRange range{low, high};
    return ColorTable(low, high, [range](double v) { return grayColor(range.position(v)); });
}

/// Colours of difference values on the grid's shared scale.
struct DifferenceColors {
    double extent = 0;
    double tolerance = 0;
    QRgb noCounterpart = 0;
    QRgb neutral = Look::neutralColor().rgb();

    QRgb operator()(double d) const
    {
        if (std::isnan(d))
            return noCounterpart;
        if (!(std::abs(d) > tolerance) || extent <= 0)
            return neutral;
        const double t = std::max(std::abs(d) / extent, kMinVisibleDifference);
        return divergingColor(d < 0 ? -t : t);
    }
    QRgb hatch() const { return QColor(noCounterpart).darker(135).rgb(); }
};

void paintPadded(QPainter &p, const QRectF &rect, const core::CompareItem &item, double cell, const ColorTable &gray,
                 const CompareOptions &o)
{
    const cv::Mat &m = item.result.padded;
    const core::Geometry &g = item.result.geometry;
    const QRgb tint = o.look.paddingTint().rgb();
    const int inTop = g.rows.before;
    const int inBottom = g.rows.before + g.rows.input;
    const int inLeft = g.cols.before;
    const int inRight = g.cols.before + g.cols.input;
    auto isPadding = [&](int r, int c) { return r < inTop || r >= inBottom || c < inLeft || c >= inRight; };
    auto colorOf = [&](int r, int c) {
        const QRgb base = gray(cellValue(m, r, c));
        return isPadding(r, c) ? blend(base, tint, o.look.paddingAlpha()) : base;
    };
    fillMatrix(p, rect, m.rows, m.cols, cell, colorOf,
               [&](QImage &image, const std::vector<std::pair<int, int>> &cols, auto rowRange, double devicePx) {
                   // Pixels within a few pixels of a padding cell are tinted: a padding of one
                   // cell is still seen on a photo drawn at a fraction of a pixel per cell.
                   const int spread = devicePx < kSpreadBelow ? kSpread : 0;
                   const int w = image.width();
                   const int h = image.height();
                   auto near = [&](int first, int last, int low, int high) { return first < low || last > high; };
                   for (int j = 0; j < h; ++j) {
                       const int r = rowRange(j).first;
                       const bool padRow = near(rowRange(std::max(j - spread, 0)).first,
                                                rowRange(std::min(j + spread, h - 1)).second - 1, inTop, inBottom - 1);
                       auto *line = reinterpret_cast<QRgb *>(image.scanLine(j));
                       for (int i = 0; i < w; ++i) {
                           const int c = cols[size_t(i)].first;
                           const bool padCol = near(cols[size_t(std::max(i - spread, 0))].first,
                                                    cols[size_t(std::min(i + spread, w - 1))].second - 1, inLeft,
                                                    inRight - 1);
                           const QRgb base = gray(cellValue(m, r, c));
                           line[i] = padRow || padCol ? blend(base, tint, o.look.paddingAlpha()) : base;
                       }
                   }
               });
    drawGrid(p, rect, m.rows, m.cols, cell, o.look);
    drawValues(p, rect, m.rows, m.cols, cell, o, colorOf,
               [&](int r, int c) { return std::optional<double>(cellValue(m, r, c)); });
    if (g.rows.input > 0 && g.cols.input > 0 && (inTop > 0 || inLeft > 0 || inBottom < m.rows || inRight < m.cols)) {
        const QRectF inner(rect.left() + inLeft * cell, rect.top() + inTop * cell, g.cols.input * cell,
                           g.rows.input * cell);
        frame(p, inner.adjusted(-1, -1, 1, 1), std::max(1.0, std::round(1.5 * o.look.fontScale)), o.look.edge());
    }
}

void paintOutput(QPainter &p, const QRectF &rect, const cv::Mat &m, double cell, const ColorTable &colors,
                 const CompareOptions &o)
{
    auto colorOf = [&](int r, int c) { return colors(cellValue(m, r, c)); };
    fillMatrix(p, rect, m.rows, m.cols, cell, colorOf,
               [&](QImage &image, const std::vector<std::pair<int, int>> &cols, auto rowRange, double) {
                   for (int j = 0; j < image.height(); ++j) {
                       const int r = rowRange(j).first;
                       auto *line = reinterpret_cast<QRgb *>(image.scanLine(j));
                       for (int i = 0; i < image.width(); ++i)
                           line[i] = colorOf(r, cols[size_t(i)].first);
                   }
               });
    drawGrid(p, rect, m.rows, m.cols, cell, o.look);
    drawValues(p, rect, m.rows, m.cols, cell, o, colorOf,
               [&](int r, int c) { return std::optional<double>(cellValue(m, r, c)); });
}

/// The value of largest magnitude among those taken; NaN when every one was NaN.
struct MaxAbs {
    double magnitude = -1;
    double value = std::numeric_limits<double>::quiet_NaN();
    void take(double v)
    {
        const double a = std::abs(v);
        if (a > magnitude) { // false for NaN
            magnitude = a;
            value = v;
        }
    }
};

/// Equal pixels within kSpread pixels of a differing one take the largest such difference;
/// failing that, within kSpread of one without a counterpart they take NaN. The neighbourhood is a
/// square, so it is searched along rows and then along columns.
void spreadDifferences(std::vector<double> &pooled, int w, int h, double tolerance)
{
    const auto differs = [tolerance](double v) { return std::abs(v) > tolerance; }; // false for NaN
    const auto at = [w](int x, int y) { return size_t(y) * size_t(w) + size_t(x); };
    const size_t n = pooled.size();
    // Per pixel: the differing value of largest magnitude near it (NaN for none), and whether a
    // pixel without a counterpart is near it. Most pixels have neither: a count of those that
    // do, kept as the neighbourhood slides, passes them by.
    std::vector<double> near(n, std::numeric_limits<double>::quiet_NaN());
    std::vector<char> unmatched(n);
    for (int y = 0; y < h; ++y) {
        const auto notable = [&](int u) {
            const double v = pooled[at(u, y)];
            return int(differs(v) || std::isnan(v));
        };
        int count = 0;
        for (int u = 0; u < std::min(kSpread, w); ++u)
            count += notable(u);
        for (int x = 0; x < w; ++x) {
            if (x + kSpread < w)
                count += notable(x + kSpread);
            if (x - kSpread - 1 >= 0)
                count -= notable(x - kSpread - 1);
            if (count == 0)
                continue;
            MaxAbs best;
            char none = 0;
            for (int u = std::max(x - kSpread, 0); u <= std::min(x + kSpread, w - 1); ++u) {
                const double v = pooled[at(u, y)];
                if (differs(v))
                    best.take(v);
                none |= char(std::isnan(v));
            }
            near[at(x, y)] = best.value;
            unmatched[at(x, y)] = none;
        }
    }
    const auto notable = [&](int x, int t) { return int(!std::isnan(near[at(x, t)]) || unmatched[at(x, t)]); };
    std::vector<int> counts(size_t(w), 0);
    for (int t = 0; t < std::min(kSpread, h); ++t)
        for (int x = 0; x < w; ++x)
            counts[size_t(x)] += notable(x, t);
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            if (y + kSpread < h)
                counts[size_t(x)] += notable(x, y + kSpread);
            if (y - kSpread - 1 >= 0)
                counts[size_t(x)] -= notable(x, y - kSpread - 1);
        }
        for (int x = 0; x < w; ++x) {
            double &v = pooled[at(x, y)];
            if (counts[size_t(x)] == 0 || std::isnan(v) || differs(v))
                continue;
            MaxAbs best;
            char none = 0;
            for (int t = std::max(y - kSpread, 0); t <= std::min(y + kSpread, h - 1); ++t) {
                best.take(near[at(x, t)]);
                none |= unmatched[at(x, t)];
            }
            if (!std::isnan(best.value))
                v = best.value;
            else if (none)
                v = std::numeric_limits<double>::quiet_NaN();
        }
    }
}

/// @p blocked: @p d with blocks of @p pooling cells in one (CompareSet::pooledDifferences), read
/// instead of @p d when every pixel covers a whole block or more.
void paintDifference(QPainter &p, const QRectF &rect, const cv::Mat &d, const cv::Mat &blocked, int pooling,
                     double cell, const DifferenceColors &colors, const CompareOptions &o)
{
    auto valueAt = [&](int r, int c) { return d.ptr<double>(r)[c]; };
    auto colorOf = [&](int r, int c) { return colors(valueAt(r, c)); };
    fillMatrix(p, rect, d.rows, d.cols, cell, colorOf,
               [&](QImage &image, const std::vector<std::pair<int, int>> &cols, auto cellRows, double devicePx) {
                   const int w = image.width();
                   const int h = image.height();
                   const bool usePooled = pooling > 1 && !blocked.empty() && 1.0 / devicePx >= pooling;
                   const cv::Mat &m = usePooled ? blocked : d;
                   const int block = usePooled ? pooling : 1;
                   // A pixel's cells [first, end) lie in the blocks [first / block, ceil(end / block)).
                   const auto blocks = [block](std::pair<int, int> cells) {
                       return std::pair<int, int>(cells.first / block, (cells.second + block - 1) / block);
                   };
                   const auto rowRange = [&](int j) { return blocks(cellRows(j)); };
                   std::vector<double> alongRows(size_t(m.rows) * size_t(w));
                   for (int r = 0; r < m.rows; ++r) {
                       const double *row = m.ptr<double>(r);
                       double *out = alongRows.data() + size_t(r) * size_t(w);
                       for (int i = 0; i < w; ++i) {
                           const auto [c0, c1] = blocks(cols[size_t(i)]);
                           MaxAbs best;
                           for (int c = c0; c < c1; ++c)
                               best.take(row[c]);
                           out[i] = best.value;
                       }
                   }
                   std::vector<double> pooled(size_t(w) * size_t(h));
                   for (int j = 0; j < h; ++j) {
                       const auto [r0, r1] = rowRange(j);
                       for (int i = 0; i < w; ++i) {
                           MaxAbs best;
                           for (int r = r0; r < r1; ++r)
                               best.take(alongRows[size_t(r) * size_t(w) + size_t(i)]);
                           pooled[size_t(j) * size_t(w) + size_t(i)] = best.value;
                       }
                   }
                   if (devicePx < kSpreadBelow)
                       spreadDifferences(pooled, w, h, colors.tolerance);
                   const QRgb hatch = colors.hatch();
                   for (int j = 0; j < h; ++j) {
                       auto *line = reinterpret_cast<QRgb *>(image.scanLine(j));
                       for (int i = 0; i < w; ++i) {
                           const double v = pooled[size_t(j) * size_t(w) + size_t(i)];
                           line[i] = std::isnan(v) && (i + j) % 6 < 2 ? hatch : colors(v);
                       }
                   }
               });
    if (cell >= kMinGridCell) {
        // Cells without a counterpart: hatched over their grey, so they read as "nothing here".
        QBrush hatch(QColor(colors.hatch()), Qt::BDiagPattern);
        for (int r = 0; r < d.rows; ++r)
            for (int c = 0; c < d.cols; ++c)
                if (std::isnan(valueAt(r, c)))
                    p.fillRect(QRectF(rect.left() + c * cell, rect.top() + r * cell, cell, cell), hatch);
    }
    drawGrid(p, rect, d.rows, d.cols, cell, o.look);
    drawValues(p, rect, d.rows, d.cols, cell, o, colorOf, [&](int r, int c) {
        const double v = valueAt(r, c);
        return std::isnan(v) ? std::nullopt : std::optional<double>(std::abs(v) > colors.tolerance ? v : 0.0);
    });
}

/// Compact names of a fill in PyTorch, OpenCV and NumPy, for the line under its title.
QStringList compactNames(core::Fill fill)
{
    const core::FrameworkNames &names = core::frameworkNames(fill);
    auto clean = [](std::string text, const std::string &prefix) {
        QString s = QString::fromStdString(text);
        if (s.startsWith(QString::fromStdString(prefix)))
            s = s.mid(int(prefix.size()));
        const int comma = s.indexOf(QLatin1Char(','));
        if (comma > 0)
            s = s.left(comma);
        const int paren = s.indexOf(QStringLiteral(" ("));
        if (paren > 0)
            s = s.left(paren);
        return s.trimmed();
    };
    QStringList parts;
    QString torch = clean(names.pytorch, "padding_mode=");
    if (torch != QStringLiteral("—"))
        parts << QStringLiteral("PyTorch ") + torch.replace(QStringLiteral("F.pad(mode="), QString());
    const QString cv = clean(names.opencv, "");
    if (cv != QStringLiteral("—"))
        parts << QStringLiteral("cv2 ") + cv;
    const QString np = clean(names.numpy, "np.pad mode=");
    if (np != QStringLiteral("—"))
        parts << QStringLiteral("NumPy ") + np;
    return parts;
}

/// Packs @p parts joined by " · " into at most @p maxLines lines of @p width.
QStringList packLines(const QStringList &parts, const QFontMetricsF &metrics, double width, int maxLines)
{
    QStringList lines;
    QString line;
    for (const QString &part : parts) {
        const QString candidate = line.isEmpty() ? part : line + QStringLiteral(" · ") + part;
        if (line.isEmpty() || metrics.horizontalAdvance(candidate) <= width) {
            line = candidate;
            continue;
        }
        lines << line;
        if (lines.size() == maxLines)
            return lines;
        line = part;
    }
    if (!line.isEmpty() && lines.size() < maxLines)
        lines << line;
    for (QString &l : lines)
        l = metrics.elidedText(l, Qt::ElideRight, width);
    return lines;
}

QString sidesText(const core::Sides &s)
{
    return QStringLiteral("%1,%2,%3,%4").arg(s.top).arg(s.bottom).arg(s.left).arg(s.right);
}

QString sizeText(const cv::Mat &m)
{
    return ui::sizeText(m.rows, m.cols);
}

} // namespace

QString ComparePainter::title(const core::Comparison &c, int column)
{
    const core::CompareItem &item = c.items.at(size_t(column));
    if (c.by == core::CompareBy::Fill) {
        const QString name = QString::fromUtf8(core::fillName(item.spec.fill).data(),
                                               qsizetype(core::fillName(item.spec.fill).size()));
        if (item.spec.fill == core::Fill::Constant)
            return name + QLatin1Char(' ') + cellNumber(item.spec.value);
        return name;
    }
    const std::string_view amount = core::amountName(item.spec.amount.kind);
    return QString::fromUtf8(amount.data(), qsizetype(amount.size())) + QLatin1Char(' ') + sidesText(item.sides);
}

QString ComparePainter::subtitle(const core::Comparison &c, int column)
{
    const core::CompareItem &item = c.items.at(size_t(column));
    if (c.by == core::CompareBy::Fill)
        return compactNames(item.spec.fill).join(QStringLiteral(" · "));
    const core::Sides &s = item.sides;
    return QObject::tr("top %1 · bottom %2 · left %3 · right %4").arg(s.top).arg(s.bottom).arg(s.left).arg(s.right);
}

QString ComparePainter::toolTip(const core::Comparison &c, int column)
{
    const core::CompareItem &item = c.items.at(size_t(column));
    if (c.by == core::CompareBy::Fill) {
        const core::FrameworkNames &n = core::frameworkNames(item.spec.fill);
        return QObject::tr("%1 (%2)\nKeras/TensorFlow: %3\nPyTorch: %4\nOpenCV: %5\nNumPy: %6\nSciPy ndimage: %7")
            .arg(title(c, column), QString::fromUtf8(core::fillDiagram(item.spec.fill).data(),
                                                     qsizetype(core::fillDiagram(item.spec.fill).size())),
                 QString::fromStdString(n.keras), QString::fromStdString(n.pytorch), QString::fromStdString(n.opencv),
                 QString::fromStdString(n.numpy), QString::fromStdString(n.scipy));
    }
    const core::Sides &s = item.sides;
    return QObject::tr("%1\npadding top %2, bottom %3, left %4, right %5\npadded %6, output %7")
        .arg(title(c, column))
        .arg(s.top)
        .arg(s.bottom)
        .arg(s.left)
        .arg(s.right)
        .arg(sizeText(item.result.padded), sizeText(item.result.output));
}

QString ComparePainter::summaryText(const core::Comparison &c, int column)
{
    if (column == c.reference)
        return QObject::tr("reference\nothers compared with it");
    const core::DifferenceSummary &s = c.summaries.at(size_t(column));
    if (c.items.at(size_t(column)).result.output.empty())
        return QObject::tr("empty output\nthe window does not fit");
    QStringList lines;
    if (s.compared == 0) {
        lines << QObject::tr("no counterpart")
              << QObject::tr("no cell reads the same window as the reference");
        return lines.join(QLatin1Char('\n'));
    }
    if (s.differing == 0) {
        lines << QObject::tr("no difference");
    } else {
        lines << QObject::tr("differs in %1").arg(cellsText(s.differing));
        lines << (s.edgeReach > 0 ? QObject::tr("up to %1 from the edge").arg(cellsText(s.edgeReach))
                                  : QObject::tr("only where windows are centred in the padding"));
        lines << QObject::tr("max |Δ| %1").arg(cellNumber(s.maxAbs));
    }
    if (s.unmatched > 0)
        lines << QObject::tr("%1 with no counterpart (hatched)").arg(cellsText(s.unmatched));
    return lines.join(QLatin1Char('\n'));
}

void ComparePainter::paint(QPainter &painter, const QRect &target, const Snapshot &snapshot,
                           const CompareOptions &options)
{
    const CompareSet *set = snapshot.comparison.get();
    if (set && set->error.isEmpty()) {
        paint(painter, target, *set, options);
        return;
    }
    painter.save();
    painter.setClipRect(target);
    painter.fillRect(target, options.look.background());
    painter.setFont(pixelFont(options.look.px(15)));
    painter.setPen(options.look.text());
    painter.drawText(QRectF(target).adjusted(20, 20, -20, -20), Qt::AlignCenter | Qt::TextWordWrap,
                     set ? QObject::tr("Cannot compare: %1").arg(set->error) : QObject::tr("Computing…"));
    painter.restore();
}

void ComparePainter::paint(QPainter &painter, const QRect &target, const CompareSet &set,
                           const CompareOptions &o)
{
    const core::Comparison &c = set.comparison;
    const Look &look = o.look;
    painter.save();
    painter.setClipRect(target);
    painter.fillRect(target, look.background());
    if (c.items.empty()) {
        painter.restore();
        return;
    }
    const Layout l = layoutOf(target, c, o);
    const ColorTable gray = inputGrays(set);
    const ColorTable outputs = outputColors(set, look.outputScale);
    DifferenceColors differences;
    differences.noCounterpart = look.noCounterpartColor().rgb();
    for (const core::DifferenceSummary &s : c.summaries) {
        differences.extent = std::max(differences.extent, s.maxAbs);
        differences.tolerance = std::max(differences.tolerance, s.tolerance);
    }
    const QColor reference = look.referenceColor();

    for (int i = 0; i < int(c.items.size()); ++i) {
        const core::CompareItem &item = c.items[size_t(i)];
        const QRectF col = l.columns[size_t(i)];
        const bool isReference = i == c.reference;
        if (isReference) {
            QColor wash = reference;
            wash.setAlphaF(look.dark ? 0.18 : 0.08);
            painter.fillRect(col.adjusted(-4, -4, 4, 4), wash);
            frame(painter, col.adjusted(-4, -4, 4, 4), std::round(3 * o.look.fontScale), reference);
        }

        // Title: the name (with a reference badge), then the frameworks' names or the size.
        const double inset = 6 * o.look.fontScale;
        const QRectF band(col.left() + inset, col.top(), col.width() - 2 * inset, l.titleHeight);
        const QFont titleFont = pixelFont(titlePx(o), true);
        painter.setFont(titleFont);
        const QFontMetricsF titleMetrics(titleFont);
        const QRectF nameLine(band.left(), band.top(), band.width(), titlePx(o) * 1.4);
        QString badge;
        if (isReference)
            badge = QObject::tr("reference");
        double badgeWidth = 0;
        if (!badge.isEmpty()) {
            const QFont badgeFont = pixelFont(textPx(o), true);
            badgeWidth = QFontMetricsF(badgeFont).horizontalAdvance(badge) + 12 * o.look.fontScale;
            const QRectF box(nameLine.right() - badgeWidth, nameLine.top() + 2, badgeWidth, nameLine.height() - 4);
            painter.setPen(Qt::NoPen);
            painter.setBrush(reference);
            painter.drawRoundedRect(box, 4, 4);
            painter.setFont(badgeFont);
            painter.setPen(textColorOn(reference.rgb()));
            painter.drawText(box, Qt::AlignCenter, badge);
            painter.setFont(titleFont);
        }
        painter.setPen(look.text());
        painter.drawText(nameLine.adjusted(0, 0, -badgeWidth - 4, 0), Qt::AlignLeft | Qt::AlignVCenter,
                         titleMetrics.elidedText(title(c, i), Qt::ElideRight, nameLine.width() - badgeWidth - 4));
        const QFont small = pixelFont(textPx(o));
        painter.setFont(small);
        painter.setPen(look.mutedText());
        const QStringList parts = c.by == core::CompareBy::Fill ? compactNames(item.spec.fill)
                                                                : QStringList{subtitle(c, i)};
        // A few pixels to spare: drawn text can be a little wider than measured.
        const QStringList lines = packLines(parts, QFontMetricsF(small), band.width() - 4, 2);
        for (int k = 0; k < lines.size(); ++k)
            painter.drawText(QRectF(band.left(), nameLine.bottom() + k * textPx(o) * 1.3, band.width(), textPx(o) * 1.3),
                             Qt::AlignLeft | Qt::AlignVCenter, lines[k]);

        // The three images, each under its caption.
        const QString captions[3] = {
            QObject::tr("padded %1").arg(sizeText(item.result.padded)),
            QObject::tr("output %1").arg(sizeText(item.result.output)),
            isReference ? QObject::tr("Δ: reference itself") : QObject::tr("Δ = this − reference"),
        };
        for (int r = 0; r < 3; ++r) {
            const auto row = CompareRow(r);
            const QRectF image = l.image(c, i, row);
            painter.setFont(small);
            painter.setPen(look.mutedText());
            painter.drawText(QRectF(band.left(), l.rowTop[r] - l.captionHeight, band.width(), l.captionHeight),
                             Qt::AlignHCenter | Qt::AlignVCenter, captions[r]);
            if (image.isEmpty()) {
                painter.drawText(QRectF(band.left(), l.rowTop[r], band.width(), l.rowHeight[r]),
                                 Qt::AlignHCenter | Qt::AlignTop, QObject::tr("(empty)"));
                continue;
            }
            switch (row) {
            case CompareRow::Padded: paintPadded(painter, image, item, l.cell, gray, o); break;
            case CompareRow::Output: paintOutput(painter, image, item.result.output, l.cell, outputs, o); break;
            case CompareRow::Difference:
                paintDifference(painter, image, c.differences[size_t(i)],
                                size_t(i) < set.pooledDifferences.size() ? set.pooledDifferences[size_t(i)] : cv::Mat(),
                                set.pooling, l.cell, differences, o);
                break;
            }
        }

        // The difference's figures: the first line large enough for the back row.
        const QStringList summary = summaryText(c, i).split(QLatin1Char('\n'));
        double y = l.summaryTop;
        for (int k = 0; k < summary.size(); ++k) {
            const bool first = k == 0;
            const QFont font = pixelFont(first ? summaryPx(o) : textPx(o), first);
            painter.setFont(font);
            const bool changes = !isReference && c.summaries[size_t(i)].differing > 0;
            painter.setPen(first && changes ? QColor(divergingColor(look.dark ? 0.6 : 0.85)) : first ? look.text() : look.mutedText());
            const double h = (first ? summaryPx(o) : textPx(o)) * 1.3;
            painter.drawText(QRectF(band.left(), y, band.width(), h), Qt::AlignHCenter | Qt::AlignVCenter,
                             QFontMetricsF(font).elidedText(summary[k], Qt::ElideRight, band.width()));
            y += h;
        }
    }
    painter.restore();
}

std::optional<int> ComparePainter::columnAt(const QRect &target, const core::Comparison &c,
                                            const CompareOptions &o, QPointF position)
{
    const Layout l = layoutOf(target, c, o);
    for (int i = 0; i < int(l.columns.size()); ++i)
        if (l.columns[size_t(i)].contains(position))
            return i;
    return std::nullopt;
}

QRectF ComparePainter::columnRect(const QRect &target, const core::Comparison &c, const CompareOptions &o,
                                  int column)
{
    return layoutOf(target, c, o).columns.at(size_t(column));
}

QRectF ComparePainter::imageRect(const QRect &target, const core::Comparison &c, const CompareOptions &o,
                                 int column, CompareRow row)
{
    return layoutOf(target, c, o).image(c, column, row);
}

QRectF ComparePainter::cellRect(const QRect &target, const core::Comparison &c, const CompareOptions &o,
                                int column, CompareRow row, QPoint cell)
{
    const Layout l = layoutOf(target, c, o);
    const QRectF image = l.image(c, column, row);
    return QRectF(image.left() + cell.x() * l.cell, image.top() + cell.y() * l.cell, l.cell, l.cell);
}

double ComparePainter::cellSize(const QRect &target, const core::Comparison &c, const CompareOptions &o)
{
    return layoutOf(target, c, o).cell;
}

int ComparePainter::minimumHeight(int width, const core::Comparison &c, const CompareOptions &o)
{
    const Layout l = layoutOf(QRect(0, 0, width, 1), c, o);
    if (l.columns.empty())
        return 0;
    int tallCells = 0;
    int wideCells = 1;
    for (CompareRow row : {CompareRow::Padded, CompareRow::Output}) {
        int rows = 0;
        for (const core::CompareItem &item : c.items) {
            rows = std::max(rows, matOf(item, row).rows);
            wideCells = std::max(wideCells, matOf(item, row).cols);
        }
        tallCells += rows * (row == CompareRow::Output ? 2 : 1); // the difference map is output-sized
    }
    // Thumbnails as wide as their column up to about 100 pixels (more with larger text): the
    // text never squeezes them to dots, the view scrolls instead.
    const double thumbnail = std::min(l.columns.front().width(), 100.0 * o.look.fontScale);
    const double cell = std::min(thumbnail / wideCells, 72.0 * o.look.fontScale);
    return int(std::ceil(textHeight(l, o) + tallCells * cell));
}

} // namespace padlab::ui

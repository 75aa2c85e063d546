#include "poolpainter.h"
#include "cellgrid.h"

#include "colormap.h"

#include <QFontMetricsF>
#include <QImage>
#include <QObject>
#include <QPainter>
#include <QPen>

#include <algorithm>
#include <cmath>
#include <vector>

namespace padlab::ui {

namespace {

constexpr double kMaxCell = 64;
constexpr int kTextLines = 8; // formula x2, window, divisor, ceil x2, note, agreement

/// A grid placed in the view: rows x cols cells of @c cell pixels from @c rect's corner.
struct Grid {
    QRectF rect;
    double cell = 0;
    int rows = 0;
    int cols = 0;

    double x(int col) const { return rect.left() + (cell >= 2 ? std::round(col * cell) : col * cell); }
    double y(int row) const { return rect.top() + (cell >= 2 ? std::round(row * cell) : row * cell); }
    QRectF box(int top, int left, int height, int width) const
    {
        return QRectF(QPointF(x(left), y(top)), QPointF(x(left + width), y(top + height)));
    }
    QRectF cellRect(int row, int col) const { return box(row, col, 1, 1); }
};

struct RunLayout {
    QRectF title;
    QRectF note;
    Grid padded;       ///< every cell a window reaches, past the padded input too
    QRectF outputTitle;
    Grid output;
    QRectF text;
};

struct Layout {
    QRectF message;
    std::vector<RunLayout> runs;
};

double lineHeight(const Look &look) { return std::round(look.px(19)); }

/// Cells a window reaches along an axis: the padded input, ceil_mode's last window, the dropped one.
int reach(const core::PoolAxis &a)
{
    long long end = a.padded;
    if (a.output > 0)
        end = std::max<long long>(end, static_cast<long long>(a.output - 1) * a.stride + a.extent);
    if (a.dropped)
        end = std::max<long long>(end, static_cast<long long>(a.output) * a.stride + a.extent);
    return static_cast<int>(end);
}

/// Windows a floor (not ceil) rounding would give.
int floorOutput(const core::PoolAxis &a)
{
    const long long span = static_cast<long long>(a.padded) - a.extent;
    return span < 0 ? 0 : static_cast<int>(span / a.stride + 1);
}

double fit(double width, double height, int cols, int rows, double maximum)
{
    if (rows <= 0 || cols <= 0)
        return 0;
    double cell = std::min({width / cols, height / rows, maximum});
    cell = std::max(cell, 0.05);
    return cell >= 2 ? std::floor(cell) : cell;
}

Layout layoutOf(const QRect &target, const Snapshot &snapshot, const Look &look)
{
    Layout l;
    const double m = std::round(look.px(12));
    const double lh = lineHeight(look);
    const QRectF inner = QRectF(target).adjusted(m, m, -m, -m);
    l.message = inner;
    const PoolSet *set = snapshot.pool.get();
    if (!set)
        return l;
    const int count = std::min<int>(PoolPainter::shownRuns(snapshot), static_cast<int>(set->runs.size()));
    const double columnWidth = (inner.width() - (count - 1) * 2 * m) / std::max(count, 1);
    for (int i = 0; i < count; ++i) {
        const PoolRun &run = set->runs[static_cast<size_t>(i)];
        RunLayout r;
        const double left = inner.left() + i * (columnWidth + 2 * m);
        r.title = QRectF(left, inner.top(), columnWidth, lh);
        r.note = QRectF(left, inner.top() + lh, columnWidth, lh);
        double y = inner.top() + 2 * lh + m / 2;
        if (run.ok()) {
            const core::PoolAxis &rows = run.result.axes[0];
            const core::PoolAxis &cols = run.result.axes[1];
            const double grids = inner.bottom() - y - kTextLines * lh - lh - m;
            const int reachRows = reach(rows);
            const int reachCols = reach(cols);
            const int outRows = std::max(rows.output, 1);
            const int outCols = std::max(cols.output, 1);
            // A wide column puts the output map beside the padded input, both the full height.
            const bool beside = columnWidth > 1.6 * (grids + lh);
            const double paddedWidth = beside ? columnWidth * 0.55 : columnWidth;
            const double cell = fit(paddedWidth, beside ? grids + lh : grids * 0.62, reachCols, reachRows, look.px(kMaxCell));
            r.padded = Grid{QRectF(std::round(left), std::round(y), cell * reachCols, cell * reachRows), cell,
                            reachRows, reachCols};
            const double paddedBottom = r.padded.y(reachRows);
            double outLeft = left;
            double outTop = paddedBottom + m / 2;
            double outWidth = columnWidth;
            double outHeight = std::max(grids * 0.38 - m, 1.0);
            if (beside) {
                outLeft = r.padded.x(reachCols) + 2 * m + look.px(100); // room for "dropped"
                outTop = y;
                outWidth = left + columnWidth - outLeft;
                outHeight = grids;
            }
            r.outputTitle = QRectF(outLeft, outTop, outWidth, lh);
            const double outCell = fit(outWidth, outHeight, outCols, outRows, look.px(kMaxCell));
            r.output = Grid{QRectF(std::round(outLeft), std::round(outTop + lh), outCell * cols.output, outCell * rows.output),
                            outCell, rows.output, cols.output};
            y = std::max(paddedBottom, r.output.y(rows.output)) + m / 2;
        }
        r.text = QRectF(left, y, columnWidth, std::max(0.0, inner.bottom() - y));
        l.runs.push_back(r);
    }
    return l;
}

QString joined(const std::vector<int> &values)
{
    QStringList parts;
    for (int v : values)
        parts << QString::number(v);
    return parts.join(QStringLiteral(", "));
}

QString ruleName(PoolRule rule)
{
    return rule == PoolRule::PyTorch ? QStringLiteral("PyTorch") : QStringLiteral("TensorFlow");
}

void drawText(QPainter &p, const QRectF &rect, const QString &text, const QColor &color, double px, bool bold = false)
{
    if (text.isEmpty() || rect.height() <= 0)
        return;
    p.setFont(pixelFont(px, bold));
    p.setPen(color);
    const QString shown = QFontMetricsF(p.font()).elidedText(text, Qt::ElideRight, rect.width());
    p.drawText(rect, Qt::AlignLeft | Qt::AlignVCenter, shown);
}

/// Hatches @p rect: a cell that is not a value. Lines on the page's colour, so never a zero.
void hatch(QPainter &p, const QRectF &rect, const Look &look, double spacing)
{
    p.fillRect(rect, look.background());
    p.save();
    p.setClipRect(rect);
    QPen pen(look.mutedText());
    pen.setWidthF(std::max(1.0, look.px(1.2)));
    p.setPen(pen);
    const double step = std::max(3.0, spacing);
    for (double d = -rect.height(); d < rect.width(); d += step)
        p.drawLine(QPointF(rect.left() + d, rect.bottom()), QPointF(rect.left() + d + rect.height(), rect.top()));
    p.restore();
}

void outline(QPainter &p, const QRectF &rect, const QColor &color, double width, Qt::PenStyle style = Qt::SolidLine)
{
    QPen pen(color);
    pen.setWidthF(width);
    pen.setStyle(style);
    pen.setJoinStyle(Qt::MiterJoin);
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    p.drawRect(rect.adjusted(width / 2, width / 2, -width / 2, -width / 2));
}

QRectF windowBox(const Grid &g, const core::PoolAxis &rows, const core::PoolAxis &cols, int row, int col)
{
    return g.box(row * rows.stride, col * cols.stride, rows.extent, cols.extent);
}

/// The color of an output or input value over @p range.
QRgb valueColor(double v, std::pair<double, double> range)
{
    const double span = range.second - range.first;
    return grayColor(span > 0 ? (v - range.first) / span : 0.5);
}

void drawRun(QPainter &p, const RunLayout &r, const PoolSet &set, const PoolRun &run, int index,
             const Snapshot &snapshot, const PoolOptions &o)
{
    const Look &look = o.look;
    const double fontPx = look.px(13);
    drawText(p, r.title, PoolPainter::runTitle(run), look.text(), look.px(14), true);
    drawText(p, r.note, run.ok() ? run.note : run.error, run.ok() ? look.mutedText() : look.paddingInk(), fontPx);
    if (!run.ok())
        return;
    const core::PoolAxis &rows = run.result.axes[0];
    const core::PoolAxis &cols = run.result.axes[1];
    const Grid &g = r.padded;
    const bool average = run.spec.op == core::PoolOp::Average;
    const bool counted = average && core::countsPadding(run.spec);
    const cv::Mat input = set.input.plane(0);

    // Padding first: tinted where an average counts it as 0, hatched where it is ignored.
    const QRectF paddedBox = g.box(0, 0, rows.padded, cols.padded);
    const QRectF inputBox = g.box(rows.before, cols.before, rows.input, cols.input);
    const QList<QRectF> bands = {
        QRectF(paddedBox.topLeft(), QPointF(paddedBox.right(), inputBox.top())),
        QRectF(QPointF(paddedBox.left(), inputBox.bottom()), paddedBox.bottomRight()),
        QRectF(QPointF(paddedBox.left(), inputBox.top()), QPointF(inputBox.left(), inputBox.bottom())),
        QRectF(QPointF(inputBox.right(), inputBox.top()), QPointF(paddedBox.right(), inputBox.bottom())),
    };
    for (const QRectF &band : bands) {
        if (band.width() <= 0 || band.height() <= 0)
            continue;
        if (counted)
            p.fillRect(band, QColor(blend(look.background().rgb(), look.paddingTint().rgb(), look.paddingAlpha())));
        else
            hatch(p, band, look, std::max(g.cell / 3, look.px(5)));
    }
    // The input cells: one image of at most the pixels drawn, its colours from a table.
    const double low = set.inputRange.first;
    const double high = set.inputRange.second;
    const ColorTable grays(low, high, [&](double v) { return valueColor(v, set.inputRange); });
    drawCellImage(p, inputBox, rows.input, cols.input,
                  [&](int y, int x) { return grays(input.at<double>(y, x)); });
    const bool numbers = g.cell >= kMinValueCell;
    if (g.cell >= kMinGridCell)
        drawGridLines(p, rows.padded, cols.padded, [&g](int x) { return g.x(x); }, [&g](int y) { return g.y(y); },
                      look.grid());
    if (numbers) {
        p.setFont(pixelFont(std::max(kMinTextPx, g.cell * 0.34)));
        for (int y = 0; y < rows.padded; ++y)
            for (int x = 0; x < cols.padded; ++x) {
                const int iy = y - rows.before;
                const int ix = x - cols.before;
                const bool inside = iy >= 0 && ix >= 0 && iy < rows.input && ix < cols.input;
                if (!inside && !counted)
                    continue;
                const double v = inside ? input.at<double>(iy, ix) : 0.0;
                p.setPen(inside ? textColorOn(valueColor(v, set.inputRange)) : look.paddingInk());
                p.drawText(g.cellRect(y, x), Qt::AlignCenter, cellNumber(v));
            }
    }
    frame(p, inputBox, std::max(1.0, look.px(1.5)), look.edge());

    // Windows: ceil_mode's extra one, the dropped one, the hovered one, the current one on top.
    const QPoint cell = PoolPainter::currentCell(snapshot, o, index);
    const double thick = std::max(2.0, look.px(3));
    const QColor dropped = PoolPainter::droppedColor(look);
    if (cols.ceil && cols.output > floorOutput(cols))
        outline(p, windowBox(g, rows, cols, cell.y(), cols.output - 1), look.referenceColor(), thick, Qt::DotLine);
    if (rows.ceil && rows.output > floorOutput(rows))
        outline(p, windowBox(g, rows, cols, rows.output - 1, cell.x()), look.referenceColor(), thick, Qt::DotLine);
    if (cols.dropped)
        outline(p, windowBox(g, rows, cols, cell.y(), cols.output), dropped, thick, Qt::DashLine);
    if (rows.dropped)
        outline(p, windowBox(g, rows, cols, rows.output, cell.x()), dropped, thick, Qt::DashLine);
    if (o.hoveredOutput && o.hoveredRun == index && *o.hoveredOutput != cell)
        outline(p, windowBox(g, rows, cols, o.hoveredOutput->y(), o.hoveredOutput->x()), look.penColor(), thick);
    outline(p, windowBox(g, rows, cols, cell.y(), cell.x()), look.windowColor(), thick);
    if (cols.dropped || rows.dropped) {
        // The label beside the dropped window, in the room past the grid.
        const QRectF box = cols.dropped ? windowBox(g, rows, cols, cell.y(), cols.output)
                                        : windowBox(g, rows, cols, rows.output, cell.x());
        drawText(p, QRectF(box.right() + look.px(6), box.top(), look.px(90), lineHeight(look)), QObject::tr("dropped"),
                 dropped, fontPx, true);
    }

    // The output map.
    drawText(p, r.outputTitle,
             QObject::tr("Output · %1 × %2 · cell (%3, %4)").arg(rows.output).arg(cols.output).arg(cell.y()).arg(cell.x()),
             look.text(), fontPx, true);
    const Grid &og = r.output;
    if (og.rows > 0 && og.cols > 0) {
        const cv::Mat out = run.result.output.plane(0);
        const QRectF outBox = og.box(0, 0, og.rows, og.cols);
        drawCellImage(p, outBox, og.rows, og.cols, [&](int y, int x) { return grays(out.at<double>(y, x)); });
        if (og.cell >= kMinValueCell) {
            for (int y = 0; y < og.rows; ++y)
                for (int x = 0; x < og.cols; ++x) {
                    const double v = out.at<double>(y, x);
                    // Long numbers (averages) smaller, so that they stay inside their cell.
                    const double chars = std::max<double>(3, cellNumber(v).size());
                    p.setFont(pixelFont(std::max(kMinTextPx, std::min(og.cell * 0.34, og.cell * 1.5 / chars))));
                    p.setPen(textColorOn(valueColor(v, set.inputRange)));
                    p.drawText(og.cellRect(y, x), Qt::AlignCenter, cellNumber(v));
                }
        }
        frame(p, outBox, 1, look.grid());
        if (o.hoveredOutput && o.hoveredRun == index)
            outline(p, og.cellRect(o.hoveredOutput->y(), o.hoveredOutput->x()), look.penColor(), thick);
        outline(p, og.cellRect(cell.y(), cell.x()), look.currentCellColor(), thick);
    }

    // The words: formula, the window written out, its divisor, ceil_mode.
    const QStringList lines = PoolPainter::textLines(snapshot, o, index);
    const double lh = lineHeight(look);
    for (int i = 0; i < lines.size(); ++i) {
        const QRectF line(r.text.left(), r.text.top() + i * lh, r.text.width(), lh);
        if (line.bottom() > r.text.bottom() + 1)
            break;
        const bool ceilLine = i >= lines.size() - PoolPainter::ceilLines(run).size();
        drawText(p, line, lines[i], ceilLine && lines[i].contains(QObject::tr("drops")) ? dropped : look.text(), fontPx);
    }
}

} // namespace

QColor PoolPainter::droppedColor(const Look &look)
{
    return look.dark ? QColor(255, 110, 100) : QColor(200, 30, 30);
}

int PoolPainter::shownRuns(const Snapshot &snapshot)
{
    const PoolSet *set = snapshot.pool.get();
    if (!set || set->runs.empty())
        return 0;
    return snapshot.view.poolBoth && set->rulesDiffer() ? 2 : 1;
}

QPoint PoolPainter::currentCell(const Snapshot &snapshot, const PoolOptions &options, int run)
{
    const QPoint cell = snapshot.stepCell(View::Pool, options.step);
    if (!snapshot.pool || run < 0 || run >= static_cast<int>(snapshot.pool->runs.size()))
        return cell;
    return snapshot.pool->runs[static_cast<size_t>(run)].clampCell(cell);
}

QRectF PoolPainter::paddedCellRect(const QRect &target, const Snapshot &snapshot, const PoolOptions &options, int run,
                                   QPoint cell)
{
    const Layout l = layoutOf(target, snapshot, options.look);
    if (run < 0 || run >= static_cast<int>(l.runs.size()))
        return {};
    const Grid &g = l.runs[static_cast<size_t>(run)].padded;
    if (cell.x() < 0 || cell.y() < 0 || cell.x() >= g.cols || cell.y() >= g.rows)
        return {};
    return g.cellRect(cell.y(), cell.x());
}

QRectF PoolPainter::outputCellRect(const QRect &target, const Snapshot &snapshot, const PoolOptions &options, int run,
                                   QPoint cell)
{
    const Layout l = layoutOf(target, snapshot, options.look);
    if (run < 0 || run >= static_cast<int>(l.runs.size()))
        return {};
    const Grid &g = l.runs[static_cast<size_t>(run)].output;
    if (cell.x() < 0 || cell.y() < 0 || cell.x() >= g.cols || cell.y() >= g.rows)
        return {};
    return g.cellRect(cell.y(), cell.x());
}

std::optional<std::pair<int, QPoint>> PoolPainter::outputCellAt(const QRect &target, const Snapshot &snapshot,
                                                                const PoolOptions &options, QPointF position)
{
    const Layout l = layoutOf(target, snapshot, options.look);
    for (size_t i = 0; i < l.runs.size(); ++i) {
        const Grid &g = l.runs[i].output;
        if (g.rows <= 0 || g.cols <= 0 || g.cell <= 0 || !g.box(0, 0, g.rows, g.cols).contains(position))
            continue;
        const int col = std::clamp(int((position.x() - g.rect.left()) / g.cell), 0, g.cols - 1);
        const int row = std::clamp(int((position.y() - g.rect.top()) / g.cell), 0, g.rows - 1);
        return std::pair<int, QPoint>{int(i), QPoint(col, row)};
    }
    return std::nullopt;
}

QString PoolPainter::divisorText(const core::PoolWindow &window, const core::PoolSpec &spec)
{
    int inputCells = 0;
    int padding = 0;
    int past = 0;
    for (const core::PoolCell &c : window.cells) {
        if (!c.input.empty())
            ++inputCells;
        else if (c.pastPadding)
            ++past;
        else
            ++padding;
    }
    const auto cells = [](int n) { return n == 1 ? QObject::tr("1 cell") : QObject::tr("%1 cells").arg(n); };
    const auto padded = [](int n) { return n == 1 ? QObject::tr("1 padded cell") : QObject::tr("%1 padded cells").arg(n); };
    const QString pastText
        = past > 0 ? QObject::tr("; %1 past the padded input not counted").arg(cells(past)) : QString();
    if (spec.op == core::PoolOp::Max) {
        if (padding + past == 0)
            return QObject::tr("max of its %1, all input cells").arg(cells(inputCells));
        return QObject::tr("max of the %1 input cells it reads: %2 ignored, not zeros")
            .arg(inputCells)
            .arg(padded(padding + past));
    }
    if (padding + past == 0)
        return QObject::tr("divides by %1: every cell it reads is an input cell").arg(window.divisor);
    if (core::countsPadding(spec) && padding > 0)
        return QObject::tr("divides by %1, padding counted: %2 add 0").arg(window.divisor).arg(padded(padding))
               + pastText;
    return QObject::tr("divides by %1: the cells it reads, not the padding").arg(window.divisor) + pastText;
}

QString PoolPainter::windowText(const core::PoolWindow &window, core::PoolOp op)
{
    const bool max = op == core::PoolOp::Max;
    QStringList terms;
    for (const core::PoolCell &c : window.cells) {
        if (!c.counted)
            continue;
        const QString text = cellNumber(c.value);
        terms << (c.value < 0 ? QLatin1Char('(') + text + QLatin1Char(')') : text);
    }
    const QString result = cellNumber(window.result);
    if (max)
        return QStringLiteral("max(%1) = %2").arg(terms.join(QStringLiteral(", ")), result);
    return QStringLiteral("(%1) / %2 = %3").arg(terms.join(QStringLiteral(" + "))).arg(window.divisor).arg(result);
}

QStringList PoolPainter::textLines(const Snapshot &snapshot, const PoolOptions &options, int run)
{
    QStringList lines;
    const PoolSet *set = snapshot.pool.get();
    if (!set || run < 0 || size_t(run) >= set->runs.size() || !set->runs[size_t(run)].ok())
        return lines;
    const PoolRun &r = set->runs[size_t(run)];
    lines = formulaLines(r);
    const QPoint cell = options.hoveredOutput && options.hoveredRun == run ? *options.hoveredOutput
                                                                           : currentCell(snapshot, options, run);
    if (const auto window = set->windowAt(run, cell.y(), cell.x())) {
        lines << QObject::tr("(%1, %2): %3").arg(cell.y()).arg(cell.x()).arg(windowText(*window, r.spec.op));
        lines << divisorText(*window, r.spec);
    }
    return lines << ceilLines(r);
}

QStringList PoolPainter::formulaLines(const PoolRun &run)
{
    QStringList lines;
    if (!run.ok())
        return lines;
    lines << QObject::tr("rows: %1").arg(QString::fromStdString(core::poolOutputFormula(run.result.axes[0])));
    lines << QObject::tr("cols: %1").arg(QString::fromStdString(core::poolOutputFormula(run.result.axes[1])));
    return lines;
}

QString PoolPainter::runTitle(const PoolRun &run)
{
    const core::PoolSpec &s = run.spec;
    QString text = ruleName(run.rule) + QStringLiteral(" · ")
                   + (s.op == core::PoolOp::Max ? QObject::tr("max pool") : QObject::tr("average pool"));
    text += QStringLiteral(" ") + joined(s.window).replace(QStringLiteral(", "), QStringLiteral(" × "));
    text += QObject::tr(", stride %1").arg(joined(s.stride.empty() ? s.window : s.stride));
    if (s.dilation.size() > 1 || (!s.dilation.empty() && s.dilation.front() != 1))
        text += QObject::tr(", dilation %1").arg(joined(s.dilation));
    if (s.amount.kind == core::Amount::Explicit)
        text += QObject::tr(", pads %1").arg(joined(s.amount.values));
    else
        text += QObject::tr(", padding='%1'").arg(s.amount.kind == core::Amount::Same ? QStringLiteral("same")
                                                                                       : QStringLiteral("valid"));
    if (s.ceil)
        text += QObject::tr(", ceil_mode");
    if (s.op == core::PoolOp::Average)
        text += core::countsPadding(s) ? QObject::tr(", padding counted") : QObject::tr(", padding not counted");
    return text;
}

QStringList PoolPainter::ceilLines(const PoolRun &run)
{
    QStringList lines;
    if (!run.ok() || !run.spec.ceil)
        return lines;
    const char *names[] = {"rows", "cols"};
    for (int i = 0; i < 2; ++i) {
        const core::PoolAxis &a = run.result.axes[static_cast<size_t>(i)];
        const int floored = floorOutput(a);
        if (a.dropped)
            lines << QObject::tr("%1: ceil_mode drops window %2: it would start at %3, in the right padding (n + before = %4)")
                         .arg(QLatin1String(names[i]))
                         .arg(a.output)
                         .arg(static_cast<long long>(a.output) * a.stride)
                         .arg(a.input + a.before);
        else if (a.output > floored)
            lines << QObject::tr("%1: ceil_mode adds window %2 (dotted), which reads past the padded input")
                         .arg(QLatin1String(names[i]))
                         .arg(a.output - 1);
    }
    return lines;
}

void PoolPainter::paint(QPainter &painter, const QRect &target, const Snapshot &snapshot, const PoolOptions &options)
{
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, false);
    painter.fillRect(target, options.look.background());
    const Layout l = layoutOf(target, snapshot, options.look);
    const PoolSet *set = snapshot.pool.get();
    if (!set || set->runs.empty()) {
        drawText(painter, QRectF(l.message.topLeft(), QSizeF(l.message.width(), lineHeight(options.look))),
                 QObject::tr("Pooling · computing…"), options.look.mutedText(), options.look.px(13));
        painter.restore();
        return;
    }
    for (size_t i = 0; i < l.runs.size(); ++i)
        drawRun(painter, l.runs[i], *set, set->runs[i], int(i), snapshot, options);
    if (snapshot.view.poolBoth && set->runs.size() == 2 && !set->rulesDiffer() && !l.runs.empty()) {
        // The switch is on but the rules agree: one column, and why.
        const RunLayout &r = l.runs.front();
        const double lh = lineHeight(options.look);
        const QRectF line(r.text.left(), r.text.bottom() - lh, r.text.width(), lh);
        drawText(painter, line,
                 QObject::tr("%1 and %2 agree here: the same output").arg(ruleName(set->runs[0].rule), ruleName(set->runs[1].rule)),
                 options.look.mutedText(), options.look.px(13));
    }
    if (options.computing)
        drawText(painter, QRectF(target.right() - options.look.px(140), target.top(), options.look.px(136), lineHeight(options.look)),
                 QObject::tr("computing…"), options.look.mutedText(), options.look.px(12));
    painter.restore();
}

} // namespace padlab::ui

#include "transposedpainter.h"
#include "cellgrid.h"

#include "colormap.h"

#include <QFontMetricsF>
#include <QObject>
#include <QPainter>
#include <QPen>

#include <algorithm>
#include <cmath>

namespace padlab::ui {

namespace {

constexpr double kMaxCell = 48;
constexpr double kReadableCell = 32; ///< at the look's text size: a number of 11.5 px
constexpr int kMaxReadRows = 24;

/// rows x cols cells of @c cell pixels from @c origin.
struct Grid {
    QPointF origin;
    double cell = 0;
    int rows = 0;
    int cols = 0;

    double x(int col) const { return origin.x() + (cell >= 2 ? std::round(col * cell) : col * cell); }
    double y(int row) const { return origin.y() + (cell >= 2 ? std::round(row * cell) : row * cell); }
    QRectF cellRect(int row, int col) const { return QRectF(QPointF(x(col), y(row)), QPointF(x(col + 1), y(row + 1))); }
    QRectF box(int top, int left, int height, int width) const
    {
        return QRectF(QPointF(x(left), y(top)), QPointF(x(left + width), y(top + height)));
    }
    QRectF rect() const { return box(0, 0, rows, cols); }
    bool contains(int row, int col) const { return row >= 0 && col >= 0 && row < rows && col < cols; }
};

struct Layout {
    QRectF message; ///< where a refusal or "computing" goes when there is nothing to draw
    std::vector<QRectF> lines; ///< the title, the formulas and the current cell's sum
    QRectF directTitle;
    QRectF scatterTitle;
    Grid padded;
    QRectF kernelTitle;
    Grid kernel;
    Grid full;  ///< the full output, extended past its end by the cells output_padding adds
    QRectF legend;
};

double textPx(const Look &look) { return look.px(13); }

/// The full grid's extent on an axis: every stamped cell and every output cell.
int extentOf(const core::ConvTAxis &a)
{
    return std::max(a.full, a.before + a.output);
}

QString settingsText(const TransposedSet &set)
{
    const core::ConvTAxis &a = set.rows();
    QString text = QObject::tr("Transposed convolution · kernel %1 × %2 · stride %3")
                       .arg(set.rows().kernel)
                       .arg(set.cols().kernel)
                       .arg(a.stride);
    if (a.dilation > 1)
        text += QObject::tr(" · dilation %1").arg(a.dilation);
    switch (a.amount) {
    case core::Amount::Same: text += QObject::tr(" · Keras padding='same'"); break;
    case core::Amount::Explicit:
        text += QObject::tr(" · PyTorch padding=%1, output_padding=%2").arg(a.before).arg(a.outputPadding);
        break;
    default: text += QObject::tr(" · Keras padding='valid'"); break;
    }
    return text;
}

/// Where the kernel goes: under the padded grid, beside it, or the direct picture above the
/// scatter picture (a tall, narrow tab).
enum class Arrangement { KernelBelow, KernelBeside, Stacked };

/// The sizes an arrangement is computed from, in pixels and cells.
struct Frame {
    double lineH = 0, gap = 0;
    double kernelTitleW = 0; ///< "Kernel flipped (both axes)": the kernel's column is never narrower
    int pr = 0, pc = 0, kr = 0, kc = 0, fr = 0, fc = 0;

    QSizeF pictures(Arrangement a, double cell) const
    {
        const double kw = std::max(kc * cell, kernelTitleW);
        switch (a) {
        case Arrangement::KernelBelow:
            return {std::max(pc, kc) * cell + gap + fc * cell,
                    lineH + std::max((pr + kr) * cell + gap / 2 + lineH, fr * cell)};
        case Arrangement::KernelBeside:
            return {pc * cell + gap + kw + gap + fc * cell, lineH + std::max({pr * cell, lineH + kr * cell, fr * cell})};
        case Arrangement::Stacked:
            return {std::max(pc * cell + gap + kw, fc * cell),
                    lineH + std::max(pr * cell, lineH + kr * cell) + gap + lineH + fr * cell};
        }
        return {};
    }
    /// The largest cell (at most @p most) at which @p a fits @p room.
    double largestCell(Arrangement a, QSizeF room, double most) const
    {
        double lo = 0.05, hi = most;
        const QSizeF top = pictures(a, hi);
        if (top.width() <= room.width() && top.height() <= room.height())
            return hi;
        for (int i = 0; i < 40; ++i) {
            const double mid = (lo + hi) / 2;
            const QSizeF size = pictures(a, mid);
            (size.width() <= room.width() && size.height() <= room.height() ? lo : hi) = mid;
        }
        return lo;
    }
};

/// The text lines above the pictures: the title, the formulas, the crop, the shown cell's sum.
int headerLines(const TransposedSet &set)
{
    return 1 + int(set.formulaLines().size()) + 2;
}

Frame frameOf(const TransposedSet &set, const Look &look)
{
    Frame f;
    f.lineH = std::round(look.px(20));
    f.gap = std::round(look.px(16));
    f.kernelTitleW = QFontMetricsF(pixelFont(textPx(look))).horizontalAdvance(QObject::tr("Kernel flipped (both axes)"))
                     + look.px(4);
    const core::TensorShape &padded = set.explanation.padded.shape();
    f.pr = padded.rows();
    f.pc = padded.cols();
    f.kr = set.kernel.shape[0];
    f.kc = set.kernel.shape[1];
    f.fr = extentOf(set.rows());
    f.fc = extentOf(set.cols());
    return f;
}

/// The height of everything but the pictures: margins, header lines, legend.
double chromeHeight(const TransposedSet &set, const Look &look, const Frame &f)
{
    return 2 * std::round(look.px(10)) + headerLines(set) * f.lineH + f.gap / 2 + f.lineH + f.gap / 2;
}

Layout layoutOf(const QRect &target, const Snapshot &snapshot, const TransposedOptions &o)
{
    Layout l;
    const Look &look = o.look;
    const double margin = std::round(look.px(10));
    const QRectF area = QRectF(target).adjusted(margin, margin, -margin, -margin);
    const TransposedSet *set = snapshot.transposed.get();
    if (!set || !set->ok()) {
        l.message = area;
        return l;
    }
    const Frame f = frameOf(*set, look);
    const double lineH = f.lineH;
    const double gap = f.gap;
    const int lineCount = headerLines(*set);
    for (int i = 0; i < lineCount; ++i)
        l.lines.push_back(QRectF(area.left(), area.top() + i * lineH, area.width(), lineH));
    const double top = area.top() + lineCount * lineH + gap / 2;
    const double bottom = area.bottom() - lineH - gap / 2;
    l.legend = QRectF(area.left(), bottom + gap / 2, area.width(), lineH);

    const int pr = f.pr, pc = f.pc, kr = f.kr, kc = f.kc, fr = f.fr, fc = f.fc;
    // The arrangement that gives the largest cells; on a tie the pictures side by side.
    const QSizeF room(area.width(), std::max(bottom - top, 10.0));
    Arrangement arrangement = Arrangement::KernelBelow;
    double cell = 0;
    for (Arrangement a : {Arrangement::KernelBelow, Arrangement::KernelBeside, Arrangement::Stacked}) {
        const double c = f.largestCell(a, room, look.px(kMaxCell));
        if (c > cell * 1.02) {
            cell = c;
            arrangement = a;
        }
    }
    cell = std::max(cell, 0.05);
    cell = cell >= 2 ? std::floor(cell) : cell;
    const auto whole = [](double c) { return c >= 2 ? std::floor(c) : c; };
    const QPointF origin(std::round(area.left()), std::round(top + lineH));
    l.padded = {origin, cell, pr, pc};
    const double paddedRight = origin.x() + pc * cell;
    double scatterLeft = 0, scatterTop = top;
    switch (arrangement) {
    case Arrangement::KernelBelow: {
        l.directTitle = QRectF(area.left(), top, std::max(pc, kc) * cell + gap / 2, lineH);
        l.kernelTitle = QRectF(area.left(), l.padded.rect().bottom() + gap / 2, area.width() / 2, lineH);
        // The kernel keeps readable cells when a large input shrinks the grids' cells.
        const double columnW = std::max(pc, kc) * cell;
        const double kernelCell = std::max(whole(std::min({look.px(kMaxCell), (bottom - l.kernelTitle.bottom()) / kr, columnW / kc})), cell);
        l.kernel = {QPointF(std::round(area.left()), std::round(l.kernelTitle.bottom())), kernelCell, kr, kc};
        scatterLeft = std::round(area.left() + columnW + gap);
        break;
    }
    case Arrangement::KernelBeside: {
        // Spare width goes to the kernel's cells.
        const double spare = room.width() - f.pictures(arrangement, cell).width();
        const double kernelCell = std::max(
            whole(std::min({look.px(kMaxCell), (kc * cell + std::max(spare, 0.0)) / kc, (room.height() - 2 * lineH) / kr})), cell);
        const double kw = std::max(kc * kernelCell, f.kernelTitleW);
        l.kernelTitle = QRectF(paddedRight + gap, top + lineH, kw, lineH);
        l.kernel = {QPointF(std::round(paddedRight + gap), std::round(top + 2 * lineH)), kernelCell, kr, kc};
        l.directTitle = QRectF(area.left(), top, pc * cell + gap + kw, lineH);
        scatterLeft = std::round(paddedRight + gap + kw + gap);
        break;
    }
    case Arrangement::Stacked: {
        const double kernelCell = std::max(
            whole(std::min({look.px(kMaxCell), (area.right() - paddedRight - gap) / kc, (pr * cell - lineH) / kr})), cell);
        const double kw = std::max(kc * kernelCell, f.kernelTitleW);
        l.kernelTitle = QRectF(paddedRight + gap, top + lineH, kw, lineH);
        l.kernel = {QPointF(std::round(paddedRight + gap), std::round(top + 2 * lineH)), kernelCell, kr, kc};
        l.directTitle = QRectF(area.left(), top, area.width(), lineH);
        scatterLeft = std::round(area.left());
        scatterTop = std::max(l.padded.rect().bottom(), l.kernel.rect().bottom()) + gap;
        break;
    }
    }
    l.scatterTitle = QRectF(scatterLeft, scatterTop, area.right() - scatterLeft, lineH);
    l.full = {QPointF(scatterLeft, std::round(scatterTop + lineH)), cell, fr, fc};
    return l;
}

void drawNumber(QPainter &p, const QRectF &rect, const QString &text, const QColor &color)
{
    if (rect.width() < kMinValueCell * 0.8)
        return;
    double px = std::min(rect.height() * 0.36, rect.width() * 1.6 / std::max<int>(int(text.size()), 2));
    if (px < kMinTextPx)
        return;
    p.setFont(pixelFont(px));
    p.setPen(color);
    p.drawText(rect, Qt::AlignCenter, text);
}

void drawLine(QPainter &p, const QRectF &rect, const QString &text, const QColor &color, double px, bool bold = false)
{
    p.setFont(pixelFont(px, bold));
    p.setPen(color);
    const QFontMetricsF metrics(p.font());
    p.drawText(rect, Qt::AlignLeft | Qt::AlignVCenter, metrics.elidedText(text, Qt::ElideRight, rect.width()));
}

void drawGridLines(QPainter &p, const Grid &g, const QColor &color)
{
    if (g.cell < kMinGridCell)
        return;
    ui::drawGridLines(p, g.rows, g.cols, [&g](int c) { return g.x(c); }, [&g](int r) { return g.y(r); }, color);
}

double positionIn(const std::pair<double, double> &range, double v)
{
    return range.second > range.first ? std::clamp((v - range.first) / (range.second - range.first), 0.0, 1.0) : 0.5;
}

} // namespace

QColor TransposedPainter::stuffedColor(const Look &look)
{
    return look.dark ? QColor(0x4a, 0x3f, 0x66) : QColor(0xe4, 0xdc, 0xf5);
}

QColor TransposedPainter::croppedInk(const Look &look)
{
    return look.dark ? QColor(0xff, 0x6b, 0x6b) : QColor(0xc6, 0x28, 0x28);
}

QColor TransposedPainter::addedInk(const Look &look)
{
    return look.dark ? QColor(0x5c, 0xd6, 0x8a) : QColor(0x1b, 0x8a, 0x3c);
}

QColor TransposedPainter::overlapColor(const Look &look, int count, int most)
{
    if (count <= 0)
        return look.background();
    const double alpha = 0.18 + 0.62 * double(count) / std::max(most, 1);
    // Teal: apart from the padding's tint and the stuffed zeros' lavender.
    const QColor hue = look.dark ? QColor(0x3f, 0xc1, 0xb0) : QColor(0x1f, 0x8f, 0x84);
    return QColor(blend(look.background().rgb(), hue.rgb(), alpha));
}

QPoint TransposedPainter::currentCell(const Snapshot &snapshot, const TransposedOptions &options)
{
    if (!snapshot.transposed || !snapshot.transposed->ok())
        return {};
    return snapshot.transposed->clampCell(snapshot.stepCell(View::Transposed, options.step));
}

QRectF TransposedPainter::paddedCellRect(const QRect &target, const Snapshot &snapshot,
                                         const TransposedOptions &options, int row, int col)
{
    const Layout l = layoutOf(target, snapshot, options);
    return l.padded.contains(row, col) ? l.padded.cellRect(row, col) : QRectF();
}

int TransposedPainter::heightForWidth(const Snapshot &snapshot, const Look &look, int width)
{
    const TransposedSet *set = snapshot.transposed.get();
    if (!set || !set->ok())
        return 0;
    const Frame f = frameOf(*set, look);
    // Cells that hold their numbers at a readable size (text 0.36 of the cell: 11.5 px); a grid
    // too large to be read number by number asks for no more than a screen.
    if (std::max(f.pr, f.fr) > kMaxReadRows)
        return 0;
    const double cell = look.px(kReadableCell);
    const double room = width - 2 * std::round(look.px(10));
    double height = -1;
    for (Arrangement a : {Arrangement::KernelBelow, Arrangement::KernelBeside, Arrangement::Stacked}) {
        const QSizeF size = f.pictures(a, cell);
        if (size.width() <= room && (height < 0 || size.height() < height))
            height = size.height();
    }
    if (height < 0)
        height = f.pictures(Arrangement::Stacked, cell).height();
    return int(std::ceil(height + chromeHeight(*set, look, f)));
}

QRectF TransposedPainter::fullCellRect(const QRect &target, const Snapshot &snapshot,
                                       const TransposedOptions &options, int row, int col)
{
    const Layout l = layoutOf(target, snapshot, options);
    return l.full.contains(row, col) ? l.full.cellRect(row, col) : QRectF();
}

QRectF TransposedPainter::outputCellRect(const QRect &target, const Snapshot &snapshot,
                                         const TransposedOptions &options, QPoint cell)
{
    const TransposedSet *set = snapshot.transposed.get();
    if (!set || !set->ok())
        return {};
    return fullCellRect(target, snapshot, options, cell.y() + set->rows().before, cell.x() + set->cols().before);
}

QRectF TransposedPainter::kernelCellRect(const QRect &target, const Snapshot &snapshot,
                                         const TransposedOptions &options, int row, int col)
{
    const Layout l = layoutOf(target, snapshot, options);
    return l.kernel.contains(row, col) ? l.kernel.cellRect(row, col) : QRectF();
}

std::optional<QPoint> TransposedPainter::outputCellAt(const QRect &target, const Snapshot &snapshot,
                                                      const TransposedOptions &options, QPointF position)
{
    const TransposedSet *set = snapshot.transposed.get();
    if (!set || !set->ok())
        return std::nullopt;
    const Layout l = layoutOf(target, snapshot, options);
    if (!l.full.rect().contains(position) || l.full.cell <= 0)
        return std::nullopt;
    const int col = int((position.x() - l.full.origin.x()) / l.full.cell) - set->cols().before;
    const int row = int((position.y() - l.full.origin.y()) / l.full.cell) - set->rows().before;
    if (row < 0 || col < 0 || row >= set->outputRows() || col >= set->outputCols())
        return std::nullopt;
    return QPoint(col, row);
}

QString TransposedPainter::sumLine(const TransposedSet &set, QPoint cell)
{
    const core::ConvTWindow w = set.windowAt(cell);
    if (w.cell.empty())
        return {};
    QString text = QObject::tr("out[%1, %2] (full [%3, %4]) = ").arg(cell.y()).arg(cell.x()).arg(w.full[0]).arg(w.full[1]);
    if (w.stamps.empty())
        return text + QObject::tr("0: no input cell stamps here (a cell output_padding adds)");
    return text + QString::fromStdString(core::convtWindowSumText(w))
           + QObject::tr("   (%n stamp(s))", nullptr, int(w.stamps.size()));
}

void TransposedPainter::paint(QPainter &painter, const QRect &target, const Snapshot &snapshot,
                              const TransposedOptions &options)
{
    const Look &look = options.look;
    painter.save();
    painter.fillRect(target, look.background());
    painter.setRenderHint(QPainter::Antialiasing, false);
    const Layout l = layoutOf(target, snapshot, options);
    const TransposedSet *set = snapshot.transposed.get();
    if (!set || !set->ok()) {
        QString text;
        if (set && !set->error.isEmpty())
            text = QObject::tr("Cannot compute the transposed convolution: %1").arg(set->error);
        else
            text = QObject::tr("Computing the transposed convolution…");
        painter.setFont(pixelFont(look.px(15)));
        painter.setPen(look.text());
        painter.drawText(l.message, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, text);
        painter.restore();
        return;
    }
    const double px = textPx(look);
    const core::ConvTAxis &ar = set->rows();
    const core::ConvTAxis &ac = set->cols();
    const QPoint current = currentCell(snapshot, options);
    const QPoint shown = options.hoveredOutput ? set->clampCell(*options.hoveredOutput) : current;

    // The settings, the output size with its numbers, the crop, and the shown cell's sum.
    QStringList lines;
    lines << settingsText(*set) << set->formulaLines();
    const QString crop = QString::fromStdString(core::convtCropFormula(ar));
    const QString cropCols = QString::fromStdString(core::convtCropFormula(ac));
    lines << (crop == cropCols ? crop : QObject::tr("rows: %1 · cols: %2").arg(crop, cropCols));
    lines << sumLine(*set, shown);
    for (int i = 0; i < int(l.lines.size()) && i < lines.size(); ++i)
        drawLine(painter, l.lines[size_t(i)], lines[i], i == int(l.lines.size()) - 1 ? look.windowColor() : look.text(),
                 px, i == 0);

    // The direct picture.
    const core::AxisPads &ir = set->explanation.implicit[0];
    const core::AxisPads &ic = set->explanation.implicit[1];
    drawLine(painter, l.directTitle,
             QObject::tr("Direct: s − 1 = %1 stuffed, e − 1 − p = %2 padded, kernel flipped")
                 .arg(ar.stride - 1)
                 .arg(ir.before),
             look.text(), px, true);
    const cv::Mat paddedPlane = set->explanation.padded.plane(0);
    const QRgb padTint = look.paddingTint().rgb();
    const QRgb implicitFill = blend(grayColor(positionIn(set->inputRange, 0)), padTint, look.paddingAlpha());
    const QRgb stuffedFill = stuffedColor(look).rgb();
    const ColorTable grays(set->inputRange.first, set->inputRange.second,
                           [&](double v) { return grayColor(positionIn(set->inputRange, v)); });
    // Per axis, once: what each padded row and column is (an input's, a stuffed zero's, or the
    // implicit padding's), so a cell's kind is two look-ups.
    enum Kind : signed char { Input, Stuffed, Implicit };
    const auto kinds = [](int count, int before, int stride, int input) {
        std::vector<Kind> k(size_t(std::max(count, 0)));
        for (int i = 0; i < count; ++i) {
            const int at = i - before;
            k[size_t(i)] = at < 0 || at > (input - 1) * stride ? Implicit : at % stride == 0 ? Input : Stuffed;
        }
        return k;
    };
    const std::vector<Kind> rowKind = kinds(l.padded.rows, ir.before, ar.stride, ar.input);
    const std::vector<Kind> colKind = kinds(l.padded.cols, ic.before, ac.stride, ac.input);
    const auto paddedFill = [&](int r, int c) {
        const Kind kr = rowKind[size_t(r)];
        const Kind kc = colKind[size_t(c)];
        if (kr == Implicit || kc == Implicit)
            return implicitFill;
        if (kr == Stuffed || kc == Stuffed)
            return stuffedFill;
        return grays(cellValue(paddedPlane, r, c));
    };
    if (l.padded.cell < kMinGridCell) {
        // A photo: one image of the pixels drawn, no numbers.
        drawCellImage(painter, l.padded.rect(), l.padded.rows, l.padded.cols, paddedFill);
    } else {
        for (int r = 0; r < l.padded.rows; ++r)
            for (int c = 0; c < l.padded.cols; ++c)
                painter.fillRect(l.padded.cellRect(r, c), QColor(paddedFill(r, c)));
    }
    if (l.padded.cell >= kMinValueCell * 0.8) {
        for (int r = 0; r < l.padded.rows; ++r)
            for (int c = 0; c < l.padded.cols; ++c) {
                const QRgb fill = paddedFill(r, c);
                if (set->inputOfPadded(r, c))
                    drawNumber(painter, l.padded.cellRect(r, c), cellNumber(cellValue(paddedPlane, r, c)),
                               textColorOn(fill));
                else // on the implicit padding's tint over a black 0, grey text would vanish
                    drawNumber(painter, l.padded.cellRect(r, c), QStringLiteral("0"),
                               set->isImplicitPad(r, c) ? textColorOn(fill) : look.mutedText());
            }
    }
    drawGridLines(painter, l.padded, look.grid());
    // The stuffed input's rectangle inside the implicit padding.
    {
        const int top = std::max(ir.before, 0);
        const int left = std::max(ic.before, 0);
        const int rows = std::min((ar.input - 1) * ar.stride + 1, l.padded.rows - top);
        const int cols = std::min((ac.input - 1) * ac.stride + 1, l.padded.cols - left);
        if (rows > 0 && cols > 0)
            frame(painter, l.padded.box(top, left, rows, cols), std::max(1.0, look.px(1.5)), look.edge());
    }
    drawLine(painter, l.kernelTitle, QObject::tr("Kernel flipped (both axes)"), look.text(), px);
    const std::vector<double> &flipped = set->explanation.kernel.weights;
    std::pair<double, double> kRange{0, 0};
    for (double w : flipped)
        kRange = {std::min(kRange.first, w), std::max(kRange.second, w)};
    const double kMag = std::max(std::abs(kRange.first), std::abs(kRange.second));
    for (int r = 0; r < l.kernel.rows; ++r)
        for (int c = 0; c < l.kernel.cols; ++c) {
            const double w = flipped[size_t(r * l.kernel.cols + c)];
            const QRgb fill = divergingColor(kMag > 0 ? w / kMag : 0);
            painter.fillRect(l.kernel.cellRect(r, c), QColor(fill));
            drawNumber(painter, l.kernel.cellRect(r, c), cellNumber(w), textColorOn(fill));
        }
    drawGridLines(painter, l.kernel, look.grid());

    // The scatter picture.
    drawLine(painter, l.scatterTitle,
             QObject::tr("Scatter: each input cell stamps value × kernel; overlaps summed (shade: how many)"),
             look.text(), px, true);
    const bool counts = l.full.cell >= 40;
    const auto isStamped = [&](int r, int c) { return r < ar.full && c < ac.full; };
    const auto isKept = [&](int r, int c) {
        return r >= ar.before && r < ar.before + ar.output && c >= ac.before && c < ac.before + ac.output;
    };
    const QRgb background = look.background().rgb();
    // One colour per overlap count, worked out once, not once a cell.
    std::vector<QRgb> shades(size_t(std::max(set->maxOverlap, 0)) + 1);
    for (size_t n = 0; n < shades.size(); ++n)
        shades[n] = overlapColor(look, int(n), set->maxOverlap).rgb();
    const auto fullFill = [&](int r, int c) {
        if (!isStamped(r, c))
            return background;
        const int n = set->overlaps.at<int>(r, c);
        return n >= 0 && size_t(n) < shades.size() ? shades[size_t(n)] : overlapColor(look, n, set->maxOverlap).rgb();
    };
    if (l.full.cell < kMinGridCell) {
        drawCellImage(painter, l.full.rect(), l.full.rows, l.full.cols, fullFill);
        // Too small to cross out one by one: the cropped bands washed over, the added ones edged.
        QColor washInk = croppedInk(look);
        washInk.setAlphaF(0.45);
        const int stampedRows = std::min(ar.full, l.full.rows);
        const int stampedCols = std::min(ac.full, l.full.cols);
        const int keptEndRow = ar.before + ar.output;
        const int keptEndCol = ac.before + ac.output;
        const auto wash = [&](int top, int left, int bottom, int right) {
            if (bottom > top && right > left)
                painter.fillRect(l.full.box(top, left, bottom - top, right - left), washInk);
        };
        wash(0, 0, std::min(ar.before, stampedRows), stampedCols);
        wash(std::max(keptEndRow, 0), 0, stampedRows, stampedCols);
        wash(std::max(ar.before, 0), 0, std::min(keptEndRow, stampedRows), std::min(ac.before, stampedCols));
        wash(std::max(ar.before, 0), std::max(keptEndCol, 0), std::min(keptEndRow, stampedRows), stampedCols);
        const double w = std::max(1.5, look.px(2));
        painter.setPen(QPen(addedInk(look), w, Qt::DashLine));
        painter.setBrush(Qt::NoBrush);
        if (ar.outputPadding > 0)
            painter.drawRect(l.full.box(keptEndRow - ar.outputPadding, ac.before, ar.outputPadding, ac.output));
        if (ac.outputPadding > 0)
            painter.drawRect(l.full.box(ar.before, keptEndCol - ac.outputPadding, ar.output, ac.outputPadding));
    } else {
        for (int r = 0; r < l.full.rows; ++r)
            for (int c = 0; c < l.full.cols; ++c) {
                if (!isStamped(r, c) && !isKept(r, c))
                    continue;
                const QRectF cell = l.full.cellRect(r, c);
                const QRgb fill = fullFill(r, c);
                painter.fillRect(cell, QColor(fill));
                if (l.full.cell < kMinValueCell * 0.8)
                    continue;
                const bool stamped = isStamped(r, c);
                const QString text = stamped ? cellNumber(set->full.at<double>(r, c)) : QStringLiteral("0");
                drawNumber(painter, cell, text, isKept(r, c) ? textColorOn(fill) : look.mutedText());
                if (counts && stamped) {
                    painter.setFont(pixelFont(std::max(cell.height() * 0.2, kMinTextPx)));
                    painter.setPen(look.mutedText());
                    painter.drawText(cell.adjusted(0, 0, -2, 0), Qt::AlignRight | Qt::AlignBottom,
                                     QStringLiteral("×%1").arg(set->overlaps.at<int>(r, c)));
                }
            }
        drawGridLines(painter, l.full, look.grid());
        painter.setRenderHint(QPainter::Antialiasing, true);
        for (int r = 0; r < l.full.rows; ++r)
            for (int c = 0; c < l.full.cols; ++c) {
                const QRectF cell = l.full.cellRect(r, c);
                const bool stamped = isStamped(r, c);
                const bool kept = isKept(r, c);
                if (stamped && !kept) {
                    // Cropped: computed, then thrown away.
                    painter.setPen(QPen(croppedInk(look), std::max(1.5, cell.width() * 0.08), Qt::SolidLine, Qt::RoundCap));
                    painter.drawLine(cell.topLeft(), cell.bottomRight());
                    painter.drawLine(cell.topRight(), cell.bottomLeft());
                } else if (kept && (!stamped || r >= ar.before + ar.output - ar.outputPadding
                                    || c >= ac.before + ac.output - ac.outputPadding)) {
                    // Added by output_padding (stamped where the crop after had taken it), or past
                    // the stamps (Keras' valid with e < s): dashed.
                    const double w = std::max(1.5, look.px(2));
                    painter.setPen(QPen(addedInk(look), w, Qt::DashLine));
                    painter.setBrush(Qt::NoBrush);
                    painter.drawRect(cell.adjusted(w, w, -w, -w));
                }
            }
    }
    painter.setRenderHint(QPainter::Antialiasing, false);
    // The output's rectangle in the full grid.
    frame(painter, l.full.box(ar.before, ac.before, ar.output, ac.output), std::max(1.0, look.px(2)), look.text());

    // The shown cell: its window in the direct picture, the input cells that stamp onto it.
    const int er = ar.extent;
    const int ec = ac.extent;
    frame(painter, l.padded.box(shown.y(), shown.x(), er, ec), std::max(2.0, look.px(3)), look.windowColor());
    const core::ConvTWindow w = set->windowAt(shown);
    for (const core::ConvTStamp &s : w.stamps) {
        const int r = s.input[0] * ar.stride + ir.before;
        const int c = s.input[1] * ac.stride + ic.before;
        if (l.padded.contains(r, c))
            frame(painter, l.padded.cellRect(r, c).adjusted(2, 2, -2, -2), std::max(1.5, look.px(2)),
                  look.currentCellColor());
    }
    frame(painter, l.full.cellRect(current.y() + ar.before, current.x() + ac.before), std::max(2.0, look.px(3)),
          look.currentCellColor());
    if (options.hoveredOutput)
        frame(painter, l.full.cellRect(shown.y() + ar.before, shown.x() + ac.before), std::max(2.0, look.px(3)),
              look.windowColor());

    // What the marks mean.
    struct Key {
        QColor fill;
        QColor outline;
        QString label;
    };
    std::vector<Key> keys = {
        {stuffedColor(look), look.grid(), QObject::tr("stuffed zero")},
        {QColor(blend(grayColor(positionIn(set->inputRange, 0)), padTint, look.paddingAlpha())), look.grid(),
         QObject::tr("implicit padding")},
        {overlapColor(look, 1, set->maxOverlap), look.grid(), QObject::tr("1 stamp")},
        {overlapColor(look, set->maxOverlap, set->maxOverlap), look.grid(),
         QObject::tr("%1 stamps").arg(set->maxOverlap)},
        {look.background(), croppedInk(look), QObject::tr("cropped (padding)")},
        {look.background(), addedInk(look), QObject::tr("added (output_padding)")},
    };
    if (set->maxOverlap <= 1)
        keys.erase(keys.begin() + 3);
    double x = l.legend.left();
    const double box = std::round(l.legend.height() * 0.7);
    painter.setFont(pixelFont(px));
    const QFontMetricsF metrics(painter.font());
    for (const Key &key : keys) {
        const QRectF swatch(x, l.legend.center().y() - box / 2, box, box);
        painter.fillRect(swatch, key.fill);
        frame(painter, swatch, 2, key.outline);
        x += box + 4;
        painter.setPen(look.text());
        const double wText = metrics.horizontalAdvance(key.label);
        painter.drawText(QRectF(x, l.legend.top(), wText + 2, l.legend.height()), Qt::AlignLeft | Qt::AlignVCenter,
                         key.label);
        x += wText + look.px(16);
    }
    if (options.computing) {
        painter.setPen(look.mutedText());
        painter.drawText(l.legend, Qt::AlignRight | Qt::AlignVCenter, QObject::tr("computing…"));
    }
    painter.restore();
}

} // namespace padlab::ui

#include "stagespainter.h"
#include "sizetext.h"

#include "colormap.h"
#include "look.h"

#include "padlab/core/error.h"
#include "padlab/core/window.h"

#include <QCoreApplication>
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

QString tr(const char *text)
{
    return QCoreApplication::translate("padlab::ui::StagesPainter", text);
}

double titleFontPx(const StagesOptions &o) { return 15.0 * o.look.fontScale; }
double labelFontPx(const StagesOptions &o) { return 13.5 * o.look.fontScale; }
double gap(const StagesOptions &o) { return std::round(14.0 * o.look.fontScale); }

/// Height of the two label lines above a thumbnail (title, border figure).
double labelHeight(const StagesOptions &o)
{
    return std::ceil(1.3 * (titleFontPx(o) + labelFontPx(o)) + 6 * o.look.fontScale);
}

double captionHeight(const QRect &target, const core::StageChain &chain, const StagesOptions &o)
{
    if (!o.showCaption)
        return 0;
    QString text = StagesPainter::caption(chain);
    if (o.computing)
        text += QLatin1Char(' ') + tr("Computing…");
    const QRectF box(0, 0, std::max(target.width() - 2 * gap(o), 10.0), 1e6);
    const double h = QFontMetricsF(pixelFont(labelFontPx(o))).boundingRect(box, Qt::TextWordWrap, text).height();
    return std::ceil(h + gap(o));
}

/// Where every thumbnail goes: one cell size for all, slots in a grid of columns x rows.
struct Layout {
    QRectF area;      // thumbnails (target minus caption)
    QRectF caption;
    double cell = 1;
    int columns = 1;
    int rows = 1;
    QSizeF slot;      // one thumbnail with its labels
    int maxRows = 1;  // largest stage, in cells
    int maxCols = 1;

    QRectF slotRect(int i, double g) const
    {
        const int r = i / columns;
        const int c = i % columns;
        return QRectF(area.left() + g + c * (slot.width() + g), area.top() + g + r * (slot.height() + g),
                      slot.width(), slot.height());
    }
};

Layout layoutOf(const QRect &target, const core::StageChain &chain, const StagesOptions &o)
{
    Layout l;
    const double g = gap(o);
    const double captionH = captionHeight(target, chain, o);
    l.area = QRectF(target).adjusted(0, 0, 0, -captionH);
    l.caption = QRectF(target.left() + g, l.area.bottom(), target.width() - 2 * g, captionH);
    for (const core::Stage &s : chain.stages) {
        l.maxRows = std::max(l.maxRows, s.output.rows);
        l.maxCols = std::max(l.maxCols, s.output.cols);
    }
    const int n = std::max(StagesPainter::slotCount(chain), 1);
    const double labels = labelHeight(o);
    // A slot needs room for its title even when the stage is a few cells wide: the largest
    // thumbnails whose titles are not cut short, or the largest thumbnails when no layout fits.
    const QFontMetricsF titleMetrics(pixelFont(titleFontPx(o), true));
    double titleWidth = 0;
    for (const core::Stage &s : chain.stages)
        titleWidth = std::max(titleWidth, titleMetrics.horizontalAdvance(StagesPainter::stageTitle(s)));
    double best = -1;
    bool bestFits = false;
    for (int columns = 1; columns <= n; ++columns) {
        const int rows = (n + columns - 1) / columns;
        const double w = (l.area.width() - (columns + 1) * g) / columns;
        const double h = (l.area.height() - (rows + 1) * g) / rows - labels;
        if (w <= 0 || h <= 0)
            continue;
        const double cell = std::min(w / l.maxCols, h / l.maxRows);
        const bool fits = w >= titleWidth + 8;
        if ((fits && !bestFits) || (fits == bestFits && cell > best)) {
            best = cell;
            bestFits = fits;
            l.columns = columns;
            l.rows = rows;
        }
    }
    const double w = std::max((l.area.width() - (l.columns + 1) * g) / l.columns, 1.0);
    const double h = std::max((l.area.height() - (l.rows + 1) * g) / l.rows, labels + 1);
    l.cell = std::max(std::min(w / l.maxCols, (h - labels) / l.maxRows), 0.01);
    // Whole pixels keep the grid lines crisp and every thumbnail's cells the same.
    if (l.cell >= 2)
        l.cell = std::floor(l.cell);
    // Rows as high as their thumbnails (the reason for stopping needs a few lines), with the
    // caption right below them rather than at the far bottom.
    double content = labels + l.maxRows * l.cell;
    if (!chain.complete())
        content = std::max(content, labels + 110 * o.look.fontScale);
    l.slot = QSizeF(w, std::min(h, std::ceil(content)));
    const double below = l.area.top() + g + l.rows * (l.slot.height() + g);
    l.caption.moveTop(std::min(l.caption.top(), below));
    return l;
}

/// The cells of stage @p index, centred in the room the largest stage takes in its slot, so
/// that a stage that lost its border sits inside the input's footprint.
QRectF gridRectOf(const Layout &l, const core::StageChain &chain, const StagesOptions &o, int index)
{
    const QRectF slot = l.slotRect(index, gap(o));
    const double labels = labelHeight(o);
    const QRectF room(slot.left(), slot.top() + labels, slot.width(), slot.height() - labels);
    const cv::Mat &m = chain.stages[size_t(index)].output;
    const double w = m.cols * l.cell;
    const double h = m.rows * l.cell;
    const double boxH = l.maxRows * l.cell;
    const double top = room.top() + (boxH - h) / 2;
    return QRectF(std::round(room.left() + (room.width() - w) / 2), std::round(top), w, h);
}

QRectF cellOf(const QRectF &grid, double cell, int row, int col)
{
    auto x = [&](int c) { return grid.left() + std::round(c * cell); };
    auto y = [&](int r) { return grid.top() + std::round(r * cell); };
    return QRectF(QPointF(x(col), y(row)), QPointF(x(col + 1), y(row + 1)));
}

/// A rectangle's frame of @p width pixels drawn outside it.
void frameOutside(QPainter &p, const QRectF &r, double width, const QColor &color)
{
    p.fillRect(QRectF(r.left() - width, r.top() - width, r.width() + 2 * width, width), color);
    p.fillRect(QRectF(r.left() - width, r.bottom(), r.width() + 2 * width, width), color);
    p.fillRect(QRectF(r.left() - width, r.top(), width, r.height()), color);
    p.fillRect(QRectF(r.right(), r.top(), width, r.height()), color);
}

/// Fills a stage's cells: one rectangle per cell with grid lines and values when cells are large
/// enough, else one image at device resolution sampled nearest-neighbour, so that a photo costs
/// no more than the pixels it covers.
void paintCells(QPainter &p, const QRectF &grid, double cell, const cv::Mat &m, const ColorTable &gray,
                const StagesOptions &o)
{
    if (m.empty())
        return;
    auto colorOf = [&](int r, int c) { return gray(cellValue(m, r, c)); };
    if (cell >= kMinGridCell) {
        for (int r = 0; r < m.rows; ++r)
            for (int c = 0; c < m.cols; ++c)
                p.fillRect(cellOf(grid, cell, r, c), QColor(colorOf(r, c)));
        p.setPen(QPen(o.look.grid(), 1));
        for (int c = 0; c <= m.cols; ++c) {
            const double x = cellOf(grid, cell, 0, c).left();
            p.drawLine(QLineF(x, grid.top(), x, cellOf(grid, cell, m.rows, 0).top()));
        }
        for (int r = 0; r <= m.rows; ++r) {
            const double y = cellOf(grid, cell, r, 0).top();
            p.drawLine(QLineF(grid.left(), y, cellOf(grid, cell, 0, m.cols).left(), y));
        }
        if (cell < kMinValueCell)
            return;
        // One font size for every number of the thumbnail: the largest at which all fit.
        std::vector<QString> texts;
        texts.reserve(size_t(m.rows) * size_t(m.cols));
        const double largest = cell * std::min(0.36 * o.look.fontScale, 0.6);
        double px = largest;
        const QFontMetricsF metrics(pixelFont(largest));
        for (int r = 0; r < m.rows; ++r)
            for (int c = 0; c < m.cols; ++c) {
                texts.push_back(cellNumber(cellValue(m, r, c)));
                const double width = metrics.horizontalAdvance(texts.back());
                if (width > 0)
                    px = std::min(px, largest * cell * 0.88 / width);
            }
        if (px < kMinTextPx)
            return;
        p.setFont(pixelFont(px));
        for (int r = 0; r < m.rows; ++r)
            for (int c = 0; c < m.cols; ++c) {
                p.setPen(textColorOn(colorOf(r, c)));
                p.drawText(cellOf(grid, cell, r, c), Qt::AlignCenter, texts[size_t(r) * size_t(m.cols) + size_t(c)]);
            }
        return;
    }
    const double dpr = p.device() ? p.device()->devicePixelRatioF() : 1.0;
    const int w = std::max(1, int(std::ceil(grid.width() * dpr)));
    const int h = std::max(1, int(std::ceil(grid.height() * dpr)));
    std::vector<int> cols(static_cast<size_t>(w));
    std::vector<int> rows(static_cast<size_t>(h));
    for (int i = 0; i < w; ++i)
        cols[size_t(i)] = std::clamp(int(std::floor((i + 0.5) / dpr / cell)), 0, m.cols - 1);
    for (int j = 0; j < h; ++j)
        rows[size_t(j)] = std::clamp(int(std::floor((j + 0.5) / dpr / cell)), 0, m.rows - 1);
    QImage image(w, h, QImage::Format_RGB32);
    for (int j = 0; j < h; ++j) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(j));
        for (int i = 0; i < w; ++i)
            line[i] = colorOf(rows[size_t(j)], cols[size_t(i)]);
    }
    p.drawImage(QRectF(grid.topLeft(), QSizeF(w / dpr, h / dpr)), image);
}

void drawLabels(QPainter &p, const QRectF &slot, const QString &title, const QString &figure,
                const StagesOptions &o)
{
    const double titleH = std::ceil(1.3 * titleFontPx(o));
    const QRectF titleBand(slot.left(), slot.top(), slot.width(), titleH);
    const QRectF figureBand(slot.left(), titleBand.bottom(), slot.width(), std::ceil(1.3 * labelFontPx(o)));
    p.setFont(pixelFont(titleFontPx(o), true));
    p.setPen(o.look.text());
    p.drawText(titleBand, Qt::AlignHCenter | Qt::AlignVCenter,
               QFontMetricsF(p.font()).elidedText(title, Qt::ElideRight, titleBand.width()));
    p.setFont(pixelFont(labelFontPx(o)));
    p.setPen(o.look.mutedText());
    p.drawText(figureBand, Qt::AlignHCenter | Qt::AlignVCenter,
               QFontMetricsF(p.font()).elidedText(figure, Qt::ElideRight, figureBand.width()));
}

QString percentText(double ratio)
{
    return QString::number(ratio * 100, 'f', 1) + QStringLiteral(" %");
}

} // namespace

void StagesPainter::paint(QPainter &painter, const QRect &target, const Snapshot &snapshot,
                          const StagesOptions &options)
{
    if (snapshot.stages) {
        paint(painter, target, snapshot.stages->chain, options);
        return;
    }
    painter.save();
    painter.setClipRect(target);
    painter.fillRect(target, options.look.background());
    painter.setFont(pixelFont(labelFontPx(options)));
    painter.setPen(options.look.mutedText());
    painter.drawText(QRectF(target).adjusted(20, 20, -20, -20), Qt::AlignCenter | Qt::TextWordWrap, tr("Computing…"));
    painter.restore();
}

void StagesPainter::paint(QPainter &painter, const QRect &target, const core::StageChain &chain,
                          const StagesOptions &options)
{
    const Look &look = options.look;
    painter.save();
    painter.setClipRect(target);
    painter.fillRect(target, look.background());
    const Layout l = layoutOf(target, chain, options);
    const double g = gap(options);

    const ValueRange range = valueRange(chain);
    const ColorTable gray(range.low, range.high, [range](double v) { return grayColor(range.position(v)); });
    const int n = int(chain.stages.size());
    const QSize inputSize = n > 0 ? QSize(chain.stages.front().output.cols, chain.stages.front().output.rows)
                                  : QSize();
    for (int i = 0; i < n; ++i) {
        const core::Stage &stage = chain.stages[size_t(i)];
        drawLabels(painter, l.slotRect(i, g), stageTitle(stage), borderText(stage), options);
        const QRectF grid = gridRectOf(l, chain, options, i);
        paintCells(painter, grid, l.cell, stage.output, gray, options);
        // The input's footprint, dashed: around a stage that lost its border, or inside one that
        // grew, in the padding colour, since padding added what lies outside it.
        if (i > 0 && QSize(stage.output.cols, stage.output.rows) != inputSize) {
            const bool grew = stage.output.cols > inputSize.width() || stage.output.rows > inputSize.height();
            const QRectF ghost(grid.center().x() - inputSize.width() * l.cell / 2,
                               grid.center().y() - inputSize.height() * l.cell / 2,
                               inputSize.width() * l.cell, inputSize.height() * l.cell);
            QPen pen(grew ? look.paddingTint() : look.ghost(), grew ? 2 : 1, Qt::DashLine);
            painter.setPen(pen);
            painter.setBrush(Qt::NoBrush);
            painter.drawRect(grew ? ghost : ghost.adjusted(-2, -2, 2, 2));
        }
        frameOutside(painter, grid, 1, look.thumbnailFrame());
    }
    if (!chain.complete()) {
        const QRectF slot = l.slotRect(n, g);
        drawLabels(painter, slot, n > 0 ? tr("stage %1").arg(n) : tr("no stages"), tr("not computed"), options);
        const QRectF box = stopRect(target, chain, options);
        QPen pen(look.mutedText(), 1.5, Qt::DashLine);
        painter.setPen(pen);
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(box);
        // As large as fits, up to the caption's size.
        double px = labelFontPx(options);
        const QRectF inner = box.adjusted(8, 8, -8, -8);
        const QString reason = QString::fromStdString(chain.stopReason);
        while (px > 8 && QFontMetricsF(pixelFont(px)).boundingRect(inner, Qt::TextWordWrap, reason).height()
                             > inner.height())
            px *= 0.9;
        painter.setFont(pixelFont(px));
        painter.setPen(look.text());
        painter.drawText(inner, Qt::AlignCenter | Qt::TextWordWrap, reason);
    }
    if (options.showCaption) {
        QString text = caption(chain);
        if (options.computing)
            text += QLatin1Char(' ') + tr("Computing…");
        painter.setFont(pixelFont(labelFontPx(options)));
        painter.setPen(look.text());
        painter.drawText(l.caption, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, text);
    }
    painter.restore();
}

int StagesPainter::slotCount(const core::StageChain &chain)
{
    return int(chain.stages.size()) + (chain.complete() ? 0 : 1);
}

QRectF StagesPainter::stageRect(const QRect &target, const core::StageChain &chain, const StagesOptions &options,
                                int index)
{
    if (index < 0 || index >= int(chain.stages.size()))
        return {};
    return gridRectOf(layoutOf(target, chain, options), chain, options, index);
}

QRectF StagesPainter::cellRect(const QRect &target, const core::StageChain &chain, const StagesOptions &options,
                               int index, QPoint cell)
{
    if (index < 0 || index >= int(chain.stages.size()))
        return {};
    const Layout l = layoutOf(target, chain, options);
    return cellOf(gridRectOf(l, chain, options, index), l.cell, cell.y(), cell.x());
}

QRectF StagesPainter::stopRect(const QRect &target, const core::StageChain &chain, const StagesOptions &options)
{
    if (chain.complete())
        return {};
    const Layout l = layoutOf(target, chain, options);
    const QRectF slot = l.slotRect(int(chain.stages.size()), gap(options));
    const double labels = labelHeight(options);
    return QRectF(slot.left(), slot.top() + labels, slot.width(), slot.height() - labels).adjusted(2, 2, -2, -2);
}

double StagesPainter::cellSize(const QRect &target, const core::StageChain &chain, const StagesOptions &options)
{
    return layoutOf(target, chain, options).cell;
}

ValueRange StagesPainter::valueRange(const core::StageChain &chain)
{
    if (chain.stages.empty())
        return {0, 255};
    const core::Stage &input = chain.stages.front();
    if (!stretchesInput(input.output))
        return {0, 255};
    ValueRange range{input.minimum, input.maximum};
    if (!(range.high > range.low)) {
        // A constant input: its value at one end of the scale, 0 at the other.
        range.low = std::min(range.low, 0.0);
        range.high = std::max(range.high, 0.0);
        if (!(range.high > range.low))
            range.high = range.low + 1;
    }
    return range;
}

bool StagesPainter::isClipped(const core::StageChain &chain)
{
    const ValueRange range = valueRange(chain);
    // Sums of fractions such as 1/9 land a rounding error beyond the range: not a clip.
    const double slack = 1e-9 * (range.high - range.low);
    return std::any_of(chain.stages.begin(), chain.stages.end(), [&](const core::Stage &s) {
        return s.minimum < range.low - slack || s.maximum > range.high + slack;
    });
}

QString StagesPainter::stageTitle(const core::Stage &stage)
{
    const QString size = sizeText(stage.output.rows, stage.output.cols);
    if (stage.index == 0)
        return tr("input · %1").arg(size);
    return tr("stage %1 · %2").arg(stage.index).arg(size);
}

QString StagesPainter::borderText(const core::Stage &stage)
{
    const core::BorderDarkening &b = stage.border;
    if (!b.defined)
        return tr("border: no interior");
    const std::optional<double> ratio = b.ratio();
    // A percentage reads well only for non-negative values with a bright inside.
    if (ratio && b.interiorMean > 0 && b.edgeMean >= 0) {
        if (*ratio == 1.0)
            return tr("border = interior (100 %)");
        return tr("border %1 of interior").arg(percentText(*ratio));
    }
    return tr("border − interior = %1").arg(cellNumber(b.difference()));
}

QString StagesPainter::caption(const core::StageChain &chain)
{
    if (chain.stages.empty())
        return QString::fromStdString(chain.stopReason);
    const ValueRange range = valueRange(chain);
    const bool image = !stretchesInput(chain.stages.front().output);
    QString text = tr("One grey scale for every stage: %1 black to %2 white (%3).")
                       .arg(cellNumber(range.low), cellNumber(range.high),
                            image ? tr("the image's range") : tr("the input's range"));
    if (isClipped(chain)) {
        double low = range.low;
        double high = range.high;
        for (const core::Stage &s : chain.stages) {
            low = std::min(low, s.minimum);
            high = std::max(high, s.maximum);
        }
        text += QLatin1Char(' ')
                + tr("Values outside it are clipped: the stages reach %1 to %2.")
                      .arg(cellNumber(low), cellNumber(high));
    }
    text += QLatin1Char(' ') + tr("Border figure: mean of the outermost ring of cells / mean of the rest.");
    return text;
}

QString StagesPainter::effectText(const core::ConvSpec &spec, core::PerAxis kernelSize)
{
    using core::Amount;
    using core::Fill;
    // The engine's geometry of one stage on an input far larger than the window: at stride 1
    // every stage changes each axis by the same number of cells, whatever the input's size.
    const core::PerAxis probe{1000 + 4 * spec.dilation.rows * kernelSize.rows,
                              1000 + 4 * spec.dilation.cols * kernelSize.cols};
    const core::Geometry stage = core::geometry(probe, kernelSize, spec);
    const int padRows = stage.rows.before + stage.rows.after;
    const int padCols = stage.cols.before + stage.cols.after;

    QStringList settings;
    settings << (spec.amount.kind == Amount::Explicit
                     ? tr("explicit %1").arg(QString::fromStdString(core::padAmountText(spec.amount)))
                     : QString::fromLatin1(core::amountName(spec.amount.kind).data()));
    const bool padded = spec.amount.kind == Amount::Same || padRows > 0 || padCols > 0;
    if (padded)
        settings << (spec.fill == Fill::Constant ? tr("constant %1").arg(cellNumber(spec.value))
                                                 : QString::fromLatin1(core::fillName(spec.fill).data()));
    if (spec.stride.rows > 1 || spec.stride.cols > 1)
        settings << (spec.stride.rows == spec.stride.cols
                         ? tr("stride %1").arg(spec.stride.rows)
                         : tr("stride %1×%2").arg(spec.stride.rows).arg(spec.stride.cols));

    QString size;
    if (spec.stride.rows > 1 || spec.stride.cols > 1) {
        // Same divides exactly (rounded up); the other amounts add or cut a few cells first.
        const bool exact = spec.amount.kind == Amount::Same;
        const QString rounding = exact ? tr(" (rounded up)") : QString();
        const QString about = exact ? QString() : tr("about ");
        size = spec.stride.rows == spec.stride.cols
                   ? tr("size %1÷ %2 per stage%3").arg(about).arg(spec.stride.rows).arg(rounding)
                   : tr("rows %1÷ %2, columns ÷ %3 per stage%4")
                         .arg(about)
                         .arg(spec.stride.rows)
                         .arg(spec.stride.cols)
                         .arg(rounding);
    } else {
        // Stride 1: every stage changes each axis by the padding minus the window's reach.
        const int dRows = stage.rows.output - probe.rows;
        const int dCols = stage.cols.output - probe.cols;
        auto change = [](int d) {
            return d == 0 ? tr("kept") : d < 0 ? tr("−%1").arg(-d) : tr("+%1").arg(d);
        };
        if (dRows == dCols)
            size = dRows == 0 ? tr("size kept")
                   : dRows < 0 ? tr("shrinks by %1 per stage").arg(-dRows)
                               : tr("grows by %1 per stage").arg(dRows);
        else
            size = tr("rows %1, columns %2 per stage").arg(change(dRows), change(dCols));
    }

    QString border;
    if (!padded) {
        border = tr("no padding, the border is cut off");
    } else {
        switch (spec.fill) {
        case Fill::Zeros: border = tr("border pulled toward 0"); break;
        case Fill::Constant: border = tr("border pulled toward %1").arg(cellNumber(spec.value)); break;
        case Fill::Reflect:
        case Fill::Symmetric:
        case Fill::Replicate: border = tr("border keeps the image's own values"); break;
        case Fill::Circular: border = tr("opposite edges mix"); break;
        }
        if (spec.amount.kind == Amount::Causal)
            border = tr("top and left only: %1").arg(border);
    }
    return settings.join(QStringLiteral(" · ")) + QStringLiteral(": ") + size + QStringLiteral(", ") + border;
}

} // namespace padlab::ui

#pragma once

#include "look.h"
#include "snapshot.h"

#include "padlab/core/compare.h"

#include <QColor>
#include <QPoint>
#include <QPointF>
#include <QRect>
#include <QRectF>
#include <QString>
#include <optional>

class QPainter;

namespace padlab::ui {

/// The three images of a compared column, top to bottom.
enum class CompareRow { Padded, Output, Difference };

/// Everything about how the comparison grid is drawn that is not in the comparison: the look,
/// whose output scale colours every column on one range so that they compare.
struct CompareOptions {
    Look look;
};

/**
 * Draws a core::Comparison as one grid onto any QPainter: a column per compared fill or amount
 * with its title, its padded input (padding tinted), its output and its difference map against
 * the reference column, with the difference's figures written below it.
 *
 * One cell size serves every image of the grid, so sizes compare across columns (valid is
 * smaller than same). Cells get their values written when large enough to read and are drawn
 * as an image when not; in the difference map a smaller-than-a-pixel image keeps the largest
 * |Δ| of the cells under each pixel, and a differing cell is never lighter than a clearly
 * visible tint, so a one-cell ring of change stays visible on a large photo.
 */
class ComparePainter {
public:
    /// The column's name: the fill ("reflect", "constant 5") or the amount with its sides
    /// top,bottom,left,right ("same 1,1,1,1").
    static QString title(const core::Comparison &comparison, int column);
    /// A shorter line under the title: frameworks' names of a fill; the output size of an amount.
    static QString subtitle(const core::Comparison &comparison, int column);
    /// Everything about the column, for a tooltip: all five frameworks' names of a fill, or
    /// the per-side padding and sizes of an amount.
    static QString toolTip(const core::Comparison &comparison, int column);
    /// The difference's figures as written under its map, e.g.
    /// "differs in 36 cells\nup to 1 cell from the edge · max |Δ| 85".
    static QString summaryText(const core::Comparison &comparison, int column);

    /// Paints the snapshot's comparison into @p target, or why there is none (the engine
    /// refused it, or it is being computed).
    static void paint(QPainter &painter, const QRect &target, const Snapshot &snapshot,
                      const CompareOptions &options);
    /// Paints the grid of @p set's comparison into @p target.
    static void paint(QPainter &painter, const QRect &target, const CompareSet &set,
                      const CompareOptions &options);

    /// The column at @p position, or nullopt between and outside the columns.
    static std::optional<int> columnAt(const QRect &target, const core::Comparison &comparison,
                                       const CompareOptions &options, QPointF position);
    /// The whole column @p column (title to summary).
    static QRectF columnRect(const QRect &target, const core::Comparison &comparison,
                             const CompareOptions &options, int column);
    /// Where an image of a column is drawn (empty for an empty output).
    static QRectF imageRect(const QRect &target, const core::Comparison &comparison,
                            const CompareOptions &options, int column, CompareRow row);
    /// The rectangle of cell @p cell (x = col, y = row) of an image of a column.
    static QRectF cellRect(const QRect &target, const core::Comparison &comparison,
                           const CompareOptions &options, int column, CompareRow row, QPoint cell);
    /// Pixels per cell, the same for every image of the grid.
    static double cellSize(const QRect &target, const core::Comparison &comparison,
                           const CompareOptions &options);
    /// The height a grid @p width pixels wide needs to draw its thumbnails at a readable size
    /// (about 100 pixels wide, growing with the text); a shorter view scrolls.
    static int minimumHeight(int width, const core::Comparison &comparison, const CompareOptions &options);
};

} // namespace padlab::ui

#pragma once

#include "look.h"
#include "snapshot.h"

#include "padlab/core/stages.h"

#include <QColor>
#include <QPoint>
#include <QRect>
#include <QRectF>
#include <QString>

class QPainter;

namespace padlab::ui {

struct ValueRange;

/// Everything about how the stages are drawn that is not in the chain.
struct StagesOptions {
    Look look;
    bool showCaption = true; ///< the colour-scale sentence below the thumbnails
    bool computing = false;  ///< a newer chain is being computed: the caption says so
};

/**
 * Draws a chain of stages (the kernel applied again and again) onto any QPainter: the input
 * (stage 0) and every stage after it as thumbnails in a grid that fits the target, each titled
 * with its size and border figure. All thumbnails share one cell size, so sizes are drawn to
 * scale, and one grey scale (the input's range, values outside clipped), so a border that
 * darkens from stage to stage looks darker. When the chain stopped early, its reason is
 * written where the next stage would be.
 */
class StagesPainter {
public:
    /// Paints the snapshot's chain into @p target, or a line saying it is being computed.
    static void paint(QPainter &painter, const QRect &target, const Snapshot &snapshot,
                      const StagesOptions &options);

    /// Paints @p chain into @p target.
    static void paint(QPainter &painter, const QRect &target, const core::StageChain &chain,
                      const StagesOptions &options);

    /// How many thumbnails the chain gets: its stages, plus one for the reason it stopped.
    static int slotCount(const core::StageChain &chain);

    /// Where stage @p index's cells are drawn (an empty rectangle when there is no such stage).
    static QRectF stageRect(const QRect &target, const core::StageChain &chain,
                            const StagesOptions &options, int index);

    /// The rectangle of cell @p cell (x = col, y = row) of stage @p index.
    static QRectF cellRect(const QRect &target, const core::StageChain &chain,
                           const StagesOptions &options, int index, QPoint cell);

    /// Where the reason the chain stopped is written (empty when the chain is complete).
    static QRectF stopRect(const QRect &target, const core::StageChain &chain,
                           const StagesOptions &options);

    /// Pixels per cell, the same for every thumbnail.
    static double cellSize(const QRect &target, const core::StageChain &chain,
                           const StagesOptions &options);

    /// The one grey scale of every stage: 0..255 for images, the input's own min..max for
    /// numeric data (as the main window's input panel), widened to include 0 when the input is
    /// constant.
    static ValueRange valueRange(const core::StageChain &chain);

    /// Whether some stage has values outside valueRange() (drawn clipped).
    static bool isClipped(const core::StageChain &chain);

    /// A thumbnail's title, e.g. "stage 3 · 22 × 22" ("input · 28 × 28" for stage 0).
    static QString stageTitle(const core::Stage &stage);

    /// A stage's border figure in words, e.g. "border 66.1 % of interior".
    static QString borderText(const core::Stage &stage);

    /// The sentence below the thumbnails: the grey scale, and whether values were clipped.
    static QString caption(const core::StageChain &chain);

    /// What @p spec does to a stage, in one short line, e.g. "same · zeros: size kept, border
    /// darkens" or "valid: shrinks by 2 per stage". @p kernelSize is rows x cols.
    static QString effectText(const core::ConvSpec &spec, core::PerAxis kernelSize);
};

} // namespace padlab::ui

#pragma once

#include <QColor>
#include <QFont>
#include <QString>

class QPainter;
class QRectF;

namespace padlab::ui {

/// How signed output values map to colours.
enum class OutputScale {
    Diverging, ///< blue below 0, white at 0, red above, symmetric range; with a colour bar
    Absolute,  ///< |v| in gray, 0..max
    Clip,      ///< v clipped to 0..255 in gray (what an 8-bit image would keep)
    Stretch,   ///< min..max stretched to black..white
};

/**
 * How everything is drawn, on screen and in every export: the text size, the theme and the
 * output colours. Every painter's options embed one Look, and its colours, sizes and helpers
 * live here and nowhere else, so that all views and exports match.
 */
struct Look {
    /// The text sizes the window offers, and a lesson may ask for.
    static constexpr double kMinFontScale = 0.75;
    static constexpr double kMaxFontScale = 3.0;

    double fontScale = 1.0; ///< classroom: larger text (and the lines and margins with it)
    bool dark = false;      ///< dark theme colours
    OutputScale outputScale = OutputScale::Diverging;
    /// How strongly padding cells are tinted: 1 the full tint, 0 an outline only, so that what
    /// the fill put there shows in its own grey.
    double paddingStrength = 1.0;
    /// Output colours span the 1st to 99th percentile, so a few extreme values (a Sobel on a
    /// photo) do not leave every other cell at the middle of the scale.
    bool clipOutliers = true;

    /// @p base pixels at this look's text size.
    double px(double base) const { return base * fontScale; }
    /// The opacity of the padding tint over a padding cell's grey.
    double paddingAlpha() const;

    // The page every panel and view is drawn on.
    QColor background() const;
    QColor text() const;
    QColor mutedText() const;
    QColor grid() const; ///< cell grid lines
    QColor edge() const; ///< the input's rectangle inside the padding
    QColor edgeHalo() const; ///< keeps that rectangle visible on cells of its own colour
    QColor tapBackground() const; ///< the window panel's taps
    QColor unread() const;        ///< laid over padded cells no window reads
    QColor plotGrid() const;      ///< the signal plots' time lines, fainter than cell grids
    QColor axis() const;          ///< the signal plots' zero lines
    QColor future() const;        ///< laid over the samples after t
    QColor thumbnailFrame() const; ///< around each stage
    QColor ghost() const;          ///< the input's footprint around a stage that shrank

    // Colours that mean the same in every view.
    QColor paddingTint() const;      ///< padding cells and samples
    QColor paddingInk() const;       ///< text about padding: the tint, darker on a light page
    QColor windowColor() const;      ///< the window's taps and outline
    QColor currentCellColor() const; ///< the current output cell and the t marker
    QColor penColor() const;         ///< the rings a presenter draws around cells
    QColor sampleColor() const;      ///< the samples of the signal view
    QColor referenceColor() const;   ///< the reference column of the compare view
    QColor noCounterpartColor() const; ///< difference cells without a counterpart
    static QColor neutralColor();      ///< a zero difference

    friend bool operator==(const Look &, const Look &) = default;
};

// Sizes every grid shares. Whether a cell holds a number depends on its pixels, not on the text
// size: larger text makes the numbers bigger where they fit, it never hides them.
inline constexpr double kMinGridCell = 6.0;   ///< below: no grid lines, cells drawn as an image
inline constexpr double kMinValueCell = 28.0; ///< from: a cell's number written in it
inline constexpr double kMinTextPx = 7.0;     ///< below: a number cannot be read, none is written
inline constexpr double kPaddingAlpha = 0.65; ///< how strongly padding cells are tinted
inline constexpr double kFutureAlpha = 0.78;  ///< how far output not yet reached fades

/// The application's font at @p px pixels (at least 1): painters size text in pixels so that
/// it scales with the panel, not with the screen's dots per inch.
QFont pixelFont(double px, bool bold = false);

/// A number short enough for a cell: exact when it is short, else 4 significant digits, with
/// a true minus sign.
QString cellNumber(double value);

/// A rectangle's frame of @p width pixels drawn inside it, crisp at any scale.
void frame(QPainter &painter, const QRectF &rect, double width, const QColor &color);

} // namespace padlab::ui

#pragma once

#include "padlab/core/budget.h"
#include "padlab/core/convolve.h"
#include "padlab/core/geometry.h"

#include <opencv2/core/mat.hpp>
#include <vector>

namespace padlab::core {

/// @brief What a comparison lays side by side: the same input and kernel under every fill, or
/// under every amount.
enum class CompareBy { Fill, Amount };

/// @brief One compared convolution: its spec (the common spec with this item's fill or amount),
/// its per-side padding and its result.
struct CompareItem {
    ConvSpec spec;
    Sides sides;
    ConvResult result;
};

/// @brief How one item's difference map reads against the reference.
struct DifferenceSummary {
    long long compared = 0;  ///< cells that have a counterpart in the reference
    long long differing = 0; ///< of those, cells with |Δ| above the tolerance
    long long unmatched = 0; ///< cells without a counterpart (NaN in the map)
    double maxAbs = 0;       ///< largest |Δ| (0 when nothing is compared)
    /// Edge reach: how far into the image the change goes, in input cells. Each output cell is
    /// placed at the input cell under its window's centre (floor((e-1)/2) cells into its extent e) and
    /// numbered by its ring: 1 on the input's outermost row or column, 2 one cell further in,
    /// and so on; 0 when the centre lies in the padding. The reach is the largest ring of a
    /// differing cell, 0 when none differs. An axis the window does not slide across (extent 1
    /// and no padding, e.g. the rows of a one-row signal) has no edge and is not counted.
    /// So zeros against reflect with `same` gives 1 for a 3×3 kernel and 2 for a 5×5.
    int edgeReach = 0;
    double tolerance = 0; ///< |Δ| at or below this counts as equal
};

/// @brief A whole comparison: the items in order, the reference, and each item's difference
/// map against it.
struct Comparison {
    CompareBy by = CompareBy::Fill;
    std::vector<CompareItem> items;
    int reference = 0;
    std::vector<cv::Mat> differences;         ///< differenceMap(items[i], items[reference])
    std::vector<DifferenceSummary> summaries; ///< summarizeDifference of each map
};

/// @brief The amounts compared for @p spec: valid, same, full, causal, then the spec's own
/// amount when it is explicit.
std::vector<PadAmount> comparedAmounts(const ConvSpec &spec);

/// @brief The specs a comparison convolves: @p spec under every fill (allFills() order; constant
/// uses spec.value) or every amount (comparedAmounts() order), the rest of @p spec kept.
std::vector<ConvSpec> comparedSpecs(const ConvSpec &spec, CompareBy by);

/// @brief What a comparison costs: every item's padded input, output and difference map (CV_64F),
/// and their multiply-adds, for an input of one channel of @p elementBytes. Items whose spec
/// validate() refuses are left out (the comparison refuses them itself).
Estimate compareEstimate(PerAxis inputSize, int elementBytes, PerAxis kernelSize, const ConvSpec &spec,
                         CompareBy by);

/// @brief One compared convolution: @p input and @p kernel under @p spec, with its sides.
/// Throws Error for an invalid spec, an empty or multi-channel input or an empty kernel, and
/// OverBudget when the convolution alone does not fit @p budget (check the whole comparison
/// with compareEstimate() first). @p progress: as for convolve(); Cancelled when it answers false.
CompareItem compareItem(const cv::Mat &input, const cv::Mat &kernel, const ConvSpec &spec,
                        const Budget &budget = {}, const Progress &progress = {});

/// @brief @p input and @p kernel convolved under every fill (allFills() order; constant uses
/// spec.value) or every amount (comparedAmounts() order), the rest of @p spec kept.
/// @p input must be a single channel. Throws Error for an invalid spec, an empty or
/// multi-channel input or an empty kernel, and OverBudget, before any work, when
/// compareEstimate() does not fit @p budget. @p progress hears of the whole; Cancelled when it
/// answers false.
std::vector<CompareItem> compareItems(const cv::Mat &input, const cv::Mat &kernel, const ConvSpec &spec,
                                      CompareBy by, const Budget &budget = {}, const Progress &progress = {});

/// @brief Δ = item − reference, CV_64F in the item's output size. Cells are paired when their
/// windows start on the same input cell (output cell i of an item with `before` padding and
/// stride s starts reading input row i*s − before, the same for columns); a cell whose window
/// the reference has no cell for is NaN. For fills all outputs pair cell by cell. Throws Error
/// when the two differ in stride, dilation or kernel size (their windows cannot be paired).
cv::Mat differenceMap(const CompareItem &item, const CompareItem &reference);

/// @brief The tolerance below which two outputs count as equal: relative to the largest
/// |value| of both (1e-9 for CV_64F outputs, 1e-5 for CV_32F), at least that much absolute.
double differenceTolerance(const CompareItem &item, const CompareItem &reference);

/// @brief differenceTolerance() from the largest |value| of each output, when they are known.
double differenceTolerance(const CompareItem &item, const CompareItem &reference, double itemMaxAbs,
                           double referenceMaxAbs);

/// @brief Counts, largest |Δ| and edge reach of @p difference, a map of @p item as
/// differenceMap() returns it, with @p tolerance.
DifferenceSummary summarizeDifference(const cv::Mat &difference, const CompareItem &item,
                                      double tolerance);

/// @brief The ring of output cell (@p row, @p col) as DifferenceSummary::edgeReach numbers it.
int edgeRing(const Geometry &geometry, int row, int col);

/// @brief compareItems() with every item's difference map and summary against @p reference
/// (clamped to the items).
Comparison compare(const cv::Mat &input, const cv::Mat &kernel, const ConvSpec &spec, CompareBy by,
                   int reference = 0, const Budget &budget = {}, const Progress &progress = {});

/// @brief Takes @p reference (clamped) as the new reference and recomputes the differences
/// without convolving again.
void setReference(Comparison &comparison, int reference);

} // namespace padlab::core

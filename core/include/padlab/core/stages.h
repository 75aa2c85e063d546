#pragma once

#include "padlab/core/budget.h"
#include "padlab/core/geometry.h"

#include <opencv2/core/mat.hpp>
#include <optional>
#include <string>
#include <vector>

namespace padlab::core {

/// @brief The most stages applyStages() computes in one chain.
inline constexpr int kMaxStages = 20;

/// @brief The most cells a whole chain may keep (every stage together, the input included);
/// a chain that would keep more stops with a reason. 100 million cells are 400 MB as CV_32F.
inline constexpr long long kMaxStageCells = 100'000'000;

/// @brief How much darker (or brighter) a stage's border is than its inside: a figure a
/// teacher can quote ("after 3 stages with zero fill the border is at 58 % of the interior").
///
/// The border (edge) cells are the outermost ring: row 0 and the last row when the stage has
/// at least 3 rows, column 0 and the last column when it has at least 3 columns. The interior
/// is every other cell. On a one-row signal the border is its first and last sample.
/// The figure is undefined when there is no border cell or no interior cell (fewer than 3 cells
/// on both axes, or fewer than 3 on one and 1 on the other).
struct BorderDarkening {
    bool defined = false;
    double edgeMean = 0;     ///< mean of the border cells
    double interiorMean = 0; ///< mean of the interior cells
    /// edgeMean - interiorMean; 0 when undefined.
    double difference() const { return defined ? edgeMean - interiorMean : 0.0; }
    /// edgeMean / interiorMean: 1 when the border is as bright as the inside, below 1 when it
    /// is darker. nullopt when undefined or interiorMean is 0.
    std::optional<double> ratio() const;
};

/// @brief The border figure of @p matrix (single channel, any depth). Means of equal values are
/// exactly that value, so a constant matrix has a ratio of exactly 1.
BorderDarkening borderDarkening(const cv::Mat &matrix);

/// @brief One stage of a chain: stage 0 is the input; stage n is the kernel applied to stage n-1.
struct Stage {
    int index = 0;
    cv::Mat output;          ///< this stage's matrix (stage 0: the input, CV_32F or CV_64F)
    Geometry geometry;       ///< how it came from stage n-1 (stage 0: no padding, output = input)
    BorderDarkening border;
    double minimum = 0;      ///< smallest value of output
    double maximum = 0;      ///< largest value of output
    PerAxis size() const { return {output.rows, output.cols}; }
};

/// @brief The kernel applied several times in a row (a stack of identical convolution layers
/// without activation).
struct StageChain {
    std::vector<Stage> stages; ///< stage 0 (the input), then 1 .. computed()
    int requested = 0;         ///< how many stages were asked for
    /// Why the chain stopped before @c requested stages, naming the stage that could not be
    /// computed; empty when every stage was computed.
    std::string stopReason;
    int computed() const { return static_cast<int>(stages.size()) - 1; }
    bool complete() const { return stopReason.empty(); }
};

/// @brief Applies @p kernel with @p spec @p count times, each stage reading the previous
/// stage's output (core::convolve with the same spec every time).
///
/// @p input: one channel, at least one cell; CV_32F and CV_64F are kept, other depths become
/// CV_64F. Throws Error when @p count is outside 1..kMaxStages, the input is not one channel or
/// the spec cannot be computed on the input itself (validate()). The chain stops early, with
/// stopReason set, when a later stage's output would be empty (valid 3×3 on 2×2), when the
/// padded size of a stage is beyond the engine's limits, or when the chain would keep more
/// than @p maxCells cells in all.
/// Before each stage, the chain so far with that stage (stagesEstimate()) is checked against
/// @p budget: a stage that does not fit stops the chain with the reason. @p progress hears of
/// the whole chain; Cancelled when it answers false.
StageChain applyStages(const cv::Mat &input, const cv::Mat &kernel, const ConvSpec &spec, int count,
                       long long maxCells = kMaxStageCells, const Budget &budget = {},
                       const Progress &progress = {});

/// @brief What applyStages() costs for @p count stages of an input of one channel of
/// @p elementBytes (4 for CV_32F, 8 otherwise): every stage kept, the largest padded input
/// and all multiply-adds; the stages that cannot be computed (empty or refused) are left out.
Estimate stagesEstimate(PerAxis inputSize, int elementBytes, PerAxis kernelSize, const ConvSpec &spec, int count);

} // namespace padlab::core

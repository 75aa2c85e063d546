#pragma once

#include "snapshot.h"

#include <QString>

namespace padlab::ui {

class JobControl;

/// The session's computations, one per part of a snapshot. Each reads only the snapshot it is
/// given (immutable, so a worker may read it) and says how large it is, for the job queue's rule.
namespace parts {

// Each computation hears whether it is still wanted and says how far it got through @p control,
// down to the engine's own Progress hook, so that a cancelled one stops within milliseconds; the
// engine checks @p budget before any work.

/// The feature map of @p input, @p kernel and @p spec, with the value ranges the painters need.
struct FeatureMap {
    core::ConvResult result;
    std::pair<double, double> inputRange{0, 0};
    std::pair<double, double> outputRange{0, 0};
    std::pair<double, double> outputClip{0, 0}; ///< the output's 1st and 99th percentile
    QString error; ///< the engine's message when it refused
};
/// The @p low and @p high quantiles (0..1) of @p values by nearest rank, so that matrices of
/// fewer than 100 cells keep their smallest and largest value at 1 % and 99 %. Large matrices
/// are sampled on a regular lattice of about a million cells. NaNs are skipped; {0, 0} when none
/// is left.
std::pair<double, double> quantiles(const cv::Mat &values, double low, double high);
FeatureMap featureMap(const cv::Mat &input, const cv::Mat &kernel, const core::ConvSpec &spec,
                      const core::Budget &budget, JobControl &control);

/// Cells read or written and multiply-adds of the feature map, or of @p part of @p base.
struct Size {
    long long cells = 0;
    long long multiplyAdds = 0;
};
Size featureMapSize(const cv::Mat &input, const cv::Mat &kernel, const core::ConvSpec &spec);
Size partSize(Part part, const Snapshot &base);

/// What the engine estimates @p part costs, before any work, for an input of @p inputSize (one
/// plane of @p elementBytes), a kernel of @p kernelSize, @p spec and @p view: the comparison's
/// and the stages' own estimates; nothing for the other parts, which cost no more than the
/// feature map.
core::Estimate partEstimate(Part part, core::PerAxis inputSize, int elementBytes, core::PerAxis kernelSize,
                            const core::ConvSpec &spec, const ViewSettings &view);

/// How many cells per side a difference map of @p rows × @p cols pools into one for painting:
/// the smallest block that leaves at most CompareSet::kPooledCells cells; 1 for smaller maps.
int poolingFor(int rows, int cols);
/// @p map with each block of @p block × @p block cells in one: the Δ of largest magnitude there,
/// NaN when every cell of the block is NaN.
cv::Mat pooledDifference(const cv::Mat &map, int block);
/// @p comparison with the figures painting it needs, worked out on this thread.
CompareSet compareSet(const core::Comparison &comparison);
/// The comparison of @p base; when @p prior compared the same feature map the same way, only
/// its difference maps are taken again (a new reference), not its convolutions.
CompareSet comparison(const Snapshot &base, const std::shared_ptr<const CompareSet> &prior,
                      const core::Budget &budget, JobControl &control);
StageSet stages(const Snapshot &base, const core::Budget &budget, JobControl &control);
SignalSet signal(const Snapshot &base, const core::Budget &budget, JobControl &control);
LayerSet layers(const Snapshot &base);
/// The input's channels through the bank @p base.view asks for (or its refusal, in words).
ChannelSet channels(const Snapshot &base, JobControl &control);

/// The filter bank @p view names for @p channels input channels, with @p kernel for
/// FilterBank::Kernel: (F, C/groups, rows, cols) with the bias expanded to one value per filter.
/// Throws core::Error naming what does not fit (groups that do not divide the channels, a bias
/// of the wrong length, custom weights that do not fill their shape).
core::TensorKernel filterBank(const ViewSettings &view, int channels, const cv::Mat &kernel);

/// The input plane pooled under the view's rule and under the other framework's.
PoolSet pool(const Snapshot &base, JobControl &control);

/// The view's pooling @p given as framework @p rule writes it for @p input: PyTorch takes explicit
/// pads only (same becomes its pads), TensorFlow valid or same (any explicit pad becomes same),
/// never counts padding and has no ceil_mode. @p note says what changed.
core::PoolSpec poolSpecFor(const core::PoolSpec &given, PoolRule rule, const core::TensorShape &input,
                           QString *note = nullptr);

/// The tensor spec of the plane spec @p spec, with @p groups.
core::TensorConvSpec tensorSpec(const core::ConvSpec &spec, int groups);

/// The input plane transposed-convolved with the kernel as @p base.view's Transposed settings
/// say (or the engine's refusal, in words).
TransposedSet transposed(const Snapshot &base, JobControl &control);
/// The engine's spec of the Transposed view's settings (the same on both axes).
core::ConvTSpec convtSpec(const ViewSettings &view);

/// What a part says when its computation was cancelled.
QString cancelledText();

/// @p part of @p base marked as cancelled: present, so not asked for again until its settings
/// change, and saying why it is empty.
void markCancelled(Snapshot &base, Part part);

/// Why the signal view cannot draw @p base (one row, or up to SignalSet::kMaxChannels rows read
/// as channels; a one-row kernel; no padding above or below), or an empty string when it can.
QString signalUnsupportedReason(const Snapshot &base);

/// The plane spec @p spec on the time axis alone (its left and right pads, the columns' stride
/// and dilation), with @p groups: the Signal view's Conv1D.
core::TensorConvSpec signalSpec(const core::ConvSpec &spec, int groups);
/// The Signal view's filters for @p channels channels: the one-row @p kernel as one filter over
/// every channel (1, C, k), or one per channel (C, 1, k) for SignalFilters::Depthwise, with the
/// view's bias expanded to one value per filter. Throws core::Error for a bias of the wrong length.
core::TensorKernel signalBank(const ViewSettings &view, int channels, const cv::Mat &kernel);

} // namespace parts

} // namespace padlab::ui

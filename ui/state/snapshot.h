#pragma once

#include "padlab/core/compare.h"
#include "padlab/core/convolve.h"
#include "padlab/core/convt.h"
#include "padlab/core/frameworks.h"
#include "padlab/core/geometry.h"
#include "padlab/core/layers.h"
#include "padlab/core/pool.h"
#include "padlab/core/stages.h"
#include "padlab/core/tensor.h"
#include "padlab/core/tensorconv.h"
#include "padlab/core/window.h"
#include "volume.h"

#include <QPoint>
#include <QSize>
#include <QString>
#include <QStringList>
#include <QtGlobal>
#include <opencv2/core/mat.hpp>

#include <array>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace padlab::ui {

/// Which plane of a colour image the convolution reads.
enum class Channel { Gray, Red, Green, Blue };
/// The teaching view the window shows.
enum class View { Window, Signal, Compare, Stages, Layers, Channels, Pool, Transposed, Volume };
/// Whose pooling rule the Pooling view applies: PyTorch (explicit pads, ceil_mode,
/// count_include_pad) or TensorFlow (valid or same, padding never counted).
enum class PoolRule { PyTorch, TensorFlow };
/// What the Compare view lays side by side: the six fills, or the amounts.
enum class CompareBy { Fill, Amount };
/// How the Signal view draws a one-row input.
enum class PlotStyle { Stem, Line };
/// The Conv1D the Signal view applies to an input of several rows (its channels): the session's
/// one-row kernel as one filter reading every channel (their products summed), or as one filter
/// per channel reading only that channel (depthwise: groups = channels).
enum class SignalFilters { Sum, Depthwise };
/// The filter bank the Channels view applies to every channel of the input.
enum class FilterBank {
    Edges,    ///< four 3x3 edge detectors per group (Sobel x, Sobel y, both diagonals) on every channel
    Identity, ///< one filter per channel that copies it (3x3, centre 1)
    Blur,     ///< one 3x3 Gaussian blur per channel, reading only that channel
    Kernel,   ///< the session's kernel on every channel of a group, one filter per group
    Custom,   ///< the weights given (a .npy kernel in PyTorch's layout)
};

/// The teaching views' own settings: which view is shown and what each one shows. None of
/// them changes the feature map; some change what is derived from it.
struct ViewSettings {
    static constexpr int kMaxStages = 20;
    /// The stack the Layers view starts with: three 3x3 convolutions on a 28x28 digit.
    static constexpr const char *kDefaultLayerInputShape = "28x28x1";
    static constexpr const char *kDefaultLayerSpec
        = "conv2d:32:3,conv2d:64:3,conv2d:128:3,flatten,dense:256,dense:10";

    View view = View::Window;
    CompareBy compareBy = CompareBy::Fill;
    /// Index into the compared list (core::allFills() order, or core::comparedAmounts()) of the
    /// result the difference maps are taken against.
    int compareReference = 0;
    int stageCount = 4; ///< how often the Stages view applies the kernel, 1..kMaxStages
    PlotStyle plotStyle = PlotStyle::Stem;
    /// The layer stack of the Layers view in `padlab summary` syntax (not checked here).
    QString layerInputShape = QString::fromLatin1(kDefaultLayerInputShape);
    QString layerSpec = QString::fromLatin1(kDefaultLayerSpec);
    /// The Channels view's filter bank, groups (depthwise is groups = channels) and bias: none,
    /// one value for every filter, or one per filter.
    FilterBank bank = FilterBank::Edges;
    int groups = 1;
    std::vector<double> bias;
    /// FilterBank::Custom's weights: (F, C/groups, rows, cols), C order.
    std::vector<int> bankShape;
    std::vector<double> bankWeights;
    /// The Pooling view's pooling: op, window, stride, dilation, amount, ceil_mode and
    /// count_include_pad (unset: the rule's default), under @c poolRule; with @c poolBoth the
    /// other framework's rule is drawn beside it when the two differ.
    core::PoolSpec pool = defaultPool();
    PoolRule poolRule = PoolRule::PyTorch;
    bool poolBoth = false;

    /// A 3 x 3 max pool, stride 2, one padded cell on every side.
    static core::PoolSpec defaultPool()
    {
        core::PoolSpec spec;
        spec.window = {3};
        spec.stride = {2};
        spec.amount.kind = core::Amount::Explicit;
        spec.amount.values = {1, 1, 1, 1};
        return spec;
    }
    /// The Transposed view's transposed convolution of the input with the kernel, the same on
    /// both axes: Explicit is PyTorch's padding (cells cropped on each side) with output_padding
    /// (cells added after); Valid and Same are Keras' Conv2DTranspose (no output padding).
    core::Amount convtAmount = core::Amount::Explicit;
    int convtStride = 2;
    int convtDilation = 1;
    int convtPadding = 0;
    int convtOutputPadding = 0;
    /// The Volume view's volume, kernel and 3-D convolution.
    VolumeSettings volume;
    /// The Signal view's Conv1D on an input of several rows, and its bias: none, one value for
    /// every filter, or one per filter. (Last, so that positional initializers stay valid.)
    SignalFilters signalFilters = SignalFilters::Sum;
    std::vector<double> signalBias;

    friend bool operator==(const ViewSettings &, const ViewSettings &) = default;
};

/// The results a view can ask the session for, besides the feature map every snapshot has.
enum class Part { Comparison, Stages, Signal, Layers, Channels, Pool, Transposed };

/// The part view @p view draws, if it draws one (the Volume view computes its own).
std::optional<Part> partOf(View view);

/// What a part was computed from: the input (its buffer identifies it: the session replaces an
/// input, never writes into it), the kernel and the settings.
struct PartOrigin {
    cv::Mat input;
    cv::Mat kernel;
    core::ConvSpec spec;
    ViewSettings view;
    cv::Mat source; ///< every channel, for the Channels view
};

/// Whether @p part computed from @p a is also the part of @p b: the same input and kernel and
/// the same settings that part depends on. The comparison of every fill does not depend on the
/// fill, nor that of every named amount on the amount; the layer summary only on the stack.
bool samePart(Part part, const PartOrigin &a, const PartOrigin &b);

/// The part of @p spec a comparison by @p by depends on.
core::ConvSpec comparedSpec(core::ConvSpec spec, CompareBy by);

/// Every fill (or amount) of the snapshot's input and kernel side by side, with the difference
/// maps against the reference.
struct CompareSet {
    /// Difference maps larger than this many cells are also kept pooled, for painting.
    static constexpr long long kPooledCells = 1LL << 18;

    PartOrigin origin;
    core::Comparison comparison;  ///< no items when the engine refused (its reference is clamped)
    QString error;                ///< why it refused (or that the computation was cancelled)
    bool beyondBudget = false;    ///< refused for the session's budget, before any work

    // Worked out once with the maps, so that painting reads no more cells than it draws.
    std::pair<double, double> inputRange{0, 0};               ///< of the input: the greys of the padded rows
    std::vector<std::pair<double, double>> outputRanges; ///< of each item's output ({0, 0} when empty)
    /// Cells per side of a block of pooledDifferences: 1 (nothing pooled) up to kPooledCells.
    int pooling = 1;
    /// Each difference map with a block of pooling × pooling cells in one cell: the Δ of largest
    /// magnitude there, NaN when every cell of the block is. Empty when pooling is 1.
    std::vector<cv::Mat> pooledDifferences;
};

/// The kernel applied again and again to the snapshot's input.
struct StageSet {
    PartOrigin origin;
    core::StageChain chain; ///< its stopReason says why it stopped early or was refused
    bool beyondBudget = false; ///< it stopped where the next stage would not fit the session's budget
};

/// A one-row input as the Signal view draws it: its rows as numbers, and the valid, same and
/// causal outputs of the same kernel for the strip below the plots.
///
/// An input of 2 to kMaxChannels rows is the channels of one signal (layout CL) instead: each
/// channel padded on the time axis, and the Conv1D of the view's filters (F, C/groups, k) with
/// the session's kernel, computed by the engine's tensor convolution. Its one-row fields stay
/// empty then, and so do the strips.
struct SignalSet {
    static constexpr int kMaxChannels = 8;

    PartOrigin origin;
    QString reason; ///< why the view cannot show this snapshot; empty when it can
    std::vector<double> input;
    std::vector<double> padded;
    std::vector<double> output;
    std::array<core::AxisGeometry, 3> strips{}; ///< valid, same, causal
    std::array<std::vector<double>, 3> stripValues;
    std::pair<double, double> inputRange{0, 0};  ///< of input and padded (every channel), and 0
    std::pair<double, double> outputRange{0, 0}; ///< of output (every filter), and 0
    std::pair<double, double> stripRange{0, 0};  ///< of the three strips, and 0

    // Several channels (empty for a one-row input).
    core::Tensor channelInput;  ///< C channels, CV_64F
    core::TensorKernel bank;    ///< (F, C/groups, k), with one bias per filter or none
    core::TensorConvSpec convSpec;
    core::TensorConvResult conv; ///< F output rows and the time axis's geometry
    std::vector<std::vector<double>> channelPadded; ///< each channel padded
    std::vector<std::vector<double>> filterOutputs; ///< each filter's output row

    /// Input channels: 1 for a one-row input (or none computed).
    int channels() const { return channelInput.empty() ? 1 : channelInput.channels(); }
    bool multichannel() const { return channels() > 1; }
    int filters() const { return bank.shape.empty() ? 1 : bank.shape[0]; }
    /// The first input channel filter @p filter reads, and how many it reads.
    int firstChannel(int filter) const;
    int channelsPerFilter() const;
    /// Output samples per filter (0 when empty).
    int outputLength() const;
    /// The window of output sample @p col of @p filter; an empty window (no taps) outside.
    core::TensorWindow windowAt(int filter, int col) const;
    /// Each channel's part of the window's sum: `c0: 3 + c1: −1.5 + bias 0.5 = 2`; a filter that
    /// reads one channel (depthwise) writes its products: `c1: 1×0 + 2×1 + 1×1 = 3`.
    QString sumText(const core::TensorWindow &window) const;
    /// The window's products summed per input channel, indexed by channel (0 for the channels
    /// the filter does not read).
    std::vector<double> partialSums(const core::TensorWindow &window) const;
};

/// The Layers view's stack as the engine summarizes it.
struct LayerSet {
    PartOrigin origin;
    core::Shape input;          ///< the input shape read
    core::StackSummary summary; ///< empty when refused
    QString error;              ///< the engine's message, naming the layer it refuses
};

/// The input's channels through a bank of filters: every channel padded, the bank, and the F
/// output feature maps. The window of one output cell is taken on demand (windowsAt()), as the
/// window panel's is, since the current cell moves without a new snapshot.
struct ChannelSet {
    PartOrigin origin;
    QString error;          ///< why the bank cannot be applied to this input; empty when it can
    QStringList channelNames; ///< R, G, B for a colour image; c0, c1, ... otherwise
    bool colorImage = false;  ///< the channels are an image's R, G, B planes (drawn tinted)
    core::Tensor input;      ///< C channels
    core::Tensor padded;     ///< every channel padded as the spec says
    core::TensorKernel bank; ///< (F, C/groups, rows, cols), with one bias per filter or none
    core::TensorConvSpec spec;
    core::TensorConvResult result; ///< F output maps
    std::pair<double, double> inputRange{0, 0}; ///< over every channel
    std::vector<std::pair<double, double>> outputRanges; ///< of each filter's map
    std::vector<std::pair<double, double>> outputClips;  ///< each map's 1st and 99th percentile

    int filters() const { return bank.shape.empty() ? 0 : bank.shape[0]; }
    int channels() const { return input.channels(); }
    /// Input channels per group, and the first channel filter @p filter reads.
    int channelsPerGroup() const;
    int firstChannel(int filter) const;
    /// Output rows and columns (0 when empty or refused).
    int outputRows() const;
    int outputCols() const;
    /// The cell (x = col, y = row) of the session's @p cell clamped into this output: the bank's
    /// kernel may be smaller or larger than the session's, and so its output.
    QPoint clampCell(QPoint cell) const;
    /// The window of every filter at output cell (@p row, @p col), O(C/groups x kernel) each;
    /// empty outside the output.
    std::vector<core::TensorWindow> windowsAt(int row, int col) const;
    /// `R: 12 + G: −3.5 + B: 4 + bias 0.5 = 13`, from a window of filter @p window.filter.
    QString sumText(const core::TensorWindow &window) const;
};

/// One framework's rule applied to the Pooling view's input: the pooling as that framework
/// would write it, its result, and what it says about the settings.
struct PoolRun {
    PoolRule rule = PoolRule::PyTorch;
    core::PoolSpec spec;     ///< the view's settings in this framework's terms
    core::PoolResult result; ///< geometry per axis (rows, cols) and the output
    QString error;           ///< why the engine refuses it; empty when it computes
    QString note;            ///< what the framework would say (pads changed, a rule it breaks)
    std::pair<double, double> outputRange{0, 0};

    bool ok() const { return error.isEmpty() && result.axes.size() == 2; }
    int outputRows() const;
    int outputCols() const;
    /// The session's @p cell (x = col, y = row) clamped into this output.
    QPoint clampCell(QPoint cell) const;
};

/// The Pooling view's part: the session's input (one plane) pooled under the chosen rule
/// (runs[0]) and under the other framework's rule (runs[1]).
struct PoolSet {
    PartOrigin origin;
    core::Tensor input; ///< one channel, the session's input plane
    std::pair<double, double> inputRange{0, 0};
    std::vector<PoolRun> runs;
    /// Whether the two rules give different outputs (shape, values or a refusal).
    bool rulesDiffer() const;
    /// The window of output cell (@p row, @p col) of run @p run; nullopt outside its output.
    std::optional<core::PoolWindow> windowAt(int run, int row, int col) const;
};

/// The input plane transposed-convolved with the kernel, with everything the Transposed view
/// explains: the zero-stuffed input with its implicit padding and the flipped kernel (the direct
/// picture), and the stamps of every input cell on the full, uncropped output (the scatter
/// picture) with how many stamps reach each full cell.
struct TransposedSet {
    PartOrigin origin;
    QString error;            ///< why the engine refuses these settings; empty when it does not
    core::Tensor input;       ///< 1 channel: the input plane
    core::TensorKernel kernel; ///< the session's kernel, spatial axes only
    core::ConvTSpec spec;
    core::ConvTResult result;  ///< the engine's output and its two axes (rows, then cols)
    core::ConvTExplanation explanation;
    cv::Mat full;     ///< CV_64F, full rows x full cols: the summed stamps before any crop
    cv::Mat overlaps; ///< CV_32S, same size: how many (input cell, tap) stamps reach each full cell
    int maxOverlap = 0;
    std::pair<double, double> inputRange{0, 0};
    std::pair<double, double> outputRange{0, 0}; ///< over the full stamps and the output

    bool ok() const { return error.isEmpty() && result.axes.size() == 2; }
    const core::ConvTAxis &rows() const { return result.axes[0]; }
    const core::ConvTAxis &cols() const { return result.axes[1]; }
    int outputRows() const { return ok() ? rows().output : 0; }
    int outputCols() const { return ok() ? cols().output : 0; }
    /// The session's cell (x = col, y = row) clamped into this output.
    QPoint clampCell(QPoint cell) const;
    /// The stamps onto output cell @p cell (x = col, y = row); an empty window outside the output.
    core::ConvTWindow windowAt(QPoint cell) const;
    /// Input cell (x = col, y = row) of the direct picture's padded grid at (@p row, @p col), or
    /// nullopt for a stuffed zero or an implicit pad.
    std::optional<QPoint> inputOfPadded(int row, int col) const;
    /// Whether padded cell (@p row, @p col) is implicit padding (outside the stuffed input).
    bool isImplicitPad(int row, int col) const;
    /// The output sizes with their numbers, one line per axis when they differ.
    QStringList formulaLines() const;
};

/**
 * What the session computed, and from what: immutable once published, and cheap to copy
 * (matrices and parts are shared). A painter draws one snapshot, so what it shows always
 * matches the settings it was computed from, even while newer ones are being computed.
 *
 * Every snapshot has the feature map. The other parts are computed only while some view or
 * export asks for them; a snapshot without one says so with a null pointer.
 */
struct Snapshot {
    quint64 generation = 0; ///< of the request the feature map was computed for; 0: none yet

    // What was asked.
    cv::Mat source;      ///< as loaded: one or three channels (B, G, R), CV_8U (images), CV_32F or CV_64F
    bool tensor = false; ///< source holds a (C, H, W) array's channels c0, c1, ... (CV_64F), not B, G, R
    Channel channel = Channel::Gray;
    cv::Mat input;       ///< the plane computed (the gray or colour plane of source)
    QString inputName;   ///< file name or sample name
    QString inputPath;   ///< empty for samples
    cv::Mat kernel;      ///< CV_64F
    core::ConvSpec spec;
    core::OpKind op = core::OpKind::Conv; ///< pooling and transposed convolution join it
    ViewSettings view;

    // What the engine gave.
    core::ConvResult result;
    std::pair<double, double> inputRange{0, 0};  ///< smallest and largest input value
    std::pair<double, double> outputRange{0, 0}; ///< and output value; {0, 0} when empty
    std::pair<double, double> outputClip{0, 0};  ///< the output's 1st and 99th percentile
    std::shared_ptr<const CompareSet> comparison;
    std::shared_ptr<const StageSet> stages;
    std::shared_ptr<const SignalSet> signal;
    std::shared_ptr<const LayerSet> layers;
    std::shared_ptr<const ChannelSet> channels;
    std::shared_ptr<const PoolSet> pool;
    std::shared_ptr<const TransposedSet> transposed;

    const core::Geometry &geometry() const { return result.geometry; }
    /// Output rows * output cols (0 when the output is empty).
    int stepCount() const;
    /// @p step clamped to the output (0 when it is empty).
    int clampStep(int step) const;
    /// The output cell of @p step: x = output column, y = output row.
    QPoint stepCell(int step) const;
    /// The output view @p view walks step by step, row by row, as (columns, rows): the feature
    /// map's for the sliding-window views; for Channels, Pooling and Transposed their own output
    /// (the bank's, the chosen rule's, the transposed one) once their part is here, the feature
    /// map's until then; for Volume its output's depth x rows by columns.
    QSize stepGrid(View view) const;
    int stepCount(View view) const;
    int clampStep(View view, int step) const;
    /// The cell of @p step in stepGrid(@p view): x = column, y = row (depth * rows + row for Volume).
    QPoint stepCell(View view, int step) const;
    /// The output cell of @p step as the view names it: {row, col}, or {depth, row, col} for Volume.
    std::vector<int> stepIndex(View view, int step) const;
    /// The window of output cell (@p row, @p col): its taps read from the padded input, so O(kernel).
    /// An empty Window outside the output.
    core::Window windowAt(int row, int col) const;
    core::Window window(int step) const;
    /// What its parts are computed from.
    PartOrigin origin() const;
    /// Whether the part is in this snapshot, computed from its input, kernel and settings.
    bool has(Part part) const;
};

using SnapshotPtr = std::shared_ptr<const Snapshot>;

} // namespace padlab::ui

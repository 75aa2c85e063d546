#pragma once

#include "look.h"
#include "snapshot.h"

#include "padlab/core/budget.h"
#include "padlab/core/convolve.h"
#include "padlab/core/geometry.h"
#include "padlab/core/window.h"

#include <QObject>
#include <QPoint>
#include <QString>
#include <opencv2/core/mat.hpp>
#include <utility>

namespace padlab::ui {

class JobQueue;

/**
 * The one observable state of the program, and the only place that computes.
 *
 * It holds what was asked: the input (all its channels, and the one computed), the kernel, the
 * convolution settings, the teaching views' settings, the current step of the sliding window
 * and the look every view is drawn in. Widgets change it only through its setters; each setter
 * ignores an unchanged value. A request the engine refuses (bad file, invalid spec, a cost
 * beyond the budget) keeps everything as it was, sets errorString() and emits errorOccurred().
 *
 * What was computed is published as an immutable Snapshot: the input, kernel and settings it
 * was computed from and the feature map, plus the parts the visible views asked for with
 * need() (the comparison, the stages, the signal strips, the layer summary), each computed once.
 * Every computation goes through one job queue: small ones at once, large ones on a worker, a
 * newer request cancelling an older one, and a result published only with the settings it was
 * computed from. So snapshot() always describes itself: what a view paints from it never mixes
 * a result with settings it was not computed from, while spec() and the other getters of what
 * was asked may already be newer.
 *
 * Every request is checked against budget() before any work: the feature map, and the parts
 * that views need at the time. A part that a view asks for later and that does not fit is
 * published with the engine's refusal (the view says it), which errorOccurred() also reports.
 */
class Session : public QObject {
    Q_OBJECT

public:
    using Channel = ui::Channel;
    using View = ui::View;
    using CompareBy = ui::CompareBy;
    using PlotStyle = ui::PlotStyle;
    static constexpr int kMaxStages = ViewSettings::kMaxStages;
    static constexpr const char *kDefaultLayerInputShape = ViewSettings::kDefaultLayerInputShape;
    static constexpr const char *kDefaultLayerSpec = ViewSettings::kDefaultLayerSpec;

    /// The kernel and settings a new session starts with: what the window opens with and what
    /// `padlab render` uses where neither a lesson nor an option says otherwise.
    static constexpr const char *kDefaultPreset = "sobel-x";
    static core::ConvSpec defaultSpec(); ///< same, zeros, stride 1, dilation 1, cross-correlation

    explicit Session(QObject *parent = nullptr);
    ~Session() override;

    // Input (as asked)
    /// CSV matrix, `.npy` array (readNpyInput(): a 2-D array is the plane, a 3-D (C, H, W) array a
    /// tensor input) or image; false and errorOccurred() on failure. A new input (from here or
    /// setSource()) starts at the first step.
    bool openFile(const QString &path);
    /// CV_8U/CV_32F/CV_64F, 1 or 3 (B, G, R) channels; @p path: the file it was read from, if any.
    /// With @p tensor, 1 to kMaxInputChannels channels of an array (c0, c1, ...): the Channels
    /// view reads them all, every other view channel 0.
    void setSource(const cv::Mat &source, const QString &name, const QString &path = {}, bool tensor = false);
    const cv::Mat &source() const;       ///< as loaded (images stay 8-bit; the plane convolved is CV_32F)
    const cv::Mat &input() const;        ///< the single channel that is convolved
    QString inputName() const;           ///< file name or sample name
    QString inputPath() const;           ///< empty for samples
    Channel channel() const;
    void setChannel(Channel channel);
    bool isColor() const;
    /// Whether the source holds a (C, H, W) array's channels; the plane convolved is channel 0.
    bool isTensor() const;

    // Kernel (as asked)
    const cv::Mat &kernel() const; ///< CV_64F
    void setKernel(const cv::Mat &kernel);
    void setKernelValue(int row, int col, double value);
    void setKernelSize(int rows, int cols); ///< keeps the overlapping values, new cells are 0
    bool setPreset(const QString &name);    ///< false for an unknown name
    QString presetName() const;             ///< the preset the kernel equals, or empty

    // Settings (as asked)
    const core::ConvSpec &spec() const;
    void setSpec(const core::ConvSpec &spec);
    void setAmount(const core::PadAmount &amount);
    void setFill(core::Fill fill);
    void setValue(double value);
    void setStride(core::PerAxis stride);
    void setDilation(core::PerAxis dilation);
    void setOperation(core::Operation operation);

    /// What was computed, and from what. Never null; replaced, never changed.
    SnapshotPtr snapshot() const;

    // Shorthands for the snapshot's feature map.
    const core::ConvResult &result() const;
    const core::Geometry &geometry() const;
    /// The input that result() was computed from (input() may already be newer while busy).
    const cv::Mat &resultInput() const;
    /// Smallest and largest value of resultInput() and of result().output; {0, 0} when empty.
    std::pair<double, double> inputMinMax() const;
    std::pair<double, double> outputMinMax() const;

    // Computing
    /// Whether a computation runs on a worker (or waits for one).
    bool isBusy() const;
    /// Whether the snapshot's feature map was computed from the input, kernel and settings asked
    /// now (false while a newer one is computed on a worker).
    bool isUpToDate() const;
    /// How far the running computations got, 0..1.
    double progress() const;
    /// Stops every computation. A cancelled feature map takes the settings back to the
    /// snapshot's; a cancelled part is published as cancelled, so it is not computed again
    /// until its settings change.
    void cancel();
    /// Waits, processing events, until no computation runs; false after @p timeoutMs.
    bool waitUntilIdle(int timeoutMs = 120000);
    /// Asks for @p part in every snapshot from now on (computed at once or on a worker), until
    /// as many release() calls came; views ask while visible, exports while they write.
    void need(Part part);
    void release(Part part);
    /// How many computations delivered a result since the session was made (for tests).
    int computations() const;
    /// A test hook: every computation runs on a worker and takes @p milliseconds longer.
    void setComputationDelayForTesting(int milliseconds);

    // Sliding window: steps run row by row over the output cells of the view shown (the feature
    // map's; the Channels, Pooling, Transposed and Volume views walk their own output, see
    // Snapshot::stepGrid()). A part or a view change that resizes it clamps the step and emits
    // stepChanged().
    int stepCount() const;     ///< output rows * output cols (0 when the output is empty)
    int stepColumns() const;   ///< steps per output row (a row move)
    int step() const;          ///< 0 .. stepCount()-1
    QPoint stepCell() const;   ///< x = output column, y = output row (depth * rows + row in Volume)
    std::vector<int> stepIndex() const; ///< {row, col}, or {depth, row, col} in the Volume view
    void setStep(int step);    ///< clamped to the output
    void setStepCell(int row, int col);
    core::Window window() const; ///< the window at the current step (taps and sum)
    /// The window of output cell (@p row, @p col) of result(); an empty Window outside it.
    core::Window windowAt(int row, int col) const;

    QString errorString() const;

    /// The limits every request is checked against before any work: at first
    /// core::budgetFromEnvironment() (the defaults where a variable does not read).
    const core::Budget &budget() const;
    void setBudget(const core::Budget &budget);

    // Teaching views: which one the window shows and their own settings (lessons keep them).
    // None of these changes the feature map; each setter emits viewSettingsChanged().
    const ViewSettings &viewSettings() const;
    void setViewSettings(const ViewSettings &settings);
    View view() const;
    void setView(View view);
    CompareBy compareBy() const;
    void setCompareBy(CompareBy by);
    /// Index into the compared list (core::allFills() order, or the amounts the Compare view
    /// lists) of the result the difference map is taken against; clamped to >= 0.
    int compareReference() const;
    void setCompareReference(int index);
    int stageCount() const;           ///< how often the Stages view applies the kernel, 1..20
    void setStageCount(int count);    ///< clamped to 1..kMaxStages
    PlotStyle plotStyle() const;
    void setPlotStyle(PlotStyle style);
    /// The Signal view's Conv1D on an input of several rows: one filter summing every channel, or
    /// one per channel (depthwise); its bias is none, one value for every filter, or one per filter.
    SignalFilters signalFilters() const;
    void setSignalFilters(SignalFilters filters);
    const std::vector<double> &signalBias() const;
    void setSignalBias(const std::vector<double> &bias);
    /// The layer stack the Layers view builds, in `padlab summary` syntax: input `LxC`, `HxWxC` or
    /// `DxHxWxC` and layers of the full grammar, e.g. `conv2d:32:3,maxpool:2,flatten,dense:10`. Not
    /// checked here: the view reports what the engine refuses.
    QString layerInputShape() const;
    QString layerSpec() const;
    void setLayerStack(const QString &inputShape, const QString &spec);
    /// The Channels view's filter bank: a preset, or custom weights (F, C/groups, rows, cols).
    /// Groups and bias are the convolution's (depthwise is groups = channels); the bias is none,
    /// one value for every filter, or one per filter. What does not fit the input (groups that
    /// do not divide its channels, a bias of the wrong length) the view says, as the engine words it.
    FilterBank filterBank() const;
    void setFilterBank(FilterBank bank);
    void setCustomFilterBank(const std::vector<int> &shape, const std::vector<double> &weights);
    int groups() const;
    void setGroups(int groups); ///< clamped to >= 1
    const std::vector<double> &bias() const;
    void setBias(const std::vector<double> &bias);
    /// The Volume view's volume, kernel and 3-D convolution; what does not fit the view says.
    const VolumeSettings &volumeSettings() const;
    void setVolumeSettings(const VolumeSettings &settings); ///< kd clamped to 1..5

    /// How every view is drawn: text size, theme, output colours.
    const Look &look() const;
    void setLook(const Look &look);

Q_SIGNALS:
    void viewSettingsChanged();   ///< one of the teaching-view settings changed
    void changed();               ///< a new feature map is published (input, kernel or settings)
    void snapshotChanged();       ///< a new snapshot is published (feature map, part or view settings)
    void stepChanged(int step);   ///< only the step moved
    void lookChanged();
    void busyChanged(bool busy);
    void progressChanged(double fraction); ///< while busy, every tenth of a second
    void errorOccurred(const QString &message);

private:
    struct Private;
    Private *d;
};

} // namespace padlab::ui

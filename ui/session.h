#pragma once

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

/**
 * The one observable state of the program: the input, the kernel, the convolution settings,
 * the current step of the sliding window, and the result the engine computed from them.
 *
 * Widgets read it and change it only through its setters; each setter ignores an unchanged
 * value, otherwise recomputes and emits changed() once (stepChanged() for a step-only move).
 * Small inputs are computed at once; large ones on a worker thread, where a newer request makes
 * an older result stale and it is dropped. A failed request (bad file, invalid spec, a cost
 * beyond the budget) keeps everything as it was, sets errorString() and emits errorOccurred().
 */
class Session : public QObject {
    Q_OBJECT

public:
    /// Which plane of a colour image the convolution reads.
    enum class Channel { Gray, Red, Green, Blue };
    Q_ENUM(Channel)

    explicit Session(QObject *parent = nullptr);
    ~Session() override;

    // Input
    bool openFile(const QString &path); ///< CSV matrix or image; false and errorOccurred() on failure
    /// CV_8U/CV_32F/CV_64F, 1 or 3 (B, G, R) channels; @p path: the file it was read from, if any.
    void setSource(const cv::Mat &source, const QString &name, const QString &path = {});
    const cv::Mat &source() const;       ///< as loaded (images stay 8-bit; the plane convolved is CV_32F)
    const cv::Mat &input() const;        ///< the single channel that is convolved
    QString inputName() const;           ///< file name or sample name
    QString inputPath() const;           ///< empty for samples
    Channel channel() const;
    void setChannel(Channel channel);
    bool isColor() const;

    // Kernel
    const cv::Mat &kernel() const; ///< CV_64F
    void setKernel(const cv::Mat &kernel);
    void setKernelValue(int row, int col, double value);
    void setKernelSize(int rows, int cols); ///< keeps the overlapping values, new cells are 0
    bool setPreset(const QString &name);    ///< false for an unknown name
    QString presetName() const;             ///< the preset the kernel equals, or empty

    // Settings
    const core::ConvSpec &spec() const;
    void setSpec(const core::ConvSpec &spec);
    void setAmount(const core::PadAmount &amount);
    void setFill(core::Fill fill);
    void setValue(double value);
    void setStride(core::PerAxis stride);
    void setDilation(core::PerAxis dilation);
    void setOperation(core::Operation operation);

    // Result (of the last finished computation)
    const core::ConvResult &result() const;
    const core::Geometry &geometry() const;
    bool isBusy() const;

    // Sliding window: steps run row by row over the output cells
    int stepCount() const;     ///< output rows * output cols (0 when the output is empty)
    int step() const;          ///< 0 .. stepCount()-1
    QPoint stepCell() const;   ///< x = output column, y = output row
    void setStep(int step);    ///< clamped to the output
    void setStepCell(int row, int col);
    core::Window window() const; ///< the window at the current step (taps and sum)
    /// The window of output cell (@p row, @p col) of result(); an empty Window outside it.
    core::Window windowAt(int row, int col) const;
    /// The input that result() was computed from (input() may already be newer while busy).
    const cv::Mat &resultInput() const;
    /// Smallest and largest value of resultInput() (found on first use, then kept) and of
    /// result().output (found with the computation, off the GUI thread); {0, 0} when empty.
    std::pair<double, double> inputMinMax() const;
    std::pair<double, double> outputMinMax() const;

    QString errorString() const;

    /// The limits every request is checked against before any work: at first
    /// core::budgetFromEnvironment() (the defaults where a variable does not read).
    const core::Budget &budget() const;
    void setBudget(const core::Budget &budget);

    // Teaching views: which one the window shows and their own settings (lessons keep them).
    // None of these changes the computation above; each setter emits viewSettingsChanged().
    enum class View { Window, Signal, Compare, Stages, Layers };
    Q_ENUM(View)
    /// What the Compare view lays side by side: the six fills, or the amounts.
    enum class CompareBy { Fill, Amount };
    Q_ENUM(CompareBy)
    /// How the Signal view draws a one-row input.
    enum class PlotStyle { Stem, Line };
    Q_ENUM(PlotStyle)
    static constexpr int kMaxStages = 20;
    /// The stack the Layers view starts with: three 3x3 convolutions on a 28x28 digit.
    static constexpr const char *kDefaultLayerInputShape = "28x28x1";
    static constexpr const char *kDefaultLayerSpec
        = "conv2d:32:3,conv2d:64:3,conv2d:128:3,flatten,dense:256,dense:10";

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
    /// The layer stack the Layers view builds, in `padlab summary` syntax: input `HxWxC` and
    /// layers `conv2d:32:3,maxpool:2,flatten,dense:10`. Not checked here: the view reports
    /// what the engine refuses.
    QString layerInputShape() const;
    QString layerSpec() const;
    void setLayerStack(const QString &inputShape, const QString &spec);

Q_SIGNALS:
    void viewSettingsChanged();   ///< one of the teaching-view settings changed
    void changed();               ///< input, kernel, settings or result changed
    void stepChanged(int step);   ///< only the step moved
    void busyChanged(bool busy);
    void errorOccurred(const QString &message);

private:
    struct Private;
    Private *d;
};

} // namespace padlab::ui

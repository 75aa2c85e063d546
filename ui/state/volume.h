#pragma once

#include "padlab/core/fill.h"
#include "padlab/core/geometry.h"
#include "padlab/core/tensor.h"
#include "padlab/core/tensorconv.h"

#include <QString>
#include <QStringList>
#include <opencv2/core/mat.hpp>

#include <array>
#include <map>
#include <vector>

namespace padlab::ui {

/// The volume the Volume view convolves.
enum class VolumeSource {
    Numbered, ///< 5 x 6 x 6, cell (d, h, w) holds d*100 + h*10 + w: each value says where it came from
    Sphere,   ///< 5 x 7 x 7, 1 inside a ball of radius 2.5 around the centre, 0 outside
    Custom,   ///< a (D, H, W) or (C, D, H, W) array given
};
/// The Volume view's kernel.
enum class VolumeKernel {
    Box,     ///< kd x 3 x 3 ones
    Stacked, ///< the session's 2-D kernel as kd slices
    Custom,  ///< a (kd, kh, kw) array given
};

/// The Volume view's settings: the volume, the kernel and the convolution, ZeroPadding3D's
/// six sides when the amount is explicit (front, back, top, bottom, left, right).
struct VolumeSettings {
    VolumeSource source = VolumeSource::Numbered;
    std::vector<int> sourceShape; ///< Custom: (C, D, H, W)
    std::vector<double> sourceValues;
    VolumeKernel kernel = VolumeKernel::Box;
    int kernelDepth = 3; ///< kd of Box and Stacked, 1..5
    std::vector<int> kernelShape; ///< Custom: (kd, kh, kw)
    std::vector<double> kernelWeights;
    core::Amount amount = core::Amount::Explicit;
    std::array<int, 6> pads{1, 1, 1, 1, 1, 1};
    core::Fill fill = core::Fill::Zeros;
    double fillValue = 0.0;
    std::array<int, 3> stride{1, 1, 1};   ///< depth, rows, cols
    std::array<int, 3> dilation{1, 1, 1}; ///< depth, rows, cols

    friend bool operator==(const VolumeSettings &, const VolumeSettings &) = default;
};

inline constexpr int kMaxVolumeKernelDepth = 5;
/// Larger volumes cannot show their numbers; the view is for small ones.
inline constexpr int kMaxVolumeCells = 4096;

/// The built-in volume @p source (CDHW, one channel, CV_64F).
core::Tensor builtinVolume(VolumeSource source);

/// What one output cell's window reads in one padded slice of one channel.
struct VolumeSlicePart {
    int channel = 0;
    int slice = 0;      ///< padded depth index
    double sum = 0;     ///< the products read in this slice
    int taps = 0;
};

/// The volume convolved: input, padded input, kernel, output, and everything the view writes.
struct VolumeSet {
    QString error;          ///< why it cannot be computed; empty when it can
    core::Tensor input;     ///< (C, D, H, W)
    core::Tensor padded;    ///< every channel padded as the spec says
    core::TensorKernel kernel; ///< (1, C, kd, kh, kw)
    core::TensorConvSpec spec;
    core::TensorConvResult result; ///< one output channel

    bool ok() const { return error.isEmpty() && !result.geometry.empty(); }
    int channels() const { return input.channels(); }
    int outDepth() const;
    int outRows() const;
    int outCols() const;
    /// Output cells D x H x W (0 when empty or refused).
    int outputCells() const;
    /// The output cell {d, h, w} of the session's @p step, wrapping over every output cell.
    std::vector<int> cellOfStep(int step) const;
    int stepOfCell(const std::vector<int> &cell) const;
    /// The window at output cell @p cell, with every product.
    core::TensorWindow windowAt(const std::vector<int> &cell) const;
    /// The window's sum per (channel, padded slice) it reads, in slice order.
    std::vector<VolumeSlicePart> sliceSums(const core::TensorWindow &window) const;
    /// `slice 0: 12 + slice 1: 30 + slice 2: 12 = 54`
    QString totalText(const core::TensorWindow &window) const;
    /// One line per axis: `depth: out = floor((5 + 1 + 1 - 3) / 1) + 1 = 5`.
    QStringList formulas() const;
};

/// The volume, kernel and spec of @p settings without the convolution (what the Shape panel and
/// the Code tab describe); VolumeSet::error says what does not fit. Never throws.
VolumeSet volumeOperands(const VolumeSettings &settings, const cv::Mat &kernel2d);

/// Computes the volume set for @p settings with @p kernel2d (the session's kernel, for
/// VolumeKernel::Stacked). Never throws: what does not fit is in VolumeSet::error.
VolumeSet computeVolume(const VolumeSettings &settings, const cv::Mat &kernel2d);

/// The output's depth, rows and columns for @p settings by shape arithmetic alone, without
/// convolving ({0, 0, 0} where computeVolume() refuses or no window fits): the cells the
/// view's steps walk.
std::array<int, 3> volumeOutputSize(const VolumeSettings &settings, const cv::Mat &kernel2d);

/// `front,back,top,bottom,left,right` of @p settings as the spec's pad amount.
core::TensorPadAmount volumePadAmount(const VolumeSettings &settings);

} // namespace padlab::ui

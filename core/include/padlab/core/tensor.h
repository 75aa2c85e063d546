#pragma once

#include "padlab/core/fill.h"
#include "padlab/core/geometry.h"

#include <opencv2/core/mat.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace padlab::core {

/// @brief The axes of an array as `--layout` names them: channels first, then one to three
/// spatial axes, outer first. A layout without C is a single channel.
enum class Layout {
    L,    ///< a 1-D signal
    CL,   ///< channels x length
    HW,   ///< one 2-D plane
    CHW,  ///< channels x height x width
    DHW,  ///< one volume: depth x height x width
    CDHW, ///< channels x depth x height x width
};

/// @brief `L`, `CL`, `HW`, `CHW`, `DHW` or `CDHW`.
std::string_view layoutName(Layout layout);

/// @brief Parses a layout name (case-insensitive); nullopt when unknown.
std::optional<Layout> parseLayout(std::string_view text);

/// @brief The layout an array of @p rank axes gets when none is named: 1 -> L, 2 -> HW,
/// 3 -> CHW, 4 -> CDHW; nullopt for other ranks.
std::optional<Layout> defaultLayout(int rank);

/// @brief How many axes an array in @p layout has (1 to 4).
int layoutRank(Layout layout);

/// @brief How many spatial axes @p layout has (1 to 3).
int spatialRank(Layout layout);

/// @brief Whether the layout's first axis is channels.
bool hasChannels(Layout layout);

/// @brief The layout with the channel axis: L -> CL, HW -> CHW, DHW -> CDHW; itself otherwise.
Layout withChannels(Layout layout);

/// @brief A tensor's size: a channel count and one to three spatial sizes, outer first
/// (length; height, width; depth, height, width).
struct TensorShape {
    int channels = 1;
    std::vector<int> spatial;

    int spatialRank() const { return static_cast<int>(spatial.size()); }
    /// Depth, height and width as a 3-D tensor sees them: 1 for axes the tensor does not have
    /// (a 1-D tensor is one row of cols() cells).
    int depth() const { return spatial.size() == 3 ? spatial[0] : 1; }
    int rows() const { return spatial.size() >= 2 ? spatial[spatial.size() - 2] : 1; }
    int cols() const { return spatial.empty() ? 0 : spatial.back(); }
    /// Every cell of every channel; 0 when an axis is 0. Requires sizes small enough for 64 bits
    /// (validated shapes always are).
    std::int64_t cells() const;
    /// `3x5x7` (channels first).
    std::string text() const;
    friend bool operator==(const TensorShape &, const TensorShape &) = default;
};

/// @brief A dense tensor, channels first, in C order: channel c, depth z, row r, column x is at
/// row (c*D + z)*H + r, column x of matrix(). Every 2-D plane (c, z) is therefore a cv::Mat view
/// of H rows without a copy, and a 1-D tensor is C rows of one plane each (H = D = 1).
/// Values are CV_32F (images) or CV_64F (numbers from files); copies share data as cv::Mat does.
class Tensor {
public:
    Tensor() = default;
    /// A tensor of @p shape filled with 0. @p depth: CV_32F or CV_64F. Throws
    /// std::invalid_argument for another depth, a negative size or more than INT_MAX rows.
    Tensor(const TensorShape &shape, int depth);
    /// A tensor over an existing matrix of (C*D*H) rows and W columns (shared, not copied).
    Tensor(const TensorShape &shape, const cv::Mat &matrix);

    const TensorShape &shape() const { return m_shape; }
    int depth() const { return m_data.depth(); }
    int channels() const { return m_shape.channels; }
    bool empty() const { return m_data.empty(); }

    /// The plane of channel @p channel at depth @p z (0 below 3-D): rows() x cols(), a view.
    cv::Mat plane(int channel, int z = 0) const;
    /// All cells as one matrix of (C*D*H) rows and W columns.
    const cv::Mat &matrix() const { return m_data; }

    /// The value of channel @p channel at @p position (one index per spatial axis, outer first).
    double at(int channel, const std::vector<int> &position) const;
    /// A deep copy converted to @p depth (CV_32F or CV_64F).
    Tensor converted(int depth) const;

private:
    TensorShape m_shape;
    cv::Mat m_data;
};

/// @brief An N-D array of numbers as a file holds it, before a layout gives its axes meaning:
/// the shape (outer first) and the values in C order, as doubles.
struct NdArray {
    std::vector<std::int64_t> shape;
    std::vector<double> values;
    /// `(3, 5, 7)`, NumPy's way of writing a shape.
    std::string shapeText() const;
};

/// @brief Why @p array cannot be read in @p layout, or nullopt: `layout CHW needs a 3-D array,
/// got 2-D`, an empty axis, or more cells than the engine takes (kMaxPaddedCells).
std::optional<std::string> validateLayout(const NdArray &array, Layout layout);

/// @brief The tensor @p array holds when read in @p layout (a layout without C gives one
/// channel). @p depth: CV_32F or CV_64F. Requires validateLayout() to pass (throws
/// std::invalid_argument otherwise).
Tensor tensorFromArray(const NdArray &array, Layout layout, int depth = CV_64F);

/// @brief The channels of an image as OpenCV holds it (1 channel, or 3 in B, G, R order, any
/// depth) as a `CHW` tensor: one channel, or three in R, G, B order; values as they are
/// (0 to 255 for 8-bit images), in single precision.
Tensor tensorFromImage(const cv::Mat &image);

/// @brief The array of @p tensor in @p layout: with the channel axis when the layout has one;
/// a layout without C requires one channel. The spatial rank must match the layout's.
NdArray arrayFromTensor(const Tensor &tensor, Layout layout);

/// @brief Padding of one spatial axis: cells added before (front, top, left) and after.
struct AxisPads {
    int before = 0;
    int after = 0;
    friend bool operator==(const AxisPads &, const AxisPads &) = default;
};

/// @brief An amount for every spatial axis: a word, or explicit pads (two numbers per spatial
/// axis, outer axis first: `left,right`; `top,bottom,left,right`;
/// `front,back,top,bottom,left,right`). The list is kept as written; validate() checks its
/// length against the input's rank.
struct TensorPadAmount {
    Amount kind = Amount::Valid;
    std::vector<int> values; ///< Explicit only
    friend bool operator==(const TensorPadAmount &, const TensorPadAmount &) = default;
};

/// @brief Parses `valid|same|full|causal` or a comma-separated list of whole numbers >= 0.
/// Throws Error naming `--pad` for an unknown word, a value that is not a whole number, a
/// negative or a too large value. The list's length is checked by the ops' validate().
TensorPadAmount parseTensorPadAmount(std::string_view text);

/// @brief Why @p amount's explicit list does not fit @p rank spatial axes, e.g.
/// `a 2-D pad list has 4 numbers (top,bottom,left,right), got 3`; nullopt when it fits or the
/// amount is a word.
std::optional<std::string> padListProblem(const TensorPadAmount &amount, int rank);

/// @brief Parses `N` or one number per axis (`NYxNX`, `NDxNYxNX`), each >= @p minimum (1 for
/// sizes, strides and dilations; 0 for an output padding). Throws Error naming @p option. The
/// count is checked against the rank by the ops' validate().
std::vector<int> parseAxisValues(std::string_view text, std::string_view option, int minimum = 1);

/// @brief @p values expanded to @p rank axes: a single value applies to every axis.
/// Requires 1 or @p rank values.
std::vector<int> perAxis(const std::vector<int> &values, int rank);

/// @brief Why @p values (named @p what, e.g. `stride`) do not fit @p rank axes or are below 1,
/// or nullopt.
std::optional<std::string> axisValuesProblem(const std::vector<int> &values, int rank,
                                              std::string_view what);

/// @brief @p input with @p pads added on every spatial axis (outer first), filled by @p fill
/// (@p value for Fill::Constant). The axes are padded as NumPy's pad does, one after the other,
/// so corners take their values from already padded cells; for every fill this equals taking
/// each axis's donorIndex() on its own. Pads may be wider than the input. Every channel is
/// padded the same way; the depth (CV_32F, CV_64F) is kept.
Tensor padTensor(const Tensor &input, const std::vector<AxisPads> &pads, Fill fill,
                 double value = 0.0);

/// @brief Where padded cell @p position (one index per spatial axis) of an input of
/// @p inputShape padded by @p pads takes its value from: the input cell (one index per axis),
/// or nothing (empty) when it holds the fill value.
struct TensorDonor {
    std::vector<int> cell;  ///< input indices, or empty for the fill value
    bool isPadding = false; ///< false for the input's own cells
};
TensorDonor tensorDonor(const std::vector<int> &position, const TensorShape &inputShape,
                        const std::vector<AxisPads> &pads, Fill fill);

} // namespace padlab::core

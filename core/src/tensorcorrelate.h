#pragma once

#include "padlab/core/fill.h"
#include "padlab/core/tensor.h"

#include <array>
#include <vector>

namespace padlab::core::detail {

/// @brief Three axes (depth, rows, columns), the first ones 1 for tensors of lower rank.
using Axes3 = std::array<int, 3>;

/// @brief The axes of @p values (one per spatial axis of a tensor of @p rank) as depth, rows,
/// columns; the missing leading axes get @p missing.
Axes3 toAxes3(const std::vector<int> &values, int rank, int missing);

/// @brief A multi-channel correlation of a padded tensor, which is never made:
/// out(f, o) = bias(f) + sum over c < C/groups and taps t of
///             w(f, c, t) * padded(g*(C/groups) + c, origin + o*stride + t*dilation)
/// per axis, g = f / (F/groups), where padded is the input with @c pads added by @c fill (each
/// axis's donorIndex(), as padTensor() gives it). The weights are F x C/groups x kd x kh x kw,
/// already flipped where a true convolution wants them flipped.
struct ChannelCorrelation {
    std::array<AxisPads, 3> pads{};
    Fill fill = Fill::Zeros;
    double value = 0.0;    ///< the value of Fill::Constant
    Axes3 origin{0, 0, 0}; ///< first padded position read, per axis
    Axes3 output{1, 1, 1}; ///< output size per axis
    Axes3 stride{1, 1, 1};
    Axes3 dilation{1, 1, 1};
    Axes3 kernel{1, 1, 1};
    int filters = 1;
    int groups = 1;
    std::vector<double> weights;
    std::vector<double> bias; ///< F values or empty
};

/// @brief Computes @p job on @p input into @p out (F channels, output sizes, the input's depth;
/// allocated by the caller, every cell written). Each output plane is one call of the 2-D
/// correlation per tile over the group's channels and depth taps laid out as consecutive rows
/// (so one correlation sums them all), on every core; the rows are padded as they are laid out.
void correlateChannels(const Tensor &input, const ChannelCorrelation &job, Tensor &out);

/// @brief A tensor of @p shape whose cells are not yet written (large ones on huge pages).
Tensor uninitializedTensor(const TensorShape &shape, int depth);

/// @brief Keeps @p tensor when it has @p shape and @p depth, its cells to be overwritten;
/// otherwise replaces it with uninitializedTensor().
void reuseOrCreate(Tensor &tensor, const TensorShape &shape, int depth);

} // namespace padlab::core::detail

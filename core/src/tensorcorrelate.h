#pragma once

#include "padlab/core/tensor.h"

#include <array>
#include <vector>

namespace padlab::core::detail {

/// @brief Three axes (depth, rows, columns), the first ones 1 for tensors of lower rank.
using Axes3 = std::array<int, 3>;

/// @brief The axes of @p values (one per spatial axis of a tensor of @p rank) as depth, rows,
/// columns; the missing leading axes get @p missing.
Axes3 toAxes3(const std::vector<int> &values, int rank, int missing);

/// @brief A multi-channel correlation of an already padded tensor:
/// out(f, o) = bias(f) + sum over c < C/groups and taps t of
///             w(f, c, t) * padded(g*(C/groups) + c, origin + o*stride + t*dilation)
/// per axis, g = f / (F/groups). The weights are F x C/groups x kd x kh x kw, already flipped
/// where a true convolution wants them flipped.
struct ChannelCorrelation {
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

/// @brief Computes @p job on @p padded into @p out (F channels, output sizes, the padded
/// tensor's depth; allocated by the caller, every cell written). Each output plane is one call
/// of the 2-D correlation per row tile over the group's channels and depth taps laid out as
/// consecutive rows (so one correlation sums them all), on every core.
void correlateChannels(const Tensor &padded, const ChannelCorrelation &job, Tensor &out);

/// @brief A tensor of @p shape whose cells are not yet written (large ones on huge pages).
Tensor uninitializedTensor(const TensorShape &shape, int depth);

} // namespace padlab::core::detail

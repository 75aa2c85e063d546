#pragma once

// Checks and helpers shared by the tensor operations; not part of the public engine.

#include "padlab/core/geometry.h"
#include "padlab/core/tensor.h"
#include "padlab/core/tensorconv.h"
#include "tensorcorrelate.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace padlab::core::detail {

/// @brief "the input is empty" or a rank other than 1 to 3; nullopt for a usable input.
std::optional<std::string> inputProblem(const TensorShape &input);

/// @brief An empty kernel axis, a weight count that does not fit the shape, a value or bias
/// that is not finite; nullopt otherwise.
std::optional<std::string> weightsProblem(const TensorKernel &kernel);

/// @brief Channels, filters and groups that do not fit together. For a convolution the kernel
/// is (F, C/groups, ...): @p first = F, @p second = C/groups. For a transposed one it is
/// (C, F/groups, ...): @p first = C, @p second = F/groups (@p transposed).
std::optional<std::string> groupsProblem(int channels, int first, int second, int groups,
                                         bool transposed);

/// @brief One axis of a request for the size checks: before/after < 0 stand for "up to e - 1".
struct AxisRequest {
    int input;
    int kernel;
    int stride;
    int dilation;
    int before;
    int after;
};

/// @brief Sizes beyond what the engine handles: a dilated kernel or padded axis beyond 10^9
/// cells, a padded input, an output or the stacked planes beyond kMaxPaddedCells, or a tile of
/// stacked rows (@p channelsPerGroup channels, their depth taps and column phases, for the rows
/// one output row reads) beyond kMaxPaddedCells rows.
std::optional<std::string> sizeProblem(int channels, int filters, const std::vector<AxisRequest> &axes,
                                       int channelsPerGroup = 1);

/// @brief `cells`, `rows`, `columns` or `planes` for axis @p axis of a tensor of @p rank.
std::string axisCells(int axis, int rank);
/// @brief `length`, `rows`, `columns` or `depth` for axis @p axis of a tensor of @p rank.
std::string axisName(int axis, int rank);

/// @brief The weights as the correlation takes them: F x C/groups x kd x kh x kw, flipped on
/// every spatial axis for a true convolution; a spatial kernel becomes one filter per channel.
struct FilterBank {
    int filters = 1;
    int groups = 1;
    int channelsPerGroup = 1;
    Axes3 size{1, 1, 1};
    std::vector<double> weights;
};
FilterBank filterBank(const TensorKernel &kernel, const TensorShape &input, int groups,
                      Operation operation);

/// @brief The positions below @p padded that no window o*stride + t*dilation reads
/// (o < @p output, t < @p kernel).
std::vector<int> unreadOf(int padded, int output, int kernel, int stride, int dilation);

/// @brief The multi-index of flat (C order) index @p index in @p sizes.
std::vector<int> unravel(int index, const std::vector<int> &sizes);

/// @brief A number for a written-out sum: negatives in parentheses.
std::string term(double value);

/// @brief `w1*x1 + w2*x2 + b = sum` from (weight, value) pairs, the bias last when there is one;
/// `0 = sum` when there is nothing to add.
std::string productsText(const std::vector<std::pair<double, double>> &products, std::optional<double> bias,
                         double sum);

} // namespace padlab::core::detail

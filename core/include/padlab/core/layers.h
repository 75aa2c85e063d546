#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace padlab::core {

/// @brief One layer of a stack, in the manner of Keras.
struct Layer {
    enum class Kind { Conv2D, MaxPool, Flatten, Dense };
    Kind kind = Kind::Conv2D;
    int filters = 0;     ///< Conv2D
    int kernel = 0;      ///< Conv2D (square)
    int stride = 1;      ///< Conv2D
    bool same = false;   ///< Conv2D: padding 'same' instead of 'valid'
    int pool = 0;        ///< MaxPool: pool size and stride
    int units = 0;       ///< Dense
};

/// @brief A tensor shape without the batch axis: (H, W, C) or (N) when flat.
struct Shape {
    std::vector<std::int64_t> dims;
    std::string text() const; ///< `(None, 26, 26, 32)`
};

/// @brief One row of the summary.
struct LayerRow {
    std::string name;  ///< `conv2d_1 (Conv2D)`
    Shape output;
    std::int64_t params = 0;
};

/// @brief The summary of a stack.
struct StackSummary {
    std::vector<LayerRow> rows;
    std::int64_t totalParams = 0;
};

/// @brief Parses `conv2d:FILTERS:K[:STRIDE[:PAD]]`, `maxpool:P`, `flatten`, `dense:UNITS`,
/// comma-separated. Throws Error naming the layer at fault.
std::vector<Layer> parseLayers(std::string_view spec);

/// @brief Parses `HxWxC`. Throws Error on failure.
Shape parseInputShape(std::string_view text);

/// @brief Shapes and parameter counts, layer by layer. Throws Error naming the layer whose
/// input it cannot take (a conv or pool larger than its input, a conv after flatten, ...).
StackSummary summarize(const Shape &input, const std::vector<Layer> &layers);

/// @brief The table as Keras' model.summary() prints it, ending in `Total params: N`.
std::string formatSummary(const StackSummary &summary);

} // namespace padlab::core

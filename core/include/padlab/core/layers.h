#pragma once

#include "padlab/core/geometry.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace padlab::core {

/// @brief One layer of the layer-stack builder, in the manner of Keras: the part of the grammar
/// it edits (see LayerSpec for all of it).
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

/// @brief A tensor shape without the batch axis, channels last: (L, C), (H, W, C), (D, H, W, C),
/// or (N) when flat.
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

/// @brief One layer of a stack in the full grammar of `padlab summary --layers`, as Keras
/// builds it (channels last; Keras' own rules for shapes and parameter counts).
struct LayerSpec {
    enum class Type {
        Conv,          ///< conv1d, conv2d, conv3d: FILTERS:K[:S[:PAD[:D]]]
        ConvTranspose, ///< conv2dt: FILTERS:K[:S[:PAD]]
        Depthwise,     ///< depthwise2d: K[:S[:PAD[:MULTIPLIER]]]
        Separable,     ///< separable2d: FILTERS:K[:S[:PAD]]
        MaxPool,       ///< maxpool1d/2d/3d (maxpool is maxpool2d): P[:S[:PAD]]
        AvgPool,       ///< avgpool1d/2d/3d (avgpool is avgpool2d): P[:S[:PAD]]
        ZeroPad,       ///< zeropad1d/2d/3d: P, or before:after per axis
        GlobalAvgPool, ///< globalavgpool
        GlobalMaxPool, ///< globalmaxpool
        Flatten,       ///< flatten
        Dense,         ///< dense: UNITS
    };
    Type type = Type::Conv;
    std::string text;           ///< the layer as written (trimmed), named in messages
    std::string word;           ///< its first word, lowercased: `conv2d`, `maxpool`, ...
    int rank = 0;               ///< spatial axes it works on (1 to 3); 0 for the rest
    int filters = 0;            ///< Conv, ConvTranspose, Separable
    int units = 0;              ///< Dense
    int multiplier = 1;         ///< Depthwise
    std::vector<int> kernel;    ///< per spatial axis (pooling: the window)
    std::vector<int> stride;    ///< per spatial axis (pooling: the window unless given)
    std::vector<int> dilation;  ///< per spatial axis
    Amount padding = Amount::Valid; ///< Valid, Same, or Causal (conv1d only)
    std::vector<int> pads;      ///< ZeroPad: before, after per spatial axis, outer first
};

/// @brief Parses the full grammar, comma-separated (case-insensitive): conv1d|conv2d|conv3d,
/// conv2dt, depthwise2d, separable2d, max/avg pooling 1-D to 3-D, zeropad1d/2d/3d, globalavgpool,
/// globalmaxpool, flatten, dense (see LayerSpec::Type). K, S, D are `N` or one number per axis
/// (`3x5`). Throws Error starting `--layers: 'TEXT': ` for a layer it cannot read: an unknown
/// word, a wrong count of fields or per-axis values, a number below 1, an unknown PAD, causal
/// anywhere but conv1d.
std::vector<LayerSpec> parseLayerSpecs(std::string_view spec);

/// @brief Parses a stack's input shape, channels last as Keras: `LxC`, `HxWxC` or `DxHxWxC`,
/// each from 1 to 1000000. Throws Error naming `--input-shape`.
Shape parseStackInputShape(std::string_view text);

/// @brief Shapes and parameter counts, layer by layer, as Keras' model.summary() gives them:
/// Conv `prod(k)*c_in*filters + filters`, Conv2DTranspose the same, DepthwiseConv2D
/// `prod(k)*c_in*M + c_in*M`, SeparableConv2D `prod(k)*c_in + c_in*filters + filters`, Dense
/// `in*units + units` (on the last axis), padding, pooling and flatten 0. Throws Error
/// `--layers: layer N (WORD) 'TEXT': ...` for the first layer that does not fit its input (an
/// input of the wrong rank, naming the layer it comes from; a kernel or pool larger than its
/// input under valid; a stride above 1 with a dilation above 1, which Keras refuses) and for
/// counts beyond 64 bits.
StackSummary summarizeLayers(const Shape &input, const std::vector<LayerSpec> &layers);

/// @brief The layers of the layer-stack builder (conv2d with a square kernel and no dilation,
/// maxpool with its pool as stride and no padding, flatten, dense) from the full grammar. Throws
/// Error naming the first layer the builder cannot show.
std::vector<Layer> parseLayers(std::string_view spec);

/// @brief Parses `HxWxC`, the builder's input shape. Throws Error on failure.
Shape parseInputShape(std::string_view text);

/// @brief summarizeLayers() of the builder's layers.
StackSummary summarize(const Shape &input, const std::vector<Layer> &layers);

/// @brief The table as Keras' model.summary() prints it, ending in `Total params: N`.
std::string formatSummary(const StackSummary &summary);

} // namespace padlab::core

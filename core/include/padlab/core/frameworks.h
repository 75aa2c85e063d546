#pragma once

#include "padlab/core/convt.h"
#include "padlab/core/fill.h"
#include "padlab/core/geometry.h"
#include "padlab/core/pool.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace padlab::core {

/// @brief The libraries PadLab explains itself against (SEMANTICS.md). `padlab code` writes
/// scripts for the first four (codeFrameworks()); the NumPy script names SciPy's modes too.
enum class Framework { Keras, PyTorch, OpenCV, NumPy, SciPy };

/// @brief All frameworks in the order the program lists them.
const std::vector<Framework> &allFrameworks();

/// @brief The name used on the command line: `keras`, `pytorch`, `opencv`, `numpy`, `scipy`.
std::string_view frameworkName(Framework framework);

/// @brief The name shown to people: "Keras / TensorFlow", "PyTorch", "OpenCV (cv2)",
/// "NumPy / SciPy", "SciPy ndimage".
std::string_view frameworkDisplayName(Framework framework);

/// @brief The call a framework pads with: `tf.pad`, `F.pad`, `cv2.copyMakeBorder`, `np.pad`,
/// `scipy.ndimage`.
std::string_view padCall(Framework framework);

/// @brief The operation a fact is about: convolution (any rank, channels, groups), pooling and
/// transposed convolution each bring their own rows to the tables below.
enum class OpKind { Conv, Pool, ConvT };

/// @brief How wide a pad a framework's fill accepts, against the input's size n on that axis.
enum class PadLimit {
    None,       ///< any width: the fill keeps reflecting or wrapping (OpenCV, NumPy, SciPy)
    BelowInput, ///< every pad < n (PyTorch reflect, TensorFlow REFLECT)
    UpToInput,  ///< every pad <= n (PyTorch circular, TensorFlow SYMMETRIC)
};

/// @brief Whether a pad of @p pad cells on an axis of @p n cells is within @p limit.
bool withinLimit(PadLimit limit, int pad, int n);

/// @brief What one framework does with one fill under one operation: one row of the table of
/// framework facts that the fill names, the shape panel's notes and `padlab code` all read.
struct FillFact {
    OpKind op = OpKind::Conv;
    Framework framework = Framework::NumPy;
    Fill fill = Fill::Zeros;
    /// The framework's name for the fill, as a user writes it, e.g. `tf.pad(mode='REFLECT')`;
    /// "—" when it has none.
    std::string api;
    /// The word the framework's padding call takes (`REFLECT`, `reflect`, `BORDER_REFLECT_101`,
    /// `edge`, `mirror`); empty when it has none.
    std::string mode;
    bool supported = true;
    PadLimit limit = PadLimit::None;
    /// Who says it in a note: "TensorFlow" for tf.pad, "Keras" for its layers, "PyTorch", ...
    std::string who;
    /// The limit as a rule with the framework's own error message, e.g. `reflect needs every pad
    /// smaller than the input ("Padding size should be less than the corresponding input
    /// dimension")`; empty without a limit.
    std::string limitText;
    /// Unsupported: why, and where the fill exists instead. Supported: a caveat worth saying
    /// whenever this fill pads (a name that means something else elsewhere, a call that lacks
    /// it); often empty.
    std::string note;
};

/// @brief Every row of the fill table: each framework and fill, for each operation.
const std::vector<FillFact> &fillFacts();

/// @brief The row of @p framework and @p fill under @p op.
const FillFact &fillFact(Framework framework, Fill fill, OpKind op = OpKind::Conv);

/// @brief A setting of the window or the amount that a framework's layer refuses, whatever
/// the fill.
enum class LayerRule {
    SameWithStride,     ///< `padding='same'` with a stride above 1
    StrideWithDilation, ///< a stride above 1 together with a dilation above 1
    CausalBeyond1D,     ///< `causal` on an input of more than one row
    FullAmount,         ///< `full`, which no layer accepts
    UnevenPads,         ///< different pads before and after on one axis
    PoolSame,           ///< pooling with TensorFlow's 'same'
    PoolPadOverHalf,    ///< pooling pads larger than half the window
    PoolUnevenPads,     ///< pooling pads that differ before and after on one axis
    PoolAverageDilation, ///< an average pooling with a dilation above 1
    PoolAverage3DSmallInput, ///< a 3-D average pooling whose input is smaller than the window on an axis
    PoolExplicitPads,   ///< pooling with explicit pads (a layer taking only 'valid' and 'same')
    PoolCeil,           ///< PyTorch's ceil_mode
    PoolCountPad,       ///< an average whose divisor counts padding, or 'same' counting it
    ConvTSame,          ///< a transposed convolution with Keras' 'same'
    ConvTCrop,          ///< a transposed convolution with explicit crops (PyTorch's padding)
    ConvTGroups,        ///< a transposed convolution with groups above 1
    TensorChannels,     ///< filters summed over channels, groups, a bias, pooling or transposed convolution
    Volume,             ///< a 3-D input
};

/// @brief One refusal of a framework's convolution layer.
struct LayerFact {
    OpKind op = OpKind::Conv;
    Framework framework = Framework::NumPy;
    LayerRule rule = LayerRule::SameWithStride;
    std::string who;  ///< "PyTorch", "Keras"
    std::string text; ///< what the layer refuses, with its own error message where it has one
    /// Whether padding first (F.pad, tf.pad) still expresses the settings; false makes
    /// `padlab code` refuse.
    bool paddingFirstHelps = true;
};

/// @brief Every row of the layer table.
const std::vector<LayerFact> &layerFacts();

/// @brief The row of @p framework and @p rule; a pair the table lacks is a programming error.
const LayerFact &layerFact(Framework framework, LayerRule rule);

/// @brief One thing the frameworks agree or disagree on about an operation, whatever the
/// settings' numbers: the sentences of the shape panel and of `padlab shape` for pooling,
/// transposed convolution, volumes and groups.
struct OpFact {
    OpKind op = OpKind::Conv;
    /// What the fact is about: `max`, `average`, `same`, `ceil`, `crop`, `output padding`,
    /// `groups`, `3-D`, `channels`.
    std::string topic;
    std::string who;  ///< "PyTorch", "TensorFlow", "Keras", "OpenCV", "SciPy", "All"
    std::string text;
};

/// @brief Every row of the operation table.
const std::vector<OpFact> &opFacts();

/// @brief Whether @p rule is broken by @p spec on an input of @p inputSize.
bool breaks(LayerRule rule, const ConvSpec &spec, PerAxis inputSize);

/// @brief Whether @p rule (a pooling rule of the layer table) is broken by @p spec, whose axes
/// are @p axes, in @p framework's terms.
bool breaks(LayerRule rule, Framework framework, const PoolSpec &spec, const std::vector<PoolAxis> &axes);

/// @brief Whether the axis @p axis alone breaks @p rule, for the pooling rules that hold axis by
/// axis (pads over half the window, uneven pads, a dilation, padding at all); breaks() is true
/// when some axis does (and, for dilation and padding, the op and amount are the rule's).
bool breaksOnAxis(LayerRule rule, const PoolAxis &axis);

/// @brief Whether @p rule (a transposed convolution's rule) is broken by @p spec with @p axes.
bool breaks(LayerRule rule, const ConvTSpec &spec, const std::vector<ConvTAxis> &axes);

/// @brief The widest pad of @p sides beyond @p limit on an input of @p inputSize, in words,
/// e.g. "3 rows on top of an input 2 rows high"; empty when every pad is within it.
std::string padBeyondLimit(PadLimit limit, const Sides &sides, PerAxis inputSize);

/// @brief How @p framework writes the padding of @p spec (its amount and fill together) for a
/// 2-D input and a kernel of @p kernelSize, with the pads it comes to, @p sides (the geometry's):
/// Keras `padding='valid'`, `padding='same'`, `padding='causal' (Conv1D)` or
/// `ZeroPadding2D(((t, b), (l, r)))` for zeros, else `tf.pad(x, [[t, b], [l, r]], mode='REFLECT')`;
/// PyTorch `padding='valid'`, `padding='same'` (stride 1 only), `padding=(t, l)` for equal pads
/// on both sides of each axis, else `F.pad(x, (l, r, t, b))`, with its padding_mode or mode;
/// OpenCV `cv2.copyMakeBorder(x, t, b, l, r, cv2.BORDER_...)`; NumPy
/// `np.pad(x, ((t, b), (l, r)), mode='...')`; SciPy ndimage's `mode='...'` where its filters pad
/// as the spec does (k//2 before, the rest after, stride and dilation 1). "—" and the reason where
/// the framework has no such padding. Facts from fillFacts() and SEMANTICS.md.
std::string paddingSpelling(Framework framework, const ConvSpec &spec, const Sides &sides, PerAxis kernelSize);

/// @brief What the fill goes on doing where a framework with a limit stops: "reflecting",
/// "mirroring", "wrapping"; empty for the other fills.
std::string_view keepsGoing(Fill fill);

} // namespace padlab::core

#include "padlab/core/frameworks.h"

#include <algorithm>
#include <stdexcept>

namespace padlab::core {

namespace {

struct FrameworkInfo {
    Framework framework;
    std::string_view name;
    std::string_view displayName;
    std::string_view padCall;
};

constexpr FrameworkInfo kFrameworks[] = {
    {Framework::Keras, "keras", "Keras / TensorFlow", "tf.pad"},
    {Framework::PyTorch, "pytorch", "PyTorch", "F.pad"},
    {Framework::OpenCV, "opencv", "OpenCV (cv2)", "cv2.copyMakeBorder"},
    {Framework::NumPy, "numpy", "NumPy / SciPy", "np.pad"},
    {Framework::SciPy, "scipy", "SciPy ndimage", "scipy.ndimage"},
};

const FrameworkInfo &info(Framework framework)
{
    return kFrameworks[static_cast<size_t>(framework)];
}

FillFact row(Framework framework, Fill fill, std::string api, std::string mode, std::string who)
{
    FillFact fact;
    fact.framework = framework;
    fact.fill = fill;
    fact.api = std::move(api);
    fact.mode = std::move(mode);
    fact.who = std::move(who);
    return fact;
}

FillFact limited(FillFact fact, PadLimit limit, std::string text)
{
    fact.limit = limit;
    fact.limitText = std::move(text);
    return fact;
}

FillFact noted(FillFact fact, std::string note)
{
    fact.note = std::move(note);
    return fact;
}

FillFact missing(Framework framework, Fill fill, std::string who, std::string why)
{
    FillFact fact = row(framework, fill, "—", {}, std::move(who));
    fact.supported = false;
    fact.note = std::move(why);
    return fact;
}

// SEMANTICS.md sections 2.6, 3, 4, 5, 6 and the name map of section 9, in one place.
std::vector<FillFact> makeFillFacts()
{
    using F = Framework;
    return {
        row(F::Keras, Fill::Zeros, "padding='same' (zeros), ZeroPadding2D, tf.pad CONSTANT", "CONSTANT", "Keras"),
        noted(row(F::Keras, Fill::Constant, "tf.pad(mode='CONSTANT', constant_values=c)", "CONSTANT", "Keras"),
              "Conv layers pad with zeros only; a constant needs tf.pad(..., constant_values=c) before a 'valid' "
              "conv (PyTorch: F.pad(value=c))."),
        limited(row(F::Keras, Fill::Reflect, "tf.pad(mode='REFLECT')", "REFLECT", "TensorFlow"), PadLimit::BelowInput,
                "REFLECT needs every pad smaller than the input (\"paddings must be less than the dimension size\")"),
        limited(row(F::Keras, Fill::Symmetric, "tf.pad(mode='SYMMETRIC')", "SYMMETRIC", "TensorFlow"),
                PadLimit::UpToInput, "SYMMETRIC needs every pad no larger than the input"),
        missing(F::Keras, Fill::Replicate, "TensorFlow",
                "tf.pad has no edge mode (only CONSTANT, REFLECT and SYMMETRIC), so Keras cannot express replicate "
                "padding."),
        missing(F::Keras, Fill::Circular, "TensorFlow",
                "tf.pad has no wrap mode (only CONSTANT, REFLECT and SYMMETRIC), so Keras cannot express circular "
                "padding."),

        row(F::PyTorch, Fill::Zeros, "padding_mode='zeros'", "constant", "PyTorch"),
        row(F::PyTorch, Fill::Constant, "F.pad(mode='constant', value=c)", "constant", "PyTorch"),
        limited(row(F::PyTorch, Fill::Reflect, "padding_mode='reflect'", "reflect", "PyTorch"), PadLimit::BelowInput,
                "reflect needs every pad smaller than the input (\"Padding size should be less than the "
                "corresponding input dimension\")"),
        missing(F::PyTorch, Fill::Symmetric, "PyTorch",
                "There is no symmetric fill in PyTorch (neither padding_mode nor F.pad has one); "
                "numpy.pad(mode='symmetric'), tf.pad(mode='SYMMETRIC') and OpenCV's BORDER_REFLECT have it."),
        row(F::PyTorch, Fill::Replicate, "padding_mode='replicate'", "replicate", "PyTorch"),
        limited(row(F::PyTorch, Fill::Circular, "padding_mode='circular'", "circular", "PyTorch"), PadLimit::UpToInput,
                "circular refuses pads larger than the input (\"Padding value causes wrapping around more than "
                "once\")"),

        row(F::OpenCV, Fill::Zeros, "BORDER_CONSTANT (value 0)", "BORDER_CONSTANT", "OpenCV"),
        row(F::OpenCV, Fill::Constant, "BORDER_CONSTANT (value c)", "BORDER_CONSTANT", "OpenCV"),
        row(F::OpenCV, Fill::Reflect, "BORDER_REFLECT_101 (default)", "BORDER_REFLECT_101", "OpenCV"),
        row(F::OpenCV, Fill::Symmetric, "BORDER_REFLECT", "BORDER_REFLECT", "OpenCV"),
        row(F::OpenCV, Fill::Replicate, "BORDER_REPLICATE", "BORDER_REPLICATE", "OpenCV"),
        noted(row(F::OpenCV, Fill::Circular, "BORDER_WRAP", "BORDER_WRAP", "OpenCV"),
              "filter2D does not support BORDER_WRAP; pad with copyMakeBorder(BORDER_WRAP) first, then filter the "
              "padded image."),

        row(F::NumPy, Fill::Zeros, "np.pad mode='constant'", "constant", "NumPy"),
        row(F::NumPy, Fill::Constant, "np.pad mode='constant', constant_values=c", "constant", "NumPy"),
        row(F::NumPy, Fill::Reflect, "np.pad mode='reflect'", "reflect", "NumPy"),
        row(F::NumPy, Fill::Symmetric, "np.pad mode='symmetric'", "symmetric", "NumPy"),
        row(F::NumPy, Fill::Replicate, "np.pad mode='edge'", "edge", "NumPy"),
        row(F::NumPy, Fill::Circular, "np.pad mode='wrap'", "wrap", "NumPy"),

        row(F::SciPy, Fill::Zeros, "mode='constant' (cval=0)", "constant", "SciPy"),
        row(F::SciPy, Fill::Constant, "mode='constant', cval=c", "constant", "SciPy"),
        noted(row(F::SciPy, Fill::Reflect, "mode='mirror'", "mirror", "SciPy"),
              "This fill is called 'mirror' in scipy.ndimage; SciPy's 'reflect' is the symmetric fill."),
        noted(row(F::SciPy, Fill::Symmetric, "mode='reflect'", "reflect", "SciPy"),
              "This fill is called 'reflect' in scipy.ndimage (and BORDER_REFLECT in OpenCV)."),
        row(F::SciPy, Fill::Replicate, "mode='nearest'", "nearest", "SciPy"),
        row(F::SciPy, Fill::Circular, "mode='wrap'", "wrap", "SciPy"),
    };
}

LayerFact layerRow(Framework framework, LayerRule rule, std::string who, std::string text, bool paddingFirstHelps)
{
    LayerFact fact;
    fact.framework = framework;
    fact.rule = rule;
    fact.who = std::move(who);
    fact.text = std::move(text);
    fact.paddingFirstHelps = paddingFirstHelps;
    return fact;
}

// SEMANTICS.md sections 2.2, 2.3, 2.7 and 3.
std::vector<LayerFact> makeLayerFacts()
{
    using F = Framework;
    return {
        layerRow(F::PyTorch, LayerRule::SameWithStride, "PyTorch",
                 "Conv2d refuses padding='same' with a stride above 1 (\"padding='same' is not supported for "
                 "strided convolutions\")",
                 true),
        layerRow(F::PyTorch, LayerRule::UnevenPads, "PyTorch",
                 "Conv2d's padding is the same on both sides of an axis; these uneven pads need F.pad first "
                 "(Keras: ZeroPadding2D(((top, bottom), (left, right)))).",
                 true),
        layerRow(F::Keras, LayerRule::StrideWithDilation, "Keras",
                 "Conv2D refuses strides > 1 together with dilation_rate > 1 (ValueError); PyTorch accepts both.",
                 false),
        layerRow(F::Keras, LayerRule::CausalBeyond1D, "Keras",
                 "'causal' exists only for Conv1D; on a 2-D input PadLab pads the top and the left by e-1, which no "
                 "Keras layer does.",
                 true),
        layerRow(F::Keras, LayerRule::FullAmount, "Keras",
                 "No layer accepts padding='full' (only a legacy helper knows it)", true),
    };
}

bool strided(const ConvSpec &spec)
{
    return spec.stride.rows > 1 || spec.stride.cols > 1;
}

} // namespace

const std::vector<Framework> &allFrameworks()
{
    static const std::vector<Framework> frameworks = {Framework::Keras, Framework::PyTorch, Framework::OpenCV,
                                                      Framework::NumPy, Framework::SciPy};
    return frameworks;
}

std::string_view frameworkName(Framework framework)
{
    return info(framework).name;
}

std::string_view frameworkDisplayName(Framework framework)
{
    return info(framework).displayName;
}

std::string_view padCall(Framework framework)
{
    return info(framework).padCall;
}

bool withinLimit(PadLimit limit, int pad, int n)
{
    switch (limit) {
    case PadLimit::None: return true;
    case PadLimit::BelowInput: return pad < n;
    case PadLimit::UpToInput: return pad <= n;
    }
    return true;
}

const std::vector<FillFact> &fillFacts()
{
    static const std::vector<FillFact> facts = makeFillFacts();
    return facts;
}

const FillFact &fillFact(Framework framework, Fill fill, OpKind op)
{
    for (const FillFact &fact : fillFacts())
        if (fact.framework == framework && fact.fill == fill && fact.op == op)
            return fact;
    throw std::logic_error("fillFact: the table has no row for this framework and fill");
}

const std::vector<LayerFact> &layerFacts()
{
    static const std::vector<LayerFact> facts = makeLayerFacts();
    return facts;
}

bool breaks(LayerRule rule, const ConvSpec &spec, PerAxis inputSize)
{
    const Amount kind = spec.amount.kind;
    const Sides &s = spec.amount.sides;
    switch (rule) {
    case LayerRule::SameWithStride: return kind == Amount::Same && strided(spec);
    case LayerRule::StrideWithDilation:
        return strided(spec) && (spec.dilation.rows > 1 || spec.dilation.cols > 1);
    case LayerRule::CausalBeyond1D: return kind == Amount::Causal && inputSize.rows != 1;
    case LayerRule::FullAmount: return kind == Amount::Full;
    case LayerRule::UnevenPads: return kind == Amount::Explicit && (s.top != s.bottom || s.left != s.right);
    }
    return false;
}

std::string padBeyondLimit(PadLimit limit, const Sides &sides, PerAxis inputSize)
{
    std::string out;
    const auto check = [&](int before, int after, int dim, const char *cells, const char *first, const char *second,
                           const char *extent) {
        const int pad = std::max(before, after);
        if (withinLimit(limit, pad, dim))
            return;
        out += out.empty() ? "" : " and ";
        out += std::to_string(pad) + " " + cells + (pad == before ? first : second) + " an input " +
               std::to_string(dim) + " " + cells + " " + extent;
    };
    check(sides.top, sides.bottom, inputSize.rows, "rows", " on top of", " below", "high");
    check(sides.left, sides.right, inputSize.cols, "columns", " left of", " right of", "wide");
    return out;
}

std::string_view keepsGoing(Fill fill)
{
    switch (fill) {
    case Fill::Reflect: return "reflecting";
    case Fill::Symmetric: return "mirroring";
    case Fill::Circular: return "wrapping";
    default: return {};
    }
}

} // namespace padlab::core

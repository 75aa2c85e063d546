#include "padlab/core/frameworks.h"

#include "padlab/core/window.h"

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

LayerFact layerRow(Framework framework, LayerRule rule, std::string who, std::string text, bool paddingFirstHelps,
                   OpKind op = OpKind::Conv)
{
    LayerFact fact;
    fact.op = op;
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
        layerRow(F::OpenCV, LayerRule::TensorChannels, "OpenCV",
                 "cv2.filter2D applies one 2-D kernel to every channel on its own; filters that sum over channels, "
                 "groups, a bias, pooling and transposed convolution are layers of cv2.dnn, not filter2D",
                 false),
        layerRow(F::OpenCV, LayerRule::Volume, "OpenCV", "cv2.filter2D is 2-D only; it has no 3-D kernel", false),

        // SEMANTICS.md section 3 (PyTorch's pooling) and tf.nn's notes on padding.
        layerRow(F::PyTorch, LayerRule::PoolSame, "PyTorch",
                 "PyTorch's pooling has no padding='same' (TensorFlow's rule): its padding is one number of cells "
                 "on both sides of an axis",
                 false, OpKind::Pool),
        layerRow(F::PyTorch, LayerRule::PoolPadOverHalf, "PyTorch",
                 "PyTorch's pooling refuses pads larger than half the window (\"pad should be smaller than or equal "
                 "to half of kernel size\")",
                 false, OpKind::Pool),
        layerRow(F::PyTorch, LayerRule::PoolUnevenPads, "PyTorch",
                 "PyTorch's pooling pads both sides of an axis alike; padding first with F.pad would change which "
                 "cells an average counts and where ceil mode drops a window",
                 false, OpKind::Pool),
        layerRow(F::PyTorch, LayerRule::PoolAverageDilation, "PyTorch", "PyTorch's AvgPool has no dilation", false,
                 OpKind::Pool),
        // ATen's avg_pool3d checks the input before padding ("input image ... smaller than kernel
        // size"); max_pool3d and the 1-D and 2-D poolings check only the output size.
        layerRow(F::PyTorch, LayerRule::PoolAverage3DSmallInput, "PyTorch",
                 "PyTorch's avg_pool3d refuses an input smaller than its window on any axis, padding not counted "
                 "(\"input image ... smaller than kernel size\"); max_pool3d and the 1-D and 2-D poolings accept it",
                 false, OpKind::Pool),
        layerRow(F::Keras, LayerRule::PoolExplicitPads, "Keras",
                 "Keras' pooling layers take only padding='valid' or 'same'; a ZeroPadding layer before them adds "
                 "zeros that a max compares and an average counts as values",
                 false, OpKind::Pool),
        layerRow(F::Keras, LayerRule::PoolCeil, "Keras",
                 "Keras has no ceil mode: its pooling rounds the output size down ('valid') or to ceil(n/s) "
                 "('same')",
                 false, OpKind::Pool),
        layerRow(F::Keras, LayerRule::PoolCountPad, "Keras",
                 "Keras' AveragePooling with 'same' never counts the padding (TensorFlow's rule)", false,
                 OpKind::Pool),
        layerRow(F::Keras, LayerRule::PoolAverageDilation, "Keras", "Keras' pooling layers have no dilation", false,
                 OpKind::Pool),

        // SEMANTICS.md section 8.
        layerRow(F::PyTorch, LayerRule::ConvTSame, "PyTorch",
                 "PyTorch's ConvTranspose has no padding='same': its padding crops the same number of cells from "
                 "both sides, while Keras' 'same' crops max(e - s, 0)//2 before and the rest after",
                 false, OpKind::ConvT),
        layerRow(F::Keras, LayerRule::ConvTCrop, "Keras",
                 "Keras' Conv2DTranspose takes only 'valid' and 'same'; PyTorch's padding (cells cropped from each "
                 "side) needs a Cropping layer after it",
                 true, OpKind::ConvT),
        layerRow(F::Keras, LayerRule::ConvTGroups, "Keras", "Keras' Conv2DTranspose has no groups", false,
                 OpKind::ConvT),
        layerRow(F::Keras, LayerRule::StrideWithDilation, "Keras",
                 "Keras' Conv2DTranspose refuses strides > 1 together with dilation_rate > 1", false, OpKind::ConvT),
    };
}

// SEMANTICS.md sections 2, 3, 4, 6 and 8: what holds whatever the numbers.
std::vector<OpFact> makeOpFacts()
{
    return {
        {OpKind::Pool, "max", "All",
         "A max pooling never takes a padded cell: PyTorch pads with -inf, TensorFlow and Keras skip the "
         "padding, so only input cells compete."},
        {OpKind::Pool, "average", "PyTorch",
         "AvgPool counts the padded cells as zeros in the divisor by default (count_include_pad=True); with "
         "count_include_pad=False it divides by the input cells read."},
        {OpKind::Pool, "average", "TensorFlow",
         "Average pooling with 'same' divides by the input cells each window reads, never by the padding "
         "(Keras' AveragePooling alike)."},
        {OpKind::Pool, "same", "TensorFlow",
         "'same' pooling splits its padding as a convolution's, the odd extra cell after; PyTorch has no 'same' "
         "pooling."},
        {OpKind::Pool, "ceil", "PyTorch",
         "ceil_mode rounds the output size up but drops a last window that would start in the right padding; "
         "Keras and TensorFlow have no ceil mode."},
        {OpKind::Pool, "stride", "All",
         "A pooling's stride defaults to its window in PyTorch (stride=None) and Keras (strides=None) alike."},
        {OpKind::ConvT, "crop", "PyTorch",
         "ConvTranspose's padding removes cells: p crops p cells from each side of the full output (n-1)*s + e; "
         "it equals a direct convolution of the zero-stuffed input padded by e - 1 - p."},
        {OpKind::ConvT, "same", "Keras",
         "Conv2DTranspose 'same' gives n*s cells, cropping max(e - s, 0)//2 before and the rest after; 'valid' "
         "gives max((n-1)*s + e, n*s), cells past the stamps holding only the bias."},
        {OpKind::ConvT, "output padding", "PyTorch",
         "output_padding adds cells after the output on each axis, holding only the bias where no input reaches; "
         "it must be smaller than the stride or the dilation (\"output padding must be smaller than either stride "
         "or dilation\")."},
        {OpKind::ConvT, "kernel", "All",
         "PyTorch keeps a transposed kernel as (in channels, out channels/groups, *k), the other way round from a "
         "convolution's (out, in/groups, *k); Keras' Conv2DTranspose kernel is (kh, kw, out, in)."},
        {OpKind::Conv, "groups", "All",
         "groups splits channels and filters into groups that never mix, alike in PyTorch (groups) and Keras "
         "(groups); groups = channels, each with its own filters, is Keras' DepthwiseConv2D (depth_multiplier "
         "filters per channel)."},
        {OpKind::Conv, "channels", "OpenCV",
         "filter2D applies one 2-D kernel to every channel on its own (groups = channels in PyTorch's terms); a "
         "filter summing over channels needs cv2.dnn."},
        {OpKind::Conv, "3-D", "All",
         "Keras' Conv3D and PyTorch's Conv3d pad and stride depth as they do height and width; OpenCV's filter2D "
         "is 2-D only, and SciPy's ndimage.correlate works in N-D but centres even kernels at k//2 and has no "
         "stride."},
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

const LayerFact &layerFact(Framework framework, LayerRule rule)
{
    for (const LayerFact &fact : layerFacts())
        if (fact.framework == framework && fact.rule == rule)
            return fact;
    throw std::logic_error("layerFact: the table has no row for this framework and rule");
}

const std::vector<OpFact> &opFacts()
{
    static const std::vector<OpFact> facts = makeOpFacts();
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
    // The rules of pooling, transposed convolution and tensors are decided where those are computed.
    default: return false;
    }
    return false;
}

bool breaksOnAxis(LayerRule rule, const PoolAxis &a)
{
    switch (rule) {
    // PyTorch: "pad should be smaller than or equal to half of kernel size".
    case LayerRule::PoolPadOverHalf: return std::max(a.before, a.after) > a.window / 2;
    case LayerRule::PoolUnevenPads: return a.before != a.after;
    case LayerRule::PoolAverageDilation: return a.dilation > 1;
    case LayerRule::PoolAverage3DSmallInput: return a.input < a.window;
    case LayerRule::PoolExplicitPads:
    case LayerRule::PoolCountPad: return a.before + a.after > 0;
    default: return false;
    }
}

bool breaks(LayerRule rule, Framework framework, const PoolSpec &spec, const std::vector<PoolAxis> &axes)
{
    const Amount kind = spec.amount.kind;
    const bool anyAxis =
        std::any_of(axes.begin(), axes.end(), [rule](const PoolAxis &a) { return breaksOnAxis(rule, a); });
    switch (rule) {
    case LayerRule::PoolSame: return kind == Amount::Same;
    case LayerRule::PoolPadOverHalf:
    case LayerRule::PoolUnevenPads: return anyAxis;
    case LayerRule::PoolAverageDilation: return (spec.op == PoolOp::Average || framework == Framework::Keras) && anyAxis;
    case LayerRule::PoolAverage3DSmallInput:
        return framework == Framework::PyTorch && spec.op == PoolOp::Average && axes.size() == 3 && anyAxis;
    case LayerRule::PoolExplicitPads: return kind == Amount::Explicit && anyAxis;
    case LayerRule::PoolCeil: return spec.ceil;
    case LayerRule::PoolCountPad:
        return spec.op == PoolOp::Average && kind == Amount::Same && countsPadding(spec) && anyAxis;
    default: return false;
    }
}

bool breaks(LayerRule rule, const ConvTSpec &spec, const std::vector<ConvTAxis> &axes)
{
    const auto any = [&](auto test) { return std::any_of(axes.begin(), axes.end(), test); };
    switch (rule) {
    case LayerRule::ConvTSame: return spec.amount.kind == Amount::Same;
    case LayerRule::ConvTCrop:
        return spec.amount.kind == Amount::Explicit && any([](const ConvTAxis &a) { return a.before + a.after > 0; });
    case LayerRule::ConvTGroups: return spec.groups > 1;
    case LayerRule::StrideWithDilation:
        return any([](const ConvTAxis &a) { return a.stride > 1; }) &&
               any([](const ConvTAxis &a) { return a.dilation > 1; });
    default: return false;
    }
}

std::string paddingSpelling(Framework framework, const ConvSpec &spec, const Sides &sides, PerAxis kernelSize)
{
    const FillFact &fact = fillFact(framework, spec.fill);
    const bool none = sides == Sides{};
    const bool evenAxes = sides.top == sides.bottom && sides.left == sides.right;
    const bool stride1 = spec.stride == PerAxis{1, 1};
    const auto n = [](int value) { return std::to_string(value); };
    const std::string hw = "(" + n(sides.top) + ", " + n(sides.bottom) + "), (" + n(sides.left) + ", " +
                           n(sides.right) + ")";
    const std::string lrtb = n(sides.left) + ", " + n(sides.right) + ", " + n(sides.top) + ", " + n(sides.bottom);
    const std::string value = formatNumber(spec.value);
    const bool zeros = spec.fill == Fill::Zeros;
    const bool constant = spec.fill == Fill::Constant;
    if (!fact.supported && !none)
        return "—";
    switch (framework) {
    case Framework::Keras:
        if (none)
            return "padding='valid'";
        if (zeros && spec.amount.kind == Amount::Same)
            return "padding='same'";
        if (zeros && spec.amount.kind == Amount::Causal && sides.top == 0 && sides.bottom == 0)
            return "padding='causal' (Conv1D)";
        if (zeros)
            return "ZeroPadding2D((" + hw + "))";
        return "tf.pad(x, [[" + n(sides.top) + ", " + n(sides.bottom) + "], [" + n(sides.left) + ", " +
               n(sides.right) + "]], " + (constant ? "constant_values=" + value : "mode='" + fact.mode + "'") + ")";
    case Framework::PyTorch: {
        if (none)
            return "padding='valid'";
        if (constant)
            return "F.pad(x, (" + lrtb + "), value=" + value + ")";
        // padding='same' is refused with a stride; the module pads as F.pad does with its mode.
        const std::string mode = zeros ? std::string() : ", padding_mode='" + fact.mode + "'";
        if (spec.amount.kind == Amount::Same && stride1)
            return "padding='same'" + mode;
        if (evenAxes)
            return "padding=(" + n(sides.top) + ", " + n(sides.left) + ")" + mode;
        return "F.pad(x, (" + lrtb + ")" + (zeros ? std::string() : ", mode='" + fact.mode + "'") + ")";
    }
    case Framework::OpenCV:
        if (none)
            return "no border";
        return "cv2.copyMakeBorder(x, " + n(sides.top) + ", " + n(sides.bottom) + ", " + n(sides.left) + ", " +
               n(sides.right) + ", cv2." + fact.mode + (zeros ? ", value=0" : constant ? ", value=" + value : "") +
               ")";
    case Framework::NumPy:
        if (none)
            return "no np.pad";
        return "np.pad(x, (" + hw + "), mode='" + fact.mode + "'" + (constant ? ", constant_values=" + value : "") +
               ")";
    case Framework::SciPy: {
        // ndimage's filters keep the input's size, the kernel's centre at k//2 (SEMANTICS.md 6).
        const Sides centred{kernelSize.rows / 2, kernelSize.rows - 1 - kernelSize.rows / 2, kernelSize.cols / 2,
                            kernelSize.cols - 1 - kernelSize.cols / 2};
        if (sides != centred || !stride1 || spec.dilation != PerAxis{1, 1})
            return "— (its filters pad k//2 before and the rest after, at stride 1)";
        return "mode='" + fact.mode + "'" + (constant ? ", cval=" + value : "");
    }
    }
    return "—";
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

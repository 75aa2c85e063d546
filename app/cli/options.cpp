#include "options.h"

#include "padlab/core/fill.h"
#include "padlab/core/kernels.h"
#include "padlab/core/tensor.h"

#include <QFile>

#include <cmath>
#include <optional>

namespace padlab::cli {

const std::vector<OptionDef> &optionDefs()
{
    static const std::vector<OptionDef> defs = {
        {"kernel", {"kernel"}, "K",
         "The kernel: a .npy file in PyTorch's layout ((F, C/groups, *k) for conv, (C, F/groups, "
         "*k) for convt), or one spatial kernel that every channel gets on its own: a .npy or "
         ".csv file of the spatial axes, a preset name (" +
             QString::fromStdString([] {
                 std::string names;
                 for (const auto &name : core::presetNames())
                     names += (names.empty() ? "" : ", ") + name;
                 return names;
             }()) +
             ") or inline rows such as \"1,0,-1;2,0,-2;1,0,-1\" (rows split by ';')."},
        {"bias", {"bias"}, "B",
         "One value per filter (output channel), added to every output cell: a .npy or .csv file, "
         "or inline values such as \"0.5,-1\"."},
        {"groups", {"groups"}, "G",
         "Split the channels into G groups, each convolved with its own filters (PyTorch's "
         "groups; depthwise is G = channels). Default: 1."},
        {"layout", {"layout"}, "LAYOUT",
         "The axes of INPUT, channels first: L or CL (1-D), HW or CHW (2-D), DHW or CDHW (3-D). "
         "Default by rank: 1 -> L, 2 -> HW, 3 -> CHW, 4 -> CDHW; an image is HW (CHW with "
         "--color)."},
        {"kernel-size", {"kernel-size"}, "K",
         "Kernel size: N for every axis or one number per axis (KHxKW, KDxKHxKW). For pad it "
         "decides the same, full and causal amounts (default 1); shape requires it (for pool: "
         "the window)."},
        {"input-size", {"input-size"}, "SIZE",
         "Input size without channels: L (1-D), HxW (2-D) or DxHxW (3-D), e.g. 28x28."},
        {"pad", {"pad"}, "P",
         "Amount of padding: valid (none), same (output size ceil(n/stride), the odd extra cell "
         "after, as in TensorFlow), full (reach-1 on every side), causal (reach-1 before only: "
         "the start of a signal, the top and left of an image) or explicit cells per side, two "
         "numbers per spatial axis, outer axis first: left,right (1-D), top,bottom,left,right "
         "(2-D), front,back,top,bottom,left,right (3-D). Pooling takes valid, same or explicit "
         "pads; for convt explicit numbers are cells cropped from the output (PyTorch's padding) "
         "and valid and same are Keras'. Default: valid."},
        {"fill", {"fill"}, "F",
         "Values of the added cells: zeros, constant (see --value), reflect (dcb|abcd|cba), "
         "symmetric (cba|abcd|dcb), replicate (aaa|abcd|ddd) or circular (bcd|abcd|abc). "
         "Default: zeros."},
        {"value", {"value"}, "C",
         "The value of the added cells for --fill constant (default 0). Given without --fill, "
         "it selects --fill constant."},
        {"stride", {"stride"}, "S",
         "Step of the window: N for every axis or one number per axis, outer first (NYxNX, "
         "NDxNYxNX). Default: 1; for pool the window size."},
        {"dilation", {"dilation"}, "D",
         "Spacing between kernel taps: N or one number per axis. Default: 1."},
        {"output-padding", {"output-padding"}, "O",
         "Cells added after the output on each axis (PyTorch's output_padding), N or one number "
         "per axis, each smaller than the stride or the dilation; with explicit --pad only. "
         "Default: 0."},
        {"pool-op", {"op"}, "max|avg",
         "What a window makes of its cells: max (padded cells never win) or avg."},
        {"size", {"size"}, "K", "The pooling window: N for every axis or one number per axis."},
        {"ceil", {"ceil"}, {},
         "Round the output size up (PyTorch's ceil_mode, with explicit --pad), dropping a last "
         "window that would start in the right padding; for shape with --op pool."},
        {"count-pad", {"count-pad"}, "WHICH",
         "Whether an average divides by the padded cells too: include (PyTorch's "
         "count_include_pad, its default for explicit pads) or exclude (TensorFlow's same, the "
         "default there)."},
        {"rules", {"rules"}, "pytorch|tensorflow|both",
         "For render --view pool: whose pooling rule is drawn, PyTorch's (explicit pads, ceil_mode, "
         "count_include_pad; default) or TensorFlow's (valid or same, padding never counted), or both "
         "side by side when they differ."},
        {"shape-op", {"op"}, "conv|pool|convt",
         "The operation whose shape is asked: conv (default), pool (--kernel-size is the window; "
         "the stride defaults to it) or convt (transposed convolution)."},
        {"code-op", {"op"}, "conv|convt|max|avg",
         "The operation the script computes: conv (default), convt (as padlab convt), or max or "
         "avg (as padlab pool --op max|avg)."},
        {"convolution", {"convolution"}, {},
         "True convolution (kernel flipped on both axes) instead of cross-correlation, which is "
         "what deep-learning frameworks and cv::filter2D compute."},
        {"color", {"color"}, {},
         "Read an image in colour, as three channels in R, G, B order (CHW), instead of "
         "grayscale. CSV and .npy input are unaffected."},
        {"output", {"o", "output"}, "OUT",
         "Write the result to OUT instead of standard output: a .csv file, a .npy file (float64, "
         "C order, axes as the input's layout), or an 8-bit image (.png, .jpg, .jpeg, .bmp, "
         ".tif, .tiff, .webp; one plane of 1 or 3 channels) with values rounded and saturated to "
         "0..255; for render a .png, .svg, .pdf, .gif, .mp4 or .csv file; for code the Python "
         "script. The folder must exist; "
         "the file is replaced only once the result is complete, and never when it is a file the "
         "command reads (INPUT, --kernel, --bias, a lesson's input)."},
        {"framework", {"framework"}, "NAME",
         "The library the code is written for: keras (Keras / TensorFlow), pytorch, opencv (cv2) "
         "or numpy (NumPy / SciPy)."},
        {"input-shape", {"input-shape"}, "SHAPE",
         "Input tensor shape without the batch axis, channels last as Keras: LxC, HxWxC or "
         "DxHxWxC, e.g. 28x28x1."},
        {"layers", {"layers"}, "SPEC",
         "Comma-separated layers (K, S, D: N or one number per axis): "
         "conv1d|conv2d|conv3d:FILTERS:K[:S[:PAD[:D]]] (PAD valid, same, or causal for conv1d), "
         "conv2dt:FILTERS:K[:S[:PAD]], depthwise2d:K[:S[:PAD[:MULTIPLIER]]], "
         "separable2d:FILTERS:K[:S[:PAD]], maxpool1d|maxpool2d|maxpool3d|avgpool1d|avgpool2d|"
         "avgpool3d:P[:S[:PAD]] (maxpool and avgpool are 2-D), zeropad1d|zeropad2d|zeropad3d:P "
         "or one before:after pair per axis (zeropad2d:T:B:L:R), globalavgpool, globalmaxpool, "
         "flatten, dense:UNITS."},
        {"view", {"view"}, "VIEW",
         "What render draws: input, padded, window, output, or all four side by side as in the "
         "window (default); or a teaching view: signal (a one-row input in time), compare (every "
         "fill, with difference maps), stages (the kernel applied again and again), channels (every "
         "channel of the input through a bank of filters: partial sums, bias and feature maps), pool "
         "(max or average pooling with padding: --op, --size, --stride, --pad, --ceil, --count-pad, "
         "--rules), transposed (a transposed convolution: the zero-stuffed input and the stamps, "
         "crops and added cells; --pad, --stride, --dilation, --output-padding) or volume (a 3-D "
         "input padded on six sides, as depth slices). For .csv: "
         "input, padded, output (default) or signal."},
        {"step", {"step"}, "N",
         "Position of the window for a still, counted row by row over the output from 1, as "
         "the window's Step N / M (step 1 is the top left output cell). Default: 1, or a lesson's "
         "step."},
        {"scale", {"scale"}, "S",
         "Pixels per cell (fractions allowed). Default: for grids of up to 48 cells a side, "
         "cells large enough for every number to be at least 14 pixels high (a slide's back row "
         "reads them); for larger grids up to 32, so that a panel is about 320 pixels wide. "
         "Without --scale, a GIF's or MP4's cells are made smaller, the text keeping its size, for "
         "frames that fit 1920 x 1080."},
        {"every", {"every"}, "N",
         "Animations: one frame every N window positions (the last is always shown). Default: 1."},
        {"row-by-row", {"row-by-row"}, {},
         "Animations: one frame per output row, the window at the row's end."},
        {"fps", {"fps"}, "F", "Animations: frames per second, 1 to 50. Default: 10."},
        {"dark", {"dark"}, {}, "Dark colours, as the window's dark theme."},
        {"max-memory", {"max-memory"}, "SIZE",
         "The most memory one request may need, checked before any work: bytes, or with K, M, G "
         "or T (powers of 1000; KiB, MiB, GiB, TiB for powers of 1024), e.g. 8G. Default: "
         "PADLAB_MAX_MEMORY, else 4G."},
        {"max-work", {"max-work"}, "N",
         "The most multiply-adds one request may take, e.g. 5T. Default: PADLAB_MAX_WORK, else 1T."},
        {"max-frames", {"max-frames"}, "N",
         "The most frames an animation may have. Default: PADLAB_MAX_FRAMES, else 10000."},
        {"allow-outside-paths", {"allow-outside-paths"}, {},
         "Let a lesson read an input outside its own folder (an absolute path, or one that "
         "climbs out with ..); without it such a lesson is refused."},
        {"help", {"h", "help"}, {}, "Show this help and exit."},
    };
    return defs;
}

const OptionDef &optionDef(const QString &key)
{
    for (const auto &def : optionDefs()) {
        if (def.key == key)
            return def;
    }
    throw std::logic_error("unknown option key " + key.toStdString());
}

QString optionText(const QString &key)
{
    const auto &def = optionDef(key);
    return (def.names.constLast().size() == 1 ? "-" : "--") + def.names.constLast();
}

std::string toLocal(const QString &text)
{
    return QFile::encodeName(text).toStdString();
}

void fillOptions(const Invocation &invocation, core::Fill &fill, double &value)
{
    if (invocation.isSet("fill")) {
        const QString name = invocation.value("fill");
        const auto parsed = core::parseFill(name.toStdString());
        if (!parsed) {
            QStringList names;
            for (const auto known : core::allFills())
                names << QString::fromUtf8(core::fillName(known));
            throw CliError(QStringLiteral("--fill: unknown fill '%1' (choose %2)")
                               .arg(name, names.join(", ")));
        }
        fill = *parsed;
    }
    if (invocation.isSet("value")) {
        const QString text = invocation.value("value");
        bool ok = false;
        value = text.trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(value))
            throw CliError(QStringLiteral("--value: '%1' is not a number").arg(text));
        if (!invocation.isSet("fill"))
            fill = core::Fill::Constant;
        else if (fill != core::Fill::Constant)
            throw CliError(QStringLiteral("--value applies only to --fill constant, not --fill %1")
                               .arg(QString::fromUtf8(core::fillName(fill))));
    }
}

core::ConvSpec convSpec(const Invocation &invocation, const core::ConvSpec &base)
{
    core::ConvSpec spec = base;
    if (invocation.isSet("pad")) {
        const std::string text = invocation.value("pad").toStdString();
        spec.amount = parseOption("--pad", [&] { return core::parsePadAmount(text); });
    }
    fillOptions(invocation, spec.fill, spec.value);
    if (invocation.isSet("stride")) {
        const std::string text = invocation.value("stride").toStdString();
        spec.stride = parseOption("--stride", [&] { return core::parsePerAxis(text, "--stride"); });
    }
    if (invocation.isSet("dilation")) {
        const std::string text = invocation.value("dilation").toStdString();
        spec.dilation =
            parseOption("--dilation", [&] { return core::parsePerAxis(text, "--dilation"); });
    }
    if (invocation.isSet("convolution"))
        spec.operation = core::Operation::Convolution;
    return spec;
}

std::optional<core::Layout> layoutOption(const Invocation &invocation)
{
    if (!invocation.isSet("layout"))
        return std::nullopt;
    const QString text = invocation.value("layout");
    const auto layout = core::parseLayout(text.toStdString());
    if (!layout)
        throw CliError(QStringLiteral("--layout: unknown layout '%1' (choose L, CL, HW, CHW, DHW or CDHW)").arg(text));
    return layout;
}

std::vector<int> axisOption(const Invocation &invocation, const QString &key, int minimum,
                            std::vector<int> fallback)
{
    if (!invocation.isSet(key))
        return fallback;
    const std::string option = optionText(key).toStdString();
    const std::string text = invocation.value(key).toStdString();
    return parseOption(optionText(key), [&] { return core::parseAxisValues(text, option, minimum); });
}

namespace {

core::TensorPadAmount tensorPadOption(const Invocation &invocation)
{
    if (!invocation.isSet("pad"))
        return {};
    const std::string text = invocation.value("pad").toStdString();
    return parseOption("--pad", [&] { return core::parseTensorPadAmount(text); });
}

int groupsOption(const Invocation &invocation)
{
    return invocation.isSet("groups") ? intOption(invocation, "groups", 1) : 1;
}

} // namespace

core::TensorConvSpec tensorConvSpec(const Invocation &invocation, const core::TensorConvSpec &base)
{
    core::TensorConvSpec spec = base;
    if (invocation.isSet("pad"))
        spec.amount = tensorPadOption(invocation);
    fillOptions(invocation, spec.fill, spec.value);
    spec.stride = axisOption(invocation, "stride", 1, spec.stride);
    spec.dilation = axisOption(invocation, "dilation", 1, spec.dilation);
    spec.groups = groupsOption(invocation);
    if (invocation.isSet("convolution"))
        spec.operation = core::Operation::Convolution;
    return spec;
}

core::PoolOp poolOp(const QString &text)
{
    const auto op = core::parsePoolOp(text.toStdString());
    if (!op)
        throw CliError(QStringLiteral("--op: unknown pooling '%1' (choose max or avg)").arg(text));
    return *op;
}

core::PoolSpec poolSpec(const Invocation &invocation, core::PoolOp op)
{
    core::PoolSpec spec;
    spec.op = op;
    invocation.required("size");
    spec.window = axisOption(invocation, "size", 1, spec.window);
    spec.stride = axisOption(invocation, "stride", 1, {});
    spec.dilation = axisOption(invocation, "dilation", 1, spec.dilation);
    spec.amount = tensorPadOption(invocation);
    spec.ceil = invocation.isSet("ceil");
    if (invocation.isSet("count-pad")) {
        const QString text = invocation.value("count-pad");
        if (text != "include" && text != "exclude")
            throw CliError(QStringLiteral("--count-pad: '%1' is neither include nor exclude").arg(text));
        if (spec.op != core::PoolOp::Average)
            throw CliError(QStringLiteral("--count-pad applies only to --op avg, not --op max"));
        spec.countPadding = text == "include";
    }
    return spec;
}

core::ConvTSpec convtSpec(const Invocation &invocation)
{
    core::ConvTSpec spec;
    spec.amount = tensorPadOption(invocation);
    spec.outputPadding = axisOption(invocation, "output-padding", 0, spec.outputPadding);
    spec.stride = axisOption(invocation, "stride", 1, spec.stride);
    spec.dilation = axisOption(invocation, "dilation", 1, spec.dilation);
    spec.groups = groupsOption(invocation);
    return spec;
}

int optionRank(const Invocation &invocation)
{
    if (invocation.isSet("pad")) {
        const core::TensorPadAmount amount = tensorPadOption(invocation);
        if (amount.kind == core::Amount::Explicit && amount.values.size() % 2 == 0)
            return static_cast<int>(amount.values.size() / 2);
    }
    for (const QString key : {"stride", "dilation", "kernel-size", "size", "output-padding"}) {
        if (!invocation.isSet(key))
            continue;
        const auto values = axisOption(invocation, key, 0, {});
        if (values.size() > 1)
            return static_cast<int>(values.size());
    }
    return 0;
}

core::Budget budgetOf(const Invocation &invocation)
{
    const auto given = [&](const QString &key) {
        return invocation.isSet(key) ? std::optional(invocation.value(key).toStdString()) : std::nullopt;
    };
    return core::budgetFromOptions(given("max-memory"), given("max-work"), given("max-frames"));
}

core::PerAxis sizeOption(const Invocation &invocation, const QString &key)
{
    const QString option = optionText(key);
    const std::string text = invocation.required(key).toStdString();
    return parseOption(option, [&] { return core::parseSize(text, option.toStdString()); });
}

int intOption(const Invocation &invocation, const QString &key, int minimum)
{
    const QString text = invocation.value(key);
    bool ok = false;
    const int value = text.trimmed().toInt(&ok);
    if (!ok || value < minimum) {
        throw CliError(QStringLiteral("%1: '%2' is not a whole number of at least %3")
                           .arg(optionText(key), text)
                           .arg(minimum));
    }
    return value;
}

double numberOption(const Invocation &invocation, const QString &key, double low, double high)
{
    const QString text = invocation.value(key);
    bool ok = false;
    const double value = text.trimmed().toDouble(&ok);
    if (!ok || !(value >= low && value <= high)) {
        throw CliError(QStringLiteral("%1: '%2' is not a number from %3 to %4")
                           .arg(optionText(key), text)
                           .arg(low)
                           .arg(high));
    }
    return value;
}

} // namespace padlab::cli

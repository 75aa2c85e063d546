#include "options.h"

#include "padlab/core/fill.h"
#include "padlab/core/kernels.h"

#include <QFile>

#include <cmath>
#include <optional>

namespace padlab::cli {

const std::vector<OptionDef> &optionDefs()
{
    static const std::vector<OptionDef> defs = {
        {"kernel", {"kernel"}, "K",
         "The kernel: a .csv file, a preset name (" +
             QString::fromStdString([] {
                 std::string names;
                 for (const auto &name : core::presetNames())
                     names += (names.empty() ? "" : ", ") + name;
                 return names;
             }()) +
             ") or inline rows such as \"1,0,-1;2,0,-2;1,0,-1\" (rows split by ';')."},
        {"kernel-size", {"kernel-size"}, "KHxKW",
         "Kernel size, rows x columns, e.g. 3x3. For pad it decides the same, full and causal "
         "amounts (default 1x1); shape requires it."},
        {"input-size", {"input-size"}, "HxW", "Input size, rows x columns, e.g. 28x28."},
        {"pad", {"pad"}, "P",
         "Amount of padding: valid (none), same (output size ceil(n/stride), the odd extra cell "
         "after, as in TensorFlow), full (reach-1 on every side), causal (reach-1 on top and "
         "left only) or T,B,L,R (explicit cells per side). Default: valid."},
        {"fill", {"fill"}, "F",
         "Values of the added cells: zeros, constant (see --value), reflect (dcb|abcd|cba), "
         "symmetric (cba|abcd|dcb), replicate (aaa|abcd|ddd) or circular (bcd|abcd|abc). "
         "Default: zeros."},
        {"value", {"value"}, "C",
         "The value of the added cells for --fill constant (default 0). Given without --fill, "
         "it selects --fill constant."},
        {"stride", {"stride"}, "S",
         "Step of the window: N for both axes or NYxNX for rows x columns. Default: 1."},
        {"dilation", {"dilation"}, "D",
         "Spacing between kernel taps: N or NYxNX. Default: 1."},
        {"convolution", {"convolution"}, {},
         "True convolution (kernel flipped on both axes) instead of cross-correlation, which is "
         "what deep-learning frameworks and cv::filter2D compute."},
        {"color", {"color"}, {},
         "Read an image in colour (three channels, B, G, R) instead of grayscale. CSV input is "
         "unaffected."},
        {"output", {"o", "output"}, "OUT",
         "Write the result to OUT instead of standard output: a .csv file, or an 8-bit image "
         "(.png, .jpg, .jpeg, .bmp, .tif, .tiff, .webp) with values rounded and saturated to "
         "0..255; for render a .png, .svg, .pdf, .gif, .mp4 or .csv file; for code the Python "
         "script. The folder must exist; "
         "the file is replaced only once the result is complete."},
        {"framework", {"framework"}, "NAME",
         "The library the code is written for: keras (Keras / TensorFlow), pytorch, opencv (cv2) "
         "or numpy (NumPy / SciPy)."},
        {"input-shape", {"input-shape"}, "HxWxC",
         "Input tensor shape without the batch axis, e.g. 28x28x1."},
        {"layers", {"layers"}, "SPEC",
         "Comma-separated layers: conv2d:FILTERS:K[:STRIDE[:PAD]] (PAD valid or same), "
         "maxpool:P, flatten, dense:UNITS."},
        {"view", {"view"}, "VIEW",
         "What render draws: input, padded, window, output, or all four side by side as in the "
         "window (default); or a teaching view: signal (a one-row input in time), compare (every "
         "fill, with difference maps) or stages (the kernel applied again and again). For .csv: "
         "input, padded, output (default) or signal."},
        {"step", {"step"}, "N",
         "Position of the window for a still, counted row by row over the output from 0. "
         "Default: 0."},
        {"scale", {"scale"}, "S",
         "Pixels per cell (fractions allowed). Default: up to 32, so that a panel is about 320 "
         "pixels wide."},
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

core::ConvSpec convSpec(const Invocation &invocation, const core::ConvSpec &base)
{
    core::ConvSpec spec = base;
    if (invocation.isSet("pad")) {
        const std::string text = invocation.value("pad").toStdString();
        spec.amount = parseOption("--pad", [&] { return core::parsePadAmount(text); });
    }
    if (invocation.isSet("fill")) {
        const QString name = invocation.value("fill");
        const auto fill = core::parseFill(name.toStdString());
        if (!fill) {
            QStringList names;
            for (const auto known : core::allFills())
                names << QString::fromUtf8(core::fillName(known));
            throw CliError(QStringLiteral("--fill: unknown fill '%1' (choose %2)")
                               .arg(name, names.join(", ")));
        }
        spec.fill = *fill;
    }
    if (invocation.isSet("value")) {
        const QString text = invocation.value("value");
        bool ok = false;
        spec.value = text.trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(spec.value))
            throw CliError(QStringLiteral("--value: '%1' is not a number").arg(text));
        if (!invocation.isSet("fill"))
            spec.fill = core::Fill::Constant;
        else if (spec.fill != core::Fill::Constant)
            throw CliError(QStringLiteral("--value applies only to --fill constant, not --fill %1")
                               .arg(QString::fromUtf8(core::fillName(spec.fill))));
    }
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

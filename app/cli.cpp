#include "cli.h"

#include "padlab/core/budget.h"
#include "padlab/core/codegen.h"
#include "padlab/core/convolve.h"
#include "padlab/core/csv.h"
#include "padlab/core/error.h"
#include "padlab/core/files.h"
#include "padlab/core/fill.h"
#include "padlab/core/geometry.h"
#include "padlab/core/image.h"
#include "padlab/core/kernels.h"
#include "padlab/core/layers.h"
#include "padlab/core/pad.h"

#include "exporter.h"
#include "lesson.h"
#include "session.h"
#include "terminalprogress.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fcntl.h>
#include <functional>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QGuiApplication>
#include <QStringList>

#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgcodecs.hpp>

namespace padlab {
namespace {

constexpr int kExitError = 2;
constexpr int kExitCannotExpress = 3;
constexpr int kHelpWidth = 79;

/// A usage or I/O problem of the command line itself (the engine throws core::Error).
class CliError : public std::runtime_error {
public:
    explicit CliError(const QString &message) : std::runtime_error(message.toStdString()) {}
};

/// `padlab code`: the framework cannot express the settings (not a usage error: exit status 3).
class CannotExpress : public std::runtime_error {
public:
    explicit CannotExpress(const QString &message) : std::runtime_error(message.toStdString()) {}
};

struct OptionDef {
    QString key;
    QStringList names;
    QString valueName; ///< empty for a flag
    QString description;
};

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

/// How the option is written on the command line, e.g. `--kernel-size` or `-o`.
QString optionText(const QString &key)
{
    const auto &def = optionDef(key);
    return (def.names.constLast().size() == 1 ? "-" : "--") + def.names.constLast();
}

class Invocation;

struct Command {
    QString name;
    QString synopsis; ///< what follows `padlab NAME`
    QString summary;
    QString argument; ///< the positional argument's name, or empty when there is none
    QString argumentHelp;
    QStringList options;
    std::function<void(const Invocation &)> run;
};

/// A parsed command line of one subcommand.
class Invocation {
public:
    Invocation(const Command &command, const QCommandLineParser &parser)
        : m_command(command), m_parser(parser)
    {
    }

    /// False for options the command does not take, so that shared parsing code may ask.
    bool isSet(const QString &key) const
    {
        return m_command.options.contains(key) && m_parser.isSet(optionDef(key).names.constLast());
    }
    QString value(const QString &key) const
    {
        return m_parser.value(optionDef(key).names.constLast());
    }

    QString required(const QString &key) const
    {
        if (!isSet(key)) {
            throw CliError(QStringLiteral("missing required option %1 %2 for 'padlab %3'")
                               .arg(optionText(key), optionDef(key).valueName, m_command.name));
        }
        return value(key);
    }

    /// The one positional argument, or an error naming what is missing or extra.
    QString argument() const
    {
        const QStringList positional = m_parser.positionalArguments();
        if (positional.isEmpty()) {
            throw CliError(QStringLiteral("missing %1 for 'padlab %2' (see 'padlab %2 --help')")
                               .arg(m_command.argument, m_command.name));
        }
        if (positional.size() > 1)
            throw CliError(QStringLiteral("unexpected argument '%1'").arg(positional.at(1)));
        return positional.constFirst();
    }

    void requireNoArgument() const
    {
        const QStringList positional = m_parser.positionalArguments();
        if (!positional.isEmpty())
            throw CliError(QStringLiteral("unexpected argument '%1'").arg(positional.constFirst()));
    }

private:
    const Command &m_command;
    const QCommandLineParser &m_parser;
};

std::string toLocal(const QString &text)
{
    return QFile::encodeName(text).toStdString();
}

/// Runs an engine parser on an option's text; makes sure its message names the option.
template <typename Parse>
auto parseOption(const QString &option, Parse parse)
{
    try {
        return parse();
    } catch (const core::Error &error) {
        const std::string message = error.what();
        if (message.find(option.toStdString()) != std::string::npos)
            throw;
        throw core::Error(option.toStdString() + ": " + message);
    }
}

/// Keeps the third-party image codecs' own warnings off standard error, so that a failure is
/// reported in one line and a success in none.
class QuietStderr {
public:
    QuietStderr()
    {
        std::fflush(stderr);
        m_saved = ::dup(STDERR_FILENO);
        const int null = ::open("/dev/null", O_WRONLY);
        if (m_saved >= 0 && null >= 0)
            ::dup2(null, STDERR_FILENO);
        if (null >= 0)
            ::close(null);
    }
    ~QuietStderr()
    {
        std::fflush(stderr);
        if (m_saved >= 0) {
            ::dup2(m_saved, STDERR_FILENO);
            ::close(m_saved);
        }
    }
    QuietStderr(const QuietStderr &) = delete;
    QuietStderr &operator=(const QuietStderr &) = delete;

private:
    int m_saved = -1;
};

// ---- output ------------------------------------------------------------------------------

const QStringList &imageSuffixes()
{
    static const QStringList suffixes = {"png", "jpg", "jpeg", "bmp", "tif", "tiff", "webp"};
    return suffixes;
}

/// Where the result goes: standard output, a CSV file or an image file.
struct OutputTarget {
    enum class Kind { Stdout, Csv, Image };
    Kind kind = Kind::Stdout;
    QString path;
    QString suffix;
};

/// An -o that is not a regular file in an existing folder fails before any work.
void requireOutputFile(const QString &path)
{
    if (const auto problem = core::outputProblem(toLocal(path)))
        throw CliError(QStringLiteral("-o: %1").arg(QString::fromStdString(*problem)));
}

/// Checks -o before any work is done, so that a wrong name fails fast.
OutputTarget outputTarget(const Invocation &invocation)
{
    OutputTarget target;
    if (!invocation.isSet("output"))
        return target;
    target.path = invocation.value("output");
    if (target.path.isEmpty())
        throw CliError(QStringLiteral("-o: the output file name is empty"));
    const QFileInfo info(target.path);
    target.suffix = info.suffix().toLower();
    if (target.suffix == "csv") {
        target.kind = OutputTarget::Kind::Csv;
    } else if (imageSuffixes().contains(target.suffix)) {
        target.kind = OutputTarget::Kind::Image;
    } else {
        throw CliError(QStringLiteral("-o '%1': unknown output format (use .csv or an image: .%2)")
                           .arg(target.path, imageSuffixes().join(", .")));
    }
    requireOutputFile(target.path);
    return target;
}

QByteArray encodeImage(const cv::Mat &matrix, const OutputTarget &target)
{
    cv::Mat bytes;
    matrix.convertTo(bytes, CV_8U); // rounds and saturates to 0..255
    std::vector<uchar> buffer;
    bool encoded = false;
    try {
        QuietStderr quiet;
        encoded = cv::imencode(toLocal("." + target.suffix), bytes, buffer);
    } catch (const cv::Exception &) {
        // The encoders have limits of their own (PNG: a million pixels a row).
        throw CliError(QStringLiteral("cannot encode '%1': the .%2 encoder refuses an image of %3x%4 pixels")
                           .arg(target.path, target.suffix)
                           .arg(bytes.cols)
                           .arg(bytes.rows));
    }
    if (!encoded || buffer.empty()) {
        throw CliError(
            QStringLiteral("cannot encode '%1' as .%2 (this OpenCV has no encoder for it)")
                .arg(target.path, target.suffix));
    }
    return QByteArray(reinterpret_cast<const char *>(buffer.data()),
                      static_cast<qsizetype>(buffer.size()));
}

void writeStdout(std::string_view bytes)
{
    if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size() || std::fflush(stdout) != 0)
        throw CliError(QStringLiteral("cannot write to standard output"));
}

void writeStdout(const QByteArray &bytes)
{
    writeStdout(std::string_view(bytes.constData(), static_cast<size_t>(bytes.size())));
}

/// Writes @p matrix; an empty matrix gives an empty file (or nothing on standard output).
void writeResult(const cv::Mat &matrix, const OutputTarget &target)
{
    core::requireFinite(matrix);
    std::string bytes;
    if (!matrix.empty()) {
        if (target.kind == OutputTarget::Kind::Image)
            bytes = encodeImage(matrix, target).toStdString();
        else
            bytes = core::formatCsv(matrix);
    }
    if (target.kind == OutputTarget::Kind::Stdout)
        writeStdout(bytes);
    else
        core::writeOutputFile(toLocal(target.path), bytes);
}

void printLine(std::FILE *stream, const QString &line)
{
    const QByteArray bytes = (line + '\n').toUtf8();
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stream);
    std::fflush(stream);
}

// ---- shared option parsing ---------------------------------------------------------------

/// The options' spec; options that are not given keep @p base (a lesson's settings, or the
/// defaults).
core::ConvSpec convSpec(const Invocation &invocation, const core::ConvSpec &base = {})
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

core::PerAxis sizeOption(const Invocation &invocation, const QString &key)
{
    const QString option = optionText(key);
    const std::string text = invocation.required(key).toStdString();
    return parseOption(option, [&] { return core::parseSize(text, option.toStdString()); });
}

/// The input at @p path; @p check hears its size before an image is decoded (see BeforeDecode).
cv::Mat loadInputFile(const Invocation &invocation, const QString &path, const core::BeforeDecode &check)
{
    const auto mode =
        invocation.isSet("color") ? core::ImageMode::Color : core::ImageMode::Grayscale;
    cv::Mat input;
    {
        QuietStderr quiet;
        input = core::loadInput(toLocal(path), mode, check);
    }
    if (input.empty())
        throw CliError(QStringLiteral("'%1' holds no values: the input is empty").arg(path));
    return input;
}

core::PerAxis sizeOf(const cv::Mat &matrix)
{
    return {matrix.rows, matrix.cols};
}

void requireValid(const core::ConvSpec &spec, core::PerAxis inputSize, core::PerAxis kernelSize)
{
    if (const auto problem = core::validate(spec, inputSize, kernelSize))
        throw core::Error(*problem);
}

/// The limits of this run: the defaults, then PADLAB_MAX_MEMORY and its kin, then the options.
core::Budget budgetOf(const Invocation &invocation)
{
    const auto given = [&](const QString &key) {
        return invocation.isSet(key) ? std::optional(invocation.value(key).toStdString()) : std::nullopt;
    };
    return core::budgetFromOptions(given("max-memory"), given("max-work"), given("max-frames"));
}

/// What writing @p cells cells of @p channels values to @p target costs: their CSV text, or an
/// 8-bit image.
void addOutputBytes(core::Estimate &estimate, int channels, std::uint64_t cells, const OutputTarget &target)
{
    const std::uint64_t values = cells * static_cast<std::uint64_t>(channels);
    if (target.kind == OutputTarget::Kind::Image)
        estimate.add("the 8-bit image", 2 * values);
    else
        estimate.add("the CSV text", core::csvTextBytes(values));
}

// ---- subcommands -------------------------------------------------------------------------

void runPad(const Invocation &invocation)
{
    const QString inputPath = invocation.argument();
    const OutputTarget target = outputTarget(invocation);
    const core::PerAxis kernelSize =
        invocation.isSet("kernel-size") ? sizeOption(invocation, "kernel-size") : core::PerAxis{};
    const core::ConvSpec spec = convSpec(invocation);
    const core::Budget budget = budgetOf(invocation);
    const cv::Mat input = loadInputFile(invocation, inputPath, [&](int rows, int cols, int channels, int bytes) {
        requireValid(spec, {rows, cols}, kernelSize);
        const core::Geometry g = core::geometry({rows, cols}, kernelSize, spec);
        core::Estimate need;
        need.add("the input", core::matrixBytes(rows, cols, channels, bytes));
        need.add("the padded input", core::matrixBytes(g.rows.padded, g.cols.padded, channels, bytes));
        addOutputBytes(need, channels, 1ULL * g.rows.padded * g.cols.padded, target);
        core::requireBudget(need, budget);
    });
    requireValid(spec, sizeOf(input), kernelSize);
    const core::Geometry geometry = core::geometry(sizeOf(input), kernelSize, spec);
    writeResult(core::pad(input, geometry.sides(), spec.fill, spec.value), target);
}

void runConv(const Invocation &invocation)
{
    const QString inputPath = invocation.argument();
    const std::string kernelText = invocation.required("kernel").toStdString();
    const OutputTarget target = outputTarget(invocation);
    const core::ConvSpec spec = convSpec(invocation);
    const core::Budget budget = budgetOf(invocation);
    const cv::Mat kernel = parseOption("--kernel", [&] { return core::loadKernel(kernelText); });
    const cv::Mat input = loadInputFile(invocation, inputPath, [&](int rows, int cols, int channels, int bytes) {
        requireValid(spec, {rows, cols}, sizeOf(kernel));
        core::Estimate need = core::convolutionEstimate({rows, cols}, channels, bytes, sizeOf(kernel), spec);
        const core::Geometry g = core::geometry({rows, cols}, sizeOf(kernel), spec);
        addOutputBytes(need, channels, 1ULL * g.rows.output * g.cols.output, target);
        core::requireBudget(need, budget);
    });
    requireValid(spec, sizeOf(input), sizeOf(kernel));
    TerminalProgress progress("conv");
    const core::ConvResult result = core::convolve(input, kernel, spec, budget, progress.hook());
    if (result.geometry.empty()) {
        writeResult(cv::Mat(), target);
        printLine(stderr,
                  "padlab: " + QString::fromStdString(core::emptyOutputReason(result.geometry)));
        return;
    }
    writeResult(result.output, target);
}

QString unreadNote(const char *axisName, const char *cell, const core::AxisGeometry &axis)
{
    return QStringLiteral("%1: %2 padded %3%4 never read (stride %5 does not divide evenly)")
        .arg(QString::fromLatin1(axisName))
        .arg(axis.unread)
        .arg(QString::fromLatin1(cell), axis.unread == 1 ? " is" : "s are")
        .arg(axis.stride);
}

void runShape(const Invocation &invocation)
{
    invocation.requireNoArgument();
    const core::PerAxis inputSize = sizeOption(invocation, "input-size");
    const core::PerAxis kernelSize = sizeOption(invocation, "kernel-size");
    const core::ConvSpec spec = convSpec(invocation);
    requireValid(spec, inputSize, kernelSize);
    const core::Geometry geometry = core::geometry(inputSize, kernelSize, spec);
    const core::Sides sides = geometry.sides();

    QStringList lines;
    lines << QStringLiteral("output: %1x%2").arg(geometry.rows.output).arg(geometry.cols.output);
    lines << QStringLiteral("padding: top %1, bottom %2, left %3, right %4")
                 .arg(sides.top)
                 .arg(sides.bottom)
                 .arg(sides.left)
                 .arg(sides.right);
    lines << "rows: " + QString::fromStdString(core::outputFormula(geometry.rows));
    lines << "cols: " + QString::fromStdString(core::outputFormula(geometry.cols));
    if (geometry.rows.unread > 0)
        lines << unreadNote("rows", "row", geometry.rows);
    if (geometry.cols.unread > 0)
        lines << unreadNote("cols", "column", geometry.cols);
    if (geometry.empty())
        lines << QString::fromStdString(core::emptyOutputReason(geometry));
    writeStdout((lines.join('\n') + '\n').toUtf8());
}

void runSummary(const Invocation &invocation)
{
    invocation.requireNoArgument();
    const std::string shapeText = invocation.required("input-shape").toStdString();
    const std::string layersText = invocation.required("layers").toStdString();
    const core::Shape shape =
        parseOption("--input-shape", [&] { return core::parseInputShape(shapeText); });
    const auto layers = parseOption("--layers", [&] { return core::parseLayers(layersText); });
    const auto summary = parseOption("--layers", [&] { return core::summarize(shape, layers); });
    std::string text = core::formatSummary(summary);
    if (text.empty() || text.back() != '\n')
        text += '\n';
    writeStdout(QByteArray::fromStdString(text));
}

/// Checks -o of code before any work is done: any file name in an existing folder.
void checkScriptOutput(const Invocation &invocation)
{
    if (invocation.isSet("output"))
        requireOutputFile(invocation.value("output"));
}

void runCode(const Invocation &invocation)
{
    const QString inputPath = invocation.argument();
    const std::string kernelText = invocation.required("kernel").toStdString();
    const QString frameworkText = invocation.required("framework");
    const auto framework = core::parseFramework(frameworkText.toStdString());
    if (!framework) {
        QStringList names;
        for (const auto known : core::allFrameworks())
            names << QString::fromUtf8(core::frameworkName(known));
        throw CliError(QStringLiteral("--framework: unknown framework '%1' (choose %2)")
                           .arg(frameworkText, names.join(", ")));
    }
    checkScriptOutput(invocation);
    const core::ConvSpec spec = convSpec(invocation);
    const core::Budget budget = budgetOf(invocation);
    const cv::Mat kernel = parseOption("--kernel", [&] { return core::loadKernel(kernelText); });
    const cv::Mat input = loadInputFile(invocation, inputPath, [&](int rows, int cols, int channels, int bytes) {
        core::Estimate need;
        need.add("the input", core::matrixBytes(rows, cols, channels, bytes));
        core::requireBudget(need, budget);
    });
    if (input.channels() != 1)
        throw CliError(QStringLiteral("'%1' has %2 channels; code is written for one").arg(inputPath).arg(input.channels()));
    requireValid(spec, sizeOf(input), sizeOf(kernel));
    const core::GeneratedCode code = core::generateCode(*framework, spec, kernel, sizeOf(input));
    if (!code.expressible()) {
        throw CannotExpress(QStringLiteral("%1 cannot express these settings: %2")
                                .arg(QString::fromUtf8(core::frameworkDisplayName(*framework)),
                                     QString::fromStdString(code.reason)));
    }
    if (invocation.isSet("output"))
        core::writeOutputFile(toLocal(invocation.value("output")), code.script);
    else
        writeStdout(code.script);
}

// ---- render ------------------------------------------------------------------------------

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

ui::ExportOptions exportOptions(const Invocation &invocation)
{
    ui::ExportOptions options;
    if (invocation.isSet("view")) {
        const QString name = invocation.value("view");
        const auto view = ui::parseExportView(name);
        if (!view) {
            throw CliError(
                QStringLiteral("--view: unknown view '%1' (choose %2)").arg(name, ui::exportViewNames()));
        }
        options.view = *view;
    }
    if (invocation.isSet("scale"))
        options.cellSize = numberOption(invocation, "scale", 0.01, 512);
    if (invocation.isSet("every"))
        options.every = intOption(invocation, "every", 1);
    options.rowByRow = invocation.isSet("row-by-row");
    if (options.rowByRow && invocation.isSet("every"))
        throw CliError(QStringLiteral("--every and --row-by-row cannot be used together"));
    if (invocation.isSet("fps"))
        options.fps = numberOption(invocation, "fps", 1, 50);
    options.dark = invocation.isSet("dark");
    return options;
}

/// Waits for a session computing a large input on its worker.
void waitForResult(ui::Session &session)
{
    if (!session.isBusy())
        return;
    QEventLoop loop;
    QObject::connect(&session, &ui::Session::busyChanged, &loop, [&loop](bool busy) {
        if (!busy)
            loop.quit();
    });
    loop.exec();
}

void runRender(const Invocation &invocation)
{
    const QString inputPath = invocation.argument();
    const QString outputPath = invocation.required("output");
    if (outputPath.isEmpty())
        throw CliError(QStringLiteral("-o: the output file name is empty"));
    const auto format = ui::Exporter::formatOf(outputPath);
    if (!format) {
        throw CliError(QStringLiteral("-o '%1': unknown output format (use .%2)")
                           .arg(outputPath, ui::Exporter::suffixes().join(", .")));
    }
    requireOutputFile(outputPath);
    ui::ExportOptions options = exportOptions(invocation);
    const core::Budget budget = budgetOf(invocation);

    ui::Session session;
    session.setBudget(budget);
    QString sessionError;
    QObject::connect(&session, &ui::Session::errorOccurred,
                     [&sessionError](const QString &message) { sessionError = message; });
    // A lesson brings its input, kernel, settings and step; options given here override them.
    const bool lesson = ui::isLessonPath(inputPath);
    if (lesson) {
        QString error;
        const std::optional<ui::Lesson> opened
            = ui::readLesson(inputPath, &error, invocation.isSet("allow-outside-paths"));
        if (!opened || !ui::applyLesson(*opened, session, &error))
            throw CliError(error);
        waitForResult(session);
        // A lesson saved in a teaching view renders that view unless --view says otherwise.
        if (!invocation.isSet("view")) {
            switch (session.view()) {
            case ui::Session::View::Signal: options.view = ui::ExportView::Signal; break;
            case ui::Session::View::Compare: options.view = ui::ExportView::Compare; break;
            case ui::Session::View::Stages: options.view = ui::ExportView::Stages; break;
            case ui::Session::View::Window:
            case ui::Session::View::Layers: break;
            }
        }
    }
    const core::ConvSpec spec = convSpec(invocation, lesson ? session.spec() : core::ConvSpec{});
    cv::Mat kernel = session.kernel();
    if (invocation.isSet("kernel")) {
        const std::string text = invocation.value("kernel").toStdString();
        kernel = parseOption("--kernel", [&] { return core::loadKernel(text); });
    }
    // The whole render, the teaching view's work and the frames included, before any of it
    // (and before an image is decoded).
    const auto check = [&](int rows, int cols, int, int bytes) {
        requireValid(spec, {rows, cols}, sizeOf(kernel));
        core::requireBudget(ui::Exporter::estimate({rows, cols}, bytes, sizeOf(kernel), spec, *format, options,
                                                   session.compareBy(), session.stageCount()),
                            budget);
    };
    const cv::Mat input = lesson ? session.input() : loadInputFile(invocation, inputPath, check);
    if (lesson)
        check(input.rows, input.cols, input.channels(), int(input.elemSize1()));
    requireValid(spec, sizeOf(input), sizeOf(kernel));
    if (!lesson)
        session.setSource(input, QFileInfo(inputPath).fileName());
    session.setKernel(kernel);
    session.setSpec(spec);
    waitForResult(session);
    if (!sessionError.isEmpty())
        throw CliError(sessionError);

    if (invocation.isSet("step")) {
        const int step = intOption(invocation, "step", 0);
        if (step >= session.stepCount()) {
            throw CliError(QStringLiteral("--step %1: the window has %2 positions (0 to %3)")
                               .arg(step)
                               .arg(session.stepCount())
                               .arg(session.stepCount() - 1));
        }
        session.setStep(step);
    }
    ui::Exporter exporter(session, options);
    TerminalProgress progress("render");
    exporter.setProgressCallback([&progress](int done, int total) { progress.show(double(done) / total); });
    if (!exporter.exportTo(outputPath))
        throw CliError(exporter.errorString());
}

const std::vector<Command> &commands()
{
    static const std::vector<Command> list = {
        {"pad",
         "INPUT [--kernel-size KHxKW] [--pad P] [--fill F] [--value C] [--stride S] "
         "[--dilation D] [--color] [-o OUT] [--max-memory SIZE] [--max-work N]",
         "Pads INPUT and writes the padded matrix.",
         "INPUT",
         "A .csv numeric matrix (one row per line, comma-separated; one row is a 1-D signal) or "
         "an image file.",
         {"kernel-size", "pad", "fill", "value", "stride", "dilation", "color", "output", "max-memory",
          "max-work", "help"},
         runPad},
        {"conv",
         "INPUT --kernel K [--pad P] [--fill F] [--value C] [--stride S] [--dilation D] "
         "[--convolution] [--color] [-o OUT] [--max-memory SIZE] [--max-work N]",
         "Pads INPUT, slides the kernel over it and writes the output. An output that is empty "
         "(the kernel reaches further than the padded input) is written as an empty file, with "
         "the reason on standard error.",
         "INPUT",
         "A .csv numeric matrix (one row per line, comma-separated; one row is a 1-D signal) or "
         "an image file.",
         {"kernel", "pad", "fill", "value", "stride", "dilation", "convolution", "color", "output",
          "max-memory", "max-work", "help"},
         runConv},
        {"code",
         "INPUT --kernel K [--pad P] [--fill F] [--value C] [--stride S] [--dilation D] "
         "[--convolution] --framework NAME [-o OUT] [--max-memory SIZE] [--max-work N]",
         "Writes a self-contained Python 3 script in the idiom of the framework that computes "
         "what conv computes: it reads the CSV file named by its first argument (of INPUT's "
         "size), and prints the output as CSV. When the framework cannot express the settings "
         "(a fill it lacks, a pad wider than its mode allows, a stride it refuses with "
         "dilation), it writes nothing, says why on standard error and ends with exit status 3.",
         "INPUT",
         "A .csv numeric matrix (one row per line, comma-separated; one row is a 1-D signal) or "
         "an image file (read in grayscale); its size decides the padding and the limits "
         "checked, and the script checks that its input has this size.",
         {"kernel", "pad", "fill", "value", "stride", "dilation", "convolution", "framework",
          "output", "max-memory", "max-work", "help"},
         runCode},
        {"shape",
         "--input-size HxW --kernel-size KHxKW [--pad P] [--stride S] [--dilation D]",
         "Prints the output size, the padding on each side and the arithmetic behind them.",
         {},
         {},
         {"input-size", "kernel-size", "pad", "stride", "dilation", "help"},
         runShape},
        {"summary",
         "--input-shape HxWxC --layers SPEC",
         "Prints each layer's output shape and parameter count, in the manner of Keras' "
         "model.summary(), ending in the total.",
         {},
         {},
         {"input-shape", "layers", "help"},
         runSummary},
        {"render",
         "INPUT|LESSON [--kernel K] [--pad P] [--fill F] [--value C] [--stride S] [--dilation D] "
         "[--convolution] [--view VIEW] [--step N] [--scale S] [--every N] [--row-by-row] "
         "[--fps F] [--dark] [--max-memory SIZE] [--max-work N] [--max-frames N] "
         "[--allow-outside-paths] -o FILE",
         "Draws what the window shows into FILE, chosen by its extension: .png; .svg or .pdf "
         "(vector drawings); .gif or .mp4 (the window sliding over every output position); "
         ".csv (the input, padded input or output). The kernel defaults to sobel-x. Needs no "
         "display.",
         "INPUT|LESSON",
         "A .csv numeric matrix (one row per line, comma-separated; one row is a 1-D signal), "
         "an image file (read in grayscale), or a lesson (.padlab.json), whose kernel, settings "
         "and step are used unless options here say otherwise.",
         {"kernel", "pad", "fill", "value", "stride", "dilation", "convolution", "view", "step",
          "scale", "every", "row-by-row", "fps", "dark", "output", "max-memory", "max-work",
          "max-frames", "allow-outside-paths", "help"},
         runRender},
    };
    return list;
}

const Command *findCommand(const QString &name)
{
    for (const auto &command : commands()) {
        if (command.name == name)
            return &command;
    }
    return nullptr;
}

// ---- help --------------------------------------------------------------------------------

/// @p text as lines of at most kHelpWidth characters: the first after @p start, the others
/// after @p indent spaces.
QString wrap(const QString &text, int indent, const QString &start)
{
    QString result;
    QString line = start;
    bool lineHasWord = false;
    // An optional part of a synopsis, such as "[--stride S]", stays on one line.
    QStringList words;
    for (const auto &piece : text.split(' ', Qt::SkipEmptyParts)) {
        if (!words.isEmpty() && words.constLast().count('[') > words.constLast().count(']'))
            words.last() += ' ' + piece;
        else
            words << piece;
    }
    for (const auto &word : words) {
        if (lineHasWord && line.size() + 1 + word.size() > kHelpWidth) {
            result += line + '\n';
            line = QString(indent, ' ');
            lineHasWord = false;
        }
        line += (lineHasWord ? " " : "") + word;
        lineHasWord = true;
    }
    return result + line + '\n';
}

QString wrap(const QString &text, int indent = 0)
{
    return wrap(text, indent, QString(indent, ' '));
}

QString optionLabel(const OptionDef &def)
{
    QStringList names;
    for (const auto &name : def.names)
        names << (name.size() == 1 ? "-" : "--") + name;
    QString label = names.join(", ");
    if (!def.valueName.isEmpty())
        label += ' ' + def.valueName;
    return label;
}

/// Two columns: a label and its description, wrapped under the description column.
QString table(const std::vector<std::pair<QString, QString>> &rows)
{
    qsizetype labelWidth = 0;
    for (const auto &row : rows)
        labelWidth = std::max(labelWidth, row.first.size());
    const int column = static_cast<int>(std::min<qsizetype>(labelWidth, 24)) + 4;
    QString text;
    for (const auto &[label, description] : rows) {
        const QString head = "  " + label;
        if (head.size() + 2 <= column)
            text += wrap(description, column, head.leftJustified(column));
        else
            text += head + '\n' + wrap(description, column);
    }
    return text;
}

QString commandHelp(const Command &command)
{
    QString text = wrap("Usage: padlab " + command.name + ' ' + command.synopsis, 4, {});
    text += '\n' + wrap(command.summary);
    if (!command.argument.isEmpty())
        text += "\nArguments:\n" + table({{command.argument, command.argumentHelp}});
    std::vector<std::pair<QString, QString>> rows;
    for (const auto &key : command.options) {
        const auto &def = optionDef(key);
        rows.emplace_back(optionLabel(def), def.description);
    }
    text += "\nOptions:\n" + table(rows);
    text += '\n' + wrap("Errors end with exit status 2 and one line 'padlab: error: ...' on "
                        "standard error; no output file is left behind.");
    return text;
}

QString topHelp()
{
    QString text = "Usage: padlab COMMAND [OPTIONS]\n       padlab [FILE]\n\n";
    text += wrap("PadLab shows what padding does to a convolution. Without a command it opens its "
                 "window, on FILE (an image or a lesson) or on a built-in sample. The commands run "
                 "without a display:");
    text += '\n';
    for (const auto &command : commands())
        text += wrap("padlab " + command.name + ' ' + command.synopsis, 6, "  ");
    text += "\nCommands:\n";
    std::vector<std::pair<QString, QString>> commandRows;
    for (const auto &command : commands())
        commandRows.emplace_back(command.name, command.summary);
    text += table(commandRows);
    text += "\nArguments:\n" + table({{"INPUT", commands().front().argumentHelp}});
    text += "\nOptions:\n";
    std::vector<std::pair<QString, QString>> optionRows;
    for (const auto &def : optionDefs())
        optionRows.emplace_back(optionLabel(def), def.description);
    optionRows.emplace_back("--version", "Show the version and exit.");
    text += table(optionRows);
    text += '\n' + wrap("Run 'padlab COMMAND --help' for one command's options. Errors end with "
                        "exit status 2 and one line 'padlab: error: ...' on standard error; no "
                        "output file is left behind.");
    return text;
}

// ---- dispatch ----------------------------------------------------------------------------

/// QCommandLineParser's message (`Unknown option 'x'.`) as the rest of a `padlab: error:` line.
QString parserError(const QCommandLineParser &parser, const Command &command)
{
    QString message = parser.errorText();
    if (message.endsWith('.'))
        message.chop(1);
    if (!message.isEmpty())
        message[0] = message.at(0).toLower();
    return QStringLiteral("%1 for 'padlab %2' (see 'padlab %2 --help')").arg(message, command.name);
}

int runCommand(const Command &command, const QStringList &arguments)
{
    QCommandLineParser parser;
    for (const auto &key : command.options) {
        const auto &def = optionDef(key);
        parser.addOption(QCommandLineOption(def.names, def.description, def.valueName));
    }
    if (!parser.parse(QStringList{"padlab " + command.name} + arguments))
        throw CliError(parserError(parser, command));
    if (parser.isSet("help")) {
        writeStdout(commandHelp(command).toUtf8());
        return 0;
    }
    command.run(Invocation(command, parser));
    return 0;
}

int dispatch(const QStringList &arguments)
{
    if (arguments.size() < 2) {
        writeStdout(topHelp().toUtf8());
        return 0;
    }
    const QString first = arguments.at(1);
    if (first == "--help" || first == "-h" || first == "help") {
        const Command *command = arguments.size() > 2 ? findCommand(arguments.at(2)) : nullptr;
        if (first == "help" && arguments.size() > 2 && !command)
            throw CliError(QStringLiteral("unknown command '%1'").arg(arguments.at(2)));
        writeStdout((command ? commandHelp(*command) : topHelp()).toUtf8());
        return 0;
    }
    if (first == "--version") {
        const QString version = QCoreApplication::applicationVersion();
        writeStdout(QStringLiteral("padlab %1\n").arg(version).toUtf8());
        return 0;
    }
    if (const Command *command = findCommand(first))
        return runCommand(*command, arguments.mid(2));
    QStringList names;
    for (const auto &command : commands())
        names << command.name;
    if (first.startsWith('-'))
        throw CliError(QStringLiteral("unknown option '%1' (see 'padlab --help')").arg(first));
    throw CliError(
        QStringLiteral("unknown command '%1' (commands: %2)").arg(first, names.join(", ")));
}

/// One line, whatever the message holds.
QString oneLine(const QString &message)
{
    QString line = message;
    line.replace('\r', ' ').replace('\n', ' ');
    return line.simplified();
}

int fail(const QString &message)
{
    printLine(stderr, "padlab: error: " + oneLine(message));
    return kExitError;
}

/// Qt's own notes about the platform (such as a missing XDG_RUNTIME_DIR offscreen) are not
/// the command's business: a success prints nothing, a failure one line.
void quietQtMessages(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    if (type == QtCriticalMsg || type == QtFatalMsg)
        printLine(stderr, "padlab: " + message);
}

} // namespace

int runCli(int argc, char **argv)
{
    cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
    // render draws text, which needs a QGuiApplication; offscreen unless told otherwise, so
    // that it needs no display. The other commands stay free of any GUI.
    const bool render = argc > 1 && std::string(argv[1]) == "render";
    if (render && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (render)
        qInstallMessageHandler(quietQtMessages);
    const std::unique_ptr<QCoreApplication> app =
        render ? std::make_unique<QGuiApplication>(argc, argv) : std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("padlab"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PADLAB_VERSION));
    try {
        return dispatch(QCoreApplication::arguments());
    } catch (const CannotExpress &refusal) {
        printLine(stderr, "padlab: " + oneLine(QString::fromStdString(refusal.what())));
        return kExitCannotExpress;
    } catch (const CliError &error) {
        return fail(QString::fromStdString(error.what()));
    } catch (const core::Error &error) {
        return fail(QString::fromStdString(error.what()));
    } catch (const cv::Exception &error) {
        return fail("OpenCV: " + QString::fromStdString(error.err.empty() ? error.msg : error.err));
    } catch (const std::bad_alloc &) {
        return fail(QStringLiteral("out of memory"));
    } catch (const std::exception &error) {
        return fail(QString::fromStdString(error.what()));
    }
}

} // namespace padlab

#include "commands.h"

#include "padlab/core/budget.h"
#include "padlab/core/codegen.h"
#include "padlab/core/convolve.h"
#include "padlab/core/csv.h"
#include "padlab/core/files.h"
#include "padlab/core/fill.h"
#include "padlab/core/image.h"
#include "padlab/core/kernels.h"
#include "padlab/core/layers.h"
#include "padlab/core/pad.h"

#include "exporter.h"
#include "lesson.h"
#include "session.h"
#include "terminalprogress.h"

#include <QFile>
#include <QFileInfo>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace padlab::cli {

namespace {

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

} // namespace

void writeStdout(std::string_view bytes)
{
    if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size() || std::fflush(stdout) != 0)
        throw CliError(QStringLiteral("cannot write to standard output"));
}

void writeStdout(const QByteArray &bytes)
{
    writeStdout(std::string_view(bytes.constData(), static_cast<size_t>(bytes.size())));
}

namespace {

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

} // namespace

void printLine(std::FILE *stream, const QString &line)
{
    const QByteArray bytes = (line + '\n').toUtf8();
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stream);
    std::fflush(stream);
}

namespace {

// ---- inputs ------------------------------------------------------------------------------

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
        for (const auto known : core::codeFrameworks())
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
    options.look.dark = invocation.isSet("dark");
    return options;
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
        session.waitUntilIdle();
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
    session.waitUntilIdle();
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

} // namespace

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

} // namespace padlab::cli

#include "commands.h"

#include "padlab/core/budget.h"
#include "padlab/core/codegen.h"
#include "padlab/core/convt.h"
#include "padlab/core/files.h"
#include "padlab/core/fill.h"
#include "padlab/core/image.h"
#include "padlab/core/kernels.h"
#include "padlab/core/layers.h"
#include "padlab/core/notes.h"
#include "padlab/core/pool.h"
#include "padlab/core/tensor.h"
#include "padlab/core/tensorcode.h"
#include "padlab/core/tensorconv.h"

#include "files.h"

#include "exporter.h"
#include "lesson.h"
#include "lessons.h"
#include "npyinput.h"
#include "session.h"
#include "terminalprogress.h"

#include <QFileInfo>

#include <opencv2/core.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace padlab::cli {

void writeStdout(std::string_view bytes)
{
    if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size() || std::fflush(stdout) != 0)
        throw CliError(QStringLiteral("cannot write to standard output"));
}

void writeStdout(const QByteArray &bytes)
{
    writeStdout(std::string_view(bytes.constData(), static_cast<size_t>(bytes.size())));
}

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

/// Shows the built-in lesson of INPUT `lesson:NAME` in @p session; false when INPUT names a
/// file. An unknown NAME is refused with the list of known ones.
bool openNamedLesson(const QString &input, ui::Session &session)
{
    const std::optional<QString> name = ui::lessonArgument(input);
    if (!name)
        return false;
    const std::optional<ui::Lesson> lesson = ui::makeBuiltinLesson(*name);
    if (!lesson)
        throw CliError(ui::unknownLessonMessage(*name));
    QString error;
    if (!ui::applyLesson(*lesson, session, &error))
        throw CliError(error);
    session.waitUntilIdle();
    return true;
}

/// A built-in lesson named as INPUT of pad, conv or code: the plane the window computes with
/// (its grey or chosen channel), and its kernel and settings, which options override.
struct NamedLesson {
    TensorInput input;
    core::NdArray kernel;
    core::TensorConvSpec spec;
};

std::optional<NamedLesson> namedLesson(const QString &input)
{
    ui::Session session;
    if (!openNamedLesson(input, session))
        return std::nullopt;
    NamedLesson lesson;
    const cv::Mat &plane = session.input();
    lesson.input.tensor = core::Tensor(core::TensorShape{1, {plane.rows, plane.cols}}, plane);
    lesson.input.layout = core::Layout::HW;
    lesson.kernel = matrixArray(session.kernel());
    lesson.spec = core::tensorSpec(session.spec());
    return lesson;
}

/// --kernel, which a lesson makes optional; empty for the lesson's own kernel.
QString lessonKernelText(const Invocation &invocation, const std::optional<NamedLesson> &lesson)
{
    return lesson && !invocation.isSet("kernel") ? QString() : invocation.required("kernel");
}

core::NdArray kernelArrayOf(const QString &text, const std::optional<NamedLesson> &lesson, const core::Budget &budget)
{
    return text.isEmpty() && lesson ? lesson->kernel : loadKernelArray(text, budget);
}

TensorInput inputOf(const Invocation &invocation, const QString &path, int rank, const core::Budget &budget,
                    const std::optional<NamedLesson> &lesson)
{
    if (!lesson)
        return loadTensorInput(invocation, path, rank, budget);
    if (invocation.isSet("color") || invocation.isSet("layout"))
        throw CliError(QStringLiteral("%1: a lesson's input is one plane (HW); --color and --layout apply to files")
                           .arg(path));
    return lesson->input;
}

void requireValid(const core::ConvSpec &spec, core::PerAxis inputSize, core::PerAxis kernelSize)
{
    if (const auto problem = core::validate(spec, inputSize, kernelSize))
        throw core::Error(*problem);
}

// ---- subcommands -------------------------------------------------------------------------

void requireValid(const std::optional<std::string> &problem)
{
    if (problem)
        throw core::Error(*problem);
}

/// Refuses an option's list that does not fit the input's @p rank spatial axes, naming the option
/// and the input's shape.
void requireFits(const char *option, const std::optional<std::string> &problem, const core::TensorShape &input)
{
    if (problem) {
        throw core::Error(std::string(option) + ": " + *problem + ", for an input of " +
                          std::to_string(input.spatialRank()) + " spatial axes (" + input.text() + ", channels first)");
    }
}

/// The lists every op takes, checked against the input's rank before the op's own validation.
void requireFits(const core::TensorPadAmount &amount, const std::vector<int> &stride, const std::vector<int> &dilation,
                 const core::TensorShape &input)
{
    const int rank = input.spatialRank();
    requireFits("--pad", core::padListProblem(amount, rank), input);
    if (!stride.empty())
        requireFits("--stride", core::axisValuesProblem(stride, rank, "stride"), input);
    requireFits("--dilation", core::axisValuesProblem(dilation, rank, "dilation"), input);
}

/// The name of spatial axis @p axis of @p rank, as shape prints it.
QString axisName(int axis, int rank)
{
    static const char *const names[3][3] = {{"length"}, {"rows", "cols"}, {"depth", "rows", "cols"}};
    return QString::fromLatin1(names[rank - 1][axis]);
}

/// One padded cell of axis @p axis, for sentences: `row`, `column`, `cell`, `slice`.
QString axisCell(int axis, int rank)
{
    static const char *const cells[3][3] = {{"cell"}, {"row", "column"}, {"slice", "row", "column"}};
    return QString::fromLatin1(cells[rank - 1][axis]);
}

QString sizeText(const std::vector<int> &sizes)
{
    QStringList parts;
    for (int size : sizes)
        parts << QString::number(size);
    return parts.join('x');
}

QString padsText(const std::vector<core::AxisPads> &pads)
{
    static const char *const sides[3][6] = {{"left", "right"},
                                            {"top", "bottom", "left", "right"},
                                            {"front", "back", "top", "bottom", "left", "right"}};
    const int rank = static_cast<int>(pads.size());
    QStringList parts;
    for (int a = 0; a < rank; ++a) {
        const auto &p = pads[static_cast<size_t>(a)];
        parts << QStringLiteral("%1 %2").arg(QString::fromLatin1(sides[rank - 1][2 * a])).arg(p.before);
        parts << QStringLiteral("%1 %2").arg(QString::fromLatin1(sides[rank - 1][2 * a + 1])).arg(p.after);
    }
    return parts.join(", ");
}

/// The spatial rank the command line asks for where an input could be read either way: the
/// kernel's or the options'.
int requestedRank(const Invocation &invocation, int kernelRank)
{
    return kernelRank > 0 ? kernelRank : optionRank(invocation);
}

/// A kernel of ones of --kernel-size for @p rank axes: what pad and shape need of a kernel.
core::TensorKernel sizedKernel(const std::vector<int> &kernelSize, int rank)
{
    if (const auto problem = core::axisValuesProblem(kernelSize, rank, "--kernel-size"))
        throw core::Error(*problem + " (the input has " + std::to_string(rank) + " spatial axes)");
    core::TensorKernel kernel;
    kernel.shape = core::perAxis(kernelSize, rank);
    long long cells = 1;
    for (int k : kernel.shape)
        cells = std::min(cells * k, core::kMaxPaddedCells + 1);
    if (cells > core::kMaxPaddedCells)
        throw CliError(QStringLiteral("--kernel-size: a kernel of more than %1 cells").arg(core::kMaxPaddedCells));
    kernel.weights.assign(static_cast<size_t>(cells), 1.0);
    return kernel;
}

std::uint64_t cellsOf(const std::vector<int> &sizes, int channels)
{
    std::uint64_t cells = static_cast<std::uint64_t>(channels);
    for (int size : sizes)
        cells = core::matrixBytes(cells, static_cast<std::uint64_t>(size), 1, 1);
    return cells;
}

/// Refuses a computation whose input, padded copy of it (@p paddedCells values, 0 when none is
/// made), result (@p outputCells values), written output and @p multiplyAdds do not fit the
/// budget of the run, before any of it is done.
void requireTensorBudget(const core::Budget &budget, const core::Tensor &input, std::uint64_t paddedCells,
                         std::uint64_t outputCells, std::uint64_t multiplyAdds, const OutputTarget &target)
{
    const std::uint64_t element = input.depth() == CV_32F ? 4 : 8;
    core::Estimate need;
    need.add("the input", core::matrixBytes(static_cast<std::uint64_t>(input.shape().cells()), 1, 1, element));
    if (paddedCells > 0)
        need.add("the padded input", core::matrixBytes(paddedCells, 1, 1, element));
    need.add("the output", core::matrixBytes(outputCells, 1, 1, element));
    addOutputBytes(need, outputCells, target);
    need.multiplyAdds = multiplyAdds;
    core::requireBudget(need, budget);
}

/// Writes an empty result and says why on standard error.
void writeEmpty(const OutputTarget &target, const std::string &reason)
{
    writeMatrix(cv::Mat(), target);
    printLine(stderr, "padlab: " + QString::fromStdString(reason));
}

/// The array of @p kernel as a single-channel matrix: one row, or the rows of a 2-D array.
cv::Mat planeKernel(const core::NdArray &kernel)
{
    const int rows = kernel.shape.size() == 2 ? static_cast<int>(kernel.shape[0]) : 1;
    const int cols = static_cast<int>(kernel.shape.back());
    cv::Mat matrix(rows, cols, CV_64F);
    std::copy(kernel.values.begin(), kernel.values.end(), matrix.ptr<double>());
    return matrix;
}

void runPad(const Invocation &invocation)
{
    const QString inputPath = invocation.argument();
    const std::optional<NamedLesson> lesson = namedLesson(inputPath);
    const OutputTarget target = outputTarget(invocation);
    const core::TensorConvSpec spec = tensorConvSpec(invocation, lesson ? lesson->spec : core::TensorConvSpec{});
    // A lesson's kernel decides its same, full and causal pads.
    const std::vector<int> kernelSize = axisOption(
        invocation, "kernel-size", 1, lesson ? std::vector<int>(lesson->kernel.shape.begin(), lesson->kernel.shape.end())
                                             : std::vector<int>{1});
    const core::Budget budget = budgetOf(invocation);
    const TensorInput input = inputOf(invocation, inputPath, optionRank(invocation), budget, lesson);
    requireFits(spec.amount, spec.stride, spec.dilation, input.tensor.shape());
    const core::TensorKernel kernel = sizedKernel(kernelSize, input.tensor.shape().spatialRank());
    requireValid(core::validate(spec, input.tensor.shape(), kernel));
    const core::TensorGeometry geometry = core::tensorGeometry(spec, input.tensor.shape(), kernel);
    requireTensorBudget(budget, input.tensor, 0, cellsOf(geometry.paddedSize(), input.tensor.channels()), 0, target);
    writeTensor(core::padTensor(input.tensor, geometry.pads(), spec.fill, spec.value), input.layout, target);
}

void runConv(const Invocation &invocation)
{
    const QString inputPath = invocation.argument();
    const std::optional<NamedLesson> lesson = namedLesson(inputPath);
    const QString kernelText = lessonKernelText(invocation, lesson);
    const OutputTarget target = outputTarget(invocation);
    const core::TensorConvSpec spec = tensorConvSpec(invocation, lesson ? lesson->spec : core::TensorConvSpec{});
    const core::Budget budget = budgetOf(invocation);
    const core::NdArray kernelArray = kernelArrayOf(kernelText, lesson, budget);
    const std::vector<double> bias = invocation.isSet("bias") ? loadBias(invocation.value("bias"), budget)
                                                                : std::vector<double>{};
    const TensorInput input = inputOf(invocation, inputPath,
                                      requestedRank(invocation, kernelRank(kernelArray, kernelText)), budget, lesson);
    core::TensorKernel kernel = tensorKernel(kernelArray, kernelText, input.tensor.shape().spatialRank());
    kernel.bias = bias;
    requireFits(spec.amount, spec.stride, spec.dilation, input.tensor.shape());
    requireValid(core::validate(spec, input.tensor.shape(), kernel));
    {
        const core::TensorShape &shape = input.tensor.shape();
        const int rank = shape.spatialRank();
        const int filters = core::filterCount(kernel, shape);
        const int perFilter = kernel.rank() == rank ? 1 : kernel.shape[1];
        const core::TensorGeometry geometry = core::tensorGeometry(spec, shape, kernel);
        const std::uint64_t outputCells = cellsOf(geometry.outputSize(), filters);
        const std::vector<int> taps(kernel.shape.end() - rank, kernel.shape.end());
        requireTensorBudget(budget, input.tensor, cellsOf(geometry.paddedSize(), shape.channels), outputCells,
                            cellsOf(taps, perFilter) * outputCells, target);
    }
    const int rank = input.tensor.shape().spatialRank();
    if (rank <= 2 && input.tensor.channels() == 1 && kernel.rank() == rank && bias.empty() && spec.groups == 1) {
        // One plane and one kernel: the engine's plane convolution, with its budget and progress.
        const core::ConvSpec plane = *core::planeSpec(spec, rank);
        const core::NdArray kernelPlane =
            kernelArray.shape.size() == 1 || rank == 2 ? kernelArray
                                                       : core::NdArray{{1, kernelArray.shape.back()}, kernelArray.values};
        TerminalProgress progress("conv");
        const core::ConvResult result =
            core::convolve(input.tensor.plane(0), planeKernel(kernelPlane), plane, budget, progress.hook());
        if (result.geometry.empty())
            return writeEmpty(target, core::emptyOutputReason(result.geometry));
        const std::vector<int> size = rank == 1 ? std::vector<int>{result.output.cols}
                                                : std::vector<int>{result.output.rows, result.output.cols};
        return writeTensor(core::Tensor(core::TensorShape{1, size}, result.output), input.layout, target);
    }
    const core::TensorConvResult result = core::convolveTensor(input.tensor, kernel, spec);
    if (result.geometry.empty())
        return writeEmpty(target, core::emptyOutputReason(result.geometry));
    writeTensor(result.output, resultLayout(input.layout, result.output.channels()), target);
}

void runPool(const Invocation &invocation)
{
    const QString inputPath = invocation.argument();
    const OutputTarget target = outputTarget(invocation);
    const core::PoolSpec spec = poolSpec(invocation, poolOp(invocation.required("pool-op")));
    const core::Budget budget = budgetOf(invocation);
    const TensorInput input = loadTensorInput(invocation, inputPath, optionRank(invocation), budget);
    requireFits(spec.amount, spec.stride, spec.dilation, input.tensor.shape());
    requireFits("--size", core::axisValuesProblem(spec.window, input.tensor.shape().spatialRank(), "the window"),
                input.tensor.shape());
    requireValid(core::validate(spec, input.tensor.shape()));
    {
        std::vector<int> padded;
        std::vector<int> output;
        std::vector<int> window;
        for (const core::PoolAxis &axis : core::poolGeometry(spec, input.tensor.shape())) {
            padded.push_back(axis.padded);
            output.push_back(axis.output);
            window.push_back(axis.window);
        }
        const std::uint64_t outputCells = cellsOf(output, input.tensor.channels());
        requireTensorBudget(budget, input.tensor, cellsOf(padded, input.tensor.channels()), outputCells,
                            cellsOf(window, 1) * outputCells, target);
    }
    const core::PoolResult result = core::poolTensor(input.tensor, spec);
    const int rank = static_cast<int>(result.axes.size());
    for (int a = 0; a < rank; ++a) {
        const core::PoolAxis &axis = result.axes[static_cast<size_t>(a)];
        if (axis.output == 0) {
            return writeEmpty(target, QStringLiteral("The output is empty: the window reaches %1 %2s but the padded "
                                                     "input has %3 (%4), so no window fits.")
                                          .arg(axis.extent)
                                          .arg(axisCell(a, rank))
                                          .arg(axis.padded)
                                          .arg(axisName(a, rank))
                                          .toStdString());
        }
    }
    writeTensor(result.output, input.layout, target);
}

void runConvT(const Invocation &invocation)
{
    const QString inputPath = invocation.argument();
    const QString kernelText = invocation.required("kernel");
    const OutputTarget target = outputTarget(invocation);
    const core::ConvTSpec spec = convtSpec(invocation);
    const core::Budget budget = budgetOf(invocation);
    const core::NdArray kernelArray = loadKernelArray(kernelText, budget);
    const std::vector<double> bias = invocation.isSet("bias") ? loadBias(invocation.value("bias"), budget)
                                                                : std::vector<double>{};
    const TensorInput input = loadTensorInput(
        invocation, inputPath, requestedRank(invocation, kernelRank(kernelArray, kernelText)), budget);
    core::TensorKernel kernel = tensorKernel(kernelArray, kernelText, input.tensor.shape().spatialRank());
    kernel.bias = bias;
    requireFits(spec.amount, spec.stride, spec.dilation, input.tensor.shape());
    const size_t axes = static_cast<size_t>(input.tensor.shape().spatialRank());
    if (spec.outputPadding.size() != 1 && spec.outputPadding.size() != axes) {
        requireFits("--output-padding",
                    "output padding has " + std::to_string(spec.outputPadding.size()) + " values (one, or one per axis)",
                    input.tensor.shape());
    }
    requireValid(core::validate(spec, input.tensor.shape(), kernel));
    {
        const core::TensorShape &shape = input.tensor.shape();
        const int rank = shape.spatialRank();
        const int filters = core::convtFilterCount(kernel, shape, spec.groups);
        std::vector<int> output;
        for (const core::ConvTAxis &axis : core::convtGeometry(spec, shape, kernel))
            output.push_back(axis.output);
        const std::vector<int> taps(kernel.shape.end() - rank, kernel.shape.end());
        const int perChannel = kernel.rank() == rank ? 1 : kernel.shape[1];
        requireTensorBudget(budget, input.tensor, 0, cellsOf(output, filters),
                            cellsOf(taps, perChannel) * static_cast<std::uint64_t>(shape.cells()), target);
    }
    const core::ConvTResult result = core::transposeConvolve(input.tensor, kernel, spec);
    writeTensor(result.output, resultLayout(input.layout, result.output.channels()), target);
}

// ---- shape ---------------------------------------------------------------------------------

enum class ShapeOp { Conv, Pool, ConvT };

ShapeOp shapeOp(const Invocation &invocation)
{
    if (!invocation.isSet("shape-op"))
        return ShapeOp::Conv;
    const QString text = invocation.value("shape-op");
    if (text == "conv")
        return ShapeOp::Conv;
    if (text == "pool")
        return ShapeOp::Pool;
    if (text == "convt")
        return ShapeOp::ConvT;
    throw CliError(QStringLiteral("--op: unknown operation '%1' (choose conv, pool or convt)").arg(text));
}

/// Refuses an option that belongs to another operation than @p op.
void refuseOption(const Invocation &invocation, const QString &key, const QString &op)
{
    if (invocation.isSet(key))
        throw CliError(QStringLiteral("%1 applies only to --op %2").arg(optionText(key), op));
}

QString unreadNote(int axis, int rank, const std::vector<int> &positions)
{
    QStringList cells;
    for (int p : positions)
        cells << QString::number(p);
    const int count = static_cast<int>(positions.size());
    return QStringLiteral("%1: %2 padded %3%4 never read (%5)")
        .arg(axisName(axis, rank))
        .arg(count)
        .arg(axisCell(axis, rank), count == 1 ? " is" : "s are")
        .arg((count == 1 ? "position " : "positions ") + cells.join(", "));
}

/// The frameworks' notes, one line each: `PyTorch: ...`.
QStringList noteLines(const std::vector<core::FrameworkNote> &notes)
{
    QStringList lines;
    for (const auto &note : notes)
        lines << QString::fromStdString(note.framework + ": " + note.text);
    return lines;
}

QStringList convShape(const Invocation &invocation, const core::TensorShape &input, const core::TensorKernel &kernel)
{
    refuseOption(invocation, "ceil", "pool");
    refuseOption(invocation, "output-padding", "convt");
    const core::TensorConvSpec spec = tensorConvSpec(invocation);
    requireValid(core::validate(spec, input, kernel));
    const core::TensorGeometry geometry = core::tensorGeometry(spec, input, kernel);
    const int rank = input.spatialRank();
    QStringList lines;
    lines << "output: " + sizeText(geometry.outputSize());
    lines << "padding: " + padsText(geometry.pads());
    for (int a = 0; a < rank; ++a)
        lines << axisName(a, rank) + ": " + QString::fromStdString(core::outputFormula(geometry.axes[static_cast<size_t>(a)]));
    for (int a = 0; a < rank; ++a) {
        const core::AxisGeometry &axis = geometry.axes[static_cast<size_t>(a)];
        if (axis.unread > 0) {
            lines << QStringLiteral("%1: %2 padded %3%4 never read (stride %5 does not divide evenly)")
                         .arg(axisName(a, rank))
                         .arg(axis.unread)
                         .arg(axisCell(a, rank), axis.unread == 1 ? " is" : "s are")
                         .arg(axis.stride);
        }
    }
    if (geometry.empty())
        lines << QString::fromStdString(core::emptyOutputReason(geometry));
    return lines + noteLines(core::tensorConvNotes(spec, input, kernel));
}

QStringList poolShape(const Invocation &invocation, const core::TensorShape &input, const std::vector<int> &window)
{
    refuseOption(invocation, "output-padding", "convt");
    core::PoolSpec spec;
    spec.window = window;
    spec.stride = axisOption(invocation, "stride", 1, {});
    spec.dilation = axisOption(invocation, "dilation", 1, spec.dilation);
    if (invocation.isSet("pad")) {
        const std::string text = invocation.value("pad").toStdString();
        spec.amount = parseOption("--pad", [&] { return core::parseTensorPadAmount(text); });
    }
    spec.ceil = invocation.isSet("ceil");
    requireValid(core::validate(spec, input));
    const std::vector<core::PoolAxis> axes = core::poolGeometry(spec, input);
    const int rank = input.spatialRank();
    std::vector<int> output;
    std::vector<core::AxisPads> pads;
    for (const auto &axis : axes) {
        output.push_back(axis.output);
        pads.push_back({axis.before, axis.after});
    }
    QStringList lines;
    lines << "output: " + sizeText(output);
    lines << "padding: " + padsText(pads);
    for (int a = 0; a < rank; ++a)
        lines << axisName(a, rank) + ": " + QString::fromStdString(core::poolOutputFormula(axes[static_cast<size_t>(a)]));
    const auto unread = core::unreadPositions(axes);
    for (int a = 0; a < rank; ++a) {
        if (!unread[static_cast<size_t>(a)].empty())
            lines << unreadNote(a, rank, unread[static_cast<size_t>(a)]);
    }
    return lines + noteLines(core::poolNotes(spec, axes));
}

QStringList convtShape(const Invocation &invocation, const core::TensorShape &input, const core::TensorKernel &kernel)
{
    refuseOption(invocation, "ceil", "pool");
    const core::ConvTSpec spec = convtSpec(invocation);
    requireValid(core::validate(spec, input, kernel));
    const std::vector<core::ConvTAxis> axes = core::convtGeometry(spec, input, kernel);
    const int rank = input.spatialRank();
    std::vector<int> output;
    std::vector<core::AxisPads> crops;
    for (const auto &axis : axes) {
        output.push_back(axis.output);
        crops.push_back({axis.before, axis.after});
    }
    QStringList lines;
    lines << "output: " + sizeText(output);
    lines << "cropped: " + padsText(crops);
    for (int a = 0; a < rank; ++a)
        lines << axisName(a, rank) + ": " + QString::fromStdString(core::convtOutputFormula(axes[static_cast<size_t>(a)]));
    for (int a = 0; a < rank; ++a)
        lines << axisName(a, rank) + ": " + QString::fromStdString(core::convtCropFormula(axes[static_cast<size_t>(a)]));
    return lines + noteLines(core::convtNotes(spec, axes));
}

void runShape(const Invocation &invocation)
{
    invocation.requireNoArgument();
    const ShapeOp op = shapeOp(invocation);
    const QString sizeArgument = invocation.required("input-size");
    const std::vector<int> size = axisOption(invocation, "input-size", 1, {});
    if (size.size() > 3) {
        throw CliError(QStringLiteral("--input-size: '%1' has %2 sizes; give L, HxW or DxHxW")
                           .arg(sizeArgument)
                           .arg(size.size()));
    }
    const int rank = static_cast<int>(size.size());
    invocation.required("kernel-size");
    const core::TensorKernel kernel = sizedKernel(axisOption(invocation, "kernel-size", 1, {}), rank);
    const core::TensorShape input{1, size};
    QStringList lines;
    switch (op) {
    case ShapeOp::Conv: lines = convShape(invocation, input, kernel); break;
    case ShapeOp::Pool: lines = poolShape(invocation, input, kernel.shape); break;
    case ShapeOp::ConvT: lines = convtShape(invocation, input, kernel); break;
    }
    writeStdout((lines.join('\n') + '\n').toUtf8());
}

void runSummary(const Invocation &invocation)
{
    invocation.requireNoArgument();
    const std::string shapeText = invocation.required("input-shape").toStdString();
    const std::string layersText = invocation.required("layers").toStdString();
    const core::Shape shape =
        parseOption("--input-shape", [&] { return core::parseStackInputShape(shapeText); });
    const auto layers = parseOption("--layers", [&] { return core::parseLayerSpecs(layersText); });
    const auto summary = parseOption("--layers", [&] { return core::summarizeLayers(shape, layers); });
    std::string text = core::formatSummary(summary);
    if (text.empty() || text.back() != '\n')
        text += '\n';
    writeStdout(QByteArray::fromStdString(text));
}

/// Checks -o of code before any work is done: any file name in an existing folder.
void checkScriptOutput(const Invocation &invocation)
{
    if (invocation.isSet("output"))
        requireOutputFile(invocation.value("output"), invocation);
}

void deliverScript(const Invocation &invocation, core::Framework framework, const core::GeneratedCode &code)
{
    if (!code.expressible()) {
        throw CannotExpress(QStringLiteral("%1 cannot express these settings: %2")
                                .arg(QString::fromUtf8(core::frameworkDisplayName(framework)),
                                     QString::fromStdString(code.reason)));
    }
    if (invocation.isSet("output"))
        core::writeOutputFile(toLocal(invocation.value("output")), code.script);
    else
        writeStdout(code.script);
}

void runCode(const Invocation &invocation)
{
    const QString inputPath = invocation.argument();
    const QString opText = invocation.isSet("code-op") ? invocation.value("code-op") : QStringLiteral("conv");
    if (opText != "conv" && opText != "convt" && opText != "max" && opText != "avg")
        throw CliError(QStringLiteral("--op: unknown operation '%1' (choose conv, convt, max or avg)").arg(opText));
    const bool pool = opText == "max" || opText == "avg";
    const std::optional<NamedLesson> lesson = namedLesson(inputPath);
    const QString kernelText = pool ? QString() : lessonKernelText(invocation, lesson);
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
    const core::Budget budget = budgetOf(invocation);

    core::TensorCodeRequest request;
    core::NdArray kernelArray;
    int rank = optionRank(invocation);
    if (pool) {
        request.op = core::OpKind::Pool;
        request.pool = poolSpec(invocation, poolOp(opText));
    } else {
        kernelArray = kernelArrayOf(kernelText, lesson, budget);
        rank = requestedRank(invocation, kernelRank(kernelArray, kernelText));
        if (opText == "conv") {
            request.op = core::OpKind::Conv;
            request.conv = tensorConvSpec(invocation, lesson ? lesson->spec : core::TensorConvSpec{});
        } else {
            request.op = core::OpKind::ConvT;
            request.convt = convtSpec(invocation);
        }
        if (invocation.isSet("bias"))
            request.kernel.bias = loadBias(invocation.value("bias"), budget);
    }
    const TensorInput input = inputOf(invocation, inputPath, rank, budget, lesson);
    request.layout = input.layout;
    request.input = input.tensor.shape();
    const int spatialRank = request.input.spatialRank();
    if (!pool) {
        const std::vector<double> bias = request.kernel.bias;
        request.kernel = tensorKernel(kernelArray, kernelText, spatialRank);
        request.kernel.bias = bias;
    }
    requireFits(pool                                  ? request.pool.amount
                : request.op == core::OpKind::Conv ? request.conv.amount
                                                   : request.convt.amount,
                pool ? request.pool.stride : request.op == core::OpKind::Conv ? request.conv.stride : request.convt.stride,
                pool ? request.pool.dilation
                     : request.op == core::OpKind::Conv ? request.conv.dilation : request.convt.dilation,
                request.input);
    switch (request.op) {
    case core::OpKind::Conv: requireValid(core::validate(request.conv, request.input, request.kernel)); break;
    case core::OpKind::Pool: requireValid(core::validate(request.pool, request.input)); break;
    case core::OpKind::ConvT: requireValid(core::validate(request.convt, request.input, request.kernel)); break;
    }

    // One plane of CSV or an image, one spatial kernel, nothing a tensor adds: the script of the
    // window's Code tab, which reads the CSV as a matrix.
    const bool plane = request.op == core::OpKind::Conv && spatialRank <= 2 && request.input.channels == 1 &&
                       !core::hasChannels(input.layout) && request.kernel.rank() == spatialRank &&
                       request.kernel.bias.empty() && request.conv.groups == 1 &&
                       QFileInfo(inputPath).suffix().toLower() != "npy";
    if (plane) {
        const core::ConvSpec spec = *core::planeSpec(request.conv, spatialRank);
        const cv::Mat kernel = planeKernel(kernelArray.shape.size() == 1 || spatialRank == 2
                                               ? kernelArray
                                               : core::NdArray{{1, kernelArray.shape.back()}, kernelArray.values});
        const core::PerAxis size = spatialRank == 1 ? core::PerAxis{1, request.input.spatial[0]}
                                                    : core::PerAxis{request.input.spatial[0], request.input.spatial[1]};
        requireValid(spec, size, sizeOf(kernel));
        return deliverScript(invocation, *framework, core::generateCode(*framework, spec, kernel, size));
    }
    deliverScript(invocation, *framework, core::generateTensorCode(*framework, request));
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

/// The pool view's settings: @p base with what --op, --size, --stride, --dilation, --pad, --ceil,
/// --count-pad and --rules say, read as pool reads them (2-D, one value or one per axis).
ui::ViewSettings poolViewSettings(const Invocation &invocation, ui::ViewSettings base)
{
    core::PoolSpec &spec = base.pool;
    if (invocation.isSet("pool-op"))
        spec.op = poolOp(invocation.value("pool-op"));
    spec.window = axisOption(invocation, "size", 1, spec.window);
    if (invocation.isSet("stride"))
        spec.stride = axisOption(invocation, "stride", 1, {});
    else if (invocation.isSet("size"))
        spec.stride.clear(); // the window, as pool defaults
    spec.dilation = axisOption(invocation, "dilation", 1, spec.dilation);
    if (invocation.isSet("pad")) {
        const std::string text = invocation.value("pad").toStdString();
        spec.amount = parseOption("--pad", [&] { return core::parseTensorPadAmount(text); });
        // top,bottom,left,right as pool reads them, or one number for every side.
        std::vector<int> &values = spec.amount.values;
        if (spec.amount.kind == core::Amount::Explicit && values.size() == 1)
            values = {values[0], values[0], values[0], values[0]};
    }
    if (invocation.isSet("ceil"))
        spec.ceil = true;
    if (invocation.isSet("count-pad")) {
        const QString text = invocation.value("count-pad");
        if (text != "include" && text != "exclude")
            throw CliError(QStringLiteral("--count-pad: '%1' is neither include nor exclude").arg(text));
        if (spec.op != core::PoolOp::Average)
            throw CliError(QStringLiteral("--count-pad applies only to --op avg, not --op max"));
        spec.countPadding = text == "include";
    }
    if (invocation.isSet("rules")) {
        const QString text = invocation.value("rules").trimmed().toLower();
        if (text == "pytorch") {
            base.poolRule = ui::PoolRule::PyTorch;
            base.poolBoth = false;
        } else if (text == "tensorflow") {
            base.poolRule = ui::PoolRule::TensorFlow;
            base.poolBoth = false;
        } else if (text == "both") {
            base.poolBoth = true;
        } else {
            throw CliError(QStringLiteral("--rules: '%1' is not pytorch, tensorflow or both").arg(invocation.value("rules")));
        }
    }
    if (spec.ceil && spec.amount.kind != core::Amount::Explicit)
        throw CliError(QStringLiteral("--ceil (PyTorch's ceil_mode) goes with explicit --pad; for none give --pad 0"));
    for (const auto &[name, values] : {std::pair<const char *, const std::vector<int> *>{"size", &spec.window},
                                      {"stride", &spec.stride}, {"dilation", &spec.dilation}})
        if (values->size() > 2)
            throw CliError(QStringLiteral("--%1: the pool view is 2-D: give N or NYxNX").arg(QLatin1String(name)));
    if (spec.amount.kind == core::Amount::Explicit && spec.amount.values.size() != 4)
        throw CliError(QStringLiteral("--pad: the pool view is 2-D: give top,bottom,left,right or one number for every side"));
    if (spec.amount.kind == core::Amount::Full || spec.amount.kind == core::Amount::Causal)
        throw CliError(QStringLiteral("--pad: pooling pads valid, same or explicitly, not %1")
                           .arg(QString::fromUtf8(core::amountName(spec.amount.kind))));
    return base;
}

/// The convolution whose window positions are the pool's (floor rounding): a window of the
/// pool's size, stride, dilation and pads, so that --step and the animation count them.
core::ConvSpec poolConvSpec(const core::PoolSpec &pool)
{
    const auto axis = [](const std::vector<int> &v, int i, int fallback) {
        return v.empty() ? fallback : v.size() == 1 ? v[0] : v[static_cast<size_t>(i)];
    };
    core::ConvSpec spec;
    spec.amount.kind = pool.amount.kind;
    if (pool.amount.kind == core::Amount::Explicit)
        spec.amount.sides = {pool.amount.values[0], pool.amount.values[1], pool.amount.values[2], pool.amount.values[3]};
    const std::vector<int> &stride = pool.stride.empty() ? pool.window : pool.stride;
    spec.stride = {axis(stride, 0, 1), axis(stride, 1, 1)};
    spec.dilation = {axis(pool.dilation, 0, 1), axis(pool.dilation, 1, 1)};
    return spec;
}

/// The Transposed view's settings from --pad (valid, same, or PyTorch's padding N, cropped on
/// every side), --stride, --dilation and --output-padding, over @p base.
ui::ViewSettings transposedSettings(const Invocation &invocation, ui::ViewSettings base)
{
    if (invocation.isSet("pad")) {
        const QString text = invocation.value("pad").trimmed();
        bool number = false;
        const int padding = text.toInt(&number);
        if (text == QLatin1String("valid")) {
            base.convtAmount = core::Amount::Valid;
        } else if (text == QLatin1String("same")) {
            base.convtAmount = core::Amount::Same;
        } else if (number && padding >= 0) {
            base.convtAmount = core::Amount::Explicit;
            base.convtPadding = padding;
        } else {
            throw CliError(QStringLiteral("--pad '%1': the transposed view takes valid, same (Keras) or one PyTorch "
                                          "padding N >= 0, cropped on every side")
                               .arg(text));
        }
    }
    if (invocation.isSet("stride"))
        base.convtStride = intOption(invocation, "stride", 1);
    if (invocation.isSet("dilation"))
        base.convtDilation = intOption(invocation, "dilation", 1);
    if (invocation.isSet("output-padding")) {
        if (base.convtAmount != core::Amount::Explicit)
            throw CliError(QStringLiteral("--output-padding goes with PyTorch's padding (--pad N); Keras' valid and "
                                          "same fix the size"));
        base.convtOutputPadding = intOption(invocation, "output-padding", 0);
    }
    if (base.convtAmount != core::Amount::Explicit)
        base.convtOutputPadding = 0;
    return base;
}

/// render --view volume: INPUT is `numbered` or `sphere` (the built-in volumes) or a .npy
/// volume (D, H, W) or (C, D, H, W); a lesson brings its volume settings. --kernel is `box`
/// (kd x 3 x 3 ones), a 3-D .npy (kd, kh, kw), or a 2-D kernel stacked kd deep; --pad is a word or
/// ZeroPadding3D's six sides front,back,top,bottom,left,right.
void renderVolume(const Invocation &invocation, ui::Session &session, ui::ExportOptions options,
                  const QString &inputPath, const QString &outputPath, bool lesson, const core::Budget &budget)
{
    for (const char *option : {"groups", "bias", "color", "convolution", "row-by-row"})
        if (invocation.isSet(option))
            throw CliError(QStringLiteral("--%1 does not apply to the volume view").arg(option));
    ui::VolumeSettings volume = session.volumeSettings();
    if (!lesson) {
        const QString word = inputPath.trimmed().toLower();
        if (word == QLatin1String("numbered")) {
            volume.source = ui::VolumeSource::Numbered;
        } else if (word == QLatin1String("sphere")) {
            volume.source = ui::VolumeSource::Sphere;
        } else if (QFileInfo(inputPath).suffix().compare(QLatin1String("npy"), Qt::CaseInsensitive) == 0) {
            const core::NdArray array = loadKernelArray(inputPath, budget);
            if (array.shape.size() != 3 && array.shape.size() != 4)
                throw CliError(QStringLiteral("'%1': the volume view takes a (D, H, W) or (C, D, H, W) array, got shape %2")
                                   .arg(inputPath, QString::fromStdString(array.shapeText())));
            volume.source = ui::VolumeSource::Custom;
            volume.sourceShape.clear();
            if (array.shape.size() == 3)
                volume.sourceShape.push_back(1);
            for (auto n : array.shape)
                volume.sourceShape.push_back(int(std::min<std::int64_t>(n, ui::kMaxVolumeCells + 1)));
            volume.sourceValues = array.values;
        } else {
            throw CliError(QStringLiteral("'%1': the volume view reads `numbered`, `sphere` or a .npy volume "
                                          "(D, H, W) or (C, D, H, W)")
                               .arg(inputPath));
        }
    }
    if (invocation.isSet("kernel")) {
        const QString text = invocation.value("kernel");
        if (text.trimmed().compare(QLatin1String("box"), Qt::CaseInsensitive) == 0) {
            volume.kernel = ui::VolumeKernel::Box;
        } else {
            const core::NdArray array = loadKernelArray(text, budget);
            if (array.shape.size() == 3) {
                volume.kernel = ui::VolumeKernel::Custom;
                volume.kernelShape.assign(array.shape.begin(), array.shape.end());
                volume.kernelWeights = array.values;
            } else if (array.shape.size() == 2) {
                session.setKernel(planeKernel(array));
                volume.kernel = ui::VolumeKernel::Stacked;
            } else {
                throw CliError(QStringLiteral("--kernel '%1': the volume view takes `box`, a 3-D kernel (kd, kh, kw) "
                                              "or a 2-D kernel to stack, got shape %2")
                                   .arg(text, QString::fromStdString(array.shapeText())));
            }
        }
    }
    core::TensorConvSpec base;
    base.amount = ui::volumePadAmount(volume);
    base.fill = volume.fill;
    base.value = volume.fillValue;
    base.stride.assign(volume.stride.begin(), volume.stride.end());
    base.dilation.assign(volume.dilation.begin(), volume.dilation.end());
    const core::TensorConvSpec spec = tensorConvSpec(invocation, base);
    if (auto why = core::padListProblem(spec.amount, 3))
        throw CliError(QStringLiteral("--pad: %1").arg(QString::fromStdString(*why)));
    volume.amount = spec.amount.kind;
    if (spec.amount.kind == core::Amount::Explicit)
        std::copy_n(spec.amount.values.begin(), 6, volume.pads.begin());
    volume.fill = spec.fill;
    volume.fillValue = spec.value;
    for (const auto &[values, what, target] :
         {std::tuple{spec.stride, "stride", &volume.stride}, std::tuple{spec.dilation, "dilation", &volume.dilation}}) {
        if (auto why = core::axisValuesProblem(values, 3, what))
            throw CliError(QStringLiteral("--%1: %2").arg(QLatin1String(what), QString::fromStdString(*why)));
        const std::vector<int> axes = core::perAxis(values, 3);
        std::copy_n(axes.begin(), 3, target->begin());
    }
    session.setVolumeSettings(volume);
    const ui::VolumeSet set = ui::computeVolume(session.volumeSettings(), session.kernel());
    if (!set.error.isEmpty())
        throw CliError(QStringLiteral("cannot convolve the volume: %1").arg(set.error));
    if (invocation.isSet("step")) {
        // Counted from 1 over the output's depth x rows x cols cells.
        const QString text = invocation.value("step");
        bool ok = false;
        const int step = text.trimmed().toInt(&ok);
        const int count = set.outputCells();
        if (!ok)
            throw CliError(QStringLiteral("--step: '%1' is not a whole number").arg(text));
        if (step < 1 || step > count)
            throw CliError(QStringLiteral("--step %1: steps count from 1; the volume's output has %2 cells (1 to %2)")
                               .arg(step)
                               .arg(count));
        options.step = step - 1;
    } else if (!lesson) {
        options.step = 0;
    } else {
        options.step = session.step();
    }
    ui::Exporter exporter(session, options);
    TerminalProgress progress("render");
    exporter.setProgressCallback([&progress](int done, int total) { progress.show(double(done) / total); });
    if (!exporter.exportTo(outputPath))
        throw CliError(exporter.errorString());
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
    requireOutputFile(outputPath, invocation);
    ui::ExportOptions options = exportOptions(invocation);
    const core::Budget budget = budgetOf(invocation);

    ui::Session session;
    session.setBudget(budget);
    QString sessionError;
    QObject::connect(&session, &ui::Session::errorOccurred,
                     [&sessionError](const QString &message) { sessionError = message; });
    // A lesson (a file, or a built-in one named lesson:NAME) brings its input, kernel, settings
    // and step; options given here override them.
    const bool named = openNamedLesson(inputPath, session);
    const bool lesson = named || ui::isLessonPath(inputPath);
    if (lesson) {
        QString error;
        const std::optional<ui::Lesson> opened
            = named ? std::nullopt : ui::readLesson(inputPath, &error, invocation.isSet("allow-outside-paths"));
        if (!named && (!opened || !ui::applyLesson(*opened, session, &error)))
            throw CliError(error);
        session.waitUntilIdle();
        if (core::sameFile(toLocal(outputPath), toLocal(session.inputPath()))) {
            throw CliError(QStringLiteral("-o '%1' is the file '%2' that this lesson reads; choose another "
                                          "name (an input is never replaced)")
                               .arg(outputPath, session.inputPath()));
        }
        // A lesson saved in a teaching view renders that view unless --view says otherwise.
        if (!invocation.isSet("view")) {
            switch (session.view()) {
            case ui::Session::View::Signal: options.view = ui::ExportView::Signal; break;
            case ui::Session::View::Compare: options.view = ui::ExportView::Compare; break;
            case ui::Session::View::Stages: options.view = ui::ExportView::Stages; break;
            case ui::Session::View::Channels: options.view = ui::ExportView::Channels; break;
            case ui::Session::View::Pool: options.view = ui::ExportView::Pool; break;
            case ui::Session::View::Transposed: options.view = ui::ExportView::Transposed; break;
            case ui::Session::View::Volume: options.view = ui::ExportView::Volume; break;
            case ui::Session::View::Window:
            case ui::Session::View::Layers: break;
            }
        }
    }
    const bool poolView = options.view == ui::ExportView::Pool;
    for (const char *option : {"pool-op", "size", "ceil", "count-pad", "rules"})
        if (invocation.isSet(option) && !poolView)
            throw CliError(QStringLiteral("--%1 applies to the pool view: add --view pool")
                               .arg(QLatin1String(option) == QLatin1String("pool-op") ? QStringLiteral("op")
                                                                                      : QLatin1String(option)));
    std::optional<ui::ViewSettings> poolSettings;
    if (poolView) {
        for (const char *option : {"kernel", "fill", "value", "convolution"})
            if (invocation.isSet(option))
                throw CliError(QStringLiteral("--%1 applies to convolution views, not --view pool (it pools with "
                                              "--op, --size, --stride, --pad, --ceil, --count-pad)")
                                   .arg(QLatin1String(option)));
        poolSettings = poolViewSettings(invocation, session.viewSettings());
    }
    const bool transposedView = options.view == ui::ExportView::Transposed;
    if (invocation.isSet("output-padding") && !transposedView)
        throw CliError(QStringLiteral("--output-padding applies to the transposed view: add --view transposed"));
    for (const char *option : {"fill", "value", "convolution"})
        if (invocation.isSet(option) && transposedView)
            throw CliError(QStringLiteral("--%1 does not apply to the transposed view (its implicit padding is zeros)")
                               .arg(option));
    // The transposed view reads --pad, --stride and --dilation as convt does; the window's
    // convolution keeps its own settings (they only set how far --step goes).
    const ui::ViewSettings convtView = transposedView ? transposedSettings(invocation, session.viewSettings())
                                                      : session.viewSettings();
    if (options.view == ui::ExportView::Volume) {
        renderVolume(invocation, session, options, inputPath, outputPath, lesson, budget);
        return;
    }
    // The window's settings where neither the lesson nor an option says otherwise; the pool view
    // slides a window of the pool's geometry, so that --step counts the pool's positions.
    const core::ConvSpec spec = poolView         ? poolConvSpec(poolSettings->pool)
                                : transposedView ? (lesson ? session.spec() : ui::Session::defaultSpec())
                                                 : convSpec(invocation, lesson ? session.spec() : ui::Session::defaultSpec());
    const bool channelsView = options.view == ui::ExportView::Channels;
    const bool signalView = options.view == ui::ExportView::Signal;
    for (const char *option : {"groups", "bias"})
        if (invocation.isSet(option) && !channelsView && !signalView)
            throw CliError(QStringLiteral("--%1 applies to the channels view (or the signal view of an input of "
                                          "several rows): add --view channels")
                               .arg(option));
    const std::vector<int> &window = poolView ? poolSettings->pool.window : std::vector<int>{};
    cv::Mat kernel = poolView ? cv::Mat::ones(window.front(), window.back(), CV_64F) : session.kernel();
    std::optional<core::NdArray> bank; // a .npy filter bank (F, C/groups, rows, cols)
    if (invocation.isSet("kernel")) {
        const QString text = invocation.value("kernel");
        if (QFileInfo(text).suffix().compare(QLatin1String("npy"), Qt::CaseInsensitive) == 0) {
            const core::NdArray array = loadKernelArray(text, budget);
            if (array.shape.size() == 4 && channelsView) {
                // The window and output panels slide the bank's first kernel: the same geometry.
                bank = array;
                kernel.create(int(array.shape[2]), int(array.shape[3]), CV_64F);
                std::copy_n(array.values.begin(), kernel.total(), kernel.ptr<double>());
            } else if (array.shape.size() == 2) {
                kernel = planeKernel(array);
            } else {
                throw CliError(QStringLiteral("--kernel '%1': render takes a 2-D kernel (rows, cols)%2, got shape %3")
                                   .arg(text,
                                        channelsView ? QStringLiteral(" or, for the channels view, a 4-D filter bank "
                                                                      "(filters, channels per group, rows, cols)")
                                                     : QString(),
                                        QString::fromStdString(array.shapeText())));
            }
        } else {
            const std::string kernelText = text.toStdString();
            kernel = parseOption("--kernel", [&] { return core::loadKernel(kernelText); });
        }
    }
    // The whole render, the teaching view's work and the frames included, before any of it
    // (and before an image is decoded).
    const auto check = [&](int rows, int cols, int, int bytes) {
        requireValid(spec, {rows, cols}, sizeOf(kernel));
        core::requireBudget(ui::Exporter::estimate({rows, cols}, bytes, sizeOf(kernel), spec, *format, options,
                                                   session.compareBy(), session.stageCount()),
                            budget);
    };
    // A .npy is read as the window opens it: a 2-D array is the plane, a 3-D (C, H, W) array C
    // channels, of which the views other than channels convolve channel 0.
    cv::Mat input;
    bool tensor = false;
    if (lesson) {
        input = session.input();
    } else if (ui::isNpyPath(inputPath)) {
        ui::NpyInput npy = ui::readNpyInput(toLocal(inputPath), budget.memory, check);
        input = npy.values;
        tensor = npy.tensor;
    } else {
        input = loadInputFile(invocation, inputPath, check);
    }
    if (lesson)
        check(input.rows, input.cols, input.channels(), int(input.elemSize1()));
    requireValid(spec, sizeOf(input), sizeOf(kernel));
    if (!lesson)
        session.setSource(input, QFileInfo(inputPath).fileName(), inputPath, tensor);
    session.setKernel(kernel);
    session.setSpec(spec);
    if (transposedView)
        session.setViewSettings(convtView);
    if (channelsView) {
        // As conv reads them: a bank in PyTorch's layout, or one spatial kernel on every channel
        // on its own (groups = channels); without --kernel the view's preset stays.
        ui::ViewSettings view = session.viewSettings();
        if (bank) {
            view.bank = ui::FilterBank::Custom;
            view.bankShape.assign(bank->shape.begin(), bank->shape.end());
            view.bankWeights = bank->values;
        } else if (invocation.isSet("kernel")) {
            view.bank = ui::FilterBank::Kernel;
            view.groups = session.source().channels();
        }
        if (invocation.isSet("groups"))
            view.groups = intOption(invocation, "groups", 1);
        if (invocation.isSet("bias"))
            view.bias = loadBias(invocation.value("bias"), budget);
        session.setViewSettings(view);
    }
    if (signalView && (invocation.isSet("groups") || invocation.isSet("bias"))) {
        // The rows are the channels of one signal: --groups 1 sums them in one filter, --groups C
        // gives each its own (depthwise), as conv --layout CL reads them.
        const int channels = session.input().rows;
        if (channels < 2)
            throw CliError(QStringLiteral("--groups and --bias apply to the signal view of an input of several rows "
                                          "(its channels); this input has one row"));
        ui::ViewSettings view = session.viewSettings();
        if (invocation.isSet("groups")) {
            const int groups = intOption(invocation, "groups", 1);
            if (groups != 1 && groups != channels)
                throw CliError(QStringLiteral("--groups %1: the signal view sums the %2 channels in one filter "
                                              "(--groups 1) or gives each its own (--groups %2)")
                                   .arg(groups)
                                   .arg(channels));
            view.signalFilters = groups == 1 ? ui::SignalFilters::Sum : ui::SignalFilters::Depthwise;
        }
        if (invocation.isSet("bias"))
            view.signalBias = loadBias(invocation.value("bias"), budget);
        session.setViewSettings(view);
    }
    if (poolSettings)
        session.setViewSettings(*poolSettings);
    // As in the window, these views' steps (--step, the animation) walk their own output.
    const auto show = [&session](ui::Session::View view, ui::Part part) {
        session.setView(view);
        session.need(part);
    };
    switch (options.view) {
    case ui::ExportView::Signal: show(ui::Session::View::Signal, ui::Part::Signal); break;
    case ui::ExportView::Channels: show(ui::Session::View::Channels, ui::Part::Channels); break;
    case ui::ExportView::Pool: show(ui::Session::View::Pool, ui::Part::Pool); break;
    case ui::ExportView::Transposed: show(ui::Session::View::Transposed, ui::Part::Transposed); break;
    default: break;
    }
    session.waitUntilIdle();
    if (!sessionError.isEmpty())
        throw CliError(sessionError);

    if (invocation.isSet("step")) {
        // Counted from 1, as the window's "Step N / M": step 1 is the first window position.
        const QString text = invocation.value("step");
        bool ok = false;
        const int step = text.trimmed().toInt(&ok);
        const int count = session.stepCount();
        if (!ok)
            throw CliError(QStringLiteral("--step: '%1' is not a whole number").arg(text));
        if (count == 0)
            throw CliError(QStringLiteral("--step %1: the output is empty, so the window has no position").arg(step));
        if (step < 1 || step > count) {
            throw CliError(QStringLiteral("--step %1: steps count from 1, as in the window; the window has %2 "
                                          "positions (1 to %2)")
                               .arg(step)
                               .arg(count));
        }
        session.setStep(step - 1);
    }
    ui::Exporter exporter(session, options);
    TerminalProgress progress("render");
    exporter.setProgressCallback([&progress](int done, int total) { progress.show(double(done) / total); });
    if (!exporter.exportTo(outputPath))
        throw CliError(exporter.errorString());
}

} // namespace

namespace {

const QString kInputHelp = QStringLiteral(
    "A .csv file (one row per line, comma-separated; one line is a 1-D signal; blocks of rows "
    "separated by a blank line are the leading axes of a tensor, so a CHW tensor is C blocks of "
    "H rows), a .npy file (NumPy's format: numbers, little-endian, C order) or an image "
    "(grey as the window computes it, 0.299 R + 0.587 G + 0.114 B unrounded; R, G, B channels "
    "with --color).");

/// The built-in lessons pad, conv, code and render take as INPUT.
QString lessonInputHelp()
{
    return QStringLiteral(" Or lesson:NAME, a built-in lesson (%1): its input, kernel and settings, "
                          "which options given here override.")
        .arg(ui::builtinLessonIds());
}

} // namespace

const std::vector<Command> &commands()
{
    static const std::vector<Command> list = {
        {"pad",
         "INPUT [--layout LAYOUT] [--kernel-size K] [--pad P] [--fill F] [--value C] [--stride S] "
         "[--dilation D] [--color] [-o OUT] [--max-memory SIZE] [--max-work N]",
         "Pads INPUT on every spatial axis (every channel alike) and writes the padded tensor.",
         "INPUT",
         kInputHelp + lessonInputHelp(),
         {"layout", "kernel-size", "pad", "fill", "value", "stride", "dilation", "color", "output", "max-memory",
          "max-work", "help"},
         runPad},
        {"conv",
         "INPUT --kernel K [--bias B] [--groups G] [--layout LAYOUT] [--pad P] [--fill F] "
         "[--value C] [--stride S] [--dilation D] [--convolution] [--color] [-o OUT] [--max-memory SIZE] "
         "[--max-work N]",
         "Pads INPUT, slides the kernel over it and writes the output: F filters over the "
         "channels of their group, or one spatial kernel over every channel on its own. An output "
         "that is empty (the kernel reaches further than the padded input) is written as an empty "
         "file, with the reason on standard error.",
         "INPUT",
         kInputHelp + lessonInputHelp(),
         {"kernel", "bias", "groups", "layout", "pad", "fill", "value", "stride", "dilation", "convolution", "color",
          "output", "max-memory", "max-work", "help"},
         runConv},
        {"pool",
         "INPUT --op max|avg --size K [--stride S] [--dilation D] [--pad valid|same|EXPLICIT] "
         "[--ceil] [--count-pad include|exclude] [--layout LAYOUT] [--color] [-o OUT] [--max-memory SIZE] "
         "[--max-work N]",
         "Pools every channel of INPUT and writes the result. Padded cells are never values: a "
         "max ignores them, an average counts them only with --count-pad include. valid and same "
         "are TensorFlow's; explicit pads, --ceil and --count-pad PyTorch's.",
         "INPUT",
         kInputHelp,
         {"pool-op", "size", "stride", "dilation", "pad", "ceil", "count-pad", "layout", "color", "output",
          "max-memory", "max-work", "help"},
         runPool},
        {"convt",
         "INPUT --kernel K [--bias B] [--groups G] [--layout LAYOUT] [--pad valid|same|EXPLICIT] "
         "[--output-padding O] [--stride S] [--dilation D] [--color] [-o OUT] [--max-memory SIZE] [--max-work N]",
         "Transposed convolution: every input cell stamps the kernel, times its value, onto the "
         "output at stride S; explicit --pad crops cells from the output's sides (PyTorch's "
         "padding), --output-padding adds cells after; valid and same are Keras' "
         "Conv2DTranspose.",
         "INPUT",
         kInputHelp,
         {"kernel", "bias", "groups", "layout", "pad", "output-padding", "stride", "dilation", "color", "output",
          "max-memory", "max-work", "help"},
         runConvT},
        {"code",
         "INPUT [--op conv|convt|max|avg] [the options of conv, convt or pool] --framework NAME [-o OUT] "
         "[--max-memory SIZE] [--max-work N]",
         "Writes a self-contained Python 3 script in the idiom of the framework that computes "
         "what conv, convt or pool computes: it reads the file named by its first argument (a "
         ".npy or CSV file of INPUT's shape) and prints the output as CSV, as padlab does. When "
         "the framework cannot express the settings (a fill it lacks, a pad wider than its mode "
         "allows, a stride it refuses with dilation, pooling pads beyond half the window in "
         "PyTorch, ...), it writes nothing, says why on standard error and ends with exit status "
         "3.",
         "INPUT",
         kInputHelp + QStringLiteral(" Its shape decides the padding and the limits checked, and the script checks that its input has this shape.") + lessonInputHelp(),
         {"code-op", "kernel", "bias", "groups", "layout", "pad", "fill", "value", "stride", "dilation", "convolution",
          "output-padding", "size", "ceil", "count-pad", "color", "framework", "output", "max-memory", "max-work",
          "help"},
         runCode},
        {"shape",
         "--input-size SIZE --kernel-size K [--op conv|pool|convt] [--pad P] [--stride S] "
         "[--dilation D] [--output-padding O] [--ceil]",
         "Prints the output size, the padding (or for convt the cropping) on each side and the "
         "arithmetic behind them, for a 1-D, 2-D or 3-D input.",
         {},
         {},
         {"input-size", "kernel-size", "shape-op", "pad", "stride", "dilation", "output-padding", "ceil", "help"},
         runShape},
        {"summary",
         "--input-shape SHAPE --layers SPEC",
         "Prints each layer's output shape and parameter count, in the manner of Keras' "
         "model.summary(), ending in the total.",
         {},
         {},
         {"input-shape", "layers", "help"},
         runSummary},
        {"render",
         "INPUT|LESSON [--kernel K] [--bias B] [--groups G] [--pad P] [--fill F] [--value C] [--stride S] "
         "[--dilation D] [--output-padding O] [--convolution] [--color] [--view VIEW] [--op max|avg] [--size K] [--ceil] "
         "[--count-pad include|exclude] [--rules pytorch|tensorflow|both] [--step N] [--scale S] [--every N] [--row-by-row] "
         "[--fps F] [--dark] [--max-memory SIZE] [--max-work N] [--max-frames N] "
         "[--allow-outside-paths] -o FILE",
         QStringLiteral("Draws what the window shows into FILE, chosen by its extension: .png; .svg or .pdf "
                        "(vector drawings); .gif or .mp4 (the window sliding over every output position); "
                        ".csv (the input, padded input or output). Without a lesson the settings are the "
                        "window's: kernel %1, --pad %2, --fill %3. Needs no display.")
             .arg(QString::fromLatin1(ui::Session::kDefaultPreset),
                  QString::fromStdString(core::padAmountText(ui::Session::defaultSpec().amount)),
                  QString::fromUtf8(core::fillName(ui::Session::defaultSpec().fill))),
         "INPUT|LESSON",
         "A .csv numeric matrix (one row per line, comma-separated; one row is a 1-D signal), "
         "an image file (grey as the window computes it; R, G, B channels with --color), a lesson "
         "(.padlab.json), or lesson:NAME, a built-in lesson (" + ui::builtinLessonIds() + "); a lesson's "
         "kernel, settings and step are used unless options here say otherwise. The channels view takes "
         "--kernel as conv does (a .npy filter bank (F, C/groups, rows, cols), or one spatial kernel for "
         "every channel on its own; without --kernel four edge detectors), with --groups and --bias. The "
         "signal view reads a CSV of 2 to 8 rows as the channels of one signal: --groups 1 (default) sums them "
         "in one filter, --groups C gives each channel its own (depthwise), --bias adds to every filter. The "
         "pool view pools the grey input with --op, --size, --stride, --dilation, --pad (valid, same or "
         "explicit pads), --ceil and --count-pad as pool takes them (default: max 3, stride 2, pads 1), "
         "under --rules pytorch (default), tensorflow or both. The transposed view reads --pad as valid, same (Keras) "
         "or PyTorch's padding N, with --stride, --dilation and --output-padding. The volume view reads "
         "INPUT `numbered`, `sphere` or a .npy volume (D, H, W) or (C, D, H, W), --kernel `box`, a 3-D .npy "
         "(kd, kh, kw) or a 2-D kernel stacked 3 deep, and --pad as a word or six sides "
         "front,back,top,bottom,left,right; --step counts its output cells.",
         {"kernel", "bias", "groups", "color", "pool-op", "size", "ceil", "count-pad", "rules", "pad", "output-padding", "fill", "value", "stride", "dilation", "convolution", "view", "step",
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

#include "files.h"

#include "padlab/core/csv.h"
#include "padlab/core/error.h"
#include "padlab/core/files.h"
#include "padlab/core/image.h"
#include "padlab/core/kernels.h"
#include "padlab/core/npy.h"
#include "padlab/core/tensorcsv.h"

#include <QFileInfo>
#include <QStringList>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <string>

namespace padlab::cli {

QuietStderr::QuietStderr()
{
    std::fflush(stderr);
    m_saved = ::dup(STDERR_FILENO);
    const int null = ::open("/dev/null", O_WRONLY);
    if (m_saved >= 0 && null >= 0)
        ::dup2(null, STDERR_FILENO);
    if (null >= 0)
        ::close(null);
}

QuietStderr::~QuietStderr()
{
    std::fflush(stderr);
    if (m_saved >= 0) {
        ::dup2(m_saved, STDERR_FILENO);
        ::close(m_saved);
    }
}

namespace {

const QStringList &imageSuffixes()
{
    static const QStringList suffixes = {"png", "jpg", "jpeg", "bmp", "tif", "tiff", "webp"};
    return suffixes;
}

QString suffixOf(const QString &path)
{
    return QFileInfo(path).suffix().toLower();
}

std::string utf8(const QString &text)
{
    return text.toStdString();
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

void deliver(const QByteArray &bytes, const OutputTarget &target)
{
    if (target.kind == OutputTarget::Kind::Stdout) {
        const auto size = static_cast<size_t>(bytes.size());
        if (std::fwrite(bytes.constData(), 1, size, stdout) != size || std::fflush(stdout) != 0)
            throw CliError(QStringLiteral("cannot write to standard output"));
    } else {
        core::writeOutputFile(toLocal(target.path), std::string_view(bytes.constData(), size_t(bytes.size())));
    }
}

/// The image of @p tensor: one plane of 1 channel, or 3 channels (R, G, B) as OpenCV's B, G, R.
cv::Mat imageOf(const core::Tensor &tensor, const OutputTarget &target)
{
    const core::TensorShape &shape = tensor.shape();
    if (shape.spatialRank() != 2 || (shape.channels != 1 && shape.channels != 3)) {
        throw CliError(QStringLiteral("-o '%1': an image holds one plane of 1 or 3 channels, but the result is "
                                      "%2 (channels first); write it as .csv or .npy")
                           .arg(target.path, QString::fromStdString(shape.text())));
    }
    if (shape.channels == 1)
        return tensor.plane(0);
    cv::Mat bgr;
    cv::merge(std::vector<cv::Mat>{tensor.plane(2), tensor.plane(1), tensor.plane(0)}, bgr);
    return bgr;
}

/// A CSV of one line read as one row of a plane.
core::NdArray asPlane(core::NdArray array)
{
    if (array.shape.size() == 1)
        array.shape.insert(array.shape.begin(), 1);
    return array;
}

/// The bytes of a .npy or CSV file: a regular file only, and no larger than the CSV limit or, for
/// .npy, than what its values take as doubles within @p budget (checked from the header before
/// the rest is kept).
std::string readArrayFile(const QString &path, const core::Budget &budget)
{
    const bool npy = suffixOf(path) == "npy";
    const std::string bytes =
        core::readRegularFile(toLocal(path), npy ? budget.memory : core::kMaxCsvBytes, npy ? ".npy file" : "CSV file");
    if (npy) {
        const core::NpyHeader header = core::parseNpyHeader(bytes, utf8(path));
        std::uint64_t cells = 1;
        for (const std::int64_t size : header.shape)
            cells = core::matrixBytes(cells, static_cast<std::uint64_t>(size), 1, 1);
        core::Estimate need;
        need.add("the array of " + utf8(path), core::matrixBytes(cells, 1, 1, 2 * sizeof(double)));
        core::requireBudget(need, budget);
    }
    return bytes;
}

core::Layout layoutFor(const core::NdArray &array, const std::optional<core::Layout> &given,
                       const QString &path)
{
    const int rank = static_cast<int>(array.shape.size());
    const std::optional<core::Layout> layout = given ? given : core::defaultLayout(rank);
    if (!layout) {
        throw core::Error(utf8(path) + ": holds a " + std::to_string(rank) + "-D array " + array.shapeText() +
                          "; PadLab reads arrays of 1 to 4 axes (L, HW, CHW, CDHW, or as --layout says)");
    }
    if (const auto problem = core::validateLayout(array, *layout))
        throw core::Error(utf8(path) + " " + array.shapeText() + ": " + *problem);
    return *layout;
}

} // namespace

core::NdArray matrixArray(const cv::Mat &matrix)
{
    cv::Mat m;
    matrix.convertTo(m, CV_64F);
    core::NdArray array;
    array.shape = {m.rows, m.cols};
    for (int r = 0; r < m.rows; ++r)
        array.values.insert(array.values.end(), m.ptr<double>(r), m.ptr<double>(r) + m.cols);
    return array;
}

OutputTarget outputTarget(const Invocation &invocation)
{
    OutputTarget target;
    if (!invocation.isSet("output"))
        return target;
    target.path = invocation.value("output");
    if (target.path.isEmpty())
        throw CliError(QStringLiteral("-o: the output file name is empty"));
    const QFileInfo info(target.path);
    target.suffix = suffixOf(target.path);
    if (target.suffix == "csv") {
        target.kind = OutputTarget::Kind::Csv;
    } else if (target.suffix == "npy") {
        target.kind = OutputTarget::Kind::Npy;
    } else if (imageSuffixes().contains(target.suffix)) {
        target.kind = OutputTarget::Kind::Image;
    } else {
        throw CliError(QStringLiteral("-o '%1': unknown output format (use .csv, .npy or an image: .%2)")
                           .arg(target.path, imageSuffixes().join(", .")));
    }
    requireOutputFile(target.path, invocation);
    return target;
}

void requireOutputFile(const QString &path, const Invocation &invocation)
{
    if (const auto problem = core::outputProblem(toLocal(path)))
        throw CliError(QStringLiteral("-o: %1").arg(QString::fromStdString(*problem)));
    // Writing over a file being read would destroy it: the input is never replaced.
    QStringList read{invocation.argument()};
    for (const char *key : {"kernel", "bias"})
        if (invocation.isSet(key))
            read << invocation.value(key);
    for (const QString &input : read) {
        if (core::sameFile(toLocal(path), toLocal(input))) {
            throw CliError(QStringLiteral("-o '%1' is the file '%2' that this command reads; choose another "
                                          "name (an input is never replaced)")
                               .arg(path, input));
        }
    }
}

void addOutputBytes(core::Estimate &estimate, std::uint64_t values, const OutputTarget &target)
{
    switch (target.kind) {
    case OutputTarget::Kind::Image: estimate.add("the 8-bit image", 2 * values); break;
    case OutputTarget::Kind::Npy: estimate.add("the .npy file", core::matrixBytes(values, 1, 1, 8)); break;
    case OutputTarget::Kind::Csv:
    case OutputTarget::Kind::Stdout: estimate.add("the CSV text", core::csvTextBytes(values)); break;
    }
}

void writeMatrix(const cv::Mat &matrix, const OutputTarget &target)
{
    core::requireFinite(matrix);
    QByteArray bytes;
    if (!matrix.empty()) {
        if (target.kind == OutputTarget::Kind::Image)
            bytes = encodeImage(matrix, target);
        else if (target.kind == OutputTarget::Kind::Npy)
            bytes = QByteArray::fromStdString(core::formatNpy(matrixArray(matrix)));
        else
            bytes = QByteArray::fromStdString(core::formatCsv(matrix));
    }
    deliver(bytes, target);
}

void writeTensor(const core::Tensor &tensor, core::Layout layout, const OutputTarget &target)
{
    if (!tensor.empty())
        core::requireFinite(tensor.matrix());
    QByteArray bytes;
    if (!tensor.empty()) {
        switch (target.kind) {
        case OutputTarget::Kind::Image: bytes = encodeImage(imageOf(tensor, target), target); break;
        case OutputTarget::Kind::Npy:
            bytes = QByteArray::fromStdString(core::formatNpy(core::arrayFromTensor(tensor, layout)));
            break;
        case OutputTarget::Kind::Csv:
        case OutputTarget::Kind::Stdout:
            bytes = QByteArray::fromStdString(core::formatTensorCsv(core::arrayFromTensor(tensor, layout)));
            break;
        }
    }
    deliver(bytes, target);
}

TensorInput loadTensorInput(const Invocation &invocation, const QString &path, int rank, const core::Budget &budget)
{
    const std::optional<core::Layout> given = layoutOption(invocation);
    const QString suffix = suffixOf(path);
    TensorInput input;
    if (suffix == "npy" || suffix == "csv") {
        const std::string bytes = readArrayFile(path, budget);
        core::NdArray array;
        if (suffix == "npy") {
            array = core::parseNpy(bytes, utf8(path));
        } else {
            array = core::parseTensorCsv(bytes, utf8(path), given);
            if (!given && rank == 2)
                array = asPlane(array);
        }
        input.layout = layoutFor(array, given, path);
        input.tensor = core::tensorFromArray(array, input.layout);
        return input;
    }
    const bool color = invocation.isSet("color");
    cv::Mat image;
    {
        QuietStderr quiet;
        // The image and its tensor, in single precision, before a pixel is decoded.
        image = core::loadImage(toLocal(path), color ? core::ImageMode::Color : core::ImageMode::Grayscale,
                                core::kMaxImagePixels, [&](int rows, int cols, int channels, int) {
                                    core::Estimate need;
                                    need.add("the input", 2 * core::matrixBytes(rows, cols, channels, 4));
                                    core::requireBudget(need, budget);
                                });
    }
    input.image = true;
    input.tensor = core::tensorFromImage(image);
    input.layout = color ? core::Layout::CHW : core::Layout::HW;
    if (given && *given != input.layout && !(*given == core::Layout::CHW && !color)) {
        throw CliError(QStringLiteral("--layout %1 does not fit the image '%2': an image is HW (grayscale) or CHW "
                                      "(grayscale, or R, G, B with --color)")
                           .arg(QString::fromUtf8(core::layoutName(*given)), path));
    }
    if (given)
        input.layout = *given;
    return input;
}

core::NdArray loadKernelArray(const QString &text, const core::Budget &budget)
{
    const QString suffix = suffixOf(text);
    if (suffix == "npy")
        return core::parseNpy(readArrayFile(text, budget), utf8(text));
    if (suffix == "csv")
        return core::parseTensorCsv(readArrayFile(text, budget), utf8(text));
    const std::string spec = text.toStdString();
    return matrixArray(parseOption("--kernel", [&] { return core::loadKernel(spec); }));
}

int kernelRank(const core::NdArray &kernel, const QString &text)
{
    if (suffixOf(text) == "npy")
        return 0;
    return kernel.shape.size() == 2 && kernel.shape[0] > 1 ? 2 : 0;
}

core::TensorKernel tensorKernel(const core::NdArray &kernel, const QString &text, int rank)
{
    core::NdArray shaped = kernel;
    if (suffixOf(text) != "npy") {
        if (rank == 1 && shaped.shape.size() == 2 && shaped.shape[0] == 1)
            shaped.shape.erase(shaped.shape.begin());
        while (static_cast<int>(shaped.shape.size()) < rank)
            shaped.shape.insert(shaped.shape.begin(), 1);
    }
    return core::kernelFromArray(shaped);
}

std::vector<double> loadBias(const QString &text, const core::Budget &budget)
{
    const QString suffix = suffixOf(text);
    core::NdArray array;
    if (suffix == "npy") {
        array = core::parseNpy(readArrayFile(text, budget), utf8(text));
    } else if (suffix == "csv") {
        array = core::parseTensorCsv(readArrayFile(text, budget), utf8(text));
    } else {
        const std::string spec = text.toStdString();
        array = matrixArray(parseOption("--bias", [&] { return core::parseKernelRows(spec); }));
    }
    if (array.values.empty())
        throw CliError(QStringLiteral("--bias '%1' holds no values").arg(text));
    return array.values;
}

core::Layout resultLayout(core::Layout input, int channels)
{
    return channels == 1 && !core::hasChannels(input) ? input : core::withChannels(input);
}

} // namespace padlab::cli

#include "npyinput.h"

#include "padlab/core/error.h"
#include "padlab/core/files.h"
#include "padlab/core/npy.h"

#include <QFileInfo>

#include <opencv2/core.hpp>

#include <vector>

namespace padlab::ui {

bool isNpyPath(const QString &path)
{
    return QFileInfo(path).suffix().compare(QLatin1String("npy"), Qt::CaseInsensitive) == 0;
}

NpyInput readNpyInput(const std::string &path, std::uint64_t maxBytes, const core::BeforeDecode &check)
{
    const std::string bytes = core::readRegularFile(path, maxBytes, ".npy file");
    const core::NpyHeader header = core::parseNpyHeader(bytes, path);
    const std::vector<std::int64_t> &shape = header.shape;
    const std::string shapeText = core::NdArray{shape, {}}.shapeText();
    if (shape.size() != 2 && shape.size() != 3) {
        throw core::Error(path + ": holds a " + std::to_string(shape.size()) + "-D array " + shapeText
                          + "; the window opens a 2-D array (H, W) as its input plane, or a 3-D array (C, H, W) of 1 to "
                          + std::to_string(kMaxInputChannels) + " channels");
    }
    const std::int64_t channels = shape.size() == 3 ? shape[0] : 1;
    const std::int64_t rows = shape[shape.size() - 2];
    const std::int64_t cols = shape.back();
    if (channels < 1 || rows < 1 || cols < 1)
        throw core::Error(path + ": the array " + shapeText + " has an empty axis");
    if (channels > kMaxInputChannels) {
        throw core::Error(path + ": the array " + shapeText + " has " + std::to_string(channels)
                          + " channels; the window opens at most " + std::to_string(kMaxInputChannels));
    }
    // Each factor is below 2^31 once the first test passes, so the product cannot overflow.
    if (rows > core::kMaxImagePixels || cols > core::kMaxImagePixels || rows * cols > core::kMaxImagePixels) {
        throw core::Error(path + ": the array " + shapeText + " has more than "
                          + std::to_string(core::kMaxImagePixels) + " cells a plane");
    }
    if (check)
        check(int(rows), int(cols), int(channels), int(sizeof(double)));
    const core::NdArray array = core::parseNpy(bytes, path);
    NpyInput input;
    input.tensor = shape.size() == 3;
    // The array is channels first; a cv::Mat keeps a cell's channels together.
    std::vector<cv::Mat> planes;
    for (std::int64_t c = 0; c < channels; ++c)
        planes.emplace_back(int(rows), int(cols), CV_64F,
                            const_cast<double *>(array.values.data() + c * rows * cols));
    cv::merge(planes, input.values);
    return input;
}

} // namespace padlab::ui

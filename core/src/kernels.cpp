#include "padlab/core/kernels.h"

#include "padlab/core/csv.h"
#include "padlab/core/error.h"
#include "text.h"

#include <filesystem>
#include <opencv2/core.hpp>

namespace padlab::core {

namespace {

struct PresetDef {
    std::string name;
    int rows;
    int cols;
    std::vector<double> values;
    double scale;
};

const std::vector<PresetDef> &presetTable()
{
    static const std::vector<PresetDef> table = {
        {"identity", 3, 3, {0, 0, 0, 0, 1, 0, 0, 0, 0}, 1.0},
        {"box-3", 3, 3, {1, 1, 1, 1, 1, 1, 1, 1, 1}, 1.0 / 9},
        {"box-5", 5, 5, std::vector<double>(25, 1.0), 1.0 / 25},
        {"gaussian-3", 3, 3, {1, 2, 1, 2, 4, 2, 1, 2, 1}, 1.0 / 16},
        {"gaussian-5",
         5,
         5,
         {1, 4, 6, 4, 1, 4, 16, 24, 16, 4, 6, 24, 36, 24, 6, 4, 16, 24, 16, 4, 1, 4, 6, 4, 1},
         1.0 / 256},
        {"sharpen", 3, 3, {0, -1, 0, -1, 5, -1, 0, -1, 0}, 1.0},
        {"sobel-x", 3, 3, {-1, 0, 1, -2, 0, 2, -1, 0, 1}, 1.0},
        {"sobel-y", 3, 3, {-1, -2, -1, 0, 0, 0, 1, 2, 1}, 1.0},
        {"laplacian", 3, 3, {0, 1, 0, 1, -4, 1, 0, 1, 0}, 1.0},
        {"emboss", 3, 3, {-2, -1, 0, -1, 1, 1, 0, 1, 2}, 1.0},
        {"outline", 3, 3, {-1, -1, -1, -1, 8, -1, -1, -1, -1}, 1.0},
    };
    return table;
}

} // namespace

const std::vector<std::string> &presetNames()
{
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const PresetDef &p : presetTable())
            out.push_back(p.name);
        return out;
    }();
    return names;
}

std::optional<cv::Mat> preset(std::string_view name)
{
    const std::string lowered = text::lower(text::trim(name));
    for (const PresetDef &p : presetTable()) {
        if (p.name == lowered) {
            cv::Mat k(p.rows, p.cols, CV_64F);
            for (int i = 0; i < p.rows * p.cols; ++i)
                k.at<double>(i / p.cols, i % p.cols) = p.values[static_cast<size_t>(i)] * p.scale;
            return k;
        }
    }
    return std::nullopt;
}

cv::Mat parseKernelRows(std::string_view input)
{
    std::string text(input);
    for (char &c : text) {
        if (c == ';')
            c = '\n';
    }
    return parseCsv(text, "kernel");
}

cv::Mat loadKernel(const std::string &spec)
{
    const std::string trimmed(text::trim(spec));
    if (trimmed.empty())
        throw Error("--kernel: the kernel is empty");
    std::error_code ec;
    if (std::filesystem::is_regular_file(trimmed, ec) ||
        text::lower(std::filesystem::path(trimmed).extension().string()) == ".csv")
        return readCsvFile(trimmed);
    if (auto k = preset(trimmed))
        return *k;
    const bool looksNumeric = trimmed.find_first_of("0123456789") != std::string::npos &&
                              trimmed.find_first_not_of("0123456789+-.eE,; \t") == std::string::npos;
    if (looksNumeric)
        return parseKernelRows(trimmed);
    std::string known;
    for (const std::string &name : presetNames())
        known += (known.empty() ? "" : ", ") + name;
    throw Error("--kernel: " + text::quoted(trimmed) +
                " is neither a file, a preset nor inline rows (presets: " + known + ")");
}

} // namespace padlab::core

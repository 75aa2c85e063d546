#pragma once

#include <opencv2/core/mat.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace padlab::core {

/// @brief The names of the built-in kernels: identity, box-3, box-5, gaussian-3, gaussian-5,
/// sharpen, sobel-x, sobel-y, laplacian, emboss, outline.
const std::vector<std::string> &presetNames();

/// @brief A built-in kernel (CV_64F), or nullopt for an unknown name.
std::optional<cv::Mat> preset(std::string_view name);

/// @brief Inline rows such as `1,0,-1;2,0,-2;1,0,-1` (rows split by `;`). Throws Error naming
/// the row and column at fault.
cv::Mat parseKernelRows(std::string_view text);

/// @brief A kernel given on the command line: an existing `.csv` file, a preset name or inline
/// rows. Throws Error naming what is wrong (and listing the presets for an unknown name).
cv::Mat loadKernel(const std::string &spec);

} // namespace padlab::core

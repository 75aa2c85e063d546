#pragma once

#include "padlab/core/frameworks.h"
#include "padlab/core/geometry.h"

#include <opencv2/core/mat.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace padlab::core {

/// @brief The frameworks `padlab code` writes scripts for: Keras, PyTorch, OpenCV and NumPy (whose
/// script names SciPy's modes too).
const std::vector<Framework> &codeFrameworks();

/// @brief Parses the name of a framework of codeFrameworks() (case-insensitive); nullopt when
/// unknown.
std::optional<Framework> parseFramework(std::string_view name);

/// @brief A Python 3 script, or why the framework cannot express the settings.
struct GeneratedCode {
    std::string script; ///< empty when the framework cannot express the settings
    std::string reason; ///< one or more sentences; empty when the script is there
    bool expressible() const { return reason.empty(); }
};

/// @brief Writes a self-contained Python 3 script in the idiom of @p framework that computes
/// what convolve() computes for @p spec and @p kernel on an input of @p inputSize.
///
/// The script reads the CSV file named by its first argument (one row per line, comma-separated),
/// checks that it has @p inputSize (the padding and the framework's limits were worked out for
/// it) and prints the output in float64 as CSV whose numbers read back exactly; an empty output
/// prints nothing and the reason on standard error. The kernel's weights are embedded exactly.
/// When the framework cannot express the settings (a fill it lacks, a pad wider than its mode
/// allows, a stride it refuses with dilation: the table of framework facts), the result holds the
/// reason instead.
/// @p kernel: single channel, any depth. Throws Error when validate() refuses the request or the
/// kernel has several channels, or @p framework is not one of codeFrameworks().
GeneratedCode generateCode(Framework framework, const ConvSpec &spec, const cv::Mat &kernel,
                           PerAxis inputSize);

} // namespace padlab::core

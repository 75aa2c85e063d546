#pragma once

#include "padlab/core/geometry.h"

#include <opencv2/core/mat.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace padlab::core {

/// @brief A Python library that code can be written for.
enum class Framework { Keras, PyTorch, OpenCV, NumPy };

/// @brief All frameworks in the order the program lists them.
const std::vector<Framework> &allFrameworks();

/// @brief The name used on the command line: `keras`, `pytorch`, `opencv`, `numpy`.
std::string_view frameworkName(Framework framework);

/// @brief The name shown to people: "Keras / TensorFlow", "PyTorch", "OpenCV (cv2)",
/// "NumPy / SciPy".
std::string_view frameworkDisplayName(Framework framework);

/// @brief Parses a framework name (case-insensitive); nullopt when unknown.
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
/// allows, a stride it refuses with dilation, SEMANTICS.md), the result holds the reason instead.
/// @p kernel: single channel, any depth. Throws Error when validate() refuses the request or the
/// kernel has several channels.
GeneratedCode generateCode(Framework framework, const ConvSpec &spec, const cv::Mat &kernel,
                           PerAxis inputSize);

} // namespace padlab::core

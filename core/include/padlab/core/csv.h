#pragma once

#include <opencv2/core/mat.hpp>
#include <string>
#include <string_view>

namespace padlab::core {

/// @brief A numeric matrix (CV_64F) from CSV text: one row per line, comma-separated, every
/// row the same length; blank lines at the end are ignored, a UTF-8 BOM and CR line ends
/// allowed. Throws Error naming @p source, the line and the column at fault; with
/// @p quoteFields false (a file the user did not name, such as a lesson's input) the message
/// never repeats what the faulty field holds.
cv::Mat parseCsv(std::string_view text, std::string_view source, bool quoteFields = true);

/// @brief parseCsv on the content of the regular file @p path (at most kMaxCsvBytes). Throws
/// Error when it is missing, unreadable, not a regular file or too large.
cv::Mat readCsvFile(const std::string &path, bool quoteFields = true);

/// @brief CSV text of a single-channel matrix, one row per line, each number printed so that
/// it reads back exactly. An empty matrix gives an empty string. A matrix with several
/// channels is written channel after channel, blocks separated by an empty line. A value that
/// is not finite (which no CSV reader here takes back) is refused with an Error naming the
/// first such cell.
std::string formatCsv(const cv::Mat &matrix);

/// @brief Throws Error naming the first cell of @p matrix (CV_32F or CV_64F) that is infinite or
/// NaN: `the result is not finite: row 2, column 3 is inf (...)`, with the channel when there
/// are several. Results are checked so before they are written in any form.
void requireFinite(const cv::Mat &matrix);

} // namespace padlab::core

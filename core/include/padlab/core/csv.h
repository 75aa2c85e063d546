#pragma once

#include <opencv2/core/mat.hpp>
#include <string>
#include <string_view>

namespace padlab::core {

/// @brief A numeric matrix (CV_64F) from CSV text: one row per line, comma-separated, every
/// row the same length; blank lines at the end are ignored, a UTF-8 BOM and CR line ends
/// allowed. Throws Error naming @p source, the line and the column at fault.
cv::Mat parseCsv(std::string_view text, std::string_view source);

/// @brief parseCsv on a file's contents. Throws Error when it is missing or unreadable.
cv::Mat readCsvFile(const std::string &path);

/// @brief CSV text of a single-channel matrix, one row per line, each number printed so that
/// it reads back exactly. An empty matrix gives an empty string. A matrix with several
/// channels is written channel after channel, blocks separated by an empty line.
std::string formatCsv(const cv::Mat &matrix);

/// @brief Reads a whole file into memory. Throws Error naming the file when it cannot.
std::string readFileBytes(const std::string &path);

} // namespace padlab::core

#pragma once

// One line of numeric CSV, read with the messages csv.cpp gives; shared by the CSV readers.

#include "padlab/core/error.h"
#include "text.h"

#include <string>
#include <string_view>
#include <vector>

namespace padlab::core::detail {

/// @brief Appends the comma-separated numbers of @p line (line @p lineNumber of @p where) to
/// @p values. @p width is the count of line 1 (0 before it is known: then it is set). Throws
/// Error naming the line (and column) for another count or a value that is not a finite number.
inline void appendCsvRow(std::string_view line, size_t lineNumber, const std::string &where, size_t &width,
                         std::vector<double> &values)
{
    const std::string lineNo = std::to_string(lineNumber);
    const auto fields = text::split(line, ',');
    if (width == 0)
        width = fields.size();
    else if (fields.size() != width)
        throw Error(where + ": line " + lineNo + " has " + std::to_string(fields.size()) + " values, but line 1 has " +
                    std::to_string(width));
    for (size_t j = 0; j < fields.size(); ++j) {
        const auto v = text::parseNumber(fields[j]);
        if (!v) {
            const std::string_view field = text::trim(fields[j]);
            throw Error(where + ": line " + lineNo + ", column " + std::to_string(j + 1) + ": " +
                        (field.empty() ? std::string("missing value") : text::quoted(field) + " is not a finite number"));
        }
        values.push_back(*v);
    }
}

} // namespace padlab::core::detail

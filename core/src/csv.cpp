#include "padlab/core/csv.h"

#include "padlab/core/error.h"
#include "padlab/core/window.h"
#include "text.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace padlab::core {

cv::Mat parseCsv(std::string_view data, std::string_view source)
{
    const std::string where(source);
    if (data.substr(0, 3) == "\xEF\xBB\xBF")
        data.remove_prefix(3);
    std::vector<std::string_view> lines = text::split(data, '\n');
    while (!lines.empty() && text::trim(lines.back()).empty())
        lines.pop_back();
    if (lines.empty())
        throw Error(where + ": no numbers (the input is empty)");

    std::vector<double> values;
    size_t width = 0;
    for (size_t i = 0; i < lines.size(); ++i) {
        const std::string lineNo = std::to_string(i + 1);
        if (text::trim(lines[i]).empty())
            throw Error(where + ": line " + lineNo + " is empty (one row per line, no blank lines)");
        const auto fields = text::split(lines[i], ',');
        if (i == 0)
            width = fields.size();
        else if (fields.size() != width)
            throw Error(where + ": line " + lineNo + " has " + std::to_string(fields.size()) +
                        " values, but line 1 has " + std::to_string(width));
        for (size_t j = 0; j < fields.size(); ++j) {
            const auto v = text::parseNumber(fields[j]);
            if (!v) {
                const std::string_view field = text::trim(fields[j]);
                throw Error(where + ": line " + lineNo + ", column " + std::to_string(j + 1) + ": " +
                            (field.empty() ? std::string("missing value")
                                           : text::quoted(field) + " is not a finite number"));
            }
            values.push_back(*v);
        }
    }
    cv::Mat m(static_cast<int>(lines.size()), static_cast<int>(width), CV_64F);
    std::copy(values.begin(), values.end(), m.ptr<double>(0));
    return m;
}

std::string readFileBytes(const std::string &path)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw Error(path + ": is a folder, not a file");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(path + ": cannot open the file (missing or unreadable)");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad())
        throw Error(path + ": cannot read the file");
    return buffer.str();
}

cv::Mat readCsvFile(const std::string &path)
{
    return parseCsv(readFileBytes(path), path);
}

std::string formatCsv(const cv::Mat &matrix)
{
    if (matrix.empty())
        return {};
    cv::Mat m;
    matrix.convertTo(m, CV_64F);
    std::string out;
    for (int c = 0; c < m.channels(); ++c) {
        if (c > 0)
            out += '\n';
        for (int r = 0; r < m.rows; ++r) {
            const double *row = m.ptr<double>(r);
            for (int col = 0; col < m.cols; ++col) {
                if (col > 0)
                    out += ',';
                out += formatNumber(row[col * m.channels() + c]);
            }
            out += '\n';
        }
    }
    return out;
}

} // namespace padlab::core

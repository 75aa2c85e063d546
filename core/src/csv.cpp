#include "padlab/core/csv.h"

#include "padlab/core/error.h"
#include "padlab/core/files.h"
#include "padlab/core/window.h"
#include "text.h"

#include <opencv2/core.hpp>

#include <cmath>
#include <optional>
#include <vector>

namespace padlab::core {

cv::Mat parseCsv(std::string_view data, std::string_view source, bool quoteFields)
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
                            (field.empty()  ? std::string("missing value")
                             : quoteFields ? text::quoted(field) + " is not a finite number"
                                           : std::string("not a finite number")));
            }
            values.push_back(*v);
        }
    }
    cv::Mat m(static_cast<int>(lines.size()), static_cast<int>(width), CV_64F);
    std::copy(values.begin(), values.end(), m.ptr<double>(0));
    return m;
}

cv::Mat readCsvFile(const std::string &path, bool quoteFields)
{
    return parseCsv(readRegularFile(path, kMaxCsvBytes, "CSV file"), path, quoteFields);
}

namespace {

std::optional<std::string> firstNonFinite(const cv::Mat &matrix)
{
    if (matrix.empty() || (matrix.depth() != CV_32F && matrix.depth() != CV_64F) || cv::checkRange(matrix))
        return std::nullopt;
    const cv::Mat m = matrix.depth() == CV_64F ? matrix : [&] {
        cv::Mat wide;
        matrix.convertTo(wide, CV_64F);
        return wide;
    }();
    const int cn = m.channels();
    for (int r = 0; r < m.rows; ++r) {
        const double *row = m.ptr<double>(r);
        for (int i = 0; i < m.cols * cn; ++i) {
            if (std::isfinite(row[i]))
                continue;
            std::string where = "row " + std::to_string(r + 1) + ", column " + std::to_string(i / cn + 1);
            if (cn > 1)
                where += ", channel " + std::to_string(i % cn + 1);
            return where + " is " + (std::isnan(row[i]) ? "nan" : row[i] > 0 ? "inf" : "-inf");
        }
    }
    return std::nullopt;
}

} // namespace

void requireFinite(const cv::Mat &matrix)
{
    if (const auto cell = firstNonFinite(matrix))
        throw Error("the result is not finite: " + *cell +
                    " (the values grew beyond what the number type holds), and only finite numbers are written");
}

std::string formatCsv(const cv::Mat &matrix)
{
    if (matrix.empty())
        return {};
    requireFinite(matrix);
    // A CV_64F matrix is read where it lies: a copy would double the memory of a large result.
    cv::Mat m;
    if (matrix.depth() == CV_64F)
        m = matrix;
    else
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

#include "padlab/core/tensorcsv.h"

#include "padlab/core/error.h"
#include "padlab/core/window.h"
#include "csvrow.h"
#include "text.h"

namespace padlab::core {

namespace {

// A block: the line number it starts on and how many rows it has.
struct Block {
    size_t firstLine = 0;
    size_t rows = 0;
};

std::string plural(size_t n, const char *word)
{
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

} // namespace

NdArray parseTensorCsv(std::string_view data, std::string_view source, std::optional<Layout> layout)
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
    std::vector<std::vector<Block>> groups(1);
    size_t width = 0;
    size_t blank = 0;
    for (size_t i = 0; i < lines.size(); ++i) {
        const std::string lineNo = std::to_string(i + 1);
        if (text::trim(lines[i]).empty()) {
            if (i == 0)
                throw Error(where + ": line 1 is empty (the numbers start on the first line)");
            if (++blank == 3)
                throw Error(where + ": line " + lineNo +
                            " is a third blank line in a row (one separates blocks, two separate groups of blocks)");
            continue;
        }
        if (blank == 2)
            groups.emplace_back();
        if (blank > 0 || groups.back().empty())
            groups.back().push_back({i + 1, 0});
        blank = 0;
        ++groups.back().back().rows;
        detail::appendCsvRow(lines[i], i + 1, where, width, values);
    }
    const Block &first = groups.front().front();
    for (const auto &group : groups) {
        for (const Block &b : group) {
            if (b.rows != first.rows)
                throw Error(where + ": the block from line " + std::to_string(b.firstLine) + " has " +
                            plural(b.rows, "row") + ", but the block from line " + std::to_string(first.firstLine) +
                            " has " + std::to_string(first.rows));
        }
        if (group.size() != groups.front().size())
            throw Error(where + ": the group from line " + std::to_string(group.front().firstLine) + " has " +
                        plural(group.size(), "block") + ", but the group from line 1 has " +
                        std::to_string(groups.front().size()));
    }

    // Axes from the text, outer first: groups, blocks, rows, columns.
    const std::int64_t counts[4] = {static_cast<std::int64_t>(groups.size()),
                                    static_cast<std::int64_t>(groups.front().size()),
                                    static_cast<std::int64_t>(first.rows), static_cast<std::int64_t>(width)};
    int textRank = groups.size() > 1 ? 4 : counts[1] > 1 ? 3 : counts[2] > 1 ? 2 : 1;
    const int rank = layout ? layoutRank(*layout) : textRank;
    if (textRank > rank) {
        static const char *what[] = {"", "a single row", "one block of rows", "no group of blocks"};
        static const char *found[] = {"", "", "rows", "blocks (separated by a blank line)",
                                      "groups of blocks (separated by two blank lines)"};
        throw Error(where + ": layout " + std::string(layoutName(*layout)) + " takes " + what[rank] +
                    ", but the text has " + std::to_string(counts[4 - textRank]) + " " + found[textRank]);
    }
    NdArray array;
    array.shape.assign(counts + 4 - rank, counts + 4);
    array.values = std::move(values);
    return array;
}

std::string formatTensorCsv(const NdArray &array)
{
    const size_t rank = array.shape.size();
    if (rank < 1 || rank > 4)
        throw std::invalid_argument("formatTensorCsv: 1 to 4 axes");
    size_t cells = 1;
    for (std::int64_t d : array.shape)
        cells *= static_cast<size_t>(d);
    if (cells != array.values.size())
        throw std::invalid_argument("formatTensorCsv: the values do not fill the shape");
    if (cells == 0)
        return {};
    const size_t width = static_cast<size_t>(array.shape.back());
    const size_t rows = rank >= 2 ? static_cast<size_t>(array.shape[rank - 2]) : 1;
    const size_t blocks = rank >= 3 ? static_cast<size_t>(array.shape[rank - 3]) : 1;
    std::string out;
    for (size_t line = 0; line * width < cells; ++line) {
        if (line > 0 && line % rows == 0)
            out += line % (rows * blocks) == 0 ? "\n\n" : "\n";
        for (size_t j = 0; j < width; ++j) {
            if (j > 0)
                out += ',';
            out += formatNumber(array.values[line * width + j]);
        }
        out += '\n';
    }
    return out;
}

} // namespace padlab::core

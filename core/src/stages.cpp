#include "padlab/core/stages.h"

#include "padlab/core/convolve.h"
#include "padlab/core/error.h"

#include <opencv2/core.hpp>

#include <string_view>

namespace padlab::core {

namespace {

/// A running mean that is exactly the common value when all values are equal: the sum runs
/// over the differences from the first value, which are all 0 then.
class Mean {
public:
    void add(double v)
    {
        if (m_count == 0)
            m_first = v;
        else
            m_deviation += v - m_first;
        ++m_count;
    }
    long long count() const { return m_count; }
    double value() const { return m_first + m_deviation / static_cast<double>(m_count); }

private:
    double m_first = 0;
    double m_deviation = 0;
    long long m_count = 0;
};

template <typename T>
BorderDarkening borderOf(const cv::Mat &m)
{
    const bool rowEdges = m.rows >= 3;
    const bool colEdges = m.cols >= 3;
    Mean edge;
    Mean interior;
    for (int r = 0; r < m.rows; ++r) {
        const T *line = m.ptr<T>(r);
        const bool edgeRow = rowEdges && (r == 0 || r == m.rows - 1);
        for (int c = 0; c < m.cols; ++c) {
            const bool edgeCell = edgeRow || (colEdges && (c == 0 || c == m.cols - 1));
            (edgeCell ? edge : interior).add(static_cast<double>(line[c]));
        }
    }
    BorderDarkening b;
    if (edge.count() == 0 || interior.count() == 0)
        return b;
    b.defined = true;
    b.edgeMean = edge.value();
    b.interiorMean = interior.value();
    return b;
}

std::string stageText(int index)
{
    return "Stage " + std::to_string(index);
}

/// emptyOutputReason() without its opening, so that it reads after "Stage n would be empty: ".
std::string emptyDetail(const Geometry &g)
{
    const std::string reason = emptyOutputReason(g);
    constexpr std::string_view opening = "The output is empty: ";
    if (reason.compare(0, opening.size(), opening) == 0)
        return reason.substr(opening.size());
    return reason;
}

void measure(Stage &stage)
{
    stage.border = borderDarkening(stage.output);
    cv::minMaxIdx(stage.output, &stage.minimum, &stage.maximum);
}

} // namespace

std::optional<double> BorderDarkening::ratio() const
{
    if (!defined || interiorMean == 0)
        return std::nullopt;
    return edgeMean / interiorMean;
}

BorderDarkening borderDarkening(const cv::Mat &matrix)
{
    if (matrix.empty() || matrix.channels() != 1)
        return {};
    switch (matrix.depth()) {
    case CV_8U: return borderOf<uchar>(matrix);
    case CV_8S: return borderOf<schar>(matrix);
    case CV_16U: return borderOf<ushort>(matrix);
    case CV_16S: return borderOf<short>(matrix);
    case CV_32S: return borderOf<int>(matrix);
    case CV_32F: return borderOf<float>(matrix);
    default: return borderOf<double>(matrix);
    }
}

Estimate stagesEstimate(PerAxis inputSize, int elementBytes, PerAxis kernelSize, const ConvSpec &spec, int count)
{
    const auto n = [](int v) { return static_cast<std::uint64_t>(std::max(v, 0)); };
    Estimate estimate;
    estimate.add("the input", matrixBytes(n(inputSize.rows), n(inputSize.cols), 1, n(elementBytes)));
    std::uint64_t largestPadded = 0;
    PerAxis size = inputSize;
    for (int index = 1; index <= count; ++index) {
        if (validate(spec, size, kernelSize))
            break;
        const Geometry g = geometry(size, kernelSize, spec);
        if (g.empty())
            break;
        const Estimate one = convolutionEstimate(size, 1, elementBytes, kernelSize, spec);
        for (const Estimate::Part &part : one.parts) {
            if (part.what == "the padded input")
                largestPadded = std::max(largestPadded, part.bytes);
            else if (part.what == "the output")
                estimate.add("the stages", part.bytes);
        }
        estimate.multiplyAdds += one.multiplyAdds;
        size = g.outputSize();
    }
    // Each stage's padded input lives only while that stage is computed.
    estimate.add("the padded input of a stage", largestPadded);
    return estimate;
}

StageChain applyStages(const cv::Mat &input, const cv::Mat &kernel, const ConvSpec &spec, int count,
                       long long maxCells, const Budget &budget, const Progress &progress)
{
    if (count < 1 || count > kMaxStages)
        throw Error("the number of stages must be 1 to " + std::to_string(kMaxStages) + " (got " +
                    std::to_string(count) + ")");
    if (input.empty() || input.dims != 2)
        throw Error("stages need an input of at least one cell");
    if (input.channels() != 1)
        throw Error("stages need a one-channel input (got " + std::to_string(input.channels()) +
                    " channels)");
    if (kernel.empty() || kernel.channels() != 1)
        throw Error("stages need a one-channel kernel of at least one cell");
    if (const auto problem = validate(spec, {input.rows, input.cols}, {kernel.rows, kernel.cols}))
        throw Error(*problem);

    StageChain chain;
    chain.requested = count;
    chain.stages.reserve(static_cast<size_t>(count) + 1);

    Stage first;
    if (input.depth() == CV_32F || input.depth() == CV_64F)
        first.output = input;
    else
        input.convertTo(first.output, CV_64F);
    first.geometry = geometry({input.rows, input.cols}, {1, 1}, ConvSpec{});
    measure(first);
    long long cells = static_cast<long long>(input.rows) * input.cols;
    chain.stages.push_back(std::move(first));

    for (int index = 1; index <= count; ++index) {
        const cv::Mat &previous = chain.stages.back().output;
        const PerAxis size{previous.rows, previous.cols};
        if (const auto problem = validate(spec, size, {kernel.rows, kernel.cols})) {
            chain.stopReason = stageText(index) + " cannot be computed: " + *problem + ".";
            break;
        }
        const Geometry g = geometry(size, {kernel.rows, kernel.cols}, spec);
        if (g.empty()) {
            chain.stopReason = stageText(index) + " would be empty: " + emptyDetail(g);
            break;
        }
        const long long outputCells = static_cast<long long>(g.rows.output) * g.cols.output;
        if (cells + outputCells > maxCells) {
            chain.stopReason = stageText(index) + " is not computed: the stages would hold more than " +
                               std::to_string(maxCells) + " cells in all.";
            break;
        }
        const Estimate need = stagesEstimate({input.rows, input.cols}, static_cast<int>(chain.stages.front().output.elemSize1()),
                                             {kernel.rows, kernel.cols}, spec, index);
        if (const auto problem = overBudget(need, budget)) {
            chain.stopReason = stageText(index) + " is not computed: " + *problem + ".";
            break;
        }
        Stage stage;
        stage.index = index;
        ConvResult result = convolve(previous, kernel, spec, budget,
                                     progressPart(progress, double(index - 1) / count, double(index) / count));
        stage.output = std::move(result.output);
        stage.geometry = result.geometry;
        measure(stage);
        cells += outputCells;
        chain.stages.push_back(std::move(stage));
    }
    return chain;
}

} // namespace padlab::core

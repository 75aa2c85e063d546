#include "padlab/core/tensor.h"

#include "padlab/core/error.h"
#include "padlab/core/pad.h"
#include "largematrix.h"
#include "text.h"

#include <opencv2/core.hpp>

#include <climits>
#include <stdexcept>

namespace padlab::core {

namespace {

struct LayoutInfo {
    Layout layout;
    std::string_view name;
    int rank;
    bool channels;
};

constexpr LayoutInfo kLayouts[] = {
    {Layout::L, "L", 1, false},     {Layout::CL, "CL", 2, true},
    {Layout::HW, "HW", 2, false},   {Layout::CHW, "CHW", 3, true},
    {Layout::DHW, "DHW", 3, false}, {Layout::CDHW, "CDHW", 4, true},
};

const LayoutInfo &info(Layout layout)
{
    return kLayouts[static_cast<size_t>(layout)];
}

// The names of a pad list's numbers, outer axis first.
constexpr std::string_view kPadNames[] = {"left,right", "top,bottom,left,right",
                                          "front,back,top,bottom,left,right"};

} // namespace

std::string_view layoutName(Layout layout)
{
    return info(layout).name;
}

std::optional<Layout> parseLayout(std::string_view text)
{
    std::string upper(text::trim(text));
    for (char &c : upper) {
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
    }
    for (const LayoutInfo &l : kLayouts) {
        if (l.name == upper)
            return l.layout;
    }
    return std::nullopt;
}

std::optional<Layout> defaultLayout(int rank)
{
    switch (rank) {
    case 1: return Layout::L;
    case 2: return Layout::HW;
    case 3: return Layout::CHW;
    case 4: return Layout::CDHW;
    default: return std::nullopt;
    }
}

int layoutRank(Layout layout)
{
    return info(layout).rank;
}

int spatialRank(Layout layout)
{
    return info(layout).rank - (info(layout).channels ? 1 : 0);
}

bool hasChannels(Layout layout)
{
    return info(layout).channels;
}

Layout withChannels(Layout layout)
{
    switch (layout) {
    case Layout::L: return Layout::CL;
    case Layout::HW: return Layout::CHW;
    case Layout::DHW: return Layout::CDHW;
    default: return layout;
    }
}

std::int64_t TensorShape::cells() const
{
    std::int64_t n = channels;
    for (int s : spatial)
        n *= s;
    return spatial.empty() ? 0 : n;
}

std::string TensorShape::text() const
{
    std::string out = std::to_string(channels);
    for (int s : spatial)
        out += "x" + std::to_string(s);
    return out;
}

Tensor::Tensor(const TensorShape &shape, int depth) : m_shape(shape)
{
    if (depth != CV_32F && depth != CV_64F)
        throw std::invalid_argument("Tensor: the depth must be CV_32F or CV_64F");
    if (shape.channels < 0 || shape.spatial.empty() || shape.spatial.size() > 3)
        throw std::invalid_argument("Tensor: one to three spatial axes and channels >= 0");
    for (int s : shape.spatial) {
        if (s < 0)
            throw std::invalid_argument("Tensor: negative size");
    }
    const std::int64_t rows = std::int64_t{shape.channels} * shape.depth() * shape.rows();
    if (rows > INT_MAX)
        throw std::invalid_argument("Tensor: too many rows");
    if (rows > 0 && shape.cols() > 0)
        m_data = cv::Mat::zeros(static_cast<int>(rows), shape.cols(), CV_MAKETYPE(depth, 1));
}

Tensor::Tensor(const TensorShape &shape, const cv::Mat &matrix) : m_shape(shape), m_data(matrix)
{
    const std::int64_t rows = std::int64_t{shape.channels} * shape.depth() * shape.rows();
    if (shape.cells() == 0 ? !matrix.empty()
                           : (matrix.rows != rows || matrix.cols != shape.cols() ||
                              matrix.channels() != 1 ||
                              (matrix.depth() != CV_32F && matrix.depth() != CV_64F)))
        throw std::invalid_argument("Tensor: the matrix does not match the shape");
}

cv::Mat Tensor::plane(int channel, int z) const
{
    if (channel < 0 || channel >= m_shape.channels || z < 0 || z >= m_shape.depth())
        throw std::invalid_argument("Tensor::plane: no such plane");
    if (m_data.empty())
        return {};
    const int h = m_shape.rows();
    const int first = (channel * m_shape.depth() + z) * h;
    return m_data.rowRange(first, first + h);
}

double Tensor::at(int channel, const std::vector<int> &position) const
{
    if (static_cast<int>(position.size()) != m_shape.spatialRank())
        throw std::invalid_argument("Tensor::at: one index per spatial axis");
    for (size_t a = 0; a < position.size(); ++a) {
        if (position[a] < 0 || position[a] >= m_shape.spatial[a])
            throw std::invalid_argument("Tensor::at: index outside the tensor");
    }
    const int rank = m_shape.spatialRank();
    const int z = rank == 3 ? position[0] : 0;
    const int r = rank >= 2 ? position[static_cast<size_t>(rank - 2)] : 0;
    const cv::Mat p = plane(channel, z);
    return p.depth() == CV_32F ? p.at<float>(r, position.back()) : p.at<double>(r, position.back());
}

Tensor Tensor::converted(int depth) const
{
    if (m_data.empty())
        return Tensor(m_shape, depth);
    cv::Mat m;
    m_data.convertTo(m, depth);
    return Tensor(m_shape, m);
}

std::string NdArray::shapeText() const
{
    std::string out = "(";
    for (size_t i = 0; i < shape.size(); ++i)
        out += (i ? ", " : "") + std::to_string(shape[i]);
    return out + (shape.size() == 1 ? ",)" : ")");
}

std::optional<std::string> validateLayout(const NdArray &array, Layout layout)
{
    const int rank = static_cast<int>(array.shape.size());
    if (rank != layoutRank(layout))
        return "layout " + std::string(layoutName(layout)) + " needs a " +
               std::to_string(layoutRank(layout)) + "-D array, got " + std::to_string(rank) + "-D";
    std::int64_t cells = 1;
    for (std::int64_t d : array.shape) {
        if (d < 1)
            return "the array " + array.shapeText() + " has an empty axis";
        if (d > kMaxPaddedCells || __builtin_mul_overflow(cells, d, &cells) || cells > kMaxPaddedCells)
            return "the array " + array.shapeText() + " has more than the " +
                   std::to_string(kMaxPaddedCells) + " cells this program handles";
    }
    if (static_cast<std::int64_t>(array.values.size()) != cells)
        return "the array " + array.shapeText() + " holds " + std::to_string(array.values.size()) +
               " values instead of " + std::to_string(cells);
    return std::nullopt;
}

Tensor tensorFromArray(const NdArray &array, Layout layout, int depth)
{
    if (const auto problem = validateLayout(array, layout))
        throw std::invalid_argument(*problem);
    TensorShape shape;
    size_t first = 0;
    if (hasChannels(layout))
        shape.channels = static_cast<int>(array.shape[first++]);
    for (size_t a = first; a < array.shape.size(); ++a)
        shape.spatial.push_back(static_cast<int>(array.shape[a]));
    cv::Mat values(1, static_cast<int>(array.values.size()), CV_64F,
                   const_cast<double *>(array.values.data()));
    cv::Mat m;
    values.convertTo(m, depth);
    return Tensor(shape, m.reshape(1, static_cast<int>(array.values.size() / static_cast<size_t>(shape.cols()))));
}

Tensor tensorFromImage(const cv::Mat &image)
{
    if (image.empty() || image.dims != 2 || (image.channels() != 1 && image.channels() != 3))
        throw std::invalid_argument("tensorFromImage: a 2-D image of 1 or 3 channels");
    const int channels = image.channels();
    Tensor t(TensorShape{channels, {image.rows, image.cols}}, CV_32F);
    std::vector<cv::Mat> planes;
    cv::split(image, planes);
    for (int c = 0; c < channels; ++c) {
        cv::Mat dst = t.plane(c);
        // OpenCV's B, G, R become R, G, B.
        planes[static_cast<size_t>(channels == 3 ? 2 - c : c)].convertTo(dst, CV_32F);
    }
    return t;
}

NdArray arrayFromTensor(const Tensor &tensor, Layout layout)
{
    const TensorShape &shape = tensor.shape();
    if (shape.spatialRank() != spatialRank(layout) || (!hasChannels(layout) && shape.channels != 1))
        throw std::invalid_argument("arrayFromTensor: the layout does not fit the tensor");
    NdArray array;
    if (hasChannels(layout))
        array.shape.push_back(shape.channels);
    for (int s : shape.spatial)
        array.shape.push_back(s);
    if (tensor.empty())
        return array;
    cv::Mat m;
    tensor.matrix().convertTo(m, CV_64F);
    array.values.reserve(static_cast<size_t>(shape.cells()));
    for (int r = 0; r < m.rows; ++r)
        array.values.insert(array.values.end(), m.ptr<double>(r), m.ptr<double>(r) + m.cols);
    return array;
}

TensorPadAmount parseTensorPadAmount(std::string_view input)
{
    const std::string lowered = text::lower(text::trim(input));
    for (Amount a : {Amount::Valid, Amount::Same, Amount::Full, Amount::Causal}) {
        if (lowered == amountName(a))
            return {a, {}};
    }
    const auto parts = text::split(lowered, ',');
    if (parts.size() == 1 && !text::parseInteger(parts[0]))
        throw Error("--pad: unknown amount " + text::quoted(text::trim(input)) +
                    " (expected valid, same, full, causal or 2, 4 or 6 numbers: before,after per "
                    "axis)");
    TensorPadAmount amount{Amount::Explicit, {}};
    for (size_t i = 0; i < parts.size(); ++i) {
        const auto v = text::parseInteger(parts[i]);
        const std::string which = "value " + std::to_string(i + 1);
        if (!v)
            throw Error("--pad: " + which + " " + text::quoted(text::trim(parts[i])) +
                        " is not a whole number");
        if (*v < 0)
            throw Error("--pad: " + which + " " + std::to_string(*v) +
                        " is negative (pads must be 0 or more)");
        if (*v > 100'000'000)
            throw Error("--pad: " + which + " " + std::to_string(*v) + " is too large");
        amount.values.push_back(static_cast<int>(*v));
    }
    return amount;
}

std::optional<std::string> padListProblem(const TensorPadAmount &amount, int rank)
{
    if (amount.kind != Amount::Explicit || rank < 1 || rank > 3)
        return std::nullopt;
    if (static_cast<int>(amount.values.size()) == 2 * rank)
        return std::nullopt;
    return "a " + std::to_string(rank) + "-D pad list has " + std::to_string(2 * rank) +
           " numbers (" + std::string(kPadNames[rank - 1]) + "), got " +
           std::to_string(amount.values.size());
}

std::vector<int> parseAxisValues(std::string_view input, std::string_view option, int minimum)
{
    const std::string lowered = text::lower(text::trim(input));
    const auto parts = text::split(lowered, 'x');
    const std::string name(option);
    if (parts.size() > 3)
        throw Error(name + ": expected N or one number per axis (NYxNX, NDxNYxNX), got " +
                    text::quoted(text::trim(input)));
    std::vector<int> values;
    for (std::string_view p : parts) {
        const auto v = text::parseInteger(p);
        if (!v)
            throw Error(name + ": " + text::quoted(text::trim(p)) + " in " +
                        text::quoted(text::trim(input)) + " is not a whole number");
        if (*v < minimum)
            throw Error(name + ": " + std::to_string(*v) + " must be at least " + std::to_string(minimum));
        if (*v > 1'000'000'000)
            throw Error(name + ": " + std::to_string(*v) + " is too large");
        values.push_back(static_cast<int>(*v));
    }
    return values;
}

std::vector<int> perAxis(const std::vector<int> &values, int rank)
{
    if (values.size() == 1)
        return std::vector<int>(static_cast<size_t>(rank), values[0]);
    if (static_cast<int>(values.size()) != rank)
        throw std::invalid_argument("perAxis: 1 or one value per axis");
    return values;
}

std::optional<std::string> axisValuesProblem(const std::vector<int> &values, int rank,
                                              std::string_view what)
{
    const std::string name(what);
    if (values.size() != 1 && static_cast<int>(values.size()) != rank)
        return name + " has " + std::to_string(values.size()) + " values for a " +
               std::to_string(rank) + "-D input (give 1" +
               (rank > 1 ? " or " + std::to_string(rank) : std::string()) + ")";
    for (int v : values) {
        if (v < 1)
            return name + " must be at least 1 (got " + std::to_string(v) + ")";
        if (v > 1'000'000'000)
            return name + " " + std::to_string(v) + " is too large";
    }
    return std::nullopt;
}

Tensor padTensor(const Tensor &input, const std::vector<AxisPads> &pads, Fill fill, double value)
{
    const TensorShape &in = input.shape();
    if (input.empty())
        throw std::invalid_argument("padTensor: the input is empty");
    if (static_cast<int>(pads.size()) != in.spatialRank())
        throw std::invalid_argument("padTensor: one pair of pads per spatial axis");
    TensorShape out = in;
    for (size_t a = 0; a < pads.size(); ++a) {
        if (pads[a].before < 0 || pads[a].after < 0)
            throw std::invalid_argument("padTensor: negative pad");
        const std::int64_t size = std::int64_t{in.spatial[a]} + pads[a].before + pads[a].after;
        if (size > INT_MAX)
            throw std::invalid_argument("padTensor: too large");
        out.spatial[a] = static_cast<int>(size);
    }
    if (out.cells() > kMaxPaddedCells)
        throw std::invalid_argument("padTensor: too large");
    const int rank = in.spatialRank();
    const AxisPads depthPads = rank == 3 ? pads[0] : AxisPads{};
    const AxisPads rowPads = rank >= 2 ? pads[static_cast<size_t>(rank - 2)] : AxisPads{};
    const AxisPads colPads = pads.back();
    const Sides sides{rowPads.before, rowPads.after, colPads.before, colPads.after};
    const double fillValue = fill == Fill::Constant ? value : 0.0;

    const std::int64_t rows = std::int64_t{out.channels} * out.depth() * out.rows();
    Tensor padded(out, detail::createLarge(static_cast<int>(rows), out.cols(), input.matrix().type()));
    const int planes = out.channels * out.depth();
    // Each padded plane is the 2-D padding of its donor plane along depth, or the fill value.
    cv::parallel_for_(cv::Range(0, planes), [&](const cv::Range &range) {
        for (int p = range.start; p < range.end; ++p) {
            const int c = p / out.depth();
            const int z = p % out.depth();
            cv::Mat dst = padded.plane(c, z);
            const int donor = donorIndex(z - depthPads.before, in.depth(), fill);
            if (donor < 0)
                dst.setTo(cv::Scalar::all(fillValue));
            else
                pad(input.plane(c, donor), sides, fill, value).copyTo(dst);
        }
    });
    return padded;
}

TensorDonor tensorDonor(const std::vector<int> &position, const TensorShape &inputShape,
                        const std::vector<AxisPads> &pads, Fill fill)
{
    if (position.size() != inputShape.spatial.size() || pads.size() != position.size())
        throw std::invalid_argument("tensorDonor: one index and one pair of pads per axis");
    TensorDonor d;
    std::vector<int> cell;
    bool fillValue = false;
    for (size_t a = 0; a < position.size(); ++a) {
        const int p = position[a] - pads[a].before;
        d.isPadding = d.isPadding || p < 0 || p >= inputShape.spatial[a];
        const int i = donorIndex(p, inputShape.spatial[a], fill);
        fillValue = fillValue || i < 0;
        cell.push_back(i);
    }
    if (!fillValue)
        d.cell = std::move(cell);
    return d;
}

} // namespace padlab::core

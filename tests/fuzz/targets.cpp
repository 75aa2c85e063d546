#include "targets.h"

#include "lesson.h"

#include "padlab/core/budget.h"
#include "padlab/core/convolve.h"
#include "padlab/core/csv.h"
#include "padlab/core/error.h"
#include "padlab/core/files.h"
#include "padlab/core/geometry.h"
#include "padlab/core/image.h"
#include "padlab/core/kernels.h"
#include "padlab/core/layers.h"
#include "padlab/core/npy.h"
#include "padlab/core/tensor.h"
#include "padlab/core/tensorcsv.h"

#include <QFile>
#include <QString>
#include <QTemporaryDir>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace padlab::fuzz {

namespace {

__extension__ typedef __int128 Wide;

void require(bool kept, const char *promise)
{
    if (!kept) {
        std::fprintf(stderr, "broken: %s\n", promise);
        std::abort();
    }
}

template <typename Call>
void refusedOrDone(Call call)
{
    try {
        call();
    } catch (const core::Error &) {
    }
}

/// The arithmetic of one axis in 128 bits, where no int input can overflow.
struct WideAxis {
    Wide extent = 0;
    Wide before = 0;
    Wide after = 0;
    Wide padded = 0;
    Wide output = 0;
    bool fits() const
    {
        for (const Wide value : {extent, before, after, padded, output})
            if (value > INT_MAX)
                return false;
        return true;
    }
};

WideAxis wideAxis(Wide n, Wide k, Wide s, Wide d, core::Amount amount, Wide b, Wide a)
{
    WideAxis w;
    w.extent = d * (k - 1) + 1;
    switch (amount) {
    case core::Amount::Valid: break;
    case core::Amount::Same: {
        const Wide out = (n + s - 1) / s;
        const Wide total = std::max<Wide>((out - 1) * s + w.extent - n, 0);
        w.before = total / 2;
        w.after = total - total / 2;
        break;
    }
    case core::Amount::Full: w.before = w.after = w.extent - 1; break;
    case core::Amount::Causal: w.before = w.extent - 1; break;
    case core::Amount::Explicit:
        w.before = b;
        w.after = a;
        break;
    }
    w.padded = n + w.before + w.after;
    w.output = w.padded < w.extent ? 0 : (w.padded - w.extent) / s + 1;
    return w;
}

void geometry(std::string_view data)
{
    int v[7] = {};
    if (data.size() < sizeof v)
        return;
    std::memcpy(v, data.data(), sizeof v);
    const auto amount = core::Amount(static_cast<unsigned>(v[4]) % 5);
    const bool valid = v[0] >= 0 && v[1] >= 1 && v[2] >= 1 && v[3] >= 1 &&
                       (amount != core::Amount::Explicit || (v[5] >= 0 && v[6] >= 0));
    const WideAxis wide = valid ? wideAxis(v[0], v[1], v[2], v[3], amount, v[5], v[6]) : WideAxis{};
    try {
        const core::AxisGeometry g = core::axisGeometry(v[0], v[1], v[2], v[3], amount, v[5], v[6]);
        require(valid && wide.fits(), "axisGeometry answers only what fits in an int");
        require(g.extent == wide.extent && g.before == wide.before && g.after == wide.after &&
                    g.padded == wide.padded && g.output == wide.output,
                "axisGeometry agrees with 128-bit arithmetic");
        core::outputFormula(g);
        core::paddingFormula(g);
    } catch (const core::Error &) {
        require(!valid || !wide.fits(), "axisGeometry refuses only what does not fit");
    }

    // validate() on any ints; what it accepts, geometry() and the estimate take.
    core::ConvSpec spec;
    spec.amount.kind = amount;
    spec.amount.sides = {v[5], v[6], v[6], v[5]};
    spec.stride = {v[2], v[3] % 7 + 1};
    spec.dilation = {v[3], v[2] % 5 + 1};
    const core::PerAxis input{v[0], v[1] % 1000 + 1};
    const core::PerAxis kernel{v[1], v[4] % 9 + 1};
    if (!core::validate(spec, input, kernel)) {
        const core::Geometry g = core::geometry(input, kernel, spec);
        require(1LL * g.rows.padded * g.cols.padded <= core::kMaxPaddedCells, "validate bounds the padded input");
        core::overBudget(core::convolutionEstimate(input, 1, 8, kernel, spec), core::Budget{});
        core::emptyOutputReason(g);
    }
}

const QString &lessonFolder()
{
    // Made once: a folder with a CSV and a PNG that lessons may name.
    static const QString folder = [] {
        static QTemporaryDir dir;
        const std::string base = QFile::encodeName(dir.path()).toStdString();
        core::writeOutputFile(base + "/in.csv", "1,2,3\n4,5,6\n");
        std::vector<uchar> png;
        cv::imencode(".png", cv::Mat(4, 5, CV_8UC1, cv::Scalar(9)), png);
        core::writeOutputFile(base + "/in.png", std::string(png.begin(), png.end()));
        return dir.path();
    }();
    return folder;
}


/// Every layout an array's rank allows must turn it into a tensor and back unchanged.
void layoutsRoundTrip(const core::NdArray &array)
{
    using core::Layout;
    for (Layout layout : {Layout::L, Layout::CL, Layout::HW, Layout::CHW, Layout::DHW, Layout::CDHW}) {
        if (core::validateLayout(array, layout))
            continue;
        const core::NdArray again = core::arrayFromTensor(core::tensorFromArray(array, layout), layout);
        require(again.shape == array.shape && again.values == array.values, "a tensor reads back in its layout");
    }
}

} // namespace

void csv(std::string_view data)
{
    refusedOrDone([&] {
        const cv::Mat read = core::parseCsv(data, "fuzz");
        const cv::Mat again = core::parseCsv(core::formatCsv(read), "again");
        require(again.size == read.size && cv::norm(read, again, cv::NORM_INF) == 0, "CSV reads back exactly");
    });
    refusedOrDone([&] { core::parseCsv(data, "fuzz", false); });
}

void kernel(std::string_view data)
{
    refusedOrDone([&] { core::parseKernelRows(data); });
    core::preset(data);
}

void options(std::string_view data)
{
    refusedOrDone([&] { core::padAmountText(core::parsePadAmount(data)); });
    refusedOrDone([&] { core::parsePerAxis(data, "--stride"); });
    refusedOrDone([&] { core::parseSize(data, "--input-size"); });
    core::parseByteSize(data);
    core::parseCount(data);
    geometry(data);
}

void convolve(std::string_view data)
{
    struct Settings {
        std::uint8_t rows, cols, kernelRows, kernelCols, amount, fill, operation, flags;
        std::int32_t strideRows, strideCols, dilationRows, dilationCols;
    } s;
    if (data.size() < sizeof s)
        return;
    std::memcpy(&s, data.data(), sizeof s);
    const std::string_view values = data.substr(sizeof s);
    const int channels = s.flags & 1 ? 3 : 1;
    const int depth = s.flags & 2 ? CV_64F : CV_32F;
    cv::Mat input(s.rows % 24 + 1, s.cols % 24 + 1, CV_MAKETYPE(depth, channels));
    cv::Mat kernel(s.kernelRows % 6 + 1, s.kernelCols % 6 + 1, CV_64F);
    size_t next = 0;
    const auto value = [&] { return values.empty() ? 1.0 : double(std::int8_t(values[next++ % values.size()])); };
    for (int r = 0; r < input.rows; ++r)
        for (int c = 0; c < input.cols * channels; ++c) {
            if (depth == CV_32F)
                input.ptr<float>(r)[c] = float(value());
            else
                input.ptr<double>(r)[c] = value();
        }
    for (int r = 0; r < kernel.rows; ++r)
        for (int c = 0; c < kernel.cols; ++c)
            kernel.at<double>(r, c) = value();

    core::ConvSpec spec;
    spec.amount.kind = core::Amount(s.amount % 5);
    spec.amount.sides = {s.flags >> 2 & 3, s.flags >> 4 & 3, s.flags >> 6 & 3, s.amount >> 4};
    spec.fill = core::Fill(s.fill % 6);
    spec.value = -2.5;
    spec.operation = s.operation & 1 ? core::Operation::Convolution : core::Operation::Correlation;
    spec.stride = {s.strideRows, s.strideCols};
    spec.dilation = {s.dilationRows, s.dilationCols};
    if (core::validate(spec, {input.rows, input.cols}, {kernel.rows, kernel.cols}))
        return;
    core::ConvResult result;
    try {
        result = core::convolve(input, kernel, spec, core::Budget{4'000'000, 1'000'000, 1});
    } catch (const core::OverBudget &) {
        return;
    }
    const core::Geometry &g = result.geometry;
    require(g.empty() ? result.output.empty()
                      : result.output.rows == g.rows.output && result.output.cols == g.cols.output,
            "output of the geometry's size");
    require(result.padded.rows == g.rows.padded && result.padded.cols == g.cols.padded, "padded as the geometry says");
    cv::Mat padded;
    result.padded.convertTo(padded, CV_64F);
    cv::Mat output;
    result.output.convertTo(output, CV_64F);
    const double tolerance = depth == CV_32F ? 1e-3 : 1e-9;
    for (int i = 0; i < output.rows; ++i)
        for (int j = 0; j < output.cols; ++j)
            for (int ch = 0; ch < channels; ++ch) {
                double sum = 0;
                double scale = 1;
                for (int a = 0; a < kernel.rows; ++a)
                    for (int b = 0; b < kernel.cols; ++b) {
                        const double w = core::tapWeight(kernel, a, b, spec.operation);
                        const double x = padded.ptr<double>(int(Wide(i) * g.rows.stride + Wide(a) * g.rows.dilation))
                                             [(Wide(j) * g.cols.stride + Wide(b) * g.cols.dilation) * channels + ch];
                        sum += w * x;
                        scale += std::abs(w * x);
                    }
                require(std::abs(output.ptr<double>(i)[j * channels + ch] - sum) <= tolerance * scale,
                        "every output cell is the sum of its window's products");
            }
}

void layers(std::string_view data)
{
    const size_t line = data.find('\n');
    const std::string_view shape = data.substr(0, line);
    const std::string_view spec = line == std::string_view::npos ? std::string_view() : data.substr(line + 1);
    refusedOrDone([&] {
        const core::Shape input = core::parseInputShape(shape);
        core::formatSummary(core::summarize(input, core::parseLayers(spec)));
    });
}

void lesson(std::string_view data)
{
    const QString path = lessonFolder() + QStringLiteral("/fuzz.padlab.json");
    core::writeOutputFile(QFile::encodeName(path).toStdString(), data);
    QString error;
    QString outside;
    const auto read = ui::readLesson(path, &error, false, &outside);
    require(read.has_value() == error.isEmpty(), "a lesson is read, or refused with a message");
}

void image(std::string_view data)
{
    const auto header = core::readImageHeader(data);
    const core::ImageMode mode = data.size() % 2 == 0 ? core::ImageMode::Grayscale : core::ImageMode::Color;
    try {
        const cv::Mat decoded = core::decodeImage(data, "fuzz", mode, 1 << 22);
        require(header && header->readable && !header->truncated, "only checked headers are decoded");
        require(decoded.depth() == CV_8U && decoded.channels() == (mode == core::ImageMode::Color ? 3 : 1),
                "decoded as asked");
    } catch (const core::Error &) {
    }
}

void npy(std::string_view data)
{
    refusedOrDone([&] {
        const core::NdArray array = core::parseNpy(data, "fuzz.npy");
        const core::NdArray back = core::parseNpy(core::formatNpy(array), "round trip");
        require(back.shape == array.shape && back.values == array.values, ".npy reads back exactly");
        layoutsRoundTrip(array);
    });
}

void tensorCsv(std::string_view data)
{
    if (data.empty())
        return;
    // The first byte picks a layout, or none (the text alone decides).
    using core::Layout;
    constexpr Layout kLayouts[] = {Layout::L, Layout::CL, Layout::HW, Layout::CHW, Layout::DHW, Layout::CDHW};
    const auto pick = static_cast<unsigned char>(data[0]) % 7;
    const std::optional<Layout> layout = pick == 6 ? std::nullopt : std::optional<Layout>(kLayouts[pick]);
    const std::string_view text = data.substr(1);
    refusedOrDone([&] {
        const core::NdArray array = core::parseTensorCsv(text, "fuzz.csv", layout);
        const core::NdArray back = core::parseTensorCsv(core::formatTensorCsv(array), "round trip", layout);
        require(back.shape == array.shape && back.values == array.values, "tensor CSV reads back exactly");
        if (layout && !core::validateLayout(array, *layout)) {
            const core::NdArray again = core::arrayFromTensor(core::tensorFromArray(array, *layout), *layout);
            require(again.values == array.values, "a tensor CSV reads back in its layout");
        }
    });
}

} // namespace padlab::fuzz

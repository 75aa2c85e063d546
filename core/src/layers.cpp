#include "padlab/core/layers.h"

#include "padlab/core/error.h"
#include "text.h"

#include <initializer_list>
#include <map>
#include <sstream>

namespace padlab::core {

namespace {

int layerNumber(std::string_view field, const std::string &layer, const char *what)
{
    const auto v = text::parseInteger(field);
    if (!v || *v < 1 || *v > 1'000'000'000)
        throw Error("--layers: " + text::quoted(layer) + ": " + what + " must be a whole number of 1 or more, got " +
                    text::quoted(text::trim(field)));
    return static_cast<int>(*v);
}

std::string withCommas(std::int64_t n)
{
    std::string digits = std::to_string(n < 0 ? -n : n);
    for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3)
        digits.insert(static_cast<size_t>(at), ",");
    return (n < 0 ? "-" : "") + digits;
}

// Counts beyond 64 bits are refused rather than wrapped.
std::int64_t product(std::initializer_list<std::int64_t> factors, const std::string &which)
{
    std::int64_t out = 1;
    for (std::int64_t f : factors) {
        if (__builtin_mul_overflow(out, f, &out))
            throw Error("--layers: " + which + " has more parameters or cells than this program can count");
    }
    return out;
}

std::int64_t sum(std::int64_t a, std::int64_t b, const std::string &which)
{
    std::int64_t out = 0;
    if (__builtin_add_overflow(a, b, &out))
        throw Error("--layers: " + which + " has more parameters than this program can count");
    return out;
}

std::string pad(std::string s, size_t width)
{
    if (s.size() < width)
        s.append(width - s.size(), ' ');
    return s + " ";
}

} // namespace

std::string Shape::text() const
{
    std::string out = "(None";
    for (std::int64_t d : dims)
        out += ", " + std::to_string(d);
    return out + ")";
}

namespace {

struct LayerWord {
    std::string_view word;
    LayerSpec::Type type;
    int rank;
};

constexpr LayerWord kWords[] = {
    {"conv1d", LayerSpec::Type::Conv, 1},           {"conv2d", LayerSpec::Type::Conv, 2},
    {"conv3d", LayerSpec::Type::Conv, 3},           {"conv2dt", LayerSpec::Type::ConvTranspose, 2},
    {"depthwise2d", LayerSpec::Type::Depthwise, 2}, {"separable2d", LayerSpec::Type::Separable, 2},
    {"maxpool1d", LayerSpec::Type::MaxPool, 1},     {"maxpool2d", LayerSpec::Type::MaxPool, 2},
    {"maxpool3d", LayerSpec::Type::MaxPool, 3},     {"maxpool", LayerSpec::Type::MaxPool, 2},
    {"avgpool1d", LayerSpec::Type::AvgPool, 1},     {"avgpool2d", LayerSpec::Type::AvgPool, 2},
    {"avgpool3d", LayerSpec::Type::AvgPool, 3},     {"avgpool", LayerSpec::Type::AvgPool, 2},
    {"zeropad1d", LayerSpec::Type::ZeroPad, 1},     {"zeropad2d", LayerSpec::Type::ZeroPad, 2},
    {"zeropad3d", LayerSpec::Type::ZeroPad, 3},     {"globalavgpool", LayerSpec::Type::GlobalAvgPool, 0},
    {"globalmaxpool", LayerSpec::Type::GlobalMaxPool, 0}, {"flatten", LayerSpec::Type::Flatten, 0},
    {"dense", LayerSpec::Type::Dense, 0},
};

// The fields after the word, at least and at most, and how to write them.
struct Usage {
    size_t least;
    size_t most;
    const char *text;
};

Usage usageOf(LayerSpec::Type type, int rank)
{
    using T = LayerSpec::Type;
    switch (type) {
    case T::Conv: return {2, 5, rank == 1 ? "FILTERS:K[:S[:PAD[:D]]] (PAD valid, same or causal)" : "FILTERS:K[:S[:PAD[:D]]]"};
    case T::ConvTranspose: return {2, 4, "FILTERS:K[:S[:PAD]]"};
    case T::Depthwise: return {1, 4, "K[:S[:PAD[:MULTIPLIER]]]"};
    case T::Separable: return {2, 4, "FILTERS:K[:S[:PAD]]"};
    case T::MaxPool:
    case T::AvgPool: return {1, 3, "P[:S[:PAD]]"};
    case T::ZeroPad:
        return {1, static_cast<size_t>(2 * rank),
                rank == 1 ? "P or LEFT:RIGHT" : rank == 2 ? "P or T:B:L:R" : "P or FRONT:BACK:T:B:L:R"};
    case T::Dense: return {1, 1, "UNITS"};
    default: return {0, 0, ""};
    }
}

std::string layerError(const std::string &layer, const std::string &what)
{
    return "--layers: " + text::quoted(layer) + ": " + what;
}

// `N` or one number per axis, each a whole number of 1 or more.
std::vector<int> axisNumbers(std::string_view field, int rank, const std::string &layer, const char *what)
{
    const auto parts = text::split(text::trim(field), 'x');
    if (parts.size() != 1 && static_cast<int>(parts.size()) != rank)
        throw Error(layerError(layer, std::string(what) + " has " + std::to_string(parts.size()) + " values for a " +
                                          std::to_string(rank) + "-D layer (give 1" +
                                          (rank > 1 ? " or " + std::to_string(rank) : std::string()) + ")"));
    std::vector<int> values;
    for (std::string_view p : parts)
        values.push_back(layerNumber(p, layer, what));
    if (values.size() == 1)
        values.assign(static_cast<size_t>(rank), values[0]);
    return values;
}

std::string axesText(const std::vector<int> &values)
{
    std::string out;
    for (int v : values)
        out += (out.empty() ? "" : "x") + std::to_string(v);
    bool same = true;
    for (int v : values)
        same = same && v == values.front();
    return same ? std::to_string(values.front()) : out;
}

const char *shapeName(int rank)
{
    return rank == 1 ? "LxC" : rank == 2 ? "HxWxC" : "DxHxWxC";
}

std::string className(const LayerSpec &l, int rank)
{
    const std::string d = std::to_string(rank) + "D";
    using T = LayerSpec::Type;
    switch (l.type) {
    case T::Conv: return "Conv" + d;
    case T::ConvTranspose: return "Conv2DTranspose";
    case T::Depthwise: return "DepthwiseConv2D";
    case T::Separable: return "SeparableConv2D";
    case T::MaxPool: return "MaxPooling" + d;
    case T::AvgPool: return "AveragePooling" + d;
    case T::ZeroPad: return "ZeroPadding" + d;
    case T::GlobalAvgPool: return "GlobalAveragePooling" + d;
    case T::GlobalMaxPool: return "GlobalMaxPooling" + d;
    case T::Flatten: return "Flatten";
    case T::Dense: return "Dense";
    }
    return "Layer";
}

// Keras' snake_case name of a class: Conv2DTranspose -> conv2d_transpose.
std::string kerasName(const std::string &cls)
{
    std::string out;
    for (size_t i = 0; i < cls.size(); ++i) {
        const char c = cls[i];
        const bool upper = c >= 'A' && c <= 'Z';
        if (upper && i > 0 && !(cls[i - 1] >= '0' && cls[i - 1] <= '9'))
            out += '_';
        out += upper ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out;
}

} // namespace

std::vector<LayerSpec> parseLayerSpecs(std::string_view spec)
{
    std::vector<LayerSpec> layers;
    if (text::trim(spec).empty())
        throw Error("--layers: no layers given");
    for (std::string_view item : text::split(spec, ',')) {
        LayerSpec l;
        l.text = std::string(text::trim(item));
        const std::string lowered = text::lower(l.text);
        const auto parts = text::split(lowered, ':');
        l.word = std::string(text::trim(parts[0]));
        const LayerWord *found = nullptr;
        for (const LayerWord &w : kWords) {
            if (w.word == l.word)
                found = &w;
        }
        if (!found)
            throw Error("--layers: unknown layer " + text::quoted(l.text) +
                        " (expected conv1d, conv2d, conv3d, conv2dt, depthwise2d, separable2d, maxpool1d to 3d, "
                        "avgpool1d to 3d, zeropad1d to 3d, globalavgpool, globalmaxpool, flatten or dense)");
        l.type = found->type;
        l.rank = found->rank;
        const std::vector<std::string_view> fields(parts.begin() + 1, parts.end());
        const Usage usage = usageOf(l.type, l.rank);
        if (fields.size() < usage.least || fields.size() > usage.most ||
            (l.type == LayerSpec::Type::ZeroPad && fields.size() != 1 && fields.size() != usage.most)) {
            if (usage.most == 0)
                throw Error(layerError(l.text, l.word + " takes no values"));
            throw Error(layerError(l.text, "expected " + l.word + ":" + usage.text));
        }
        using T = LayerSpec::Type;
        size_t next = 0;
        const auto field = [&]() -> std::string_view { return next < fields.size() ? fields[next++] : ""; };
        const auto has = [&] { return next < fields.size(); };
        const auto padding = [&](std::string_view f) {
            const std::string_view p = text::trim(f);
            if (p == "valid" || p == "same")
                return p == "same" ? Amount::Same : Amount::Valid;
            if (p == "causal") {
                if (l.type == T::Conv && l.rank == 1)
                    return Amount::Causal;
                throw Error(layerError(l.text, "causal padding is Keras Conv1D's only (conv1d)"));
            }
            throw Error(layerError(l.text, std::string("PAD must be valid or same") +
                                               (l.type == T::Conv && l.rank == 1 ? " or causal" : "") + ", got " +
                                               text::quoted(p)));
        };
        switch (l.type) {
        case T::Conv:
        case T::ConvTranspose:
        case T::Separable:
        case T::Depthwise:
            if (l.type != T::Depthwise)
                l.filters = layerNumber(field(), l.text, "FILTERS");
            l.kernel = axisNumbers(field(), l.rank, l.text, "K");
            l.stride = has() ? axisNumbers(field(), l.rank, l.text, "S") : std::vector<int>(size_t(l.rank), 1);
            l.dilation.assign(static_cast<size_t>(l.rank), 1);
            if (has())
                l.padding = padding(field());
            if (has() && l.type == T::Conv)
                l.dilation = axisNumbers(field(), l.rank, l.text, "D");
            if (has())
                l.multiplier = layerNumber(field(), l.text, "MULTIPLIER");
            break;
        case T::MaxPool:
        case T::AvgPool:
            l.kernel = axisNumbers(field(), l.rank, l.text, "P");
            l.stride = has() ? axisNumbers(field(), l.rank, l.text, "S") : l.kernel;
            l.dilation.assign(static_cast<size_t>(l.rank), 1);
            if (has())
                l.padding = padding(field());
            break;
        case T::ZeroPad:
            for (std::string_view f : fields) {
                const auto v = text::parseInteger(f);
                if (!v || *v < 0 || *v > 1'000'000'000)
                    throw Error(layerError(l.text, "pads must be whole numbers of 0 or more, got " +
                                                       text::quoted(text::trim(f))));
                l.pads.push_back(static_cast<int>(*v));
            }
            if (l.pads.size() == 1)
                l.pads.assign(static_cast<size_t>(2 * l.rank), l.pads[0]);
            break;
        case T::Dense: l.units = layerNumber(field(), l.text, "UNITS"); break;
        default: break;
        }
        layers.push_back(std::move(l));
    }
    return layers;
}

Shape parseStackInputShape(std::string_view input)
{
    const std::string lowered = text::lower(text::trim(input));
    const auto parts = text::split(lowered, 'x');
    if (parts.size() < 2 || parts.size() > 4)
        throw Error("--input-shape: expected LxC, HxWxC or DxHxWxC (channels last), got " + text::quoted(input));
    Shape s;
    for (std::string_view p : parts) {
        const auto v = text::parseInteger(p);
        if (!v || *v < 1 || *v > 1'000'000)
            throw Error("--input-shape: " + text::quoted(text::trim(p)) + " in " + text::quoted(input) +
                        " must be a whole number from 1 to 1000000");
        s.dims.push_back(*v);
    }
    return s;
}

StackSummary summarizeLayers(const Shape &input, const std::vector<LayerSpec> &layers)
{
    StackSummary summary;
    Shape shape = input;
    std::map<std::string, int> used;
    std::string from = "the input shape is";
    for (size_t i = 0; i < layers.size(); ++i) {
        const LayerSpec &l = layers[i];
        const std::string which = "layer " + std::to_string(i + 1) + " (" + l.word + ") " + text::quoted(l.text);
        const auto fail = [&](const std::string &what) { throw Error("--layers: " + which + ": " + what); };
        const int spatial = static_cast<int>(shape.dims.size()) - 1;
        using T = LayerSpec::Type;
        if (l.rank > 0 && spatial != l.rank)
            fail(std::string(l.rank == 3 ? "needs a " : "needs an ") + shapeName(l.rank) + " input, but " + from + " " +
                 shape.text());
        if ((l.type == T::GlobalAvgPool || l.type == T::GlobalMaxPool) && spatial < 1)
            fail("needs an input with spatial axes, but " + from + " " + shape.text());
        const std::int64_t channels = shape.dims.back();
        LayerRow row;
        const int rank = l.rank > 0 ? l.rank : spatial;
        const auto spatialOutput = [&](bool transposed) {
            bool strided = false;
            bool dilated = false;
            for (int a = 0; a < l.rank; ++a) {
                strided = strided || l.stride[size_t(a)] > 1;
                dilated = dilated || l.dilation[size_t(a)] > 1;
            }
            if (strided && dilated)
                fail("Keras does not take a stride above 1 together with a dilation above 1");
            Shape out = shape;
            for (int a = 0; a < l.rank; ++a) {
                std::int64_t &n = out.dims[size_t(a)];
                const std::int64_t k = l.kernel[size_t(a)];
                const std::int64_t s = l.stride[size_t(a)];
                const std::int64_t e = static_cast<std::int64_t>(l.dilation[size_t(a)]) * (k - 1) + 1;
                if (transposed) {
                    n = l.padding == Amount::Same ? product({n, s}, which)
                                                  : sum(product({n - 1, s}, which), std::max(e, s), which);
                    continue;
                }
                if (l.padding == Amount::Valid && n < e) {
                    const bool pool = l.type == T::MaxPool || l.type == T::AvgPool;
                    fail(std::string("the ") + (pool ? "pool " : "kernel ") + axesText(l.kernel) +
                         (e != k ? " dilated by " + axesText(l.dilation) + " reaches " + std::to_string(e) +
                                       " cells, more than"
                                 : " is larger than") +
                         " its input " + shape.text() + " under valid padding");
                }
                n = l.padding == Amount::Valid ? (n - e) / s + 1 : (n + s - 1) / s;
            }
            shape = out;
        };
        std::int64_t taps = 1;
        for (int k : l.kernel)
            taps = product({taps, k}, which);
        switch (l.type) {
        case T::Conv:
        case T::ConvTranspose:
            spatialOutput(l.type == T::ConvTranspose);
            row.params = sum(product({taps, channels, l.filters}, which), l.filters, which);
            shape.dims.back() = l.filters;
            break;
        case T::Depthwise: {
            spatialOutput(false);
            const std::int64_t outChannels = product({channels, l.multiplier}, which);
            row.params = sum(product({taps, outChannels}, which), outChannels, which);
            shape.dims.back() = outChannels;
            break;
        }
        case T::Separable:
            spatialOutput(false);
            row.params = sum(sum(product({taps, channels}, which), product({channels, l.filters}, which), which),
                             l.filters, which);
            shape.dims.back() = l.filters;
            break;
        case T::MaxPool:
        case T::AvgPool: spatialOutput(false); break;
        case T::ZeroPad:
            for (int a = 0; a < l.rank; ++a)
                shape.dims[size_t(a)] = sum(sum(shape.dims[size_t(a)], l.pads[size_t(2 * a)], which),
                                            l.pads[size_t(2 * a + 1)], which);
            break;
        case T::GlobalAvgPool:
        case T::GlobalMaxPool: shape.dims = {channels}; break;
        case T::Flatten: {
            std::int64_t n = 1;
            for (std::int64_t d : shape.dims)
                n = product({n, d}, which);
            shape.dims = {n};
            break;
        }
        case T::Dense:
            // Dense acts on the last axis, as in Keras.
            row.params = sum(product({shape.dims.back(), l.units}, which), l.units, which);
            shape.dims.back() = l.units;
            break;
        }
        const std::string cls = className(l, rank);
        const std::string base = kerasName(cls);
        const int n = used[base]++;
        row.name = (n == 0 ? base : base + "_" + std::to_string(n)) + " (" + cls + ")";
        row.output = shape;
        summary.totalParams = sum(summary.totalParams, row.params, "the stack");
        summary.rows.push_back(row);
        from = "layer " + std::to_string(i + 1) + " (" + l.word + ") gives";
    }
    return summary;
}

std::vector<Layer> parseLayers(std::string_view spec)
{
    std::vector<Layer> out;
    for (const LayerSpec &l : parseLayerSpecs(spec)) {
        const auto square = [](const std::vector<int> &v) { return v.size() == 2 && v[0] == v[1]; };
        Layer b;
        using T = LayerSpec::Type;
        if (l.type == T::Conv && l.rank == 2 && square(l.kernel) && square(l.stride) && l.dilation == std::vector<int>{1, 1}) {
            b.kind = Layer::Kind::Conv2D;
            b.filters = l.filters;
            b.kernel = l.kernel[0];
            b.stride = l.stride[0];
            b.same = l.padding == Amount::Same;
        } else if (l.type == T::MaxPool && l.rank == 2 && square(l.kernel) && l.stride == l.kernel &&
                   l.padding == Amount::Valid) {
            b.kind = Layer::Kind::MaxPool;
            b.pool = l.kernel[0];
        } else if (l.type == T::Flatten) {
            b.kind = Layer::Kind::Flatten;
        } else if (l.type == T::Dense) {
            b.kind = Layer::Kind::Dense;
            b.units = l.units;
        } else {
            throw Error(layerError(l.text, "the layer-stack builder takes conv2d (square kernel and stride, no "
                                           "dilation), maxpool (its pool as stride), flatten and dense layers"));
        }
        out.push_back(b);
    }
    return out;
}

Shape parseInputShape(std::string_view input)
{
    const Shape s = parseStackInputShape(input);
    if (s.dims.size() != 3)
        throw Error("--input-shape: expected HxWxC (height, width, channels), got " + text::quoted(input));
    return s;
}

StackSummary summarize(const Shape &input, const std::vector<Layer> &layers)
{
    std::string spec;
    for (const Layer &l : layers) {
        std::string item;
        switch (l.kind) {
        case Layer::Kind::Conv2D:
            item = "conv2d:" + std::to_string(l.filters) + ":" + std::to_string(l.kernel);
            if (l.stride != 1 || l.same)
                item += ":" + std::to_string(l.stride) + (l.same ? ":same" : "");
            break;
        case Layer::Kind::MaxPool: item = "maxpool:" + std::to_string(l.pool); break;
        case Layer::Kind::Flatten: item = "flatten"; break;
        case Layer::Kind::Dense: item = "dense:" + std::to_string(l.units); break;
        }
        spec += (spec.empty() ? "" : ",") + item;
    }
    return summarizeLayers(input, parseLayerSpecs(spec));
}

std::string formatSummary(const StackSummary &summary)
{
    size_t nameWidth = 28;
    size_t shapeWidth = 25;
    for (const LayerRow &r : summary.rows) {
        nameWidth = std::max(nameWidth, r.name.size() + 1);
        shapeWidth = std::max(shapeWidth, r.output.text().size() + 1);
    }
    const size_t total = nameWidth + shapeWidth + 12;
    std::ostringstream out;
    out << std::string(total, '_') << "\n";
    out << pad("Layer (type)", nameWidth) << pad("Output Shape", shapeWidth) << "Param #\n";
    out << std::string(total, '=') << "\n";
    for (size_t i = 0; i < summary.rows.size(); ++i) {
        const LayerRow &r = summary.rows[i];
        out << pad(r.name, nameWidth) << pad(r.output.text(), shapeWidth) << withCommas(r.params) << "\n";
        if (i + 1 < summary.rows.size())
            out << "\n";
    }
    out << std::string(total, '=') << "\n";
    out << "Total params: " << withCommas(summary.totalParams) << "\n";
    return out.str();
}

} // namespace padlab::core

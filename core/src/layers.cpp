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

std::vector<Layer> parseLayers(std::string_view spec)
{
    std::vector<Layer> layers;
    if (text::trim(spec).empty())
        throw Error("--layers: no layers given");
    for (std::string_view item : text::split(spec, ',')) {
        const std::string layer(text::trim(item));
        const std::string lowered = text::lower(layer);
        const auto parts = text::split(lowered, ':');
        const std::string_view kind = text::trim(parts[0]);
        Layer l;
        if (kind == "conv2d") {
            if (parts.size() < 3 || parts.size() > 5)
                throw Error("--layers: " + text::quoted(layer) + ": expected conv2d:FILTERS:K[:STRIDE[:PAD]]");
            l.kind = Layer::Kind::Conv2D;
            l.filters = layerNumber(parts[1], layer, "FILTERS");
            l.kernel = layerNumber(parts[2], layer, "K");
            if (parts.size() >= 4)
                l.stride = layerNumber(parts[3], layer, "STRIDE");
            if (parts.size() == 5) {
                const std::string_view p = text::trim(parts[4]);
                if (p != "valid" && p != "same")
                    throw Error("--layers: " + text::quoted(layer) + ": PAD must be valid or same, got " +
                                text::quoted(p));
                l.same = p == "same";
            }
        } else if (kind == "maxpool") {
            if (parts.size() != 2)
                throw Error("--layers: " + text::quoted(layer) + ": expected maxpool:P");
            l.kind = Layer::Kind::MaxPool;
            l.pool = layerNumber(parts[1], layer, "P");
        } else if (kind == "flatten") {
            if (parts.size() != 1)
                throw Error("--layers: " + text::quoted(layer) + ": flatten takes no values");
            l.kind = Layer::Kind::Flatten;
        } else if (kind == "dense") {
            if (parts.size() != 2)
                throw Error("--layers: " + text::quoted(layer) + ": expected dense:UNITS");
            l.kind = Layer::Kind::Dense;
            l.units = layerNumber(parts[1], layer, "UNITS");
        } else {
            throw Error("--layers: unknown layer " + text::quoted(layer) +
                        " (expected conv2d:FILTERS:K[:STRIDE[:PAD]], maxpool:P, flatten or dense:UNITS)");
        }
        layers.push_back(l);
    }
    return layers;
}

Shape parseInputShape(std::string_view input)
{
    const std::string lowered = text::lower(text::trim(input));
    const auto parts = text::split(lowered, 'x');
    if (parts.size() != 3)
        throw Error("--input-shape: expected HxWxC (height, width, channels), got " + text::quoted(input));
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

StackSummary summarize(const Shape &input, const std::vector<Layer> &layers)
{
    StackSummary summary;
    Shape shape = input;
    std::map<std::string, int> used;
    const auto nameFor = [&](const std::string &base, const std::string &type) {
        const int n = used[base]++;
        return (n == 0 ? base : base + "_" + std::to_string(n)) + " (" + type + ")";
    };
    for (size_t i = 0; i < layers.size(); ++i) {
        const Layer &l = layers[i];
        const std::string which = "layer " + std::to_string(i + 1);
        LayerRow row;
        switch (l.kind) {
        case Layer::Kind::Conv2D: {
            if (shape.dims.size() != 3)
                throw Error("--layers: " + which + " (conv2d) needs an HxWxC input, but gets " + shape.text() +
                            " (after flatten)");
            for (int axis = 0; axis < 2; ++axis) {
                const std::int64_t n = shape.dims[static_cast<size_t>(axis)];
                if (!l.same && n < l.kernel)
                    throw Error("--layers: " + which + " (conv2d) kernel " + std::to_string(l.kernel) +
                                " is larger than its input " + shape.text() + " with valid padding");
                shape.dims[static_cast<size_t>(axis)] =
                    l.same ? (n + l.stride - 1) / l.stride : (n - l.kernel) / l.stride + 1;
            }
            row.params = sum(product({l.kernel, l.kernel, shape.dims[2], l.filters}, which), l.filters, which);
            shape.dims[2] = l.filters;
            row.name = nameFor("conv2d", "Conv2D");
            break;
        }
        case Layer::Kind::MaxPool:
            if (shape.dims.size() != 3)
                throw Error("--layers: " + which + " (maxpool) needs an HxWxC input, but gets " + shape.text());
            for (int axis = 0; axis < 2; ++axis) {
                std::int64_t &n = shape.dims[static_cast<size_t>(axis)];
                if (n < l.pool)
                    throw Error("--layers: " + which + " (maxpool) pool " + std::to_string(l.pool) +
                                " is larger than its input " + shape.text());
                n = (n - l.pool) / l.pool + 1;
            }
            row.name = nameFor("max_pooling2d", "MaxPooling2D");
            break;
        case Layer::Kind::Flatten: {
            std::int64_t n = 1;
            for (std::int64_t d : shape.dims)
                n = product({n, d}, which);
            shape.dims = {n};
            row.name = nameFor("flatten", "Flatten");
            break;
        }
        case Layer::Kind::Dense:
            // Dense acts on the last axis, as in Keras.
            row.params = sum(product({shape.dims.back(), l.units}, which), l.units, which);
            shape.dims.back() = l.units;
            row.name = nameFor("dense", "Dense");
            break;
        }
        row.output = shape;
        summary.totalParams = sum(summary.totalParams, row.params, "the stack");
        summary.rows.push_back(row);
    }
    return summary;
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

#pragma once

// Shared by the tensor suites: the public tensor reference cases, JSON arrays as NdArray,
// tensor comparisons and independent models of the fills and of a convolution.

#include "padlab/core/tensor.h"
#include "padlab/core/tensorconv.h"
#include "testutil.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <cmath>
#include <functional>
#include <stdexcept>
#include <vector>

namespace padlab::test {

/// @brief A nested JSON list as an array (its shape and values in C order); ragged lists throw.
inline core::NdArray jsonToArray(const QJsonValue &value)
{
    core::NdArray array;
    QJsonValue probe = value;
    while (probe.isArray()) {
        array.shape.push_back(probe.toArray().size());
        if (probe.toArray().isEmpty())
            break;
        probe = probe.toArray().first();
    }
    const std::function<void(const QJsonValue &, size_t)> walk = [&](const QJsonValue &v, size_t axis) {
        if (axis == array.shape.size()) {
            if (!v.isDouble())
                throw std::runtime_error("a JSON array holds something that is not a number");
            array.values.push_back(v.toDouble());
            return;
        }
        const QJsonArray a = v.toArray();
        if (!v.isArray() || a.size() != array.shape[axis])
            throw std::runtime_error("ragged JSON array");
        for (const QJsonValue &item : a)
            walk(item, axis + 1);
    };
    walk(value, 0);
    return array;
}

/// @brief One case of tensor_cases.json: a command line and what PyTorch (or TensorFlow's
/// rules) computed for it.
struct TensorCase {
    QString name;
    QString command; ///< conv, pool or convt
    QString kind;
    QStringList args;
    core::NdArray input;
    core::NdArray kernel; ///< empty shape for pooling
    core::NdArray bias;   ///< empty when the case has none
    std::vector<core::AxisPads> sides; ///< conv only
    core::NdArray output;

    /// The value of @p option in args, or @p fallback.
    QString arg(const QString &option, const QString &fallback = {}) const
    {
        const int at = int(args.indexOf(option));
        return at >= 0 && at + 1 < args.size() ? args.at(at + 1) : fallback;
    }
    bool flag(const QString &option) const { return args.contains(option); }
};

inline std::vector<TensorCase> tensorCases()
{
    const QJsonObject root = loadJson(QStringLiteral("tensor_cases.json")).object();
    std::vector<TensorCase> cases;
    for (const QJsonValue &value : root.value(QStringLiteral("cases")).toArray()) {
        const QJsonObject o = value.toObject();
        TensorCase c;
        c.name = o.value(QStringLiteral("name")).toString();
        c.command = o.value(QStringLiteral("command")).toString();
        c.kind = o.value(QStringLiteral("kind")).toString();
        for (const QJsonValue &a : o.value(QStringLiteral("args")).toArray())
            c.args << a.toString();
        c.input = jsonToArray(o.value(QStringLiteral("input")));
        const QJsonObject files = o.value(QStringLiteral("files")).toObject();
        if (files.contains(QStringLiteral("kernel")))
            c.kernel = jsonToArray(files.value(QStringLiteral("kernel")));
        if (files.contains(QStringLiteral("bias")))
            c.bias = jsonToArray(files.value(QStringLiteral("bias")));
        for (const QJsonValue &pair : o.value(QStringLiteral("sides")).toArray())
            c.sides.push_back({pair.toArray().at(0).toInt(), pair.toArray().at(1).toInt()});
        c.output = jsonToArray(o.value(QStringLiteral("output")));
        cases.push_back(c);
    }
    if (cases.empty())
        throw std::runtime_error("tensor_cases.json holds no cases");
    return cases;
}

/// @brief One data row per reference case of @p command (conv, pool or convt), named by the case
/// and its command line, holding the case's index in tensorCases().
inline void addReferenceRows(const QString &command)
{
    QTest::addColumn<int>("index");
    const auto cases = tensorCases();
    for (size_t i = 0; i < cases.size(); ++i) {
        if (cases[i].command == command)
            QTest::newRow(qPrintable(cases[i].name + QLatin1Char(' ') + cases[i].args.join(QLatin1Char(' '))))
                << int(i);
    }
}

/// @brief @p tensor compared with @p expected (channels first, whatever the layout): shape and
/// values within @p tolerance * max(1, largest |expected|). On a mismatch @p why names the first
/// differing cell.
inline bool tensorNear(const core::Tensor &actual, const core::NdArray &expected, double tolerance,
                       QString *why)
{
    std::vector<std::int64_t> shape{actual.shape().channels};
    for (int s : actual.shape().spatial)
        shape.push_back(s);
    std::vector<std::int64_t> want = expected.shape;
    if (want.size() + 1 == shape.size())
        want.insert(want.begin(), 1);
    if (shape != want) {
        QStringList a;
        QStringList e;
        for (auto s : shape)
            a << QString::number(s);
        for (auto s : expected.shape)
            e << QString::number(s);
        *why = QStringLiteral("shapes differ: %1 against %2").arg(a.join(QLatin1Char('x')), e.join(QLatin1Char('x')));
        return false;
    }
    if (actual.empty())
        return true;
    cv::Mat m;
    actual.matrix().convertTo(m, CV_64F);
    double scale = 1;
    for (double v : expected.values)
        scale = std::max(scale, std::abs(v));
    for (size_t i = 0; i < expected.values.size(); ++i) {
        const double a = m.ptr<double>(int(i / size_t(m.cols)))[i % size_t(m.cols)];
        const double e = expected.values[i];
        if (!(std::abs(a - e) <= tolerance * scale)) {
            *why = QStringLiteral("value %1 (C order): %2 != %3").arg(i).arg(a, 0, 'g', 17).arg(e, 0, 'g', 17);
            return false;
        }
    }
    return true;
}

#define PADLAB_COMPARE_TENSOR(actual, expected, tolerance)                                     \
    do {                                                                                       \
        QString padlabWhy_;                                                                    \
        QVERIFY2(::padlab::test::tensorNear((actual), (expected), (tolerance), &padlabWhy_),   \
                 qPrintable(padlabWhy_));                                                      \
    } while (false)

/// @brief A deterministic random array of @p shape with values in [low, high).
inline core::NdArray randomArray(const std::vector<std::int64_t> &shape, double low, double high,
                                 uint64_t seed)
{
    core::NdArray a;
    a.shape = shape;
    std::int64_t n = 1;
    for (auto s : shape)
        n *= s;
    cv::RNG rng(seed);
    for (std::int64_t i = 0; i < n; ++i)
        a.values.push_back(rng.uniform(low, high));
    return a;
}

/// @brief An independent model of the fills: fold an index back into the row one edge at a
/// time, as OpenCV's borderInterpolate loops (the engine uses closed forms); -1 for a fill value.
inline int foldedDonor(int p, int n, core::Fill fill)
{
    using core::Fill;
    if (p >= 0 && p < n)
        return p;
    switch (fill) {
    case Fill::Zeros:
    case Fill::Constant: return -1;
    case Fill::Replicate: return p < 0 ? 0 : n - 1;
    case Fill::Circular:
        while (p < 0)
            p += n;
        while (p >= n)
            p -= n;
        return p;
    case Fill::Reflect:
        if (n == 1)
            return 0;
        while (p < 0 || p >= n)
            p = p < 0 ? -p : 2 * (n - 1) - p;
        return p;
    case Fill::Symmetric:
        while (p < 0 || p >= n)
            p = p < 0 ? -p - 1 : 2 * n - 1 - p;
        return p;
    }
    return -1;
}

/// @brief The value of a padded cell, from the input array (channels first, one channel axis
/// always present) by the folded model on every axis.
inline double paddedValue(const core::NdArray &input, int channel, const std::vector<int> &position,
                          const std::vector<core::AxisPads> &pads, core::Fill fill, double value)
{
    std::int64_t flat = channel;
    for (size_t a = 0; a < position.size(); ++a) {
        const int n = int(input.shape[a + 1]);
        const int i = foldedDonor(position[a] - pads[a].before, n, fill);
        if (i < 0)
            return fill == core::Fill::Constant ? value : 0.0;
        flat = flat * n + i;
    }
    return input.values[size_t(flat)];
}

/// @brief Every multi-index of @p sizes in C order.
inline std::vector<std::vector<int>> allIndices(const std::vector<int> &sizes)
{
    std::vector<std::vector<int>> out;
    std::int64_t n = 1;
    for (int s : sizes)
        n *= s;
    for (std::int64_t i = 0; i < n; ++i) {
        std::vector<int> idx(sizes.size());
        std::int64_t rest = i;
        for (size_t a = sizes.size(); a-- > 0;) {
            idx[a] = int(rest % sizes[a]);
            rest /= sizes[a];
        }
        out.push_back(idx);
    }
    return out;
}

/// @brief A convolution written as its definition, straight from the input array (channels
/// first): out(f, o) = bias(f) + sum over c in f's group and taps t of
/// w(f, c, t) * padded(g*Cg + c, o*s + t*d), with a spatial kernel applied to every channel.
/// @p kernel: (F, Cg, *k) or (*k); @p stride, @p dilation per axis.
inline core::NdArray naiveConvolution(const core::NdArray &input, const core::NdArray &kernel,
                                      const std::vector<double> &bias,
                                      const std::vector<core::AxisPads> &pads, core::Fill fill,
                                      double value, const std::vector<int> &stride,
                                      const std::vector<int> &dilation, int groups, bool flip)
{
    const int rank = int(input.shape.size()) - 1;
    const int channels = int(input.shape[0]);
    const bool spatialOnly = int(kernel.shape.size()) == rank;
    const int filters = spatialOnly ? channels : int(kernel.shape[0]);
    const int perGroup = spatialOnly ? 1 : int(kernel.shape[1]);
    const int groupCount = spatialOnly ? channels : groups;
    std::vector<int> k;
    for (size_t a = kernel.shape.size() - size_t(rank); a < kernel.shape.size(); ++a)
        k.push_back(int(kernel.shape[a]));
    std::vector<int> out;
    for (int a = 0; a < rank; ++a) {
        const int padded = int(input.shape[size_t(a) + 1]) + pads[size_t(a)].before + pads[size_t(a)].after;
        const int e = dilation[size_t(a)] * (k[size_t(a)] - 1) + 1;
        out.push_back(padded < e ? 0 : (padded - e) / stride[size_t(a)] + 1);
    }
    core::NdArray result;
    result.shape.push_back(filters);
    for (int o : out)
        result.shape.push_back(o);
    const auto taps = allIndices(k);
    const auto cells = allIndices(out);
    for (int f = 0; f < filters; ++f) {
        const int g = f / (filters / groupCount);
        for (const auto &o : cells) {
            double sum = bias.empty() ? 0.0 : bias[size_t(f)];
            for (int c = 0; c < perGroup; ++c) {
                for (size_t t = 0; t < taps.size(); ++t) {
                    std::vector<int> pos(static_cast<size_t>(rank), 0);
                    for (int a = 0; a < rank; ++a)
                        pos[size_t(a)] = o[size_t(a)] * stride[size_t(a)] + taps[t][size_t(a)] * dilation[size_t(a)];
                    const size_t tap = flip ? taps.size() - 1 - t : t;
                    const size_t w = spatialOnly ? tap : (size_t(f) * size_t(perGroup) + size_t(c)) * taps.size() + tap;
                    sum += kernel.values[w] * paddedValue(input, g * perGroup + c, pos, pads, fill, value);
                }
            }
            result.values.push_back(sum);
        }
    }
    return result;
}

/// @brief The pads of every axis from the spec alone (DESIGN.md's amounts, the TensorFlow split
/// for same), written here independently of the engine's geometry.
inline std::vector<core::AxisPads> oraclePads(const core::TensorConvSpec &spec, const core::NdArray &input,
                                              const std::vector<int> &kernel)
{
    const int rank = int(kernel.size());
    std::vector<core::AxisPads> pads;
    for (int a = 0; a < rank; ++a) {
        const size_t i = size_t(a);
        const int n = int(input.shape[i + 1]);
        const int s = spec.stride.size() == 1 ? spec.stride[0] : spec.stride[i];
        const int d = spec.dilation.size() == 1 ? spec.dilation[0] : spec.dilation[i];
        const int e = d * (kernel[i] - 1) + 1;
        switch (spec.amount.kind) {
        case core::Amount::Valid: pads.push_back({0, 0}); break;
        case core::Amount::Full: pads.push_back({e - 1, e - 1}); break;
        case core::Amount::Causal: pads.push_back({e - 1, 0}); break;
        case core::Amount::Explicit: pads.push_back({spec.amount.values[2 * i], spec.amount.values[2 * i + 1]}); break;
        case core::Amount::Same: {
            const int out = (n + s - 1) / s;
            const int total = std::max((out - 1) * s + e - n, 0);
            pads.push_back({total / 2, total - total / 2});
            break;
        }
        }
    }
    return pads;
}

/// @brief The array with a leading channel axis of 1 when it has @p rank axes.
inline core::NdArray withChannelAxis(core::NdArray a, int rank)
{
    if (int(a.shape.size()) == rank)
        a.shape.insert(a.shape.begin(), 1);
    return a;
}

} // namespace padlab::test

Q_DECLARE_METATYPE(padlab::core::NdArray)
Q_DECLARE_METATYPE(padlab::core::TensorShape)
Q_DECLARE_METATYPE(std::vector<int>)
Q_DECLARE_METATYPE(std::vector<std::int64_t>)
Q_DECLARE_METATYPE(padlab::core::TensorConvSpec)
Q_DECLARE_METATYPE(padlab::core::TensorKernel)

#pragma once

#include "padlab/core/fill.h"
#include "padlab/core/geometry.h"
#include "padlab/core/npy.h"

#include <QByteArray>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QTest>

#include <opencv2/core.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace padlab::test {

/// A float64 .npy of @p shape holding 0, 1, 2, ..., as core's writer writes it.
inline QByteArray npyOf(std::vector<std::int64_t> shape)
{
    core::NdArray array;
    array.shape = std::move(shape);
    std::int64_t cells = 1;
    for (std::int64_t n : array.shape)
        cells *= n;
    for (std::int64_t i = 0; i < cells; ++i)
        array.values.push_back(double(i));
    return QByteArray::fromStdString(core::formatNpy(array));
}

/// @brief A file under tests/data.
inline QString dataPath(const QString &name)
{
    return QStringLiteral(PADLAB_TEST_DATA "/") + name;
}

/// @brief Element (row, col, channel) of any depth, as a double.
inline double element(const cv::Mat &m, int row, int col, int channel = 0)
{
    const int cn = m.channels();
    switch (m.depth()) {
    case CV_8U: return m.ptr<uchar>(row)[col * cn + channel];
    case CV_8S: return m.ptr<schar>(row)[col * cn + channel];
    case CV_16U: return m.ptr<ushort>(row)[col * cn + channel];
    case CV_16S: return m.ptr<short>(row)[col * cn + channel];
    case CV_32S: return m.ptr<int>(row)[col * cn + channel];
    case CV_32F: return m.ptr<float>(row)[col * cn + channel];
    case CV_64F: return m.ptr<double>(row)[col * cn + channel];
    default: throw std::invalid_argument("unsupported depth");
    }
}

/// @brief A matrix written out row by row; cells of several channels as `(c0 c1 c2)`.
inline QString matText(const cv::Mat &m)
{
    if (m.empty())
        return QStringLiteral("[] (%1x%2)").arg(m.rows).arg(m.cols);
    QString text = QStringLiteral("%1x%2x%3 depth %4\n")
                       .arg(m.rows)
                       .arg(m.cols)
                       .arg(m.channels())
                       .arg(m.depth());
    for (int r = 0; r < m.rows; ++r) {
        QStringList cells;
        for (int c = 0; c < m.cols; ++c) {
            QStringList parts;
            for (int ch = 0; ch < m.channels(); ++ch)
                parts << QString::number(element(m, r, c, ch), 'g', 10);
            cells << (m.channels() > 1 ? QLatin1Char('(') + parts.join(QLatin1Char(' ')) + QLatin1Char(')')
                                       : parts.first());
        }
        text += QStringLiteral("  [") + cells.join(QStringLiteral(", ")) + QStringLiteral("]\n");
    }
    return text;
}

/// @brief Largest absolute value over all cells and channels (0 for an empty matrix).
inline double maxAbs(const cv::Mat &m)
{
    double best = 0;
    for (int r = 0; r < m.rows; ++r)
        for (int c = 0; c < m.cols; ++c)
            for (int ch = 0; ch < m.channels(); ++ch)
                best = std::max(best, std::abs(element(m, r, c, ch)));
    return best;
}

/// @brief Compares shape, channel count and every value; cells may differ by
/// @p tolerance * max(1, largest |expected|). On a mismatch @p why receives both matrices and
/// the first differing cell.
inline bool matNear(const cv::Mat &actual, const cv::Mat &expected, double tolerance, QString *why)
{
    auto fail = [&](const QString &what) {
        *why = what + QStringLiteral("\nactual:   ") + matText(actual)
               + QStringLiteral("\nexpected: ") + matText(expected);
        return false;
    };
    if (actual.rows != expected.rows || actual.cols != expected.cols)
        return fail(QStringLiteral("sizes differ"));
    if (actual.channels() != expected.channels())
        return fail(QStringLiteral("channel counts differ"));
    const double scale = tolerance * std::max(1.0, maxAbs(expected));
    for (int r = 0; r < actual.rows; ++r)
        for (int c = 0; c < actual.cols; ++c)
            for (int ch = 0; ch < actual.channels(); ++ch) {
                const double a = element(actual, r, c, ch);
                const double e = element(expected, r, c, ch);
                const bool same = (std::isnan(a) && std::isnan(e)) || a == e;
                if (!same && !(std::abs(a - e) <= scale))
                    return fail(QStringLiteral("cell (%1, %2) channel %3: %4 != %5")
                                    .arg(r)
                                    .arg(c)
                                    .arg(ch)
                                    .arg(a, 0, 'g', 17)
                                    .arg(e, 0, 'g', 17));
            }
    return true;
}

/// @brief Shape and channels equal, values equal within @p tolerance (0: exact).
#define PADLAB_COMPARE_MAT(actual, expected, tolerance)                                        \
    do {                                                                                       \
        QString padlabWhy_;                                                                    \
        QVERIFY2(::padlab::test::matNear((actual), (expected), (tolerance), &padlabWhy_),      \
                 qPrintable(padlabWhy_));                                                      \
    } while (false)

/// @brief A CV_64F matrix from a JSON array of rows (or one flat row); `[]` gives an empty Mat.
inline cv::Mat jsonToMat(const QJsonValue &value)
{
    const QJsonArray rows = value.toArray();
    if (rows.isEmpty())
        return {};
    if (!rows.first().isArray()) {
        cv::Mat m(1, int(rows.size()), CV_64F);
        for (int c = 0; c < rows.size(); ++c)
            m.at<double>(0, c) = rows.at(c).toDouble();
        return m;
    }
    const int cols = int(rows.first().toArray().size());
    cv::Mat m(int(rows.size()), cols, CV_64F);
    for (int r = 0; r < rows.size(); ++r) {
        const QJsonArray row = rows.at(r).toArray();
        if (row.size() != cols)
            throw std::runtime_error("ragged JSON matrix");
        for (int c = 0; c < cols; ++c)
            m.at<double>(r, c) = row.at(c).toDouble();
    }
    return m;
}

/// @brief A JSON document from tests/data; fails loudly when it is missing or malformed.
inline QJsonDocument loadJson(const QString &name)
{
    QFile file(dataPath(name));
    if (!file.open(QIODevice::ReadOnly))
        throw std::runtime_error(("cannot open " + dataPath(name)).toStdString());
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError)
        throw std::runtime_error(("bad JSON in " + name + ": " + error.errorString()).toStdString());
    return doc;
}

/// @brief The fill a reference file names; independent of the engine's own parser.
inline core::Fill fillFromName(const QString &name)
{
    static const std::vector<std::pair<QString, core::Fill>> names = {
        {QStringLiteral("zeros"), core::Fill::Zeros},
        {QStringLiteral("constant"), core::Fill::Constant},
        {QStringLiteral("reflect"), core::Fill::Reflect},
        {QStringLiteral("symmetric"), core::Fill::Symmetric},
        {QStringLiteral("replicate"), core::Fill::Replicate},
        {QStringLiteral("circular"), core::Fill::Circular},
    };
    for (const auto &[text, fill] : names)
        if (text == name)
            return fill;
    throw std::runtime_error(("unknown fill " + name).toStdString());
}

/// @brief One case of padconv_cases.json (numpy.pad + torch conv2d results).
struct ReferenceCase {
    QString name;
    cv::Mat input;
    cv::Mat kernel;
    core::ConvSpec spec;
    core::Sides sides;
    cv::Mat padded;
    cv::Mat output; ///< empty when the window does not fit
};

inline std::vector<ReferenceCase> referenceCases()
{
    const QJsonObject root = loadJson(QStringLiteral("padconv_cases.json")).object();
    std::vector<ReferenceCase> cases;
    for (const QJsonValue &value : root.value(QStringLiteral("cases")).toArray()) {
        const QJsonObject o = value.toObject();
        ReferenceCase c;
        c.name = o.value(QStringLiteral("name")).toString();
        c.input = jsonToMat(o.value(QStringLiteral("input")));
        c.kernel = jsonToMat(o.value(QStringLiteral("kernel")));
        c.padded = jsonToMat(o.value(QStringLiteral("padded")));
        c.output = jsonToMat(o.value(QStringLiteral("output")));
        const QJsonArray stride = o.value(QStringLiteral("stride")).toArray();
        const QJsonArray dilation = o.value(QStringLiteral("dilation")).toArray();
        c.spec.stride = {stride.at(0).toInt(), stride.at(1).toInt()};
        c.spec.dilation = {dilation.at(0).toInt(), dilation.at(1).toInt()};
        c.spec.fill = fillFromName(o.value(QStringLiteral("fill")).toString());
        c.spec.value = o.value(QStringLiteral("value")).toDouble();
        c.spec.operation = o.value(QStringLiteral("op")).toString() == QLatin1String("convolution")
                               ? core::Operation::Convolution
                               : core::Operation::Correlation;
        const QJsonValue padValue = o.value(QStringLiteral("pad"));
        if (padValue.isArray()) {
            const QJsonArray p = padValue.toArray();
            c.spec.amount.kind = core::Amount::Explicit;
            c.spec.amount.sides = {p.at(0).toInt(), p.at(1).toInt(), p.at(2).toInt(), p.at(3).toInt()};
        } else {
            const QString word = padValue.toString();
            c.spec.amount.kind = word == QLatin1String("same")     ? core::Amount::Same
                                 : word == QLatin1String("full")   ? core::Amount::Full
                                 : word == QLatin1String("causal") ? core::Amount::Causal
                                                                   : core::Amount::Valid;
            if (word != QLatin1String("valid") && c.spec.amount.kind == core::Amount::Valid)
                throw std::runtime_error(("unknown pad " + word).toStdString());
        }
        const QJsonObject s = o.value(QStringLiteral("sides")).toObject();
        c.sides = {s.value(QStringLiteral("top")).toInt(), s.value(QStringLiteral("bottom")).toInt(),
                   s.value(QStringLiteral("left")).toInt(), s.value(QStringLiteral("right")).toInt()};
        cases.push_back(c);
    }
    if (cases.empty())
        throw std::runtime_error("padconv_cases.json holds no cases");
    return cases;
}

/// @brief A deterministic random matrix with values in [low, high).
inline cv::Mat randomMat(int rows, int cols, int type, double low, double high, uint64_t seed)
{
    cv::Mat m(rows, cols, type);
    cv::RNG rng(seed);
    rng.fill(m, cv::RNG::UNIFORM, cv::Scalar::all(low), cv::Scalar::all(high));
    return m;
}

} // namespace padlab::test

namespace padlab::core {

// Found by QCOMPARE through argument-dependent lookup, so failures print the values.
inline char *toString(const Sides &s)
{
    return qstrdup(QStringLiteral("Sides{top %1, bottom %2, left %3, right %4}")
                       .arg(s.top)
                       .arg(s.bottom)
                       .arg(s.left)
                       .arg(s.right)
                       .toUtf8()
                       .constData());
}

inline char *toString(const PerAxis &p)
{
    return qstrdup(QStringLiteral("%1x%2").arg(p.rows).arg(p.cols).toUtf8().constData());
}

} // namespace padlab::core

Q_DECLARE_METATYPE(cv::Mat)
Q_DECLARE_METATYPE(padlab::core::Fill)
Q_DECLARE_METATYPE(padlab::core::Sides)
Q_DECLARE_METATYPE(padlab::core::ConvSpec)
Q_DECLARE_METATYPE(padlab::core::PerAxis)
Q_DECLARE_METATYPE(padlab::core::PadAmount)

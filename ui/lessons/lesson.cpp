#include "lesson.h"
#include "sizetext.h"

#include "matimage.h"
#include "npyinput.h"
#include "viewport.h"

#include "padlab/core/csv.h"
#include "padlab/core/error.h"
#include "padlab/core/files.h"
#include "padlab/core/fill.h"
#include "padlab/core/image.h"
#include "padlab/core/layers.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

#include <opencv2/core.hpp>

#include <algorithm>
#include <cmath>
#include <memory>
#include <utility>

namespace padlab::ui {

namespace {

// What the window can show: it clamps zoom and text size to the same ranges.
constexpr double kMinCellSize = Viewport::kMinCellSize;
constexpr double kMaxCellSize = Viewport::kMaxCellSize;
constexpr double kMinFontScale = Look::kMinFontScale;
constexpr double kMaxFontScale = Look::kMaxFontScale;
// Rings are drawn around cells of an input the engine accepts; nothing larger is worth keeping.
constexpr int kMaxRingCells = 1 << 20;

template <typename T> struct Name {
    T value;
    const char *text;
};

constexpr Name<Session::Channel> kChannels[] = {
    {Session::Channel::Gray, "gray"},
    {Session::Channel::Red, "red"},
    {Session::Channel::Green, "green"},
    {Session::Channel::Blue, "blue"},
};

constexpr Name<OutputScale> kOutputScales[] = {
    {OutputScale::Diverging, "diverging"},
    {OutputScale::Absolute, "absolute"},
    {OutputScale::Clip, "clip"},
    {OutputScale::Stretch, "stretch"},
};

constexpr Name<Panel> kPanelNames[] = {
    {Panel::Input, "input"},
    {Panel::Padded, "padded"},
    {Panel::Window, "window"},
    {Panel::Output, "output"},
};

constexpr Name<Session::View> kViews[] = {
    {Session::View::Window, "window"},
    {Session::View::Signal, "signal"},
    {Session::View::Compare, "compare"},
    {Session::View::Stages, "stages"},
    {Session::View::Layers, "layers"},
    {Session::View::Channels, "channels"},
    {Session::View::Pool, "pool"},
    {Session::View::Transposed, "transposed"},
    {Session::View::Volume, "volume"},
};

constexpr Name<FilterBank> kFilterBanks[] = {
    {FilterBank::Edges, "edges"},
    {FilterBank::Identity, "identity"},
    {FilterBank::Blur, "blur"},
    {FilterBank::Kernel, "kernel"},
    {FilterBank::Custom, "custom"},
};

constexpr Name<VolumeSource> kVolumeSources[] = {
    {VolumeSource::Numbered, "numbered"},
    {VolumeSource::Sphere, "sphere"},
    {VolumeSource::Custom, "custom"},
};

constexpr Name<VolumeKernel> kVolumeKernels[] = {
    {VolumeKernel::Box, "box"},
    {VolumeKernel::Stacked, "stacked"},
    {VolumeKernel::Custom, "custom"},
};

/// The amounts the Volume view offers.
constexpr Name<core::Amount> kVolumeAmounts[] = {
    {core::Amount::Valid, "valid"},
    {core::Amount::Same, "same"},
    {core::Amount::Full, "full"},
    {core::Amount::Explicit, "explicit"},
};

// A custom filter bank, its bias and groups: far more than a view can draw, few enough that
// reading them costs nothing (every weight is a JSON number in a file of at most
// core::kMaxLessonBytes anyway).
constexpr int kMaxBankWeights = 1 << 20;
constexpr int kMaxGroups = 4096;
// Pads, strides and dilations of the Volume view: more than its spin boxes offer.
constexpr int kMaxVolumeStep = 64;

constexpr Name<Session::CompareBy> kCompareBy[] = {
    {Session::CompareBy::Fill, "fill"},
    {Session::CompareBy::Amount, "amount"},
};

constexpr Name<Session::PlotStyle> kPlotStyles[] = {
    {Session::PlotStyle::Stem, "stem"},
    {Session::PlotStyle::Line, "line"},
};

constexpr Name<SignalFilters> kSignalFilters[] = {
    {SignalFilters::Sum, "sum"},
    {SignalFilters::Depthwise, "depthwise"},
};

constexpr Name<core::Operation> kOperations[] = {
    {core::Operation::Correlation, "correlation"},
    {core::Operation::Convolution, "convolution"},
};

template <typename T, std::size_t N> QString nameOf(const Name<T> (&names)[N], T value)
{
    for (const Name<T> &name : names)
        if (name.value == value)
            return QString::fromLatin1(name.text);
    return {};
}

template <typename T, std::size_t N>
std::optional<T> valueOf(const Name<T> (&names)[N], const QJsonValue &json)
{
    for (const Name<T> &name : names)
        if (json.toString() == QLatin1String(name.text))
            return name.value;
    return std::nullopt;
}

template <typename T, std::size_t N> QString choices(const Name<T> (&names)[N])
{
    QStringList list;
    for (const Name<T> &name : names)
        list << QString::fromLatin1(name.text);
    return list.join(QStringLiteral(", "));
}

QString fillChoices()
{
    QStringList list;
    for (core::Fill fill : core::allFills()) {
        const std::string_view name = core::fillName(fill);
        list << QString::fromUtf8(name.data(), qsizetype(name.size()));
    }
    return list.join(QStringLiteral(", "));
}

QJsonArray rowsToJson(const cv::Mat &matrix)
{
    cv::Mat values;
    matrix.convertTo(values, CV_64F);
    QJsonArray rows;
    for (int r = 0; r < values.rows; ++r) {
        QJsonArray row;
        for (int c = 0; c < values.cols; ++c)
            row.append(values.at<double>(r, c));
        rows.append(row);
    }
    return rows;
}

/// Values a PNG keeps exactly: whole numbers 0..255, as images and samples have.
bool fitsInBytes(const cv::Mat &matrix)
{
    if (matrix.depth() == CV_8U)
        return true;
    if (matrix.depth() != CV_32F)
        return false;
    const cv::Mat flat = matrix.reshape(1);
    for (int r = 0; r < flat.rows; ++r) {
        const float *row = flat.ptr<float>(r);
        for (int c = 0; c < flat.cols; ++c)
            if (!(row[c] >= 0 && row[c] <= 255 && std::floor(row[c]) == row[c]))
                return false;
    }
    return true;
}

QString pngBase64(const cv::Mat &matrix)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    imageFromMat(matrix).save(&buffer, "PNG");
    return QString::fromLatin1(bytes.toBase64());
}

QJsonArray pair(int first, int second)
{
    return QJsonArray{first, second};
}

/// Reads the fields of a lesson object, collecting one message per malformed field.
class Reader {
public:
    QStringList errors;
    bool allowOutside = false;
    QString outside; ///< input.path as written, when it leads outside the lesson's folder

    void fail(const QString &key, const QString &what)
    {
        errors << key + QStringLiteral(": ") + what;
    }

    static std::optional<int> wholeNumber(const QJsonValue &value, int minimum)
    {
        if (!value.isDouble())
            return std::nullopt;
        const double number = value.toDouble();
        if (std::floor(number) != number || number < minimum || number > 1e9)
            return std::nullopt;
        return int(number);
    }

    std::optional<std::pair<int, int>> wholePair(const QJsonObject &object, const QString &key,
                                                 int minimum)
    {
        const QJsonArray array = object.value(key).toArray();
        const auto first = wholeNumber(array.at(0), minimum);
        const auto second = wholeNumber(array.at(1), minimum);
        if (!object.value(key).isArray() || array.size() != 2 || !first || !second) {
            fail(key, QStringLiteral("expected two whole numbers >= %1").arg(minimum));
            return std::nullopt;
        }
        return std::make_pair(*first, *second);
    }

    /// @p count whole numbers from @p minimum to @p maximum.
    std::optional<std::vector<int>> wholeList(const QJsonValue &value, const QString &key, int count, int minimum,
                                              int maximum)
    {
        const QJsonArray array = value.toArray();
        std::vector<int> list;
        bool ok = value.isArray() && array.size() == count;
        for (qsizetype i = 0; ok && i < array.size(); ++i) {
            const auto n = wholeNumber(array.at(i), minimum);
            ok = n && *n <= maximum;
            if (ok)
                list.push_back(*n);
        }
        if (!ok) {
            fail(key, QStringLiteral("expected %1 whole numbers from %2 to %3").arg(count).arg(minimum).arg(maximum));
            return std::nullopt;
        }
        return list;
    }

    /// A shape of @p rank axes, each >= 1, of at most @p maxCells cells in all. The product is
    /// checked axis by axis, so it stays far from overflowing whatever the file says.
    std::optional<std::vector<int>> shape(const QJsonValue &value, const QString &key, int rank, long long maxCells)
    {
        const QJsonArray array = value.toArray();
        std::vector<int> dims;
        long long cells = 1;
        bool ok = value.isArray() && array.size() == rank;
        for (qsizetype i = 0; ok && i < array.size(); ++i) {
            const auto n = wholeNumber(array.at(i), 1);
            ok = n && (cells *= *n) <= maxCells;
            if (ok)
                dims.push_back(*n);
        }
        if (!ok) {
            fail(key, QStringLiteral("expected %1 whole numbers >= 1 with at most %2 cells in all")
                          .arg(rank)
                          .arg(maxCells));
            return std::nullopt;
        }
        return dims;
    }

    /// Finite numbers: exactly @p count of them, or when @p count < 0 at most @p maximum.
    std::optional<std::vector<double>> numbers(const QJsonValue &value, const QString &key, long long count,
                                               long long maximum)
    {
        const QJsonArray array = value.toArray();
        if (!value.isArray() || (count >= 0 ? array.size() != count : array.size() > maximum)) {
            fail(key, count >= 0 ? QStringLiteral("expected a list of %1 numbers (one per cell of the shape)").arg(count)
                                 : QStringLiteral("expected a list of at most %1 numbers").arg(maximum));
            return std::nullopt;
        }
        std::vector<double> list;
        list.reserve(size_t(array.size()));
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QJsonValue item = array.at(i);
            if (!item.isDouble() || !std::isfinite(item.toDouble())) {
                fail(key, QStringLiteral("item %1 is not a number").arg(i + 1));
                return std::nullopt;
            }
            list.push_back(item.toDouble());
        }
        return list;
    }

    /// A shape (@p shapeKey) and its values in C order (@p valuesKey), which come together;
    /// required when @p needed (@p what needs them).
    void shapedValues(const QJsonObject &object, const QString &prefix, const QString &shapeKey,
                      const QString &valuesKey, int rank, long long maxCells, bool needed, const QString &what,
                      std::vector<int> &shapeOut, std::vector<double> &valuesOut)
    {
        const bool hasShape = object.contains(shapeKey);
        if (hasShape != object.contains(valuesKey)) {
            fail(prefix + (hasShape ? valuesKey : shapeKey),
                 QStringLiteral("missing (%1 and %2 come together)").arg(shapeKey, valuesKey));
            return;
        }
        if (!hasShape) {
            if (needed)
                fail(prefix + shapeKey, QStringLiteral("missing (%1 needs %2 and %3)").arg(what, shapeKey, valuesKey));
            return;
        }
        const auto dims = shape(object.value(shapeKey), prefix + shapeKey, rank, maxCells);
        if (!dims)
            return;
        long long cells = 1;
        for (int n : *dims)
            cells *= n;
        if (const auto values = numbers(object.value(valuesKey), prefix + valuesKey, cells, maxCells)) {
            shapeOut = *dims;
            valuesOut = *values;
        }
    }

    std::optional<cv::Mat> rows(const QJsonValue &value, const QString &key)
    {
        const QString expected = QStringLiteral(
            "expected a non-empty array of rows, each an array of the same count of numbers");
        const QJsonArray rows = value.toArray();
        if (!value.isArray() || rows.isEmpty() || !rows.first().isArray()
            || rows.first().toArray().isEmpty()) {
            fail(key, expected);
            return std::nullopt;
        }
        const qsizetype cols = rows.first().toArray().size();
        cv::Mat matrix(int(rows.size()), int(cols), CV_64F);
        for (int r = 0; r < matrix.rows; ++r) {
            const QJsonArray row = rows.at(r).toArray();
            if (!rows.at(r).isArray() || row.size() != cols) {
                fail(key, expected);
                return std::nullopt;
            }
            for (int c = 0; c < matrix.cols; ++c) {
                if (!row.at(c).isDouble()) {
                    fail(key,
                         QStringLiteral("row %1, column %2 is not a number").arg(r + 1).arg(c + 1));
                    return std::nullopt;
                }
                matrix.at<double>(r, c) = row.at(c).toDouble();
            }
        }
        return matrix;
    }

    std::optional<QString> text(const QJsonObject &object, const QString &key,
                                const QString &prefix = {})
    {
        if (!object.contains(key))
            return QString();
        if (!object.value(key).isString()) {
            fail(prefix + key, QStringLiteral("expected text"));
            return std::nullopt;
        }
        return object.value(key).toString();
    }

    std::optional<double> number(const QJsonObject &object, const QString &key,
                                 const QString &prefix, double minimum, double maximum)
    {
        const QJsonValue value = object.value(key);
        const double number = value.toDouble();
        if (!value.isDouble() || !(number >= minimum && number <= maximum)) {
            fail(prefix + key,
                 QStringLiteral("expected a number from %1 to %2").arg(minimum).arg(maximum));
            return std::nullopt;
        }
        return number;
    }

    void input(const QJsonObject &object, const QDir &folder, Lesson &lesson)
    {
        const QJsonValue value = object.value(QStringLiteral("input"));
        if (!value.isObject()) {
            fail(QStringLiteral("input"),
                 value.isUndefined() ? QStringLiteral("missing")
                                     : QStringLiteral("expected an object"));
            return;
        }
        const QJsonObject input = value.toObject();
        if (const auto name = text(input, QStringLiteral("name"), QStringLiteral("input.")))
            lesson.inputName = *name;
        int sources = 0;
        for (const char *key : {"path", "png", "matrix", "channels"})
            sources += input.contains(QLatin1String(key)) ? 1 : 0;
        if (sources != 1) {
            fail(QStringLiteral("input"),
                 QStringLiteral("expected exactly one of path, png, matrix or channels"));
            return;
        }
        if (input.contains(QStringLiteral("path"))) {
            const QString path = input.value(QStringLiteral("path")).toString();
            if (path.isEmpty()) {
                fail(QStringLiteral("input.path"), QStringLiteral("expected a file name"));
                return;
            }
            // A lesson is data: it reads a file of its own folder, found without looking at
            // anything outside it, unless the user allowed more. The refusal says nothing
            // about the file it names, not even whether it exists.
            const auto inside = QDir::isAbsolutePath(path)
                ? std::nullopt
                : core::pathInside(QFile::encodeName(folder.absolutePath()).toStdString(),
                                   QFile::encodeName(path).toStdString());
            if (!inside && !allowOutside) {
                outside = path;
                fail(QStringLiteral("input.path"),
                     QStringLiteral("'%1' lies outside the lesson's folder, and a lesson reads only "
                                    "files in its own folder (allow it with --allow-outside-paths)")
                         .arg(path));
                return;
            }
            const QString resolved = inside ? QFile::decodeName(QByteArray::fromStdString(*inside))
                                            : QDir::cleanPath(folder.absoluteFilePath(path));
            if (!QFileInfo(resolved).isFile()) {
                fail(QStringLiteral("input.path"),
                     QStringLiteral("no such file: %1").arg(QDir::toNativeSeparators(resolved)));
                return;
            }
            // The same loading as opening the file in the window, so the lesson shows the same;
            // messages never repeat what the file holds.
            try {
                const std::string file = QFile::encodeName(resolved).toStdString();
                if (isNpyPath(resolved)) {
                    const NpyInput npy = readNpyInput(file, core::kMaxImageFileBytes);
                    lesson.input = npy.values;
                    lesson.tensor = npy.tensor;
                } else {
                    lesson.input = isCsv(resolved) ? core::readCsvFile(file, false)
                                                   : core::readImage(file, core::ImageMode::Color);
                }
            } catch (const core::Error &e) {
                fail(QStringLiteral("input.path"), QString::fromStdString(e.what()));
                return;
            }
            lesson.inputPath = resolved;
            lesson.sourcePath = resolved;
            if (lesson.inputName.isEmpty())
                lesson.inputName = QFileInfo(resolved).fileName();
        } else if (input.contains(QStringLiteral("png"))) {
            const auto decoded = QByteArray::fromBase64Encoding(
                input.value(QStringLiteral("png")).toString().toLatin1(),
                QByteArray::AbortOnBase64DecodingErrors);
            QImage image;
            if (!input.value(QStringLiteral("png")).isString() || !decoded
                || !image.loadFromData(*decoded, "PNG")) {
                fail(QStringLiteral("input.png"),
                     QStringLiteral("expected a base64-encoded PNG image"));
                return;
            }
            lesson.input = matFromImage(image, image.format() != QImage::Format_Grayscale8);
        } else if (input.contains(QStringLiteral("channels"))) {
            tensorChannels(input.value(QStringLiteral("channels")), lesson);
        } else if (const auto matrix
                   = rows(input.value(QStringLiteral("matrix")), QStringLiteral("input.matrix"))) {
            // float32 inputs (images with fractional values) keep their type: every float
            // is a double, so the conversion back is exact.
            const QJsonValue depth = input.value(QStringLiteral("depth"));
            if (depth.toString() == QLatin1String("float32"))
                matrix->convertTo(lesson.input, CV_32F);
            else if (depth.isUndefined() || depth.toString() == QLatin1String("float64"))
                lesson.input = *matrix;
            else
                fail(QStringLiteral("input.depth"), QStringLiteral("expected float32 or float64"));
        }
    }

    /// "channels": the planes of a (C, H, W) array, each as "matrix" is written, all of one size.
    void tensorChannels(const QJsonValue &value, Lesson &lesson)
    {
        const QString key = QStringLiteral("input.channels");
        const QJsonArray planes = value.toArray();
        if (!value.isArray() || planes.isEmpty() || planes.size() > kMaxInputChannels) {
            fail(key, QStringLiteral("expected a list of 1 to %1 matrices").arg(kMaxInputChannels));
            return;
        }
        std::vector<cv::Mat> read;
        for (qsizetype c = 0; c < planes.size(); ++c) {
            const auto plane = rows(planes.at(c), QStringLiteral("%1[%2]").arg(key).arg(c));
            if (!plane)
                return;
            if (!read.empty() && plane->size != read.front().size) {
                fail(QStringLiteral("%1[%2]").arg(key).arg(c),
                     QStringLiteral("expected %1 like channel 0").arg(sizeText(read.front().rows, read.front().cols)));
                return;
            }
            read.push_back(*plane);
        }
        cv::merge(read, lesson.input);
        lesson.tensor = true;
    }

    static bool isCsv(const QString &path)
    {
        return QFileInfo(path).suffix().compare(QLatin1String("csv"), Qt::CaseInsensitive) == 0;
    }

    void amount(const QJsonObject &object, core::PadAmount &amount)
    {
        const QString key = QStringLiteral("amount");
        if (!object.contains(key))
            return;
        const QJsonValue value = object.value(key);
        const QString expected
            = QStringLiteral("expected valid, same, full, causal or four whole numbers >= 0 "
                             "[top, bottom, left, right]");
        if (value.isString()) {
            try {
                amount = core::parsePadAmount(value.toString().toStdString());
            } catch (const core::Error &) {
                fail(key, expected);
            }
            return;
        }
        const QJsonArray sides = value.toArray();
        std::optional<int> numbers[4];
        bool ok = value.isArray() && sides.size() == 4;
        for (int i = 0; ok && i < 4; ++i)
            ok = (numbers[i] = wholeNumber(sides.at(i), 0)).has_value();
        if (!ok) {
            fail(key, expected);
            return;
        }
        amount.kind = core::Amount::Explicit;
        amount.sides = {*numbers[0], *numbers[1], *numbers[2], *numbers[3]};
    }

    void display(const QJsonObject &object, LessonDisplay &display)
    {
        const QString key = QStringLiteral("display");
        if (!object.contains(key))
            return;
        if (!object.value(key).isObject()) {
            fail(key, QStringLiteral("expected an object"));
            return;
        }
        const QJsonObject options = object.value(key).toObject();
        const QString prefix = key + QLatin1Char('.');
        if (options.contains(QStringLiteral("outputScale"))) {
            if (const auto scale
                = valueOf(kOutputScales, options.value(QStringLiteral("outputScale"))))
                display.look.outputScale = *scale;
            else
                fail(prefix + QStringLiteral("outputScale"),
                     QStringLiteral("expected one of %1").arg(choices(kOutputScales)));
        }
        if (options.contains(QStringLiteral("fontScale")))
            if (const auto scale = number(options, QStringLiteral("fontScale"), prefix,
                                          kMinFontScale, kMaxFontScale))
                display.look.fontScale = *scale;
        if (options.contains(QStringLiteral("paddingStrength")))
            if (const auto strength = number(options, QStringLiteral("paddingStrength"), prefix, 0, 1))
                display.look.paddingStrength = *strength;
        if (options.contains(QStringLiteral("clipOutliers"))) {
            const QJsonValue clip = options.value(QStringLiteral("clipOutliers"));
            if (clip.isBool())
                display.look.clipOutliers = clip.toBool();
            else
                fail(prefix + QStringLiteral("clipOutliers"), QStringLiteral("expected true or false"));
        }
        rings(options, prefix, display);
        const QJsonValue cellSize = options.value(QStringLiteral("cellSize"));
        const double size = cellSize.toDouble();
        if (cellSize.toString() == QLatin1String("fit"))
            display.cellSize = 0;
        else if (cellSize.isDouble() && size >= kMinCellSize && size <= kMaxCellSize)
            display.cellSize = size;
        else if (!cellSize.isUndefined())
            fail(prefix + QStringLiteral("cellSize"),
                 QStringLiteral("expected \"fit\" or a number from %1 to %2")
                     .arg(kMinCellSize)
                     .arg(kMaxCellSize));
    }

    /// "rings": [{"panel": "padded", "cells": [top, left, rows, cols]}, ...]
    void rings(const QJsonObject &options, const QString &prefix, LessonDisplay &display)
    {
        const QString key = prefix + QStringLiteral("rings");
        const QJsonValue value = options.value(QStringLiteral("rings"));
        if (value.isUndefined())
            return;
        const QJsonArray rings = value.toArray();
        if (!value.isArray() || rings.size() > LessonDisplay::kMaxRings) {
            fail(key, QStringLiteral("expected a list of at most %1 rings").arg(LessonDisplay::kMaxRings));
            return;
        }
        const QString expected = QStringLiteral(
            "expected {\"panel\": input, padded, window or output, \"cells\": [top, left, rows, cols]} "
            "with whole numbers, rows and cols >= 1");
        for (qsizetype i = 0; i < rings.size(); ++i) {
            const QJsonObject ring = rings.at(i).toObject();
            const auto panel = valueOf(kPanelNames, ring.value(QStringLiteral("panel")));
            const QJsonArray cells = ring.value(QStringLiteral("cells")).toArray();
            std::optional<int> numbers[4];
            bool ok = rings.at(i).isObject() && panel && cells.size() == 4;
            for (int n = 0; ok && n < 4; ++n)
                ok = (numbers[n] = wholeNumber(cells.at(n), n < 2 ? 0 : 1)).has_value()
                     && *numbers[n] <= kMaxRingCells;
            if (!ok) {
                fail(QStringLiteral("%1[%2]").arg(key).arg(i), expected);
                return;
            }
            display.rings.push_back({*panel, QRect(*numbers[1], *numbers[0], *numbers[3], *numbers[2])});
        }
    }

    template <typename T, std::size_t N>
    void choice(const QJsonObject &options, const char *key, const QString &prefix,
                const Name<T> (&names)[N], T &target)
    {
        const QString name = QString::fromLatin1(key);
        if (!options.contains(name))
            return;
        if (const auto value = valueOf(names, options.value(name)))
            target = *value;
        else
            fail(prefix + name, QStringLiteral("expected one of %1").arg(choices(names)));
    }

    /// The Pooling view's settings: {op, size, stride, dilation, pad, ceil, countPad, rule, both}.
    void pool(const QJsonValue &value, const QString &key, LessonView &view)
    {
        if (!value.isObject()) {
            fail(key, QStringLiteral("expected an object"));
            return;
        }
        const QJsonObject o = value.toObject();
        core::PoolSpec spec = view.pool;
        const QString op = o.value(QStringLiteral("op")).toString(QStringLiteral("max"));
        if (const auto parsed = core::parsePoolOp(op.toStdString()))
            spec.op = *parsed;
        else
            fail(key + QStringLiteral(".op"), QStringLiteral("expected max or avg"));
        for (const auto &[name, target] : {std::pair<const char *, std::vector<int> *>{"size", &spec.window},
                                          {"stride", &spec.stride}, {"dilation", &spec.dilation}}) {
            if (!o.contains(QLatin1String(name)))
                continue;
            const auto n = wholeNumber(o.value(QLatin1String(name)), 1);
            if (n && *n <= 99)
                *target = {*n};
            else
                fail(key + QLatin1Char('.') + QLatin1String(name), QStringLiteral("expected a whole number from 1 to 99"));
        }
        if (o.contains(QStringLiteral("pad"))) {
            try {
                const core::TensorPadAmount amount = core::parseTensorPadAmount(o.value(QStringLiteral("pad")).toString().toStdString());
                if (amount.kind == core::Amount::Full || amount.kind == core::Amount::Causal
                    || (amount.kind == core::Amount::Explicit && amount.values.size() != 4))
                    fail(key + QStringLiteral(".pad"), QStringLiteral("expected valid, same or top,bottom,left,right"));
                else
                    spec.amount = amount;
            } catch (const std::exception &e) {
                fail(key + QStringLiteral(".pad"), QString::fromStdString(e.what()));
            }
        }
        spec.ceil = o.value(QStringLiteral("ceil")).toBool(false) && spec.amount.kind == core::Amount::Explicit;
        const QString count = o.value(QStringLiteral("countPad")).toString(QStringLiteral("default"));
        if (count == QLatin1String("default"))
            spec.countPadding.reset();
        else if (count == QLatin1String("include") || count == QLatin1String("exclude"))
            spec.countPadding = count == QLatin1String("include");
        else
            fail(key + QStringLiteral(".countPad"), QStringLiteral("expected default, include or exclude"));
        const QString rule = o.value(QStringLiteral("rule")).toString(QStringLiteral("pytorch"));
        if (rule == QLatin1String("pytorch") || rule == QLatin1String("tensorflow"))
            view.poolRule = rule == QLatin1String("pytorch") ? PoolRule::PyTorch : PoolRule::TensorFlow;
        else
            fail(key + QStringLiteral(".rule"), QStringLiteral("expected pytorch or tensorflow"));
        view.poolBoth = o.value(QStringLiteral("both")).toBool(false);
        view.pool = spec;
    }

    void view(const QJsonObject &object, LessonView &view)
    {
        const QString key = QStringLiteral("view");
        if (!object.contains(key))
            return;
        if (!object.value(key).isObject()) {
            fail(key, QStringLiteral("expected an object"));
            return;
        }
        const QJsonObject options = object.value(key).toObject();
        const QString prefix = key + QLatin1Char('.');
        choice(options, "name", prefix, kViews, view.view);
        choice(options, "compareBy", prefix, kCompareBy, view.compareBy);
        choice(options, "plot", prefix, kPlotStyles, view.plotStyle);
        choice(options, "signalFilters", prefix, kSignalFilters, view.signalFilters);
        if (options.contains(QStringLiteral("signalBias"))) {
            // None, one value for every filter, or one per filter (at most one per channel).
            const QJsonValue value = options.value(QStringLiteral("signalBias"));
            std::vector<double> bias;
            bool ok = value.isArray() && value.toArray().size() <= SignalSet::kMaxChannels;
            for (const QJsonValue &item : value.toArray()) {
                ok = ok && item.isDouble() && std::isfinite(item.toDouble());
                bias.push_back(item.toDouble());
            }
            if (ok)
                view.signalBias = bias;
            else
                fail(prefix + QStringLiteral("signalBias"),
                     QStringLiteral("expected a list of at most %1 numbers").arg(SignalSet::kMaxChannels));
        }
        if (options.contains(QStringLiteral("compareReference"))) {
            const auto index = wholeNumber(options.value(QStringLiteral("compareReference")), 0);
            const int count = view.compareBy == Session::CompareBy::Fill ? 6 : 5;
            if (index && *index < count)
                view.compareReference = *index;
            else
                fail(prefix + QStringLiteral("compareReference"),
                     QStringLiteral("expected a whole number from 0 to %1").arg(count - 1));
        }
        if (options.contains(QStringLiteral("stages"))) {
            const auto count = wholeNumber(options.value(QStringLiteral("stages")), 1);
            if (count && *count <= Session::kMaxStages)
                view.stageCount = *count;
            else
                fail(prefix + QStringLiteral("stages"),
                     QStringLiteral("expected a whole number from 1 to %1").arg(Session::kMaxStages));
        }
        if (options.contains(QStringLiteral("pool")))
            pool(options.value(QStringLiteral("pool")), prefix + QStringLiteral("pool"), view);
        if (options.contains(QStringLiteral("layers"))) {
            const QJsonObject layers = options.value(QStringLiteral("layers")).toObject();
            const QString layersKey = prefix + QStringLiteral("layers");
            const QJsonValue input = layers.value(QStringLiteral("input"));
            const QJsonValue spec = layers.value(QStringLiteral("spec"));
            if (!options.value(QStringLiteral("layers")).isObject() || !input.isString()
                || !spec.isString()) {
                fail(layersKey,
                     QStringLiteral("expected an object with the strings input (LxC, HxWxC or DxHxWxC) and spec"));
                return;
            }
            // The syntax must be right; a stack the engine cannot take is still a lesson,
            // and the Layers view says what is wrong with it.
            try {
                core::parseStackInputShape(input.toString().toStdString());
                view.layerInputShape = input.toString();
            } catch (const core::Error &e) {
                fail(layersKey + QStringLiteral(".input"), QString::fromStdString(e.what()));
            }
            try {
                core::parseLayerSpecs(spec.toString().toStdString());
                view.layerSpec = spec.toString();
            } catch (const core::Error &e) {
                fail(layersKey + QStringLiteral(".spec"), QString::fromStdString(e.what()));
            }
        }
        transposed(options, prefix, view);
        channels(options, prefix, view);
        volume(options, prefix, view);
    }

    /// The Channels view's settings: {"bank", "groups", "bias": [one value, or one per filter],
    /// and a custom bank's "shape": [filters, channels per group, rows, cols] with its "weights"
    /// in C order}. What does not fit the input (groups, bias length) the view says.
    void channels(const QJsonObject &options, const QString &prefix, LessonView &view)
    {
        const QString key = QStringLiteral("channels");
        if (!options.contains(key))
            return;
        const QString name = prefix + key;
        if (!options.value(key).isObject()) {
            fail(name, QStringLiteral("expected an object"));
            return;
        }
        const QJsonObject o = options.value(key).toObject();
        const QString inner = name + QLatin1Char('.');
        choice(o, "bank", inner, kFilterBanks, view.bank);
        if (o.contains(QStringLiteral("groups"))) {
            if (const auto groups = wholeNumber(o.value(QStringLiteral("groups")), 1); groups && *groups <= kMaxGroups)
                view.groups = *groups;
            else
                fail(inner + QStringLiteral("groups"), QStringLiteral("expected a whole number from 1 to %1").arg(kMaxGroups));
        }
        if (o.contains(QStringLiteral("bias")))
            if (const auto bias = numbers(o.value(QStringLiteral("bias")), inner + QStringLiteral("bias"), -1, kMaxBankWeights))
                view.bias = *bias;
        shapedValues(o, inner, QStringLiteral("shape"), QStringLiteral("weights"), 4, kMaxBankWeights,
                     view.bank == FilterBank::Custom, QStringLiteral("a custom bank"), view.bankShape, view.bankWeights);
    }

    /// The Volume view's settings: {"source", "sourceShape": [C, D, H, W] with "sourceValues",
    /// "kernel", "kernelDepth", "kernelShape": [kd, kh, kw] with "kernelWeights", "amount",
    /// "pads": [front, back, top, bottom, left, right], "fill", "value", "stride" and
    /// "dilation": [depth, rows, cols]}. Custom arrays hold at most kMaxVolumeCells cells.
    void volume(const QJsonObject &options, const QString &prefix, LessonView &view)
    {
        const QString key = QStringLiteral("volume");
        if (!options.contains(key))
            return;
        const QString name = prefix + key;
        if (!options.value(key).isObject()) {
            fail(name, QStringLiteral("expected an object"));
            return;
        }
        const QJsonObject o = options.value(key).toObject();
        const QString inner = name + QLatin1Char('.');
        VolumeSettings &v = view.volume;
        choice(o, "source", inner, kVolumeSources, v.source);
        shapedValues(o, inner, QStringLiteral("sourceShape"), QStringLiteral("sourceValues"), 4, kMaxVolumeCells,
                     v.source == VolumeSource::Custom, QStringLiteral("a custom volume"), v.sourceShape, v.sourceValues);
        choice(o, "kernel", inner, kVolumeKernels, v.kernel);
        if (o.contains(QStringLiteral("kernelDepth"))) {
            if (const auto depth = wholeNumber(o.value(QStringLiteral("kernelDepth")), 1);
                depth && *depth <= kMaxVolumeKernelDepth)
                v.kernelDepth = *depth;
            else
                fail(inner + QStringLiteral("kernelDepth"),
                     QStringLiteral("expected a whole number from 1 to %1").arg(kMaxVolumeKernelDepth));
        }
        shapedValues(o, inner, QStringLiteral("kernelShape"), QStringLiteral("kernelWeights"), 3, kMaxVolumeCells,
                     v.kernel == VolumeKernel::Custom, QStringLiteral("a custom kernel"), v.kernelShape,
                     v.kernelWeights);
        choice(o, "amount", inner, kVolumeAmounts, v.amount);
        const auto list = [&](const char *field, int count, int minimum, auto &target) {
            const QString k = QLatin1String(field);
            if (!o.contains(k))
                return;
            if (const auto values = wholeList(o.value(k), inner + k, count, minimum, kMaxVolumeStep))
                std::copy(values->begin(), values->end(), target.begin());
        };
        list("pads", 6, 0, v.pads);
        list("stride", 3, 1, v.stride);
        list("dilation", 3, 1, v.dilation);
        if (o.contains(QStringLiteral("fill"))) {
            const QJsonValue fill = o.value(QStringLiteral("fill"));
            if (const auto parsed = core::parseFill(fill.toString().toStdString()); parsed && fill.isString())
                v.fill = *parsed;
            else
                fail(inner + QStringLiteral("fill"), QStringLiteral("expected one of %1").arg(fillChoices()));
        }
        if (o.contains(QStringLiteral("value"))) {
            const QJsonValue value = o.value(QStringLiteral("value"));
            if (value.isDouble() && std::isfinite(value.toDouble()))
                v.fillValue = value.toDouble();
            else
                fail(inner + QStringLiteral("value"), QStringLiteral("expected a number"));
        }
    }

    /// The Transposed view's settings: {"pad": "valid" | "same" | N, "stride", "dilation",
    /// "outputPadding"}; what the engine refuses (output padding at the stride) the view says.
    void transposed(const QJsonObject &options, const QString &prefix, LessonView &view)
    {
        const QString key = QStringLiteral("transposed");
        if (!options.contains(key))
            return;
        const QString name = prefix + key;
        if (!options.value(key).isObject()) {
            fail(name, QStringLiteral("expected an object"));
            return;
        }
        const QJsonObject t = options.value(key).toObject();
        const QJsonValue pad = t.value(QStringLiteral("pad"));
        if (pad.isString() && pad.toString() == QLatin1String("valid")) {
            view.convtAmount = core::Amount::Valid;
        } else if (pad.isString() && pad.toString() == QLatin1String("same")) {
            view.convtAmount = core::Amount::Same;
        } else if (!pad.isUndefined()) {
            if (const auto p = wholeNumber(pad, 0)) {
                view.convtAmount = core::Amount::Explicit;
                view.convtPadding = *p;
            } else {
                fail(name + QStringLiteral(".pad"), QStringLiteral("expected valid, same or a whole number from 0"));
            }
        }
        const auto number = [&](const char *field, int minimum, int &target) {
            const QString k = QLatin1String(field);
            if (!t.contains(k))
                return;
            if (const auto v = wholeNumber(t.value(k), minimum); v && *v <= 64)
                target = *v;
            else
                fail(name + QLatin1Char('.') + k, QStringLiteral("expected a whole number from %1 to 64").arg(minimum));
        };
        number("stride", 1, view.convtStride);
        number("dilation", 1, view.convtDilation);
        number("outputPadding", 0, view.convtOutputPadding);
    }

    void read(const QJsonObject &object, const QDir &folder, Lesson &lesson)
    {
        if (const auto title = text(object, QStringLiteral("title")))
            lesson.title = *title;
        if (const auto explanation = text(object, QStringLiteral("explanation")))
            lesson.explanation = *explanation;
        input(object, folder, lesson);

        if (object.contains(QStringLiteral("channel"))) {
            if (const auto channel = valueOf(kChannels, object.value(QStringLiteral("channel"))))
                lesson.channel = *channel;
            else
                fail(QStringLiteral("channel"),
                     QStringLiteral("expected one of %1").arg(choices(kChannels)));
        }
        if (!object.contains(QStringLiteral("kernel")))
            fail(QStringLiteral("kernel"), QStringLiteral("missing"));
        else if (const auto kernel
                 = rows(object.value(QStringLiteral("kernel")), QStringLiteral("kernel")))
            lesson.kernel = *kernel;

        core::ConvSpec &spec = lesson.spec;
        amount(object, spec.amount);
        if (object.contains(QStringLiteral("fill"))) {
            if (const auto fill
                = core::parseFill(object.value(QStringLiteral("fill")).toString().toStdString());
                fill && object.value(QStringLiteral("fill")).isString())
                spec.fill = *fill;
            else
                fail(QStringLiteral("fill"),
                     QStringLiteral("expected one of %1").arg(fillChoices()));
        }
        if (object.contains(QStringLiteral("value"))) {
            if (object.value(QStringLiteral("value")).isDouble())
                spec.value = object.value(QStringLiteral("value")).toDouble();
            else
                fail(QStringLiteral("value"), QStringLiteral("expected a number"));
        }
        if (object.contains(QStringLiteral("stride")))
            if (const auto stride = wholePair(object, QStringLiteral("stride"), 1))
                spec.stride = {stride->first, stride->second};
        if (object.contains(QStringLiteral("dilation")))
            if (const auto dilation = wholePair(object, QStringLiteral("dilation"), 1))
                spec.dilation = {dilation->first, dilation->second};
        if (object.contains(QStringLiteral("operation"))) {
            if (const auto operation
                = valueOf(kOperations, object.value(QStringLiteral("operation"))))
                spec.operation = *operation;
            else
                fail(QStringLiteral("operation"),
                     QStringLiteral("expected one of %1").arg(choices(kOperations)));
        }
        if (object.contains(QStringLiteral("step")))
            if (const auto step = wholePair(object, QStringLiteral("step"), 0)) {
                lesson.stepRow = step->first;
                lesson.stepCol = step->second;
            }
        display(object, lesson.display);
        view(object, lesson.view);
    }
};

/// Why the engine cannot show @p lesson (settings it refuses, a step outside the output).
std::optional<QString> checkLesson(const Lesson &lesson)
{
    if (lesson.tensor && (lesson.input.empty() || lesson.input.channels() > kMaxInputChannels))
        return QStringLiteral("input: expected 1 to %1 channels and at least one cell").arg(kMaxInputChannels);
    if (!lesson.tensor && (lesson.input.empty() || (lesson.input.channels() != 1 && lesson.input.channels() != 3)))
        return QStringLiteral("input: expected one or three channels and at least one cell");
    if (lesson.kernel.empty())
        return QStringLiteral("kernel: expected at least one cell");
    const core::PerAxis inputSize{lesson.input.rows, lesson.input.cols};
    const core::PerAxis kernelSize{lesson.kernel.rows, lesson.kernel.cols};
    if (const auto why = core::validate(lesson.spec, inputSize, kernelSize))
        return QString::fromStdString(*why);
    const core::Geometry geometry = core::geometry(inputSize, kernelSize, lesson.spec);
    const core::PerAxis output = geometry.outputSize();
    const bool inside = geometry.empty()
        ? lesson.stepRow == 0 && lesson.stepCol == 0
        : lesson.stepRow < output.rows && lesson.stepCol < output.cols;
    if (!inside)
        return QStringLiteral("step: output cell [%1, %2] is outside the %3 output")
            .arg(lesson.stepRow)
            .arg(lesson.stepCol)
            .arg(sizeText(output.rows, output.cols));
    return std::nullopt;
}

void setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
}

} // namespace

bool isLessonPath(const QString &path)
{
    return path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive);
}

Lesson lessonFromSession(const Session &session, const LessonDisplay &display)
{
    Lesson lesson;
    lesson.inputName = session.inputName();
    lesson.input = session.source().clone();
    lesson.tensor = session.isTensor();
    lesson.sourcePath = session.inputPath();
    if (!session.inputPath().isEmpty()
        && (lesson.input.rows > kMaxEmbeddedSide || lesson.input.cols > kMaxEmbeddedSide))
        lesson.inputPath = session.inputPath();
    lesson.channel = session.channel();
    lesson.kernel = session.kernel().clone();
    lesson.spec = session.spec();
    const QPoint cell = session.stepCell();
    lesson.stepRow = cell.y();
    lesson.stepCol = cell.x();
    lesson.display = display;
    lesson.view = session.viewSettings();
    return lesson;
}

bool applyLesson(const Lesson &lesson, Session &session, QString *error)
{
    if (const auto why = checkLesson(lesson)) {
        setError(error, *why);
        return false;
    }
    QString failure;
    const QMetaObject::Connection watch = QObject::connect(
        &session, &Session::errorOccurred, &session, [&failure](const QString &message) {
            if (failure.isEmpty())
                failure = message;
        });
    const core::ConvSpec oldSpec = session.spec();
    // No padding, stride or dilation fits any input and kernel, so the session never has to
    // refuse the mix of old and new settings it passes through on the way.
    session.setSpec(core::ConvSpec{});
    // The input was decoded when the lesson was read; it is not decoded a second time.
    session.setSource(lesson.input, lesson.inputName, lesson.inputPath, lesson.tensor);
    const bool opened = failure.isEmpty();
    if (!opened) {
        QObject::disconnect(watch);
        session.setSpec(oldSpec);
        setError(error, failure);
        return false;
    }
    session.setChannel(lesson.channel);
    session.setKernel(lesson.kernel);
    session.setSpec(lesson.spec);
    QObject::disconnect(watch);
    if (!failure.isEmpty()) {
        setError(error, failure);
        return false;
    }
    // The step is a cell of the output the lesson's view walks: its part is asked for first
    // (computed at once when small) so that the cell is there to step to.
    session.setViewSettings(lesson.view);
    const std::optional<Part> part = partOf(lesson.view.view);
    if (part)
        session.need(*part);
    if (session.isUpToDate())
        session.setStepCell(lesson.stepRow, lesson.stepCol);
    if (part)
        session.release(*part);
    if (session.isUpToDate())
        return true;
    // A large input is computed on a worker: the step exists once its result is in.
    auto done = std::make_shared<QMetaObject::Connection>();
    auto failed = std::make_shared<QMetaObject::Connection>();
    *done = QObject::connect(&session, &Session::changed, &session,
                             [&session, done, failed, row = lesson.stepRow, col = lesson.stepCol] {
                                 QObject::disconnect(*failed);
                                 QObject::disconnect(*done);
                                 session.setStepCell(row, col);
                             });
    *failed = QObject::connect(&session, &Session::errorOccurred, &session, [done, failed] {
        QObject::disconnect(*done);
        QObject::disconnect(*failed);
    });
    return true;
}

std::optional<Lesson> readLesson(const QString &path, QString *error, bool allowOutside, QString *outside)
{
    const QString name = QDir::toNativeSeparators(path);
    QByteArray bytes;
    try {
        bytes = QByteArray::fromStdString(
            core::readRegularFile(QFile::encodeName(path).toStdString(), core::kMaxLessonBytes, "lesson"));
    } catch (const core::Error &e) {
        setError(error, QString::fromStdString(e.what()));
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (document.isNull()) {
        setError(error,
                 QStringLiteral("%1: not a lesson: not JSON (%2 at character %3)")
                     .arg(name, parseError.errorString())
                     .arg(parseError.offset));
        return std::nullopt;
    }
    if (!document.isObject()) {
        setError(error, QStringLiteral("%1: not a lesson: expected a JSON object").arg(name));
        return std::nullopt;
    }
    const QJsonObject object = document.object();
    const QString supported
        = QStringLiteral("this program reads lesson version %1").arg(Lesson::kVersion);
    const QJsonValue version = object.value(QStringLiteral("version"));
    if (version.isUndefined()) {
        setError(error, QStringLiteral("%1: version: missing; %2").arg(name, supported));
        return std::nullopt;
    }
    if (!Reader::wholeNumber(version, 0)) {
        setError(error,
                 QStringLiteral("%1: version: expected a whole number; %2").arg(name, supported));
        return std::nullopt;
    }
    if (version.toInt() != Lesson::kVersion) {
        setError(error,
                 QStringLiteral("%1: version %2 is not supported; %3")
                     .arg(name)
                     .arg(version.toInt())
                     .arg(supported));
        return std::nullopt;
    }

    Lesson lesson;
    Reader reader;
    reader.allowOutside = allowOutside;
    reader.read(object, QFileInfo(path).absoluteDir(), lesson);
    if (outside)
        *outside = reader.outside;
    if (reader.errors.isEmpty())
        if (const auto why = checkLesson(lesson))
            reader.errors << *why;
    if (!reader.errors.isEmpty()) {
        setError(error,
                 QStringLiteral("%1: %2").arg(name, reader.errors.join(QStringLiteral("; "))));
        return std::nullopt;
    }
    return lesson;
}

QString lessonInputPath(const QString &path)
{
    QByteArray bytes;
    try {
        bytes = QByteArray::fromStdString(
            core::readRegularFile(QFile::encodeName(path).toStdString(), core::kMaxLessonBytes, "lesson"));
    } catch (const core::Error &) {
        return {};
    }
    const QJsonObject input = QJsonDocument::fromJson(bytes).object().value(QStringLiteral("input")).toObject();
    const QString relative = input.value(QStringLiteral("path")).toString();
    if (relative.isEmpty())
        return {};
    return QDir::cleanPath(QFileInfo(path).absoluteDir().absoluteFilePath(relative));
}

bool embedsOutsideFile(const Lesson &lesson, const QString &path)
{
    if (!lesson.inputPath.isEmpty() || lesson.sourcePath.isEmpty())
        return false;
    const QDir folder = QFileInfo(path).absoluteDir();
    return !core::pathInside(QFile::encodeName(folder.absolutePath()).toStdString(),
                             QFile::encodeName(folder.relativeFilePath(lesson.sourcePath)).toStdString());
}

namespace {

QJsonObject poolObject(const LessonView &view)
{
    const core::PoolSpec &spec = view.pool;
    QString pad = spec.amount.kind == core::Amount::Same ? QStringLiteral("same") : QStringLiteral("valid");
    if (spec.amount.kind == core::Amount::Explicit) {
        QStringList values;
        for (int v : spec.amount.values)
            values << QString::number(v);
        pad = values.join(QLatin1Char(','));
    }
    const auto first = [](const std::vector<int> &v, int fallback) { return v.empty() ? fallback : v.front(); };
    return QJsonObject{
        {QStringLiteral("op"), QString::fromUtf8(core::poolOpName(spec.op))},
        {QStringLiteral("size"), first(spec.window, 2)},
        {QStringLiteral("stride"), first(spec.stride, first(spec.window, 2))},
        {QStringLiteral("dilation"), first(spec.dilation, 1)},
        {QStringLiteral("pad"), pad},
        {QStringLiteral("ceil"), spec.ceil},
        {QStringLiteral("countPad"), !spec.countPadding ? QStringLiteral("default")
                                     : *spec.countPadding ? QStringLiteral("include")
                                                          : QStringLiteral("exclude")},
        {QStringLiteral("rule"), view.poolRule == PoolRule::PyTorch ? QStringLiteral("pytorch") : QStringLiteral("tensorflow")},
        {QStringLiteral("both"), view.poolBoth},
    };
}

template <typename T> QJsonArray listToJson(const T &values)
{
    QJsonArray list;
    for (const auto value : values)
        list.append(value);
    return list;
}

QJsonObject channelsObject(const LessonView &view)
{
    QJsonObject o{
        {QStringLiteral("bank"), nameOf(kFilterBanks, view.bank)},
        {QStringLiteral("groups"), view.groups},
        {QStringLiteral("bias"), listToJson(view.bias)},
    };
    // A custom bank's weights stay while another bank is chosen, as in the window.
    if (!view.bankShape.empty()) {
        o[QStringLiteral("shape")] = listToJson(view.bankShape);
        o[QStringLiteral("weights")] = listToJson(view.bankWeights);
    }
    return o;
}

QJsonObject volumeObject(const VolumeSettings &v)
{
    const std::string_view fill = core::fillName(v.fill);
    QJsonObject o{
        {QStringLiteral("source"), nameOf(kVolumeSources, v.source)},
        {QStringLiteral("kernel"), nameOf(kVolumeKernels, v.kernel)},
        {QStringLiteral("kernelDepth"), v.kernelDepth},
        {QStringLiteral("amount"), nameOf(kVolumeAmounts, v.amount)},
        {QStringLiteral("pads"), listToJson(v.pads)},
        {QStringLiteral("fill"), QString::fromUtf8(fill.data(), qsizetype(fill.size()))},
        {QStringLiteral("value"), v.fillValue},
        {QStringLiteral("stride"), listToJson(v.stride)},
        {QStringLiteral("dilation"), listToJson(v.dilation)},
    };
    if (!v.sourceShape.empty()) {
        o[QStringLiteral("sourceShape")] = listToJson(v.sourceShape);
        o[QStringLiteral("sourceValues")] = listToJson(v.sourceValues);
    }
    if (!v.kernelShape.empty()) {
        o[QStringLiteral("kernelShape")] = listToJson(v.kernelShape);
        o[QStringLiteral("kernelWeights")] = listToJson(v.kernelWeights);
    }
    return o;
}

} // namespace

bool writeLesson(const Lesson &lesson, const QString &path, QString *error, bool embedOutside)
{
    QJsonObject input;
    input[QStringLiteral("name")] = lesson.inputName;
    // A file from outside the lesson's folder is named, not copied in, unless the user said so.
    const QString reference = !lesson.inputPath.isEmpty() ? lesson.inputPath
        : !embedOutside && embedsOutsideFile(lesson, path) ? lesson.sourcePath
                                                            : QString();
    if (!reference.isEmpty()) {
        input[QStringLiteral("path")] = QFileInfo(path).absoluteDir().relativeFilePath(reference);
    } else if (lesson.tensor) {
        QJsonArray planes;
        for (int c = 0; c < lesson.input.channels(); ++c) {
            cv::Mat plane;
            cv::extractChannel(lesson.input, plane, c);
            planes.append(rowsToJson(plane));
        }
        input[QStringLiteral("channels")] = planes;
    } else if (lesson.input.channels() == 1 && !fitsInBytes(lesson.input)) {
        input[QStringLiteral("matrix")] = rowsToJson(lesson.input);
        input[QStringLiteral("depth")] = lesson.input.depth() == CV_32F ? QStringLiteral("float32")
                                                                        : QStringLiteral("float64");
    } else {
        input[QStringLiteral("png")] = pngBase64(lesson.input);
    }

    const core::ConvSpec &spec = lesson.spec;
    QJsonObject object;
    object[QStringLiteral("version")] = lesson.version;
    object[QStringLiteral("title")] = lesson.title;
    object[QStringLiteral("explanation")] = lesson.explanation;
    object[QStringLiteral("input")] = input;
    object[QStringLiteral("channel")] = nameOf(kChannels, lesson.channel);
    object[QStringLiteral("kernel")] = rowsToJson(lesson.kernel);
    if (spec.amount.kind == core::Amount::Explicit) {
        const core::Sides &s = spec.amount.sides;
        object[QStringLiteral("amount")] = QJsonArray{s.top, s.bottom, s.left, s.right};
    } else {
        object[QStringLiteral("amount")] = QString::fromStdString(core::padAmountText(spec.amount));
    }
    const std::string_view fill = core::fillName(spec.fill);
    object[QStringLiteral("fill")] = QString::fromUtf8(fill.data(), qsizetype(fill.size()));
    object[QStringLiteral("value")] = spec.value;
    object[QStringLiteral("stride")] = pair(spec.stride.rows, spec.stride.cols);
    object[QStringLiteral("dilation")] = pair(spec.dilation.rows, spec.dilation.cols);
    object[QStringLiteral("operation")] = nameOf(kOperations, spec.operation);
    object[QStringLiteral("step")] = pair(lesson.stepRow, lesson.stepCol);
    QJsonObject display;
    display[QStringLiteral("outputScale")] = nameOf(kOutputScales, lesson.display.look.outputScale);
    display[QStringLiteral("fontScale")] = lesson.display.look.fontScale;
    display[QStringLiteral("paddingStrength")] = lesson.display.look.paddingStrength;
    display[QStringLiteral("clipOutliers")] = lesson.display.look.clipOutliers;
    if (!lesson.display.rings.empty()) {
        QJsonArray rings;
        for (const PenRing &ring : lesson.display.rings)
            rings.append(QJsonObject{
                {QStringLiteral("panel"), nameOf(kPanelNames, ring.panel)},
                {QStringLiteral("cells"), QJsonArray{ring.cells.top(), ring.cells.left(), ring.cells.height(),
                                                     ring.cells.width()}},
            });
        display[QStringLiteral("rings")] = rings;
    }
    display[QStringLiteral("cellSize")] = lesson.display.cellSize > 0
        ? QJsonValue(lesson.display.cellSize)
        : QJsonValue(QStringLiteral("fit"));
    object[QStringLiteral("display")] = display;
    const LessonView &shown = lesson.view;
    object[QStringLiteral("view")] = QJsonObject{
        {QStringLiteral("name"), nameOf(kViews, shown.view)},
        {QStringLiteral("compareBy"), nameOf(kCompareBy, shown.compareBy)},
        {QStringLiteral("compareReference"), shown.compareReference},
        {QStringLiteral("stages"), shown.stageCount},
        {QStringLiteral("plot"), nameOf(kPlotStyles, shown.plotStyle)},
        {QStringLiteral("signalFilters"), nameOf(kSignalFilters, shown.signalFilters)},
        {QStringLiteral("signalBias"), [&shown] {
             QJsonArray values;
             for (double b : shown.signalBias)
                 values.append(b);
             return values;
         }()},
        {QStringLiteral("layers"),
         QJsonObject{{QStringLiteral("input"), shown.layerInputShape},
                     {QStringLiteral("spec"), shown.layerSpec}}},
        {QStringLiteral("pool"), poolObject(shown)},
        {QStringLiteral("transposed"),
         QJsonObject{{QStringLiteral("pad"), shown.convtAmount == core::Amount::Valid ? QJsonValue(QStringLiteral("valid"))
                                             : shown.convtAmount == core::Amount::Same
                                                 ? QJsonValue(QStringLiteral("same"))
                                                 : QJsonValue(shown.convtPadding)},
                     {QStringLiteral("stride"), shown.convtStride},
                     {QStringLiteral("dilation"), shown.convtDilation},
                     {QStringLiteral("outputPadding"), shown.convtOutputPadding}}},
        {QStringLiteral("channels"), channelsObject(shown)},
        {QStringLiteral("volume"), volumeObject(shown.volume)},
    };

    try {
        core::writeOutputFile(QFile::encodeName(path).toStdString(),
                              QJsonDocument(object).toJson(QJsonDocument::Indented).toStdString());
    } catch (const core::Error &e) {
        setError(error, QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), QString::fromStdString(e.what())));
        return false;
    }
    return true;
}

} // namespace padlab::ui

#include "lessons.h"

#include "samples.h"

#include "padlab/core/kernels.h"

#include <opencv2/core.hpp>

#include <QStringList>

#include <initializer_list>

namespace padlab::ui {

namespace {

/// One row of numbers as a 1×n CV_64F matrix.
cv::Mat row(std::initializer_list<double> values)
{
    cv::Mat matrix(1, int(values.size()), CV_64F);
    int c = 0;
    for (double value : values)
        matrix.at<double>(0, c++) = value;
    return matrix;
}

/// An n×n matrix numbered 1, 2, 3, ... in reading order, so every cell says where it came from.
cv::Mat numbered(int side)
{
    cv::Mat matrix(side, side, CV_64F);
    for (int r = 0; r < side; ++r)
        for (int c = 0; c < side; ++c)
            matrix.at<double>(r, c) = r * side + c + 1;
    return matrix;
}

Lesson digitLesson(core::Amount amount, core::PerAxis dilation = {})
{
    Lesson lesson;
    lesson.input = makeSample(QStringLiteral("digit"));
    for (const Sample &sample : samples())
        if (sample.id == QLatin1String("digit"))
            lesson.inputName = sample.title;
    lesson.kernel = *core::preset("sobel-x");
    lesson.spec.amount.kind = amount;
    lesson.spec.dilation = dilation;
    return lesson;
}

Lesson matrixLesson(const cv::Mat &input, const QString &name, const cv::Mat &kernel,
                    core::Amount amount)
{
    Lesson lesson;
    lesson.input = input;
    lesson.inputName = name;
    lesson.kernel = kernel;
    lesson.spec.amount.kind = amount;
    return lesson;
}

QList<BuiltinLesson> makeList()
{
    QList<BuiltinLesson> list;
    list.append({QStringLiteral("valid-shrinks"), QStringLiteral("Valid shrinks"),
                 QStringLiteral(
                     "Valid padding adds nothing around the input, so the 3×3 window may only "
                     "stand where it lies wholly inside it. Along each axis it fits at "
                     "28 − 3 + 1 = 26 places, so the 28×28 digit gives a 26×26 output. Each "
                     "further valid layer with a k×k kernel at stride 1 takes another k − 1 "
                     "cells off each axis."),
                 [] { return digitLesson(core::Amount::Valid); }});
    list.append({QStringLiteral("same-keeps-size"), QStringLiteral("Same keeps the size"),
                 QStringLiteral(
                     "Same padding adds just enough cells for ceil(n / stride) outputs per axis: "
                     "at stride 1 the 28×28 digit gives a 28×28 output. A 3×3 kernel needs "
                     "k − 1 = 2 extra cells per axis, one row or column of zeros on each side. "
                     "The outputs along the border read some of those zeros, not image cells."),
                 [] { return digitLesson(core::Amount::Same); }});
    list.append({QStringLiteral("even-kernel"), QStringLiteral("The even-kernel asymmetry"),
                 QStringLiteral(
                     "A kernel of 4 taps has no middle cell, so the 3 cells same padding adds "
                     "cannot be split evenly. TensorFlow/Keras and PyTorch put 1 zero before the "
                     "row and 2 after, and [1 2 3 4 5] with kernel [1 2 3 4] gives "
                     "[20 30 40 26 14]. OpenCV's filter2D anchors the kernel at k/2 = 2, which "
                     "pads 2 before and 1 after: [11 20 30 40 26], the same sums one cell later."),
                 [] {
                     return matrixLesson(row({1, 2, 3, 4, 5}), QStringLiteral("1 2 3 4 5"),
                                         row({1, 2, 3, 4}), core::Amount::Same);
                 }});
    list.append({QStringLiteral("stride-same"), QStringLiteral("Stride 2 with same"),
                 QStringLiteral(
                     "With stride 2, same asks for ceil(6 / 2) = 3 outputs per axis. Three "
                     "windows of 3 cells, 2 apart, span (3 − 1)·2 + 3 = 7 cells, one more than "
                     "the input has, so 1 cell is added: 0 before and 1 after, on both axes. "
                     "PyTorch refuses padding='same' with a stride other than 1; its padding=1 "
                     "pads both sides and so reads different cells."),
                 [] {
                     Lesson lesson
                         = matrixLesson(numbered(6), QStringLiteral("6×6 numbered 1 to 36"),
                                        cv::Mat::ones(3, 3, CV_64F), core::Amount::Same);
                     lesson.spec.stride = {2, 2};
                     return lesson;
                 }});
    list.append({QStringLiteral("reflect-symmetric"), QStringLiteral("Reflect versus symmetric"),
                 QStringLiteral(
                     "Reflect mirrors the row about its edge cell without repeating it: "
                     "[1 2 3 4 5] padded by 2 becomes 3 2 | 1 2 3 4 5 | 4 3. Symmetric mirrors "
                     "about the border itself, so the edge cell comes twice: 2 1 | 1 2 3 4 5 | "
                     "5 4. NumPy, PyTorch and TensorFlow call the first reflect (OpenCV: "
                     "BORDER_REFLECT_101); SciPy ndimage swaps the names, calling it mirror and "
                     "the symmetric one reflect."),
                 [] {
                     Lesson lesson = matrixLesson(row({1, 2, 3, 4, 5}), QStringLiteral("1 2 3 4 5"),
                                                  cv::Mat::ones(1, 5, CV_64F), core::Amount::Same);
                     lesson.spec.fill = core::Fill::Reflect;
                     return lesson;
                 }});
    list.append({QStringLiteral("circular"), QStringLiteral("Circular wrap-around"),
                 QStringLiteral(
                     "Circular padding treats the input as a tile that repeats in every "
                     "direction. The column added on the left is the input's right column, the "
                     "row added on top is its bottom row, and the corners come from the opposite "
                     "corners. PyTorch calls it circular, NumPy wrap and OpenCV BORDER_WRAP, "
                     "which filter2D does not accept."),
                 [] {
                     Lesson lesson
                         = matrixLesson(numbered(6), QStringLiteral("6×6 numbered 1 to 36"),
                                        cv::Mat::ones(3, 3, CV_64F), core::Amount::Same);
                     lesson.spec.fill = core::Fill::Circular;
                     return lesson;
                 }});
    list.append({QStringLiteral("causal"), QStringLiteral("Causal 1-D"),
                 QStringLiteral(
                     "Causal padding puts all e − 1 cells before the signal and none after. "
                     "With 3 taps and dilation 2 the reach is e = 2·(3 − 1) + 1 = 5, so 4 zeros "
                     "go in front and the output keeps the signal's 8 cells. Output t reads "
                     "inputs t − 4, t − 2 and t, never one after t: Keras Conv1D's "
                     "padding='causal', for models that must not see the future."),
                 [] {
                     Lesson lesson = matrixLesson(row({1, 2, 3, 4, 5, 6, 7, 8}),
                                                  QStringLiteral("1 2 3 4 5 6 7 8"),
                                                  row({1, 1, 1}), core::Amount::Causal);
                     lesson.spec.dilation = {1, 2};
                     lesson.stepCol = 5;
                     // A one-row input reads best as a signal in time.
                     lesson.view.view = Session::View::Signal;
                     return lesson;
                 }});
    list.append({QStringLiteral("three-sensors"), QStringLiteral("Three sensors, one Conv1D filter"),
                 QStringLiteral(
                     "Three sensors sampled at the same 10 times are one signal with 3 channels: a "
                     "CSV of 3 rows, which the Signal view reads as channels (layout CL). A Conv1D "
                     "filter holds a kernel for every channel, here [1 1 1] on each, and output t "
                     "adds all 9 products, so the 3 channels give one output row. With causal "
                     "padding y[6] reads t = 4, 5 and 6: c0 gives 3, c1 gives 2 and c2 gives 1, so "
                     "y[6] = 6, and Each channel on its own (depthwise) gives 3 filters and 3 output "
                     "rows instead."),
                 [] {
                     cv::Mat sensors(3, 10, CV_64F);
                     row({1, 1, 1, 1, 1, 1, 1, 1, 1, 1}).copyTo(sensors.row(0));
                     row({0, 0, 0, 0, 0, 1, 1, 1, 1, 1}).copyTo(sensors.row(1));
                     row({0, 1, 0, -1, 0, 1, 0, -1, 0, 1}).copyTo(sensors.row(2));
                     Lesson lesson = matrixLesson(sensors, QStringLiteral("three sensors"), row({1, 1, 1}),
                                                  core::Amount::Causal);
                     lesson.stepCol = 6;
                     // Its rows are channels: the signal view draws them one per row.
                     lesson.view.view = Session::View::Signal;
                     return lesson;
                 }});
    list.append({QStringLiteral("dilation"), QStringLiteral("Dilation"),
                 QStringLiteral(
                     "Dilation 2 spreads the kernel's taps 2 cells apart, leaving a gap between "
                     "them. The 3×3 kernel still reads only 9 cells, but they span "
                     "e = 2·(3 − 1) + 1 = 5 cells per axis, like a 5×5 kernel. With valid "
                     "padding the 28×28 digit therefore gives 28 − 5 + 1 = 24 outputs per axis."),
                 [] { return digitLesson(core::Amount::Valid, {2, 2}); }});
    // The layer stack of a small digit classifier; only the conv layers' padding differs.
    auto stackLesson = [](bool same) {
        Lesson lesson = digitLesson(same ? core::Amount::Same : core::Amount::Valid);
        const QString conv = same ? QStringLiteral(":1:same") : QString();
        lesson.view.view = Session::View::Layers;
        lesson.view.layerInputShape = QStringLiteral("28x28x1");
        lesson.view.layerSpec = QStringLiteral("conv2d:32:3%1,conv2d:64:3%1,conv2d:128:3%1,"
                                               "flatten,dense:256,dense:10")
                                    .arg(conv);
        return lesson;
    };
    list.append({QStringLiteral("stack-valid"), QStringLiteral("Three conv layers, valid"),
                 QStringLiteral(
                     "Three 3×3 conv2d layers with 32, 64 and 128 filters on a 28×28×1 digit, "
                     "then flatten, dense 256 and dense 10. With valid padding every layer "
                     "trims one cell from each side: 28 → 26 → 24 → 22. A conv layer's "
                     "parameters do not depend on the padding (3·3·32·64 + 64 = 18,496 for the "
                     "second), but flatten hands 22·22·128 = 61,952 values to the first dense "
                     "layer, which alone holds 61,952·256 + 256 = 15,859,968 of the "
                     "15,955,210 parameters."),
                 [stackLesson] { return stackLesson(false); }});
    list.append({QStringLiteral("stack-same"), QStringLiteral("Three conv layers, same"),
                 QStringLiteral(
                     "The same stack with padding='same': every conv layer keeps 28×28, so "
                     "flatten hands 28·28·128 = 100,352 values to the first dense layer. The "
                     "conv layers still have 320 + 18,496 + 73,856 parameters, but the dense "
                     "layer grows to 100,352·256 + 256 = 25,690,368, and the total to "
                     "25,785,610: padding changed no kernel, yet added almost ten million "
                     "parameters after flatten."),
                 [stackLesson] { return stackLesson(true); }});
    // Colour lessons: a 6 x 6 image, its left three columns one colour and its right three another,
    // so that every channel's edge is 0 or 4 x 200 = 800 and the sums can be checked by hand.
    const auto halves = [](cv::Vec3b left, cv::Vec3b right) {
        cv::Mat image(6, 6, CV_8UC3);
        for (int r = 0; r < image.rows; ++r)
            for (int c = 0; c < image.cols; ++c)
                image.at<cv::Vec3b>(r, c) = c < 3 ? left : right;
        return image;
    };
    const auto channelLesson = [](const cv::Mat &image, const QString &name, FilterBank bank, int groups) {
        Lesson lesson = matrixLesson(image, name, *core::preset("sobel-x"), core::Amount::Same);
        lesson.stepRow = 2;
        lesson.stepCol = 2;
        lesson.view.view = Session::View::Channels;
        lesson.view.bank = bank;
        lesson.view.groups = groups;
        return lesson;
    };
    // OpenCV holds colours as B, G, R.
    const cv::Vec3b red(0, 0, 200), white(200, 200, 200), blue(200, 0, 0);
    list.append({QStringLiteral("rgb-edges"), QStringLiteral("RGB edges: three channels, four filters"),
                 QStringLiteral(
                     "Each of the four edge filters holds one 3×3 kernel per channel and adds up "
                     "the three windows: 4 × 3 × 3 × 3 = 108 weights. At row 2, column 2, on the "
                     "line between red and white, the vertical-edge filter f0 reads 0 in R (red is "
                     "200 on both sides) and 800 in G and in B: 0 + 800 + 800 = 1600. The "
                     "horizontal-edge filter f1 reads 0 in every channel there, since the colour "
                     "changes only from left to right."),
                 [channelLesson, halves, red, white] {
                     return channelLesson(halves(red, white), QStringLiteral("red | white"), FilterBank::Edges, 1);
                 }});
    list.append({QStringLiteral("depthwise-vs-full"), QStringLiteral("Depthwise vs full convolution"),
                 QStringLiteral(
                     "Depthwise (groups = 3) gives each channel a filter of its own: at row 2, "
                     "column 2, between red and blue, the vertical edge is −800 in R, 0 in G and "
                     "800 in B, three maps from 3 × 9 = 27 weights. A full convolution (groups = 1) "
                     "with the same kernel adds the three windows in one filter: −800 + 0 + 800 = 0, "
                     "and the edge between two colours of equal brightness vanishes. Set Groups to "
                     "1 to see it."),
                 [channelLesson, halves, red, blue] {
                     return channelLesson(halves(red, blue), QStringLiteral("red | blue"), FilterBank::Kernel, 3);
                 }});
    // Pooling lessons: the window panels slide a kernel of the pool's geometry, so that the
    // step moves the pool's window.
    auto poolLesson = [](int side, core::PoolSpec pool, bool both) {
        const int k = pool.window.front();
        const int s = pool.stride.empty() ? k : pool.stride.front();
        Lesson lesson = matrixLesson(numbered(side), QStringLiteral("%1×%1 numbered 1 to %2").arg(side).arg(side * side),
                                     cv::Mat::ones(k, k, CV_64F), core::Amount::Explicit);
        const std::vector<int> &pads = pool.amount.values;
        lesson.spec.amount.sides = {pads[0], pads[1], pads[2], pads[3]};
        lesson.spec.stride = {s, s};
        lesson.view.view = Session::View::Pool;
        lesson.view.pool = pool;
        lesson.view.poolRule = PoolRule::PyTorch;
        lesson.view.poolBoth = both;
        return lesson;
    };
    list.append({QStringLiteral("ceil-mode-trap"), QStringLiteral("The ceil_mode trap"),
                 QStringLiteral(
                     "A 2×2 max pool of stride 2 with one padded cell on each side, on a 5×5 input. "
                     "With ceil_mode PyTorch counts ceil((5 + 1 + 1 − 2) / 2) + 1 = 4 windows per axis, "
                     "but the fourth would start at 6, in the right padding (n + before = 6), so it is "
                     "dropped: the output is 3×3, as without ceil_mode. "
                     "The max never reads a padded cell; the hatched cells are ignored, not zeros."),
                 [poolLesson] {
                     core::PoolSpec pool;
                     pool.op = core::PoolOp::Max;
                     pool.window = {2};
                     pool.stride = {2};
                     pool.amount.kind = core::Amount::Explicit;
                     pool.amount.values = {1, 1, 1, 1};
                     pool.ceil = true;
                     Lesson lesson = poolLesson(5, pool, false);
                     lesson.stepRow = 2;
                     lesson.stepCol = 2;
                     return lesson;
                 }});
    list.append({QStringLiteral("pool-average-padding"),
                 QStringLiteral("PyTorch vs TensorFlow average pooling with padding"),
                 QStringLiteral(
                     "A 3×3 average pool of stride 1 with one padded cell on every side, on a 4×4 input "
                     "numbered 1 to 16. PyTorch's AvgPool2d(3, 1, padding=1) counts the padding "
                     "(count_include_pad=True): the corner divides 1 + 2 + 5 + 6 = 14 by 9, about 1.556. "
                     "TensorFlow's padding='same' divides by the cells it reads: 14 / 4 = 3.5 in the "
                     "corner, by 6 along the edges, by 9 only inside."),
                 [poolLesson] {
                     core::PoolSpec pool;
                     pool.op = core::PoolOp::Average;
                     pool.window = {3};
                     pool.stride = {1};
                     pool.amount.kind = core::Amount::Explicit;
                     pool.amount.values = {1, 1, 1, 1};
                     return poolLesson(4, pool, true);
                 }});
    // Transposed convolution on small matrices, every number readable; the window's own
    // convolution stays same, so the step walks the first cells of the output.
    auto transposedLesson = [](const cv::Mat &input, const QString &name, int stride, core::Amount amount,
                               int padding, int outputPadding) {
        Lesson lesson = matrixLesson(input, name, cv::Mat::ones(3, 3, CV_64F), core::Amount::Same);
        lesson.view.view = Session::View::Transposed;
        lesson.view.convtStride = stride;
        lesson.view.convtAmount = amount;
        lesson.view.convtPadding = padding;
        lesson.view.convtOutputPadding = outputPadding;
        return lesson;
    };
    list.append({QStringLiteral("transposed-crops"), QStringLiteral("Transposed convolution: padding crops"),
                 QStringLiteral(
                     "PyTorch's padding in a transposed convolution does not add cells, it crops them. "
                     "The 3×3 input at stride 2 with a 3×3 kernel stamps onto (3 − 1)·2 + 3 = 7 cells per "
                     "axis; padding=1 crops one from each side and output_padding=1 gives one back after, "
                     "so out = 7 − 1 − 1 + 1 = 6. As a direct convolution the zero-stuffed input is padded "
                     "by only e − 1 − p = 1 cell before and e − 1 − p + o = 2 after."),
                 [transposedLesson] {
                     return transposedLesson(numbered(3), QStringLiteral("3×3 numbered 1 to 9"), 2,
                                             core::Amount::Explicit, 1, 1);
                 }});
    list.append({QStringLiteral("checkerboard"), QStringLiteral("The checkerboard of kernel 3 stride 2"),
                 QStringLiteral(
                     "With a 3×3 kernel at stride 2 the stamps of neighbouring input cells overlap by one "
                     "row or column: inside the border a cell at an even row and column is reached by 4 "
                     "stamps, one at an odd row and odd column by 1, the others by 2. On a 4×4 input of "
                     "ones with a kernel of ones the 9×9 output is that count, a checkerboard of 4, 2 and "
                     "1. A kernel the stride divides (4 at stride 2) reaches every inner cell equally "
                     "often, which is why image generators prefer it."),
                 [transposedLesson] {
                     return transposedLesson(cv::Mat::ones(4, 4, CV_64F), QStringLiteral("4×4 of ones"), 2,
                                             core::Amount::Explicit, 0, 0);
                 }});
    list.append({QStringLiteral("convt-same"), QStringLiteral("Same for Conv2DTranspose"),
                 QStringLiteral(
                     "Keras' Conv2DTranspose with padding='same' gives exactly n·s cells per axis: the "
                     "4×4 input at stride 2 becomes 8×8. The stamps cover (4 − 1)·2 + 3 = 9 cells, so "
                     "Keras crops max(e − s, 0)//2 = max(3 − 2, 0)//2 = 0 cells before and the remaining "
                     "1 after. PyTorch reaches 8×8 with padding=1 and output_padding=1, but that crops 1 "
                     "cell before: the same numbers, one cell further on."),
                 [transposedLesson] {
                     return transposedLesson(numbered(4), QStringLiteral("4×4 numbered 1 to 16"), 2,
                                             core::Amount::Same, 0, 0);
                 }});
    list.append({QStringLiteral("zeropadding3d"), QStringLiteral("ZeroPadding3D on a small volume"),
                 QStringLiteral(
                     "ZeroPadding3D(1) puts a slice of zeros in front of and behind the 5×6×6 volume "
                     "(cell d, h, w holds 100·d + 10·h + w) and a ring of zeros round every slice: "
                     "7×8×8. At the corner the 3×3×3 box of ones reads 0 in the front padding "
                     "slice, 0 + 1 + 10 + 11 = 22 in d 0 and 100 + 101 + 110 + 111 = 422 in d 1: "
                     "out[0, 0, 0] = 444. Every axis keeps its size, depth: out = floor((5 + 1 + 1 - 3) / 1) + 1 = 5."),
                 [] {
                     cv::Mat numbered(6, 6, CV_64F);
                     for (int r = 0; r < 6; ++r)
                         for (int c = 0; c < 6; ++c)
                             numbered.at<double>(r, c) = 10 * r + c;
                     Lesson lesson = matrixLesson(numbered, QStringLiteral("slice d 0"), *core::preset("box-3"),
                                                  core::Amount::Same);
                     lesson.view.view = Session::View::Volume;
                     lesson.view.volume = VolumeSettings{};
                     return lesson;
                 }});
    for (BuiltinLesson &builtin : list) {
        // The lesson carries the same title and explanation as the menu.
        builtin.make = [make = builtin.make, title = builtin.title,
                        explanation = builtin.explanation] {
            Lesson lesson = make();
            lesson.title = title;
            lesson.explanation = explanation;
            return lesson;
        };
    }
    return list;
}

} // namespace

const QList<BuiltinLesson> &builtinLessons()
{
    static const QList<BuiltinLesson> list = makeList();
    return list;
}

std::optional<Lesson> makeBuiltinLesson(const QString &id)
{
    for (const BuiltinLesson &lesson : builtinLessons())
        if (lesson.id == id)
            return lesson.make();
    return std::nullopt;
}

std::optional<QString> lessonArgument(const QString &argument)
{
    const QLatin1String prefix(kLessonPrefix);
    if (!argument.startsWith(prefix))
        return std::nullopt;
    return argument.mid(prefix.size());
}

QString builtinLessonIds()
{
    QStringList ids;
    for (const BuiltinLesson &lesson : builtinLessons())
        ids << lesson.id;
    return ids.join(QStringLiteral(", "));
}

QString unknownLessonMessage(const QString &name)
{
    return QStringLiteral("no built-in lesson named %1 (known: %2)").arg(name, builtinLessonIds());
}

} // namespace padlab::ui

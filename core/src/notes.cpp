#include "padlab/core/notes.h"

#include "padlab/core/window.h"

#include <algorithm>

namespace padlab::core {

namespace {

std::string n(long long v)
{
    return std::to_string(v);
}

std::string plural(long long count, const std::string &word)
{
    return n(count) + " " + word + (count == 1 ? "" : "s");
}

} // namespace

std::vector<FrameworkNote> frameworkNotes(const ConvSpec &spec, PerAxis inputSize,
                                          PerAxis kernelSize)
{
    std::vector<FrameworkNote> notes;
    const auto add = [&](std::string framework, std::string text) {
        notes.push_back({std::move(framework), std::move(text)});
    };
    const Geometry g = geometry(inputSize, kernelSize, spec);
    const Sides s = g.sides();
    const int maxPadRows = std::max(s.top, s.bottom);
    const int maxPadCols = std::max(s.left, s.right);
    const bool strided = spec.stride.rows > 1 || spec.stride.cols > 1;
    const bool dilated = spec.dilation.rows > 1 || spec.dilation.cols > 1;
    const bool oneD = inputSize.rows == 1;

    // Amount
    if (spec.amount.kind == Amount::Same && strided)
        add("PyTorch", "Conv2d refuses padding='same' with a stride above 1 (\"padding='same' is not "
                       "supported for strided convolutions\"); pad explicitly with F.pad(" +
                           n(s.left) + ", " + n(s.right) + ", " + n(s.top) + ", " + n(s.bottom) + ") instead.");
    if (spec.amount.kind == Amount::Same) {
        const bool oddRows = (s.top + s.bottom) % 2 == 1;
        const bool oddCols = (s.left + s.right) % 2 == 1;
        if (oddRows || oddCols)
            add("TensorFlow", "'same' needs an odd total here, so the extra cell goes after (bottom/right): " +
                                  std::string(oddRows ? "rows " + n(s.top) + "/" + n(s.bottom) : "") +
                                  (oddRows && oddCols ? ", " : "") +
                                  (oddCols ? "columns " + n(s.left) + "/" + n(s.right) : "") + ".");
        if (strided && (oddRows || oddCols))
            add("PyTorch", "A symmetric padding=k//2 gives the same output size but reads different cells: "
                           "TensorFlow's 'same' pads " + n(s.top) + "/" + n(s.bottom) + " rows and " + n(s.left) +
                               "/" + n(s.right) + " columns.");
    }
    if ((kernelSize.rows % 2 == 0 || kernelSize.cols % 2 == 0) &&
        (spec.amount.kind == Amount::Same || spec.amount.kind == Amount::Full))
        add("OpenCV", "An even kernel has no centre: filter2D (and SciPy ndimage) anchor it at k/2, so the "
                      "extra tap falls before the centre, while TensorFlow and PyTorch 'same' put the extra "
                      "padding after; the outputs are shifted by one cell.");
    if (spec.amount.kind == Amount::Causal && !oneD)
        add("Keras", "'causal' exists only for Conv1D; on a 2-D input PadLab pads the top and the left by e-1, "
                     "which no Keras layer does.");
    if (spec.amount.kind == Amount::Causal && oneD)
        add("Keras", "Conv1D(padding='causal') pads " + plural(s.left, "zero") +
                         " in front, so output t reads only inputs at or before t.");
    if (spec.amount.kind == Amount::Full)
        add("Keras", "No layer accepts padding='full' (only a legacy helper knows it); use explicit padding of "
                     "e-1 = " + n(g.rows.extent - 1) + " rows and " + n(g.cols.extent - 1) +
                         " columns on each side (ZeroPadding2D, F.pad).");
    if (spec.amount.kind == Amount::Explicit && (s.top != s.bottom || s.left != s.right))
        add("PyTorch", "Conv2d's padding is the same on both sides of an axis; these uneven pads need F.pad "
                       "first (Keras: ZeroPadding2D(((top, bottom), (left, right)))).");

    // Stride and dilation
    if (strided && dilated)
        add("Keras", "Conv2D refuses strides > 1 together with dilation_rate > 1 (ValueError); PyTorch "
                     "accepts both.");
    if (g.rows.unread > 0 || g.cols.unread > 0) {
        std::string text;
        if (g.rows.unread > 0)
            text += plural(g.rows.unread, "padded row") + " at the bottom";
        if (g.cols.unread > 0)
            text += (text.empty() ? "" : " and ") + plural(g.cols.unread, "padded column") + " at the right";
        add("All", text + " never read: the stride does not divide evenly and every framework rounds "
                          "the output size down (floor).");
    }

    // Fill
    const bool padded = s.top + s.bottom + s.left + s.right > 0;
    if (padded) {
        switch (spec.fill) {
        case Fill::Zeros:
            break;
        case Fill::Constant:
            add("Keras", "Conv layers pad with zeros only; a constant of " + formatNumber(spec.value) +
                             " needs tf.pad(..., constant_values=c) before a 'valid' conv (PyTorch: F.pad(value=c)).");
            break;
        case Fill::Reflect:
            if (maxPadRows >= inputSize.rows || maxPadCols >= inputSize.cols)
                add("PyTorch", "reflect needs every pad smaller than the input (\"Padding size should be less "
                               "than the corresponding input dimension\"); TensorFlow's REFLECT refuses it too. "
                               "NumPy and OpenCV keep reflecting, as shown here.");
            add("SciPy", "This fill is called 'mirror' in scipy.ndimage; SciPy's 'reflect' is the symmetric fill.");
            break;
        case Fill::Symmetric:
            add("PyTorch", "There is no symmetric fill in PyTorch (neither padding_mode nor F.pad); use "
                           "numpy.pad(mode='symmetric') or tf.pad(mode='SYMMETRIC').");
            if (maxPadRows > inputSize.rows || maxPadCols > inputSize.cols)
                add("TensorFlow", "SYMMETRIC needs every pad no larger than the input; NumPy and OpenCV "
                                  "keep mirroring, as shown here.");
            add("SciPy", "This fill is called 'reflect' in scipy.ndimage (and BORDER_REFLECT in OpenCV).");
            break;
        case Fill::Replicate:
            add("TensorFlow", "tf.pad has no edge mode; Keras cannot express replicate padding directly.");
            break;
        case Fill::Circular:
            add("OpenCV", "filter2D does not support BORDER_WRAP; pad with copyMakeBorder(BORDER_WRAP) first, "
                          "then filter the padded image.");
            add("TensorFlow", "tf.pad has no wrap mode.");
            if (maxPadRows > inputSize.rows || maxPadCols > inputSize.cols)
                add("PyTorch", "circular refuses pads larger than the input (\"Padding value causes wrapping "
                               "around more than once\"); NumPy and OpenCV keep wrapping.");
            break;
        }
    }

    if (spec.operation == Operation::Convolution)
        add("All", "Deep-learning layers and cv::filter2D compute cross-correlation; true convolution equals "
                   "them with the kernel flipped on both axes (scipy.ndimage.convolve flips it for you).");
    return notes;
}

} // namespace padlab::core

#include "padlab/core/codegen.h"

#include "padlab/core/error.h"
#include "padlab/core/window.h"
#include "pythontext.h"
#include "text.h"

#include <algorithm>

namespace padlab::core {

namespace {

std::string n(long long v)
{
    return std::to_string(v);
}

std::string pair(int a, int b)
{
    return "(" + n(a) + ", " + n(b) + ")";
}

/// A Python string literal (the texts here are ASCII).
std::string pyString(const std::string &s)
{
    std::string out = "\"";
    for (char c : s) {
        if (c == '\\' || c == '"')
            out += '\\';
        out += c;
    }
    return out + "\"";
}

/// `1x3` for the shapes in comments and messages.
std::string size(int rows, int cols)
{
    return n(rows) + "x" + n(cols);
}

std::string perAxisText(PerAxis p)
{
    return p.rows == p.cols ? n(p.rows) : size(p.rows, p.cols);
}

/// The kernel as nested Python lists, one row per line, each weight as it reads back exactly.
std::string kernelRows(const cv::Mat &kernel, const std::string &indent)
{
    std::string out;
    for (int r = 0; r < kernel.rows; ++r) {
        out += indent + "[";
        for (int c = 0; c < kernel.cols; ++c)
            out += (c ? ", " : "") + formatNumber(kernel.at<double>(r, c));
        out += "],\n";
    }
    return out;
}

/// The `--kernel` text of padlab conv: rows split by ';'.
std::string kernelOption(const cv::Mat &kernel)
{
    std::string out;
    for (int r = 0; r < kernel.rows; ++r) {
        out += r ? ";" : "";
        for (int c = 0; c < kernel.cols; ++c)
            out += (c ? "," : "") + formatNumber(kernel.at<double>(r, c));
    }
    return out;
}

/// The padlab conv command this script stands for.
std::string convCommand(const ConvSpec &spec, const cv::Mat &kernel)
{
    std::string out = "padlab conv INPUT.csv --kernel \"" + kernelOption(kernel) + "\"";
    if (spec.amount.kind != Amount::Valid)
        out += " --pad " + padAmountText(spec.amount);
    if (spec.fill != Fill::Zeros)
        out += " --fill " + std::string(fillName(spec.fill));
    if (spec.fill == Fill::Constant)
        out += " --value " + formatNumber(spec.value);
    if (spec.stride != PerAxis{})
        out += " --stride " + perAxisText(spec.stride);
    if (spec.dilation != PerAxis{})
        out += " --dilation " + perAxisText(spec.dilation);
    if (spec.operation == Operation::Convolution)
        out += " --convolution";
    return out;
}

bool anyPadding(const Sides &s)
{
    return s.top + s.bottom + s.left + s.right > 0;
}

/// What every script needs around the framework's own code.
struct Context {
    Framework framework;
    const ConvSpec &spec;
    const cv::Mat &kernel; ///< CV_64F, not flipped
    PerAxis input;
    Geometry g;
    Sides sides;
    bool strided;
    bool dilated;
    bool oddKernel;
};

std::string header(const Context &c, const std::string &imports)
{
    const bool convolution = c.spec.operation == Operation::Convolution;
    std::string out = "#!/usr/bin/env python3\n";
    out += "# " + convCommand(c.spec, c.kernel) + "\n";
    out += "# in " + std::string(frameworkDisplayName(c.framework)) + ": the " +
           (convolution ? "true convolution" : "cross-correlation") + " of a " +
           size(c.input.rows, c.input.cols) + " input with a " + size(c.kernel.rows, c.kernel.cols) +
           " kernel, " + size(c.g.rows.output, c.g.cols.output) + " output.\n";
    out += "# Usage: python3 SCRIPT INPUT.csv (one row per line, comma-separated); prints the output as CSV.\n";
    out += "import sys\n\n" + imports + "\n";
    out += "ROWS, COLS = " + n(c.input.rows) + ", " + n(c.input.cols) +
           "  # the input size the padding below was worked out for\n";
    out += "# Rows:    " + paddingFormula(c.g.rows) + "\n";
    out += "# Columns: " + paddingFormula(c.g.cols) + "\n";
    return out;
}

std::string sidesLine(const Sides &s)
{
    return "TOP, BOTTOM, LEFT, RIGHT = " + n(s.top) + ", " + n(s.bottom) + ", " + n(s.left) + ", " +
           n(s.right) + "\n";
}

std::string readInput()
{
    return "\nif len(sys.argv) != 2:\n"
           "    sys.exit(\"usage: python3 %s INPUT.csv\" % sys.argv[0])\n"
           "x = np.loadtxt(sys.argv[1], delimiter=\",\", ndmin=2, dtype=np.float64, encoding=\"utf-8-sig\")\n"
           "if x.shape != (ROWS, COLS):\n"
           "    sys.exit(\"%s is %dx%d, but this script was written for a %dx%d input (its padding and the \"\n"
           "             \"limits it respects depend on the size): run padlab code on that file\"\n"
           "             % (sys.argv[1], x.shape[0], x.shape[1], ROWS, COLS))\n";
}

std::string kernelArray(const Context &c)
{
    return "w = np.array([\n" + kernelRows(c.kernel, "    ") + "], dtype=np.float64)\n";
}

std::string printOutput()
{
    return "\n# repr() prints each float64 so that it reads back exactly.\n"
           "for row in y:\n"
           "    print(\",\".join(repr(float(v)) for v in row))\n";
}

/// The rest of a script whose output is empty: say why on standard error, as padlab conv does.
std::string emptyOutput(const Context &c)
{
    return "\n# No window fits, so there is nothing to compute (the framework would refuse the call).\n"
           "print(" + pyString(emptyOutputReason(c.g)) + ", file=sys.stderr)\n";
}

std::string flipComment(const std::string &who)
{
    return "# " + who + " cross-correlates; flipping the kernel on both axes makes it a true convolution.\n";
}

/// Why the same padding is not the framework's own one-word 'same', where that matters.
std::string sameNote(const Context &c)
{
    if (c.spec.amount.kind != Amount::Same)
        return {};
    const bool oddRows = (c.sides.top + c.sides.bottom) % 2 == 1;
    const bool oddCols = (c.sides.left + c.sides.right) % 2 == 1;
    if (!oddRows && !oddCols)
        return {};
    return "# 'same' follows TensorFlow: an odd total puts the extra cell after (bottom, right).\n";
}

std::string evenKernelNote(const Context &c, const std::string &who)
{
    if (c.oddKernel)
        return {};
    return "# An even kernel has no centre: " + who + "'s own anchor is k//2 = " +
           pair(c.kernel.cols / 2, c.kernel.rows / 2) +
           " (x, y), which puts the extra\n"
           "# cell before the centre, while TensorFlow's 'same' puts it after; anchor (0, 0) on the padded\n"
           "# array reads exactly the cells padded here.\n";
}

// ---- refusals --------------------------------------------------------------------------------

std::vector<std::string> refusals(const Context &c)
{
    std::vector<std::string> reasons;
    const FillFact &fact = fillFact(c.framework, c.spec.fill);
    if (anyPadding(c.sides)) {
        if (!fact.supported) {
            reasons.push_back(fact.note);
        } else if (const std::string wide = padBeyondLimit(fact.limit, c.sides, c.input); !wide.empty()) {
            reasons.push_back(std::string(padCall(c.framework)) + "'s " + fact.limitText + ", but these settings pad " +
                              wide + "; NumPy and OpenCV keep " + std::string(keepsGoing(c.spec.fill)) + ".");
        }
    }
    for (const LayerFact &layer : layerFacts())
        if (layer.op == OpKind::Conv && layer.framework == c.framework && !layer.paddingFirstHelps &&
            breaks(layer.rule, c.spec, c.input))
            reasons.push_back(layer.text);
    return reasons;
}

// ---- PyTorch ---------------------------------------------------------------------------------

/// The mode word of @p framework's padding call for @p fill, from the table of framework facts.
std::string modeOf(Framework framework, Fill fill)
{
    return fillFact(framework, fill).mode;
}

/// What a fill does, as a script's comment says it after the mode's name.
std::string fillDoes(Fill fill)
{
    switch (fill) {
    case Fill::Zeros:
    case Fill::Constant: return "pads a constant";
    case Fill::Reflect: return "mirrors without repeating the edge";
    case Fill::Symmetric: return "mirrors repeating the edge";
    case Fill::Replicate: return "repeats the edge cell";
    case Fill::Circular: return "wraps around";
    }
    return {};
}

/// The limit a framework puts on a fill's pads, as a script's comment says it.
std::string limitComment(PadLimit limit)
{
    switch (limit) {
    case PadLimit::None: return {};
    case PadLimit::BelowInput: return "; each pad must be smaller than the input";
    case PadLimit::UpToInput: return "; no pad may exceed the input";
    }
    return {};
}

std::string pytorchFillComment(const ConvSpec &spec)
{
    if (spec.fill == Fill::Zeros)
        return "zeros";
    if (spec.fill == Fill::Constant)
        return "the constant " + formatNumber(spec.value);
    const FillFact &fact = fillFact(Framework::PyTorch, spec.fill);
    return "mode='" + fact.mode + "' " + fillDoes(spec.fill) + " (" + std::string(fillDiagram(spec.fill)) + ")" +
           limitComment(fact.limit);
}

std::string pytorchScript(const Context &c)
{
    std::string out = header(c, "import numpy as np\nimport torch\nimport torch.nn.functional as F\n");
    const bool sameStride1 = c.spec.amount.kind == Amount::Same && !c.strided;
    const bool zeros = c.spec.fill == Fill::Zeros;
    const bool evenSplit = c.sides.top == c.sides.bottom && c.sides.left == c.sides.right;
    const bool usePad = anyPadding(c.sides) && !(zeros && (sameStride1 || evenSplit));
    if (usePad)
        out += sidesLine(c.sides);
    out += readInput();
    if (c.g.empty())
        return out + emptyOutput(c);
    out += "x = torch.from_numpy(x).reshape(1, 1, ROWS, COLS)  # batch, channels, rows, columns\n";
    out += kernelArray(c);
    out += "w = torch.from_numpy(w).reshape(1, 1, " + n(c.kernel.rows) + ", " + n(c.kernel.cols) +
           ")  # out channels, in channels, rows, columns\n";
    if (c.spec.operation == Operation::Convolution)
        out += flipComment("F.conv2d") + "w = torch.flip(w, dims=(2, 3))\n";
    out += "\n";
    const std::string strideDilation =
        "stride=" + pair(c.spec.stride.rows, c.spec.stride.cols) + ", dilation=" +
        pair(c.spec.dilation.rows, c.spec.dilation.cols);
    if (!anyPadding(c.sides)) {
        out += "# " + std::string(c.spec.amount.kind == Amount::Valid ? "valid: no padding" : "No padding is needed here") +
               " (PyTorch's padding=0).\n";
        out += "y = F.conv2d(x, w, " + strideDilation + ")\n";
    } else if (zeros && sameStride1) {
        out += "# At stride 1 PyTorch's padding='same' splits d*(k-1) as TensorFlow does, the odd extra cell\n"
               "# after: rows " + n(c.sides.top) + "/" + n(c.sides.bottom) + ", columns " + n(c.sides.left) + "/" +
               n(c.sides.right) + ".\n";
        out += "y = F.conv2d(x, w, padding=\"same\", dilation=" + pair(c.spec.dilation.rows, c.spec.dilation.cols) + ")\n";
    } else if (zeros && evenSplit) {
        if (c.spec.amount.kind == Amount::Same)
            out += "# padding='same' is refused for strided convolutions (\"padding='same' is not supported for\n"
                   "# strided convolutions\"); TensorFlow's 'same' pads are even here, so they are given as numbers.\n";
        out += "# padding=(rows, columns) adds that many zeros on both sides of each axis.\n";
        out += "y = F.conv2d(x, w, " + strideDilation + ", padding=" + pair(c.sides.top, c.sides.left) + ")\n";
    } else {
        if (c.spec.amount.kind == Amount::Same && c.strided)
            out += "# PyTorch's padding='same' refuses a stride above 1 (\"padding='same' is not supported for\n"
                   "# strided convolutions\"), so the TensorFlow-rule pads are applied with F.pad.\n";
        else if (zeros && !evenSplit)
            out += "# Conv2d's padding is the same on both sides of an axis; these uneven pads need F.pad first.\n";
        out += sameNote(c);
        if (evenSplit && !zeros && c.spec.fill != Fill::Constant)
            out += "# nn.Conv2d(1, 1, " + pair(c.kernel.rows, c.kernel.cols) + ", padding=" + pair(c.sides.top, c.sides.left) +
                   ", padding_mode='" + modeOf(Framework::PyTorch, c.spec.fill) + "') pads the same way.\n";
        out += "# F.pad lists the last axis first: (left, right, top, bottom). Fill: " + pytorchFillComment(c.spec) + ".\n";
        out += "x = F.pad(x, (LEFT, RIGHT, TOP, BOTTOM), mode=\"" + modeOf(Framework::PyTorch, c.spec.fill) + "\"";
        if (c.spec.fill == Fill::Constant)
            out += ", value=" + formatNumber(c.spec.value);
        out += ")\n";
        out += "y = F.conv2d(x, w, " + strideDilation + ")\n";
    }
    out += "y = y[0, 0].numpy()\n";
    return out + printOutput();
}

// ---- OpenCV ----------------------------------------------------------------------------------

std::string opencvBorder(Fill fill)
{
    return "cv2." + modeOf(Framework::OpenCV, fill);
}

std::string opencvFillComment(Fill fill)
{
    const std::string border = modeOf(Framework::OpenCV, fill);
    switch (fill) {
    case Fill::Zeros: return border + " pads zeros";
    case Fill::Constant: return border + " pads the value given";
    case Fill::Reflect:
        return border + " (OpenCV's default) " + fillDoes(fill) + ": " + std::string(fillDiagram(fill));
    default: return border + " " + fillDoes(fill) + ": " + std::string(fillDiagram(fill));
    }
}

std::string opencvScript(const Context &c)
{
    std::string out = header(c, "import cv2\nimport numpy as np\n");
    // filter2D pads by itself where its own anchor (the centre) gives these pads: an odd kernel,
    // stride 1, 'same', and a border it supports.
    const bool selfPadding = c.spec.amount.kind == Amount::Same && !c.strided && !c.dilated && c.oddKernel &&
                             c.spec.fill != Fill::Circular && c.spec.fill != Fill::Constant;
    const bool padded = anyPadding(c.sides);
    if (padded && !selfPadding)
        out += sidesLine(c.sides);
    out += readInput();
    if (c.g.empty())
        return out + emptyOutput(c);
    out += kernelArray(c);
    if (c.spec.operation == Operation::Convolution)
        out += flipComment("filter2D") + "w = cv2.flip(w, -1)\n";
    out += "\n";
    if (selfPadding) {
        out += "# For an odd kernel at stride 1, 'same' pads k//2 on every side, which is where filter2D's own\n"
               "# anchor (the kernel's centre) puts the border, so filter2D pads by itself. " +
               opencvFillComment(c.spec.fill) + ".\n";
        out += "y = cv2.filter2D(x, -1, w, borderType=" + opencvBorder(c.spec.fill) + ")\n";
        return out + printOutput();
    }
    if (padded) {
        out += sameNote(c);
        out += "# Pad first: " + opencvFillComment(c.spec.fill) + ".\n";
        if (c.spec.fill == Fill::Circular)
            out += "# filter2D itself has no BORDER_WRAP, so copyMakeBorder wraps and filter2D reads only the padded array.\n";
        out += "x = cv2.copyMakeBorder(x, TOP, BOTTOM, LEFT, RIGHT, " + opencvBorder(c.spec.fill);
        if (c.spec.fill == Fill::Constant)
            out += ", value=" + formatNumber(c.spec.value);
        out += ")\n";
    }
    if (c.dilated) {
        out += "# Dilation " + perAxisText(c.spec.dilation) + ": spread the taps apart with zeros between them, a " +
               size(c.g.rows.extent, c.g.cols.extent) + " kernel.\n";
        out += "spread = np.zeros(" + pair(c.g.rows.extent, c.g.cols.extent) + ")\n";
        out += "spread[::" + n(c.spec.dilation.rows) + ", ::" + n(c.spec.dilation.cols) + "] = w\n";
        out += "w = spread\n";
    }
    out += evenKernelNote(c, "filter2D");
    out += "# With anchor (0, 0) output cell (i, j) is the window whose top-left corner is cell (i, j); only\n"
           "# the first " + n(c.g.rows.padded - c.g.rows.extent + 1) + " rows and " +
           n(c.g.cols.padded - c.g.cols.extent + 1) +
           " columns are whole windows, the rest reach past the array and are cut off.\n";
    out += "y = cv2.filter2D(x, -1, w, anchor=(0, 0), borderType=cv2.BORDER_CONSTANT)\n";
    const std::string rowStep = c.spec.stride.rows > 1 ? ":" + n(c.spec.stride.rows) : "";
    const std::string colStep = c.spec.stride.cols > 1 ? ":" + n(c.spec.stride.cols) : "";
    if (c.strided)
        out += "# Stride " + perAxisText(c.spec.stride) + ": keep every " +
               (c.spec.stride.rows == c.spec.stride.cols ? "stride-th window" : "stride-th row and column window") + ".\n";
    out += "y = y[:" + n(c.g.rows.padded - c.g.rows.extent + 1) + rowStep + ", :" +
           n(c.g.cols.padded - c.g.cols.extent + 1) + colStep + "]\n";
    return out + printOutput();
}

// ---- NumPy -----------------------------------------------------------------------------------

std::string scipyComment(Fill fill)
{
    const std::string mode = "scipy.ndimage calls it mode='" + modeOf(Framework::SciPy, fill) + "'";
    switch (fill) {
    case Fill::Zeros: return mode + " (cval=0)";
    case Fill::Constant: return mode + " with cval";
    case Fill::Reflect:
    case Fill::Symmetric: return mode + "; the two mirrors swap names between NumPy and SciPy";
    default: return mode;
    }
}

/// The widest pad np.pad of every NumPy release handles by mirroring or wrapping once.
int onePeriod(Fill fill, int dim)
{
    return fill == Fill::Reflect ? dim - 1 : dim;
}

bool numpyNeedsIndex(const Context &c)
{
    const Fill f = c.spec.fill;
    if (f != Fill::Reflect && f != Fill::Symmetric && f != Fill::Circular)
        return false;
    const auto wideUneven = [&](int before, int after, int dim) {
        return before != after && std::max(before, after) > onePeriod(f, dim);
    };
    return wideUneven(c.sides.top, c.sides.bottom, c.input.rows) ||
           wideUneven(c.sides.left, c.sides.right, c.input.cols);
}

std::string numpyScript(const Context &c)
{
    std::string out = header(c, "import numpy as np\nfrom numpy.lib.stride_tricks import sliding_window_view\n");
    const bool padded = anyPadding(c.sides);
    if (padded)
        out += sidesLine(c.sides);
    out += readInput();
    if (c.g.empty())
        return out + emptyOutput(c);
    out += kernelArray(c);
    if (c.spec.operation == Operation::Convolution)
        out += "# The sum below cross-correlates; flipping the kernel on both axes makes it a true convolution\n"
               "# (scipy.ndimage.convolve flips it for you).\n"
               "w = w[::-1, ::-1]\n";
    out += "\n";
    if (padded) {
        out += sameNote(c);
        const std::string mode = modeOf(Framework::NumPy, c.spec.fill);
        out += "# Fill: mode='" + mode + "'; " + scipyComment(c.spec.fill) + ".\n";
        if (numpyNeedsIndex(c)) {
            out += "# np.pad(x, ((TOP, BOTTOM), (LEFT, RIGHT)), mode='" + mode +
                   "') means the same, but older NumPy releases give\n"
                   "# non-periodic tails for uneven pads wider than the input, so the padded cells are taken by index.\n";
            out += detail::numpyDonor(c.spec.fill);
            out += "x = x[np.ix_(donor(np.arange(-TOP, ROWS + BOTTOM), ROWS), donor(np.arange(-LEFT, COLS + RIGHT), COLS))]\n";
        } else {
            out += "x = np.pad(x, ((TOP, BOTTOM), (LEFT, RIGHT)), mode=\"" + mode + "\"";
            if (c.spec.fill == Fill::Constant)
                out += ", constant_values=" + formatNumber(c.spec.value);
            out += ")\n";
        }
    } else {
        out += "# " + std::string(c.spec.amount.kind == Amount::Valid ? "valid: no padding" : "No padding is needed here") + ".\n";
    }
    out += "# Every window the dilated kernel (" + size(c.g.rows.extent, c.g.cols.extent) +
           ") covers; then every stride-th window and every dilation-th tap in it.\n";
    out += "windows = sliding_window_view(x, " + pair(c.g.rows.extent, c.g.cols.extent) + ")[::" +
           n(c.spec.stride.rows) + ", ::" + n(c.spec.stride.cols) + ", ::" + n(c.spec.dilation.rows) + ", ::" +
           n(c.spec.dilation.cols) + "]\n";
    out += "y = np.einsum(\"ijab,ab->ij\", windows, w)\n";
    out += "# scipy.ndimage.correlate(x, w, mode=...) pads by itself but centres the kernel at k//2 (an even kernel's\n"
           "# extra tap before the centre) and has neither stride nor dilation.\n";
    return out + printOutput();
}

// ---- Keras / TensorFlow ----------------------------------------------------------------------

std::string kerasLayer(const Context &c, const std::string &layer, const std::string &padding)
{
    if (layer == "Conv1D")
        return "conv = keras.layers.Conv1D(1, " + n(c.kernel.cols) + ", strides=" + n(c.spec.stride.cols) +
               ", padding=\"" + padding + "\", dilation_rate=" + n(c.spec.dilation.cols) +
               ",\n                           use_bias=False, dtype=\"float64\")\n";
    return "conv = keras.layers.Conv2D(1, " + pair(c.kernel.rows, c.kernel.cols) + ", strides=" +
           pair(c.spec.stride.rows, c.spec.stride.cols) + ", padding=\"" + padding + "\", dilation_rate=" +
           pair(c.spec.dilation.rows, c.spec.dilation.cols) +
           ",\n                           use_bias=False, dtype=\"float64\")\n";
}

std::string kerasScript(const Context &c)
{
    std::string out = header(c, "import keras\nimport numpy as np\nimport tensorflow as tf\n");
    const bool zeros = c.spec.fill == Fill::Zeros;
    const bool padded = anyPadding(c.sides);
    const Amount kind = c.spec.amount.kind;
    const bool ownPadding = !padded || (zeros && kind == Amount::Same);
    // Keras' causal padding is Conv1D's: each row is a signal of its own when the kernel is one
    // row and the rows are not strided.
    const bool causal1d = zeros && kind == Amount::Causal && c.kernel.rows == 1 && c.spec.stride.rows == 1;
    if (!ownPadding && !causal1d)
        out += sidesLine(c.sides);
    out += readInput();
    if (c.g.empty())
        return out + emptyOutput(c);
    out += kernelArray(c);
    if (c.spec.operation == Operation::Convolution)
        out += flipComment("Conv2D") + "w = w[::-1, ::-1]\n";
    out += "\n";
    if (causal1d) {
        out += "# padding='causal' is Conv1D's: " + n(c.sides.left) +
               " zeros in front, so output t reads only inputs at or before t.\n"
               "# Each row is a signal of its own: a batch of ROWS sequences of COLS steps, one channel.\n";
        out += kerasLayer(c, "Conv1D", "causal");
        out += "conv.build((None, COLS, 1))\n";
        out += "conv.set_weights([w.reshape(" + n(c.kernel.cols) + ", 1, 1)])  # kernel shape: steps, input channels, filters\n";
        out += "y = np.asarray(conv(x.reshape(ROWS, COLS, 1)))[:, :, 0]\n";
        return out + printOutput();
    }
    out += "x = x.reshape(1, ROWS, COLS, 1)  # batch, rows, columns, channels (channels_last)\n";
    std::string padding = "valid";
    if (ownPadding) {
        if (kind == Amount::Same) {
            padding = "same";
            out += "# Keras' 'same' is TensorFlow's rule: rows " + n(c.sides.top) + "/" + n(c.sides.bottom) +
                   ", columns " + n(c.sides.left) + "/" + n(c.sides.right) + " zeros (an odd extra cell after).\n";
        } else {
            out += "# " + std::string(kind == Amount::Valid ? "valid: no padding." : "No padding is needed here.") + "\n";
        }
    } else {
        if (kind == Amount::Full)
            out += "# No Keras layer accepts padding='full'; the e-1 cells on every side go through tf.pad.\n";
        if (kind == Amount::Causal)
            out += "# 'causal' exists only for Conv1D; here the top and the left get e-1 cells through tf.pad.\n";
        if (kind == Amount::Same)
            out += "# Conv layers pad 'same' with zeros only, so TensorFlow's 'same' pads go through tf.pad.\n";
        if (c.spec.fill == Fill::Constant)
            out += "# Conv layers pad with zeros only; a constant needs tf.pad(..., constant_values=c).\n";
        if (zeros)
            out += "# keras.layers.ZeroPadding2D(((TOP, BOTTOM), (LEFT, RIGHT))) pads the same zeros.\n";
        if (c.spec.fill == Fill::Reflect)
            out += "# REFLECT mirrors without repeating the edge (dcb|abcd|cba); every pad must be smaller than the input.\n";
        if (c.spec.fill == Fill::Symmetric)
            out += "# SYMMETRIC mirrors repeating the edge (cba|abcd|dcb); no pad may exceed the input.\n";
        out += sameNote(c);
        out += "# tf.pad takes (before, after) for every axis: batch, rows, columns, channels.\n";
        out += "x = tf.pad(x, [[0, 0], [TOP, BOTTOM], [LEFT, RIGHT], [0, 0]], mode=\"" + modeOf(Framework::Keras, c.spec.fill) + "\"";
        if (c.spec.fill == Fill::Constant)
            out += ", constant_values=" + formatNumber(c.spec.value);
        out += ")\n";
    }
    out += kerasLayer(c, "Conv2D", padding);
    out += "conv.build((None, None, None, 1))\n";
    out += "conv.set_weights([w.reshape(" + n(c.kernel.rows) + ", " + n(c.kernel.cols) +
           ", 1, 1)])  # kernel shape: rows, columns, input channels, filters\n";
    out += "y = np.asarray(conv(x))[0, :, :, 0]\n";
    return out + printOutput();
}

} // namespace

const std::vector<Framework> &codeFrameworks()
{
    static const std::vector<Framework> frameworks = {Framework::Keras, Framework::PyTorch, Framework::OpenCV,
                                                      Framework::NumPy};
    return frameworks;
}

std::optional<Framework> parseFramework(std::string_view name)
{
    const std::string lowered = text::lower(text::trim(name));
    for (Framework f : codeFrameworks()) {
        if (lowered == frameworkName(f))
            return f;
    }
    return std::nullopt;
}

GeneratedCode generateCode(Framework framework, const ConvSpec &spec, const cv::Mat &kernel,
                           PerAxis inputSize)
{
    if (std::find(codeFrameworks().begin(), codeFrameworks().end(), framework) == codeFrameworks().end())
        throw Error("padlab code writes no " + std::string(frameworkDisplayName(framework)) +
                    " script; the NumPy script names its modes");
    if (kernel.channels() != 1)
        throw Error("the kernel must have one channel, not " + n(kernel.channels()));
    if (const auto problem = validate(spec, inputSize, {kernel.rows, kernel.cols}))
        throw Error(*problem);
    cv::Mat weights;
    kernel.convertTo(weights, CV_64F);
    const Geometry g = geometry(inputSize, {kernel.rows, kernel.cols}, spec);
    const Context context{framework,
                          spec,
                          weights,
                          inputSize,
                          g,
                          g.sides(),
                          spec.stride.rows > 1 || spec.stride.cols > 1,
                          spec.dilation.rows > 1 || spec.dilation.cols > 1,
                          kernel.rows % 2 == 1 && kernel.cols % 2 == 1};
    GeneratedCode code;
    const std::vector<std::string> reasons = refusals(context);
    if (!reasons.empty()) {
        for (const std::string &reason : reasons)
            code.reason += (code.reason.empty() ? "" : " ") + reason;
        return code;
    }
    switch (framework) {
    case Framework::Keras: code.script = kerasScript(context); break;
    case Framework::PyTorch: code.script = pytorchScript(context); break;
    case Framework::OpenCV: code.script = opencvScript(context); break;
    case Framework::NumPy: code.script = numpyScript(context); break;
    case Framework::SciPy: break;
    }
    return code;
}

namespace detail {

std::string numpyDonor(Fill fill)
{
    switch (fill) {
    case Fill::Reflect:
        return "def donor(p, n):\n"
               "    \"\"\"Input index of padded index p: reflect has period 2(n-1), the edge not repeated.\"\"\"\n"
               "    if n == 1:\n"
               "        return np.zeros_like(p)\n"
               "    m = np.mod(p, 2 * (n - 1))\n"
               "    return np.where(m < n, m, 2 * (n - 1) - m)\n";
    case Fill::Symmetric:
        return "def donor(p, n):\n"
               "    \"\"\"Input index of padded index p: symmetric has period 2n, the edge repeated.\"\"\"\n"
               "    m = np.mod(p, 2 * n)\n"
               "    return np.where(m < n, m, 2 * n - 1 - m)\n";
    default:
        return "def donor(p, n):\n"
               "    \"\"\"Input index of padded index p: wrap has period n.\"\"\"\n"
               "    return np.mod(p, n)\n";
    }
}

} // namespace detail

} // namespace padlab::core

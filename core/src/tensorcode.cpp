#include "padlab/core/tensorcode.h"

#include "padlab/core/error.h"
#include "padlab/core/window.h"
#include "pythontext.h"

#include <algorithm>
#include <numeric>

namespace padlab::core {

namespace {

std::string n(long long v)
{
    return std::to_string(v);
}

/// A Python tuple of whole numbers: `(3,)`, `(2, 3)`.
std::string tuple(const std::vector<int> &values)
{
    std::string out = "(";
    for (size_t i = 0; i < values.size(); ++i)
        out += (i ? ", " : "") + n(values[i]);
    return out + (values.size() == 1 ? ",)" : ")");
}

/// A Python list of numbers, each as it reads back exactly, eight to a line.
std::string numbers(const std::vector<double> &values)
{
    std::string out = "[";
    for (size_t i = 0; i < values.size(); ++i) {
        out += i == 0 ? "" : (i % 8 == 0 ? ",\n    " : ", ");
        out += formatNumber(values[i]);
    }
    return out + "]";
}

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

std::string sizeText(const std::vector<int> &sizes)
{
    std::string out;
    for (size_t i = 0; i < sizes.size(); ++i)
        out += (i ? "x" : "") + n(sizes[i]);
    return out;
}

/// Everything a script needs to know about the request, worked out once.
struct Plan {
    Framework framework = Framework::NumPy;
    const TensorCodeRequest &request;
    int rank = 0;
    int channels = 1;
    int filters = 1;
    int groups = 1;
    bool spatialKernel = false;
    std::vector<int> kernel;  ///< spatial size
    std::vector<int> stride;  ///< per axis
    std::vector<int> dilation;
    std::vector<int> extent;
    std::vector<int> output;
    std::vector<AxisPads> pads;   ///< conv: padding; pool: padding; convt: crops
    std::vector<int> after;       ///< convt: output padding; pool: cells past the padded input
    std::string emptyReason;
    Layout outputLayout = Layout::CHW;

    explicit Plan(const TensorCodeRequest &r) : request(r) {}
};

std::vector<int> arrayShape(const TensorShape &shape, Layout layout)
{
    std::vector<int> out;
    if (hasChannels(layout))
        out.push_back(shape.channels);
    out.insert(out.end(), shape.spatial.begin(), shape.spatial.end());
    return out;
}

Plan makePlan(Framework framework, const TensorCodeRequest &r)
{
    Plan p(r);
    p.framework = framework;
    p.rank = r.input.spatialRank();
    p.channels = r.input.channels;
    switch (r.op) {
    case OpKind::Conv: {
        const TensorGeometry g = tensorGeometry(r.conv, r.input, r.kernel);
        p.spatialKernel = r.kernel.rank() == p.rank;
        p.filters = filterCount(r.kernel, r.input);
        p.groups = p.spatialKernel ? p.channels : r.conv.groups;
        for (const AxisGeometry &a : g.axes) {
            p.kernel.push_back(a.kernel);
            p.stride.push_back(a.stride);
            p.dilation.push_back(a.dilation);
            p.extent.push_back(a.extent);
            p.output.push_back(a.output);
            p.pads.push_back({a.before, a.after});
        }
        p.emptyReason = emptyOutputReason(g);
        break;
    }
    case OpKind::Pool: {
        p.filters = p.channels;
        for (const PoolAxis &a : poolGeometry(r.pool, r.input)) {
            p.kernel.push_back(a.window);
            p.stride.push_back(a.stride);
            p.dilation.push_back(a.dilation);
            p.extent.push_back(a.extent);
            p.output.push_back(a.output);
            p.pads.push_back({a.before, a.after});
            p.after.push_back(a.output == 0 ? 0 : std::max(0, (a.output - 1) * a.stride + a.extent - a.padded));
            if (a.output == 0 && p.emptyReason.empty())
                p.emptyReason = "The output is empty: the window reaches " + n(a.extent) +
                                " cells but the padded input has " + n(a.padded) + ", so no window fits.";
        }
        break;
    }
    case OpKind::ConvT: {
        p.spatialKernel = r.kernel.rank() == p.rank;
        p.groups = p.spatialKernel ? p.channels : r.convt.groups;
        p.filters = convtFilterCount(r.kernel, r.input, r.convt.groups);
        for (const ConvTAxis &a : convtGeometry(r.convt, r.input, r.kernel)) {
            p.kernel.push_back(a.kernel);
            p.stride.push_back(a.stride);
            p.dilation.push_back(a.dilation);
            p.extent.push_back(a.extent);
            p.output.push_back(a.output);
            p.pads.push_back({a.before, a.after});
            p.after.push_back(a.outputPadding);
        }
        break;
    }
    }
    p.outputLayout = p.filters == 1 && !hasChannels(r.layout) ? r.layout : withChannels(r.layout);
    return p;
}

bool anyPadding(const std::vector<AxisPads> &pads)
{
    return std::any_of(pads.begin(), pads.end(), [](const AxisPads &a) { return a.before + a.after > 0; });
}

// ---- what every script shares ------------------------------------------------------------------

std::string opWords(const Plan &p)
{
    const TensorCodeRequest &r = p.request;
    switch (r.op) {
    case OpKind::Conv:
        return std::string(r.conv.operation == Operation::Convolution ? "true convolution" : "cross-correlation") +
               (p.spatialKernel ? " with one " + sizeText(p.kernel) + " kernel on every channel"
                                : " with " + n(p.filters) + " filters of " + sizeText(p.kernel) +
                                      (p.groups > 1 ? " in " + n(p.groups) + " groups" : ""));
    case OpKind::Pool:
        return std::string(r.pool.op == PoolOp::Max ? "max" : "average") + " pooling, window " + sizeText(p.kernel);
    case OpKind::ConvT:
        return "transposed convolution with " + n(p.filters) + " filters of " + sizeText(p.kernel);
    }
    return {};
}

std::string header(const Plan &p, const std::string &imports)
{
    const TensorCodeRequest &r = p.request;
    std::string out = "#!/usr/bin/env python3\n";
    out += "# In " + std::string(frameworkDisplayName(p.framework)) + ": the " + opWords(p) + " of a " +
           std::string(layoutName(r.layout)) + " input of shape " + sizeText(arrayShape(r.input, r.layout)) +
           " (channels first), output " + sizeText(p.output) + (p.filters > 1 ? " x " + n(p.filters) + " channels" : "") +
           ".\n";
    out += "# Usage: python3 SCRIPT INPUT.npy|INPUT.csv; prints the output as CSV, as padlab does.\n";
    out += "import sys\n\nimport numpy as np\n" + imports + "\n";
    out += "SHAPE = " + tuple(arrayShape(r.input, r.layout)) + "  # the input array (" +
           std::string(layoutName(r.layout)) + ") these settings were worked out for\n";
    out += "C, SPATIAL = " + n(p.channels) + ", " + tuple(r.input.spatial) + "\n";
    return out;
}

std::string helpers()
{
    return "\n\ndef read_tensor(path):\n"
           "    \"\"\"The array of a .npy file, or of tensor CSV: rows of numbers, blocks of rows separated by one\n"
           "    blank line, groups of blocks by two.\"\"\"\n"
           "    if path.lower().endswith(\".npy\"):\n"
           "        return np.load(path, allow_pickle=False).astype(np.float64)\n"
           "    with open(path, encoding=\"utf-8-sig\") as f:\n"
           "        lines = f.read().replace(\"\\r\", \"\").rstrip(\"\\n\").split(\"\\n\")\n"
           "    groups, blocks, rows, blank = [], [], [], 0\n"
           "    for line in lines:\n"
           "        if not line.strip():\n"
           "            blank += 1\n"
           "            continue\n"
           "        if blank and rows:\n"
           "            blocks.append(rows)\n"
           "            rows = []\n"
           "        if blank >= 2 and blocks:\n"
           "            groups.append(blocks)\n"
           "            blocks = []\n"
           "        blank = 0\n"
           "        rows.append([float(v) for v in line.split(\",\")])\n"
           "    blocks.append(rows)\n"
           "    groups.append(blocks)\n"
           "    return np.array(groups, dtype=np.float64)\n"
           "\n\ndef number(v):\n"
           "    \"\"\"repr() reads back exactly; whole numbers without '.0', as padlab prints them.\"\"\"\n"
           "    text = repr(float(v))\n"
           "    return text[:-2] if text.endswith(\".0\") else text\n"
           "\n\ndef print_tensor(y):\n"
           "    \"\"\"Rows of the last axis, one blank line between blocks, two between groups of blocks.\"\"\"\n"
           "    y = np.asarray(y, dtype=np.float64)\n"
           "    y = y.reshape((1,) * (4 - y.ndim) + y.shape)\n"
           "    print(\"\\n\\n\\n\".join(\"\\n\\n\".join(\"\\n\".join(\",\".join(number(v) for v in row) for row in block)\n"
           "                                     for block in group) for group in y))\n";
}

std::string readInput()
{
    return "\n\nif len(sys.argv) != 2:\n"
           "    sys.exit(\"usage: python3 %s INPUT.npy|INPUT.csv\" % sys.argv[0])\n"
           "x = read_tensor(sys.argv[1])\n"
           "while x.ndim > len(SHAPE) and x.shape[0] == 1:\n"
           "    x = x[0]\n"
           "if x.shape != SHAPE:\n"
           "    sys.exit(\"%s holds an array of shape %s, but this script was written for %s (its padding and \"\n"
           "             \"the limits it respects depend on the size): run padlab code on that file\"\n"
           "             % (sys.argv[1], x.shape, SHAPE))\n"
           "x = x.reshape((C,) + SPATIAL)  # channels first, always with the channel axis\n";
}

std::string emptyOutput(const Plan &p)
{
    return "\n# No window fits, so there is nothing to compute (the framework would refuse the call).\n"
           "print(" + pyString(p.emptyReason) + ", file=sys.stderr)\n";
}

/// The output as padlab prints it: without the channel axis when the input had none and there is
/// one channel.
std::string printOutput(const Plan &p)
{
    std::string out;
    if (!hasChannels(p.outputLayout))
        out += "y = y[0]  # one channel, and the input had no channel axis\n";
    return out + "print_tensor(y)\n";
}

std::string weights(const Plan &p, const std::string &layout)
{
    const TensorKernel &k = p.request.kernel;
    std::string out = "w = np.array(" + numbers(k.weights) + ", dtype=np.float64).reshape(" + tuple(k.shape) +
                      ")  # " + layout + "\n";
    if (!k.bias.empty())
        out += "b = np.array(" + numbers(k.bias) + ", dtype=np.float64)  # one value per filter\n";
    return out;
}

/// The spatial kernel made into one filter per channel, as groups = C.
std::string perChannel(const Plan &p, const std::string &array)
{
    if (!p.spatialKernel)
        return {};
    return "# One kernel for every channel on its own: C groups of one channel and one filter each.\n"
           "w = np." + array + "(w.reshape((1, 1) + w.shape), (C, 1) + (1,) * " + n(p.rank) + ")\n";
}

std::string flip(const Plan &p)
{
    if (p.request.op != OpKind::Conv || p.request.conv.operation != Operation::Convolution)
        return {};
    return "# Frameworks cross-correlate; flipping the kernel's spatial axes makes it a true convolution.\n"
           "w = np.flip(w, axis=tuple(range(w.ndim - " + n(p.rank) + ", w.ndim))).copy()\n";
}

// ---- refusals: from the tables of framework facts --------------------------------------------

std::vector<std::string> fillRefusals(const Plan &p)
{
    std::vector<std::string> reasons;
    const TensorConvSpec &spec = p.request.conv;
    if (!anyPadding(p.pads))
        return reasons;
    const FillFact &fact = fillFact(p.framework, spec.fill);
    if (!fact.supported) {
        reasons.push_back(fact.note);
        return reasons;
    }
    for (int a = 0; a < p.rank; ++a) {
        const AxisPads &pad = p.pads[size_t(a)];
        const int widest = std::max(pad.before, pad.after);
        const int size = p.request.input.spatial[size_t(a)];
        if (!withinLimit(fact.limit, widest, size)) {
            reasons.push_back(std::string(padCall(p.framework)) + "'s " + fact.limitText + ", but these settings pad " +
                              n(widest) + " cells on an axis of " + n(size) + "; NumPy and OpenCV keep " +
                              std::string(keepsGoing(spec.fill)) + ".");
            break;
        }
    }
    return reasons;
}

void refuseBy(std::vector<std::string> &reasons, Framework framework, LayerRule rule)
{
    reasons.push_back(layerFact(framework, rule).text + ".");
}

std::vector<std::string> refusals(const Plan &p)
{
    const TensorCodeRequest &r = p.request;
    std::vector<std::string> reasons;
    switch (r.op) {
    case OpKind::Conv: {
        if (p.framework == Framework::OpenCV) {
            if (p.rank == 3)
                refuseBy(reasons, Framework::OpenCV, LayerRule::Volume);
            else if (!p.spatialKernel || !r.kernel.bias.empty())
                refuseBy(reasons, Framework::OpenCV, LayerRule::TensorChannels);
        }
        reasons = reasons.empty() ? fillRefusals(p) : reasons;
        const bool strided = std::any_of(p.stride.begin(), p.stride.end(), [](int s) { return s > 1; });
        const bool dilated = std::any_of(p.dilation.begin(), p.dilation.end(), [](int d) { return d > 1; });
        if (p.framework == Framework::Keras && strided && dilated)
            refuseBy(reasons, Framework::Keras, LayerRule::StrideWithDilation);
        break;
    }
    case OpKind::Pool: {
        if (p.framework == Framework::OpenCV) {
            refuseBy(reasons, Framework::OpenCV, LayerRule::TensorChannels);
            break;
        }
        const std::vector<PoolAxis> axes = poolGeometry(r.pool, r.input);
        for (const LayerFact &fact : layerFacts())
            if (fact.op == OpKind::Pool && fact.framework == p.framework && breaks(fact.rule, p.framework, r.pool, axes))
                refuseBy(reasons, p.framework, fact.rule);
        break;
    }
    case OpKind::ConvT: {
        if (p.framework == Framework::OpenCV) {
            refuseBy(reasons, Framework::OpenCV, LayerRule::TensorChannels);
            break;
        }
        const std::vector<ConvTAxis> axes = convtGeometry(r.convt, r.input, r.kernel);
        for (const LayerFact &fact : layerFacts())
            if (fact.op == OpKind::ConvT && fact.framework == p.framework && !fact.paddingFirstHelps &&
                breaks(fact.rule, r.convt, axes))
                refuseBy(reasons, p.framework, fact.rule);
        if (p.framework == Framework::Keras && p.spatialKernel && p.channels > 1 &&
            !breaks(LayerRule::ConvTGroups, r.convt, axes))
            refuseBy(reasons, Framework::Keras, LayerRule::ConvTGroups);
        break;
    }
    }
    return reasons;
}

// ---- PyTorch -------------------------------------------------------------------------------------

/// F.pad's list: the last axis first, (before, after) each.
std::vector<int> padList(const std::vector<AxisPads> &pads)
{
    std::vector<int> out;
    for (auto it = pads.rbegin(); it != pads.rend(); ++it) {
        out.push_back(it->before);
        out.push_back(it->after);
    }
    return out;
}

std::string pytorchConv(const Plan &p)
{
    const TensorConvSpec &spec = p.request.conv;
    const std::string nd = n(p.rank) + "d";
    std::string out = weights(p, p.spatialKernel ? "the spatial axes" : "(F, C/groups, *k), PyTorch's own layout");
    out += flip(p) + perChannel(p, "tile");
    out += "\nx = torch.from_numpy(x)[None]  # a batch of one: (1, C, *spatial)\n";
    if (anyPadding(p.pads)) {
        const FillFact &fact = fillFact(Framework::PyTorch, spec.fill);
        out += "# F.pad lists the last axis first, (before, after) each; fill " + std::string(fillName(spec.fill)) +
               " is mode='" + fact.mode + "'.\n";
        out += "x = F.pad(x, " + tuple(padList(p.pads)) + ", mode=\"" + fact.mode + "\"";
        if (spec.fill == Fill::Constant)
            out += ", value=" + formatNumber(spec.value);
        out += ")\n";
    }
    out += "y = F.conv" + nd + "(x, torch.from_numpy(w), " +
           (p.request.kernel.bias.empty() ? "None" : "torch.from_numpy(b)") + ", stride=" + tuple(p.stride) +
           ", dilation=" + tuple(p.dilation) + ", groups=" + n(p.groups) + ")\n";
    return out + "y = y[0].numpy()\n";
}

std::string pytorchPool(const Plan &p)
{
    const PoolSpec &spec = p.request.pool;
    std::vector<int> padding;
    for (const AxisPads &a : p.pads)
        padding.push_back(a.before);
    std::string out = "\nx = torch.from_numpy(x)[None]  # a batch of one: (1, C, *spatial)\n";
    if (spec.op == PoolOp::Max) {
        out += "# Padded cells never win: PyTorch pads a max pooling with -inf.\n";
        out += "y = F.max_pool" + n(p.rank) + "d(x, kernel_size=" + tuple(p.kernel) + ", stride=" + tuple(p.stride) +
               ", padding=" + tuple(padding) + ", dilation=" + tuple(p.dilation) + ",\n                 ceil_mode=" +
               (spec.ceil ? "True" : "False") + ")\n";
    } else {
        out += "# count_include_pad: whether the divisor counts the padded cells.\n";
        out += "y = F.avg_pool" + n(p.rank) + "d(x, kernel_size=" + tuple(p.kernel) + ", stride=" + tuple(p.stride) +
               ", padding=" + tuple(padding) + ",\n                 ceil_mode=" + (spec.ceil ? "True" : "False") +
               ", count_include_pad=" + (countsPadding(spec) ? "True" : "False") + ")\n";
    }
    return out + "y = y[0].numpy()\n";
}

std::string pytorchConvT(const Plan &p)
{
    const ConvTSpec &spec = p.request.convt;
    std::string out = weights(p, p.spatialKernel ? "the spatial axes" : "(C, F/groups, *k), PyTorch's transposed layout");
    out += perChannel(p, "tile");
    out += "\nx = torch.from_numpy(x)[None]  # a batch of one: (1, C, *spatial)\n";
    std::vector<int> padding;
    std::vector<int> outputPadding;
    bool uneven = false;
    for (size_t a = 0; a < p.pads.size(); ++a) {
        const AxisPads &crop = p.pads[a];
        if (spec.amount.kind == Amount::Valid) {
            // Keras' valid: nothing cropped; when e < s its n*s cells run past the stamps.
            padding.push_back(0);
            outputPadding.push_back(std::max(0, -crop.after));
        } else {
            padding.push_back(std::min(crop.before, crop.after));
            outputPadding.push_back(p.after[a]);
            uneven = uneven || crop.before != crop.after;
        }
    }
    if (spec.amount.kind == Amount::Valid)
        out += "# Keras' 'valid' crops nothing: PyTorch's padding=0 (with output_padding where e < s).\n";
    else
        out += "# padding crops that many cells from both sides of the full output (n-1)*s + e; output_padding adds\n"
               "# cells after.\n";
    out += "y = F.conv_transpose" + n(p.rank) + "d(x, torch.from_numpy(w), " +
           (p.request.kernel.bias.empty() ? "None" : "torch.from_numpy(b)") + ", stride=" + tuple(p.stride) +
           ", padding=" + tuple(padding) + ",\n                       output_padding=" + tuple(outputPadding) +
           ", groups=" + n(p.groups) + ", dilation=" + tuple(p.dilation) + ")\n";
    out += "y = y[0].numpy()\n";
    if (uneven) {
        std::string slices = ":";
        for (size_t a = 0; a < p.pads.size(); ++a) {
            const int extraBefore = p.pads[a].before - padding[a];
            const int extraAfter = p.pads[a].after - padding[a];
            slices += ", " + n(extraBefore) + ":" + (extraAfter > 0 ? n(-extraAfter) : "");
        }
        out += "# PyTorch crops both sides alike; the rest of these uneven crops is sliced off.\n";
        out += "y = y[" + slices + "]\n";
    }
    return out;
}

// ---- NumPy ---------------------------------------------------------------------------------------

/// The index function that pads by @p fill: the Code tab's for the mirrors and wrap, a clip for
/// replicate.
std::string donor(Fill fill)
{
    if (fill != Fill::Replicate)
        return detail::numpyDonor(fill);
    return "def donor(p, n):\n"
           "    \"\"\"Input index of padded index p: edge repeats the nearest cell.\"\"\"\n"
           "    return np.clip(p, 0, n - 1)\n";
}

std::string npPadWidth(const std::vector<AxisPads> &pads, const std::vector<int> &extra = {})
{
    std::string out = "((0, 0)";
    for (size_t a = 0; a < pads.size(); ++a)
        out += ", (" + n(pads[a].before) + ", " + n(pads[a].after + (extra.empty() ? 0 : extra[a])) + ")";
    return out + ")";
}

/// `[:, ::2, ::1, ::1, ::2]`: every stride-th window, every dilation-th tap; windows limited to the
/// output when @p limit.
std::string windowSlices(const Plan &p, bool limit)
{
    std::string out = "[:";
    for (int a = 0; a < p.rank; ++a) {
        const size_t i = size_t(a);
        out += limit ? ", :" + n((p.output[i] - 1) * p.stride[i] + 1) + ":" + n(p.stride[i]) : ", ::" + n(p.stride[i]);
    }
    for (int a = 0; a < p.rank; ++a)
        out += ", ::" + n(p.dilation[size_t(a)]);
    return out + "]";
}

std::string spatialAxes(int rank)
{
    std::string out = "(";
    for (int a = 1; a <= rank; ++a)
        out += (a > 1 ? ", " : "") + n(a);
    return out + (rank == 1 ? ",)" : ")");
}

std::string numpyConv(const Plan &p)
{
    const TensorConvSpec &spec = p.request.conv;
    const std::string outAxes = std::string("ijk").substr(0, size_t(p.rank));
    const std::string taps = std::string("uvw").substr(0, size_t(p.rank));
    std::string out = weights(p, p.spatialKernel ? "the spatial axes" : "(F, C/groups, *k), PyTorch's layout");
    out += flip(p) + "\n";
    if (anyPadding(p.pads)) {
        const FillFact &fact = fillFact(Framework::NumPy, spec.fill);
        if (spec.fill == Fill::Zeros || spec.fill == Fill::Constant) {
            out += "x = np.pad(x, " + npPadWidth(p.pads) + ", mode=\"constant\", constant_values=" +
                   formatNumber(spec.fill == Fill::Constant ? spec.value : 0.0) + ")\n";
        } else {
            out += "# np.pad(x, " + npPadWidth(p.pads) + ", mode='" + fact.mode +
                   "') means the same, but older NumPy releases give\n"
                   "# non-periodic tails for uneven pads wider than the input, so the padded cells are taken by "
                   "index.\n";
            out += donor(spec.fill);
            out += "x = x[np.ix_(np.arange(C)";
            for (int a = 0; a < p.rank; ++a) {
                const size_t i = size_t(a);
                out += ", donor(np.arange(" + n(-p.pads[i].before) + ", " +
                       n(p.request.input.spatial[i] + p.pads[i].after) + "), " + n(p.request.input.spatial[i]) + ")";
            }
            out += ")]\n";
        }
    }
    out += "# Every window the dilated kernel " + tuple(p.extent) +
           " covers; then every stride-th window and every dilation-th tap.\n";
    out += "windows = sliding_window_view(x, " + tuple(p.extent) + ", axis=" + spatialAxes(p.rank) + ")" +
           windowSlices(p, false) + "\n";
    if (p.spatialKernel) {
        out += "y = np.einsum(\"c" + outAxes + taps + "," + taps + "->c" + outAxes + "\", windows, w)\n";
    } else {
        out += "FG, CG = " + n(p.filters / p.groups) + ", " + n(p.channels / p.groups) +
               "  # filters and channels per group\n";
        out += "y = np.concatenate([np.einsum(\"c" + outAxes + taps + ",fc" + taps + "->f" + outAxes +
               "\", windows[g * CG:(g + 1) * CG], w[g * FG:(g + 1) * FG])\n"
               "                    for g in range(" + n(p.groups) + ")])\n";
    }
    if (!p.request.kernel.bias.empty())
        out += "y += b.reshape((-1,) + (1,) * " + n(p.rank) + ")\n";
    return out;
}

std::string numpyPool(const Plan &p)
{
    const PoolSpec &spec = p.request.pool;
    const bool max = spec.op == PoolOp::Max;
    const bool include = countsPadding(spec);
    const std::string reduce = "axis=tuple(range(-" + n(p.rank) + ", 0))";
    std::string out = "\n# Padded cells are no values: a max sees -inf there, an average 0 that the divisor counts only\n"
                      "# when told to; cells past the padded input (a ceil-mode window's end) are never counted.\n";
    out += "values = np.pad(x, " + npPadWidth(p.pads, p.after) + ", constant_values=" + (max ? "-np.inf" : "0") + ")\n";
    if (!max) {
        out += "counted = np.pad(np.pad(np.ones_like(x), " + npPadWidth(p.pads) + ", constant_values=" +
               (include ? "1" : "0") + "),\n                 " +
               npPadWidth(std::vector<AxisPads>(p.pads.size()), p.after) + ", constant_values=0)\n";
    }
    const std::string windows = "sliding_window_view(%, " + tuple(p.extent) + ", axis=" + spatialAxes(p.rank) + ")" +
                                windowSlices(p, true);
    const auto of = [&](const std::string &array) {
        std::string w = windows;
        w.replace(w.find('%'), 1, array);
        return w;
    };
    if (max)
        out += "y = " + of("values") + ".max(" + reduce + ")\n";
    else
        out += "y = " + of("values") + ".sum(" + reduce + ") / " + of("counted") + ".sum(" + reduce + ")\n";
    return out;
}

std::string numpyConvT(const Plan &p)
{
    std::string out = weights(p, p.spatialKernel ? "the spatial axes" : "(C, F/groups, *k), PyTorch's transposed layout");
    out += perChannel(p, "tile");
    std::vector<int> span;
    std::vector<int> before;
    std::vector<int> size;
    for (int a = 0; a < p.rank; ++a) {
        const size_t i = size_t(a);
        const int full = (p.request.input.spatial[i] - 1) * p.stride[i] + p.extent[i];
        span.push_back(std::max(full, p.pads[i].before + p.output[i]));
        before.push_back(p.pads[i].before);
        size.push_back(p.output[i]);
    }
    out += "\nS, D = " + tuple(p.stride) + ", " + tuple(p.dilation) + "\n";
    out += "CG, FG = " + n(p.channels / p.groups) + ", " + n(p.filters / p.groups) +
           "  # channels and filters per group\n";
    out += "# Every input cell stamps the kernel, times its value, onto the full output at i*s + t*d; cells past\n"
           "# the stamps (output padding) stay 0 until the bias.\n";
    out += "z = np.zeros((" + n(p.filters) + ",) + " + tuple(span) + ")\n";
    out += "for t in np.ndindex(*w.shape[2:]):\n"
           "    tap = w[(slice(None), slice(None)) + t]  # (C, F/groups)\n"
           "    part = np.concatenate([np.einsum(\"c...,cf->f...\", x[g * CG:(g + 1) * CG], tap[g * CG:(g + 1) * CG])\n"
           "                           for g in range(" + n(p.groups) + ")])\n"
           "    z[(slice(None),) + tuple(slice(ta * da, ta * da + (na - 1) * sa + 1, sa)\n"
           "                             for ta, da, na, sa in zip(t, D, SPATIAL, S))] += part\n";
    out += "# The output: the full range cropped " + tuple(before) + " cells before, " + tuple(size) + " cells long.\n";
    out += "y = z[(slice(None),) + tuple(slice(b, b + o) for b, o in zip(" + tuple(before) + ", " + tuple(size) + "))]\n";
    if (!p.request.kernel.bias.empty())
        out += "y = y + b.reshape((-1,) + (1,) * " + n(p.rank) + ")\n";
    return out;
}

/// A runnable script: the shared reading and printing around the op's own lines.
std::string script(const Plan &p, const std::string &imports, std::string (*conv)(const Plan &),
                   std::string (*pool)(const Plan &), std::string (*convt)(const Plan &))
{
    std::string out = header(p, imports) + helpers() + readInput();
    if (!p.emptyReason.empty())
        return out + emptyOutput(p);
    switch (p.request.op) {
    case OpKind::Conv: out += conv(p); break;
    case OpKind::Pool: out += pool(p); break;
    case OpKind::ConvT: out += convt(p); break;
    }
    return out + printOutput(p);
}

// ---- Keras ---------------------------------------------------------------------------------------

std::string keras(const Plan &p)
{
    const TensorCodeRequest &r = p.request;
    const std::string nd = n(p.rank) + "D";
    std::string out = header(p, "import tensorflow as tf\nfrom tensorflow import keras\n") + helpers() + readInput();
    if (!p.emptyReason.empty())
        return out + emptyOutput(p);
    std::string toKeras = "(";
    for (int a = 2; a < p.rank + 2; ++a)
        toKeras += n(a) + ", ";
    out += "\nx = np.moveaxis(x, 0, -1)[None]  # Keras is channels last: (1, *spatial, C)\n";
    switch (r.op) {
    case OpKind::Conv: {
        out += weights(p, p.spatialKernel ? "the spatial axes" : "(F, C/groups, *k), PyTorch's layout");
        out += flip(p) + perChannel(p, "tile");
        if (anyPadding(p.pads)) {
            const FillFact &fact = fillFact(Framework::Keras, r.conv.fill);
            out += "x = tf.pad(x, [[0, 0]";
            for (const AxisPads &a : p.pads)
                out += ", [" + n(a.before) + ", " + n(a.after) + "]";
            out += ", [0, 0]], mode=\"" + fact.mode + "\"";
            if (r.conv.fill == Fill::Constant)
                out += ", constant_values=" + formatNumber(r.conv.value);
            out += ")\n";
        }
        out += "layer = keras.layers.Conv" + nd + "(" + n(p.filters) + ", " + tuple(p.kernel) + ", strides=" +
               tuple(p.stride) + ", padding=\"valid\", dilation_rate=" + tuple(p.dilation) + ",\n" +
               "                            groups=" + n(p.groups) + ", use_bias=" +
               (r.kernel.bias.empty() ? "False" : "True") + ", dtype=\"float64\")\n";
        out += "layer.build(x.shape)\n";
        out += "# Keras keeps a kernel as (*k, C/groups, F).\n";
        out += "layer.set_weights([np.transpose(w, " + toKeras + "1, 0))" + (r.kernel.bias.empty() ? "" : ", b") + "])\n";
        break;
    }
    case OpKind::Pool: {
        const bool max = r.pool.op == PoolOp::Max;
        out += "layer = keras.layers." + std::string(max ? "MaxPooling" : "AveragePooling") + nd + "(pool_size=" +
               tuple(p.kernel) + ", strides=" + tuple(p.stride) + ", padding=\"" +
               (r.pool.amount.kind == Amount::Same ? "same" : "valid") + "\", dtype=\"float64\")\n";
        break;
    }
    case OpKind::ConvT: {
        out += weights(p, "(C, F, *k), PyTorch's transposed layout");
        const bool explicitCrop = r.convt.amount.kind == Amount::Explicit;
        const bool outputPadding = std::any_of(p.after.begin(), p.after.end(), [](int o) { return o > 0; });
        out += "layer = keras.layers.Conv" + nd + "Transpose(" + n(p.filters) + ", " + tuple(p.kernel) + ", strides=" +
               tuple(p.stride) + ", padding=\"" + (r.convt.amount.kind == Amount::Same ? "same" : "valid") + "\",\n" +
               "                                     output_padding=" + (outputPadding ? tuple(p.after) : "None") +
               ", dilation_rate=" + tuple(p.dilation) + ", use_bias=" + (r.kernel.bias.empty() ? "False" : "True") +
               ", dtype=\"float64\")\n";
        out += "layer.build(x.shape)\n";
        out += "# Keras keeps a transposed kernel as (*k, F, C).\n";
        out += "layer.set_weights([np.transpose(w, " + toKeras + "1, 0))" + (r.kernel.bias.empty() ? "" : ", b") + "])\n";
        if (explicitCrop && anyPadding(p.pads)) {
            out += "y = layer(x)\n";
            out += "# PyTorch's padding crops cells from each side: a Cropping layer does it in Keras.\n";
            out += "layer = keras.layers.Cropping" + nd + "((";
            for (size_t a = 0; a < p.pads.size(); ++a)
                out += std::string(a ? ", " : "") + "(" + n(p.pads[a].before) + ", " + n(p.pads[a].after) + ")";
            out += "))\n";
            out += "y = np.moveaxis(layer(y).numpy()[0], -1, 0)\n";
            return out + printOutput(p);
        }
        break;
    }
    }
    out += "y = np.moveaxis(layer(x).numpy()[0], -1, 0)  # channels first again\n";
    return out + printOutput(p);
}

// ---- OpenCV --------------------------------------------------------------------------------------

std::string opencv(const Plan &p)
{
    const TensorConvSpec &spec = p.request.conv;
    std::string out = header(p, "import cv2\n") + helpers() + readInput();
    if (!p.emptyReason.empty())
        return out + emptyOutput(p);
    const std::vector<int> k = p.rank == 1 ? std::vector<int>{1, p.kernel[0]} : p.kernel;
    const std::vector<int> s = p.rank == 1 ? std::vector<int>{1, p.stride[0]} : p.stride;
    const std::vector<int> d = p.rank == 1 ? std::vector<int>{1, p.dilation[0]} : p.dilation;
    const std::vector<AxisPads> pads = p.rank == 1 ? std::vector<AxisPads>{{0, 0}, p.pads[0]} : p.pads;
    const std::vector<int> out2 = p.rank == 1 ? std::vector<int>{1, p.output[0]} : p.output;
    out += weights(p, "the spatial axes");
    out += flip(p);
    out += "w = w.reshape(" + tuple(k) + ")\n";
    out += "# filter2D has no dilation: the dilated kernel holds the taps d cells apart, zeros between.\n";
    out += "kernel = np.zeros(" + tuple({d[0] * (k[0] - 1) + 1, d[1] * (k[1] - 1) + 1}) + ")\n";
    out += "kernel[::" + n(d[0]) + ", ::" + n(d[1]) + "] = w\n";
    out += "planes = []\n";
    out += "for plane in x.reshape((C,) + " + tuple(p.rank == 1 ? std::vector<int>{1, p.request.input.spatial[0]}
                                                                 : p.request.input.spatial) + "):\n";
    const FillFact &fact = fillFact(Framework::OpenCV, spec.fill);
    out += "    # copyMakeBorder pads with cv2." + fact.mode + "; filter2D then reads only the padded image.\n";
    out += "    padded = cv2.copyMakeBorder(plane, " + n(pads[0].before) + ", " + n(pads[0].after) + ", " +
           n(pads[1].before) + ", " + n(pads[1].after) + ", cv2." + fact.mode +
           (spec.fill == Fill::Constant ? ", value=" + formatNumber(spec.value) : "") + ")\n";
    out += "    # anchor (0, 0): output cell (i, j) reads padded cells from (i, j) on, as the frameworks do.\n";
    out += "    full = cv2.filter2D(padded, cv2.CV_64F, kernel, anchor=(0, 0), borderType=cv2.BORDER_CONSTANT)\n";
    out += "    planes.append(full[:" + n((out2[0] - 1) * s[0] + 1) + ":" + n(s[0]) + ", :" +
           n((out2[1] - 1) * s[1] + 1) + ":" + n(s[1]) + "])\n";
    out += "y = np.array(planes).reshape((C,) + " + tuple(p.output) + ")\n";
    return out + printOutput(p);
}

} // namespace

GeneratedCode generateTensorCode(Framework framework, const TensorCodeRequest &request)
{
    const auto &known = codeFrameworks();
    if (std::find(known.begin(), known.end(), framework) == known.end())
        throw Error("padlab code writes scripts for keras, pytorch, opencv and numpy");
    const Plan plan = makePlan(framework, request);
    GeneratedCode code;
    const std::vector<std::string> reasons = refusals(plan);
    if (!reasons.empty()) {
        for (const std::string &reason : reasons)
            code.reason += (code.reason.empty() ? "" : " ") + reason;
        return code;
    }
    switch (framework) {
    case Framework::PyTorch:
        code.script = script(plan, "import torch\nimport torch.nn.functional as F\n", pytorchConv, pytorchPool,
                             pytorchConvT);
        break;
    case Framework::NumPy:
        code.script = script(plan, "from numpy.lib.stride_tricks import sliding_window_view\n", numpyConv, numpyPool,
                             numpyConvT);
        break;
    case Framework::Keras: code.script = keras(plan); break;
    case Framework::OpenCV: code.script = opencv(plan); break;
    case Framework::SciPy: break;
    }
    return code;
}

} // namespace padlab::core

#include "padlab/core/notes.h"

#include "padlab/core/frameworks.h"
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
    const bool strided = spec.stride.rows > 1 || spec.stride.cols > 1;
    const bool oneD = inputSize.rows == 1;

    // Layers: what a framework's convolution layer refuses, whatever the fill.
    for (const LayerFact &fact : layerFacts()) {
        if (fact.op != OpKind::Conv || !breaks(fact.rule, spec, inputSize))
            continue;
        std::string text = fact.text;
        if (fact.rule == LayerRule::SameWithStride)
            text += "; pad explicitly with F.pad(" + n(s.left) + ", " + n(s.right) + ", " + n(s.top) + ", " +
                    n(s.bottom) + ") instead.";
        if (fact.rule == LayerRule::FullAmount)
            text += "; use explicit padding of e-1 = " + n(g.rows.extent - 1) + " rows and " +
                    n(g.cols.extent - 1) + " columns on each side (ZeroPadding2D, F.pad).";
        add(fact.who, text);
    }

    // Amount
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
    if (spec.amount.kind == Amount::Causal && oneD)
        add("Keras", "Conv1D(padding='causal') pads " + plural(s.left, "zero") +
                         " in front, so output t reads only inputs at or before t.");
    if (g.rows.unread > 0 || g.cols.unread > 0) {
        std::string text;
        if (g.rows.unread > 0)
            text += plural(g.rows.unread, "padded row") + " at the bottom";
        if (g.cols.unread > 0)
            text += (text.empty() ? "" : " and ") + plural(g.cols.unread, "padded column") + " at the right";
        add("All", text + " never read: the stride does not divide evenly and every framework rounds "
                          "the output size down (floor).");
    }

    // Fill: what each framework calls it, lacks, or limits, from the table of framework facts.
    const bool padded = s.top + s.bottom + s.left + s.right > 0;
    if (padded && spec.fill != Fill::Zeros) {
        for (const Framework framework : allFrameworks()) {
            const FillFact &fact = fillFact(framework, spec.fill);
            if (!fact.supported) {
                add(fact.who, fact.note);
                continue;
            }
            if (!padBeyondLimit(fact.limit, s, inputSize).empty())
                add(fact.who, fact.limitText + "; NumPy and OpenCV keep " + std::string(keepsGoing(spec.fill)) +
                                  ", as shown here.");
            if (!fact.note.empty())
                add(fact.who, fact.note);
        }
    }

    if (spec.operation == Operation::Convolution)
        add("All", "Deep-learning layers and cv::filter2D compute cross-correlation; true convolution equals "
                   "them with the kernel flipped on both axes (scipy.ndimage.convolve flips it for you).");
    return notes;
}

namespace {

void addOpFacts(std::vector<FrameworkNote> &notes, OpKind op, const std::vector<std::string> &topics)
{
    for (const std::string &topic : topics)
        for (const OpFact &fact : opFacts())
            if (fact.op == op && fact.topic == topic)
                notes.push_back({fact.who, fact.text});
}

void addLayerRule(std::vector<FrameworkNote> &notes, Framework framework, LayerRule rule)
{
    const LayerFact &fact = layerFact(framework, rule);
    notes.push_back({fact.who, fact.text + "."});
}

} // namespace

std::vector<FrameworkNote> tensorConvNotes(const TensorConvSpec &spec, const TensorShape &input,
                                           const TensorKernel &kernel)
{
    const int rank = input.spatialRank();
    const bool spatialOnly = kernel.rank() == rank;
    std::vector<FrameworkNote> notes;
    if (const std::optional<ConvSpec> plane = planeSpec(spec, rank)) {
        const int k = kernel.rank();
        const PerAxis kernelSize = rank == 1 ? PerAxis{1, kernel.shape[size_t(k - 1)]}
                                             : PerAxis{kernel.shape[size_t(k - 2)], kernel.shape[size_t(k - 1)]};
        const PerAxis inputSize = rank == 1 ? PerAxis{1, input.spatial[0]} : PerAxis{input.spatial[0], input.spatial[1]};
        notes = frameworkNotes(*plane, inputSize, kernelSize);
    }
    std::vector<std::string> topics;
    if (rank == 3)
        topics.push_back("3-D");
    if (spec.groups > 1)
        topics.push_back("groups");
    if (spatialOnly && input.channels > 1)
        topics.push_back("channels");
    addOpFacts(notes, OpKind::Conv, topics);
    if (rank == 3)
        addLayerRule(notes, Framework::OpenCV, LayerRule::Volume);
    else if (!spatialOnly || !kernel.bias.empty())
        addLayerRule(notes, Framework::OpenCV, LayerRule::TensorChannels);
    return notes;
}

std::vector<FrameworkNote> poolNotes(const PoolSpec &spec, const std::vector<PoolAxis> &axes)
{
    std::vector<FrameworkNote> notes;
    for (const LayerFact &fact : layerFacts())
        if (fact.op == OpKind::Pool && breaks(fact.rule, fact.framework, spec, axes))
            notes.push_back({fact.who, fact.text + "."});
    std::vector<std::string> topics{spec.op == PoolOp::Max ? "max" : "average"};
    if (spec.amount.kind == Amount::Same)
        topics.push_back("same");
    if (spec.ceil)
        topics.push_back("ceil");
    if (spec.stride.empty())
        topics.push_back("stride");
    addOpFacts(notes, OpKind::Pool, topics);
    return notes;
}

std::vector<FrameworkNote> convtNotes(const ConvTSpec &spec, const std::vector<ConvTAxis> &axes)
{
    std::vector<FrameworkNote> notes;
    for (const LayerFact &fact : layerFacts())
        if (fact.op == OpKind::ConvT && breaks(fact.rule, spec, axes))
            notes.push_back({fact.who, fact.text + "."});
    std::vector<std::string> topics;
    if (spec.amount.kind == Amount::Explicit)
        topics.push_back("crop");
    else
        topics.push_back("same");
    if (std::any_of(axes.begin(), axes.end(), [](const ConvTAxis &a) { return a.outputPadding > 0; }))
        topics.push_back("output padding");
    topics.push_back("kernel");
    addOpFacts(notes, OpKind::ConvT, topics);
    return notes;
}

} // namespace padlab::core

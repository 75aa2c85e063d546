#include "shapepanel.h"
#include "sizetext.h"

#include "session.h"
#include "shownop.h"

#include "padlab/core/geometry.h"
#include "padlab/core/convt.h"
#include "padlab/core/notes.h"
#include "padlab/core/pool.h"
#include "padlab/core/tensorconv.h"

#include <QLabel>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace padlab::ui {

namespace {

QString html(const std::string &text)
{
    return QString::fromStdString(text).toHtmlEscaped();
}

QString axisBlock(const QString &name, const core::AxisGeometry &axis, const QString &afterSide)
{
    QString block = QStringLiteral("<p><b>%1</b> (input %2, kernel %3, stride %4, dilation %5)<br>")
                        .arg(name)
                        .arg(axis.input)
                        .arg(axis.kernel)
                        .arg(axis.stride)
                        .arg(axis.dilation);
    block += QStringLiteral("<tt>%1</tt><br>").arg(html(core::paddingFormula(axis)));
    block += QStringLiteral("<tt>%1</tt>").arg(html(core::outputFormula(axis)));
    if (axis.unread > 0) {
        block += QObject::tr("<br><span style='color:#b26a00'>%n padded cell(s) at the %1 are "
                             "read by no window (shaded): the stride does not land on them.</span>",
                             nullptr, axis.unread)
                     .arg(afterSide);
    }
    return block + QStringLiteral("</p>");
}

QString notesBlock(const std::vector<core::FrameworkNote> &notes)
{
    if (notes.empty())
        return {};
    QString text = QObject::tr("<p><b>In the frameworks</b></p><ul>");
    for (const core::FrameworkNote &note : notes)
        text += QStringLiteral("<li><b>%1</b>: %2</li>").arg(html(note.framework), html(note.text));
    return text + QStringLiteral("</ul>");
}

QString errorBlock(const QString &text)
{
    return QStringLiteral("<p style='color:#c62828'>%1</p>").arg(text.toHtmlEscaped());
}

/// Sizes outer axis first, as sizeText() writes two: `3 × 5 × 6`.
QString sizesText(const std::vector<int> &sizes)
{
    QStringList parts;
    for (int n : sizes)
        parts << QString::number(n);
    return parts.join(QStringLiteral(" × "));
}

std::vector<int> prepend(int first, const std::vector<int> &rest)
{
    std::vector<int> all{first};
    all.insert(all.end(), rest.begin(), rest.end());
    return all;
}

/// The name of spatial axis @p axis of @p rank (depth, rows, columns) and the side after it.
QString axisName(size_t axis, size_t rank)
{
    const size_t fromLast = rank - 1 - axis;
    return fromLast == 0 ? QObject::tr("Columns") : fromLast == 1 ? QObject::tr("Rows") : QObject::tr("Depth");
}

QString afterSide(size_t axis, size_t rank)
{
    const size_t fromLast = rank - 1 - axis;
    return fromLast == 0 ? QObject::tr("right") : fromLast == 1 ? QObject::tr("bottom") : QObject::tr("back");
}

QString padsText(const std::vector<core::AxisPads> &pads, size_t rank)
{
    QStringList parts;
    for (size_t a = 0; a < pads.size(); ++a)
        parts << QObject::tr("%1 %2 before, %3 after")
                     .arg(axisName(a, rank).toLower())
                     .arg(pads[a].before)
                     .arg(pads[a].after);
    return parts.join(QStringLiteral("; "));
}

/// A convolution of a tensor (Channels, Volume): the shapes, then each axis as the plane's.
QString tensorConvText(const core::TensorCodeRequest &request)
{
    const core::TensorGeometry geometry = core::tensorGeometry(request.conv, request.input, request.kernel);
    const size_t rank = geometry.axes.size();
    const int filters = core::filterCount(request.kernel, request.input);
    QString text = QObject::tr("<p>Input %1 (channels × %2), kernel (%3), groups %4%5 → output <b>%6</b></p>")
                       .arg(sizesText(prepend(request.input.channels, request.input.spatial)),
                            rank == 3 ? QObject::tr("depth × rows × columns") : QObject::tr("rows × columns"),
                            sizesText(request.kernel.shape).replace(QStringLiteral(" × "), QStringLiteral(", ")))
                       .arg(request.conv.groups)
                       .arg(request.kernel.bias.empty() ? QString() : QObject::tr(", a bias per filter"),
                            sizesText(prepend(filters, geometry.outputSize())));
    text += QObject::tr("<p><b>Padding</b>: %1 → padded %2</p>")
                .arg(padsText(geometry.pads(), rank), sizesText(geometry.paddedSize()));
    if (geometry.empty())
        text += errorBlock(QString::fromStdString(core::emptyOutputReason(geometry)));
    for (size_t a = 0; a < rank; ++a)
        text += axisBlock(axisName(a, rank), geometry.axes[a], afterSide(a, rank));
    return text + notesBlock(core::tensorConvNotes(request.conv, request.input, request.kernel));
}

/// The Conv1D of a signal's channels (Signal tab), as Keras writes its shapes: input (L, C),
/// output (L_out, F), the time axis with its numbers, the groups and the parameters.
QString signalText(const core::TensorCodeRequest &request)
{
    const core::TensorGeometry geometry = core::tensorGeometry(request.conv, request.input, request.kernel);
    const core::AxisGeometry &time = geometry.axes.at(0);
    const int channels = request.input.channels;
    const int filters = core::filterCount(request.kernel, request.input);
    const int groups = request.conv.groups;
    QString text = QObject::tr("<p>Input (L, C) = (%1, %2) → output (L_out, F) = <b>(%3, %4)</b>: %1 time steps "
                               "in, %3 out; %5, one output channel each</p>")
                       .arg(time.input)
                       .arg(channels)
                       .arg(time.output)
                       .arg(filters)
                       .arg(filters == 1 ? QObject::tr("1 filter") : QObject::tr("%1 filters").arg(filters));
    text += QObject::tr("<p>Keras' Conv1D takes (L, C), channels last; PyTorch's Conv1d takes the rows as drawn, "
                        "(C, L) = (%1, %2).</p>")
                .arg(channels)
                .arg(time.input);
    const int perGroup = channels / std::max(groups, 1);
    const QString reads = groups == 1 ? QObject::tr("each filter sums all %1 channels").arg(channels)
                          : perGroup == 1
                              ? QObject::tr("each filter reads one channel of its own (depthwise)")
                              : QObject::tr("each filter reads the %1 channels of its group").arg(perGroup);
    text += QObject::tr("<p>Filters (F, C/groups, k) = (%1), groups %2: %3</p>")
                .arg(sizesText(request.kernel.shape).replace(QStringLiteral(" × "), QStringLiteral(", ")))
                .arg(groups)
                .arg(reads);
    // The count as the engine's bank holds it: every weight, and one bias per filter if any.
    const qsizetype weights = qsizetype(request.kernel.weights.size());
    const qsizetype bias = qsizetype(request.kernel.bias.size());
    QStringList shape;
    for (int n : request.kernel.shape)
        shape << QString::number(n);
    text += bias > 0 ? QObject::tr("<p><b>Parameters</b>: %1 = %2 weights + %3 bias = <b>%4</b></p>")
                           .arg(shape.join(QStringLiteral(" × ")))
                           .arg(weights)
                           .arg(bias)
                           .arg(weights + bias)
                     : QObject::tr("<p><b>Parameters</b>: %1 = <b>%2</b> weights, no bias (Keras use_bias=False, "
                                   "PyTorch bias=False)</p>")
                           .arg(shape.join(QStringLiteral(" × ")))
                           .arg(weights);
    text += QObject::tr("<p><b>Padding</b>: %1 before, %2 after on the time axis → padded (%3, %4)</p>")
                .arg(time.before)
                .arg(time.after)
                .arg(time.padded)
                .arg(channels);
    if (geometry.empty())
        text += errorBlock(QString::fromStdString(core::emptyOutputReason(geometry)));
    text += axisBlock(QObject::tr("Time"), time, QObject::tr("end"));
    return text + notesBlock(core::tensorConvNotes(request.conv, request.input, request.kernel));
}

QString poolText(const ShownOp &shown)
{
    const core::PoolSpec &spec = shown.request.pool;
    const std::vector<core::PoolAxis> axes = core::poolGeometry(spec, shown.request.input);
    const size_t rank = axes.size();
    std::vector<int> window, stride, output;
    std::vector<core::AxisPads> pads;
    for (const core::PoolAxis &axis : axes) {
        window.push_back(axis.window);
        stride.push_back(axis.stride);
        output.push_back(axis.output);
        pads.push_back({axis.before, axis.after});
    }
    QString text = QObject::tr("<p>Input %1, window %2, stride %3%4 → output <b>%5</b></p>")
                       .arg(sizesText(shown.request.input.spatial), sizesText(window), sizesText(stride),
                            spec.stride.empty() ? QObject::tr(" (the window's)") : QString(),
                            sizesText(output));
    if (!shown.note.isEmpty())
        text += QStringLiteral("<p><i>%1</i></p>").arg(shown.note.toHtmlEscaped());
    text += QObject::tr("<p><b>Padding</b>: %1%2</p>")
                .arg(padsText(pads, rank),
                     spec.op == core::PoolOp::Max ? QString()
                     : core::countsPadding(spec)  ? QObject::tr(" (padded cells count in the divisor)")
                                                  : QObject::tr(" (padded cells are not counted)"));
    const std::vector<std::vector<int>> unread = core::unreadPositions(axes);
    for (size_t a = 0; a < rank; ++a) {
        const core::PoolAxis &axis = axes[a];
        QString block = QObject::tr("<p><b>%1</b> (input %2, window %3, stride %4, dilation %5%6)<br>")
                            .arg(axisName(a, rank))
                            .arg(axis.input)
                            .arg(axis.window)
                            .arg(axis.stride)
                            .arg(axis.dilation)
                            .arg(axis.ceil ? QObject::tr(", ceil_mode") : QString());
        block += QStringLiteral("<tt>%1</tt><br>").arg(html(core::poolPaddingFormula(axis)));
        block += QStringLiteral("<tt>%1</tt>").arg(html(core::poolOutputFormula(axis)));
        const int lastEnd = (axis.output - 1) * axis.stride + axis.extent;
        if (axis.ceil && axis.output > 0 && lastEnd > axis.padded)
            block += QObject::tr("<br>ceil_mode's last window (output cell %1) reads past the padded input "
                                 "(%2 beyond its end); what lies there is never counted.")
                         .arg(axis.output - 1)
                         .arg(lastEnd - axis.padded);
        if (!unread[a].empty()) {
            QStringList cells;
            for (int p : unread[a])
                cells << QString::number(p);
            const int count = static_cast<int>(unread[a].size());
            const QString which = count == 1 ? QObject::tr("Padded position %1 (of 0..%2) is")
                                             : QObject::tr("Padded positions %1 (of 0..%2) are");
            block += QStringLiteral("<br><span style='color:#b26a00'>%1</span>")
                         .arg(QObject::tr("%1 read by no window: the stride does not land there.")
                                  .arg(which.arg(cells.join(QStringLiteral(", "))).arg(axis.padded - 1)));
        }
        text += block + QStringLiteral("</p>");
    }
    return text + notesBlock(core::poolNotes(spec, axes));
}

QString convtText(const core::TensorCodeRequest &request)
{
    const core::ConvTSpec &spec = request.convt;
    const std::vector<core::ConvTAxis> axes = core::convtGeometry(spec, request.input, request.kernel);
    const size_t rank = axes.size();
    std::vector<int> full, output;
    std::vector<core::AxisPads> crops;
    for (const core::ConvTAxis &axis : axes) {
        full.push_back(axis.full);
        output.push_back(axis.output);
        crops.push_back({axis.before, axis.after});
    }
    QString text = QObject::tr("<p>Input %1, kernel %2: every input cell stamps the kernel onto a "
                               "full output of %3 → output <b>%4</b></p>")
                       .arg(sizesText(request.input.spatial), sizesText(request.kernel.shape), sizesText(full),
                            sizesText(output));
    text += QObject::tr("<p><b>Cropped</b>: %1</p>").arg(padsText(crops, rank));
    for (size_t a = 0; a < rank; ++a) {
        const core::ConvTAxis &axis = axes[a];
        QString block = QObject::tr("<p><b>%1</b> (input %2, kernel %3, stride %4, dilation %5%6)<br>")
                            .arg(axisName(a, rank))
                            .arg(axis.input)
                            .arg(axis.kernel)
                            .arg(axis.stride)
                            .arg(axis.dilation)
                            .arg(axis.outputPadding > 0 ? QObject::tr(", output padding %1").arg(axis.outputPadding)
                                                        : QString());
        block += QStringLiteral("<tt>%1</tt><br>").arg(html(core::convtOutputFormula(axis)));
        block += QStringLiteral("<tt>%1</tt>").arg(html(core::convtCropFormula(axis)));
        text += block + QStringLiteral("</p>");
    }
    return text + notesBlock(core::convtNotes(spec, axes));
}

/// The 2-D convolution of the sliding-window tabs.
QString planeText(const Snapshot &snapshot)
{
    const core::Geometry &geometry = snapshot.geometry();
    const cv::Mat &input = snapshot.input;
    const cv::Mat &kernel = snapshot.kernel;
    if (input.empty() || kernel.empty())
        return QObject::tr("<p>No input.</p>");
    const core::PerAxis inputSize{input.rows, input.cols};
    const core::PerAxis kernelSize{kernel.rows, kernel.cols};

    QString text;
    const core::Sides sides = geometry.sides();
    text += QObject::tr("<p><b>Padding</b>: top %1, bottom %2, left %3, right %4 → padded %5, "
                        "output <b>%6</b></p>")
                .arg(sides.top)
                .arg(sides.bottom)
                .arg(sides.left)
                .arg(sides.right)
                .arg(sizeText(geometry.rows.padded, geometry.cols.padded),
                     sizeText(geometry.rows.output, geometry.cols.output));
    if (geometry.empty())
        text += errorBlock(QString::fromStdString(core::emptyOutputReason(geometry)));
    text += axisBlock(QObject::tr("Rows"), geometry.rows, QObject::tr("bottom"));
    text += axisBlock(QObject::tr("Columns"), geometry.cols, QObject::tr("right"));
    return text + notesBlock(core::frameworkNotes(snapshot.spec, inputSize, kernelSize));
}

} // namespace

ShapePanel::ShapePanel(const Session *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
{
    // The title stays in view while the arithmetic and the notes scroll under it.
    m_titleLabel = new QLabel(this);
    m_titleLabel->setObjectName(QStringLiteral("shapeTitle"));
    m_titleLabel->setWordWrap(true);
    m_titleLabel->setContentsMargins(6, 2, 6, 2);
    QFont bold = m_titleLabel->font();
    bold.setBold(true);
    m_titleLabel->setFont(bold);
    m_text = new QTextBrowser(this);
    m_text->setObjectName(QStringLiteral("shapeText"));
    m_text->setOpenLinks(false);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_titleLabel);
    layout->addWidget(m_text, 1);
    // Every new snapshot: a new feature map, a view's part, or the view or its settings.
    connect(m_session, &Session::snapshotChanged, this, &ShapePanel::refresh);
    refresh();
}

QString ShapePanel::title() const
{
    return m_title;
}

QString ShapePanel::plainText() const
{
    return m_title + QLatin1Char('\n') + m_text->toPlainText();
}

void ShapePanel::refresh()
{
    // The settings the panels show: those the snapshot was computed from.
    const SnapshotPtr snapshot = m_session->snapshot();
    const ShownOp shown = shownOp(*snapshot);
    m_title = shown.title;
    m_titleLabel->setText(m_title);
    QString text;
    if (!shown.error.isEmpty()) {
        text += errorBlock(shown.error);
    } else {
        try {
            switch (shown.kind) {
            case ShownOp::Kind::Plane: text += planeText(*snapshot); break;
            case ShownOp::Kind::Signal: text += signalText(shown.request); break;
            case ShownOp::Kind::Channels:
            case ShownOp::Kind::Volume: text += tensorConvText(shown.request); break;
            case ShownOp::Kind::Pool: text += poolText(shown); break;
            case ShownOp::Kind::Transposed: text += convtText(shown.request); break;
            }
        } catch (const std::exception &e) {
            text += errorBlock(QString::fromStdString(e.what()));
        }
    }
    // Setting the same text again would scroll the reader back to the top.
    if (text != m_html) {
        m_html = text;
        m_text->setHtml(text);
    }
}

} // namespace padlab::ui

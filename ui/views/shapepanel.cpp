#include "shapepanel.h"
#include "sizetext.h"

#include "session.h"

#include "padlab/core/geometry.h"
#include "padlab/core/notes.h"

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

} // namespace

ShapePanel::ShapePanel(const Session *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
{
    m_text = new QTextBrowser(this);
    m_text->setObjectName(QStringLiteral("shapeText"));
    m_text->setOpenLinks(false);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_text);
    connect(m_session, &Session::changed, this, &ShapePanel::refresh);
    refresh();
}

QString ShapePanel::plainText() const
{
    return m_text->toPlainText();
}

void ShapePanel::refresh()
{
    // The settings the panels show: those the snapshot was computed from.
    const SnapshotPtr snapshot = m_session->snapshot();
    const core::Geometry &geometry = snapshot->geometry();
    const cv::Mat &input = snapshot->input;
    const cv::Mat &kernel = snapshot->kernel;
    if (input.empty() || kernel.empty()) {
        m_text->setHtml(tr("<p>No input.</p>"));
        return;
    }
    const core::PerAxis inputSize{input.rows, input.cols};
    const core::PerAxis kernelSize{kernel.rows, kernel.cols};

    QString text;
    const core::Sides sides = geometry.sides();
    text += tr("<p><b>Padding</b>: top %1, bottom %2, left %3, right %4 → padded %5, "
               "output <b>%6</b></p>")
                .arg(sides.top)
                .arg(sides.bottom)
                .arg(sides.left)
                .arg(sides.right)
                .arg(sizeText(geometry.rows.padded, geometry.cols.padded),
                     sizeText(geometry.rows.output, geometry.cols.output));
    if (geometry.empty())
        text += QStringLiteral("<p style='color:#c62828'>%1</p>")
                    .arg(html(core::emptyOutputReason(geometry)));
    text += axisBlock(tr("Rows"), geometry.rows, tr("bottom"));
    text += axisBlock(tr("Columns"), geometry.cols, tr("right"));

    const std::vector<core::FrameworkNote> notes
        = core::frameworkNotes(snapshot->spec, inputSize, kernelSize);
    if (!notes.empty()) {
        text += tr("<p><b>In the frameworks</b></p><ul>");
        for (const core::FrameworkNote &note : notes)
            text += QStringLiteral("<li><b>%1</b>: %2</li>")
                        .arg(html(note.framework), html(note.text));
        text += QStringLiteral("</ul>");
    }
    m_text->setHtml(text);
}

} // namespace padlab::ui

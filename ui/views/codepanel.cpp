#include "codepanel.h"

#include "colormap.h"
#include "look.h"
#include "session.h"
#include "shownop.h"

#include "padlab/core/error.h"
#include "padlab/core/tensorcode.h"

#include <QClipboard>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabBar>
#include <QVBoxLayout>

#include <cmath>

namespace padlab::ui {

namespace {

// Readable from the back of a classroom at fontScale 1.
constexpr int kCodePixels = 14;
constexpr int kTextPixels = 16;

int scaled(int pixels, double scale)
{
    return std::max(1, static_cast<int>(std::lround(pixels * scale)));
}

/// How to run the script: what the input file holds for the shown operation.
QString hintFor(const ShownOp &shown)
{
    QString holds;
    switch (shown.request.layout) {
    case core::Layout::CL: holds = QObject::tr("one row per channel"); break;
    case core::Layout::CHW: holds = QObject::tr("a block of rows per channel, blank lines between"); break;
    case core::Layout::DHW: holds = QObject::tr("a block of rows per slice, blank lines between"); break;
    case core::Layout::CDHW:
        holds = QObject::tr("a block of rows per slice, two blank lines between channels");
        break;
    default: holds = QObject::tr("one row per line"); break;
    }
    if (!shown.isTensor())
        return QObject::tr("Save as script.py and run <tt>python3 script.py input.csv</tt>: it prints "
                           "the same output as this window, as CSV.");
    return QObject::tr("Run <tt>python3 script.py input.csv</tt> (%1; or .npy): it prints this tab's "
                       "output as CSV.")
        .arg(holds);
}

} // namespace

CodePanel::CodePanel(Session *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
{
    m_tabs = new QTabBar(this);
    m_tabs->setObjectName(QStringLiteral("codeFrameworks"));
    m_tabs->setExpanding(false);
    m_tabs->setDrawBase(false);
    for (const core::Framework f : core::codeFrameworks())
        m_tabs->addTab(QString::fromUtf8(core::frameworkDisplayName(f)));
    m_tabs->setCurrentIndex(static_cast<int>(m_framework));

    m_copy = new QPushButton(tr("Copy"), this);
    m_copy->setObjectName(QStringLiteral("codeCopy"));
    m_copy->setToolTip(tr("Put the script on the clipboard"));

    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("codeTitle"));
    m_title->setWordWrap(true);

    m_hint = new QLabel(this);
    m_hint->setObjectName(QStringLiteral("codeHint"));
    m_hint->setWordWrap(true);

    m_text = new QPlainTextEdit(this);
    m_text->setObjectName(QStringLiteral("codeText"));
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);

    m_reason = new QLabel(this);
    m_reason->setObjectName(QStringLiteral("codeReason"));
    m_reason->setWordWrap(true);
    m_reason->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_reason->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_reason->setMargin(12);
    m_reason->hide();

    auto *top = new QHBoxLayout;
    top->addWidget(m_tabs, 1);
    top->addWidget(m_copy);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_title);
    layout->addLayout(top);
    layout->addWidget(m_hint);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_reason, 1);

    connect(m_tabs, &QTabBar::currentChanged, this, [this](int index) {
        if (index >= 0 && index < static_cast<int>(core::codeFrameworks().size()))
            setFramework(core::codeFrameworks().at(static_cast<size_t>(index)));
    });
    connect(m_copy, &QPushButton::clicked, this, &CodePanel::copyToClipboard);
    // Every new snapshot: a new feature map, or the shown tab or its settings changed.
    connect(m_session, &Session::snapshotChanged, this, &CodePanel::sessionChanged);
    connect(m_session, &Session::lookChanged, this, &CodePanel::lookChanged);
    lookChanged();
}

void CodePanel::setFramework(core::Framework framework)
{
    if (framework == m_framework)
        return;
    m_framework = framework;
    m_tabs->setCurrentIndex(static_cast<int>(framework));
    m_stale = true;
    if (isVisible())
        refresh();
    Q_EMIT frameworkChanged(framework);
}

bool CodePanel::isExpressible() const
{
    ensureCurrent();
    return m_problem.isEmpty() && m_code.expressible();
}

QString CodePanel::script() const
{
    ensureCurrent();
    return m_problem.isEmpty() ? QString::fromStdString(m_code.script) : QString();
}

QString CodePanel::reason() const
{
    ensureCurrent();
    if (!m_problem.isEmpty())
        return m_problem;
    if (m_code.expressible())
        return {};
    return tr("%1 cannot express these settings: %2")
        .arg(QString::fromUtf8(core::frameworkDisplayName(m_framework)),
             QString::fromStdString(m_code.reason));
}

QString CodePanel::title() const
{
    ensureCurrent();
    return m_titleText;
}

QString CodePanel::shownText() const
{
    return isExpressible() ? script() : reason();
}

void CodePanel::copyToClipboard()
{
    QGuiApplication::clipboard()->setText(shownText());
}

QAbstractButton *CodePanel::copyButton() const
{
    return m_copy;
}

void CodePanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refresh();
}

void CodePanel::sessionChanged()
{
    m_stale = true;
    if (isVisible())
        refresh();
}

void CodePanel::ensureCurrent() const
{
    if (!m_stale)
        return;
    m_stale = false;
    m_code = {};
    m_problem.clear();
    const SnapshotPtr snapshot = m_session->snapshot();
    const ShownOp shown = shownOp(*snapshot);
    m_titleText = shown.title;
    m_hintText = hintFor(shown);
    if (shown.isTensor()) {
        if (!shown.error.isEmpty()) {
            m_problem = tr("No code for these settings: %1").arg(shown.error);
            return;
        }
        try {
            m_code = core::generateTensorCode(m_framework, shown.request);
        } catch (const std::exception &error) {
            m_problem = tr("No code for these settings: %1").arg(QString::fromStdString(error.what()));
        }
        return;
    }
    const cv::Mat &input = snapshot->input;
    const cv::Mat &kernel = snapshot->kernel;
    if (input.empty() || kernel.empty()) {
        m_problem = tr("There is no input or no kernel, so there is no code to show.");
        return;
    }
    try {
        m_code = core::generateCode(m_framework, snapshot->spec, kernel, {input.rows, input.cols});
    } catch (const core::Error &error) {
        m_problem = tr("No code for these settings: %1").arg(QString::fromStdString(error.what()));
    }
}

void CodePanel::refresh()
{
    const bool expressible = isExpressible();
    const QString shown = shownText();
    m_title->setText(QStringLiteral("<b>%1</b>").arg(tr("Code for: %1").arg(m_titleText.toHtmlEscaped())));
    m_hint->setText(m_hintText);
    m_text->setVisible(expressible);
    m_hint->setVisible(expressible);
    m_reason->setVisible(!expressible);
    m_copy->setToolTip(expressible ? tr("Put the script on the clipboard")
                                   : tr("Put this statement on the clipboard"));
    if (expressible) {
        if (m_text->toPlainText() != shown)
            m_text->setPlainText(shown);
        m_reason->clear();
    } else {
        m_text->clear();
        m_reason->setText(shown);
    }
}

void CodePanel::lookChanged()
{
    m_fontScale = m_session->look().fontScale;
    m_dark = m_session->look().dark;
    QFont code = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    code.setPixelSize(scaled(kCodePixels, m_fontScale));
    m_text->setFont(code);
    m_text->setTabStopDistance(QFontMetricsF(code).horizontalAdvance(QLatin1Char(' ')) * 4);

    QFont text = font();
    text.setPixelSize(scaled(kTextPixels, m_fontScale));
    m_tabs->setFont(text);
    m_copy->setFont(text);
    m_reason->setFont(text);
    QFont title = text;
    title.setPixelSize(scaled(kCodePixels, m_fontScale));
    m_title->setFont(title);
    QFont hint = text;
    hint.setPixelSize(scaled(kCodePixels, m_fontScale));
    m_hint->setFont(hint);

    // The code reads like an editor's: a plain page, its colour following the panels' theme.
    const QColor page = m_dark ? QColor(0x1e, 0x1e, 0x1e) : QColor(Qt::white);
    const QColor ink = m_dark ? QColor(0xe6, 0xe6, 0xe6) : QColor(0x20, 0x20, 0x20);
    QPalette codePalette = m_text->palette();
    codePalette.setColor(QPalette::Base, page);
    codePalette.setColor(QPalette::Text, ink);
    m_text->setPalette(codePalette);

    // The statement of why sits on a light wash of the padding tint: it is about the padding the
    // framework lacks.
    QPalette reasonPalette = m_reason->palette();
    reasonPalette.setColor(QPalette::Window,
                           QColor(blend(page.rgb(), m_session->look().paddingTint().rgb(), 0.15)));
    reasonPalette.setColor(QPalette::WindowText, ink);
    m_reason->setAutoFillBackground(true);
    m_reason->setPalette(reasonPalette);
}

} // namespace padlab::ui

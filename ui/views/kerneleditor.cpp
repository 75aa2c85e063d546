#include "kerneleditor.h"

#include "session.h"

#include "padlab/core/kernels.h"
#include "padlab/core/window.h"

#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSignalBlocker>
#include <QScrollArea>
#include <QScrollBar>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>

namespace padlab::ui {

namespace {

constexpr int kMaxGridWidth = 400;
constexpr int kMaxGridHeight = 240;

QString numberText(double value)
{
    return QString::fromStdString(core::formatNumber(value));
}

// Accepts the C locale and the user's locale, so "0,5" works where comma is the decimal mark.
bool parseNumber(const QString &text, double *value)
{
    bool ok = false;
    *value = text.trimmed().toDouble(&ok);
    if (!ok)
        *value = QLocale().toDouble(text.trimmed(), &ok);
    return ok;
}

} // namespace

KernelEditor::KernelEditor(Session *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
{
    m_rows = new QSpinBox(this);
    m_rows->setObjectName(QStringLiteral("kernelRows"));
    m_rows->setRange(1, kMaxSize);
    m_rows->setToolTip(tr("Kernel height (rows)"));
    m_cols = new QSpinBox(this);
    m_cols->setObjectName(QStringLiteral("kernelCols"));
    m_cols->setRange(1, kMaxSize);
    m_cols->setToolTip(tr("Kernel width (columns)"));

    m_preset = new QComboBox(this);
    m_preset->setObjectName(QStringLiteral("kernelPreset"));
    m_preset->addItem(tr("(custom)"), QString());
    for (const std::string &name : core::presetNames())
        m_preset->addItem(QString::fromStdString(name), QString::fromStdString(name));
    m_preset->setToolTip(tr("Built-in kernels"));

    auto *sizeRow = new QHBoxLayout;
    sizeRow->addWidget(m_rows);
    sizeRow->addWidget(new QLabel(QStringLiteral("×"), this));
    sizeRow->addWidget(m_cols);
    sizeRow->addStretch();

    auto *form = new QFormLayout;
    form->addRow(tr("Size (h × w)"), sizeRow);
    form->addRow(tr("Preset"), m_preset);

    // Large kernels scroll inside the editor instead of widening the whole settings column.
    m_gridScroll = new QScrollArea(this);
    m_gridScroll->setFrameShape(QFrame::NoFrame);
    m_gridScroll->setWidgetResizable(true);
    m_gridHost = new QWidget;
    m_gridScroll->setWidget(m_gridHost);
    m_gridHost->installEventFilter(this);
    m_grid = new QGridLayout(m_gridHost);
    m_grid->setContentsMargins(0, 0, 0, 0);
    m_grid->setSpacing(2);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addWidget(m_gridScroll);
    layout->addStretch();

    connect(m_rows, &QSpinBox::valueChanged, this,
            [this](int rows) { m_session->setKernelSize(rows, m_cols->value()); });
    connect(m_cols, &QSpinBox::valueChanged, this,
            [this](int cols) { m_session->setKernelSize(m_rows->value(), cols); });
    connect(m_preset, &QComboBox::currentIndexChanged, this, [this](int index) {
        const QString name = m_preset->itemData(index).toString();
        if (!name.isEmpty())
            m_session->setPreset(name);
    });
    connect(m_session, &Session::changed, this, &KernelEditor::syncFromSession);
    connect(m_session, &Session::errorOccurred, this, &KernelEditor::syncFromSession);
    syncFromSession();
}

QLineEdit *KernelEditor::cellEdit(int row, int col) const
{
    if (row < 0 || col < 0 || row >= m_gridRows || col >= m_gridCols)
        return nullptr;
    return m_cells[std::size_t(row * m_gridCols + col)];
}

void KernelEditor::rebuildGrid(int rows, int cols)
{
    for (QLineEdit *edit : m_cells)
        delete edit;
    m_cells.clear();
    m_gridRows = rows;
    m_gridCols = cols;
    const int width = fontMetrics().horizontalAdvance(QStringLiteral("-0.125")) + 10;
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
            auto *edit = new QLineEdit(m_gridHost);
            edit->setObjectName(QStringLiteral("kernelCell_%1_%2").arg(r).arg(c));
            edit->setAlignment(Qt::AlignCenter);
            edit->setMinimumWidth(width);
            edit->setMaximumWidth(width * 2);
            edit->setToolTip(tr("Kernel weight at row %1, column %2").arg(r).arg(c));
            connect(edit, &QLineEdit::textEdited, this,
                    [this, r, c](const QString &text) { cellEdited(r, c, text); });
            m_grid->addWidget(edit, r, c);
            m_cells.push_back(edit);
        }
    }
    fitGridArea();
}

bool KernelEditor::eventFilter(QObject *watched, QEvent *event)
{
    // The grid's wanted size changes with the kernel's size and with the text size.
    if (watched == m_gridHost && event->type() == QEvent::LayoutRequest)
        fitGridArea();
    return QWidget::eventFilter(watched, event);
}

void KernelEditor::fitGridArea()
{
    const QSize wanted = m_gridHost->sizeHint();
    const int bar = m_gridScroll->verticalScrollBar()->sizeHint().width();
    m_gridScroll->setFixedSize(
        wanted.width() > kMaxGridWidth ? kMaxGridWidth + bar : wanted.width(),
        wanted.height() > kMaxGridHeight ? kMaxGridHeight + bar : wanted.height());
}

void KernelEditor::cellEdited(int row, int col, const QString &text)
{
    double value = 0;
    QLineEdit *edit = cellEdit(row, col);
    const bool ok = parseNumber(text, &value);
    // An unfinished entry ("-", "1e") stays as typed and marked until it reads as a number.
    edit->setStyleSheet(ok || text.isEmpty() ? QString() : QStringLiteral("color: #c62828;"));
    if (ok)
        m_session->setKernelValue(row, col, value);
}

void KernelEditor::syncFromSession()
{
    const cv::Mat &kernel = m_session->kernel();
    {
        const QSignalBlocker rowsBlocker(m_rows);
        const QSignalBlocker colsBlocker(m_cols);
        m_rows->setValue(kernel.rows);
        m_cols->setValue(kernel.cols);
    }
    {
        const QSignalBlocker blocker(m_preset);
        const int index = m_preset->findData(m_session->presetName());
        m_preset->setCurrentIndex(index < 0 ? 0 : index);
    }
    if (kernel.rows != m_gridRows || kernel.cols != m_gridCols)
        rebuildGrid(kernel.rows, kernel.cols);
    for (int r = 0; r < kernel.rows; ++r) {
        for (int c = 0; c < kernel.cols; ++c) {
            QLineEdit *edit = cellEdit(r, c);
            const double value = kernel.at<double>(r, c);
            double shown = 0;
            // Leave a field alone while what it shows already means the kernel's value, or the
            // user is still typing in it, so "0." or "1e" is not rewritten under the cursor.
            const bool readable = parseNumber(edit->text(), &shown);
            if ((readable && shown == value) || (!readable && edit->hasFocus()))
                continue;
            edit->setText(numberText(value));
            // A long weight (1/9) is read from its start, not from the middle of its digits.
            edit->setCursorPosition(0);
            edit->setToolTip(tr("Kernel weight at row %1, column %2: %3").arg(r).arg(c).arg(numberText(value)));
            edit->setStyleSheet(QString());
        }
    }
}

} // namespace padlab::ui

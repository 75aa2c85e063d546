#include "exportdialog.h"

#include "session.h"

#include "padlab/core/files.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace padlab::ui {

namespace {

struct FormatEntry {
    Exporter::Format format;
    const char *suffix;
    const char *label;
};

constexpr FormatEntry kStillFormats[] = {
    {Exporter::Format::Png, "png", QT_TRANSLATE_NOOP("ExportDialog", "PNG image")},
    {Exporter::Format::Svg, "svg", QT_TRANSLATE_NOOP("ExportDialog", "SVG drawing")},
    {Exporter::Format::Pdf, "pdf", QT_TRANSLATE_NOOP("ExportDialog", "PDF document")},
    {Exporter::Format::Csv, "csv", QT_TRANSLATE_NOOP("ExportDialog", "CSV values")},
};
constexpr FormatEntry kAnimationFormats[] = {
    {Exporter::Format::Gif, "gif", QT_TRANSLATE_NOOP("ExportDialog", "Animated GIF")},
    {Exporter::Format::Mp4, "mp4", QT_TRANSLATE_NOOP("ExportDialog", "MP4 video")},
};

QString viewLabel(ExportView view)
{
    switch (view) {
    case ExportView::Input: return ExportDialog::tr("Input");
    case ExportView::Padded: return ExportDialog::tr("Padded input");
    case ExportView::Window: return ExportDialog::tr("Window");
    case ExportView::Output: return ExportDialog::tr("Output");
    case ExportView::All: return ExportDialog::tr("All four panels");
    case ExportView::Signal: return ExportDialog::tr("Signal");
    case ExportView::Compare: return ExportDialog::tr("Compare");
    case ExportView::Stages: return ExportDialog::tr("Stages");
    case ExportView::Channels: return ExportDialog::tr("Channels");
    case ExportView::Pool: return ExportDialog::tr("Pooling");
    case ExportView::Transposed: return ExportDialog::tr("Transposed");
    case ExportView::Volume: return ExportDialog::tr("Volume");
    }
    return {};
}

QString durationText(double seconds)
{
    if (seconds < 60)
        return ExportDialog::tr("%1 s").arg(seconds, 0, 'f', seconds < 10 ? 1 : 0);
    const long long whole = std::llround(seconds);
    if (whole < 3600)
        return ExportDialog::tr("%1 min %2 s").arg(whole / 60).arg(whole % 60);
    return ExportDialog::tr("%1 h %2 min").arg(whole / 3600).arg(whole / 60 % 60);
}

/// The size of the image or frames written for @p size drawn: a video's are even-sized, an odd
/// side getting one more pixel.
QSize written(QSize size, Exporter::Format format)
{
    if (format == Exporter::Format::Mp4)
        return QSize(size.width() + size.width() % 2, size.height() + size.height() % 2);
    return size;
}

} // namespace

ExportDialog::ExportDialog(Session &session, ExportView view, bool animation, bool fadeUncomputed, QWidget *parent)
    : QDialog(parent), m_session(session), m_animation(animation), m_fadeUncomputed(fadeUncomputed)
{
    setWindowTitle(animation ? tr("Export animation") : tr("Export figure"));

    m_path = new QLineEdit(this);
    m_path->setObjectName(QStringLiteral("path"));
    m_path->setMinimumWidth(360);
    auto *browse = new QPushButton(tr("Browse…"), this);
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_path, 1);
    fileRow->addWidget(browse);

    m_format = new QComboBox(this);
    m_format->setObjectName(QStringLiteral("format"));
    if (animation)
        for (const FormatEntry &entry : kAnimationFormats)
            m_format->addItem(tr(entry.label), int(entry.format));
    else
        for (const FormatEntry &entry : kStillFormats)
            m_format->addItem(tr(entry.label), int(entry.format));

    m_view = new QComboBox(this);
    m_view->setObjectName(QStringLiteral("view"));
    // The four panels and their arrangement are one family; every other view is a tab of its own.
    constexpr ExportView kPanels[] = {ExportView::All, ExportView::Input, ExportView::Padded, ExportView::Window,
                                      ExportView::Output};
    const bool teaching = std::find(std::begin(kPanels), std::end(kPanels), view) == std::end(kPanels);
    if (teaching) {
        // The teaching view on screen is the one exported.
        m_view->addItem(viewLabel(view), int(view));
    } else {
        for (ExportView v : kPanels)
            m_view->addItem(viewLabel(v), int(v));
        m_view->setCurrentIndex(m_view->findData(int(view)));
    }

    // Size: the cells and the text grow together, by a factor or to a width.
    m_byScale = new QRadioButton(tr("Scale"), this);
    m_byWidth = new QRadioButton(tr("Width"), this);
    m_scale = new QDoubleSpinBox(this);
    m_scale->setObjectName(QStringLiteral("scale"));
    m_scale->setRange(0.1, 8);
    m_scale->setSingleStep(0.25);
    m_scale->setDecimals(2);
    m_scale->setValue(1);
    m_scale->setSuffix(QStringLiteral(" ×"));
    m_width = new QSpinBox(this);
    m_width->setObjectName(QStringLiteral("width"));
    m_width->setRange(100, 20000);
    m_width->setSingleStep(100);
    m_width->setValue(1920);
    m_width->setSuffix(tr(" px"));
    m_byScale->setChecked(true);
    auto *sizeGroup = new QButtonGroup(this);
    sizeGroup->addButton(m_byScale);
    sizeGroup->addButton(m_byWidth);
    auto *sizeRow = new QHBoxLayout;
    sizeRow->addWidget(m_byScale);
    sizeRow->addWidget(m_scale);
    sizeRow->addSpacing(12);
    sizeRow->addWidget(m_byWidth);
    sizeRow->addWidget(m_width);
    sizeRow->addStretch(1);
    auto *sizeNote = new QLabel(tr("Titles, labels and numbers grow with the cells."), this);
    sizeNote->setWordWrap(true);

    auto *form = new QFormLayout;
    form->addRow(tr("File:"), fileRow);
    form->addRow(tr("Format:"), m_format);
    form->addRow(tr("View:"), m_view);
    form->addRow(tr("Size:"), sizeRow);
    form->addRow(QString(), sizeNote);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);

    m_byEvery = new QRadioButton(tr("One frame every"), this);
    m_byRow = new QRadioButton(tr("Row by row (the window at each row's end)"), this);
    m_every = new QSpinBox(this);
    m_every->setObjectName(QStringLiteral("every"));
    m_every->setRange(1, 1'000'000);
    m_every->setSuffix(tr(" window position")); // the value is 1
    connect(m_every, &QSpinBox::valueChanged, this, [this](int every) {
        m_every->setSuffix(every == 1 ? tr(" window position") : tr(" window positions"));
    });
    m_fps = new QDoubleSpinBox(this);
    m_fps->setObjectName(QStringLiteral("fps"));
    m_fps->setRange(1, 50);
    m_fps->setDecimals(1);
    m_fps->setValue(10);
    m_fps->setSuffix(tr(" frames/s"));
    m_byEvery->setChecked(true);
    if (animation) {
        auto *frames = new QGroupBox(tr("Frames"), this);
        auto *stepGroup = new QButtonGroup(this);
        stepGroup->addButton(m_byEvery);
        stepGroup->addButton(m_byRow);
        auto *everyRow = new QHBoxLayout;
        everyRow->addWidget(m_byEvery);
        everyRow->addWidget(m_every);
        everyRow->addStretch(1);
        auto *frameForm = new QFormLayout(frames);
        frameForm->addRow(tr("Show:"), everyRow);
        frameForm->addRow(QString(), m_byRow);
        frameForm->addRow(tr("Frame rate:"), m_fps);
        layout->addWidget(frames);
    } else {
        m_byEvery->hide();
        m_byRow->hide();
        m_every->hide();
        m_fps->hide();
    }

    // What it will write, kept up to date.
    auto *result = new QGroupBox(tr("It will write"), this);
    m_frames = new QLabel(this);
    m_frames->setObjectName(QStringLiteral("frames"));
    m_pixels = new QLabel(this);
    m_pixels->setObjectName(QStringLiteral("pixels"));
    m_bytes = new QLabel(this);
    m_bytes->setObjectName(QStringLiteral("bytes"));
    m_duration = new QLabel(this);
    m_duration->setObjectName(QStringLiteral("duration"));
    auto *resultForm = new QFormLayout(result);
    resultForm->addRow(tr("Frames:"), m_frames);
    resultForm->addRow(tr("Image:"), m_pixels);
    resultForm->addRow(tr("File size:"), m_bytes);
    if (animation)
        resultForm->addRow(tr("Duration:"), m_duration);
    else
        m_duration->hide();
    layout->addWidget(result);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    buttons->addButton(tr("Export"), QDialogButtonBox::AcceptRole)->setDefault(true);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &ExportDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ExportDialog::reject);

    // The file size needs the figure drawn: it waits until the options stop changing.
    m_bytesTimer = new QTimer(this);
    m_bytesTimer->setSingleShot(true);
    m_bytesTimer->setInterval(250);
    connect(m_bytesTimer, &QTimer::timeout, this, &ExportDialog::updateBytes);

    m_path->setText(Exporter::defaultPath(session, this->options().view,
                                          QString::fromLatin1(animation ? kAnimationFormats[0].suffix
                                                                        : kStillFormats[0].suffix)));
    connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);
    connect(m_path, &QLineEdit::textEdited, this, [this] {
        m_nameEdited = true;
        // A typed extension chooses the format.
        if (const auto typed = Exporter::formatOf(path())) {
            const int at = m_format->findData(int(*typed));
            if (at >= 0) {
                const QSignalBlocker block(m_format);
                m_format->setCurrentIndex(at);
            }
        }
        optionsChanged();
    });
    connect(m_format, &QComboBox::currentIndexChanged, this, [this] {
        updateSuffixes();
        optionsChanged();
    });
    connect(m_view, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_nameEdited)
            m_path->setText(Exporter::defaultPath(m_session, options().view, QFileInfo(path()).suffix()));
        optionsChanged();
    });
    if (animation) {
        // Every position of a photo is hours of animation: start from what a slide can use,
        // row by row, or every N-th position when even the rows are too many.
        const long long all = frameCount();
        if (all > kConfirmFrames) {
            m_byRow->setChecked(true);
            if (frameCount() > kConfirmFrames) {
                m_byEvery->setChecked(true);
                m_every->setValue(int(std::min<long long>((all + kConfirmFrames - 1) / kConfirmFrames,
                                                          m_every->maximum())));
            }
        }
    }
    for (QRadioButton *button : {m_byScale, m_byWidth, m_byEvery, m_byRow})
        connect(button, &QRadioButton::toggled, this, &ExportDialog::optionsChanged);
    connect(m_scale, &QDoubleSpinBox::valueChanged, this, &ExportDialog::optionsChanged);
    connect(m_width, &QSpinBox::valueChanged, this, &ExportDialog::optionsChanged);
    connect(m_every, &QSpinBox::valueChanged, this, &ExportDialog::optionsChanged);
    connect(m_fps, &QDoubleSpinBox::valueChanged, this, &ExportDialog::optionsChanged);
    // The file size is worked out once the dialog shows.
    optionsChanged();
}

ExportDialog::~ExportDialog() = default;

QString ExportDialog::path() const
{
    return m_path->text().trimmed();
}

Exporter::Format ExportDialog::format() const
{
    return Exporter::Format(m_format->currentData().toInt());
}

ExportOptions ExportDialog::options() const
{
    ExportOptions o;
    o.view = ExportView(m_view->currentData().toInt());
    o.look = m_session.look();
    o.fadeUncomputed = m_fadeUncomputed;
    o.every = m_every->value();
    o.rowByRow = m_animation && m_byRow->isChecked();
    o.fps = m_fps->value();
    // The size chosen is relative to the figure picked for the format: a still's cells for
    // readable numbers, an animation's fitted to a slide (scale 1).
    o = Exporter::picked(m_session, o, format());
    if (m_byWidth->isChecked())
        o.scale = Exporter::scaleForWidth(m_session, o, m_width->value());
    else
        o.scale *= m_scale->value();
    return o;
}

long long ExportDialog::frameCount() const
{
    if (!m_animation)
        return 1;
    return Exporter(m_session, options()).frameCount();
}

QSize ExportDialog::imageSize() const
{
    if (format() == Exporter::Format::Csv)
        return {};
    return written(Exporter(m_session, options()).imageSize(), format());
}

std::optional<qint64> ExportDialog::expectedBytes() const
{
    return Exporter(m_session, options()).expectedBytes(format());
}

double ExportDialog::durationSeconds() const
{
    return m_animation ? double(frameCount()) / m_fps->value() : 0;
}

QString ExportDialog::summaryText() const
{
    QStringList lines{m_frames->text(), m_pixels->text(), m_bytes->text()};
    if (m_animation)
        lines << m_duration->text();
    return lines.join(QLatin1Char('\n'));
}

void ExportDialog::setPath(const QString &path)
{
    m_path->setText(path);
    emit m_path->textEdited(path);
}

void ExportDialog::setView(ExportView view)
{
    const int at = m_view->findData(int(view));
    if (at >= 0)
        m_view->setCurrentIndex(at);
}

void ExportDialog::setScale(double scale)
{
    m_byScale->setChecked(true);
    m_scale->setValue(scale);
    optionsChanged();
}

void ExportDialog::setTargetWidth(int width)
{
    m_byWidth->setChecked(true);
    m_width->setValue(width);
}

void ExportDialog::setEvery(int every)
{
    m_byEvery->setChecked(true);
    m_every->setValue(every);
}

void ExportDialog::setRowByRow(bool rowByRow)
{
    (rowByRow ? m_byRow : m_byEvery)->setChecked(true);
}

void ExportDialog::setFps(double fps)
{
    m_fps->setValue(fps);
}

void ExportDialog::browse()
{
    QStringList filters;
    QString selected;
    const auto add = [&](const FormatEntry &entry) {
        const QString filter = QStringLiteral("%1 (*.%2)").arg(tr(entry.label), QString::fromLatin1(entry.suffix));
        filters << filter;
        if (entry.format == format())
            selected = filter;
    };
    if (m_animation)
        for (const FormatEntry &entry : kAnimationFormats)
            add(entry);
    else
        for (const FormatEntry &entry : kStillFormats)
            add(entry);
    QString chosen = QFileDialog::getSaveFileName(this, windowTitle(), path(), filters.join(QStringLiteral(";;")),
                                                  &selected);
    if (chosen.isEmpty())
        return;
    if (QFileInfo(chosen).suffix().isEmpty()) {
        // The filter's extension, e.g. "*.svg" in "SVG drawing (*.svg)".
        const qsizetype star = selected.lastIndexOf(QLatin1String("*."));
        chosen += selected.mid(star + 1).chopped(1);
    }
    setPath(chosen);
    m_replaceAsked = chosen; // the file dialog asked about replacing it
}

void ExportDialog::updateSuffixes()
{
    // The format chosen from the list renames the file's extension.
    const QString suffix = Exporter::suffixes().at(int(format()));
    const QFileInfo info(path());
    if (info.suffix().toLower() == suffix)
        return;
    const QString base = Exporter::formatOf(path()) ? info.completeBaseName() : info.fileName();
    m_path->setText(info.dir().filePath(base + QLatin1Char('.') + suffix));
}

void ExportDialog::optionsChanged()
{
    const QLocale locale;
    const ExportOptions o = options();
    const Exporter exporter(m_session, o);
    const long long frames = m_animation ? exporter.frameCount() : 1;
    m_frames->setText(m_animation ? tr("%1 frames").arg(locale.toString(frames)) : tr("1 (a still)"));
    if (format() == Exporter::Format::Csv) {
        m_pixels->setText(tr("values, no image"));
    } else {
        const QSize size = written(exporter.imageSize(), format());
        m_pixels->setText(tr("%1 × %2 pixels (width × height)").arg(size.width()).arg(size.height()));
        // The size field not in use shows what the one in use gives.
        const QSignalBlocker scaleQuiet(m_scale);
        const QSignalBlocker widthQuiet(m_width);
        if (m_byWidth->isChecked()) {
            ExportOptions unsized = o;
            unsized.scale = 0;
            unsized.cellSize = 0;
            m_scale->setValue(o.scale / Exporter::picked(m_session, unsized, format()).scale);
        } else {
            m_width->setValue(size.width());
        }
    }
    if (m_animation)
        m_duration->setText(tr("%1 at %2 frames/s").arg(durationText(durationSeconds())).arg(m_fps->value()));
    m_bytes->setText(tr("working it out…"));
    m_bytesTimer->start();
}

void ExportDialog::updateBytes()
{
    const std::optional<qint64> bytes = expectedBytes();
    m_bytes->setText(bytes ? tr("about %1").arg(QLocale().formattedDataSize(*bytes))
                           : tr("cannot be written as %1").arg(m_format->currentText()));
}

void ExportDialog::accept()
{
    const QString target = path();
    if (target.isEmpty()) {
        QMessageBox::warning(this, windowTitle(), tr("Choose a file to export to."));
        return;
    }
    if (!Exporter::formatOf(target)) {
        QMessageBox::warning(this, windowTitle(),
                             tr("'%1' has no known extension: use .%2.")
                                 .arg(QFileInfo(target).fileName(), Exporter::suffixes().join(QStringLiteral(", ."))));
        return;
    }
    if (core::sameFile(QFile::encodeName(target).toStdString(), QFile::encodeName(m_session.inputPath()).toStdString())) {
        QMessageBox::warning(this, windowTitle(),
                             tr("'%1' is the input file: an export never replaces its input. Choose another name.")
                                 .arg(target));
        return;
    }
    if (QFileInfo::exists(target) && target != m_replaceAsked) {
        const QString question = tr("'%1' exists. Replace it?").arg(QFileInfo(target).fileName());
        const bool replace = m_ask ? m_ask(question)
                                   : QMessageBox::question(this, windowTitle(), question,
                                                           QMessageBox::Yes | QMessageBox::No, QMessageBox::No)
                                         == QMessageBox::Yes;
        if (!replace)
            return;
    }
    if (needsConfirmation()) {
        const QString question
            = tr("This animation has %1 frames (%2 at %3 frames/s). Write all of them?\n\nEvery N-th step or "
                 "row by row gives fewer.")
                  .arg(QLocale().toString(frameCount()), durationText(durationSeconds()))
                  .arg(m_fps->value());
        const bool go = m_ask ? m_ask(question)
                              : QMessageBox::question(this, windowTitle(), question,
                                                      QMessageBox::Yes | QMessageBox::No, QMessageBox::No)
                                    == QMessageBox::Yes;
        if (!go)
            return;
    }
    QDialog::accept();
}

} // namespace padlab::ui

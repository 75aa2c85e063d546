#include "exporter.h"

#include "comparepainter.h"
#include "exportdialog.h"
#include "gifwriter.h"
#include "look.h"
#include "samples.h"
#include "session.h"
#include "parts.h"
#include "signalpainter.h"
#include "stagespainter.h"
#include "channelspainter.h"
#include "poolpainter.h"
#include "transposedpainter.h"
#include "volumepainter.h"

#include "padlab/core/compare.h"
#include "padlab/core/csv.h"
#include "padlab/core/error.h"
#include "padlab/core/files.h"
#include "padlab/core/stages.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFileDialog>
#include <QFontMetricsF>
#include <QImageWriter>
#include <QMessageBox>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QProgressDialog>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QThreadPool>
#include <QSvgGenerator>

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <algorithm>
#include <cmath>
#include <deque>
#include <functional>
#include <limits>
#include <future>
#include <memory>
#include <mutex>

#include <sys/stat.h>

namespace padlab::ui {

namespace {

constexpr double kMaxCellSize = 32;
constexpr double kPanelWidth = 320; // what an automatic cell size aims a panel's width at
constexpr double kSlideValuePx = 14; // numbers a slide's back row reads, at text size 1
constexpr int kReadableCells = 48;   // grids up to this many cells a side get such numbers
constexpr double kMinFps = 1;
constexpr double kMaxFps = 50;

double gapOf(const ExportOptions &o) { return std::round(o.look.px(12)); }

bool isTeachingView(ExportView view)
{
    return view == ExportView::Signal || view == ExportView::Compare || view == ExportView::Stages
           || view == ExportView::Channels || view == ExportView::Pool
           || view == ExportView::Transposed || view == ExportView::Volume;
}

/// The part of a snapshot a teaching view draws.
std::optional<Part> partOf(ExportView view)
{
    switch (view) {
    case ExportView::Signal: return Part::Signal;
    case ExportView::Compare: return Part::Comparison;
    case ExportView::Stages: return Part::Stages;
    case ExportView::Channels: return Part::Channels;
    case ExportView::Pool: return Part::Pool;
    case ExportView::Transposed: return Part::Transposed;
    default: return std::nullopt;
    }
}

std::vector<Panel> panelsOf(ExportView view)
{
    switch (view) {
    case ExportView::Input: return {Panel::Input};
    case ExportView::Padded: return {Panel::Padded};
    case ExportView::Window: return {Panel::Window};
    case ExportView::Output: return {Panel::Output};
    case ExportView::Signal:
    case ExportView::Compare:
    case ExportView::Stages:
    case ExportView::Channels:
    case ExportView::Pool: return {};
    case ExportView::Transposed: return {};
    case ExportView::Volume: return {};
    case ExportView::All: break;
    }
    return {Panel::Input, Panel::Padded, Panel::Window, Panel::Output};
}

struct ViewName {
    ExportView view;
    const char *name;
};

constexpr ViewName kViewNames[] = {
    {ExportView::Input, "input"},     {ExportView::Padded, "padded"},
    {ExportView::Window, "window"},   {ExportView::Output, "output"},
    {ExportView::All, "all"},         {ExportView::Signal, "signal"},
    {ExportView::Compare, "compare"}, {ExportView::Stages, "stages"},
    {ExportView::Channels, "channels"},
    {ExportView::Pool, "pool"},
    {ExportView::Transposed, "transposed"},
    {ExportView::Volume, "volume"},
};

/// @p svg as QSvgGenerator wrote it, with every text anchored at its middle (`text-anchor=
/// "middle"`, x moved from the text's start to its centre) in the generic `sans-serif` family:
/// QSvgGenerator writes the start of each text as this machine's font laid it out, in a family
/// other renderers may lack, so their wider or narrower glyphs would sit off-centre in a cell.
QByteArray centredSvgText(const QByteArray &svg)
{
    static const QRegularExpression textElement(QStringLiteral("<text\\b([^>]*)>([^<]*)</text>"));
    static const QRegularExpression family(QStringLiteral("font-family=\"[^\"]*\""));
    const auto attribute = [](const QString &attributes, const QString &name) {
        const QRegularExpression pattern(QStringLiteral("\\b%1=\"([^\"]*)\"").arg(name));
        return pattern.match(attributes).captured(1);
    };
    const QString text = QString::fromUtf8(svg);
    QString out;
    out.reserve(text.size() + text.size() / 8);
    qsizetype done = 0;
    QString font = QStringLiteral("sans-serif"); // the family of the innermost group seen
    auto it = textElement.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        const QString before = text.mid(done, m.capturedStart() - done);
        // The family and size a text is laid out in come from it or the last group that set them.
        const qsizetype group = before.lastIndexOf(QLatin1String("font-family=\""));
        if (group >= 0)
            font = before.mid(group + 13, before.indexOf(QLatin1Char('"'), group + 13) - group - 13);
        out += before;
        QString attributes = m.captured(1);
        const QString content = m.captured(2);
        const QString plain = QString(content)
                                  .replace(QLatin1String("&lt;"), QLatin1String("<"))
                                  .replace(QLatin1String("&gt;"), QLatin1String(">"))
                                  .replace(QLatin1String("&quot;"), QLatin1String("\""))
                                  .replace(QLatin1String("&#39;"), QLatin1String("'"))
                                  .replace(QLatin1String("&amp;"), QLatin1String("&"));
        QFont laidOut(attribute(attributes, QStringLiteral("font-family")).isEmpty()
                          ? font
                          : attribute(attributes, QStringLiteral("font-family")));
        laidOut.setPixelSize(std::max(1, int(std::lround(attribute(attributes, QStringLiteral("font-size")).toDouble()))));
        laidOut.setWeight(QFont::Weight(std::clamp(attribute(attributes, QStringLiteral("font-weight")).toInt(), 1, 1000)));
        const double x = attribute(attributes, QStringLiteral("x")).toDouble();
        const double centre = x + QFontMetricsF(laidOut).horizontalAdvance(plain) / 2;
        attributes.replace(QRegularExpression(QStringLiteral("\\bx=\"[^\"]*\"")),
                           QStringLiteral("x=\"%1\"").arg(centre, 0, 'f', 2));
        attributes.replace(family, QStringLiteral("font-family=\"sans-serif\""));
        if (!attributes.contains(QLatin1String("font-family=")))
            attributes += QStringLiteral(" font-family=\"sans-serif\"");
        attributes += QStringLiteral(" text-anchor=\"middle\"");
        out += QStringLiteral("<text") + attributes + QLatin1Char('>') + content + QStringLiteral("</text>");
        done = m.capturedEnd();
    }
    out += text.mid(done);
    // Groups name the family too; the generic one is what every renderer has.
    out.replace(family, QStringLiteral("font-family=\"sans-serif\""));
    return out.toUtf8();
}

/// The scale at which @p sizeAt gives a figure at most @p limit wide and high, as near to one of
/// the two as the figure's rounding allows; the size grows almost in proportion to the scale.
double fitScale(const std::function<QSize(double)> &sizeAt, QSize limit)
{
    const QSize natural = sizeAt(1);
    if (natural.isEmpty() || limit.isEmpty())
        return 1;
    const auto ratio = [limit](QSize size) {
        return std::min(double(limit.width()) / size.width(), double(limit.height()) / size.height());
    };
    const auto fits = [limit](QSize size) {
        return size.width() <= limit.width() && size.height() <= limit.height();
    };
    // Rounding aside, a few corrections.
    double scale = ratio(natural);
    for (int i = 0; i < 4; ++i) {
        const QSize got = sizeAt(scale);
        if (got.isEmpty() || (fits(got) && (got.width() == limit.width() || got.height() == limit.height())))
            break;
        scale *= ratio(got);
    }
    // Never larger than asked.
    for (int i = 0; i < 20 && !fits(sizeAt(scale)); ++i)
        scale *= 0.995;
    return scale;
}

} // namespace

std::optional<ExportView> parseExportView(const QString &name)
{
    const QString key = name.trimmed().toLower();
    for (const ViewName &entry : kViewNames)
        if (key == QLatin1String(entry.name))
            return entry.view;
    return std::nullopt;
}

QString exportViewName(ExportView view)
{
    for (const ViewName &entry : kViewNames)
        if (entry.view == view)
            return QString::fromLatin1(entry.name);
    return {};
}

QString exportViewNames()
{
    QStringList names;
    for (const ViewName &entry : kViewNames)
        names << QString::fromLatin1(entry.name);
    return names.join(QStringLiteral(", "));
}

QStringList Exporter::suffixes()
{
    return {QStringLiteral("png"), QStringLiteral("svg"), QStringLiteral("pdf"),
            QStringLiteral("gif"), QStringLiteral("mp4"), QStringLiteral("csv")};
}

std::optional<Exporter::Format> Exporter::formatOf(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    const Format formats[] = {Format::Png, Format::Svg, Format::Pdf, Format::Gif, Format::Mp4, Format::Csv};
    const QStringList names = suffixes();
    const auto at = names.indexOf(suffix);
    if (at < 0)
        return std::nullopt;
    return formats[at];
}

long long Exporter::animationFrameCount(int rows, int cols, const ExportOptions &options)
{
    const long long count = 1LL * std::max(rows, 0) * std::max(cols, 0);
    if (count == 0)
        return 0;
    if (options.rowByRow)
        return rows;
    const long long every = std::max(options.every, 1);
    // Steps 0, every, 2*every, ...; the last step is added when it is not one of them.
    return (count - 1) / every + 1 + ((count - 1) % every != 0 ? 1 : 0);
}

core::Estimate Exporter::estimate(core::PerAxis inputSize, int elementBytes, core::PerAxis kernelSize,
                                  const core::ConvSpec &spec, Format format, const ExportOptions &options,
                                  CompareBy compareBy, int stageCount)
{
    if (core::validate(spec, inputSize, kernelSize))
        return {};
    core::Estimate need = core::convolutionEstimate(inputSize, 1, elementBytes, kernelSize, spec);
    if (format == Format::Csv)
        return need;
    if (options.view == ExportView::Compare) {
        need += core::compareEstimate(inputSize, elementBytes, kernelSize, spec,
                                      compareBy == CompareBy::Fill ? core::CompareBy::Fill
                                                                             : core::CompareBy::Amount);
    } else if (options.view == ExportView::Stages) {
        need += core::stagesEstimate(inputSize, elementBytes, kernelSize, spec, stageCount);
    } else if (isAnimation(format)) {
        const core::Geometry g = core::geometry(inputSize, kernelSize, spec);
        need.frames = static_cast<std::uint64_t>(animationFrameCount(g.rows.output, g.cols.output, options));
    }
    return need;
}

std::vector<int> Exporter::animationSteps(int rows, int cols, const ExportOptions &options)
{
    std::vector<int> steps;
    const long long count = 1LL * rows * cols;
    if (count <= 0)
        return steps;
    if (options.rowByRow) {
        for (int r = 0; r < rows; ++r)
            steps.push_back(r * cols + cols - 1);
        return steps;
    }
    const int every = std::max(options.every, 1);
    for (long long s = 0; s < count; s += every)
        steps.push_back(int(s));
    if (steps.back() != count - 1)
        steps.push_back(int(count - 1));
    return steps;
}

Exporter::Exporter(Session &session, const ExportOptions &options)
    : m_session(session), m_options(options), m_baseFontScale(options.look.fontScale),
      m_autoScale(!(options.scale > 0) && !(options.cellSize > 0))
{
    setScale(m_options.scale > 0 ? m_options.scale : 1);
}

void Exporter::setScale(double scale)
{
    m_options.scale = scale;
    m_options.look.fontScale = m_baseFontScale * scale;
}

void Exporter::pickScale(Format format)
{
    if (!m_autoScale)
        return;
    m_fixedCell = 0;
    m_fittedCell.reset();
    setScale(1);
    if (!isAnimation(format))
        return;
    const auto fits = [](QSize size) {
        return size.width() <= kSlideSize.width() && size.height() <= kSlideSize.height();
    };
    if (fits(imageSize()))
        return; // never enlarged
    if (!isTeachingView(m_options.view) && m_options.view != ExportView::Volume) {
        // The cells shrink and the text keeps its size: titles, labels and the colour bar's
        // numbers stay readable on the slide. The largest cells that fit, whole pixels while
        // they are a pixel or more (an even grid), else a fraction.
        const double picked = baseCellSize();
        const auto fitsWith = [&](double cell) {
            m_fittedCell = cell;
            return fits(imageSize());
        };
        double low = 0;             // the largest size known to fit
        double high = picked;       // a size known not to fit
        if (picked > 1 && fitsWith(1)) {
            low = 1;
            while (high - low > 1) {
                const double middle = std::floor((low + high) / 2);
                (fitsWith(middle) ? low : high) = middle;
            }
        } else if (high = std::min(picked, 1.0); fitsWith(1.0 / 64)) {
            low = 1.0 / 64;
            for (int i = 0; i < 12; ++i) {
                const double middle = (low + high) / 2;
                (fitsWith(middle) ? low : high) = middle;
            }
        }
        if (low > 0) {
            m_fittedCell = low;
            return;
        }
        // Text alone too wide for the slide (a text size made much larger): all shrinks.
        m_fittedCell.reset();
    }
    // Views without cells (a canvas laid out for its text) shrink as a whole.
    setScale(fitScale([this](double scale) {
        setScale(scale);
        return imageSize();
    }, kSlideSize));
}

ExportOptions Exporter::picked(Session &session, ExportOptions options, Format format)
{
    if (options.scale > 0 || options.cellSize > 0)
        return options;
    Exporter exporter(session, options);
    exporter.pickScale(format);
    options.cellSize = exporter.baseCellSize();
    options.scale = exporter.m_options.scale;
    return options;
}

QString Exporter::defaultPath(const Session &session, ExportView view, const QString &suffix)
{
    const QFileInfo input(session.inputPath());
    QString base = QFileInfo(session.inputName()).completeBaseName();
    if (session.inputPath().isEmpty()) {
        // A sample is named by its short id ("digit"), not its menu title.
        for (const Sample &sample : samples())
            if (sample.title == session.inputName())
                base = sample.id;
    }
    // Spaces and punctuation become single dashes: a name that needs no quoting in a shell.
    static const QRegularExpression awkward(QStringLiteral("[^\\w.+-]+"), QRegularExpression::UseUnicodePropertiesOption);
    base = base.replace(awkward, QStringLiteral("-"));
    while (base.startsWith(QLatin1Char('-')) || base.startsWith(QLatin1Char('.')))
        base.remove(0, 1);
    while (base.endsWith(QLatin1Char('-')))
        base.chop(1);
    if (base.isEmpty())
        base = QStringLiteral("padlab");
    QString folder;
    if (!session.inputPath().isEmpty() && QFileInfo(input.absolutePath()).isWritable())
        folder = input.absolutePath();
    else
        folder = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    if (folder.isEmpty())
        folder = QDir::homePath();
    const QString stem = base + QLatin1Char('-') + exportViewName(view);
    QString path = QDir(folder).filePath(stem + QLatin1Char('.') + suffix);
    // Only a link could make the derived name lead to the input; even then it is not proposed.
    for (int n = 2; core::sameFile(QFile::encodeName(path).toStdString(),
                                   QFile::encodeName(session.inputPath()).toStdString());
         ++n)
        path = QDir(folder).filePath(QStringLiteral("%1-%2.%3").arg(stem).arg(n).arg(suffix));
    return path;
}

double Exporter::scaleForWidth(Session &session, ExportOptions options, int width)
{
    options.scale = 1;
    Exporter exporter(session, options);
    return fitScale([&exporter](double scale) {
        exporter.setScale(scale);
        return exporter.imageSize();
    }, QSize(width, std::numeric_limits<int>::max()));
}

long long Exporter::frameCount() const
{
    const QSize output = stepGrid();
    return animationFrameCount(output.height(), output.width(), m_options);
}

QSize Exporter::stepGrid() const
{
    if (m_options.view == ExportView::Volume) {
        const VolumeSet &set = volumeSet();
        return QSize(set.outCols(), set.ok() ? set.outDepth() * set.outRows() : 0);
    }
    // These views walk their own output, as in the window.
    switch (m_options.view) {
    case ExportView::Signal: return snapshot().stepGrid(View::Signal);
    case ExportView::Channels: return snapshot().stepGrid(View::Channels);
    case ExportView::Pool: return snapshot().stepGrid(View::Pool);
    case ExportView::Transposed: return snapshot().stepGrid(View::Transposed);
    default: return PanelPainter::gridSize(snapshot(), Panel::Output);
    }
}

const VolumeSet &Exporter::volumeSet() const
{
    if (!m_volume)
        m_volume = computeVolume(m_session.volumeSettings(), m_session.kernel());
    return *m_volume;
}

const Snapshot &Exporter::snapshot() const
{
    if (m_snapshot)
        return *m_snapshot;
    const std::optional<Part> part = partOf(m_options.view);
    if (part && !m_session.snapshot()->has(*part)) {
        m_session.need(*part);
        // While the part is computed the progress callback hears its percent, and cancel()
        // stops the computation at the session's next report.
        const QMetaObject::Connection watch
            = QObject::connect(&m_session, &Session::progressChanged, &m_session, [this](double fraction) {
                  if (m_progress)
                      m_progress(int(std::lround(fraction * 100)), 100);
                  if (m_cancelled)
                      m_session.cancel();
              });
        m_session.waitUntilIdle();
        QObject::disconnect(watch);
        m_session.release(*part);
    }
    m_snapshot = m_session.snapshot();
    return *m_snapshot;
}

Exporter::~Exporter() = default;

void Exporter::setProgressCallback(std::function<void(int, int)> callback)
{
    m_progress = std::move(callback);
}

double Exporter::cellSize() const
{
    if (m_fixedCell > 0)
        return m_fixedCell;
    return baseCellSize() * m_options.scale;
}

double Exporter::baseCellSize() const
{
    if (m_options.cellSize > 0)
        return m_options.cellSize;
    if (m_fittedCell)
        return *m_fittedCell;
    // Measuring every number takes a while, and fitting a size asks for it again and again.
    if (!m_baseCell)
        m_baseCell = pickCellSize();
    return *m_baseCell;
}

double Exporter::pickCellSize() const
{
    int cells = 1;
    const std::vector<Panel> panels = panelsOf(m_options.view);
    for (Panel panel : panels) {
        if (panel == Panel::Window)
            continue;
        const QSize size = PanelPainter::gridSize(snapshot(), panel);
        cells = std::max({cells, size.width(), size.height()});
    }
    const double fit = kPanelWidth / cells;
    if (cells <= kReadableCells) {
        // Small grids (a digit, a lesson's matrix) are shown for their numbers: cells large
        // enough for every number at slide size, in the look before the scale.
        PanelOptions o;
        o.look = m_options.look;
        o.look.fontScale = m_baseFontScale;
        double readable = 0;
        for (Panel panel : panels)
            readable = std::max(readable, PanelPainter::cellSizeForValues(snapshot(), panel, o,
                                                                          o.look.px(kSlideValuePx)));
        if (readable > 0)
            return std::max(readable, std::min(std::floor(fit), kMaxCellSize));
    }
    if (fit >= kMaxCellSize)
        return kMaxCellSize;
    // Whole pixels keep the grid even; below one pixel a cell is a fraction of a pixel.
    return fit >= 1 ? std::floor(fit) : fit;
}

PanelOptions Exporter::panelOptions(int step, bool animation) const
{
    PanelOptions o;
    o.look = m_options.look;
    o.step = step;
    o.cellSize = cellSize();
    // The scale zooms: a number keeps its share of its cell, as the text's size grows with it.
    o.valueScale = PanelOptions().valueScale / m_options.scale;
    o.origin = QPointF(-gapOf(m_options) / o.cellSize, 0);
    o.showTitle = true;
    o.fadeUncomputed = animation || m_options.fadeUncomputed;
    return o;
}

std::vector<Exporter::Piece> Exporter::layout() const
{
    if (m_options.view == ExportView::Volume) {
        // Every number at the look's text size: the painter's natural size, scaled.
        const QSize size = (QSizeF(VolumePainter::naturalSize(volumeSet(), m_options.look)) * m_options.scale).toSize()
                           + m_evenPadding;
        return {{Panel::Input, QRect(QPoint(0, 0), size)}};
    }
    if (isTeachingView(m_options.view)) {
        // One canvas; its painter lays out its own plots or columns.
        const QSize size
            = (QSizeF(kTeachingExportSize) * std::max(1.0, m_baseFontScale) * m_options.scale).toSize()
            + m_evenPadding;
        return {{Panel::Input, QRect(QPoint(0, 0), size)}};
    }
    const double cell = cellSize();
    const double gap = gapOf(m_options);
    const Snapshot &session = snapshot();
    const double fs = m_options.look.fontScale;
    const int title = PanelPainter::titleHeight(panelOptions(0, false));
    const std::vector<Panel> panels = panelsOf(m_options.view);

    auto cells = [cell](int count) { return int(std::ceil(count * cell)); };
    int gridHeight = 0;
    for (Panel panel : panels)
        if (panel != Panel::Window)
            gridHeight = std::max(gridHeight, cells(PanelPainter::gridSize(session, panel).height()));
    if (panels.size() == 1 && panels.front() == Panel::Window)
        gridHeight = int(std::round(300 * fs));
    gridHeight = std::max(gridHeight, int(std::round(120 * fs)));
    const int height = title + gridHeight + int(gap) + m_evenPadding.height();

    std::vector<Piece> pieces;
    int x = 0;
    for (Panel panel : panels) {
        const QSize grid = PanelPainter::gridSize(session, panel);
        int width = int(gap) + cells(grid.width());
        if (panel == Panel::Window) {
            width = int(std::round(std::clamp(double(gridHeight), 300 * fs, 420 * fs)));
        } else if (panel == Panel::Output) {
            if (session.stepCount() == 0) {
                width = std::max(width, int(std::round(260 * fs)));
            } else if (m_options.look.outputScale == OutputScale::Diverging) {
                // Room for the colour bar and its longest label, as the painter lays it out.
                const auto [low, high] = session.outputRange;
                QFont font;
                font.setPixelSize(std::max(1, int(std::lround(12 * fs))));
                const QString longest = QString::number(-std::max(std::abs(low), std::abs(high)), 'g', 6);
                width += int(std::ceil(38 * fs + QFontMetricsF(font).horizontalAdvance(longest) + gap));
            }
        }
        width = std::max(width, int(std::round(160 * fs)));
        pieces.push_back({panel, QRect(x, 0, width, height)});
        x += width;
    }
    // The right margin and the pixels that keep a video's size even belong to the last panel.
    pieces.back().target.setWidth(pieces.back().target.width() + int(gap) + m_evenPadding.width());
    return pieces;
}

QSize Exporter::imageSize() const
{
    QRect bounds;
    for (const Piece &piece : layout())
        bounds = bounds.united(piece.target);
    return bounds.size();
}

double Exporter::paint(QPainter &painter, int step, bool animation) const
{
    const Snapshot &shown = snapshot();
    if (isTeachingView(m_options.view)) {
        const QRect target = layout().front().target;
        painter.fillRect(target, m_options.look.background());
        switch (m_options.view) {
        case ExportView::Signal: {
            SignalOptions o;
            o.look = m_options.look;
            o.step = step;
            o.fadeUncomputed = animation || m_options.fadeUncomputed;
            SignalPainter::paint(painter, target, shown, o);
            break;
        }
        case ExportView::Compare: ComparePainter::paint(painter, target, shown, CompareOptions{m_options.look}); break;
        case ExportView::Channels: {
            ChannelsOptions o;
            o.look = m_options.look;
            o.step = step;
            ChannelsPainter::paint(painter, target, shown, o);
            break;
        }
        case ExportView::Pool: {
            PoolOptions o;
            o.look = m_options.look;
            o.step = step;
            PoolPainter::paint(painter, target, shown, o);
            break;
        }
        case ExportView::Transposed: {
            TransposedOptions o;
            o.look = m_options.look;
            o.step = step;
            TransposedPainter::paint(painter, target, shown, o);
            break;
        }
        case ExportView::Volume: {
            VolumeOptions o;
            o.look = m_options.look;
            o.step = step;
            VolumePainter::paint(painter, target, volumeSet(), o);
            break;
        }
        default: {
            StagesOptions o;
            o.look = m_options.look;
            StagesPainter::paint(painter, target, shown, o);
            break;
        }
        }
        return 0;
    }
    const PanelOptions options = panelOptions(step, animation);
    double smallest = 0;
    for (const Piece &piece : layout()) {
        PanelOptions o = options;
        if (piece.panel == Panel::Window)
            o.origin = QPointF();
        const double px = PanelPainter::paint(painter, piece.target, shown, piece.panel, o).valuePx;
        if (piece.panel != Panel::Window && px > 0)
            smallest = smallest > 0 ? std::min(smallest, px) : px;
    }
    return smallest;
}

QRectF Exporter::cellRect(Panel panel, QPoint cell) const
{
    if (isTeachingView(m_options.view))
        return {};
    PanelOptions options = panelOptions(m_session.step(), false);
    if (panel == Panel::Window)
        options.origin = QPointF();
    for (const Piece &piece : layout())
        if (piece.panel == panel)
            return PanelPainter::cellRect(piece.target, snapshot(), panel, options, cell);
    return {};
}

QImage Exporter::renderImage() const
{
    QImage image(imageSize(), QImage::Format_RGB32);
    QPainter painter(&image);
    paint(painter, m_options.step >= 0 ? m_options.step : m_session.step(), false);
    return image;
}

QImage Exporter::renderFrame(int step) const
{
    QImage image(imageSize(), QImage::Format_RGB32);
    QPainter painter(&image);
    paint(painter, step, true);
    return image;
}

bool Exporter::fail(const QString &message)
{
    m_error = message;
    return false;
}

bool Exporter::exportTo(const QString &path)
{
    m_error.clear();
    m_cancelled = false;
    // One snapshot for the whole export, even if the window's session changes meanwhile.
    m_snapshot.reset();
    m_baseCell.reset();
    const QFileInfo info(path);
    const auto format = formatOf(path);
    if (!format) {
        return fail(QObject::tr("'%1': unknown format '.%2' (use .%3)")
                        .arg(info.fileName(), info.suffix(), suffixes().join(QStringLiteral(", ."))));
    }
    if (const auto problem = core::outputProblem(QFile::encodeName(path).toStdString()))
        return fail(QObject::tr("cannot write '%1': %2").arg(path, QString::fromStdString(*problem)));
    // An export is made from its input: writing over it would destroy both.
    if (core::sameFile(QFile::encodeName(path).toStdString(), QFile::encodeName(m_session.inputPath()).toStdString()))
        return fail(QObject::tr("'%1' is the input file '%2': an export never replaces its input; choose "
                                "another name")
                        .arg(path, m_session.inputPath()));
    m_evenPadding = QSize(0, 0);
    pickScale(*format);
    // Fixed for the whole export, even if the window's session changes meanwhile.
    m_fixedCell = 0;
    m_fixedCell = cellSize();
    // Checked before any work: what the view computes, the frames, and the image it draws.
    {
        const Snapshot &now = *m_session.snapshot();
        core::Estimate need = estimate({now.input.rows, now.input.cols}, int(now.input.elemSize1()),
                                       {now.kernel.rows, now.kernel.cols}, now.spec, *format, m_options,
                                       now.view.compareBy, now.view.stageCount);
        if (*format != Format::Csv) {
            const QSize size = imageSize();
            // A GIF's frames in flight (see writeGif()), its sampled and its first frame.
            const int gifBuffers = std::max(2, 2 * QThreadPool::globalInstance()->maxThreadCount()) + 5;
            const int buffers = *format == Format::Gif ? gifBuffers : isAnimation(*format) ? 2 : 1;
            need.add("the image", core::matrixBytes(std::uint64_t(size.width()), std::uint64_t(size.height()), 4,
                                                    std::uint64_t(buffers)));
        }
        if (const auto problem = core::overBudget(need, m_session.budget()))
            return fail(QObject::tr("cannot export: %1").arg(QString::fromStdString(*problem)));
    }
    const Snapshot &shown = snapshot();
    if (m_cancelled)
        return fail(QObject::tr("export cancelled"));
    if (m_options.view == ExportView::Compare && *format != Format::Csv && shown.comparison
        && !shown.comparison->error.isEmpty())
        return fail(QObject::tr("cannot compare: %1").arg(shown.comparison->error));
    if (m_options.view == ExportView::Channels && *format != Format::Csv && shown.channels
        && !shown.channels->error.isEmpty())
        return fail(QObject::tr("cannot apply the filter bank: %1").arg(shown.channels->error));
    // A signal view that cannot be drawn for its input draws why; one whose filters do not fit
    // (a bias of the wrong length) is refused.
    if (m_options.view == ExportView::Signal && shown.signal && !shown.signal->reason.isEmpty()
        && parts::signalUnsupportedReason(shown).isEmpty())
        return fail(QObject::tr("cannot draw the signal view: %1").arg(shown.signal->reason));
    if (m_options.view == ExportView::Pool && *format != Format::Csv && shown.pool && !shown.pool->runs.empty()
        && !shown.pool->runs.front().error.isEmpty())
        return fail(QObject::tr("cannot pool: %1").arg(shown.pool->runs.front().error));
    if (m_options.view == ExportView::Transposed && *format != Format::Csv && shown.transposed
        && !shown.transposed->error.isEmpty())
        return fail(QObject::tr("cannot compute the transposed convolution: %1").arg(shown.transposed->error));
    if (m_options.view == ExportView::Volume && *format != Format::Csv && !volumeSet().ok())
        return fail(QObject::tr("cannot convolve the volume: %1").arg(volumeSet().error));
    switch (*format) {
    case Format::Csv: return writeCsv(path);
    case Format::Png: return writeRaster(path);
    case Format::Svg:
    case Format::Pdf: return writeVector(path, *format);
    case Format::Gif:
    case Format::Mp4: return writeAnimation(path, *format);
    }
    return false;
}

bool Exporter::writeThrough(const QString &path, const std::function<bool(QIODevice &)> &write)
{
    try {
        core::OutputFile output(QFile::encodeName(path).toStdString());
        QFile device;
        if (!device.open(output.descriptor(), QIODevice::WriteOnly, QFileDevice::DontCloseHandle))
            return fail(QObject::tr("cannot write '%1': %2").arg(path, device.errorString()));
        if (!write(device))
            return false;
        if (!device.flush() || device.error() != QFileDevice::NoError)
            return fail(QObject::tr("cannot write '%1': %2").arg(path, device.errorString()));
        device.close();
        output.commit();
    } catch (const core::Error &e) {
        return fail(QString::fromStdString(e.what()));
    }
    return true;
}

bool Exporter::writeCsv(const QString &path)
{
    const Snapshot &shown = snapshot();
    cv::Mat matrix;
    switch (m_options.view) {
    case ExportView::Input: matrix = shown.input; break;
    case ExportView::Padded: matrix = shown.result.padded; break;
    case ExportView::Output:
    case ExportView::All: matrix = shown.result.output; break;
    case ExportView::Signal:
        // Several rows: the Conv1D's output, a row per filter.
        matrix = shown.signal && shown.signal->multichannel() ? shown.signal->conv.output.matrix()
                                                              : shown.result.output;
        break;
    case ExportView::Window:
    case ExportView::Compare:
    case ExportView::Stages:
    case ExportView::Channels:
    case ExportView::Pool:
    case ExportView::Transposed:
    case ExportView::Volume:
        return fail(QObject::tr("a CSV holds one matrix: export the input, padded or output view"));
    }
    try {
        core::writeOutputFile(QFile::encodeName(path).toStdString(), core::formatCsv(matrix));
    } catch (const core::Error &e) {
        return fail(QObject::tr("cannot write '%1': %2").arg(path, QString::fromStdString(e.what())));
    }
    if (m_progress)
        m_progress(1, 1);
    return true;
}

bool Exporter::writePng(QIODevice &device, const QString &path)
{
    const QImage image = renderImage();
    QImageWriter writer(&device, "png");
    // Panels are flat colours: light compression is nearly as small and several times faster.
    writer.setQuality(80);
    return writer.write(image) || fail(QObject::tr("cannot write '%1': %2").arg(path, writer.errorString()));
}

bool Exporter::writeRaster(const QString &path)
{
    if (!writeThrough(path, [&](QIODevice &file) { return writePng(file, path); }))
        return false;
    if (m_progress)
        m_progress(1, 1);
    return true;
}

bool Exporter::writeVectorTo(QIODevice &device, const QString &path, Format format)
{
    const QSize size = imageSize();
    const QString title = QStringLiteral("%1 — PadLab").arg(snapshot().inputName);
    if (format == Format::Svg) {
        // Drawn into memory first: its text is rewritten to be centred in any renderer.
        QBuffer drawn;
        drawn.open(QIODevice::WriteOnly);
        QSvgGenerator svg;
        svg.setOutputDevice(&drawn);
        svg.setSize(size);
        svg.setViewBox(QRect(QPoint(0, 0), size));
        svg.setTitle(title);
        QPainter painter;
        if (!painter.begin(&svg))
            return fail(QObject::tr("cannot write '%1': the SVG writer did not start").arg(path));
        paint(painter, m_options.step >= 0 ? m_options.step : m_session.step(), false);
        painter.end();
        const QByteArray text = centredSvgText(drawn.data());
        return device.write(text) == text.size()
               || fail(QObject::tr("cannot write '%1': %2").arg(path, device.errorString()));
    }
    // One point per pixel: the page is exactly the figure.
    QPdfWriter pdf(&device);
    pdf.setTitle(title);
    pdf.setCreator(QStringLiteral("PadLab"));
    pdf.setResolution(72);
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
    pdf.setPageSize(QPageSize(QSizeF(size), QPageSize::Point, QString(), QPageSize::ExactMatch));
    QPainter painter;
    if (!painter.begin(&pdf))
        return fail(QObject::tr("cannot write '%1': the PDF writer did not start").arg(path));
    paint(painter, m_options.step >= 0 ? m_options.step : m_session.step(), false);
    painter.end();
    return true;
}

bool Exporter::writeVector(const QString &path, Format format)
{
    if (!writeThrough(path, [&](QIODevice &file) { return writeVectorTo(file, path, format); }))
        return false;
    if (m_progress)
        m_progress(1, 1);
    return true;
}

bool Exporter::writeAnimation(const QString &path, Format format)
{
    if (!(m_options.fps >= kMinFps && m_options.fps <= kMaxFps))
        return fail(QObject::tr("the frame rate must be from %1 to %2 frames per second").arg(kMinFps).arg(kMaxFps));
    if (m_options.view == ExportView::Compare || m_options.view == ExportView::Stages)
        return fail(QObject::tr("the %1 view does not move: export it as PNG, SVG or PDF, or "
                                "animate the window or signal view")
                        .arg(m_options.view == ExportView::Compare ? QStringLiteral("compare")
                                                                   : QStringLiteral("stages")));
    const Snapshot &shown = snapshot();
    const QSize output = stepGrid();
    const std::vector<int> steps = animationSteps(output.height(), output.width(), m_options);
    if (steps.empty())
        return fail(QObject::tr("nothing to animate: %1")
                        .arg(m_options.view == ExportView::Volume
                                 ? volumeSet().error
                                 : QString::fromStdString(core::emptyOutputReason(shown.geometry()))));
    if (format == Format::Mp4) {
        // Video encoders want even sizes.
        const QSize size = imageSize();
        m_evenPadding = QSize(size.width() % 2, size.height() % 2);
    }
    QImage frame(imageSize(), QImage::Format_RGB32);
    frame.fill(m_options.look.background());
    auto render = [&](int step) {
        QPainter painter(&frame);
        paint(painter, step, true);
    };
    const int total = int(steps.size());
    auto progressed = [&](int done) {
        if (m_progress)
            m_progress(done, total);
        return !m_cancelled;
    };
    const QString cancelled = QObject::tr("export cancelled");

    if (format == Format::Gif)
        return writeThrough(path, [&](QIODevice &file) { return writeGif(file, path, steps); });

    // The video encoder opens its file by name (the suffix chooses the container): it gets a
    // hidden scratch file whose name is removed as soon as the encoder holds it open, so that
    // nothing is left behind even if the process is killed; the result is copied into place.
    std::optional<core::OutputFile> target;
    std::optional<core::ScratchFile> scratch;
    try {
        target.emplace(QFile::encodeName(path).toStdString());
        scratch.emplace(target->folder(), ".mp4");
    } catch (const core::Error &e) {
        return fail(QString::fromStdString(e.what()));
    }
    const cv::Size size(frame.width(), frame.height());
    cv::VideoWriter video;
    for (const char *codec : {"avc1", "mp4v"}) {
        const int fourcc = cv::VideoWriter::fourcc(codec[0], codec[1], codec[2], codec[3]);
        if (video.open(scratch->path(), cv::CAP_FFMPEG, fourcc, m_options.fps, size))
            break;
    }
    if (!video.isOpened())
        return fail(QObject::tr("cannot write '%1': this OpenCV has no MP4 encoder").arg(path));
    scratch->unlinkName();
    cv::Mat bgr;
    for (int i = 0; i < total; ++i) {
        render(steps[size_t(i)]);
        const cv::Mat rgba(frame.height(), frame.width(), CV_8UC4, frame.bits(), size_t(frame.bytesPerLine()));
        cv::cvtColor(rgba, bgr, cv::COLOR_BGRA2BGR); // RGB32 is B, G, R, A in memory
        video.write(bgr);
        if (!progressed(i + 1))
            return fail(cancelled);
    }
    video.release();
    struct stat written = {};
    if (::fstat(scratch->descriptor(), &written) != 0 || written.st_size == 0)
        return fail(QObject::tr("cannot write '%1': the video encoder wrote nothing").arg(path));
    try {
        target->writeFrom(scratch->descriptor());
        target->commit();
    } catch (const core::Error &e) {
        return fail(QString::fromStdString(e.what()));
    }
    return true;
}

bool Exporter::writeGif(QIODevice &device, const QString &path, const std::vector<int> &steps)
{
    QImage frame(imageSize(), QImage::Format_RGB32);
    frame.fill(m_options.look.background());
    auto render = [&](int step) {
        QPainter painter(&frame);
        paint(painter, step, true);
    };
    // The palette comes from the first and last frames: together they hold every colour,
    // faded and not.
    std::vector<QImage> samples;
    render(steps.front());
    samples.push_back(frame.copy());
    render(steps.back());
    samples.push_back(frame.copy());
    GifWriter gif(&device);
    if (!gif.open(frame.size(), GifWriter::paletteFor(samples)))
        return fail(QObject::tr("cannot write '%1': %2").arg(path, gif.errorString()));
    const int delay = int(std::lround(100.0 / m_options.fps));
    const int total = int(steps.size());
    // Frames are painted and compressed on the global thread pool, a few ahead of this thread,
    // which writes them in order: on every core, and each on a thread of that pool, where Qt's
    // raster engine fills itself instead of handing every tall fill to the pool and waiting.
    // What painting reads is computed before (the snapshot, the volume) and not changed while
    // frames are in flight.
    snapshot();
    if (m_options.view == ExportView::Volume)
        volumeSet();
    QThreadPool *pool = QThreadPool::globalInstance();
    const int ahead = std::max(2, 2 * pool->maxThreadCount());
    const QSize size = frame.size();
    // A frame is compressed as it shows over the one before: by the task that paints the
    // later of the two to be done.
    struct Slot {
        int frame = -1;
        QImage image; // kept until the next frame is compressed over it
        bool painted = false;
        std::shared_ptr<std::promise<GifWriter::Encoded>> encoded;
    };
    const int inFlight = ahead + 2; // slots: frames in flight, the last written and the one before
    std::vector<Slot> ring(static_cast<size_t>(inFlight));
    std::vector<std::future<GifWriter::Encoded>> encoded(static_cast<size_t>(inFlight));
    std::mutex lock; // the slots' painted flags and images as they are set
    // Frames of a large figure are megabytes: their buffers are used again, not made anew.
    std::vector<QImage> spare;
    const auto slot = [&](int i) -> Slot & { return ring[size_t(i % inFlight)]; };
    const auto compress = [&](int i) {
        GifWriter::Encoded code = gif.encode(slot(i).image, i > 0 ? slot(i - 1).image : QImage());
        // Held here: once it is set, the writer may finish and its slots go.
        const auto promise = slot(i).encoded;
        promise->set_value(std::move(code));
    };
    int next = 0;
    const auto submit = [&] {
        const int i = next++;
        {
            const std::lock_guard<std::mutex> hold(lock);
            slot(i).frame = i;
            slot(i).painted = false;
            slot(i).encoded = std::make_shared<std::promise<GifWriter::Encoded>>();
            encoded[size_t(i % inFlight)] = slot(i).encoded->get_future();
        }
        pool->start([&, i, step = steps[size_t(i)]] {
            QImage image;
            {
                const std::lock_guard<std::mutex> hold(lock);
                if (!spare.empty()) {
                    image = std::move(spare.back());
                    spare.pop_back();
                }
            }
            if (image.isNull())
                image = QImage(size, QImage::Format_RGB32);
            // No fill first: the pieces cover the frame, and each is painted from its
            // background up (as renderFrame() paints), so a reused buffer's old pixels go.
            {
                QPainter painter(&image);
                paint(painter, step, true);
            }
            bool self = false;
            bool after = false;
            {
                const std::lock_guard<std::mutex> hold(lock);
                slot(i).image = std::move(image);
                slot(i).painted = true;
                self = i == 0 || slot(i - 1).painted;
                after = slot(i + 1).frame == i + 1 && slot(i + 1).painted;
            }
            if (self)
                compress(i);
            if (after)
                compress(i + 1);
        });
    };
    const auto drain = [&](int from) {
        for (int i = from; i < next; ++i)
            encoded[size_t(i % inFlight)].wait();
    };
    for (int i = 0; i < total; ++i) {
        while (next < total && next - i < ahead)
            submit();
        const GifWriter::Encoded frameCode = encoded[size_t(i % inFlight)].get();
        if (!gif.add(frameCode, delay)) {
            drain(i + 1);
            return fail(QObject::tr("cannot write '%1': %2").arg(path, gif.errorString()));
        }
        if (i > 0) {
            // Compressed over by this frame, the one before is done with.
            const std::lock_guard<std::mutex> hold(lock);
            spare.push_back(std::move(slot(i - 1).image));
        }
        if (m_progress)
            m_progress(i + 1, total);
        if (m_cancelled) {
            drain(i + 1);
            return fail(QObject::tr("export cancelled"));
        }
    }
    if (!gif.close())
        return fail(QObject::tr("cannot write '%1': %2").arg(path, gif.errorString()));
    return true;
}

std::optional<qint64> Exporter::expectedBytes(Format format) const
{
    const Snapshot &shown = snapshot();
    // Written into memory by a copy of this exporter, without progress or the session's step moved.
    Exporter copy(m_session, m_options);
    copy.m_options.look = m_options.look;
    copy.m_baseFontScale = m_baseFontScale;
    copy.m_snapshot = m_snapshot;
    copy.m_baseCell = m_baseCell;
    copy.m_volume = m_volume;
    copy.m_autoScale = m_autoScale;
    copy.pickScale(format);
    copy.m_fixedCell = m_autoScale ? copy.cellSize() : cellSize();
    const QString memory = QStringLiteral("memory");
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    switch (format) {
    case Format::Csv: {
        const QSize input = PanelPainter::gridSize(shown, Panel::Input);
        const QSize padded = PanelPainter::gridSize(shown, Panel::Padded);
        const QSize output = PanelPainter::gridSize(shown, Panel::Output);
        QSize size;
        switch (m_options.view) {
        case ExportView::Input: size = input; break;
        case ExportView::Padded: size = padded; break;
        case ExportView::Output:
        case ExportView::All:
        case ExportView::Signal: size = output; break;
        default: return std::nullopt;
        }
        return qint64(core::csvTextBytes(std::uint64_t(size.width()) * std::uint64_t(size.height())));
    }
    case Format::Png:
        if (!copy.writePng(buffer, memory))
            return std::nullopt;
        return buffer.size();
    case Format::Svg:
    case Format::Pdf:
        if (!copy.writeVectorTo(buffer, memory, format))
            return std::nullopt;
        return buffer.size();
    case Format::Gif:
    case Format::Mp4: break;
    }
    if (m_options.view == ExportView::Compare || m_options.view == ExportView::Stages)
        return std::nullopt;
    const QSize output = stepGrid();
    const std::vector<int> steps = animationSteps(output.height(), output.width(), m_options);
    if (steps.empty())
        return std::nullopt;
    const QSize size = imageSize();
    if (format == Format::Mp4) {
        // Measured on panels of flat colours (H.264 or MPEG-4 part 2): the first frame about a
        // twentieth of a byte a pixel, each frame after it, changing a few cells, a five-hundredth.
        return qint64(1000 + double(size.width()) * size.height() * (0.05 + 0.002 * double(steps.size())));
    }
    // A GIF stores the first frame whole and then what changed since the frame before: the
    // first frame and a few changes spread over the animation tell the rest.
    QImage frame(size, QImage::Format_RGB32);
    auto render = [&](int step) {
        QPainter painter(&frame);
        copy.paint(painter, step, true);
        return frame.copy();
    };
    GifWriter gif(&buffer);
    const QImage opening = render(steps.front());
    if (!gif.open(size, GifWriter::paletteFor({opening})))
        return std::nullopt;
    const int delay = int(std::lround(100.0 / std::clamp(m_options.fps, kMinFps, kMaxFps)));
    if (!gif.addFrame(opening, delay))
        return std::nullopt;
    const qint64 first = buffer.size();
    if (steps.size() == 1)
        return first + 1;
    constexpr size_t kSamples = 3;
    qint64 changes = 0;
    size_t sampled = 0;
    for (size_t k = 0; k < kSamples; ++k) {
        const size_t i = (steps.size() - 1) * k / kSamples;
        if (k > 0 && i == (steps.size() - 1) * (k - 1) / kSamples)
            continue;
        if (k > 0 && !gif.addFrame(render(steps[i]), delay))
            return std::nullopt;
        const qint64 before = buffer.size();
        if (!gif.addFrame(render(steps[i + 1]), delay))
            return std::nullopt;
        changes += buffer.size() - before;
        ++sampled;
    }
    return first + qint64(double(changes) / double(sampled) * double(steps.size() - 1)) + 1;
}

bool exportWithDialogs(QWidget *parent, Session &session, ExportView view, bool animation, bool fadeUncomputed)
{
    ExportDialog dialog(session, view, animation, fadeUncomputed, parent);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    const QString path = dialog.path();
    const ExportOptions options = dialog.options();
    Exporter exporter(session, options);
    QProgressDialog progress(QObject::tr("Exporting %1…").arg(QFileInfo(path).fileName()), QObject::tr("Cancel"),
                             0, 0, parent);
    progress.setWindowModality(Qt::WindowModal);
    progress.setMinimumDuration(400);
    QObject::connect(&progress, &QProgressDialog::canceled, &progress, [&exporter] { exporter.cancel(); });
    exporter.setProgressCallback([&progress](int done, int total) {
        progress.setMaximum(total);
        progress.setValue(done);
        QCoreApplication::processEvents();
    });
    const bool written = exporter.exportTo(path);
    progress.reset();
    if (!written && !exporter.wasCancelled())
        QMessageBox::warning(parent, QObject::tr("Export"), exporter.errorString());
    return written;
}

} // namespace padlab::ui

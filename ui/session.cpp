#include "session.h"

#include "padlab/core/csv.h"
#include "padlab/core/error.h"
#include "padlab/core/image.h"
#include "padlab/core/kernels.h"

#include <QFileInfo>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <exception>
#include <optional>
#include <string>

namespace padlab::ui {

namespace {

// Beyond these sizes a computation takes long enough to stall the window, so it goes to a worker.
constexpr long long kSyncPaddedCells = 250'000;
constexpr long long kSyncMultiplyAdds = 20'000'000;

/// Everything a computation needs, copied so that a worker never shares mutable state.
struct Request {
    cv::Mat input;
    cv::Mat kernel;
    core::ConvSpec spec;
    core::Budget budget;
};

using MinMax = std::pair<double, double>;

MinMax minMaxOf(const cv::Mat &m)
{
    if (m.empty())
        return {0, 0};
    MinMax range;
    cv::minMaxIdx(m, &range.first, &range.second);
    return range;
}

/// What a computation gives back: the result, or the engine's message when it failed.
struct Outcome {
    core::ConvResult result;
    MinMax outputRange;
    QString error;
};

Outcome compute(const Request &request)
{
    Outcome outcome;
    try {
        outcome.result = core::convolve(request.input, request.kernel, request.spec, request.budget);
        outcome.outputRange = minMaxOf(outcome.result.output);
    } catch (const std::exception &e) {
        outcome.error = QString::fromStdString(e.what());
    }
    return outcome;
}

cv::Mat rampSample()
{
    // A small diagonal ramp: every edge, border and padding effect shows on it.
    cv::Mat ramp(7, 7, CV_64F);
    for (int r = 0; r < ramp.rows; ++r)
        for (int c = 0; c < ramp.cols; ++c)
            ramp.at<double>(r, c) = 10.0 * (r + c);
    return ramp;
}

bool sameMat(const cv::Mat &a, const cv::Mat &b)
{
    if (a.size != b.size || a.type() != b.type())
        return false;
    if (a.empty())
        return true;
    cv::Mat diff;
    cv::compare(a.reshape(1), b.reshape(1), diff, cv::CMP_NE);
    return cv::countNonZero(diff) == 0;
}

/// The plane that is convolved: CV_32F or CV_64F, whatever the source's depth.
cv::Mat channelPlane(const cv::Mat &source, Session::Channel channel)
{
    const bool bytes = source.depth() == CV_8U;
    cv::Mat plane;
    if (source.channels() == 1) {
        plane = source;
    } else if (channel == Session::Channel::Gray && bytes) {
        // Gray from the 8-bit colours in float, as from a float image, a band of rows at a
        // time: a float copy of the whole image would cost 12 bytes a pixel.
        plane.create(source.rows, source.cols, CV_32F);
        constexpr int kBand = 256;
        for (int top = 0; top < source.rows; top += kBand) {
            const cv::Range rows(top, std::min(top + kBand, source.rows));
            cv::Mat band;
            source.rowRange(rows).convertTo(band, CV_32F);
            cv::Mat target = plane.rowRange(rows);
            cv::cvtColor(band, target, cv::COLOR_BGR2GRAY);
        }
        return plane;
    } else {
        switch (channel) {
        case Session::Channel::Gray: cv::cvtColor(source, plane, cv::COLOR_BGR2GRAY); break;
        case Session::Channel::Red: cv::extractChannel(source, plane, 2); break;
        case Session::Channel::Green: cv::extractChannel(source, plane, 1); break;
        case Session::Channel::Blue: cv::extractChannel(source, plane, 0); break;
        }
    }
    if (!bytes)
        return plane;
    cv::Mat values;
    plane.convertTo(values, CV_32F);
    return values;
}

core::Budget environmentBudget()
{
    try {
        return core::budgetFromEnvironment();
    } catch (const core::Error &) {
        return {};
    }
}

bool planesDiffer(const cv::Mat &source)
{
    if (source.channels() != 3)
        return false;
    cv::Mat planes[3];
    cv::split(source, planes);
    return !sameMat(planes[0], planes[1]) || !sameMat(planes[0], planes[2]);
}

} // namespace

struct Session::Private {
    Session *q = nullptr;

    // The requested state (what the controls show).
    cv::Mat source;
    cv::Mat input;
    QString name;
    QString path;
    Channel channel = Channel::Gray;
    bool color = false;
    cv::Mat kernel;
    QString presetName;
    core::ConvSpec spec;

    // The last finished computation, and the kernel and spec it was computed with, so that the
    // window always matches the drawn result even while a newer one is being computed.
    core::ConvResult result;
    cv::Mat resultInput;
    cv::Mat resultKernel;
    core::ConvSpec resultSpec;
    // Found on first use: only numeric inputs need it, and a pass over a large image costs.
    mutable std::optional<MinMax> inputRange;
    MinMax outputRange;
    int step = 0;

    QString error;
    bool busy = false;
    core::Budget budget = environmentBudget();

    View view = View::Window;
    CompareBy compareBy = CompareBy::Fill;
    int compareReference = 0;
    int stageCount = 4;
    PlotStyle plotStyle = PlotStyle::Stem;
    QString layerInputShape = QString::fromLatin1(kDefaultLayerInputShape);
    QString layerSpec = QString::fromLatin1(kDefaultLayerSpec);

    // A request made later makes every earlier one stale.
    quint64 generation = 0;
    bool workerRunning = false;
    std::optional<std::pair<quint64, Request>> pending;

    void fail(const QString &message)
    {
        error = message;
        Q_EMIT q->errorOccurred(message);
    }

    /// Why the request cannot be computed: an invalid spec or a cost beyond the budget. The
    /// input is @p in, or only its size (@p size, one channel of @p bytes) before it is decoded.
    std::optional<QString> check(const cv::Mat &in, const cv::Mat &k, const core::ConvSpec &s,
                                 core::PerAxis size = {}, int bytes = 0) const
    {
        if (!in.empty()) {
            size = {in.rows, in.cols};
            bytes = int(in.elemSize1());
        }
        if (auto why = core::validate(s, size, {k.rows, k.cols}))
            return QString::fromStdString(*why);
        const core::Estimate need = core::convolutionEstimate(size, in.empty() ? 1 : in.channels(), bytes,
                                                              {k.rows, k.cols}, s);
        if (auto why = core::overBudget(need, budget))
            return QString::fromStdString(*why);
        return std::nullopt;
    }

    static bool isHeavy(const Request &request)
    {
        const core::Geometry g = core::geometry({request.input.rows, request.input.cols},
                                                {request.kernel.rows, request.kernel.cols},
                                                request.spec);
        const long long padded = 1LL * g.rows.padded * g.cols.padded;
        const long long multiplyAdds = 1LL * g.rows.output * g.cols.output * request.kernel.total();
        return padded > kSyncPaddedCells || multiplyAdds > kSyncMultiplyAdds;
    }

    void setBusy(bool value)
    {
        if (busy == value)
            return;
        busy = value;
        Q_EMIT q->busyChanged(value);
    }

    int stepCount() const
    {
        return result.geometry.rows.output * result.geometry.cols.output;
    }

    void apply(const Request &request, Outcome computed)
    {
        result = std::move(computed.result);
        inputRange.reset();
        outputRange = computed.outputRange;
        resultInput = request.input;
        resultKernel = request.kernel;
        resultSpec = request.spec;
        step = std::clamp(step, 0, std::max(stepCount() - 1, 0));
    }

    /// Computes the requested state, at once or on a worker. False (reported) when a
    /// computation made at once failed.
    bool recompute()
    {
        const Request request{input, kernel, spec, budget};
        const quint64 id = ++generation;
        if (!isHeavy(request)) {
            pending.reset();
            Outcome outcome = compute(request);
            setBusy(false);
            if (!outcome.error.isEmpty()) {
                fail(outcome.error);
                return false;
            }
            apply(request, std::move(outcome));
            Q_EMIT q->changed();
            return true;
        }
        setBusy(true);
        if (workerRunning)
            pending = std::make_pair(id, request);
        else
            startWorker(id, request);
        return true;
    }

    void startWorker(quint64 id, const Request &request)
    {
        workerRunning = true;
        auto *watcher = new QFutureWatcher<Outcome>(q);
        QObject::connect(watcher, &QFutureWatcher<Outcome>::finished, q, [this, watcher, id, request] {
            watcher->deleteLater();
            workerRunning = false;
            finished(id, request, watcher->result());
        });
        watcher->setFuture(QtConcurrent::run(compute, request));
    }

    void finished(quint64 id, const Request &request, Outcome outcome)
    {
        if (pending) {
            const auto [nextId, next] = *pending;
            pending.reset();
            startWorker(nextId, next);
        }
        if (id != generation)
            return; // stale: a newer request has been made since
        setBusy(false);
        if (!outcome.error.isEmpty()) {
            fail(outcome.error);
            return;
        }
        apply(request, std::move(outcome));
        Q_EMIT q->changed();
    }

    /// Validates and installs a new input, kernel and spec together; keeps everything when invalid.
    bool request(const cv::Mat &newInput, const cv::Mat &newKernel, const core::ConvSpec &newSpec)
    {
        if (auto why = check(newInput, newKernel, newSpec)) {
            fail(*why);
            return false;
        }
        const cv::Mat oldInput = input;
        const cv::Mat oldKernel = kernel;
        const QString oldPreset = presetName;
        const core::ConvSpec oldSpec = spec;
        input = newInput;
        if (kernel.data != newKernel.data) {
            kernel = newKernel;
            presetName = matchPreset(kernel);
        }
        spec = newSpec;
        if (recompute())
            return true;
        input = oldInput;
        kernel = oldKernel;
        presetName = oldPreset;
        spec = oldSpec;
        return false;
    }

    static QString matchPreset(const cv::Mat &k)
    {
        for (const std::string &candidate : core::presetNames()) {
            const std::optional<cv::Mat> p = core::preset(candidate);
            if (p && p->size == k.size && cv::norm(*p, k, cv::NORM_INF) < 1e-12)
                return QString::fromStdString(candidate);
        }
        return {};
    }

    /// @p shared: the caller may still change @p newSource, so it is copied; a freshly loaded
    /// matrix is kept as it is.
    bool installSource(const cv::Mat &newSource, const QString &newName, bool shared)
    {
        if (newSource.empty() || newSource.dims != 2
            || (newSource.channels() != 1 && newSource.channels() != 3)) {
            fail(Session::tr("%1: an input needs one or three channels and at least one cell")
                     .arg(newName));
            return false;
        }
        // Images stay 8-bit (3 bytes a pixel in colour); the plane convolved becomes CV_32F.
        cv::Mat stored;
        if (newSource.depth() == CV_8U || newSource.depth() == CV_32F || newSource.depth() == CV_64F)
            stored = shared ? newSource.clone() : newSource;
        else
            newSource.convertTo(stored, CV_32F);
        if (newName == name && sameMat(stored, source))
            return true;
        // Installed before the request, which announces the change; restored when it is refused.
        const cv::Mat oldSource = source;
        const QString oldName = name;
        const bool oldColor = color;
        source = stored;
        name = newName;
        color = planesDiffer(stored);
        if (request(channelPlane(stored, channel), kernel, spec))
            return true;
        source = oldSource;
        name = oldName;
        color = oldColor;
        return false;
    }

    void setSpecField(const core::ConvSpec &newSpec)
    {
        if (newSpec == spec)
            return;
        request(input, kernel, newSpec);
    }
};

Session::Session(QObject *parent) : QObject(parent), d(new Private)
{
    d->q = this;
    d->source = rampSample();
    d->input = d->source;
    d->name = tr("Ramp 7 × 7");
    d->kernel = *core::preset("sobel-x");
    d->presetName = QStringLiteral("sobel-x");
    d->spec.amount.kind = core::Amount::Same;
    const Request request{d->input, d->kernel, d->spec, d->budget};
    d->apply(request, compute(request));
}

Session::~Session()
{
    delete d;
}

bool Session::openFile(const QString &path)
{
    cv::Mat loaded;
    try {
        const std::string file = path.toStdString();
        if (QFileInfo(path).suffix().compare(QLatin1String("csv"), Qt::CaseInsensitive) == 0) {
            loaded = core::readCsvFile(file);
        } else {
            // Refused from its header when its plane's convolution is beyond the budget.
            loaded = core::readImage(file, core::ImageMode::Color, core::kMaxImagePixels,
                                     [this, &file](int rows, int cols, int, int bytes) {
                                         if (auto why = d->check(cv::Mat(), d->kernel, d->spec, {rows, cols}, bytes))
                                             throw core::Error(file + ": " + why->toStdString());
                                     });
        }
    } catch (const std::exception &e) {
        d->fail(QString::fromStdString(e.what()));
        return false;
    }
    const QString oldPath = d->path;
    d->path = QFileInfo(path).absoluteFilePath();
    if (!d->installSource(loaded, QFileInfo(path).fileName(), false)) {
        d->path = oldPath;
        return false;
    }
    return true;
}

void Session::setSource(const cv::Mat &source, const QString &name, const QString &path)
{
    const QString oldPath = d->path;
    d->path = path.isEmpty() ? QString() : QFileInfo(path).absoluteFilePath();
    if (!d->installSource(source, name, true))
        d->path = oldPath;
}

const cv::Mat &Session::source() const
{
    return d->source;
}

const cv::Mat &Session::input() const
{
    return d->input;
}

QString Session::inputName() const
{
    return d->name;
}

QString Session::inputPath() const
{
    return d->path;
}

Session::Channel Session::channel() const
{
    return d->channel;
}

void Session::setChannel(Channel channel)
{
    if (channel == d->channel)
        return;
    const Channel old = d->channel;
    d->channel = channel;
    if (!d->request(channelPlane(d->source, channel), d->kernel, d->spec))
        d->channel = old;
}

bool Session::isColor() const
{
    return d->color;
}

const cv::Mat &Session::kernel() const
{
    return d->kernel;
}

void Session::setKernel(const cv::Mat &kernel)
{
    if (kernel.empty() || kernel.channels() != 1 || kernel.dims != 2) {
        d->fail(tr("A kernel needs one channel and at least one cell"));
        return;
    }
    cv::Mat k;
    kernel.convertTo(k, CV_64F);
    if (sameMat(k, d->kernel))
        return;
    d->request(d->input, k, d->spec);
}

void Session::setKernelValue(int row, int col, double value)
{
    if (row < 0 || col < 0 || row >= d->kernel.rows || col >= d->kernel.cols) {
        d->fail(tr("The kernel has no cell (%1, %2)").arg(row).arg(col));
        return;
    }
    if (d->kernel.at<double>(row, col) == value)
        return;
    // A copy: a worker may still be reading the old kernel.
    cv::Mat k = d->kernel.clone();
    k.at<double>(row, col) = value;
    d->request(d->input, k, d->spec);
}

void Session::setKernelSize(int rows, int cols)
{
    if (rows < 1 || cols < 1) {
        d->fail(tr("A kernel needs at least one row and one column"));
        return;
    }
    if (rows == d->kernel.rows && cols == d->kernel.cols)
        return;
    cv::Mat k = cv::Mat::zeros(rows, cols, CV_64F);
    const cv::Rect overlap(0, 0, std::min(cols, d->kernel.cols), std::min(rows, d->kernel.rows));
    d->kernel(overlap).copyTo(k(overlap));
    d->request(d->input, k, d->spec);
}

bool Session::setPreset(const QString &name)
{
    const std::optional<cv::Mat> p = core::preset(name.toStdString());
    if (!p) {
        d->fail(tr("Unknown kernel '%1'").arg(name));
        return false;
    }
    setKernel(*p);
    return true;
}

QString Session::presetName() const
{
    return d->presetName;
}

const core::ConvSpec &Session::spec() const
{
    return d->spec;
}

void Session::setSpec(const core::ConvSpec &spec)
{
    d->setSpecField(spec);
}

void Session::setAmount(const core::PadAmount &amount)
{
    core::ConvSpec s = d->spec;
    s.amount = amount;
    d->setSpecField(s);
}

void Session::setFill(core::Fill fill)
{
    core::ConvSpec s = d->spec;
    s.fill = fill;
    d->setSpecField(s);
}

void Session::setValue(double value)
{
    core::ConvSpec s = d->spec;
    s.value = value;
    d->setSpecField(s);
}

void Session::setStride(core::PerAxis stride)
{
    core::ConvSpec s = d->spec;
    s.stride = stride;
    d->setSpecField(s);
}

void Session::setDilation(core::PerAxis dilation)
{
    core::ConvSpec s = d->spec;
    s.dilation = dilation;
    d->setSpecField(s);
}

void Session::setOperation(core::Operation operation)
{
    core::ConvSpec s = d->spec;
    s.operation = operation;
    d->setSpecField(s);
}

const core::ConvResult &Session::result() const
{
    return d->result;
}

const core::Geometry &Session::geometry() const
{
    return d->result.geometry;
}

bool Session::isBusy() const
{
    return d->busy;
}

int Session::stepCount() const
{
    return d->stepCount();
}

int Session::step() const
{
    return d->step;
}

QPoint Session::stepCell() const
{
    const int cols = d->result.geometry.cols.output;
    if (cols == 0)
        return {};
    return {d->step % cols, d->step / cols};
}

void Session::setStep(int step)
{
    const int clamped = std::clamp(step, 0, std::max(stepCount() - 1, 0));
    if (clamped == d->step)
        return;
    d->step = clamped;
    Q_EMIT stepChanged(clamped);
}

void Session::setStepCell(int row, int col)
{
    const core::Geometry &g = d->result.geometry;
    if (g.empty())
        return;
    setStep(std::clamp(row, 0, g.rows.output - 1) * g.cols.output
            + std::clamp(col, 0, g.cols.output - 1));
}

core::Window Session::window() const
{
    if (d->result.geometry.empty())
        return {};
    const QPoint cell = stepCell();
    return core::windowAt(d->result.padded, d->resultKernel, d->result.geometry, d->resultSpec,
                          cell.y(), cell.x());
}

core::Window Session::windowAt(int row, int col) const
{
    const core::Geometry &g = d->result.geometry;
    if (row < 0 || col < 0 || row >= g.rows.output || col >= g.cols.output)
        return {};
    return core::windowAt(d->result.padded, d->resultKernel, g, d->resultSpec, row, col);
}

const cv::Mat &Session::resultInput() const
{
    return d->resultInput;
}

std::pair<double, double> Session::inputMinMax() const
{
    if (!d->inputRange)
        d->inputRange = minMaxOf(d->resultInput);
    return *d->inputRange;
}

std::pair<double, double> Session::outputMinMax() const
{
    return d->outputRange;
}

QString Session::errorString() const
{
    return d->error;
}

const core::Budget &Session::budget() const
{
    return d->budget;
}

void Session::setBudget(const core::Budget &budget)
{
    d->budget = budget;
}

namespace {

template <typename T>
void assignAndNotify(Session *session, T &field, const T &value)
{
    if (field == value)
        return;
    field = value;
    Q_EMIT session->viewSettingsChanged();
}

} // namespace

Session::View Session::view() const
{
    return d->view;
}

void Session::setView(View view)
{
    assignAndNotify(this, d->view, view);
}

Session::CompareBy Session::compareBy() const
{
    return d->compareBy;
}

void Session::setCompareBy(CompareBy by)
{
    if (by == d->compareBy)
        return;
    // An index into the fills means nothing among the amounts.
    d->compareBy = by;
    d->compareReference = 0;
    Q_EMIT viewSettingsChanged();
}

int Session::compareReference() const
{
    return d->compareReference;
}

void Session::setCompareReference(int index)
{
    assignAndNotify(this, d->compareReference, std::max(index, 0));
}

int Session::stageCount() const
{
    return d->stageCount;
}

void Session::setStageCount(int count)
{
    assignAndNotify(this, d->stageCount, std::clamp(count, 1, kMaxStages));
}

Session::PlotStyle Session::plotStyle() const
{
    return d->plotStyle;
}

void Session::setPlotStyle(PlotStyle style)
{
    assignAndNotify(this, d->plotStyle, style);
}

QString Session::layerInputShape() const
{
    return d->layerInputShape;
}

QString Session::layerSpec() const
{
    return d->layerSpec;
}

void Session::setLayerStack(const QString &inputShape, const QString &spec)
{
    if (inputShape == d->layerInputShape && spec == d->layerSpec)
        return;
    d->layerInputShape = inputShape;
    d->layerSpec = spec;
    Q_EMIT viewSettingsChanged();
}

} // namespace padlab::ui

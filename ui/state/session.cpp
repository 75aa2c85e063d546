#include "session.h"

#include "jobqueue.h"
#include "npyinput.h"
#include "parts.h"
#include "sizetext.h"

#include "padlab/core/csv.h"
#include "padlab/core/error.h"
#include "padlab/core/files.h"
#include "padlab/core/image.h"
#include "padlab/core/kernels.h"

#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QTimer>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <exception>
#include <map>
#include <optional>
#include <string>

namespace padlab::ui {

namespace {

// The job queue's slots: the feature map, then one per part.
constexpr int kFeatureMapSlot = -1;
constexpr std::array<Part, 7> kParts = {Part::Comparison, Part::Stages, Part::Signal, Part::Layers, Part::Channels,
                                        Part::Pool, Part::Transposed};

int slotOf(Part part)
{
    return static_cast<int>(part);
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

/// The plane that is convolved: CV_32F or CV_64F, whatever the source's depth. Grey is
/// core::toGray(), the command line's grey too. A tensor's plane is its channel 0.
cv::Mat channelPlane(const cv::Mat &source, Channel channel, bool tensor)
{
    if (tensor) {
        if (source.channels() == 1)
            return source;
        cv::Mat plane;
        cv::extractChannel(source, plane, 0);
        return plane;
    }
    if (source.channels() == 1 || channel == Channel::Gray)
        return core::toGray(source);
    cv::Mat plane;
    switch (channel) {
    case Channel::Gray: break;
    case Channel::Red: cv::extractChannel(source, plane, 2); break;
    case Channel::Green: cv::extractChannel(source, plane, 1); break;
    case Channel::Blue: cv::extractChannel(source, plane, 0); break;
    }
    if (plane.depth() != CV_8U)
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

QString matchPreset(const cv::Mat &k)
{
    for (const std::string &candidate : core::presetNames()) {
        const std::optional<cv::Mat> p = core::preset(candidate);
        if (p && p->size == k.size && cv::norm(*p, k, cv::NORM_INF) < 1e-12)
            return QString::fromStdString(candidate);
    }
    return {};
}

} // namespace

struct Session::Private {
    Session *q = nullptr;

    // What was asked (what the controls show).
    cv::Mat source;
    cv::Mat input;
    QString name;
    QString path;
    bool tensor = false; ///< source holds a (C, H, W) array's channels, not an image's B, G, R
    Channel channel = Channel::Gray;
    bool color = false;
    cv::Mat kernel;
    QString presetName;
    core::ConvSpec spec;
    ViewSettings view;
    Look look;
    int step = 0;
    int stepCountShown = 0; ///< the shown view's step count when the snapshot was published
    QString error;
    core::Budget budget = environmentBudget();

    // What was computed.
    SnapshotPtr snapshot = std::make_shared<Snapshot>();
    JobQueue *queue = nullptr;
    quint64 generation = 0; ///< of the latest feature-map request
    std::map<Part, int> needs;
    std::map<Part, PartOrigin> submitted; ///< what each part's job in flight computes from
    std::shared_ptr<const CompareSet> lastComparison; ///< its convolutions serve a new reference
    // A feature map computed at once reports its failure to the request that asked for it.
    bool computingAtOnce = false;
    bool failedAtOnce = false;

    void fail(const QString &message)
    {
        error = message;
        Q_EMIT q->errorOccurred(message);
    }

    bool isNeeded(Part part) const
    {
        const auto it = needs.find(part);
        return it != needs.end() && it->second > 0;
    }

    /// Why a request cannot be computed: an invalid spec, a feature map beyond the budget, or
    /// a part that a view needs and that the request would take beyond the budget. A part
    /// already beyond it with what is asked now does not hold a request back: its view says
    /// why it is empty. The input is @p size, one plane of @p bytes (known before an image is
    /// decoded); the kernel @p kernelSize; the views' settings @p shown.
    std::optional<QString> check(core::PerAxis size, int bytes, core::PerAxis kernelSize, const core::ConvSpec &s,
                                 const ViewSettings &shown) const
    {
        if (auto why = core::validate(s, size, kernelSize))
            return QString::fromStdString(*why);
        if (auto why = core::overBudget(core::convolutionEstimate(size, 1, bytes, kernelSize, s), budget))
            return QString::fromStdString(*why);
        for (Part part : {Part::Comparison, Part::Stages}) {
            if (!isNeeded(part))
                continue;
            const auto why = core::overBudget(parts::partEstimate(part, size, bytes, kernelSize, s, shown), budget);
            if (why
                && !core::overBudget(parts::partEstimate(part, {input.rows, input.cols}, int(input.elemSize1()),
                                                         {kernel.rows, kernel.cols}, spec, view),
                                     budget))
                return QString::fromStdString(*why);
        }
        return std::nullopt;
    }

    std::optional<QString> check(const cv::Mat &in, const cv::Mat &k, const core::ConvSpec &s) const
    {
        return check({in.rows, in.cols}, int(in.elemSize1()), {k.rows, k.cols}, s, view);
    }

    /// The snapshot of what is asked now, without results.
    std::shared_ptr<Snapshot> asked() const
    {
        auto base = std::make_shared<Snapshot>();
        base->generation = generation;
        base->source = source;
        base->tensor = tensor;
        base->channel = channel;
        base->input = input;
        base->inputName = name;
        base->inputPath = path;
        base->kernel = kernel;
        base->spec = spec;
        base->view = view;
        return base;
    }

    /// Drops the parts no longer computed from @p next's settings, keeping the layer summary,
    /// which depends on no input.
    static void dropStale(Snapshot &next)
    {
        for (Part part : kParts)
            if (!next.has(part)) {
                switch (part) {
                case Part::Comparison: next.comparison.reset(); break;
                case Part::Stages: next.stages.reset(); break;
                case Part::Signal: next.signal.reset(); break;
                case Part::Layers: next.layers.reset(); break;
                case Part::Channels: next.channels.reset(); break;
                case Part::Pool: next.pool.reset(); break;
                case Part::Transposed: next.transposed.reset(); break;
                }
            }
    }

    void publish(std::shared_ptr<Snapshot> next, bool featureMap)
    {
        if (next->comparison)
            lastComparison = next->comparison;
        dropStale(*next);
        snapshot = std::move(next);
        // The steps walk the output of the view shown, which a part or a view change may resize.
        const int before = step;
        const int countBefore = stepCountShown;
        step = snapshot->clampStep(snapshot->view.view, step);
        stepCountShown = snapshot->stepCount(snapshot->view.view);
        if (featureMap)
            Q_EMIT q->changed();
        Q_EMIT q->snapshotChanged();
        if (!featureMap && (step != before || stepCountShown != countBefore))
            Q_EMIT q->stepChanged(step);
        scheduleParts();
    }

    /// Takes what is asked back to what the snapshot was computed from (a cancelled or failed
    /// computation leaves nothing newer to show).
    void revertToSnapshot()
    {
        source = snapshot->source;
        tensor = snapshot->tensor;
        channel = snapshot->channel;
        input = snapshot->input;
        name = snapshot->inputName;
        path = snapshot->inputPath;
        color = !tensor && planesDiffer(source);
        if (!sameMat(kernel, snapshot->kernel)) {
            kernel = snapshot->kernel;
            presetName = matchPreset(kernel);
        }
        spec = snapshot->spec;
        ++generation;
    }

    void featureMapDone(quint64 id, const std::shared_ptr<Snapshot> &base, parts::FeatureMap map)
    {
        if (id != generation)
            return; // stale: a newer request has been made since
        if (!map.error.isEmpty()) {
            if (computingAtOnce) {
                failedAtOnce = true;
            } else {
                revertToSnapshot();
                Q_EMIT q->changed();
            }
            fail(map.error);
            return;
        }
        base->result = std::move(map.result);
        base->inputRange = map.inputRange;
        base->outputRange = map.outputRange;
        base->outputClip = map.outputClip;
        // The teaching views' settings may have moved on meanwhile; they do not touch the map.
        base->view = view;
        // Parts that do not depend on what changed stay (publish() drops the others).
        base->comparison = snapshot->comparison;
        base->stages = snapshot->stages;
        base->signal = snapshot->signal;
        base->layers = snapshot->layers;
        base->channels = snapshot->channels;
        base->pool = snapshot->pool;
        base->transposed = snapshot->transposed;
        publish(base, true);
    }

    /// Computes what is asked, at once or on a worker. False (reported) when a computation
    /// made at once failed.
    bool recompute()
    {
        const quint64 id = ++generation;
        const std::shared_ptr<Snapshot> base = asked();
        const parts::Size size = parts::featureMapSize(base->input, base->kernel, base->spec);
        JobQueue::Job job;
        job.slot = kFeatureMapSlot;
        job.cells = size.cells;
        job.multiplyAdds = size.multiplyAdds;
        job.work = [this, id, base, budget = budget](JobControl &control) -> JobQueue::Deliver {
            parts::FeatureMap map = parts::featureMap(base->input, base->kernel, base->spec, budget, control);
            return [this, id, base, map = std::move(map)]() mutable { featureMapDone(id, base, std::move(map)); };
        };
        computingAtOnce = !JobQueue::isLarge(job);
        failedAtOnce = false;
        queue->submit(std::move(job));
        computingAtOnce = false;
        return !failedAtOnce;
    }

    /// @p refusal: why the budget held the part back, reported once it is published.
    void partDone(Part part, const std::function<void(Snapshot &)> &fill, const QString &refusal)
    {
        submitted.erase(part);
        if (snapshot->has(part))
            return;
        auto next = std::make_shared<Snapshot>(*snapshot);
        fill(*next);
        if (!next->has(part))
            return; // computed for settings no longer shown; the current ones are on their way
        publish(next, false);
        if (!refusal.isEmpty())
            fail(refusal);
    }

    JobQueue::Job partJob(Part part, const SnapshotPtr &base)
    {
        const parts::Size size = parts::partSize(part, *base);
        JobQueue::Job job;
        job.slot = slotOf(part);
        job.cells = size.cells;
        job.multiplyAdds = size.multiplyAdds;
        const std::shared_ptr<const CompareSet> prior = lastComparison;
        job.work = [this, part, base, prior, budget = budget](JobControl &control) -> JobQueue::Deliver {
            std::function<void(Snapshot &)> fill;
            QString refusal;
            switch (part) {
            case Part::Comparison: {
                auto set = std::make_shared<const CompareSet>(parts::comparison(*base, prior, budget, control));
                if (set->beyondBudget)
                    refusal = set->error;
                fill = [set](Snapshot &s) { s.comparison = set; };
                break;
            }
            case Part::Stages: {
                auto set = std::make_shared<const StageSet>(parts::stages(*base, budget, control));
                if (set->beyondBudget)
                    refusal = QString::fromStdString(set->chain.stopReason);
                fill = [set](Snapshot &s) { s.stages = set; };
                break;
            }
            case Part::Signal: {
                auto set = std::make_shared<const SignalSet>(parts::signal(*base, budget, control));
                fill = [set](Snapshot &s) { s.signal = set; };
                break;
            }
            case Part::Layers: {
                auto set = std::make_shared<const LayerSet>(parts::layers(*base));
                fill = [set](Snapshot &s) { s.layers = set; };
                break;
            }
            case Part::Channels: {
                auto set = std::make_shared<const ChannelSet>(parts::channels(*base, control));
                fill = [set](Snapshot &s) { s.channels = set; };
                break;
            }
            case Part::Pool: {
                auto set = std::make_shared<const PoolSet>(parts::pool(*base, control));
                fill = [set](Snapshot &s) { s.pool = set; };
                break;
            }
            case Part::Transposed: {
                auto set = std::make_shared<const TransposedSet>(parts::transposed(*base, control));
                fill = [set](Snapshot &s) { s.transposed = set; };
                break;
            }
            }
            return [this, part, fill, refusal] { partDone(part, fill, refusal); };
        };
        return job;
    }

    /// Asks the job queue for every part a view needs that the snapshot lacks.
    void scheduleParts()
    {
        if (snapshot->generation == 0)
            return;
        const SnapshotPtr base = snapshot;
        for (Part part : kParts) {
            if (needs[part] <= 0 || base->has(part))
                continue;
            const auto inFlight = submitted.find(part);
            if (inFlight != submitted.end() && samePart(part, inFlight->second, base->origin()))
                continue;
            submitted[part] = base->origin();
            queue->submit(partJob(part, base));
            if (snapshot != base)
                return; // a part computed at once published a newer snapshot, which scheduled the rest
        }
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

    /// @p shared: the caller may still change @p newSource, so it is copied; a freshly loaded
    /// matrix is kept as it is. @p newTensor: its channels are an array's, 1 to kMaxInputChannels.
    bool installSource(const cv::Mat &newSource, const QString &newName, bool shared, bool newTensor)
    {
        if (newTensor && (newSource.empty() || newSource.dims != 2 || newSource.channels() > kMaxInputChannels)) {
            fail(Session::tr("%1: a tensor input needs 1 to %2 channels and at least one cell")
                     .arg(newName)
                     .arg(kMaxInputChannels));
            return false;
        }
        if (!newTensor
            && (newSource.empty() || newSource.dims != 2 || (newSource.channels() != 1 && newSource.channels() != 3))) {
            fail(Session::tr("%1: an input needs one or three channels and at least one cell").arg(newName));
            return false;
        }
        // Images stay 8-bit (3 bytes a pixel in colour); the plane convolved becomes CV_32F.
        cv::Mat stored;
        if (newSource.depth() == CV_8U || newSource.depth() == CV_32F || newSource.depth() == CV_64F)
            stored = shared ? newSource.clone() : newSource;
        else
            newSource.convertTo(stored, CV_32F);
        if (newName == name && newTensor == tensor && sameMat(stored, source)) {
            toFirstStep();
            return true;
        }
        // Installed before the request, which announces the change; restored when it is refused.
        const cv::Mat oldSource = source;
        const QString oldName = name;
        const bool oldColor = color;
        const bool oldTensor = tensor;
        source = stored;
        name = newName;
        tensor = newTensor;
        color = !newTensor && planesDiffer(stored);
        if (request(channelPlane(stored, channel, tensor), kernel, spec)) {
            toFirstStep();
            return true;
        }
        source = oldSource;
        name = oldName;
        color = oldColor;
        tensor = oldTensor;
        return false;
    }

    /// A new input starts at its first window position, whatever the previous one was on.
    void toFirstStep()
    {
        if (step == 0)
            return;
        step = 0;
        Q_EMIT q->stepChanged(0);
    }

    void setSpecField(const core::ConvSpec &newSpec)
    {
        if (newSpec == spec)
            return;
        request(input, kernel, newSpec);
    }

    void setView(const ViewSettings &next)
    {
        if (next == view)
            return;
        // More stages, or the amounts instead of the fills, may cost more than the budget.
        if (next.stageCount != view.stageCount || next.compareBy != view.compareBy) {
            if (auto why = check({input.rows, input.cols}, int(input.elemSize1()), {kernel.rows, kernel.cols}, spec, next)) {
                fail(*why);
                return;
            }
        }
        view = next;
        Q_EMIT q->viewSettingsChanged();
        auto shown = std::make_shared<Snapshot>(*snapshot);
        shown->view = view;
        publish(shown, false);
    }
};

core::ConvSpec Session::defaultSpec()
{
    core::ConvSpec spec;
    spec.amount.kind = core::Amount::Same;
    return spec;
}

Session::Session(QObject *parent) : QObject(parent), d(new Private)
{
    d->q = this;
    d->queue = new JobQueue(this);
    connect(d->queue, &JobQueue::busyChanged, this, &Session::busyChanged);
    connect(d->queue, &JobQueue::progressChanged, this, &Session::progressChanged);
    d->source = rampSample();
    d->input = d->source;
    d->name = tr("Ramp %1").arg(sizeText(d->source.rows, d->source.cols));
    d->kernel = *core::preset(kDefaultPreset);
    d->presetName = QString::fromLatin1(kDefaultPreset);
    d->spec = defaultSpec();
    d->recompute();
}

Session::~Session()
{
    delete d->queue;
    delete d;
}

bool Session::openFile(const QString &path)
{
    cv::Mat loaded;
    bool tensor = false;
    try {
        const std::string file = QFile::encodeName(path).toStdString();
        if (QFileInfo(path).suffix().compare(QLatin1String("csv"), Qt::CaseInsensitive) == 0) {
            loaded = core::readCsvFile(file);
        } else if (isNpyPath(path)) {
            // Refused from its header, as an image is: the plane convolved (channel 0) is CV_64F.
            NpyInput npy = readNpyInput(file, core::kMaxImageFileBytes, [this, &file](int rows, int cols, int, int bytes) {
                if (auto why = d->check({rows, cols}, bytes, {d->kernel.rows, d->kernel.cols}, d->spec, d->view))
                    throw core::Error(file + ": " + why->toStdString());
            });
            loaded = npy.values;
            tensor = npy.tensor;
        } else {
            // Refused from its header when its plane's work is beyond the budget: the image stays
            // 8-bit, the plane computed from it is CV_32F (channelPlane()).
            loaded = core::readImage(file, core::ImageMode::Color, core::kMaxImagePixels,
                                     [this, &file](int rows, int cols, int, int) {
                                         if (auto why = d->check({rows, cols}, int(sizeof(float)),
                                                                 {d->kernel.rows, d->kernel.cols}, d->spec, d->view))
                                             throw core::Error(file + ": " + why->toStdString());
                                     });
        }
    } catch (const std::exception &e) {
        d->fail(QString::fromStdString(e.what()));
        return false;
    }
    const QString oldPath = d->path;
    d->path = QFileInfo(path).absoluteFilePath();
    if (!d->installSource(loaded, QFileInfo(path).fileName(), false, tensor)) {
        d->path = oldPath;
        return false;
    }
    return true;
}

void Session::setSource(const cv::Mat &source, const QString &name, const QString &path, bool tensor)
{
    const QString oldPath = std::exchange(d->path, path.isEmpty() ? QString() : QFileInfo(path).absoluteFilePath());
    if (!d->installSource(source, name, true, tensor))
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
    if (!d->request(channelPlane(d->source, channel, d->tensor), d->kernel, d->spec))
        d->channel = old;
}

bool Session::isColor() const
{
    return d->color;
}

bool Session::isTensor() const
{
    return d->tensor;
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
    // A copy: snapshots and workers still hold the old kernel.
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

SnapshotPtr Session::snapshot() const
{
    return d->snapshot;
}

const core::ConvResult &Session::result() const
{
    return d->snapshot->result;
}

const core::Geometry &Session::geometry() const
{
    return d->snapshot->result.geometry;
}

const cv::Mat &Session::resultInput() const
{
    return d->snapshot->input;
}

std::pair<double, double> Session::inputMinMax() const
{
    return d->snapshot->inputRange;
}

std::pair<double, double> Session::outputMinMax() const
{
    return d->snapshot->outputRange;
}

bool Session::isBusy() const
{
    return d->queue->isBusy();
}

bool Session::isUpToDate() const
{
    return !d->queue->isBusy(kFeatureMapSlot);
}

double Session::progress() const
{
    return d->queue->progress();
}

void Session::cancel()
{
    const bool featureMap = d->queue->isBusy(kFeatureMapSlot);
    std::vector<Part> cancelled;
    for (const auto &[part, origin] : d->submitted)
        if (d->queue->isBusy(slotOf(part)) && samePart(part, origin, d->snapshot->origin()))
            cancelled.push_back(part);
    d->submitted.clear();
    d->queue->cancelAll();
    if (featureMap) {
        d->revertToSnapshot();
        Q_EMIT changed();
    }
    if (!cancelled.empty()) {
        auto next = std::make_shared<Snapshot>(*d->snapshot);
        for (Part part : cancelled)
            parts::markCancelled(*next, part);
        d->publish(next, false);
    }
}

bool Session::waitUntilIdle(int timeoutMs)
{
    if (!isBusy())
        return true;
    QEventLoop loop;
    QTimer timeout;
    timeout.setSingleShot(true);
    connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
    connect(this, &Session::busyChanged, &loop, [&loop](bool busy) {
        if (!busy)
            loop.quit();
    });
    timeout.start(timeoutMs);
    loop.exec();
    return !isBusy();
}

void Session::need(Part part)
{
    if (++d->needs[part] == 1)
        d->scheduleParts();
}

void Session::release(Part part)
{
    if (--d->needs[part] > 0)
        return;
    d->needs[part] = 0;
    d->submitted.erase(part);
    d->queue->cancel(slotOf(part));
}

int Session::computations() const
{
    return d->queue->delivered();
}

void Session::setComputationDelayForTesting(int milliseconds)
{
    d->queue->setDelayForTesting(milliseconds);
}

int Session::stepCount() const
{
    return d->snapshot->stepCount(d->snapshot->view.view);
}

int Session::stepColumns() const
{
    return d->snapshot->stepGrid(d->snapshot->view.view).width();
}

std::vector<int> Session::stepIndex() const
{
    return d->snapshot->stepIndex(d->snapshot->view.view, d->step);
}

int Session::step() const
{
    return d->step;
}

QPoint Session::stepCell() const
{
    return d->snapshot->stepCell(d->snapshot->view.view, d->step);
}

void Session::setStep(int step)
{
    const int clamped = d->snapshot->clampStep(d->snapshot->view.view, step);
    if (clamped == d->step)
        return;
    d->step = clamped;
    Q_EMIT stepChanged(clamped);
}

void Session::setStepCell(int row, int col)
{
    const QSize grid = d->snapshot->stepGrid(d->snapshot->view.view);
    if (grid.isEmpty())
        return;
    setStep(std::clamp(row, 0, grid.height() - 1) * grid.width() + std::clamp(col, 0, grid.width() - 1));
}

core::Window Session::window() const
{
    return d->snapshot->window(d->step);
}

core::Window Session::windowAt(int row, int col) const
{
    return d->snapshot->windowAt(row, col);
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

const ViewSettings &Session::viewSettings() const
{
    return d->view;
}

void Session::setViewSettings(const ViewSettings &settings)
{
    ViewSettings next = settings;
    next.stageCount = std::clamp(next.stageCount, 1, kMaxStages);
    next.compareReference = std::max(next.compareReference, 0);
    next.groups = std::max(next.groups, 1);
    next.convtStride = std::max(next.convtStride, 1);
    next.convtDilation = std::max(next.convtDilation, 1);
    next.convtPadding = std::max(next.convtPadding, 0);
    next.convtOutputPadding = std::max(next.convtOutputPadding, 0);
    d->setView(next);
}

Session::View Session::view() const
{
    return d->view.view;
}

void Session::setView(View view)
{
    ViewSettings next = d->view;
    next.view = view;
    d->setView(next);
}

Session::CompareBy Session::compareBy() const
{
    return d->view.compareBy;
}

void Session::setCompareBy(CompareBy by)
{
    if (by == d->view.compareBy)
        return;
    ViewSettings next = d->view;
    next.compareBy = by;
    // An index into the fills means nothing among the amounts.
    next.compareReference = 0;
    d->setView(next);
}

int Session::compareReference() const
{
    return d->view.compareReference;
}

void Session::setCompareReference(int index)
{
    ViewSettings next = d->view;
    next.compareReference = std::max(index, 0);
    d->setView(next);
}

int Session::stageCount() const
{
    return d->view.stageCount;
}

void Session::setStageCount(int count)
{
    ViewSettings next = d->view;
    next.stageCount = std::clamp(count, 1, kMaxStages);
    d->setView(next);
}

Session::PlotStyle Session::plotStyle() const
{
    return d->view.plotStyle;
}

void Session::setPlotStyle(PlotStyle style)
{
    ViewSettings next = d->view;
    next.plotStyle = style;
    d->setView(next);
}

QString Session::layerInputShape() const
{
    return d->view.layerInputShape;
}

QString Session::layerSpec() const
{
    return d->view.layerSpec;
}

void Session::setLayerStack(const QString &inputShape, const QString &spec)
{
    ViewSettings next = d->view;
    next.layerInputShape = inputShape;
    next.layerSpec = spec;
    d->setView(next);
}

FilterBank Session::filterBank() const
{
    return d->view.bank;
}

void Session::setFilterBank(FilterBank bank)
{
    ViewSettings next = d->view;
    next.bank = bank;
    d->setView(next);
}

void Session::setCustomFilterBank(const std::vector<int> &shape, const std::vector<double> &weights)
{
    ViewSettings next = d->view;
    next.bank = FilterBank::Custom;
    next.bankShape = shape;
    next.bankWeights = weights;
    d->setView(next);
}

int Session::groups() const
{
    return d->view.groups;
}

SignalFilters Session::signalFilters() const
{
    return d->view.signalFilters;
}

void Session::setSignalFilters(SignalFilters filters)
{
    ViewSettings next = d->view;
    next.signalFilters = filters;
    d->setView(next);
}

const std::vector<double> &Session::signalBias() const
{
    return d->view.signalBias;
}

void Session::setSignalBias(const std::vector<double> &bias)
{
    ViewSettings next = d->view;
    next.signalBias = bias;
    d->setView(next);
}

void Session::setGroups(int groups)
{
    ViewSettings next = d->view;
    next.groups = std::max(groups, 1);
    d->setView(next);
}

const std::vector<double> &Session::bias() const
{
    return d->view.bias;
}

void Session::setBias(const std::vector<double> &bias)
{
    ViewSettings next = d->view;
    next.bias = bias;
    d->setView(next);
}

const VolumeSettings &Session::volumeSettings() const
{
    return d->view.volume;
}

void Session::setVolumeSettings(const VolumeSettings &settings)
{
    ViewSettings next = d->view;
    next.volume = settings;
    next.volume.kernelDepth = std::clamp(next.volume.kernelDepth, 1, kMaxVolumeKernelDepth);
    d->setView(next);
}

const Look &Session::look() const
{
    return d->look;
}

void Session::setLook(const Look &look)
{
    if (look == d->look)
        return;
    d->look = look;
    Q_EMIT lookChanged();
}

} // namespace padlab::ui

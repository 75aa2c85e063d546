#include "shownop.h"

#include "parts.h"
#include "volume.h"

#include "padlab/core/pool.h"

#include <QObject>

#include <exception>

namespace padlab::ui {

namespace {

QString poolTitle(const core::PoolSpec &spec, PoolRule rule)
{
    const QString op = spec.op == core::PoolOp::Max ? QObject::tr("Max pooling") : QObject::tr("Average pooling");
    return QObject::tr("%1, %2's rule (Pooling tab)")
        .arg(op, rule == PoolRule::PyTorch ? QStringLiteral("PyTorch") : QStringLiteral("TensorFlow"));
}

} // namespace

ShownOp shownOp(const Snapshot &snapshot)
{
    ShownOp shown;
    const ViewSettings &view = snapshot.view;
    switch (view.view) {
    case View::Signal:
        // 2 to 8 rows are the channels of one signal: a Conv1D, as parts::signal() computes it,
        // when the view can draw it (otherwise the view says why, and the plane is described).
        if (snapshot.input.rows >= 2 && snapshot.input.rows <= SignalSet::kMaxChannels
            && parts::signalUnsupportedReason(snapshot).isEmpty()) {
            shown.kind = ShownOp::Kind::Signal;
            shown.title = QObject::tr("Conv1D of a %1-channel signal (Signal tab)").arg(snapshot.input.rows);
            break;
        }
        [[fallthrough]];
    case View::Window:
    case View::Compare:
    case View::Stages:
    case View::Layers:
        shown.kind = ShownOp::Kind::Plane;
        shown.title = QObject::tr("2-D convolution (sliding window)");
        return shown;
    case View::Channels:
        shown.kind = ShownOp::Kind::Channels;
        shown.title = QObject::tr("Multi-channel convolution with a filter bank (Channels tab)");
        break;
    case View::Pool:
        shown.kind = ShownOp::Kind::Pool;
        shown.title = poolTitle(view.pool, view.poolRule);
        break;
    case View::Transposed:
        shown.kind = ShownOp::Kind::Transposed;
        shown.title = QObject::tr("Transposed convolution (Transposed tab)");
        break;
    case View::Volume:
        shown.kind = ShownOp::Kind::Volume;
        shown.title = QObject::tr("3-D convolution of a volume (Volume tab)");
        break;
    }

    core::TensorCodeRequest &request = shown.request;
    const cv::Mat &plane = snapshot.input;
    const core::TensorShape planeShape{1, {plane.rows, plane.cols}};
    if (shown.kind != ShownOp::Kind::Volume
        && (plane.empty() || (shown.kind != ShownOp::Kind::Pool && snapshot.kernel.empty()))) {
        shown.error = QObject::tr("there is no input or no kernel");
        return shown;
    }
    try {
        switch (shown.kind) {
        case ShownOp::Kind::Plane: break;
        case ShownOp::Kind::Signal: {
            // As parts::signal() reads the rows: channels × time, the filters of the view.
            const int channels = plane.rows;
            request.op = core::OpKind::Conv;
            request.layout = core::Layout::CL;
            request.input = core::TensorShape{channels, {plane.cols}};
            request.conv = parts::signalSpec(snapshot.spec,
                                             view.signalFilters == SignalFilters::Depthwise ? channels : 1);
            request.kernel = parts::signalBank(view, channels, snapshot.kernel);
            if (auto why = core::validate(request.conv, request.input, request.kernel))
                shown.error = QString::fromStdString(*why);
            break;
        }
        case ShownOp::Kind::Channels: {
            // As parts::channels() reads the source: one channel, or an image's R, G, B.
            const int channels = snapshot.source.channels() == 3 ? 3 : 1;
            request.op = core::OpKind::Conv;
            request.layout = core::Layout::CHW;
            request.input = core::TensorShape{channels, {snapshot.source.rows, snapshot.source.cols}};
            request.conv = parts::tensorSpec(snapshot.spec, view.groups);
            request.kernel = parts::filterBank(view, channels, snapshot.kernel);
            if (auto why = core::validate(request.conv, request.input, request.kernel))
                shown.error = QString::fromStdString(*why);
            break;
        }
        case ShownOp::Kind::Pool:
            request.op = core::OpKind::Pool;
            request.layout = core::Layout::HW;
            request.input = planeShape;
            request.pool = parts::poolSpecFor(view.pool, view.poolRule, planeShape, &shown.note);
            if (auto why = core::validate(request.pool, request.input))
                shown.error = QString::fromStdString(*why);
            break;
        case ShownOp::Kind::Transposed: {
            // As parts::transposed() takes them: the plane and the kernel's spatial axes.
            request.op = core::OpKind::ConvT;
            request.layout = core::Layout::HW;
            request.input = planeShape;
            cv::Mat k;
            snapshot.kernel.convertTo(k, CV_64F);
            request.kernel.shape = {k.rows, k.cols};
            request.kernel.weights.assign(k.begin<double>(), k.end<double>());
            request.convt = parts::convtSpec(view);
            if (auto why = core::validate(request.convt, request.input, request.kernel))
                shown.error = QString::fromStdString(*why);
            break;
        }
        case ShownOp::Kind::Volume: {
            const VolumeSet set = volumeOperands(view.volume, snapshot.kernel);
            request.op = core::OpKind::Conv;
            request.input = set.input.shape();
            request.layout = request.input.channels == 1 ? core::Layout::DHW : core::Layout::CDHW;
            request.kernel = set.kernel;
            request.conv = set.spec;
            shown.error = set.error;
            break;
        }
        }
    } catch (const std::exception &e) {
        shown.error = QString::fromStdString(e.what());
    }
    return shown;
}

} // namespace padlab::ui

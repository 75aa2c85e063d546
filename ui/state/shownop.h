#pragma once

#include "snapshot.h"

#include "padlab/core/tensorcode.h"

#include <QString>

namespace padlab::ui {

/// The operation a snapshot's view teaches, as the engine takes it: what the Shape panel and the
/// Code tab describe. The sliding-window tabs (Window, Signal, Compare, Stages, Layers) teach the
/// 2-D convolution of the snapshot's plane, except the Signal tab on an input of 2 to
/// SignalSet::kMaxChannels rows, which teaches the Conv1D of its channels (Signal); Channels a
/// multi-channel convolution with its filter bank, Pooling a pooling under the chosen framework's
/// rule, Transposed a transposed convolution of the plane, Volume a 3-D convolution.
struct ShownOp {
    enum class Kind { Plane, Signal, Channels, Pool, Transposed, Volume };
    Kind kind = Kind::Plane;
    QString title;  ///< which operation, with its tab: one line
    /// Signal, Channels, Pool, Transposed, Volume: the op, the input's shape and layout, the kernel
    /// (with the bias) and the spec, as `padlab code` takes them. Unused for Plane.
    core::TensorCodeRequest request;
    QString note;   ///< Pool: what the framework's rule changed in the view's settings
    QString error;  ///< why the view's settings cannot be computed (the engine's words); empty when they can

    bool isTensor() const { return kind != Kind::Plane; }
};

/// The operation @p snapshot's view shows, built from the snapshot's own input, kernel and
/// settings with the same functions that compute the view's part, so what the panels say matches
/// what the view painted. Nothing is convolved: only shapes and specs are worked out.
ShownOp shownOp(const Snapshot &snapshot);

} // namespace padlab::ui

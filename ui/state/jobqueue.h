#pragma once

#include "padlab/core/budget.h"

#include <QObject>
#include <QTimer>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>

namespace padlab::ui {

/// What a running job may ask while it computes: whether it is still wanted, and where to say
/// how far it got. Shared between the GUI thread and the worker, so both are atomics.
class JobControl {
public:
    bool isCancelled() const { return m_cancelled.load(std::memory_order_relaxed); }
    void cancel() { m_cancelled.store(true, std::memory_order_relaxed); }
    /// How far the job got, 0..1.
    void setProgress(double fraction) { m_progress.store(fraction, std::memory_order_relaxed); }
    double progress() const { return m_progress.load(std::memory_order_relaxed); }
    /// The engine's Progress: each report sets progress(); once cancel() was called it answers
    /// false, and the engine stops at its next report by throwing core::Cancelled.
    core::Progress hook()
    {
        return [this](double fraction) {
            setProgress(fraction);
            return !isCancelled();
        };
    }

private:
    std::atomic<bool> m_cancelled{false};
    std::atomic<double> m_progress{0};
};

/**
 * Runs the session's computations with one rule for their size and one for stale results.
 *
 * A job is small when it touches at most kWorkerCells matrix cells and kWorkerMultiplyAdds
 * multiply-adds; it runs at once, inside submit(). A large one runs on a worker thread while
 * the window stays responsive. Each job belongs to a slot (the feature map, the comparison,
 * ...): a newer job of a slot cancels the one running there and waits for it to stop, and a
 * newer one still replaces the waiting one, so a burst of requests computes the first and the
 * last at most. A cancelled job's result is never delivered.
 *
 * A job's work returns what to do with its result; that runs on the GUI thread, so a result
 * reaches the session in the order and thread the session expects.
 */
class JobQueue : public QObject {
    Q_OBJECT

public:
    /// Beyond either size a job goes to a worker: computing it would stall the window.
    static constexpr long long kWorkerCells = 250'000;
    static constexpr long long kWorkerMultiplyAdds = 20'000'000;

    using Deliver = std::function<void()>;
    struct Job {
        int slot = 0;
        long long cells = 0;       ///< matrix cells read or written
        long long multiplyAdds = 0;
        /// Computes; may run on a worker, so it must own everything it reads.
        std::function<Deliver(JobControl &)> work;
    };

    explicit JobQueue(QObject *parent = nullptr);
    ~JobQueue() override;

    static bool isLarge(const Job &job);

    /// Runs @p job at once when it is small (its result delivered before this returns), else
    /// on a worker. Either way an older job of the same slot is cancelled.
    void submit(Job job);
    /// Cancels the jobs of @p slot, running or waiting.
    void cancel(int slot);
    /// Cancels every job; none of their results is delivered.
    void cancelAll();

    /// Whether a job runs on a worker or waits for one.
    bool isBusy() const;
    bool isBusy(int slot) const;
    /// How far the running jobs got together, 0..1.
    double progress() const;

    /// How many jobs ran to completion and delivered their result since the queue was made.
    int delivered() const { return m_delivered; }

    /// A test hook: every job's work waits this long first, as a slow computation would.
    void setDelayForTesting(int milliseconds) { m_testDelay = milliseconds; }

Q_SIGNALS:
    void busyChanged(bool busy);
    /// While workers run, every tenth of a second; never while idle.
    void progressChanged(double fraction);

private:
    struct Running;
    void start(Job job);
    void finished(int slot);
    void updateBusy();

    std::map<int, std::shared_ptr<Running>> m_running;
    std::map<int, Job> m_waiting;
    QTimer m_progressTimer;
    bool m_busy = false;
    int m_delivered = 0;
    int m_testDelay = 0;
};

} // namespace padlab::ui

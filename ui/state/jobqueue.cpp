#include "jobqueue.h"

#include <QFutureWatcher>
#include <QThread>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

namespace padlab::ui {

namespace {
constexpr int kProgressIntervalMs = 100;
} // namespace

struct JobQueue::Running {
    JobControl control;
};

JobQueue::JobQueue(QObject *parent) : QObject(parent)
{
    m_progressTimer.setInterval(kProgressIntervalMs);
    connect(&m_progressTimer, &QTimer::timeout, this, [this] { Q_EMIT progressChanged(progress()); });
}

JobQueue::~JobQueue()
{
    // Workers own copies of what they read; cancelled, they stop early and deliver nothing.
    cancelAll();
}

bool JobQueue::isLarge(const Job &job)
{
    return job.cells > kWorkerCells || job.multiplyAdds > kWorkerMultiplyAdds;
}

void JobQueue::submit(Job job)
{
    const int slot = job.slot;
    m_waiting.erase(slot);
    const auto running = m_running.find(slot);
    if (running != m_running.end())
        running->second->control.cancel();
    if (!isLarge(job) && m_testDelay == 0) {
        JobControl control;
        if (const Deliver deliver = job.work(control)) {
            ++m_delivered;
            deliver();
        }
        updateBusy();
        return;
    }
    if (running != m_running.end())
        m_waiting[slot] = std::move(job); // starts once the cancelled one has stopped
    else
        start(std::move(job));
    updateBusy();
}

void JobQueue::start(Job job)
{
    const int slot = job.slot;
    auto running = std::make_shared<Running>();
    m_running[slot] = running;
    auto *watcher = new QFutureWatcher<Deliver>(this);
    connect(watcher, &QFutureWatcher<Deliver>::finished, this, [this, watcher, running, slot] {
        watcher->deleteLater();
        if (const auto it = m_running.find(slot); it != m_running.end() && it->second == running)
            m_running.erase(it);
        const Deliver deliver = watcher->result();
        if (!running->control.isCancelled() && deliver) {
            ++m_delivered;
            deliver();
        }
        finished(slot);
    });
    const int delay = m_testDelay;
    watcher->setFuture(QtConcurrent::run([work = std::move(job.work), running, delay]() -> Deliver {
        if (delay > 0)
            QThread::msleep(static_cast<unsigned long>(delay));
        if (running->control.isCancelled())
            return {};
        try {
            return work(running->control);
        } catch (const std::exception &) {
            // Work reports its own errors; one that escapes has nothing left to deliver.
            return {};
        }
    }));
}

void JobQueue::finished(int slot)
{
    if (!m_running.count(slot)) {
        const auto waiting = m_waiting.find(slot);
        if (waiting != m_waiting.end()) {
            Job next = std::move(waiting->second);
            m_waiting.erase(waiting);
            start(std::move(next));
        }
    }
    updateBusy();
}

void JobQueue::cancel(int slot)
{
    m_waiting.erase(slot);
    if (const auto running = m_running.find(slot); running != m_running.end())
        running->second->control.cancel();
    updateBusy();
}

void JobQueue::cancelAll()
{
    m_waiting.clear();
    for (auto &[slot, running] : m_running)
        running->control.cancel();
    updateBusy();
}

bool JobQueue::isBusy() const
{
    for (const auto &[slot, running] : m_running)
        if (!running->control.isCancelled())
            return true;
    return !m_waiting.empty();
}

bool JobQueue::isBusy(int slot) const
{
    const auto running = m_running.find(slot);
    return m_waiting.count(slot) || (running != m_running.end() && !running->second->control.isCancelled());
}

double JobQueue::progress() const
{
    double sum = 0;
    int count = 0;
    for (const auto &[slot, running] : m_running) {
        if (running->control.isCancelled())
            continue;
        sum += running->control.progress();
        ++count;
    }
    return count > 0 ? sum / count : 0.0;
}

void JobQueue::updateBusy()
{
    const bool busy = isBusy();
    if (busy == m_busy)
        return;
    m_busy = busy;
    if (busy)
        m_progressTimer.start();
    else
        m_progressTimer.stop();
    Q_EMIT busyChanged(busy);
}

} // namespace padlab::ui

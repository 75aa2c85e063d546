#pragma once

#include "padlab/core/budget.h"

#include <chrono>
#include <cstdio>

#include <unistd.h>

namespace padlab {

/// Progress on standard error, on a terminal only and only once the work has taken a second:
/// `padlab: conv 37%`, redrawn in place and wiped when the work ends.
class TerminalProgress {
public:
    explicit TerminalProgress(const char *what)
        : m_what(what), m_terminal(::isatty(STDERR_FILENO) == 1), m_start(Clock::now())
    {
    }
    ~TerminalProgress()
    {
        if (m_shown) {
            std::fputs("\r\033[K", stderr);
            std::fflush(stderr);
        }
    }
    TerminalProgress(const TerminalProgress &) = delete;
    TerminalProgress &operator=(const TerminalProgress &) = delete;

    void show(double fraction)
    {
        using namespace std::chrono_literals;
        const auto now = Clock::now();
        if (!m_terminal || now - m_start < 1s || (m_shown && now - m_last < 100ms))
            return;
        m_last = now;
        m_shown = true;
        std::fprintf(stderr, "\rpadlab: %s %d%%", m_what, static_cast<int>(fraction * 100));
        std::fflush(stderr);
    }
    core::Progress hook()
    {
        return [this](double fraction) {
            show(fraction);
            return true;
        };
    }

private:
    using Clock = std::chrono::steady_clock;
    const char *m_what;
    bool m_terminal;
    bool m_shown = false;
    Clock::time_point m_start;
    Clock::time_point m_last;
};

} // namespace padlab

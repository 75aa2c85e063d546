#pragma once

// Prints, after Google Benchmark's own table, each benchmark's wall time against its target.

#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace padlab::bench {

class TargetReporter : public benchmark::ConsoleReporter {
public:
    /// @p targets: benchmark-name prefix and the most milliseconds it may take.
    explicit TargetReporter(std::vector<std::pair<std::string, double>> targets)
        : m_targets(std::move(targets))
    {
    }

    void ReportRuns(const std::vector<Run> &runs) override
    {
        ConsoleReporter::ReportRuns(runs);
        for (const Run &run : runs) {
            const std::string name = run.benchmark_name();
            for (const auto &[prefix, limit] : m_targets) {
                if (name.rfind(prefix, 0) != 0)
                    continue;
                const double ms = run.GetAdjustedRealTime();
                char line[256];
                std::snprintf(line, sizeof line, "%-52s %8.1f ms  target <= %6.1f ms  %s", name.c_str(), ms,
                              limit, ms <= limit ? "PASS" : "MISS");
                m_lines.emplace_back(line);
                break;
            }
        }
    }

    void Finalize() override
    {
        ConsoleReporter::Finalize();
        std::printf("\nTargets\n");
        for (const std::string &line : m_lines)
            std::printf("  %s\n", line.c_str());
    }

private:
    std::vector<std::pair<std::string, double>> m_targets;
    std::vector<std::string> m_lines;
};

} // namespace padlab::bench

#pragma once

// Shared by the suites that run generated Python scripts: processes, padlab runs a few at a time,
// and a driver that runs a batch of scripts in one interpreter.

#include "clitestutil.h"

#include <QProcess>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <memory>
#include <vector>

namespace padlab::test {

/// @brief Debian's interpreter, with Debian's python3-numpy, python3-torch, ...
inline const QString kPython = QStringLiteral("/usr/bin/python3");

inline Run runProcess(const QString &program, const QStringList &arguments, int timeoutMs = 60000)
{
    QProcess process;
    process.start(program, arguments);
    Run run;
    run.finished = true;
    run.crashed = false;
    if (!process.waitForFinished(timeoutMs) || process.exitStatus() != QProcess::NormalExit) {
        run.err = "did not finish: " + process.errorString().toUtf8();
        return run;
    }
    run.exitCode = process.exitCode();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

/// Runs padlab once per argument list, a few at a time: each run is mostly start-up.
inline std::vector<Run> runPadlabAll(const std::vector<QStringList> &argumentLists)
{
    constexpr size_t kAtOnce = 6;
    std::vector<Run> runs(argumentLists.size());
    for (size_t first = 0; first < argumentLists.size(); first += kAtOnce) {
        const size_t last = std::min(argumentLists.size(), first + kAtOnce);
        std::vector<std::unique_ptr<QProcess>> processes;
        for (size_t i = first; i < last; ++i) {
            processes.push_back(std::make_unique<QProcess>());
            processes.back()->start(QStringLiteral(PADLAB_EXECUTABLE), argumentLists[i]);
        }
        for (size_t i = first; i < last; ++i) {
            QProcess &process = *processes[i - first];
            Run &run = runs[i];
            if (!process.waitForFinished(120000) || process.exitStatus() != QProcess::NormalExit) {
                run.err = "did not finish: " + process.errorString().toUtf8();
                continue;
            }
            run.exitCode = process.exitCode();
            run.out = process.readAllStandardOutput();
            run.err = process.readAllStandardError();
        }
    }
    return runs;
}

// Runs every script of a batch in one interpreter (importing torch once), each with its own
// argv and its own standard output, error and exit status.
inline const char *const kScriptDriver = R"PY(
import io, runpy, sys, traceback
for line in open(sys.argv[1]):
    script, data, result = line.rstrip("\n").split("\t")
    out, err, code = io.StringIO(), io.StringIO(), 0
    saved = sys.stdout, sys.stderr, sys.argv
    sys.stdout, sys.stderr, sys.argv = out, err, [script, data]
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 1
        if isinstance(e.code, str):
            err.write(e.code + "\n")
    except Exception:
        code = 1
        traceback.print_exc(file=err)
    finally:
        sys.stdout, sys.stderr, sys.argv = saved
    for suffix, text in ((".out", out.getvalue()), (".err", err.getvalue()), (".rc", str(code))):
        with open(result + suffix, "w") as f:
            f.write(text)
)PY";

} // namespace padlab::test

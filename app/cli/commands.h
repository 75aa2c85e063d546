#pragma once

// The subcommands: one list of them (their synopsis, help and what they run), which the
// dispatcher, the help and main() all ask.

#include "options.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <cstdio>
#include <functional>
#include <string_view>
#include <vector>

namespace padlab::cli {

struct Command {
    QString name;
    QString synopsis; ///< what follows `padlab NAME`
    QString summary;
    QString argument; ///< the positional argument's name, or empty when there is none
    QString argumentHelp;
    QStringList options;
    std::function<void(const Invocation &)> run;
};

/// Every subcommand, in the order the help lists them.
const std::vector<Command> &commands();
/// The command named @p name, or nullptr.
const Command *findCommand(const QString &name);

/// Writes @p bytes to standard output; throws CliError when it cannot.
void writeStdout(std::string_view bytes);
void writeStdout(const QByteArray &bytes);
/// Writes @p line and a newline to @p stream.
void printLine(std::FILE *stream, const QString &line);

} // namespace padlab::cli

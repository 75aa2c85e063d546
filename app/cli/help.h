#pragma once

#include "commands.h"

#include <QString>

namespace padlab::cli {

/// `padlab COMMAND --help`: the synopsis, what it does, its argument and its options.
QString commandHelp(const Command &command);
/// `padlab --help`: every command, the arguments and every option.
QString topHelp();

} // namespace padlab::cli

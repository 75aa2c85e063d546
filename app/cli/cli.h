#pragma once

namespace padlab {

/// @brief The headless command line: `padlab pad|conv|shape|summary|render|code ...`, `padlab --help`,
/// `padlab COMMAND --help` and `padlab --version`. Needs no display and never opens a window.
///
/// Results go to standard output or to the file named by `-o` (written atomically). On any
/// failure it prints exactly one line `padlab: error: ...` on standard error, leaves no output
/// file behind and returns 2; `code` returns 3 when the framework cannot express the settings.
/// Otherwise it returns 0. Without arguments it prints the help.
int runCli(int argc, char **argv);

} // namespace padlab

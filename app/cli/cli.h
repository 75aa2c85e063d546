#pragma once

#include <QStringList>

namespace padlab {

/// @brief Exit status of every failure: one line `padlab: error: ...` on standard error.
inline constexpr int kExitError = 2;

/// @brief The headless command line: `padlab pad|conv|shape|summary|render|code ...`, `padlab --help`,
/// `padlab COMMAND --help` and `padlab --version`. Needs no display and never opens a window.
///
/// Results go to standard output or to the file named by `-o` (written atomically). On any
/// failure it prints exactly one line `padlab: error: ...` on standard error, leaves no output
/// file behind and returns kExitError; `code` returns 3 when the framework cannot express the
/// settings. Otherwise it returns 0. Without arguments it prints the help.
int runCli(int argc, char **argv);

/// @brief Whether `padlab ARGS` opens the window: without arguments, or with one that is none of
/// the command line's words (its commands, `help`, an option) and names an existing file or a
/// built-in lesson (`lesson:NAME`). Qt's own options (see withoutQtOptions()) are not counted.
/// Every other command line goes to runCli(), which also says what is wrong with a word that is
/// neither a command nor a file.
bool opensWindow(int argc, char **argv);

/// @brief @p arguments without Qt's own options, which the window hands to Qt and the commands
/// ignore: `-platform`, `-platformpluginpath`, `-platformtheme`, `-plugin`, `-style`,
/// `-stylesheet`, `-geometry`, `-title`, `-display`, `-session`, `-qwindowgeometry`,
/// `-qwindowicon`, `-qwindowtitle` with their value (`-style fusion` or `-style=fusion`), and the
/// flags `-reverse`, `-widgetcount`, `-nograb`, `-dograb`, `-sync`, each also with two dashes.
QStringList withoutQtOptions(const QStringList &arguments);

/// @brief Whether there is a display to open the window on: a platform named by `-platform` in
/// @p argv or by QT_QPA_PLATFORM, or an X11 or Wayland display where those are the platforms.
bool hasDisplay(int argc, char **argv);

} // namespace padlab

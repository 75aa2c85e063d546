#include "cli.h"

#include "commands.h"
#include "help.h"

#include "lessons.h"

#include "padlab/core/error.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QGuiApplication>

#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>

#include <memory>
#include <new>
#include <optional>
#include <string>
#include <vector>

namespace padlab {

namespace {

using namespace cli;

constexpr int kExitCannotExpress = 3;

/// QCommandLineParser's message (`Unknown option 'x'.`) as the rest of a `padlab: error:` line.
QString parserError(const QCommandLineParser &parser, const Command &command)
{
    QString message = parser.errorText();
    if (message.endsWith('.'))
        message.chop(1);
    if (!message.isEmpty())
        message[0] = message.at(0).toLower();
    return QStringLiteral("%1 for 'padlab %2' (see 'padlab %2 --help')").arg(message, command.name);
}

int runCommand(const Command &command, const QStringList &arguments)
{
    QCommandLineParser parser;
    for (const auto &key : command.options) {
        const auto &def = optionDef(key);
        parser.addOption(QCommandLineOption(def.names, def.description, def.valueName));
    }
    if (!parser.parse(QStringList{"padlab " + command.name} + arguments))
        throw CliError(parserError(parser, command));
    if (parser.isSet("help")) {
        writeStdout(commandHelp(command).toUtf8());
        return 0;
    }
    command.run(Invocation(command.name, command.argument, command.options, parser));
    return 0;
}

bool isHelpWord(const QString &word)
{
    return word == "--help" || word == "-h" || word == "help";
}

/// Qt's option named by @p word (`-style`, `--style`, `-style=fusion`), without dashes and value;
/// empty when it is none. @p takesValue: whether the next word is its value.
QString qtOption(const QString &word, bool *takesValue)
{
    static const QStringList withValue = {"platform", "platformpluginpath", "platformtheme", "plugin", "style",
                                          "stylesheet", "geometry", "title", "display", "session",
                                          "qwindowgeometry", "qwindowicon", "qwindowtitle"};
    static const QStringList flags = {"reverse", "widgetcount", "nograb", "dograb", "sync"};
    if (!word.startsWith('-') || word == "-" || word == "--")
        return {};
    QString name = word.mid(word.startsWith("--") ? 2 : 1);
    const qsizetype equals = name.indexOf('=');
    const bool joined = equals >= 0;
    if (joined)
        name.truncate(equals);
    if (withValue.contains(name)) {
        *takesValue = !joined;
        return name;
    }
    if (!joined && flags.contains(name)) {
        *takesValue = false;
        return name;
    }
    return {};
}

QStringList argumentsOf(int argc, char **argv)
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    return arguments;
}

int dispatch(const QStringList &arguments)
{
    if (arguments.size() < 2) {
        writeStdout(topHelp().toUtf8());
        return 0;
    }
    const QString first = arguments.at(1);
    if (isHelpWord(first)) {
        const Command *command = arguments.size() > 2 ? findCommand(arguments.at(2)) : nullptr;
        if (first == "help" && arguments.size() > 2 && !command)
            throw CliError(QStringLiteral("unknown command '%1'").arg(arguments.at(2)));
        writeStdout((command ? commandHelp(*command) : topHelp()).toUtf8());
        return 0;
    }
    if (first == "--version") {
        const QString version = QCoreApplication::applicationVersion();
        writeStdout(QStringLiteral("padlab %1\n").arg(version).toUtf8());
        return 0;
    }
    if (const Command *command = findCommand(first))
        return runCommand(*command, arguments.mid(2));
    if (const std::optional<QString> lesson = ui::lessonArgument(first)) {
        if (!ui::makeBuiltinLesson(*lesson))
            throw CliError(ui::unknownLessonMessage(*lesson));
        throw CliError(QStringLiteral("unexpected argument '%1': the window opens one lesson").arg(arguments.at(2)));
    }
    if (first.startsWith('-'))
        throw CliError(QStringLiteral("unknown option '%1' (see 'padlab --help')").arg(first));
    const QFileInfo file(first);
    if (file.isDir())
        throw CliError(QStringLiteral("'%1' is a folder; the window opens a file").arg(first));
    if (file.exists())
        throw CliError(QStringLiteral("unexpected argument '%1': the window opens one file").arg(arguments.at(2)));
    throw CliError(QStringLiteral("no such command or file: %1").arg(first));
}

/// One line, whatever the message holds.
QString oneLine(const QString &message)
{
    QString line = message;
    line.replace('\r', ' ').replace('\n', ' ');
    return line.simplified();
}

int fail(const QString &message)
{
    printLine(stderr, "padlab: error: " + oneLine(message));
    return kExitError;
}

/// Qt's own notes about the platform (such as a missing XDG_RUNTIME_DIR offscreen) are not
/// the command's business: a success prints nothing, a failure one line.
void quietQtMessages(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    if (type == QtCriticalMsg || type == QtFatalMsg)
        printLine(stderr, "padlab: " + message);
}

} // namespace

QStringList withoutQtOptions(const QStringList &arguments)
{
    QStringList kept;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        bool takesValue = false;
        if (i > 0 && !qtOption(arguments.at(i), &takesValue).isEmpty()) {
            if (takesValue)
                ++i;
            continue;
        }
        kept << arguments.at(i);
    }
    return kept;
}

bool opensWindow(int argc, char **argv)
{
    const QStringList arguments = withoutQtOptions(argumentsOf(argc, argv));
    if (arguments.size() == 1)
        return true;
    if (arguments.size() != 2)
        return false;
    const QString &word = arguments.at(1);
    if (const std::optional<QString> lesson = ui::lessonArgument(word)) {
        for (const ui::BuiltinLesson &builtin : ui::builtinLessons())
            if (builtin.id == *lesson)
                return true;
        return false;
    }
    if (word.startsWith('-') || isHelpWord(word) || findCommand(word))
        return false;
    return QFileInfo(word).isFile();
}

bool hasDisplay(int argc, char **argv)
{
#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS)
    const QStringList arguments = argumentsOf(argc, argv);
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        bool takesValue = false;
        if (qtOption(arguments.at(i), &takesValue) == "platform")
            return true;
    }
    return !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") || !qEnvironmentVariableIsEmpty("DISPLAY")
           || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
#else
    Q_UNUSED(argc);
    Q_UNUSED(argv);
    return true;
#endif
}

int runCli(int argc, char **argv)
{
    cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
    // Qt's own options are the window's; the commands do without them.
    std::vector<char *> kept;
    {
        int at = 0;
        const QStringList arguments = argumentsOf(argc, argv);
        for (const QString &argument : withoutQtOptions(arguments)) {
            while (arguments.at(at) != argument)
                ++at;
            kept.push_back(argv[at++]);
        }
    }
    int keptCount = static_cast<int>(kept.size());
    kept.push_back(nullptr);
    // render draws text, and the built-in lessons draw their samples, which needs a
    // QGuiApplication; always offscreen, since it shows nothing and must run where no display
    // is. The other commands stay free of any GUI.
    bool drawing = keptCount > 1 && std::string(kept[1]) == "render";
    for (int i = 1; i < keptCount; ++i)
        drawing = drawing || ui::lessonArgument(QString::fromLocal8Bit(kept[size_t(i)])).has_value();
    if (drawing) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
        qInstallMessageHandler(quietQtMessages);
    }
    const std::unique_ptr<QCoreApplication> app = drawing ? std::make_unique<QGuiApplication>(keptCount, kept.data())
                                                          : std::make_unique<QCoreApplication>(keptCount, kept.data());
    QCoreApplication::setApplicationName(QStringLiteral("padlab"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PADLAB_VERSION));
    try {
        return dispatch(QCoreApplication::arguments());
    } catch (const CannotExpress &refusal) {
        printLine(stderr, "padlab: " + oneLine(QString::fromStdString(refusal.what())));
        return kExitCannotExpress;
    } catch (const CliError &error) {
        return fail(QString::fromStdString(error.what()));
    } catch (const core::Error &error) {
        return fail(QString::fromStdString(error.what()));
    } catch (const cv::Exception &error) {
        return fail("OpenCV: " + QString::fromStdString(error.err.empty() ? error.msg : error.err));
    } catch (const std::bad_alloc &) {
        return fail(QStringLiteral("out of memory"));
    } catch (const std::exception &error) {
        return fail(QString::fromStdString(error.what()));
    }
}

} // namespace padlab

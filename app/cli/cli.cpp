#include "cli.h"

#include "commands.h"
#include "help.h"

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
#include <string>

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

bool opensWindow(int argc, char **argv)
{
    if (argc == 1)
        return true;
    if (argc != 2)
        return false;
    const QString word = QString::fromLocal8Bit(argv[1]);
    if (word.startsWith('-') || isHelpWord(word) || findCommand(word))
        return false;
    return QFileInfo(word).isFile();
}

bool hasDisplay()
{
#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS)
    return !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") || !qEnvironmentVariableIsEmpty("DISPLAY")
           || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
#else
    return true;
#endif
}

int runCli(int argc, char **argv)
{
    cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
    // render draws text, which needs a QGuiApplication; always offscreen, since it shows nothing
    // and must run where no display is. The other commands stay free of any GUI.
    const bool render = argc > 1 && std::string(argv[1]) == "render";
    if (render)
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (render)
        qInstallMessageHandler(quietQtMessages);
    const std::unique_ptr<QCoreApplication> app =
        render ? std::make_unique<QGuiApplication>(argc, argv) : std::make_unique<QCoreApplication>(argc, argv);
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

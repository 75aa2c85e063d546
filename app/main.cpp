#include "cli.h"
#include "mainwindow.h"

#include <QApplication>
#include <QIcon>
#include <cstring>

namespace {

// The window opens with no arguments, or with one argument naming a file; every subcommand
// and option goes to the headless command line, which never needs a display.
bool wantsWindow(int argc, char **argv)
{
    if (argc == 1)
        return true;
    if (argc != 2 || argv[1][0] == '-')
        return false;
    for (const char *command : {"pad", "conv", "shape", "summary", "render", "help"})
        if (std::strcmp(argv[1], command) == 0)
            return false;
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    if (!wantsWindow(argc, argv))
        return padlab::runCli(argc, argv);

    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("PadLab"));
    QCoreApplication::setApplicationName(QStringLiteral("PadLab"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PADLAB_VERSION));
    QGuiApplication::setDesktopFileName(QStringLiteral("padlab"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/padlab.svg")));

    padlab::ui::MainWindow window;
    window.show();
    if (argc == 2)
        window.openFileWhenShown(QString::fromLocal8Bit(argv[1]));
    return app.exec();
}

#include "cli.h"
#include "mainwindow.h"
#include "matrixpool.h"

#include <QApplication>
#include <QIcon>

#include <cstdio>

int main(int argc, char **argv)
{
    padlab::ui::MatrixPool::install();
    if (!padlab::opensWindow(argc, argv))
        return padlab::runCli(argc, argv);
    // Qt would abort without a display; say so in one line instead.
    if (!padlab::hasDisplay(argc, argv)) {
        std::fputs("padlab: error: no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set); "
                   "the commands run without one, see 'padlab --help'\n",
                   stderr);
        return padlab::kExitError;
    }

    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("PadLab"));
    QCoreApplication::setApplicationName(QStringLiteral("PadLab"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PADLAB_VERSION));
    QGuiApplication::setDesktopFileName(QStringLiteral("padlab"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/padlab.svg")));

    padlab::ui::MainWindow window;
    window.show();
    // Qt took the options it knows; the ones it keeps for other platforms are not a file.
    const QStringList arguments = padlab::withoutQtOptions(QCoreApplication::arguments());
    if (arguments.size() == 2)
        window.openFileWhenShown(arguments.at(1));
    return app.exec();
}

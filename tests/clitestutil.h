#pragma once

// Shared by the suites that run the padlab executable: one run and what it gave, files in and
// out of a temporary folder.

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStringList>
#include <QTest>

namespace padlab::test {

/// @brief What one run of the padlab executable gave.
struct Run {
    bool finished = false;
    bool crashed = true;
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

/// @brief A change to padlab's environment: the variable set to the value, or removed when the
/// value is null.
using EnvironmentChange = QPair<QString, QString>;

/// @brief Runs padlab with @p arguments in @p folder, headless: without a display, so that a
/// command that opened the window would fail. @p changes are applied after that, e.g. to name a
/// platform that could show the window, or to name none.
inline Run runPadlab(const QString &folder, const QStringList &arguments,
                     const QList<EnvironmentChange> &changes = {})
{
    QProcess process;
    process.setWorkingDirectory(folder);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("DISPLAY"));
    environment.remove(QStringLiteral("WAYLAND_DISPLAY"));
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("no-such-platform"));
    for (const auto &[name, value] : changes) {
        if (value.isNull())
            environment.remove(name);
        else
            environment.insert(name, value);
    }
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(PADLAB_EXECUTABLE), arguments);
    Run result;
    result.finished = process.waitForFinished(60000);
    result.crashed = process.exitStatus() != QProcess::NormalExit;
    result.exitCode = process.exitCode();
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

inline QByteArray readBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

inline bool writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

/// @brief Every entry of @p folder, hidden ones too: what a failed run must leave as it was.
inline QStringList entries(const QString &folder)
{
    return QDir(folder).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System,
                                  QDir::Name);
}

} // namespace padlab::test

/// @brief The run succeeded: exit status 0, nothing on standard error.
#define PADLAB_VERIFY_SUCCESS(result)                                                              \
    do {                                                                                           \
        QVERIFY((result).finished);                                                                \
        QVERIFY(!(result).crashed);                                                                \
        QVERIFY2((result).exitCode == 0, (result).err.constData());                                \
        QVERIFY2((result).err.isEmpty(), (result).err.constData());                                \
    } while (false)

#include "padlab/core/error.h"
#include "padlab/core/files.h"

#include <QDir>
#include <QFile>
#include <QObject>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <functional>
#include <optional>
#include <string>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace padlab::core;

namespace {

/// The message of the Error @p call throws, or a null string when it throws none.
QString errorOf(const std::function<void()> &call)
{
    try {
        call();
    } catch (const Error &e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

std::string local(const QString &path)
{
    return QFile::encodeName(path).toStdString();
}

QByteArray contentOf(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<unreadable>");
}

bool write(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

mode_t modeOf(const QString &path)
{
    struct stat st = {};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? st.st_mode : 0;
}

mode_t currentUmask()
{
    const mode_t mask = ::umask(0);
    ::umask(mask);
    return mask;
}

} // namespace

class TestFiles : public QObject {
    Q_OBJECT

private slots:
    void init();

    void readsRegularFiles();
    void refusesWhatIsNotARegularFile_data();
    void refusesWhatIsNotARegularFile();
    void refusesFilesOverTheLimit();

    void outputReplacesOnlyFiles_data();
    void outputReplacesOnlyFiles();
    void outputKeepsMode_data();
    void outputKeepsMode();
    void outputThroughSymbolicLink();
    void outputNewFileHasUsualMode();
    void failedOutputLeavesNothing();
    void outputCopiesFromDescriptor();
    void outputNamesAsLongAsAllowed();

    void scratchFileNameGoesFirst();
    void signalRemovesScratchFile_data();
    void signalRemovesScratchFile();

    void pathInside_data();
    void pathInside();

private:
    QString path(const QString &name) const { return m_dir->filePath(name); }
    QStringList entries() const
    {
        return QDir(m_dir->path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                                             QDir::Name);
    }

    std::optional<QTemporaryDir> m_dir;
};

void TestFiles::init()
{
    m_dir.emplace();
    QVERIFY(m_dir->isValid());
}

void TestFiles::readsRegularFiles()
{
    QVERIFY(write(path("data.csv"), "1,2\n3,4\n"));
    QCOMPARE(QByteArray::fromStdString(readRegularFile(local(path("data.csv")), 100, "CSV file")),
             QByteArray("1,2\n3,4\n"));
    QVERIFY(QFile::link(path("data.csv"), path("link.csv")));
    QCOMPARE(QByteArray::fromStdString(readRegularFile(local(path("link.csv")), 100, "CSV file")),
             QByteArray("1,2\n3,4\n"));
    QVERIFY(write(path("empty.csv"), ""));
    QCOMPARE(readRegularFile(local(path("empty.csv")), 100, "CSV file"), std::string());
    // A file the size reports as empty (as /proc files do) is still read to its end.
    QVERIFY(!readRegularFile("/proc/self/status", 1 << 20, "file").empty());
}

void TestFiles::refusesWhatIsNotARegularFile_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("mention");
    QTest::newRow("/dev/zero") << "/dev/zero" << "device";
    QTest::newRow("link to /dev/zero") << "zero.csv" << "device";
    QTest::newRow("FIFO") << "pipe.csv" << "FIFO";
    QTest::newRow("folder") << "folder.csv" << "folder";
    QTest::newRow("missing") << "absent.csv" << "cannot open";
}

void TestFiles::refusesWhatIsNotARegularFile()
{
    QFETCH(QString, name);
    QFETCH(QString, mention);
    QVERIFY(QFile::link(QStringLiteral("/dev/zero"), path("zero.csv")));
    QCOMPARE(::mkfifo(local(path("pipe.csv")).c_str(), 0600), 0);
    QVERIFY(QDir().mkpath(path("folder.csv")));
    const QString file = name.startsWith('/') ? name : path(name);
    // A FIFO without a writer: reading would wait forever, so the refusal must come first.
    const QString message = errorOf([&] { readRegularFile(local(file), 1000, "CSV file"); });
    QVERIFY2(message.contains(file), qPrintable(message));
    QVERIFY2(message.contains(mention), qPrintable(message));
}

void TestFiles::refusesFilesOverTheLimit()
{
    // A sparse file: its size is what counts, not what it costs on disk.
    QFile big(path("big.csv"));
    QVERIFY(big.open(QIODevice::WriteOnly));
    QVERIFY(big.resize(qint64(kMaxCsvBytes) + 1));
    big.close();
    const QString message = errorOf([&] { readRegularFile(local(path("big.csv")), kMaxCsvBytes, "CSV file"); });
    QVERIFY2(message.contains("256 MB"), qPrintable(message));
    QVERIFY2(message.contains("CSV file"), qPrintable(message));
    QVERIFY(write(path("small.csv"), QByteArray(10, '1')));
    QVERIFY(!errorOf([&] { readRegularFile(local(path("small.csv")), 9, "CSV file"); }).isNull());
    QVERIFY(errorOf([&] { readRegularFile(local(path("small.csv")), 10, "CSV file"); }).isNull());
}

void TestFiles::outputReplacesOnlyFiles_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("mention");
    QTest::newRow("FIFO") << "pipe.csv" << "FIFO";
    QTest::newRow("folder") << "folder.csv" << "folder";
    QTest::newRow("link to /dev/null") << "null.csv" << "device";
    QTest::newRow("link to /dev/full") << "full.csv" << "device";
    QTest::newRow("missing folder") << "none/out.csv" << "does not exist";
    QTest::newRow("empty name") << "" << "empty";
}

void TestFiles::outputReplacesOnlyFiles()
{
    QFETCH(QString, name);
    QFETCH(QString, mention);
    QCOMPARE(::mkfifo(local(path("pipe.csv")).c_str(), 0600), 0);
    QVERIFY(QDir().mkpath(path("folder.csv")));
    QVERIFY(QFile::link(QStringLiteral("/dev/null"), path("null.csv")));
    QVERIFY(QFile::link(QStringLiteral("/dev/full"), path("full.csv")));
    const QStringList before = entries();
    const std::string target = name.isEmpty() ? std::string() : local(path(name));
    const auto problem = outputProblem(target);
    QVERIFY(problem.has_value());
    QVERIFY2(QString::fromStdString(*problem).contains(mention), problem->c_str());
    const QString message = errorOf([&] { writeOutputFile(target, "1\n"); });
    QVERIFY2(message.contains(mention), qPrintable(message));
    QCOMPARE(entries(), before);
    struct stat st = {};
    QCOMPARE(::lstat(local(path("pipe.csv")).c_str(), &st), 0);
    QVERIFY(S_ISFIFO(st.st_mode));
    QCOMPARE(::stat("/dev/full", &st), 0);
    QVERIFY(S_ISCHR(st.st_mode));
}

void TestFiles::outputKeepsMode_data()
{
    QTest::addColumn<int>("mode");
    QTest::newRow("0444") << 0444;
    QTest::newRow("0600") << 0600;
    QTest::newRow("0755") << 0755;
    QTest::newRow("0640") << 0640;
}

void TestFiles::outputKeepsMode()
{
    QFETCH(int, mode);
    QVERIFY(write(path("out.csv"), "old\n"));
    QCOMPARE(::chmod(local(path("out.csv")).c_str(), mode_t(mode)), 0);
    const mode_t before = modeOf(path("out.csv"));
    writeOutputFile(local(path("out.csv")), "new\n");
    QCOMPARE(contentOf(path("out.csv")), QByteArray("new\n"));
    // Compared as a whole: a process run as root may write a 0444 file, so only the mode tells.
    QCOMPARE(modeOf(path("out.csv")), before);
    QCOMPARE(entries(), QStringList{"out.csv"});
}

void TestFiles::outputThroughSymbolicLink()
{
    QVERIFY(QDir().mkpath(path("data")));
    QVERIFY(write(path("data/target.csv"), "old\n"));
    QCOMPARE(::chmod(local(path("data/target.csv")).c_str(), 0444), 0);
    const mode_t before = modeOf(path("data/target.csv"));
    QCOMPARE(::symlink("data/target.csv", local(path("link.csv")).c_str()), 0);
    // A chain of links is followed to its end.
    QCOMPARE(::symlink("link.csv", local(path("chain.csv")).c_str()), 0);

    OutputFile output(local(path("chain.csv")));
    QCOMPARE(QString::fromStdString(output.target()), path("data/target.csv"));
    output.write("new\n");
    output.commit();

    struct stat st = {};
    QCOMPARE(::lstat(local(path("link.csv")).c_str(), &st), 0);
    QVERIFY(S_ISLNK(st.st_mode));
    QCOMPARE(::lstat(local(path("chain.csv")).c_str(), &st), 0);
    QVERIFY(S_ISLNK(st.st_mode));
    QCOMPARE(contentOf(path("chain.csv")), QByteArray("new\n"));
    QCOMPARE(modeOf(path("data/target.csv")), before);
    QCOMPARE(QDir(path("data")).entryList(QDir::Files | QDir::Hidden), QStringList{"target.csv"});

    // A link to a file that does not exist yet creates that file, and keeps the link.
    QCOMPARE(::symlink("data/later.csv", local(path("later.csv")).c_str()), 0);
    writeOutputFile(local(path("later.csv")), "made\n");
    QCOMPARE(contentOf(path("data/later.csv")), QByteArray("made\n"));
    QVERIFY(QFileInfo(path("later.csv")).isSymLink());
}

void TestFiles::outputNewFileHasUsualMode()
{
    writeOutputFile(local(path("fresh.csv")), "1\n");
    QCOMPARE(modeOf(path("fresh.csv")) & 07777, mode_t(0666 & ~currentUmask()));
}

void TestFiles::failedOutputLeavesNothing()
{
    QVERIFY(write(path("out.csv"), "old\n"));
    {
        OutputFile output(local(path("out.csv")));
        output.write("half of a ");
        // Destroyed without commit(), as when an exception unwinds past it.
    }
    QCOMPARE(contentOf(path("out.csv")), QByteArray("old\n"));
    QCOMPARE(entries(), QStringList{"out.csv"});
    {
        OutputFile output(local(path("new.csv")));
        output.write("never\n");
    }
    QCOMPARE(entries(), QStringList{"out.csv"});
}

void TestFiles::outputCopiesFromDescriptor()
{
    QVERIFY(write(path("source.bin"), QByteArray(200000, 'x') + "end"));
    const int fd = ::open(local(path("source.bin")).c_str(), O_RDONLY);
    QVERIFY(fd >= 0);
    OutputFile output(local(path("copy.bin")));
    output.writeFrom(fd);
    output.commit();
    ::close(fd);
    QCOMPARE(contentOf(path("copy.bin")), QByteArray(200000, 'x') + "end");
}

void TestFiles::outputNamesAsLongAsAllowed()
{
    const QString name = QString(250, 'k') + ".json";
    writeOutputFile(local(path(name)), "one\n");
    writeOutputFile(local(path(name)), "two\n");
    QCOMPARE(contentOf(path(name)), QByteArray("two\n"));
    QCOMPARE(entries(), QStringList{name});
}

void TestFiles::scratchFileNameGoesFirst()
{
    ScratchFile scratch(local(m_dir->path()), ".mp4");
    const QString name = QString::fromStdString(scratch.path());
    QVERIFY(name.endsWith(".mp4"));
    QVERIFY(QFileInfo(name).fileName().startsWith('.'));
    QVERIFY(QFileInfo::exists(name));
    QCOMPARE(::write(scratch.descriptor(), "abc", 3), ssize_t(3));
    scratch.unlinkName();
    QVERIFY(!QFileInfo::exists(name));
    QCOMPARE(entries(), QStringList());
    char bytes[3] = {};
    QCOMPARE(::pread(scratch.descriptor(), bytes, 3, 0), ssize_t(3));
    QCOMPARE(QByteArray(bytes, 3), QByteArray("abc"));
}

void TestFiles::signalRemovesScratchFile_data()
{
    QTest::addColumn<int>("signal");
    QTest::newRow("SIGTERM") << int(SIGTERM);
    QTest::newRow("SIGINT") << int(SIGINT);
    QTest::newRow("SIGHUP") << int(SIGHUP);
}

void TestFiles::signalRemovesScratchFile()
{
    QFETCH(int, signal);
    const std::string folder = local(m_dir->path());
    // More than the clean-up table holds, made and gone: each gives its place back.
    for (int i = 0; i < 40; ++i)
        ScratchFile(folder, ".tmp").unlinkName();
    const pid_t child = ::fork();
    QVERIFY(child >= 0);
    if (child == 0) {
        // The child restores the default action (the test runner handles some signals itself),
        // makes a named scratch file and is stopped by the signal while it exists.
        std::signal(signal, SIG_DFL);
        ScratchFile scratch(folder, ".mp4");
        ::raise(signal);
        ::_exit(0);
    }
    int status = 0;
    QCOMPARE(::waitpid(child, &status, 0), child);
    QVERIFY(WIFSIGNALED(status));
    QCOMPARE(WTERMSIG(status), signal);
    QCOMPARE(entries(), QStringList());
}

void TestFiles::pathInside_data()
{
    QTest::addColumn<QString>("relative");
    QTest::addColumn<QString>("expected"); // relative to the lesson folder; null: refused
    QTest::newRow("beside") << "a.csv" << "a.csv";
    QTest::newRow("below") << "sub/b.csv" << "sub/b.csv";
    QTest::newRow("dot segments") << "./sub/../a.csv" << "a.csv";
    QTest::newRow("missing file inside") << "nothing.csv" << "nothing.csv";
    QTest::newRow("missing folder, then up") << "nothing/../a.csv" << "a.csv";
    QTest::newRow("link inside, relative") << "inner.csv" << "sub/b.csv";
    QTest::newRow("link inside, absolute") << "absolute-inner.csv" << "sub/b.csv";
    QTest::newRow("folder link inside") << "subling/b.csv" << "sub/b.csv";
    QTest::newRow("climbs out") << "../secret.csv" << QString();
    QTest::newRow("climbs out and back") << "../lesson/a.csv" << QString();
    QTest::newRow("climbs out below") << "sub/../../secret.csv" << QString();
    QTest::newRow("absolute") << "/etc/passwd" << QString();
    QTest::newRow("link out, relative") << "out.csv" << QString();
    QTest::newRow("link out, absolute") << "absolute-out.csv" << QString();
    QTest::newRow("link out to a missing file") << "dangling.csv" << QString();
    QTest::newRow("folder link out") << "outside/secret.csv" << QString();
    QTest::newRow("link loop") << "loop.csv" << QString();
    QTest::newRow("empty") << "" << QString();
}

void TestFiles::pathInside()
{
    QFETCH(QString, relative);
    QFETCH(QString, expected);
    const QString lesson = path("lesson");
    QVERIFY(QDir().mkpath(lesson + "/sub"));
    QVERIFY(write(lesson + "/a.csv", "1\n"));
    QVERIFY(write(lesson + "/sub/b.csv", "2\n"));
    QVERIFY(write(path("secret.csv"), "password=hunter2\n"));
    const auto link = [&](const QString &target, const QString &name) {
        return ::symlink(local(target).c_str(), local(lesson + "/" + name).c_str()) == 0;
    };
    QVERIFY(link("sub/b.csv", "inner.csv"));
    QVERIFY(link(QFileInfo(lesson).canonicalFilePath() + "/sub/b.csv", "absolute-inner.csv"));
    QVERIFY(link("sub", "subling"));
    QVERIFY(link("../secret.csv", "out.csv"));
    QVERIFY(link(path("secret.csv"), "absolute-out.csv"));
    QVERIFY(link("../no-such-file.csv", "dangling.csv"));
    QVERIFY(link("..", "outside"));
    QVERIFY(link("loop.csv", "loop.csv"));

    const auto inside = padlab::core::pathInside(local(lesson), local(relative));
    if (expected.isNull()) {
        QVERIFY2(!inside, inside ? inside->c_str() : "");
        return;
    }
    QVERIFY(inside.has_value());
    const QString canonical = QFileInfo(lesson).canonicalFilePath();
    QCOMPARE(QString::fromStdString(*inside), canonical + "/" + expected);
}

QTEST_GUILESS_MAIN(TestFiles)
#include "tst_files.moc"

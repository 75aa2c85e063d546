// The hostile files and absurd settings of issue 9, each through the real executable: what a
// stranger's file or a careless command line may ask for, and what padlab must answer instead
// of crashing, hanging, reading elsewhere or spending gigabytes.
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <csignal>
#include <cstdint>
#include <optional>

#include <fcntl.h>
#include <pty.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace {

struct Run {
    bool finished = false;
    bool crashed = false;
    int exitCode = -1; ///< the signal's number when crashed
    QByteArray out;
    QByteArray err;
    qint64 milliseconds = 0;
};

/// The largest resident memory any child of this test has had, in bytes.
long long childrenPeakBytes()
{
    struct rusage usage = {};
    getrusage(RUSAGE_CHILDREN, &usage);
    return usage.ru_maxrss * 1024LL;
}

void writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    QCOMPARE(file.write(bytes), bytes.size());
}

QByteArray readBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<unreadable>");
}

std::uint32_t crc32(const QByteArray &data)
{
    std::uint32_t crc = 0xFFFFFFFFu;
    for (const char ch : data) {
        crc ^= std::uint8_t(ch);
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return crc ^ 0xFFFFFFFFu;
}

QByteArray bigEndian(std::uint32_t value)
{
    const char bytes[4] = {char(value >> 24), char(value >> 16), char(value >> 8), char(value)};
    return QByteArray(bytes, 4);
}

QByteArray pngChunk(const QByteArray &type, const QByteArray &data)
{
    return bigEndian(std::uint32_t(data.size())) + type + data + bigEndian(crc32(type + data));
}

/// A PNG that declares @p side x @p side gray pixels and holds a few bytes of them: what counts
/// is that its header says what a 194 KB PNG of zeros says.
QByteArray declaredPng(std::uint32_t side)
{
    const QByteArray header = bigEndian(side) + bigEndian(side) + QByteArray("\x08\x00\x00\x00\x00", 5);
    return QByteArray("\x89PNG\r\n\x1a\n", 8) + pngChunk("IHDR", header) + pngChunk("IDAT", QByteArray(16, '\0'))
           + pngChunk("IEND", {});
}

/// A TIFF of 4 KB whose header declares @p width x @p height 8-bit gray pixels.
QByteArray declaredTiff(std::uint32_t width, std::uint32_t height)
{
    QByteArray t("II*\0\x08\0\0\0", 8);
    const auto put = [&](std::uint32_t value, int bytes) {
        for (int i = 0; i < bytes; ++i)
            t.append(char((value >> (8 * i)) & 0xFF));
    };
    const int entries = 8;
    put(entries, 2);
    const auto entry = [&](int tag, int type, std::uint32_t value) {
        put(tag, 2);
        put(type, 2);
        put(1, 4);
        put(value, 4);
    };
    entry(256, 4, width);
    entry(257, 4, height);
    entry(258, 3, 8);
    entry(259, 3, 8);
    entry(262, 3, 1);
    entry(273, 4, 8 + 2 + 12 * entries + 4);
    entry(278, 4, height);
    entry(279, 4, 64);
    put(0, 4);
    return t + QByteArray(4096 - t.size(), '\0');
}

QByteArray csvOf(int rows, int cols)
{
    QByteArray text;
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c)
            text += QByteArray::number((r * 7 + c * 3) % 10) + (c + 1 < cols ? "," : "\n");
    }
    return text;
}

QByteArray lessonWithInput(const QJsonObject &input, int stride = 1)
{
    const QJsonObject lesson{{"version", 1},
                             {"input", input},
                             {"kernel", QJsonArray{QJsonArray{1, 1}, QJsonArray{1, 1}}},
                             {"stride", QJsonArray{stride, stride}}};
    return QJsonDocument(lesson).toJson();
}

mode_t modeOf(const QString &path)
{
    struct stat st = {};
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 ? st.st_mode : 0;
}

} // namespace

class TestHostile : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void refused_data();
    void refused();
    void answered_data();
    void answered();
    void lessonsReadOnlyTheirFolder_data();
    void lessonsReadOnlyTheirFolder();
    void outsideWhenAllowed();
    void outputsReplaceOnlyFiles_data();
    void outputsReplaceOnlyFiles();
    void outputThroughLinkKeepsMode_data();
    void outputThroughLinkKeepsMode();
    void failedRunKeepsOutput();
    void signalDuringVideoLeavesNothing_data();
    void signalDuringVideoLeavesNothing();
    void progressOnTerminalOnly();

private:
    Run run(const QStringList &arguments, const QStringList &environment = {}, int timeout = 60000,
            int terminal = -1) const;
    QString path(const QString &name) const { return m_dir->filePath(name); }
    QStringList entries(const QString &folder = {}) const
    {
        return QDir(folder.isEmpty() ? m_dir->path() : folder)
            .entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDir::Name);
    }

    std::optional<QTemporaryDir> m_dir;
};

Run TestHostile::run(const QStringList &arguments, const QStringList &environment, int timeout,
                     int terminal) const
{
    QProcess process;
    process.setWorkingDirectory(m_dir->path());
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "PADLAB_MAX_MEMORY",
                             "PADLAB_MAX_WORK", "PADLAB_MAX_FRAMES"})
        env.remove(QString::fromLatin1(name));
    for (const QString &pair : environment)
        env.insert(pair.section('=', 0, 0), pair.section('=', 1));
    process.setProcessEnvironment(env);
    if (terminal >= 0)
        process.setChildProcessModifier([terminal] { ::dup2(terminal, STDERR_FILENO); });
    QElapsedTimer timer;
    timer.start();
    process.start(QStringLiteral(PADLAB_EXECUTABLE), arguments);
    Run result;
    result.finished = process.waitForFinished(timeout);
    if (!result.finished) {
        process.kill();
        process.waitForFinished();
    }
    result.milliseconds = timer.elapsed();
    result.crashed = process.exitStatus() != QProcess::NormalExit;
    result.exitCode = process.exitCode();
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

void TestHostile::initTestCase()
{
    QVERIFY2(QFile::exists(QStringLiteral(PADLAB_EXECUTABLE)), PADLAB_EXECUTABLE);
}

void TestHostile::init()
{
    m_dir.emplace();
    QVERIFY(m_dir->isValid());
    writeBytes(path("m.csv"), "1,2,3\n4,5,6\n7,8,9\n");
    writeBytes(path("ten.csv"), csvOf(10, 10));
    writeBytes(path("huge.csv"), "1e308,1e308\n1e308,1e308\n");
    writeBytes(path("dicom.png"), QByteArray(128, '\0') + "DICM");
    // A WebP header that OpenCV's WebP decoder turns down, with the DICOM marker at 128: the
    // DICOM decoder took it and aborted.
    writeBytes(path("dicom.webp"),
               QByteArray::fromBase64("UklGRjwAAABXRUJQVlA4IP//TU0AKgAAAAgACQEAAAMAAP///////////wABAAMAAAEBAAMAAAABAAIA"
                                      "AAECAAMAAAABAAgAAAEDAAMAAAABAAEAAAEGAAMAAAABAAEAAAERAAQAAAABAAAAev////8BFQADAAAA"
                                      "AQABAAABFgBESUNNBAAAAD8/AP//BQ=="));
    writeBytes(path("bomb.tif"), declaredTiff(20000, 20000));
    writeBytes(path("bomb.pam"), QByteArray("P7\nWIDTH 30000\nHEIGHT 30000\nDEPTH 1\nMAXVAL 255\nTUPLTYPE GRAYSCALE\n"
                                            "ENDHDR\n")
                                     + QByteArray(100, '\0'));
    writeBytes(path("bomb.pfm"), QByteArray("Pf\n30000 30000\n-1.0\n") + QByteArray(100, '\0'));
    writeBytes(path("big.png"), declaredPng(14142));
    writeBytes(path("tiff.padlab.json"), lessonWithInput({{"path", "bomb.tif"}}));
    writeBytes(path("stride.padlab.json"),
               lessonWithInput({{"matrix", QJsonArray{QJsonArray{1, 2, 3}, QJsonArray{4, 5, 6}, QJsonArray{7, 8, 9}}}},
                               1'000'000'000));
    QVERIFY(QFile::link("/dev/zero", path("zero.csv")));
    QVERIFY(QFile::link("/dev/zero", path("zero.padlab.json")));
    QCOMPARE(::mkfifo(QFile::encodeName(path("pipe.csv")).constData(), 0600), 0);
    QCOMPARE(::mkfifo(QFile::encodeName(path("pipe.padlab.json")).constData(), 0600), 0);
    QVERIFY(QDir(m_dir->path()).mkdir("folder.csv"));
}

void TestHostile::refused_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QStringList>("environment");
    QTest::addColumn<QStringList>("mentions");

    const auto row = [](const char *name, QStringList arguments, QStringList mentions, QStringList environment = {}) {
        QTest::newRow(name) << arguments << environment << mentions;
    };
    // Hostile images: refused from their first bytes, never handed to a decoder.
    row("DICOM file named .png (once aborted)", {"conv", "dicom.png", "--kernel", "box-3"},
        {"dicom.png: DICOM images cannot be read"});
    row("WebP header with the DICOM marker at 128 (found by fuzz_image, aborted)",
        {"conv", "dicom.webp", "--kernel", "box-3"}, {"dicom.webp: DICOM images cannot be read"});
    row("TIFF declaring 20000x20000 (once 8.9 GB, 116 s)", {"conv", "bomb.tif", "--kernel", "box-3"},
        {"bomb.tif", "20000x20000", "not decoded"});
    row("the TIFF through a lesson", {"render", "tiff.padlab.json", "-o", "out.png"}, {"20000x20000"});
    row("PAM declaring 30000x30000", {"conv", "bomb.pam", "--kernel", "box-3"}, {"PAM images cannot be read"});
    row("PFM declaring 30000x30000", {"pad", "bomb.pfm", "--color"}, {"PFM images cannot be read"});
    // Absurd settings: refused by the budget from the sizes alone.
    row("pad of 10^8 rows (once 5.7 GB)", {"pad", "m.csv", "--pad", "100000000,0,0,0"},
        {"the computation needs about", "the limit is 4 GB", "--max-memory"});
    row("conv with a pad of 10^8 rows", {"conv", "m.csv", "--kernel", "box-3", "--pad", "100000000,0,0,0"},
        {"the computation needs about", "the padded input", "the limit is 4 GB"});
    row("compare of a 14142x14142 PNG (once 21.9 GB)", {"render", "big.png", "--view", "compare", "-o", "cmp.png"},
        {"the limit is 4 GB", "difference maps"});
    row("stages of a 14142x14142 PNG", {"render", "big.png", "--view", "stages", "-o", "stages.png"},
        {"the limit is 4 GB", "the stages"});
    row("animation past the frame limit", {"render", "ten.csv", "--pad", "valid", "-o", "many.gif", "--max-frames", "10"},
        {"64 frames", "the limit is 10", "--max-frames"});
    row("memory limit from the option", {"conv", "m.csv", "--kernel", "box-3", "--max-memory", "100"},
        {"the limit is 100 bytes"});
    row("memory limit from the environment", {"conv", "m.csv", "--kernel", "box-3"}, {"the limit is 100 bytes"},
        {"PADLAB_MAX_MEMORY=100"});
    row("multiply-add limit", {"conv", "ten.csv", "--kernel", "box-5", "--max-work", "100"},
        {"multiply-adds", "the limit is 100", "--max-work"});
    row("malformed limit", {"conv", "m.csv", "--kernel", "box-3", "--max-memory", "lots"},
        {"--max-memory: 'lots' is not a limit"});
    row("malformed environment", {"conv", "m.csv", "--kernel", "box-3"}, {"PADLAB_MAX_FRAMES", "'-3'"},
        {"PADLAB_MAX_FRAMES=-3"});
    // Special files: refused at once, nothing read, nothing waited for.
    row("/dev/zero as input", {"conv", "/dev/zero", "--kernel", "box-3"}, {"/dev/zero", "device"});
    row("link to /dev/zero as input", {"conv", "zero.csv", "--kernel", "box-3"}, {"zero.csv", "device"});
    row("FIFO as input", {"pad", "pipe.csv"}, {"pipe.csv", "FIFO"});
    row("folder as input", {"pad", "folder.csv"}, {"folder.csv", "folder"});
    row("/dev/zero as lesson", {"render", "zero.padlab.json", "-o", "out.png"}, {"zero.padlab.json", "device"});
    row("FIFO as lesson (once blocked forever)", {"render", "pipe.padlab.json", "-o", "out.png"},
        {"pipe.padlab.json", "FIFO"});
    // Numbers that overflow.
    row("1e308 inputs summed", {"conv", "huge.csv", "--kernel", "1,1;1,1"},
        {"not finite", "row 1, column 1 is inf"});
    row("1e308 inputs to an image", {"conv", "huge.csv", "--kernel", "1,1;1,1", "-o", "huge.png"},
        {"row 1, column 1 is inf"});
    row("an image wider than its encoder takes", {"pad", "m.csv", "--pad", "0,0,600000,600000", "-o", "wide.png"},
        {"wide.png", "the .png encoder refuses an image of 1200003x3 pixels"});
}

void TestHostile::refused()
{
    QFETCH(QStringList, arguments);
    QFETCH(QStringList, environment);
    QFETCH(QStringList, mentions);
    const QStringList before = entries();
    const Run result = run(arguments, environment, 20000);
    QVERIFY2(result.finished, "still running after 20 s");
    QVERIFY2(!result.crashed, result.err.constData());
    QCOMPARE(result.exitCode, 2);
    const QString err = QString::fromUtf8(result.err);
    QVERIFY2(err.startsWith("padlab: error: ") && err.count('\n') == 1, qPrintable(err));
    for (const QString &mention : mentions)
        QVERIFY2(err.contains(mention), qPrintable(err));
    QCOMPARE(result.out, QByteArray());
    // Nothing written, and the refusal came from sizes, not from trying: a few seconds and a
    // few hundred megabytes at most, where the requests asked for minutes and gigabytes.
    QCOMPARE(entries(), before);
    QVERIFY2(result.milliseconds < 10000, qPrintable(QString::number(result.milliseconds)));
    QVERIFY2(childrenPeakBytes() < 400'000'000, qPrintable(QString::number(childrenPeakBytes())));
}

void TestHostile::answered_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QStringList>("environment");
    QTest::addColumn<QByteArray>("out");
    QTest::addColumn<QByteArray>("written"); // what out.csv holds afterwards, when it is written
    // A stride larger than the padded input leaves one window: a 1x1 output, at once.
    QTest::newRow("stride of a billion (once 19.6 GB)")
        << QStringList{"conv", "m.csv", "--kernel", "1,1,1;1,1,1;1,1,1", "--stride", "1000000000"} << QStringList{}
        << QByteArray("45\n") << QByteArray();
    QTest::newRow("stride of a billion, same")
        << QStringList{"conv", "m.csv", "--kernel", "1,1;1,1", "--stride", "1000000000", "--pad", "same"}
        << QStringList{} << QByteArray("12\n") << QByteArray();
    QTest::newRow("dilation of a billion and a 2-cell kernel")
        << QStringList{"conv", "m.csv", "--kernel", "1,1", "--dilation", "1x999999999"} << QStringList{}
        << QByteArray() << QByteArray();
    // Found by fuzzing: OpenCV alone mirrors a border one input width at a time (minutes here).
    QTest::newRow("reflect a million times wider than the input")
        << QStringList{"pad", "m.csv", "--pad", "0,0,1000000,1000000", "--fill", "reflect", "-o", "wide.csv"}
        << QStringList{} << QByteArray() << QByteArray();
    QTest::newRow("stride of a billion through a lesson")
        << QStringList{"render", "stride.padlab.json", "--view", "output", "-o", "out.csv"} << QStringList{}
        << QByteArray() << QByteArray("12\n");
    QTest::newRow("the option overrides the environment")
        << QStringList{"conv", "m.csv", "--kernel", "1", "--max-memory", "1G"} << QStringList{"PADLAB_MAX_MEMORY=100"}
        << QByteArray("1,2,3\n4,5,6\n7,8,9\n") << QByteArray();
    // A valid 3x3 walk over 10x10 is 64 steps; every 8th and the last: 9 frames, exactly the limit.
    QTest::newRow("frames within a raised limit")
        << QStringList{"render", "ten.csv", "--pad", "valid", "-o", "many.gif", "--every", "8"} << QStringList{"PADLAB_MAX_FRAMES=9"}
        << QByteArray() << QByteArray();
}

void TestHostile::answered()
{
    QFETCH(QStringList, arguments);
    QFETCH(QStringList, environment);
    QFETCH(QByteArray, out);
    QFETCH(QByteArray, written);
    const Run result = run(arguments, environment, 20000);
    QVERIFY2(result.finished && !result.crashed, result.err.constData());
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QCOMPARE(result.out, out);
    QVERIFY2(result.milliseconds < 10000, qPrintable(QString::number(result.milliseconds)));
    QVERIFY2(childrenPeakBytes() < 400'000'000, qPrintable(QString::number(childrenPeakBytes())));
    if (!written.isEmpty())
        QCOMPARE(readBytes(path("out.csv")), written);
}

void TestHostile::lessonsReadOnlyTheirFolder_data()
{
    QTest::addColumn<QString>("input"); // input.path as the lesson writes it; %1 is the test folder
    QTest::newRow("absolute path to a file") << "%1/secret.csv";
    QTest::newRow("absolute path to nothing") << "%1/missing.csv";
    QTest::newRow("climbs out to a file") << "../secret.csv";
    QTest::newRow("climbs out to nothing") << "../missing.csv";
    QTest::newRow("link inside to a file outside") << "link.csv";
    QTest::newRow("link inside to nothing outside") << "dangling.csv";
    QTest::newRow("private key") << "/root/.ssh/id_rsa";
}

void TestHostile::lessonsReadOnlyTheirFolder()
{
    QFETCH(QString, input);
    writeBytes(path("secret.csv"), "password=hunter2\n");
    QVERIFY(QDir(m_dir->path()).mkdir("course"));
    QVERIFY(QFile::link("../secret.csv", path("course/link.csv")));
    QVERIFY(QFile::link("../missing.csv", path("course/dangling.csv")));
    const QString named = input.contains("%1") ? input.arg(m_dir->path()) : input;
    writeBytes(path("course/lesson.padlab.json"), lessonWithInput({{"path", named}}));
    const Run result = run({"render", "course/lesson.padlab.json", "-o", "out.png"});
    QVERIFY(result.finished && !result.crashed);
    QCOMPARE(result.exitCode, 2);
    const QString err = QString::fromUtf8(result.err);
    QVERIFY2(err.contains("input.path: '" + named + "' lies outside the lesson's folder"), qPrintable(err));
    QVERIFY2(err.contains("--allow-outside-paths"), qPrintable(err));
    // Nothing of the file, and nothing that tells whether it exists: the message is the same
    // for a file and for nothing at all.
    for (const char *leak : {"hunter2", "password", "no such file", "exist", "cannot open", "line 1"})
        QVERIFY2(!err.contains(QLatin1String(leak)), qPrintable(err));
    QVERIFY(!QFileInfo::exists(path("out.png")));
}

void TestHostile::outsideWhenAllowed()
{
    writeBytes(path("secret.csv"), "password=hunter2\n");
    writeBytes(path("good.csv"), "1,2,3\n4,5,6\n");
    QVERIFY(QDir(m_dir->path()).mkdir("course"));
    writeBytes(path("course/secret.padlab.json"), lessonWithInput({{"path", "../secret.csv"}}));
    writeBytes(path("course/good.padlab.json"), lessonWithInput({{"path", "../good.csv"}}));
    const QStringList allow{"--allow-outside-paths", "--view", "output", "-o", "out.csv"};

    // Allowed, the file is read; still no message repeats what it holds.
    Run result = run(QStringList{"render", "course/secret.padlab.json"} + allow);
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains("line 1, column 1: not a finite number"), result.err.constData());
    QVERIFY2(!result.err.contains("hunter2") && !result.err.contains("password"), result.err.constData());

    result = run(QStringList{"render", "course/good.padlab.json"} + allow);
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QCOMPARE(readBytes(path("out.csv")), QByteArray("12,16\n"));
}

void TestHostile::outputsReplaceOnlyFiles_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("mention");
    const QStringList pad{"pad", "m.csv", "-o"};
    QTest::newRow("FIFO") << pad + QStringList{"pipe.csv"} << "pipe.csv" << "FIFO";
    QTest::newRow("folder") << pad + QStringList{"folder.csv"} << "folder.csv" << "folder";
    QTest::newRow("link to a device") << pad + QStringList{"device.csv"} << "device.csv" << "device";
    QTest::newRow("render to a FIFO") << QStringList{"render", "m.csv", "-o", "pipe.png"} << "pipe.png" << "FIFO";
    QTest::newRow("render to a link to a device")
        << QStringList{"render", "m.csv", "-o", "device.mp4"} << "device.mp4" << "device";
    QTest::newRow("code to a FIFO")
        << QStringList{"code", "m.csv", "--kernel", "1", "--framework", "numpy", "-o", "pipe.py"} << "pipe.py"
        << "FIFO";
}

void TestHostile::outputsReplaceOnlyFiles()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, target);
    QFETCH(QString, mention);
    QCOMPARE(::mkfifo(QFile::encodeName(path("pipe.png")).constData(), 0600), 0);
    QCOMPARE(::mkfifo(QFile::encodeName(path("pipe.py")).constData(), 0600), 0);
    // A device of this test's own (like /dev/full: 1, 7), so that a failure replaces nothing of
    // the system's; making one needs root.
    const QString device = path("full");
    if (::mknod(QFile::encodeName(device).constData(), S_IFCHR | 0666, makedev(1, 7)) != 0 && target.startsWith("device"))
        QSKIP("no device node can be made here (not root, or a nodev file system)");
    QVERIFY(QFile::link(device, path("device.csv")));
    QVERIFY(QFile::link(device, path("device.mp4")));
    const mode_t before = modeOf(path(target));
    const QStringList filesBefore = entries();

    const Run result = run(arguments, {}, 20000);
    QVERIFY2(result.finished, "still running: it waited for a reader of the FIFO");
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(mention.toUtf8()), result.err.constData());
    QVERIFY2(result.err.contains("only regular files are replaced") || mention == "folder", result.err.constData());
    QCOMPARE(entries(), filesBefore);
    QCOMPARE(modeOf(path(target)), before);
    struct stat st = {};
    QCOMPARE(::stat(QFile::encodeName(device).constData(), &st), 0);
    QVERIFY(S_ISCHR(st.st_mode));
}

void TestHostile::outputThroughLinkKeepsMode_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("link");
    QTest::addColumn<int>("mode");
    QTest::newRow("conv, 0444") << QStringList{"conv", "m.csv", "--kernel", "1", "-o", "link.csv"} << "link.csv"
                                << 0444;
    QTest::newRow("pad, 0640") << QStringList{"pad", "m.csv", "-o", "link.csv"} << "link.csv" << 0640;
    QTest::newRow("render, 0604") << QStringList{"render", "m.csv", "-o", "link.png"} << "link.png" << 0604;
    QTest::newRow("render video, 0444") << QStringList{"render", "m.csv", "-o", "link.mp4"} << "link.mp4" << 0444;
    QTest::newRow("code, 0755")
        << QStringList{"code", "m.csv", "--kernel", "1", "--framework", "numpy", "-o", "link.py"} << "link.py"
        << 0755;
}

void TestHostile::outputThroughLinkKeepsMode()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, link);
    QFETCH(int, mode);
    QVERIFY(QDir(m_dir->path()).mkdir("data"));
    const QString target = path("data/target." + QFileInfo(link).suffix());
    writeBytes(target, "old");
    QCOMPARE(::chmod(QFile::encodeName(target).constData(), mode_t(mode)), 0);
    QVERIFY(QFile::link("data/target." + QFileInfo(link).suffix(), path(link)));
    // Compared as a whole: run as root, a 0444 file is writable all the same, so only the mode
    // itself shows whether it was kept.
    const mode_t before = modeOf(target);

    const Run result = run(arguments);
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QVERIFY(QFileInfo(path(link)).isSymLink());
    QCOMPARE(modeOf(target), before);
    QVERIFY(readBytes(target) != QByteArray("old"));
    QVERIFY(readBytes(target).size() > 3);
    QCOMPARE(entries(path("data")), QStringList{QFileInfo(target).fileName()});
}

void TestHostile::failedRunKeepsOutput()
{
    writeBytes(path("out.csv"), "kept\n");
    const QStringList before = entries();
    const Run result = run({"conv", "huge.csv", "--kernel", "1,1;1,1", "-o", "out.csv"});
    QCOMPARE(result.exitCode, 2);
    QCOMPARE(readBytes(path("out.csv")), QByteArray("kept\n"));
    QCOMPARE(entries(), before);
}

void TestHostile::signalDuringVideoLeavesNothing_data()
{
    QTest::addColumn<int>("signal");
    QTest::newRow("SIGTERM") << int(SIGTERM);
    QTest::newRow("SIGINT") << int(SIGINT);
    QTest::newRow("SIGKILL") << int(SIGKILL);
}

void TestHostile::signalDuringVideoLeavesNothing()
{
    QFETCH(int, signal);
    const QString folder = path("video");
    QVERIFY(QDir(m_dir->path()).mkdir("video"));
    writeBytes(folder + "/in.csv", csvOf(80, 80));
    writeBytes(folder + "/old.mp4", "an older video");

    QProcess process;
    process.setWorkingDirectory(folder);
    process.start(QStringLiteral(PADLAB_EXECUTABLE),
                  {"render", "in.csv", "--pad", "same", "--scale", "4", "-o", "old.mp4"});
    QVERIFY(process.waitForStarted());
    // Well into the encoding of its 6400 frames.
    QTest::qWait(2500);
    if (process.state() != QProcess::Running)
        QSKIP("the video was finished before the signal: this machine is too fast for the test");
    QCOMPARE(::kill(pid_t(process.processId()), signal), 0);
    QVERIFY(process.waitForFinished(20000));
    QCOMPARE(process.exitStatus(), QProcess::CrashExit);
    QCOMPARE(process.exitCode(), signal);
    QCOMPARE(entries(folder), (QStringList{"in.csv", "old.mp4"}));
    QCOMPARE(readBytes(folder + "/old.mp4"), QByteArray("an older video"));
}

void TestHostile::progressOnTerminalOnly()
{
#ifdef PADLAB_SANITIZED
    QSKIP("the sanitized build: the two convolutions of a few seconds take half a minute each "
          "and check the terminal, not memory");
#endif
    // A convolution of a few seconds: 1500x1500 pixels and a 151x151 kernel.
    cv::Mat noise(1500, 1500, CV_8UC1);
    cv::randu(noise, 0, 256);
    QVERIFY(cv::imwrite(QFile::encodeName(path("noise.png")).toStdString(), noise));
    QByteArray kernel;
    for (int r = 0; r < 151; ++r)
        kernel += QByteArray("1,").repeated(150) + "1\n";
    writeBytes(path("kernel.csv"), kernel);
    const QStringList arguments{"conv", "noise.png", "--kernel", "kernel.csv", "--pad", "same", "-o", "out.png"};
    int master = -1;
    int slave = -1;
    QCOMPARE(::openpty(&master, &slave, nullptr, nullptr, nullptr), 0);
    const Run onTerminal = run(arguments, {}, 120000, slave);
    ::close(slave);
    QByteArray shown;
    char buffer[4096];
    ::fcntl(master, F_SETFL, O_NONBLOCK);
    for (ssize_t n; (n = ::read(master, buffer, sizeof buffer)) > 0;)
        shown.append(buffer, n);
    ::close(master);
    QVERIFY2(onTerminal.exitCode == 0, onTerminal.err.constData());
    if (onTerminal.milliseconds < 1500)
        QSKIP("the convolution took less than a second here: nothing to show progress for");
    QVERIFY2(shown.contains("padlab: conv ") && shown.contains("%"), shown.constData());
    // Wiped at the end: the terminal's line is left empty.
    QVERIFY2(shown.endsWith("\r\033[K"), shown.constData());

    // Not a terminal: nothing at all.
    const Run piped = run(arguments, {}, 120000);
    QVERIFY2(piped.exitCode == 0, piped.err.constData());
    QCOMPARE(piped.err, QByteArray());
}

QTEST_GUILESS_MAIN(TestHostile)
#include "tst_hostile.moc"

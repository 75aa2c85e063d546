#include "codepanel.h"
#include "session.h"

#include "padlab/core/codegen.h"
#include "padlab/core/csv.h"

#include "scripttestutil.h"

#include <QAbstractButton>
#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <map>
#include <memory>
#include <vector>

using namespace padlab;
using padlab::test::kPython;
using padlab::test::Run;
using padlab::test::runPadlabAll;
using padlab::test::runProcess;

namespace {

Run runPadlab(const QStringList &arguments)
{
    return runProcess(QStringLiteral(PADLAB_EXECUTABLE), arguments);
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<missing>");
}

/// CSV text as rows of numbers, read independently of the engine's parser.
std::vector<std::vector<double>> numbers(const QByteArray &csv, bool *ok)
{
    *ok = true;
    std::vector<std::vector<double>> rows;
    for (const QByteArray &line : csv.split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        std::vector<double> row;
        for (const QByteArray &cell : line.split(',')) {
            bool cellOk = false;
            row.push_back(cell.trimmed().toDouble(&cellOk));
            *ok = *ok && cellOk;
        }
        rows.push_back(row);
    }
    return rows;
}

/// Empty when @p got holds the same numbers as @p expected (1e-9, relative to large values).
QString csvDifference(const QByteArray &expected, const QByteArray &got)
{
    bool okExpected = false;
    bool okGot = false;
    const auto a = numbers(expected, &okExpected);
    const auto b = numbers(got, &okGot);
    if (!okExpected || !okGot)
        return "not numeric CSV:\n" + QString::fromUtf8(got);
    if (a.size() != b.size())
        return QStringLiteral("%1 rows, expected %2:\n%3").arg(b.size()).arg(a.size()).arg(QString::fromUtf8(got));
    for (size_t r = 0; r < a.size(); ++r) {
        if (a[r].size() != b[r].size())
            return QStringLiteral("row %1 has %2 values, expected %3").arg(r).arg(b[r].size()).arg(a[r].size());
        for (size_t c = 0; c < a[r].size(); ++c) {
            if (std::abs(a[r][c] - b[r][c]) > 1e-9 * std::max(1.0, std::abs(a[r][c])))
                return QStringLiteral("cell (%1, %2) is %3, padlab conv says %4")
                    .arg(r)
                    .arg(c)
                    .arg(b[r][c], 0, 'g', 17)
                    .arg(a[r][c], 0, 'g', 17);
        }
    }
    return {};
}

/// Settings run through the generated scripts; `frameworks` lists where they run
/// (n numpy, o opencv, p pytorch).
struct Setting {
    const char *name;
    const char *input;
    QStringList options;
    const char *frameworks;
};

const std::vector<Setting> &settings()
{
    static const std::vector<Setting> list = {
        {"odd 3x3 same reflect", "in57", {"--kernel", "1,0,-1;2,0,-2;1,0,-1", "--pad", "same", "--fill", "reflect"}, "nop"},
        {"odd 3x3 same zeros convolution", "in57", {"--kernel", "1,2,0;-1,3,1;0.5,0,2", "--pad", "same", "--convolution"}, "nop"},
        {"even 2x4 same zeros stride 2", "in57", {"--kernel", "1,2,3,4;0,1,0,2", "--pad", "same", "--stride", "2"}, "nop"},
        {"even 2x4 same reflect stride 2", "in57", {"--kernel", "1,2,3,4;0,1,0,2", "--pad", "same", "--fill", "reflect", "--stride", "2"}, "nop"},
        {"even 2x2 same symmetric stride 2 convolution", "in57", {"--kernel", "1,-1;3,0.5", "--pad", "same", "--fill", "symmetric", "--stride", "2", "--convolution"}, "no"},
        {"even 1x2 same zeros dilation 2x3", "in57", {"--kernel", "0.1,0.7", "--pad", "same", "--dilation", "2x3"}, "nop"},
        {"valid stride 2 dilation 2", "in57", {"--kernel", "1,0,-1;2,0,-2;1,0,-1", "--stride", "2", "--dilation", "2x1"}, "nop"},
        {"full constant 2.5 stride 1x2", "in57", {"--kernel", "1,2,3", "--pad", "full", "--fill", "constant", "--value", "2.5", "--stride", "1x2"}, "nop"},
        {"full zeros 3x1", "in57", {"--kernel", "1;2;3", "--pad", "full"}, "nop"},
        {"same replicate stride 3x1 dilation 2x1 even", "in57", {"--kernel", "1,2;3,4", "--pad", "same", "--fill", "replicate", "--stride", "3x1", "--dilation", "2x1"}, "nop"},
        {"explicit uneven zeros stride 2", "in57", {"--kernel", "1,2;3,4", "--pad", "0,2,3,1", "--stride", "2"}, "nop"},
        {"explicit even zeros stride 2", "in57", {"--kernel", "1,2,3;4,5,6;7,8,9", "--pad", "1,1,2,2", "--stride", "2"}, "nop"},
        {"explicit circular", "in57", {"--kernel", "1,0,-1;2,0,-2;1,0,-1", "--pad", "0,2,3,1", "--fill", "circular"}, "nop"},
        {"causal dilation 2 on a row", "row6", {"--kernel", "1,2,3", "--pad", "causal", "--dilation", "2"}, "nop"},
        {"causal dilation 2 replicate convolution on a row", "row6", {"--kernel", "1,2,3", "--pad", "causal", "--dilation", "2", "--fill", "replicate", "--convolution"}, "nop"},
        {"causal stride 2 on 2-D", "in57", {"--kernel", "1,2;3,4", "--pad", "causal", "--stride", "2", "--fill", "reflect"}, "nop"},
        {"same 3x3 reflect on a row", "row6", {"--kernel", "1,0,-1;2,0,-2;1,0,-1", "--pad", "same", "--fill", "reflect"}, "no"},
        {"same 3x3 zeros on a row", "row6", {"--kernel", "1,0,-1;2,0,-2;1,0,-1", "--pad", "same"}, "nop"},
        {"circular wider than the input", "in22", {"--kernel", "1,2,3;4,5,6;7,8,9", "--pad", "3,1,5,0", "--fill", "circular"}, "no"},
        {"reflect wider than the input", "in22", {"--kernel", "1,2;3,4", "--pad", "4,4,0,3", "--fill", "reflect"}, "no"},
        {"symmetric wider than the input stride 2", "in22", {"--kernel", "1,-2,3", "--pad", "0,5,7,2", "--fill", "symmetric", "--stride", "2"}, "no"},
        {"reflect at the limit", "in22", {"--kernel", "1,2;3,4", "--pad", "1,1,1,0", "--fill", "reflect"}, "nop"},
        {"circular at the limit", "in22", {"--kernel", "1,2;3,4", "--pad", "2,0,2,2", "--fill", "circular"}, "nop"},
        {"empty output", "in22", {"--kernel", "1,2,3", "--pad", "0,0,0,0"}, "nop"},
    };
    return list;
}


const std::map<QString, QByteArray> &inputs()
{
    static const std::map<QString, QByteArray> files = {
        {"in57", "1,2,3,4,5,6,7\n-2,0.5,3,1e-3,4,4,9\n3,1,4,1,5,9,2\n0,0,1,0,0,2,6\n2,7,1,8,2,8,1\n"},
        {"row6", "3,-1,4,1,-5,9\n"},
        {"in22", "1,2\n3,4\n"},
        {"in34", "1,2,3,4\n5,6,7,8\n9,10,11,12\n"},
    };
    return files;
}


cv::Mat matFromCsv(const QByteArray &csv)
{
    return core::parseCsv(csv.toStdString(), "test");
}

} // namespace

class TstCode : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void scriptsComputeWhatConvComputes_data();
    void scriptsComputeWhatConvComputes();
    void scriptsRunOnTheirOwn_data();
    void scriptsRunOnTheirOwn();
    void kerasScripts_data();
    void kerasScripts();
    void refusals_data();
    void refusals();
    void errors_data();
    void errors();
    void help();
    void panel_data();
    void panel();
    void panelFollowsSession();

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }
    QString inputPath(const char *input) const { return path(QString::fromLatin1(input) + ".csv"); }

    QTemporaryDir m_dir;
    struct Outcome {
        QString generateError; ///< padlab code or conv failed
        QByteArray expected;   ///< padlab conv's output
        QByteArray expectedErr;
        QByteArray script;
        Run run;               ///< the script's
    };
    std::map<QString, Outcome> m_outcomes; ///< by row name
};

void TstCode::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // The generated scripts are checked by running them: a missing module is a failure.
    QVERIFY2(QFileInfo::exists(kPython), "/usr/bin/python3 is missing");
    const Run modules = runProcess(kPython, {"-c", "import numpy, cv2, torch, scipy"});
    QVERIFY2(modules.exitCode == 0, ("python3 cannot import numpy, cv2, torch and scipy: " + modules.err).constData());
    for (const auto &[name, bytes] : inputs())
        QVERIFY(writeFile(path(name + ".csv"), bytes));

    // Generate every script and padlab conv's answer, then run all scripts in one interpreter.
    std::vector<QStringList> convArgs;
    std::vector<QStringList> codeArgs;
    std::vector<std::pair<QString, size_t>> rows; // row name, index of its setting
    for (size_t i = 0; i < settings().size(); ++i) {
        const Setting &setting = settings()[i];
        convArgs.push_back(QStringList{"conv", inputPath(setting.input)} + setting.options);
        for (const char *f = setting.frameworks; *f; ++f) {
            const QString framework = *f == 'n' ? "numpy" : *f == 'o' ? "opencv" : "pytorch";
            rows.emplace_back(framework + ": " + setting.name, i);
            codeArgs.push_back(QStringList{"code", inputPath(setting.input), "--framework", framework} + setting.options);
        }
    }
    const std::vector<Run> convs = runPadlabAll(convArgs);
    const std::vector<Run> codes = runPadlabAll(codeArgs);
    QByteArray manifest;
    std::map<QString, QString> resultOf; // row -> where the driver writes its results
    for (size_t index = 0; index < rows.size(); ++index) {
        const auto &[row, settingIndex] = rows[index];
        const Run &conv = convs[settingIndex];
        const Run &code = codes[index];
        Outcome &outcome = m_outcomes[row];
        outcome.expected = conv.out;
        outcome.expectedErr = conv.err;
        if (conv.exitCode != 0) {
            outcome.generateError = "padlab conv failed: " + conv.err;
            continue;
        }
        if (code.exitCode != 0) {
            outcome.generateError = QStringLiteral("padlab code exited %1: %2").arg(code.exitCode).arg(QString::fromUtf8(code.err));
            continue;
        }
        outcome.script = code.out;
        const QString script = path(QStringLiteral("case%1.py").arg(index));
        QVERIFY(writeFile(script, code.out));
        resultOf[row] = path(QStringLiteral("case%1").arg(index));
        const Setting &setting = settings()[settingIndex];
        manifest += (script + '\t' + inputPath(setting.input) + '\t' + resultOf[row] + '\n').toUtf8();
    }
    QVERIFY(writeFile(path("manifest.txt"), manifest));
    QVERIFY(writeFile(path("driver.py"), test::kScriptDriver));
    const Run driver = runProcess(kPython, {path("driver.py"), path("manifest.txt")}, 300000);
    QVERIFY2(driver.exitCode == 0, driver.err.constData());
    for (const auto &[row, result] : resultOf) {
        Outcome &outcome = m_outcomes[row];
        outcome.run.out = readFile(result + ".out");
        outcome.run.err = readFile(result + ".err");
        outcome.run.exitCode = readFile(result + ".rc").toInt();
    }
}

void TstCode::scriptsComputeWhatConvComputes_data()
{
    QTest::addColumn<QString>("row");
    for (const Setting &setting : settings()) {
        for (const char *f = setting.frameworks; *f; ++f) {
            const QString framework = *f == 'n' ? "numpy" : *f == 'o' ? "opencv" : "pytorch";
            const QString row = framework + ": " + setting.name;
            QTest::newRow(qPrintable(row)) << row;
        }
    }
}

void TstCode::scriptsComputeWhatConvComputes()
{
    QFETCH(QString, row);
    const auto found = m_outcomes.find(row);
    QVERIFY(found != m_outcomes.end());
    const Outcome &outcome = found->second;
    QVERIFY2(outcome.generateError.isEmpty(), qPrintable(outcome.generateError));
    QVERIFY2(outcome.run.exitCode == 0,
             qPrintable(QStringLiteral("script exited %1:\n%2\n%3").arg(outcome.run.exitCode)
                            .arg(QString::fromUtf8(outcome.run.err), QString::fromUtf8(outcome.script))));
    const QString difference = csvDifference(outcome.expected, outcome.run.out);
    QVERIFY2(difference.isEmpty(), qPrintable(difference + "\n" + QString::fromUtf8(outcome.script)));
    // An empty output is nothing on standard output and the reason on standard error, as conv does.
    if (outcome.expected.isEmpty()) {
        QVERIFY(outcome.run.out.isEmpty());
        QVERIFY(!outcome.expectedErr.isEmpty());
        QVERIFY2(outcome.run.err.contains("The output is empty"), outcome.run.err.constData());
    }
}

void TstCode::scriptsRunOnTheirOwn_data()
{
    QTest::addColumn<QString>("framework");
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("runOn");
    QTest::addColumn<QStringList>("options");
    const QStringList options = {"--kernel", "1,2,3,4;0,1,0,2", "--pad", "same", "--stride", "2"};
    for (const QString framework : {"numpy", "opencv", "pytorch"}) {
        QTest::newRow(qPrintable(framework + " as a process")) << framework << "in57" << "in57" << options;
        QTest::newRow(qPrintable(framework + " refuses another input size")) << framework << "in57" << "in34" << options;
    }
}

void TstCode::scriptsRunOnTheirOwn()
{
    QFETCH(QString, framework);
    QFETCH(QString, input);
    QFETCH(QString, runOn);
    QFETCH(QStringList, options);
    const QString script = path(framework + "-own.py");
    const Run code = runPadlab(QStringList{"code", path(input + ".csv"), "--framework", framework, "-o", script} + options);
    QCOMPARE(code.exitCode, 0);
    QVERIFY(code.out.isEmpty());
    const Run run = runProcess(kPython, {script, path(runOn + ".csv")});
    if (runOn == input) {
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const Run conv = runPadlab(QStringList{"conv", path(input + ".csv")} + options);
        QCOMPARE(conv.exitCode, 0);
        const QString difference = csvDifference(conv.out, run.out);
        QVERIFY2(difference.isEmpty(), qPrintable(difference));
    } else {
        // The padding was worked out for the generated size: another size is refused, clearly.
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.out.isEmpty());
        QVERIFY2(run.err.contains("is 3x4") && run.err.contains("5x7") && run.err.contains("padlab code"),
                 run.err.constData());
    }
}

void TstCode::kerasScripts_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QStringList>("contains");
    QTest::addColumn<QStringList>("absent");
    QTest::newRow("zeros same stride 2: Conv2D's own same")
        << "in57" << QStringList{"--kernel", "1,2,3,4;0,1,0,2", "--pad", "same", "--stride", "2"}
        << QStringList{"keras.layers.Conv2D(1, (2, 4), strides=(2, 2), padding=\"same\"", "[1, 2, 3, 4],", "[0, 1, 0, 2],",
                       "rows 0/1, columns 1/2"}
        << QStringList{"tf.pad", "[::-1, ::-1]"};
    QTest::newRow("zeros valid dilation 2")
        << "in57" << QStringList{"--kernel", "1,0,-1", "--dilation", "2"}
        << QStringList{"padding=\"valid\", dilation_rate=(2, 2)"} << QStringList{"tf.pad"};
    QTest::newRow("reflect explicit: tf.pad REFLECT then valid")
        << "in57" << QStringList{"--kernel", "1,2;3,4", "--pad", "1,0,2,3", "--fill", "reflect"}
        << QStringList{"TOP, BOTTOM, LEFT, RIGHT = 1, 0, 2, 3", "tf.pad(x, [[0, 0], [TOP, BOTTOM], [LEFT, RIGHT], [0, 0]], mode=\"REFLECT\")",
                       "padding=\"valid\""}
        << QStringList{"padding=\"same\""};
    QTest::newRow("constant full: constant_values")
        << "in57" << QStringList{"--kernel", "1,2,3", "--pad", "full", "--fill", "constant", "--value", "-2.5"}
        << QStringList{"constant_values=-2.5", "mode=\"CONSTANT\"", "TOP, BOTTOM, LEFT, RIGHT = 0, 0, 2, 2", "padding='full'"}
        << QStringList{};
    QTest::newRow("symmetric same stride 2 convolution")
        << "in57" << QStringList{"--kernel", "1,-1;3,0.5", "--pad", "same", "--fill", "symmetric", "--stride", "2", "--convolution"}
        << QStringList{"mode=\"SYMMETRIC\"", "w = w[::-1, ::-1]", "true convolution"} << QStringList{};
    QTest::newRow("causal on a row: Conv1D")
        << "row6" << QStringList{"--kernel", "1,2,3", "--pad", "causal", "--dilation", "2"}
        << QStringList{"keras.layers.Conv1D(1, 3, strides=1, padding=\"causal\", dilation_rate=2", "4 zeros in front"}
        << QStringList{"tf.pad"};
    QTest::newRow("weights exactly")
        << "in57" << QStringList{"--kernel", "0.1,0.3333333333333333,1e-300"}
        << QStringList{"[0.1, 0.3333333333333333, 1e-300]"} << QStringList{};
}

void TstCode::kerasScripts()
{
    QFETCH(QString, input);
    QFETCH(QStringList, options);
    QFETCH(QStringList, contains);
    QFETCH(QStringList, absent);
    const Run code = runPadlab(QStringList{"code", path(input + ".csv"), "--framework", "keras"} + options);
    QVERIFY2(code.exitCode == 0, code.err.constData());
    const QString script = QString::fromUtf8(code.out);
    for (const QString &text : contains)
        QVERIFY2(script.contains(text), qPrintable("missing " + text + " in\n" + script));
    for (const QString &text : absent)
        QVERIFY2(!script.contains(text), qPrintable("unexpected " + text + " in\n" + script));
    // TensorFlow is not installed here, but the script must at least be valid Python.
    const QString file = path("keras.py");
    QVERIFY(writeFile(file, code.out));
    const Run compile = runProcess(kPython, {"-m", "py_compile", file});
    QVERIFY2(compile.exitCode == 0, compile.err.constData());
}

void TstCode::refusals_data()
{
    QTest::addColumn<QString>("framework");
    QTest::addColumn<QString>("input");
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("reason"); ///< empty: the framework can express it
    QTest::newRow("pytorch symmetric") << "pytorch" << "in57" << QStringList{"--kernel", "1,2,3", "--pad", "same", "--fill", "symmetric"}
                                       << "PyTorch cannot express these settings: There is no symmetric fill in PyTorch";
    QTest::newRow("pytorch symmetric without padding") << "pytorch" << "in57" << QStringList{"--kernel", "1,2,3", "--fill", "symmetric"} << "";
    QTest::newRow("pytorch reflect pad as wide as the input") << "pytorch" << "in22" << QStringList{"--kernel", "1,2", "--pad", "0,0,2,0", "--fill", "reflect"}
                                                              << "Padding size should be less than the corresponding input dimension";
    QTest::newRow("pytorch reflect pad one less") << "pytorch" << "in22" << QStringList{"--kernel", "1,2", "--pad", "1,1,1,1", "--fill", "reflect"} << "";
    QTest::newRow("pytorch circular pad wider than the input") << "pytorch" << "in22" << QStringList{"--kernel", "1,2", "--pad", "3,0,0,0", "--fill", "circular"}
                                                               << "3 rows on top of an input 2 rows high";
    QTest::newRow("pytorch circular pad as wide") << "pytorch" << "in22" << QStringList{"--kernel", "1,2", "--pad", "2,2,2,2", "--fill", "circular"} << "";
    QTest::newRow("pytorch same stride 2 is expressible") << "pytorch" << "in57" << QStringList{"--kernel", "1,2,3", "--pad", "same", "--stride", "2"} << "";
    QTest::newRow("keras replicate") << "keras" << "in57" << QStringList{"--kernel", "1,2,3", "--pad", "same", "--fill", "replicate"}
                                     << "Keras / TensorFlow cannot express these settings: tf.pad has no edge mode";
    QTest::newRow("keras circular") << "keras" << "in57" << QStringList{"--kernel", "1,2,3", "--pad", "full", "--fill", "circular"} << "tf.pad has no wrap mode";
    QTest::newRow("keras reflect pad as wide as the input") << "keras" << "in22" << QStringList{"--kernel", "1,2", "--pad", "0,2,0,0", "--fill", "reflect"}
                                                            << "paddings must be less than the dimension size";
    QTest::newRow("keras symmetric pad wider than the input") << "keras" << "in22" << QStringList{"--kernel", "1,2", "--pad", "0,0,0,3", "--fill", "symmetric"}
                                                              << "3 columns right of an input 2 columns wide";
    QTest::newRow("keras symmetric pad as wide") << "keras" << "in22" << QStringList{"--kernel", "1,2", "--pad", "2,2,2,2", "--fill", "symmetric"} << "";
    QTest::newRow("keras stride and dilation") << "keras" << "in57" << QStringList{"--kernel", "1,2", "--stride", "2x1", "--dilation", "1x2"}
                                               << "Conv2D refuses strides > 1 together with dilation_rate > 1";
    QTest::newRow("keras replicate without padding") << "keras" << "in57" << QStringList{"--kernel", "1,2", "--fill", "replicate"} << "";
    QTest::newRow("opencv circular wider than the input") << "opencv" << "in22" << QStringList{"--kernel", "1,2", "--pad", "5,5,5,5", "--fill", "circular"} << "";
    QTest::newRow("numpy symmetric wider than the input") << "numpy" << "in22" << QStringList{"--kernel", "1,2", "--pad", "5,0,9,5", "--fill", "symmetric"} << "";
}

void TstCode::refusals()
{
    QFETCH(QString, framework);
    QFETCH(QString, input);
    QFETCH(QStringList, options);
    QFETCH(QString, reason);
    const QString out = path("refusal-" + framework + ".py");
    QFile::remove(out);
    const Run code = runPadlab(QStringList{"code", path(input + ".csv"), "--framework", framework, "-o", out} + options);
    if (reason.isEmpty()) {
        QVERIFY2(code.exitCode == 0, code.err.constData());
        QVERIFY(readFile(out).startsWith("#!/usr/bin/env python3"));
        return;
    }
    QCOMPARE(code.exitCode, 3);
    const QString err = QString::fromUtf8(code.err);
    QCOMPARE(err.count('\n'), 1);
    QVERIFY2(err.startsWith("padlab: ") && err.contains(" cannot express these settings: "), qPrintable(err));
    QVERIFY2(err.contains(reason), qPrintable(err));
    QVERIFY(code.out.isEmpty());
    QVERIFY2(!QFileInfo::exists(out), "a refused script left a file behind");
}

void TstCode::errors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("named");
    QTest::newRow("no framework") << QStringList{"code", "in57.csv", "--kernel", "1,2"} << "--framework";
    QTest::newRow("unknown framework") << QStringList{"code", "in57.csv", "--kernel", "1,2", "--framework", "jax"} << "'jax'";
    QTest::newRow("no kernel") << QStringList{"code", "in57.csv", "--framework", "numpy"} << "--kernel";
    QTest::newRow("bad pad") << QStringList{"code", "in57.csv", "--kernel", "1,2", "--framework", "numpy", "--pad", "wide"} << "--pad";
    QTest::newRow("bad stride") << QStringList{"code", "in57.csv", "--kernel", "1,2", "--framework", "numpy", "--stride", "0"} << "--stride";
    QTest::newRow("missing input") << QStringList{"code", "nothing.csv", "--kernel", "1,2", "--framework", "numpy"} << "nothing.csv";
    QTest::newRow("no output folder") << QStringList{"code", "in57.csv", "--kernel", "1,2", "--framework", "numpy", "-o", "no/such/folder/x.py"} << "does not exist";
    QTest::newRow("unknown option") << QStringList{"code", "in57.csv", "--kernel", "1,2", "--framework", "numpy", "--view", "all"} << "view";
}

void TstCode::errors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, named);
    for (QString &argument : arguments) {
        if (argument.endsWith(".csv") || argument.startsWith("no/"))
            argument = path(argument);
    }
    const Run run = runPadlab(arguments);
    QCOMPARE(run.exitCode, 2);
    QVERIFY(run.out.isEmpty());
    const QString err = QString::fromUtf8(run.err);
    QVERIFY2(err.startsWith("padlab: error: ") && err.count('\n') == 1, qPrintable(err));
    QVERIFY2(err.contains(named), qPrintable(err));
}

void TstCode::help()
{
    const Run own = runPadlab({"code", "--help"});
    QCOMPARE(own.exitCode, 0);
    for (const char *text : {"Usage: padlab code INPUT", "--framework NAME", "keras", "pytorch", "opencv", "numpy", "exit status 3"})
        QVERIFY2(own.out.contains(text), text);
    const Run top = runPadlab({"--help"});
    QCOMPARE(top.exitCode, 0);
    QVERIFY(top.out.contains("padlab code INPUT [--op conv|convt|max|avg]"));
}

void TstCode::panel_data()
{
    QTest::addColumn<int>("framework");
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<bool>("expressible");
    const auto index = [](core::Framework f) { return static_cast<int>(f); };
    QTest::newRow("numpy same reflect stride 2") << index(core::Framework::NumPy) << QStringList{"--pad", "same", "--fill", "reflect", "--stride", "2"} << true;
    QTest::newRow("opencv causal circular") << index(core::Framework::OpenCV) << QStringList{"--pad", "causal", "--fill", "circular"} << true;
    QTest::newRow("pytorch full replicate convolution") << index(core::Framework::PyTorch) << QStringList{"--pad", "full", "--fill", "replicate", "--convolution"} << true;
    QTest::newRow("keras valid dilation 2") << index(core::Framework::Keras) << QStringList{"--dilation", "2"} << true;
    QTest::newRow("pytorch symmetric refused") << index(core::Framework::PyTorch) << QStringList{"--pad", "same", "--fill", "symmetric"} << false;
    QTest::newRow("keras replicate refused") << index(core::Framework::Keras) << QStringList{"--pad", "full", "--fill", "replicate"} << false;
    QTest::newRow("keras stride with dilation refused") << index(core::Framework::Keras) << QStringList{"--stride", "2", "--dilation", "2"} << false;
}

void TstCode::panel()
{
    QFETCH(int, framework);
    QFETCH(QStringList, options);
    QFETCH(bool, expressible);
    const QByteArray inputCsv = inputs().at("in57");
    const QString kernelText = "1,2,3;-1,0.5,4";
    ui::Session session;
    session.setSource(matFromCsv(inputCsv), "in57");
    session.setKernel(matFromCsv(QByteArray("1,2,3\n-1,0.5,4\n")));
    // The same settings through the session's setters as the command line reads them.
    core::ConvSpec spec;
    for (int i = 0; i < options.size(); ++i) {
        const QString option = options[i];
        if (option == "--convolution") {
            spec.operation = core::Operation::Convolution;
            continue;
        }
        const std::string value = options[++i].toStdString();
        if (option == "--pad")
            spec.amount = core::parsePadAmount(value);
        else if (option == "--fill")
            spec.fill = *core::parseFill(value);
        else if (option == "--stride")
            spec.stride = core::parsePerAxis(value, "--stride");
        else if (option == "--dilation")
            spec.dilation = core::parsePerAxis(value, "--dilation");
    }
    session.setSpec(spec);

    ui::CodePanel panel(&session);
    const auto chosen = static_cast<core::Framework>(framework);
    QSignalSpy changed(&panel, &ui::CodePanel::frameworkChanged);
    panel.setFramework(chosen);
    QCOMPARE(panel.framework(), chosen);
    QCOMPARE(changed.count(), chosen == core::Framework::PyTorch ? 0 : 1);
    panel.resize(700, 500);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));

    const Run cli = runPadlab(QStringList{"code", path("in57.csv"), "--kernel", kernelText, "--framework",
                                       QString::fromUtf8(core::frameworkName(chosen))} + options);
    QCOMPARE(panel.isExpressible(), expressible);
    if (expressible) {
        QCOMPARE(cli.exitCode, 0);
        QCOMPARE(panel.script(), QString::fromUtf8(cli.out));
        QCOMPARE(panel.shownText(), panel.script());
        QVERIFY(panel.reason().isEmpty());
        auto *text = panel.findChild<QPlainTextEdit *>("codeText");
        QVERIFY(text && text->isVisible());
        QCOMPARE(text->toPlainText(), panel.script());
    } else {
        QCOMPARE(cli.exitCode, 3);
        QVERIFY(panel.script().isEmpty());
        // The window states what the command line says, without its "padlab: " prefix.
        QCOMPARE(panel.reason(), QString::fromUtf8(cli.err).trimmed().mid(QStringLiteral("padlab: ").size()));
        auto *reason = panel.findChild<QLabel *>("codeReason");
        QVERIFY(reason && reason->isVisible());
        QCOMPARE(reason->text(), panel.reason());
        QVERIFY(!panel.findChild<QPlainTextEdit *>("codeText")->isVisible());
    }
    QGuiApplication::clipboard()->clear();
    panel.copyButton()->click();
    QCOMPARE(QGuiApplication::clipboard()->text(), panel.shownText());
    // PADLAB_CODE_PNG=1 keeps a picture of each row for a look at the panel.
    if (qEnvironmentVariableIsSet("PADLAB_CODE_PNG"))
        panel.grab().save(QStringLiteral("/tmp/code-%1.png").arg(QString::fromLatin1(QTest::currentDataTag()).replace(' ', '-')));
}

void TstCode::panelFollowsSession()
{
    ui::Session session;
    session.setSource(matFromCsv(inputs().at("in57")), "in57");
    session.setKernel(matFromCsv("1,2,3\n"));
    ui::CodePanel panel(&session);
    panel.setFramework(core::Framework::PyTorch);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    auto *text = panel.findChild<QPlainTextEdit *>("codeText");
    QVERIFY(panel.isExpressible());
    QVERIFY(!text->toPlainText().contains("F.pad"));

    session.setAmount(core::parsePadAmount("same"));
    session.setFill(core::Fill::Reflect);
    QVERIFY2(text->toPlainText().contains("mode=\"reflect\""), qPrintable(text->toPlainText()));

    session.setFill(core::Fill::Symmetric);
    QVERIFY(!panel.isExpressible());
    QVERIFY(panel.findChild<QLabel *>("codeReason")->text().contains("no symmetric fill"));

    // Another framework can: NumPy's symmetric pad.
    panel.setFramework(core::Framework::NumPy);
    QVERIFY(panel.isExpressible());
    QVERIFY(text->isVisible());
    QVERIFY(text->toPlainText().contains("mode=\"symmetric\""));

    // Larger text for the projector.
    const int before = text->font().pixelSize();
    QVERIFY(before >= 13);
    padlab::ui::Look look = session.look();
    look.fontScale = 2.0;
    session.setLook(look);
    QCOMPARE(text->font().pixelSize(), 2 * before);
    look.dark = true;
    session.setLook(look);
    QVERIFY(text->palette().color(QPalette::Base).lightness() < 80);
    QVERIFY(text->palette().color(QPalette::Text).lightness() > 180);
}

QTEST_MAIN(TstCode)
#include "tst_code.moc"

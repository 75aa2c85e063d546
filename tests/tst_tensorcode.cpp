// padlab code for tensors: every public reference case written as a PyTorch and a NumPy script,
// run by Debian's python3 and compared with the case's output, or refused (exit status 3) exactly
// where the framework cannot express the case; Keras' scripts compile.
#include "scripttestutil.h"
#include "tensortestutil.h"

#include "padlab/core/npy.h"
#include "padlab/core/tensorcsv.h"

#include <QDir>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <optional>

using namespace padlab;
using padlab::test::Run;

namespace {

const QStringList kFrameworks = {"numpy", "pytorch", "keras"};

/// Settings beyond the reference cases: other ranks, CSV input, true convolution, uneven crops.
struct Extra {
    const char *name;
    const char *command; ///< conv, pool or convt
    std::vector<std::int64_t> inputShape;
    std::vector<std::int64_t> kernelShape; ///< empty: no kernel
    QStringList options;
    bool csv = false;
    const char *pytorchRefuses = ""; ///< what PyTorch's refusal names, or empty
};

const std::vector<Extra> &extras()
{
    static const std::vector<Extra> list = {
        {"pool 1-D max ceil", "pool", {2, 9}, {}, {"--layout", "CL", "--op", "max", "--size", "3", "--stride", "2", "--pad", "1,1", "--ceil"}},
        {"pool 3-D average excluding padding", "pool", {2, 4, 5, 6}, {},
         {"--op", "avg", "--size", "2x3x3", "--stride", "2", "--pad", "1,1,1,1,1,1", "--count-pad", "exclude"}},
        {"pool 2-D same max", "pool", {3, 5, 7}, {}, {"--op", "max", "--size", "3", "--stride", "2", "--pad", "same"},
         false, "'same'"},
        {"pool CSV input", "pool", {2, 4, 4}, {}, {"--op", "avg", "--size", "2"}, true},
        // Padded, the depth holds the window; PyTorch's avg_pool3d still refuses, its max_pool3d not.
        {"pool 3-D average, depth below the window", "pool", {2, 3, 7, 9}, {},
         {"--op", "avg", "--size", "4x2x3", "--stride", "1x2x1", "--pad", "2,2,0,0,0,0", "--count-pad", "exclude"},
         false, "smaller than its window"},
        {"pool 3-D max, depth below the window", "pool", {2, 3, 7, 9}, {},
         {"--op", "max", "--size", "4x2x3", "--stride", "1x2x1", "--pad", "2,2,0,0,0,0"}},
        {"conv true convolution 3-D", "conv", {2, 3, 4, 4}, {2, 2, 2, 2, 3},
         {"--pad", "1,0,1,1,0,2", "--fill", "circular", "--convolution"}},
        {"conv CSV input, one kernel per channel", "conv", {3, 5, 6}, {3, 3},
         {"--pad", "same", "--fill", "reflect", "--stride", "2"}, true},
        {"conv 1-D signal without channels", "conv", {12}, {4}, {"--pad", "causal", "--dilation", "3"}},
        {"conv symmetric fill", "conv", {2, 4, 4}, {1, 2, 3, 3}, {"--pad", "2,2,1,1", "--fill", "symmetric"}, false,
         "symmetric"},
        {"conv reflect wider than the input", "conv", {1, 3, 3}, {1, 1, 2, 2}, {"--pad", "3,3,0,0", "--fill", "reflect"},
         false, "smaller than the input"},
        {"convt 1-D uneven crops", "convt", {2, 6}, {2, 3, 4}, {"--layout", "CL", "--stride", "3", "--pad", "2,0", "--output-padding", "1"}},
        {"convt 3-D", "convt", {2, 3, 3, 2}, {2, 2, 2, 2, 2}, {"--stride", "2", "--pad", "1,1,0,0,1,1"}},
        {"convt one kernel per channel", "convt", {3, 3, 3}, {2, 2}, {"--stride", "2"}},
    };
    return list;
}

/// What PyTorch cannot do, decided here from the case alone (SEMANTICS.md section 3 and 8).
QString pytorchRefusal(const QString &command, const QStringList &args,
                       const core::NdArray &input, const std::vector<core::AxisPads> &sides)
{
    const auto arg = [&](const QString &option, const QString &fallback) {
        const qsizetype at = args.indexOf(option);
        return at >= 0 ? args.at(at + 1) : fallback;
    };
    const QString pad = arg("--pad", "valid");
    if (command == "convt")
        return pad == "same" ? "'same'" : QString();
    if (command == "pool") {
        if (pad == "same")
            return "'same'";
        if (pad == "valid")
            return {};
        const QStringList pads = pad.split(',');
        const QStringList sizes = arg("--size", "1").split('x');
        for (qsizetype i = 0; i < pads.size(); ++i) {
            const int window = sizes.at(sizes.size() == 1 ? 0 : i / 2).toInt();
            if (pads.at(i).toInt() > window / 2)
                return "half the window";
        }
        for (qsizetype i = 0; i + 1 < pads.size(); i += 2)
            if (pads.at(i) != pads.at(i + 1))
                return "both sides";
        // Explicit pads: two per spatial axis.
        if (arg("--op", "max") == "avg" && pads.size() == 6)
            for (size_t a = 0; a < 3; ++a)
                if (input.shape[input.shape.size() - 3 + a] < sizes.at(sizes.size() == 1 ? 0 : qsizetype(a)).toInt())
                    return "smaller than its window";
        return {};
    }
    const QString fill = arg("--fill", "zeros");
    bool padded = false;
    for (size_t a = 0; a < sides.size(); ++a) {
        const int n = int(input.shape[input.shape.size() - sides.size() + a]);
        const int widest = std::max(sides[a].before, sides[a].after);
        padded = padded || widest > 0;
        if (fill == "reflect" && widest >= n)
            return "smaller than the input";
        if (fill == "circular" && widest > n)
            return "wrapping";
    }
    return padded && fill == "symmetric" ? "symmetric" : QString();
}

} // namespace

class TestTensorCode : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void scripts_data();
    void scripts();
    void kerasCompiles();

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }

    struct Row {
        QString framework;
        QString command;
        QStringList args;
        core::NdArray input;
        std::vector<core::AxisPads> sides;
        core::NdArray expected;
        std::optional<core::Layout> layout;
        QString kind;
        QString refusal; ///< extra settings: what PyTorch's refusal names
        Run code;      ///< padlab code
        Run script;    ///< the script's run
        QString folder;
    };

    QTemporaryDir m_dir;
    QStringList m_missing; ///< Python modules absent
    std::map<QString, Row> m_rows;
    QStringList m_kerasScripts;
};

void TestTensorCode::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFileInfo::exists(test::kPython), "/usr/bin/python3 is missing");
    for (const QString module : {"numpy", "torch"}) {
        if (test::runProcess(test::kPython, {"-c", "import " + module}).exitCode != 0)
            m_missing << module;
    }

    // Every reference case, and the extra settings with padlab's own output as the answer.
    struct Job {
        QString name;
        QStringList codeArgs;
        QString inputFile;
    };
    std::vector<Job> jobs;
    std::vector<QStringList> padlabArgs;
    std::vector<QString> padlabOf;
    const auto cases = test::tensorCases();
    int index = 0;
    const auto prepare = [&](const QString &label, const QString &command, const core::NdArray &input,
                             const core::NdArray &kernel, const core::NdArray &bias, const QStringList &args,
                             const core::NdArray &expected, const std::vector<core::AxisPads> &sides, bool csv,
                             const QString &kind, const QString &refusal) {
        const QString folder = path(QStringLiteral("case%1").arg(index++));
        QDir().mkpath(folder);
        const QString inputFile = folder + (csv ? "/input.csv" : "/input.npy");
        test::writeBytes(inputFile, QByteArray::fromStdString(csv ? core::formatTensorCsv(input) : core::formatNpy(input)));
        QStringList fileArgs = args;
        if (!kernel.shape.empty()) {
            test::writeBytes(folder + "/kernel.npy", QByteArray::fromStdString(core::formatNpy(kernel)));
            fileArgs.replaceInStrings(QRegularExpression("^kernel\\.npy$"), folder + "/kernel.npy");
            if (!args.contains("--kernel"))
                fileArgs << "--kernel" << folder + "/kernel.npy";
        }
        if (!bias.shape.empty()) {
            test::writeBytes(folder + "/bias.npy", QByteArray::fromStdString(core::formatNpy(bias)));
            fileArgs.replaceInStrings(QRegularExpression("^bias\\.npy$"), folder + "/bias.npy");
        }
        const qsizetype layoutAt = fileArgs.indexOf("--layout");
        for (const QString &framework : kFrameworks) {
            Row row;
            row.framework = framework;
            row.command = command;
            row.args = fileArgs;
            row.input = input;
            row.sides = sides;
            row.kind = kind;
            row.refusal = refusal;
            row.folder = folder;
            if (layoutAt >= 0)
                row.layout = core::parseLayout(fileArgs.at(layoutAt + 1).toStdString());
            row.expected = expected;
            const QString name = framework + ": " + label;
            m_rows[name] = row;
            QStringList code = QStringList{"code", inputFile, "--framework", framework, "-o",
                                           folder + "/" + framework + ".py"} + fileArgs;
            if (command == "convt")
                code << "--op" << "convt";
            jobs.push_back({name, code, inputFile});
        }
        if (expected.shape.empty()) {
            padlabArgs.push_back(QStringList{command, inputFile, "-o", folder + "/padlab.npy"} + fileArgs);
            padlabOf.push_back(label);
        }
    };
    for (const auto &c : cases)
        prepare(c.name + ' ' + c.args.join(' '), c.command, c.input, c.kernel, c.bias, c.args, c.output, c.sides,
                false, c.kind, {});
    for (const Extra &e : extras()) {
        const core::NdArray input = test::randomArray(e.inputShape, -9, 9, 100 + uint64_t(index));
        const core::NdArray kernel = e.kernelShape.empty() ? core::NdArray{}
                                                           : test::randomArray(e.kernelShape, -2, 2, 200 + uint64_t(index));
        prepare(QString::fromLatin1(e.name), QString::fromLatin1(e.command), input, kernel, {}, e.options, {}, {},
                e.csv, {}, QString::fromLatin1(e.pytorchRefuses));
    }

    // padlab's own answers for the extra settings.
    const std::vector<Run> answers = test::runPadlabAll(padlabArgs);
    for (size_t i = 0; i < answers.size(); ++i) {
        QVERIFY2(answers[i].exitCode == 0, answers[i].err.constData());
        const QString out = padlabArgs[i].at(padlabArgs[i].indexOf("-o") + 1);
        const core::NdArray answer = core::parseNpy(test::readBytes(out).toStdString(), "padlab.npy");
        for (const QString &framework : kFrameworks)
            m_rows[framework + ": " + padlabOf[i]].expected = answer;
    }

    std::vector<QStringList> codeArgs;
    for (const Job &job : jobs)
        codeArgs.push_back(job.codeArgs);
    const std::vector<Run> codes = test::runPadlabAll(codeArgs);
    QByteArray manifest;
    for (size_t i = 0; i < jobs.size(); ++i) {
        Row &row = m_rows[jobs[i].name];
        row.code = codes[i];
        const QString script = row.folder + "/" + row.framework + ".py";
        if (row.code.exitCode != 0)
            continue;
        if (row.framework == "keras") {
            m_kerasScripts << script;
            continue;
        }
        if (m_missing.contains(row.framework == "pytorch" ? "torch" : "numpy"))
            continue;
        manifest += (script + '\t' + jobs[i].inputFile + '\t' + row.folder + "/" + row.framework + '\n').toUtf8();
    }
    QVERIFY(test::writeBytes(path("manifest.txt"), manifest));
    QVERIFY(test::writeBytes(path("driver.py"), test::kScriptDriver));
    const Run driver = test::runProcess(test::kPython, {path("driver.py"), path("manifest.txt")}, 600000);
    QVERIFY2(driver.exitCode == 0, driver.err.constData());
    for (auto &[name, row] : m_rows) {
        if (row.framework == "keras" || row.code.exitCode != 0)
            continue;
        const QString result = row.folder + "/" + row.framework;
        row.script.out = test::readBytes(result + ".out");
        row.script.err = test::readBytes(result + ".err");
        row.script.exitCode = QFile::exists(result + ".rc") ? test::readBytes(result + ".rc").toInt() : -1;
    }
}

void TestTensorCode::scripts_data()
{
    QTest::addColumn<QString>("name");
    for (const auto &[name, row] : m_rows)
        if (row.framework != "keras")
            QTest::newRow(qPrintable(name)) << name;
}

void TestTensorCode::scripts()
{
    QFETCH(QString, name);
    const Row &row = m_rows.at(name);
    const QString refusal = row.framework != "pytorch" ? QString()
                            : row.kind.isEmpty()        ? row.refusal
                                                        : pytorchRefusal(row.command, row.args, row.input, row.sides);
    if (!refusal.isEmpty() || row.code.exitCode == 3) {
        // Refused exactly where the framework cannot, in one line saying why.
        QVERIFY2(!refusal.isEmpty(), row.code.err.constData());
        QCOMPARE(row.code.exitCode, 3);
        QVERIFY(row.code.out.isEmpty());
        const QList<QByteArray> lines = row.code.err.split('\n');
        QVERIFY2(lines.size() == 2 && lines.at(0).startsWith("padlab: PyTorch cannot express these settings: ") &&
                     lines.at(0).contains(refusal.toUtf8()),
                 row.code.err.constData());
        QVERIFY(!QFile::exists(row.folder + "/" + row.framework + ".py"));
        return;
    }
    QVERIFY2(row.code.exitCode == 0, row.code.err.constData());
    const QString module = row.framework == "pytorch" ? "torch" : "numpy";
    if (m_missing.contains(module))
        QSKIP(qPrintable("python3 cannot import " + module + " (Debian's python3-" + module + ")"));
    QVERIFY2(row.script.exitCode == 0,
             qPrintable(QString::fromUtf8(row.script.err) + "\n" +
                        QString::fromUtf8(test::readBytes(row.folder + "/" + row.framework + ".py"))));
    QVERIFY2(row.script.err.isEmpty(), row.script.err.constData());
    core::NdArray printed = core::parseTensorCsv(row.script.out.toStdString(), "script output", std::nullopt);
    // The printed text has the rank of its blocks; the expected array says how many axes it has.
    printed.shape = row.expected.shape;
    QCOMPARE(printed.values.size(), row.expected.values.size());
    double scale = 1;
    for (double v : row.expected.values)
        scale = std::max(scale, std::abs(v));
    for (size_t i = 0; i < printed.values.size(); ++i)
        QVERIFY2(std::abs(printed.values[i] - row.expected.values[i]) <= 1e-9 * scale,
                 qPrintable(QStringLiteral("value %1: %2 != %3").arg(i).arg(printed.values[i], 0, 'g', 17)
                                .arg(row.expected.values[i], 0, 'g', 17)));
}

// Keras scripts cannot run here (no TensorFlow in Debian), but every one written must be Python.
void TestTensorCode::kerasCompiles()
{
    QVERIFY(!m_kerasScripts.isEmpty());
    const Run compiled = test::runProcess(
        test::kPython, QStringList{"-c", "import sys\nfor p in sys.argv[1:]:\n    compile(open(p).read(), p, 'exec')"} +
                           m_kerasScripts);
    QVERIFY2(compiled.exitCode == 0, compiled.err.constData());
    int refused = 0;
    for (const auto &[name, row] : m_rows) {
        if (row.framework != "keras")
            continue;
        QVERIFY2(row.code.exitCode == 0 || row.code.exitCode == 3, qPrintable(name + ": " + row.code.err));
        refused += row.code.exitCode == 3;
        if (row.code.exitCode == 3)
            QVERIFY2(row.code.err.startsWith("padlab: Keras / TensorFlow cannot express these settings: "),
                     row.code.err.constData());
    }
    // Keras has no ceil mode and no explicit pooling pads: the PyTorch pooling cases are refused.
    QVERIFY(refused > 0);
}

QTEST_GUILESS_MAIN(TestTensorCode)
#include "tst_tensorcode.moc"

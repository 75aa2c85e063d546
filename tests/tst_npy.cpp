// Tensor files: .npy read from what NumPy itself writes (every dtype, format versions 1.0 to 3.0),
// written so that NumPy reads it back, every malformed header or data refused with its message;
// tensor CSV in blocks and groups of blocks, read and written the same way.
#include "padlab/core/error.h"
#include "padlab/core/npy.h"
#include "padlab/core/tensorcsv.h"
#include "tensortestutil.h"

#include <QDir>
#include <QFile>
#include <QObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>
#include <limits>

using namespace padlab::core;

namespace {

const QString kPython = QStringLiteral("/usr/bin/python3");

/// A .npy file written by hand: magic, version, header length, the header as given (padded
/// with spaces and a newline unless @p raw), then @p data.
QByteArray npyBytes(int major, const QByteArray &header, const QByteArray &data, bool raw = false)
{
    QByteArray h = header;
    const int lengthBytes = major == 1 ? 2 : 4;
    if (!raw) {
        while ((8 + lengthBytes + h.size() + 1) % 64 != 0)
            h += ' ';
        h += '\n';
    }
    QByteArray out("\x93NUMPY", 6);
    out += char(major);
    out += char(0);
    for (int i = 0; i < lengthBytes; ++i)
        out += char((h.size() >> (8 * i)) & 0xff);
    return out + h + data;
}

QByteArray dict(const QByteArray &descr, const QByteArray &shape, const QByteArray &fortran = "False")
{
    return "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }";
}

QByteArray doubles(std::initializer_list<double> values)
{
    QByteArray out;
    for (double v : values)
        out.append(reinterpret_cast<const char *>(&v), sizeof v);
    return out;
}

QString errorOf(const QByteArray &bytes)
{
    try {
        parseNpy(std::string_view(bytes.constData(), size_t(bytes.size())), "x.npy");
    } catch (const Error &e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

QString csvErrorOf(const QString &text, std::optional<Layout> layout)
{
    try {
        parseTensorCsv(text.toStdString(), "t.csv", layout);
    } catch (const Error &e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run python(const QString &script, const QStringList &args = {})
{
    QProcess p;
    p.start(kPython, QStringList{QStringLiteral("-c"), script} + args);
    p.waitForFinished(60000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

} // namespace

class TestNpy : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void numpyWritesEveryType_data();
    void numpyWritesEveryType();
    void numpyReadsWhatWeWrite();
    void roundTrip_data();
    void roundTrip();
    void headersNumPyAccepts_data();
    void headersNumPyAccepts();
    void malformed_data();
    void malformed();
    void csvRoundTrip_data();
    void csvRoundTrip();
    void csvLayouts_data();
    void csvLayouts();
    void csvMalformed_data();
    void csvMalformed();

private:
    QTemporaryDir m_dir;
};

void TestNpy::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFileInfo::exists(kPython), "/usr/bin/python3 is missing");
    const Run numpy = python(QStringLiteral("import numpy"));
    QVERIFY2(numpy.exitCode == 0, "python3 cannot import numpy (python3-numpy)");
}

void TestNpy::numpyWritesEveryType_data()
{
    QTest::addColumn<QString>("dtype");
    QTest::addColumn<int>("version");
    const QStringList types = {"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                               "float32", "float64"};
    for (const QString &t : types)
        for (int version : {1, 2, 3})
            QTest::addRow("%s, format %d.0", qPrintable(t), version) << t << version;
}

// NumPy writes a (2, 3, 4) array of every type, counting down from each type's largest exact
// value, in every format version; the reader gets every value and the shape.
void TestNpy::numpyWritesEveryType()
{
    QFETCH(QString, dtype);
    QFETCH(int, version);
    const QString path = m_dir.filePath(dtype + QString::number(version) + QStringLiteral(".npy"));
    const Run run = python(QStringLiteral(R"(
import sys, numpy as np
t = np.dtype(sys.argv[2])
if t.kind == 'b':
    a = (np.arange(24) % 3 == 0)
elif t.kind in 'iu':
    top = np.iinfo(t).max
    a = np.array([top - i for i in range(24)], dtype=t)
    if t.kind == 'i':
        a[1::2] = np.array([np.iinfo(t).min + i for i in range(12)], dtype=t)
else:
    a = (np.arange(24) - 11.5) / 8
a = a.astype(t).reshape(2, 3, 4)
with open(sys.argv[1], 'wb') as f:
    np.lib.format.write_array(f, a, version=(int(sys.argv[3]), 0))
print(' '.join(repr(float(v)) for v in a.ravel()))
)"),
                           {path, dtype, QString::number(version)});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    try {
        const NdArray a = parseNpy(std::string_view(bytes.constData(), size_t(bytes.size())), path.toStdString());
        QCOMPARE(a.shape, (std::vector<std::int64_t>{2, 3, 4}));
        const QList<QByteArray> expected = run.out.trimmed().split(' ');
        QCOMPARE(qsizetype(a.values.size()), expected.size());
        for (size_t i = 0; i < a.values.size(); ++i)
            QCOMPARE(a.values[i], expected[qsizetype(i)].toDouble());
        const NpyHeader h = parseNpyHeader(std::string_view(bytes.constData(), size_t(bytes.size())), "x");
        QCOMPARE(h.major, version);
    } catch (const Error &e) {
        QFAIL(e.what());
    }
}

void TestNpy::numpyReadsWhatWeWrite()
{
    const NdArray a{{2, 1, 3}, {0.1, -2.5, 1e300, -0.0, 3, 1.0 / 3}};
    const std::string bytes = formatNpy(a);
    QCOMPARE(bytes.size() % 64, size_t(6 * 8 % 64)); // the header ends on a multiple of 64 bytes
    const QString path = m_dir.filePath(QStringLiteral("ours.npy"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes.data(), qint64(bytes.size()));
    file.close();
    const Run run = python(QStringLiteral(R"(
import sys, numpy as np
a = np.load(sys.argv[1], allow_pickle=False)
print(a.dtype.str, a.shape, a.flags['C_CONTIGUOUS'])
print(' '.join(repr(float(v)) for v in a.ravel()))
)"),
                           {path});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QList<QByteArray> lines = run.out.trimmed().split('\n');
    QCOMPARE(lines.value(0), QByteArray("<f8 (2, 1, 3) True"));
    const QList<QByteArray> values = lines.value(1).split(' ');
    QCOMPARE(values.size(), 6);
    for (int i = 0; i < 6; ++i)
        QCOMPARE(values[i].toDouble(), a.values[size_t(i)]);
}

void TestNpy::roundTrip_data()
{
    QTest::addColumn<NdArray>("array");
    QTest::newRow("0-d") << NdArray{{}, {42}};
    QTest::newRow("empty axis") << NdArray{{0, 3}, {}};
    QTest::newRow("1-D") << NdArray{{5}, {1, -1, 0.5, 1e-310, -1e308}};
    QTest::newRow("4-D") << padlab::test::randomArray({2, 3, 2, 5}, -1e6, 1e6, 3);
}

void TestNpy::roundTrip()
{
    QFETCH(NdArray, array);
    try {
        const NdArray back = parseNpy(formatNpy(array), "round trip");
        QCOMPARE(back.shape, array.shape);
        QCOMPARE(back.values, array.values);
    } catch (const Error &e) {
        QFAIL(e.what());
    }
}

void TestNpy::headersNumPyAccepts_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<std::vector<std::int64_t>>("shape");
    QTest::newRow("keys in another order, double quotes")
        << npyBytes(1, "{\"shape\": (2,), \"fortran_order\": False, \"descr\": \"<f8\"}", doubles({1, 2}))
        << std::vector<std::int64_t>{2};
    QTest::newRow("no trailing comma, spaces around") << npyBytes(1, "  { 'descr' : '<f8' ,'fortran_order':False,'shape':( 1 , 2 ) }  ", doubles({1, 2}))
                                                       << std::vector<std::int64_t>{1, 2};
    QTest::newRow("Python 2 long sizes") << npyBytes(1, dict("<f8", "(2L,)"), doubles({1, 2}))
                                         << std::vector<std::int64_t>{2};
    QTest::newRow("one byte with any byte order mark") << npyBytes(1, dict(">u1", "(3,)"), QByteArray("\x01\x02\x03", 3))
                                                      << std::vector<std::int64_t>{3};
    QTest::newRow("0-d") << npyBytes(2, dict("<f8", "()"), doubles({7})) << std::vector<std::int64_t>{};
}

void TestNpy::headersNumPyAccepts()
{
    QFETCH(QByteArray, bytes);
    QFETCH(std::vector<std::int64_t>, shape);
    const QString error = errorOf(bytes);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(parseNpy(std::string_view(bytes.constData(), size_t(bytes.size())), "x").shape, shape);
}

void TestNpy::malformed_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("message");
    const QByteArray two = doubles({1, 2});
    QTest::newRow("empty file") << QByteArray() << "x.npy: not a NumPy .npy file";
    QTest::newRow("a CSV file") << QByteArray("1,2,3\n") << "x.npy: not a NumPy .npy file";
    QTest::newRow("magic only") << QByteArray("\x93NUMPY", 6) << "x.npy: the .npy file ends inside its version";
    QTest::newRow("no header length") << QByteArray("\x93NUMPY\x01\x00\x10", 9)
                                      << "x.npy: the .npy file ends inside its header length";
    QTest::newRow("version 4.0") << npyBytes(1, dict("<f8", "(2,)"), two).replace(6, 1, "\x04")
                                 << "x.npy: .npy format version 4.0 is not supported (1.0, 2.0 and 3.0 are)";
    QTest::newRow("version 1.1") << npyBytes(1, dict("<f8", "(2,)"), two).replace(7, 1, "\x01")
                                 << "x.npy: .npy format version 1.1 is not supported";
    QByteArray absurd("\x93NUMPY\x02\x00", 8);
    absurd += QByteArray("\xff\xff\xff\x7f", 4);
    QTest::newRow("absurd header length") << absurd
                                          << "x.npy: the .npy header of 2147483647 bytes is longer than the 10000 NumPy itself reads";
    QTest::newRow("header cut short") << npyBytes(1, dict("<f8", "(2,)"), {}).left(40)
                                      << "x.npy: the .npy header is cut short (it should end at byte 128, the file has 40)";
    // A length byte of 128 or more (a sign trap for a reader that uses char).
    QTest::newRow("header length 200, file shorter")
        << (QByteArray("\x93NUMPY\x01\x00", 8) + QByteArray("\xc8\x00", 2) + dict("<f8", "(2,)"))
        << "x.npy: the .npy header is cut short (it should end at byte 210";
    QTest::newRow("data cut short") << npyBytes(1, dict("<f8", "(3,)"), two)
                                    << "x.npy: the .npy data is cut short: the shape (3,) of '<f8' needs 24 bytes, the file holds 16";
    QTest::newRow("trailing bytes") << npyBytes(1, dict("<f8", "(1,)"), two)
                                    << "x.npy: 8 bytes follow the data the .npy header describes";
    QTest::newRow("big-endian") << npyBytes(1, dict(">f8", "(2,)"), two)
                                << "x.npy: big-endian data ('>f8') is not supported: save it with arr.astype('<f8')";
    QTest::newRow("object array") << npyBytes(1, dict("|O", "(2,)"), two)
                                  << "x.npy: object arrays ('|O') hold pickled Python objects, which are never read";
    QTest::newRow("structured") << npyBytes(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", two)
                                << "x.npy: structured arrays (a list of fields) are not supported";
    QTest::newRow("complex") << npyBytes(1, dict("<c16", "(1,)"), two)
                             << "x.npy: dtype '<c16' is not a supported number type";
    QTest::newRow("float16") << npyBytes(1, dict("<f2", "(2,)"), QByteArray(4, '\0'))
                             << "x.npy: dtype '<f2' is not a supported number type";
    QTest::newRow("Fortran order") << npyBytes(1, dict("<f8", "(1, 2)", "True"), two)
                                   << "x.npy: Fortran-order arrays are not supported";
    QTest::newRow("negative size") << npyBytes(1, dict("<f8", "(-2,)"), two) << "x.npy: the .npy shape has a negative size";
    QTest::newRow("cells overflow") << npyBytes(1, dict("<f8", "(4294967296, 4294967296)"), two)
                                    << "x.npy: the .npy shape (4294967296, 4294967296) has more cells than 64 bits count";
    QTest::newRow("bytes overflow") << npyBytes(1, dict("<f8", "(4611686018427387904,)"), two)
                                    << "x.npy: the .npy shape (4611686018427387904,) has more bytes than 64 bits count";
    QTest::newRow("size beyond 64 bits") << npyBytes(1, dict("<f8", "(99999999999999999999,)"), two)
                                         << "x.npy: the .npy shape has a size beyond 64 bits";
    QTest::newRow("huge shape, small file") << npyBytes(1, dict("<f8", "(100000000000,)"), two)
                                            << "x.npy: the .npy data is cut short: the shape (100000000000,) of '<f8' needs 800000000000 bytes";
    QTest::newRow("missing shape") << npyBytes(1, "{'descr': '<f8', 'fortran_order': False}", two)
                                   << "x.npy: the .npy header has no 'shape'";
    QTest::newRow("unknown key") << npyBytes(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'x': 1}", two)
                                 << "x.npy: the .npy header has an unknown key 'x'";
    QTest::newRow("repeated key") << npyBytes(1, "{'descr': '<f8', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", two)
                                  << "x.npy: the .npy header names 'descr' twice";
    QTest::newRow("not a dict") << npyBytes(1, "['<f8']", two)
                                << "x.npy: the .npy header is malformed: expected '{' opening the header at character 1";
    QTest::newRow("unclosed string") << npyBytes(1, "{'descr: <f8}", two)
                                     << "x.npy: the .npy header is malformed: expected the closing quote";
    QTest::newRow("not a boolean") << npyBytes(1, dict("<f8", "(2,)", "0"), two)
                                   << "x.npy: the .npy header is malformed: expected True or False";
    QTest::newRow("word in the shape") << npyBytes(1, dict("<f8", "(abc,)"), two)
                                       << "x.npy: the .npy header is malformed: expected a whole number in the shape";
    QTest::newRow("text after the dict") << npyBytes(1, dict("<f8", "(2,)") + " import os", two)
                                         << "x.npy: the .npy header is malformed: expected the end of the header";
    QTest::newRow("empty header") << npyBytes(1, "", two, true)
                                  << "x.npy: the .npy header is malformed: expected '{' opening the header at character 1, found the end";
    QTest::newRow("NaN") << npyBytes(1, dict("<f8", "(2,)"), doubles({1, std::nan("")}))
                         << "x.npy: value 2 (index (1,)) is not a finite number";
    QTest::newRow("infinity in float32")
        << npyBytes(1, dict("<f4", "(1, 2)"), QByteArray("\x00\x00\x80\x3f\x00\x00\x80\x7f", 8))
        << "x.npy: value 2 (index (0, 1)) is not a finite number";
}

void TestNpy::malformed()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, message);
    const QString error = errorOf(bytes);
    QVERIFY2(error.startsWith(message), qPrintable(error.isEmpty() ? QStringLiteral("accepted") : error));
}

void TestNpy::csvRoundTrip_data()
{
    QTest::addColumn<NdArray>("array");
    QTest::addColumn<QString>("layout");
    QTest::addColumn<QString>("text");
    QTest::newRow("L") << NdArray{{3}, {1, 2.5, -3}} << "L" << "1,2.5,-3\n";
    QTest::newRow("CL: C rows") << NdArray{{2, 2}, {1, 2, 3, 4}} << "CL" << "1,2\n3,4\n";
    QTest::newRow("CHW: C blocks of H rows") << NdArray{{2, 2, 1}, {1, 2, 3, 4}} << "CHW" << "1\n2\n\n3\n4\n";
    QTest::newRow("CDHW: C groups of D blocks")
        << NdArray{{2, 2, 1, 2}, {1, 2, 3, 4, 5, 6, 7, 8}} << "CDHW" << "1,2\n\n3,4\n\n\n5,6\n\n7,8\n";
    QTest::newRow("CDHW of one channel") << NdArray{{1, 2, 1, 1}, {0.1, 1e-300}} << "CDHW" << "0.1\n\n1e-300\n";
    QTest::newRow("random CHW") << padlab::test::randomArray({3, 4, 5}, -100, 100, 8) << "CHW" << QString();
}

void TestNpy::csvRoundTrip()
{
    QFETCH(NdArray, array);
    QFETCH(QString, layout);
    QFETCH(QString, text);
    try {
        const std::string written = formatTensorCsv(array);
        if (!text.isEmpty())
            QCOMPARE(QString::fromStdString(written), text);
        const NdArray back = parseTensorCsv(written, "t.csv", parseLayout(layout.toStdString()));
        QCOMPARE(back.shape, array.shape);
        QCOMPARE(back.values, array.values);
    } catch (const Error &e) {
        QFAIL(e.what());
    }
}

void TestNpy::csvLayouts_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("layout"); // empty: from the text
    QTest::addColumn<std::vector<std::int64_t>>("shape");
    QTest::newRow("a line is 1-D") << "1,2,3\n" << QString() << std::vector<std::int64_t>{3};
    QTest::newRow("rows are 2-D") << "1,2\n3,4\n" << QString() << std::vector<std::int64_t>{2, 2};
    QTest::newRow("blocks are 3-D") << "1\n\n2\n\n3\n" << QString() << std::vector<std::int64_t>{3, 1, 1};
    QTest::newRow("groups are 4-D") << "1\n\n\n2\n" << QString() << std::vector<std::int64_t>{2, 1, 1, 1};
    QTest::newRow("a line as CL: one channel") << "1,2,3\n" << "CL" << std::vector<std::int64_t>{1, 3};
    QTest::newRow("one block as CHW: one channel") << "1,2\n3,4\n" << "CHW" << std::vector<std::int64_t>{1, 2, 2};
    QTest::newRow("CRLF, BOM, blank lines at the end") << "\xEF\xBB\xBF" "1,2\r\n\r\n3,4\r\n\r\n\r\n" << "CHW"
                                                       << std::vector<std::int64_t>{2, 1, 2};
}

void TestNpy::csvLayouts()
{
    QFETCH(QString, text);
    QFETCH(QString, layout);
    QFETCH(std::vector<std::int64_t>, shape);
    try {
        const NdArray a = parseTensorCsv(text.toStdString(), "t.csv",
                                         layout.isEmpty() ? std::nullopt : parseLayout(layout.toStdString()));
        QCOMPARE(a.shape, shape);
    } catch (const Error &e) {
        QFAIL(e.what());
    }
}

void TestNpy::csvMalformed_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("layout");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << "\n\n" << QString() << "t.csv: no numbers (the input is empty)";
    QTest::newRow("blank first line") << "\n1,2\n" << QString() << "t.csv: line 1 is empty";
    QTest::newRow("not a number") << "1,2\n3,x\n" << QString() << "t.csv: line 2, column 2: 'x' is not a finite number";
    QTest::newRow("missing value") << "1,,2\n" << QString() << "t.csv: line 1, column 2: missing value";
    QTest::newRow("nan") << "1,nan\n" << QString() << "t.csv: line 1, column 2: 'nan' is not a finite number";
    QTest::newRow("row length") << "1,2\n\n3\n" << QString() << "t.csv: line 3 has 1 values, but line 1 has 2";
    QTest::newRow("block rows") << "1\n2\n\n3\n" << QString()
                                << "t.csv: the block from line 4 has 1 row, but the block from line 1 has 2";
    QTest::newRow("group blocks") << "1\n\n2\n\n\n3\n" << QString()
                                  << "t.csv: the group from line 6 has 1 block, but the group from line 1 has 2";
    QTest::newRow("three blank lines") << "1\n\n\n\n2\n" << QString() << "t.csv: line 4 is a third blank line in a row";
    QTest::newRow("blocks for HW") << "1\n\n2\n" << "HW"
                                   << "t.csv: layout HW takes one block of rows, but the text has 2 blocks (separated by a blank line)";
    QTest::newRow("rows for L") << "1\n2\n" << "L" << "t.csv: layout L takes a single row, but the text has 2 rows";
    QTest::newRow("groups for CHW") << "1\n\n\n2\n" << "CHW"
                                    << "t.csv: layout CHW takes no group of blocks, but the text has 2 groups of blocks";
}

void TestNpy::csvMalformed()
{
    QFETCH(QString, text);
    QFETCH(QString, layout);
    QFETCH(QString, message);
    const QString error = csvErrorOf(text, layout.isEmpty() ? std::nullopt : parseLayout(layout.toStdString()));
    QVERIFY2(error.startsWith(message), qPrintable(error.isEmpty() ? QStringLiteral("accepted") : error));
}

QTEST_GUILESS_MAIN(TestNpy)
#include "tst_npy.moc"

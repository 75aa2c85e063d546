#include "targets.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QObject>
#include <QTest>

#include <functional>
#include <map>

namespace {

/// The fuzz targets by the name of their corpus folder.
const std::map<QString, std::function<void(std::string_view)>> &targets()
{
    static const std::map<QString, std::function<void(std::string_view)>> all = {
        {QStringLiteral("csv"), padlab::fuzz::csv},         {QStringLiteral("kernel"), padlab::fuzz::kernel},
        {QStringLiteral("options"), padlab::fuzz::options}, {QStringLiteral("convolve"), padlab::fuzz::convolve},
        {QStringLiteral("layers"), padlab::fuzz::layers},   {QStringLiteral("npy"), padlab::fuzz::npy},
        {QStringLiteral("tensorcsv"), padlab::fuzz::tensorCsv},
        {QStringLiteral("lesson"), padlab::fuzz::lesson},   {QStringLiteral("image"), padlab::fuzz::image},
    };
    return all;
}

} // namespace

class TestFuzzCorpus : public QObject {
    Q_OBJECT

private slots:
    void everyTargetHasACorpus();
    void corpus_data();
    void corpus();
};

void TestFuzzCorpus::everyTargetHasACorpus()
{
    for (const auto &[name, target] : targets()) {
        const QDir folder(QStringLiteral(PADLAB_FUZZ_CORPUS "/") + name);
        QVERIFY2(!folder.entryList(QDir::Files).isEmpty(), qPrintable(folder.path()));
    }
    const QStringList folders = QDir(QStringLiteral(PADLAB_FUZZ_CORPUS)).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QCOMPARE(size_t(folders.size()), targets().size());
}

void TestFuzzCorpus::corpus_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("file");
    for (const auto &[name, target] : targets()) {
        QDirIterator files(QStringLiteral(PADLAB_FUZZ_CORPUS "/") + name, QDir::Files);
        while (files.hasNext()) {
            const QString file = files.next();
            QTest::addRow("%s/%s", qPrintable(name), qPrintable(QFileInfo(file).fileName())) << name << file;
        }
    }
}

void TestFuzzCorpus::corpus()
{
    QFETCH(QString, target);
    QFETCH(QString, file);
    QFile input(file);
    QVERIFY(input.open(QIODevice::ReadOnly));
    const QByteArray bytes = input.readAll();
    // Aborts (and so fails) on a broken promise; a crash fails the same way.
    targets().at(target)(std::string_view(bytes.constData(), size_t(bytes.size())));
}

QTEST_GUILESS_MAIN(TestFuzzCorpus)
#include "tst_fuzzcorpus.moc"

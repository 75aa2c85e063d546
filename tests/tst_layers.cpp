#include "padlab/core/error.h"
#include "padlab/core/layers.h"

#include <QLocale>
#include <QObject>
#include <QRegularExpression>
#include <QStringList>
#include <QTest>

#include <cstdint>
#include <vector>

using namespace padlab::core;

namespace {

// Keras' parameter formulas (SEMANTICS.md 2.4), written out in the test.
std::int64_t convParams(std::int64_t k, std::int64_t cin, std::int64_t filters)
{
    return k * k * cin * filters + filters;
}

std::int64_t denseParams(std::int64_t in, std::int64_t units)
{
    return in * units + units;
}

QString errorOf(const QString &shape, const QString &spec)
{
    try {
        summarize(parseInputShape(shape.toStdString()), parseLayers(spec.toStdString()));
    } catch (const Error &e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

} // namespace

class TestLayers : public QObject {
    Q_OBJECT

private slots:
    void parseLayers_data();
    void parseLayers();
    void parseInputShape_data();
    void parseInputShape();
    void paramCounts_data();
    void paramCounts();
    void shapes_data();
    void shapes();
    void deepStack();
    void formatSummary();
    void errors_data();
    void errors();
};

void TestLayers::parseLayers_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("filters");
    QTest::addColumn<int>("kernel");
    QTest::addColumn<int>("stride");
    QTest::addColumn<bool>("same");
    QTest::addColumn<int>("pool");
    QTest::addColumn<int>("units");
    const int conv = int(Layer::Kind::Conv2D);
    QTest::newRow("conv2d:32:3") << QStringLiteral("conv2d:32:3") << conv << 32 << 3 << 1 << false << 0 << 0;
    QTest::newRow("conv2d:16:5:2") << QStringLiteral("conv2d:16:5:2") << conv << 16 << 5 << 2 << false << 0 << 0;
    QTest::newRow("conv2d:8:3:1:same") << QStringLiteral("conv2d:8:3:1:same") << conv << 8 << 3 << 1 << true << 0 << 0;
    QTest::newRow("Conv2D:8:3:2:VALID") << QStringLiteral("Conv2D:8:3:2:VALID") << conv << 8 << 3 << 2 << false << 0
                                        << 0;
    QTest::newRow("maxpool:2") << QStringLiteral("maxpool:2") << int(Layer::Kind::MaxPool) << 0 << 0 << 1 << false << 2
                               << 0;
    QTest::newRow("flatten") << QStringLiteral(" flatten ") << int(Layer::Kind::Flatten) << 0 << 0 << 1 << false << 0
                             << 0;
    QTest::newRow("dense:10") << QStringLiteral("dense:10") << int(Layer::Kind::Dense) << 0 << 0 << 1 << false << 0
                              << 10;
}

void TestLayers::parseLayers()
{
    try {
        QFETCH(QString, spec);
        QFETCH(int, kind);
        QFETCH(int, filters);
        QFETCH(int, kernel);
        QFETCH(int, stride);
        QFETCH(bool, same);
        QFETCH(int, pool);
        QFETCH(int, units);

        // Each layer alone and as the second of a stack: the comma split must not lose it.
        for (const QString &text : {spec, QStringLiteral("flatten,") + spec}) {
            const std::vector<Layer> layers = padlab::core::parseLayers(text.toStdString());
            QCOMPARE(int(layers.size()), text == spec ? 1 : 2);
            const Layer &l = layers.back();
            QCOMPARE(int(l.kind), kind);
            QCOMPARE(l.filters, filters);
            QCOMPARE(l.kernel, kernel);
            QCOMPARE(l.stride, stride);
            QCOMPARE(l.same, same);
            QCOMPARE(l.pool, pool);
            QCOMPARE(l.units, units);
        }
    } catch (const std::exception &e) {
        QFAIL(qPrintable(QStringLiteral("unexpected error: ") + QString::fromUtf8(e.what())));
    }
}

void TestLayers::parseInputShape_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("shape"); // empty: refused
    QTest::newRow("28x28x1") << QStringLiteral("28x28x1") << QStringLiteral("(None, 28, 28, 1)");
    QTest::newRow("224X224X3") << QStringLiteral("224X224X3") << QStringLiteral("(None, 224, 224, 3)");
    QTest::newRow("two values") << QStringLiteral("28x28") << QString();
    QTest::newRow("four values") << QStringLiteral("28x28x1x1") << QString();
    QTest::newRow("zero") << QStringLiteral("0x28x1") << QString();
    QTest::newRow("word") << QStringLiteral("axbxc") << QString();
    QTest::newRow("empty") << QString() << QString();
}

void TestLayers::parseInputShape()
{
    QFETCH(QString, text);
    QFETCH(QString, shape);
    try {
        const Shape parsed = padlab::core::parseInputShape(text.toStdString());
        QVERIFY2(!shape.isEmpty(), "accepted");
        QCOMPARE(QString::fromStdString(parsed.text()), shape);
    } catch (const Error &e) {
        QVERIFY2(shape.isEmpty(), e.what());
        QVERIFY2(QString::fromUtf8(e.what()).contains(QLatin1String("--input-shape")), e.what());
    }
}

void TestLayers::paramCounts_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("spec");
    QTest::addColumn<qlonglong>("params");
    // SEMANTICS.md 2.4.
    QTest::newRow("3x3 conv 1->32") << QStringLiteral("28x28x1") << QStringLiteral("conv2d:32:3") << 320LL;
    QTest::newRow("3x3 conv 32->64") << QStringLiteral("26x26x32") << QStringLiteral("conv2d:64:3") << 18496LL;
    QTest::newRow("3x3 conv 64->128") << QStringLiteral("24x24x64") << QStringLiteral("conv2d:128:3") << 73856LL;
    QTest::newRow("dense 128->10") << QStringLiteral("1x1x128") << QStringLiteral("flatten,dense:10") << 1290LL;
    QTest::newRow("padding never changes the count") << QStringLiteral("26x26x32")
                                                     << QStringLiteral("conv2d:64:3:1:same") << 18496LL;
    QTest::newRow("stride never changes the count") << QStringLiteral("26x26x32")
                                                    << QStringLiteral("conv2d:64:3:2") << 18496LL;
    QTest::newRow("pooling has none") << QStringLiteral("26x26x32") << QStringLiteral("maxpool:2") << 0LL;
}

void TestLayers::paramCounts()
{
    try {
        QFETCH(QString, input);
        QFETCH(QString, spec);
        QFETCH(qlonglong, params);
        const StackSummary s = summarize(padlab::core::parseInputShape(input.toStdString()),
                                         padlab::core::parseLayers(spec.toStdString()));
        QVERIFY(!s.rows.empty());
        QCOMPARE(qlonglong(s.rows.back().params), params);
        qlonglong total = 0;
        for (const LayerRow &r : s.rows)
            total += r.params;
        QCOMPARE(qlonglong(s.totalParams), total);
    } catch (const std::exception &e) {
        QFAIL(qPrintable(QStringLiteral("unexpected error: ") + QString::fromUtf8(e.what())));
    }
}

void TestLayers::shapes_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QStringList>("outputs");
    QTest::newRow("valid 3x3") << QStringLiteral("28x28x1") << QStringLiteral("conv2d:32:3")
                               << QStringList{QStringLiteral("(None, 26, 26, 32)")};
    QTest::newRow("same 3x3") << QStringLiteral("28x28x1") << QStringLiteral("conv2d:32:3:1:same")
                              << QStringList{QStringLiteral("(None, 28, 28, 32)")};
    QTest::newRow("valid stride 2") << QStringLiteral("28x28x1") << QStringLiteral("conv2d:8:3:2")
                                    << QStringList{QStringLiteral("(None, 13, 13, 8)")};
    QTest::newRow("same stride 2, odd size") << QStringLiteral("27x20x3") << QStringLiteral("conv2d:8:3:2:same")
                                             << QStringList{QStringLiteral("(None, 14, 10, 8)")};
    QTest::newRow("valid 5x5 on a rectangle") << QStringLiteral("10x7x2") << QStringLiteral("conv2d:4:5")
                                              << QStringList{QStringLiteral("(None, 6, 3, 4)")};
    QTest::newRow("maxpool 2") << QStringLiteral("26x26x32") << QStringLiteral("maxpool:2")
                               << QStringList{QStringLiteral("(None, 13, 13, 32)")};
    QTest::newRow("maxpool 3 drops the rest") << QStringLiteral("28x28x4") << QStringLiteral("maxpool:3")
                                              << QStringList{QStringLiteral("(None, 9, 9, 4)")};
    QTest::newRow("flatten") << QStringLiteral("5x5x16") << QStringLiteral("flatten")
                             << QStringList{QStringLiteral("(None, 400)")};
    QTest::newRow("conv pool flatten dense")
        << QStringLiteral("28x28x1") << QStringLiteral("conv2d:32:3,maxpool:2,flatten,dense:10")
        << QStringList{QStringLiteral("(None, 26, 26, 32)"), QStringLiteral("(None, 13, 13, 32)"),
                       QStringLiteral("(None, 5408)"), QStringLiteral("(None, 10)")};
}

void TestLayers::shapes()
{
    try {
        QFETCH(QString, input);
        QFETCH(QString, spec);
        QFETCH(QStringList, outputs);
        const StackSummary s = summarize(padlab::core::parseInputShape(input.toStdString()),
                                         padlab::core::parseLayers(spec.toStdString()));
        QStringList actual;
        for (const LayerRow &r : s.rows)
            actual << QString::fromStdString(r.output.text());
        QCOMPARE(actual, outputs);
    } catch (const std::exception &e) {
        QFAIL(qPrintable(QStringLiteral("unexpected error: ") + QString::fromUtf8(e.what())));
    }
}

void TestLayers::deepStack()
{
    try {
        const StackSummary s = summarize(
            padlab::core::parseInputShape("28x28x1"),
            padlab::core::parseLayers("conv2d:32:3,conv2d:64:3,conv2d:128:3,flatten,dense:256,dense:10"));
        QCOMPARE(int(s.rows.size()), 6);

        // Sizes shrink by k-1 per valid 3x3 conv: 26, 24, 22.
        const std::vector<std::int64_t> params = {
            convParams(3, 1, 32), convParams(3, 32, 64), convParams(3, 64, 128), 0,
            denseParams(22 * 22 * 128, 256), denseParams(256, 10)};
        const QStringList shapes = {QStringLiteral("(None, 26, 26, 32)"), QStringLiteral("(None, 24, 24, 64)"),
                                    QStringLiteral("(None, 22, 22, 128)"), QStringLiteral("(None, 61952)"),
                                    QStringLiteral("(None, 256)"), QStringLiteral("(None, 10)")};
        std::int64_t total = 0;
        for (size_t i = 0; i < params.size(); ++i) {
            QCOMPARE(QString::fromStdString(s.rows[i].output.text()), shapes[int(i)]);
            QCOMPARE(s.rows[i].params, params[i]);
            total += params[i];
        }
        QCOMPARE(s.totalParams, total);

        // Keras names the layers by type, numbering repeats.
        QCOMPARE(QString::fromStdString(s.rows[0].name), QStringLiteral("conv2d (Conv2D)"));
        QCOMPARE(QString::fromStdString(s.rows[1].name), QStringLiteral("conv2d_1 (Conv2D)"));
        QCOMPARE(QString::fromStdString(s.rows[3].name), QStringLiteral("flatten (Flatten)"));
        QCOMPARE(QString::fromStdString(s.rows[5].name), QStringLiteral("dense_1 (Dense)"));
    } catch (const std::exception &e) {
        QFAIL(qPrintable(QStringLiteral("unexpected error: ") + QString::fromUtf8(e.what())));
    }
}

void TestLayers::formatSummary()
{
    try {
        const StackSummary s = summarize(padlab::core::parseInputShape("28x28x1"),
                                         padlab::core::parseLayers("conv2d:32:3,maxpool:2,flatten,dense:128,dense:10"));
        const QString table = QString::fromStdString(padlab::core::formatSummary(s));
        const QStringList lines = table.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY2(!lines.isEmpty(), qPrintable(table));

        const std::int64_t total = convParams(3, 1, 32) + denseParams(13 * 13 * 32, 128) + denseParams(128, 10);
        QCOMPARE(qlonglong(s.totalParams), qlonglong(total));
        // Keras prints the total with thousands separators.
        QCOMPARE(lines.last(), QStringLiteral("Total params: ") + QLocale(QLocale::English).toString(qlonglong(total)));

        QVERIFY2(table.contains(QLatin1String("Layer (type)")) && table.contains(QLatin1String("Output Shape"))
                     && table.contains(QLatin1String("Param #")),
                 qPrintable(table));
        // Every layer has a line with its name, shape and count, in order.
        int from = 0;
        for (const LayerRow &r : s.rows) {
            const QString name = QString::fromStdString(r.name);
            const int at = int(lines.indexOf(QRegularExpression(QStringLiteral("^") + QRegularExpression::escape(name)
                                                                + QStringLiteral("\\s.*")),
                                             from));
            QVERIFY2(at >= 0, qPrintable(name + QStringLiteral(" missing or out of order in\n") + table));
            QVERIFY2(lines[at].contains(QString::fromStdString(r.output.text())), qPrintable(lines[at]));
            QVERIFY2(lines[at].trimmed().endsWith(QLocale(QLocale::English).toString(qlonglong(r.params))),
                     qPrintable(lines[at]));
            from = at + 1;
        }
    } catch (const std::exception &e) {
        QFAIL(qPrintable(QStringLiteral("unexpected error: ") + QString::fromUtf8(e.what())));
    }
}

void TestLayers::errors_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QStringList>("mentions");
    QTest::newRow("unknown layer") << QStringLiteral("28x28x1") << QStringLiteral("conv2d:8:3,conv3d:8:3")
                                   << QStringList{QStringLiteral("conv3d:8:3")};
    QTest::newRow("dense without units") << QStringLiteral("28x28x1") << QStringLiteral("flatten,dense")
                                         << QStringList{QStringLiteral("dense")};
    QTest::newRow("dense empty units") << QStringLiteral("28x28x1") << QStringLiteral("flatten,dense:")
                                       << QStringList{QStringLiteral("UNITS")};
    QTest::newRow("conv without kernel") << QStringLiteral("28x28x1") << QStringLiteral("conv2d:32")
                                         << QStringList{QStringLiteral("conv2d:32")};
    QTest::newRow("conv with 0 filters") << QStringLiteral("28x28x1") << QStringLiteral("conv2d:0:3")
                                         << QStringList{QStringLiteral("FILTERS")};
    QTest::newRow("conv with unknown padding") << QStringLiteral("28x28x1") << QStringLiteral("conv2d:8:3:1:causal")
                                               << QStringList{QStringLiteral("causal")};
    QTest::newRow("conv larger than input") << QStringLiteral("5x5x1") << QStringLiteral("conv2d:8:7")
                                            << QStringList{QStringLiteral("layer 1"), QStringLiteral("conv2d")};
    QTest::newRow("second conv larger than its input")
        << QStringLiteral("6x6x1") << QStringLiteral("conv2d:8:3,conv2d:8:5")
        << QStringList{QStringLiteral("layer 2"), QStringLiteral("conv2d")};
    QTest::newRow("conv after flatten") << QStringLiteral("8x8x1") << QStringLiteral("flatten,conv2d:8:3")
                                        << QStringList{QStringLiteral("layer 2"), QStringLiteral("flatten")};
    QTest::newRow("pool larger than input") << QStringLiteral("3x3x1") << QStringLiteral("maxpool:4")
                                            << QStringList{QStringLiteral("layer 1"), QStringLiteral("maxpool")};
    // A count beyond 64 bits must be refused, not wrapped into a wrong total.
    QTest::newRow("parameter count beyond int64, conv")
        << QStringLiteral("1x1x1") << QStringLiteral("conv2d:1000:1000000000:1:same")
        << QStringList{QStringLiteral("layer 1")};
    QTest::newRow("parameter count beyond int64, dense")
        << QStringLiteral("1000000x1000000x1000000") << QStringLiteral("flatten,dense:1000")
        << QStringList{QStringLiteral("layer 2")};
    QTest::newRow("no layers") << QStringLiteral("3x3x1") << QStringLiteral(" ")
                               << QStringList{QStringLiteral("no layers")};
}

void TestLayers::errors()
{
    QFETCH(QString, input);
    QFETCH(QString, spec);
    QFETCH(QStringList, mentions);
    const QString message = errorOf(input, spec);
    QVERIFY2(!message.isNull(), "accepted");
    for (const QString &m : mentions)
        QVERIFY2(message.contains(m), qPrintable(m + QStringLiteral(" not in: ") + message));
}

QTEST_GUILESS_MAIN(TestLayers)
#include "tst_layers.moc"

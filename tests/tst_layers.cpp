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
    void fullGrammar_data();
    void fullGrammar();
    void fullGrammarErrors_data();
    void fullGrammarErrors();
    void stackInputShape_data();
    void stackInputShape();
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

// The stacks of DESIGN.md's summary grammar, worked out by hand with Keras' rules: valid
// floor((n - e)/s) + 1, same and causal ceil(n/s), Conv2DTranspose valid (n - 1)*s + max(e, s) and
// same n*s; parameters Conv prod(k)*c_in*F + F, DepthwiseConv2D prod(k)*c_in*M + c_in*M,
// SeparableConv2D prod(k)*c_in + c_in*F + F, Dense in*units + units.
void TestLayers::fullGrammar_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<QStringList>("shapes");
    QTest::addColumn<QList<qlonglong>>("params");

    QTest::newRow("1-D: causal dilated conv, pool, strided conv, global average, dense")
        << QStringLiteral("100x1") << QStringLiteral("conv1d:16:5:1:causal:2,maxpool1d:2,conv1d:32:3:2,globalavgpool,dense:10")
        << QStringList{"conv1d (Conv1D)", "max_pooling1d (MaxPooling1D)", "conv1d_1 (Conv1D)",
                       "global_average_pooling1d (GlobalAveragePooling1D)", "dense (Dense)"}
        // causal: ceil(100/1) = 100; pool: (100-2)/2+1 = 50; valid s2: (50-3)/2+1 = 24.
        << QStringList{"(None, 100, 16)", "(None, 50, 16)", "(None, 24, 32)", "(None, 32)", "(None, 10)"}
        // 5*1*16+16 = 96; 3*16*32+32 = 1568; 32*10+10 = 330.
        << QList<qlonglong>{96, 0, 1568, 0, 330};
    QTest::newRow("2-D: zero padding per side, every conv kind, pooling, global max")
        << QStringLiteral("32x32x3")
        << QStringLiteral("zeropad2d:1:2:3:4,conv2d:8:3x5:2,depthwise2d:3:1:same:2,separable2d:32:3:1:same,"
                          "conv2dt:4:3:2,conv2dt:4:3:2:same,avgpool2d:2:2:same,maxpool:2,globalmaxpool,dense:3")
        << QStringList{"zero_padding2d (ZeroPadding2D)", "conv2d (Conv2D)", "depthwise_conv2d (DepthwiseConv2D)",
                       "separable_conv2d (SeparableConv2D)", "conv2d_transpose (Conv2DTranspose)",
                       "conv2d_transpose_1 (Conv2DTranspose)", "average_pooling2d (AveragePooling2D)",
                       "max_pooling2d (MaxPooling2D)", "global_max_pooling2d (GlobalMaxPooling2D)", "dense (Dense)"}
        // 32+1+2 = 35, 32+3+4 = 39; (35-3)/2+1 = 17, (39-5)/2+1 = 18; same keeps 17x18, 8*2 = 16
        // channels; conv2dt valid (17-1)*2+3 = 35, (18-1)*2+3 = 37; same 35*2 = 70, 37*2 = 74;
        // avg same ceil(70/2) = 35, ceil(74/2) = 37; maxpool (35-2)/2+1 = 17, (37-2)/2+1 = 18.
        << QStringList{"(None, 35, 39, 3)", "(None, 17, 18, 8)", "(None, 17, 18, 16)", "(None, 17, 18, 32)",
                       "(None, 35, 37, 4)", "(None, 70, 74, 4)", "(None, 35, 37, 4)", "(None, 17, 18, 4)",
                       "(None, 4)", "(None, 3)"}
        // 3*5*3*8+8 = 368; 3*3*8*2+8*2 = 160; 3*3*16 + 16*32 + 32 = 688; 3*3*32*4+4 = 1156;
        // 3*3*4*4+4 = 148; 4*3+3 = 15.
        << QList<qlonglong>{0, 368, 160, 688, 1156, 148, 0, 0, 0, 15};
    QTest::newRow("3-D: symmetric and per-side zero padding, dilated same conv, pooling, flatten")
        << QStringLiteral("16x64x64x1")
        << QStringLiteral("zeropad3d:1,conv3d:8:3,maxpool3d:2,conv3d:16:3x3x3:1:same:2,avgpool3d:2:2:valid,"
                          "zeropad3d:0:1:2:3:4:5,flatten,dense:1")
        << QStringList{"zero_padding3d (ZeroPadding3D)", "conv3d (Conv3D)", "max_pooling3d (MaxPooling3D)",
                       "conv3d_1 (Conv3D)", "average_pooling3d (AveragePooling3D)",
                       "zero_padding3d_1 (ZeroPadding3D)", "flatten (Flatten)", "dense (Dense)"}
        // 16+2 = 18, 64+2 = 66; valid 3: 16, 64; pool 2: 8, 32; same: 8, 32; avg 2: 4, 16;
        // pads 0+1, 2+3, 4+5: 5, 21, 25; flatten 5*21*25*16 = 42000.
        << QStringList{"(None, 18, 66, 66, 1)", "(None, 16, 64, 64, 8)", "(None, 8, 32, 32, 8)",
                       "(None, 8, 32, 32, 16)", "(None, 4, 16, 16, 16)", "(None, 5, 21, 25, 16)", "(None, 42000)",
                       "(None, 1)"}
        // 27*1*8+8 = 224; 27*8*16+16 = 3472; 42000*1+1 = 42001.
        << QList<qlonglong>{0, 224, 0, 3472, 0, 0, 0, 42001};
    QTest::newRow("dense on the last axis of a sequence")
        << QStringLiteral("10x4") << QStringLiteral("dense:6,zeropad1d:2:0,conv1d:2:3")
        << QStringList{"dense (Dense)", "zero_padding1d (ZeroPadding1D)", "conv1d (Conv1D)"}
        // 4*6+6 = 30; 10+2 = 12; (12-3)+1 = 10, 3*6*2+2 = 38.
        << QStringList{"(None, 10, 6)", "(None, 12, 6)", "(None, 10, 2)"} << QList<qlonglong>{30, 0, 38};
    QTest::newRow("Keras valid transposed conv with e < s: (4-1)*3 + max(1, 3) = 12")
        << QStringLiteral("4x4x1") << QStringLiteral("conv2dt:2:1:3") << QStringList{"conv2d_transpose (Conv2DTranspose)"}
        << QStringList{"(None, 12, 12, 2)"} << QList<qlonglong>{1 * 1 * 1 * 2 + 2};
}

void TestLayers::fullGrammar()
{
    QFETCH(QString, input);
    QFETCH(QString, spec);
    QFETCH(QStringList, names);
    QFETCH(QStringList, shapes);
    QFETCH(QList<qlonglong>, params);
    try {
        const StackSummary s = summarizeLayers(parseStackInputShape(input.toStdString()), parseLayerSpecs(spec.toStdString()));
        QStringList actualNames;
        QStringList actualShapes;
        QList<qlonglong> actualParams;
        qlonglong total = 0;
        for (const LayerRow &r : s.rows) {
            actualNames << QString::fromStdString(r.name);
            actualShapes << QString::fromStdString(r.output.text());
            actualParams << r.params;
        }
        for (qlonglong p : params)
            total += p;
        QCOMPARE(actualNames, names);
        QCOMPARE(actualShapes, shapes);
        QCOMPARE(actualParams, params);
        QCOMPARE(qlonglong(s.totalParams), total);
    } catch (const std::exception &e) {
        QFAIL(e.what());
    }
}

void TestLayers::fullGrammarErrors_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("message");
    QTest::newRow("conv3d on an image")
        << QStringLiteral("28x28x1") << QStringLiteral("conv2d:8:3,conv3d:8:3")
        << QStringLiteral("--layers: layer 2 (conv3d) 'conv3d:8:3': needs a DxHxWxC input, but layer 1 (conv2d) gives "
                          "(None, 26, 26, 8)");
    QTest::newRow("conv1d on the input shape of an image")
        << QStringLiteral("28x28x1") << QStringLiteral("conv1d:8:3")
        << QStringLiteral("--layers: layer 1 (conv1d) 'conv1d:8:3': needs an LxC input, but the input shape is (None, 28, 28, 1)");
    QTest::newRow("global pooling after flatten")
        << QStringLiteral("5x5x3") << QStringLiteral("flatten,globalavgpool")
        << QStringLiteral("--layers: layer 2 (globalavgpool) 'globalavgpool': needs an input with spatial axes, but layer 1 "
                          "(flatten) gives (None, 75)");
    QTest::newRow("stride with dilation")
        << QStringLiteral("50x1") << QStringLiteral("conv1d:8:3:2:valid:2")
        << QStringLiteral("--layers: layer 1 (conv1d) 'conv1d:8:3:2:valid:2': Keras does not take a stride above 1 "
                          "together with a dilation above 1");
    // e = 3*(3-1)+1 = 7 > 5.
    QTest::newRow("dilated kernel larger than its input")
        << QStringLiteral("5x5x1") << QStringLiteral("conv2d:1:3:1:valid:3")
        << QStringLiteral("--layers: layer 1 (conv2d) 'conv2d:1:3:1:valid:3': the kernel 3 dilated by 3 reaches 7 cells, "
                          "more than its input (None, 5, 5, 1) under valid padding");
    QTest::newRow("pool 3-D larger than its input")
        << QStringLiteral("2x8x8x1") << QStringLiteral("avgpool3d:3")
        << QStringLiteral("--layers: layer 1 (avgpool3d) 'avgpool3d:3': the pool 3 is larger than its input (None, 2, 8, 8, 1) "
                          "under valid padding");
    QTest::newRow("causal on conv2d") << QStringLiteral("8x8x1") << QStringLiteral("conv2d:8:3:1:causal")
                                      << QStringLiteral("--layers: 'conv2d:8:3:1:causal': causal padding is Keras Conv1D's only (conv1d)");
    QTest::newRow("two kernel sizes for conv1d") << QStringLiteral("8x1") << QStringLiteral("conv1d:8:3x3")
                                                 << QStringLiteral("--layers: 'conv1d:8:3x3': K has 2 values for a 1-D layer (give 1)");
    QTest::newRow("three pads for zeropad2d") << QStringLiteral("8x8x1") << QStringLiteral("zeropad2d:1:2:3")
                                              << QStringLiteral("--layers: 'zeropad2d:1:2:3': expected zeropad2d:P or T:B:L:R");
    QTest::newRow("values for flatten") << QStringLiteral("8x8x1") << QStringLiteral("flatten:2")
                                        << QStringLiteral("--layers: 'flatten:2': flatten takes no values");
    QTest::newRow("zero multiplier") << QStringLiteral("8x8x1") << QStringLiteral("depthwise2d:3:1:same:0")
                                     << QStringLiteral("--layers: 'depthwise2d:3:1:same:0': MULTIPLIER must be a whole number of 1 or more");
}

void TestLayers::fullGrammarErrors()
{
    QFETCH(QString, input);
    QFETCH(QString, spec);
    QFETCH(QString, message);
    try {
        summarizeLayers(parseStackInputShape(input.toStdString()), parseLayerSpecs(spec.toStdString()));
        QFAIL("accepted");
    } catch (const Error &e) {
        QVERIFY2(QString::fromUtf8(e.what()).startsWith(message), e.what());
    }
    // The layer-stack builder takes a part of the grammar and names what it cannot show.
    if (spec.startsWith(QLatin1String("conv2d:8:3,conv3d"))) {
        QVERIFY_THROWS_EXCEPTION(Error, padlab::core::parseLayers(spec.toStdString()));
        try {
            padlab::core::parseLayers(spec.toStdString());
        } catch (const Error &e) {
            QVERIFY2(QString::fromUtf8(e.what()).startsWith(QLatin1String("--layers: 'conv3d:8:3': the layer-stack builder takes")),
                     e.what());
        }
    }
}

void TestLayers::stackInputShape_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("shape"); // empty: refused
    QTest::newRow("LxC") << QStringLiteral("100x1") << QStringLiteral("(None, 100, 1)");
    QTest::newRow("HxWxC") << QStringLiteral("28x28x3") << QStringLiteral("(None, 28, 28, 3)");
    QTest::newRow("DxHxWxC") << QStringLiteral("16X64x64x1") << QStringLiteral("(None, 16, 64, 64, 1)");
    QTest::newRow("one value") << QStringLiteral("28") << QString();
    QTest::newRow("five values") << QStringLiteral("1x2x3x4x5") << QString();
    QTest::newRow("zero") << QStringLiteral("0x3") << QString();
}

void TestLayers::stackInputShape()
{
    QFETCH(QString, text);
    QFETCH(QString, shape);
    try {
        const Shape parsed = parseStackInputShape(text.toStdString());
        QVERIFY2(!shape.isEmpty(), "accepted");
        QCOMPARE(QString::fromStdString(parsed.text()), shape);
    } catch (const Error &e) {
        QVERIFY2(shape.isEmpty(), e.what());
        QVERIFY2(QString::fromUtf8(e.what()).startsWith(QLatin1String("--input-shape: ")), e.what());
    }
}

QTEST_GUILESS_MAIN(TestLayers)
#include "tst_layers.moc"

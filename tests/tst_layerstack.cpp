#include "layerstackview.h"
#include "session.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QImage>
#include <QLabel>
#include <QSpinBox>
#include <QTableWidget>
#include <QtTest>

#include <algorithm>
#include <cstdlib>

using padlab::core::Layer;
using padlab::ui::LayerStackView;
using padlab::ui::Session;

namespace {

// Keras' parameter counts (DESIGN.md), written out here so that the engine is not its own oracle.
qlonglong conv(qlonglong k, qlonglong channelsIn, qlonglong filters)
{
    return k * k * channelsIn * filters + filters;
}

qlonglong dense(qlonglong in, qlonglong units)
{
    return in * units + units;
}

QString commas(qlonglong n)
{
    QString digits = QString::number(n);
    for (qsizetype at = digits.size() - 3; at > 0; at -= 3)
        digits.insert(at, QLatin1Char(','));
    return digits;
}

QString shape(const QList<qlonglong> &dims)
{
    QString text = QStringLiteral("(None");
    for (qlonglong d : dims)
        text += QStringLiteral(", %1").arg(d);
    return text + QLatin1Char(')');
}

const QString kLessonShape = QStringLiteral("28x28x1");
const QString kLessonValid = QStringLiteral("conv2d:32:3,conv2d:64:3,conv2d:128:3,flatten,dense:256,dense:10");
const QString kLessonSame = QStringLiteral(
    "conv2d:32:3:1:same,conv2d:64:3:1:same,conv2d:128:3:1:same,flatten,dense:256,dense:10");

// Keras names the n-th layer of a kind `kind`, `kind_1`, `kind_2`, ...
const QString kConv[] = {QStringLiteral("conv2d (Conv2D)"), QStringLiteral("conv2d_1 (Conv2D)"),
                         QStringLiteral("conv2d_2 (Conv2D)")};
const QString kPool[] = {QStringLiteral("max_pooling2d (MaxPooling2D)"),
                         QStringLiteral("max_pooling2d_1 (MaxPooling2D)")};
const QString kFlatten = QStringLiteral("flatten (Flatten)");
const QString kDense[] = {QStringLiteral("dense (Dense)"), QStringLiteral("dense_1 (Dense)")};

/// The stack the editors show, read back from the visible editors only.
QString editorSpec(const LayerStackView &view)
{
    QStringList items;
    for (int r = 0; r < view.layerCount(); ++r) {
        const QString kind = view.kindEditor(r)->currentText();
        if (kind == QLatin1String("Conv2D")) {
            QString item = QStringLiteral("conv2d:%1:%2").arg(view.countEditor(r)->value()).arg(view.sizeEditor(r)->value());
            const bool same = view.paddingEditor(r)->currentText() == QLatin1String("same");
            if (view.strideEditor(r)->value() != 1 || same)
                item += QStringLiteral(":%1").arg(view.strideEditor(r)->value());
            if (same)
                item += QStringLiteral(":same");
            items << item;
        } else if (kind == QLatin1String("MaxPool")) {
            items << QStringLiteral("maxpool:%1").arg(view.sizeEditor(r)->value());
        } else if (kind == QLatin1String("Flatten")) {
            items << QStringLiteral("flatten");
        } else {
            items << QStringLiteral("dense:%1").arg(view.countEditor(r)->value());
        }
    }
    return items.join(QLatin1Char(','));
}

QString inputText(const LayerStackView &view)
{
    return QStringLiteral("%1x%2x%3")
        .arg(view.inputEditor(0)->value())
        .arg(view.inputEditor(1)->value())
        .arg(view.inputEditor(2)->value());
}

const Layer::Kind kKinds[] = {Layer::Kind::Conv2D, Layer::Kind::MaxPool, Layer::Kind::Flatten, Layer::Kind::Dense};

/// What a user does in the editor: @p row is the layer (or input axis) acted on, -1 for none.
void apply(LayerStackView &view, const QString &action, int row, int value)
{
    if (action == QLatin1String("count"))
        view.countEditor(row)->setValue(value);
    else if (action == QLatin1String("size"))
        view.sizeEditor(row)->setValue(value);
    else if (action == QLatin1String("stride"))
        view.strideEditor(row)->setValue(value);
    else if (action == QLatin1String("padding"))
        view.paddingEditor(row)->setCurrentIndex(value);
    else if (action == QLatin1String("kind"))
        view.kindEditor(row)->setCurrentIndex(value);
    else if (action == QLatin1String("input"))
        view.inputEditor(row)->setValue(value);
    else if (action == QLatin1String("allSame"))
        view.allSameButton()->click();
    else if (action == QLatin1String("allValid"))
        view.allValidButton()->click();
    else {
        view.selectRow(row);
        if (action == QLatin1String("add"))
            view.addButton(kKinds[value])->click();
        else if (action == QLatin1String("remove"))
            view.removeButton()->click();
        else if (action == QLatin1String("up"))
            view.moveUpButton()->click();
        else if (action == QLatin1String("down"))
            view.moveDownButton()->click();
        else
            QFAIL(qPrintable(QStringLiteral("unknown action ") + action));
    }
}

bool isNear(const QColor &a, const QColor &b, int tolerance)
{
    return std::abs(a.red() - b.red()) <= tolerance && std::abs(a.green() - b.green()) <= tolerance
           && std::abs(a.blue() - b.blue()) <= tolerance;
}

} // namespace

class TstLayerstack : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initialStack();
    void summary_data();
    void summary();
    void edit_data();
    void edit();
    void refused_data();
    void refused();
    void errorInErrorColour_data();
    void errorInErrorColour();
    void setFromOutside_data();
    void setFromOutside();
    void featureMaps_data();
    void featureMaps();
    void fontScale_data();
    void fontScale();
};

void TstLayerstack::initialStack()
{
    Session session;
    session.setLayerStack(QStringLiteral("10x10x3"), QStringLiteral("conv2d:4:3,flatten"));
    LayerStackView view(&session);
    QCOMPARE(inputText(view), QStringLiteral("10x10x3"));
    QCOMPARE(editorSpec(view), QStringLiteral("conv2d:4:3,flatten"));
    const QList<LayerStackView::ShownRow> rows = view.shownRows();
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows[1].shape, shape({8 * 8 * 4}));
    QCOMPARE(view.totalText(), QStringLiteral("Total params: ") + commas(conv(3, 3, 4)));
}

void TstLayerstack::summary_data()
{
    QTest::addColumn<QString>("inputShape");
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<QStringList>("shapes");
    QTest::addColumn<QList<qlonglong>>("params");

    // valid shrinks each 3x3 conv's map by 2: 28, 26, 24, 22.
    QTest::newRow("lesson stack, valid")
        << kLessonShape << kLessonValid
        << QStringList{kConv[0], kConv[1], kConv[2], kFlatten, kDense[0], kDense[1]}
        << QStringList{shape({26, 26, 32}), shape({24, 24, 64}), shape({22, 22, 128}), shape({22 * 22 * 128}),
                       shape({256}), shape({10})}
        << QList<qlonglong>{conv(3, 1, 32), conv(3, 32, 64), conv(3, 64, 128), 0, dense(22 * 22 * 128, 256),
                            dense(256, 10)};
    // same keeps 28: the conv counts do not change, the first Dense grows with the map.
    QTest::newRow("lesson stack, same")
        << kLessonShape << kLessonSame
        << QStringList{kConv[0], kConv[1], kConv[2], kFlatten, kDense[0], kDense[1]}
        << QStringList{shape({28, 28, 32}), shape({28, 28, 64}), shape({28, 28, 128}), shape({28 * 28 * 128}),
                       shape({256}), shape({10})}
        << QList<qlonglong>{conv(3, 1, 32), conv(3, 32, 64), conv(3, 64, 128), 0, dense(28 * 28 * 128, 256),
                            dense(256, 10)};
    // Pool 2 halves and drops the odd cell: 32 -> 16; 14 -> 7.
    QTest::newRow("maxpool stack")
        << QStringLiteral("32x32x3") << QStringLiteral("conv2d:16:3:1:same,maxpool:2,conv2d:32:3,maxpool:2,flatten,dense:10")
        << QStringList{kConv[0], kPool[0], kConv[1], kPool[1], kFlatten, kDense[0]}
        << QStringList{shape({32, 32, 16}), shape({16, 16, 16}), shape({14, 14, 32}), shape({7, 7, 32}),
                       shape({7 * 7 * 32}), shape({10})}
        << QList<qlonglong>{conv(3, 3, 16), 0, conv(3, 16, 32), 0, 0, dense(7 * 7 * 32, 10)};
    // Stride 2 valid: floor((28 - 3) / 2) + 1 = 13; stride 2 same: ceil(13 / 2) = 7.
    QTest::newRow("strided convs")
        << kLessonShape << QStringLiteral("conv2d:8:3:2,conv2d:16:3:2:same,flatten,dense:10")
        << QStringList{kConv[0], kConv[1], kFlatten, kDense[0]}
        << QStringList{shape({13, 13, 8}), shape({7, 7, 16}), shape({7 * 7 * 16}), shape({10})}
        << QList<qlonglong>{conv(3, 1, 8), conv(3, 8, 16), 0, dense(7 * 7 * 16, 10)};
    // Dense on an HxWxC map acts on the last axis, as in Keras.
    QTest::newRow("dense before flatten")
        << QStringLiteral("5x5x2") << QStringLiteral("dense:4,flatten")
        << QStringList{kDense[0], kFlatten} << QStringList{shape({5, 5, 4}), shape({100})}
        << QList<qlonglong>{dense(2, 4), 0};
}

void TstLayerstack::summary()
{
    QFETCH(QString, inputShape);
    QFETCH(QString, spec);
    QFETCH(QStringList, names);
    QFETCH(QStringList, shapes);
    QFETCH(QList<qlonglong>, params);

    Session session;
    LayerStackView view(&session);
    session.setLayerStack(inputShape, spec);

    const QList<LayerStackView::ShownRow> rows = view.shownRows();
    QCOMPARE(rows.size(), names.size());
    qlonglong total = 0;
    for (int r = 0; r < rows.size(); ++r) {
        QCOMPARE(rows[r].name, names[r]);
        QCOMPARE(rows[r].shape, shapes[r]);
        QCOMPARE(rows[r].params, commas(params[r]));
        total += params[r];
    }
    QCOMPARE(view.totalText(), QStringLiteral("Total params: ") + commas(total));
    QCOMPARE(view.errorText(), QString());
    QCOMPARE(view.layerCount(), names.size());
}

void TstLayerstack::edit_data()
{
    QTest::addColumn<QString>("baseSpec");
    QTest::addColumn<QString>("action");
    QTest::addColumn<int>("row");
    QTest::addColumn<int>("value");
    QTest::addColumn<QString>("inputShape");
    QTest::addColumn<QString>("spec");
    QTest::addColumn<qlonglong>("total");
    QTest::addColumn<int>("selected");

    const QString tail = QStringLiteral(",flatten,dense:256,dense:10");
    const qlonglong head = conv(3, 1, 32) + conv(3, 32, 64) + conv(3, 64, 128);
    QTest::newRow("filters of layer 1 to 16")
        << kLessonValid << "count" << 0 << 16 << kLessonShape << "conv2d:16:3,conv2d:64:3,conv2d:128:3" + tail
        << conv(3, 1, 16) + conv(3, 16, 64) + conv(3, 64, 128) + dense(22 * 22 * 128, 256) + dense(256, 10) << 0;
    QTest::newRow("layer 2 to same")
        << kLessonValid << "padding" << 1 << 1 << kLessonShape << "conv2d:32:3,conv2d:64:3:1:same,conv2d:128:3" + tail
        << head + dense(24 * 24 * 128, 256) + dense(256, 10) << 1;
    QTest::newRow("kernel of layer 1 to 5")
        << kLessonValid << "size" << 0 << 5 << kLessonShape << "conv2d:32:5,conv2d:64:3,conv2d:128:3" + tail
        << conv(5, 1, 32) + conv(3, 32, 64) + conv(3, 64, 128) + dense(20 * 20 * 128, 256) + dense(256, 10) << 0;
    QTest::newRow("stride of layer 1 to 2")
        << kLessonValid << "stride" << 0 << 2 << kLessonShape << "conv2d:32:3:2,conv2d:64:3,conv2d:128:3" + tail
        << head + dense(9 * 9 * 128, 256) + dense(256, 10) << 0;
    QTest::newRow("Dense added after the selected flatten")
        << kLessonValid << "add" << 3 << 3 << kLessonShape
        << "conv2d:32:3,conv2d:64:3,conv2d:128:3,flatten,dense:64,dense:256,dense:10"
        << head + dense(22 * 22 * 128, 64) + dense(64, 256) + dense(256, 10) << 4;
    QTest::newRow("Dense appended with no row selected")
        << kLessonValid << "add" << -1 << 3 << kLessonShape << kLessonValid + ",dense:64"
        << head + dense(22 * 22 * 128, 256) + dense(256, 10) + dense(10, 64) << 6;
    QTest::newRow("Conv2D added after layer 1")
        << kLessonValid << "add" << 0 << 0 << kLessonShape
        << "conv2d:32:3,conv2d:32:3,conv2d:64:3,conv2d:128:3" + tail
        << conv(3, 1, 32) + conv(3, 32, 32) + conv(3, 32, 64) + conv(3, 64, 128) + dense(20 * 20 * 128, 256)
               + dense(256, 10)
        << 1;
    QTest::newRow("layer 3 removed")
        << kLessonValid << "remove" << 2 << 0 << kLessonShape << "conv2d:32:3,conv2d:64:3" + tail
        << conv(3, 1, 32) + conv(3, 32, 64) + dense(24 * 24 * 64, 256) + dense(256, 10) << 2;
    QTest::newRow("layer 3 moved up")
        << kLessonValid << "up" << 2 << 0 << kLessonShape << "conv2d:32:3,conv2d:128:3,conv2d:64:3" + tail
        << conv(3, 1, 32) + conv(3, 32, 128) + conv(3, 128, 64) + dense(22 * 22 * 64, 256) + dense(256, 10) << 1;
    QTest::newRow("layer 1 moved down")
        << kLessonValid << "down" << 0 << 0 << kLessonShape << "conv2d:64:3,conv2d:32:3,conv2d:128:3" + tail
        << conv(3, 1, 64) + conv(3, 64, 32) + conv(3, 32, 128) + dense(22 * 22 * 128, 256) + dense(256, 10) << 1;
    QTest::newRow("layer 3 becomes MaxPool")
        << kLessonValid << "kind" << 2 << 1 << kLessonShape << "conv2d:32:3,conv2d:64:3,maxpool:2" + tail
        << conv(3, 1, 32) + conv(3, 32, 64) + dense(12 * 12 * 64, 256) + dense(256, 10) << 2;
    QTest::newRow("input height 32")
        << kLessonValid << "input" << 0 << 32 << QStringLiteral("32x28x1") << kLessonValid
        << head + dense(26 * 22 * 128, 256) + dense(256, 10) << -1;
    QTest::newRow("all Conv2D same") << kLessonValid << "allSame" << -1 << 0 << kLessonShape << kLessonSame
                                      << head + dense(28 * 28 * 128, 256) + dense(256, 10) << -1;
    QTest::newRow("all Conv2D valid") << kLessonSame << "allValid" << -1 << 0 << kLessonShape << kLessonValid
                                       << head + dense(22 * 22 * 128, 256) + dense(256, 10) << -1;
    QTest::newRow("all Conv2D same from a mixed stack")
        << "conv2d:32:3:1:same,conv2d:64:3,conv2d:128:3" + tail << "allSame" << -1 << 0 << kLessonShape
        << kLessonSame << head + dense(28 * 28 * 128, 256) + dense(256, 10) << -1;
}

void TstLayerstack::edit()
{
    QFETCH(QString, baseSpec);
    QFETCH(QString, action);
    QFETCH(int, row);
    QFETCH(int, value);
    QFETCH(QString, inputShape);
    QFETCH(QString, spec);
    QFETCH(qlonglong, total);
    QFETCH(int, selected);

    Session session;
    session.setLayerStack(kLessonShape, baseSpec);
    LayerStackView view(&session);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    if (action == QLatin1String("count") || action == QLatin1String("size") || action == QLatin1String("stride")
        || action == QLatin1String("padding") || action == QLatin1String("kind"))
        view.selectRow(row);

    apply(view, action, row, value);

    QCOMPARE(session.layerInputShape(), inputShape);
    QCOMPARE(session.layerSpec(), spec);
    QCOMPARE(editorSpec(view), spec);
    QCOMPARE(view.layerCount(), int(spec.count(QLatin1Char(',')) + 1));
    QCOMPARE(view.shownRows().size(), view.layerCount());
    QCOMPARE(view.totalText(), QStringLiteral("Total params: ") + commas(total));
    QCOMPARE(view.selectedRow(), selected);
    const bool allSame = spec.count(QStringLiteral(":same")) == spec.count(QStringLiteral("conv2d"));
    const bool allValid = !spec.contains(QStringLiteral(":same"));
    QCOMPARE(view.allSameButton()->isChecked(), allSame);
    QCOMPARE(view.allValidButton()->isChecked(), allValid);
}

void TstLayerstack::refused_data()
{
    QTest::addColumn<QString>("inputShape");
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("breakAction"); // empty: the session is handed the stack as it is
    QTest::addColumn<int>("breakRow");
    QTest::addColumn<int>("breakValue");
    QTest::addColumn<QString>("names");
    QTest::addColumn<int>("faultyRow");
    QTest::addColumn<int>("rows");
    QTest::addColumn<QString>("mendAction");
    QTest::addColumn<int>("mendRow");
    QTest::addColumn<int>("mendValue");
    QTest::addColumn<QString>("mendedSpec");
    QTest::addColumn<qlonglong>("mendedTotal");

    QTest::newRow("3x3 conv on a 2x2 map") << "2x2x1" << "conv2d:4:3" << QString() << 0 << 0
                                            << "layer 1 (conv2d)" << 0 << 1 << "size" << 0 << 1 << "conv2d:4:1"
                                            << conv(1, 1, 4);
    QTest::newRow("conv after flatten") << kLessonShape << "conv2d:8:3,flatten,conv2d:8:3" << QString() << 0 << 0
                                         << "layer 3 (conv2d)" << 2 << 3 << "down" << 1 << 0
                                         << "conv2d:8:3,conv2d:8:3,flatten" << conv(3, 1, 8) + conv(3, 8, 8);
    QTest::newRow("pool larger than its map") << "4x4x1" << "conv2d:2:3,maxpool:3" << QString() << 0 << 0
                                               << "layer 2 (maxpool)" << 1 << 2 << "padding" << 0 << 1
                                               << "conv2d:2:3:1:same,maxpool:3" << conv(3, 1, 2);
    // An unreadable spec leaves the previous rows in the editor, ready to be edited.
    QTest::newRow("unreadable spec from outside")
        << kLessonShape << "conv2d:32" << QString() << 0 << 0 << "conv2d:32" << -1 << 6 << "count" << 0 << 16
        << "conv2d:16:3,conv2d:64:3,conv2d:128:3,flatten,dense:256,dense:10"
        << conv(3, 1, 16) + conv(3, 16, 64) + conv(3, 64, 128) + dense(22 * 22 * 128, 256) + dense(256, 10);
    QTest::newRow("kernel grown past the map in the editor")
        << kLessonShape << kLessonValid << "size" << 2 << 25 << "layer 3 (conv2d)" << 2 << 6 << "size" << 2 << 3
        << kLessonValid << conv(3, 1, 32) + conv(3, 32, 64) + conv(3, 64, 128) + dense(22 * 22 * 128, 256)
               + dense(256, 10);
    QTest::newRow("conv moved after flatten in the editor")
        << kLessonShape << kLessonValid << "down" << 2 << 0 << "layer 4 (conv2d)" << 3 << 6 << "up" << 3 << 0
        << kLessonValid << conv(3, 1, 32) + conv(3, 32, 64) + conv(3, 64, 128) + dense(22 * 22 * 128, 256)
               + dense(256, 10);
}

void TstLayerstack::refused()
{
    QFETCH(QString, inputShape);
    QFETCH(QString, spec);
    QFETCH(QString, breakAction);
    QFETCH(int, breakRow);
    QFETCH(int, breakValue);
    QFETCH(QString, names);
    QFETCH(int, faultyRow);
    QFETCH(int, rows);
    QFETCH(QString, mendAction);
    QFETCH(int, mendRow);
    QFETCH(int, mendValue);
    QFETCH(QString, mendedSpec);
    QFETCH(qlonglong, mendedTotal);

    Session session;
    session.setLayerStack(kLessonShape, kLessonValid);
    LayerStackView view(&session);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(view.shownRows().size(), 6);

    if (breakAction.isEmpty())
        session.setLayerStack(inputShape, spec);
    else
        apply(view, breakAction, breakRow, breakValue);

    QVERIFY2(view.errorText().contains(names), qPrintable(view.errorText()));
    QVERIFY(!view.errorText().startsWith(QLatin1String("--")));
    QCOMPARE(view.faultyRow(), faultyRow);
    QVERIFY(view.shownRows().isEmpty());
    QCOMPARE(view.totalText(), QString());
    QCOMPARE(view.layerCount(), rows);
    for (int r = 0; r < rows; ++r)
        QVERIFY(view.kindEditor(r)->isEnabled());

    apply(view, mendAction, mendRow, mendValue);

    QCOMPARE(session.layerSpec(), mendedSpec);
    QCOMPARE(view.errorText(), QString());
    QCOMPARE(view.faultyRow(), -1);
    QCOMPARE(view.shownRows().size(), rows);
    QCOMPARE(view.totalText(), QStringLiteral("Total params: ") + commas(mendedTotal));
}

void TstLayerstack::errorInErrorColour_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light") << false;
    QTest::newRow("dark") << true;
}

void TstLayerstack::errorInErrorColour()
{
    QFETCH(bool, dark);
    Session session;
    padlab::ui::Look look;
    look.dark = dark;
    session.setLook(look);
    LayerStackView view(&session);
    view.resize(900, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));

    const auto errorPixels = [&] {
        const QImage image = view.grab().toImage();
        int count = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                count += isNear(image.pixelColor(x, y), LayerStackView::errorColor(dark), 24) ? 1 : 0;
        return count;
    };
    const int before = errorPixels();
    session.setLayerStack(QStringLiteral("2x2x1"), QStringLiteral("conv2d:4:3"));
    QVERIFY(!view.errorText().isEmpty());
    const int after = errorPixels();
    // The message's glyphs are drawn in the error colour: a few hundred pixels at least.
    QVERIFY2(after > before + 200, qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(after)));
}

void TstLayerstack::setFromOutside_data()
{
    QTest::addColumn<QString>("inputShape");
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("shown"); // as the editors read it back
    QTest::addColumn<bool>("allValid");
    QTest::addColumn<bool>("allSame");

    QTest::newRow("lesson valid") << kLessonShape << kLessonValid << kLessonValid << true << false;
    QTest::newRow("lesson same") << kLessonShape << kLessonSame << kLessonSame << false << true;
    QTest::newRow("mixed, spelled out")
        << "32x30x3" << "Conv2D:16:5:2:valid, MaxPool:2, conv2d:8:3:1:same, flatten, dense:10"
        << "conv2d:16:5:2,maxpool:2,conv2d:8:3:1:same,flatten,dense:10" << false << false;
    QTest::newRow("no conv") << "4x4x2" << "flatten,dense:3" << "flatten,dense:3" << false << false;
}

void TstLayerstack::setFromOutside()
{
    QFETCH(QString, inputShape);
    QFETCH(QString, spec);
    QFETCH(QString, shown);
    QFETCH(bool, allValid);
    QFETCH(bool, allSame);

    Session session;
    session.setLayerStack(QStringLiteral("9x9x9"), QStringLiteral("maxpool:3"));
    LayerStackView view(&session);
    session.setLayerStack(inputShape, spec);

    QCOMPARE(inputText(view), inputShape);
    QCOMPARE(editorSpec(view), shown);
    QCOMPARE(view.allValidButton()->isChecked(), allValid);
    QCOMPARE(view.allSameButton()->isChecked(), allSame);
    QCOMPARE(view.shownRows().size(), view.layerCount());
    // Reading the stack into the editors does not write it back.
    QCOMPARE(session.layerSpec(), spec);
}

void TstLayerstack::featureMaps_data()
{
    QTest::addColumn<QString>("inputShape");
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QStringList>("labels");
    QTest::addColumn<QList<qlonglong>>("sides"); // H of each map, 0 for flat outputs

    QTest::newRow("lesson stack, valid")
        << kLessonShape << kLessonValid
        << QStringList{"28×28×1", "26×26×32", "24×24×64", "22×22×128", QString::number(22 * 22 * 128), "256", "10"}
        << QList<qlonglong>{28, 26, 24, 22, 0, 0, 0};
    QTest::newRow("lesson stack, same")
        << kLessonShape << kLessonSame
        << QStringList{"28×28×1", "28×28×32", "28×28×64", "28×28×128", QString::number(28 * 28 * 128), "256", "10"}
        << QList<qlonglong>{28, 28, 28, 28, 0, 0, 0};
    QTest::newRow("maxpool halves")
        << "32x32x3" << "conv2d:16:3:1:same,maxpool:2,conv2d:32:3,maxpool:2"
        << QStringList{"32×32×3", "32×32×16", "16×16×16", "14×14×32", "7×7×32"}
        << QList<qlonglong>{32, 32, 16, 14, 7};
}

void TstLayerstack::featureMaps()
{
    QFETCH(QString, inputShape);
    QFETCH(QString, spec);
    QFETCH(QStringList, labels);
    QFETCH(QList<qlonglong>, sides);

    Session session;
    LayerStackView view(&session);
    view.resize(900, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    session.setLayerStack(inputShape, spec);
    QCOMPARE(view.mapLabels(), labels);

    const QList<QRectF> boxes = view.mapBoxes();
    QCOMPARE(boxes.size(), labels.size());
    // Square maps are drawn as squares scaled by their side: the largest sets the scale.
    const qlonglong largest = *std::max_element(sides.begin(), sides.end());
    const QRectF reference = boxes[int(std::max_element(sides.begin(), sides.end()) - sides.begin())];
    QVERIFY(reference.height() >= 40);
    const QImage image = view.grab().toImage();
    const QColor background = image.pixelColor(2, image.height() / 2);
    for (int i = 0; i < boxes.size(); ++i) {
        if (sides[i] == 0)
            continue;
        QVERIFY2(std::abs(boxes[i].height() - reference.height() * sides[i] / largest) < 1.0,
                 qPrintable(QStringLiteral("map %1: %2 px").arg(i).arg(boxes[i].height())));
        QCOMPARE(boxes[i].width(), boxes[i].height());
        const QColor inside = image.pixelColor(boxes[i].center().toPoint());
        QVERIFY2(inside.blue() > inside.red() + 30 && inside != background,
                 qPrintable(QStringLiteral("map %1 is not drawn").arg(i)));
    }
}

void TstLayerstack::fontScale_data()
{
    QTest::addColumn<double>("scale");
    QTest::newRow("1") << 1.0;
    QTest::newRow("1.5") << 1.5;
    QTest::newRow("2") << 2.0;
}

void TstLayerstack::fontScale()
{
    QFETCH(double, scale);
    Session session;
    LayerStackView view(&session);
    padlab::ui::Look look;
    look.fontScale = scale;
    session.setLook(look);
    const auto *table = view.findChild<QTableWidget *>(QStringLiteral("layerSummary"));
    const auto *total = view.findChild<QLabel *>(QStringLiteral("layerTotal"));
    QVERIFY(table && total);
    // Readable from the back row: at least 13 px at scale 1, growing with the scale.
    QVERIFY(QFontInfo(table->font()).pixelSize() >= 17 * scale);
    QVERIFY(QFontInfo(total->font()).pixelSize() >= 17 * scale);
    QVERIFY(QFontInfo(view.kindEditor(0)->font()).pixelSize() >= 13 * scale);
}

QTEST_MAIN(TstLayerstack)
#include "tst_layerstack.moc"

#include "layerstackview.h"
#include "session.h"
#include "clitestutil.h"

#include "padlab/core/layers.h"

#include <QAbstractButton>
#include <QAction>
#include <QMenu>
#include <QTemporaryDir>
#include <QToolButton>
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

/// The stack the editors show, read back from the visible editors only: every field written out
/// (`conv2d:32:3:1:valid:1`), then as the grammar writes it at its shortest.
QString editorSpec(const LayerStackView &view)
{
    QStringList items;
    for (int r = 0; r < view.layerCount(); ++r) {
        QStringList f{view.kindEditor(r)->currentData().toString()};
        for (QWidget *editor : std::initializer_list<QWidget *>{view.countEditor(r), view.sizeEditor(r),
                                                                view.strideEditor(r), view.paddingEditor(r),
                                                                view.dilationEditor(r), view.multiplierEditor(r)}) {
            if (editor->isHidden())
                continue;
            if (auto *spin = qobject_cast<QSpinBox *>(editor))
                f << QString::number(spin->value());
            else
                f << static_cast<QComboBox *>(editor)->currentText();
        }
        for (int side = 0; side < 6; ++side)
            if (!view.padEditor(r, side)->isHidden())
                f << QString::number(view.padEditor(r, side)->value());
        items << f.join(QLatin1Char(':'));
    }
    return padlab::ui::layerSpecText(padlab::core::parseLayerSpecs(items.join(QLatin1Char(',')).toStdString()));
}

QString inputText(const LayerStackView &view)
{
    QStringList dims;
    for (int axis = 0; view.inputEditor(axis); ++axis)
        dims << QString::number(view.inputEditor(axis)->value());
    return dims.join(QLatin1Char('x'));
}

const Layer::Kind kKinds[] = {Layer::Kind::Conv2D, Layer::Kind::MaxPool, Layer::Kind::Flatten, Layer::Kind::Dense};
const QString kKindLabels[] = {QStringLiteral("Conv2D"), QStringLiteral("MaxPooling2D"), QStringLiteral("Flatten"),
                               QStringLiteral("Dense")};

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
        view.kindEditor(row)->setCurrentIndex(view.kindEditor(row)->findText(kKindLabels[value]));
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
    void newKinds_data();
    void newKinds();
    void newKindsRefused_data();
    void newKindsRefused();
    void rankShapes_data();
    void rankShapes();
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

namespace {

/// What a user does to build a stack of any kind, one step per item: `rank:R`, `input:AXIS:V`,
/// `add:WORD` (the "+ Layer" menu), `count|size|stride|dilation|multiplier:ROW:V`,
/// `padding:ROW:WORD`, `pad:ROW:SIDE:V`, `kind:ROW:WORD`.
void build(LayerStackView &view, const QStringList &steps)
{
    for (const QString &step : steps) {
        const QStringList f = step.split(QLatin1Char(':'));
        const QString &what = f[0];
        const int row = f.size() > 1 ? f[1].toInt() : -1;
        if (what == QLatin1String("rank")) {
            QComboBox *rank = view.rankEditor();
            rank->setCurrentIndex(rank->findData(row));
        } else if (what == QLatin1String("input")) {
            QVERIFY2(view.inputEditor(row), qPrintable(step));
            view.inputEditor(row)->setValue(f[2].toInt());
        } else if (what == QLatin1String("add")) {
            view.selectRow(-1);
            QAction *action = view.addLayerAction(f[1]);
            QVERIFY2(action, qPrintable(step));
            QVERIFY(view.addMenuButton()->menu()->actions().contains(action));
            action->trigger();
        } else if (what == QLatin1String("count")) {
            view.countEditor(row)->setValue(f[2].toInt());
        } else if (what == QLatin1String("size")) {
            view.sizeEditor(row)->setValue(f[2].toInt());
        } else if (what == QLatin1String("stride")) {
            view.strideEditor(row)->setValue(f[2].toInt());
        } else if (what == QLatin1String("dilation")) {
            QVERIFY(!view.dilationEditor(row)->isHidden());
            view.dilationEditor(row)->setValue(f[2].toInt());
        } else if (what == QLatin1String("multiplier")) {
            QVERIFY(!view.multiplierEditor(row)->isHidden());
            view.multiplierEditor(row)->setValue(f[2].toInt());
        } else if (what == QLatin1String("padding")) {
            const int index = view.paddingEditor(row)->findText(f[2]);
            QVERIFY2(index >= 0, qPrintable(step));
            view.paddingEditor(row)->setCurrentIndex(index);
        } else if (what == QLatin1String("pad")) {
            QSpinBox *pad = view.padEditor(row, f[2].toInt());
            QVERIFY2(pad && !pad->isHidden(), qPrintable(step));
            pad->setValue(f[3].toInt());
        } else if (what == QLatin1String("kind")) {
            const int index = view.kindEditor(row)->findData(f[2]);
            QVERIFY2(index >= 0, qPrintable(step));
            view.kindEditor(row)->setCurrentIndex(index);
        } else {
            QFAIL(qPrintable(QStringLiteral("unknown step ") + step));
        }
    }
}

} // namespace

void TstLayerstack::newKinds_data()
{
    QTest::addColumn<QStringList>("steps");
    QTest::addColumn<QString>("inputShape");
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("lastShape"); // worked out by hand (DESIGN.md), not by the engine
    QTest::addColumn<qlonglong>("total");

    // A view starts from 28x28x1 with an empty stack.
    QTest::newRow("Conv2DTranspose same doubles the size")
        << QStringList{"input:0:7", "input:1:7", "input:2:8", "add:conv2dt", "count:0:4", "stride:0:2",
                       "padding:0:same"}
        << "7x7x8" << "conv2dt:4:3:2:same" << shape({14, 14, 4}) << conv(3, 8, 4);
    QTest::newRow("Conv2DTranspose valid")
        << QStringList{"add:conv2dt", "count:0:2", "size:0:4", "stride:0:2"} << "28x28x1" << "conv2dt:2:4:2"
        << shape({58, 58, 2}) << conv(4, 1, 2);
    QTest::newRow("depthwise, multiplier 4")
        << QStringList{"input:2:3", "add:depthwise2d", "multiplier:0:4"} << "28x28x3" << "depthwise2d:3:1:valid:4"
        << shape({26, 26, 12}) << qlonglong(3 * 3 * 3 * 4 + 3 * 4);
    QTest::newRow("separable then global max")
        << QStringList{"input:2:3", "add:separable2d", "count:0:16", "padding:0:same", "add:globalmaxpool"}
        << "28x28x3" << "separable2d:16:3:1:same,globalmaxpool" << shape({16})
        << qlonglong(3 * 3 * 3 + 3 * 16 + 16);
    QTest::newRow("average pool 2-D with a stride of its own")
        << QStringList{"add:avgpool", "size:0:3", "stride:0:2"} << "28x28x1" << "avgpool:3:2" << shape({13, 13, 1})
        << qlonglong(0);
    QTest::newRow("Conv1D causal, dilated; pool; global average; dense")
        << QStringList{"rank:1", "input:0:100", "input:1:3", "add:conv1d", "count:0:16", "size:0:5",
                       "padding:0:causal", "dilation:0:2", "add:maxpool1d", "add:globalavgpool", "add:dense",
                       "count:3:10"}
        << "100x3" << "conv1d:16:5:1:causal:2,maxpool1d:2,globalavgpool,dense:10" << shape({10})
        << qlonglong(5 * 3 * 16 + 16) + dense(16, 10);
    QTest::newRow("zeropad1d per side, avgpool1d")
        << QStringList{"rank:1", "input:0:10", "input:1:2", "add:zeropad1d", "pad:0:0:3", "pad:0:1:0",
                       "add:avgpool1d", "stride:1:1"}
        << "10x2" << "zeropad1d:3:0,avgpool1d:2:1" << shape({12, 2}) << qlonglong(0);
    QTest::newRow("ZeroPadding3D per side, Conv3D, pooling 3-D")
        << QStringList{"rank:3", "input:0:4", "input:1:8", "input:2:8", "input:3:1", "add:zeropad3d",
                       "pad:0:0:1", "pad:0:1:2", "pad:0:2:3", "pad:0:3:0", "pad:0:4:0", "pad:0:5:4",
                       "add:conv3d", "add:maxpool3d", "add:flatten", "add:dense", "count:4:10"}
        << "4x8x8x1" << "zeropad3d:1:2:3:0:0:4,conv3d:32:3,maxpool3d:2,flatten,dense:10"
        << shape({10}) << qlonglong(27 * 32 + 32) + dense(2 * 4 * 5 * 32, 10);
    QTest::newRow("ZeroPadding2D same on every side")
        << QStringList{"add:zeropad2d", "pad:0:0:2", "pad:0:1:2", "pad:0:2:2", "pad:0:3:2"} << "28x28x1"
        << "zeropad2d:2" << shape({32, 32, 1}) << qlonglong(0);
    QTest::newRow("a row changed to Conv3D")
        << QStringList{"rank:3", "input:0:5", "input:1:5", "input:2:5", "input:3:2", "add:flatten",
                       "kind:0:conv3d", "count:0:8", "stride:0:2", "padding:0:same"}
        << "5x5x5x2" << "conv3d:8:3:2:same" << shape({3, 3, 3, 8}) << qlonglong(27 * 2 * 8 + 8);
}

void TstLayerstack::newKinds()
{
    QFETCH(QStringList, steps);
    QFETCH(QString, inputShape);
    QFETCH(QString, spec);
    QFETCH(QString, lastShape);
    QFETCH(qlonglong, total);

    Session session;
    session.setLayerStack(QStringLiteral("28x28x1"), QString());
    LayerStackView view(&session);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    build(view, steps);
    if (QTest::currentTestFailed())
        return;

    QCOMPARE(session.layerInputShape(), inputShape);
    QCOMPARE(session.layerSpec(), spec);
    QCOMPARE(inputText(view), inputShape);
    QCOMPARE(editorSpec(view), spec);
    QVERIFY2(view.errorText().isEmpty(), qPrintable(view.errorText()));

    // The table is the engine's summary of the same stack...
    const padlab::core::StackSummary summary = padlab::core::summarizeLayers(
        padlab::core::parseStackInputShape(inputShape.toStdString()), padlab::core::parseLayerSpecs(spec.toStdString()));
    const QList<LayerStackView::ShownRow> rows = view.shownRows();
    QCOMPARE(rows.size(), qsizetype(summary.rows.size()));
    for (int r = 0; r < int(rows.size()); ++r) {
        QCOMPARE(rows[r].name, QString::fromStdString(summary.rows[size_t(r)].name));
        QCOMPARE(rows[r].shape, QString::fromStdString(summary.rows[size_t(r)].output.text()));
        QCOMPARE(rows[r].params, commas(summary.rows[size_t(r)].params));
    }
    QCOMPARE(rows.last().shape, lastShape);
    QCOMPARE(view.totalText(), QStringLiteral("Total params: ") + commas(total));

    // ...and `padlab summary` prints the same names, shapes and counts.
    QTemporaryDir dir;
    const padlab::test::Run run =
        padlab::test::runPadlab(dir.path(), {"summary", "--input-shape", inputShape, "--layers", spec});
    PADLAB_VERIFY_SUCCESS(run);
    const QString printed = QString::fromUtf8(run.out);
    for (const LayerStackView::ShownRow &row : rows) {
        static const QRegularExpression spaces(QStringLiteral("\\s+"));
        const QString line = row.name + QLatin1Char(' ') + row.shape + QLatin1Char(' ') + row.params;
        QVERIFY2(QString(printed).replace(spaces, QStringLiteral(" ")).contains(line),
                 qPrintable(line + QStringLiteral(" not in\n") + printed));
    }
    QVERIFY2(printed.contains(QStringLiteral("Total params: ") + commas(total)), qPrintable(printed));

    // The diagram labels the input and every output.
    QCOMPARE(view.mapLabels().size(), rows.size() + 1);
    QCOMPARE(view.mapLabels().first(), QString(inputShape).replace(QLatin1Char('x'), QStringLiteral("×")));
}

void TstLayerstack::newKindsRefused_data()
{
    QTest::addColumn<QStringList>("steps");
    QTest::addColumn<QString>("names");
    QTest::addColumn<int>("faultyRow");

    QTest::newRow("Conv1D kernel past its signal")
        << QStringList{"rank:1", "input:0:4", "input:1:1", "add:conv1d", "size:0:5"} << "layer 1 (conv1d)" << 0;
    QTest::newRow("stride with dilation")
        << QStringList{"add:conv2d", "add:conv2d", "stride:1:2", "dilation:1:2"} << "layer 2 (conv2d)" << 1;
    QTest::newRow("2-D layer on a 3-D input")
        << QStringList{"add:conv2d", "rank:3"} << "layer 1 (conv2d)" << 0;
    QTest::newRow("depthwise after flatten")
        << QStringList{"add:flatten", "add:depthwise2d"} << "layer 2 (depthwise2d)" << 1;
}

void TstLayerstack::newKindsRefused()
{
    QFETCH(QStringList, steps);
    QFETCH(QString, names);
    QFETCH(int, faultyRow);

    Session session;
    session.setLayerStack(QStringLiteral("28x28x1"), QString());
    LayerStackView view(&session);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    build(view, steps);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(view.errorText().contains(names), qPrintable(view.errorText()));
    QCOMPARE(view.faultyRow(), faultyRow);
    QVERIFY(view.shownRows().isEmpty());
    QCOMPARE(view.totalText(), QString());
    // The command line refuses it with the same words.
    QTemporaryDir dir;
    const padlab::test::Run run = padlab::test::runPadlab(
        dir.path(), {"summary", "--input-shape", session.layerInputShape(), "--layers", session.layerSpec()});
    QVERIFY(run.finished && !run.crashed);
    QVERIFY(run.exitCode != 0);
    QVERIFY2(QString::fromUtf8(run.err).contains(view.errorText()), qPrintable(QString::fromUtf8(run.err)));
}

void TstLayerstack::rankShapes_data()
{
    QTest::addColumn<QString>("inputShape");
    QTest::addColumn<QString>("spec");
    QTest::addColumn<int>("rank");
    QTest::addColumn<QStringList>("labels");

    QTest::newRow("1-D") << "100x3" << "conv1d:8:5,maxpool1d:2" << 1 << QStringList{"100×3", "96×8", "48×8"};
    QTest::newRow("2-D, old 4 kinds") << "28x28x1" << "conv2d:32:3,maxpool:2,flatten,dense:10" << 2
                                      << QStringList{"28×28×1", "26×26×32", "13×13×32", "5408", "10"};
    QTest::newRow("3-D") << "8x16x16x1" << "conv3d:4:3,maxpool3d:2" << 3
                         << QStringList{"8×16×16×1", "6×14×14×4", "3×7×7×4"};
}

void TstLayerstack::rankShapes()
{
    QFETCH(QString, inputShape);
    QFETCH(QString, spec);
    QFETCH(int, rank);
    QFETCH(QStringList, labels);

    Session session;
    session.setLayerStack(inputShape, spec);
    LayerStackView view(&session);
    view.resize(1100, 900);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(view.rankEditor()->currentData().toInt(), rank);
    QCOMPARE(inputText(view), inputShape);
    QCOMPARE(editorSpec(view), spec);
    QCOMPARE(view.mapLabels(), labels);
    const QList<QRectF> boxes = view.mapBoxes();
    QCOMPARE(boxes.size(), labels.size());
    // Valid shrinks what it works on: each box no wider than the one before.
    for (int i = 1; i < int(boxes.size()); ++i)
        QVERIFY(boxes[i].width() <= boxes[i - 1].width() + 0.5);
    // A 1-D map is a bar: much wider than tall; a 2-D or 3-D map's front is square here.
    if (rank == 1)
        QVERIFY(boxes[0].width() > 3 * boxes[0].height());
    else
        QVERIFY(std::abs(boxes[0].width() - boxes[0].height()) < 1);
    // A volume is drawn as slices behind its front: the diagram has ink above and right of it.
    QImage image(view.size(), QImage::Format_ARGB32);
    view.render(&image);
    const QRect front = boxes[0].toAlignedRect();
    const QPoint behind(front.right() + 8, front.top() - 8);
    const QColor background = image.pixelColor(front.right() + 8, front.bottom() - 2);
    const bool ink = image.rect().contains(behind) && image.pixelColor(behind) != background;
    QCOMPARE(ink, rank == 3);
    // Editors of the rank: its axes, its kinds.
    for (int axis = 0; axis < 4; ++axis)
        QCOMPARE(view.inputEditor(axis) != nullptr, axis <= rank);
    QVERIFY(view.addLayerAction(QStringLiteral("conv%1d").arg(rank)));
    QVERIFY(!view.addLayerAction(QStringLiteral("conv%1d").arg(rank % 3 + 1)));
    QCOMPARE(view.addButton(Layer::Kind::Conv2D)->text(), QStringLiteral("+ Conv%1D").arg(rank));
}

QTEST_MAIN(TstLayerstack)
#include "tst_layerstack.moc"

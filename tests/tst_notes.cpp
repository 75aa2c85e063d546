// Where the frameworks disagree: the notes the shape panel and the explanations show.
#include "padlab/core/codegen.h"
#include "padlab/core/frameworks.h"
#include "padlab/core/notes.h"
#include "padlab/core/tensor.h"

#include <opencv2/core.hpp>

#include <QtTest>

using namespace padlab::core;

class TestNotes : public QObject {
    Q_OBJECT

private:
    static ConvSpec spec(const QString &pad, Fill fill, int stride, int dilation)
    {
        ConvSpec s;
        s.amount = parsePadAmount(pad.toStdString());
        s.fill = fill;
        s.stride = {stride, stride};
        s.dilation = {dilation, dilation};
        return s;
    }

    static QStringList texts(const std::vector<FrameworkNote> &notes)
    {
        QStringList out;
        for (const FrameworkNote &n : notes)
            out << QString::fromStdString(n.framework + ": " + n.text);
        return out;
    }

private slots:
    void notes_data()
    {
        QTest::addColumn<QString>("pad");
        QTest::addColumn<int>("fill");
        QTest::addColumn<int>("stride");
        QTest::addColumn<int>("dilation");
        QTest::addColumn<QSize>("input");  // width = cols, height = rows
        QTest::addColumn<QSize>("kernel");
        QTest::addColumn<QString>("expected"); // a note must contain this
        QTest::addColumn<QString>("absent");   // and none may contain this

        const auto row = [](const char *name, const char *pad, Fill fill, int s, int d, QSize in,
                            QSize k, const char *expected, const char *absent) {
            QTest::newRow(name) << QString(pad) << int(fill) << s << d << in << k << QString(expected)
                                << QString(absent);
        };
        row("pytorch refuses same with stride", "same", Fill::Zeros, 2, 1, {28, 28}, {3, 3},
            "PyTorch: Conv2d refuses padding='same' with a stride", "never read");
        row("same stride 1 is fine in pytorch", "same", Fill::Zeros, 1, 1, {28, 28}, {3, 3}, "",
            "refuses padding='same'");
        row("tf same odd total goes after", "same", Fill::Zeros, 2, 1, {224, 224}, {3, 3},
            "TensorFlow: 'same' needs an odd total here, so the extra cell goes after (bottom/right): "
            "rows 0/1, columns 0/1.",
            "");
        row("pytorch k//2 differs from tf same", "same", Fill::Zeros, 2, 1, {224, 224}, {3, 3},
            "different cells", "");
        row("even kernel anchor", "same", Fill::Zeros, 1, 1, {5, 1}, {4, 1}, "OpenCV: An even kernel", "");
        row("odd kernel has a centre", "same", Fill::Zeros, 1, 1, {5, 5}, {3, 3}, "", "even kernel");
        row("keras stride with dilation", "valid", Fill::Zeros, 2, 2, {28, 28}, {3, 3},
            "Keras: Conv2D refuses strides > 1 together with dilation_rate > 1", "");
        row("unread column", "1,1,1,1", Fill::Zeros, 2, 1, {6, 6}, {3, 3},
            "1 padded row at the bottom and 1 padded column at the right never read", "");
        row("no unread when it divides", "1,1,1,1", Fill::Zeros, 2, 1, {5, 5}, {3, 3}, "",
            "never read");
        row("symmetric missing in pytorch", "same", Fill::Symmetric, 1, 1, {8, 8}, {3, 3},
            "PyTorch: There is no symmetric fill", "");
        row("reflect pad too wide for pytorch", "3,3,3,3", Fill::Reflect, 1, 1, {3, 3}, {3, 3},
            "PyTorch: reflect needs every pad smaller than the input", "");
        row("reflect pad fine for pytorch", "2,2,2,2", Fill::Reflect, 1, 1, {3, 3}, {3, 3}, "SciPy: This fill is called 'mirror'",
            "needs every pad smaller");
        row("circular not in filter2D", "same", Fill::Circular, 1, 1, {8, 8}, {3, 3},
            "OpenCV: filter2D does not support BORDER_WRAP", "wrapping around more than once");
        row("circular wider than input", "0,0,4,4", Fill::Circular, 1, 1, {3, 1}, {1, 1},
            "wrapping around more than once", "");
        row("symmetric wider than input", "0,0,4,4", Fill::Symmetric, 1, 1, {3, 1}, {1, 1},
            "TensorFlow: SYMMETRIC needs every pad no larger than the input", "");
        row("constant value", "same", Fill::Constant, 1, 1, {8, 8}, {3, 3}, "Keras: Conv layers pad with zeros only", "");
        row("valid pads nothing, no fill notes", "valid", Fill::Symmetric, 1, 1, {8, 8}, {3, 3}, "",
            "symmetric");
        row("causal on an image", "causal", Fill::Zeros, 1, 1, {8, 8}, {3, 3},
            "Keras: 'causal' exists only for Conv1D", "");
        row("causal on a signal", "causal", Fill::Zeros, 1, 2, {10, 1}, {3, 1},
            "Keras: Conv1D(padding='causal') pads 4 zeros in front", "only for Conv1D");
        row("full has no layer", "full", Fill::Zeros, 1, 1, {8, 8}, {3, 3},
            "e-1 = 2 rows and 2 columns on each side", "");
        row("uneven explicit pads", "0,1,2,0", Fill::Zeros, 1, 1, {8, 8}, {3, 3},
            "PyTorch: Conv2d's padding is the same on both sides", "");
    }

    void notes()
    {
        QFETCH(QString, pad);
        QFETCH(int, fill);
        QFETCH(int, stride);
        QFETCH(int, dilation);
        QFETCH(QSize, input);
        QFETCH(QSize, kernel);
        QFETCH(QString, expected);
        QFETCH(QString, absent);
        const ConvSpec s = spec(pad, Fill(fill), stride, dilation);
        const QStringList all = texts(frameworkNotes(s, {input.height(), input.width()},
                                                     {kernel.height(), kernel.width()}));
        if (!expected.isEmpty()) {
            const bool found = std::any_of(all.begin(), all.end(),
                                           [&](const QString &t) { return t.contains(expected); });
            QVERIFY2(found, qPrintable("missing \"" + expected + "\" in:\n" + all.join('\n')));
        }
        if (!absent.isEmpty()) {
            for (const QString &t : all)
                QVERIFY2(!t.contains(absent), qPrintable("unexpected note: " + t));
        }
    }

    // One table of framework facts: the fill names, the notes and the code's refusals all say
    // what its rows say, so a fact changed there changes everywhere.
    void tableDrivesNotesAndCode_data()
    {
        QTest::addColumn<int>("framework");
        QTest::addColumn<int>("fill");
        QTest::addColumn<int>("pad");    // on the left and right of a 1x4 input
        QTest::addColumn<bool>("refused"); // by the framework, so by padlab code where it writes code
        for (const FillFact &fact : fillFacts()) {
            const QString name = QString::fromUtf8(frameworkName(fact.framework)) + " "
                                 + QString::fromUtf8(fillName(fact.fill));
            const auto add = [&](int pad, bool refused) {
                QTest::addRow("%s pad %d", qPrintable(name), pad)
                    << int(fact.framework) << int(fact.fill) << pad << refused;
            };
            add(1, !fact.supported);
            if (fact.limit == PadLimit::BelowInput) {
                add(3, false);
                add(4, true);
            } else if (fact.limit == PadLimit::UpToInput) {
                add(4, false);
                add(5, true);
            } else {
                add(9, !fact.supported);
            }
        }
    }

    void tableDrivesNotesAndCode()
    {
        QFETCH(int, framework);
        QFETCH(int, fill);
        QFETCH(int, pad);
        QFETCH(bool, refused);
        const FillFact &fact = fillFact(Framework(framework), Fill(fill));
        ConvSpec s;
        s.amount = {Amount::Explicit, {0, 0, pad, pad}};
        s.fill = Fill(fill);
        const PerAxis input{1, 4};
        const PerAxis kernel{1, 3};

        // The fill's names are the table's.
        const FrameworkNames &names = frameworkNames(s.fill);
        const std::string shown[] = {names.keras, names.pytorch, names.opencv, names.numpy, names.scipy};
        QCOMPARE(QString::fromStdString(shown[framework]), QString::fromStdString(fact.api));
        QCOMPARE(fact.supported, fact.api != "—");

        // The notes say why, or the limit broken, in the table's words.
        const QString notes = texts(frameworkNotes(s, input, kernel)).join('\n');
        const QString who = QString::fromStdString(fact.who) + ": ";
        if (!fact.supported)
            QVERIFY2(notes.contains(who + QString::fromStdString(fact.note)), qPrintable(notes));
        if (!fact.limitText.empty())
            QCOMPARE(notes.contains(who + QString::fromStdString(fact.limitText)), refused);

        // padlab code refuses exactly then, with the same words.
        const auto &targets = codeFrameworks();
        if (std::find(targets.begin(), targets.end(), fact.framework) == targets.end())
            return;
        const GeneratedCode code = generateCode(fact.framework, s, cv::Mat::ones(1, 3, CV_64F), input);
        QCOMPARE(!code.expressible(), refused);
        if (refused)
            QVERIFY2(QString::fromStdString(code.reason)
                         .contains(QString::fromStdString(fact.supported ? fact.limitText : fact.note)),
                     code.reason.c_str());
    }

    void convolutionSaysFlipped()
    {
        ConvSpec s;
        s.operation = Operation::Convolution;
        const QStringList all = texts(frameworkNotes(s, {5, 5}, {3, 3}));
        QVERIFY(all.join('\n').contains("flipped on both axes"));
        s.operation = Operation::Correlation;
        QVERIFY(!texts(frameworkNotes(s, {5, 5}, {3, 3})).join('\n').contains("flipped"));
    }

    // Tensors: the notes of a convolution with channels, groups or depth, a pooling and a
    // transposed convolution, each from the tables of framework facts.
    void tensorNotes_data()
    {
        QTest::addColumn<QString>("op");       // conv, pool or convt
        QTest::addColumn<QString>("settings"); // pad;stride;groups or window;ceil;count
        QTest::addColumn<QString>("shape");    // channels x spatial sizes
        QTest::addColumn<QString>("kernel");   // kernel shape (conv, convt)
        QTest::addColumn<QString>("expected");
        QTest::addColumn<QString>("absent");

        QTest::newRow("groups") << "conv" << "same;1;2" << "4x8x8" << "6x2x3x3" << "All: groups splits channels"
                                << "2-D only";
        QTest::newRow("one kernel for every channel") << "conv" << "valid;1;1" << "3x8x8" << "3x3"
                                                      << "OpenCV: filter2D applies one 2-D kernel" << "groups splits";
        QTest::newRow("filters summed over channels")
            << "conv" << "valid;1;1" << "3x8x8" << "4x3x3x3" << "OpenCV: cv2.filter2D applies one 2-D kernel to every "
                                                                "channel on its own; filters that sum"
            << "groups splits";
        QTest::newRow("volume") << "conv" << "1,1,1,1,1,1;1;1" << "2x4x8x8" << "3x2x3x3x3"
                                << "OpenCV: cv2.filter2D is 2-D only" << "filters that sum";
        QTest::newRow("signal keeps the notes of a plane")
            << "conv" << "causal;1;1" << "1x10" << "3" << "Keras: Conv1D(padding='causal') pads 2 zeros" << "2-D only";
        QTest::newRow("pooling pads beyond half the window")
            << "pool" << "3;avg;0;2,2" << "1x9" << "" << "PyTorch: PyTorch's pooling refuses pads larger than half"
            << "ceil_mode rounds";
        QTest::newRow("average with explicit pads counts them in PyTorch")
            << "pool" << "3;avg;0;1,1" << "1x9" << "" << "PyTorch: AvgPool counts the padded cells" << "refuses pads";
        QTest::newRow("same pooling") << "pool" << "2;max;0;same" << "1x9" << ""
                                      << "PyTorch: PyTorch's pooling has no padding='same'" << "AvgPool";
        QTest::newRow("ceil mode") << "pool" << "2;max;1;1,1" << "1x9" << "" << "PyTorch: ceil_mode rounds"
                                   << "no padding='same'";
        QTest::newRow("transposed same") << "convt" << "same;2;0" << "1x4" << "3"
                                         << "PyTorch: PyTorch's ConvTranspose has no padding='same'" << "Cropping";
        QTest::newRow("transposed crop and output padding")
            << "convt" << "1,1;2;1" << "1x4" << "3" << "PyTorch: output_padding adds cells after" << "no padding='same'";
    }

    void tensorNotes()
    {
        QFETCH(QString, op);
        QFETCH(QString, settings);
        QFETCH(QString, shape);
        QFETCH(QString, kernel);
        QFETCH(QString, expected);
        QFETCH(QString, absent);

        const QStringList parts = settings.split(';');
        TensorShape input;
        const QStringList sizes = shape.split('x');
        input.channels = sizes.first().toInt();
        for (qsizetype i = 1; i < sizes.size(); ++i)
            input.spatial.push_back(sizes.at(i).toInt());
        TensorKernel k;
        for (const QString &size : kernel.split('x', Qt::SkipEmptyParts))
            k.shape.push_back(size.toInt());
        k.weights.assign(size_t(TensorShape{1, k.shape}.cells()), 1.0);
        std::vector<FrameworkNote> notes;
        if (op == "conv") {
            TensorConvSpec spec;
            spec.amount = parseTensorPadAmount(parts.at(0).toStdString());
            spec.stride = {parts.at(1).toInt()};
            spec.groups = parts.at(2).toInt();
            QVERIFY(!validate(spec, input, k));
            notes = tensorConvNotes(spec, input, k);
        } else if (op == "pool") {
            PoolSpec spec;
            spec.window = {parts.at(0).toInt()};
            spec.op = parts.at(1) == "max" ? PoolOp::Max : PoolOp::Average;
            spec.ceil = parts.at(2) == "1";
            spec.amount = parseTensorPadAmount(parts.at(3).toStdString());
            QVERIFY(!validate(spec, input));
            notes = poolNotes(spec, poolGeometry(spec, input));
        } else {
            ConvTSpec spec;
            spec.amount = parseTensorPadAmount(parts.at(0).toStdString());
            spec.stride = {parts.at(1).toInt()};
            spec.outputPadding = {parts.at(2).toInt()};
            QVERIFY(!validate(spec, input, k));
            notes = convtNotes(spec, convtGeometry(spec, input, k));
        }
        const QString all = texts(notes).join('\n');
        QVERIFY2(all.contains(expected), qPrintable(all));
        QVERIFY2(absent.isEmpty() || !all.contains(absent), qPrintable(all));
    }
};

QTEST_GUILESS_MAIN(TestNotes)
#include "tst_notes.moc"

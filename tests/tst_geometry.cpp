#include "padlab/core/error.h"
#include "padlab/core/geometry.h"
#include "testutil.h"

#include <QObject>
#include <QStringList>
#include <QTest>

#include <algorithm>
#include <limits>
#include <optional>

using namespace padlab::core;

Q_DECLARE_METATYPE(padlab::core::Amount)

namespace {

QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

/// DESIGN.md "Amount": per-side padding and output size, written out independently.
struct Expected {
    int before = 0;
    int after = 0;
    int output = 0;
};

Expected designFormula(int n, int k, int s, int d, Amount amount, int b, int a)
{
    const int e = d * (k - 1) + 1;
    const auto floorDiv = [](int num, int den) { return num >= 0 ? num / den : -((-num + den - 1) / den); };
    switch (amount) {
    case Amount::Valid: return {0, 0, n < e ? 0 : floorDiv(n - e, s) + 1};
    case Amount::Same: {
        const int out = (n + s - 1) / s;
        const int total = std::max((out - 1) * s + e - n, 0);
        return {total / 2, total - total / 2, out};
    }
    case Amount::Full: return {e - 1, e - 1, floorDiv(n + e - 2, s) + 1};
    case Amount::Causal: return {e - 1, 0, floorDiv(n - 1, s) + 1};
    case Amount::Explicit: return {b, a, n + b + a < e ? 0 : floorDiv(n + b + a - e, s) + 1};
    }
    return {};
}

} // namespace

class TestGeometry : public QObject {
    Q_OBJECT

private slots:
    void sameTable_data();
    void sameTable();
    void amounts_data();
    void amounts();
    void outputFormula_data();
    void outputFormula();
    void paddingFormula_data();
    void paddingFormula();
    void unread_data();
    void unread();
    void emptyOutput_data();
    void emptyOutput();
    void validate_data();
    void validate();
    void axisGeometryOverflow_data();
    void axisGeometryOverflow();
    void parsePadAmount_data();
    void parsePadAmount();
    void parsePadAmountRefuses_data();
    void parsePadAmountRefuses();
    void parsePerAxis_data();
    void parsePerAxis();
    void parsePerAxisRefuses_data();
    void parsePerAxisRefuses();
    void referenceSides_data();
    void referenceSides();
};

void TestGeometry::sameTable_data()
{
    QTest::addColumn<int>("L");
    QTest::addColumn<int>("k");
    QTest::addColumn<int>("s");
    QTest::addColumn<int>("d");
    QTest::addColumn<int>("out");
    QTest::addColumn<int>("pl");
    QTest::addColumn<int>("pr");
    // SEMANTICS.md 2.1, worked values.
    QTest::newRow("L5 k3 s1 d1") << 5 << 3 << 1 << 1 << 5 << 1 << 1;
    QTest::newRow("L5 k4 s1 d1 even k extra right") << 5 << 4 << 1 << 1 << 5 << 1 << 2;
    QTest::newRow("L5 k2 s1 d1") << 5 << 2 << 1 << 1 << 5 << 0 << 1;
    QTest::newRow("L6 k3 s2 d1 odd total") << 6 << 3 << 2 << 1 << 3 << 0 << 1;
    QTest::newRow("L13 k6 s5 d1") << 13 << 6 << 5 << 1 << 3 << 1 << 2;
    QTest::newRow("L10 k3 s1 d2 E5") << 10 << 3 << 1 << 2 << 10 << 2 << 2;
    QTest::newRow("L224 k7 s2 d1") << 224 << 7 << 2 << 1 << 112 << 2 << 3;
    QTest::newRow("L224 k3 s2 d1") << 224 << 3 << 2 << 1 << 112 << 0 << 1;
}

void TestGeometry::sameTable()
{
    QFETCH(int, L);
    QFETCH(int, k);
    QFETCH(int, s);
    QFETCH(int, d);
    QFETCH(int, out);
    QFETCH(int, pl);
    QFETCH(int, pr);

    const AxisGeometry a = axisGeometry(L, k, s, d, Amount::Same);
    QCOMPARE(a.output, out);
    QCOMPARE(a.before, pl);
    QCOMPARE(a.after, pr);
    QCOMPARE(a.padded, L + pl + pr);
    QCOMPARE(a.extent, d * (k - 1) + 1);

    // The same axis as the rows and as the columns of a 2-D geometry.
    ConvSpec spec;
    spec.amount.kind = Amount::Same;
    spec.stride = {s, 1};
    spec.dilation = {d, 1};
    const Geometry g = geometry(PerAxis{L, 4}, PerAxis{k, 1}, spec);
    QCOMPARE(g.sides(), (Sides{pl, pr, 0, 0}));
    QCOMPARE(g.outputSize(), (PerAxis{out, 4}));
    spec.stride = {1, s};
    spec.dilation = {1, d};
    const Geometry h = geometry(PerAxis{3, L}, PerAxis{1, k}, spec);
    QCOMPARE(h.sides(), (Sides{0, 0, pl, pr}));
    QCOMPARE(h.paddedSize(), (PerAxis{3, L + pl + pr}));
}

void TestGeometry::amounts_data()
{
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("k");
    QTest::addColumn<int>("s");
    QTest::addColumn<int>("d");
    QTest::addColumn<Amount>("amount");
    QTest::addColumn<int>("b");
    QTest::addColumn<int>("a");
    const std::vector<std::pair<Amount, const char *>> amounts = {
        {Amount::Valid, "valid"}, {Amount::Same, "same"}, {Amount::Full, "full"}, {Amount::Causal, "causal"}};
    for (int n : {1, 2, 5, 8, 13})
        for (int k : {1, 2, 3, 4, 7})
            for (int s : {1, 2, 3})
                for (int d : {1, 2, 3}) {
                    for (const auto &[amount, name] : amounts)
                        QTest::addRow("%s n%d k%d s%d d%d", name, n, k, s, d) << n << k << s << d << amount << 0 << 0;
                    QTest::addRow("explicit 2,1 n%d k%d s%d d%d", n, k, s, d)
                        << n << k << s << d << Amount::Explicit << 2 << 1;
                    QTest::addRow("explicit 0,5 n%d k%d s%d d%d", n, k, s, d)
                        << n << k << s << d << Amount::Explicit << 0 << 5;
                }
}

void TestGeometry::amounts()
{
    QFETCH(int, n);
    QFETCH(int, k);
    QFETCH(int, s);
    QFETCH(int, d);
    QFETCH(Amount, amount);
    QFETCH(int, b);
    QFETCH(int, a);

    const Expected expected = designFormula(n, k, s, d, amount, b, a);
    const AxisGeometry g = axisGeometry(n, k, s, d, amount, b, a);
    QCOMPARE(g.extent, d * (k - 1) + 1);
    QCOMPARE(g.before, expected.before);
    QCOMPARE(g.after, expected.after);
    QCOMPARE(g.padded, n + expected.before + expected.after);
    QCOMPARE(g.output, expected.output);
    if (amount == Amount::Same)
        QCOMPARE(g.output, (n + s - 1) / s); // the promise of 'same': ceil(n/s)
    if (g.output > 0) {
        // The last window fits and one more stride would not.
        const int lastEnd = (g.output - 1) * s + g.extent;
        QVERIFY(lastEnd <= g.padded);
        QVERIFY(lastEnd + s > g.padded);
        QCOMPARE(g.unread, g.padded - lastEnd);
    } else {
        QCOMPARE(g.unread, 0);
    }
}

void TestGeometry::outputFormula_data()
{
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("k");
    QTest::addColumn<int>("s");
    QTest::addColumn<int>("d");
    QTest::addColumn<Amount>("amount");
    QTest::addColumn<int>("b");
    QTest::addColumn<int>("a");
    QTest::addColumn<QString>("formula");
    QTest::newRow("28 k3 pad 1,1") << 28 << 3 << 1 << 1 << Amount::Explicit << 1 << 1
                                   << QStringLiteral("out = floor((28 + 1 + 1 - 3) / 1) + 1 = 28");
    QTest::newRow("28 k3 s2 same") << 28 << 3 << 2 << 1 << Amount::Same << 0 << 0
                                   << QStringLiteral("out = floor((28 + 0 + 1 - 3) / 2) + 1 = 14");
    QTest::newRow("10 k3 d2 same shows extent")
        << 10 << 3 << 1 << 2 << Amount::Same << 0 << 0
        << QStringLiteral("out = floor((10 + 2 + 2 - 5) / 1) + 1 = 10, with e = 2*(3 - 1) + 1 = 5");
    QTest::newRow("7 k2 s3 valid") << 7 << 2 << 3 << 1 << Amount::Valid << 0 << 0
                                   << QStringLiteral("out = floor((7 + 0 + 0 - 2) / 3) + 1 = 2");
    QTest::newRow("2 k5 valid empty") << 2 << 5 << 1 << 1 << Amount::Valid << 0 << 0
                                      << QStringLiteral("out = max(floor((2 + 0 + 0 - 5) / 1) + 1, 0) = 0");
}

void TestGeometry::outputFormula()
{
    QFETCH(int, n);
    QFETCH(int, k);
    QFETCH(int, s);
    QFETCH(int, d);
    QFETCH(Amount, amount);
    QFETCH(int, b);
    QFETCH(int, a);
    QFETCH(QString, formula);
    QCOMPARE(qs(padlab::core::outputFormula(axisGeometry(n, k, s, d, amount, b, a))), formula);
}

void TestGeometry::paddingFormula_data()
{
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("k");
    QTest::addColumn<int>("s");
    QTest::addColumn<Amount>("amount");
    QTest::addColumn<QString>("formula");
    QTest::newRow("same 28 k3 s2")
        << 28 << 3 << 2 << Amount::Same
        << QStringLiteral("same: out = ceil(28 / 2) = 14, total = max((14 - 1)*2 + 3 - 28, 0) = 1, "
                          "before = 0, after = 1");
    QTest::newRow("same 5 k4 s1") << 5 << 4 << 1 << Amount::Same
                                  << QStringLiteral("same: out = ceil(5 / 1) = 5, total = max((5 - 1)*1 + 4 - 5, 0) "
                                                    "= 3, before = 1, after = 2");
    QTest::newRow("valid") << 28 << 3 << 1 << Amount::Valid << QStringLiteral("valid: no padding");
    QTest::newRow("full k5") << 9 << 5 << 1 << Amount::Full << QStringLiteral("full: e - 1 = 4 on both sides");
    QTest::newRow("causal k3") << 9 << 3 << 1 << Amount::Causal << QStringLiteral("causal: e - 1 = 2 before, 0 after");
}

void TestGeometry::paddingFormula()
{
    QFETCH(int, n);
    QFETCH(int, k);
    QFETCH(int, s);
    QFETCH(Amount, amount);
    QFETCH(QString, formula);
    QCOMPARE(qs(padlab::core::paddingFormula(axisGeometry(n, k, s, 1, amount))), formula);
}

void TestGeometry::unread_data()
{
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("k");
    QTest::addColumn<int>("s");
    QTest::addColumn<int>("b");
    QTest::addColumn<int>("a");
    QTest::addColumn<int>("output");
    QTest::addColumn<int>("unread");
    QTest::newRow("6 wide k3 s2 pad 1,1") << 6 << 3 << 2 << 1 << 1 << 3 << 1;
    QTest::newRow("5 wide k3 s2 no pad") << 5 << 3 << 2 << 0 << 0 << 2 << 0;
    QTest::newRow("7 wide k2 s3 no pad") << 7 << 2 << 3 << 0 << 0 << 2 << 2;
    QTest::newRow("8 wide k1 s4 pad 0,3") << 8 << 1 << 4 << 0 << 3 << 3 << 2;
    QTest::newRow("4 wide k5 empty") << 4 << 5 << 1 << 0 << 0 << 0 << 0;
}

void TestGeometry::unread()
{
    QFETCH(int, n);
    QFETCH(int, k);
    QFETCH(int, s);
    QFETCH(int, b);
    QFETCH(int, a);
    QFETCH(int, output);
    QFETCH(int, unread);
    const AxisGeometry g = axisGeometry(n, k, s, 1, Amount::Explicit, b, a);
    QCOMPARE(g.output, output);
    QCOMPARE(g.unread, unread);
}

void TestGeometry::emptyOutput_data()
{
    QTest::addColumn<PerAxis>("input");
    QTest::addColumn<PerAxis>("kernel");
    QTest::addColumn<ConvSpec>("spec");
    QTest::addColumn<PerAxis>("output");

    ConvSpec valid;
    QTest::newRow("3x3 input 5x5 kernel valid") << PerAxis{3, 3} << PerAxis{5, 5} << valid << PerAxis{0, 0};
    QTest::newRow("8x2 input 5x4 kernel valid, columns only") << PerAxis{8, 2} << PerAxis{5, 4} << valid
                                                              << PerAxis{4, 0};
    ConvSpec dilated;
    dilated.dilation = {3, 1};
    QTest::newRow("6x6 input k3 d3 valid, rows only") << PerAxis{6, 6} << PerAxis{3, 3} << dilated << PerAxis{0, 4};
    ConvSpec padded;
    padded.amount = {Amount::Explicit, Sides{1, 0, 1, 1}};
    QTest::newRow("2x2 input 4x4 kernel pad 1,0,1,1") << PerAxis{2, 2} << PerAxis{4, 4} << padded << PerAxis{0, 1};
    QTest::newRow("fits exactly: 3x3 kernel on 3x3") << PerAxis{3, 3} << PerAxis{3, 3} << valid << PerAxis{1, 1};
    ConvSpec same;
    same.amount.kind = Amount::Same;
    QTest::newRow("same never empty") << PerAxis{1, 1} << PerAxis{9, 9} << same << PerAxis{1, 1};
}

void TestGeometry::emptyOutput()
{
    QFETCH(PerAxis, input);
    QFETCH(PerAxis, kernel);
    QFETCH(ConvSpec, spec);
    QFETCH(PerAxis, output);

    QVERIFY(!padlab::core::validate(spec, input, kernel).has_value());
    const Geometry g = geometry(input, kernel, spec);
    QCOMPARE(g.outputSize(), output);
    const bool empty = output.rows == 0 || output.cols == 0;
    QCOMPARE(g.empty(), empty);
    const QString reason = qs(emptyOutputReason(g));
    QCOMPARE(reason.isEmpty(), !empty);
    if (empty) {
        // The sentence must give the numbers that explain it: the reach against the padded size.
        const AxisGeometry &axis = g.rows.output == 0 ? g.rows : g.cols;
        QVERIFY2(reason.contains(QString::number(axis.extent)), qPrintable(reason));
        QVERIFY2(reason.contains(QString::number(axis.padded)), qPrintable(reason));
    }
}

void TestGeometry::validate_data()
{
    QTest::addColumn<ConvSpec>("spec");
    QTest::addColumn<PerAxis>("input");
    QTest::addColumn<PerAxis>("kernel");
    QTest::addColumn<QString>("problem"); // empty: the spec is valid

    const ConvSpec plain;
    QTest::newRow("plain") << plain << PerAxis{5, 5} << PerAxis{3, 3} << QString();
    ConvSpec s = plain;
    s.stride = {0, 1};
    QTest::newRow("stride 0") << s << PerAxis{5, 5} << PerAxis{3, 3} << QStringLiteral("stride");
    s.stride = {1, -2};
    QTest::newRow("stride -2 on columns") << s << PerAxis{5, 5} << PerAxis{3, 3} << QStringLiteral("stride");
    s = plain;
    s.dilation = {-1, 1};
    QTest::newRow("dilation -1") << s << PerAxis{5, 5} << PerAxis{3, 3} << QStringLiteral("dilation");
    s.dilation = {1, 0};
    QTest::newRow("dilation 0 on columns") << s << PerAxis{5, 5} << PerAxis{3, 3} << QStringLiteral("dilation");
    s = plain;
    s.amount = {Amount::Explicit, Sides{-1, 0, 0, 0}};
    QTest::newRow("negative top") << s << PerAxis{5, 5} << PerAxis{3, 3} << QStringLiteral("pad");
    s.amount = {Amount::Explicit, Sides{0, 0, 0, -3}};
    QTest::newRow("negative right") << s << PerAxis{5, 5} << PerAxis{3, 3} << QStringLiteral("pad");
    QTest::newRow("empty kernel") << plain << PerAxis{5, 5} << PerAxis{0, 3} << QStringLiteral("kernel");
    QTest::newRow("empty input") << plain << PerAxis{5, 0} << PerAxis{3, 3} << QStringLiteral("input");
    s = plain;
    s.amount = {Amount::Explicit, Sides{0, 0, 0, 0}};
    s.stride = {4, 3};
    s.dilation = {2, 5};
    QTest::newRow("explicit zero pads, big stride and dilation")
        << s << PerAxis{1, 1} << PerAxis{7, 7} << QString();
    s = plain;
    s.amount = {Amount::Explicit, Sides{30000, 30000, 30000, 30000}};
    QTest::newRow("padded input too large") << s << PerAxis{1, 1} << PerAxis{1, 1} << QStringLiteral("60001x60001");
    s = plain;
    s.amount.kind = Amount::Full;
    s.dilation = {100000, 100000};
    QTest::newRow("full with a huge dilation") << s << PerAxis{4, 4} << PerAxis{3, 3} << QStringLiteral("cells");
    // Callers of the library that skip the command line's parsers: every int, no overflow.
    constexpr int most = std::numeric_limits<int>::max();
    s = plain;
    QTest::newRow("largest input") << s << PerAxis{most, most} << PerAxis{1, 1} << QStringLiteral("cells");
    s.amount = {Amount::Explicit, Sides{most, most, most, most}};
    QTest::newRow("largest explicit pads") << s << PerAxis{most, most} << PerAxis{1, 1}
                                           << QStringLiteral("cells");
    s = plain;
    s.amount.kind = Amount::Same;
    s.stride = {most, most};
    QTest::newRow("largest stride, same") << s << PerAxis{3, 3} << PerAxis{3, 3} << QString();
    s.dilation = {most, most};
    QTest::newRow("largest stride and dilation") << s << PerAxis{3, 3} << PerAxis{3, 3}
                                                 << QStringLiteral("dilated kernel");
    s = plain;
    s.amount.kind = Amount::Full;
    QTest::newRow("largest kernel, full") << s << PerAxis{5, 5} << PerAxis{most, most}
                                          << QStringLiteral("dilated kernel");
    s.amount.kind = Amount::Causal;
    s.dilation = {2, 2};
    QTest::newRow("reach of 2^31 exactly") << s << PerAxis{5, 5} << PerAxis{most / 2 + 1, 1}
                                           << QStringLiteral("dilated kernel");
    s = plain;
    s.amount.kind = Amount::Same;
    QTest::newRow("same, tall input, tall kernel") << s << PerAxis{most, 1} << PerAxis{1'000'000'000, 1}
                                                   << QStringLiteral("cells");
}

void TestGeometry::axisGeometryOverflow_data()
{
    QTest::addColumn<int>("input");
    QTest::addColumn<int>("kernel");
    QTest::addColumn<int>("stride");
    QTest::addColumn<int>("dilation");
    QTest::addColumn<int>("amount");
    QTest::addColumn<int>("before");
    QTest::addColumn<int>("after");
    QTest::addColumn<bool>("fits"); // every result fits in an int (else refused)
    constexpr int most = std::numeric_limits<int>::max();
    QTest::newRow("stride INT_MAX, same") << 3 << 3 << most << 1 << int(Amount::Same) << 0 << 0 << true;
    QTest::newRow("input INT_MAX, stride INT_MAX, same") << most << 1 << most << 1 << int(Amount::Same) << 0 << 0
                                                         << true;
    QTest::newRow("input INT_MAX, kernel 2, same") << most << 2 << 1 << 1 << int(Amount::Same) << 0 << 0 << false;
    QTest::newRow("dilation INT_MAX - 1, kernel 2, valid") << 3 << 2 << 1 << most - 1 << int(Amount::Valid) << 0
                                                           << 0 << true;
    QTest::newRow("dilation INT_MAX, kernel 2, valid") << 3 << 2 << 1 << most << int(Amount::Valid) << 0 << 0
                                                       << false;
    QTest::newRow("dilation INT_MAX, kernel 3, valid") << 3 << 3 << 1 << most << int(Amount::Valid) << 0 << 0
                                                       << false;
    QTest::newRow("kernel INT_MAX, full") << 1 << most << 1 << 1 << int(Amount::Full) << 0 << 0 << false;
    QTest::newRow("kernel INT_MAX, valid") << most << most << 1 << 1 << int(Amount::Valid) << 0 << 0 << true;
    QTest::newRow("pads INT_MAX") << 0 << 1 << 1 << 1 << int(Amount::Explicit) << most << 0 << true;
    QTest::newRow("pads INT_MAX twice") << 1 << 1 << 1 << 1 << int(Amount::Explicit) << most << most << false;
    QTest::newRow("stride 0") << 3 << 3 << 0 << 1 << int(Amount::Same) << 0 << 0 << false;
    QTest::newRow("dilation -1") << 3 << 3 << 1 << -1 << int(Amount::Valid) << 0 << 0 << false;
    QTest::newRow("kernel 0") << 3 << 0 << 1 << 1 << int(Amount::Full) << 0 << 0 << false;
    QTest::newRow("negative pad") << 3 << 3 << 1 << 1 << int(Amount::Explicit) << -1 << 0 << false;
    QTest::newRow("input INT_MIN") << std::numeric_limits<int>::min() << 3 << 1 << 1 << int(Amount::Valid) << 0 << 0
                                   << false;
}

void TestGeometry::axisGeometryOverflow()
{
    QFETCH(int, input);
    QFETCH(int, kernel);
    QFETCH(int, stride);
    QFETCH(int, dilation);
    QFETCH(int, amount);
    QFETCH(int, before);
    QFETCH(int, after);
    QFETCH(bool, fits);
    try {
        const AxisGeometry g = axisGeometry(input, kernel, stride, dilation, Amount(amount), before, after);
        QVERIFY2(fits, "accepted");
        // The same formulas in 64 bits, where these values cannot overflow.
        const long long e = 1LL * dilation * (kernel - 1) + 1;
        QCOMPARE(static_cast<long long>(g.extent), e);
        QCOMPARE(1LL * g.padded, 1LL * input + g.before + g.after);
        const long long out = g.padded < e ? 0 : (g.padded - e) / stride + 1;
        QCOMPARE(static_cast<long long>(g.output), out);
        if (Amount(amount) == Amount::Same)
            QCOMPARE(static_cast<long long>(g.output), (1LL * input + stride - 1) / stride);
    } catch (const Error &e) {
        QVERIFY2(!fits, e.what());
    }
}

void TestGeometry::validate()
{
    QFETCH(ConvSpec, spec);
    QFETCH(PerAxis, input);
    QFETCH(PerAxis, kernel);
    QFETCH(QString, problem);
    const std::optional<std::string> message = padlab::core::validate(spec, input, kernel);
    if (problem.isEmpty()) {
        QVERIFY2(!message, message ? message->c_str() : "");
        return;
    }
    QVERIFY(message.has_value());
    QVERIFY2(qs(*message).contains(problem), message->c_str());
}

void TestGeometry::parsePadAmount_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<PadAmount>("expected");
    QTest::newRow("valid") << QStringLiteral("valid") << PadAmount{Amount::Valid, {}};
    QTest::newRow("SAME upper case") << QStringLiteral("SAME") << PadAmount{Amount::Same, {}};
    QTest::newRow("full with spaces") << QStringLiteral(" full ") << PadAmount{Amount::Full, {}};
    QTest::newRow("causal") << QStringLiteral("Causal") << PadAmount{Amount::Causal, {}};
    QTest::newRow("explicit") << QStringLiteral("1,2,3,4") << PadAmount{Amount::Explicit, Sides{1, 2, 3, 4}};
    QTest::newRow("explicit zeros") << QStringLiteral("0,0,0,0") << PadAmount{Amount::Explicit, Sides{}};
    QTest::newRow("explicit spaced") << QStringLiteral("2, 0, 7 ,1") << PadAmount{Amount::Explicit, Sides{2, 0, 7, 1}};
}

void TestGeometry::parsePadAmount()
{
    try {
        QFETCH(QString, text);
        QFETCH(PadAmount, expected);
        const PadAmount parsed = padlab::core::parsePadAmount(text.toStdString());
        QVERIFY(parsed == expected);
        // What the program writes back (lesson files, command lines) must read back the same.
        QVERIFY(padlab::core::parsePadAmount(padAmountText(parsed)) == parsed);
    } catch (const std::exception &e) {
        QFAIL(qPrintable(QStringLiteral("unexpected error: ") + QString::fromUtf8(e.what())));
    }
}

void TestGeometry::parsePadAmountRefuses_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("mentions");
    QTest::newRow("unknown word") << QStringLiteral("samey") << QStringList{QStringLiteral("samey")};
    QTest::newRow("empty") << QString() << QStringList{QStringLiteral("valid, same")};
    QTest::newRow("three values") << QStringLiteral("1,2,3")
                                  << QStringList{QStringLiteral("4"), QStringLiteral("got 3")};
    QTest::newRow("five values") << QStringLiteral("1,2,3,4,5") << QStringList{QStringLiteral("got 5")};
    QTest::newRow("negative left") << QStringLiteral("0,0,-1,0")
                                   << QStringList{QStringLiteral("left"), QStringLiteral("negative")};
    QTest::newRow("non-integer bottom") << QStringLiteral("0,1.5,0,0")
                                        << QStringList{QStringLiteral("bottom"), QStringLiteral("1.5")};
    QTest::newRow("word among numbers") << QStringLiteral("1,two,3,4") << QStringList{QStringLiteral("two")};
}

void TestGeometry::parsePadAmountRefuses()
{
    QFETCH(QString, text);
    QFETCH(QStringList, mentions);
    try {
        padlab::core::parsePadAmount(text.toStdString());
        QFAIL("accepted");
    } catch (const Error &e) {
        for (const QString &m : mentions)
            QVERIFY2(QString::fromUtf8(e.what()).contains(m), e.what());
    }
}

void TestGeometry::parsePerAxis_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("size");
    QTest::addColumn<PerAxis>("expected");
    QTest::newRow("stride 2") << QStringLiteral("2") << false << PerAxis{2, 2};
    QTest::newRow("stride 2x3") << QStringLiteral("2x3") << false << PerAxis{2, 3};
    QTest::newRow("stride 4X1") << QStringLiteral("4X1") << false << PerAxis{4, 1};
    QTest::newRow("size 28x28") << QStringLiteral("28x28") << true << PerAxis{28, 28};
    QTest::newRow("size 1x300") << QStringLiteral("1x300") << true << PerAxis{1, 300};
}

void TestGeometry::parsePerAxis()
{
    try {
        QFETCH(QString, text);
        QFETCH(bool, size);
        QFETCH(PerAxis, expected);
        const PerAxis parsed = size ? parseSize(text.toStdString(), "--input-size")
                                    : padlab::core::parsePerAxis(text.toStdString(), "--stride");
        QCOMPARE(parsed, expected);
    } catch (const std::exception &e) {
        QFAIL(qPrintable(QStringLiteral("unexpected error: ") + QString::fromUtf8(e.what())));
    }
}

void TestGeometry::parsePerAxisRefuses_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("size");
    QTest::addColumn<QString>("mention");
    QTest::newRow("stride 0") << QStringLiteral("0") << false << QStringLiteral("at least 1");
    QTest::newRow("stride -1") << QStringLiteral("-1") << false << QStringLiteral("-1");
    QTest::newRow("stride 1.5") << QStringLiteral("1.5") << false << QStringLiteral("1.5");
    QTest::newRow("stride 2x3x4") << QStringLiteral("2x3x4") << false << QStringLiteral("2x3x4");
    QTest::newRow("stride x3") << QStringLiteral("x3") << false << QStringLiteral("whole number");
    QTest::newRow("stride word") << QStringLiteral("two") << false << QStringLiteral("two");
    QTest::newRow("stride empty") << QString() << false << QStringLiteral("whole number");
    QTest::newRow("size single number") << QStringLiteral("28") << true << QStringLiteral("HxW");
    QTest::newRow("size 0x5") << QStringLiteral("0x5") << true << QStringLiteral("at least 1");
    QTest::newRow("size 5x") << QStringLiteral("5x") << true << QStringLiteral("whole number");
    QTest::newRow("size axb") << QStringLiteral("axb") << true << QStringLiteral("'a'");
}

void TestGeometry::parsePerAxisRefuses()
{
    QFETCH(QString, text);
    QFETCH(bool, size);
    QFETCH(QString, mention);
    const char *option = size ? "--input-size" : "--stride";
    try {
        if (size)
            parseSize(text.toStdString(), option);
        else
            padlab::core::parsePerAxis(text.toStdString(), option);
        QFAIL("accepted");
    } catch (const Error &e) {
        const QString message = QString::fromUtf8(e.what());
        QVERIFY2(message.contains(QLatin1String(option)), e.what());
        QVERIFY2(message.contains(mention), e.what());
    }
}

void TestGeometry::referenceSides_data()
{
    QTest::addColumn<PerAxis>("input");
    QTest::addColumn<PerAxis>("kernel");
    QTest::addColumn<ConvSpec>("spec");
    QTest::addColumn<Sides>("sides");
    QTest::addColumn<PerAxis>("padded");
    for (const auto &c : padlab::test::referenceCases())
        QTest::newRow(qPrintable(c.name)) << PerAxis{c.input.rows, c.input.cols}
                                          << PerAxis{c.kernel.rows, c.kernel.cols} << c.spec << c.sides
                                          << PerAxis{c.padded.rows, c.padded.cols};
}

void TestGeometry::referenceSides()
{
    QFETCH(PerAxis, input);
    QFETCH(PerAxis, kernel);
    QFETCH(ConvSpec, spec);
    QFETCH(Sides, sides);
    QFETCH(PerAxis, padded);
    QVERIFY(!padlab::core::validate(spec, input, kernel).has_value());
    const Geometry g = geometry(input, kernel, spec);
    QCOMPARE(g.sides(), sides);
    QCOMPARE(g.paddedSize(), padded);
}

QTEST_GUILESS_MAIN(TestGeometry)
#include "tst_geometry.moc"

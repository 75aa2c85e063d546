#include "channelspainter.h"
#include "clitestutil.h"
#include "exporter.h"
#include "session.h"
#include "testutil.h"

#include "padlab/core/kernels.h"
#include "padlab/core/npy.h"

#include <QImage>
#include <QPainter>
#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <memory>
#include <optional>
#include <vector>

using padlab::ui::ChannelSet;
using padlab::ui::ChannelsOptions;
using padlab::ui::ChannelsPainter;
using padlab::ui::FilterBank;
using padlab::ui::Part;
using padlab::ui::Session;
using padlab::ui::SnapshotPtr;
using padlab::ui::ViewSettings;
namespace core = padlab::core;

Q_DECLARE_METATYPE(QPoint)

namespace {

/// A colour image of @p rows x @p cols, B, G, R as OpenCV holds it, with values that differ
/// from channel to channel and cell to cell.
cv::Mat colorImage(int rows, int cols)
{
    cv::Mat image(rows, cols, CV_8UC3);
    cv::RNG rng(12345);
    rng.fill(image, cv::RNG::UNIFORM, 0, 256);
    return image;
}

/// A single-channel matrix of numbers, as a CSV gives it.
cv::Mat numberMatrix(int rows, int cols)
{
    cv::Mat m(rows, cols, CV_64F);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c)
            m.at<double>(r, c) = 1.5 * r - 2.0 * c + (r * c) % 3;
    return m;
}

/// The input's planes in R, G, B order (or the one plane), in double.
std::vector<cv::Mat> planesOf(const cv::Mat &source)
{
    std::vector<cv::Mat> planes;
    cv::split(source, planes);
    if (planes.size() == 3)
        std::swap(planes[0], planes[2]);
    for (cv::Mat &plane : planes)
        plane.convertTo(plane, CV_64F);
    return planes;
}

int borderOf(core::Fill fill)
{
    switch (fill) {
    case core::Fill::Reflect: return cv::BORDER_REFLECT_101;
    case core::Fill::Replicate: return cv::BORDER_REPLICATE;
    case core::Fill::Symmetric: return cv::BORDER_REFLECT;
    case core::Fill::Circular: return cv::BORDER_WRAP;
    default: return cv::BORDER_CONSTANT;
    }
}

/// The 3x3 kernels a preset bank gives filter @p f for channel slot @p j, written out here.
cv::Mat expectedKernel(FilterBank bank, int f, int j, int perGroup, const cv::Mat &sessionKernel)
{
    const cv::Mat zero = cv::Mat::zeros(3, 3, CV_64F);
    switch (bank) {
    case FilterBank::Edges: {
        // clang-format off
        const double kernels[4][9] = {{-1, 0, 1, -2, 0, 2, -1, 0, 1},
                                      {-1, -2, -1, 0, 0, 0, 1, 2, 1},
                                      {0, 1, 2, -1, 0, 1, -2, -1, 0},
                                      {-2, -1, 0, -1, 0, 1, 0, 1, 2}};
        // clang-format on
        return cv::Mat(3, 3, CV_64F, const_cast<double *>(kernels[f % 4])).clone();
    }
    case FilterBank::Identity: {
        if (f % perGroup != j)
            return zero;
        cv::Mat k = zero.clone();
        k.at<double>(1, 1) = 1;
        return k;
    }
    case FilterBank::Blur: {
        if (f % perGroup != j)
            return zero;
        cv::Mat k = (cv::Mat_<double>(3, 3) << 1, 2, 1, 2, 4, 2, 1, 2, 1) / 16.0;
        return k;
    }
    case FilterBank::Kernel: return sessionKernel;
    case FilterBank::Custom: break;
    }
    return zero;
}

/// A session on @p source with @p spec and the Channels view's bank, its part computed.
std::unique_ptr<Session> channelSession(const cv::Mat &source, const core::ConvSpec &spec, FilterBank bank,
                                        int groups, const std::vector<double> &bias)
{
    auto session = std::make_unique<Session>();
    session->setSource(source, QStringLiteral("test input"));
    session->setSpec(spec);
    ViewSettings view = session->viewSettings();
    view.bank = bank;
    view.groups = groups;
    view.bias = bias;
    session->setViewSettings(view);
    session->need(Part::Channels);
    session->waitUntilIdle();
    return session;
}

core::ConvSpec specOf(core::Amount amount, core::Fill fill, int stride, int dilation)
{
    core::ConvSpec spec;
    spec.amount.kind = amount;
    spec.fill = fill;
    spec.stride = {stride, stride};
    spec.dilation = {dilation, dilation};
    return spec;
}

/// The rectangle of channel @p channel's cells from @p first to @p last (inclusive), as drawn.
QRectF cellsRect(const QRect &target, const padlab::ui::Snapshot &s, const ChannelsOptions &o, int channel,
                 QPoint first, QPoint last)
{
    return ChannelsPainter::channelCellRect(target, s, o, channel, first)
        .united(ChannelsPainter::channelCellRect(target, s, o, channel, last));
}

/// A (C, H, W) array (or (H, W) when @p channels is 0) whose every value differs: channel c,
/// row r, column x holds 100 c + 10 r + x / 4 - 3.
core::NdArray tensorArray(int channels, int rows, int cols)
{
    core::NdArray array;
    if (channels > 0)
        array.shape.push_back(channels);
    array.shape.push_back(rows);
    array.shape.push_back(cols);
    for (int c = 0; c < std::max(channels, 1); ++c)
        for (int r = 0; r < rows; ++r)
            for (int x = 0; x < cols; ++x)
                array.values.push_back(100.0 * c + 10.0 * r + x / 4.0 - 3);
    return array;
}

/// Channel @p c of @p array (as tensorArray() lays it out) as a CV_64F plane.
cv::Mat arrayPlane(const core::NdArray &array, int c)
{
    const int rows = int(array.shape[array.shape.size() - 2]);
    const int cols = int(array.shape.back());
    return cv::Mat(rows, cols, CV_64F, const_cast<double *>(array.values.data()) + size_t(c) * rows * cols).clone();
}

bool writeNpy(const QString &path, const core::NdArray &array)
{
    const std::string bytes = core::formatNpy(array);
    return padlab::test::writeBytes(path, QByteArray(bytes.data(), qsizetype(bytes.size())));
}

QColor pixel(const QImage &image, double x, double y)
{
    return image.pixelColor(int(std::floor(x)), int(std::floor(y)));
}

} // namespace

class TestChannels : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void partialSums_data();
    void partialSums();
    void groupsFeedFilters_data();
    void groupsFeedFilters();
    void refusals_data();
    void refusals();
    void emptyOutput();
    void photoMapsNotPale();
    void smallMatrixReadable_data();
    void smallMatrixReadable();
    void windowInEveryChannel_data();
    void windowInEveryChannel();
    void render_data();
    void render();
    void renderRefusals_data();
    void renderRefusals();
    void tensorFile_data();
    void tensorFile();
    void renderTensor_data();
    void renderTensor();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestChannels::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QVERIFY(cv::imwrite(m_dir->filePath(QStringLiteral("small.png")).toStdString(), colorImage(6, 7)));
}

void TestChannels::partialSums_data()
{
    QTest::addColumn<bool>("color");
    QTest::addColumn<int>("bank");
    QTest::addColumn<int>("groups");
    QTest::addColumn<std::vector<double>>("bias");
    QTest::addColumn<int>("amount");
    QTest::addColumn<int>("fill");
    QTest::addColumn<int>("stride");
    QTest::addColumn<int>("dilation");

    const auto row = [](const char *name, bool color, FilterBank bank, int groups, std::vector<double> bias,
                        core::Amount amount, core::Fill fill, int stride, int dilation) {
        QTest::newRow(name) << color << int(bank) << groups << bias << int(amount) << int(fill) << stride
                            << dilation;
    };
    row("rgb edges same zeros", true, FilterBank::Edges, 1, {}, core::Amount::Same, core::Fill::Zeros, 1, 1);
    row("rgb edges valid bias for all", true, FilterBank::Edges, 1, {0.5}, core::Amount::Valid, core::Fill::Zeros, 1, 1);
    row("rgb edges full reflect bias per filter", true, FilterBank::Edges, 1, {1, -2, 0.25, 3}, core::Amount::Full,
        core::Fill::Reflect, 1, 1);
    row("rgb edges same stride 2", true, FilterBank::Edges, 1, {}, core::Amount::Same, core::Fill::Replicate, 2, 1);
    row("rgb edges dilation 2", true, FilterBank::Edges, 1, {-1}, core::Amount::Full, core::Fill::Zeros, 1, 2);
    row("rgb identity groups 1", true, FilterBank::Identity, 1, {}, core::Amount::Same, core::Fill::Replicate, 1, 1);
    row("rgb blur depthwise", true, FilterBank::Blur, 3, {}, core::Amount::Same, core::Fill::Reflect, 1, 1);
    row("rgb kernel depthwise", true, FilterBank::Kernel, 3, {2}, core::Amount::Same, core::Fill::Zeros, 1, 1);
    row("rgb edges depthwise", true, FilterBank::Edges, 3, {}, core::Amount::Same, core::Fill::Zeros, 1, 1);
    row("numbers edges same", false, FilterBank::Edges, 1, {0.5}, core::Amount::Same, core::Fill::Symmetric, 1, 1);
}

void TestChannels::partialSums()
{
    QFETCH(bool, color);
    QFETCH(int, bank);
    QFETCH(int, groups);
    QFETCH(std::vector<double>, bias);
    QFETCH(int, amount);
    QFETCH(int, fill);
    QFETCH(int, stride);
    QFETCH(int, dilation);

    const cv::Mat source = color ? colorImage(6, 7) : numberMatrix(5, 6);
    const core::ConvSpec spec = specOf(core::Amount(amount), core::Fill(fill), stride, dilation);
    const auto session = channelSession(source, spec, FilterBank(bank), groups, bias);
    const SnapshotPtr s = session->snapshot();
    QVERIFY(s->has(Part::Channels));
    const ChannelSet &set = *s->channels;
    QVERIFY2(set.error.isEmpty(), qPrintable(set.error));

    // The oracle: every plane padded by OpenCV with the session's pads, each product summed by hand.
    const core::Geometry &g = s->geometry();
    const std::vector<cv::Mat> planes = planesOf(source);
    const int channels = int(planes.size());
    std::vector<cv::Mat> padded(planes.size());
    for (size_t c = 0; c < planes.size(); ++c)
        cv::copyMakeBorder(planes[c], padded[c], g.rows.before, g.rows.padded - g.rows.before - g.rows.input,
                           g.cols.before, g.cols.padded - g.cols.before - g.cols.input, borderOf(spec.fill),
                           cv::Scalar(0));
    const int perGroup = channels / groups;
    const int filters = FilterBank(bank) == FilterBank::Edges ? 4 * groups
                        : FilterBank(bank) == FilterBank::Kernel ? groups
                                                                 : channels;
    QCOMPARE(set.filters(), filters);
    QCOMPARE(set.outputRows(), g.rows.output);
    QCOMPARE(set.outputCols(), g.cols.output);
    QVERIFY(g.rows.output > 0 && g.cols.output > 0);

    for (int r = 0; r < g.rows.output; ++r)
        for (int c = 0; c < g.cols.output; ++c) {
            const std::vector<core::TensorWindow> windows = set.windowsAt(r, c);
            QCOMPARE(int(windows.size()), filters);
            for (int f = 0; f < filters; ++f) {
                const int first = f / (filters / groups) * perGroup;
                std::vector<double> expected(size_t(channels), 0.0);
                for (int j = 0; j < perGroup; ++j) {
                    const cv::Mat k = expectedKernel(FilterBank(bank), f, j, perGroup, s->kernel);
                    for (int a = 0; a < k.rows; ++a)
                        for (int b = 0; b < k.cols; ++b)
                            expected[size_t(first + j)] += k.at<double>(a, b)
                                * padded[size_t(first + j)].at<double>(r * stride + a * dilation,
                                                                       c * stride + b * dilation);
                }
                std::vector<double> partial(size_t(channels), 0.0);
                std::vector<bool> read(size_t(channels), false);
                for (const core::TensorTap &tap : windows[size_t(f)].taps) {
                    partial[size_t(tap.channel)] += tap.product;
                    read[size_t(tap.channel)] = true;
                }
                const double b = bias.empty() ? 0.0 : bias.size() == 1 ? bias[0] : bias[size_t(f)];
                double total = b;
                for (int ch = 0; ch < channels; ++ch) {
                    // Only the filter's group is read, each channel with its own partial sum.
                    QCOMPARE(bool(read[size_t(ch)]), ch >= first && ch < first + perGroup);
                    QVERIFY2(std::abs(partial[size_t(ch)] - expected[size_t(ch)]) < 1e-3,
                             qPrintable(QStringLiteral("cell (%1, %2) filter %3 channel %4: %5, expected %6")
                                            .arg(r).arg(c).arg(f).arg(ch)
                                            .arg(partial[size_t(ch)]).arg(expected[size_t(ch)])));
                    total += expected[size_t(ch)];
                }
                // The total plus the bias is the engine's output cell.
                const double engine = padlab::test::element(set.result.output.plane(f), r, c);
                QVERIFY2(std::abs(windows[size_t(f)].sum - engine) < 1e-3, qPrintable(QString::number(engine)));
                QVERIFY2(std::abs(engine - total) < 1e-3,
                         qPrintable(QStringLiteral("cell (%1, %2) filter %3: engine %4, by hand %5")
                                        .arg(r).arg(c).arg(f).arg(engine).arg(total)));
            }
        }
}

void TestChannels::groupsFeedFilters_data()
{
    QTest::addColumn<int>("bank");
    QTest::addColumn<int>("groups");
    QTest::addColumn<int>("filters");
    QTest::addColumn<QString>("firstLine"); // what filter 0's sum starts with

    QTest::newRow("depthwise blur") << int(FilterBank::Blur) << 3 << 3 << QStringLiteral("f0: R: ");
    QTest::newRow("depthwise identity") << int(FilterBank::Identity) << 3 << 3 << QStringLiteral("f0: R: ");
    QTest::newRow("depthwise kernel") << int(FilterBank::Kernel) << 3 << 3 << QStringLiteral("f0: R: ");
    QTest::newRow("edges groups 1") << int(FilterBank::Edges) << 1 << 4 << QStringLiteral("f0: R: ");
    QTest::newRow("edges depthwise") << int(FilterBank::Edges) << 3 << 12 << QStringLiteral("f0: R: ");
}

void TestChannels::groupsFeedFilters()
{
    QFETCH(int, bank);
    QFETCH(int, groups);
    QFETCH(int, filters);
    QFETCH(QString, firstLine);

    const auto session = channelSession(colorImage(6, 7), specOf(core::Amount::Same, core::Fill::Zeros, 1, 1),
                                        FilterBank(bank), groups, {});
    const SnapshotPtr s = session->snapshot();
    QVERIFY(s->has(Part::Channels));
    const ChannelSet &set = *s->channels;
    QCOMPARE(set.filters(), filters);
    const QStringList names = {QStringLiteral("R"), QStringLiteral("G"), QStringLiteral("B")};
    const QStringList lines = ChannelsPainter::sumLines(set, {2, 3});
    QCOMPARE(int(lines.size()), filters);
    QVERIFY2(lines[0].startsWith(firstLine), qPrintable(lines[0]));
    const QRect target(0, 0, 1600, 900);
    ChannelsOptions o;
    const int perFilterGroup = filters / groups;
    for (int f = 0; f < filters; ++f) {
        const int group = f / perFilterGroup;
        for (int c = 0; c < 3; ++c) {
            // A kernel drawn exactly where the filter reads the channel, and its partial sum written.
            const bool feeds = groups == 1 || c == group;
            QCOMPARE(!ChannelsPainter::kernelRect(target, *s, o, f, c).isEmpty(), feeds);
            QCOMPARE(lines[f].contains(names[c] + QStringLiteral(": ")), feeds);
        }
    }
}

void TestChannels::refusals_data()
{
    QTest::addColumn<int>("groups");
    QTest::addColumn<std::vector<double>>("bias");
    QTest::addColumn<QString>("message");

    QTest::newRow("groups do not divide") << 2 << std::vector<double>{}
                                          << QStringLiteral("groups (2) does not divide the 3 input channels");
    QTest::newRow("bias too short") << 1 << std::vector<double>{1, 2}
                                    << QStringLiteral("bias has 2 values for 4 filters");
}

void TestChannels::refusals()
{
    QFETCH(int, groups);
    QFETCH(std::vector<double>, bias);
    QFETCH(QString, message);

    const auto session = channelSession(colorImage(6, 7), specOf(core::Amount::Same, core::Fill::Zeros, 1, 1),
                                        FilterBank::Edges, groups, bias);
    const SnapshotPtr s = session->snapshot();
    QVERIFY(s->has(Part::Channels));
    QVERIFY2(s->channels->error.contains(message), qPrintable(s->channels->error));
    QCOMPARE(s->channels->filters(), 0);
    // The view says so instead of drawing a bank.
    QImage image(800, 450, QImage::Format_RGB32);
    QPainter painter(&image);
    ChannelsPainter::paint(painter, image.rect(), *s, ChannelsOptions());
    QVERIFY(ChannelsPainter::channelCellRect(image.rect(), *s, ChannelsOptions(), 0, {0, 0}).isEmpty());
}

void TestChannels::emptyOutput()
{
    // A kernel taller than the input without padding: no output cell, the channels still shown.
    Session session;
    session.setSource(colorImage(6, 7), QStringLiteral("small"));
    session.setSpec(specOf(core::Amount::Valid, core::Fill::Zeros, 1, 1));
    session.setKernel(cv::Mat::ones(7, 3, CV_64F));
    session.setFilterBank(FilterBank::Kernel);
    session.need(Part::Channels);
    session.waitUntilIdle();
    const SnapshotPtr s = session.snapshot();
    QVERIFY(s->has(Part::Channels));
    QVERIFY2(s->channels->error.isEmpty(), qPrintable(s->channels->error));
    QCOMPARE(s->channels->outputRows(), 0);
    QVERIFY(s->channels->windowsAt(0, 0).empty());
    QImage image(1600, 900, QImage::Format_RGB32);
    {
        QPainter painter(&image);
        ChannelsPainter::paint(painter, image.rect(), *s, ChannelsOptions());
    }
    QVERIFY(!ChannelsPainter::channelCellRect(image.rect(), *s, ChannelsOptions(), 2, {0, 0}).isEmpty());
    QVERIFY(!ChannelsPainter::kernelRect(image.rect(), *s, ChannelsOptions(), 0, 2).isEmpty());
}

void TestChannels::photoMapsNotPale()
{
    // A smooth photo padded with zeros: its border gives the edge filters values some 40 times those
    // inside. Coloured over min..max, the inside of every map would be all but white; the colours
    // span each map's 1st to 99th percentile instead, so the inside shows its edges.
    cv::Mat photo(300, 300, CV_8UC3);
    for (int r = 0; r < photo.rows; ++r)
        for (int c = 0; c < photo.cols; ++c)
            photo.at<cv::Vec3b>(r, c) = cv::Vec3b(uchar(r / 3), uchar(c / 2), uchar((r + c) / 4));
    const auto session = channelSession(photo, specOf(core::Amount::Same, core::Fill::Zeros, 1, 1),
                                        FilterBank::Edges, 1, {});
    const SnapshotPtr s = session->snapshot();
    const ChannelSet &set = *s->channels;
    QVERIFY2(set.error.isEmpty(), qPrintable(set.error));
    QCOMPARE(set.outputClips.size(), size_t(set.filters()));
    const auto colouredShare = [&](bool clip) {
        QImage image(1600, 900, QImage::Format_RGB32);
        ChannelsOptions o;
        o.look.clipOutliers = clip;
        {
            QPainter painter(&image);
            ChannelsPainter::paint(painter, image.rect(), *s, o);
        }
        // The share of the maps' inside (away from the border) painted in a colour, not near white.
        int coloured = 0;
        int sampled = 0;
        for (int f = 0; f < set.filters(); ++f)
            for (int r = 30; r < 270; r += 12)
                for (int c = 30; c < 270; c += 12) {
                    const QRectF cell = ChannelsPainter::outputCellRect(image.rect(), *s, o, f, QPoint(c, r));
                    const QColor colour = pixel(image, cell.center().x(), cell.center().y());
                    coloured += std::min({colour.red(), colour.green(), colour.blue()}) < 225 ? 1 : 0;
                    ++sampled;
                }
        return 100 * coloured / sampled;
    };
    const int clipped = colouredShare(true);
    const int full = colouredShare(false);
    QVERIFY2(full < 10, qPrintable(QStringLiteral("over min..max, %1 percent of the inside in colour").arg(full)));
    QVERIFY2(clipped > 60, qPrintable(QStringLiteral("over 1-99 percent, %1 percent of the inside in colour").arg(clipped)));
}

void TestChannels::smallMatrixReadable_data()
{
    QTest::addColumn<QSize>("tab");
    QTest::addColumn<bool>("colour");
    // The Channels canvas at 1280 x 720 and 1920 x 1080 with the settings docked below.
    QTest::newRow("6x6 matrix, 1280x720") << QSize(1240, 330) << false;
    QTest::newRow("6x6 matrix, 1920x1080") << QSize(1880, 590) << false;
    QTest::newRow("6x6 colour, 1920x1080") << QSize(1880, 590) << true;
}

void TestChannels::smallMatrixReadable()
{
    // A 6x6 matrix through the four edge filters: every number of the channels and the maps is
    // drawn at a readable size once the canvas takes the height it asks for (the tab scrolls).
    QFETCH(QSize, tab);
    QFETCH(bool, colour);
    const auto session = channelSession(colour ? colorImage(6, 6) : numberMatrix(6, 6),
                                        specOf(core::Amount::Same, core::Fill::Zeros, 1, 1), FilterBank::Edges, 1, {});
    const SnapshotPtr s = session->snapshot();
    QVERIFY(s->channels && s->channels->error.isEmpty());
    ChannelsOptions o;
    const int height = ChannelsPainter::heightForWidth(*s, o.look, tab.width());
    QVERIFY(height > 0);
    const QRect target(0, 0, tab.width(), std::max(tab.height(), height));
    const QRectF in = ChannelsPainter::channelCellRect(target, *s, o, 0, QPoint(0, 0));
    const QRectF out = ChannelsPainter::outputCellRect(target, *s, o, 0, QPoint(0, 0));
    QVERIFY2(in.width() >= 32 && out.width() >= 32, qPrintable(QStringLiteral("%1, %2").arg(in.width()).arg(out.width())));
    QVERIFY(QRectF(target).contains(ChannelsPainter::outputCellRect(target, *s, o, s->channels->filters() - 1, QPoint(5, 5))));
    // The numbers are there: dark strokes inside a light output cell's number area.
    QImage image(target.size(), QImage::Format_RGB32);
    {
        QPainter painter(&image);
        ChannelsPainter::paint(painter, target, *s, o);
    }
    int strokes = 0;
    const QRect inner = in.toAlignedRect().adjusted(4, 4, -4, -4);
    const int fill = image.pixelColor(inner.topLeft()).lightness();
    for (int y = inner.top(); y <= inner.bottom(); ++y)
        for (int x = inner.left(); x <= inner.right(); ++x)
            strokes += std::abs(image.pixelColor(x, y).lightness() - fill) > 80 ? 1 : 0;
    QVERIFY2(strokes > 5, "no number in the first channel cell");
    // Not asked for when the grids are a photo's.
    const auto photo = channelSession(colorImage(60, 80), specOf(core::Amount::Same, core::Fill::Zeros, 1, 1),
                                      FilterBank::Edges, 1, {});
    QCOMPARE(ChannelsPainter::heightForWidth(*photo->snapshot(), o.look, tab.width()), 0);
}

void TestChannels::windowInEveryChannel_data()
{
    QTest::addColumn<bool>("color");
    QTest::addColumn<int>("amount");
    QTest::addColumn<int>("stride");
    QTest::addColumn<int>("step");
    QTest::addColumn<int>("bank");
    QTest::addColumn<int>("groups");

    QTest::newRow("rgb same first cell") << true << int(core::Amount::Same) << 1 << 0 << int(FilterBank::Edges) << 1;
    QTest::newRow("rgb same middle") << true << int(core::Amount::Same) << 1 << 17 << int(FilterBank::Edges) << 1;
    QTest::newRow("rgb full last cell") << true << int(core::Amount::Full) << 1 << 71 << int(FilterBank::Edges) << 1;
    QTest::newRow("rgb full stride 2 depthwise") << true << int(core::Amount::Full) << 2 << 5
                                                 << int(FilterBank::Blur) << 3;
    QTest::newRow("numbers full") << false << int(core::Amount::Full) << 1 << 9 << int(FilterBank::Edges) << 1;
}

void TestChannels::windowInEveryChannel()
{
    QFETCH(bool, color);
    QFETCH(int, amount);
    QFETCH(int, stride);
    QFETCH(int, step);
    QFETCH(int, bank);
    QFETCH(int, groups);

    const cv::Mat source = color ? colorImage(6, 7) : numberMatrix(5, 6);
    const auto session = channelSession(source, specOf(core::Amount(amount), core::Fill::Zeros, stride, 1),
                                        FilterBank(bank), groups, {});
    session->setStep(step);
    QCOMPARE(session->step(), step);
    const SnapshotPtr s = session->snapshot();
    const ChannelSet &set = *s->channels;
    QVERIFY2(set.error.isEmpty(), qPrintable(set.error));

    QImage image(1600, 900, QImage::Format_RGB32);
    ChannelsOptions o;
    o.step = step;
    {
        QPainter painter(&image);
        ChannelsPainter::paint(painter, image.rect(), *s, o);
    }
    const QPoint cell = ChannelsPainter::currentCell(*s, o);
    QCOMPARE(cell, s->stepCell(step));
    const core::TensorWindow window = set.windowsAt(cell.y(), cell.x()).front();
    const QColor windowColor = o.look.windowColor();
    const QColor tint = o.look.paddingTint();
    const core::TensorShape padded = set.padded.shape();
    const std::vector<core::AxisPads> pads = set.result.geometry.pads();
    QVERIFY(pads[0].before > 0 && pads[1].after > 0);

    for (int c = 0; c < set.channels(); ++c) {
        const QRectF box = cellsRect(image.rect(), *s, o, c, QPoint(window.origin[1], window.origin[0]),
                                     QPoint(window.origin[1] + window.extent[1] - 1,
                                            window.origin[0] + window.extent[0] - 1));
        QVERIFY(box.width() >= padlab::ui::kMinValueCell);
        const double cellPx = box.width() / window.extent[1];
        const double w = std::max(3.0, std::round(cellPx * 0.08));
        // The outline just outside the window on all four sides, in this channel.
        const QString where = QStringLiteral("channel %1, window at (%2, %3)").arg(c).arg(window.origin[0]).arg(window.origin[1]);
        QCOMPARE(pixel(image, box.left() - w / 2, box.center().y()), windowColor);
        QCOMPARE(pixel(image, box.right() + w / 2, box.center().y()), windowColor);
        QCOMPARE(pixel(image, box.center().x(), box.top() - w / 2), windowColor);
        QVERIFY2(pixel(image, box.center().x(), box.bottom() + w / 2) == windowColor, qPrintable(where));
        // Inside it the cells show their values, not the outline.
        QVERIFY2(pixel(image, box.center().x(), box.center().y()) != windowColor, qPrintable(where));

        // Padded cells are tinted (a ring around their value), the input's own cells are not.
        const QRectF corner = ChannelsPainter::channelCellRect(image.rect(), *s, o, c,
                                                               QPoint(padded.cols() - 1, padded.rows() - 1));
        const double ring = std::max(1.0, std::round(corner.width() * 0.1));
        QVERIFY(ring >= 3);
        QCOMPARE(pixel(image, corner.left() + ring / 2 + 1, corner.center().y()), tint);
        const QRectF inner = ChannelsPainter::channelCellRect(image.rect(), *s, o, c, QPoint(pads[1].before, pads[0].before));
        QVERIFY(pixel(image, inner.left() + ring / 2 + 1, inner.center().y()) != tint);
    }
    // The current cell is marked in every output map.
    for (int f = 0; f < set.filters(); ++f) {
        const QRectF rect = ChannelsPainter::outputCellRect(image.rect(), *s, o, f, cell);
        const double w = std::max(2.0, std::round(rect.width() * 0.08));
        QCOMPARE(pixel(image, rect.left() - w / 2, rect.center().y()), o.look.currentCellColor());
        QCOMPARE(pixel(image, rect.center().x(), rect.bottom() + w / 2), o.look.currentCellColor());
    }
}

void TestChannels::render_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("output");
    QTest::addColumn<int>("bank");
    QTest::addColumn<int>("groups");
    QTest::addColumn<std::vector<double>>("bias");

    QTest::newRow("colour edges png") << QStringList{} << QStringLiteral("edges.png") << int(FilterBank::Edges) << 1
                                      << std::vector<double>{};
    QTest::newRow("depthwise kernel with bias png")
        << QStringList{"--kernel", "sobel-x", "--groups", "3", "--bias", "0.5", "--step", "4"}
        << QStringLiteral("depthwise.png") << int(FilterBank::Kernel) << 3 << std::vector<double>{0.5};
    QTest::newRow("npy bank png") << QStringList{"--kernel", "bank.npy", "--bias", "1,-1"} << QStringLiteral("bank.png")
                                  << int(FilterBank::Custom) << 1 << std::vector<double>{1, -1};
    QTest::newRow("svg") << QStringList{} << QStringLiteral("channels.svg") << int(FilterBank::Edges) << 1
                         << std::vector<double>{};
    QTest::newRow("pdf") << QStringList{} << QStringLiteral("channels.pdf") << int(FilterBank::Edges) << 1
                         << std::vector<double>{};
}

void TestChannels::render()
{
    QFETCH(QStringList, options);
    QFETCH(QString, output);
    QFETCH(int, bank);
    QFETCH(int, groups);
    QFETCH(std::vector<double>, bias);

    // A bank of two filters over R, G and B: a 3x3 box on R, minus the centre of B.
    core::NdArray bankArray;
    bankArray.shape = {2, 3, 3, 3};
    bankArray.values.assign(54, 0.0);
    for (int i = 0; i < 9; ++i)
        bankArray.values[size_t(i)] = 1.0;
    bankArray.values[27 + 18 + 4] = -1.0;
    const std::string npy = core::formatNpy(bankArray);
    QVERIFY(padlab::test::writeBytes(m_dir->filePath(QStringLiteral("bank.npy")), QByteArray(npy.data(), qsizetype(npy.size()))));

    const padlab::test::Run run = padlab::test::runPadlab(
        m_dir->path(), QStringList{"render", "small.png", "--color", "--view", "channels", "-o", output} + options);
    PADLAB_VERIFY_SUCCESS(run);
    const QString path = m_dir->filePath(output);
    const QByteArray bytes = padlab::test::readBytes(path);
    if (output.endsWith(QLatin1String(".svg"))) {
        QVERIFY(bytes.contains("<svg"));
        QVERIFY(bytes.contains("Filter bank"));
        return;
    }
    if (output.endsWith(QLatin1String(".pdf"))) {
        QVERIFY(bytes.startsWith("%PDF"));
        return;
    }
    const QImage written(path);
    QCOMPARE(written.size(), padlab::ui::kTeachingExportSize);

    // The same view painted here, through the same painter, from the same settings.
    Session session;
    session.setSource(cv::imread(m_dir->filePath(QStringLiteral("small.png")).toStdString(), cv::IMREAD_COLOR),
                      QStringLiteral("small.png"));
    session.setSpec(Session::defaultSpec()); // render starts from the window's settings
    session.setPreset(QString::fromLatin1(Session::kDefaultPreset));
    ViewSettings view = session.viewSettings();
    view.bank = FilterBank(bank);
    view.groups = groups;
    view.bias = bias;
    if (view.bank == FilterBank::Custom) {
        view.bankShape = {2, 3, 3, 3};
        view.bankWeights = bankArray.values;
        cv::Mat first(3, 3, CV_64F, bankArray.values.data());
        session.setKernel(first.clone());
    }
    session.setViewSettings(view);
    // --step counts from 1, as the window does; the session counts from 0.
    const int step = options.contains(QStringLiteral("--step")) ? options[options.indexOf(QStringLiteral("--step")) + 1].toInt() : 1;
    session.setStep(step - 1);
    padlab::ui::ExportOptions exportOptions;
    exportOptions.view = padlab::ui::ExportView::Channels;
    padlab::ui::Exporter exporter(session, exportOptions);
    const QImage painted = exporter.renderImage();
    QCOMPARE(painted.size(), written.size());
    QVERIFY2(painted.convertToFormat(QImage::Format_RGB32) == written.convertToFormat(QImage::Format_RGB32),
             "the rendered PNG differs from the view painted in the test");
}

void TestChannels::renderRefusals_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");

    QTest::newRow("groups do not divide the channels")
        << QStringList{"--view", "channels", "--groups", "2"}
        << QStringLiteral("cannot apply the filter bank: groups (2) does not divide the 3 input channels");
    QTest::newRow("bias of the wrong length")
        << QStringList{"--view", "channels", "--bias", "1,2"}
        << QStringLiteral("cannot apply the filter bank: bias has 2 values for 4 filters");
    QTest::newRow("groups without the channels view")
        << QStringList{"--groups", "3"} << QStringLiteral("--groups applies to the channels view");
    QTest::newRow("bank of three axes") << QStringList{"--view", "channels", "--kernel", "three.npy"}
                                        << QStringLiteral("got shape (2, 3, 3)");
}

void TestChannels::renderRefusals()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);

    core::NdArray three;
    three.shape = {2, 3, 3};
    three.values.assign(18, 1.0);
    const std::string npy = core::formatNpy(three);
    QVERIFY(padlab::test::writeBytes(m_dir->filePath(QStringLiteral("three.npy")), QByteArray(npy.data(), qsizetype(npy.size()))));
    const QStringList before = padlab::test::entries(m_dir->path());
    const padlab::test::Run run = padlab::test::runPadlab(
        m_dir->path(), QStringList{"render", "small.png", "--color", "-o", "refused.png"} + arguments);
    QVERIFY(run.finished && !run.crashed);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(message.toUtf8()), run.err.constData());
    // Nothing written.
    QCOMPARE(padlab::test::entries(m_dir->path()), before);
}

void TestChannels::tensorFile_data()
{
    QTest::addColumn<int>("channels"); // 0: a 2-D array
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    QTest::newRow("2-D array is the plane") << 0 << 4 << 5;
    QTest::newRow("one channel") << 1 << 3 << 6;
    QTest::newRow("two channels") << 2 << 5 << 4;
    QTest::newRow("three channels are not R, G, B") << 3 << 4 << 4;
    QTest::newRow("sixteen channels") << 16 << 3 << 3;
}

void TestChannels::tensorFile()
{
    QFETCH(int, channels);
    QFETCH(int, rows);
    QFETCH(int, cols);
    const core::NdArray array = tensorArray(channels, rows, cols);
    const QString path = m_dir->filePath(QStringLiteral("tensor-%1.npy").arg(QTest::currentDataTag()).replace(' ', '-'));
    QVERIFY(writeNpy(path, array));

    Session session;
    ViewSettings view = session.viewSettings();
    view.bank = FilterBank::Identity;
    session.setViewSettings(view);
    session.setAmount({core::Amount::Same, {}});
    session.need(Part::Channels);
    QSignalSpy errors(&session, &Session::errorOccurred);
    QVERIFY(session.openFile(path));
    QVERIFY(session.waitUntilIdle());
    QCOMPARE(errors.count(), 0);
    QCOMPARE(session.isTensor(), channels > 0);
    QVERIFY(!session.isColor());
    QCOMPARE(session.source().channels(), std::max(channels, 1));
    // The plane every other view convolves is channel 0, values exact.
    PADLAB_COMPARE_MAT(session.input(), arrayPlane(array, 0), 0);
    QCOMPARE(session.geometry().rows.input, rows);
    QCOMPARE(session.geometry().cols.input, cols);

    const SnapshotPtr s = session.snapshot();
    QVERIFY(s->has(Part::Channels));
    const ChannelSet &set = *s->channels;
    QVERIFY2(set.error.isEmpty(), qPrintable(set.error));
    QCOMPARE(set.channels(), std::max(channels, 1));
    QVERIFY(!set.colorImage);
    for (int c = 0; c < set.channels(); ++c) {
        if (channels > 0)
            QCOMPARE(set.channelNames.value(c), QStringLiteral("c%1").arg(c));
        PADLAB_COMPARE_MAT(set.input.plane(c), arrayPlane(array, c), 0);
        // The identity bank copies each channel in the array's order: channel c comes out as map c.
        PADLAB_COMPARE_MAT(set.result.output.plane(c), arrayPlane(array, c), 1e-12);
    }
}

void TestChannels::renderTensor_data()
{
    QTest::addColumn<QString>("view");
    QTest::addColumn<QStringList>("options");
    QTest::newRow("channels view") << QStringLiteral("channels") << QStringList{};
    QTest::newRow("channels view, depthwise kernel") << QStringLiteral("channels")
                                                     << QStringList{"--kernel", "sobel-y", "--step", "7"};
    QTest::newRow("window view convolves channel 0") << QStringLiteral("window") << QStringList{"--step", "3"};
}

void TestChannels::renderTensor()
{
    QFETCH(QString, view);
    QFETCH(QStringList, options);
    const core::NdArray array = tensorArray(4, 5, 6);
    QVERIFY(writeNpy(m_dir->filePath(QStringLiteral("tensor.npy")), array));
    const QString output = QStringLiteral("tensor-%1.png").arg(view);

    const padlab::test::Run run = padlab::test::runPadlab(
        m_dir->path(), QStringList{"render", "tensor.npy", "--view", view, "-o", output} + options);
    PADLAB_VERIFY_SUCCESS(run);
    const QImage written(m_dir->filePath(output));
    QVERIFY(!written.isNull());

    // The same view painted here from the file opened as the window opens it.
    Session session;
    QVERIFY(session.openFile(m_dir->filePath(QStringLiteral("tensor.npy"))));
    QCOMPARE(session.source().channels(), 4);
    if (options.contains(QStringLiteral("--kernel"))) {
        session.setPreset(QStringLiteral("sobel-y"));
        ViewSettings settings = session.viewSettings();
        settings.bank = FilterBank::Kernel;
        settings.groups = 4; // render's one kernel on every channel on its own
        session.setViewSettings(settings);
    }
    const int step = options.contains(QStringLiteral("--step")) ? options[options.indexOf(QStringLiteral("--step")) + 1].toInt() : 1;
    session.setStep(step - 1);
    padlab::ui::ExportOptions exportOptions;
    exportOptions.view = view == QLatin1String("channels") ? padlab::ui::ExportView::Channels
                                                           : padlab::ui::ExportView::Window;
    exportOptions.step = step - 1;
    padlab::ui::Exporter exporter(session, exportOptions);
    const QImage painted = exporter.renderImage();
    QCOMPARE(painted.size(), written.size());
    QVERIFY2(painted.convertToFormat(QImage::Format_RGB32) == written.convertToFormat(QImage::Format_RGB32),
             "the rendered PNG differs from the view painted in the test");
}

QTEST_MAIN(TestChannels)
#include "tst_channels.moc"

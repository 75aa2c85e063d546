#include "samples.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>

#include <QFont>
#include <QImage>
#include <QPainter>
#include <QPainterPath>
#include <QPolygonF>
#include <QRadialGradient>

#include <opencv2/imgproc.hpp>

#include "matimage.h"
#include "sizetext.h"

namespace padlab::ui {

namespace {

constexpr int kPhotoRows = 480;
constexpr int kPhotoCols = 640;

// Procedural noise: integer hashing keeps every sample identical on every machine and run,
// which a seeded std:: engine would not guarantee across standard libraries.
std::uint32_t hash2(int x, int y, std::uint32_t seed)
{
    std::uint32_t h = static_cast<std::uint32_t>(x) * 0x8da6b343u
                      ^ static_cast<std::uint32_t>(y) * 0xd8163841u ^ seed * 0xcb1ab31fu;
    h ^= h >> 16;
    h *= 0x7feb352du;
    h ^= h >> 15;
    h *= 0x846ca68bu;
    h ^= h >> 16;
    return h;
}

double unitHash(int x, int y, std::uint32_t seed)
{
    return static_cast<double>(hash2(x, y, seed)) / 4294967296.0;
}

double valueNoise(double x, double y, std::uint32_t seed)
{
    const double fx = std::floor(x);
    const double fy = std::floor(y);
    const int ix = static_cast<int>(fx);
    const int iy = static_cast<int>(fy);
    const auto smooth = [](double t) { return t * t * (3.0 - 2.0 * t); };
    const double tx = smooth(x - fx);
    const double ty = smooth(y - fy);
    const double top = std::lerp(unitHash(ix, iy, seed), unitHash(ix + 1, iy, seed), tx);
    const double bottom = std::lerp(unitHash(ix, iy + 1, seed), unitHash(ix + 1, iy + 1, seed), tx);
    return std::lerp(top, bottom, ty);
}

// Fractal noise in 0..1: octaves of value noise, each twice as fine and half as strong.
double fbm(double x, double y, std::uint32_t seed, int octaves)
{
    double sum = 0.0;
    double amplitude = 1.0;
    double total = 0.0;
    for (int i = 0; i < octaves; ++i) {
        sum += amplitude * valueNoise(x, y, seed + static_cast<std::uint32_t>(i) * 101u);
        total += amplitude;
        amplitude *= 0.5;
        x *= 2.0;
        y *= 2.0;
    }
    return sum / total;
}

int toByte(double v)
{
    return std::clamp(static_cast<int>(std::lround(v)), 0, 255);
}

QRgb mixRgb(QRgb a, QRgb b, double t)
{
    return qRgb(toByte(std::lerp(qRed(a), qRed(b), t)), toByte(std::lerp(qGreen(a), qGreen(b), t)),
                toByte(std::lerp(qBlue(a), qBlue(b), t)));
}

QRgb scaleRgb(QRgb c, double factor)
{
    return qRgb(toByte(qRed(c) * factor), toByte(qGreen(c) * factor), toByte(qBlue(c) * factor));
}

QColor gray(int v)
{
    return QColor(v, v, v);
}

cv::Mat makeDigit()
{
    // Drawn four times larger and averaged down, which gives the soft stroke edge of MNIST.
    constexpr int scale = 4;
    constexpr int size = 28;
    QImage canvas(size * scale, size * scale, QImage::Format_RGB32);
    canvas.fill(Qt::black);

    // A "7" in pen order: a slightly rising top bar, then a down stroke that bends a little.
    QPainterPath pen(QPointF(7.6, 7.9));
    pen.cubicTo(QPointF(11.0, 7.2), QPointF(16.0, 6.4), QPointF(20.4, 6.6));
    pen.cubicTo(QPointF(18.6, 10.5), QPointF(15.6, 15.2), QPointF(13.6, 21.6));

    QPainter painter(&canvas);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(Qt::white);
    painter.scale(scale, scale);
    // Stamping round nibs whose radius changes along the path imitates pen pressure.
    constexpr int stamps = 240;
    for (int i = 0; i <= stamps; ++i) {
        const double t = static_cast<double>(i) / stamps;
        const double radius = 1.25 + 0.3 * std::sin(t * 5.5 + 0.4) - 0.2 * t;
        painter.drawEllipse(pen.pointAtPercent(t), radius, radius);
    }
    painter.end();

    cv::Mat digit;
    cv::resize(matFromImage(canvas, false), digit, cv::Size(size, size), 0, 0, cv::INTER_AREA);
    // Whole numbers 0..255, as MNIST stores them: three digits a class can read in every cell.
    cv::Mat bytes;
    digit.convertTo(bytes, CV_8U);
    bytes.convertTo(digit, CV_32F);
    return digit;
}

cv::Mat makeCheckerboard()
{
    constexpr int size = 32;
    constexpr int square = 4;
    cv::Mat board(size, size, CV_32F);
    for (int r = 0; r < size; ++r)
        for (int c = 0; c < size; ++c)
            board.at<float>(r, c) = ((r / square + c / square) % 2 == 0) ? 255.0f : 0.0f;
    return board;
}

cv::Mat makeGradient()
{
    constexpr int size = 64;
    cv::Mat ramp(size, size, CV_32F);
    for (int r = 0; r < size; ++r)
        for (int c = 0; c < size; ++c)
            ramp.at<float>(r, c) = 255.0f * static_cast<float>(r + c) / (2 * (size - 1));
    return ramp;
}

cv::Mat makeShapes()
{
    constexpr int size = 128;
    QImage canvas(size, size, QImage::Format_RGB32);
    canvas.fill(gray(56));

    QPainter painter(&canvas);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);

    painter.setBrush(gray(235));
    painter.drawEllipse(QPointF(36.0, 36.0), 24.0, 24.0);

    // Runs off the right edge, so circular and reflecting fills visibly differ there.
    painter.setBrush(gray(150));
    painter.drawRect(QRectF(76.0, 16.0, 60.0, 34.0));

    painter.setBrush(gray(190));
    painter.drawPolygon(QPolygonF({QPointF(8.0, 116.0), QPointF(58.0, 116.0), QPointF(33.0, 72.0)}));

    painter.setPen(QPen(gray(10), 4.0));
    painter.setBrush(Qt::NoBrush);
    painter.drawEllipse(QPointF(98.0, 76.0), 13.0, 13.0);

    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPixelSize(30);
    font.setBold(true);
    painter.setFont(font);
    painter.setPen(gray(255));
    painter.drawText(QRectF(60.0, 92.0, 68.0, 34.0), Qt::AlignCenter, QStringLiteral("Pad"));
    painter.end();

    return matFromImage(canvas, false);
}

void drawTree(QPainter &painter, QPointF foot, double height)
{
    const double crown = height * 0.34;
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(92, 62, 38));
    painter.drawRect(QRectF(foot.x() - height * 0.05, foot.y() - height * 0.55, height * 0.1,
                            height * 0.55));

    const QPointF centre(foot.x(), foot.y() - height * 0.62);
    const std::pair<QPointF, double> lobes[] = {
        {QPointF(-0.45, 0.25), 0.75}, {QPointF(0.45, 0.2), 0.8}, {QPointF(0.0, -0.35), 0.85},
        {QPointF(0.0, 0.15), 0.9}};
    for (const auto &[offset, r] : lobes) {
        const QPointF c = centre + offset * crown;
        QRadialGradient shade(c - QPointF(crown * 0.3, crown * 0.35), crown * r * 1.3);
        shade.setColorAt(0.0, QColor(96, 150, 62));
        shade.setColorAt(1.0, QColor(28, 72, 30));
        painter.setBrush(shade);
        painter.drawEllipse(c, crown * r, crown * r);
    }
}

void drawHouse(QPainter &painter, QPointF foot)
{
    const double w = 118.0;
    const double h = 78.0;
    const QRectF wall(foot.x() - w / 2, foot.y() - h, w, h);
    painter.setPen(Qt::NoPen);

    painter.setBrush(QColor(120, 58, 44));
    painter.drawRect(QRectF(wall.right() - 34.0, wall.top() - 56.0, 14.0, 40.0));

    painter.setBrush(QColor(232, 214, 178));
    painter.drawRect(wall);
    // The side in shadow gives the house some depth.
    painter.setBrush(QColor(196, 176, 140));
    painter.drawRect(QRectF(wall.right() - 14.0, wall.top(), 14.0, h));

    painter.setBrush(QColor(166, 58, 40));
    painter.drawPolygon(QPolygonF({QPointF(wall.left() - 12.0, wall.top() + 2.0),
                                   QPointF(wall.right() + 12.0, wall.top() + 2.0),
                                   QPointF(foot.x(), wall.top() - 50.0)}));

    painter.setBrush(QColor(98, 60, 36));
    painter.drawRect(QRectF(foot.x() - 12.0, foot.y() - 42.0, 24.0, 42.0));

    for (const double x : {wall.left() + 14.0, wall.right() - 44.0}) {
        const QRectF window(x, wall.top() + 16.0, 26.0, 22.0);
        painter.setBrush(QColor(250, 250, 245));
        painter.drawRect(window.adjusted(-3, -3, 3, 3));
        painter.setBrush(QColor(120, 170, 205));
        painter.drawRect(window);
        painter.setBrush(QColor(250, 250, 245));
        painter.drawRect(QRectF(window.center().x() - 1.5, window.top(), 3.0, window.height()));
        painter.drawRect(QRectF(window.left(), window.center().y() - 1.5, window.width(), 3.0));
    }
}

// One range of hills: a noisy skyline and a grass colour that darkens towards the viewer.
struct HillRange
{
    QRgb light;
    QRgb dark;
    double base;       ///< mean height of the skyline, in pixels from the top
    double amplitude;  ///< how far the skyline rises and falls around the base
    double wavelength; ///< horizontal size of the hills, in pixels
    std::uint32_t seed;

    double skyline(double x) const
    {
        return base - amplitude * (fbm(x / wavelength, 0.5, seed, 4) - 0.5) * 2.0;
    }
};

// Covers everything below the skyline with a textured ground; the skyline is anti-aliased
// by its fractional coverage of each pixel.
void paintHills(QImage &image, const HillRange &hills)
{
    for (int x = 0; x < image.width(); ++x) {
        const double top = hills.skyline(x);
        for (int y = std::max(0, static_cast<int>(std::floor(top))); y < image.height(); ++y) {
            const double coverage = std::clamp(y + 1.0 - top, 0.0, 1.0);
            const double depth = std::clamp((y - top) / 140.0, 0.0, 1.0);
            // Fractal noise bunches around 0.5; stretching it makes the texture visible.
            const double texture = std::clamp(
                (fbm(x / 18.0, y / 9.0, hills.seed + 7u, 4) - 0.5) * 2.4 + 0.5, 0.0, 1.0);
            const double grain = unitHash(x, y, hills.seed + 13u);
            QRgb ground = mixRgb(hills.light, hills.dark, 0.55 * depth + 0.45 * texture);
            ground = scaleRgb(ground, 0.92 + 0.16 * grain);
            QRgb *line = reinterpret_cast<QRgb *>(image.scanLine(y));
            line[x] = mixRgb(line[x], ground, coverage);
        }
    }
}

cv::Mat makePhoto()
{
    constexpr int width = kPhotoCols;
    constexpr int height = kPhotoRows;
    QImage image(width, height, QImage::Format_RGB32);

    const QRgb zenith = qRgb(46, 98, 178);
    const QRgb horizon = qRgb(196, 222, 240);
    for (int y = 0; y < height; ++y) {
        QRgb *line = reinterpret_cast<QRgb *>(image.scanLine(y));
        const double t = std::min(1.0, y / 330.0);
        const QRgb sky = mixRgb(zenith, horizon, std::pow(t, 0.8));
        for (int x = 0; x < width; ++x) {
            // Clouds: stretched fractal noise, kept only where it is dense.
            const double n = fbm(x / 120.0, y / 40.0, 1234u, 5);
            const double cloud = std::clamp((n - 0.52) * 3.2, 0.0, 1.0) * (1.0 - 0.6 * t);
            line[x] = mixRgb(sky, qRgb(250, 250, 252), cloud);
        }
    }

    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPointF sun(505.0, 95.0);
    QRadialGradient glow(sun, 130.0);
    glow.setColorAt(0.0, QColor(255, 246, 200, 200));
    glow.setColorAt(0.3, QColor(255, 236, 180, 90));
    glow.setColorAt(1.0, QColor(255, 236, 180, 0));
    painter.setPen(Qt::NoPen);
    painter.setBrush(glow);
    painter.drawEllipse(sun, 130.0, 130.0);
    painter.setBrush(QColor(255, 244, 196));
    painter.drawEllipse(sun, 34.0, 34.0);
    painter.end();

    paintHills(image, {qRgb(138, 162, 190), qRgb(92, 116, 150), 270.0, 80.0, 150.0, 77u});
    paintHills(image, {qRgb(112, 150, 96), qRgb(70, 110, 76), 318.0, 40.0, 120.0, 55u});
    const HillRange meadow{qRgb(156, 196, 88), qRgb(50, 100, 40), 360.0, 44.0, 220.0, 91u};
    paintHills(image, meadow);

    painter.begin(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    const double houseX = 230.0;
    drawHouse(painter, QPointF(houseX, meadow.skyline(houseX) + 30.0));
    for (const auto &[x, h] : {std::pair{78.0, 150.0}, {132.0, 118.0}, {392.0, 136.0},
                               {448.0, 176.0}, {590.0, 128.0}})
        drawTree(painter, QPointF(x, meadow.skyline(x) + 24.0 + h * 0.12), h);
    painter.end();

    return matFromImage(image, true);
}

} // namespace

const QList<Sample> &samples()
{
    static const QList<Sample> list = {
        {QStringLiteral("digit"), QStringLiteral("Handwritten digit"),
         QStringLiteral("A %1 grayscale \"7\", white on black, like an MNIST sample.").arg(sizeText(28, 28))},
        {QStringLiteral("checkerboard"), QStringLiteral("Checkerboard"),
         QStringLiteral("%1 squares of 4 pixels: each fill continues the pattern differently "
                        "past the edge.").arg(sizeText(32, 32))},
        {QStringLiteral("gradient"), QStringLiteral("Gradient"),
         QStringLiteral("%1 ramp from black (top left) to white (bottom right): replicate and "
                        "reflect continue it, zeros cut it off.").arg(sizeText(64, 64))},
        {QStringLiteral("shapes"), QStringLiteral("Shapes"),
         QStringLiteral("%1 grayscale circle, ring, triangle, text and a bar that runs off "
                        "the right edge.").arg(sizeText(128, 128))},
        {QStringLiteral("photo"), QStringLiteral("Photo (colour)"),
         QStringLiteral("%1 colour landscape (rows × columns): grey by default, or each of its "
                        "three channels padded and filtered on its own.")
             .arg(sizeText(kPhotoRows, kPhotoCols))},
    };
    return list;
}

cv::Mat makeSample(const QString &id)
{
    if (id == QLatin1String("digit"))
        return makeDigit();
    if (id == QLatin1String("checkerboard"))
        return makeCheckerboard();
    if (id == QLatin1String("gradient"))
        return makeGradient();
    if (id == QLatin1String("shapes"))
        return makeShapes();
    if (id == QLatin1String("photo"))
        return makePhoto();
    return {};
}

QString defaultSampleId()
{
    return QStringLiteral("digit");
}

} // namespace padlab::ui

#pragma once
// Exported GIFs and frames read back for the tests, by giflib alone.
#include <QFile>
#include <QImage>
#include <QSize>
#include <QString>

#include <gif_lib.h>

#include <algorithm>
#include <cstdlib>

namespace padlab::test {

/// Image descriptors in a GIF, read back with giflib; -1 when it does not decode. @p screen,
/// when given, gets the logical screen (every frame's size).
inline int gifImageCount(const QString &path, QSize *screen = nullptr)
{
    int error = 0;
    GifFileType *gif = DGifOpenFileName(QFile::encodeName(path).constData(), &error);
    if (!gif)
        return -1;
    const int count = DGifSlurp(gif) == GIF_OK ? gif->ImageCount : -1;
    if (screen)
        *screen = QSize(gif->SWidth, gif->SHeight);
    DGifCloseFile(gif, &error);
    return count;
}

/// A GIF's first frame, as giflib decodes it through its colour map; null when it does not open.
inline QImage firstGifFrame(const QString &path)
{
    int error = 0;
    GifFileType *gif = DGifOpenFileName(QFile::encodeName(path).constData(), &error);
    if (!gif)
        return {};
    QImage image;
    if (DGifSlurp(gif) == GIF_OK && gif->ImageCount > 0) {
        const SavedImage &first = gif->SavedImages[0];
        const ColorMapObject *map = first.ImageDesc.ColorMap ? first.ImageDesc.ColorMap : gif->SColorMap;
        image = QImage(gif->SWidth, gif->SHeight, QImage::Format_RGB32);
        image.fill(Qt::black);
        for (int y = 0; y < first.ImageDesc.Height; ++y)
            for (int x = 0; x < first.ImageDesc.Width; ++x) {
                const GifColorType c = map->Colors[first.RasterBits[y * first.ImageDesc.Width + x]];
                image.setPixel(first.ImageDesc.Left + x, first.ImageDesc.Top + y, qRgb(c.Red, c.Green, c.Blue));
            }
    }
    DGifCloseFile(gif, &error);
    return image;
}

/// The height in pixels of the first panel's title, as the rows of its title band (@p band
/// rows) holding ink; 0 when nothing is written there.
inline int titleInkHeight(const QImage &image, int band)
{
    const QRgb background = image.pixel(0, 0);
    int first = -1;
    int last = -1;
    // The text's rows run from the first with ink to the next without (the grid below it).
    for (int y = 0; y < std::min(band, image.height()) && (first < 0 || last == y - 1); ++y)
        for (int x = 0; x < std::min(200, image.width()); ++x)
            if (std::abs(qGray(image.pixel(x, y)) - qGray(background)) > 96) {
                if (first < 0)
                    first = y;
                last = y;
                break;
            }
    return first < 0 ? 0 : last - first + 1;
}

} // namespace padlab::test

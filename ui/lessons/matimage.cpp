#include "matimage.h"

#include <cstring>
#include <opencv2/imgproc.hpp>

namespace padlab::ui {

cv::Mat matFromImage(const QImage &image, bool color)
{
    cv::Mat out;
    if (color) {
        const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
        const cv::Mat view(rgb.height(), rgb.width(), CV_8UC3, const_cast<uchar *>(rgb.constBits()),
                           static_cast<size_t>(rgb.bytesPerLine()));
        cv::Mat bgr;
        cv::cvtColor(view, bgr, cv::COLOR_RGB2BGR);
        bgr.convertTo(out, CV_32F);
    } else {
        const QImage gray = image.convertToFormat(QImage::Format_Grayscale8);
        const cv::Mat view(gray.height(), gray.width(), CV_8UC1,
                           const_cast<uchar *>(gray.constBits()),
                           static_cast<size_t>(gray.bytesPerLine()));
        view.convertTo(out, CV_32F);
    }
    return out;
}

QImage imageFromMat(const cv::Mat &mat)
{
    cv::Mat bytes;
    mat.convertTo(bytes, CV_8U);
    if (bytes.channels() == 1) {
        QImage image(bytes.cols, bytes.rows, QImage::Format_Grayscale8);
        for (int r = 0; r < bytes.rows; ++r)
            std::memcpy(image.scanLine(r), bytes.ptr(r), static_cast<size_t>(bytes.cols));
        return image;
    }
    cv::Mat rgb;
    cv::cvtColor(bytes, rgb, cv::COLOR_BGR2RGB);
    QImage image(rgb.cols, rgb.rows, QImage::Format_RGB888);
    for (int r = 0; r < rgb.rows; ++r)
        std::memcpy(image.scanLine(r), rgb.ptr(r), static_cast<size_t>(rgb.cols) * 3);
    return image;
}

} // namespace padlab::ui

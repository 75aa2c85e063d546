#pragma once

#include <QList>
#include <QString>
#include <opencv2/core/mat.hpp>

namespace padlab::ui {

/// @brief One built-in input the window offers when no file is open. The images are drawn by
/// the program itself, so they are always there and always the same.
struct Sample
{
    QString id;          ///< stable name used by lessons and the command line ("digit", ...)
    QString title;       ///< menu text
    QString description; ///< one sentence for the tooltip / status bar
};

/// @brief Every built-in sample, in menu order.
const QList<Sample> &samples();

/// @brief Draws the sample @p id: CV_32F with values 0..255, one channel, or three (B, G, R)
/// for colour samples. Deterministic: the same id always gives the same pixels. An unknown id
/// gives an empty matrix. Samples that draw text or paths need a QGuiApplication.
cv::Mat makeSample(const QString &id);

/// @brief The sample the window opens on: "digit".
QString defaultSampleId();

} // namespace padlab::ui

#pragma once

#include "padlab/core/geometry.h"
#include "padlab/core/pad.h"

#include <opencv2/core/mat.hpp>
#include <string>
#include <vector>

namespace padlab::core {

/// @brief One kernel tap of a window: where it reads and what it contributes.
struct Tap {
    int a = 0;          ///< kernel row
    int b = 0;          ///< kernel column
    int paddedRow = 0;  ///< i*sy + a*dy
    int paddedCol = 0;  ///< j*sx + b*dx
    Donor donor;        ///< the input cell it copies, or the fill value
    double weight = 0;  ///< tapWeight(kernel, a, b, operation)
    double value = 0;   ///< the padded cell's value
    double product = 0; ///< weight * value
};

/// @brief The window of output cell (row, col): its taps, row by row, and their sum.
struct Window {
    int row = 0;
    int col = 0;
    int top = 0;    ///< first padded row it reads
    int left = 0;   ///< first padded column it reads
    int height = 0; ///< extent on rows (e)
    int width = 0;  ///< extent on columns (e)
    std::vector<Tap> taps;
    double sum = 0;
};

/// @brief The window of output cell (@p row, @p col) on channel @p channel of @p padded, an input
/// of @p inputSize padded as @p geometry says. Requires a cell inside the output.
Window windowAt(const cv::Mat &padded, const cv::Mat &kernel, const Geometry &geometry,
                const ConvSpec &spec, int row, int col, int channel = 0);

/// @brief The multiply-add written out, e.g. `(-1)*12 + 0*40 + 1*7 = -5`.
std::string windowSumText(const Window &window);

/// @brief Formats a number as short as it reads back exactly (`%.17g` or shorter).
std::string formatNumber(double value);

} // namespace padlab::core

#pragma once

#include "padlab/core/image.h"

#include <QString>
#include <opencv2/core/mat.hpp>

#include <cstdint>
#include <string>

namespace padlab::ui {

/// The most channels a (C, H, W) array opened as the input may have: the Channels view draws
/// every one of them.
inline constexpr int kMaxInputChannels = 16;

/// An input read from a `.npy` file.
struct NpyInput {
    /// CV_64F: one plane for an (H, W) array; for (C, H, W) C channels in the array's order.
    cv::Mat values;
    /// The array had a channel axis: its channels are c0, c1, ..., not an image's B, G, R.
    bool tensor = false;
};

/// @brief Whether @p path names a `.npy` file (by its suffix).
bool isNpyPath(const QString &path);

/// @brief Reads the `.npy` file @p path (a regular file of at most @p maxBytes) with core's
/// reader, which refuses what is not a little-endian, C-order numeric array. A 2-D array is one
/// plane; a 3-D array (C, H, W) with 1 <= C <= kMaxInputChannels is C channels. Every other rank,
/// an empty axis or more than core::kMaxImagePixels cells a plane is refused. @p check sees the
/// plane's rows and columns, the channels and 8 bytes a value before the values are read.
/// Throws core::Error naming @p path.
NpyInput readNpyInput(const std::string &path, std::uint64_t maxBytes, const core::BeforeDecode &check = {});

} // namespace padlab::ui

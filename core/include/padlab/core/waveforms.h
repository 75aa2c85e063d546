#pragma once

#include <opencv2/core/mat.hpp>
#include <optional>
#include <string_view>
#include <vector>

namespace padlab::core {

/// @brief The built-in 1-D signals: short rows whose every value can be read on a projector.
enum class Waveform {
    Step,      ///< 0 before the middle, 1 from the middle on
    Impulse,   ///< a single 1 in the middle, 0 elsewhere
    Ramp,      ///< 0, 1, 2, …, length-1 (whole numbers, so that sums stay whole)
    NoisySine, ///< two periods of a sine plus small fixed noise, two decimals
};

/// @brief The length of a built-in signal when none is asked for.
inline constexpr int kDefaultWaveformLength = 24;

/// @brief The longest built-in signal makeWaveform() makes.
inline constexpr int kMaxWaveformLength = 100'000;

/// @brief All waveforms in the order the program lists them.
const std::vector<Waveform> &allWaveforms();

/// @brief The name used on the command line, in files and as the input's name: `step`,
/// `impulse`, `ramp`, `noisy-sine`.
std::string_view waveformName(Waveform waveform);

/// @brief Parses a waveform name (case-insensitive; `noisy_sine` and `noisy sine` too);
/// nullopt when unknown.
std::optional<Waveform> parseWaveform(std::string_view name);

/// @brief A 1 x @p length CV_64F row holding @p waveform. The middle is sample length/2.
/// The same numbers on every run and platform: the noise comes from a fixed-seed generator of
/// its own and values are rounded to two decimals. Throws Error when @p length is below 1 or
/// above kMaxWaveformLength.
cv::Mat makeWaveform(Waveform waveform, int length = kDefaultWaveformLength);

} // namespace padlab::core

#include "padlab/core/waveforms.h"

#include "padlab/core/error.h"
#include "text.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <string>

namespace padlab::core {

namespace {

struct WaveformInfo {
    Waveform waveform;
    std::string_view name;
};

constexpr std::array<WaveformInfo, 4> kWaveforms = {{
    {Waveform::Step, "step"},
    {Waveform::Impulse, "impulse"},
    {Waveform::Ramp, "ramp"},
    {Waveform::NoisySine, "noisy-sine"},
}};

// Noise of at most this size keeps the sine's shape obvious while smoothing still has work to do.
constexpr double kNoiseAmplitude = 0.2;
constexpr double kSinePeriods = 2.0;

/// A 64-bit linear congruential generator (Knuth's MMIX constants): integer arithmetic only,
/// so every platform draws the same sequence, unlike the standard distributions.
class Noise {
public:
    explicit Noise(std::uint64_t seed) : m_state(seed) {}

    /// Uniform in [-1, 1).
    double next()
    {
        m_state = m_state * 6364136223846793005ULL + 1442695040888963407ULL;
        const std::uint64_t top = m_state >> 11; // 53 bits: exact in a double
        return double(top) / double(std::uint64_t(1) << 52) - 1.0;
    }

private:
    std::uint64_t m_state;
};

double twoDecimals(double value)
{
    const double rounded = std::round(value * 100.0) / 100.0;
    return rounded == 0.0 ? 0.0 : rounded; // no "-0"
}

} // namespace

const std::vector<Waveform> &allWaveforms()
{
    static const std::vector<Waveform> waveforms = {Waveform::Step, Waveform::Impulse, Waveform::Ramp,
                                                    Waveform::NoisySine};
    return waveforms;
}

std::string_view waveformName(Waveform waveform)
{
    for (const WaveformInfo &info : kWaveforms)
        if (info.waveform == waveform)
            return info.name;
    throw Error("unknown waveform");
}

std::optional<Waveform> parseWaveform(std::string_view name)
{
    std::string key = text::lower(text::trim(name));
    for (char &c : key)
        if (c == '_' || c == ' ')
            c = '-';
    for (const WaveformInfo &info : kWaveforms)
        if (info.name == key)
            return info.waveform;
    return std::nullopt;
}

cv::Mat makeWaveform(Waveform waveform, int length)
{
    if (length < 1 || length > kMaxWaveformLength)
        throw Error("a built-in signal has 1 to " + std::to_string(kMaxWaveformLength) + " samples, not "
                    + std::to_string(length));
    cv::Mat row(1, length, CV_64F, cv::Scalar(0.0));
    auto *values = row.ptr<double>(0);
    const int middle = length / 2;
    switch (waveform) {
    case Waveform::Step:
        for (int t = middle; t < length; ++t)
            values[t] = 1.0;
        break;
    case Waveform::Impulse:
        values[middle] = 1.0;
        break;
    case Waveform::Ramp:
        for (int t = 0; t < length; ++t)
            values[t] = t;
        break;
    case Waveform::NoisySine: {
        Noise noise(20240611);
        for (int t = 0; t < length; ++t) {
            const double phase = 2.0 * std::numbers::pi * kSinePeriods * t / length;
            values[t] = twoDecimals(std::sin(phase) + kNoiseAmplitude * noise.next());
        }
        break;
    }
    }
    return row;
}

} // namespace padlab::core

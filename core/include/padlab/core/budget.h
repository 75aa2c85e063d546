#pragma once

#include "padlab/core/error.h"
#include "padlab/core/geometry.h"

#include <cstdint>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace padlab::core {

/// @brief The default limits of one request: enough for every ordinary use (a 12-megapixel
/// photo in every view, 20 stages of a megapixel image, an animation of every step of a 28x28
/// input), far below what a mistyped stride or a hostile file would ask for.
inline constexpr std::uint64_t kDefaultMaxMemory = 4'000'000'000;
inline constexpr std::uint64_t kDefaultMaxMultiplyAdds = 1'000'000'000'000;
inline constexpr std::uint64_t kDefaultMaxFrames = 10'000;

/// @brief How much one request may cost. Checked against an Estimate before any work: the
/// command line (`--max-memory`, `--max-work`, `--max-frames`) and the window
/// (budgetFromEnvironment()) raise or lower it.
struct Budget {
    std::uint64_t memory = kDefaultMaxMemory;             ///< bytes
    std::uint64_t multiplyAdds = kDefaultMaxMultiplyAdds; ///< of a whole request
    std::uint64_t frames = kDefaultMaxFrames;             ///< of one animation
    friend bool operator==(const Budget &, const Budget &) = default;
};

/// @brief What a request will cost, worked out from the sizes alone, before any work.
struct Estimate {
    struct Part {
        std::string what; ///< what holds the memory: "the padded input"
        std::uint64_t bytes = 0;
    };
    std::vector<Part> parts;
    std::uint64_t multiplyAdds = 0;
    std::uint64_t frames = 0;

    /// Adds @p bytes to the part named @p what (a new part when there is none yet).
    void add(const std::string &what, std::uint64_t bytes);
    /// Every part together; saturates instead of wrapping around.
    std::uint64_t bytes() const;
    Estimate &operator+=(const Estimate &other);
};

/// @brief `19.6 GB`, `512 MB`, `4 GB`, `900 bytes`: a byte count in decimal units (three
/// significant digits) for messages.
std::string byteText(std::uint64_t bytes);

/// @brief Bytes of a matrix; saturates instead of wrapping around.
std::uint64_t matrixBytes(std::uint64_t rows, std::uint64_t cols, std::uint64_t channels,
                          std::uint64_t elementBytes);

/// @brief About how many bytes the CSV text of @p values numbers takes (20 a number: most print
/// shorter, the longest take 25).
std::uint64_t csvTextBytes(std::uint64_t values);

/// @brief What convolve() costs: the input, the padded input and the output (each of
/// @p channels elements of @p elementBytes: 4 for CV_32F, 8 for CV_64F) and the multiply-adds.
/// Requires validate() to have passed.
Estimate convolutionEstimate(PerAxis inputSize, int channels, int elementBytes, PerAxis kernelSize,
                             const ConvSpec &spec);

/// @brief Why @p estimate does not fit @p budget, as a sentence with the estimate, what takes
/// most of it, the limit and how to raise it:
/// `the computation needs about 19.6 GB of memory for the padded input; the limit is 4 GB
/// (raise it with --max-memory or PADLAB_MAX_MEMORY)`; nullopt when it fits.
std::optional<std::string> overBudget(const Estimate &estimate, const Budget &budget);

/// @brief Thrown by requireBudget() and by the computations that check their budget.
class OverBudget : public Error {
public:
    using Error::Error;
};

/// @brief Throws OverBudget with overBudget()'s sentence when @p estimate does not fit.
void requireBudget(const Estimate &estimate, const Budget &budget);

/// @brief A memory size: `4000000000`, `4G`, `4GB`, `512M`, `1.5G` (K, M, G, T are powers of
/// 1000) or `4GiB` (KiB, MiB, GiB, TiB are powers of 1024); case-insensitive. nullopt for
/// anything else, zero, or more than 2^64 - 1.
std::optional<std::uint64_t> parseByteSize(std::string_view text);

/// @brief A count: `20000`, `500K`, `2T` (K, M, G, T are powers of 1000). nullopt for anything
/// else, zero, or more than 2^64 - 1.
std::optional<std::uint64_t> parseCount(std::string_view text);

/// @brief The default budget, with each limit that the environment variables
/// PADLAB_MAX_MEMORY (a size), PADLAB_MAX_WORK (multiply-adds) and PADLAB_MAX_FRAMES set.
/// Throws Error naming a variable whose value does not read.
Budget budgetFromEnvironment();

/// @brief budgetFromEnvironment() with the limits a command line gives (`--max-memory`,
/// `--max-work`, `--max-frames`; nullopt where an option is not given) taking precedence.
/// Throws Error naming the option or variable whose value does not read.
Budget budgetFromOptions(const std::optional<std::string> &memory, const std::optional<std::string> &work,
                         const std::optional<std::string> &frames);

/// @brief Told now and then how much of a long computation is done (0 to 1); answers false to
/// cancel it, which then throws Cancelled. Called on the computing thread, between bands of
/// output rows (a few milliseconds of work each), so its own cost does not matter.
using Progress = std::function<bool(double fraction)>;

/// @brief A computation stopped because its Progress answered false. Nothing it was computing
/// is kept; its inputs are untouched.
class Cancelled : public std::exception {
public:
    const char *what() const noexcept override { return "cancelled"; }
};

/// @brief Tells @p progress @p fraction; throws Cancelled when it answers false. Does nothing
/// for an empty Progress.
void reportProgress(const Progress &progress, double fraction);

/// @brief The Progress of the part [@p from, @p to) of a whole that @p whole reports on.
Progress progressPart(const Progress &whole, double from, double to);

} // namespace padlab::core

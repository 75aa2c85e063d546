#pragma once

#include "padlab/core/tensor.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace padlab::core {

/// @brief The number types a `.npy` file may hold here (NumPy's dtype kinds b, i, u, f).
enum class NpyType { Bool, Int8, Int16, Int32, Int64, UInt8, UInt16, UInt32, UInt64, Float32, Float64 };

/// @brief NumPy's name of the type as a file writes it: `|b1`, `|i1`, `<i2` ... `<f8`.
std::string_view npyTypeName(NpyType type);

/// @brief What a `.npy` header says.
struct NpyHeader {
    int major = 1; ///< format version 1, 2 or 3
    int minor = 0;
    NpyType type = NpyType::Float64;
    std::vector<std::int64_t> shape; ///< empty for a 0-d array (one value)
    std::size_t dataOffset = 0;      ///< where the values start
    std::size_t dataBytes = 0;       ///< cells * item size
};

/// @brief The most bytes a header may have: NumPy's own reader refuses longer ones by default.
inline constexpr std::size_t kMaxNpyHeaderBytes = 10000;

/// @brief Reads and checks the header of the `.npy` file @p bytes (named @p source in messages).
/// Accepts format versions 1.0, 2.0 and 3.0; little-endian (`<`) or byte-order-free (`|`, one
/// byte) types among NpyType; C order. Throws Error naming @p source for anything else: a wrong
/// magic string, an unknown version, a header longer than kMaxNpyHeaderBytes or past the end of
/// the file, a malformed dictionary (the message quotes what it expected), missing, repeated or
/// unknown keys, big-endian, object (pickled), structured or other non-numeric types,
/// Fortran order, negative sizes, and a shape whose cell count or byte count overflows 64 bits.
NpyHeader parseNpyHeader(std::string_view bytes, std::string_view source);

/// @brief The array the `.npy` file @p bytes holds, its values as doubles (64-bit integers
/// beyond 2^53 are rounded to the nearest double). On top of parseNpyHeader()'s checks, the
/// data must be exactly as long as the header says (truncated data and trailing bytes are both
/// refused), and every value finite. Memory: at most 8 bytes per cell, and the cells are bounded
/// by the bytes given.
NdArray parseNpy(std::string_view bytes, std::string_view source);

/// @brief The bytes of a `.npy` file (format 1.0, `<f8`, C order) holding @p array. Requires
/// as many values as the shape has cells.
std::string formatNpy(const NdArray &array);

} // namespace padlab::core

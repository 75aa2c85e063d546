#pragma once

// What each fuzz target does with one input. The libFuzzer executables (fuzz_*.cpp, built with
// -DPADLAB_FUZZ=ON) and the plain test suite (tst_fuzzcorpus, over every file of corpus/)
// call the same functions, so that each input a fuzzer ever found stays a regression test.
// A broken promise (a round trip that changes a value, geometry that disagrees with 128-bit
// arithmetic) aborts; refusals with core::Error are what hostile input should get.

#include <string_view>

namespace padlab::fuzz {

/// CSV text: parsed; what parses is written and must read back the same.
void csv(std::string_view data);

/// Inline kernel rows and preset names.
void kernel(std::string_view data);

/// The option parsers (pad amount, per-axis values, sizes, byte sizes and counts) on the text,
/// and the geometry of seven ints taken from the bytes, checked against 128-bit arithmetic.
void options(std::string_view data);

/// A convolution of a small input (sizes, stride, dilation, amount, fill and values from the
/// bytes; stride and dilation any int) checked cell by cell against the definition.
void convolve(std::string_view data);

/// Layer stacks: the first line is the input shape, the rest the layer spec.
void layers(std::string_view data);

/// A lesson file, read from a folder that holds a small CSV and a small PNG to refer to.
void lesson(std::string_view data);

/// Image headers, and decoding of what they accept (up to a few megapixels).
void image(std::string_view data);

/// A .npy file: what is read must write back and read again the same, in every layout its rank
/// allows.
void npy(std::string_view data);

/// Tensor CSV text (the first byte picks the layout, or none): what is read writes back the same.
void tensorCsv(std::string_view data);

} // namespace padlab::fuzz

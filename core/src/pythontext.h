#pragma once

#include "padlab/core/fill.h"

#include <string>

namespace padlab::core::detail {

/// @brief A Python function `donor(p, n)` giving the input index of padded index p (NumPy arrays)
/// for the mirrors and wrap: the generated scripts pad by index, so that every NumPy release
/// pads wide and uneven the same way.
std::string numpyDonor(Fill fill);

} // namespace padlab::core::detail

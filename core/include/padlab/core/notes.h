#pragma once

#include "padlab/core/geometry.h"

#include <string>
#include <vector>

namespace padlab::core {

/// @brief One place where the frameworks disagree with each other, or cannot express the
/// current settings (SEMANTICS.md), as a sentence for the user.
struct FrameworkNote {
    std::string framework; ///< "PyTorch", "TensorFlow", "Keras", "OpenCV", "SciPy", "NumPy"
    std::string text;
};

/// @brief The notes that apply to @p spec on an input of @p inputSize with a kernel of
/// @p kernelSize: PyTorch refusing padding='same' with a stride, its missing symmetric fill and
/// reflect/circular limits, TensorFlow REFLECT/SYMMETRIC limits, Keras refusing stride with
/// dilation, causal being 1-D only in Keras, OpenCV and SciPy centring even kernels the other
/// way, OpenCV's filter2D lacking BORDER_WRAP, unread padded cells, and so on.
std::vector<FrameworkNote> frameworkNotes(const ConvSpec &spec, PerAxis inputSize,
                                          PerAxis kernelSize);

} // namespace padlab::core

// OpenCV 4.6 reads the limits of its image decoders (OPENCV_IO_MAX_IMAGE_PIXELS and the like)
// from the environment once, in initialisers of namespace-scope statics that run when
// libopencv_imgcodecs is loaded: before main() and before any initialiser of the program's own
// code, so setting the variable there comes too late (and an entry of .preinit_array runs before
// the C library has set up the environment, which then replaces what it wrote). This library is
// shared, needs nothing but the C library, and is linked after OpenCV; the dynamic loader
// initialises objects loaded later first when neither needs the other, so this initialiser runs
// before OpenCV's. tst_inputs checks that OpenCV enforces the limit in a program linked so.
#include "decoderlimits.h"

#include <cstdlib>

namespace padlab::core::detail {

namespace {

[[gnu::constructor]] void limitDecoders()
{
    static_assert(kDecoderPixelLimit == 200'000'000, "the text below spells the limit");
    ::setenv("OPENCV_IO_MAX_IMAGE_PIXELS", "200000000", 1);
}

} // namespace

std::int64_t decoderPixelLimit()
{
    return kDecoderPixelLimit;
}

} // namespace padlab::core::detail

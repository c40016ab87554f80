// Facts about the loaded native library, for logs, benchmark reports and tests.
#pragma once

namespace trident {

// Name of the distance-kernel variant chosen at load time: "avx512", "avx2" or "scalar".
const char* simd_variant_name();

}  // namespace trident

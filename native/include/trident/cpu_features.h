// CPU feature detection for runtime kernel dispatch. Thread-safe; computed once at load.
#pragma once

namespace trident {

enum class SimdLevel { kScalar = 0, kAvx2 = 1, kAvx512 = 2 };

// Highest SIMD level both the CPU and the OS (XSAVE state) support, capped by the environment
// variable TRIDENT_SIMD (one of "scalar", "avx2", "avx512") when set — for tests and comparisons.
SimdLevel detected_simd_level();

const char* simd_level_name(SimdLevel level);

}  // namespace trident

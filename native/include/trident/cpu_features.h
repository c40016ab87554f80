// CPU feature detection for runtime kernel dispatch. Thread-safe; computed once at load.
#pragma once

namespace trident {

enum class SimdLevel { kScalar = 0, kAvx2 = 1, kAvx512 = 2 };

// Highest SIMD level both the CPU and the OS (XSAVE state) support, capped by the environment
// variable TRIDENT_SIMD (one of "scalar", "avx2", "avx512") when set — for tests and comparisons.
SimdLevel detected_simd_level();

// True where detected_simd_level() is kAvx512 and the CPU also has AVX512-BF16 (vdpbf16ps):
// the bf16 flat scan and the bf16 HNSW walk need both.
bool cpu_has_avx512_bf16();

const char* simd_level_name(SimdLevel level);

}  // namespace trident

// AVX2+FMA float32 flat scan (see flat_f32.h): 8-query tiles in ymm registers. Compiled with
// -mavx2 -mfma; called only when detected_simd_level() is at least kAvx2 and not kAvx512.
#include <immintrin.h>

#include "flat_f32_kernel_inl.h"

namespace trident {

// Tiles of 16 queries (two ymm per row: 6 rows x 2 = 12 of the 16 ymm registers accumulate)
// and 8 queries (one ymm).
void f32_scan_rows_avx2(const F32ScanArgs& args) {
  scan_rows<6, Shape<Ymm8, 2>, Shape<Ymm8, 1>>(args);
}

}  // namespace trident

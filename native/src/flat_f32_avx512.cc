// AVX-512 float32 flat scan (see flat_f32.h): 32- and 16-query tiles in zmm registers, a last
// tile of up to 8 queries in ymm (AVX512VL compares). Compiled with -mavx512f/-mavx512vl;
// called only when detected_simd_level() is kAvx512.
#include <immintrin.h>

#include "flat_f32_kernel_inl.h"

namespace trident {
namespace {

// Rows per group: 12 x 2 zmm = 24 accumulators (of 32 registers) for a 32-lane tile.
constexpr int kF32Avx512Rows = 12;

struct Zmm16 {
  using V = __m512;
  static constexpr int kLanes = 16;
  static V zero() { return _mm512_setzero_ps(); }
  static V load(const float* p) { return _mm512_loadu_ps(p); }
  static V set1(float x) { return _mm512_set1_ps(x); }
  static V fmadd(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
  static V fmadd_broadcast(V query, const float* x, V acc) {
    return _mm512_fmadd_ps(query, _mm512_set1_ps(*x), acc);  // {1to16} memory operand
  }
  static uint32_t le_mask(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_LE_OQ); }
  static void store(float* p, V v) { _mm512_store_ps(p, v); }
};

}  // namespace

// Tiles of 32 queries (two zmm per row, each row value broadcast once for two FMAs), 16 queries
// (one zmm, the row value as an embedded broadcast) and 8 (ymm, the last few of a batch).
void f32_scan_rows_avx512(const F32ScanArgs& args) {
  scan_rows<kF32Avx512Rows, Shape<Zmm16, 2>, Shape<Zmm16, 1>, Shape<Ymm8, 1>>(args);
}

}  // namespace trident

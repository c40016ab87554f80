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

// 40 lanes: two zmm and one ymm per row, all fed by one broadcast of the row value (a batch of
// 100 queries = 32 + 32 + 36: its last 4 queries ride along at half a zmm FMA per dimension
// instead of a tile of their own that would need a broadcast per FMA).
struct Zmm40 {
  struct V {
    __m512 low, middle;
    __m256 high;
  };
  static constexpr int kLanes = 40;
  static V zero() { return {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm256_setzero_ps()}; }
  static V load(const float* p) {
    return {_mm512_loadu_ps(p), _mm512_loadu_ps(p + 16), _mm256_loadu_ps(p + 32)};
  }
  static V set1(float x) {
    const __m512 wide = _mm512_set1_ps(x);
    return {wide, wide, _mm256_set1_ps(x)};  // from memory: a load, no shuffle
  }
  static V fmadd(V a, V b, V c) {
    return {_mm512_fmadd_ps(a.low, b.low, c.low), _mm512_fmadd_ps(a.middle, b.middle, c.middle),
            _mm256_fmadd_ps(a.high, b.high, c.high)};
  }
  static V fmadd_broadcast(V query, const float* x, V acc) { return fmadd(query, set1(*x), acc); }
  static uint64_t le_mask(V a, V b) {
    return uint64_t(_mm512_cmp_ps_mask(a.low, b.low, _CMP_LE_OQ)) |
           uint64_t(_mm512_cmp_ps_mask(a.middle, b.middle, _CMP_LE_OQ)) << 16 |
           uint64_t(_mm256_cmp_ps_mask(a.high, b.high, _CMP_LE_OQ)) << 32;
  }
  static void store(float* p, V v) {
    _mm512_store_ps(p, v.low);
    _mm512_store_ps(p + 16, v.middle);
    _mm256_store_ps(p + 32, v.high);
  }
};

}  // namespace

// Tiles of 32 queries (two zmm per row, each row value broadcast once for two FMAs), 40 (two
// zmm + one ymm, 6 rows at a time: 18 accumulators), 16 (one zmm, the row value as an embedded
// broadcast) and 8 (ymm, a last few queries of a batch).
void f32_scan_rows_avx512(const F32ScanArgs& args) {
  scan_rows<kF32Avx512Rows, Shape<Zmm16, 2>, Shape<Zmm40, 1, 6>, Shape<Zmm16, 1>,
            Shape<Ymm8, 1>>(args);
}

}  // namespace trident

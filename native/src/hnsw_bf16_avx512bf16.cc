// AVX512-BF16 distances for the bf16 HNSW walk (hnsw_bf16.h). Compiled with -mavx512bf16; called
// only when bf16_walk_available().
//
// Four rows per pass: each 512-bit query load (32 bf16 values) feeds four vdpbf16ps, and every
// row has two accumulator chains (vdpbf16ps has a multi-cycle latency; eight chains keep the
// unit busy). The last partial register is a masked load (zeros add nothing).
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#include <cstring>

#include "trident/hnsw_bf16.h"

namespace trident {
namespace {

inline __m512bh load_pairs(const uint8_t* p) { return (__m512bh)_mm512_loadu_si512(p); }
inline __m512bh load_pairs_masked(__mmask32 m, const uint8_t* p) {
  return (__m512bh)_mm512_maskz_loadu_epi16(m, p);
}

inline float stored_norm_squared(const uint8_t* row, size_t dimension) {
  float value;
  std::memcpy(&value, row + bf16_row_bytes(dimension) - 4, 4);
  return value;
}

inline void prefetch_row(const uint8_t* row, size_t bytes) {
  for (size_t offset = 0; offset < bytes; offset += 64) __builtin_prefetch(row + offset, 0, 3);
}

// Dot products of the query with rows x[0..kRows), float32 sums.
template <int kRows>
inline void dots(const uint8_t* q, const uint8_t* const* x, size_t dimension, float* out) {
  __m512 even[kRows], odd[kRows];
  for (int r = 0; r < kRows; ++r) even[r] = odd[r] = _mm512_setzero_ps();
  const size_t bytes = dimension * 2;
  size_t i = 0;
  for (; i + 128 <= bytes; i += 128) {
    const __m512bh q0 = load_pairs(q + i), q1 = load_pairs(q + i + 64);
    for (int r = 0; r < kRows; ++r) {
      even[r] = _mm512_dpbf16_ps(even[r], q0, load_pairs(x[r] + i));
      odd[r] = _mm512_dpbf16_ps(odd[r], q1, load_pairs(x[r] + i + 64));
    }
  }
  for (; i < bytes; i += 64) {
    const size_t left = (bytes - i) / 2;
    const __mmask32 m = left >= 32 ? __mmask32(0xFFFFFFFFu) : __mmask32((1u << left) - 1u);
    const __m512bh qv = load_pairs_masked(m, q + i);
    for (int r = 0; r < kRows; ++r) {
      even[r] = _mm512_dpbf16_ps(even[r], qv, load_pairs_masked(m, x[r] + i));
    }
  }
  for (int r = 0; r < kRows; ++r) out[r] = _mm512_reduce_add_ps(_mm512_add_ps(even[r], odd[r]));
}

}  // namespace

void bf16_distances_by_ids(const uint8_t* query_row, const uint8_t* rows, size_t row_stride_bytes,
                           size_t dimension, bool inner_product, const int32_t* ids, size_t count,
                           float* out) {
  const size_t row_bytes = bf16_row_bytes(dimension);
  const float query_norm_squared = stored_norm_squared(query_row, dimension);
  auto row = [&](size_t j) { return rows + size_t(ids[j]) * row_stride_bytes; };
  auto finish = [&](size_t j, float dot) {
    out[j] = inner_product ? -dot
                           : stored_norm_squared(row(j), dimension) + query_norm_squared -
                                 2.0f * dot;
  };
  size_t j = 0;
  for (size_t p = 0; p < 4 && p < count; ++p) prefetch_row(row(p), row_bytes);
  for (; j + 4 <= count; j += 4) {
    // Rows of the next group are requested now so their loads overlap this group's arithmetic.
    for (size_t p = j + 4; p < j + 8 && p < count; ++p) prefetch_row(row(p), row_bytes);
    const uint8_t* x[4] = {row(j), row(j + 1), row(j + 2), row(j + 3)};
    float dot[4];
    dots<4>(query_row, x, dimension, dot);
    for (size_t r = 0; r < 4; ++r) finish(j + r, dot[r]);
  }
  for (; j < count; ++j) {
    const uint8_t* x[1] = {row(j)};
    float dot;
    dots<1>(query_row, x, dimension, &dot);
    finish(j, dot);
  }
}

}  // namespace trident

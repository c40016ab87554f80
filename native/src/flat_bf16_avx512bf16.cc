// The bf16 flat scan kernel (see flat_bf16.h). Compiled with -mavx512bf16; called only when
// bf16_flat_available(). No STL or shared inline code here: an inline function compiled with
// these flags could be picked by the linker for baseline callers (ODR), so the slow path is a
// callback into baseline code.
#include <immintrin.h>

#include "flat_bf16.h"

namespace trident {
namespace {

constexpr int kTileQueriesMax = 8;

// Dot products of `count` (<= 8, compile-time) queries with the 16 rows of one block. Few
// queries get several accumulator chains each (vdpbf16ps has a multi-cycle latency; one chain
// per query would leave the unit idle), summed at the end.
template <int kCount>
inline void dots(Bf16ScanQuery* queries, const uint32_t* block, size_t pairs, __m512* out) {
  constexpr int kChains = kCount >= 4 ? 1 : (kCount == 1 ? 4 : 2);
  __m512 acc[kCount][kChains];
  for (int q = 0; q < kCount; ++q) {
    for (int c = 0; c < kChains; ++c) acc[q][c] = _mm512_setzero_ps();
  }
  size_t j = 0;
  for (; j + kChains <= pairs; j += kChains) {
    for (int c = 0; c < kChains; ++c) {
      const __m512bh rows = (__m512bh)_mm512_loadu_si512(block + (j + c) * kBf16BlockRows);
      for (int q = 0; q < kCount; ++q) {
        const __m512bh pair = (__m512bh)_mm512_set1_epi32(int(queries[q].pairs[j + c]));
        acc[q][c] = _mm512_dpbf16_ps(acc[q][c], pair, rows);
      }
    }
  }
  for (; j < pairs; ++j) {
    const __m512bh rows = (__m512bh)_mm512_loadu_si512(block + j * kBf16BlockRows);
    for (int q = 0; q < kCount; ++q) {
      const __m512bh pair = (__m512bh)_mm512_set1_epi32(int(queries[q].pairs[j]));
      acc[q][0] = _mm512_dpbf16_ps(acc[q][0], pair, rows);
    }
  }
  for (int q = 0; q < kCount; ++q) {
    __m512 sum = acc[q][0];
    for (int c = 1; c < kChains; ++c) sum = _mm512_add_ps(sum, acc[q][c]);
    out[q] = sum;
  }
}

// Dot products of `count` (4..8, compile-time) queries with the 32 rows of two consecutive
// blocks: each query pair broadcast feeds two vdpbf16ps. On Zen 4 a 512-bit broadcast costs
// about as much issue bandwidth as a vdpbf16ps, so halving the broadcasts per product is what
// lets the unit run near one vdpbf16ps per cycle (2 x kCount independent chains).
template <int kCount>
inline void dots_two_blocks(Bf16ScanQuery* queries, const uint32_t* block, size_t pairs,
                            __m512* out0, __m512* out1) {
  __m512 acc0[kCount], acc1[kCount];
  for (int q = 0; q < kCount; ++q) acc0[q] = acc1[q] = _mm512_setzero_ps();
  const uint32_t* second = block + pairs * kBf16BlockRows;
  for (size_t j = 0; j < pairs; ++j) {
    const __m512bh rows0 = (__m512bh)_mm512_loadu_si512(block + j * kBf16BlockRows);
    const __m512bh rows1 = (__m512bh)_mm512_loadu_si512(second + j * kBf16BlockRows);
    for (int q = 0; q < kCount; ++q) {
      const __m512bh pair = (__m512bh)_mm512_set1_epi32(int(queries[q].pairs[j]));
      acc0[q] = _mm512_dpbf16_ps(acc0[q], pair, rows0);
      acc1[q] = _mm512_dpbf16_ps(acc1[q], pair, rows1);
    }
  }
  for (int q = 0; q < kCount; ++q) {
    out0[q] = acc0[q];
    out1[q] = acc1[q];
  }
}

// The bounds of one scored block for each query, and the accept callback where a lane passes.
struct BlockBounds {
  const float* row_norm;
  const float* row_norm_squared;
  size_t rows;
  __m512 product_factor;
  float c_norm;
  bool inner_product;
  Bf16Accept accept;
};

template <int kCount>
inline void finish_block(Bf16ScanQuery* queries, const BlockBounds& bounds, size_t block,
                         const __m512* dot) {
  alignas(64) float lower[kBf16BlockRows];
  alignas(64) float upper[kBf16BlockRows];
  const __m512 two = _mm512_set1_ps(2.0f);
  const size_t first_row = block * kBf16BlockRows;
  const __m512 norm = _mm512_loadu_ps(bounds.row_norm + first_row);
  const __m512 norm_squared = _mm512_loadu_ps(bounds.row_norm_squared + first_row);
  const __mmask16 valid = bounds.rows - first_row >= kBf16BlockRows
                              ? __mmask16(0xFFFF)
                              : __mmask16((1u << (bounds.rows - first_row)) - 1u);
  for (int q = 0; q < kCount; ++q) {
    Bf16ScanQuery& query = queries[q];
    __m512 distance, error = _mm512_mul_ps(
        _mm512_mul_ps(bounds.product_factor, _mm512_set1_ps(query.norm)), norm);
    if (bounds.inner_product) {
      distance = _mm512_sub_ps(_mm512_setzero_ps(), dot[q]);
    } else {
      const __m512 norms = _mm512_add_ps(norm_squared, _mm512_set1_ps(query.norm_squared));
      distance = _mm512_fnmadd_ps(two, dot[q], norms);
      error = _mm512_fmadd_ps(_mm512_set1_ps(bounds.c_norm), norms, error);
    }
    const __m512 low = _mm512_sub_ps(distance, error);
    const __mmask16 pass =
        _mm512_mask_cmp_ps_mask(valid, low, _mm512_set1_ps(query.threshold), _CMP_LE_OQ);
    if (pass == 0) continue;
    _mm512_store_ps(lower, low);
    _mm512_store_ps(upper, _mm512_add_ps(distance, error));
    bounds.accept(&query, first_row, uint32_t(pass), lower, upper);
  }
}

template <int kCount>
void scan(Bf16ScanQuery* queries, const uint32_t* blocks, size_t pairs, size_t first_block,
          size_t end_block, size_t rows, const float* row_norm, const float* row_norm_squared,
          float c_product, float c_norm, bool inner_product, Bf16Accept accept) {
  const BlockBounds bounds{row_norm, row_norm_squared, rows,
                           _mm512_set1_ps(inner_product ? c_product * 0.5f : c_product),
                           c_norm, inner_product, accept};
  __m512 dot[kCount], dot_next[kCount];
  const size_t block_words = pairs * kBf16BlockRows;
  size_t b = first_block;
  if constexpr (kCount >= 4) {  // enough chains for two blocks at once
    for (; b + 2 <= end_block; b += 2) {
      dots_two_blocks<kCount>(queries, blocks + b * block_words, pairs, dot, dot_next);
      finish_block<kCount>(queries, bounds, b, dot);
      finish_block<kCount>(queries, bounds, b + 1, dot_next);
    }
  }
  for (; b < end_block; ++b) {
    dots<kCount>(queries, blocks + b * block_words, pairs, dot);
    finish_block<kCount>(queries, bounds, b, dot);
  }
}

}  // namespace

void bf16_scan_blocks(Bf16ScanQuery* queries, int query_count, const uint32_t* blocks,
                      size_t pairs, size_t first_block, size_t end_block, size_t rows,
                      const float* row_norm, const float* row_norm_squared, float c_product,
                      float c_norm, bool inner_product, Bf16Accept accept) {
  // Tiles of near-equal size (50 queries: 7 x 7-8, not 6 x 8 + 2): a small last tile would
  // take the slower one-block path with few accumulator chains.
  const int tiles = (query_count + kTileQueriesMax - 1) / kTileQueriesMax;
  for (int tile_index = 0; tile_index < tiles; ++tile_index) {
    const int start = query_count * tile_index / tiles;
    const int count = query_count * (tile_index + 1) / tiles - start;
    Bf16ScanQuery* tile = queries + start;
#define TRIDENT_BF16_SCAN(N)                                                                   \
  case N:                                                                                      \
    scan<N>(tile, blocks, pairs, first_block, end_block, rows, row_norm, row_norm_squared,    \
            c_product, c_norm, inner_product, accept);                                         \
    break;
    switch (count) {
      TRIDENT_BF16_SCAN(1)
      TRIDENT_BF16_SCAN(2)
      TRIDENT_BF16_SCAN(3)
      TRIDENT_BF16_SCAN(4)
      TRIDENT_BF16_SCAN(5)
      TRIDENT_BF16_SCAN(6)
      TRIDENT_BF16_SCAN(7)
      TRIDENT_BF16_SCAN(8)
      default: break;
    }
#undef TRIDENT_BF16_SCAN
  }
}

}  // namespace trident

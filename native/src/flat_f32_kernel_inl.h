// The register-blocked float32 flat scan (see flat_f32.h), written once over a vector-ops
// traits type and compiled by each ISA file (flat_f32_avx512.cc, flat_f32_avx2.cc) with its own
// flags. Everything here has internal linkage on purpose: the linker can then never pick an
// AVX-512 instantiation for the AVX2 path (ODR), the same rule as distance_batch_inl.h.
//
// Ops (Ymm8 below, Zmm16 in the AVX-512 file) provides: V, kLanes, zero(), load(p), set1(x),
// fmadd(a, b, c), fmadd_broadcast(q, &x, acc) = q * x + acc, le_mask(a, b) = lanes where
// a <= b, store(p, v).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include <immintrin.h>

#include "flat_f32.h"

namespace trident {
namespace {

// 8 float lanes in a ymm register (AVX2 + FMA; both ISA files are compiled with them).
struct Ymm8 {
  using V = __m256;
  static constexpr int kLanes = 8;
  static V zero() { return _mm256_setzero_ps(); }
  static V load(const float* p) { return _mm256_loadu_ps(p); }
  static V set1(float x) { return _mm256_set1_ps(x); }
  static V fmadd(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
  static V fmadd_broadcast(V query, const float* x, V acc) {
    return _mm256_fmadd_ps(query, _mm256_broadcast_ss(x), acc);
  }
  static uint32_t le_mask(V a, V b) {
    return uint32_t(_mm256_movemask_ps(_mm256_cmp_ps(a, b, _CMP_LE_OQ)));
  }
  static void store(float* p, V v) { _mm256_store_ps(p, v); }
};

// A tile kind: kVectors registers of Ops per row (lanes = kVectors x Ops::kLanes), scoring at
// most kMaxRows rows at once (a larger group is scored in halves: register budget).
template <typename Ops, int kVectors, int kMaxRows = 64>
struct Shape {
  using O = Ops;
  static constexpr int kVectorsPerTile = kVectors;
  static constexpr int kLanes = kVectors * Ops::kLanes;
  static constexpr int kRowsMax = kMaxRows;
};

// Dot products of kRows consecutive rows (row-major, `dimension` floats) with a tile's lanes:
// per dimension kVectors vector loads of the tile and one broadcast of each row's value, which
// feeds kVectors FMAs (kVectors x kRows independent accumulator chains).
template <typename Ops, int kVectors, int kRows>
inline void score_rows(const float* lanes, const float* rows, size_t dimension,
                       typename Ops::V (*acc)[kVectors]) {
  const float* row[kRows];
  for (int r = 0; r < kRows; ++r) {
    for (int v = 0; v < kVectors; ++v) acc[r][v] = Ops::zero();
    row[r] = rows + size_t(r) * dimension;
  }
  for (size_t j = 0; j < dimension; ++j) {
    typename Ops::V query[kVectors];
    for (int v = 0; v < kVectors; ++v) {
      query[v] = Ops::load(lanes + (j * kVectors + size_t(v)) * Ops::kLanes);
    }
    for (int r = 0; r < kRows; ++r) {
      if constexpr (kVectors == 1) {
        acc[r][0] = Ops::fmadd_broadcast(query[0], row[r] + j, acc[r][0]);  // memory operand
      } else {
        const typename Ops::V x = Ops::set1(row[r][j]);
        for (int v = 0; v < kVectors; ++v) acc[r][v] = Ops::fmadd(query[v], x, acc[r][v]);
      }
    }
  }
}

// Scores rows [row, row + kRows) against one tile and hands each row whose pre-filter passes
// in some lane to the accept callback (which may lower the tile's thresholds).
template <typename Ops, int kVectors, int kRows>
inline void scan_group(const F32ScanArgs& args, F32Tile& tile, size_t row) {
  typename Ops::V acc[kRows][kVectors];
  score_rows<Ops, kVectors, kRows>(tile.query_lanes, args.base + row * args.dimension,
                                   args.dimension, acc);
  const typename Ops::V factor = Ops::set1(args.dot_factor);
  for (int r = 0; r < kRows; ++r) {
    const typename Ops::V norm_term =
        Ops::set1(args.norm_scale * args.row_norm_squared[row + size_t(r)]);
    uint64_t pass = 0;
    for (int v = 0; v < kVectors; ++v) {
      const typename Ops::V value = Ops::fmadd(factor, acc[r][v], norm_term);
      pass |= uint64_t(Ops::le_mask(value, Ops::load(tile.thresholds + v * Ops::kLanes)))
              << (v * Ops::kLanes);
    }
    if (pass != 0) {
      alignas(64) float dots[kVectors * Ops::kLanes];
      for (int v = 0; v < kVectors; ++v) Ops::store(dots + v * Ops::kLanes, acc[r][v]);
      args.accept(args.context, tile, row + size_t(r), pass, dots);
    }
  }
}

// Scores rows [row, row + kRows) against a tile of shape S (in halves above S::kRowsMax).
template <typename S, int kRows>
inline void scan_group_shape(const F32ScanArgs& args, F32Tile& tile, size_t row) {
  if constexpr (kRows > S::kRowsMax && kRows % 2 == 0) {
    scan_group_shape<S, kRows / 2>(args, tile, row);
    scan_group_shape<S, kRows / 2>(args, tile, row + kRows / 2);
  } else {
    scan_group<typename S::O, S::kVectorsPerTile, kRows>(args, tile, row);
  }
}

// The first shape of the tile's width (the last one if none matches).
template <int kRows, typename S, typename... Rest>
inline void scan_group_any(const F32ScanArgs& args, F32Tile& tile, size_t row) {
  if constexpr (sizeof...(Rest) == 0) {
    scan_group_shape<S, kRows>(args, tile, row);
  } else if (tile.lanes == S::kLanes) {
    scan_group_shape<S, kRows>(args, tile, row);
  } else {
    scan_group_any<kRows, Rest...>(args, tile, row);
  }
}

// Scores rows [row, row + kRows) against every tile: the rows (kRows x d floats) stay in L1
// while the tiles stream through from L2 (sequential vector loads), so each row is read from
// memory once per batch.
template <int kRows, typename... Shapes>
inline void scan_group_all_tiles(const F32ScanArgs& args, size_t row) {
  // The next group's rows are requested now: they arrive while the tiles score this group.
  const size_t next = std::min(args.end_row, row + 2 * size_t(kRows));
  const char* ahead = reinterpret_cast<const char*>(args.base + (row + kRows) * args.dimension);
  const char* ahead_end = reinterpret_cast<const char*>(args.base + next * args.dimension);
  for (; ahead < ahead_end; ahead += 64) __builtin_prefetch(ahead, 0, 2);
  for (int t = 0; t < args.tile_count; ++t) {
    scan_group_any<kRows, Shapes...>(args, args.tiles[t], row);
  }
}

// The whole scan of one thread: groups of kRows rows, then groups of 4 and single rows at the
// end of the slice. Every tile has the lane count of one of Shapes.
template <int kRows, typename... Shapes>
inline void scan_rows(const F32ScanArgs& args) {
  size_t row = args.first_row;
  for (; row + kRows <= args.end_row; row += kRows) {
    scan_group_all_tiles<kRows, Shapes...>(args, row);
  }
  for (; row + 4 <= args.end_row; row += 4) scan_group_all_tiles<4, Shapes...>(args, row);
  for (; row < args.end_row; ++row) scan_group_all_tiles<1, Shapes...>(args, row);
}

}  // namespace
}  // namespace trident

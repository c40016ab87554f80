// Exact float32 flat batch search with a register-blocked kernel (GEMM micro-kernel shape) over
// FAISS's own row-major storage: no second copy of the rows, only one float per row (|x|^2).
//
// Shape: queries are packed dimension-major into tiles of 40, 32, 16 or 8 lanes (lane = query).
// The kernel scores 12 rows at a time: per dimension it loads the tile's vectors (two zmm for
// 32 lanes) and broadcasts each row's value once into them, so 12 rows x 2 zmm = 24 FMA chains
// run for 2 vector loads and 12 broadcasts (AVX2: 6 rows x 2 ymm). Threads split the rows;
// within a thread, each group of 12 rows stays in L1 while every query tile streams past it
// from L2, and the next group is prefetched, so each row is read from memory once per batch.
//
// Exactness: the kernel's float32 dot has |error| <= (d + 2) u |q||x| (u = 2^-24, FMA chain of
// d steps). It keeps, per query, the k smallest upper bounds of the approximate distance (their
// largest, T, bounds the true k-th distance) and every row whose lower bound is <= T when it
// is scored; the candidates with lower bound <= the final T are re-scored exactly by the same
// kernels as the other float32 paths (exact_scan.h), so the results equal theirs.
// The vector pre-filter uses the looser bound c (|q|^2 + |x|^2) >= c_product |q||x| + rounding,
// which needs one FMA and one compare per row and query tile.
//
// Thread rules: append/repack mutate (exclusive lock); search is const and reentrant.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace trident {

// Queries the float32 path wants at least: below this the per-query row-major kernels
// (search_flat_kernels) waste fewer lanes than a mostly empty 8-lane tile.
constexpr int64_t kFlatF32MinQueries = 8;

// True when the CPU (capped by TRIDENT_SIMD) has AVX2+FMA or AVX-512 and the bf16 flat path is
// not in use (bf16_flat_available() false): only then does a Flat index keep the row norms.
bool f32_flat_available();

// One tile of packed queries, as the kernel reads it.
struct F32Tile {
  const float* query_lanes;  // dimension x lanes floats, dimension-major, zero in unused lanes
  float* thresholds;         // per lane: T - norm term of the query (-inf for unused lanes)
  int lanes;                 // 40 or 32 (AVX-512 only), 16 or 8
  int first_query;           // the query of lane 0, within the caller's batch
};

// Called for a row where some lane's pre-filter lower bound is <= its threshold: lane_mask =
// those lanes, dots = the row's float32 dot product with each lane's query.
using F32Accept = void (*)(void* context, const F32Tile& tile, size_t row, uint64_t lane_mask,
                           const float* dots);

// The row scan of one thread (per ISA; flat_f32_avx512.cc, flat_f32_avx2.cc): scores rows
// [first_row, end_row) of base against every tile. The pre-filter value of a row and lane is
// dot_factor * dot + norm_scale * row_norm_squared[row]; it passes when <= the lane's threshold.
struct F32ScanArgs {
  F32Tile* tiles;
  int tile_count;
  const float* base;
  size_t dimension;
  size_t first_row;
  size_t end_row;
  const float* row_norm_squared;
  float norm_scale;
  float dot_factor;
  F32Accept accept;
  void* context;
};
void f32_scan_rows_avx512(const F32ScanArgs& args);
void f32_scan_rows_avx2(const F32ScanArgs& args);

// Which kernel FlatF32Norms::search runs: the one the CPU supports best (detected_simd_level()),
// or AVX2 (tests on AVX-512 hosts; the caller must know the CPU has AVX2 and FMA).
enum class F32Kernel { kDetected, kAvx2 };

class FlatF32Norms {
 public:
  // Appends the squared norms of `count` row-major rows after the current ones.
  void append(const float* rows, size_t count, size_t dimension);
  // Drops everything and computes them again (after FAISS compacted its storage).
  void repack(const float* rows, size_t count, size_t dimension);
  size_t rows() const { return norm_squared_.size(); }
  size_t bytes() const { return norm_squared_.capacity() * sizeof(float); }

  // Exact k-NN of n queries against base (the rows these norms describe, row-major). Writes,
  // per query, k (distance, row) pairs best first (distances in the metric's sign); slots past
  // the row count get row -1. threads: OpenMP threads (rows split between them). Throws
  // std::bad_alloc. Requires AVX2 and FMA (f32_flat_available() or detected_simd_level()).
  void search(int64_t n, const float* queries, int k, bool inner_product, const float* base,
              size_t dimension, int threads, float* distances, int64_t* rows_out,
              F32Kernel kernel = F32Kernel::kDetected) const;

 private:
  std::vector<float> norm_squared_;  // |x|^2 per row, rounded from double
};

}  // namespace trident

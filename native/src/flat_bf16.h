// Exact flat search through a bfloat16 copy of the vectors (AVX512-BF16 vdpbf16ps), with a
// float32 re-rank that makes the result exact, not approximate.
//
// How: every row's approximate distance d' comes from bf16(query) . bf16(row) (products exact,
// sums in float32) plus the exact float32 norms; its error is bounded by
//   |d - d'| <= err(row) = c_product * |q| * |x| + c_norm * (|q|^2 + |x|^2)          (L2)
//   |d - d'| <= err(row) = c_product * |q| * |x| / 2                         (inner product)
// with c_product = 2 * (2u + u^2 + (d + 2) 2^-24) * 1.01, u = 2^-8 (bf16 round-to-nearest),
// c_norm = 4 * 2^-24. The scan keeps the k smallest upper bounds d' + err (their largest, T,
// bounds the true k-th distance) and, as candidates, every row whose lower bound d' - err <= T
// at the time it is scored; T only falls, so the true top k are among the candidates. The
// candidates with lower bound <= the final T are then scored in float32 by the same kernels as
// the float32 flat path. Inputs below 2^-126 are read as zero by vdpbf16ps; the bound ignores
// that (irrelevant for real embeddings; documented, not guarded).
//
// Layout: rows are packed in blocks of 16; a block holds, for each pair index j < ceil(d / 2),
// 16 uint32 words (word r = bf16 of row r's elements 2j, 2j+1), so one 512-bit load feeds 16
// rows' dot products without horizontal sums. Rows past the end of the last block are zeros and
// are masked out.
//
// Thread rules: append/repack mutate (exclusive lock); search is const and reentrant.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace trident {

constexpr size_t kBf16BlockRows = 16;

// True when the CPU has AVX512-BF16 (with AVX512F/BW) and neither TRIDENT_SIMD caps the kernels
// below avx512 nor TRIDENT_FLAT_BF16=off disables this path (A/B benchmarks, tests).
bool bf16_flat_available();

// IEEE float -> bfloat16 bits, round to nearest even (NaN stays NaN).
uint16_t float_to_bf16(float value);

// One query of a scan tile (see bf16_scan_blocks). threshold: the current k-th smallest upper
// bound (+inf until k rows were seen); updated by the accept callback.
struct Bf16ScanQuery {
  const uint32_t* pairs;  // ceil(d / 2) words: bf16 pairs of the query
  float norm;             // |q|
  float norm_squared;     // |q|^2 (L2 only)
  float threshold;
  void* collector;        // the caller's per-query state, for `accept`
};

// Called for a block of 16 rows (rows first_row .. first_row + 15) where some lane's lower bound
// is <= the query's threshold: lane_mask = those lanes; lower/upper: 16 bounds each.
using Bf16Accept = void (*)(Bf16ScanQuery* query, size_t first_row, uint32_t lane_mask,
                            const float* lower, const float* upper);

// The kernel (AVX512-BF16, flat_bf16_avx512bf16.cc): scores blocks [first_block, end_block) for
// up to 8 queries. row_norm / row_norm_squared: per row, padded to whole blocks. rows: the real
// row count (lanes at or past it are never accepted).
void bf16_scan_blocks(Bf16ScanQuery* queries, int query_count, const uint32_t* blocks,
                      size_t pairs, size_t first_block, size_t end_block, size_t rows,
                      const float* row_norm, const float* row_norm_squared, float c_product,
                      float c_norm, bool inner_product, Bf16Accept accept);

class Bf16FlatCopy {
 public:
  // Appends `count` float32 rows (row-major, `dimension` floats each) after the current ones.
  void append(const float* rows, size_t count, size_t dimension);
  // Drops everything and packs `count` rows again (after FAISS compacted its storage).
  void repack(const float* rows, size_t count, size_t dimension);
  size_t rows() const { return rows_; }
  size_t bytes() const;

  // Exact k-NN of n queries against the rows (base = the same rows in float32, for the
  // re-rank). Writes, per query, k (distance, row) pairs best first into distances/rows_out
  // (distances in the metric's sign: inner products are not negated); slots past the row count
  // get row -1. threads: OpenMP threads (queries split between them). Throws std::bad_alloc.
  void search(int64_t n, const float* queries, int k, bool inner_product, const float* base,
              int threads, float* distances, int64_t* rows_out) const;

 private:
  size_t dimension_ = 0;
  size_t pairs_ = 0;
  size_t rows_ = 0;
  std::vector<uint32_t> blocks_;  // ceil(rows / 16) blocks of pairs_ * 16 words
  std::vector<float> norm_;       // per row, padded to whole blocks (0 past rows_)
  std::vector<float> norm_squared_;
};

}  // namespace trident

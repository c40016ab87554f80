// bfloat16 rows for the HNSW graph walk (VectorEncoding::kBfloat16 of HnswLevel0Layout).
//
// Why: at high dimension the walk's time goes to pulling rows from memory and to turning them
// into float32 (a half row needs one vcvtph2ps per 16 values before its sub and FMA). A bf16 row
// has the same bytes as a half row, but AVX512-BF16's vdpbf16ps multiplies 32 bf16 pairs and
// adds them into float32 in one instruction, with no conversion: about a quarter of the
// instructions per row. Approximate distances steer the walk only; the search re-ranks its final
// candidates with the exact float32 vectors, so returned distances are exact.
//
// Row format (the vector part of a layout block; bf16_row_bytes(d) bytes):
//   uint16 bf16[d] of (x - center), zero-padded to a multiple of 4 bytes, then
//   float  |bf16(x - center)|^2  (squared norm of the rounded values, float32 sums).
// L2: d'(q, x) = |x'|^2 + |q'|^2 - 2 q'.x' with q' = bf16(q - center), x' = bf16(x - center);
// this is the squared distance between the rounded vectors, so it does not lose precision to
// cancellation when the data sit far from the origin (center = the mean of the vectors). Inner
// product: q' = bf16(q) (not centred) and d' = -(q'.x'), which differs from -(q.x) by the
// per-query constant q.center (plus rounding): the walk's comparisons are unchanged by it.
//
// Thread rules: pure functions; any thread.
#pragma once

#include <cstddef>
#include <cstdint>

namespace trident {

// True when the CPU has AVX512-BF16 (with AVX512F/BW), TRIDENT_SIMD does not cap the kernels
// below avx512 and TRIDENT_HNSW_BF16 is not "off" (A/B benchmarks and tests of the fallback;
// the variable is read on every call, so call this when choosing a layout, not per query).
bool bf16_walk_available();

// Bytes of one encoded row (see the format above), not padded to a cache line.
inline size_t bf16_row_bytes(size_t dimension) { return (dimension * 2 + 3) / 4 * 4 + 4; }

// Encodes x (dimension floats) relative to `center` (dimension floats; null: zero) into `out`
// (bf16_row_bytes(dimension) bytes).
void bf16_encode_row(const float* x, const float* center, size_t dimension, uint8_t* out);

// The walk's form of a query: `row` (bf16_row_bytes(dimension) bytes, 64-byte aligned is best)
// is encoded like a stored row, from the query relative to the same center.
// out[j] = d'(query, row of ids[j]) for j < count, where row i starts at
// rows + i * row_stride_bytes. Prefetches the rows of the next group while scoring the current
// one. Call only when bf16_walk_available().
void bf16_distances_by_ids(const uint8_t* query_row, const uint8_t* rows, size_t row_stride_bytes,
                           size_t dimension, bool inner_product, const int32_t* ids, size_t count,
                           float* out);

}  // namespace trident

// trident distance kernels: float32 squared-L2 and inner product, our own SIMD (Debian's FAISS is
// built SSE-only). Variants: scalar, AVX2+FMA, AVX-512; one is chosen once per process from
// trident::detected_simd_level() (TRIDENT_SIMD caps it) and every search path uses that table.
//
// Shapes: every vector is `dimension` contiguous floats; `base` is a row-major array of vectors
// with row stride `dimension`; ids index rows of `base`. Results go to caller-owned `out`
// (count floats). Thread rules: the kernels are pure functions, safe from any thread.
// Numerics: results equal the scalar reference up to float reassociation (relative ~1e-5).
#pragma once

#include <cstddef>
#include <cstdint>

#include "trident/cpu_features.h"

namespace trident {

struct DistanceKernels {
  const char* name;  // "scalar", "avx2", "avx512"

  // Sum over i of (x[i] - y[i])^2.
  float (*l2_squared)(const float* x, const float* y, size_t dimension);
  // Sum over i of x[i] * y[i].
  float (*inner_product)(const float* x, const float* y, size_t dimension);

  // out[j] = distance(query, xj) for the four vectors x0..x3 (query loaded once).
  void (*l2_squared_4)(const float* query, const float* x0, const float* x1, const float* x2,
                       const float* x3, size_t dimension, float* out);
  void (*inner_product_4)(const float* query, const float* x0, const float* x1, const float* x2,
                          const float* x3, size_t dimension, float* out);

  // out[j] = distance(query, base + ids[j] * row_stride) for j < count (row_stride in floats,
  // >= dimension: rows may sit inside larger blocks); prefetches the rows of the next group
  // while computing the current one (graph search: rows are scattered).
  void (*l2_squared_by_ids)(const float* query, const float* base, size_t row_stride,
                            size_t dimension, const int32_t* ids, size_t count, float* out);
  void (*inner_product_by_ids)(const float* query, const float* base, size_t row_stride,
                               size_t dimension, const int32_t* ids, size_t count, float* out);

  // Same as *_by_ids over rows stored as IEEE half precision (uint16_t bits; row_stride in
  // halves). The query stays float32; products and sums are float32 (F16C conversion).
  void (*l2_squared_f16_by_ids)(const float* query, const uint16_t* base, size_t row_stride,
                                size_t dimension, const int32_t* ids, size_t count, float* out);
  void (*inner_product_f16_by_ids)(const float* query, const uint16_t* base, size_t row_stride,
                                   size_t dimension, const int32_t* ids, size_t count,
                                   float* out);

  // out[j] = distance(query, base + j * dimension) for j < count (brute force over a block).
  void (*l2_squared_rows)(const float* query, const float* base, size_t dimension, size_t count,
                          float* out);
  void (*inner_product_rows)(const float* query, const float* base, size_t dimension,
                             size_t count, float* out);
};

// IEEE half precision conversions (round to nearest even; |x| > 65504 becomes infinity).
uint16_t float_to_half(float value);
float half_to_float(uint16_t bits);

// The table for one level (a level the CPU lacks must not be called: use for tests only after
// checking detected_simd_level()).
const DistanceKernels& distance_kernels_for(SimdLevel level);

// The table chosen once at load from detected_simd_level().
const DistanceKernels& distance_kernels();

// Per-ISA tables, defined in distance_scalar.cc / distance_avx2.cc / distance_avx512.cc.
extern const DistanceKernels kScalarDistanceKernels;
extern const DistanceKernels kAvx2DistanceKernels;
extern const DistanceKernels kAvx512DistanceKernels;

}  // namespace trident

// AVX2+FMA kernels: 8 floats per register, several independent accumulators per vector, masked
// loads (vmaskmovps) for the tail. Compiled with -mavx2 -mfma; called only when
// detected_simd_level() says the CPU supports it.
#include <immintrin.h>

#include "trident/distance.h"
#include "trident/distance_batch_inl.h"

namespace trident {
namespace {

// Lane mask with the first `remaining` (< 8) lanes set.
inline __m256i tail_mask(size_t remaining) {
  const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(remaining)), lanes);
}

inline float horizontal_sum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

struct Avx2L2 {
  static float one(const float* x, const float* y, size_t d) {
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
    __m256 a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= d; i += 32) {
      __m256 t0 = _mm256_sub_ps(_mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i));
      __m256 t1 = _mm256_sub_ps(_mm256_loadu_ps(x + i + 8), _mm256_loadu_ps(y + i + 8));
      __m256 t2 = _mm256_sub_ps(_mm256_loadu_ps(x + i + 16), _mm256_loadu_ps(y + i + 16));
      __m256 t3 = _mm256_sub_ps(_mm256_loadu_ps(x + i + 24), _mm256_loadu_ps(y + i + 24));
      a0 = _mm256_fmadd_ps(t0, t0, a0); a1 = _mm256_fmadd_ps(t1, t1, a1);
      a2 = _mm256_fmadd_ps(t2, t2, a2); a3 = _mm256_fmadd_ps(t3, t3, a3);
    }
    for (; i + 8 <= d; i += 8) {
      __m256 t = _mm256_sub_ps(_mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i));
      a0 = _mm256_fmadd_ps(t, t, a0);
    }
    if (i < d) {
      const __m256i m = tail_mask(d - i);
      __m256 t = _mm256_sub_ps(_mm256_maskload_ps(x + i, m), _mm256_maskload_ps(y + i, m));
      a1 = _mm256_fmadd_ps(t, t, a1);
    }
    return horizontal_sum(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
  }

  static void four(const float* q, const float* x0, const float* x1, const float* x2,
                   const float* x3, size_t d, float* out) {
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
    __m256 a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 8 <= d; i += 8) {
      const __m256 v = _mm256_loadu_ps(q + i);
      __m256 t0 = _mm256_sub_ps(v, _mm256_loadu_ps(x0 + i));
      __m256 t1 = _mm256_sub_ps(v, _mm256_loadu_ps(x1 + i));
      __m256 t2 = _mm256_sub_ps(v, _mm256_loadu_ps(x2 + i));
      __m256 t3 = _mm256_sub_ps(v, _mm256_loadu_ps(x3 + i));
      a0 = _mm256_fmadd_ps(t0, t0, a0); a1 = _mm256_fmadd_ps(t1, t1, a1);
      a2 = _mm256_fmadd_ps(t2, t2, a2); a3 = _mm256_fmadd_ps(t3, t3, a3);
    }
    if (i < d) {
      const __m256i m = tail_mask(d - i);
      const __m256 v = _mm256_maskload_ps(q + i, m);
      __m256 t0 = _mm256_sub_ps(v, _mm256_maskload_ps(x0 + i, m));
      __m256 t1 = _mm256_sub_ps(v, _mm256_maskload_ps(x1 + i, m));
      __m256 t2 = _mm256_sub_ps(v, _mm256_maskload_ps(x2 + i, m));
      __m256 t3 = _mm256_sub_ps(v, _mm256_maskload_ps(x3 + i, m));
      a0 = _mm256_fmadd_ps(t0, t0, a0); a1 = _mm256_fmadd_ps(t1, t1, a1);
      a2 = _mm256_fmadd_ps(t2, t2, a2); a3 = _mm256_fmadd_ps(t3, t3, a3);
    }
    out[0] = horizontal_sum(a0); out[1] = horizontal_sum(a1);
    out[2] = horizontal_sum(a2); out[3] = horizontal_sum(a3);
  }
};

struct Avx2Ip {
  static float one(const float* x, const float* y, size_t d) {
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
    __m256 a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= d; i += 32) {
      a0 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i), a0);
      a1 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i + 8), _mm256_loadu_ps(y + i + 8), a1);
      a2 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i + 16), _mm256_loadu_ps(y + i + 16), a2);
      a3 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i + 24), _mm256_loadu_ps(y + i + 24), a3);
    }
    for (; i + 8 <= d; i += 8) {
      a0 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i), a0);
    }
    if (i < d) {
      const __m256i m = tail_mask(d - i);
      a1 = _mm256_fmadd_ps(_mm256_maskload_ps(x + i, m), _mm256_maskload_ps(y + i, m), a1);
    }
    return horizontal_sum(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
  }

  static void four(const float* q, const float* x0, const float* x1, const float* x2,
                   const float* x3, size_t d, float* out) {
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
    __m256 a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 8 <= d; i += 8) {
      const __m256 v = _mm256_loadu_ps(q + i);
      a0 = _mm256_fmadd_ps(v, _mm256_loadu_ps(x0 + i), a0);
      a1 = _mm256_fmadd_ps(v, _mm256_loadu_ps(x1 + i), a1);
      a2 = _mm256_fmadd_ps(v, _mm256_loadu_ps(x2 + i), a2);
      a3 = _mm256_fmadd_ps(v, _mm256_loadu_ps(x3 + i), a3);
    }
    if (i < d) {
      const __m256i m = tail_mask(d - i);
      const __m256 v = _mm256_maskload_ps(q + i, m);
      a0 = _mm256_fmadd_ps(v, _mm256_maskload_ps(x0 + i, m), a0);
      a1 = _mm256_fmadd_ps(v, _mm256_maskload_ps(x1 + i, m), a1);
      a2 = _mm256_fmadd_ps(v, _mm256_maskload_ps(x2 + i, m), a2);
      a3 = _mm256_fmadd_ps(v, _mm256_maskload_ps(x3 + i, m), a3);
    }
    out[0] = horizontal_sum(a0); out[1] = horizontal_sum(a1);
    out[2] = horizontal_sum(a2); out[3] = horizontal_sum(a3);
  }
};

// Rows in IEEE half precision: 8 halves -> 8 floats per vcvtph2ps (F16C); the tail goes
// through a zero-padded copy (AVX2 has no 16-bit masked load).
inline __m256 load_halves(const uint16_t* p) {
  return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}
inline __m256 load_halves_tail(const uint16_t* p, size_t remaining) {
  alignas(16) uint16_t padded[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  for (size_t i = 0; i < remaining; ++i) padded[i] = p[i];
  return _mm256_cvtph_ps(_mm_load_si128(reinterpret_cast<const __m128i*>(padded)));
}

struct Avx2L2Half {
  static float one(const float* q, const uint16_t* x, size_t d) {
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 16 <= d; i += 16) {
      __m256 t0 = _mm256_sub_ps(_mm256_loadu_ps(q + i), load_halves(x + i));
      __m256 t1 = _mm256_sub_ps(_mm256_loadu_ps(q + i + 8), load_halves(x + i + 8));
      a0 = _mm256_fmadd_ps(t0, t0, a0); a1 = _mm256_fmadd_ps(t1, t1, a1);
    }
    for (; i + 8 <= d; i += 8) {
      __m256 t = _mm256_sub_ps(_mm256_loadu_ps(q + i), load_halves(x + i));
      a0 = _mm256_fmadd_ps(t, t, a0);
    }
    if (i < d) {
      __m256 t = _mm256_sub_ps(_mm256_maskload_ps(q + i, tail_mask(d - i)), load_halves_tail(x + i, d - i));
      a1 = _mm256_fmadd_ps(t, t, a1);
    }
    return horizontal_sum(_mm256_add_ps(a0, a1));
  }
  static void four(const float* q, const uint16_t* x0, const uint16_t* x1, const uint16_t* x2,
                   const uint16_t* x3, size_t d, float* out) {
    out[0] = one(q, x0, d); out[1] = one(q, x1, d); out[2] = one(q, x2, d); out[3] = one(q, x3, d);
  }
};

struct Avx2IpHalf {
  static float one(const float* q, const uint16_t* x, size_t d) {
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 16 <= d; i += 16) {
      a0 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i), load_halves(x + i), a0);
      a1 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i + 8), load_halves(x + i + 8), a1);
    }
    for (; i + 8 <= d; i += 8) a0 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i), load_halves(x + i), a0);
    if (i < d) {
      a1 = _mm256_fmadd_ps(_mm256_maskload_ps(q + i, tail_mask(d - i)), load_halves_tail(x + i, d - i), a1);
    }
    return horizontal_sum(_mm256_add_ps(a0, a1));
  }
  static void four(const float* q, const uint16_t* x0, const uint16_t* x1, const uint16_t* x2,
                   const uint16_t* x3, size_t d, float* out) {
    out[0] = one(q, x0, d); out[1] = one(q, x1, d); out[2] = one(q, x2, d); out[3] = one(q, x3, d);
  }
};

}  // namespace

const DistanceKernels kAvx2DistanceKernels = {
    "avx2",
    &Avx2L2::one,
    &Avx2Ip::one,
    &Avx2L2::four,
    &Avx2Ip::four,
    &distances_by_ids<Avx2L2>,
    &distances_by_ids<Avx2Ip>,
    &distances_by_ids<Avx2L2Half, uint16_t>,
    &distances_by_ids<Avx2IpHalf, uint16_t>,
    &distances_rows<Avx2L2>,
    &distances_rows<Avx2Ip>,
};

}  // namespace trident

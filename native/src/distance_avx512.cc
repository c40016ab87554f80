// AVX-512F kernels: 16 floats per register, several independent accumulators per vector, masked
// loads for the tail (any dimension, no scalar remainder loop). Compiled with -mavx512*; called
// only when detected_simd_level() says the CPU and OS support it.
// GCC 12 warns inside its own avx512fintrin.h (_mm512_reduce_add_ps uses an undefined register
// on purpose); the warning is about the header, not this code.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#include "trident/distance.h"
#include "trident/distance_batch_inl.h"

namespace trident {
namespace {

inline __mmask16 tail_mask(size_t remaining) {
  return static_cast<__mmask16>((1u << remaining) - 1u);
}

// Rows in IEEE half precision: 16 halves -> 16 floats per vcvtph2ps, then the float32 maths.
inline __m512 load_halves(const uint16_t* p) {
  return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
}
inline __m512 load_halves_masked(__mmask16 m, const uint16_t* p) {
  return _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(m, p));
}

// How the four-row kernels read one register of a stored row: float32 rows, or half precision.
struct FloatRows {
  using Element = float;
  static __m512 load(const float* p) { return _mm512_loadu_ps(p); }
  static __m512 load_masked(__mmask16 m, const float* p) { return _mm512_maskz_loadu_ps(m, p); }
};
struct HalfRows {
  using Element = uint16_t;
  static __m512 load(const uint16_t* p) { return load_halves(p); }
  static __m512 load_masked(__mmask16 m, const uint16_t* p) { return load_halves_masked(m, p); }
};

// One query against four rows, squared L2; the query is loaded once per register.
template <typename Rows, typename E = typename Rows::Element>
inline void l2_four(const float* q, const E* x0, const E* x1, const E* x2, const E* x3, size_t d,
                    float* out) {
  __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();
  __m512 a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
  size_t i = 0;
  for (; i + 16 <= d; i += 16) {
    const __m512 v = _mm512_loadu_ps(q + i);
    __m512 t0 = _mm512_sub_ps(v, Rows::load(x0 + i));
    __m512 t1 = _mm512_sub_ps(v, Rows::load(x1 + i));
    __m512 t2 = _mm512_sub_ps(v, Rows::load(x2 + i));
    __m512 t3 = _mm512_sub_ps(v, Rows::load(x3 + i));
    a0 = _mm512_fmadd_ps(t0, t0, a0); a1 = _mm512_fmadd_ps(t1, t1, a1);
    a2 = _mm512_fmadd_ps(t2, t2, a2); a3 = _mm512_fmadd_ps(t3, t3, a3);
  }
  if (i < d) {
    const __mmask16 m = tail_mask(d - i);
    const __m512 v = _mm512_maskz_loadu_ps(m, q + i);
    __m512 t0 = _mm512_sub_ps(v, Rows::load_masked(m, x0 + i));
    __m512 t1 = _mm512_sub_ps(v, Rows::load_masked(m, x1 + i));
    __m512 t2 = _mm512_sub_ps(v, Rows::load_masked(m, x2 + i));
    __m512 t3 = _mm512_sub_ps(v, Rows::load_masked(m, x3 + i));
    a0 = _mm512_fmadd_ps(t0, t0, a0); a1 = _mm512_fmadd_ps(t1, t1, a1);
    a2 = _mm512_fmadd_ps(t2, t2, a2); a3 = _mm512_fmadd_ps(t3, t3, a3);
  }
  out[0] = _mm512_reduce_add_ps(a0); out[1] = _mm512_reduce_add_ps(a1);
  out[2] = _mm512_reduce_add_ps(a2); out[3] = _mm512_reduce_add_ps(a3);
}

// One query against four rows, inner product.
template <typename Rows, typename E = typename Rows::Element>
inline void ip_four(const float* q, const E* x0, const E* x1, const E* x2, const E* x3, size_t d,
                    float* out) {
  __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();
  __m512 a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
  size_t i = 0;
  for (; i + 16 <= d; i += 16) {
    const __m512 v = _mm512_loadu_ps(q + i);
    a0 = _mm512_fmadd_ps(v, Rows::load(x0 + i), a0);
    a1 = _mm512_fmadd_ps(v, Rows::load(x1 + i), a1);
    a2 = _mm512_fmadd_ps(v, Rows::load(x2 + i), a2);
    a3 = _mm512_fmadd_ps(v, Rows::load(x3 + i), a3);
  }
  if (i < d) {
    const __mmask16 m = tail_mask(d - i);
    const __m512 v = _mm512_maskz_loadu_ps(m, q + i);
    a0 = _mm512_fmadd_ps(v, Rows::load_masked(m, x0 + i), a0);
    a1 = _mm512_fmadd_ps(v, Rows::load_masked(m, x1 + i), a1);
    a2 = _mm512_fmadd_ps(v, Rows::load_masked(m, x2 + i), a2);
    a3 = _mm512_fmadd_ps(v, Rows::load_masked(m, x3 + i), a3);
  }
  out[0] = _mm512_reduce_add_ps(a0); out[1] = _mm512_reduce_add_ps(a1);
  out[2] = _mm512_reduce_add_ps(a2); out[3] = _mm512_reduce_add_ps(a3);
}

struct Avx512L2 {
  static float one(const float* x, const float* y, size_t d) {
    __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();
    __m512 a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 64 <= d; i += 64) {
      __m512 t0 = _mm512_sub_ps(_mm512_loadu_ps(x + i), _mm512_loadu_ps(y + i));
      __m512 t1 = _mm512_sub_ps(_mm512_loadu_ps(x + i + 16), _mm512_loadu_ps(y + i + 16));
      __m512 t2 = _mm512_sub_ps(_mm512_loadu_ps(x + i + 32), _mm512_loadu_ps(y + i + 32));
      __m512 t3 = _mm512_sub_ps(_mm512_loadu_ps(x + i + 48), _mm512_loadu_ps(y + i + 48));
      a0 = _mm512_fmadd_ps(t0, t0, a0); a1 = _mm512_fmadd_ps(t1, t1, a1);
      a2 = _mm512_fmadd_ps(t2, t2, a2); a3 = _mm512_fmadd_ps(t3, t3, a3);
    }
    for (; i + 16 <= d; i += 16) {
      __m512 t = _mm512_sub_ps(_mm512_loadu_ps(x + i), _mm512_loadu_ps(y + i));
      a0 = _mm512_fmadd_ps(t, t, a0);
    }
    if (i < d) {
      const __mmask16 m = tail_mask(d - i);
      __m512 t = _mm512_sub_ps(_mm512_maskz_loadu_ps(m, x + i), _mm512_maskz_loadu_ps(m, y + i));
      a1 = _mm512_fmadd_ps(t, t, a1);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)));
  }

  static void four(const float* q, const float* x0, const float* x1, const float* x2,
                   const float* x3, size_t d, float* out) {
    l2_four<FloatRows>(q, x0, x1, x2, x3, d, out);
  }
};

struct Avx512Ip {
  static float one(const float* x, const float* y, size_t d) {
    __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();
    __m512 a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 64 <= d; i += 64) {
      a0 = _mm512_fmadd_ps(_mm512_loadu_ps(x + i), _mm512_loadu_ps(y + i), a0);
      a1 = _mm512_fmadd_ps(_mm512_loadu_ps(x + i + 16), _mm512_loadu_ps(y + i + 16), a1);
      a2 = _mm512_fmadd_ps(_mm512_loadu_ps(x + i + 32), _mm512_loadu_ps(y + i + 32), a2);
      a3 = _mm512_fmadd_ps(_mm512_loadu_ps(x + i + 48), _mm512_loadu_ps(y + i + 48), a3);
    }
    for (; i + 16 <= d; i += 16) {
      a0 = _mm512_fmadd_ps(_mm512_loadu_ps(x + i), _mm512_loadu_ps(y + i), a0);
    }
    if (i < d) {
      const __mmask16 m = tail_mask(d - i);
      a1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, x + i), _mm512_maskz_loadu_ps(m, y + i), a1);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)));
  }

  static void four(const float* q, const float* x0, const float* x1, const float* x2,
                   const float* x3, size_t d, float* out) {
    ip_four<FloatRows>(q, x0, x1, x2, x3, d, out);
  }
};

struct Avx512L2Half {
  static float one(const float* q, const uint16_t* x, size_t d) {
    __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= d; i += 32) {
      __m512 t0 = _mm512_sub_ps(_mm512_loadu_ps(q + i), load_halves(x + i));
      __m512 t1 = _mm512_sub_ps(_mm512_loadu_ps(q + i + 16), load_halves(x + i + 16));
      a0 = _mm512_fmadd_ps(t0, t0, a0); a1 = _mm512_fmadd_ps(t1, t1, a1);
    }
    for (; i < d; i += 16) {
      const __mmask16 m = d - i >= 16 ? __mmask16(0xFFFF) : tail_mask(d - i);
      __m512 t = _mm512_sub_ps(_mm512_maskz_loadu_ps(m, q + i), load_halves_masked(m, x + i));
      a0 = _mm512_fmadd_ps(t, t, a0);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(a0, a1));
  }
  static void four(const float* q, const uint16_t* x0, const uint16_t* x1, const uint16_t* x2,
                   const uint16_t* x3, size_t d, float* out) {
    l2_four<HalfRows>(q, x0, x1, x2, x3, d, out);
  }
};

struct Avx512IpHalf {
  static float one(const float* q, const uint16_t* x, size_t d) {
    __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= d; i += 32) {
      a0 = _mm512_fmadd_ps(_mm512_loadu_ps(q + i), load_halves(x + i), a0);
      a1 = _mm512_fmadd_ps(_mm512_loadu_ps(q + i + 16), load_halves(x + i + 16), a1);
    }
    for (; i < d; i += 16) {
      const __mmask16 m = d - i >= 16 ? __mmask16(0xFFFF) : tail_mask(d - i);
      a0 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, q + i), load_halves_masked(m, x + i), a0);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(a0, a1));
  }
  static void four(const float* q, const uint16_t* x0, const uint16_t* x1, const uint16_t* x2,
                   const uint16_t* x3, size_t d, float* out) {
    ip_four<HalfRows>(q, x0, x1, x2, x3, d, out);
  }
};

}  // namespace

const DistanceKernels kAvx512DistanceKernels = {
    "avx512",
    &Avx512L2::one,
    &Avx512Ip::one,
    &Avx512L2::four,
    &Avx512Ip::four,
    &distances_by_ids<Avx512L2>,
    &distances_by_ids<Avx512Ip>,
    &distances_by_ids<Avx512L2Half, uint16_t>,
    &distances_by_ids<Avx512IpHalf, uint16_t>,
    &distances_rows<Avx512L2>,
    &distances_rows<Avx512Ip>,
};

}  // namespace trident

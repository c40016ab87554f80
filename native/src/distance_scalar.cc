// Portable reference kernels (also the ground truth the SIMD variants are tested against).
#include "trident/distance.h"
#include "trident/distance_batch_inl.h"

namespace trident {
namespace {

struct ScalarL2 {
  static float one(const float* x, const float* y, size_t d) {
    // Four partial sums: lets the compiler keep independent dependency chains.
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    size_t i = 0;
    for (; i + 4 <= d; i += 4) {
      const float a = x[i] - y[i], b = x[i + 1] - y[i + 1];
      const float c = x[i + 2] - y[i + 2], e = x[i + 3] - y[i + 3];
      s0 += a * a; s1 += b * b; s2 += c * c; s3 += e * e;
    }
    for (; i < d; ++i) { const float a = x[i] - y[i]; s0 += a * a; }
    return (s0 + s1) + (s2 + s3);
  }
  static void four(const float* q, const float* x0, const float* x1, const float* x2,
                   const float* x3, size_t d, float* out) {
    out[0] = one(q, x0, d); out[1] = one(q, x1, d); out[2] = one(q, x2, d); out[3] = one(q, x3, d);
  }
};

struct ScalarIp {
  static float one(const float* x, const float* y, size_t d) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    size_t i = 0;
    for (; i + 4 <= d; i += 4) {
      s0 += x[i] * y[i]; s1 += x[i + 1] * y[i + 1];
      s2 += x[i + 2] * y[i + 2]; s3 += x[i + 3] * y[i + 3];
    }
    for (; i < d; ++i) s0 += x[i] * y[i];
    return (s0 + s1) + (s2 + s3);
  }
  static void four(const float* q, const float* x0, const float* x1, const float* x2,
                   const float* x3, size_t d, float* out) {
    out[0] = one(q, x0, d); out[1] = one(q, x1, d); out[2] = one(q, x2, d); out[3] = one(q, x3, d);
  }
};

struct ScalarL2Half {
  static float one(const float* q, const uint16_t* x, size_t d) {
    float s0 = 0, s1 = 0;
    size_t i = 0;
    for (; i + 2 <= d; i += 2) {
      const float a = q[i] - half_to_float(x[i]), b = q[i + 1] - half_to_float(x[i + 1]);
      s0 += a * a; s1 += b * b;
    }
    for (; i < d; ++i) { const float a = q[i] - half_to_float(x[i]); s0 += a * a; }
    return s0 + s1;
  }
  static void four(const float* q, const uint16_t* x0, const uint16_t* x1, const uint16_t* x2,
                   const uint16_t* x3, size_t d, float* out) {
    out[0] = one(q, x0, d); out[1] = one(q, x1, d); out[2] = one(q, x2, d); out[3] = one(q, x3, d);
  }
};

struct ScalarIpHalf {
  static float one(const float* q, const uint16_t* x, size_t d) {
    float s0 = 0, s1 = 0;
    size_t i = 0;
    for (; i + 2 <= d; i += 2) {
      s0 += q[i] * half_to_float(x[i]);
      s1 += q[i + 1] * half_to_float(x[i + 1]);
    }
    for (; i < d; ++i) s0 += q[i] * half_to_float(x[i]);
    return s0 + s1;
  }
  static void four(const float* q, const uint16_t* x0, const uint16_t* x1, const uint16_t* x2,
                   const uint16_t* x3, size_t d, float* out) {
    out[0] = one(q, x0, d); out[1] = one(q, x1, d); out[2] = one(q, x2, d); out[3] = one(q, x3, d);
  }
};

}  // namespace

const DistanceKernels kScalarDistanceKernels = {
    "scalar",
    &ScalarL2::one,
    &ScalarIp::one,
    &ScalarL2::four,
    &ScalarIp::four,
    &distances_by_ids<ScalarL2>,
    &distances_by_ids<ScalarIp>,
    &distances_by_ids<ScalarL2Half, uint16_t>,
    &distances_by_ids<ScalarIpHalf, uint16_t>,
    &distances_rows<ScalarL2>,
    &distances_rows<ScalarIp>,
};

}  // namespace trident

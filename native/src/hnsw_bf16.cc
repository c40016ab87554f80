// Availability and row encoding of the bf16 HNSW walk (hnsw_bf16.h). Baseline x86-64; the
// AVX512-BF16 arithmetic is in hnsw_bf16_avx512bf16.cc.
#include "trident/hnsw_bf16.h"

#include <cstdlib>
#include <cstring>

#include "flat_bf16.h"
#include "trident/cpu_features.h"

namespace trident {

bool bf16_walk_available() {
  // Read on every call (layout choices only, not per query) so tests can switch it.
  const char* off = std::getenv("TRIDENT_HNSW_BF16");
  return cpu_has_avx512_bf16() && !(off != nullptr && std::strcmp(off, "off") == 0);
}

void bf16_encode_row(const float* x, const float* center, size_t dimension, uint8_t* out) {
  std::memset(out, 0, bf16_row_bytes(dimension));
  auto* values = reinterpret_cast<uint16_t*>(out);
  float norm_squared = 0.0f;
  for (size_t i = 0; i < dimension; ++i) {
    values[i] = float_to_bf16(center != nullptr ? x[i] - center[i] : x[i]);
    const uint32_t bits = uint32_t(values[i]) << 16;
    float rounded;
    std::memcpy(&rounded, &bits, 4);
    norm_squared += rounded * rounded;
  }
  std::memcpy(out + bf16_row_bytes(dimension) - 4, &norm_squared, 4);
}

}  // namespace trident

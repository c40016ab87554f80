#include "trident/cpu_features.h"

#include <cstdlib>
#include <cstring>

namespace trident {
namespace {

SimdLevel detect() {
  __builtin_cpu_init();
  SimdLevel level = SimdLevel::kScalar;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) level = SimdLevel::kAvx2;
  if (level == SimdLevel::kAvx2 && __builtin_cpu_supports("avx512f") &&
      __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("avx512vl")) {
    level = SimdLevel::kAvx512;
  }
  if (const char* cap = std::getenv("TRIDENT_SIMD")) {
    SimdLevel wanted = level;
    if (std::strcmp(cap, "scalar") == 0) wanted = SimdLevel::kScalar;
    if (std::strcmp(cap, "avx2") == 0) wanted = SimdLevel::kAvx2;
    if (static_cast<int>(wanted) < static_cast<int>(level)) level = wanted;
  }
  return level;
}

}  // namespace

SimdLevel detected_simd_level() {
  static const SimdLevel level = detect();
  return level;
}

bool cpu_has_avx512_bf16() {
  static const bool has = [] {
    __builtin_cpu_init();
    return detected_simd_level() == SimdLevel::kAvx512 && __builtin_cpu_supports("avx512bf16");
  }();
  return has;
}

const char* simd_level_name(SimdLevel level) {
  switch (level) {
    case SimdLevel::kAvx512: return "avx512";
    case SimdLevel::kAvx2: return "avx2";
    case SimdLevel::kScalar: return "scalar";
  }
  return "scalar";
}

}  // namespace trident

#include "trident/runtime_info.h"

#include "trident/cpu_features.h"

#ifndef TRIDENT_BUILD_MARCH
#define TRIDENT_BUILD_MARCH "generic"
#endif

namespace trident {

const char* simd_variant_name() { return simd_level_name(detected_simd_level()); }

const char* build_target_name() { return TRIDENT_BUILD_MARCH; }

bool build_target_supported() {
  __builtin_cpu_init();
  const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
                    __builtin_cpu_supports("bmi2");
  const bool avx512 = avx2 && __builtin_cpu_supports("avx512f") &&
                      __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
                      __builtin_cpu_supports("avx512vl");
  const char* target = build_target_name();
  if (target[0] == 'a' && target[3] == '5') return avx512;  // "avx512"
  if (target[0] == 'a') return avx2;                        // "avx2"
  return true;
}

}  // namespace trident

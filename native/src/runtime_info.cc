#include "trident/runtime_info.h"

#include "trident/cpu_features.h"

namespace trident {

const char* simd_variant_name() { return simd_level_name(detected_simd_level()); }

}  // namespace trident

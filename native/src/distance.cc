// Load-time choice of the distance-kernel table.
#include "trident/distance.h"

namespace trident {

const DistanceKernels& distance_kernels_for(SimdLevel level) {
  switch (level) {
    case SimdLevel::kAvx512: return kAvx512DistanceKernels;
    case SimdLevel::kAvx2: return kAvx2DistanceKernels;
    case SimdLevel::kScalar: return kScalarDistanceKernels;
  }
  return kScalarDistanceKernels;
}

const DistanceKernels& distance_kernels() {
  static const DistanceKernels& chosen = distance_kernels_for(detected_simd_level());
  return chosen;
}

}  // namespace trident

// Facts about the loaded native library, for logs, benchmark reports and tests.
#pragma once

namespace trident {

// Name of the distance-kernel variant chosen at load time: "avx512", "avx2" or "scalar".
const char* simd_variant_name();

// The x86 target the library's baseline code was compiled for (CMake TRIDENT_MARCH, chosen with
// scripts/build-native.sh): "generic" (any x86-64; the default), "avx2" (x86-64-v3) or "avx512"
// (x86-64-v4). The per-ISA distance kernels are in every build and chosen at load either way.
const char* build_target_name();

// Whether this CPU has what build_target_name() requires (always true for "generic"). A library
// built for a wider target than the CPU may fault on its first call: check this first.
bool build_target_supported();

}  // namespace trident

package io.trident.nativelib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class TridentNativeTest {
  @Test
  void loadsFromJarResourcesAndReportsKernelVariant() {
    assertNull(TridentNative.unavailabilityCause());
    assertTrue(TridentNative.isAvailable());
    assertTrue(Set.of("avx512", "avx2", "scalar").contains(TridentNative.simdVariant()));
  }

  @Test
  void defaultBuildIsGenericAndTheLoadLineNamesKernelsAndTopology() {
    // The reactor builds the generic target (any x86-64); scripts/build-native.sh builds others.
    assertEquals(System.getProperty("trident.march", "generic"), TridentNative.buildTarget());
    String line = TridentNative.describe();
    assertTrue(line.startsWith("Trident native: kernels=" + TridentNative.simdVariant()
        + " build=" + TridentNative.buildTarget() + " cpus="), line);
    assertTrue(line.contains(" numa_nodes="), line);
  }

  @Test
  void ensureAvailabilityPassesWhenLoaded() {
    TridentNative.ensureAvailability();
    assertEquals(TridentNative.isAvailable(), true);
  }
}

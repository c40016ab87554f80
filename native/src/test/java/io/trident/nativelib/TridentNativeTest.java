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
  void ensureAvailabilityPassesWhenLoaded() {
    TridentNative.ensureAvailability();
    assertEquals(TridentNative.isAvailable(), true);
  }
}

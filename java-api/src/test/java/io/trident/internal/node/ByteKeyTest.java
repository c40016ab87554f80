package io.trident.internal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** ByteKey: content equality, and hashes that spread the keys the node actually uses. */
class ByteKeyTest {
  private static final int KEYS = 100_000;

  @Test
  void consecutiveVectorKeysGetDistinctHashes() {
    Set<Integer> hashes = new HashSet<>();
    for (long id = 0; id < KEYS; id++) {
      hashes.add(new ByteKey(CollectionCatalogue.vectorKey(7, id)).hashCode());
    }
    // Arrays.hashCode gave about 9,000 distinct values here (ids differ in their last bytes).
    assertTrue(hashes.size() > KEYS * 0.999, hashes.size() + " distinct hashes of " + KEYS);
  }

  @Test
  void shortTextKeysGetDistinctHashes() {
    Set<Integer> hashes = new HashSet<>();
    for (int i = 0; i < KEYS; i++) {
      hashes.add(new ByteKey(("key-" + i).getBytes(StandardCharsets.UTF_8)).hashCode());
    }
    assertTrue(hashes.size() > KEYS * 0.999, hashes.size() + " distinct hashes of " + KEYS);
  }

  @Test
  void equalContentIsEqualAndOrderIsUnsigned() {
    byte[] a = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    assertEquals(new ByteKey(a), new ByteKey(a.clone()));
    assertEquals(new ByteKey(a).hashCode(), new ByteKey(a.clone()).hashCode());
    assertNotEquals(new ByteKey(a), new ByteKey(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
    assertTrue(new ByteKey(new byte[] {(byte) 0x80}).compareTo(new ByteKey(new byte[] {1})) > 0);
    assertTrue(new ByteKey(new byte[] {1}).compareTo(new ByteKey(new byte[] {1, 0})) < 0);
  }
}

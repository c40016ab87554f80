package io.trident.internal.collection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.trident.testing.Seeds;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The primitive id map against {@link HashMap} under random puts and removes. Seeded. */
class LongIntMapTest {
  @Test
  void behavesLikeAHashMap() {
    SplittableRandom random = new SplittableRandom(Seeds.of("LongIntMapTest"));
    LongIntMap map = new LongIntMap();
    Map<Long, Integer> model = new HashMap<>();
    for (int step = 0; step < 200_000; step++) {
      // A small key range makes probe runs collide, wrap around and shift back on removal.
      long key = random.nextInt(4) == 0 ? random.nextLong() : random.nextInt(5000) - 2500;
      if (random.nextInt(3) == 0) {
        Integer expected = model.remove(key);
        assertEquals(expected == null ? -1 : expected, map.remove(key), "remove " + key);
      } else {
        int value = random.nextInt(Integer.MAX_VALUE);
        model.put(key, value);
        map.put(key, value);
      }
      if (step % 1000 == 0) {
        for (Map.Entry<Long, Integer> entry : model.entrySet()) {
          assertEquals(entry.getValue(), map.get(entry.getKey()));
        }
      }
      assertEquals(model.size(), map.size());
    }
    assertEquals(-1, map.get(Long.MIN_VALUE + 17));
  }
}

package io.trident.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link VectorIndex#compact}: removed HNSW ids are tombstones until a compaction rebuilds the
 * graph from the live vectors; afterwards there are none, removed ids never come back (also
 * after a save and load), the results equal those of a fresh build of the live vectors, and
 * searches running during the compaction all complete. Seeded.
 */
class CompactionTest {
  private static final int D = 16;
  private static final int N = 3000;

  @Test
  void compactionDropsTombstonesAndSearchesLikeAFreshBuild(@TempDir Path dir) throws Exception {
    long seed = 7_20261207L;
    System.out.println("seed " + seed);
    float[][] base = TestVectors.random(N, D, seed);
    float[][] queries = TestVectors.random(50, D, seed + 1);
    long[] removed = java.util.stream.LongStream.range(0, N).filter(id -> id % 2 == 0).toArray();
    SearchParams thorough = SearchParams.defaults().withEfSearch(200);
    try (VectorIndex index = VectorIndex.create(D, IndexSpec.parse("HNSW16"));
        VectorIndex fresh = VectorIndex.create(D, IndexSpec.parse("HNSW16"))) {
      index.add(TestVectors.ids(0, N), base);
      index.remove(removed);
      assertEquals(removed.length, index.tombstoneCount());
      long[] liveIds = java.util.stream.LongStream.range(0, N).filter(id -> id % 2 == 1)
          .toArray();
      fresh.add(liveIds, Arrays.stream(liveIds).mapToObj(id -> base[(int) id])
          .toArray(float[][]::new));

      AtomicBoolean compacting = new AtomicBoolean(true);
      CompletableFuture<Integer> searches = CompletableFuture.supplyAsync(() -> {
        int completed = 0;
        while (compacting.get() || completed < 100) {
          for (long id : index.search(queries[completed % queries.length], 10, thorough).ids()) {
            assertTrue(id % 2 == 1, "removed id " + id + " returned");
          }
          completed++;
        }
        return completed;
      });
      boolean compacted = index.compact();
      compacting.set(false);
      assertTrue(searches.get(120, TimeUnit.SECONDS) >= 100);
      assertTrue(compacted, "compaction with " + removed.length + " tombstones");
      assertEquals(0, index.tombstoneCount());
      assertEquals(liveIds.length, index.size());
      assertFalse(index.compact(), "nothing left to compact");
      for (float[] query : queries) {
        assertArrayEquals(fresh.search(query, 10, thorough).ids(),
            index.search(query, 10, thorough).ids(), "compacted against a fresh build");
      }
      Path file = dir.resolve("compacted.index");
      index.save(file);
      try (VectorIndex loaded = VectorIndex.load(file)) {
        assertEquals(0, loaded.tombstoneCount());
        for (long id : removed) {
          assertFalse(loaded.contains(id), "removed id " + id + " back after a load");
        }
        for (float[] query : queries) {
          assertArrayEquals(index.search(query, 10, thorough).ids(),
              loaded.search(query, 10, thorough).ids());
        }
      }
      index.add(new long[] {0}, new float[][] {base[0]}); // a removed id may be added again
      assertEquals(0, index.search(base[0], 1, thorough).ids()[0]);
    }
  }

  @Test
  void otherStructuresHaveNoTombstones() {
    try (VectorIndex flat = VectorIndex.create(D, IndexSpec.parse("Flat"))) {
      flat.add(TestVectors.ids(0, 100), TestVectors.random(100, D, 3));
      flat.remove(1, 2, 3);
      assertEquals(0, flat.tombstoneCount());
      assertFalse(flat.compact());
      assertEquals(97, flat.size());
    }
  }
}

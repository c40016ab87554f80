package io.trident.internal.collection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.AttributeType;
import io.trident.CollectionSpec;
import io.trident.nativelib.ThreadPlacement;
import io.trident.search.Metric;
import io.trident.search.SearchParams;
import io.trident.search.SearchResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A collection's HNSW index compacts once deletes and updates leave enough tombstones, and
 * deleted ids never come back: not after the compaction, not after the index files are saved,
 * loaded and reconciled with the stored records (what a restart from a snapshot does), and not
 * after more changes. Seeded.
 */
class CollectionIndexCompactionTest {
  private static final int D = 8;
  private static final int N = 4000;
  private static final CollectionSpec SPEC = CollectionSpec.builder().dimension(D)
      .metric(Metric.L2).index("HNSW16").attribute("n", AttributeType.LONG).build();

  @TempDir Path dir;

  @Test
  void deletedIdsNeverReturnAfterCompactionAndRestart() {
    long seed = 11_20261207L;
    System.out.println("seed " + seed);
    SplittableRandom random = new SplittableRandom(seed);
    AttributeSchema schema = new AttributeSchema("c", SPEC);
    Map<Long, byte[]> stored = new LinkedHashMap<>(); // what the state store would hold
    List<CollectionIndex.Change> changes = new ArrayList<>();
    for (long id = 0; id < N; id++) {
      changes.add(upsert(schema, stored, id, random));
    }
    try (CollectionIndex index = new CollectionIndex(1, "c", SPEC)) {
      index.apply(changes);
      changes.clear();
      for (long id = 0; id < N; id += 3) { // a third deleted, a tenth updated: 1,600+ tombstones
        stored.remove(id);
        changes.add(new CollectionIndex.Change(id, null));
      }
      for (long id = 1; id < N; id += 10) {
        changes.add(upsert(schema, stored, id, random));
      }
      index.apply(changes);
      assertEquals(0, index.nativeIndex().tombstoneCount(), "compacted after the deletes");
      assertEquals(stored.size(), index.size());
      assertOnlyStoredIds(index, stored, random);

      CollectionIndexFiles.save(index, dir);
    }
    try (CollectionIndex loaded = CollectionIndexFiles.load(dir, 1, "c", SPEC,
        ThreadPlacement.NONE)) {
      long replayed = CollectionIndexFiles.reconcile(loaded,
          visitor -> stored.forEach(visitor::accept));
      assertEquals(0, replayed, "the saved index matched the stored records");
      assertEquals(stored.size(), loaded.size());
      assertOnlyStoredIds(loaded, stored, random);
      changes.clear();
      for (long id = 2; id < N; id += 3) { // more deletes after the restart
        stored.remove(id);
        changes.add(new CollectionIndex.Change(id, null));
      }
      loaded.apply(changes);
      assertOnlyStoredIds(loaded, stored, random);
    }
  }

  private static CollectionIndex.Change upsert(AttributeSchema schema, Map<Long, byte[]> stored,
      long id, SplittableRandom random) {
    float[] vector = new float[D];
    for (int j = 0; j < D; j++) {
      vector[j] = (float) random.nextGaussian();
    }
    byte[] record = RecordCodec.encode(SPEC, schema, id, vector, Map.of("n", id));
    stored.put(id, record);
    return new CollectionIndex.Change(id, record);
  }

  /** Searches near every stored and every deleted vector find stored ids only, and all of them. */
  private static void assertOnlyStoredIds(CollectionIndex index, Map<Long, byte[]> stored,
      SplittableRandom random) {
    SearchParams thorough = SearchParams.defaults().withEfSearch(128);
    int foundThemselves = 0;
    int probes = 0;
    for (Map.Entry<Long, byte[]> entry : stored.entrySet()) {
      if (random.nextInt(8) != 0) {
        continue;
      }
      float[] vector = RecordCodec.decode(index.schema(), D, entry.getValue()).vector();
      SearchResult[] found = index.search(new float[][] {vector}, 10, thorough, null);
      for (long id : found[0].ids()) {
        assertTrue(stored.containsKey(id), "deleted id " + id + " returned");
      }
      probes++;
      foundThemselves += found[0].ids()[0] == entry.getKey() ? 1 : 0;
    }
    assertTrue(foundThemselves >= probes * 0.95, foundThemselves + " of " + probes
        + " stored vectors found themselves first");
    for (long id = 0; id < N; id++) {
      assertFalse(!stored.containsKey(id) && index.slotOf(id) >= 0, "deleted id " + id
          + " still has a slot");
    }
  }
}

package io.trident.internal.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.CollectionSpec;
import io.trident.internal.collection.CollectionIndex;
import io.trident.internal.collection.RecordCodec;
import io.trident.nativelib.ThreadPlacement;
import io.trident.search.Metric;
import io.trident.search.SearchParams;
import io.trident.search.SearchResult;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The indexer's CPU share while writes arrive: it then applies a task's changes in slices with
 * pauses between them. Slices must give exactly the index one call gives (the last change of an
 * id wins across slice boundaries), the watermark must reach the task's index, and the pauses
 * must end once writes stop. Real native (Flat, exact) indexes; nothing about time is asserted.
 */
class CollectionIndexerTest {
  private static final int D = 8;
  private static final int ROWS = 3 * CollectionIndexer.SLICE_CHANGES + 17;
  private static final long TWICE = 1_000_000;

  @Test
  void slicedApplyWhileWritesArriveEqualsOneApply() throws Exception {
    long seed = System.nanoTime();
    System.out.println("CollectionIndexerTest seed " + seed);
    SplittableRandom random = new SplittableRandom(seed);
    CollectionSpec spec = CollectionSpec.builder().dimension(D).metric(Metric.L2).index("Flat")
        .build();
    float[][] vectors = new float[ROWS][D];
    for (float[] vector : vectors) {
      for (int j = 0; j < D; j++) {
        vector[j] = (float) random.nextDouble();
      }
    }
    float[] twiceFinal = {9, 9, 9, 9, 9, 9, 9, 9};
    List<long[]> found = new ArrayList<>();
    for (int percent : new int[] {1, 100}) {
      IndexWatermark watermark = new IndexWatermark();
      CollectionIndexer indexer = new CollectionIndexer("test-indexer-" + percent, watermark,
          ThreadPlacement.NONE, percent, () -> true); // a shared host: the share applies
      try (CollectionIndex index = new CollectionIndex(7, "docs", spec)) {
        CollectionIndexer.TaskBuilder task = new CollectionIndexer.TaskBuilder();
        for (int row = 0; row < ROWS; row++) {
          task.change(index, row, record(spec, index, row, vectors[row]));
          if (row == 10) { // an id upserted, deleted and upserted again across slices
            task.change(index, TWICE, record(spec, index, TWICE, vectors[0]));
          } else if (row == CollectionIndexer.SLICE_CHANGES + 3) {
            task.change(index, TWICE, null);
          } else if (row == 2 * CollectionIndexer.SLICE_CHANGES + 5) {
            task.change(index, TWICE, record(spec, index, TWICE, twiceFinal));
            task.change(index, 5, null); // a row of the first slice, deleted in the third
          }
        }
        indexer.submit(task.build(42, 0));
        indexer.awaitIdle();
        assertEquals(42, watermark.indexed(), "the watermark reaches the task's index");
        assertEquals(ROWS, index.size(), "every row but 5, plus id " + TWICE);
        SearchResult twice = search(index, twiceFinal, 1);
        assertArrayEquals(new long[] {TWICE}, twice.ids(), "id " + TWICE + " has its last vector");
        assertEquals(0f, twice.distances()[0]);
        SearchResult nearFive = search(index, vectors[5], ROWS + 1);
        for (long id : nearFive.ids()) {
          assertTrue(id != 5, "deleted id 5 came back (percent " + percent + ")");
        }
        found.add(nearFive.ids());
      } finally {
        indexer.close();
      }
    }
    assertArrayEquals(found.get(1), found.get(0), "sliced and whole applies give the same index");
  }

  @Test
  void cpuShareOutsideOneToHundredIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new CollectionIndexer("bad", new IndexWatermark(), ThreadPlacement.NONE, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new CollectionIndexer("bad", new IndexWatermark(), ThreadPlacement.NONE, 101));
  }

  private static byte[] record(CollectionSpec spec, CollectionIndex index, long id,
      float[] vector) {
    return RecordCodec.encode(spec, index.schema(), id, vector, null);
  }

  private static SearchResult search(CollectionIndex index, float[] query, int k) {
    return index.search(new float[][] {query}, k, new SearchParams(16, 1, 1), null)[0];
  }
}

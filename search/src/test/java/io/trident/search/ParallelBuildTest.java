package io.trident.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.error.InvalidArgumentException;
import io.trident.error.InvalidSpecException;
import io.trident.search.eval.Recall;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bulk build on every core ({@link IndexSpec#withBuildThreads}) with progress reporting. */
class ParallelBuildTest {
  private static final int K = 10;

  @Test
  void hnswBuiltOnEveryCoreMatchesTheSerialBuildsRecallOnSift5k() {
    float[][] base = TestVectors.sift5kBase();
    float[][] queries = TestVectors.sift5kQueries();
    int[][] truth = TestVectors.sift5kGroundTruth();
    float[] flat = VectorBatch.flatten(base, 128, "base");
    long[] ids = TestVectors.ids(0, base.length);
    IndexSpec serialSpec = IndexSpec.parse("HNSW16").withEfConstruction(64);
    IndexSpec parallelSpec = serialSpec.withBuildThreads(IndexSpec.BUILD_THREADS_ALL_CORES);
    try (VectorIndex serial = VectorIndex.create(128, serialSpec);
        VectorIndex parallel = VectorIndex.create(128, parallelSpec)) {
      serial.add(ids, flat);
      List<long[]> reports = new ArrayList<>();
      parallel.add(ids, flat, (added, total) -> reports.add(new long[] {added, total}));
      assertEquals(1, reports.size());
      assertArrayEquals(new long[] {base.length, base.length}, reports.get(0));
      assertEquals(base.length, parallel.size());
      for (int ef : new int[] {16, 64}) {
        SearchParams params = SearchParams.defaults().withEfSearch(ef);
        double serialRecall = Recall.atK(serial.searchBatch(queries, K, params), truth, K);
        double parallelRecall = Recall.atK(parallel.searchBatch(queries, K, params), truth, K);
        System.out.printf("ef %d recall@10 serial %.4f parallel %.4f%n", ef, serialRecall,
            parallelRecall);
        assertTrue(parallelRecall > serialRecall - 0.02,
            "ef " + ef + ": parallel " + parallelRecall + " vs serial " + serialRecall);
      }
    }
  }

  @Test
  void chunkedCosineAddReportsEachChunkAndFindsRowsAcrossChunkBoundaries() {
    int n = VectorIndex.ADD_CHUNK_ROWS + 2_500;
    float[][] base = TestVectors.random(n, 16, 5);
    long[] ids = TestVectors.ids(7, n);
    IndexSpec spec = IndexSpec.parse("Flat").withMetric(Metric.COSINE).withBuildThreads(2);
    try (VectorIndex index = VectorIndex.create(16, spec)) {
      List<Long> added = new ArrayList<>();
      index.add(ids, VectorBatch.flatten(base, 16, "base"), (done, total) -> {
        assertEquals(n, total);
        added.add(done);
      });
      assertEquals(List.of((long) VectorIndex.ADD_CHUNK_ROWS, (long) n), added);
      for (int row : new int[] {0, VectorIndex.ADD_CHUNK_ROWS - 1, VectorIndex.ADD_CHUNK_ROWS,
          n - 1}) {
        SearchResult hit = index.search(base[row], 1);
        assertEquals(7 + row, hit.ids()[0], "row " + row);
        assertEquals(1.0f, hit.distances()[0], 1e-4f, "cosine of a vector with itself");
      }
    }
  }

  @Test
  void badBuildThreadsAndRepeatedIdsAreRejectedBeforeAnythingIsAdded() {
    assertThrows(InvalidSpecException.class, () -> IndexSpec.parse("HNSW8").withBuildThreads(-1));
    long[] ids = TestVectors.ids(0, 100);
    ids[99] = 3;
    float[] flat = VectorBatch.flatten(TestVectors.random(100, 8, 2), 8, "base");
    try (VectorIndex index = VectorIndex.create(8, IndexSpec.parse("HNSW8").withBuildThreads(0))) {
      assertThrows(InvalidArgumentException.class, () -> index.add(ids, flat, AddProgress.NONE));
      assertEquals(0, index.size());
      assertFalse(index.contains(0));
    }
  }
}

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
import java.util.Arrays;
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

  /**
   * A bulk add builds the graph from a half-precision copy of the rows (native
   * KernelFlatStorage); only the edges depend on it: every distance returned is the exact float32
   * one (relative 1e-5 of a double-precision reference), and the graph finds the true neighbours.
   */
  @Test
  void bulkBuiltGraphReturnsExactDistancesAndTrueNeighboursOnSift5k() {
    float[][] base = TestVectors.sift5kBase();
    float[][] queries = TestVectors.sift5kQueries();
    int[][] truth = TestVectors.sift5kGroundTruth();
    IndexSpec spec = IndexSpec.parse("HNSW32").withBuildThreads(2);
    try (VectorIndex index = VectorIndex.create(128, spec)) {
      index.add(TestVectors.ids(0, base.length), VectorBatch.flatten(base, 128, "base"));
      SearchResult[] results = index.searchBatch(queries, K,
          SearchParams.defaults().withEfSearch(256));
      double recall = Recall.atK(results, truth, K);
      System.out.printf("bulk-built HNSW32 recall@10 at ef 256: %.4f%n", recall);
      assertTrue(recall > 0.95, "recall " + recall);
      for (int q = 0; q < queries.length; q += 10) {
        for (int slot = 0; slot < K; ++slot) {
          float[] row = base[(int) results[q].ids()[slot]];
          double expected = 0;
          for (int j = 0; j < 128; ++j) {
            double diff = (double) queries[q][j] - row[j];
            expected += diff * diff;
          }
          assertEquals(expected, results[q].distances()[slot], 1e-5 * Math.max(1, expected),
              "query " + q + " slot " + slot);
        }
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
  /**
   * A per-call thread count ({@link VectorIndex#add(long[], float[], int)}) on an index whose
   * spec builds on one thread: a serial first half, then parallel adds smaller than 1/8 of the
   * graph (the native side then refreshes every link list instead of recopying the layout).
   * Recall stays that of the serial build; bad thread counts add nothing.
   */
  @Test
  void perCallThreadsAddLikeTheSerialBuildOnSift5k() {
    float[][] base = TestVectors.sift5kBase();
    float[][] queries = TestVectors.sift5kQueries();
    int[][] truth = TestVectors.sift5kGroundTruth();
    float[] flat = VectorBatch.flatten(base, 128, "base");
    long[] ids = TestVectors.ids(0, base.length);
    IndexSpec spec = IndexSpec.parse("HNSW16").withEfConstruction(64);
    int half = base.length / 2;
    int chunk = 250;
    try (VectorIndex serial = VectorIndex.create(128, spec);
        VectorIndex mixed = VectorIndex.create(128, spec)) {
      serial.add(ids, flat);
      mixed.add(Arrays.copyOf(ids, half), Arrays.copyOf(flat, half * 128));
      assertThrows(InvalidArgumentException.class, () -> mixed.add(new long[] {-5}, new float[128],
          -1));
      assertThrows(InvalidArgumentException.class, () -> mixed.add(new long[] {-5}, new float[128],
          1025));
      assertEquals(half, mixed.size());
      for (int from = half; from < base.length; from += chunk) {
        int to = Math.min(base.length, from + chunk);
        mixed.add(Arrays.copyOfRange(ids, from, to), Arrays.copyOfRange(flat, from * 128,
            to * 128), from % (2 * chunk) == 0 ? 2 : IndexSpec.BUILD_THREADS_ALL_CORES);
      }
      assertEquals(base.length, mixed.size());
      SearchParams params = SearchParams.defaults().withEfSearch(64);
      double serialRecall = Recall.atK(serial.searchBatch(queries, K, params), truth, K);
      double mixedRecall = Recall.atK(mixed.searchBatch(queries, K, params), truth, K);
      System.out.printf("recall@10 ef 64 serial %.4f per-call threads %.4f%n", serialRecall,
          mixedRecall);
      assertTrue(mixedRecall > serialRecall - 0.02, mixedRecall + " vs " + serialRecall);
    }
  }
}

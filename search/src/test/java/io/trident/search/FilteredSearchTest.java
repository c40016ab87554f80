package io.trident.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.search.eval.GroundTruth;
import io.trident.search.eval.Recall;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Filtered search on real FAISS-structured indexes: only allowed ids come back, k of them when the
 * index holds k allowed ids, at recall@10 against exact filtered ground truth, for HNSW, Flat and
 * IVF at selectivities 100% .. 0.1% and an empty filter. Random filters from a printed seed.
 */
class FilteredSearchTest {
  private static final int N = 20_000;
  private static final int D = 16;
  private static final int QUERIES = 100;
  private static final int K = 10;
  private static final long SEED = 20261207L;
  private static final String[] SPECS = {"HNSW16", "Flat", "IVF64,Flat", "IVF64,PQ4", "SQ8"};

  private static float[][] base;
  private static float[][] queries;
  private static final java.util.Map<String, VectorIndex> INDEXES = new java.util.HashMap<>();

  @BeforeAll
  static void build() {
    System.out.println("FilteredSearchTest seed " + SEED);
    base = TestVectors.random(N, D, SEED);
    queries = TestVectors.random(QUERIES, D, SEED + 1);
    for (String spec : SPECS) {
      VectorIndex index = VectorIndex.create(D, IndexSpec.parse(spec));
      if (!index.isTrained()) {
        index.train(base);
      }
      index.add(TestVectors.ids(0, N), base);
      INDEXES.put(spec, index);
    }
  }

  @AfterAll
  static void close() {
    INDEXES.values().forEach(VectorIndex::close);
  }

  /** Ids 0..N-1 kept with probability `share` (seeded). */
  private static BitSet randomIds(double share, long seed) {
    Random random = new Random(seed);
    BitSet allowed = new BitSet(N);
    for (int id = 0; id < N; id++) {
      if (random.nextDouble() < share) {
        allowed.set(id);
      }
    }
    return allowed;
  }

  private static SearchParams params(IdFilter filter) {
    return SearchParams.defaults().withEfSearch(64).withNprobe(16).withFilter(filter);
  }

  /**
   * At this size HNSW scans the allowed vectors exactly up to ~20% selectivity (ef 64) and walks
   * the graph above (the 30% and 100% rows); IVF-Flat probes with a FAISS selector above ~85%
   * (the 100% row) and scores the allowed entries exactly below.
   */
  @ParameterizedTest(name = "{0} at {1}")
  @CsvSource({
      "HNSW16, 1.0, 0.95", "HNSW16, 0.3, 0.95", "HNSW16, 0.1, 0.95", "HNSW16, 0.01, 0.95",
      "HNSW16, 0.001, 0.95",
      "Flat, 1.0, 1.0", "Flat, 0.1, 1.0", "Flat, 0.01, 1.0", "Flat, 0.001, 1.0",
      "'IVF64,Flat', 1.0, 0.9", "'IVF64,Flat', 0.6, 0.9", "'IVF64,Flat', 0.1, 0.9",
      "'IVF64,Flat', 0.01, 0.9", "'IVF64,Flat', 0.001, 0.9"})
  void returnsOnlyAllowedIdsAtRecallAgainstExactFilteredTruth(String spec, double share,
      double recallMin) {
    BitSet allowed = randomIds(share, SEED + Math.round(share * 1e6));
    int[][] truth = GroundTruth.exact(base, queries, K, Metric.L2, allowed::get);
    VectorIndex index = INDEXES.get(spec);
    for (IdFilter filter : List.of(IdFilter.ofBitSet(allowed), sortedListOf(allowed))) {
      SearchResult[] results = index.searchBatch(queries, K, params(filter));
      for (SearchResult result : results) {
        assertEquals(Math.min(K, allowed.cardinality()), result.count(), "hits for " + filter);
        for (long id : result.ids()) {
          assertTrue(allowed.get((int) id), spec + " returned id " + id + ", which " + filter + " rejects");
        }
      }
      double recall = Recall.atK(results, truth, K);
      System.out.printf("%s selectivity %.3f %s: recall@10 %.4f%n", spec, share, filter, recall);
      assertTrue(recall >= recallMin, spec + " recall@10 " + recall + " < " + recallMin);
    }
  }

  /**
   * The same ids as a sorted-list filter: one more id far beyond the index (never matched) makes
   * a bitset larger than the list, so IdFilter.of keeps the list form.
   */
  private static IdFilter sortedListOf(BitSet allowed) {
    long[] ids = allowed.stream().asLongStream().toArray();
    long[] withFarId = java.util.Arrays.copyOf(ids, ids.length + 1);
    withFarId[ids.length] = 1L << 40;
    return IdFilter.of(withFarId);
  }

  @ParameterizedTest
  @ValueSource(strings = {"HNSW16", "Flat", "IVF64,Flat", "IVF64,PQ4", "SQ8"})
  void emptyFilterReturnsNothingAndFilterOfAbsentIdsToo(String spec) {
    VectorIndex index = INDEXES.get(spec);
    for (IdFilter filter : List.of(IdFilter.empty(), IdFilter.of(), IdFilter.of(N + 5, N + 9, -7))) {
      SearchResult[] results = index.searchBatch(queries, K, params(filter));
      for (SearchResult result : results) {
        assertEquals(0, result.count(), spec + " with " + filter);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"IVF64,PQ4", "SQ8"})
  void quantizedIndexesReturnOnlyAllowedIds(String spec) {
    BitSet allowed = randomIds(0.05, SEED + 5);
    SearchResult[] results = INDEXES.get(spec).searchBatch(queries, K, params(IdFilter.ofBitSet(allowed)));
    for (SearchResult result : results) {
      assertEquals(K, result.count());
      for (long id : result.ids()) {
        assertTrue(allowed.get((int) id), spec + " returned disallowed id " + id);
      }
    }
  }

  @Test
  void fewerAllowedIdsThanKReturnsAllOfThemBestFirst() {
    long[] allowed = {17, 4242, 19_999};
    for (String spec : SPECS) {
      SearchResult result = INDEXES.get(spec).search(queries[0], K, params(IdFilter.of(allowed)));
      assertEquals(3, result.count(), spec);
      for (int i = 1; i < result.count(); i++) {
        assertTrue(result.distances()[i - 1] <= result.distances()[i], spec + " order");
      }
    }
  }

  @Test
  void removedIdsNeverComeBackThroughAFilter() {
    float[][] small = TestVectors.random(3000, D, SEED + 7);
    try (VectorIndex index = VectorIndex.create(D, IndexSpec.parse("HNSW16"))) {
      index.add(TestVectors.ids(0, small.length), small);
      index.remove(0, 1, 2, 3, 4);
      IdFilter filter = IdFilter.of(0, 1, 2, 3, 4, 5, 6);
      SearchResult result = index.search(small[0], K, params(filter));
      assertEquals(2, result.count());
      assertTrue(filter.allows(result.ids()[0]) && result.ids()[0] >= 5);
    }
  }

  @Test
  void concurrentSearchesWithDifferentFiltersEachSeeOnlyTheirOwn() throws Exception {
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int seed = t;
        futures.add(pool.submit(() -> {
          BitSet allowed = randomIds(shareOf(seed), SEED + 100 + seed);
          IdFilter filter = IdFilter.ofBitSet(allowed);
          ConcurrentSearcher searcher = new ConcurrentSearcher(INDEXES.get(SPECS[seed % 3]),
              ConcurrentSearcher.Batching.ALWAYS, 16, 2, 1024);
          for (int i = 0; i < 200; i++) {
            SearchResult result = searcher.search(queries[i % QUERIES], K, params(filter));
            assertEquals(K, result.count());
            for (long id : result.ids()) {
              assertTrue(allowed.get((int) id), "thread " + seed + " got id " + id);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static double shareOf(int seed) {
    return new double[] {0.5, 0.1, 0.01, 0.002}[seed % 4];
  }
}

package io.trident.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Many threads on one index, with writers changing it underneath. */
class ConcurrentSearchTest {
  private static final int D = 32;
  private static final int SEARCHERS = 64;
  private static final int WRITE_ROUNDS = 200;

  @ParameterizedTest
  @ValueSource(strings = {"HNSW16", "Flat", "IVF32,Flat"})
  void sixtyFourSearchersWhileAnotherThreadAddsAndRemoves(String factory) throws Exception {
    float[][] base = TestVectors.random(4000, D, 11);
    float[][] extra = TestVectors.random(WRITE_ROUNDS * 10, D, 12);
    try (VectorIndex index = VectorIndex.create(D, IndexSpec.parse(factory))) {
      if (!index.isTrained()) {
        index.train(base);
      }
      index.add(TestVectors.ids(0, base.length), base);
      ConcurrentSearcher searcher = new ConcurrentSearcher(index);
      AtomicBoolean writing = new AtomicBoolean(true);
      ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
      AtomicLong searches = new AtomicLong();
      ExecutorService pool = Executors.newFixedThreadPool(SEARCHERS + 1);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      futures.add(pool.submit(() -> {
        start.await();
        try {
          for (int round = 0; round < WRITE_ROUNDS; round++) {
            long first = 100_000 + round * 10L;
            float[][] batch = java.util.Arrays.copyOfRange(extra, round * 10, round * 10 + 10);
            index.add(TestVectors.ids((int) first, 10), batch);
            index.remove(first, first + 3, first + 7);
          }
        } finally {
          writing.set(false);
        }
        return null;
      }));
      for (int t = 0; t < SEARCHERS; t++) {
        int seed = t;
        futures.add(pool.submit(() -> {
          start.await();
          float[][] queries = TestVectors.random(8, D, 1000 + seed);
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
          int i = 0;
          while ((writing.get() || i < 16) && System.nanoTime() < deadline && i < 5000) {
            SearchResult r = searcher.search(queries[i++ % queries.length], 10,
                SearchParams.defaults().withEfSearch(32).withNprobe(4));
            String problem = validate(r);
            if (problem != null) {
              problems.add(problem);
            }
            searches.incrementAndGet();
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertTrue(problems.isEmpty(), "invalid results: " + problems.stream().limit(5).toList());
      assertTrue(searches.get() >= SEARCHERS * 16L);
      assertEquals(4000 + WRITE_ROUNDS * 7, index.size());
    }
  }

  /** Ids must be ones ever added, distinct, and distances finite and sorted. */
  private static String validate(SearchResult r) {
    if (r.count() == 0 || r.count() > 10) {
      return "count " + r.count();
    }
    java.util.Set<Long> seen = new java.util.HashSet<>();
    for (int i = 0; i < r.count(); i++) {
      long id = r.ids()[i];
      boolean known = (id >= 0 && id < 4000) || (id >= 100_000 && id < 100_000 + WRITE_ROUNDS * 10);
      if (!known || !seen.add(id)) {
        return "bad id " + id;
      }
      if (!Float.isFinite(r.distances()[i]) || (i > 0 && r.distances()[i] < r.distances()[i - 1])) {
        return "bad distances " + java.util.Arrays.toString(r.distances());
      }
    }
    return null;
  }

  @Test
  void batchedSearcherAnswersExactlyLikeDirectSearch() throws Exception {
    float[][] base = TestVectors.random(3000, D, 21);
    float[][] queries = TestVectors.random(256, D, 22);
    try (VectorIndex index = VectorIndex.create(D, IndexSpec.parse("Flat"))) {
      index.add(TestVectors.ids(0, base.length), base);
      ConcurrentSearcher searcher =
          new ConcurrentSearcher(index, ConcurrentSearcher.Batching.ALWAYS, 32, 2, 1024);
      assertTrue(searcher.isBatching());
      assertTrue(new ConcurrentSearcher(index).isBatching(), "AUTO batches a flat index");
      ExecutorService pool = Executors.newFixedThreadPool(16);
      List<Future<SearchResult>> answers = new ArrayList<>();
      for (float[] q : queries) {
        answers.add(pool.submit(() -> searcher.search(q, 10, SearchParams.defaults())));
      }
      for (int i = 0; i < queries.length; i++) {
        SearchResult expected = index.search(queries[i], 10);
        assertArrayEquals(expected.ids(), answers.get(i).get(30, TimeUnit.SECONDS).ids());
      }
      pool.shutdown();
    }
  }

  @Test
  void batchedSearcherGivesEachBadQueryItsOwnError() {
    try (VectorIndex index = VectorIndex.create(D, IndexSpec.parse("Flat"))) {
      index.add(TestVectors.ids(0, 10), TestVectors.random(10, D, 3));
      ConcurrentSearcher searcher =
          new ConcurrentSearcher(index, ConcurrentSearcher.Batching.ALWAYS, 8, 1, 64);
      org.junit.jupiter.api.Assertions.assertThrows(io.trident.error.InvalidArgumentException.class,
          () -> searcher.search(new float[D], 0, SearchParams.defaults()));
      // k larger than the index is not bad input (issue 8): the 10 vectors there are come back.
      assertEquals(10, searcher.search(new float[D], 11, SearchParams.defaults()).count());
      org.junit.jupiter.api.Assertions.assertThrows(io.trident.error.DimensionMismatchException.class,
          () -> searcher.search(new float[D + 2], 1, SearchParams.defaults()));
      assertEquals(1, searcher.search(new float[D], 1, SearchParams.defaults()).count());
    }
  }
}

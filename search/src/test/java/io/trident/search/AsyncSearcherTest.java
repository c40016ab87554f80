package io.trident.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.error.ClosedHandleException;
import io.trident.error.DimensionMismatchException;
import io.trident.error.InvalidArgumentException;
import io.trident.error.NonFiniteVectorException;
import io.trident.error.OverloadedException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** searchAsync on real indexes: same answers as a direct search, bounded queue, clean close. */
class AsyncSearcherTest {
  private static final int D = 16;
  private static final int K = 10;
  private static final long SEED = 8_0008L;
  private static final long WAIT_SECONDS = 60;

  private static VectorIndex build(String factory, int n) {
    float[][] base = TestVectors.random(n, D, SEED);
    VectorIndex index = VectorIndex.create(D, IndexSpec.parse(factory));
    if (!index.isTrained()) {
      index.train(base);
    }
    index.add(TestVectors.ids(0, n), base);
    return index;
  }

  @ParameterizedTest
  @ValueSource(strings = {"HNSW16", "Flat", "IVF32,Flat"})
  void twoHundredFiftySixCallersGetWhatADirectSearchReturns(String factory) throws Exception {
    System.out.println("AsyncSearcherTest seed " + SEED);
    int callers = 256;
    int perCaller = 20;
    float[][] queries = TestVectors.random(64, D, SEED + 1);
    BitSet allowed = new BitSet();
    for (int id = 0; id < 5000; id += 7) {
      allowed.set(id);
    }
    SearchParams plain = SearchParams.defaults().withEfSearch(48).withNprobe(8);
    SearchParams filtered = plain.withFilter(IdFilter.ofBitSet(allowed));
    try (VectorIndex index = build(factory, 5000);
        // 16 per batch keeps Flat on the kernel path, so batched answers equal single ones exactly.
        AsyncSearcher async = new AsyncSearcher(index, 2, 16, 1 << 16)) {
      SearchResult[] expectedPlain = index.searchBatch(queries, K, plain);
      SearchResult[] expectedFiltered = index.searchBatch(queries, K, filtered);
      ExecutorService pool = Executors.newFixedThreadPool(callers);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
          int caller = c;
          done.add(pool.submit(() -> {
            start.await();
            for (int i = 0; i < perCaller; i++) {
              int q = (caller * 31 + i) % queries.length;
              boolean useFilter = (caller + i) % 3 == 0;
              SearchResult got = async.searchAsync(queries[q], K, useFilter ? filtered : plain)
                  .get(WAIT_SECONDS, TimeUnit.SECONDS);
              assertArrayEquals((useFilter ? expectedFiltered : expectedPlain)[q].ids(), got.ids(),
                  factory + " query " + q + (useFilter ? " filtered" : ""));
            }
            return null;
          }));
        }
        start.countDown();
        for (Future<?> f : done) {
          f.get(WAIT_SECONDS * 2, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void badArgumentsThrowAtOnce() {
    try (VectorIndex index = build("Flat", 100); AsyncSearcher async = new AsyncSearcher(index)) {
      float[] nan = new float[D];
      nan[3] = Float.NaN;
      assertThrows(DimensionMismatchException.class, () -> async.searchAsync(new float[D + 1], K));
      assertThrows(NonFiniteVectorException.class, () -> async.searchAsync(nan, K));
      assertThrows(InvalidArgumentException.class, () -> async.searchAsync(new float[D], 0));
      assertThrows(NullPointerException.class, () -> async.searchAsync(null, K));
      assertThrows(InvalidArgumentException.class, () -> new AsyncSearcher(index, 0, 1, 1));
    }
  }

  /**
   * Blocks the only worker inside a dependent stage of one of its futures (a stage added before
   * the future completes runs on the worker), so what queues behind it is deterministic.
   */
  private static CompletableFuture<SearchResult> blockTheWorker(AsyncSearcher async, float[] query,
      CountDownLatch release) throws Exception {
    for (int attempt = 0; attempt < 10_000; attempt++) {
      CountDownLatch blocked = new CountDownLatch(1);
      java.util.concurrent.atomic.AtomicReference<Thread> ranOn = new java.util.concurrent.atomic.AtomicReference<>();
      CompletableFuture<SearchResult> future = async.searchAsync(query, K);
      future.thenRun(() -> {
        ranOn.set(Thread.currentThread());
        if (Thread.currentThread().getName().startsWith("trident-search-")) {
          blocked.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      });
      // A stage added to a completed future runs at once, here; then try again.
      if (ranOn.get() != Thread.currentThread()) {
        assertTrue(blocked.await(WAIT_SECONDS, TimeUnit.SECONDS), "worker ran the stage");
        return future;
      }
    }
    throw new AssertionError("could not attach a stage before a search completed");
  }

  @Test
  void fullQueueFailsFastWithOverloadedException() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (VectorIndex index = build("Flat", 20_000); AsyncSearcher async = new AsyncSearcher(index, 1, 1, 4)) {
      float[] query = TestVectors.random(1, D, SEED + 2)[0];
      blockTheWorker(async, query, release);
      List<CompletableFuture<SearchResult>> queued = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        queued.add(async.searchAsync(query, K));
      }
      CompletableFuture<SearchResult> overflow = async.searchAsync(query, K);
      ExecutionException e = assertThrows(ExecutionException.class, () -> overflow.get(1, TimeUnit.SECONDS));
      assertTrue(e.getCause() instanceof OverloadedException, String.valueOf(e.getCause()));
      assertEquals(4, async.queuedQueries());
      release.countDown();
      for (CompletableFuture<SearchResult> f : queued) {
        assertEquals(K, f.get(WAIT_SECONDS, TimeUnit.SECONDS).count());
      }
    }
  }

  @Test
  void closeFailsQueuedSearchesFinishesTheRunningOneAndRefusesNewOnes() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (VectorIndex index = build("Flat", 20_000)) {
      AsyncSearcher async = new AsyncSearcher(index, 1, 1, 1000);
      float[] query = TestVectors.random(1, D, SEED + 3)[0];
      CompletableFuture<SearchResult> running = blockTheWorker(async, query, release);
      List<CompletableFuture<SearchResult>> queued = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        queued.add(async.searchAsync(query, K));
      }
      Thread closer = new Thread(async::close, "closer");
      closer.start();
      for (CompletableFuture<SearchResult> f : queued) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof ClosedHandleException, String.valueOf(e.getCause()));
      }
      release.countDown();
      closer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
      assertTrue(!closer.isAlive(), "close returned");
      assertEquals(K, running.get(WAIT_SECONDS, TimeUnit.SECONDS).count());
      assertThrows(ClosedHandleException.class, () -> async.searchAsync(query, K));
      async.close(); // idempotent
    }
  }

  @Test
  void closeRacingManySubmittersLeavesNoFutureIncomplete() throws Exception {
    try (VectorIndex index = build("HNSW16", 5000)) {
      AsyncSearcher async = new AsyncSearcher(index, 2, 8, 256);
      float[][] queries = TestVectors.random(32, D, SEED + 4);
      List<CompletableFuture<SearchResult>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
      AtomicInteger refused = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(16);
      try {
        List<Future<?>> submitters = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
          submitters.add(pool.submit(() -> {
            for (int i = 0; i < 500; i++) {
              try {
                futures.add(async.searchAsync(queries[i % queries.length], K));
              } catch (ClosedHandleException closed) {
                refused.incrementAndGet();
              }
            }
          }));
        }
        async.close();
        for (Future<?> s : submitters) {
          s.get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      int ok = 0;
      int closed = 0;
      int overloaded = 0;
      for (CompletableFuture<SearchResult> f : futures) {
        try {
          assertEquals(K, f.get(WAIT_SECONDS, TimeUnit.SECONDS).count());
          ok++;
        } catch (ExecutionException e) {
          if (e.getCause() instanceof ClosedHandleException) {
            closed++;
          } else if (e.getCause() instanceof OverloadedException) {
            overloaded++;
          } else {
            throw e;
          }
        }
      }
      System.out.printf("close race: %d answered, %d failed closed, %d overloaded, %d refused%n",
          ok, closed, overloaded, refused.get());
      assertEquals(16 * 500, futures.size() + refused.get());
    }
  }

  @Test
  void indexClosedUnderTheSearcherFailsFuturesWithClosedHandle() throws Exception {
    VectorIndex index = build("Flat", 1000);
    try (AsyncSearcher async = new AsyncSearcher(index)) {
      float[] query = TestVectors.random(1, D, SEED + 5)[0];
      assertEquals(K, async.searchAsync(query, K).get(WAIT_SECONDS, TimeUnit.SECONDS).count());
      index.close();
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> async.searchAsync(query, K).get(WAIT_SECONDS, TimeUnit.SECONDS));
      assertTrue(e.getCause() instanceof ClosedHandleException, String.valueOf(e.getCause()));
    }
  }
}

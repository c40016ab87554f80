package io.trident.bench.demo;

import io.trident.search.SearchResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the seed-000 measurement: at each concurrency level, that many caller threads share one
 * index through a {@link Searcher} (e.g. a ConcurrentSearcher, or an AsyncSearcher whose future
 * the caller waits for) and issue single queries, each waiting for its answer before the next,
 * until the level's query budget or time budget is spent. Latency is what a caller sees, from
 * its call to the answer. One instance per sweep; not thread-safe itself.
 */
public final class ConcurrencySweep {
  /** One caller's blocking search of one query; called from many threads at once. */
  @FunctionalInterface
  public interface Searcher {
    SearchResult search(float[] query);
  }

  /** One row of the seed-000 table. Latencies in milliseconds. */
  public record Level(int callers, int attempted, int succeeded, double qps, double avgMillis,
      double p50Millis, double p95Millis, double p99Millis) {
    public double successPercent() {
      return attempted == 0 ? 0 : 100.0 * succeeded / attempted;
    }
  }

  private final Searcher searcher;
  private final float[][] queries;
  private final int k;

  /** {@code k}: a query succeeds when it returns k hits. */
  public ConcurrencySweep(Searcher searcher, float[][] queries, int k) {
    this.searcher = searcher;
    this.queries = queries;
    this.k = k;
  }

  /**
   * The raw outcome of one level: latencies of queries {@code 0..attempted-1} in
   * {@code latenciesNanos} (in issue order), over {@code seconds} of wall time.
   */
  public record Measured(int callers, int attempted, int succeeded, long[] latenciesNanos,
      double seconds) {
    public Level level() {
      return ConcurrencySweep.level(callers, attempted, succeeded, latenciesNanos, seconds);
    }
  }

  /**
   * Runs {@code queriesPerLevel} queries spread over {@code callers} threads, stopping early at
   * {@code secondsMax}.
   */
  public Level run(int callers, int queriesPerLevel, double secondsMax) throws InterruptedException {
    return measure(callers, queriesPerLevel, secondsMax).level();
  }

  /** As {@link #run}, keeping every latency (for merging levels measured in several processes). */
  public Measured measure(int callers, int queriesPerLevel, double secondsMax)
      throws InterruptedException {
    long[] latenciesNanos = new long[queriesPerLevel];
    AtomicInteger nextQuery = new AtomicInteger();
    AtomicInteger succeeded = new AtomicInteger();
    AtomicInteger attempted = new AtomicInteger();
    long deadline = System.nanoTime() + (long) (secondsMax * 1e9);
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>(callers);
    for (int t = 0; t < callers; t++) {
      Thread thread = new Thread(() -> {
        awaitQuietly(start);
        while (System.nanoTime() < deadline) {
          int i = nextQuery.getAndIncrement(); // indices taken are exactly 0..attempted-1
          if (i >= queriesPerLevel) {
            break;
          }
          attempted.incrementAndGet();
          long begin = System.nanoTime();
          try {
            SearchResult result = searcher.search(queries[i % queries.length]);
            if (result.count() == k) {
              succeeded.incrementAndGet();
            }
          } catch (RuntimeException failure) {
            System.err.println("query " + i + " failed: " + failure);
          }
          latenciesNanos[i] = System.nanoTime() - begin;
        }
      }, "sweep-caller-" + t);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    long begin = System.nanoTime();
    start.countDown();
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis((long) secondsMax + 30));
    }
    double seconds = (System.nanoTime() - begin) / 1e9;
    return new Measured(callers, attempted.get(), succeeded.get(), latenciesNanos, seconds);
  }

  /**
   * The table row for {@code attempted} queries (latencies in {@code latenciesNanos[0..attempted)},
   * in any order; the array is not changed) that took {@code seconds} in all.
   */
  public static Level level(int callers, int attempted, int succeeded, long[] latenciesNanos,
      double seconds) {
    long[] measured = Arrays.copyOf(latenciesNanos, Math.min(attempted, latenciesNanos.length));
    Arrays.sort(measured);
    return new Level(callers, attempted, succeeded, attempted / seconds, mean(measured) / 1e6,
        percentile(measured, 0.50) / 1e6, percentile(measured, 0.95) / 1e6,
        percentile(measured, 0.99) / 1e6);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static double mean(long[] sorted) {
    return sorted.length == 0 ? 0 : Arrays.stream(sorted).average().orElse(0);
  }

  /** Nearest-rank percentile of a sorted array. */
  static double percentile(long[] sorted, double fraction) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(fraction * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
  }
}

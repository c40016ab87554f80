package io.trident.bench.searchtool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Measures a built {@link AnnSystem} the same way for every system: per setting, one pass over
 * all queries gives the results for recall@k; then warm-up passes until {@code warmupSeconds}
 * have passed; then, per thread count, each thread runs the same number of passes over all
 * queries (one query per call, threads starting at different offsets) and QPS is total queries
 * / wall time. Each timed run is repeated {@link #REPEATS} times and the fastest is kept (the
 * least disturbed by other processes on a shared machine); latency percentiles come from the
 * kept run at the smallest thread count. Passes are sized from the warm-up rate so that the
 * repeats last about {@code measureSeconds} in all, between 1 and {@link #PASSES_MAX} each.
 */
public final class SearchMeasurement {
  static final int PASSES_MAX = 1000;
  /** Timed runs per (setting, thread count); the best is reported. */
  public static final int REPEATS = 3;
  private static final int WARMUP_PASSES_MAX = 200;

  private final float[][] queries;
  private final int[][] groundTruth;
  private final int k;
  private final int[] threadCounts;
  private final double warmupSeconds;
  private final double measureSeconds;
  private final double systemWarmupSeconds;

  /**
   * {@code warmupSeconds}: warm-up before each setting; {@code measureSeconds}: target length of
   * each timed run; {@code systemWarmupSeconds}: warm-up of a freshly built system before its
   * first setting (lets the JIT compile the peers' search paths).
   */
  public SearchMeasurement(float[][] queries, int[][] groundTruth, int k, int[] threadCounts,
      double warmupSeconds, double measureSeconds, double systemWarmupSeconds) {
    if (queries.length == 0 || queries.length != groundTruth.length) {
      throw new IllegalArgumentException("need one ground-truth row per query, and queries");
    }
    if (threadCounts.length == 0 || Arrays.stream(threadCounts).anyMatch(t -> t <= 0)) {
      throw new IllegalArgumentException("thread counts must be positive");
    }
    this.queries = queries;
    this.groundTruth = groundTruth;
    this.k = k;
    this.threadCounts = threadCounts.clone();
    this.warmupSeconds = warmupSeconds;
    this.measureSeconds = measureSeconds;
    this.systemWarmupSeconds = systemWarmupSeconds;
  }

  /** Measures every setting of {@code system}, which must be built. */
  public List<MeasuredSetting> measureAll(AnnSystem system, double buildSeconds) {
    warmUp(system);
    List<MeasuredSetting> rows = new ArrayList<>();
    for (SearchSetting setting : system.settings()) {
      rows.add(measure(system, setting, buildSeconds));
    }
    return rows;
  }

  /**
   * Runs passes over the queries at the middle setting of the sweep, single-threaded and then
   * on every thread count, for about {@code systemWarmupSeconds} in all.
   */
  public void warmUp(AnnSystem system) {
    List<SearchSetting> settings = system.settings();
    system.apply(settings.get(settings.size() / 2));
    long startNanos = System.nanoTime();
    int passes = 0;
    while (elapsedSeconds(startNanos) < systemWarmupSeconds / 2 && passes < WARMUP_PASSES_MAX) {
      runPass(system, 0, null, 0);
      passes++;
    }
    int threadsMax = Arrays.stream(threadCounts).max().getAsInt();
    double secondsPerPass = Math.max(1e-9, elapsedSeconds(startNanos) / Math.max(1, passes));
    int threadedPasses = (int) Math.max(1, Math.min(WARMUP_PASSES_MAX,
        systemWarmupSeconds / 2 / secondsPerPass));
    timedRun(system, threadsMax, threadedPasses, false);
  }

  /** Applies {@code setting} to {@code system} and measures it. */
  public MeasuredSetting measure(AnnSystem system, SearchSetting setting, double buildSeconds) {
    system.apply(setting);
    long startNanos = System.nanoTime();
    int[][] results = new int[queries.length][];
    for (int q = 0; q < queries.length; q++) {
      results[q] = system.search(queries[q], k);
    }
    double recall = RecallAtK.compute(results, groundTruth, k);
    int warmupPasses = 1;
    while (elapsedSeconds(startNanos) < warmupSeconds && warmupPasses < WARMUP_PASSES_MAX) {
      runPass(system, 0, null, 0);
      warmupPasses++;
    }
    double secondsPerPass = Math.max(1e-9, elapsedSeconds(startNanos) / warmupPasses);
    int passes = (int) Math.max(1, Math.min(PASSES_MAX,
        Math.ceil(measureSeconds / REPEATS / secondsPerPass)));
    int smallestThreads = Arrays.stream(threadCounts).min().getAsInt();
    double[] qps = new double[threadCounts.length];
    long[] latencies = null;
    for (int i = 0; i < threadCounts.length; i++) {
      boolean keepLatencies = threadCounts[i] == smallestThreads && latencies == null;
      TimedRun run = timedRun(system, threadCounts[i], passes, keepLatencies);
      for (int repeat = 1; repeat < REPEATS; repeat++) {
        TimedRun again = timedRun(system, threadCounts[i], passes, keepLatencies);
        if (again.queriesPerSecond > run.queriesPerSecond) {
          run = again;
        }
      }
      qps[i] = run.queriesPerSecond;
      if (keepLatencies) {
        latencies = run.latenciesNanos;
      }
    }
    Arrays.sort(latencies);
    return new MeasuredSetting(system.name(), system.version(), system.config(), setting,
        buildSeconds, recall, threadCounts.clone(), qps, percentileMicros(latencies, 0.50),
        percentileMicros(latencies, 0.95), percentileMicros(latencies, 0.99));
  }

  private record TimedRun(double queriesPerSecond, long[] latenciesNanos) {}

  private TimedRun timedRun(AnnSystem system, int threads, int passes, boolean keepLatencies) {
    long perThread = (long) passes * queries.length;
    long[][] latencies = new long[threads][];
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int threadIndex = t;
      int offset = (int) ((long) t * queries.length / threads);
      long[] own = keepLatencies ? new long[(int) perThread] : null;
      latencies[t] = own;
      Thread worker = new Thread(() -> {
        ready.countDown();
        try {
          go.await();
          for (int p = 0; p < passes; p++) {
            runPass(system, offset, own, p * queries.length);
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, "search-bench-" + threadIndex);
      worker.start();
      workers.add(worker);
    }
    long startNanos;
    try {
      ready.await();
      startNanos = System.nanoTime();
      go.countDown();
      for (Thread worker : workers) {
        worker.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while measuring", e);
    }
    double seconds = elapsedSeconds(startNanos);
    if (failure.get() != null) {
      throw new IllegalStateException(system.name() + " failed while searching", failure.get());
    }
    long[] merged = null;
    if (keepLatencies) {
      merged = new long[(int) (perThread * threads)];
      for (int t = 0; t < threads; t++) {
        System.arraycopy(latencies[t], 0, merged, (int) (t * perThread), (int) perThread);
      }
    }
    return new TimedRun(perThread * threads / seconds, merged);
  }

  /** One pass over all queries from {@code offset}, recording latencies when asked. */
  private void runPass(AnnSystem system, int offset, long[] latenciesOut, int latencyIndex) {
    int n = queries.length;
    for (int i = 0; i < n; i++) {
      float[] query = queries[(offset + i) % n];
      long before = System.nanoTime();
      int[] found = system.search(query, k);
      long after = System.nanoTime();
      if (found == null) {
        throw new IllegalStateException(system.name() + " returned no result");
      }
      if (latenciesOut != null) {
        latenciesOut[latencyIndex + i] = after - before;
      }
    }
  }

  /** Nearest-rank percentile of sorted nanosecond latencies, in microseconds. */
  static double percentileMicros(long[] sortedNanos, double fraction) {
    int rank = (int) Math.ceil(fraction * sortedNanos.length);
    int index = Math.max(0, Math.min(sortedNanos.length - 1, rank - 1));
    return sortedNanos[index] / 1000.0;
  }

  private static double elapsedSeconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}

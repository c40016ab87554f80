package io.trident.bench.cluster;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The closed-loop client: {@code inflight} independent chains, each issuing its next operation
 * from the completion of its previous one, so exactly {@code inflight} operations are outstanding
 * (one fewer for the instant between a completion and the next issue). No thread per operation:
 * operations are issued on the completion threads of the system. A chain whose operations keep
 * completing synchronously is moved to the driver's own thread after
 * {@link #SYNCHRONOUS_DEPTH_MAX} nested issues, so the stack stays bounded.
 *
 * <p>Chain {@code c} draws keys from its own generator seeded with {@code seed + c} and sends its
 * {@code n}-th operation to member {@code (c + n) % nodeCount}. Completions inside the measure
 * window are counted and their latencies (issue to completion, microseconds) recorded; operations
 * still outstanding {@code drainSecondsMax} after the window are counted as errors. Not reusable:
 * one instance per measurement.
 */
public final class ClosedLoopDriver {
  static final int SYNCHRONOUS_DEPTH_MAX = 32;
  private static final ThreadLocal<int[]> ISSUE_DEPTH = ThreadLocal.withInitial(() -> new int[1]);
  private static final long PROGRESS_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final KvSystem system;
  private final DriverSettings settings;
  private final byte[] value;
  private final Recorder latencyMicros = new Recorder(3);
  private final AtomicLong startedCount = new AtomicLong();
  private final AtomicLong outstandingCount = new AtomicLong();
  private final AtomicLong outstandingMax = new AtomicLong();
  private final AtomicLong measuredCount = new AtomicLong();
  private final AtomicLong measuredErrorCount = new AtomicLong();
  private final CountDownLatch chainsFinished;
  private final ExecutorService bounceExecutor = Executors.newSingleThreadExecutor(runnable -> {
    Thread thread = new Thread(runnable, "closed-loop-bounce");
    thread.setDaemon(true);
    return thread;
  });
  private volatile long warmupEndNanos;
  private volatile long measureEndNanos;
  private List<String> layerLines = List.of();

  public ClosedLoopDriver(KvSystem system, DriverSettings settings) {
    this.system = system;
    this.settings = settings;
    this.chainsFinished = new CountDownLatch(settings.inflight());
    this.value = new byte[settings.valueBytes()];
    new SplittableRandom(settings.seed()).nextBytes(value);
  }

  /** Runs warm-up and measurement, then waits (bounded) for the chains; prints progress. */
  public ClusterResult run() throws InterruptedException {
    long startNanos = System.nanoTime();
    warmupEndNanos = startNanos + secondsToNanos(settings.warmupSeconds());
    measureEndNanos = warmupEndNanos + secondsToNanos(settings.measureSeconds());
    try {
      for (int chain = 0; chain < settings.inflight(); chain++) {
        Chain state = new Chain(chain, new SplittableRandom(settings.seed() + chain));
        issueNext(state);
      }
      sleepUntil(warmupEndNanos, "warm-up");
      long entriesBefore = system.raftEntryCount();
      LayerSample layersBefore = system.sampleLayers();
      sleepUntil(measureEndNanos, "measure");
      long entriesAfter = system.raftEntryCount();
      LayerSample layersAfter = system.sampleLayers();
      if (layersBefore != null && layersAfter != null) {
        layerLines = layersAfter.describeSince(layersBefore, settings.measureSeconds());
      }
      boolean drained = chainsFinished.await(
          secondsToNanos(settings.drainSecondsMax()), TimeUnit.NANOSECONDS);
      long undrained = drained ? 0 : outstandingCount.get();
      return result(entriesBefore, entriesAfter, undrained);
    } finally {
      bounceExecutor.shutdownNow();
    }
  }

  /** The system's per-layer table over the measure window (empty where it has none). */
  public List<String> layerLines() {
    return layerLines;
  }

  /** The most operations that were outstanding at once (for tests). */
  long outstandingMax() {
    return outstandingMax.get();
  }

  /** Operations started over the whole run, warm-up included (for tests). */
  long startedCount() {
    return startedCount.get();
  }

  private void issueNext(Chain chain) {
    int[] depth = ISSUE_DEPTH.get();
    if (depth[0] >= SYNCHRONOUS_DEPTH_MAX) {
      try {
        bounceExecutor.execute(() -> issueNext(chain));
      } catch (RejectedExecutionException e) {
        chainsFinished.countDown(); // the run is over: a completion after the drain timeout
      }
      return;
    }
    depth[0]++;
    try {
      issueOne(chain);
    } finally {
      depth[0]--;
    }
  }

  private void issueOne(Chain chain) {
    long issueNanos = System.nanoTime();
    if (issueNanos - measureEndNanos >= 0
        || startedCount.incrementAndGet() > settings.operationsMax()) {
      chainsFinished.countDown();
      return;
    }
    long outstanding = outstandingCount.incrementAndGet();
    outstandingMax.accumulateAndGet(outstanding, Math::max);
    int nodeIndex = (int) ((chain.index + chain.issued++) % system.nodeCount());
    byte[] key = key(chain.random.nextInt(settings.keySpace()));
    boolean put = chain.random.nextInt(100) < settings.workload().putPercent();
    CompletableFuture<?> future;
    try {
      future = put ? system.put(nodeIndex, key, value) : system.get(nodeIndex, key);
    } catch (RuntimeException e) {
      future = CompletableFuture.failedFuture(e);
    }
    future.whenComplete((result, failure) -> {
      outstandingCount.decrementAndGet();
      record(issueNanos, failure != null || Boolean.FALSE.equals(result));
      issueNext(chain);
    });
  }

  private void record(long issueNanos, boolean failed) {
    long completionNanos = System.nanoTime();
    if (completionNanos - warmupEndNanos < 0 || completionNanos - measureEndNanos >= 0) {
      return;
    }
    if (failed) {
      measuredErrorCount.incrementAndGet();
      return;
    }
    measuredCount.incrementAndGet();
    latencyMicros.recordValue(Math.max(1, (completionNanos - issueNanos) / 1_000));
  }

  /** {@code k} followed by the key number in 10 decimal digits: readable in every system. */
  static byte[] key(int keyNumber) {
    byte[] key = new byte[11];
    key[0] = 'k';
    for (int i = 10, rest = keyNumber; i >= 1; i--, rest /= 10) {
      key[i] = (byte) ('0' + rest % 10);
    }
    return key;
  }

  private void sleepUntil(long deadlineNanos, String phase) throws InterruptedException {
    long nextProgressNanos = System.nanoTime() + PROGRESS_INTERVAL_NANOS;
    while (true) {
      long now = System.nanoTime();
      if (now - deadlineNanos >= 0) {
        return;
      }
      if (now - nextProgressNanos >= 0) {
        System.err.printf("[cluster]   %s %s inflight=%d %s: %d ops started, %d errors%n",
            system.name(), settings.workload().label(), settings.inflight(), phase,
            startedCount.get(), measuredErrorCount.get());
        nextProgressNanos += PROGRESS_INTERVAL_NANOS;
      }
      TimeUnit.NANOSECONDS.sleep(Math.min(deadlineNanos - now, 100_000_000L));
    }
  }

  private ClusterResult result(long entriesBefore, long entriesAfter, long undrained) {
    Histogram histogram = latencyMicros.getIntervalHistogram();
    double seconds = settings.measureSeconds();
    long operations = measuredCount.get();
    double entriesPerSecond = entriesBefore < 0 || entriesAfter < 0 ? Double.NaN
        : (entriesAfter - entriesBefore) / seconds;
    return new ClusterResult(system.name(), settings.workload().label(), settings.inflight(),
        operations / seconds, entriesPerSecond,
        operations == 0 ? 0 : histogram.getMean() / 1_000.0,
        histogram.getValueAtPercentile(50) / 1_000.0,
        histogram.getValueAtPercentile(95) / 1_000.0,
        histogram.getValueAtPercentile(99) / 1_000.0,
        measuredErrorCount.get() + undrained, operations);
  }

  private static long secondsToNanos(double seconds) {
    return (long) (seconds * 1e9);
  }

  /** One chain's state; touched only by the one operation of the chain in flight. */
  private static final class Chain {
    final int index;
    final SplittableRandom random;
    long issued;

    Chain(int index, SplittableRandom random) {
      this.index = index;
      this.random = random;
    }
  }
}

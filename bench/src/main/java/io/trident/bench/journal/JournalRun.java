package io.trident.bench.journal;

import com.alipay.sofa.jraft.entity.LogEntry;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Drives one {@link JournalStore} the way jraft's disk thread does: one appendEntries at a time,
 * each durable before the next. Warm-up first (not recorded), then a timed phase that records
 * each call's latency in an HdrHistogram (1 us .. 60 s, 3 significant digits) and prints progress
 * once a second. Both loops are bounded by time and by {@link #BATCHES_MAX}.
 */
final class JournalRun {
  /** Upper bound on appendEntries calls per phase, whatever the clock says. */
  static final long BATCHES_MAX = 200_000_000L;
  private static final long PROGRESS_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final JournalStore store;
  private final JournalBatchSource batches;
  private final int entryBytes;
  private final PrintStream progress;

  JournalRun(JournalStore store, JournalBatchSource batches, int entryBytes, PrintStream progress) {
    this.store = store;
    this.batches = batches;
    this.entryBytes = entryBytes;
    this.progress = progress;
  }

  JournalResult run(double warmupSeconds, double measureSeconds) {
    long warmupDeadline = System.nanoTime() + secondsToNanos(warmupSeconds);
    for (long i = 0; i < BATCHES_MAX && System.nanoTime() < warmupDeadline; i++) {
      store.append(batches.nextBatch());
    }
    Histogram latencyNanos = new Histogram(TimeUnit.MICROSECONDS.toNanos(1),
        TimeUnit.SECONDS.toNanos(60), 3);
    long syncsBefore = store.syncCount();
    long entries = 0;
    long start = System.nanoTime();
    long deadline = start + secondsToNanos(measureSeconds);
    long nextProgress = start + PROGRESS_INTERVAL_NANOS;
    long now = start;
    for (long i = 0; i < BATCHES_MAX && now < deadline; i++) {
      List<LogEntry> batch = batches.nextBatch(); // built outside the timed call
      long callStart = System.nanoTime();
      store.append(batch);
      now = System.nanoTime();
      latencyNanos.recordValue(Math.max(now - callStart, 1000));
      entries += batch.size();
      if (now >= nextProgress) {
        printProgress(now - start, measureSeconds, entries);
        nextProgress += PROGRESS_INTERVAL_NANOS;
      }
    }
    double measuredSeconds = (now - start) / 1e9;
    return new JournalResult(store.name(), batches.batchSize(), entryBytes, measuredSeconds,
        entries, store.syncCount() - syncsBefore,
        latencyNanos.getValueAtPercentile(50) / 1e3, latencyNanos.getValueAtPercentile(99) / 1e3,
        latencyNanos.getMaxValue() / 1e3);
  }

  private void printProgress(long elapsedNanos, double measureSeconds, long entries) {
    double elapsedSeconds = elapsedNanos / 1e9;
    progress.printf(Locale.ROOT, "  %s batch=%d: %.0f/%.0f s, %.0f entries/s%n", store.name(),
        batches.batchSize(), elapsedSeconds, measureSeconds, entries / elapsedSeconds);
  }

  private static long secondsToNanos(double seconds) {
    return (long) (seconds * 1e9);
  }
}

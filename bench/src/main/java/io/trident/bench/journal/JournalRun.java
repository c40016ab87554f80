package io.trident.bench.journal;

import com.alipay.sofa.jraft.entity.LogEntry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Drives one {@link JournalStore} the way jraft's disk thread does: one appendEntries at a time,
 * each durable before the next. Measurement comes in slices ({@link #measureSlice}) that the tool
 * interleaves across storages, so on a shared, noisy disk every storage sees the same mix of
 * conditions; the slices accumulate into one latency histogram (HdrHistogram, 1 us .. 60 s, 3
 * significant digits) and one entry/sync count. Every loop is bounded by time and by {@link
 * #BATCHES_MAX}. Not thread-safe: one appending thread.
 */
final class JournalRun {
  /** Upper bound on appendEntries calls per warm-up or slice, whatever the clock says. */
  static final long BATCHES_MAX = 200_000_000L;

  private final JournalStore store;
  private final JournalBatchSource batches;
  private final int entryBytes;
  private final DeviceWriteCounter deviceWrites;
  private final PrefixTruncation truncation;
  private final Histogram latencyNanos = new Histogram(TimeUnit.MICROSECONDS.toNanos(1),
      TimeUnit.SECONDS.toNanos(60), 3);
  private long appendCalls;
  private long entries;
  private long syncs;
  private long measuredNanos;
  private long deviceBytes;

  JournalRun(JournalStore store, JournalBatchSource batches, int entryBytes,
      DeviceWriteCounter deviceWrites) {
    this(store, batches, entryBytes, deviceWrites, PrefixTruncation.NONE);
  }

  /** As above; every {@code truncation.everyBatches()}-th call also truncates the log's prefix. */
  JournalRun(JournalStore store, JournalBatchSource batches, int entryBytes,
      DeviceWriteCounter deviceWrites, PrefixTruncation truncation) {
    this.truncation = truncation;
    this.store = store;
    this.batches = batches;
    this.entryBytes = entryBytes;
    this.deviceWrites = deviceWrites;
  }

  /** Appends for {@code seconds} without recording anything. */
  void warmUp(double seconds) {
    long deadline = System.nanoTime() + secondsToNanos(seconds);
    for (long i = 0; i < BATCHES_MAX && System.nanoTime() < deadline; i++) {
      appendAndMaybeTruncate(batches.nextBatch());
    }
  }

  /** Appends for {@code seconds}, recording each call; returns the slice's entries per second. */
  double measureSlice(double seconds) {
    long syncsBefore = store.syncCount();
    long deviceBytesBefore = deviceWrites.bytesWritten();
    long sliceEntries = 0;
    long start = System.nanoTime();
    long deadline = start + secondsToNanos(seconds);
    long now = start;
    for (long i = 0; i < BATCHES_MAX && now < deadline; i++) {
      List<LogEntry> batch = batches.nextBatch(); // built outside the timed call
      long callStart = System.nanoTime();
      appendAndMaybeTruncate(batch);
      now = System.nanoTime();
      latencyNanos.recordValue(Math.max(now - callStart, 1000));
      sliceEntries += batch.size();
    }
    entries += sliceEntries;
    syncs += store.syncCount() - syncsBefore;
    measuredNanos += now - start;
    deviceBytes += Math.max(0, deviceWrites.bytesWritten() - deviceBytesBefore);
    return sliceEntries / ((now - start) / 1e9);
  }

  /** One append, then (every n-th call) the prefix truncation jraft would do after a snapshot. */
  private void appendAndMaybeTruncate(List<LogEntry> batch) {
    store.append(batch);
    long lastIndex = batch.get(batch.size() - 1).getId().getIndex();
    long firstIndexKept = truncation.firstIndexKeptAfter(++appendCalls, lastIndex);
    if (firstIndexKept > 0) {
      store.truncatePrefix(firstIndexKept);
    }
  }

  String storeName() {
    return store.name();
  }

  JournalResult result() {
    return new JournalResult(store.name(), batches.batchSize(), entryBytes, measuredNanos / 1e9,
        entries, syncs, latencyNanos.getValueAtPercentile(50) / 1e3,
        latencyNanos.getValueAtPercentile(99) / 1e3, latencyNanos.getMaxValue() / 1e3,
        deviceWrites.isAvailable() ? deviceBytes : -1);
  }

  private static long secondsToNanos(double seconds) {
    return (long) (seconds * 1e9);
  }
}

package io.trident.bench.journal;

import com.alipay.sofa.jraft.entity.LogEntry;
import java.io.PrintStream;
import java.util.List;

/**
 * One journal under benchmark: jraft's {@code appendEntries} shape, durable on return.
 *
 * <p>Thread rules: one appending thread (jraft's disk thread does the same); {@link #syncCount}
 * may be read from any thread for progress reports.
 */
interface JournalStore extends AutoCloseable {
  /** Short name used in tables, CSV and plots: chronicle, rocksdb, raw-native, raw-filechannel. */
  String name();

  /** Appends the batch and makes it durable before returning. */
  void append(List<LogEntry> batch);

  /** Durability barriers (fsync/fdatasync) issued since open. */
  long syncCount();

  /**
   * Measures this (fresh) store at one batch and entry size: by default a Java loop of {@link
   * #append} calls ({@link JournalRun}); a store whose loop runs natively overrides it.
   */
  default JournalResult measure(int batchSize, int entryBytes, double warmupSeconds,
      double seconds, long seed, PrintStream progress) {
    JournalBatchSource batches = new JournalBatchSource(batchSize, entryBytes, 1, seed);
    return new JournalRun(this, batches, entryBytes, progress).run(warmupSeconds, seconds);
  }

  /** Closes the store; its directory is the caller's to delete. */
  @Override
  void close();
}

package io.trident.bench.journal;

import com.alipay.sofa.jraft.entity.LogEntry;
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

  /**
   * Drops every entry before {@code firstIndexKept}, durably, as jraft's disk thread does after a
   * snapshot. Default: nothing to drop (the raw baseline is a ring that overwrites in place).
   */
  default void truncatePrefix(long firstIndexKept) {}

  /** Durability barriers (fsync/fdatasync) issued since open. */
  long syncCount();

  /** Closes the store; its directory is the caller's to delete. */
  @Override
  void close();
}

package io.trident.internal.node;

import com.alipay.sofa.jraft.entity.LogEntry;
import com.alipay.sofa.jraft.option.LogStorageOptions;
import com.alipay.sofa.jraft.storage.LogStorage;
import java.util.List;

/**
 * A {@link LogStorage} that counts and times {@code appendEntries} (journal write + fdatasync)
 * for {@link io.trident.NodeStats}, delegating everything to the real journal.
 */
final class TimedLogStorage implements LogStorage {
  private final LogStorage journal;
  private final NodeCounters counters;

  TimedLogStorage(LogStorage journal, NodeCounters counters) {
    this.journal = journal;
    this.counters = counters;
  }

  @Override
  public int appendEntries(List<LogEntry> entries) {
    long start = System.nanoTime();
    int written = journal.appendEntries(entries);
    counters.journalAppendNanos.add(System.nanoTime() - start);
    counters.journalAppends.increment();
    counters.journalEntries.add(written);
    return written;
  }

  @Override
  public boolean appendEntry(LogEntry entry) {
    long start = System.nanoTime();
    boolean written = journal.appendEntry(entry);
    counters.journalAppendNanos.add(System.nanoTime() - start);
    counters.journalAppends.increment();
    counters.journalEntries.add(written ? 1 : 0);
    return written;
  }

  @Override
  public boolean init(LogStorageOptions options) {
    return journal.init(options);
  }

  @Override
  public void shutdown() {
    journal.shutdown();
  }

  @Override
  public long getFirstLogIndex() {
    return journal.getFirstLogIndex();
  }

  @Override
  public long getLastLogIndex() {
    return journal.getLastLogIndex();
  }

  @Override
  public LogEntry getEntry(long index) {
    return journal.getEntry(index);
  }

  @Override
  public long getTerm(long index) {
    return journal.getTerm(index);
  }

  @Override
  public boolean truncatePrefix(long firstIndexKept) {
    return journal.truncatePrefix(firstIndexKept);
  }

  @Override
  public boolean truncateSuffix(long lastIndexKept) {
    return journal.truncateSuffix(lastIndexKept);
  }

  @Override
  public boolean reset(long nextLogIndex) {
    return journal.reset(nextLogIndex);
  }
}

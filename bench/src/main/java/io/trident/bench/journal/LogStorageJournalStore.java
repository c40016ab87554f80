package io.trident.bench.journal;

import com.alipay.sofa.jraft.conf.ConfigurationManager;
import com.alipay.sofa.jraft.entity.LogEntry;
import com.alipay.sofa.jraft.entity.codec.v2.LogEntryV2CodecFactory;
import com.alipay.sofa.jraft.option.LogStorageOptions;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.storage.LogStorage;
import com.alipay.sofa.jraft.storage.impl.RocksDBLogStorage;
import io.trident.nativelib.ThreadPlacement;
import io.trident.raftlog.ChronicleLogStorage;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongSupplier;
import net.openhft.chronicle.queue.RollCycles;

/**
 * A jraft {@link LogStorage} driven exactly as jraft's LogManager drives it: initialised with the
 * V2 codec and a configuration manager, fed whole batches through {@code appendEntries}.
 */
final class LogStorageJournalStore implements JournalStore {
  private static final String GROUP_ID = "journal-bench";

  private final String name;
  private final LogStorage storage;
  /** The storage's own fsync counter, or null when every appendEntries is one sync. */
  private final LongSupplier syncCounter;
  private volatile long appendCount; // single writer: the appending thread

  private LogStorageJournalStore(String name, LogStorage storage, LongSupplier syncCounter) {
    this.name = name;
    this.storage = storage;
    this.syncCounter = syncCounter;
  }

  /** Trident's Chronicle log; its own counter reports the fdatasyncs it issued. */
  static LogStorageJournalStore chronicle(Path directory) {
    return chronicle(directory, ThreadPlacement.NONE);
  }

  /** As above, the appending (disk) thread and the zeroing thread placed with {@code placement}. */
  static LogStorageJournalStore chronicle(Path directory, ThreadPlacement placement) {
    ChronicleLogStorage storage =
        new ChronicleLogStorage(directory, RollCycles.FIVE_MINUTELY, placement);
    init(storage, directory);
    return new LogStorageJournalStore("chronicle", storage, storage::syncCount);
  }

  /** jraft's RocksDB log with sync on (RaftOptions default): one synced WAL write per batch. */
  static LogStorageJournalStore rocksDb(Path directory) {
    RaftOptions raftOptions = new RaftOptions();
    raftOptions.setSync(true);
    RocksDBLogStorage storage = new RocksDBLogStorage(directory.toString(), raftOptions);
    init(storage, directory);
    return new LogStorageJournalStore("rocksdb", storage, null);
  }

  private static void init(LogStorage storage, Path directory) {
    LogStorageOptions options = new LogStorageOptions();
    options.setGroupId(GROUP_ID);
    options.setConfigurationManager(new ConfigurationManager());
    options.setLogEntryCodecFactory(LogEntryV2CodecFactory.getInstance());
    if (!storage.init(options)) {
      throw new IllegalStateException("cannot open " + storage.getClass().getSimpleName()
          + " in " + directory);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void append(List<LogEntry> batch) {
    int appended = storage.appendEntries(batch);
    if (appended != batch.size()) {
      throw new IllegalStateException(name + " appended " + appended + " of " + batch.size()
          + " entries");
    }
    appendCount++;
  }

  @Override
  public void truncatePrefix(long firstIndexKept) {
    if (!storage.truncatePrefix(firstIndexKept)) {
      throw new IllegalStateException(name + " failed truncatePrefix(" + firstIndexKept + ")");
    }
  }

  @Override
  public long syncCount() {
    return syncCounter == null ? appendCount : syncCounter.getAsLong();
  }

  /** The log's first index (tests of the truncating mode). */
  long firstIndex() {
    return storage.getFirstLogIndex();
  }

  /** Next index to append: the storage's last index + 1 (1 on an empty log). */
  long nextIndex() {
    return storage.getLastLogIndex() + 1;
  }

  @Override
  public void close() {
    storage.shutdown();
  }
}

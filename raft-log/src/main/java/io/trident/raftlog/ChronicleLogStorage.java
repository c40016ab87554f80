package io.trident.raftlog;

import com.alipay.sofa.jraft.conf.ConfigurationEntry;
import com.alipay.sofa.jraft.conf.ConfigurationManager;
import com.alipay.sofa.jraft.entity.EnumOutter.EntryType;
import com.alipay.sofa.jraft.entity.LogEntry;
import com.alipay.sofa.jraft.entity.LogId;
import com.alipay.sofa.jraft.entity.codec.LogEntryDecoder;
import com.alipay.sofa.jraft.option.LogStorageOptions;
import com.alipay.sofa.jraft.storage.LogStorage;
import com.alipay.sofa.jraft.util.Describer;
import io.trident.error.CorruptFileException;
import io.trident.error.CorruptJournalException;
import io.trident.nativelib.ThreadPlacement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jraft {@link LogStorage} on a Chronicle Queue journal.
 *
 * <p>Every mutation is one journal record made durable by one fdatasync of the current cycle file
 * before the call returns: {@code appendEntries} writes the whole batch as one record (all or
 * nothing after a crash); {@code truncateSuffix}, {@code truncatePrefix} and {@code reset} write
 * marker records (Chronicle is append-only), replayed on open by {@link JournalRecovery}. Prefix
 * truncation and reset also delete whole cycle files that no longer hold anything needed.
 *
 * <p>Placement: with a {@link ThreadPlacement} the thread that mutates (jraft's disk thread, which
 * also waits for and reaps the io_uring completions of its syncs) is placed on its first mutation,
 * and the journal's zeroing thread before each zeroing task; the outcome is logged once.
 *
 * <p>Thread rules: mutations come from jraft's single disk thread (they are also serialized here);
 * {@code getEntry}, {@code getTerm} and the index getters are safe from any number of threads and
 * see a mutation only once it is durable.
 */
public final class ChronicleLogStorage implements LogStorage, Describer {
  private static final Logger LOG = LoggerFactory.getLogger(ChronicleLogStorage.class);
  /** How long Chronicle waits on a document header left incomplete by a crashed writer. */
  private static final long HEADER_RECOVERY_TIMEOUT_MS = 500;

  private final Path directory;
  private final RollCycle rollCycle;
  private final CycleFileSyncer.Factory syncerFactory;
  private final ThreadPlacement diskThreadPlacement;
  private final ReentrantLock mutationLock = new ReentrantLock();
  private final ReentrantReadWriteLock stateLock = new ReentrantReadWriteLock();

  private LogState state = new LogState();
  private LogEntryDecoder decoder;
  private JournalWriter writer;
  private JournalReaderPool readers;
  private CycleFiles cycleFiles;
  private SingleChronicleQueue queue;
  private long corruptRecordsAtOpen;

  /** Journal in {@code directory} rolling a new cycle file every five minutes. */
  public ChronicleLogStorage(Path directory) {
    this(directory, RollCycles.FIVE_MINUTELY);
  }

  /** Journal in {@code directory}; {@code rollCycle} bounds how much prefix truncation can free. */
  public ChronicleLogStorage(Path directory, RollCycle rollCycle) {
    this(directory, rollCycle, ThreadPlacement.NONE);
  }

  /**
   * Journal in {@code directory} whose disk and zeroing threads run under {@code threadPlacement}
   * ({@link ThreadPlacement#NONE}: wherever the OS puts them).
   */
  public ChronicleLogStorage(Path directory, RollCycle rollCycle, ThreadPlacement threadPlacement) {
    this(directory, rollCycle, GroupCommitCycleSyncer.preferredFactory(threadPlacement),
        threadPlacement);
  }

  ChronicleLogStorage(Path directory, RollCycle rollCycle, CycleFileSyncer.Factory syncerFactory) {
    this(directory, rollCycle, syncerFactory, ThreadPlacement.NONE);
  }

  private ChronicleLogStorage(Path directory, RollCycle rollCycle,
      CycleFileSyncer.Factory syncerFactory, ThreadPlacement diskThreadPlacement) {
    this.directory = directory;
    this.rollCycle = rollCycle;
    this.syncerFactory = syncerFactory;
    this.diskThreadPlacement = Objects.requireNonNull(diskThreadPlacement, "threadPlacement");
  }

  /**
   * Opens the journal and replays it; every record it then publishes is durable (recovery
   * fdatasyncs the journal's files and directory first). A torn tail is cut and marked (or, when
   * its header was lost, the journal is rebuilt without it).
   *
   * @return false when the journal cannot be opened (I/O failure; logged)
   * @throws CorruptJournalException when a record before a valid later one is corrupt
   */
  @Override
  public boolean init(LogStorageOptions options) {
    ConfigurationManager configurations = options.getConfigurationManager();
    if (configurations == null || options.getLogEntryCodecFactory() == null) {
      throw new IllegalArgumentException("LogStorageOptions needs a ConfigurationManager and a codec factory");
    }
    mutationLock.lock();
    try {
      if (queue != null) {
        LOG.warn("ChronicleLogStorage in {} is already open", directory);
        return true;
      }
      decoder = options.getLogEntryCodecFactory().decoder();
      Files.createDirectories(directory);
      JournalRecovery.Result replayed = openAndReplay();
      corruptRecordsAtOpen = replayed.corruptRecords;
      readers = new JournalReaderPool(queue);
      writer = new JournalWriter(queue, options.getLogEntryCodecFactory().encoder(), syncerFactory, cycleFiles);
      if (replayed.tornTail != null) {
        writer.writeMarker(LogRecordCodec.TORN_TAIL, replayed.tornTail.recordIndex);
      }
      // What a crashed process wrote may be only in the page cache: durable before anyone sees it.
      int syncedFiles = cycleFiles.makeDurable(syncerFactory);
      for (ConfigurationEntry configuration : replayed.configurations) {
        configurations.add(configuration);
      }
      setState(replayed.state);
      LOG.info("Opened journal {}: log [{}, {}], {} records replayed, {} torn tail records cut, {} files synced, sync by {}",
          directory, replayed.state.first(), replayed.state.last(), replayed.recordsReplayed,
          corruptRecordsAtOpen, syncedFiles, syncerFactory.describe());
      return true;
    } catch (CorruptJournalException e) {
      LOG.error("Refusing to open journal {}", directory, e);
      closeQuietly();
      throw e;
    } catch (IOException | RuntimeException e) {
      LOG.error("Failed to open journal {}", directory, e);
      closeQuietly();
      return false;
    } finally {
      mutationLock.unlock();
    }
  }

  /**
   * Opens the queue and replays it. A torn tail whose header was lost ({@link JournalEndCheck})
   * cannot be appended after in place: the journal is rebuilt without it (the {@link
   * JournalRepair} cut, which then drops only that never acknowledged record) and replayed again.
   */
  private JournalRecovery.Result openAndReplay() throws IOException {
    openQueue();
    try {
      return JournalRecovery.replay(queue, decoder);
    } catch (JournalRecovery.BadRecordException e) {
      if (!e.record.lostTailHeader) {
        throw e;
      }
      queue.close();
      queue = null;
      JournalRepair.Report rebuilt = JournalRepair.repair(directory, false, decoder);
      if (rebuilt.backup != null) {
        JournalRepair.deleteRecursively(rebuilt.backup); // it holds nothing more than that record
      }
      LOG.warn("Journal {}: {} at offset {}: {}; rebuilt the journal without that record ({} records kept, log [{},"
          + " {}])", directory, e.record.file, e.record.offset, e.record.problem, rebuilt.keptRecords, rebuilt.keptFirst,
          rebuilt.keptLast);
      openQueue();
      JournalRecovery.Result replayed = JournalRecovery.replay(queue, decoder);
      replayed.corruptRecords++;
      return replayed;
    }
  }

  private void openQueue() {
    queue = SingleChronicleQueueBuilder.binary(directory)
        .rollCycle(rollCycle)
        .timeoutMS(HEADER_RECOVERY_TIMEOUT_MS)
        .build();
    cycleFiles = new CycleFiles(queue);
  }

  @Override
  public void shutdown() {
    mutationLock.lock();
    stateLock.writeLock().lock();
    try {
      closeQuietly();
    } finally {
      stateLock.writeLock().unlock();
      mutationLock.unlock();
    }
  }

  @Override
  public long getFirstLogIndex() {
    stateLock.readLock().lock();
    try {
      return state.first();
    } finally {
      stateLock.readLock().unlock();
    }
  }

  @Override
  public long getLastLogIndex() {
    stateLock.readLock().lock();
    try {
      return state.last();
    } finally {
      stateLock.readLock().unlock();
    }
  }

  /**
   * The entry at {@code index}, or null outside [first, last]. An entry that fails its checksum or
   * does not decode is logged and returned as null, which jraft reports as a corrupt log (EIO).
   */
  @Override
  public LogEntry getEntry(long index) {
    byte[] payload;
    stateLock.readLock().lock();
    try {
      if (readers == null || index < state.first() || index > state.last()) {
        return null;
      }
      RaftIndexMap records = state.records();
      int slot = records.find(index);
      payload = readers.readPayload(records.recordIndexAt(slot), (int) (index - records.firstRaftIndexAt(slot)));
    } catch (CorruptFileException e) {
      LOG.error("Journal {}: entry {} is unreadable", directory, index, e);
      return null;
    } finally {
      stateLock.readLock().unlock();
    }
    LogEntry entry = decoder.decode(payload);
    if (entry == null) {
      LOG.error("Journal {}: entry {} passed its checksum but does not decode", directory, index);
    }
    return entry;
  }

  @Deprecated
  @Override
  public long getTerm(long index) {
    LogEntry entry = getEntry(index);
    return entry == null ? 0 : entry.getId().getTerm();
  }

  @Override
  public boolean appendEntry(LogEntry entry) {
    return appendEntries(Collections.singletonList(entry)) == 1;
  }

  /** Appends the batch as one durable record: returns its size, or 0 with nothing appended. */
  @Override
  public int appendEntries(List<LogEntry> entries) {
    if (entries == null || entries.isEmpty()) {
      return 0;
    }
    long firstIndex = entries.get(0).getId().getIndex();
    return mutate(0, () -> "appendEntries[" + firstIndex + ", +" + entries.size() + ")", journal -> {
      for (int i = 1; i < entries.size(); i++) {
        if (entries.get(i).getId().getIndex() != firstIndex + i) {
          throw new IllegalArgumentException("batch is not contiguous at position " + i);
        }
      }
      if (!state.canAppendAt(firstIndex)) {
        throw new IllegalArgumentException("does not continue log [" + state.first() + ", " + state.last() + "]");
      }
      long recordIndex = journal.writeEntries(LogRecordCodec.BATCH, entries);
      publish(() -> state.applyBatch(firstIndex, entries.size(), recordIndex));
      return entries.size();
    });
  }

  @Override
  public boolean truncatePrefix(long firstIndexKept) {
    return mutate(false, () -> "truncatePrefix(" + firstIndexKept + ")", journal -> {
      if (firstIndexKept > state.first()) {
        long recordIndex = journal.writeMarker(LogRecordCodec.TRUNCATE_PREFIX, firstIndexKept);
        publish(() -> state.applyTruncatePrefix(firstIndexKept));
        pruneCyclesBefore(recordIndex);
      }
      return true;
    });
  }

  @Override
  public boolean truncateSuffix(long lastIndexKept) {
    return mutate(false, () -> "truncateSuffix(" + lastIndexKept + ")", journal -> {
      if (lastIndexKept < state.last()) {
        journal.writeMarker(LogRecordCodec.TRUNCATE_SUFFIX, lastIndexKept);
        publish(() -> state.applyTruncateSuffix(lastIndexKept));
      }
      return true;
    });
  }

  /**
   * Drops every entry; afterwards first == last == {@code nextLogIndex}, holding the entry that was
   * at that index or, as jraft's RocksDB storage does, a term-0 no-op. One record: atomic.
   */
  @Override
  public boolean reset(long nextLogIndex) {
    if (nextLogIndex <= 0) {
      throw new IllegalArgumentException("Invalid next log index " + nextLogIndex);
    }
    return mutate(false, () -> "reset(" + nextLogIndex + ")", journal -> {
      LogEntry entry = getEntry(nextLogIndex);
      if (entry == null) {
        entry = new LogEntry(EntryType.ENTRY_TYPE_NO_OP);
        entry.setId(new LogId(nextLogIndex, 0));
      }
      long recordIndex = journal.writeEntries(LogRecordCodec.RESET, Collections.singletonList(entry));
      publish(() -> state.applyReset(nextLogIndex, recordIndex));
      pruneCyclesBefore(recordIndex);
      return true;
    });
  }

  /** Torn tail records skipped when the journal was last opened (cut then or by earlier opens). */
  public long corruptRecordsAtOpen() {
    return corruptRecordsAtOpen;
  }

  /**
   * Whether a write or sync failed since open: the journal then refuses every mutation (each
   * returns its failure value, so jraft's LogManager reports EIO and the node stops acknowledging)
   * until it is reopened and recovered.
   */
  public boolean hasFailed() {
    mutationLock.lock();
    try {
      return writer != null && writer.hasFailed();
    } finally {
      mutationLock.unlock();
    }
  }

  /** Cycle files deleted by prefix truncation or reset since open. */
  public long deletedCycleFiles() {
    mutationLock.lock();
    try {
      return cycleFiles == null ? 0 : cycleFiles.deletedFiles();
    } finally {
      mutationLock.unlock();
    }
  }

  /** fdatasync calls since open (one per acknowledged mutation). */
  public long syncCount() {
    mutationLock.lock();
    try {
      return writer == null ? 0 : writer.syncCount();
    } finally {
      mutationLock.unlock();
    }
  }

  /** For jraft's node describe output: journal directory, log range, syncs and recovery counts. */
  @Override
  public void describe(Printer out) {
    out.println("ChronicleLogStorage " + directory + " sync=" + syncerFactory.describe())
        .println("  log [" + getFirstLogIndex() + ", " + getLastLogIndex() + "], syncs=" + syncCount()
            + ", cycle files deleted=" + deletedCycleFiles())
        .println("  at open: torn tail records cut=" + corruptRecordsAtOpen);
  }

  @Override
  public String toString() {
    return "ChronicleLogStorage{" + directory + ", sync=" + syncerFactory.describe() + "}";
  }

  /** One mutation, on the disk thread, with the journal open. */
  @FunctionalInterface
  private interface Mutation<T> {
    T run(JournalWriter journal) throws IOException;
  }

  /**
   * Runs {@code body} serialized with every other mutation; logs and returns {@code failed} on
   * error. Fail closed: any failure but a rejected argument (a disk error, a broken invariant)
   * also makes the writer refuse every later mutation, so jraft, which turns the failure value
   * into EIO, sees each later one fail too until the journal is reopened and recovered.
   */
  private <T> T mutate(T failed, Supplier<String> call, Mutation<T> body) {
    mutationLock.lock();
    try {
      ThreadPlacement.Outcome placed = diskThreadPlacement.applyToCurrentThreadOnce();
      if (placed != null) {
        LOG.info("journal {} disk thread: {}", directory, placed.description());
      }
      if (writer == null) {
        LOG.error("{} on journal {}: not open", call.get(), directory);
        return failed;
      }
      return body.run(writer);
    } catch (IllegalArgumentException e) {
      LOG.error("{} on journal {} rejected", call.get(), directory, e);
      return failed;
    } catch (IOException | RuntimeException e) {
      writer.recordFailure(e);
      LOG.error("{} on journal {} failed; the journal accepts no more writes until reopened", call.get(),
          directory, e);
      return failed;
    } finally {
      mutationLock.unlock();
    }
  }

  private void publish(Runnable transition) {
    stateLock.writeLock().lock();
    try {
      transition.run();
    } finally {
      stateLock.writeLock().unlock();
    }
  }

  private void setState(LogState replayed) {
    stateLock.writeLock().lock();
    try {
      state = replayed;
    } finally {
      stateLock.writeLock().unlock();
    }
  }

  /** Deletes cycle files older than both the oldest live record and {@code markerIndex}. */
  private void pruneCyclesBefore(long markerIndex) throws IOException {
    // Disk thread only, so the state is stable here; readers never touch the cycles deleted (they
    // hold nothing inside [first, last]), so no lock is held while files go.
    RaftIndexMap records = state.records();
    long oldestNeeded = records.isEmpty() ? markerIndex : Math.min(markerIndex, records.oldestRecordIndex());
    int deleted = cycleFiles.deleteCyclesBefore(queue.rollCycle().toCycle(oldestNeeded));
    if (deleted > 0) {
      readers.closeIdle();
      queue.refreshDirectoryListing();
      LOG.info("Journal {}: deleted {} cycle files before index {}", directory, deleted, state.first());
    }
  }

  private void closeQuietly() {
    if (readers != null) {
      readers.close();
      readers = null;
    }
    if (writer != null) {
      writer.close();
      writer = null;
    }
    if (queue != null) {
      queue.close();
      queue = null;
    }
    state = new LogState();
  }
}

package io.trident.raftlog;

import com.alipay.sofa.jraft.entity.LogEntry;
import com.alipay.sofa.jraft.entity.codec.LogEntryEncoder;
import io.trident.error.StorageIoException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends records to the journal and makes each durable before returning: one Chronicle document
 * per record, then one fdatasync of the cycle file holding it (plus one directory fsync when a new
 * cycle file appears). Chronicle's own SyncMode is msync(MS_ASYNC), a no-op on Linux, so
 * durability comes only from here.
 *
 * <p>Chronicle places the document and writes its header through its mmap; the record's body goes
 * into the same file with one pwrite ({@link RecordFileWriter}) before the header is completed.
 * Stores through a shared mmap take a write fault on every page that the last fdatasync left
 * clean (~5 per 18 KiB batch); a pwrite takes none, and the page cache is the same for both, so
 * Chronicle's readers and the fdatasync see the body exactly as if it had been stored.
 *
 * <p>After any write or sync failure the writer refuses further records: after a failed fdatasync
 * the kernel may have dropped the dirty pages, so a later successful sync would prove nothing.
 *
 * <p>Thread rules: the disk thread only (the storage serializes calls).
 */
final class JournalWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);

  private final ExcerptAppender appender;
  private final LogEntryEncoder entryEncoder;
  private final LogRecordCodec.RecordEncoder recordEncoder = new LogRecordCodec.RecordEncoder();
  private final CycleFileSyncer.Factory syncerFactory;
  private final CycleFiles cycleFiles;
  private final RecordFileWriter recordWriter = new RecordFileWriter();
  private final RollCycle rollCycle;
  /** Chronicle writes an index entry (in a page below the record) for sequences 0 mod this. */
  private final long indexSpacing;
  private CycleFileSyncer syncer;
  private int syncerCycle = Integer.MIN_VALUE;
  /** Append position after the last sync of this cycle file: where unsynced records start. */
  private long appendedFrom;
  private long syncCount;
  private Throwable failure;

  JournalWriter(SingleChronicleQueue queue, LogEntryEncoder entryEncoder, CycleFileSyncer.Factory syncerFactory,
      CycleFiles cycleFiles) {
    this.appender = queue.createAppender();
    this.appender.singleThreadedCheckDisabled(true);
    this.entryEncoder = entryEncoder;
    this.syncerFactory = syncerFactory;
    this.cycleFiles = cycleFiles;
    this.rollCycle = queue.rollCycle();
    this.indexSpacing = queue.indexSpacing();
  }

  /** Writes a BATCH or RESET record of {@code entries}; returns its Chronicle index once durable. */
  long writeEntries(byte recordType, List<LogEntry> entries) throws IOException {
    checkHealthy();
    return writeAndSync(recordEncoder.encodeEntries(recordType, entries, entryEncoder));
  }

  /** Writes a TRUNCATE_SUFFIX, TRUNCATE_PREFIX or TORN_TAIL record; returns its Chronicle index once durable. */
  long writeMarker(byte recordType, long raftIndex) throws IOException {
    checkHealthy();
    return writeAndSync(recordEncoder.encodeMarker(recordType, raftIndex));
  }

  long syncCount() {
    return syncCount;
  }

  /** Whether a write or sync failed: then every later record is refused. */
  boolean hasFailed() {
    return failure != null;
  }

  /**
   * Records a disk failure met outside a record write (e.g. the directory fsync after cycle files
   * were deleted): from now on every record is refused, as after a failed fdatasync. The first
   * failure is kept.
   */
  void recordFailure(Throwable cause) {
    if (failure == null) {
      failure = cause;
    }
  }

  @Override
  public void close() {
    try {
      if (syncer != null) {
        syncer.close();
        syncer = null;
      }
    } catch (IOException e) {
      LOG.warn("Failed to close cycle file syncer", e);
    }
    recordWriter.close();
    appender.close();
  }

  private long writeAndSync(int recordBytes) throws IOException {
    try {
      if (syncer != null) {
        syncer.beforeWrite(recordBytes);
      }
      try (DocumentContext document = appender.writingDocument()) {
        try {
          Bytes<?> bytes = document.wire().bytes();
          recordWriter.write(appender.cycle(), appender.currentFile().toPath(),
              recordEncoder.buffer(recordBytes), bytes.writePosition());
          bytes.writeSkip(recordBytes);
        } catch (IOException | RuntimeException e) {
          document.rollbackOnClose();
          throw e;
        }
      }
      long recordIndex = appender.lastIndexAppended();
      syncCycleFile(recordIndex);
      return recordIndex;
    } catch (IOException | RuntimeException | Error e) {
      recordFailure(e);
      throw e;
    }
  }

  /**
   * Makes the record just written durable. Usually only the bytes from {@link #appendedFrom} on
   * are synced: Chronicle's header page, rewritten by every append with a write position that is
   * only a hint (readers and the appender scan forward from it past complete records), is left to
   * the next whole-file sync. The whole file is synced for a new cycle file and whenever Chronicle
   * wrote an index entry for this record (into an index array below it), so the index on disk
   * never misses an entry more than {@link #indexSpacing} records back.
   */
  private void syncCycleFile(long recordIndex) throws IOException {
    int cycle = appender.cycle();
    boolean newCycleFile = cycle != syncerCycle;
    if (newCycleFile) {
      // The roll wrote an end-of-cycle marker into the previous file: make it durable too, so a
      // replay after power loss never stops at a cycle that looks unfinished. That file has no
      // syncer yet when this is the first write since open.
      if (syncer != null) {
        syncer.sync();
        syncer.close();
        syncer = null;
      } else {
        Path previous = cycleFiles.fileBefore(cycle);
        if (previous != null) {
          try (CycleFileSyncer previousSyncer = syncerFactory.open(previous)) {
            previousSyncer.sync();
          }
        }
      }
      syncer = syncerFactory.open(appender.currentFile().toPath());
      syncerCycle = cycle;
      cycleFiles.syncDirectory();
    }
    if (newCycleFile || (rollCycle.toSequenceNumber(recordIndex) & (indexSpacing - 1)) == 0) {
      syncer.sync();
    } else {
      syncer.syncAppended(appendedFrom);
    }
    syncCount++;
    appendedFrom = appender.wire().bytes().writePosition();
    syncer.prepareAhead(appendedFrom);
  }

  private void checkHealthy() {
    if (failure != null) {
      throw new StorageIoException("journal writer failed earlier and accepts no more records", failure);
    }
  }
}

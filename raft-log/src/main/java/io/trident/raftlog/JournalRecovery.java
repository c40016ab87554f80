package io.trident.raftlog;

import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.conf.ConfigurationEntry;
import com.alipay.sofa.jraft.entity.LogEntry;
import com.alipay.sofa.jraft.entity.LogId;
import com.alipay.sofa.jraft.entity.codec.LogEntryDecoder;
import io.trident.error.CorruptJournalException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the logical log by replaying every record of the journal in order.
 *
 * <p>Fail closed: the disk thread acknowledges a record only after it is durable and writes the
 * next one only after that, so after a crash at most one record, the last, can be torn (fail its
 * checksums). That torn tail is cut ({@link Result#tornTail}; the storage then writes a {@link
 * LogRecordCodec#TORN_TAIL} marker naming it, so later replays, which see valid records after it,
 * know it was cut on purpose). Any other bad record (a corrupt record followed by a valid one that
 * is not its marker, two bad records, a batch that does not continue the log) throws {@link
 * CorruptJournalException} naming the file and offset: skipping it would silently drop
 * acknowledged entries. {@link JournalRepair} is the operator's way out.
 */
final class JournalRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(JournalRecovery.class);

  /** What a replay found. */
  static final class Result {
    final LogState state = new LogState();
    /** Configuration entries inside {@code [first, last]}, ascending by index. */
    final List<ConfigurationEntry> configurations = new ArrayList<>();
    long recordsReplayed;
    /** Torn records skipped: the tail cut now and tails cut by earlier recoveries. */
    long corruptRecords;
    /** The torn last record cut by this replay, not yet marked; null when there is none. */
    BadRecord tornTail;
  }

  /** A record that failed its checksums, and where it lies. */
  static final class BadRecord {
    final long recordIndex;
    final String file;
    final long offset;
    final String problem;
    /**
     * A torn tail whose header was lost ({@link JournalEndCheck}): never acknowledged, but the
     * journal cannot be appended to in place; the storage rebuilds it without the record.
     */
    final boolean lostTailHeader;

    BadRecord(long recordIndex, String file, long offset, String problem) {
      this(recordIndex, file, offset, problem, false);
    }

    BadRecord(long recordIndex, String file, long offset, String problem, boolean lostTailHeader) {
      this.recordIndex = recordIndex;
      this.file = file;
      this.offset = offset;
      this.problem = problem;
      this.lostTailHeader = lostTailHeader;
    }

    BadRecordException toException() {
      return new BadRecordException(this);
    }
  }

  /** {@link CorruptJournalException} that also knows the Chronicle index of the bad record. */
  static final class BadRecordException extends CorruptJournalException {
    private static final long serialVersionUID = 1L;
    final transient BadRecord record;

    BadRecordException(BadRecord record) {
      super(record.file, record.offset, record.problem + " (record 0x" + Long.toHexString(record.recordIndex) + ")");
      this.record = record;
    }
  }

  private JournalRecovery() {}

  /**
   * Replays the whole journal.
   *
   * @throws CorruptJournalException on corruption that is not a torn tail
   */
  static Result replay(SingleChronicleQueue queue, LogEntryDecoder decoder) {
    return replay(queue, decoder, Long.MAX_VALUE);
  }

  /**
   * Replays the records before Chronicle index {@code endBefore} (all of them: Long.MAX_VALUE), as
   * the log would be if the journal ended there; {@link JournalRepair} uses it to say what a cut
   * keeps.
   *
   * @throws CorruptJournalException on corruption that is not a torn tail
   */
  static Result replay(SingleChronicleQueue queue, LogEntryDecoder decoder, long endBefore) {
    Result result = new Result();
    TreeMap<Long, ConfigurationEntry> configurations = new TreeMap<>();
    BadRecord pending = null; // a bad record not yet known to be the tail or a marked torn tail
    long lastSeen = -1;
    long lastSeenStart = 0; // file offsets of the last record read
    long lastSeenEnd = 0;
    try (ExcerptTailer tailer = queue.createTailer()) {
      tailer.toStart();
      while (true) {
        try (DocumentContext document = tailer.readingDocument()) {
          if (!document.isPresent() || document.index() >= endBefore) {
            break;
          }
          Bytes<?> bytes = document.wire().bytes();
          long recordIndex = document.index();
          long start = bytes.readPosition();
          long length = bytes.readRemaining();
          boolean firstRecord = lastSeen < 0;
          lastSeen = recordIndex;
          lastSeenStart = start;
          lastSeenEnd = start + length;
          String problem = LogRecordCodec.validate(bytes, start, length);
          if (problem != null) {
            if (pending != null) {
              throw pending.toException();
            }
            pending = badRecord(queue, recordIndex, start, problem);
            continue;
          }
          if (LogRecordCodec.recordType(bytes, start) == LogRecordCodec.TORN_TAIL) {
            if (pending == null && firstRecord && namesPrunedRecord(queue, bytes, start)) {
              continue; // its torn record's cycle file was deleted by a prefix truncation
            }
            if (pending == null || LogRecordCodec.raftIndex(bytes, start) != pending.recordIndex) {
              throw badRecord(queue, recordIndex, start, "torn-tail marker names record 0x"
                  + Long.toHexString(LogRecordCodec.raftIndex(bytes, start)) + ", not a bad record just before it")
                  .toException();
            }
            LOG.info("Journal {}: record 0x{} is a torn tail cut by an earlier recovery", pending.file,
                Long.toHexString(pending.recordIndex));
            result.corruptRecords++;
            pending = null;
            continue;
          }
          if (pending != null) {
            throw pending.toException();
          }
          if (!apply(result.state, configurations, bytes, start, length, recordIndex, decoder)) {
            throw badRecord(queue, recordIndex, start, "record does not continue log ["
                + result.state.first() + ", " + result.state.last() + "]").toException();
          }
          result.recordsReplayed++;
        }
      }
      if (endBefore == Long.MAX_VALUE) {
        JournalEndCheck.check(queue, tailer, lastSeen, lastSeenStart, lastSeenEnd);
      }
    }
    if (pending != null) {
      LOG.warn("Journal {}: cutting torn tail record 0x{} at offset {} ({}); the log ends at the last good entry",
          pending.file, Long.toHexString(pending.recordIndex), pending.offset, pending.problem);
      result.corruptRecords++;
      result.tornTail = pending;
    }
    result.configurations.addAll(configurations.values());
    return result;
  }

  /**
   * Whether the torn-tail marker at {@code start} names a record in a cycle before the journal's
   * first cycle file. The marker goes into the cycle current at the reopen that cut the record,
   * so a prefix truncation can delete the record's cycle file and keep the marker's; the marker is
   * then the first record of the journal.
   */
  private static boolean namesPrunedRecord(SingleChronicleQueue queue, Bytes<?> bytes, long start) {
    long named = LogRecordCodec.raftIndex(bytes, start);
    return named >= 0 && queue.rollCycle().toCycle(named) < queue.firstCycle();
  }

  private static BadRecord badRecord(SingleChronicleQueue queue, long recordIndex, long offset, String problem) {
    return new BadRecord(recordIndex, CycleFiles.fileOf(queue, queue.rollCycle().toCycle(recordIndex)).toString(), offset, problem);
  }

  private static boolean apply(LogState state, TreeMap<Long, ConfigurationEntry> configurations,
      Bytes<?> bytes, long start, long length, long recordIndex, LogEntryDecoder decoder) {
    byte type = LogRecordCodec.recordType(bytes, start);
    long raftIndex = LogRecordCodec.raftIndex(bytes, start);
    switch (type) {
      case LogRecordCodec.BATCH:
        if (!state.canAppendAt(raftIndex)) {
          return false;
        }
        if (state.isEmpty()) {
          configurations.clear();
        }
        configurations.tailMap(raftIndex, true).clear();
        state.applyBatch(raftIndex, LogRecordCodec.entryCount(bytes, start), recordIndex);
        collectConfigurations(configurations, bytes, start, length, decoder);
        return true;
      case LogRecordCodec.RESET:
        state.applyReset(raftIndex, recordIndex);
        configurations.clear();
        collectConfigurations(configurations, bytes, start, length, decoder);
        return true;
      case LogRecordCodec.TRUNCATE_SUFFIX:
        state.applyTruncateSuffix(raftIndex);
        configurations.tailMap(state.last(), false).clear();
        return true;
      case LogRecordCodec.TRUNCATE_PREFIX:
        state.applyTruncatePrefix(raftIndex);
        configurations.headMap(state.first(), false).clear();
        return true;
      default:
        return false;
    }
  }

  private static void collectConfigurations(TreeMap<Long, ConfigurationEntry> configurations,
      Bytes<?> bytes, long start, long length, LogEntryDecoder decoder) {
    int count = LogRecordCodec.entryCount(bytes, start);
    for (int ordinal = 0; ordinal < count; ordinal++) {
      if (!LogRecordCodec.isConfiguration(bytes, start, ordinal)) {
        continue;
      }
      LogEntry entry = decoder.decode(LogRecordCodec.readPayload(bytes, start, length, ordinal));
      if (entry == null) {
        LOG.warn("Undecodable configuration entry at index {}", LogRecordCodec.raftIndex(bytes, start) + ordinal);
        continue;
      }
      ConfigurationEntry conf = new ConfigurationEntry();
      conf.setId(new LogId(entry.getId().getIndex(), entry.getId().getTerm()));
      conf.setConf(new Configuration(entry.getPeers(), entry.getLearners()));
      if (entry.getOldPeers() != null) {
        conf.setOldConf(new Configuration(entry.getOldPeers(), entry.getOldLearners()));
      }
      configurations.put(conf.getId().getIndex(), conf);
    }
  }
}

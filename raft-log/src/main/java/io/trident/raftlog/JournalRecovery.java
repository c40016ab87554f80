package io.trident.raftlog;

import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.conf.ConfigurationEntry;
import com.alipay.sofa.jraft.entity.LogEntry;
import com.alipay.sofa.jraft.entity.LogId;
import com.alipay.sofa.jraft.entity.codec.LogEntryDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the logical log by replaying every record of the journal in order.
 *
 * <p>A record that fails its checksums (torn or corrupt) is skipped and counted; so is a batch that
 * does not continue the log replayed so far (it followed a lost record). Because the disk thread
 * acknowledges a record only after it is durable and writes the next one only after that, a torn
 * record can only be the unacknowledged tail: skipping it cuts the log back to the last good entry.
 * Records written after a recovery continue the cut-back log, so every later replay reaches the
 * same state.
 */
final class JournalRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(JournalRecovery.class);

  /** What a replay found. */
  static final class Result {
    final LogState state = new LogState();
    /** Configuration entries inside {@code [first, last]}, ascending by index. */
    final List<ConfigurationEntry> configurations = new ArrayList<>();
    long recordsReplayed;
    long corruptRecords;
    long discontinuousRecords;
  }

  private JournalRecovery() {}

  static Result replay(ChronicleQueue queue, LogEntryDecoder decoder, String journalName) {
    Result result = new Result();
    TreeMap<Long, ConfigurationEntry> configurations = new TreeMap<>();
    try (ExcerptTailer tailer = queue.createTailer()) {
      tailer.toStart();
      while (true) {
        try (DocumentContext document = tailer.readingDocument()) {
          if (!document.isPresent()) {
            break;
          }
          Bytes<?> bytes = document.wire().bytes();
          long recordIndex = document.index();
          String problem = LogRecordCodec.validate(bytes, bytes.readPosition(), bytes.readRemaining());
          if (problem != null) {
            result.corruptRecords++;
            LOG.warn("Journal {}: skipping corrupt record 0x{} ({}); the log is cut back to the last good entry",
                journalName, Long.toHexString(recordIndex), problem);
            continue;
          }
          if (!apply(result.state, configurations, bytes, bytes.readPosition(), recordIndex, decoder)) {
            result.discontinuousRecords++;
            LOG.warn("Journal {}: skipping record 0x{}: it does not continue log [{}, {}]", journalName,
                Long.toHexString(recordIndex), result.state.first(), result.state.last());
            continue;
          }
          result.recordsReplayed++;
        }
      }
    }
    result.configurations.addAll(configurations.values());
    return result;
  }

  private static boolean apply(LogState state, TreeMap<Long, ConfigurationEntry> configurations,
      Bytes<?> bytes, long start, long recordIndex, LogEntryDecoder decoder) {
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
        collectConfigurations(configurations, bytes, start, decoder);
        return true;
      case LogRecordCodec.RESET:
        state.applyReset(raftIndex, recordIndex);
        configurations.clear();
        collectConfigurations(configurations, bytes, start, decoder);
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
      Bytes<?> bytes, long start, LogEntryDecoder decoder) {
    int count = LogRecordCodec.entryCount(bytes, start);
    for (int ordinal = 0; ordinal < count; ordinal++) {
      if (!LogRecordCodec.isConfiguration(bytes, start, ordinal)) {
        continue;
      }
      LogEntry entry = decoder.decode(LogRecordCodec.readPayload(bytes, start, ordinal));
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

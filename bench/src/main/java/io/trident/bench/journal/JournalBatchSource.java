package io.trident.bench.journal;

import com.alipay.sofa.jraft.entity.EnumOutter.EntryType;
import com.alipay.sofa.jraft.entity.LogEntry;
import com.alipay.sofa.jraft.entity.LogId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Batches of data entries with consecutive indexes, as jraft's LogManager hands them to
 * appendEntries: fresh {@link LogEntry} objects per batch (jraft allocates them per request too),
 * each over its own view (duplicate) of one random payload of {@code entryBytes}. Not thread-safe.
 */
final class JournalBatchSource {
  static final long TERM = 1;

  private final int batchSize;
  private final ByteBuffer payload;
  private long nextIndex;

  JournalBatchSource(int batchSize, int entryBytes, long firstIndex, long seed) {
    if (batchSize <= 0 || entryBytes <= 0) {
      throw new IllegalArgumentException("batchSize and entryBytes must be > 0, got "
          + batchSize + ", " + entryBytes);
    }
    this.batchSize = batchSize;
    byte[] bytes = new byte[entryBytes];
    new SplittableRandom(seed).nextBytes(bytes);
    this.payload = ByteBuffer.wrap(bytes); // heap, like the protobuf-decoded data jraft hands over
    this.nextIndex = firstIndex;
  }

  /** The next batch; indexes continue where the previous batch stopped. */
  List<LogEntry> nextBatch() {
    List<LogEntry> batch = new ArrayList<>(batchSize);
    for (int i = 0; i < batchSize; i++) {
      LogEntry entry = new LogEntry(EntryType.ENTRY_TYPE_DATA);
      entry.setId(new LogId(nextIndex++, TERM));
      entry.setData(payload.duplicate());
      batch.add(entry);
    }
    return batch;
  }

  int batchSize() {
    return batchSize;
  }
}

package io.trident.raftlog;

import io.trident.error.CorruptFileException;
import java.util.concurrent.ConcurrentLinkedDeque;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Random reads of journal entries for any number of threads. A Chronicle tailer is single-threaded,
 * so each read borrows one from a pool (created on demand, at most {@link #IDLE_TAILERS_MAX} kept
 * idle) and gives it back afterwards.
 *
 * <p>Thread rules: {@link #readPayload} is safe from any thread; {@link #close} must not race reads
 * (the storage takes its write lock first).
 */
final class JournalReaderPool implements AutoCloseable {
  static final int IDLE_TAILERS_MAX = 64;

  private final ChronicleQueue queue;
  private final ConcurrentLinkedDeque<ExcerptTailer> idle = new ConcurrentLinkedDeque<>();

  JournalReaderPool(ChronicleQueue queue) {
    this.queue = queue;
  }

  /** Payload of entry {@code ordinal} of the record at Chronicle index {@code recordIndex}. */
  byte[] readPayload(long recordIndex, int ordinal) {
    ExcerptTailer tailer = idle.pollFirst();
    if (tailer == null) {
      tailer = queue.createTailer();
      tailer.singleThreadedCheckDisabled(true);
    }
    try {
      if (!tailer.moveToIndex(recordIndex)) {
        throw new CorruptFileException("journal record 0x" + Long.toHexString(recordIndex) + " is missing");
      }
      try (DocumentContext document = tailer.readingDocument()) {
        if (!document.isPresent()) {
          throw new CorruptFileException("journal record 0x" + Long.toHexString(recordIndex) + " is unreadable");
        }
        Bytes<?> bytes = document.wire().bytes();
        return LogRecordCodec.readPayload(bytes, bytes.readPosition(), bytes.readRemaining(), ordinal);
      }
    } finally {
      if (idle.size() < IDLE_TAILERS_MAX) {
        idle.offerFirst(tailer);
      } else {
        tailer.close();
      }
    }
  }

  /** Closes idle tailers so they release the cycle files they hold (after files were deleted). */
  void closeIdle() {
    close();
  }

  @Override
  public void close() {
    for (ExcerptTailer tailer = idle.pollFirst(); tailer != null; tailer = idle.pollFirst()) {
      tailer.close();
    }
  }
}

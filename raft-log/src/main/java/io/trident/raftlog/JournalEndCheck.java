package io.trident.raftlog;

import io.trident.error.CorruptJournalException;
import java.text.ParseException;
import java.util.function.Function;
import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a replay: did Chronicle's reader reach the end of the journal? The reader stops at the
 * first position without a complete record header, or at the end of a cycle file without its
 * end-of-cycle marker; the appender writes at the write position the cycle file's header page
 * records. Two ways they can disagree after a power cut:
 *
 * <ul>
 *   <li>Records lie past the point the reader stopped (Chronicle's index or a later cycle file
 *       holds them): acknowledged records after a hole, i.e. corruption before the tail, since the
 *       journal makes a record (and a cycle's end marker) durable before it writes the next one.
 *   <li>Nothing valid lies past it, but the write position does: the fdatasync of the last record
 *       was cut short after the header page reached the disk and before the record's first page
 *       did. That record was never acknowledged: a torn tail whose header was lost. Appending as is
 *       would put every later record behind the hole, hidden from all later replays (acknowledged
 *       entries silently lost), so it is reported as {@link JournalRecovery.BadRecord#lostTailHeader} and the
 *       storage rebuilds the journal without it.
 * </ul>
 *
 * Either way the replay throws {@link CorruptJournalException}; the bad record named is the first
 * one not reached, so cutting there keeps exactly what replay reached.
 */
final class JournalEndCheck {
  private static final Logger LOG = LoggerFactory.getLogger(JournalEndCheck.class);
  /** Chronicle's record header: 4 bytes before a record's first byte. */
  private static final int HEADER_BYTES = 4;

  private JournalEndCheck() {}

  /**
   * @param lastSeen Chronicle index of the last record the replay read (-1: none)
   * @param lastSeenStart file offset of its first byte
   * @param lastSeenEnd file offset just past it
   * @throws CorruptJournalException when the reader did not reach the end (see the class comment)
   */
  static void check(SingleChronicleQueue queue, ExcerptTailer tailer, long lastSeen, long lastSeenStart,
      long lastSeenEnd) {
    RollCycle rollCycle = queue.rollCycle();
    long lastWritten;
    try {
      lastWritten = queue.lastIndex();
    } catch (RuntimeException | AssertionError unreadableIndex) {
      throw tornLastCycle(queue, lastSeen, lastSeenEnd, "Chronicle cannot read the index of the last cycle file ("
          + unreadableIndex + ")");
    }
    if (lastSeen >= 0 && rollCycle.toCycle(lastSeen) == queue.lastCycle()) {
      boolean writePositionPastLastRead = writePosition(queue, queue.lastCycle()) > lastSeenStart - HEADER_BYTES;
      if (lastWritten <= lastSeen && !writePositionPastLastRead) {
        return;
      }
      String file = CycleFiles.fileOf(queue, queue.lastCycle()).toString();
      if (lastWritten <= lastSeen + 1 && !readableValidRecord(tailer, lastSeen + 1)) {
        throw new JournalRecovery.BadRecord(lastSeen + 1, file, lastSeenEnd, "torn tail: the header of the last record, never"
            + " acknowledged, was lost while the cycle file's write position after it was kept", true).toException();
      }
      throw unreachable(file, lastSeen, lastSeen + 1, lastSeenEnd, lastWritten);
    }
    if (lastWritten > lastSeen) {
      int stuckCycle = lastSeen < 0 ? queue.firstCycle() : rollCycle.toCycle(lastSeen);
      long firstUnreached = lastSeen < 0 ? rollCycle.toIndex(stuckCycle, 0)
          : rollCycle.toSequenceNumber(lastSeen) + 1 < tailer.excerptsInCycle(stuckCycle) ? lastSeen + 1
          : rollCycle.toIndex(nextCycle(queue, stuckCycle), 0); // the cycle lost its end marker
      throw unreachable(CycleFiles.fileOf(queue, stuckCycle).toString(), lastSeen, firstUnreached, lastSeenEnd,
          lastWritten);
    }
    int lastCycle = queue.lastCycle();
    if (lastCycle >= 0 && (lastSeen < 0 || lastCycle > rollCycle.toCycle(lastSeen))
        && lastDocumentHeaderMissing(queue, lastCycle)) {
      throw tornLastCycle(queue, lastSeen, lastSeenEnd, "the last cycle file holds no readable record, and"
          + " the header of the record its write position names was lost");
    }
  }

  /**
   * Whether the write position in {@code cycle}'s header page names a record whose header is not
   * there (zero). A process killed while it created the file or wrote its first record leaves a
   * complete or recoverable header there, which Chronicle appends after by itself.
   */
  private static boolean lastDocumentHeaderMissing(SingleChronicleQueue queue, int cycle) {
    return readStore(queue, cycle, false, store -> {
      long position = store.writePosition();
      if (position <= 0) {
        return false;
      }
      MappedBytes bytes = store.bytes();
      try {
        return bytes.readVolatileInt(position) == 0;
      } finally {
        bytes.releaseLast();
      }
    });
  }

  /**
   * The last cycle file, past the last record read, holds no record Chronicle can read or index:
   * its header page (write position, index slots) reached the disk and the pages of its first
   * record (index array, record header) did not. Only the last record, never acknowledged, writes
   * there: the journal makes every record durable, with the index pages it wrote, before the
   * next, and a cycle's end marker durable before the next cycle's first record is acknowledged.
   * Appending after it would build on a broken file, so it is a torn tail to rebuild without.
   */
  private static CorruptJournalException tornLastCycle(SingleChronicleQueue queue, long lastSeen, long lastSeenEnd,
      String problem) {
    RollCycle rollCycle = queue.rollCycle();
    int lastCycle = queue.lastCycle();
    boolean sameCycle = lastSeen >= 0 && rollCycle.toCycle(lastSeen) == lastCycle;
    long firstUnreached = sameCycle ? lastSeen + 1 : rollCycle.toIndex(lastCycle, 0);
    return new JournalRecovery.BadRecord(firstUnreached, CycleFiles.fileOf(queue, lastCycle).toString(),
        sameCycle ? lastSeenEnd : 0, "torn tail: " + problem + " after record 0x" + Long.toHexString(lastSeen)
        + "; only the last record, never acknowledged, writes there", true).toException();
  }

  private static CorruptJournalException unreachable(String file, long lastSeen, long firstUnreached, long offset,
      long lastWritten) {
    return new JournalRecovery.BadRecord(firstUnreached, file, offset, "no complete record header after record 0x"
        + Long.toHexString(lastSeen) + ", but the journal holds records up to 0x" + Long.toHexString(lastWritten)
        + ": the records from 0x" + Long.toHexString(firstUnreached) + " on are unreachable", false).toException();
  }

  /** Whether Chronicle's index finds a record at {@code index} that passes validation. */
  private static boolean readableValidRecord(ExcerptTailer tailer, long index) {
    if (!tailer.moveToIndex(index)) {
      return false;
    }
    try (DocumentContext document = tailer.readingDocument()) {
      return document.isPresent() && document.index() == index && LogRecordCodec.validate(document.wire().bytes(),
          document.wire().bytes().readPosition(), document.wire().bytes().readRemaining()) == null;
    }
  }

  /** The write position recorded in {@code cycle}'s file header: where the next append goes. */
  static long writePosition(SingleChronicleQueue queue, int cycle) {
    return readStore(queue, cycle, -1L, SingleChronicleQueueStore::writePosition);
  }

  /** {@code read} of {@code cycle}'s store, opened without creating it; {@code absent} if none. */
  private static <T> T readStore(SingleChronicleQueue queue, int cycle, T absent,
      Function<SingleChronicleQueueStore, T> read) {
    SingleChronicleQueueStore store = queue.storeForCycle(cycle, queue.epoch(), false, null);
    if (store == null) {
      return absent;
    }
    try {
      return read.apply(store);
    } finally {
      queue.closeStore(store);
    }
  }

  /** The first cycle with a file after {@code cycle}; the last cycle when the listing fails. */
  static int nextCycle(SingleChronicleQueue queue, int cycle) {
    try {
      int next = queue.nextCycle(cycle, TailerDirection.FORWARD);
      return next < 0 ? queue.lastCycle() : next;
    } catch (ParseException e) {
      LOG.warn("Cannot list the cycle files after cycle {}; naming the last cycle", cycle, e);
      return queue.lastCycle();
    }
  }
}

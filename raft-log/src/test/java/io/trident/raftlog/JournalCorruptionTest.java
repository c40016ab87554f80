package io.trident.raftlog;

import static io.trident.raftlog.TestEntries.assertSameEntry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.error.CorruptJournalException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Corruption in the middle of the log fails the open instead of silently cutting the log (issue 6,
 * point 3), and {@link JournalRepair} cuts it on request. Seeded (which batch, which entry): the
 * seed is printed; replay with -Dtrident.corruption.seed=N.
 */
class JournalCorruptionTest {
  private static final long ENTRY_SEED = 5;

  @TempDir Path tempDir;
  private final long seed = Long.getLong("trident.corruption.seed", System.nanoTime());
  private final SplittableRandom random = new SplittableRandom(seed);

  private Path journal() {
    return tempDir.resolve("journal");
  }

  /** The journal, opened with a cycle file per second (so a test can make it roll). */
  private ChronicleLogStorage openSecondly() {
    return JournalTestStorage.open(journal(), TestRollCycles.TEST_SECONDLY, FileChannelCycleSyncer.FACTORY);
  }

  @Test
  void flippedByteBeforeAValidRecordFailsInitNamingFileAndOffset() throws Exception {
    System.out.println("JournalCorruptionTest seed=" + seed + " (replay: -Dtrident.corruption.seed=" + seed + ")");
    int batches = 3 + random.nextInt(6);
    long[] lastOfBatch = new long[batches];
    ChronicleLogStorage storage = JournalTestStorage.open(journal(), FileChannelCycleSyncer.FACTORY);
    long last = 0;
    for (int i = 0; i < batches; i++) {
      int count = 1 + random.nextInt(20);
      assertEquals(count, storage.appendEntries(TestEntries.batch(last + 1, count, 1, ENTRY_SEED)));
      last += count;
      lastOfBatch[i] = last;
    }
    storage.shutdown();
    int victim = random.nextInt(batches - 1); // never the last: that would be a torn tail
    long victimFirst = victim == 0 ? 1 : lastOfBatch[victim - 1] + 1;
    long victimEntry = victimFirst + random.nextInt((int) (lastOfBatch[victim] - victimFirst + 1));
    JournalBytes.flipByteOf(journal(), TestEntries.bytes(TestEntries.data(victimEntry, 1, ENTRY_SEED).getData()));
    String context = "seed=" + seed + " batches=" + batches + " victim batch " + victim + " entry " + victimEntry;

    ChronicleLogStorage corrupt = new ChronicleLogStorage(journal(), net.openhft.chronicle.queue.RollCycles.FIVE_MINUTELY,
        FileChannelCycleSyncer.FACTORY);
    CorruptJournalException failure =
        assertThrows(CorruptJournalException.class, () -> corrupt.init(JournalTestStorage.options()), context);
    assertTrue(failure.file().endsWith(".cq4"), failure.file());
    assertTrue(failure.offset() > 0, "offset " + failure.offset());
    assertTrue(failure.getMessage().contains(failure.file()) && failure.getMessage().contains("" + failure.offset()),
        failure.getMessage());

    long kept = victim == 0 ? 0 : lastOfBatch[victim - 1];
    JournalRepair.Report dryRun = JournalRepair.repair(journal(), true);
    assertEquals(batches - victim, dryRun.droppedRecords, context);
    assertEquals(kept, dryRun.keptLast, context);
    assertEquals(last - kept, dryRun.droppedEntries(), context);
    assertNull(dryRun.backup, "a dry run changes nothing");
    JournalRepair.Report report = JournalRepair.repair(journal(), false);
    assertEquals(batches - victim, report.droppedRecords, context);
    assertEquals(last - kept, report.droppedEntries(), "the victim batch and every later one; " + context);
    assertEquals(kept, report.keptLast, context);
    assertTrue(report.backup.toFile().isDirectory(), "original kept in " + report.backup);

    ChronicleLogStorage repaired = JournalTestStorage.open(journal(), FileChannelCycleSyncer.FACTORY);
    try {
      assertEquals(kept, repaired.getLastLogIndex(), context);
      for (long index = 1; index <= kept; index++) {
        assertSameEntry(TestEntries.data(index, 1, ENTRY_SEED), repaired.getEntry(index));
      }
      assertNull(repaired.getEntry(kept + 1));
      assertEquals(3, repaired.appendEntries(TestEntries.batch(kept + 1, 3, 2, ENTRY_SEED)));
    } finally {
      repaired.shutdown();
    }
    assertNull(JournalRepair.repair(journal(), false).firstBad, "a repaired journal is sound");
  }

  /**
   * A cycle file that lost its end-of-cycle marker hides the later cycle files from Chronicle's
   * reader: acknowledged entries there must not vanish silently. The repair keeps what is
   * reachable and counts the entries of the hidden cycles as dropped.
   */
  @Test
  void cycleWithoutEndMarkerBeforeLaterCyclesFailsInitAndRepairKeepsTheReachablePart() throws Exception {
    ChronicleLogStorage storage = openSecondly();
    assertEquals(10, storage.appendEntries(TestEntries.batch(1, 10, 1, ENTRY_SEED)));
    JournalTestStorage.awaitNextSecond();
    assertEquals(5, storage.appendEntries(TestEntries.batch(11, 5, 1, ENTRY_SEED)));
    JournalTestStorage.awaitNextSecond();
    assertEquals(5, storage.appendEntries(TestEntries.batch(16, 5, 1, ENTRY_SEED)));
    storage.shutdown();
    java.util.List<Path> cycles = JournalBytes.cycleFiles(journal());
    assertEquals(3, cycles.size(), "one cycle file per batch: " + cycles);
    JournalBytes.clearEndOfCycleMarker(cycles.get(0), TestEntries.bytes(TestEntries.data(10, 1, ENTRY_SEED).getData()));

    ChronicleLogStorage corrupt = new ChronicleLogStorage(journal(), TestRollCycles.TEST_SECONDLY,
        FileChannelCycleSyncer.FACTORY);
    CorruptJournalException failure =
        assertThrows(CorruptJournalException.class, () -> corrupt.init(JournalTestStorage.options()));
    assertEquals(cycles.get(0).toString(), failure.file(), failure.getMessage());
    assertTrue(failure.offset() > 0, failure.getMessage());

    JournalRepair.Report report = JournalRepair.repair(journal(), false);
    assertEquals(10, report.keptLast);
    assertEquals(2, report.droppedRecords);
    assertEquals(10, report.droppedEntries(), "entries 11..20 of the hidden cycles");
    ChronicleLogStorage repaired = openSecondly();
    try {
      assertEquals(10, repaired.getLastLogIndex());
      assertSameEntry(TestEntries.data(10, 1, ENTRY_SEED), repaired.getEntry(10));
    } finally {
      repaired.shutdown();
    }
  }

  /**
   * A power cut during the last record's fdatasync can keep the cycle file's header page (which
   * records Chronicle's write position, past that record) and lose the record's own pages, its
   * header included. The record was never acknowledged; but appending as is would leave a hole
   * that hides every later record from all later replays. The open rebuilds the journal without
   * it, and what is appended afterwards survives a reopen.
   */
  @Test
  void tornTailWhoseHeaderWasLostIsCutAndLaterAppendsSurvive() throws Exception {
    ChronicleLogStorage storage = JournalTestStorage.open(journal(), FileChannelCycleSyncer.FACTORY);
    assertEquals(40, storage.appendEntries(TestEntries.batch(1, 40, 1, ENTRY_SEED)));
    assertEquals(40, storage.appendEntries(TestEntries.batch(41, 40, 1, ENTRY_SEED)));
    Path cycle = JournalBytes.cycleFiles(journal()).get(0);
    byte[] durable = java.nio.file.Files.readAllBytes(cycle);
    assertEquals(40, storage.appendEntries(TestEntries.batch(81, 40, 1, ENTRY_SEED)));
    storage.shutdown();
    int revertedPages = JournalBytes.revertPagesExceptFirst(cycle, durable);
    assertTrue(revertedPages > 0, "the last record changed no page");

    assertTornTailCutAndLaterAppendsSurvive(() -> JournalTestStorage.open(journal(),
        FileChannelCycleSyncer.FACTORY), 80);
  }

  /**
   * Reopens with {@code open}: the torn last record is cut and counted, entries 1..{@code kept}
   * (term 1) stay, and 5 entries (term 2) appended after the cut survive the next reopen.
   */
  private static void assertTornTailCutAndLaterAppendsSurvive(Supplier<ChronicleLogStorage> open, long kept) {
    ChronicleLogStorage reopened = open.get();
    try {
      assertEquals(kept, reopened.getLastLogIndex(), "the torn record is cut, the acknowledged ones kept");
      assertEquals(1, reopened.corruptRecordsAtOpen());
      assertEquals(5, reopened.appendEntries(TestEntries.batch(kept + 1, 5, 2, ENTRY_SEED)));
    } finally {
      reopened.shutdown();
    }
    ChronicleLogStorage again = open.get();
    try {
      assertEquals(kept + 5, again.getLastLogIndex(), "entries appended after the cut are behind a hole");
      assertSameEntry(TestEntries.data(kept, 1, ENTRY_SEED), again.getEntry(kept));
      assertSameEntry(TestEntries.data(kept + 5, 2, ENTRY_SEED), again.getEntry(kept + 5));
    } finally {
      again.shutdown();
    }
  }

  /**
   * A power cut during the first record's fdatasync of a new cycle file can keep the file's header
   * page (write position, and the index-to-index slot naming the cycle's first index array) and
   * lose the index array's pages, and the record's own pages too or not. Chronicle then cannot
   * read that cycle's index ("Meta data not ready") or finds no record in it. The record was never
   * acknowledged: the open rebuilds the journal without it, and the earlier, acknowledged cycle and
   * later appends survive. TEST_SECONDLY lays a cycle file out as: header and index-to-index array
   * in pages 0-63, the first index array in pages 64-127, records from page 128.
   */
  @ParameterizedTest(name = "record pages kept: {0}")
  @ValueSource(booleans = {false, true})
  void newCycleWhoseIndexArrayWasLostIsCutAndLaterAppendsSurvive(boolean recordPagesKept) throws Exception {
    ChronicleLogStorage storage = openSecondly();
    assertEquals(10, storage.appendEntries(TestEntries.batch(1, 10, 1, ENTRY_SEED)));
    JournalTestStorage.awaitNextSecond();
    assertEquals(5, storage.appendEntries(TestEntries.batch(11, 5, 1, ENTRY_SEED)));
    storage.shutdown();
    java.util.List<Path> cycles = JournalBytes.cycleFiles(journal());
    assertEquals(2, cycles.size(), "one cycle file per batch: " + cycles);
    Path newCycle = cycles.get(1);
    byte[] created = new byte[(int) java.nio.file.Files.size(newCycle)]; // every page was new
    int page = PowerLossFileSystem.PAGE_BYTES;
    int lostPages = JournalBytes.revertPages(newCycle, created, 64 * page, recordPagesKept ? 128 * page
        : Integer.MAX_VALUE);
    assertTrue(lostPages > 0, "the record wrote no index array page");

    assertTornTailCutAndLaterAppendsSurvive(this::openSecondly, 10);
  }

  @Test
  void tornTailIsCutMarkedAndStaysCutAfterLaterAppends() throws Exception {
    ChronicleLogStorage storage = JournalTestStorage.open(journal(), FileChannelCycleSyncer.FACTORY);
    assertEquals(10, storage.appendEntries(TestEntries.batch(1, 10, 1, ENTRY_SEED)));
    assertEquals(10, storage.appendEntries(TestEntries.batch(11, 10, 1, ENTRY_SEED)));
    storage.shutdown();
    JournalBytes.flipByteOf(journal(), TestEntries.bytes(TestEntries.data(20, 1, ENTRY_SEED).getData()));
    for (int open = 1; open <= 3; open++) {
      ChronicleLogStorage reopened = JournalTestStorage.open(journal(), FileChannelCycleSyncer.FACTORY);
      try {
        assertEquals(1, reopened.corruptRecordsAtOpen(), "open " + open);
        assertEquals(10 + 5 * (open - 1), reopened.getLastLogIndex(), "open " + open);
        assertEquals(5, reopened.appendEntries(TestEntries.batch(reopened.getLastLogIndex() + 1, 5, 2, ENTRY_SEED)));
      } finally {
        reopened.shutdown();
      }
    }
  }
  /**
   * The torn-tail marker goes into the cycle current at the reopen, which can be later than the
   * torn record's. A prefix truncation may then delete the torn record's cycle file and keep the
   * marker's: the next open must accept the marker naming a record of a deleted cycle.
   */
  @Test
  void tornTailMarkerOutlivesTheCycleFileOfItsRecord() throws Exception {
    ChronicleLogStorage storage = openSecondly();
    assertEquals(10, storage.appendEntries(TestEntries.batch(1, 10, 1, ENTRY_SEED)));
    assertEquals(10, storage.appendEntries(TestEntries.batch(11, 10, 1, ENTRY_SEED)));
    storage.shutdown();
    JournalBytes.flipByteOf(journal(), TestEntries.bytes(TestEntries.data(20, 1, ENTRY_SEED).getData()));
    Path tornCycle = JournalBytes.cycleFiles(journal()).get(0);
    JournalTestStorage.awaitNextSecond();
    ChronicleLogStorage reopened = openSecondly();
    try {
      assertEquals(1, reopened.corruptRecordsAtOpen());
      assertEquals(5, reopened.appendEntries(TestEntries.batch(11, 5, 2, ENTRY_SEED)));
      assertTrue(reopened.truncatePrefix(12));
    } finally {
      reopened.shutdown();
    }
    assertFalse(java.nio.file.Files.exists(tornCycle), "the torn record's cycle file is deleted");
    ChronicleLogStorage again = openSecondly();
    try {
      assertEquals(12, again.getFirstLogIndex());
      assertEquals(15, again.getLastLogIndex());
      for (long index = 12; index <= 15; index++) {
        assertSameEntry(TestEntries.data(index, 2, ENTRY_SEED), again.getEntry(index));
      }
    } finally {
      again.shutdown();
    }
  }
}

package io.trident.raftlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.error.CorruptJournalException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability across power loss (issue 6, points 1 and 2) with {@link PowerLossFileSystem}. Seeded:
 * the seed is printed; replay with -Dtrident.powerloss.seed=N.
 */
class PowerLossRecoveryTest {
  private static final long ENTRY_SEED = 11;

  @TempDir Path tempDir;
  private final long seed = Long.getLong("trident.powerloss.seed", System.nanoTime());
  private final SplittableRandom random = new SplittableRandom(seed);

  private PowerLossFileSystem fileSystem() {
    System.out.println(getClass().getSimpleName() + " seed=" + seed + " (replay: -Dtrident.powerloss.seed=" + seed + ")");
    return new PowerLossFileSystem(tempDir.resolve("journal"), tempDir.resolve("images"));
  }

  /** Appends random batches after {@code last}; returns the new last index. */
  private long appendBatches(ChronicleLogStorage storage, long last, int batches, long term) {
    for (int i = 0; i < batches; i++) {
      int count = 1 + random.nextInt(64);
      assertEquals(count, storage.appendEntries(TestEntries.batch(last + 1, count, term, ENTRY_SEED)), "seed=" + seed);
      last += count;
    }
    return last;
  }

  /**
   * Point 1: a process dies after writing a batch but before its fdatasync; the restarted journal
   * replays that batch from the page cache and publishes it (a follower may count it toward a
   * quorum), so it must survive the next power cut.
   */
  @Test
  void entriesPublishedByRecoverySurviveTheNextPowerLoss() throws Exception {
    PowerLossFileSystem fileSystem = fileSystem();
    ChronicleLogStorage writer = JournalTestStorage.open(fileSystem.journal(), fileSystem.syncers());
    long acknowledged = appendBatches(writer, 0, 1 + random.nextInt(5), 1);
    fileSystem.failSyncsFrom(1); // the process dies inside the next fdatasync
    int unsynced = 1 + random.nextInt(64);
    assertEquals(0, writer.appendEntries(TestEntries.batch(acknowledged + 1, unsynced, 1, ENTRY_SEED)));
    writer.shutdown();
    fileSystem.healSyncs();

    ChronicleLogStorage restarted = JournalTestStorage.open(fileSystem.journal(), fileSystem.syncers());
    long published = restarted.getLastLogIndex();
    assertEquals(acknowledged + unsynced, published, "recovery replays the batch left in the page cache");
    restarted.shutdown();
    fileSystem.crash(random, 0);

    assertEquals(published, JournalTestStorage.reopenAndCheck(fileSystem.journal(), RollCycles.FIVE_MINUTELY,
        fileSystem.syncers(), published, ENTRY_SEED, "what recovery published was lost at the next power cut; seed="
        + seed));
  }

  /**
   * Point 2 at the sync seam: a failed fdatasync (seeded: which one) fails its batch, and the
   * journal then refuses every mutation (jraft's LogManager turns the short append into EIO and
   * the node stops acknowledging); after a power cut every acknowledged entry is there.
   */
  @Test
  void failedSyncFailsTheBatchAndEveryLaterMutation() throws Exception {
    PowerLossFileSystem fileSystem = fileSystem();
    ChronicleLogStorage storage = JournalTestStorage.open(fileSystem.journal(), fileSystem.syncers());
    long acknowledged = appendBatches(storage, 0, random.nextInt(8), 1);
    fileSystem.failSyncsFrom(1 + random.nextInt(3));
    long last = acknowledged;
    int count;
    while ((count = storage.appendEntries(TestEntries.batch(last + 1, 1 + random.nextInt(64), 1, ENTRY_SEED))) > 0) {
      last += count;
    }
    acknowledged = last;
    assertTrue(storage.hasFailed());
    assertEquals(acknowledged, storage.getLastLogIndex(), "a failed batch is not published");
    assertEquals(0, storage.appendEntries(TestEntries.batch(acknowledged + 1, 1, 1, ENTRY_SEED)));
    assertFalse(storage.truncateSuffix(acknowledged - 1));
    assertFalse(storage.truncatePrefix(2));
    assertFalse(storage.reset(acknowledged + 5));
    storage.shutdown();
    fileSystem.healSyncs();
    fileSystem.crash(random, 0.5);

    JournalTestStorage.reopenAndCheck(fileSystem.journal(), RollCycles.FIVE_MINUTELY, fileSystem.syncers(),
        acknowledged, ENTRY_SEED, "seed=" + seed);
  }

  /**
   * Point 2, a sync that lies (seeded: which one): it reports success but its pages are lost, as
   * when another fdatasync on the same open file consumed the writeback error. Later batches are
   * durable, so after a power cut the lost batch is a hole before valid records: the next open
   * must fail closed naming file and offset, never serve a log silently cut before the hole.
   */
  @Test
  void syncThatLostItsPagesIsFoundAtTheNextOpenNotSilentlyCut() throws Exception {
    PowerLossFileSystem fileSystem = fileSystem();
    ChronicleLogStorage storage = JournalTestStorage.open(fileSystem.journal(), fileSystem.syncers());
    long acknowledgedBeforeLoss = appendBatches(storage, 0, 1 + random.nextInt(4), 1);
    long last = acknowledgedBeforeLoss;
    fileSystem.dropSync(1);
    int lostBatch = 40 + random.nextInt(40); // ~200 bytes per entry: spans whole pages
    assertEquals(lostBatch, storage.appendEntries(TestEntries.batch(last + 1, lostBatch, 1, ENTRY_SEED)));
    last = appendBatches(storage, last + lostBatch, 1 + random.nextInt(4), 1);
    storage.shutdown();
    assertTrue(fileSystem.lostPages() > 0, "the dropped sync lost no page; seed=" + seed);
    fileSystem.crash(random, 0);

    ChronicleLogStorage reopened = new ChronicleLogStorage(fileSystem.journal(), RollCycles.FIVE_MINUTELY,
        fileSystem.syncers());
    CorruptJournalException failure = assertThrows(CorruptJournalException.class,
        () -> reopened.init(JournalTestStorage.options()),
        () -> "the journal opened with log [" + reopened.getFirstLogIndex() + ", " + reopened.getLastLogIndex()
            + "] though it held " + fileSystem.lostPages() + " lost pages; seed=" + seed);
    assertTrue(failure.file().endsWith(".cq4") && failure.offset() > 0, failure.getMessage());
    JournalRepair.Report repair = JournalRepair.repair(fileSystem.journal(), true);
    assertEquals(acknowledgedBeforeLoss, repair.keptLast, "seed=" + seed);
    assertEquals(last - acknowledgedBeforeLoss, repair.droppedEntries(), "the lost batch and every later one; seed=" + seed);
  }

  /**
   * The first roll after a reopen writes Chronicle's end-of-cycle marker into the previous cycle
   * file, which this process has not opened a syncer for: that marker must be made durable before
   * anything in the new cycle is acknowledged, or after a power cut the new cycle is unreachable.
   */
  @Test
  void firstRollAfterReopenMakesThePreviousCyclesEndMarkerDurable() throws Exception {
    PowerLossFileSystem fileSystem = fileSystem();
    ChronicleLogStorage first = JournalTestStorage.open(fileSystem.journal(), TestRollCycles.TEST_SECONDLY,
        fileSystem.syncers());
    long last = appendBatches(first, 0, 1 + random.nextInt(3), 1);
    first.shutdown();
    JournalTestStorage.awaitNextSecond();
    ChronicleLogStorage second = JournalTestStorage.open(fileSystem.journal(), TestRollCycles.TEST_SECONDLY,
        fileSystem.syncers());
    last = appendBatches(second, last, 1 + random.nextInt(3), 1);
    second.shutdown();
    // At least 2: on a loaded machine a run's own appends may also straddle a second.
    int cycleFiles = JournalBytes.cycleFiles(fileSystem.journal()).size();
    assertTrue(cycleFiles >= 2, "the second run rolled to a new cycle: " + cycleFiles + " cycle files");
    fileSystem.crash(random, 0);

    assertEquals(last, JournalTestStorage.reopenAndCheck(fileSystem.journal(), TestRollCycles.TEST_SECONDLY,
        fileSystem.syncers(), last, ENTRY_SEED, "the new cycle is unreachable; seed=" + seed));
  }
}

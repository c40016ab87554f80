package io.trident.raftlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records made durable by {@link CycleFileSyncer#syncAppended} (a sync of the records' own pages
 * only, without Chronicle's header page) survive power cuts below the page cache ({@link
 * FusePowerLossFileSystem}): after each cut the header page on disk may lag the last record by up
 * to Chronicle's index spacing (256 records here), so recovery, the reader and the appender must
 * all find the records past its write position. Every acknowledged entry must read back after
 * each cut, and appends after a recovery must land after them (checked by the next cut).
 * Seeded: batch counts and sizes, which unsynced pages the cut keeps; seed printed, replay with
 * -Dtrident.powerloss.seed=N.
 */
class AppendedRangeSyncPowerLossTest {
  @TempDir Path tempDir;
  private final long seed = Long.getLong("trident.powerloss.seed", System.nanoTime());

  @Test
  void recordsSyncedWithoutTheHeaderPageSurviveRepeatedPowerCuts() throws Exception {
    System.out.println("AppendedRangeSyncPowerLossTest seed=" + seed
        + " (replay: -Dtrident.powerloss.seed=" + seed + ")");
    SplittableRandom random = new SplittableRandom(seed);
    try (FusePowerLossFileSystem fuse =
        FusePowerLossFileSystem.mount(tempDir.resolve("mnt"), tempDir.resolve("fuse"))) {
      Path journal = fuse.root().resolve("journal");
      AtomicLong rangeSyncs = new AtomicLong();
      long[] appendPositions = new long[2]; // [0]: end of the record before the last, [1]: last
      CycleFileSyncer.Factory syncers =
          counting(GroupCommitCycleSyncer.preferredFactory(), rangeSyncs, appendPositions);
      long acknowledged = 0;
      for (int cut = 0; cut < 3; cut++) {
        // Enough batches to cross an index-spacing boundary (a whole-file sync) on the first round.
        int batches = (cut == 0 ? 300 : 20) + random.nextInt(40);
        ChronicleLogStorage storage = JournalTestStorage.open(journal, syncers);
        try {
          assertEquals(acknowledged, storage.getLastLogIndex(),
              "log end after recovery; seed=" + seed);
          for (int b = 0; b < batches; b++) {
            int count = 1 + random.nextInt(4);
            assertEquals(count,
                storage.appendEntries(TestEntries.batch(acknowledged + 1, count, 1, seed)));
            acknowledged += count;
          }
        } finally {
          storage.shutdown();
        }
        boolean loseAllUnsynced = cut == 0 || random.nextBoolean();
        fuse.crashAndRemount(seed + cut, loseAllUnsynced ? 0 : 0.5);
        if (loseAllUnsynced) {
          // The scenario under test: the header page on disk names an earlier record as the last.
          long headerWritePosition = headerWritePosition(journal);
          assertTrue(headerWritePosition < appendPositions[0], "header write position "
              + headerWritePosition + " lags the last record at " + appendPositions[0]
              + "; seed=" + seed);
        }
        JournalTestStorage.reopenAndCheck(journal, RollCycles.FIVE_MINUTELY, syncers, acknowledged,
            seed,
            "after power cut " + (cut + 1) + "; seed=" + seed);
      }
      assertTrue(rangeSyncs.get() > 300, "records were synced by range: " + rangeSyncs.get());
    }
  }

  private static long headerWritePosition(Path journal) {
    try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(journal)
        .rollCycle(RollCycles.FIVE_MINUTELY).readOnly(true).build()) {
      return JournalEndCheck.writePosition(queue, queue.lastCycle());
    }
  }

  /**
   * {@code real}'s syncers, counting the {@link CycleFileSyncer#syncAppended} calls and keeping the
   * last two append positions passed to {@link CycleFileSyncer#prepareAhead}.
   */
  private static CycleFileSyncer.Factory counting(CycleFileSyncer.Factory real,
      AtomicLong rangeSyncs, long[] appendPositions) {
    return new CycleFileSyncer.Factory() {
      @Override
      public CycleFileSyncer open(Path cycleFile) throws IOException {
        return new ForwardingCycleFileSyncer(real.open(cycleFile)) {
          @Override
          public void syncAppended(long appendedFrom) throws IOException {
            rangeSyncs.incrementAndGet();
            super.syncAppended(appendedFrom);
          }

          @Override
          public void prepareAhead(long appendPosition) throws IOException {
            appendPositions[0] = appendPositions[1];
            appendPositions[1] = appendPosition;
            super.prepareAhead(appendPosition);
          }
        };
      }

      @Override
      public String describe() {
        return real.describe();
      }
    };
  }
}

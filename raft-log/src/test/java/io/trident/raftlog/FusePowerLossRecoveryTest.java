package io.trident.raftlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, point 1 below the page cache ({@link FusePowerLossFileSystem}): a process dies between
 * writing a batch and its fdatasync ({@link HaltBeforeSyncProcess}); the restarted journal
 * replays that batch from the page cache and publishes it (a follower may count it toward a
 * quorum), so it must survive the next power cut. Seeded: how many batches, their sizes; seed
 * printed, replay with -Dtrident.powerloss.seed=N.
 */
class FusePowerLossRecoveryTest {
  @TempDir Path tempDir;
  private final long seed = Long.getLong("trident.powerloss.seed", System.nanoTime());

  @Test
  void batchPublishedByRecoverySurvivesThePowerCutAfterIt() throws Exception {
    System.out.println("FusePowerLossRecoveryTest seed=" + seed + " (replay: -Dtrident.powerloss.seed=" + seed + ")");
    try (FusePowerLossFileSystem fuse = FusePowerLossFileSystem.mount(tempDir.resolve("mnt"), tempDir.resolve("fuse"))) {
      Path journal = fuse.root().resolve("journal");
      int batches = 1 + (int) Long.remainderUnsigned(seed, 8);
      File stdout = tempDir.resolve("child.stdout").toFile();
      Process child = new ProcessBuilder(ChronicleLogStorageCrashTest.childCommand(HaltBeforeSyncProcess.class,
          journal.toString(), Long.toString(seed), Integer.toString(batches)))
          .redirectOutput(stdout).redirectError(tempDir.resolve("child.stderr").toFile()).start();
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not halt");
      List<String> lines = Files.readAllLines(stdout.toPath());
      String halt = lines.get(lines.size() - 1);
      assertTrue(halt.startsWith("HALT "), "child output: " + lines + "; stderr in " + tempDir);
      long unsyncedLast = Long.parseLong(halt.substring(5));

      ChronicleLogStorage restarted = JournalTestStorage.open(journal, GroupCommitCycleSyncer.preferredFactory());
      long published = restarted.getLastLogIndex();
      restarted.shutdown();
      assertEquals(unsyncedLast, published, "recovery replays the batch left in the page cache; seed=" + seed);
      fuse.crashAndRemount(seed, 0);

      assertEquals(published, JournalTestStorage.reopenAndCheck(journal, RollCycles.FIVE_MINUTELY,
          GroupCommitCycleSyncer.preferredFactory(), published, seed,
          "entries recovery published were lost at the next power cut; seed=" + seed));
    }
  }
}

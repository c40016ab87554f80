package io.trident.raftlog;

import com.alipay.sofa.jraft.storage.LogStorage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import net.openhft.chronicle.queue.RollCycles;

/**
 * The contract with a power cut at every reopen ({@link PowerLossFileSystem}): whatever the
 * contract expects to survive a reopen must have been made durable, not just left in the page
 * cache. Torn pages are kept at random (seed printed; replay with -Dtrident.powerloss.seed=N).
 */
class ChronicleLogStoragePowerLossContractTest extends LogStorageContractTest {
  private static final double UNSYNCED_PAGE_KEEP_PROBABILITY = 0.5;
  private final long seed = Long.getLong("trident.powerloss.seed", System.nanoTime());
  private final SplittableRandom random = new SplittableRandom(seed);
  private PowerLossFileSystem fileSystem;

  @Override
  protected LogStorage newStorage(Path directory) {
    if (fileSystem == null) {
      System.out.println("ChronicleLogStoragePowerLossContractTest seed=" + seed
          + " (replay: -Dtrident.powerloss.seed=" + seed + ")");
      fileSystem = new PowerLossFileSystem(directory, tempDir.resolve("durable-images"));
    }
    return new ChronicleLogStorage(directory, RollCycles.FIVE_MINUTELY, fileSystem.syncers());
  }

  @Override
  protected void afterShutdown() throws IOException {
    fileSystem.crash(random, UNSYNCED_PAGE_KEEP_PROBABILITY);
  }
}

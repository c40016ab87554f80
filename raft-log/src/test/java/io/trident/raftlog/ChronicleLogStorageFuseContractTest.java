package io.trident.raftlog;

import com.alipay.sofa.jraft.storage.LogStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;

/**
 * The contract on {@link FusePowerLossFileSystem} with a power cut at every reopen: whatever the
 * contract expects to survive a reopen must have reached the disk through an fdatasync, with
 * half of the unsynced pages kept at random (seed printed; replay with -Dtrident.powerloss.seed=N).
 * The journal syncs as in production (io_uring group commit).
 */
class ChronicleLogStorageFuseContractTest extends LogStorageContractTest {
  private static final double UNSYNCED_PAGE_KEEP_PROBABILITY = 0.5;
  private final long seed = Long.getLong("trident.powerloss.seed", System.nanoTime());
  private long crashes;
  private FusePowerLossFileSystem fileSystem;

  @Override
  protected LogStorage newStorage(Path directory) {
    if (fileSystem == null) {
      System.out.println("ChronicleLogStorageFuseContractTest seed=" + seed + " (replay: -Dtrident.powerloss.seed="
          + seed + ")");
      try {
        fileSystem = FusePowerLossFileSystem.mount(directory, tempDir.resolve("fuse"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return new ChronicleLogStorage(directory);
  }

  @Override
  protected void afterShutdown() throws IOException {
    try {
      fileSystem.crashAndRemount(seed + crashes++, UNSYNCED_PAGE_KEEP_PROBABILITY);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Shuts the storage down (the contract's close), then unmounts. */
  @Override
  @AfterEach
  void close() {
    super.close();
    try {
      if (fileSystem != null) {
        fileSystem.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

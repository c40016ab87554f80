package io.trident.raftlog;

import com.alipay.sofa.jraft.storage.LogStorage;
import java.nio.file.Path;
import net.openhft.chronicle.queue.RollCycles;

/** The contract again with the fallback syncer (FileChannel.force) used when native is absent. */
class ChronicleLogStorageFdatasyncContractTest extends LogStorageContractTest {
  @Override
  protected LogStorage newStorage(Path directory) {
    return new ChronicleLogStorage(directory, RollCycles.FIVE_MINUTELY, FileChannelCycleSyncer.FACTORY);
  }
}

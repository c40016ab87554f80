package io.trident.raftlog;

import com.alipay.sofa.jraft.storage.LogStorage;
import java.nio.file.Path;

class ChronicleLogStorageContractTest extends LogStorageContractTest {
  @Override
  protected LogStorage newStorage(Path directory) {
    return new ChronicleLogStorage(directory);
  }
}

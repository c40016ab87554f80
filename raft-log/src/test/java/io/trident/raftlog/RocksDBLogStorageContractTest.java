package io.trident.raftlog;

import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.storage.LogStorage;
import com.alipay.sofa.jraft.storage.impl.RocksDBLogStorage;
import java.nio.file.Path;

/** The reference: jraft's own RocksDB storage (sync on) must pass the same contract. */
class RocksDBLogStorageContractTest extends LogStorageContractTest {
  @Override
  protected LogStorage newStorage(Path directory) {
    return new RocksDBLogStorage(directory.toString(), new RaftOptions());
  }
}

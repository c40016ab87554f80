package io.trident.raftlog;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.alipay.sofa.jraft.conf.ConfigurationManager;
import com.alipay.sofa.jraft.entity.codec.v2.LogEntryV2CodecFactory;
import com.alipay.sofa.jraft.option.LogStorageOptions;
import java.nio.file.Path;
import net.openhft.chronicle.queue.RollCycles;

/** Opens journals for the power-loss and corruption tests. */
final class JournalTestStorage {
  private JournalTestStorage() {}

  /** Options with a fresh configuration manager and jraft's v2 codec. */
  static LogStorageOptions options() {
    LogStorageOptions options = new LogStorageOptions();
    options.setConfigurationManager(new ConfigurationManager());
    options.setLogEntryCodecFactory(LogEntryV2CodecFactory.getInstance());
    return options;
  }

  /** An initialized journal in {@code directory} syncing through {@code syncers}. */
  static ChronicleLogStorage open(Path directory, CycleFileSyncer.Factory syncers) {
    ChronicleLogStorage storage = new ChronicleLogStorage(directory, RollCycles.FIVE_MINUTELY, syncers);
    assertTrue(storage.init(options()), "init " + directory);
    return storage;
  }
}

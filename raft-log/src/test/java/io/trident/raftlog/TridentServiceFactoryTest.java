package io.trident.raftlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.alipay.sofa.jraft.conf.ConfigurationManager;
import com.alipay.sofa.jraft.entity.codec.v2.LogEntryV2CodecFactory;
import com.alipay.sofa.jraft.option.LogStorageOptions;
import com.alipay.sofa.jraft.option.RaftMetaStorageOptions;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.storage.LogStorage;
import com.alipay.sofa.jraft.storage.RaftMetaStorage;
import io.trident.error.InvalidArgumentException;
import io.trident.raftlog.meta.LmdbRaftMetaStorage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The factory hands jraft Trident's storages, each working in the directory jraft names. */
class TridentServiceFactoryTest {
  @TempDir Path directory;

  private final TridentServiceFactory factory = new TridentServiceFactory();

  @Test
  void createsChronicleLogStorageInTheLogUri() {
    LogStorage storage = factory.createLogStorage(directory.resolve("log").toString(),
        new RaftOptions());
    assertInstanceOf(ChronicleLogStorage.class, storage);
    LogStorageOptions options = new LogStorageOptions();
    options.setConfigurationManager(new ConfigurationManager());
    options.setLogEntryCodecFactory(factory.createLogEntryCodecFactory());
    assertTrue(storage.init(options));
    assertEquals(1, storage.getFirstLogIndex());
    assertEquals(0, storage.getLastLogIndex());
    storage.shutdown();
    assertTrue(directory.resolve("log").toFile().isDirectory());
  }

  @Test
  void createsLmdbMetaStorageInTheRaftMetaUri() {
    RaftMetaStorage storage = factory.createRaftMetaStorage(directory.resolve("meta").toString(),
        new RaftOptions());
    assertInstanceOf(LmdbRaftMetaStorage.class, storage);
    assertTrue(storage.init(new RaftMetaStorageOptions()));
    assertTrue(storage.setTerm(3));
    storage.shutdown();
    assertTrue(directory.resolve("meta").resolve(LmdbRaftMetaStorage.ENV_DIRECTORY_NAME)
        .toFile().isDirectory());
  }

  @Test
  void keepsJraftsDefaultCodec() {
    assertInstanceOf(LogEntryV2CodecFactory.class, factory.createLogEntryCodecFactory());
  }

  @Test
  void blankUrisAreRejected() {
    assertThrows(InvalidArgumentException.class,
        () -> factory.createLogStorage(" ", new RaftOptions()));
    assertThrows(InvalidArgumentException.class,
        () -> factory.createRaftMetaStorage(null, new RaftOptions()));
  }
}

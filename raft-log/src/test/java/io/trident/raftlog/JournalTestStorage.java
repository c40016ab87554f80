package io.trident.raftlog;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.alipay.sofa.jraft.conf.ConfigurationManager;
import com.alipay.sofa.jraft.entity.codec.v2.LogEntryV2CodecFactory;
import com.alipay.sofa.jraft.option.LogStorageOptions;
import java.nio.file.Path;
import net.openhft.chronicle.queue.RollCycle;
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
    return open(directory, RollCycles.FIVE_MINUTELY, syncers);
  }

  /** As {@link #open(Path, CycleFileSyncer.Factory)}, rolling cycle files by {@code rollCycle}. */
  static ChronicleLogStorage open(Path directory, RollCycle rollCycle, CycleFileSyncer.Factory syncers) {
    ChronicleLogStorage storage = new ChronicleLogStorage(directory, rollCycle, syncers);
    assertTrue(storage.init(options()), "init " + directory);
    return storage;
  }

  /**
   * Reopens the journal in {@code directory} and checks that entries 1..{@code acknowledged} are
   * all there, byte for byte ({@link TestEntries#data}(index, 1, entrySeed)); returns the last
   * index it holds.
   */
  static long reopenAndCheck(Path directory, RollCycle rollCycle, CycleFileSyncer.Factory syncers, long acknowledged,
      long entrySeed, String context) {
    ChronicleLogStorage storage = open(directory, rollCycle, syncers);
    try {
      long last = storage.getLastLogIndex();
      assertTrue(last >= acknowledged, "entries up to " + acknowledged + " were acknowledged or published, the log"
          + " now ends at " + last + "; " + context);
      for (long index = 1; index <= acknowledged; index++) {
        TestEntries.assertSameEntry(TestEntries.data(index, 1, entrySeed), storage.getEntry(index));
      }
      return last;
    } finally {
      storage.shutdown();
    }
  }

  /** Waits (at most 1.5 s) until the wall clock enters the next second: the next TEST_SECONDLY cycle. */
  static void awaitNextSecond() throws InterruptedException {
    long second = System.currentTimeMillis() / 1000;
    for (int wait = 0; wait < 150 && System.currentTimeMillis() / 1000 == second; wait++) {
      Thread.sleep(10);
    }
  }
}

package io.trident.raftlog;

import static io.trident.raftlog.TestEntries.assertSameEntry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.alipay.sofa.jraft.conf.ConfigurationManager;
import com.alipay.sofa.jraft.entity.LogEntry;
import com.alipay.sofa.jraft.entity.codec.v2.LogEntryV2CodecFactory;
import com.alipay.sofa.jraft.option.LogStorageOptions;
import com.alipay.sofa.jraft.util.Describer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link ChronicleLogStorage} promises beyond the shared LogStorage contract. */
class ChronicleLogStorageTest {
  private static final long SEED = 7;

  @TempDir Path tempDir;
  private ChronicleLogStorage storage;
  private ConfigurationManager configurations;

  @AfterEach
  void close() {
    if (storage != null) {
      storage.shutdown();
    }
  }

  private Path journal() {
    return tempDir.resolve("journal");
  }

  private void open(RollCycle rollCycle) {
    if (storage != null) {
      storage.shutdown();
    }
    storage = new ChronicleLogStorage(journal(), rollCycle);
    configurations = new ConfigurationManager();
    LogStorageOptions options = new LogStorageOptions();
    options.setConfigurationManager(configurations);
    options.setLogEntryCodecFactory(LogEntryV2CodecFactory.getInstance());
    assertTrue(storage.init(options));
  }

  private void append(long firstIndex, int count, long term) {
    assertEquals(count, storage.appendEntries(TestEntries.batch(firstIndex, count, term, SEED)));
  }

  @Test
  void eachBatchIsOneDurabilityBarrier() {
    open(RollCycles.FIVE_MINUTELY);
    append(1, 128, 1);
    append(129, 128, 1);
    assertTrue(storage.appendEntry(TestEntries.data(257, 1, SEED)));
    assertEquals(3, storage.syncCount());
  }

  @Test
  void describeReportsRangeAndSyncs() {
    open(RollCycles.FIVE_MINUTELY);
    append(1, 5, 1);
    StringWriter text = new StringWriter();
    storage.describe(new Describer.DefaultPrinter(new PrintWriter(text, true)));
    assertTrue(text.toString().contains("log [1, 5], syncs=1"), text.toString());
  }

  @Test
  void nonContiguousBatchIsRejectedWhole() {
    open(RollCycles.FIVE_MINUTELY);
    append(1, 3, 1);
    List<LogEntry> gapped = new ArrayList<>(TestEntries.batch(4, 2, 1, SEED));
    gapped.add(TestEntries.data(7, 1, SEED));
    assertEquals(0, storage.appendEntries(gapped));
    assertEquals(0, storage.appendEntries(TestEntries.batch(6, 2, 1, SEED)), "gap after last");
    assertEquals(3, storage.getLastLogIndex());
    assertNull(storage.getEntry(4));
  }

  @Test
  void overlappingBatchReplacesTheSuffixItCovers() {
    open(RollCycles.FIVE_MINUTELY);
    append(1, 10, 1);
    append(5, 3, 2);
    assertEquals(7, storage.getLastLogIndex());
    open(RollCycles.FIVE_MINUTELY);
    assertEquals(7, storage.getLastLogIndex());
    assertSameEntry(TestEntries.data(4, 1, SEED), storage.getEntry(4));
    assertSameEntry(TestEntries.data(5, 2, SEED), storage.getEntry(5));
    assertNull(storage.getEntry(8));
  }

  @Test
  void corruptTailIsCutBackToLastGoodEntryAndReported() throws IOException {
    open(RollCycles.FIVE_MINUTELY);
    append(1, 10, 1);
    append(11, 10, 1);
    storage.shutdown();
    storage = null;
    byte[] lastPayload = TestEntries.bytes(TestEntries.data(20, 1, SEED).getData());
    JournalBytes.flipByteOf(journal(), lastPayload);

    open(RollCycles.FIVE_MINUTELY);
    assertEquals(1, storage.corruptRecordsAtOpen());
    assertEquals(10, storage.getLastLogIndex());
    assertNull(storage.getEntry(11));
    append(11, 5, 2);
    open(RollCycles.FIVE_MINUTELY);
    assertEquals(1, storage.corruptRecordsAtOpen(), "the torn record stays skipped");
    assertEquals(15, storage.getLastLogIndex());
    assertSameEntry(TestEntries.data(10, 1, SEED), storage.getEntry(10));
    assertSameEntry(TestEntries.data(15, 2, SEED), storage.getEntry(15));
  }

  @Test
  void prefixTruncationDeletesWholeCycleFiles() throws Exception {
    open(TestRollCycles.TEST_SECONDLY);
    long next = 1;
    for (int cycle = 0; cycle < 3; cycle++) {
      append(next, 50, 1);
      next += 50;
      JournalTestStorage.awaitNextSecond();
    }
    append(next, 50, 1);
    int filesBefore = JournalBytes.cycleFiles(journal()).size();
    assertTrue(filesBefore >= 4, "one cycle file per second, found " + filesBefore);
    assertTrue(storage.truncatePrefix(next + 10));
    assertTrue(storage.deletedCycleFiles() >= 3);
    assertEquals(filesBefore - storage.deletedCycleFiles(), JournalBytes.cycleFiles(journal()).size());

    open(TestRollCycles.TEST_SECONDLY);
    assertEquals(next + 10, storage.getFirstLogIndex());
    assertEquals(next + 49, storage.getLastLogIndex());
    assertSameEntry(TestEntries.data(next + 10, 1, SEED), storage.getEntry(next + 10));
    List<Path> beforeReset = JournalBytes.cycleFiles(journal());
    JournalTestStorage.awaitNextSecond();
    assertTrue(storage.reset(next + 100));
    // Every earlier cycle goes. Under load a second may roll during the reset, leaving the
    // record's cycle plus an empty later one: that is harmless, so only the old ones are counted.
    List<Path> afterReset = JournalBytes.cycleFiles(journal());
    assertFalse(afterReset.isEmpty(), "reset keeps the cycle holding its record");
    for (Path file : afterReset) {
      assertFalse(beforeReset.contains(file), "reset keeps no cycle before its record: " + file);
    }
    open(TestRollCycles.TEST_SECONDLY);
    assertEquals(next + 100, storage.getFirstLogIndex());
    assertEquals(next + 100, storage.getLastLogIndex());
  }

  @Test
  void configurationsBelowTheFirstIndexAreNotRegistered() {
    open(RollCycles.FIVE_MINUTELY);
    List<LogEntry> batch = new ArrayList<>();
    batch.add(TestEntries.configuration(1, 1, "127.0.0.1:8081"));
    batch.addAll(TestEntries.batch(2, 9, 1, SEED));
    batch.add(TestEntries.configuration(11, 1, "127.0.0.1:8081", "127.0.0.1:8082"));
    assertEquals(11, storage.appendEntries(batch));
    assertTrue(storage.truncatePrefix(5));
    open(RollCycles.FIVE_MINUTELY);
    assertEquals(11, configurations.getLastConfiguration().getId().getIndex());
    assertTrue(configurations.get(10).getConf().isEmpty(), "configuration at 1 was truncated away");
  }
}

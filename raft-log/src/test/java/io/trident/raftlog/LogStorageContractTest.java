package io.trident.raftlog;

import static io.trident.raftlog.TestEntries.assertSameEntry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.alipay.sofa.jraft.conf.ConfigurationManager;
import com.alipay.sofa.jraft.entity.EnumOutter.EntryType;
import com.alipay.sofa.jraft.entity.LogEntry;
import com.alipay.sofa.jraft.entity.codec.v2.LogEntryV2CodecFactory;
import com.alipay.sofa.jraft.option.LogStorageOptions;
import com.alipay.sofa.jraft.storage.LogStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jraft {@link LogStorage} contract as Trident relies on it. Subclasses supply the storage;
 * the same tests run against {@link ChronicleLogStorage} and, as the reference, jraft's
 * RocksDBLogStorage.
 */
abstract class LogStorageContractTest {
  private static final long SEED = 42;

  @TempDir Path tempDir;
  private LogStorage storage;
  private ConfigurationManager configurations;

  /** A storage over {@code directory}, not yet initialized. */
  protected abstract LogStorage newStorage(Path directory);

  @BeforeEach
  void open() {
    storage = openStorage();
  }

  @AfterEach
  void close() {
    if (storage != null) {
      storage.shutdown();
    }
  }

  private LogStorage openStorage() {
    LogStorage opened = newStorage(tempDir.resolve("log"));
    configurations = new ConfigurationManager();
    LogStorageOptions options = new LogStorageOptions();
    options.setGroupId("contract");
    options.setConfigurationManager(configurations);
    options.setLogEntryCodecFactory(LogEntryV2CodecFactory.getInstance());
    assertTrue(opened.init(options), "init");
    return opened;
  }

  /** Runs between the shutdown and the open of every reopen: a power-loss subclass crashes here. */
  protected void afterShutdown() throws IOException {}

  private void reopen() {
    storage.shutdown();
    storage = null;
    try {
      afterShutdown();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    storage = openStorage();
  }

  private void append(long firstIndex, int count, long term) {
    assertEquals(count, storage.appendEntries(TestEntries.batch(firstIndex, count, term, SEED)));
  }

  private void assertEntries(long fromIndex, long toIndex, long term) {
    for (long index = fromIndex; index <= toIndex; index++) {
      assertSameEntry(TestEntries.data(index, term, SEED), storage.getEntry(index));
      assertEquals(term, storage.getTerm(index));
    }
  }

  @Test
  void emptyLogIsFirstOneLastZero() {
    assertEquals(1, storage.getFirstLogIndex());
    assertEquals(0, storage.getLastLogIndex());
    assertNull(storage.getEntry(0));
    assertNull(storage.getEntry(1));
    assertEquals(0, storage.getTerm(1));
    reopen();
    assertEquals(1, storage.getFirstLogIndex());
    assertEquals(0, storage.getLastLogIndex());
  }

  @Test
  void appendedEntriesReadBackAndSurviveReopen() {
    append(1, 10, 1);
    assertTrue(storage.appendEntry(TestEntries.data(11, 2, SEED)));
    append(12, 128, 2);
    assertEquals(1, storage.getFirstLogIndex());
    assertEquals(139, storage.getLastLogIndex());
    assertEntries(1, 10, 1);
    assertEntries(11, 139, 2);
    assertNull(storage.getEntry(0));
    assertNull(storage.getEntry(140));
    reopen();
    assertEquals(1, storage.getFirstLogIndex());
    assertEquals(139, storage.getLastLogIndex());
    assertEntries(1, 10, 1);
    assertEntries(11, 139, 2);
    append(140, 5, 3);
    assertEntries(140, 144, 3);
  }

  @Test
  void emptyBatchAppendsNothing() {
    assertEquals(0, storage.appendEntries(new ArrayList<>()));
    assertEquals(0, storage.getLastLogIndex());
  }

  @Test
  void truncateSuffixHidesEntriesAndStaysAfterReopen() {
    append(1, 20, 1);
    assertTrue(storage.truncateSuffix(12));
    assertEquals(12, storage.getLastLogIndex());
    assertNull(storage.getEntry(13));
    reopen();
    assertEquals(12, storage.getLastLogIndex());
    assertNull(storage.getEntry(13));
    assertNull(storage.getEntry(20));
    assertEntries(1, 12, 1);
    append(13, 3, 2);
    assertEntries(13, 15, 2);
    reopen();
    assertEquals(15, storage.getLastLogIndex());
    assertEntries(1, 12, 1);
    assertEntries(13, 15, 2);
    assertNull(storage.getEntry(16));
  }

  @Test
  void truncatePrefixMovesFirstAndStaysAfterReopen() {
    append(1, 50, 1);
    assertTrue(storage.truncatePrefix(21));
    assertEquals(21, storage.getFirstLogIndex());
    assertEquals(50, storage.getLastLogIndex());
    assertNull(storage.getEntry(20));
    assertEntries(21, 50, 1);
    reopen();
    assertEquals(21, storage.getFirstLogIndex());
    assertEquals(50, storage.getLastLogIndex());
    assertNull(storage.getEntry(1));
    assertEntries(21, 50, 1);
    append(51, 10, 2);
    assertEntries(51, 60, 2);
  }

  @Test
  void resetToMissingIndexLeavesOneNoOpEntry() {
    append(1, 20, 1);
    assertTrue(storage.reset(100));
    assertResetTo(100);
    reopen();
    assertResetTo(100);
    append(101, 5, 3);
    assertEquals(100, storage.getFirstLogIndex());
    assertEntries(101, 105, 3);
  }

  private void assertResetTo(long next) {
    assertEquals(next, storage.getFirstLogIndex());
    assertEquals(next, storage.getLastLogIndex());
    assertNull(storage.getEntry(next - 1));
    LogEntry kept = storage.getEntry(next);
    assertNotNull(kept);
    assertEquals(next, kept.getId().getIndex());
    assertEquals(EntryType.ENTRY_TYPE_NO_OP, kept.getType());
    assertEquals(0, kept.getId().getTerm());
  }

  @Test
  void resetToPresentIndexKeepsThatEntry() {
    append(1, 20, 1);
    assertTrue(storage.reset(10));
    assertEquals(10, storage.getFirstLogIndex());
    assertEquals(10, storage.getLastLogIndex());
    assertEntries(10, 10, 1);
    reopen();
    assertEquals(10, storage.getFirstLogIndex());
    assertEquals(10, storage.getLastLogIndex());
    assertEntries(10, 10, 1);
    assertNull(storage.getEntry(11));
  }

  @Test
  void configurationEntriesAreRegisteredOnInit() {
    List<LogEntry> batch = new ArrayList<>();
    batch.add(TestEntries.data(1, 1, SEED));
    batch.add(TestEntries.configuration(2, 1, "127.0.0.1:8081", "127.0.0.1:8082"));
    batch.add(TestEntries.data(3, 1, SEED));
    batch.add(TestEntries.configuration(4, 1, "127.0.0.1:8081"));
    assertEquals(4, storage.appendEntries(batch));
    reopen();
    assertEquals(4, configurations.getLastConfiguration().getId().getIndex());
    assertEquals(2, configurations.get(3).getId().getIndex());
    assertTrue(configurations.get(3).getConf().contains(com.alipay.sofa.jraft.entity.PeerId.parsePeer("127.0.0.1:8082")));
    assertSameEntry(batch.get(1), storage.getEntry(2));
  }

  @Test
  void truncatedConfigurationEntriesAreNotRegisteredAfterReopen() {
    List<LogEntry> batch = new ArrayList<>();
    batch.add(TestEntries.configuration(1, 1, "127.0.0.1:8081"));
    batch.add(TestEntries.data(2, 1, SEED));
    batch.add(TestEntries.configuration(3, 1, "127.0.0.1:8081", "127.0.0.1:8082"));
    batch.add(TestEntries.data(4, 1, SEED));
    assertEquals(4, storage.appendEntries(batch));
    assertTrue(storage.truncateSuffix(2));
    reopen();
    assertEquals(1, configurations.getLastConfiguration().getId().getIndex());
    assertTrue(storage.appendEntry(TestEntries.configuration(3, 2, "127.0.0.1:8083")));
    reopen();
    assertEquals(3, configurations.getLastConfiguration().getId().getIndex());
    assertEquals(2, configurations.getLastConfiguration().getId().getTerm());
  }

  @Test
  void getEntryFromManyThreadsWhileAppending() throws Exception {
    append(1, 64, 1);
    int readers = 4;
    long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    AtomicBoolean writing = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(readers);
    try {
      List<Future<Long>> reads = new ArrayList<>();
      for (int r = 0; r < readers; r++) {
        reads.add(pool.submit(() -> readWhileWriting(writing, deadlineNanos)));
      }
      long next = 65;
      for (int batch = 0; batch < 300 && System.nanoTime() < deadlineNanos; batch++) {
        int count = 1 + ThreadLocalRandom.current().nextInt(32);
        append(next, count, 1);
        next += count;
      }
      writing.set(false);
      for (Future<Long> read : reads) {
        assertTrue(read.get(30, TimeUnit.SECONDS) > 0, "every reader read entries");
      }
      assertEquals(next - 1, storage.getLastLogIndex());
    } finally {
      writing.set(false);
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  /** Reads random indexes inside [first, last] as last grows; every one must be there. */
  private long readWhileWriting(AtomicBoolean writing, long deadlineNanos) {
    long reads = 0;
    while ((writing.get() || reads == 0) && System.nanoTime() < deadlineNanos && reads < 2_000_000) {
      long last = storage.getLastLogIndex();
      long index = 1 + ThreadLocalRandom.current().nextLong(last);
      assertSameEntry(TestEntries.data(index, 1, SEED), storage.getEntry(index));
      reads++;
    }
    return reads;
  }
}

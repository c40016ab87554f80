package io.trident.raftlog;

import static io.trident.raftlog.TestEntries.assertSameEntry;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.alipay.sofa.jraft.conf.ConfigurationManager;
import com.alipay.sofa.jraft.entity.LogEntry;
import com.alipay.sofa.jraft.entity.codec.v2.LogEntryV2CodecFactory;
import com.alipay.sofa.jraft.option.LogStorageOptions;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native syncer zeroes ahead of the append point on a background thread: records written
 * meanwhile, of any size, must never be overwritten by that zeroing.
 */
class GroupCommitCycleSyncerTest {
  private static final long SEED = 11;

  @TempDir Path tempDir;

  @Test
  void storesThroughAMapWhileZeroingAheadSurviveWhole() throws Exception {
    // Chronicle's shape: a sparse file written through a shared map, one record after another,
    // sync, then prepareAhead. Record sizes straddle the zeroing step so the guard is exercised.
    Path path = tempDir.resolve("cycle");
    int fileBytes = 48 << 20;
    try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw")) {
      raf.setLength(fileBytes);
    }
    SplittableRandom random = new SplittableRandom(SEED);
    byte[] expected = new byte[fileBytes];
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, fileBytes);
      CycleFileSyncer syncer = GroupCommitCycleSyncer.FACTORY.open(path);
      int position = 0;
      for (int record = 0; record < 200 && position < fileBytes - (8 << 20); record++) {
        int recordBytes = record % 5 == 4 ? (1 << 20) + random.nextInt(3 << 20)
            : 1 + random.nextInt(40_000);
        byte[] bytes = new byte[recordBytes];
        random.nextBytes(bytes);
        syncer.beforeWrite(recordBytes);
        map.put(position, bytes);
        System.arraycopy(bytes, 0, expected, position, recordBytes);
        position += recordBytes;
        if (record % 3 == 0) {
          syncer.sync(); // not after every record: the next write then races a fresh zeroing
        }
        syncer.prepareAhead(position);
      }
      syncer.close(); // waits for zeroing in progress
    }
    assertArrayEquals(expected, Files.readAllBytes(path));
  }

  @Test
  void journalOfLargeAndSmallBatchesReadsBackAfterReopen() {
    Path journal = tempDir.resolve("journal");
    List<LogEntry> written = new ArrayList<>();
    ChronicleLogStorage storage = open(journal);
    try {
      long index = 1;
      for (int batch = 0; batch < 60; batch++) {
        // Every tenth batch is ~1.5-3 MiB, the rest a few KiB.
        int count = batch % 10 == 9 ? 6000 + batch * 100 : 1 + batch % 13;
        List<LogEntry> entries = TestEntries.batch(index, count, 1, SEED);
        assertEquals(count, storage.appendEntries(entries));
        written.addAll(entries);
        index += count;
      }
    } finally {
      storage.shutdown();
    }
    storage = open(journal);
    try {
      assertEquals(written.size(), storage.getLastLogIndex());
      for (LogEntry entry : written) {
        assertSameEntry(entry, storage.getEntry(entry.getId().getIndex()));
      }
      assertEquals(1, storage.getFirstLogIndex());
    } finally {
      storage.shutdown();
    }
  }

  private static ChronicleLogStorage open(Path directory) {
    ChronicleLogStorage storage =
        new ChronicleLogStorage(directory, RollCycles.FIVE_MINUTELY, GroupCommitCycleSyncer.FACTORY);
    LogStorageOptions options = new LogStorageOptions();
    options.setConfigurationManager(new ConfigurationManager());
    options.setLogEntryCodecFactory(LogEntryV2CodecFactory.getInstance());
    assertTrue(storage.init(options));
    return storage;
  }
}

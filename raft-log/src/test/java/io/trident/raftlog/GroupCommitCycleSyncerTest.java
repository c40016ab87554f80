package io.trident.raftlog;

import static io.trident.raftlog.TestEntries.assertSameEntry;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    int fileBytes = 64 << 20;
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
      long lastStart = fileBytes - (8 << 20) - GroupCommitCycleSyncer.PREALLOCATE_AHEAD_BYTES;
      for (int record = 0; record < 200 && position < lastStart; record++) {
        int recordBytes = record % 5 == 4 ? (2 << 20) + random.nextInt(5 << 20)
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
    byte[] content = Files.readAllBytes(path);
    assertEquals(fileBytes, content.length, "zeroing stays inside the mapped file here");
    assertArrayEquals(expected, content);
  }

  @Test
  void writeThatWouldReachTheRangeBeingZeroedWaitsForIt() throws Exception {
    Path path = tempDir.resolve("cycle");
    try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw")) {
      raf.setLength(64 << 20);
    }
    GroupCommitCycleSyncer syncer = (GroupCommitCycleSyncer) GroupCommitCycleSyncer.FACTORY.open(path);
    try {
      syncer.prepareAhead(100);
      assertTrue(syncer.zeroingPending(), "zeroing starts ahead of a fresh file's append point");
      syncer.beforeWrite(1000);
      assertTrue(syncer.zeroingPending(), "a small record far from the zeroing need not wait");
      syncer.beforeWrite(GroupCommitCycleSyncer.PREALLOCATE_AHEAD_BYTES);
      assertFalse(syncer.zeroingPending(), "a record reaching the zeroed range waits for it");
      long nearEnd = GroupCommitCycleSyncer.PREALLOCATE_AHEAD_BYTES - 100;
      syncer.prepareAhead(nearEnd);
      assertTrue(syncer.zeroingPending(), "zeroing is topped up below the low-water mark");
      syncer.beforeWrite(GroupCommitCycleSyncer.PREALLOCATE_LOW_WATER_BYTES);
      assertFalse(syncer.zeroingPending());
    } finally {
      syncer.close();
    }
    long end = GroupCommitCycleSyncer.PREALLOCATE_AHEAD_BYTES * 2 - 100;
    byte[] content = Files.readAllBytes(path);
    assertEquals(64 << 20, content.length);
    for (int i = 0; i < end; i++) {
      if (content[i] != 0) {
        throw new AssertionError("byte " + i + " of the zeroed range is " + content[i]);
      }
    }
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

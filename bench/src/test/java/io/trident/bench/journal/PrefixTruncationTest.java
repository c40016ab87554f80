package io.trident.bench.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The steady-state mode truncates Chronicle's and RocksDB's prefix the way jraft does. */
class PrefixTruncationTest {
  @TempDir Path tempDir;

  @Test
  void truncatesEveryNthCallKeepingTheLastEntries() {
    PrefixTruncation truncation = new PrefixTruncation(4, 10);
    assertEquals(0, truncation.firstIndexKeptAfter(3, 96), "not the 4th call");
    assertEquals(87, truncation.firstIndexKeptAfter(4, 96));
    assertEquals(0, truncation.firstIndexKeptAfter(8, 10), "nothing before index 1 to drop");
    assertEquals(0, PrefixTruncation.NONE.firstIndexKeptAfter(4, 96));
    assertThrows(IllegalArgumentException.class, () -> new PrefixTruncation(-1, 10));
    assertThrows(IllegalArgumentException.class, () -> new PrefixTruncation(1, 0));
  }

  @Test
  void aRunWithTruncationLeavesOnlyTheKeptEntriesInEachLog() throws Exception {
    for (JournalStoreKind kind : new JournalStoreKind[] {JournalStoreKind.CHRONICLE,
        JournalStoreKind.ROCKSDB}) {
      Path directory = java.nio.file.Files.createDirectories(tempDir.resolve(kind.cliName()));
      try (LogStorageJournalStore store = (LogStorageJournalStore) kind.open(directory)) {
        JournalRun run = new JournalRun(store, new JournalBatchSource(8, 100, 1, 42), 100,
            DeviceWriteCounter.forDirectory(directory), new PrefixTruncation(5, 20));
        for (int slice = 0; slice < 600 && store.nextIndex() <= 120; slice++) {
          run.warmUp(0.05); // bounded: at most 30 s, usually one slice
        }
        long last = store.nextIndex() - 1;
        assertEquals(true, last >= 120, kind + " appended only " + last + " entries");
        long appendCalls = last / 8;
        long lastTruncatedAt = appendCalls - appendCalls % 5;
        assertEquals(lastTruncatedAt * 8 - 20 + 1, store.firstIndex(), kind.cliName());
      }
    }
  }
}

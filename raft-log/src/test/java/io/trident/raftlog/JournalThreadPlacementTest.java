package io.trident.raftlog;

import static io.trident.raftlog.TestEntries.assertSameEntry;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.alipay.sofa.jraft.conf.ConfigurationManager;
import com.alipay.sofa.jraft.entity.LogEntry;
import com.alipay.sofa.jraft.option.LogStorageOptions;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.storage.LogStorage;
import io.trident.nativelib.ThreadPlacement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal places the thread that mutates it (jraft's disk thread) on its first mutation:
 * applied where the kernel allows it, a clean no-op (the journal works, the thread is unchanged)
 * where it refuses. The disk thread here is a fresh thread, so the test JVM keeps its affinity.
 */
class JournalThreadPlacementTest {
  @TempDir Path directory;

  /** Appends 3 batches on a fresh "disk thread"; returns that thread's CPUs after the appends. */
  private int[] appendOnDiskThread(ThreadPlacement placement, List<LogEntry> written) {
    TridentServiceFactory factory = new TridentServiceFactory(placement);
    LogStorage storage = factory.createLogStorage(directory.toString(), new RaftOptions());
    LogStorageOptions options = new LogStorageOptions();
    options.setConfigurationManager(new ConfigurationManager());
    options.setLogEntryCodecFactory(factory.createLogEntryCodecFactory());
    assertTrue(storage.init(options));
    try {
      CompletableFuture<int[]> cpus = new CompletableFuture<>();
      Thread disk = new Thread(() -> {
        try {
          for (int batch = 0; batch < 3; batch++) {
            List<LogEntry> entries = TestEntries.batch(1 + batch * 10, 10, 1, 7);
            assertEquals(10, storage.appendEntries(entries));
            written.addAll(entries);
          }
          cpus.complete(ThreadPlacement.currentThreadCpus());
        } catch (Throwable failure) {
          cpus.completeExceptionally(failure);
        }
      }, "test-disk-thread");
      disk.start();
      int[] after = cpus.join();
      assertEquals(30, storage.getLastLogIndex());
      for (LogEntry entry : written) {
        assertSameEntry(entry, storage.getEntry(entry.getId().getIndex()));
      }
      return after;
    } finally {
      storage.shutdown();
    }
  }

  @Test
  void theDiskThreadIsPinnedWhereAllowed() {
    int[] allowed = ThreadPlacement.currentThreadCpus();
    int last = allowed[allowed.length - 1];
    int[] after = appendOnDiskThread(ThreadPlacement.cpus(last), new ArrayList<>());
    assertArrayEquals(new int[] {last}, after);
  }

  @Test
  void aRefusedPlacementLeavesTheJournalWorkingAndTheThreadUnplaced() {
    int[] allowed = ThreadPlacement.currentThreadCpus();
    int[] after = appendOnDiskThread(ThreadPlacement.cpus(4000), new ArrayList<>());
    assertArrayEquals(allowed, after);  // a fresh thread inherits the test thread's CPUs
  }
}

package io.trident.bench.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One short real run: 3 jraft 1.4.1 nodes on 127.0.0.1, RocksDB log, LMDB state. */
class JraftRocksDbSystemTest {
  @TempDir Path directory;

  @Test
  void closedLoopPutsAndMixedReadsCompleteWithoutErrors() throws Exception {
    try (JraftRocksDbSystem system = JraftRocksDbSystem.start(3, directory)) {
      DriverSettings settings = new DriverSettings(Workload.PUT, 16, 100, 10_000, 1, 0.5, 1,
          DriverSettings.OPERATIONS_MAX_DEFAULT, 30);
      ClusterResult puts = new ClosedLoopDriver(system, settings).run();
      assertTrue(puts.operations() > 0, "no puts completed: " + puts);
      assertEquals(0, puts.errors(), puts.toString());
      assertTrue(puts.entriesPerSecond() > 0, "one entry per put: " + puts);
      ClusterResult mixed = new ClosedLoopDriver(system, settings.with(Workload.MIX90, 16)).run();
      assertTrue(mixed.operations() > 0, "no mixed operations completed: " + mixed);
      assertEquals(0, mixed.errors(), mixed.toString());
    }
  }
}

package io.trident.bench.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Table, CSV, wire lines, summary line and option parsing of the cluster benchmark. */
class ClusterReportTest {
  private static final ClusterResult TRIDENT = new ClusterResult("trident", "put", 256, 500_000,
      2_000, 0.5, 0.4, 0.9, 1.25, 0, 1_000_000);
  private static final ClusterResult JRAFT = new ClusterResult("jraft-rocksdb", "put", 256,
      200_000, 200_000, 1.2, 1.0, 4.0, 6.5, 3, 400_000);
  private static final ClusterResult ETCD = new ClusterResult("etcd", "put", 256, 40_000,
      Double.NaN, 6, 5, 9, 12, 0, 80_000);
  private static final ClusterResult TRIDENT_MIX = new ClusterResult("trident", "mix90", 256,
      900_000, 1_000, 0.3, 0.2, 0.5, 0.7, 0, 1_800_000);

  @Test
  void tableHasTheSeed002Columns() {
    String table = ClusterReport.table(List.of(TRIDENT, ETCD));
    String[] lines = table.split("\n");
    assertEquals(List.of("system", "workload", "inflight", "ops_per_s", "entries_per_s",
        "avg_ms", "p50_ms", "p95_ms", "p99_ms", "errors"), List.of(lines[0].trim().split(" +")));
    assertEquals(List.of("trident", "put", "256", "500000", "2000", "0.500", "0.400", "0.900",
        "1.250", "0"), List.of(lines[1].trim().split(" +")));
    assertEquals("-", lines[2].trim().split(" +")[4], "unknown entries/s");
  }

  @Test
  void csvHasOneRowPerResultAndEmptyUnknownEntries() {
    String[] lines = ClusterReport.csv(List.of(JRAFT, ETCD)).split("\n");
    assertEquals(ClusterReport.CSV_HEADER, lines[0]);
    assertEquals("jraft-rocksdb,put,256,200000.0,200000.0,1.2000,1.0000,4.0000,6.5000,3,400000",
        lines[1]);
    assertEquals("etcd,put,256,40000.0,,6.0000,5.0000,9.0000,12.0000,0,80000", lines[2]);
  }

  @Test
  void wireLinesRoundTrip() {
    for (ClusterResult row : List.of(TRIDENT, ETCD)) {
      assertTrue(ClusterResult.isWireLine(row.toWireLine()));
      assertEquals(row, ClusterResult.fromWireLine(row.toWireLine()));
    }
    assertThrows(IllegalArgumentException.class,
        () -> ClusterResult.fromWireLine(ClusterResult.WIRE_PREFIX + "x\ty"));
  }

  @Test
  void summaryComparesTridentPutsWithTheBestPeerAt256() {
    assertEquals("ops_per_s=500000 p99_ms=1.250 best_peer=jraft-rocksdb ratio_vs_best_peer=2.50",
        ClusterReport.summaryLine(List.of(TRIDENT_MIX, ETCD, TRIDENT, JRAFT)));
    assertEquals("ops_per_s=n/a p99_ms=n/a best_peer=etcd ratio_vs_best_peer=n/a",
        ClusterReport.summaryLine(List.of(ETCD)));
    assertEquals("ops_per_s=500000 p99_ms=1.250 best_peer=n/a ratio_vs_best_peer=n/a",
        ClusterReport.summaryLine(List.of(TRIDENT)));
  }

  @Test
  void writesCsvAndPlots(@TempDir Path directory) throws Exception {
    ClusterReport.write(List.of(TRIDENT, JRAFT, ETCD, TRIDENT_MIX), directory);
    assertEquals(5, Files.readAllLines(directory.resolve("cluster.csv")).size());
    assertTrue(Files.size(directory.resolve("cluster-ops.png")) > 0);
    assertTrue(Files.size(directory.resolve("cluster-p99.png")) > 0);
  }

  @Test
  void optionsHaveTheIssueDefaultsAndRejectUnknownPeers() {
    ClusterBenchOptions options = ClusterBenchOptions.parse(new String[0]);
    assertEquals(3, options.nodeCount());
    assertEquals(List.of(1, 16, 256, 1024), options.inflights());
    assertEquals(List.of(Workload.PUT, Workload.MIX90), options.workloads());
    assertEquals(List.of("jraft-rocksdb", "rheakv", "etcd"), options.peers());
    assertEquals(List.of(), ClusterBenchOptions.parse(new String[] {"--peers", "none"}).peers());
    assertThrows(IllegalArgumentException.class,
        () -> ClusterBenchOptions.parse(new String[] {"--peers", "zookeeper"}));
    assertThrows(IllegalArgumentException.class,
        () -> ClusterBenchOptions.parse(new String[] {"--sekonds", "3"}));
    ClusterBenchOptions child = ClusterBenchOptions.parse(
        options.childArguments().toArray(String[]::new));
    assertEquals(options.inflights(), child.inflights());
    assertEquals(options.workloads(), child.workloads());
  }
}

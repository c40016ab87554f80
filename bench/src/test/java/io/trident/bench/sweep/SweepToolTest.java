package io.trident.bench.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.bench.demo.ConcurrencySweep;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sweep's option parsing and the merge of the members' answers into one table row. */
class SweepToolTest {
  @Test
  void mergesMembersLatenciesAndSumsTheirRates() {
    // Member 0: 4 queries in 2 s; member 1: 2 queries in 1 s (latencies in microseconds).
    ClusterLevel level = ClusterLevel.parse(List.of(
        "level 8 4 4 2.000000 1000 100,200,300,400",
        "level 8 2 1 1.000000 3000 1000,2000"));
    ConcurrencySweep.Level row = level.merged();
    assertEquals(8, row.callers());
    assertEquals(6, row.attempted());
    assertEquals(5, row.succeeded());
    assertEquals(2.0 + 2.0, row.qps(), 1e-9);
    assertEquals((100 + 200 + 300 + 400 + 1000 + 2000) / 6.0 / 1000, row.avgMillis(), 1e-9);
    assertEquals(2.0, row.p99Millis(), 1e-9);
    assertEquals(0.3, row.p50Millis(), 1e-9);
    assertArrayEquals(new long[] {1000, 3000}, level.rssKibibytes());
  }

  @Test
  void aMemberWithoutAnsweredQueriesCountsAsZero() {
    ClusterLevel level = ClusterLevel.parse(List.of("level 1 0 0 1.000000 500 "));
    assertEquals(0, level.merged().attempted());
    assertEquals(0, level.merged().qps(), 1e-9);
  }

  @Test
  void parsesTheIssueCommandLine() {
    SweepOptions options = SweepOptions.parse(new String[] {"--nodes", "3", "--data", "d",
        "--index", "HNSW32", "--ef", "128", "--concurrency", "1,2,4,8,16,64,256", "--out", "o",
        "--option", "batchOpsMax=512"});
    assertEquals(3, options.nodes());
    assertEquals(Path.of("d"), options.data());
    assertEquals(List.of(1, 2, 4, 8, 16, 64, 256), options.levels());
    assertEquals(List.of("batchOpsMax=512"), options.nodeOptions());
    assertEquals("sync", options.mode());
    assertTrue(options.standalone());
    assertEquals(List.of(16, 32, 64, 128), options.compareEfs());
  }

  @Test
  void comparesReplicaAndStandaloneAtTheLowestEfReachingTheRecallTarget() {
    List<ReplicaVsStandalone.Point> points = List.of(
        ReplicaVsStandalone.Point.parse("16,0.900000,9000.0,0.960000,9500.0"),
        ReplicaVsStandalone.Point.parse("32,0.970000,7000.0,0.990000,7200.0"),
        ReplicaVsStandalone.Point.parse("64,0.990000,5000.0,0.999000,5100.0"));
    assertEquals(points.get(1), ReplicaVsStandalone.Point.parse(points.get(1).format()));
    ReplicaVsStandalone.Point[] at = ReplicaVsStandalone.atRecallTarget(points);
    assertEquals(32, at[0].ef(), "the replica first reaches 0.95 at ef 32");
    assertEquals(16, at[1].ef(), "the standalone index already at ef 16");
    assertEquals(null, ReplicaVsStandalone.atRecallTarget(points.subList(0, 1))[0]);
    assertEquals(3.0, ReplicaVsStandalone.median(new double[] {9, 1, 3, 2, 5}), 1e-9);
    assertEquals(2.5, ReplicaVsStandalone.median(new double[] {4, 1, 3, 2}), 1e-9);
  }

  @Test
  void rejectsBadOptions() {
    assertThrows(IllegalArgumentException.class,
        () -> SweepOptions.parse(new String[] {"--nodes", "0"}));
    assertThrows(IllegalArgumentException.class,
        () -> SweepOptions.parse(new String[] {"--mode", "fast"}));
    assertThrows(IllegalArgumentException.class,
        () -> SweepOptions.parse(new String[] {"--option", "noequals"}));
    assertThrows(IllegalArgumentException.class,
        () -> SweepOptions.parse(new String[] {"--concurrency", "0"}));
    assertThrows(IllegalArgumentException.class,
        () -> SweepOptions.parse(new String[] {"--compare-ef", "0,16"}));
    assertTrue(SweepTool.USAGE.contains("--concurrency"));
  }
}

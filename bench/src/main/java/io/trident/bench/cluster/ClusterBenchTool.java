package io.trident.bench.cluster;

import io.trident.bench.cli.BenchPlacement;
import io.trident.nativelib.ThreadPlacement;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bench cluster}: the same closed-loop workload on Trident and each peer in one run,
 * then the table (stdout), {@code cluster.csv} and plots in {@code --out}, and the summary line
 * last. A system that fails is reported on stderr and left out; the others still run. Exits 1
 * when every system failed.
 */
public final class ClusterBenchTool {
  private ClusterBenchTool() {}

  public static void main(String[] args) throws Exception {
    ClusterBenchOptions options = ClusterBenchOptions.parse(args);
    BenchPlacement.record(ThreadPlacement.NONE, options.out());
    List<String> systems = new ArrayList<>();
    if (options.trident()) {
      systems.add(ClusterReport.TRIDENT);
    }
    systems.addAll(options.peers());
    if (systems.isEmpty()) {
      throw new IllegalArgumentException("nothing to run: --trident false and --peers none");
    }
    List<ClusterResult> rows = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (String system : systems) {
      try {
        rows.addAll(ClusterSystems.run(system, options));
      } catch (Exception e) {
        System.err.println("[cluster] " + system + " FAILED: " + e);
        e.printStackTrace();
        failed.add(system);
      }
    }
    if (!rows.isEmpty()) {
      ClusterReport.write(rows, options.out());
      System.err.println("[cluster] wrote " + options.out().resolve("cluster.csv")
          + " and cluster-ops.png, cluster-p99.png");
    }
    System.out.print(ClusterReport.table(rows));
    if (!failed.isEmpty()) {
      System.out.println("failed: " + String.join(",", failed));
    }
    System.out.println(ClusterReport.summaryLine(rows));
    System.out.flush();
    if (rows.isEmpty()) {
      System.exit(1);
    }
  }
}

package io.trident.bench.cluster;

import io.trident.bench.plot.LinePlot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The outputs of a cluster run: the seed-002 style table, {@code cluster.csv}, two PNG plots
 * (ops/s and p99 by in-flight count, one line per system and workload) and the summary line for
 * Trident's put workload at {@link #SUMMARY_INFLIGHT} in flight against the best peer.
 */
public final class ClusterReport {
  public static final String TRIDENT = "trident";
  static final int SUMMARY_INFLIGHT = 256;
  static final String HEADER = String.format(Locale.ROOT, "%-14s %-8s %8s %12s %14s %9s %9s %9s %9s %8s",
      "system", "workload", "inflight", "ops_per_s", "entries_per_s", "avg_ms", "p50_ms",
      "p95_ms", "p99_ms", "errors");
  static final String CSV_HEADER =
      "system,workload,inflight,ops_per_s,entries_per_s,avg_ms,p50_ms,p95_ms,p99_ms,errors,operations";

  private ClusterReport() {}

  public static String tableLine(ClusterResult r) {
    String entries = Double.isNaN(r.entriesPerSecond()) ? "-"
        : String.format(Locale.ROOT, "%.0f", r.entriesPerSecond());
    return String.format(Locale.ROOT, "%-14s %-8s %8d %12.0f %14s %9.3f %9.3f %9.3f %9.3f %8d",
        r.system(), r.workload(), r.inflight(), r.opsPerSecond(), entries, r.avgMs(), r.p50Ms(),
        r.p95Ms(), r.p99Ms(), r.errors());
  }

  public static String table(List<ClusterResult> rows) {
    StringBuilder out = new StringBuilder(HEADER).append('\n');
    for (ClusterResult row : rows) {
      out.append(tableLine(row)).append('\n');
    }
    return out.toString();
  }

  /** CSV with {@link #CSV_HEADER}; an unknown entries/s is an empty field. */
  public static String csv(List<ClusterResult> rows) {
    StringBuilder out = new StringBuilder(CSV_HEADER).append('\n');
    for (ClusterResult r : rows) {
      out.append(String.format(Locale.ROOT, "%s,%s,%d,%.1f,%s,%.4f,%.4f,%.4f,%.4f,%d,%d%n",
          r.system(), r.workload(), r.inflight(), r.opsPerSecond(),
          Double.isNaN(r.entriesPerSecond()) ? ""
              : String.format(Locale.ROOT, "%.1f", r.entriesPerSecond()),
          r.avgMs(), r.p50Ms(), r.p95Ms(), r.p99Ms(), r.errors(), r.operations()));
    }
    return out.toString();
  }

  /**
   * {@code ops_per_s=<x> p99_ms=<y> best_peer=<name> ratio_vs_best_peer=<z>} for Trident's put
   * rows at 256 in flight (or the largest in-flight count run, when 256 was not); {@code n/a}
   * for what is missing.
   */
  public static String summaryLine(List<ClusterResult> rows) {
    List<ClusterResult> puts = rows.stream().filter(r -> r.workload().equals("put")).toList();
    int inflight = puts.stream().anyMatch(r -> r.inflight() == SUMMARY_INFLIGHT)
        ? SUMMARY_INFLIGHT
        : puts.stream().mapToInt(ClusterResult::inflight).max().orElse(SUMMARY_INFLIGHT);
    Optional<ClusterResult> trident = puts.stream()
        .filter(r -> r.inflight() == inflight && r.system().equals(TRIDENT)).findFirst();
    Optional<ClusterResult> bestPeer = puts.stream()
        .filter(r -> r.inflight() == inflight && !r.system().equals(TRIDENT))
        .max(Comparator.comparingDouble(ClusterResult::opsPerSecond));
    String ops = trident.map(r -> format(r.opsPerSecond(), "%.0f")).orElse("n/a");
    String p99 = trident.map(r -> format(r.p99Ms(), "%.3f")).orElse("n/a");
    String peer = bestPeer.map(ClusterResult::system).orElse("n/a");
    String ratio = trident.isPresent() && bestPeer.isPresent() && bestPeer.get().opsPerSecond() > 0
        ? format(trident.get().opsPerSecond() / bestPeer.get().opsPerSecond(), "%.2f") : "n/a";
    return "ops_per_s=" + ops + " p99_ms=" + p99 + " best_peer=" + peer
        + " ratio_vs_best_peer=" + ratio;
  }

  /** Writes cluster.csv, cluster-ops.png and cluster-p99.png into {@code directory}. */
  public static void write(List<ClusterResult> rows, Path directory) {
    try {
      Files.createDirectories(directory);
      Files.writeString(directory.resolve("cluster.csv"), csv(rows));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + directory.resolve("cluster.csv"), e);
    }
    LinePlot ops = new LinePlot("Cluster: client ops/s by operations in flight (3 nodes, fsync on)",
        "operations in flight", "ops/s", true, true);
    LinePlot p99 = new LinePlot("Cluster: p99 latency by operations in flight",
        "operations in flight", "p99 ms", true, true);
    for (Map.Entry<String, List<ClusterResult>> line : bySeries(rows).entrySet()) {
      List<ClusterResult> points = line.getValue();
      double[] x = points.stream().mapToDouble(ClusterResult::inflight).toArray();
      ops.add(line.getKey(), x, points.stream().mapToDouble(r -> Math.max(r.opsPerSecond(), 1e-3))
          .toArray());
      p99.add(line.getKey(), x, points.stream().mapToDouble(r -> Math.max(r.p99Ms(), 1e-3))
          .toArray());
    }
    ops.writePng(directory.resolve("cluster-ops.png"));
    p99.writePng(directory.resolve("cluster-p99.png"));
  }

  /** Rows grouped by "system workload", each group sorted by in-flight count. */
  private static Map<String, List<ClusterResult>> bySeries(List<ClusterResult> rows) {
    Map<String, List<ClusterResult>> series = new LinkedHashMap<>();
    for (ClusterResult row : rows) {
      series.computeIfAbsent(row.system() + " " + row.workload(), k -> new ArrayList<>()).add(row);
    }
    series.values().forEach(list -> list.sort(Comparator.comparingInt(ClusterResult::inflight)));
    return series;
  }

  private static String format(double value, String pattern) {
    return String.format(Locale.ROOT, pattern, value);
  }
}

package io.trident.bench.cluster;

import java.util.Locale;

/**
 * One measured row: a system, a workload and an in-flight count. Latencies are milliseconds from
 * issue to completion of successful operations; {@code entriesPerSecond} is NaN where the system
 * cannot count Raft entries. Rows cross from a peer's child JVM as one tab-separated stdout line
 * starting with {@link #WIRE_PREFIX}.
 */
public record ClusterResult(String system, String workload, int inflight, double opsPerSecond,
    double entriesPerSecond, double avgMs, double p50Ms, double p95Ms, double p99Ms,
    long errors, long operations) {
  static final String WIRE_PREFIX = "CLUSTER_ROW\t";
  private static final int WIRE_FIELDS = 11;

  public String toWireLine() {
    return WIRE_PREFIX + String.join("\t", system, workload, Integer.toString(inflight),
        Double.toString(opsPerSecond), Double.toString(entriesPerSecond), Double.toString(avgMs),
        Double.toString(p50Ms), Double.toString(p95Ms), Double.toString(p99Ms),
        Long.toString(errors), Long.toString(operations));
  }

  public static boolean isWireLine(String line) {
    return line.startsWith(WIRE_PREFIX);
  }

  public static ClusterResult fromWireLine(String line) {
    String[] f = line.substring(WIRE_PREFIX.length()).split("\t");
    if (f.length != WIRE_FIELDS) {
      throw new IllegalArgumentException("malformed cluster row: " + line);
    }
    return new ClusterResult(f[0], f[1], Integer.parseInt(f[2]), Double.parseDouble(f[3]),
        Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]),
        Double.parseDouble(f[7]), Double.parseDouble(f[8]), Long.parseLong(f[9]),
        Long.parseLong(f[10]));
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s %s inflight=%d: %.0f ops/s, p99 %.2f ms, %d errors",
        system, workload, inflight, opsPerSecond, p99Ms, errors);
  }
}

package io.trident.bench.searchtool;

import java.util.Locale;

/** Fixed-width console rows of the search benchmark, one per measured setting. */
public final class ResultTable {
  private final int k;
  private final int[] threadCounts;

  public ResultTable(int k, int[] threadCounts) {
    this.k = k;
    this.threadCounts = threadCounts.clone();
  }

  public String header() {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
        "%-8s %-34s %-24s %-16s %8s %9s", "system", "version", "config", "params", "build_s",
        "recall@" + k));
    for (int threads : threadCounts) {
      line.append(String.format(Locale.ROOT, " %10s", "qps@" + threads + "t"));
    }
    line.append(String.format(Locale.ROOT, " %8s %8s %8s", "p50_us", "p95_us", "p99_us"));
    return line.toString();
  }

  public String row(MeasuredSetting row) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
        "%-8s %-34s %-24s %-16s %8.1f %9.4f", row.system(), abbreviate(row.version(), 34),
        row.config(), row.setting().label(), row.buildSeconds(), row.recall()));
    for (int threads : threadCounts) {
      line.append(String.format(Locale.ROOT, " %10.0f", row.qpsAt(threads)));
    }
    line.append(String.format(Locale.ROOT, " %8.0f %8.0f %8.0f", row.latencyP50Micros(),
        row.latencyP95Micros(), row.latencyP99Micros()));
    return line.toString();
  }

  private static String abbreviate(String text, int width) {
    return text.length() <= width ? text : text.substring(0, width - 1) + "~";
  }
}

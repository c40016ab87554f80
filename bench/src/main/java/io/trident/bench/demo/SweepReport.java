package io.trident.bench.demo;

import io.trident.bench.plot.LinePlot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Writes a concurrency sweep as sweep.csv and sweep.png (qps and p99 latency per level). */
final class SweepReport {
  private SweepReport() {}

  static void write(Path dir, String indexName, double recall, List<ConcurrencySweep.Level> rows) {
    StringBuilder csv = new StringBuilder(
        "index,recall_at_10,level,success_percent,qps,avg_ms,p95_ms,p99_ms\n");
    double[] levels = new double[rows.size()];
    double[] qps = new double[rows.size()];
    double[] p99 = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      ConcurrencySweep.Level row = rows.get(i);
      csv.append(String.format(Locale.ROOT, "%s,%.4f,%d,%.1f,%.1f,%.4f,%.4f,%.4f%n",
          indexName.replace(',', ';'), recall, row.callers(), row.successPercent(), row.qps(),
          row.avgMillis(), row.p95Millis(), row.p99Millis()));
      levels[i] = row.callers();
      qps[i] = row.qps();
      p99[i] = row.p99Millis();
    }
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("sweep.csv"), csv);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve("sweep.csv"), e);
    }
    new LinePlot("Trident " + indexName + ": throughput by concurrent callers", "concurrent callers",
        "queries per second", true, false).add("qps", levels, qps).writePng(dir.resolve("sweep.png"));
    new LinePlot("Trident " + indexName + ": p99 latency by concurrent callers", "concurrent callers",
        "p99 latency (ms)", true, true).add("p99 ms", levels, p99).writePng(dir.resolve("sweep_p99.png"));
  }
}

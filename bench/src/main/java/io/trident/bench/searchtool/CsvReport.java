package io.trident.bench.searchtool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Writes measured settings as CSV (RFC 4180 quoting), one row per setting, with one
 * {@code qps_t<N>} column per thread count that any row measured (empty where a row did not).
 */
public final class CsvReport {
  private CsvReport() {}

  public static void write(Path file, List<MeasuredSetting> rows, int k) {
    TreeSet<Integer> threadCounts = new TreeSet<>();
    for (MeasuredSetting row : rows) {
      for (int threads : row.threadCounts()) {
        threadCounts.add(threads);
      }
    }
    try (Writer out = Files.newBufferedWriter(file)) {
      StringBuilder header = new StringBuilder(
          "system,version,config,ef_search,nprobe,build_seconds,recall_at_" + k);
      for (int threads : threadCounts) {
        header.append(",qps_t").append(threads);
      }
      header.append(",latency_p50_micros,latency_p95_micros,latency_p99_micros\n");
      out.write(header.toString());
      for (MeasuredSetting row : rows) {
        StringBuilder line = new StringBuilder();
        line.append(quote(row.system())).append(',').append(quote(row.version())).append(',')
            .append(quote(row.config())).append(',').append(row.setting().efSearch())
            .append(',').append(row.setting().nprobe()).append(',')
            .append(number(row.buildSeconds(), 3)).append(',')
            .append(number(row.recall(), 5));
        for (int threads : threadCounts) {
          double qps = row.qpsAt(threads);
          line.append(',').append(Double.isNaN(qps) ? "" : number(qps, 1));
        }
        line.append(',').append(number(row.latencyP50Micros(), 1))
            .append(',').append(number(row.latencyP95Micros(), 1))
            .append(',').append(number(row.latencyP99Micros(), 1)).append('\n');
        out.write(line.toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(file.toString(), e);
    }
  }

  static String quote(String field) {
    if (field.contains(",") || field.contains("\"") || field.contains("\n")) {
      return '"' + field.replace("\"", "\"\"") + '"';
    }
    return field;
  }

  private static String number(double value, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", value);
  }
}

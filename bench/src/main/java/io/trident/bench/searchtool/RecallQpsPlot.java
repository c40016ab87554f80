package io.trident.bench.searchtool;

import io.trident.bench.plot.LinePlot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws recall@k (x, linear) against single-thread QPS (y, log scale) as a PNG: one curve per
 * system and config, points in setting order (efSearch, then nprobe), a legend.
 */
public final class RecallQpsPlot {
  private RecallQpsPlot() {}

  /** Writes the plot of {@code rows} to {@code file} (PNG). */
  public static void write(Path file, List<MeasuredSetting> rows, String title, int k) {
    Map<String, List<MeasuredSetting>> series = new LinkedHashMap<>();
    for (MeasuredSetting row : rows) {
      series.computeIfAbsent(row.seriesLabel(), s -> new ArrayList<>()).add(row);
    }
    LinePlot plot = new LinePlot(title, "recall@" + k, "queries per second, 1 thread", false, true);
    for (Map.Entry<String, List<MeasuredSetting>> entry : series.entrySet()) {
      List<MeasuredSetting> ordered = new ArrayList<>(entry.getValue());
      ordered.sort(Comparator.comparingInt((MeasuredSetting r) -> r.setting().efSearch())
          .thenComparingInt(r -> r.setting().nprobe()));
      plot.add(entry.getKey(), ordered.stream().mapToDouble(MeasuredSetting::recall).toArray(),
          ordered.stream().mapToDouble(MeasuredSetting::singleThreadQps).toArray());
    }
    plot.writePng(file);
  }
}

package io.trident.bench.searchtool;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The measured outcome of one system at one search setting: one row of the benchmark table.
 * {@code threadCounts[i]} ran at {@code queriesPerSecond[i]}; latencies are per query, measured
 * at the smallest thread count. Immutable apart from the arrays it shares; do not mutate them.
 */
public record MeasuredSetting(
    String system,
    String version,
    String config,
    SearchSetting setting,
    double buildSeconds,
    double recall,
    int[] threadCounts,
    double[] queriesPerSecond,
    double latencyP50Micros,
    double latencyP95Micros,
    double latencyP99Micros) {

  private static final String WIRE_PREFIX = "MEASURED\t";

  public MeasuredSetting {
    if (threadCounts.length != queriesPerSecond.length || threadCounts.length == 0) {
      throw new IllegalArgumentException("one QPS per thread count, at least one");
    }
  }

  /** QPS at the smallest thread count measured (the single-thread figure when 1 was run). */
  public double singleThreadQps() {
    int best = 0;
    for (int i = 1; i < threadCounts.length; i++) {
      if (threadCounts[i] < threadCounts[best]) {
        best = i;
      }
    }
    return queriesPerSecond[best];
  }

  /** QPS at {@code threads}, or NaN when that count was not measured. */
  public double qpsAt(int threads) {
    for (int i = 0; i < threadCounts.length; i++) {
      if (threadCounts[i] == threads) {
        return queriesPerSecond[i];
      }
    }
    return Double.NaN;
  }

  /** System and config, e.g. "lucene M16 efC100": one curve of the plot. */
  public String seriesLabel() {
    return system + " " + config;
  }

  /** One line of text, for passing rows from a peer's child JVM to the parent. */
  public String toWireLine() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("system", system);
    fields.put("version", version);
    fields.put("config", config);
    fields.put("ef", Integer.toString(setting.efSearch()));
    fields.put("nprobe", Integer.toString(setting.nprobe()));
    fields.put("build", Double.toString(buildSeconds));
    fields.put("recall", Double.toString(recall));
    fields.put("threads", join(Arrays.stream(threadCounts).mapToObj(Integer::toString)
        .toArray(String[]::new)));
    fields.put("qps", join(Arrays.stream(queriesPerSecond).mapToObj(Double::toString)
        .toArray(String[]::new)));
    fields.put("p50", Double.toString(latencyP50Micros));
    fields.put("p95", Double.toString(latencyP95Micros));
    fields.put("p99", Double.toString(latencyP99Micros));
    StringBuilder line = new StringBuilder(WIRE_PREFIX);
    fields.forEach((key, value) -> line.append(key).append('=')
        .append(value.replace('\t', ' ').replace('\n', ' ')).append('\t'));
    return line.toString();
  }

  /** True when {@code line} was made by {@link #toWireLine}. */
  public static boolean isWireLine(String line) {
    return line.startsWith(WIRE_PREFIX);
  }

  /** Parses a line made by {@link #toWireLine}. */
  public static MeasuredSetting fromWireLine(String line) {
    if (!isWireLine(line)) {
      throw new IllegalArgumentException("not a measured-setting line: " + line);
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (String part : line.substring(WIRE_PREFIX.length()).split("\t")) {
      int equals = part.indexOf('=');
      if (equals > 0) {
        fields.put(part.substring(0, equals), part.substring(equals + 1));
      }
    }
    String[] threads = field(fields, "threads").split(",");
    String[] qps = field(fields, "qps").split(",");
    return new MeasuredSetting(field(fields, "system"), field(fields, "version"),
        field(fields, "config"),
        new SearchSetting(Integer.parseInt(field(fields, "ef")),
            Integer.parseInt(field(fields, "nprobe"))),
        Double.parseDouble(field(fields, "build")), Double.parseDouble(field(fields, "recall")),
        Arrays.stream(threads).mapToInt(Integer::parseInt).toArray(),
        Arrays.stream(qps).mapToDouble(Double::parseDouble).toArray(),
        Double.parseDouble(field(fields, "p50")), Double.parseDouble(field(fields, "p95")),
        Double.parseDouble(field(fields, "p99")));
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s %s %s recall=%.4f qps=%.0f", system, config,
        setting.label(), recall, singleThreadQps());
  }

  private static String field(Map<String, String> fields, String key) {
    String value = fields.get(key);
    if (value == null) {
      throw new IllegalArgumentException("measured-setting line lacks " + key);
    }
    return value;
  }

  private static String join(String[] parts) {
    return String.join(",", parts);
  }
}

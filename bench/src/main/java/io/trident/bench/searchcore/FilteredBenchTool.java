package io.trident.bench.searchcore;

import io.trident.bench.cli.Arguments;
import io.trident.bench.cli.BenchPlacement;
import io.trident.bench.demo.Dataset;
import io.trident.bench.plot.LinePlot;
import io.trident.bench.searchtool.BuildProgress;
import io.trident.bench.searchtool.MeasuredSetting;
import io.trident.bench.searchtool.SearchMeasurement;
import io.trident.bench.searchtool.SearchSetting;
import io.trident.bench.searchtool.TridentSystem;
import io.trident.nativelib.ThreadPlacement;
import io.trident.search.IdFilter;
import io.trident.search.Metric;
import io.trident.search.eval.GroundTruth;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * {@code bench.sh filtered}: filtered against unfiltered search on one index, side by side in one
 * run. The index holds the data set's base rows (id = row number); each selectivity gets a random
 * id filter (seeded) and its own exact filtered ground truth; every search setting is measured
 * unfiltered and under each filter by {@link SearchMeasurement} (one query per call on one
 * thread, best of three timed runs), reporting recall@k against that ground truth, QPS and
 * latency percentiles. Writes {@code filtered.csv} and {@code filtered-recall-qps.png}.
 */
public final class FilteredBenchTool {
  public static final String USAGE = String.join("\n",
      "  filtered --data DIR --index HNSW32 [--ef 16,32,64] [--nprobe 8,16,32] [--k 10]",
      "          [--selectivity 0.1,0.01] [--seed 7] [--measure-seconds 1.5] --out DIR",
      "                                                  filtered vs unfiltered recall and QPS");
  private static final double RECALL_TARGET = 0.95;

  private FilteredBenchTool() {}

  /** One measured setting under one filter (selectivity 1 = no filter). */
  record Row(double selectivity, long allowedIds, MeasuredSetting measured, double unfilteredQps) {}

  public static void main(String[] args) throws Exception {
    Arguments arguments = Arguments.parse(args);
    Path data = Path.of(arguments.required("data"));
    String factory = arguments.string("index", "HNSW32");
    List<Integer> efs = arguments.intList("ef", List.of(16, 32, 64));
    List<Integer> nprobes = arguments.intList("nprobe", List.of(8, 16, 32));
    int k = arguments.intValue("k", 10);
    List<Double> selectivities = arguments.nameList("selectivity").stream().map(Double::parseDouble)
        .toList();
    long seed = arguments.longValue("seed", 7);
    double measureSeconds = arguments.doubleValue("measure-seconds", 1.5);
    Path out = Path.of(arguments.required("out"));
    arguments.rejectUnused();
    BenchPlacement.record(ThreadPlacement.NONE, out);
    run(data, factory, efs, nprobes, k, selectivities.isEmpty() ? List.of(0.1, 0.01) : selectivities,
        seed, measureSeconds, out, System.out);
  }

  static void run(Path data, String factory, List<Integer> efs, List<Integer> nprobes, int k,
      List<Double> selectivities, long seed, double measureSeconds, Path out, PrintStream console)
      throws IOException {
    Dataset dataset = Dataset.open(data);
    float[][] base = dataset.base();
    float[][] queries = dataset.queries();
    console.printf(Locale.ROOT, "data %s: %d x %d, %d queries; index %s; filter seed %d%n", data,
        base.length, base[0].length, queries.length, factory, seed);
    int[][] truth = dataset.groundTruth() != null ? dataset.groundTruth()
        : GroundTruth.exact(base, queries, k, Metric.L2);
    List<Row> rows = new ArrayList<>();
    try (TridentSystem system = new TridentSystem(factory, 100, efs, nprobes)) {
      long buildStart = System.nanoTime();
      try (BuildProgress progress = BuildProgress.start("trident " + factory, base.length)) {
        system.build(base, progress);
      }
      double buildSeconds = (System.nanoTime() - buildStart) / 1e9;
      List<MeasuredSetting> unfiltered = new SearchMeasurement(queries, truth, k, new int[] {1},
          0.5, measureSeconds, 3).measureAll(system, buildSeconds);
      unfiltered.forEach(m -> rows.add(new Row(1, base.length, m, m.singleThreadQps())));
      for (double selectivity : selectivities) {
        BitSet allowed = randomIds(base.length, selectivity, seed);
        int[][] filteredTruth = GroundTruth.exact(base, queries, k, Metric.L2, allowed::get);
        system.useFilter(IdFilter.ofBitSet(allowed));
        SearchMeasurement measurement =
            new SearchMeasurement(queries, filteredTruth, k, new int[] {1}, 0.5, measureSeconds, 0);
        for (int i = 0; i < system.settings().size(); i++) {
          SearchSetting setting = system.settings().get(i);
          MeasuredSetting m = measurement.measure(system, setting, buildSeconds);
          rows.add(new Row(selectivity, allowed.cardinality(), m, unfiltered.get(i).singleThreadQps()));
        }
      }
    }
    printTable(rows, k, console);
    Files.createDirectories(out);
    writeCsv(out.resolve("filtered.csv"), factory, rows, k);
    writePlot(out.resolve("filtered-recall-qps.png"), factory, rows, k);
    console.printf("wrote %s and %s%n", out.resolve("filtered.csv"), out.resolve("filtered-recall-qps.png"));
    console.println(summary(rows, selectivities));
  }

  /** Ids 0..n-1, each kept with probability {@code share}; the same seed gives the same set. */
  static BitSet randomIds(int n, double share, long seed) {
    Random random = new Random(seed ^ Double.doubleToLongBits(share));
    BitSet allowed = new BitSet(n);
    for (int id = 0; id < n; id++) {
      if (random.nextDouble() < share) {
        allowed.set(id);
      }
    }
    return allowed;
  }

  private static void printTable(List<Row> rows, int k, PrintStream console) {
    console.printf("%-11s %9s %-16s %10s %10s %9s %9s %9s %13s%n", "selectivity", "allowed",
        "setting", "recall@" + k, "qps", "p50_us", "p95_us", "p99_us", "qps/unfiltered");
    for (Row row : rows) {
      MeasuredSetting m = row.measured();
      console.printf(Locale.ROOT, "%-11s %9d %-16s %10.4f %10.0f %9.1f %9.1f %9.1f %13.2f%n",
          label(row.selectivity()), row.allowedIds(), m.setting().label(), m.recall(),
          m.singleThreadQps(), m.latencyP50Micros(), m.latencyP95Micros(), m.latencyP99Micros(),
          m.singleThreadQps() / row.unfilteredQps());
    }
  }

  /**
   * {@code unfiltered_qps_at_095=<q> sel_1pct: recall=<r> qps=<q> ratio=<x> ...}: per filter, the
   * fastest setting reaching recall 0.95, against the fastest unfiltered one (NaN: none reached).
   */
  static String summary(List<Row> rows, List<Double> selectivities) {
    double unfiltered = bestAtTarget(rows, 1)[1];
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "unfiltered_qps_at_095=%.0f", unfiltered));
    for (double selectivity : selectivities) {
      double[] best = bestAtTarget(rows, selectivity);
      line.append(String.format(Locale.ROOT, " sel_%s: recall=%.4f qps=%.0f ratio=%.2f",
          label(selectivity).replace("%", "pct"), best[0], best[1], best[1] / unfiltered));
    }
    return line.toString();
  }

  /** {recall, qps} of the fastest setting at the target recall for this selectivity. */
  private static double[] bestAtTarget(List<Row> rows, double selectivity) {
    double[] best = {Double.NaN, Double.NaN};
    for (Row row : rows) {
      MeasuredSetting m = row.measured();
      if (row.selectivity() == selectivity && m.recall() >= RECALL_TARGET
          && !(m.singleThreadQps() <= best[1])) {
        best = new double[] {m.recall(), m.singleThreadQps()};
      }
    }
    return best;
  }

  private static String label(double selectivity) {
    return selectivity == 1 ? "none" : String.format(Locale.ROOT, "%.4g%%", selectivity * 100);
  }

  private static void writeCsv(Path file, String factory, List<Row> rows, int k) throws IOException {
    StringBuilder csv = new StringBuilder("index,selectivity,allowed_ids,setting,recall_at_" + k
        + ",qps,p50_us,p95_us,p99_us,qps_vs_unfiltered\n");
    for (Row row : rows) {
      MeasuredSetting m = row.measured();
      csv.append(String.format(Locale.ROOT, "%s,%.6f,%d,%s,%.4f,%.1f,%.2f,%.2f,%.2f,%.4f%n",
          factory.replace(',', ';'), row.selectivity(), row.allowedIds(), m.setting().label(),
          m.recall(), m.singleThreadQps(), m.latencyP50Micros(), m.latencyP95Micros(),
          m.latencyP99Micros(), m.singleThreadQps() / row.unfilteredQps()));
    }
    Files.writeString(file, csv);
  }

  private static void writePlot(Path file, String factory, List<Row> rows, int k) {
    LinePlot plot = new LinePlot("Trident " + factory + ": filtered vs unfiltered (1 thread)",
        "recall@" + k + " against exact (filtered) ground truth", "queries per second", false, true);
    rows.stream().map(Row::selectivity).distinct().forEach(selectivity -> {
      List<Row> series = rows.stream().filter(r -> r.selectivity() == selectivity).toList();
      double[] recall = series.stream().mapToDouble(r -> r.measured().recall()).toArray();
      double[] qps = series.stream().mapToDouble(r -> r.measured().singleThreadQps()).toArray();
      plot.add(selectivity == 1 ? "unfiltered" : "filter " + label(selectivity), recall, qps);
    });
    plot.writePng(file);
  }
}

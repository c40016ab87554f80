package io.trident.bench.searchtool;

import io.trident.bench.cli.BenchPlacement;
import io.trident.bench.data.BenchVectors;
import io.trident.bench.peer.FaissChildRunner;
import io.trident.bench.peer.HnswlibSystem;
import io.trident.bench.peer.JVectorSystem;
import io.trident.bench.peer.LuceneChildRunner;
import io.trident.nativelib.ThreadPlacement;
import io.trident.search.Metric;
import io.trident.search.eval.GroundTruth;
import io.trident.search.io.VectorFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code bench.sh search}: builds Trident indexes (and, with --peers, the peer systems with the
 * same graph settings) on one data set, sweeps the search settings, and prints one row per
 * setting; writes results.csv, results.txt and recall-vs-qps.png to --out. The last stdout line
 * is {@code recall@k=<r> qps=<q>} for Trident's last setting, followed with --peers by
 * {@code best_peer=<name> ratio_at_095=<x>}. Progress goes to stderr. See
 * {@link SearchBenchOptions} for the options.
 */
public final class SearchBenchTool {
  public static final String CSV_FILE = "results.csv";
  public static final String TEXT_FILE = "results.txt";
  public static final String PLOT_FILE = "recall-vs-qps.png";
  private static final String SUBJECT = "trident";
  private static final String LUCENE_CHILD_HEAP = "4g";

  private final SearchBenchOptions options;
  private final PrintStream out;
  private final List<String> reportLines = new ArrayList<>();

  public SearchBenchTool(SearchBenchOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public static void main(String[] args) {
    new SearchBenchTool(SearchBenchOptions.parse(args), System.out).run();
  }

  /** Runs the whole benchmark; returns every measured row. */
  public List<MeasuredSetting> run() {
    createDirectory(options.out());
    float[][] base = BenchVectors.read(options.base());
    float[][] queries = BenchVectors.read(options.query());
    Path queryFile = options.query();
    if (queries.length > options.queriesMax()) {
      queries = Arrays.copyOf(queries, options.queriesMax());
      queryFile = options.out().resolve("queries-used.fvecs");
      VectorFiles.writeFvecs(queryFile, queries);
    }
    int[][] groundTruth = groundTruth(base, queries);
    Path groundTruthFile = groundTruthFileForChildren(groundTruth);
    System.err.printf("[bench] %d base x %d dims, %d queries, k=%d, threads %s%n", base.length,
        base[0].length, queries.length, options.k(), Arrays.toString(options.threadCounts()));

    SearchMeasurement measurement = new SearchMeasurement(queries, groundTruth, options.k(),
        options.threadCounts(), options.warmupSeconds(), options.measureSeconds(),
        options.systemWarmupSeconds());
    ResultTable table = new ResultTable(options.k(), options.threadCounts());
    print(machineLine("start"));
    print(BenchPlacement.record(ThreadPlacement.NONE, options.out()));
    print(table.header());
    List<MeasuredSetting> rows = new ArrayList<>();
    for (AnnSystem system : TridentSystems.create(options)) {
      rows.addAll(buildAndMeasure(system, base, measurement, table));
    }
    for (String peer : options.peers()) {
      if (peer.equals("lucene")) {
        rows.addAll(runLucene(queryFile, groundTruthFile, table));
      } else if (peer.equals("faiss")) {
        List<String> faissArguments = new ArrayList<>(childArguments(queryFile, groundTruthFile));
        faissArguments.addAll(List.of("--faiss-index", options.faissIndex(),
            "--nprobe", join(options.nprobeValues())));
        List<MeasuredSetting> faissRows = FaissChildRunner.run(
            faissArguments, options.out().resolve("faiss-work"));
        faissRows.forEach(row -> print(table.row(row)));
        rows.addAll(faissRows);
      } else {
        for (int m : options.peerConnections()) {
          rows.addAll(buildAndMeasure(inProcessPeer(peer, m), base, measurement, table));
        }
      }
    }
    finish(rows);
    return rows;
  }

  private List<MeasuredSetting> buildAndMeasure(AnnSystem system, float[][] base,
      SearchMeasurement measurement, ResultTable table) {
    try (system) {
      double buildSeconds;
      try (BuildProgress progress = BuildProgress.start(
          system.name() + " " + system.config(), base.length)) {
        system.build(base, progress);
        buildSeconds = progress.elapsedSeconds();
      }
      measurement.warmUp(system);
      List<MeasuredSetting> rows = new ArrayList<>();
      for (SearchSetting setting : system.settings()) {
        MeasuredSetting row = measurement.measure(system, setting, buildSeconds);
        print(table.row(row));
        rows.add(row);
      }
      return rows;
    }
  }

  private AnnSystem inProcessPeer(String peer, int connections) {
    List<SearchSetting> settings = options.efValues().stream().map(SearchSetting::ef).toList();
    return switch (peer) {
      case "jvector" -> new JVectorSystem(connections, options.efConstruction(), settings);
      case "hnswlib" -> new HnswlibSystem(connections, options.efConstruction(), settings);
      case TridentNodeSystem.NAME -> new TridentNodeSystem(connections, options.efConstruction(),
          settings, options.out().resolve("trident-node-work"));
      default -> throw new IllegalArgumentException("not an in-process peer: " + peer);
    };
  }

  /** Lucene runs in a child JVM that reads the same query and ground-truth rows from files. */
  private List<MeasuredSetting> runLucene(Path queryFile, Path groundTruthFile,
      ResultTable table) {
    LuceneChildRunner.ChildPlan plan = LuceneChildRunner.plan();
    System.err.println("[bench] Lucene peer: " + plan.description());
    List<String> arguments = new ArrayList<>(childArguments(queryFile, groundTruthFile));
    arguments.addAll(List.of(
        "--work", options.out().resolve("lucene-work").toAbsolutePath().toString()));
    List<MeasuredSetting> rows = LuceneChildRunner.run(plan, arguments, LUCENE_CHILD_HEAP);
    rows.forEach(row -> print(table.row(row)));
    return rows;
  }

  /** Arguments every peer child process takes: data files, k, graph settings, sweep, timing. */
  private List<String> childArguments(Path queryFile, Path groundTruthFile) {
    return List.of(
        "--base", options.base().toAbsolutePath().toString(),
        "--query", queryFile.toAbsolutePath().toString(),
        "--gt", groundTruthFile.toAbsolutePath().toString(),
        "--k", Integer.toString(options.k()),
        "--m", join(options.peerConnections()),
        "--ef-construction", Integer.toString(options.efConstruction()),
        "--ef", join(options.efValues()),
        "--threads", Arrays.stream(options.threadCounts()).mapToObj(Integer::toString)
            .collect(Collectors.joining(",")),
        "--warmup-seconds", Double.toString(options.warmupSeconds()),
        "--measure-seconds", Double.toString(options.measureSeconds()),
        "--system-warmup-seconds", Double.toString(options.systemWarmupSeconds()));
  }

  private int[][] groundTruth(float[][] base, float[][] queries) {
    if (options.groundTruth().isPresent()) {
      int[][] given = VectorFiles.readIvecs(options.groundTruth().get());
      if (given.length < queries.length) {
        throw new IllegalArgumentException("ground truth has " + given.length
            + " rows for " + queries.length + " queries");
      }
      return Arrays.copyOf(given, queries.length);
    }
    long startNanos = System.nanoTime();
    System.err.println("[bench] no --gt: computing exact ground truth...");
    int[][] exact = GroundTruth.exact(base, queries, options.k(), Metric.L2);
    System.err.printf("[bench] exact ground truth in %.1f s%n",
        (System.nanoTime() - startNanos) / 1e9);
    return exact;
  }

  /** The Lucene child reads ground truth from a file: the given one, or the computed one. */
  private Path groundTruthFileForChildren(int[][] groundTruth) {
    if (options.groundTruth().isPresent()) {
      return options.groundTruth().get();
    }
    Path file = options.out().resolve("groundtruth-used.ivecs");
    VectorFiles.writeIvecs(file, groundTruth);
    return file;
  }

  private void finish(List<MeasuredSetting> rows) {
    Path csv = options.out().resolve(CSV_FILE);
    Path plot = options.out().resolve(PLOT_FILE);
    CsvReport.write(csv, rows, options.k());
    if (!rows.isEmpty()) {
      RecallQpsPlot.write(plot, rows, "recall@" + options.k() + " vs QPS: "
          + dataName(options.base()), options.k());
    }
    EqualRecallComparison comparison = new EqualRecallComparison(SUBJECT, rows);
    if (!options.peers().isEmpty()) {
      comparison.reportLines(options.k()).forEach(this::print);
    }
    sideBySide(rows, comparison);
    print(machineLine("end"));
    print("wrote " + csv + " and " + plot);
    print(closingLine(rows, comparison));
    writeTextReport();
  }

  private String closingLine(List<MeasuredSetting> rows, EqualRecallComparison comparison) {
    Optional<MeasuredSetting> last = rows.stream().filter(r -> r.system().equals(SUBJECT))
        .reduce((first, second) -> second);
    String line = String.format(Locale.ROOT, "recall@%d=%.4f qps=%.1f", options.k(),
        last.map(MeasuredSetting::recall).orElse(Double.NaN),
        last.map(MeasuredSetting::singleThreadQps).orElse(Double.NaN));
    if (options.peers().isEmpty()) {
      return line;
    }
    String bestPeer = comparison.bestPeerAt(EqualRecallComparison.HEADLINE_TARGET)
        .map(MeasuredSetting::system).orElse("none");
    return line + String.format(Locale.ROOT, " best_peer=%s ratio_at_095=%.2f", bestPeer,
        comparison.ratioToBestPeer(EqualRecallComparison.HEADLINE_TARGET));
  }

  /**
   * With both trident-node and lucene in the run: time until everything is durable and
   * searchable (their build times), and single-thread QPS at recall >= 0.95, side by side.
   */
  private void sideBySide(List<MeasuredSetting> rows, EqualRecallComparison comparison) {
    Optional<MeasuredSetting> node = rows.stream()
        .filter(r -> r.system().equals(TridentNodeSystem.NAME)).findFirst();
    Optional<MeasuredSetting> lucene = rows.stream().filter(r -> r.system().equals("lucene"))
        .findFirst();
    if (node.isEmpty() || lucene.isEmpty()) {
      return;
    }
    double target = EqualRecallComparison.HEADLINE_TARGET;
    double nodeQps = comparison.pointAt(TridentNodeSystem.NAME, target)
        .map(MeasuredSetting::singleThreadQps).orElse(Double.NaN);
    double luceneQps = comparison.pointAt("lucene", target)
        .map(MeasuredSetting::singleThreadQps).orElse(Double.NaN);
    print(String.format(Locale.ROOT, "durable_and_searchable_s trident-node=%.2f (%s) lucene=%.2f"
        + " (%s) ratio=%.2f | qps_at_%.2f trident-node=%.0f lucene=%.0f ratio=%.2f",
        node.get().buildSeconds(), node.get().config(), lucene.get().buildSeconds(),
        lucene.get().config(), node.get().buildSeconds() / lucene.get().buildSeconds(), target,
        nodeQps, luceneQps, nodeQps / luceneQps));
  }

  /** Timings are only comparable on an otherwise idle machine: say how busy it was. */
  private static String machineLine(String when) {
    double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        .getSystemLoadAverage();
    return String.format(Locale.ROOT, "# machine at %s: %d cores, load average %.2f, JDK %s",
        when, Runtime.getRuntime().availableProcessors(), load, Runtime.version());
  }

  private void print(String line) {
    out.println(line);
    out.flush();
    reportLines.add(line);
  }

  private void writeTextReport() {
    try {
      Files.write(options.out().resolve(TEXT_FILE), reportLines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void createDirectory(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(directory.toString(), e);
    }
  }

  /** E.g. "sift5k/sift5k_base.fvecs": the file and the directory it is in. */
  private static String dataName(Path file) {
    Path absolute = file.toAbsolutePath();
    Path parent = absolute.getParent();
    return parent == null || parent.getFileName() == null ? absolute.getFileName().toString()
        : parent.getFileName() + "/" + absolute.getFileName();
  }

  private static String join(List<Integer> values) {
    return values.stream().map(String::valueOf).collect(Collectors.joining(","));
  }
}

package io.trident.bench.searchcore;

import io.trident.bench.cli.Arguments;
import io.trident.bench.cli.BenchPlacement;
import io.trident.bench.demo.ConcurrencySweep;
import io.trident.bench.demo.Dataset;
import io.trident.bench.plot.LinePlot;
import io.trident.nativelib.ThreadPlacement;
import io.trident.search.AsyncSearcher;
import io.trident.search.ConcurrentSearcher;
import io.trident.search.IndexSpec;
import io.trident.search.Metric;
import io.trident.search.SearchParams;
import io.trident.search.VectorIndex;
import io.trident.search.eval.GroundTruth;
import io.trident.search.eval.Recall;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench.sh async}: the seed-000 concurrency sweep, synchronous against asynchronous search
 * on one index in one run. At each caller count, that many threads each send one query at a time
 * and wait for its answer: {@code sync} through today's {@link ConcurrentSearcher} (a direct
 * search on the caller's thread for HNSW and IVF, gathered batches for Flat), {@code async}
 * through {@link AsyncSearcher#searchAsync} + join (FIFO queue, one worker per core, batches of
 * up to 16, or 64 for Flat), {@code async1} the same without gathering (batches of one), and
 * {@code asynccb} the same number of outstanding requests as callback chains without a thread
 * each ({@link CallbackLoop}: how an event-driven server uses searchAsync). Modes run interleaved
 * per level so they share the machine's conditions. Latency is the caller's, from call to answer. Writes {@code async-sweep.csv}, {@code async-qps.png} and {@code async-p99.png}.
 *
 * <p>{@code --placement} places the async modes' search workers and the thread that builds the
 * index (so its memory comes from a chosen node); the callers stay unplaced, as an application's
 * would. The placement (and a {@code scripts/numa-run.sh} process placement) is printed and
 * written to {@code placement.txt}.
 */
public final class AsyncSweepTool {
  public static final String USAGE = String.join("\n",
      "  async   --data DIR --index HNSW32 [--ef 64] [--callers 1,16,256]",
      "          [--modes sync,async,async1,asynccb]",
      "          [--queries-per-level 20000] [--seconds-per-level 10]",
      "          [--placement none|cpus:LIST|node:N] --out DIR",
      "                                                  sync vs async p50/p99/QPS by callers");

  private AsyncSweepTool() {}

  record Row(String mode, ConcurrencySweep.Level level) {}

  public static void main(String[] args) throws Exception {
    Arguments arguments = Arguments.parse(args);
    Path data = Path.of(arguments.required("data"));
    String factory = arguments.string("index", "HNSW32");
    int ef = arguments.intValue("ef", 64);
    int k = arguments.intValue("k", 10);
    List<Integer> callers = arguments.intList("callers", List.of(1, 16, 256));
    List<String> modes = arguments.nameList("modes");
    int queriesPerLevel = arguments.intValue("queries-per-level", 20_000);
    double secondsMax = arguments.doubleValue("seconds-per-level", 10);
    Path out = Path.of(arguments.required("out"));
    ThreadPlacement placement = BenchPlacement.option(arguments);
    arguments.rejectUnused();
    BenchPlacement.record(placement, out);
    run(data, factory, ef, k, callers,
        modes.isEmpty() ? List.of("sync", "async", "async1", "asynccb") : modes,
        queriesPerLevel, secondsMax, out, System.out, placement);
  }

  static void run(Path data, String factory, int ef, int k, List<Integer> callers,
      List<String> modes, int queriesPerLevel, double secondsMax, Path out, PrintStream console)
      throws Exception {
    run(data, factory, ef, k, callers, modes, queriesPerLevel, secondsMax, out, console,
        ThreadPlacement.NONE);
  }

  static void run(Path data, String factory, int ef, int k, List<Integer> callers,
      List<String> modes, int queriesPerLevel, double secondsMax, Path out, PrintStream console,
      ThreadPlacement placement) throws Exception {
    Dataset dataset = Dataset.open(data);
    float[][] base = dataset.base();
    int[][] truth = dataset.groundTruth() != null ? dataset.groundTruth()
        : GroundTruth.exact(base, dataset.queries(), k, Metric.L2);
    IndexSpec spec = IndexSpec.parse(factory);
    SearchParams params = SearchParams.defaults().withEfSearch(ef).withNprobe(Math.max(1, ef / 4));
    List<Row> rows = new ArrayList<>();
    try (VectorIndex index = BenchPlacement.callPlaced(placement, () -> build(spec, base))) {
      double recall = Recall.atK(index.searchBatch(dataset.queries(), k, params), truth, k);
      console.printf(Locale.ROOT, "data %s: %d x %d; index %s, ef %d; recall@%d=%.4f; %d cores%n",
          data, base.length, base[0].length, spec, ef, k, recall,
          Runtime.getRuntime().availableProcessors());
      ConcurrentSearcher sync = new ConcurrentSearcher(index);
      try (AsyncSearcher async = new AsyncSearcher(index, placement);
          AsyncSearcher unbatched = new AsyncSearcher(index,
              Runtime.getRuntime().availableProcessors(), 1,
              AsyncSearcher.QUEUED_QUERIES_MAX_DEFAULT, placement)) {
        List<ConcurrencySweep> sweeps = new ArrayList<>();
        for (String mode : modes) {
          ConcurrencySweep.Searcher searcher = switch (mode) {
            case "sync" -> q -> sync.search(q, k, params);
            case "async", "asynccb" -> q -> async.searchAsync(q, k, params).join();
            case "async1" -> q -> unbatched.searchAsync(q, k, params).join();
            default -> throw new IllegalArgumentException(
                "unknown mode " + mode + "; use sync, async, async1, asynccb");
          };
          ConcurrencySweep sweep = new ConcurrencySweep(searcher, dataset.queries(), k);
          sweep.run(4, Math.min(2000, queriesPerLevel), secondsMax); // warm-up, not reported
          sweeps.add(sweep);
        }
        console.printf("%-7s %8s %9s %10s %9s %9s %9s %9s %8s%n", "mode", "callers", "success%",
            "qps", "avg_ms", "p50_ms", "p95_ms", "p99_ms", "p99/p50");
        for (int level : callers) {
          for (int m = 0; m < modes.size(); m++) {
            ConcurrencySweep.Level row = modes.get(m).equals("asynccb")
                ? new CallbackLoop(async, dataset.queries(), k, params, queriesPerLevel, secondsMax).run(level)
                : sweeps.get(m).run(level, queriesPerLevel, secondsMax);
            rows.add(new Row(modes.get(m), row));
            console.printf(Locale.ROOT, "%-7s %8d %9.1f %10.0f %9.3f %9.3f %9.3f %9.3f %8.1f%n",
                modes.get(m), level, row.successPercent(), row.qps(), row.avgMillis(),
                row.p50Millis(), row.p95Millis(), row.p99Millis(), row.p99Millis() / row.p50Millis());
          }
        }
      }
    }
    Files.createDirectories(out);
    writeCsv(out.resolve("async-sweep.csv"), factory, ef, rows);
    writePlots(out, factory, modes, rows);
    console.printf("wrote %s, async-qps.png and async-p99.png%n", out.resolve("async-sweep.csv"));
    console.println(summary(rows, callers.get(callers.size() - 1)));
  }

  private static VectorIndex build(IndexSpec spec, float[][] base) {
    VectorIndex index = VectorIndex.create(base[0].length, spec);
    if (!index.isTrained()) {
      index.train(Arrays.copyOf(base, Math.min(base.length, 100_000)));
    }
    for (int from = 0; from < base.length; from += 10_000) {
      int to = Math.min(base.length, from + 10_000);
      long[] ids = new long[to - from];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = from + i;
      }
      index.add(ids, Arrays.copyOfRange(base, from, to));
      System.err.printf(Locale.ROOT, "\radding vectors: %d / %d", to, base.length);
    }
    System.err.println();
    return index;
  }

  /** {@code callers=<n> sync: qps=.. p50_ms=.. p99_ms=.. async: ...} at the largest level. */
  static String summary(List<Row> rows, int callers) {
    StringBuilder line = new StringBuilder("callers=" + callers);
    for (Row row : rows) {
      ConcurrencySweep.Level level = row.level();
      if (level.callers() == callers) {
        line.append(String.format(Locale.ROOT, " %s: qps=%.0f p50_ms=%.3f p99_ms=%.3f p99_over_p50=%.1f",
            row.mode(), level.qps(), level.p50Millis(), level.p99Millis(),
            level.p99Millis() / level.p50Millis()));
      }
    }
    return line.toString();
  }

  private static void writeCsv(Path file, String factory, int ef, List<Row> rows) throws IOException {
    StringBuilder csv = new StringBuilder(
        "index,ef,mode,callers,success_percent,qps,avg_ms,p50_ms,p95_ms,p99_ms\n");
    for (Row row : rows) {
      ConcurrencySweep.Level l = row.level();
      csv.append(String.format(Locale.ROOT, "%s,%d,%s,%d,%.1f,%.1f,%.4f,%.4f,%.4f,%.4f%n",
          factory.replace(',', ';'), ef, row.mode(), l.callers(), l.successPercent(), l.qps(),
          l.avgMillis(), l.p50Millis(), l.p95Millis(), l.p99Millis()));
    }
    Files.writeString(file, csv);
  }

  private static void writePlots(Path dir, String factory, List<String> modes, List<Row> rows) {
    LinePlot qps = new LinePlot("Trident " + factory + ": sync vs async throughput",
        "concurrent callers", "queries per second", true, false);
    LinePlot p99 = new LinePlot("Trident " + factory + ": sync vs async p99 latency",
        "concurrent callers", "p99 latency (ms)", true, true);
    for (String mode : modes) {
      List<ConcurrencySweep.Level> levels = rows.stream().filter(r -> r.mode().equals(mode))
          .map(Row::level).toList();
      double[] x = levels.stream().mapToDouble(ConcurrencySweep.Level::callers).toArray();
      qps.add(mode, x, levels.stream().mapToDouble(ConcurrencySweep.Level::qps).toArray());
      p99.add(mode, x, levels.stream().mapToDouble(ConcurrencySweep.Level::p99Millis).toArray());
    }
    qps.writePng(dir.resolve("async-qps.png"));
    p99.writePng(dir.resolve("async-p99.png"));
  }
}

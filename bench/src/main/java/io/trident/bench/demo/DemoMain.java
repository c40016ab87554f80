package io.trident.bench.demo;

import io.trident.bench.cli.Arguments;
import io.trident.bench.cli.BenchPlacement;
import io.trident.nativelib.ThreadPlacement;
import io.trident.search.ConcurrentSearcher;
import io.trident.search.IndexSpec;
import io.trident.search.Metric;
import io.trident.search.SearchParams;
import io.trident.search.SearchResult;
import io.trident.search.VectorIndex;
import io.trident.search.eval.GroundTruth;
import io.trident.search.eval.Recall;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The demo behind scripts/demo.sh: builds one index over a dataset directory holding
 * {@code *_base.fvecs}, {@code *_query.fvecs} and optionally {@code *_groundtruth.ivecs}
 * (default: shared/data/sift5k), then measures the seed-000 concurrency sweep on it and prints
 * level, success %, qps, avg/p95/p99 latency and recall@10. Also writes sweep.csv and sweep.png.
 */
public final class DemoMain {
  private DemoMain() {}

  public static void main(String[] args) throws Exception {
    Arguments arguments = Arguments.parse(args);
    Path data = Path.of(arguments.string("data", "../shared/data/sift5k"));
    String factory = arguments.string("index", "HNSW32");
    int ef = arguments.intValue("ef", 192);
    int k = arguments.intValue("k", 10);
    List<Integer> levels = arguments.intList("levels", List.of(1, 2, 4, 8, 16, 64));
    int queriesPerLevel = arguments.intValue("queries-per-level", 4000);
    double secondsMax = arguments.doubleValue("seconds-per-level", 10);
    Path out = Path.of(arguments.string("out", "bench-out/demo"));
    arguments.rejectUnused();
    BenchPlacement.record(ThreadPlacement.NONE, out);
    run(data, factory, ef, k, levels, queriesPerLevel, secondsMax, out, System.out);
  }

  static void run(Path data, String factory, int ef, int k, List<Integer> levels,
      int queriesPerLevel, double secondsMax, Path out, PrintStream console) throws Exception {
    Dataset dataset = Dataset.open(data);
    console.printf(Locale.ROOT, "dataset %s: %d base vectors, %d queries, dimension %d%n",
        data, dataset.base().length, dataset.queries().length, dataset.base()[0].length);
    int[][] truth = dataset.groundTruth() != null ? dataset.groundTruth()
        : GroundTruth.exact(dataset.base(), dataset.queries(), k, Metric.L2);
    int dimension = dataset.base()[0].length;
    IndexSpec spec = IndexSpec.parse(factory);
    try (VectorIndex index = VectorIndex.create(dimension, spec)) {
      long buildStart = System.nanoTime();
      if (!index.isTrained()) {
        index.train(dataset.base());
      }
      addWithProgress(index, dataset.base(), console);
      double buildSeconds = (System.nanoTime() - buildStart) / 1e9;
      SearchParams params = SearchParams.defaults().withEfSearch(ef).withNprobe(Math.max(1, ef / 4));
      SearchResult[] results = index.searchBatch(dataset.queries(), k, params);
      double recall = Recall.atK(results, truth, k);
      console.printf(Locale.ROOT, "index %s built in %.2f s (%s kernels, %.1f MiB); recall@%d=%.4f"
          + " at efSearch=%d%n", spec, buildSeconds, VectorIndex.kernelVariant(),
          index.bytesUsed() / 1048576.0, k, recall, ef);

      ConcurrentSearcher searcher = new ConcurrentSearcher(index);
      ConcurrencySweep sweep =
          new ConcurrencySweep(q -> searcher.search(q, k, params), dataset.queries(), k);
      sweep.run(1, Math.min(500, queriesPerLevel), secondsMax); // warm-up, not reported
      console.printf("%-8s %9s %12s %12s %12s %12s%n", "level", "success%", "qps", "avg_ms",
          "p95_ms", "p99_ms");
      List<ConcurrencySweep.Level> rows = new ArrayList<>();
      for (int callers : levels) {
        ConcurrencySweep.Level row = sweep.run(callers, queriesPerLevel, secondsMax);
        rows.add(row);
        console.printf(Locale.ROOT, "%-8d %9.1f %12.1f %12.3f %12.3f %12.3f%n", row.callers(),
            row.successPercent(), row.qps(), row.avgMillis(), row.p95Millis(), row.p99Millis());
      }
      SweepReport.write(out, spec.toString(), recall, rows);
      console.printf(Locale.ROOT, "wrote %s and %s%n", out.resolve("sweep.csv"), out.resolve("sweep.png"));
      console.printf(Locale.ROOT, "recall@%d=%.4f qps_max=%.1f%n", k, recall,
          rows.stream().mapToDouble(ConcurrencySweep.Level::qps).max().orElse(0));
    }
  }

  private static void addWithProgress(VectorIndex index, float[][] base, PrintStream console) {
    int chunk = Math.max(1000, base.length / 20);
    for (int from = 0; from < base.length; from += chunk) {
      int to = Math.min(base.length, from + chunk);
      long[] ids = new long[to - from];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = from + i;
      }
      index.add(ids, java.util.Arrays.copyOfRange(base, from, to));
      System.err.printf(Locale.ROOT, "\radding vectors: %d / %d (%.0f%%)", to, base.length,
          100.0 * to / base.length);
    }
    System.err.println();
  }
}

package io.trident.bench.sweep;

import io.trident.ReadConsistency;
import io.trident.SearchHits;
import io.trident.SearchRequest;
import io.trident.VectorCollection;
import io.trident.bench.demo.ConcurrencySweep;
import io.trident.bench.demo.Dataset;
import io.trident.search.Metric;
import io.trident.search.SearchParams;
import io.trident.search.SearchResult;
import io.trident.search.VectorIndex;
import io.trident.search.eval.GroundTruth;
import io.trident.search.eval.Recall;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Search on a replica against the standalone index, in one member process (issue 8's "within
 * 10% of the standalone index"): the member builds a {@link VectorIndex} of the same spec from
 * the same base rows (ids = rows, as the sweep's ingest), then, at each efSearch, measures
 * recall@k and single-caller QPS of its collection replica ({@code search} at {@code LOCAL}) and
 * of the standalone index ({@code search}): {@value #ROUNDS} short runs each, alternating which
 * goes first, median QPS. The other members
 * stay idle meanwhile. The standalone index is closed before this returns.
 */
final class ReplicaVsStandalone {
  /** Recall a setting must reach to count for the QPS comparison. */
  static final double RECALL_TARGET = 0.95;
  /**
   * Short alternating runs per side and ef, their median QPS reported: on a shared host one long
   * run per side mostly measures what else ran at that moment.
   */
  static final int ROUNDS = 5;

  /** One efSearch: recall@k and QPS of the replica and of the standalone index. */
  record Point(int ef, double replicaRecall, double replicaQps, double standaloneRecall,
      double standaloneQps) {
    String format() {
      return String.format(Locale.ROOT, "%d,%.6f,%.1f,%.6f,%.1f", ef, replicaRecall, replicaQps,
          standaloneRecall, standaloneQps);
    }

    static Point parse(String text) {
      String[] fields = text.split(",");
      return new Point(Integer.parseInt(fields[0]), Double.parseDouble(fields[1]),
          Double.parseDouble(fields[2]), Double.parseDouble(fields[3]),
          Double.parseDouble(fields[4]));
    }
  }

  private ReplicaVsStandalone() {}

  /** Measures every ef of {@code efs}; {@code queries}/{@code seconds} bound each QPS run. */
  static List<Point> measure(VectorCollection collection, Dataset dataset, int k,
      List<Integer> efs, int queries, double seconds) throws InterruptedException {
    float[][] base = dataset.base();
    float[][] probes = dataset.queries();
    int[][] truth = dataset.groundTruth() != null ? dataset.groundTruth()
        : GroundTruth.exact(base, probes, k, Metric.L2);
    long start = System.nanoTime();
    try (VectorIndex standalone = VectorIndex.create(base[0].length,
        collection.spec().index())) {
      long[] ids = new long[base.length];
      float[] flat = new float[base.length * base[0].length];
      for (int row = 0; row < base.length; row++) {
        ids[row] = row;
        System.arraycopy(base[row], 0, flat, row * base[row].length, base[row].length);
      }
      standalone.add(ids, flat);
      System.err.printf(Locale.ROOT, "[sweep-node] standalone %s built from %d rows in %.1f s%n",
          collection.spec().index().factory(), base.length, (System.nanoTime() - start) / 1e9);
      List<Point> points = new ArrayList<>();
      for (int i = 0; i < efs.size(); i++) {
        int ef = efs.get(i);
        SearchParams params = SearchParams.defaults().withEfSearch(ef).withOmpThreads(1);
        ConcurrencySweep replica = new ConcurrencySweep(query -> hits(collection.search(
            request(query, k, ef))), probes, k);
        ConcurrencySweep alone = new ConcurrencySweep(query -> standalone.search(query, k,
            params), probes, k);
        double[] replicaQps = new double[ROUNDS];
        double[] standaloneQps = new double[ROUNDS];
        int roundQueries = Math.max(1, queries / ROUNDS);
        for (int round = 0; round < ROUNDS; round++) {
          boolean replicaFirst = (round + i) % 2 == 0;
          if (replicaFirst) {
            replicaQps[round] = replica.run(1, roundQueries, seconds / ROUNDS).qps();
          }
          standaloneQps[round] = alone.run(1, roundQueries, seconds / ROUNDS).qps();
          if (!replicaFirst) {
            replicaQps[round] = replica.run(1, roundQueries, seconds / ROUNDS).qps();
          }
        }
        points.add(new Point(ef, replicaRecall(collection, probes, truth, k, ef),
            median(replicaQps), Recall.atK(idsOf(standalone.searchBatch(probes, k, params)),
                truth, k), median(standaloneQps)));
      }
      return points;
    }
  }

  /**
   * The lowest-ef points where each side reaches {@link #RECALL_TARGET}: {replica, standalone}
   * (either null when no ef reached it).
   */
  static Point[] atRecallTarget(List<Point> points) {
    Point replica = null;
    Point standalone = null;
    for (Point point : points) {
      if (replica == null && point.replicaRecall() >= RECALL_TARGET) {
        replica = point;
      }
      if (standalone == null && point.standaloneRecall() >= RECALL_TARGET) {
        standalone = point;
      }
    }
    return new Point[] {replica, standalone};
  }

  private static SearchRequest request(float[] query, int k, int ef) {
    return SearchRequest.builder(query).k(k).efSearch(ef).consistency(ReadConsistency.LOCAL)
        .build();
  }

  private static SearchResult hits(SearchHits hits) {
    return new SearchResult(hits.ids(), new float[hits.size()]);
  }

  private static double replicaRecall(VectorCollection collection, float[][] probes,
      int[][] truth, int k, int ef) {
    List<SearchRequest> requests = new ArrayList<>();
    for (float[] query : probes) {
      requests.add(request(query, k, ef));
    }
    return Recall.atK(collection.searchBatch(requests).stream().map(SearchHits::ids)
        .toArray(long[][]::new), truth, k);
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  private static long[][] idsOf(SearchResult[] results) {
    long[][] ids = new long[results.length][];
    for (int i = 0; i < results.length; i++) {
      ids[i] = results[i].ids();
    }
    return ids;
  }
}

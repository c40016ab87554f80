package io.trident.bench.sweep;

import io.trident.bench.demo.ConcurrencySweep;
import io.trident.bench.plot.LinePlot;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Prints the sweep's results as they come (stdout) and writes them at the end: {@code
 * sweep.csv} (one row per level, RSS per member), {@code ingest.csv}, {@code sweep.png} (QPS by
 * callers) and {@code sweep_p99.png}. Then the summary line. Not thread-safe.
 */
final class SweepReport {
  /** Ingest: acknowledged vectors over seconds; when each member had indexed them all (ms). */
  record Ingest(long vectors, double acknowledgedSeconds, long[] indexedMillis) {
    double acknowledgedPerSecond() {
      return vectors / acknowledgedSeconds;
    }

    double searchableSeconds() {
      return Arrays.stream(indexedMillis).max().orElse(0) / 1000.0;
    }

    double searchablePerSecond() {
      return vectors / searchableSeconds();
    }
  }

  /** The ingest level measured with every member streaming upserts at {@code vectorsPerSecond}. */
  record UnderIngest(ClusterLevel level, double vectorsPerSecond, int writers) {}

  private static final PrintStream OUT = System.out;
  private final SweepOptions options;
  private final int rows;
  private final List<ClusterLevel> levels = new ArrayList<>();
  /** With {@code --mode both}: each level through searchAsync, measured right after sync. */
  private final List<ClusterLevel> asyncLevels = new ArrayList<>();
  private Ingest ingest;
  private double[] recalls;

  SweepReport(SweepOptions options, int rows) {
    this.options = options;
    this.rows = rows;
  }

  void ingest(Ingest value) {
    ingest = value;
    OUT.printf(Locale.ROOT, "ingest: %d vectors of %s through Raft on %d members (fsync on):"
        + " acknowledged in %.2f s = %.0f vectors/s; searchable on every replica after %.2f s ="
        + " %.0f vectors/s; index lag after the last ack %.2f s%n", value.vectors(),
        options.data().getFileName(), options.nodes(), value.acknowledgedSeconds(),
        value.acknowledgedPerSecond(), value.searchableSeconds(), value.searchablePerSecond(),
        value.searchableSeconds() - value.acknowledgedSeconds());
    for (int i = 0; i < value.indexedMillis().length; i++) {
      OUT.printf(Locale.ROOT, "  node-%d indexed all %d at %.2f s%n", i, rows,
          value.indexedMillis()[i] / 1000.0);
    }
  }

  void recalls(double[] values) {
    recalls = values;
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "recall@%d at efSearch=%d:",
        options.k(), options.ef()));
    for (int i = 0; i < values.length; i++) {
      line.append(String.format(Locale.ROOT, " node-%d=%.4f", i, values[i]));
    }
    OUT.println(line);
    OUT.printf("%-8s %9s %12s %10s %10s %10s %s%n", "level", "success%", "qps", "avg_ms",
        "p95_ms", "p99_ms", "rss_mib per node");
  }

  void level(ClusterLevel level) {
    levels.add(level);
    ConcurrencySweep.Level row = level.merged();
    OUT.printf(Locale.ROOT, "%-8d %9.1f %12.1f %10.3f %10.3f %10.3f %s%n", row.callers(),
        row.successPercent(), row.qps(), row.avgMillis(), row.p95Millis(), row.p99Millis(),
        rssText(level.rssKibibytes()));
  }

  /** The level {@code sync} measured again through searchAsync; printed beside it. */
  void asyncLevel(ClusterLevel async, ClusterLevel sync) {
    asyncLevels.add(async);
    ConcurrencySweep.Level row = async.merged();
    OUT.printf(Locale.ROOT, "  async  %9.1f %12.1f %10.3f %10.3f %10.3f %s | qps %.2fx sync,"
        + " p99/p50 %.1f (sync %.1f)%n", row.successPercent(), row.qps(), row.avgMillis(),
        row.p95Millis(), row.p99Millis(), rssText(async.rssKibibytes()),
        row.qps() / sync.merged().qps(), row.p99Millis() / row.p50Millis(),
        sync.merged().p99Millis() / sync.merged().p50Millis());
  }

  void underIngest(ClusterLevel without, UnderIngest with) {
    ConcurrencySweep.Level a = without.merged();
    ConcurrencySweep.Level b = with.level().merged();
    OUT.printf(Locale.ROOT, "search at %d callers per member: without ingest p50 %.3f ms p99"
        + " %.3f ms qps %.0f; with %d members upserting (%.0f vectors/s acknowledged) p50 %.3f ms"
        + " p99 %.3f ms qps %.0f; p99 ratio %.2f%n", a.callers(), a.p50Millis(), a.p99Millis(),
        a.qps(), with.writers(), with.vectorsPerSecond(), b.p50Millis(), b.p99Millis(), b.qps(),
        b.p99Millis() / a.p99Millis());
    write("ingest_p99.csv", "callers,ingest_vps,p50_ms,p95_ms,p99_ms,qps\n"
        + String.format(Locale.ROOT, "%d,0,%.4f,%.4f,%.4f,%.1f%n%d,%.0f,%.4f,%.4f,%.4f,%.1f%n",
            a.callers(), a.p50Millis(), a.p95Millis(), a.p99Millis(), a.qps(), b.callers(),
            with.vectorsPerSecond(), b.p50Millis(), b.p95Millis(), b.p99Millis(), b.qps()));
  }

  /**
   * Prints the replica-vs-standalone table and the comparison at recall@k >= {@value
   * ReplicaVsStandalone#RECALL_TARGET}; writes {@code replica_vs_standalone.csv} and
   * {@code replica_vs_standalone.png} (QPS by recall, both sides).
   */
  void standalone(List<ReplicaVsStandalone.Point> points) {
    OUT.printf("%-6s %14s %12s %17s %15s %8s%n", "ef", "replica_recall", "replica_qps",
        "standalone_recall", "standalone_qps", "ratio");
    StringBuilder csv = new StringBuilder("index,ef,replica_recall,replica_qps,"
        + "standalone_recall,standalone_qps,qps_ratio\n");
    double[][] series = new double[4][points.size()];
    for (int i = 0; i < points.size(); i++) {
      ReplicaVsStandalone.Point p = points.get(i);
      double ratio = p.replicaQps() / p.standaloneQps();
      OUT.printf(Locale.ROOT, "%-6d %14.4f %12.1f %17.4f %15.1f %8.3f%n", p.ef(),
          p.replicaRecall(), p.replicaQps(), p.standaloneRecall(), p.standaloneQps(), ratio);
      csv.append(String.format(Locale.ROOT, "%s,%s,%.4f%n", options.index(), p.format(), ratio));
      series[0][i] = p.replicaRecall();
      series[1][i] = p.replicaQps();
      series[2][i] = p.standaloneRecall();
      series[3][i] = p.standaloneQps();
    }
    write("replica_vs_standalone.csv", csv.toString());
    new LinePlot("Trident " + options.index() + ": one replica of " + options.nodes()
        + " vs the standalone index (1 caller)", "recall@" + options.k(), "queries per second",
        false, false).add("replica (node-0)", series[0], series[1])
        .add("standalone index", series[2], series[3])
        .writePng(options.out().resolve("replica_vs_standalone.png"));
    ReplicaVsStandalone.Point[] at = ReplicaVsStandalone.atRecallTarget(points);
    if (at[0] == null || at[1] == null) {
      OUT.printf(Locale.ROOT, "replica_vs_standalone: no efSearch of %s reached recall %.2f on"
          + " both%n", options.compareEfs(), ReplicaVsStandalone.RECALL_TARGET);
      return;
    }
    OUT.printf(Locale.ROOT, "replica_vs_standalone at recall@%d >= %.2f: replica %.0f qps (ef"
        + " %d, recall %.4f), standalone %.0f qps (ef %d, recall %.4f), ratio %.3f%n",
        options.k(), ReplicaVsStandalone.RECALL_TARGET, at[0].replicaQps(), at[0].ef(),
        at[0].replicaRecall(), at[1].standaloneQps(), at[1].ef(), at[1].standaloneRecall(),
        at[0].replicaQps() / at[1].standaloneQps());
  }

  void finish() {
    StringBuilder csv = new StringBuilder("index,ef,recall_at_k,level,success_percent,qps,avg_ms,"
        + "p50_ms,p95_ms,p99_ms");
    for (int i = 0; i < options.nodes(); i++) {
      csv.append(",rss_mib_node").append(i);
    }
    csv.append('\n');
    double minRecall = Arrays.stream(recalls).min().orElse(0);
    double[] x = new double[levels.size()];
    double[] qps = new double[levels.size()];
    double[] p99 = new double[levels.size()];
    for (int i = 0; i < levels.size(); i++) {
      ConcurrencySweep.Level row = levels.get(i).merged();
      csv.append(String.format(Locale.ROOT, "%s,%d,%.4f,%d,%.1f,%.1f,%.4f,%.4f,%.4f,%.4f",
          options.index(), options.ef(), minRecall, row.callers(), row.successPercent(),
          row.qps(), row.avgMillis(), row.p50Millis(), row.p95Millis(), row.p99Millis()));
      for (long kib : levels.get(i).rssKibibytes()) {
        csv.append(String.format(Locale.ROOT, ",%.1f", kib / 1024.0));
      }
      csv.append('\n');
      x[i] = row.callers();
      qps[i] = row.qps();
      p99[i] = row.p99Millis();
    }
    write("sweep.csv", csv.toString());
    write("ingest.csv", String.format(Locale.ROOT, "nodes,vectors,acknowledged_s,acknowledged_vps,"
        + "searchable_s,searchable_vps,index_lag_s,batch,window%n%d,%d,%.3f,%.1f,%.3f,%.1f,%.3f,"
        + "%d,%d%n", options.nodes(), ingest.vectors(), ingest.acknowledgedSeconds(),
        ingest.acknowledgedPerSecond(), ingest.searchableSeconds(), ingest.searchablePerSecond(),
        ingest.searchableSeconds() - ingest.acknowledgedSeconds(), options.batchRows(),
        options.windowBatches()));
    String title = options.nodes() + " members, " + options.index() + " ef" + options.ef();
    new LinePlot("Trident " + title + ": QPS by callers per member", "callers per member",
        "queries per second (all members)", true, false).add("qps", x, qps)
        .writePng(options.out().resolve("sweep.png"));
    new LinePlot("Trident " + title + ": p99 latency by callers per member",
        "callers per member", "p99 latency (ms)", true, true).add("p99 ms", x, p99)
        .writePng(options.out().resolve("sweep_p99.png"));
    if (!asyncLevels.isEmpty()) {
      writeAsyncComparison();
    }
    OUT.printf("wrote sweep.csv, ingest.csv, ingest_p99.csv, sweep.png, sweep_p99.png in %s%n",
        options.out());
    OUT.printf(Locale.ROOT, "ingest_vps=%.0f qps_max=%.0f recall_at_10=%.4f"
        + " rss_ratio_256_vs_1=%.3f%n", ingest.acknowledgedPerSecond(),
        Arrays.stream(qps).max().orElse(0), minRecall, rssRatio(256, 1));
  }

  /** {@code async.csv} (sync and async side by side per level) and its summary line. */
  private void writeAsyncComparison() {
    StringBuilder csv = new StringBuilder("level,sync_qps,async_qps,async_vs_sync_qps,"
        + "sync_p50_ms,sync_p99_ms,async_p50_ms,async_p99_ms,async_p99_over_p50\n");
    double[] x = new double[asyncLevels.size()];
    double[] syncQps = new double[x.length];
    double[] asyncQps = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      ConcurrencySweep.Level sync = levels.get(i).merged();
      ConcurrencySweep.Level async = asyncLevels.get(i).merged();
      csv.append(String.format(Locale.ROOT, "%d,%.1f,%.1f,%.3f,%.4f,%.4f,%.4f,%.4f,%.2f%n",
          sync.callers(), sync.qps(), async.qps(), async.qps() / sync.qps(), sync.p50Millis(),
          sync.p99Millis(), async.p50Millis(), async.p99Millis(),
          async.p99Millis() / async.p50Millis()));
      x[i] = sync.callers();
      syncQps[i] = sync.qps();
      asyncQps[i] = async.qps();
    }
    write("async.csv", csv.toString());
    new LinePlot("Trident " + options.nodes() + " members: sync vs async QPS by callers",
        "callers per member", "queries per second (all members)", true, false)
        .add("sync", x, syncQps).add("async", x, asyncQps)
        .writePng(options.out().resolve("async.png"));
    int last = x.length - 1;
    ConcurrencySweep.Level top = asyncLevels.get(last).merged();
    OUT.printf(Locale.ROOT, "async at %d callers: qps %.2fx sync, p99/p50 %.2f (async.csv,"
        + " async.png)%n", top.callers(), asyncQps[last] / syncQps[last],
        top.p99Millis() / top.p50Millis());
  }

  /** The largest member's ratio of peak RSS at {@code high} callers to that at {@code low}. */
  private double rssRatio(int high, int low) {
    ClusterLevel atHigh = byCallers(high);
    ClusterLevel atLow = byCallers(low);
    if (atHigh == null || atLow == null) {
      return Double.NaN;
    }
    double ratio = 0;
    for (int i = 0; i < atHigh.rssKibibytes().length; i++) {
      ratio = Math.max(ratio, (double) atHigh.rssKibibytes()[i] / atLow.rssKibibytes()[i]);
    }
    return ratio;
  }

  private ClusterLevel byCallers(int callers) {
    return levels.stream().filter(l -> l.merged().callers() == callers).findFirst().orElse(null);
  }

  private static String rssText(long[] kibibytes) {
    StringBuilder text = new StringBuilder();
    for (long kib : kibibytes) {
      text.append(String.format(Locale.ROOT, "%s%.0f", text.length() == 0 ? "" : " ",
          kib / 1024.0));
    }
    return text.toString();
  }

  private void write(String file, String text) {
    try {
      Files.createDirectories(options.out());
      Files.writeString(options.out().resolve(file), text);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot write " + options.out().resolve(file), e);
    }
  }
}

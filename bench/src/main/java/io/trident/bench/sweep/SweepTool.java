package io.trident.bench.sweep;

import io.trident.bench.cluster.LoopbackPorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * {@code bench.sh sweep}: the seed-000 table on a real cluster. Starts {@code --nodes} member
 * processes on 127.0.0.1 ({@link NodeProcess}), creates a collection, has every member upsert
 * its share of the base set through Raft (fsync on, as always), and reports acknowledged
 * vectors/s, searchable-on-every-replica vectors/s and the index lag; then recall@k on every
 * member, then each concurrency level on all members at once, then search latency at one level
 * without and with a concurrent ingest; in between, member 0's replica against a standalone index
 * of the same rows ({@link ReplicaVsStandalone}). Table on stdout, CSV and PNG in {@code --out}; the last
 * line is {@code ingest_vps=<x> qps_max=<y> recall_at_10=<r> rss_ratio_256_vs_1=<m>}.
 */
public final class SweepTool {
  public static final String USAGE = SweepOptions.USAGE;
  private static final long START_SECONDS_MAX = 180;
  private static final long INGEST_SECONDS_MAX = 1800;
  private static final long START_DELAY_MILLIS = 500;
  private static final long BACKGROUND_ID_BASE = 1L << 40;

  private final SweepOptions options;
  private final List<NodeProcess> nodes = new ArrayList<>();

  private SweepTool(SweepOptions options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    SweepOptions options = SweepOptions.parse(args);
    Path work = options.work() != null ? options.work()
        : Files.createTempDirectory("trident-sweep");
    try {
      new SweepTool(options).run(work);
    } finally {
      if (options.work() == null) {
        deleteTree(work);
      }
    }
  }

  private void run(Path work) throws Exception {
    List<String> peers = new ArrayList<>();
    for (int i = 0; i < options.nodes(); i++) {
      peers.add("127.0.0.1:" + LoopbackPorts.free());
    }
    try {
      for (int i = 0; i < options.nodes(); i++) {
        nodes.add(NodeProcess.start(i, peers, work.resolve("node-" + i), options.data(),
            options.nodeHeap(), options.nodeOptions(), options.nodeJvmArguments()));
      }
      int rows = 0;
      for (NodeProcess node : nodes) {
        rows = Integer.parseInt(node.expect("ready", START_SECONDS_MAX).split(" ")[1]);
      }
      System.err.printf("[sweep] %d members up on %s; %d base vectors from %s%n", nodes.size(),
          peers, rows, options.data());
      nodes.get(0).call("create " + options.index(), "created", START_SECONDS_MAX);
      all(node -> "open", "opened", START_SECONDS_MAX);
      SweepReport report = new SweepReport(options, rows);
      report.ingest(ingest(rows));
      List<String> recalls = all(node -> "recall " + options.ef() + " " + options.k(), "recall",
          INGEST_SECONDS_MAX);
      report.recalls(recalls.stream().mapToDouble(a -> Double.parseDouble(a.split(" ")[1]))
          .toArray());
      boolean both = options.mode().equals("both");
      String mode = both ? "sync" : options.mode();
      level(1, Math.min(2000, options.queriesPerLevel()), mode); // warm-up, not reported
      for (int callers : options.levels()) {
        ClusterLevel level = level(callers, options.queriesPerLevel(), mode);
        report.level(level);
        if (both) { // the same level again through searchAsync, right after: side by side
          report.asyncLevel(level(callers, options.queriesPerLevel(), "async"), level);
        }
      }
      if (options.standalone()) {
        report.standalone(replicaVsStandalone());
      }
      report.underIngest(level(options.ingestLevel(), options.queriesPerLevel(), mode),
          levelUnderIngest(mode));
      report.finish();
    } finally {
      for (NodeProcess node : nodes) {
        node.close();
      }
    }
  }

  /** Every member ingests its share from one start time; then waits until all have indexed. */
  private SweepReport.Ingest ingest(int rows) throws Exception {
    long startMillis = System.currentTimeMillis() + START_DELAY_MILLIS;
    System.err.printf("[sweep] ingesting %d vectors through Raft from %d members (batch %d,"
        + " %d batches in flight each)%n", rows, nodes.size(), options.batchRows(),
        options.windowBatches());
    List<String> acks = all(node -> "ingest " + startMillis + " " + options.batchRows() + " "
        + options.windowBatches(), "ingested", INGEST_SECONDS_MAX);
    List<String> indexed = all(node -> "indexed", "indexed", INGEST_SECONDS_MAX);
    long acknowledgedMillis = 0;
    long vectors = 0;
    for (String ack : acks) {
      acknowledgedMillis = Math.max(acknowledgedMillis, Long.parseLong(ack.split(" ")[1]));
      vectors += Long.parseLong(ack.split(" ")[2]);
    }
    long[] indexedMillis = indexed.stream().mapToLong(a -> Long.parseLong(a.split(" ")[1])
        - startMillis).toArray();
    return new SweepReport.Ingest(vectors, (acknowledgedMillis - startMillis) / 1000.0,
        indexedMillis);
  }

  /** One level; {@code mode} is sync ({@code search}) or async ({@code searchAsync().join()}). */
  private ClusterLevel level(int callers, int queries, String mode) throws Exception {
    System.err.printf("[sweep] level %d (%s): %d callers on each of %d members%n", callers, mode,
        callers, nodes.size());
    return ClusterLevel.parse(all(node -> String.format(Locale.ROOT, "search %d %d %.3f %d %d %s",
        callers, queries, options.secondsPerLevel(), options.ef(), options.k(), mode),
        "level", (long) options.secondsPerLevel() + 120));
  }

  /**
   * Member 0's replica against a standalone index of the same rows, in its process, while the
   * other members idle; before the ingest-under-load level, which adds rows to the replicas.
   */
  private List<ReplicaVsStandalone.Point> replicaVsStandalone() throws Exception {
    System.err.printf("[sweep] replica vs standalone index on node-0 at efSearch %s%n",
        options.compareEfs());
    String efs = String.join(",", options.compareEfs().stream().map(String::valueOf).toList());
    String answer = nodes.get(0).call(String.format(Locale.ROOT, "standalone %d %d %.3f %s",
        options.k(), options.queriesPerLevel(), options.secondsPerLevel(), efs), "standalone",
        INGEST_SECONDS_MAX);
    List<ReplicaVsStandalone.Point> points = new ArrayList<>();
    String[] words = answer.split(" ");
    for (int i = 1; i < words.length; i++) {
      points.add(ReplicaVsStandalone.Point.parse(words[i]));
    }
    return points;
  }

  /** The ingest level again while every member streams upserts of fresh ids. */
  private SweepReport.UnderIngest levelUnderIngest(String mode) throws Exception {
    List<String> started = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      started.add(nodes.get(i).call("background start " + options.batchRows() + " "
          + options.windowBatches() + " " + BACKGROUND_ID_BASE * (i + 1), "background", 60));
    }
    ClusterLevel level = level(options.ingestLevel(), options.queriesPerLevel(), mode);
    long vectors = 0;
    double seconds = 0;
    for (String answer : all(node -> "background stop", "background", 300)) {
      vectors += Long.parseLong(answer.split(" ")[1]);
      seconds = Math.max(seconds, Double.parseDouble(answer.split(" ")[2]));
    }
    return new SweepReport.UnderIngest(level, vectors / seconds, started.size());
  }

  /** Sends each member its command, then collects every answer (the members work at once). */
  private List<String> all(Function<Integer, String> command, String expected,
      long timeoutSeconds) throws Exception {
    for (int i = 0; i < nodes.size(); i++) {
      nodes.get(i).send(command.apply(i));
    }
    List<String> answers = new ArrayList<>();
    for (NodeProcess node : nodes) {
      answers.add(node.expect(expected, timeoutSeconds));
    }
    return answers;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}

package io.trident.bench.sweep;

import io.trident.CollectionSpec;
import io.trident.NodeOptions;
import io.trident.ReadConsistency;
import io.trident.SearchHits;
import io.trident.SearchRequest;
import io.trident.Trident;
import io.trident.TridentNode;
import io.trident.VectorCollection;
import io.trident.bench.cli.Arguments;
import io.trident.bench.cluster.TridentLayers;
import io.trident.bench.demo.ConcurrencySweep;
import io.trident.bench.demo.Dataset;
import io.trident.search.Metric;
import io.trident.search.SearchResult;
import io.trident.search.eval.GroundTruth;
import io.trident.search.eval.Recall;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One member of the sweep's cluster, in its own JVM (started by {@link NodeProcess}): opens a
 * {@link TridentNode} on 127.0.0.1, loads the data set, then serves the coordinator's commands,
 * one per stdin line, each answered by one {@code @}-prefixed stdout line (progress goes to
 * stderr). Commands: {@code create SPEC}, {@code open}, {@code ingest START_MS BATCH WINDOW},
 * {@code indexed}, {@code recall EF K}, {@code search CALLERS QUERIES SECONDS EF K MODE},
 * {@code background start|stop BATCH WINDOW ID_BASE}, {@code standalone K QUERIES SECONDS
 * EF,EF,...} ({@link ReplicaVsStandalone}), {@code quit}. Exits 1 on any failure.
 */
public final class SweepNodeMain {
  static final String COLLECTION = "sweep";
  private static final Duration READY = Duration.ofSeconds(60);

  private final int nodeIndex;
  private final int nodeCount;
  private final TridentNode node;
  private final Dataset dataset;
  private VectorCollection collection;
  private IndexedWatch indexedWatch;
  private BackgroundIngest background;

  private SweepNodeMain(int nodeIndex, int nodeCount, TridentNode node, Dataset dataset) {
    this.nodeIndex = nodeIndex;
    this.nodeCount = nodeCount;
    this.node = node;
    this.dataset = dataset;
  }

  public static void main(String[] args) {
    try {
      Arguments arguments = Arguments.parse(args);
      int index = arguments.intValue("node", 0);
      List<String> peers = Arrays.asList(arguments.required("peers").split(","));
      Path dir = Path.of(arguments.required("dir"));
      Dataset dataset = Dataset.open(Path.of(arguments.required("data")));
      NodeOptions.Builder options = NodeOptions.builder().dataDir(dir).groupId("sweep")
          .self(peers.get(index)).peers(peers);
      for (String option : arguments.all("option")) {
        int equals = option.indexOf('=');
        options.set(option.substring(0, equals), option.substring(equals + 1));
      }
      arguments.rejectUnused();
      try (TridentNode node = Trident.open(options.build())) {
        node.awaitReady(READY);
        new SweepNodeMain(index, peers.size(), node, dataset).serve();
      }
      System.exit(0);
    } catch (Throwable e) {
      System.err.println("[sweep-node] failed: " + e);
      e.printStackTrace();
      System.exit(1);
    }
  }

  private void serve() throws Exception {
    reply("ready " + dataset.base().length);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
        StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] words = line.trim().split(" ");
      switch (words[0]) {
        case "create" -> {
          collection = node.collections().create(COLLECTION, CollectionSpec.builder()
              .dimension(dataset.base()[0].length).metric(Metric.L2).index(words[1]).build())
              .get();
          reply("created");
        }
        case "open" -> {
          collection = awaitCollection();
          reply("opened");
        }
        case "ingest" -> ingest(Long.parseLong(words[1]), Integer.parseInt(words[2]),
            Integer.parseInt(words[3]));
        case "indexed" -> reply("indexed " + indexedWatch.awaitEpochMillis());
        case "recall" -> recall(Integer.parseInt(words[1]), Integer.parseInt(words[2]));
        case "search" -> search(words);
        case "background" -> background(words);
        case "standalone" -> standalone(words);
        case "quit" -> {
          reply("bye");
          return;
        }
        default -> throw new IllegalArgumentException("unknown command: " + line);
      }
    }
  }

  /** Upserts this member's share of the rows (row % nodeCount == nodeIndex) from START_MS. */
  private void ingest(long startEpochMillis, int batchRows, int windowBatches) throws Exception {
    indexedWatch = IndexedWatch.start(collection, dataset.base().length);
    Thread.sleep(Math.max(0, startEpochMillis - System.currentTimeMillis()));
    SliceIngest ingest = new SliceIngest(collection, dataset.base(), batchRows, windowBatches);
    TridentLayers before = layers();
    long begin = System.nanoTime();
    long count = ingest.ingestRows(nodeIndex, nodeCount, 0, () -> true);
    long acknowledgedMillis = System.currentTimeMillis();
    for (String row : layers().describeSince(before, (System.nanoTime() - begin) / 1e9)) {
      System.err.println("[node-" + nodeIndex + " layers during ingest] " + row);
    }
    reply("ingested " + acknowledgedMillis + " " + count);
  }

  private TridentLayers layers() {
    return new TridentLayers(List.of(node.stats()), List.of(node.isLeader()));
  }

  private void recall(int ef, int k) {
    float[][] queries = dataset.queries();
    int[][] truth = dataset.groundTruth() != null ? dataset.groundTruth()
        : GroundTruth.exact(dataset.base(), queries, k, Metric.L2);
    List<SearchRequest> requests = new ArrayList<>();
    for (float[] query : queries) {
      requests.add(SearchRequest.builder(query).k(k).efSearch(ef).build());
    }
    List<SearchHits> hits = collection.searchBatch(requests);
    long[][] ids = hits.stream().map(SearchHits::ids).toArray(long[][]::new);
    reply(String.format(Locale.ROOT, "recall %.6f", Recall.atK(ids, truth, k)));
  }

  /** One level: CALLERS threads, QUERIES in all, at most SECONDS; replies latencies in us. */
  private void search(String[] words) throws Exception {
    int callers = Integer.parseInt(words[1]);
    int queries = Integer.parseInt(words[2]);
    double seconds = Double.parseDouble(words[3]);
    int ef = Integer.parseInt(words[4]);
    int k = Integer.parseInt(words[5]);
    boolean async = words[6].equals("async");
    ConcurrencySweep sweep = new ConcurrencySweep(query -> {
      SearchRequest request = SearchRequest.builder(query).k(k).efSearch(ef)
          .consistency(ReadConsistency.LOCAL).build();
      SearchHits hits = async ? collection.searchAsync(request).join()
          : collection.search(request);
      return new SearchResult(hits.ids(), new float[hits.size()]);
    }, dataset.queries(), k);
    ConcurrencySweep.Measured measured;
    long peak;
    try (ResidentMemory rss = ResidentMemory.sample()) {
      measured = sweep.measure(callers, queries, seconds);
      rss.close();
      peak = rss.peakKibibytes();
    }
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "level %d %d %d %.6f %d ",
        callers, measured.attempted(), measured.succeeded(), measured.seconds(), peak));
    for (int i = 0; i < measured.attempted(); i++) {
      line.append(i == 0 ? "" : ",").append(measured.latenciesNanos()[i] / 1000);
    }
    reply(line.toString());
  }

  /** The replica against a standalone index of the same rows; replies each ef's point. */
  private void standalone(String[] words) throws Exception {
    List<Integer> efs = Arrays.stream(words[4].split(",")).map(Integer::parseInt).toList();
    List<ReplicaVsStandalone.Point> points = ReplicaVsStandalone.measure(collection, dataset,
        Integer.parseInt(words[1]), efs, Integer.parseInt(words[2]),
        Double.parseDouble(words[3]));
    StringBuilder line = new StringBuilder("standalone");
    for (ReplicaVsStandalone.Point point : points) {
      line.append(' ').append(point.format());
    }
    reply(line.toString());
  }

  private void background(String[] words) throws Exception {
    if (words[1].equals("start")) {
      background = BackgroundIngest.start(collection, dataset.base(), Integer.parseInt(words[2]),
          Integer.parseInt(words[3]), Long.parseLong(words[4]));
      reply("background started");
    } else {
      BackgroundIngest.Outcome outcome = background.stop();
      reply(String.format(Locale.ROOT, "background %d %.6f", outcome.vectors(),
          outcome.seconds()));
    }
  }

  private VectorCollection awaitCollection() throws InterruptedException {
    long deadline = System.nanoTime() + READY.toNanos();
    while (System.nanoTime() < deadline) {
      if (node.collections().list().contains(COLLECTION)) {
        return node.collections().collection(COLLECTION);
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException("collection " + COLLECTION + " not visible on node "
        + nodeIndex + " after " + READY);
  }

  static void reply(String line) {
    System.out.println("@" + line);
    System.out.flush();
  }
}

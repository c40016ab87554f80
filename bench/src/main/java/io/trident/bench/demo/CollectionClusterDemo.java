package io.trident.bench.demo;

import io.trident.BatchResult;
import io.trident.CollectionSpec;
import io.trident.NodeOptions;
import io.trident.ReadConsistency;
import io.trident.SearchHits;
import io.trident.SearchRequest;
import io.trident.Trident;
import io.trident.TridentNode;
import io.trident.UpsertBatch;
import io.trident.VectorCollection;
import io.trident.bench.cluster.LoopbackPorts;
import io.trident.search.Metric;
import io.trident.search.eval.GroundTruth;
import io.trident.search.eval.Recall;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The demo's replicated collection: an embedded 3-member cluster on 127.0.0.1 (in this JVM)
 * ingests a data set into a collection through every member, loses its leader halfway (closed,
 * as a crashed process looks to the others; failed batches are retried on a survivor under the
 * same batch id, so none applies twice), takes it back (reopened on its data), and shows that
 * every acknowledged vector is stored and searchable on all three members and that the members
 * return the same hits. Usage: {@code CollectionClusterDemo DATASET_DIR}.
 */
public final class CollectionClusterDemo {
  private static final int BATCH_ROWS = 250;
  private static final int ATTEMPTS_MAX = 20;
  private static final int EF_SEARCH = 256;
  private static final int K = 10;
  private static final Duration READY = Duration.ofSeconds(30);
  private static final long CONVERGE_SECONDS_MAX = 120;

  private final List<String> peers = new ArrayList<>();
  private final Path root;
  private final TridentNode[] nodes = new TridentNode[3];

  private CollectionClusterDemo(Path root) {
    this.root = root;
  }

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args.length > 0 ? args[0] : "../shared/data/sift5k");
    Dataset dataset = Dataset.open(data);
    CollectionClusterDemo demo = new CollectionClusterDemo(
        Files.createTempDirectory("trident-collection-demo"));
    try {
      demo.run(dataset);
    } finally {
      demo.closeAll();
    }
  }

  private void run(Dataset dataset) throws Exception {
    for (int i = 0; i < 3; i++) {
      peers.add("127.0.0.1:" + LoopbackPorts.free());
    }
    for (int i = 0; i < 3; i++) {
      open(i);
    }
    for (TridentNode node : nodes) {
      node.awaitReady(READY);
    }
    float[][] base = dataset.base();
    nodes[0].collections().create("sift", CollectionSpec.builder().dimension(base[0].length)
        .metric(Metric.L2).index("HNSW32").build()).get(30, TimeUnit.SECONDS);
    int batches = (base.length + BATCH_ROWS - 1) / BATCH_ROWS;
    long start = System.nanoTime();
    int killed = -1;
    long acknowledged = 0;
    for (int b = 0; b < batches; b++) {
      UpsertBatch batch = batch(b, base);
      if (b == batches / 2) {
        killed = leader();
        System.out.printf("[collection] %d of %d vectors acknowledged; sending batch %s to the"
            + " leader %s and closing it while the batch is in flight%n", acknowledged,
            base.length, batch.id(), peers.get(killed));
        CompletableFuture<BatchResult> inFlight = nodes[killed].collections().collection("sift")
            .upsertAll(batch);
        nodes[killed].close();
        nodes[killed] = null;
        System.out.printf("[collection] the in-flight batch %s%n", inFlight.handle(
            (result, error) -> error == null ? "was acknowledged before the close"
                : "failed (" + error.getClass().getSimpleName() + "): retried on a survivor")
            .get(30, TimeUnit.SECONDS));
      }
      acknowledged += upsertWithRetry(b, batch);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "[collection] all %d vectors acknowledged in %.2f s (%.0f/s)"
        + " by the surviving members; reopening %s%n", acknowledged, seconds,
        acknowledged / seconds, peers.get(killed));
    open(killed);
    nodes[killed].awaitReady(READY);
    check(dataset);
  }

  private static UpsertBatch batch(int b, float[][] base) {
    UpsertBatch batch = new UpsertBatch("demo-batch-" + b);
    for (int row = b * BATCH_ROWS; row < Math.min(base.length, (b + 1) * BATCH_ROWS); row++) {
      batch.upsert(row, base[row], null);
    }
    return batch;
  }

  /** Sends batch {@code b} to member b % 3 (or the next live one), retrying with the same id. */
  private int upsertWithRetry(int b, UpsertBatch batch) throws InterruptedException {
    RuntimeException last = null;
    int failed = 0;
    for (int attempt = 0; attempt < ATTEMPTS_MAX; attempt++) {
      TridentNode node = nodes[(b + attempt) % 3];
      if (node == null) {
        continue;
      }
      try {
        BatchResult result = node.collections().collection("sift").upsertAll(batch)
            .get(30, TimeUnit.SECONDS);
        if (failed > 0 || result.duplicate()) {
          System.out.printf("[collection] batch %s acknowledged after %d failed attempts%s%n",
              batch.id(), failed, result.duplicate()
                  ? " (a retry of an applied batch: not re-applied)" : "");
        }
        return batch.size();
      } catch (Exception e) {
        last = new IllegalStateException(e);
        failed++;
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("batch " + batch.id() + " not acknowledged", last);
  }

  /** Every member: all ids stored and searchable, recall, and the same hits as member 0. */
  private void check(Dataset dataset) throws Exception {
    float[][] base = dataset.base();
    float[][] queries = dataset.queries();
    int[][] truth = dataset.groundTruth() != null ? dataset.groundTruth()
        : GroundTruth.exact(base, queries, K, Metric.L2);
    long[][][] hitsByNode = new long[3][][];
    for (int i = 0; i < 3; i++) {
      VectorCollection sift = nodes[i].collections().collection("sift");
      awaitSize(sift, base.length);
      int missing = 0;
      for (int row = 0; row < base.length; row++) {
        if (sift.get(row, ReadConsistency.LOCAL).get() == null) {
          missing++;
        }
      }
      List<SearchRequest> requests = new ArrayList<>();
      for (float[] query : queries) {
        requests.add(SearchRequest.builder(query).k(K).efSearch(EF_SEARCH).build());
      }
      hitsByNode[i] = sift.searchBatch(requests).stream().map(SearchHits::ids)
          .toArray(long[][]::new);
      System.out.printf(Locale.ROOT, "[collection] member %s: %d records searchable, %d of %d"
          + " acknowledged ids missing, recall@%d=%.4f (efSearch %d)%n", peers.get(i),
          sift.size(), missing, base.length, K, Recall.atK(hitsByNode[i], truth, K), EF_SEARCH);
    }
    for (int i = 1; i < 3; i++) {
      int differing = 0;
      for (int q = 0; q < queries.length; q++) {
        if (!Arrays.equals(hitsByNode[0][q], hitsByNode[i][q])) {
          differing++;
        }
      }
      System.out.printf("[collection] %s vs %s: %d of %d queries return different top-%d ids%n",
          peers.get(i), peers.get(0), differing, queries.length, K);
    }
  }

  private static void awaitSize(VectorCollection collection, long size)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CONVERGE_SECONDS_MAX);
    while (collection.size() < size && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  private void open(int i) {
    nodes[i] = Trident.open(NodeOptions.builder().dataDir(root.resolve("node-" + i))
        .groupId("collection-demo").self(peers.get(i)).peers(peers)
        .electionTimeout(Duration.ofMillis(500)).build());
  }

  private int leader() {
    for (int i = 0; i < nodes.length; i++) {
      if (nodes[i] != null && nodes[i].isLeader()) {
        return i;
      }
    }
    throw new IllegalStateException("no leader");
  }

  private void closeAll() {
    for (TridentNode node : nodes) {
      if (node != null) {
        node.close();
      }
    }
  }
}

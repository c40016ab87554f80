package io.trident.bench.recovery;

import io.trident.CollectionSpec;
import io.trident.IndexRecoveryStats;
import io.trident.NodeOptions;
import io.trident.SearchHits;
import io.trident.SearchRequest;
import io.trident.Trident;
import io.trident.TridentNode;
import io.trident.UpsertBatch;
import io.trident.VectorCollection;
import io.trident.bench.cli.Arguments;
import io.trident.bench.data.ClusteredDataGenerator;
import io.trident.bench.plot.LinePlot;
import io.trident.internal.node.ReplicatedNode;
import io.trident.search.Metric;
import io.trident.search.eval.GroundTruth;
import io.trident.search.eval.Recall;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code bench.sh restart}: restart-to-searchable time of a one-member node holding one
 * collection (default 100K x 128 clustered vectors, HNSW32) with a snapshot, the index loaded
 * from the snapshot's files ({@code load}) against rebuilt from the stored records ({@code
 * rebuild}: the same data directory with the snapshot's index files removed, which is the
 * fallback path and what every restart did before snapshots carried index files). Modes
 * alternate per round on fresh copies of one prepared directory (so both read warm page cache).
 * After the snapshot, {@code --tail} more records are written, so a load also replays state
 * newer than the snapshot. Prints one row per restart, writes {@code restart.csv} and {@code
 * restart.png}, and ends with {@code restart_load_ms=.. restart_rebuild_ms=.. speedup=..}
 * (medians over rounds).
 */
public final class RestartBenchTool {
  public static final String USAGE = String.join("\n",
      "  restart --n 100000 --d 128 --index HNSW32 [--tail 1000] [--rounds 3] [--ef 64]",
      "          --out DIR         restart-to-searchable: index loaded from snapshot vs rebuilt");
  private static final String COLLECTION = "bench";
  private static final int QUERIES = 200;
  private static final int K = 10;
  private static final int BATCH_RECORDS = 1000;
  private static final int BATCHES_IN_FLIGHT_MAX = 8;
  private static final long SEARCHABLE_WAIT_MILLIS_MAX = 600_000;

  private RestartBenchTool() {}

  /** One restart: the mode, its times (ms) and what the node reports about its indexes. */
  record Restart(int round, String mode, double openMillis, double searchableMillis,
      IndexRecoveryStats stats, double recallAt10) {}

  public static void main(String[] args) throws Exception {
    Arguments arguments = Arguments.parse(args);
    int n = arguments.intValue("n", 100_000);
    int dimension = arguments.intValue("d", 128);
    String factory = arguments.string("index", "HNSW32");
    int tail = arguments.intValue("tail", 1000);
    int rounds = arguments.intValue("rounds", 3);
    int ef = arguments.intValue("ef", 64);
    Path out = Path.of(arguments.required("out"));
    arguments.rejectUnused();
    run(n, dimension, factory, tail, rounds, ef, out, System.out);
  }

  static void run(int n, int dimension, String factory, int tail, int rounds, int ef, Path out,
      PrintStream console) throws Exception {
    Files.createDirectories(out);
    ClusteredDataGenerator generator = new ClusteredDataGenerator(dimension,
        ClusteredDataGenerator.DEFAULT_CLUSTER_COUNT, ClusteredDataGenerator.DEFAULT_SEED);
    float[][] vectors = generator.base(n + tail);
    float[][] queries = generator.queries(QUERIES);
    int[][] truth = GroundTruth.exact(vectors, queries, K, Metric.L2);
    Path prepared = out.resolve("prepared");
    String self = "127.0.0.1:" + freeLoopbackPort();
    CollectionSpec spec = CollectionSpec.builder().dimension(dimension).metric(Metric.L2)
        .index(factory).build();
    prepare(prepared, self, spec, vectors, n, console);
    List<Restart> restarts = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      for (String mode : List.of("load", "rebuild")) {
        Path copy = out.resolve("restart-" + mode);
        copyTree(prepared, copy);
        if (mode.equals("rebuild")) {
          removeSnapshotIndexFiles(copy);
        }
        Restart restart = restart(round, mode, copy, self, vectors.length, queries, truth, ef);
        restarts.add(restart);
        console.printf(Locale.ROOT, "round %d %-7s open %8.1f ms  searchable %8.1f ms  %s"
            + "  recall@10 %.4f%n", round, mode, restart.openMillis(),
            restart.searchableMillis(), restart.stats(), restart.recallAt10());
        deleteTree(copy);
      }
    }
    deleteTree(prepared);
    report(restarts, n, dimension, factory, tail, out, console);
  }

  /** Ingests n records through Raft, waits until indexed, snapshots, writes the tail, closes. */
  private static void prepare(Path dir, String self, CollectionSpec spec, float[][] vectors,
      int n, PrintStream console) throws Exception {
    deleteTree(dir);
    long start = System.nanoTime();
    try (TridentNode node = Trident.open(options(dir, self))) {
      node.awaitReady(Duration.ofSeconds(30));
      VectorCollection collection = node.collections().create(COLLECTION, spec)
          .get(60, TimeUnit.SECONDS);
      upsert(collection, vectors, 0, n, console);
      awaitSize(collection, n);
      ((ReplicatedNode) node).snapshotNow().get(600, TimeUnit.SECONDS);
      upsert(collection, vectors, n, vectors.length, console);
      awaitSize(collection, vectors.length);
    }
    console.printf(Locale.ROOT, "prepared %d records (+%d after the snapshot) in %.1f s%n", n,
        vectors.length - n, (System.nanoTime() - start) / 1e9);
  }

  private static void upsert(VectorCollection collection, float[][] vectors, int from, int to,
      PrintStream console) throws Exception {
    List<CompletableFuture<?>> inFlight = new ArrayList<>();
    for (int batchFrom = from; batchFrom < to; batchFrom += BATCH_RECORDS) {
      UpsertBatch batch = new UpsertBatch();
      for (int id = batchFrom; id < Math.min(to, batchFrom + BATCH_RECORDS); id++) {
        batch.upsert(id, vectors[id], null);
      }
      inFlight.add(collection.upsertAll(batch));
      if (inFlight.size() == BATCHES_IN_FLIGHT_MAX) {
        inFlight.remove(0).get(120, TimeUnit.SECONDS);
      }
      if ((batchFrom - from) % 20_000 == 0 && batchFrom > from) {
        console.printf("  ingested %d of %d%n", batchFrom - from, to - from);
      }
    }
    for (CompletableFuture<?> pending : inFlight) {
      pending.get(120, TimeUnit.SECONDS);
    }
  }

  /** Opens the copy and waits until every record is searchable; closes it again. */
  private static Restart restart(int round, String mode, Path dir, String self, int records,
      float[][] queries, int[][] truth, int ef) throws Exception {
    long start = System.nanoTime();
    try (TridentNode node = Trident.open(options(dir, self))) {
      double openMillis = (System.nanoTime() - start) / 1e6;
      VectorCollection collection = node.collections().collection(COLLECTION);
      long deadline = System.currentTimeMillis() + SEARCHABLE_WAIT_MILLIS_MAX;
      while (collection.size() != records || collection.search(queries[0], K).size() != K) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException(mode + ": not searchable after "
              + SEARCHABLE_WAIT_MILLIS_MAX + " ms (" + collection.size() + " records)");
        }
        Thread.sleep(1);
      }
      double searchableMillis = (System.nanoTime() - start) / 1e6;
      long[][] found = new long[queries.length][];
      for (int q = 0; q < queries.length; q++) {
        SearchHits hits = collection.search(SearchRequest.builder(queries[q]).k(K).efSearch(ef)
            .build());
        found[q] = new long[hits.size()];
        for (int i = 0; i < hits.size(); i++) {
          found[q][i] = hits.get(i).id();
        }
      }
      return new Restart(round, mode, openMillis, searchableMillis,
          node.collections().indexRecoveryStats(), Recall.atK(found, truth, K));
    }
  }

  private static void report(List<Restart> restarts, int n, int dimension, String factory,
      int tail, Path out, PrintStream console) throws IOException {
    StringBuilder csv = new StringBuilder("round,mode,open_ms,searchable_ms,indexes_loaded,"
        + "indexes_rebuilt,records_replayed,records_rebuilt,recall_at_10\n");
    LinePlot plot = new LinePlot("restart to searchable, " + n + " x " + dimension + " "
        + factory, "round", "ms", false, false);
    for (String mode : List.of("load", "rebuild")) {
      List<Restart> ofMode = restarts.stream().filter(r -> r.mode().equals(mode)).toList();
      plot.add(mode, ofMode.stream().mapToDouble(Restart::round).toArray(),
          ofMode.stream().mapToDouble(Restart::searchableMillis).toArray());
    }
    for (Restart r : restarts) {
      csv.append(String.format(Locale.ROOT, "%d,%s,%.1f,%.1f,%d,%d,%d,%d,%.4f%n", r.round(),
          r.mode(), r.openMillis(), r.searchableMillis(), r.stats().indexesLoaded(),
          r.stats().indexesRebuilt(), r.stats().recordsReplayed(), r.stats().recordsRebuilt(),
          r.recallAt10()));
    }
    Files.writeString(out.resolve("restart.csv"), csv);
    plot.writePng(out.resolve("restart.png"));
    double load = median(restarts, "load");
    double rebuild = median(restarts, "rebuild");
    console.printf(Locale.ROOT, "n=%d d=%d index=%s tail=%d; CSV %s, PNG %s%n", n, dimension,
        factory, tail, out.resolve("restart.csv"), out.resolve("restart.png"));
    console.printf(Locale.ROOT, "restart_load_ms=%.1f restart_rebuild_ms=%.1f speedup=%.2f%n",
        load, rebuild, rebuild / load);
  }

  private static double median(List<Restart> restarts, String mode) {
    double[] times = restarts.stream().filter(r -> r.mode().equals(mode))
        .mapToDouble(Restart::searchableMillis).sorted().toArray();
    return times.length % 2 == 1 ? times[times.length / 2]
        : (times[times.length / 2 - 1] + times[times.length / 2]) / 2;
  }

  private static NodeOptions options(Path dir, String self) {
    return NodeOptions.builder().dataDir(dir).groupId("restart-bench").self(self)
        .peers(List.of(self)).snapshotInterval(Duration.ofHours(24)).build();
  }

  private static void awaitSize(VectorCollection collection, long size) throws Exception {
    long deadline = System.currentTimeMillis() + SEARCHABLE_WAIT_MILLIS_MAX;
    while (collection.size() != size) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("collection holds " + collection.size() + " of " + size);
      }
      Thread.sleep(10);
    }
  }

  /** Removes the collection index files (not the manifest) from every snapshot under dir. */
  private static void removeSnapshotIndexFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(path -> path.getFileName().toString().endsWith(".index")
          || path.getFileName().toString().endsWith(".slots")).toList()) {
        Files.delete(file);
      }
    }
  }

  /** {@code cp -a --sparse=always}: the journal's preallocated files stay sparse. */
  private static void copyTree(Path from, Path to) throws IOException, InterruptedException {
    deleteTree(to);
    Process copy = new ProcessBuilder("cp", "-a", "--sparse=always", from.toString(),
        to.toString()).inheritIO().start();
    if (copy.waitFor() != 0) {
      throw new IOException("cp " + from + " " + to + " failed");
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(file);
      }
    }
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}

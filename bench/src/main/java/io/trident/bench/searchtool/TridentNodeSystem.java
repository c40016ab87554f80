package io.trident.bench.searchtool;

import io.trident.CollectionSpec;
import io.trident.NodeOptions;
import io.trident.SearchHits;
import io.trident.SearchRequest;
import io.trident.Trident;
import io.trident.TridentNode;
import io.trident.VectorCollection;
import io.trident.bench.cluster.LoopbackPorts;
import io.trident.bench.sweep.SliceIngest;
import io.trident.search.IndexSpec;
import io.trident.search.Metric;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Trident as an embedded single-node store ({@code --peers trident-node}): a {@link TridentNode}
 * with no peers (its Raft journal fsyncs every append, as on a cluster) holding one collection
 * {@code HNSW<M>} with the run's efConstruction. The build upserts every row (id = row) with
 * {@link VectorCollection#upsertAll} in batches of {@value #BATCH_ROWS}, {@value #WINDOW_BATCHES}
 * in flight, and ends when every row is acknowledged (durable) and searchable (in the native
 * index): the time Lucene's build ends with its durable commit. Searches are
 * {@link VectorCollection#search} on the calling thread, LOCAL consistency.
 */
public final class TridentNodeSystem implements AnnSystem {
  public static final String NAME = "trident-node";
  private static final int BATCH_ROWS = 1024;
  private static final int WINDOW_BATCHES = 8;
  private static final long SEARCHABLE_WAIT_SECONDS_MAX = 1800;

  private final int connections;
  private final int efConstruction;
  private final List<SearchSetting> settings;
  private final Path workDirectory;
  private TridentNode node;
  private VectorCollection collection;
  private volatile int efSearch = 16;

  public TridentNodeSystem(int connections, int efConstruction, List<SearchSetting> settings,
      Path workDirectory) {
    this.connections = connections;
    this.efConstruction = efConstruction;
    this.settings = List.copyOf(settings);
    this.workDirectory = workDirectory;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String version() {
    return "0.1.0 single node, fsync on";
  }

  @Override
  public String config() {
    return "HNSW" + connections + " efC" + efConstruction;
  }

  @Override
  public void build(float[][] base, BuildProgress progress) {
    try {
      Files.createDirectories(workDirectory);
      node = Trident.open(NodeOptions.builder().dataDir(Files.createTempDirectory(workDirectory,
          "node")).groupId("search-bench").self("127.0.0.1:" + LoopbackPorts.free()).build());
      node.awaitReady(Duration.ofSeconds(60));
      collection = node.collections().create("bench", CollectionSpec.builder()
          .dimension(base[0].length).metric(Metric.L2)
          .index(IndexSpec.parse("HNSW" + connections).withEfConstruction(efConstruction))
          .build()).get();
      new SliceIngest(collection, base, BATCH_ROWS, WINDOW_BATCHES).ingestRows(0, 1, 0, () -> true);
      long deadline = System.nanoTime() + SEARCHABLE_WAIT_SECONDS_MAX * 1_000_000_000L;
      long searchable = 0;
      while ((searchable = collection.size()) < base.length && System.nanoTime() < deadline) {
        progress.advance(searchable - progress.done());
        Thread.sleep(1);
      }
      if (searchable < base.length) {
        throw new IllegalStateException("only " + searchable + " of " + base.length
            + " rows searchable after " + SEARCHABLE_WAIT_SECONDS_MAX + " s");
      }
      progress.advance(base.length - progress.done());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("cannot create the collection", e.getCause());
    }
  }

  @Override
  public List<SearchSetting> settings() {
    return settings;
  }

  @Override
  public void apply(SearchSetting setting) {
    efSearch = setting.efSearch();
  }

  @Override
  public int[] search(float[] query, int k) {
    SearchHits hits = collection.search(SearchRequest.builder(query).k(k).efSearch(efSearch)
        .build());
    int[] rows = new int[hits.size()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = (int) hits.get(i).id();
    }
    return rows;
  }

  @Override
  public void close() {
    if (node != null) {
      node.close();
      node = null;
    }
    try (java.util.stream.Stream<Path> paths = Files.exists(workDirectory)
        ? Files.walk(workDirectory) : java.util.stream.Stream.empty()) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      System.err.println("[bench] cannot delete " + workDirectory + ": " + e);
    }
  }
}

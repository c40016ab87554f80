package io.trident.bench.peer;

import com.github.jelmerk.hnswlib.core.DistanceFunctions;
import com.github.jelmerk.hnswlib.core.Item;
import com.github.jelmerk.hnswlib.core.SearchResult;
import com.github.jelmerk.hnswlib.core.hnsw.HnswIndex;
import io.trident.bench.searchtool.AnnSystem;
import io.trident.bench.searchtool.BuildProgress;
import io.trident.bench.searchtool.SearchSetting;
import java.util.ArrayList;
import java.util.List;

/**
 * Peer: hnswlib-java (com.github.jelmerk:hnswlib-core), in this JVM. HNSW with the given M and
 * efConstruction, L2 distance; the ef of a setting is the index's search ef. Built with one
 * thread per core; searches are thread-safe.
 */
public final class HnswlibSystem implements AnnSystem {
  private static final String VERSION = "1.2.0";

  private final int maxConnections;
  private final int efConstruction;
  private final List<SearchSetting> settings;
  private HnswIndex<Integer, float[], Row, Float> index;

  /** A base row: id = row number. Serializable as hnswlib requires of items. */
  record Row(Integer id, float[] vector) implements Item<Integer, float[]> {
    private static final long serialVersionUID = 1L;

    @Override
    public int dimensions() {
      return vector.length;
    }
  }

  public HnswlibSystem(int maxConnections, int efConstruction, List<SearchSetting> settings) {
    this.maxConnections = maxConnections;
    this.efConstruction = efConstruction;
    this.settings = List.copyOf(settings);
  }

  @Override
  public String name() {
    return "hnswlib";
  }

  @Override
  public String version() {
    return VERSION + " on JDK " + Runtime.version().feature();
  }

  @Override
  public String config() {
    return "M" + maxConnections + " efC" + efConstruction;
  }

  @Override
  public void build(float[][] base, BuildProgress progress) {
    index = HnswIndex.newBuilder(base[0].length, DistanceFunctions.FLOAT_EUCLIDEAN_DISTANCE,
            base.length)
        .withM(maxConnections)
        .withEfConstruction(efConstruction)
        .withEf(efConstruction)
        .build();
    List<Row> rows = new ArrayList<>(base.length);
    for (int i = 0; i < base.length; i++) {
      rows.add(new Row(i, base[i]));
    }
    int threads = Runtime.getRuntime().availableProcessors();
    int reportEvery = 1000;
    try {
      // The listener receives (done, total) every reportEvery items.
      index.addAll(rows, threads, (done, total) -> progress.advance(done - progress.done()),
          reportEvery);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("hnswlib build interrupted", e);
    }
    progress.advance(base.length - progress.done());
  }

  @Override
  public List<SearchSetting> settings() {
    return settings;
  }

  @Override
  public void apply(SearchSetting setting) {
    index.setEf(setting.efSearch());
  }

  @Override
  public int[] search(float[] query, int k) {
    List<SearchResult<Row, Float>> found = index.findNearest(query, k);
    int[] ids = new int[found.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = found.get(i).item().id();
    }
    return ids;
  }

  @Override
  public void close() {
    index = null;
  }
}

package io.trident.bench.peer;

import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.ListRandomAccessVectorValues;
import io.github.jbellis.jvector.graph.OnHeapGraphIndex;
import io.github.jbellis.jvector.graph.RandomAccessVectorValues;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.graph.similarity.SearchScoreProvider;
import io.github.jbellis.jvector.util.Bits;
import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;
import io.trident.bench.searchtool.AnnSystem;
import io.trident.bench.searchtool.BuildProgress;
import io.trident.bench.searchtool.SearchSetting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Peer: JVector (io.github.jbellis:jvector), in this JVM, exact float vectors (no PQ). JVector's
 * graph has one layer, so its maximum degree is set to 2*M, the degree of HNSW's bottom layer
 * in the other systems; beam width = efConstruction; alpha and neighbour overflow 1.2 (its
 * defaults). A setting's ef is JVector's rerankK, the search beam. One GraphSearcher per
 * thread (they are not thread-safe).
 */
public final class JVectorSystem implements AnnSystem {
  private static final String VERSION = "3.0.6";
  private static final float ALPHA = 1.2f;
  private static final float NEIGHBOR_OVERFLOW = 1.2f;

  private final int maxConnections;
  private final int efConstruction;
  private final List<SearchSetting> settings;
  private final VectorTypeSupport vectorTypes =
      VectorizationProvider.getInstance().getVectorTypeSupport();
  private RandomAccessVectorValues vectors;
  private OnHeapGraphIndex graph;
  private ThreadLocal<GraphSearcher> searchers;
  private volatile int beamWidth;

  public JVectorSystem(int maxConnections, int efConstruction, List<SearchSetting> settings) {
    this.maxConnections = maxConnections;
    this.efConstruction = efConstruction;
    this.settings = List.copyOf(settings);
  }

  @Override
  public String name() {
    return "jvector";
  }

  @Override
  public String version() {
    return VERSION + " on JDK " + Runtime.version().feature() + " ("
        + VectorizationProvider.getInstance().getClass().getSimpleName() + ")";
  }

  @Override
  public String config() {
    return "M" + maxConnections + " efC" + efConstruction;
  }

  @Override
  public void build(float[][] base, BuildProgress progress) {
    List<VectorFloat<?>> rows = new ArrayList<>(base.length);
    for (float[] row : base) {
      rows.add(vectorTypes.createFloatVector(row));
    }
    vectors = new ListRandomAccessVectorValues(rows, base[0].length);
    try (GraphIndexBuilder builder = new GraphIndexBuilder(vectors,
        VectorSimilarityFunction.EUCLIDEAN, 2 * maxConnections, efConstruction,
        NEIGHBOR_OVERFLOW, ALPHA)) {
      // addGraphNode is safe to call concurrently; ours runs on the common pool like build().
      IntStream.range(0, base.length).parallel().forEach(i -> {
        builder.addGraphNode(i, vectors);
        progress.advance(1);
      });
      builder.cleanup();
      graph = builder.getGraph();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    OnHeapGraphIndex built = graph;
    searchers = ThreadLocal.withInitial(() -> new GraphSearcher(built));
  }

  @Override
  public List<SearchSetting> settings() {
    return settings;
  }

  @Override
  public void apply(SearchSetting setting) {
    beamWidth = setting.efSearch();
  }

  @Override
  public int[] search(float[] query, int k) {
    SearchScoreProvider scores = SearchScoreProvider.exact(vectorTypes.createFloatVector(query),
        VectorSimilarityFunction.EUCLIDEAN, vectors);
    SearchResult result = searchers.get().search(scores, k, Math.max(k, beamWidth), 0f, 0f,
        Bits.ALL);
    SearchResult.NodeScore[] nodes = result.getNodes();
    int[] ids = new int[nodes.length];
    for (int i = 0; i < nodes.length; i++) {
      ids[i] = nodes[i].node;
    }
    return ids;
  }

  @Override
  public void close() {
    graph = null;
    vectors = null;
    searchers = null;
  }
}

package io.trident.bench.searchtool;

import java.util.List;

/**
 * One approximate-nearest-neighbour system under test (Trident or a peer), adapted to what the
 * search benchmark needs. Lifecycle: {@link #build} once, then for each of {@link #settings}:
 * {@link #apply} (single-threaded), then {@link #search} from any number of threads at once,
 * then {@link #close}.
 */
public interface AnnSystem extends AutoCloseable {
  /** Short system name used in tables and as the peer name: trident, lucene, jvector, ... */
  String name();

  /** Library version and runtime, e.g. "10.6.0 on JDK 25 (vector module)". */
  String version();

  /** Build configuration, e.g. "HNSW32" or "M16 efC100". */
  String config();

  /**
   * Indexes every row of {@code base}; a row's number is its id in search results. Reports
   * progress through {@code progress}. Called once.
   */
  void build(float[][] base, BuildProgress progress);

  /** Search settings to sweep, cheapest (lowest recall) first. */
  List<SearchSetting> settings();

  /** Makes {@code setting} the one later searches use. Not concurrent with searches. */
  void apply(SearchSetting setting);

  /**
   * The row numbers of the approximate {@code k} nearest base rows to {@code query}, nearest
   * first (may be fewer than k). Thread-safe; one query per call.
   */
  int[] search(float[] query, int k);

  /** Releases the index. Idempotent. */
  @Override
  void close();
}

package io.trident.internal.collection;

import io.trident.search.VectorIndex;
import java.util.Arrays;

/**
 * Adds a batch of vectors to a native index in several calls, because each native add holds the
 * index exclusively (searches wait for it): one thread adds {@value #CHUNK_VECTORS} vectors a
 * call, several threads {@value #PARALLEL_CHUNK_VECTORS}. Stateless; any thread.
 */
final class ChunkedAdd {
  /** Most vectors in one single-threaded add (about 5 ms of HNSW32 inserts at 128-d). */
  static final int CHUNK_VECTORS = 64;
  /**
   * Most vectors in one multi-threaded add of a graph (about 0.1 s of HNSW32 inserts at 128-d
   * on 2 idle cores): enough to keep the threads busy and to pay for the search layout such an
   * add recopies, few enough that searches wait at most about that long.
   */
  static final int PARALLEL_CHUNK_VECTORS = 1024;

  private ChunkedAdd() {}

  /**
   * Adds the first {@code count} slots of {@code slots} with their rows of {@code vectors} to
   * {@code target}, in order. {@code threads} 1: each call on the index spec's own build threads;
   * else that many threads per call (0 = every core).
   */
  static void add(VectorIndex target, long[] slots, float[] vectors, int count, int threads) {
    int dimension = target.dimension();
    boolean parallel = threads != 1;
    int chunk = CHUNK_VECTORS;
    if (parallel) { // equal chunks: no small remainder paying for a whole layout copy
      int calls = (count + PARALLEL_CHUNK_VECTORS - 1) / PARALLEL_CHUNK_VECTORS;
      chunk = Math.max(1, (count + calls - 1) / Math.max(1, calls));
    }
    for (int from = 0; from < count; from += chunk) {
      int to = Math.min(count, from + chunk);
      long[] chunkSlots = Arrays.copyOfRange(slots, from, to);
      float[] chunkVectors = Arrays.copyOfRange(vectors, from * dimension, to * dimension);
      if (parallel) {
        target.add(chunkSlots, chunkVectors, threads);
      } else {
        target.add(chunkSlots, chunkVectors);
      }
    }
  }
}

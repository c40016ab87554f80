package io.trident.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * k larger than the index is not bad input (issue 8): every search path returns the hits there
 * are, never throws, and the array forms pad the rest of each row with id -1 and the metric's
 * worst distance. Also when the index is empty, or shrinks between calls.
 */
class KLargerThanIndexTest {
  private static final int D = 8;
  private static final int SIZE = 300;
  private static final int K = 500;
  private static final SearchParams PARAMS = SearchParams.defaults().withEfSearch(32).withNprobe(4);

  private static VectorIndex build(String factory, int size) {
    float[][] base = TestVectors.random(Math.max(size, 256), D, 3);
    VectorIndex index = VectorIndex.create(D, IndexSpec.parse(factory));
    if (!index.isTrained()) {
      index.train(base);
    }
    index.add(TestVectors.ids(0, size), Arrays.copyOf(base, size));
    return index;
  }

  @ParameterizedTest
  @ValueSource(strings = {"Flat", "HNSW16", "IVF4,Flat", "IVF4,PQ2", "SQ8", "SQfp16"})
  void everyIndexTypeReturnsAllItsVectors(String factory) throws Exception {
    float[] query = TestVectors.random(1, D, 9)[0];
    try (VectorIndex index = build(factory, SIZE)) {
      SearchResult one = index.search(query, K, PARAMS); // IVF4 with nprobe 4 probes every list
      assertEquals(SIZE, one.count(), factory);
      assertEquals(one.count(), Arrays.stream(one.ids()).distinct().count(), "no repeats");

      SearchResult[] batch = index.searchBatch(new float[][] {query, query}, K, PARAMS);
      assertArrayEquals(one.ids(), batch[1].ids());

      float[] distances = new float[K];
      long[] ids = new long[K];
      index.searchFlat(query, 1, K, PARAMS, distances, ids);
      for (int i = one.count(); i < K; i++) {
        assertEquals(-1, ids[i], "padding id");
        assertEquals(Float.POSITIVE_INFINITY, distances[i], "padding distance for L2");
      }

      FloatBuffer q = ByteBuffer.allocateDirect(D * 4).order(ByteOrder.nativeOrder()).asFloatBuffer().put(query);
      q.flip();
      FloatBuffer d = ByteBuffer.allocateDirect(K * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
      LongBuffer l = ByteBuffer.allocateDirect(K * 8).order(ByteOrder.nativeOrder()).asLongBuffer();
      index.searchBatch(q, 1, K, PARAMS, d, l);
      assertEquals(-1, l.get(K - 1));

      ConcurrentSearcher concurrent = new ConcurrentSearcher(index, ConcurrentSearcher.Batching.ALWAYS, 8, 2, 64);
      assertArrayEquals(one.ids(), concurrent.search(query, K, PARAMS).ids());
      try (AsyncSearcher async = new AsyncSearcher(index)) {
        assertArrayEquals(one.ids(), async.searchAsync(query, K, PARAMS).get(30, TimeUnit.SECONDS).ids());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"Flat", "HNSW16", "IVF4,Flat", "SQ8"})
  void emptyOrShrinkingIndexNeverThrows(String factory) {
    try (VectorIndex index = build(factory, 5)) {
      float[] query = TestVectors.random(1, D, 10)[0];
      assertEquals(5, index.search(query, 10, PARAMS.withNprobe(4)).count());
      index.remove(0, 1, 2);
      assertEquals(2, index.search(query, 10, PARAMS.withNprobe(4)).count());
      index.remove(3, 4);
      assertEquals(0, index.search(query, 10, PARAMS).count());
      assertEquals(0, index.searchBatch(new float[][] {query}, 1, PARAMS)[0].count());
    }
  }
}

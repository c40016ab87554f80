package io.trident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.error.DimensionMismatchException;
import io.trident.error.TridentException;
import io.trident.search.ConcurrentSearcher;
import io.trident.search.IndexSpec;
import io.trident.search.Metric;
import io.trident.search.SearchParams;
import io.trident.search.SearchResult;
import io.trident.search.VectorIndex;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README in code: how an application uses Trident's vector search. */
class TutorialTest {
  @TempDir Path dir;

  @Test
  void tutorial() throws Exception {
    // 1. The native kernels load from the jar; nothing to install but libgomp/libopenblas.
    assertTrue(Trident.isAvailable(), () -> "not loaded: " + Trident.unavailabilityCause());

    // 2. Create an index: a FAISS factory spec, a metric, a dimension.
    IndexSpec spec = IndexSpec.parse("HNSW32").withMetric(Metric.L2).withEfConstruction(100);
    float[][] vectors = randomVectors(2000, 64, new Random(42));
    long[] ids = new long[vectors.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = 10_000 + i; // your own 64-bit ids
    }
    try (VectorIndex index = Trident.createIndex(64, spec)) {
      index.add(ids, vectors);

      // 3. Search from as many threads as you like: one copy of the index serves them all.
      ConcurrentSearcher searcher = Trident.searcher(index);
      SearchParams params = SearchParams.defaults().withEfSearch(64);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      Future<SearchResult> answer = pool.submit(() -> searcher.search(vectors[5], 10, params));
      assertEquals(10_005, answer.get(30, TimeUnit.SECONDS).ids()[0]);
      pool.shutdown();

      // 4. Remove by id; removed ids are never returned again.
      index.remove(10_005);
      assertTrue(searcher.search(vectors[5], 10, params).ids()[0] != 10_005);

      // 5. Bad input is a typed exception, and the index is unchanged.
      TridentException error = assertThrows(DimensionMismatchException.class,
          () -> index.search(new float[3], 10));
      assertTrue(error.getMessage().contains("dimension 3"));
      assertEquals(1999, index.size());

      // 6. Save, and load it back (in this or another process).
      index.save(dir.resolve("vectors.idx"));
    }
    try (VectorIndex loaded = Trident.loadIndex(dir.resolve("vectors.idx"))) {
      assertEquals(1999, loaded.size());
      assertEquals(10_006, loaded.search(vectors[6], 1, SearchParams.defaults().withEfSearch(64)).ids()[0]);
    }
  }

  private static float[][] randomVectors(int n, int d, Random random) {
    float[][] vectors = new float[n][d];
    for (float[] v : vectors) {
      for (int j = 0; j < d; j++) {
        v[j] = random.nextFloat();
      }
    }
    return vectors;
  }
}

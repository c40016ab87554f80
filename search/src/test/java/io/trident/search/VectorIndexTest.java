package io.trident.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.search.eval.Recall;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VectorIndexTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"Flat", "HNSW16", "IVF16,Flat", "IVF16,PQ8", "SQ8", "SQfp16", "IDMap,Flat"})
  void everySpecAddsSearchesRemovesAndFindsItself(String factory) {
    float[][] base = TestVectors.random(2000, 32, 1);
    long[] ids = TestVectors.ids(1000, base.length);
    try (VectorIndex index = VectorIndex.create(32, IndexSpec.parse(factory))) {
      if (!index.isTrained()) {
        index.train(base);
      }
      index.add(ids, base);
      assertEquals(2000, index.size());
      SearchResult hit = index.search(base[7], 5, SearchParams.defaults().withEfSearch(64).withNprobe(16));
      assertEquals(5, hit.count());
      assertEquals(1007, hit.ids()[0], factory + " should find the vector itself first");
      index.remove(1007);
      assertFalse(index.contains(1007));
      assertEquals(1999, index.size());
      SearchResult after = index.search(base[7], 5, SearchParams.defaults().withEfSearch(64).withNprobe(16));
      for (long id : after.ids()) {
        assertTrue(id != 1007 && id >= 1000 && id < 3000, "unexpected id " + id);
      }
    }
  }

  @Test
  void hnswReachesRecall95OnSift5k() {
    float[][] base = TestVectors.sift5kBase();
    float[][] queries = TestVectors.sift5kQueries();
    int[][] truth = TestVectors.sift5kGroundTruth();
    try (VectorIndex index = VectorIndex.create(128, IndexSpec.parse("HNSW32"))) {
      index.add(TestVectors.ids(0, base.length), base);
      SearchResult[] results = index.searchBatch(queries, 10, SearchParams.defaults().withEfSearch(256));
      double recall = Recall.atK(results, truth, 10);
      assertTrue(recall >= 0.95, "recall@10 = " + recall);
    }
  }

  @Test
  void flatSearchIsExactOnSift5k() {
    float[][] base = TestVectors.sift5kBase();
    float[][] queries = TestVectors.sift5kQueries();
    try (VectorIndex index = VectorIndex.create(128, IndexSpec.parse("Flat"))) {
      index.add(TestVectors.ids(0, base.length), base);
      SearchResult[] results = index.searchBatch(queries, 10, SearchParams.defaults());
      assertTrue(Recall.atK(results, TestVectors.sift5kGroundTruth(), 10) >= 0.999);
      for (SearchResult r : results) {
        for (int i = 1; i < r.count(); i++) {
          assertTrue(r.distances()[i - 1] <= r.distances()[i], "distances sorted ascending");
        }
      }
    }
  }

  @Test
  void saveAndLoadReturnIdenticalResults() {
    float[][] base = TestVectors.random(3000, 64, 2);
    float[][] queries = TestVectors.random(20, 64, 3);
    Path file = dir.resolve("index.trident");
    SearchParams params = SearchParams.defaults().withEfSearch(48);
    SearchResult[] before;
    try (VectorIndex index = VectorIndex.create(64, IndexSpec.parse("HNSW16"))) {
      index.add(TestVectors.ids(0, base.length), base);
      index.remove(5, 6, 7);
      before = index.searchBatch(queries, 10, params);
      index.save(file);
    }
    try (VectorIndex loaded = VectorIndex.load(file)) {
      assertEquals(2997, loaded.size());
      assertEquals(64, loaded.dimension());
      assertFalse(loaded.contains(6));
      SearchResult[] after = loaded.searchBatch(queries, 10, params);
      for (int i = 0; i < queries.length; i++) {
        assertArrayEquals(before[i].ids(), after[i].ids());
        assertArrayEquals(before[i].distances(), after[i].distances());
      }
    }
  }

  @Test
  void directBufferBatchMatchesArrayBatch() {
    float[][] base = TestVectors.random(1000, 16, 4);
    float[][] queries = TestVectors.random(8, 16, 5);
    try (VectorIndex index = VectorIndex.create(16, IndexSpec.parse("Flat"))) {
      index.add(TestVectors.ids(0, base.length), base);
      FloatBuffer q = ByteBuffer.allocateDirect(8 * 16 * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
      for (float[] row : queries) {
        q.put(row);
      }
      q.flip();
      FloatBuffer distances = ByteBuffer.allocateDirect(8 * 5 * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
      LongBuffer ids = ByteBuffer.allocateDirect(8 * 5 * 8).order(ByteOrder.nativeOrder()).asLongBuffer();
      index.searchBatch(q, 8, 5, SearchParams.defaults(), distances, ids);
      SearchResult[] expected = index.searchBatch(queries, 5, SearchParams.defaults());
      for (int i = 0; i < 8; i++) {
        for (int j = 0; j < 5; j++) {
          assertEquals(expected[i].ids()[j], ids.get(i * 5 + j));
          assertEquals(expected[i].distances()[j], distances.get(i * 5 + j), 1e-4f);
        }
      }
    }
  }

  @Test
  void cosineFindsScaledCopyAndReportsSimilarity() {
    float[][] base = TestVectors.random(500, 24, 6);
    try (VectorIndex index = VectorIndex.create(24, IndexSpec.parse("Flat").withMetric(Metric.COSINE))) {
      index.add(TestVectors.ids(0, base.length), base);
      float[] scaled = base[42].clone();
      for (int i = 0; i < scaled.length; i++) {
        scaled[i] *= 7.5f;
      }
      SearchResult hit = index.search(scaled, 3);
      assertEquals(42, hit.ids()[0]);
      assertEquals(1.0f, hit.distances()[0], 1e-4f);
      assertTrue(hit.distances()[0] >= hit.distances()[1], "cosine sorted descending");
      index.save(dir.resolve("cosine.idx"));
    }
    try (VectorIndex loaded = VectorIndex.load(dir.resolve("cosine.idx"))) {
      assertEquals(Metric.COSINE, loaded.spec().metric());
      float[] scaled = base[42].clone();
      for (int i = 0; i < scaled.length; i++) {
        scaled[i] *= 0.25f;
      }
      assertEquals(1.0f, loaded.search(scaled, 1).distances()[0], 1e-4f);
    }
  }

  @Test
  void kernelVariantIsReported() {
    assertTrue(java.util.Set.of("avx512", "avx2", "scalar").contains(VectorIndex.kernelVariant()));
  }
}

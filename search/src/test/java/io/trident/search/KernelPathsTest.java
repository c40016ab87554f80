package io.trident.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.error.InvalidSpecException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kernel paths as seen through the facade: Flat (bf16 scan + float32 re-rank where the CPU
 * has AVX512-BF16) and IVF-Flat with every list probed must equal an exact float32 search done
 * here in double precision: same ids except exact ties, distances within a relative 1e-5.
 */
class KernelPathsTest {
  private static final int K = 10;
  private static final double RELATIVE_TOLERANCE = 1e-5;
  private static final long SEED = 41;

  @ParameterizedTest
  @ValueSource(strings = {"Flat", "IVF16,Flat"})
  void exactStructuresEqualExactFloat32OnSift5k(String factory) {
    float[][] base = TestVectors.sift5kBase();
    float[][] queries = TestVectors.sift5kQueries();
    try (VectorIndex index = VectorIndex.create(128, IndexSpec.parse(factory))) {
      if (!index.isTrained()) {
        index.train(base);
      }
      index.add(TestVectors.ids(0, base.length), base);
      SearchParams everyList = SearchParams.defaults().withNprobe(16);
      SearchResult[] results = index.searchBatch(queries, K, everyList);
      for (int q = 0; q < queries.length; q++) {
        expectExact(base, queries[q], results[q], factory + " query " + q);
      }
    }
  }

  @Test
  void flatWithLargeOffsetsStaysExact() {
    System.out.println("seed " + SEED);
    float[][] base = TestVectors.random(3001, 40, SEED);
    float[][] queries = TestVectors.random(30, 40, SEED + 1);
    for (float[][] set : new float[][][] {base, queries}) {
      for (float[] v : set) {
        for (int j = 0; j < v.length; j++) {
          v[j] += 500f;  // |x| ~ 3200: the bf16 error bound is wide, the re-rank must hold
        }
      }
    }
    try (VectorIndex index = VectorIndex.create(40, IndexSpec.parse("Flat"))) {
      index.add(TestVectors.ids(0, base.length), base);
      SearchResult[] results = index.searchBatch(queries, K, SearchParams.defaults());
      for (int q = 0; q < queries.length; q++) {
        expectExact(base, queries[q], results[q], "query " + q);
      }
    }
  }

  @Test
  void autoPicksFlatForSmallSetsAndSaysWhy() {
    IndexSpec small = IndexSpec.auto(5_000, 128, 0.95);
    assertEquals("Flat", small.factory());
    assertNotNull(small.autoChoice());
    assertTrue(small.toString().contains("auto: Flat (exact)"), small.toString());
    IndexSpec large = IndexSpec.auto(10_000_000, 128, 0.95);
    assertEquals("HNSW32", large.factory());
    assertTrue(large.autoChoice().startsWith("auto: HNSW32"), large.autoChoice());
    assertEquals("Flat", IndexSpec.auto(10_000_000, 128, 1.0).factory(), "only Flat is exact");
    assertNull(IndexSpec.parse("Flat").autoChoice());
    assertThrows(InvalidSpecException.class, () -> IndexSpec.auto(10, 128, 1.5));
  }

  /** The result's distances are the exact ones of its ids, and no better row was missed. */
  private static void expectExact(float[][] base, float[] query, SearchResult result,
      String what) {
    double[] exact = new double[base.length];
    for (int i = 0; i < base.length; i++) {
      double sum = 0;
      for (int j = 0; j < query.length; j++) {
        double diff = (double) query[j] - base[i][j];
        sum += diff * diff;
      }
      exact[i] = sum;
    }
    double[] sorted = exact.clone();
    Arrays.sort(sorted);
    assertEquals(K, result.count(), what);
    for (int r = 0; r < K; r++) {
      double expected = exact[(int) result.ids()[r]];
      double tolerance = RELATIVE_TOLERANCE * Math.max(1.0, expected);
      assertEquals(expected, result.distances()[r], tolerance, what + " rank " + r + " distance");
      assertEquals(sorted[r], expected, tolerance, what + " rank " + r + " is the true rank-r row");
    }
  }
}

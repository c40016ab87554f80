package io.trident.search.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.search.Metric;
import io.trident.search.TestVectors;
import org.junit.jupiter.api.Test;

class GroundTruthTest {
  @Test
  void matchesTheShippedSift5kGroundTruth() {
    int[][] computed = GroundTruth.exact(TestVectors.sift5kBase(), TestVectors.sift5kQueries(), 10, Metric.L2);
    int[][] shipped = TestVectors.sift5kGroundTruth();
    long[][] asIds = new long[computed.length][];
    for (int i = 0; i < computed.length; i++) {
      asIds[i] = java.util.Arrays.stream(computed[i]).asLongStream().toArray();
    }
    // Ties between equal distances may order differently; recall over the set must be ~1.
    assertTrue(Recall.atK(asIds, shipped, 10) >= 0.995);
  }

  @Test
  void innerProductAndCosinePickTheRightNeighbour() {
    float[][] base = {{1, 0}, {0, 1}, {10, 1}};
    float[][] query = {{1, 0}};
    assertArrayEquals(new int[] {2, 0}, GroundTruth.exact(base, query, 2, Metric.INNER_PRODUCT)[0]);
    assertArrayEquals(new int[] {0, 2}, GroundTruth.exact(base, query, 2, Metric.COSINE)[0]);
    assertArrayEquals(new int[] {0, 1}, GroundTruth.exact(base, query, 2, Metric.L2)[0]);
  }

  @Test
  void recallCountsFoundTrueNeighbours() {
    int[][] truth = {{1, 2, 3}, {4, 5, 6}};
    long[][] found = {{3, 9, 1}, {4, 5, 6}};
    assertEquals((2 + 3) / 6.0, Recall.atK(found, truth, 3), 1e-9);
  }
}

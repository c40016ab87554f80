package io.trident.bench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.search.Metric;
import io.trident.search.eval.GroundTruth;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ClusteredDataGeneratorTest {
  @Test
  void sameSeedGivesIdenticalVectors() {
    float[][] first = new ClusteredDataGenerator(32, 20, 7).base(500);
    float[][] second = new ClusteredDataGenerator(32, 20, 7).base(500);
    for (int i = 0; i < first.length; i++) {
      assertArrayEquals(first[i], second[i], "row " + i);
    }
  }

  @Test
  void otherSeedGivesOtherVectors() {
    float[][] first = new ClusteredDataGenerator(32, 20, 7).base(10);
    float[][] second = new ClusteredDataGenerator(32, 20, 8).base(10);
    assertFalse(Arrays.equals(first[0], second[0]));
  }

  @Test
  void queriesAreNotBaseRowsAndShapesMatch() {
    ClusteredDataGenerator generator = new ClusteredDataGenerator(16, 10, 1);
    float[][] base = generator.base(300);
    float[][] queries = generator.queries(40);
    assertEquals(300, base.length);
    assertEquals(40, queries.length);
    assertEquals(16, queries[0].length);
    for (float[] query : queries) {
      for (float[] row : base) {
        assertFalse(Arrays.equals(query, row));
      }
    }
  }

  @Test
  void vectorsAreClustered() {
    // A query's nearest base row is much closer than a typical base row.
    ClusteredDataGenerator generator = new ClusteredDataGenerator(64, 20, 3);
    float[][] base = generator.base(2000);
    float[][] queries = generator.queries(20);
    int[][] nearest = GroundTruth.exact(base, queries, 1, Metric.L2);
    double nearestSum = 0;
    double typicalSum = 0;
    for (int q = 0; q < queries.length; q++) {
      nearestSum += squaredL2(queries[q], base[nearest[q][0]]);
      typicalSum += squaredL2(queries[q], base[(q * 97) % base.length]);
    }
    assertTrue(nearestSum * 4 < typicalSum, nearestSum + " vs " + typicalSum);
  }

  private static double squaredL2(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return sum;
  }
}

package io.trident.bench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Comparator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ExactNeighborsTest {
  @Test
  void matchesAFullSortByDistanceThenId() {
    ClusteredDataGenerator generator = new ClusteredDataGenerator(8, 5, 11);
    float[][] base = generator.base(400);
    float[][] queries = generator.queries(15);
    base[17] = base[3].clone(); // a tie: the smaller id must come first
    queries[0] = base[3].clone();
    int[][] result = ExactNeighbors.compute(base, queries, 10);
    for (int q = 0; q < queries.length; q++) {
      float[] query = queries[q];
      int[] expected = IntStream.range(0, base.length).boxed()
          .sorted(Comparator.<Integer>comparingDouble(
              i -> ExactNeighbors.squaredL2(base[i], query)).thenComparingInt(i -> i))
          .limit(10).mapToInt(Integer::intValue).toArray();
      assertArrayEquals(expected, result[q], "query " + q);
    }
    assertArrayEquals(new int[] {3, 17}, new int[] {result[0][0], result[0][1]});
  }

  @Test
  void kLargerThanBaseReturnsEveryRow() {
    float[][] base = {{0f}, {2f}, {1f}};
    assertArrayEquals(new int[] {0, 2, 1}, ExactNeighbors.compute(base, new float[][] {{0f}},
        10)[0]);
  }
}

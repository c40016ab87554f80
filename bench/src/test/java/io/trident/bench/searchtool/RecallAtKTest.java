package io.trident.bench.searchtool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RecallAtKTest {
  private static final int[][] TRUTH = {{1, 2, 3, 9, 9}, {4, 5, 6, 9, 9}};

  @Test
  void allFoundGivesOne() {
    assertEquals(1.0, RecallAtK.compute(new int[][] {{3, 2, 1}, {6, 5, 4}}, TRUTH, 3), 1e-12);
  }

  @Test
  void countsHitsOverQueriesTimesK() {
    // 2 of 3 for the first query, 1 of 3 for the second: 3 / 6.
    double recall = RecallAtK.compute(new int[][] {{1, 2, 7}, {4, 8, 8}}, TRUTH, 3);
    assertEquals(0.5, recall, 1e-12);
  }

  @Test
  void shortResultsCountAsMissesAndExtraIdsAreIgnored() {
    double recall = RecallAtK.compute(new int[][] {{1}, {7, 7, 7, 4}}, TRUTH, 3);
    assertEquals(1.0 / 6, recall, 1e-12);
  }

  @Test
  void duplicateIdsCountOnce() {
    assertEquals(1.0 / 6, RecallAtK.compute(new int[][] {{1, 1, 1}, {}}, TRUTH, 3), 1e-12);
  }

  @Test
  void rejectsGroundTruthShorterThanK() {
    assertThrows(IllegalArgumentException.class,
        () -> RecallAtK.compute(new int[][] {{1}}, new int[][] {{1, 2}}, 3));
  }
}

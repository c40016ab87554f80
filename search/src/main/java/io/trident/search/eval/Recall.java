package io.trident.search.eval;

import io.trident.error.InvalidArgumentException;
import io.trident.search.SearchResult;

/**
 * recall@k: the fraction of each query's true k nearest neighbours found among the k returned,
 * averaged over queries. Ground truth rows are ids (row numbers when the base was added with ids
 * 0..n-1); only their first k entries count.
 */
public final class Recall {
  private Recall() {}

  public static double atK(SearchResult[] results, int[][] groundTruth, int k) {
    long[][] ids = new long[results.length][];
    for (int i = 0; i < results.length; i++) {
      ids[i] = results[i].ids();
    }
    return atK(ids, groundTruth, k);
  }

  public static double atK(long[][] resultIds, int[][] groundTruth, int k) {
    if (resultIds.length != groundTruth.length || resultIds.length == 0) {
      throw new InvalidArgumentException("got " + resultIds.length + " result rows for "
          + groundTruth.length + " ground-truth rows; they must match and be non-empty");
    }
    if (k <= 0) {
      throw new InvalidArgumentException("k must be positive, got " + k);
    }
    long found = 0;
    long wanted = 0;
    for (int q = 0; q < resultIds.length; q++) {
      int truthCount = Math.min(k, groundTruth[q].length);
      int returned = Math.min(k, resultIds[q].length);
      for (int t = 0; t < truthCount; t++) {
        for (int r = 0; r < returned; r++) {
          if (resultIds[q][r] == groundTruth[q][t]) {
            found++;
            break;
          }
        }
      }
      wanted += truthCount;
    }
    return (double) found / wanted;
  }
}

package io.trident.bench.searchtool;

import java.util.HashSet;
import java.util.Set;

/** Recall@k: the mean over queries of |returned top-k ∩ true top-k| / k. Stateless. */
public final class RecallAtK {
  private RecallAtK() {}

  /**
   * {@code results[q]}: ids returned for query q (extra ids past k are ignored, missing ones
   * count as misses); {@code groundTruth[q]}: true neighbour ids, nearest first, at least k.
   */
  public static double compute(int[][] results, int[][] groundTruth, int k) {
    if (results.length != groundTruth.length) {
      throw new IllegalArgumentException(
          results.length + " result rows for " + groundTruth.length + " ground-truth rows");
    }
    if (results.length == 0) {
      throw new IllegalArgumentException("no queries");
    }
    long hits = 0;
    for (int q = 0; q < results.length; q++) {
      if (groundTruth[q].length < k) {
        throw new IllegalArgumentException("ground truth of query " + q + " has "
            + groundTruth[q].length + " ids, fewer than k=" + k);
      }
      Set<Integer> truth = new HashSet<>();
      for (int i = 0; i < k; i++) {
        truth.add(groundTruth[q][i]);
      }
      int returned = Math.min(k, results[q].length);
      for (int i = 0; i < returned; i++) {
        if (truth.remove(results[q][i])) {
          hits++;
        }
      }
    }
    return (double) hits / ((long) results.length * k);
  }
}

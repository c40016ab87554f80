package io.trident.search.eval;

import io.trident.error.InvalidArgumentException;
import io.trident.search.Metric;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * Exact k nearest neighbours by brute force in plain Java — the reference recall is measured
 * against, independent of the native code. Uses all cores (parallel stream over queries).
 * Results are row numbers of {@code base}, best first; ties are broken by the lower row number.
 * The filtered form is the reference for filtered search: the exact k nearest among the allowed
 * rows only (fewer when fewer rows are allowed).
 */
public final class GroundTruth {
  private GroundTruth() {}

  public static int[][] exact(float[][] base, float[][] queries, int k, Metric metric) {
    if (k <= 0 || k > base.length) {
      throw new InvalidArgumentException("k must be in 1.." + base.length + ", got " + k);
    }
    return exact(base, queries, k, metric, row -> true);
  }

  /**
   * The exact k nearest rows among those {@code allowedRow} accepts; rows hold fewer than k
   * entries when fewer rows are allowed. k may exceed the base size.
   */
  public static int[][] exact(float[][] base, float[][] queries, int k, Metric metric,
      IntPredicate allowedRow) {
    if (k <= 0) {
      throw new InvalidArgumentException("k must be positive, got " + k);
    }
    float[][] searchBase = metric == Metric.COSINE ? normalised(base) : base;
    int[][] result = new int[queries.length][];
    IntStream.range(0, queries.length).parallel().forEach(q -> {
      float[] query = metric == Metric.COSINE ? normalise(queries[q]) : queries[q];
      result[q] = topK(searchBase, query, k, metric == Metric.L2, allowedRow);
    });
    return result;
  }

  private static int[] topK(float[][] base, float[] query, int k, boolean smallerIsCloser,
      IntPredicate allowedRow) {
    // Bounded max-heap (by "worse") of size k over (score, row).
    float[] scores = new float[Math.min(k, base.length)];
    int[] rows = new int[scores.length];
    int size = 0;
    for (int row = 0; row < base.length; row++) {
      if (!allowedRow.test(row)) {
        continue;
      }
      float score = smallerIsCloser ? l2Squared(base[row], query) : -innerProduct(base[row], query);
      if (size < scores.length) {
        scores[size] = score;
        rows[size] = row;
        siftUp(scores, rows, size++);
      } else if (score < scores[0]) {
        scores[0] = score;
        rows[0] = row;
        siftDown(scores, rows, scores.length);
      }
    }
    int[] sorted = new int[size];
    for (int i = size - 1; i >= 0; i--) {
      sorted[i] = rows[0];
      scores[0] = scores[i];
      rows[0] = rows[i];
      siftDown(scores, rows, i);
    }
    return sorted;
  }

  /** Heap order: worse (higher score, then higher row) at the root. */
  private static boolean worse(float[] s, int[] r, int a, int b) {
    return s[a] > s[b] || (s[a] == s[b] && r[a] > r[b]);
  }

  private static void siftUp(float[] s, int[] r, int i) {
    while (i > 0) {
      int parent = (i - 1) / 2;
      if (!worse(s, r, i, parent)) {
        return;
      }
      swap(s, r, i, parent);
      i = parent;
    }
  }

  private static void siftDown(float[] s, int[] r, int size) {
    int i = 0;
    while (true) {
      int left = 2 * i + 1;
      int right = left + 1;
      int worst = i;
      if (left < size && worse(s, r, left, worst)) {
        worst = left;
      }
      if (right < size && worse(s, r, right, worst)) {
        worst = right;
      }
      if (worst == i) {
        return;
      }
      swap(s, r, i, worst);
      i = worst;
    }
  }

  private static void swap(float[] s, int[] r, int a, int b) {
    float ts = s[a];
    s[a] = s[b];
    s[b] = ts;
    int tr = r[a];
    r[a] = r[b];
    r[b] = tr;
  }

  static float l2Squared(float[] a, float[] b) {
    float sum = 0;
    for (int i = 0; i < a.length; i++) {
      float diff = a[i] - b[i];
      sum += diff * diff;
    }
    return sum;
  }

  static float innerProduct(float[] a, float[] b) {
    float sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  private static float[][] normalised(float[][] vectors) {
    float[][] out = new float[vectors.length][];
    for (int i = 0; i < vectors.length; i++) {
      out[i] = normalise(vectors[i]);
    }
    return out;
  }

  private static float[] normalise(float[] v) {
    double norm = Math.sqrt(innerProduct(v, v));
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] / norm);
    }
    return out;
  }
}

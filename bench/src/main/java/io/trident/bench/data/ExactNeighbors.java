package io.trident.bench.data;

import java.util.stream.IntStream;

/**
 * Exact k nearest neighbours by squared L2 distance, computed by brute force over every base
 * vector, queries spread over the common fork-join pool. Ties are broken by the smaller id, so
 * the result is deterministic. Cost: queries x base x dimension multiply-adds.
 */
public final class ExactNeighbors {
  private ExactNeighbors() {}

  /**
   * Returns, per query, the ids (row numbers in {@code base}) of its {@code k} nearest base
   * vectors, nearest first. Shape: queries.length x min(k, base.length).
   */
  public static int[][] compute(float[][] base, float[][] queries, int k) {
    if (k <= 0) {
      throw new IllegalArgumentException("k must be positive: " + k);
    }
    int kEffective = Math.min(k, base.length);
    int[][] result = new int[queries.length][];
    IntStream.range(0, queries.length).parallel()
        .forEach(q -> result[q] = nearest(base, queries[q], kEffective));
    return result;
  }

  private static int[] nearest(float[][] base, float[] query, int k) {
    // A bounded max-heap on (distance, id): the root is the worst of the best k seen so far.
    float[] heapDistances = new float[k];
    int[] heapIds = new int[k];
    int size = 0;
    for (int id = 0; id < base.length; id++) {
      float distance = squaredL2(base[id], query);
      if (size < k) {
        heapDistances[size] = distance;
        heapIds[size] = id;
        siftUp(heapDistances, heapIds, size++);
      } else if (worse(heapDistances[0], heapIds[0], distance, id)) {
        heapDistances[0] = distance;
        heapIds[0] = id;
        siftDown(heapDistances, heapIds, size);
      }
    }
    int[] sorted = new int[size];
    for (int i = size - 1; i >= 0; i--) {
      sorted[i] = heapIds[0];
      heapDistances[0] = heapDistances[i];
      heapIds[0] = heapIds[i];
      siftDown(heapDistances, heapIds, i);
    }
    return sorted;
  }

  /** Squared L2 distance of two vectors of equal length. */
  public static float squaredL2(float[] a, float[] b) {
    float sum = 0;
    for (int i = 0; i < a.length; i++) {
      float delta = a[i] - b[i];
      sum += delta * delta;
    }
    return sum;
  }

  /** True when (d1, id1) ranks after (d2, id2). */
  private static boolean worse(float d1, int id1, float d2, int id2) {
    return d1 > d2 || (d1 == d2 && id1 > id2);
  }

  private static void siftUp(float[] distances, int[] ids, int index) {
    while (index > 0) {
      int parent = (index - 1) / 2;
      if (!worse(distances[index], ids[index], distances[parent], ids[parent])) {
        return;
      }
      swap(distances, ids, index, parent);
      index = parent;
    }
  }

  private static void siftDown(float[] distances, int[] ids, int size) {
    int index = 0;
    while (true) {
      int left = 2 * index + 1;
      int worst = index;
      if (left < size && worse(distances[left], ids[left], distances[worst], ids[worst])) {
        worst = left;
      }
      int right = left + 1;
      if (right < size && worse(distances[right], ids[right], distances[worst], ids[worst])) {
        worst = right;
      }
      if (worst == index) {
        return;
      }
      swap(distances, ids, index, worst);
      index = worst;
    }
  }

  private static void swap(float[] distances, int[] ids, int i, int j) {
    float d = distances[i];
    distances[i] = distances[j];
    distances[j] = d;
    int id = ids[i];
    ids[i] = ids[j];
    ids[j] = id;
  }
}

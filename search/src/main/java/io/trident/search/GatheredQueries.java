package io.trident.search;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs single queries gathered from many callers ({@link ConcurrentSearcher},
 * {@link AsyncSearcher}) as one native batch call per distinct (k, params), so one bad query or
 * one different filter never holds back or fails the others. Stateless; called by one thread at a
 * time per batch.
 */
final class GatheredQueries {
  /** One caller's query while it waits to be run; completed exactly once. */
  abstract static class Query {
    final float[] vector;
    final int k;
    final SearchParams params;

    Query(float[] vector, int k, SearchParams params) {
      this.vector = vector;
      this.k = k;
      this.params = params;
    }

    /** Exactly one of result and failure is non-null. */
    abstract void complete(SearchResult result, Throwable failure);
  }

  private GatheredQueries() {}

  /** Runs {@code batch} (in order within each group) and completes every query in it. */
  static void run(VectorIndex index, List<? extends Query> batch) {
    List<? extends Query> remaining = batch;
    while (!remaining.isEmpty()) {
      Query first = remaining.get(0);
      List<Query> group = new ArrayList<>(remaining.size());
      List<Query> rest = new ArrayList<>();
      for (Query q : remaining) {
        (q.k == first.k && q.params.equals(first.params) ? group : rest).add(q);
      }
      runGroup(index, group, first.k, first.params);
      remaining = rest;
    }
  }

  private static void runGroup(VectorIndex index, List<Query> group, int k, SearchParams params) {
    int n = group.size();
    if (n == 1) {
      runAlone(index, group.get(0));
      return;
    }
    int d = index.dimension();
    float[] flat = new float[n * d];
    for (int i = 0; i < n; i++) {
      System.arraycopy(group.get(i).vector, 0, flat, i * d, d);
    }
    float[] distances = new float[n * k];
    long[] labels = new long[n * k];
    try {
      index.searchFlat(flat, n, k, params, distances, labels);
    } catch (RuntimeException batchFailure) {
      // Give each query its own outcome (a zero cosine vector fails only its own search).
      for (Query q : group) {
        runAlone(index, q);
      }
      return;
    }
    for (int i = 0; i < n; i++) {
      group.get(i).complete(SearchResult.fromRow(labels, distances, i * k, k), null);
    }
  }

  private static void runAlone(VectorIndex index, Query q) {
    SearchResult result;
    try {
      result = index.search(q.vector, q.k, q.params);
    } catch (RuntimeException | Error failure) {
      q.complete(null, failure);
      return;
    }
    q.complete(result, null);
  }
}

package io.trident.search;

import java.util.Arrays;

/**
 * The k nearest neighbours of one query, best first. Slots past {@link #count()} (when fewer than
 * k vectors matched) are not included. Distances follow the index metric: squared L2 (smaller is
 * closer) or inner product / cosine (larger is closer).
 */
public record SearchResult(long[] ids, float[] distances) {
  public SearchResult {
    if (ids.length != distances.length) {
      throw new IllegalArgumentException("ids and distances differ in length");
    }
  }

  /** Builds a result from one row of native output, dropping the -1 padding slots. */
  static SearchResult fromRow(long[] labels, float[] scores, int offset, int k) {
    int count = 0;
    while (count < k && labels[offset + count] >= 0) {
      count++;
    }
    return new SearchResult(
        Arrays.copyOfRange(labels, offset, offset + count),
        Arrays.copyOfRange(scores, offset, offset + count));
  }

  public int count() {
    return ids.length;
  }

  @Override
  public String toString() {
    return "SearchResult" + Arrays.toString(ids);
  }
}

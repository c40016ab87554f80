package io.trident;

import java.util.List;

/**
 * The hits of one query, best first: at most k, fewer when fewer records (or fewer records the
 * filter lets through) are searchable. Immutable.
 */
public record SearchHits(List<SearchHit> hits) {
  public SearchHits {
    hits = List.copyOf(hits);
  }

  public int size() {
    return hits.size();
  }

  public boolean isEmpty() {
    return hits.isEmpty();
  }

  public SearchHit get(int rank) {
    return hits.get(rank);
  }

  /** The hits' ids, best first. */
  public long[] ids() {
    return hits.stream().mapToLong(SearchHit::id).toArray();
  }
}

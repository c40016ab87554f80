package io.trident;

import io.trident.error.InvalidArgumentException;
import io.trident.search.SearchParams;
import io.trident.search.VectorIndex;
import java.util.Objects;

/**
 * One k-nearest-neighbour query on a {@link VectorCollection}: the query vector, k, the index's
 * search knobs, an optional {@link Filter}, what each hit carries, and how fresh the replica must
 * be. Immutable; the query array is read (not copied) while a search runs.
 *
 * <pre>{@code
 * SearchRequest request = SearchRequest.builder(query).k(10).efSearch(128)
 *     .filter(Filter.eq("color", "red")).includeAttributes(true)
 *     .consistency(ReadConsistency.READ_YOUR_WRITES).build();
 * }</pre>
 */
public final class SearchRequest {
  /** k when the builder is not told otherwise. */
  public static final int K_DEFAULT = 10;

  private final float[] query;
  private final int k;
  private final int efSearch;
  private final int nprobe;
  private final Filter filter;
  private final boolean includeAttributes;
  private final boolean includeVectors;
  private final ReadConsistency consistency;

  private SearchRequest(Builder builder) {
    query = builder.query;
    k = builder.k;
    efSearch = builder.efSearch;
    nprobe = builder.nprobe;
    filter = builder.filter;
    includeAttributes = builder.includeAttributes;
    includeVectors = builder.includeVectors;
    consistency = builder.consistency;
  }

  /** The k nearest records to {@code query}, with every other setting at its default. */
  public static SearchRequest of(float[] query, int k) {
    return builder(query).k(k).build();
  }

  public static Builder builder(float[] query) {
    return new Builder(query);
  }

  public float[] query() {
    return query;
  }

  public int k() {
    return k;
  }

  /** HNSW beam width; 0: the index default (64, raised to k). */
  public int efSearch() {
    return efSearch;
  }

  /** IVF lists probed; 0: the index default. */
  public int nprobe() {
    return nprobe;
  }

  /** The filter, or null for none. */
  public Filter filter() {
    return filter;
  }

  public boolean includeAttributes() {
    return includeAttributes;
  }

  public boolean includeVectors() {
    return includeVectors;
  }

  /**
   * {@link ReadConsistency#LOCAL} (the default): this replica's index as it is now; {@link
   * ReadConsistency#READ_YOUR_WRITES}: first waits until this replica has indexed every write
   * acknowledged through this member; {@link ReadConsistency#LINEARIZABLE}: first confirms the
   * leader's commit index (Raft ReadIndex) and waits until this replica has indexed that far.
   */
  public ReadConsistency consistency() {
    return consistency;
  }

  /** The same request for another query vector. */
  public SearchRequest withQuery(float[] otherQuery) {
    return toBuilder(otherQuery).build();
  }

  private Builder toBuilder(float[] otherQuery) {
    return new Builder(otherQuery).k(k).efSearch(efSearch).nprobe(nprobe).filter(filter)
        .includeAttributes(includeAttributes).includeVectors(includeVectors)
        .consistency(consistency);
  }

  /** Collects a request; {@link #build()} checks it. Not thread-safe. */
  public static final class Builder {
    private final float[] query;
    private int k = K_DEFAULT;
    private int efSearch;
    private int nprobe;
    private Filter filter;
    private boolean includeAttributes;
    private boolean includeVectors;
    private ReadConsistency consistency = ReadConsistency.LOCAL;

    private Builder(float[] query) {
      this.query = query;
    }

    /** Hits wanted, 1..{@value VectorIndex#K_MAX}; more than the collection holds is fine. */
    public Builder k(int value) {
      k = value;
      return this;
    }

    public Builder efSearch(int value) {
      efSearch = value;
      return this;
    }

    public Builder nprobe(int value) {
      nprobe = value;
      return this;
    }

    /** Only records {@code value} matches (null: no filter). */
    public Builder filter(Filter value) {
      filter = value;
      return this;
    }

    /** Each hit carries its attributes (read from this replica's stored state). */
    public Builder includeAttributes(boolean value) {
      includeAttributes = value;
      return this;
    }

    /** Each hit carries its vector (read from this replica's stored state). */
    public Builder includeVectors(boolean value) {
      includeVectors = value;
      return this;
    }

    public Builder consistency(ReadConsistency value) {
      consistency = value;
      return this;
    }

    /** @throws InvalidArgumentException naming the first bad setting */
    public SearchRequest build() {
      if (query == null) {
        throw new InvalidArgumentException("search query vector is null");
      }
      if (k <= 0 || k > VectorIndex.K_MAX) {
        throw new InvalidArgumentException("k must be in 1.." + VectorIndex.K_MAX + ", was " + k);
      }
      new SearchParams(efSearch, nprobe, 1); // checks the knobs' ranges
      Objects.requireNonNull(consistency, "consistency");
      return new SearchRequest(this);
    }
  }
}

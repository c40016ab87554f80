package io.trident.search;

import io.trident.error.InvalidArgumentException;

/**
 * Per-call search knobs. Immutable; 0 means "the index default". {@code efSearch} is the HNSW
 * beam width (raised to k when smaller), {@code nprobe} the IVF lists probed, {@code ompThreads}
 * the native threads one call may use (1: the calling thread only, the right choice when many
 * Java threads search at once), {@code filter} the ids a search may return (null: any).
 *
 * <p>With a filter, efSearch counts allowed nodes (the walk goes on until it holds that many or
 * runs out), and nprobe is what an unfiltered search would probe: IVF scales it by 1 /
 * selectivity. Equal params (same filter object) are what {@link ConcurrentSearcher} and
 * {@link AsyncSearcher} gather into one native call.
 */
public record SearchParams(int efSearch, int nprobe, int ompThreads, IdFilter filter) {
  public static final int EF_SEARCH_MAX = 1 << 16;
  public static final int NPROBE_MAX = 1 << 20;
  public static final int OMP_THREADS_MAX = 256;
  private static final SearchParams DEFAULTS = new SearchParams(0, 0, 1, null);

  public SearchParams {
    check("efSearch", efSearch, EF_SEARCH_MAX);
    check("nprobe", nprobe, NPROBE_MAX);
    check("ompThreads", ompThreads, OMP_THREADS_MAX);
  }

  /** Params without a filter. */
  public SearchParams(int efSearch, int nprobe, int ompThreads) {
    this(efSearch, nprobe, ompThreads, null);
  }

  public static SearchParams defaults() {
    return DEFAULTS;
  }

  public SearchParams withEfSearch(int value) {
    return new SearchParams(value, nprobe, ompThreads, filter);
  }

  public SearchParams withNprobe(int value) {
    return new SearchParams(efSearch, value, ompThreads, filter);
  }

  public SearchParams withOmpThreads(int value) {
    return new SearchParams(efSearch, nprobe, value, filter);
  }

  /** The same knobs, returning only ids {@code value} allows (null: no filter). */
  public SearchParams withFilter(IdFilter value) {
    return new SearchParams(efSearch, nprobe, ompThreads, value);
  }

  private static void check(String name, int value, int max) {
    if (value < 0 || value > max) {
      throw new InvalidArgumentException(name + " must be in 0.." + max + ", got " + value);
    }
  }
}

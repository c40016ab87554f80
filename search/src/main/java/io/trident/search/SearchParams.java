package io.trident.search;

import io.trident.error.InvalidArgumentException;

/**
 * Per-call search knobs. Immutable; 0 means "the index default". {@code efSearch} is the HNSW
 * beam width (raised to k when smaller), {@code nprobe} the IVF lists probed, {@code ompThreads}
 * the native threads one call may use (1: the calling thread only, the right choice when many
 * Java threads search at once).
 */
public record SearchParams(int efSearch, int nprobe, int ompThreads) {
  public static final int EF_SEARCH_MAX = 1 << 16;
  public static final int NPROBE_MAX = 1 << 20;
  public static final int OMP_THREADS_MAX = 256;
  private static final SearchParams DEFAULTS = new SearchParams(0, 0, 1);

  public SearchParams {
    check("efSearch", efSearch, EF_SEARCH_MAX);
    check("nprobe", nprobe, NPROBE_MAX);
    check("ompThreads", ompThreads, OMP_THREADS_MAX);
  }

  public static SearchParams defaults() {
    return DEFAULTS;
  }

  public SearchParams withEfSearch(int value) {
    return new SearchParams(value, nprobe, ompThreads);
  }

  public SearchParams withNprobe(int value) {
    return new SearchParams(efSearch, value, ompThreads);
  }

  public SearchParams withOmpThreads(int value) {
    return new SearchParams(efSearch, nprobe, value);
  }

  private static void check(String name, int value, int max) {
    if (value < 0 || value > max) {
      throw new InvalidArgumentException(name + " must be in 0.." + max + ", got " + value);
    }
  }
}

package io.trident.bench.searchtool;

import io.trident.search.IdFilter;
import io.trident.search.IndexSpec;
import io.trident.search.SearchParams;
import io.trident.search.VectorIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Trident's side of the search benchmark: one {@link VectorIndex} built from a FAISS-style spec
 * (ids = row numbers, added in batches of {@link #ADD_BATCH_ROWS}). A setting's ef becomes
 * {@code efSearch}, its nprobe {@code nprobe}; each call searches one query on the calling
 * thread ({@code ompThreads = 1}) into per-thread output arrays.
 */
public final class TridentSystem implements AnnSystem {
  static final int ADD_BATCH_ROWS = 10_000;
  /** Training rows for IVF/PQ/SQ specs: a prefix of the base, at most this many. */
  static final int TRAIN_ROWS_MAX = 100_000;

  private final IndexSpec spec;
  private final List<SearchSetting> settings;
  private final ThreadLocal<Scratch> scratch = new ThreadLocal<>();
  private VectorIndex index;
  private volatile SearchParams params = SearchParams.defaults().withOmpThreads(1);
  private volatile IdFilter filter;

  private static final class Scratch {
    float[] distances = new float[0];
    long[] ids = new long[0];
  }

  /** Settings: the ef values for graph specs, the nprobe values for IVF specs, else one. */
  public TridentSystem(String factory, int efConstruction, List<Integer> efValues,
      List<Integer> nprobeValues) {
    IndexSpec parsed = IndexSpec.parse(factory);
    this.spec = parsed.isGraph() ? parsed.withEfConstruction(efConstruction) : parsed;
    List<SearchSetting> sweep = new ArrayList<>();
    if (spec.isGraph()) {
      efValues.forEach(ef -> sweep.add(SearchSetting.ef(ef)));
    } else if (spec.factory().contains("IVF")) {
      nprobeValues.forEach(nprobe -> sweep.add(new SearchSetting(0, nprobe)));
    } else {
      sweep.add(new SearchSetting(0, 0));
    }
    this.settings = List.copyOf(sweep);
  }

  @Override
  public String name() {
    return "trident";
  }

  @Override
  public String version() {
    return "0.1.0 (" + VectorIndex.kernelVariant() + ")";
  }

  @Override
  public String config() {
    return spec.factory();
  }

  @Override
  public void build(float[][] base, BuildProgress progress) {
    index = VectorIndex.create(base[0].length, spec);
    if (spec.needsTraining()) {
      index.train(Arrays.copyOf(base, Math.min(base.length, TRAIN_ROWS_MAX)));
    }
    for (int start = 0; start < base.length; start += ADD_BATCH_ROWS) {
      int end = Math.min(base.length, start + ADD_BATCH_ROWS);
      long[] ids = new long[end - start];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = start + i;
      }
      index.add(ids, Arrays.copyOfRange(base, start, end));
      progress.advance(ids.length);
    }
  }

  @Override
  public List<SearchSetting> settings() {
    return settings;
  }

  @Override
  public void apply(SearchSetting setting) {
    params = SearchParams.defaults().withOmpThreads(1).withEfSearch(setting.efSearch())
        .withNprobe(setting.nprobe()).withFilter(filter);
  }

  /** Searches from the next {@link #apply} on return only ids {@code value} allows (null: any). */
  public void useFilter(IdFilter value) {
    filter = value;
  }

  /** The index once built (for tools that search it in other ways too). */
  public VectorIndex index() {
    return index;
  }

  @Override
  public int[] search(float[] query, int k) {
    Scratch own = scratch.get();
    if (own == null || own.ids.length != k) {
      own = new Scratch();
      own.distances = new float[k];
      own.ids = new long[k];
      scratch.set(own);
    }
    index.searchFlat(query, 1, k, params, own.distances, own.ids);
    int found = 0;
    while (found < k && own.ids[found] >= 0) {
      found++;
    }
    int[] rows = new int[found];
    for (int i = 0; i < found; i++) {
      rows[i] = (int) own.ids[i];
    }
    return rows;
  }

  @Override
  public void close() {
    if (index != null) {
      index.close();
      index = null;
    }
  }
}

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
 * (ids = row numbers, added through the chunked bulk add with progress, on the given build
 * threads). A setting's ef becomes
 * {@code efSearch}, its nprobe {@code nprobe}; each call searches one query on the calling
 * thread ({@code ompThreads = 1}) into per-thread output arrays.
 */
public final class TridentSystem implements AnnSystem {
  /** Training rows for IVF/PQ/SQ specs: a prefix of the base, at most this many. */
  static final int TRAIN_ROWS_MAX = 100_000;

  /** {@code --index auto}: the spec is chosen at build time by IndexSpec.auto at this target. */
  static final String AUTO = "auto";
  static final double AUTO_RECALL_TARGET = 0.95;

  private final int efConstruction;
  private final int buildThreads;
  private final List<Integer> efValues;
  private final List<Integer> nprobeValues;
  private final boolean auto;
  private IndexSpec spec;
  private List<SearchSetting> settings;
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
    this(factory, efConstruction, IndexSpec.BUILD_THREADS_ALL_CORES, efValues, nprobeValues);
  }

  /**
   * As above, building on {@code buildThreads} threads (0 = every core, see IndexSpec). Factory
   * {@code auto} defers the choice to the build ({@link IndexSpec#auto} for the base's size at
   * recall {@value #AUTO_RECALL_TARGET}); the config then names the choice.
   */
  public TridentSystem(String factory, int efConstruction, int buildThreads,
      List<Integer> efValues, List<Integer> nprobeValues) {
    this.efConstruction = efConstruction;
    this.buildThreads = buildThreads;
    this.efValues = List.copyOf(efValues);
    this.nprobeValues = List.copyOf(nprobeValues);
    this.auto = factory.equals(AUTO);
    if (!auto) {
      use(IndexSpec.parse(factory));
    }
  }

  private void use(IndexSpec chosen) {
    IndexSpec parsed = chosen.withBuildThreads(buildThreads);
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
    String threads = "build-threads=" + (buildThreads == 0 ? "all" : buildThreads);
    if (spec == null) {
      return AUTO + " " + threads;
    }
    return (auto ? AUTO + "->" : "") + spec.factory() + " " + threads;
  }

  @Override
  public void build(float[][] base, BuildProgress progress) {
    if (auto) {
      use(IndexSpec.auto(base.length, base[0].length, AUTO_RECALL_TARGET));
      System.err.println("[bench] trident " + spec.autoChoice());
    }
    index = VectorIndex.create(base[0].length, spec);
    if (spec.needsTraining()) {
      index.train(Arrays.copyOf(base, Math.min(base.length, TRAIN_ROWS_MAX)));
    }
    long[] ids = new long[base.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i;
    }
    float[] flat = new float[base.length * base[0].length];
    for (int i = 0; i < base.length; i++) {
      System.arraycopy(base[i], 0, flat, i * base[i].length, base[i].length);
    }
    index.add(ids, flat, (added, total) -> progress.advance(added - progress.done()));
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

package io.trident.search;

import io.trident.error.InvalidSpecException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What index to build: a FAISS factory string among the supported forms, a metric and build
 * parameters. Immutable; {@code with*} methods return copies.
 *
 * <p>Supported structures: {@code Flat}, {@code HNSW<M>}, {@code IVF<lists>,Flat},
 * {@code IVF<lists>,PQ<subquantizers>}, {@code SQ8}, {@code SQfp16}, each optionally prefixed with
 * {@code IDMap,}. Ids are always the caller's 64-bit ids.
 */
public final class IndexSpec {
  private static final Pattern SUPPORTED =
      Pattern.compile("(IDMap,)?(Flat|HNSW\\d{1,3}|IVF\\d{1,7},Flat|IVF\\d{1,7},PQ\\d{1,3}|SQ8|SQfp16)");
  private static final int EF_CONSTRUCTION_DEFAULT = 100;
  /** {@link #withBuildThreads} value meaning every core of the machine. */
  public static final int BUILD_THREADS_ALL_CORES = 0;
  static final int BUILD_THREADS_MAX = 1024;
  /** Measured cost model of {@link #auto} (see there). */
  static final double FLAT_NANOS_PER_ROW_DIMENSION = 0.045;
  static final double HNSW_NANOS_PER_DIMENSION_AT_095 = 450;

  private final String factory;
  private final Metric metric;
  private final int efConstruction;
  private final int buildThreads;
  private final String autoChoice;

  private IndexSpec(String factory, Metric metric, int efConstruction, int buildThreads) {
    this(factory, metric, efConstruction, buildThreads, null);
  }

  private IndexSpec(String factory, Metric metric, int efConstruction, int buildThreads,
      String autoChoice) {
    this.factory = factory;
    this.metric = metric;
    this.efConstruction = efConstruction;
    this.buildThreads = buildThreads;
    this.autoChoice = autoChoice;
  }

  /**
   * "auto": picks the structure for an index of about {@code expectedRows} vectors searched at
   * {@code recallTarget} (recall@10, 0..1): exact {@code Flat} where a full scan is faster than
   * the graph at that recall on this library's kernels, else {@code HNSW32}. The returned spec
   * says what it chose and why in {@link #autoChoice()} (and its {@link #toString()}).
   *
   * <p>The crossover comes from {@code bench.sh search} on this project's reference host (2-core
   * Zen 4 with AVX512-BF16, measured 2026-12-07 on sift5k and a 100K x 128 clustered set, at load
   * ~10): with the bf16 flat scan a query over n x d costs about
   * {@value #FLAT_NANOS_PER_ROW_DIMENSION} ns per row and dimension on one thread (sift5k: 28 us),
   * HNSW32 at recall 0.95 about {@value #HNSW_NANOS_PER_DIMENSION_AT_095} ns per dimension
   * (sift5k: ~60 us; roughly flat in n at these sizes), doubling per halving of the miss rate
   * above that. The crossover is then about 10K rows. Flat is always exact, so for a target of
   * 1.0 it is the only honest choice. Hosts without AVX512-BF16 scan float32 (about twice the
   * flat cost), so there the crossover is lower than this model assumes.
   */
  public static IndexSpec auto(long expectedRows, int dimension, double recallTarget) {
    if (expectedRows < 0 || dimension <= 0 || !(recallTarget >= 0 && recallTarget <= 1)) {
      throw new InvalidSpecException("auto needs expectedRows >= 0, dimension > 0 and a recall"
          + " target in [0, 1], got " + expectedRows + ", " + dimension + ", " + recallTarget);
    }
    double flatNanos = FLAT_NANOS_PER_ROW_DIMENSION * expectedRows * dimension;
    double hnswNanos = hnswNanosAt(recallTarget) * dimension;
    boolean flat = recallTarget >= 1.0 || flatNanos <= hnswNanos;
    String why = String.format(Locale.ROOT,
        "auto: %s for %d x %d at recall@10 >= %.2f (estimated %.0f us/query exact scan vs %s"
            + " graph)", flat ? "Flat (exact)" : "HNSW32", expectedRows, dimension, recallTarget,
        flatNanos / 1000, recallTarget >= 1.0 ? "no" : String.format(Locale.ROOT,
            "%.0f us/query", hnswNanos / 1000));
    return new IndexSpec(flat ? "Flat" : "HNSW32", Metric.L2, EF_CONSTRUCTION_DEFAULT, 1, why);
  }

  /** Why {@link #auto} chose this spec, or null for a spec that was given explicitly. */
  public String autoChoice() {
    return autoChoice;
  }

  /** Estimated HNSW32 cost per query and dimension at a recall target, in nanoseconds. */
  private static double hnswNanosAt(double recallTarget) {
    if (recallTarget <= 0.95) {
      return HNSW_NANOS_PER_DIMENSION_AT_095;
    }
    // Beam width roughly doubles per halving of the miss rate above 0.95.
    double halvings = Math.log((1 - 0.95) / Math.max(1e-4, 1 - recallTarget)) / Math.log(2);
    return HNSW_NANOS_PER_DIMENSION_AT_095 * Math.pow(2, halvings);
  }

  /**
   * Parses a factory string, e.g. {@code "HNSW32"}, {@code "IVF256,Flat"}; metric L2,
   * efConstruction 100.
   *
   * @throws InvalidSpecException when the string is not one of the supported forms
   */
  public static IndexSpec parse(String factory) {
    Objects.requireNonNull(factory, "factory");
    String trimmed = factory.replace(" ", "");
    if (!SUPPORTED.matcher(trimmed).matches()) {
      throw new InvalidSpecException("unknown index spec '" + factory + "': use one of Flat, HNSW<M>,"
          + " IVF<lists>,Flat, IVF<lists>,PQ<m>, SQ8, SQfp16 (optionally prefixed IDMap,)");
    }
    return new IndexSpec(trimmed, Metric.L2, EF_CONSTRUCTION_DEFAULT, 1);
  }

  public IndexSpec withMetric(Metric newMetric) {
    return new IndexSpec(factory, Objects.requireNonNull(newMetric, "metric"), efConstruction,
        buildThreads, autoChoice);
  }

  /** HNSW build beam width (ignored by other structures); 1..4096. */
  public IndexSpec withEfConstruction(int newEfConstruction) {
    if (newEfConstruction < 1 || newEfConstruction > 4096) {
      throw new InvalidSpecException("efConstruction must be in 1..4096, got " + newEfConstruction);
    }
    return new IndexSpec(factory, metric, newEfConstruction, buildThreads, autoChoice);
  }

  /**
   * Threads each {@code add} call uses (FAISS's parallel HNSW insertion and IVF assignment, then a
   * parallel copy into the search layout): {@link #BUILD_THREADS_ALL_CORES} (0) = every core,
   * default 1 = the calling thread only, so a writer never takes cores from concurrent searches.
   * A bulk build on an idle index wants every core. A graph built on several threads inserts
   * nodes in another order than a serial build: equal quality, not equal links. The threads
   * are OpenMP's, which spin while idle: on a host where other processes keep the cores busy a
   * parallel build was measured slower than a serial one (load 14: 80 s against 37 s; at load
   * 8: 21 s against 38 s). {@code OMP_WAIT_POLICY=passive} in the JVM's environment (libgomp
   * reads it at load) stops the spinning; its effect on the build was mixed here.
   */
  public IndexSpec withBuildThreads(int newBuildThreads) {
    if (newBuildThreads < 0 || newBuildThreads > BUILD_THREADS_MAX) {
      throw new InvalidSpecException("buildThreads must be in 0.." + BUILD_THREADS_MAX
          + " (0 = every core), got " + newBuildThreads);
    }
    return new IndexSpec(factory, metric, efConstruction, newBuildThreads, autoChoice);
  }

  /** Threads an add uses: 0 = every core, else that many (see {@link #withBuildThreads}). */
  public int buildThreads() {
    return buildThreads;
  }

  public String factory() {
    return factory;
  }

  public Metric metric() {
    return metric;
  }

  public int efConstruction() {
    return efConstruction;
  }

  /** True for structures that must be trained before vectors are added (IVF, PQ, SQ). */
  public boolean needsTraining() {
    return factory.contains("IVF") || factory.contains("SQ") || factory.contains("PQ");
  }

  /** True for graph indexes (HNSW). */
  public boolean isGraph() {
    return factory.contains("HNSW");
  }

  /** True for exhaustive float32 scans ({@code Flat}, {@code IDMap,Flat}). */
  public boolean isFlat() {
    return factory.equals("Flat") || factory.equals("IDMap,Flat");
  }

  @Override
  public String toString() {
    return factory + "/" + metric + (isGraph() ? "/efC=" + efConstruction : "")
        + (buildThreads != 1 ? "/buildThreads=" + buildThreads : "")
        + (autoChoice != null ? " [" + autoChoice + "]" : "");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof IndexSpec that && factory.equals(that.factory) && metric == that.metric
        && efConstruction == that.efConstruction && buildThreads == that.buildThreads;
  }

  @Override
  public int hashCode() {
    return Objects.hash(factory, metric, efConstruction, buildThreads);
  }
}

package io.trident.search;

import io.trident.error.InvalidSpecException;
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

  private final String factory;
  private final Metric metric;
  private final int efConstruction;

  private IndexSpec(String factory, Metric metric, int efConstruction) {
    this.factory = factory;
    this.metric = metric;
    this.efConstruction = efConstruction;
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
    return new IndexSpec(trimmed, Metric.L2, EF_CONSTRUCTION_DEFAULT);
  }

  public IndexSpec withMetric(Metric newMetric) {
    return new IndexSpec(factory, Objects.requireNonNull(newMetric, "metric"), efConstruction);
  }

  /** HNSW build beam width (ignored by other structures); 1..4096. */
  public IndexSpec withEfConstruction(int newEfConstruction) {
    if (newEfConstruction < 1 || newEfConstruction > 4096) {
      throw new InvalidSpecException("efConstruction must be in 1..4096, got " + newEfConstruction);
    }
    return new IndexSpec(factory, metric, newEfConstruction);
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
    return factory + "/" + metric + (isGraph() ? "/efC=" + efConstruction : "");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof IndexSpec that && factory.equals(that.factory) && metric == that.metric
        && efConstruction == that.efConstruction;
  }

  @Override
  public int hashCode() {
    return Objects.hash(factory, metric, efConstruction);
  }
}

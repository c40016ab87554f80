package io.trident.bench.data;

import java.util.SplittableRandom;

/**
 * Synthetic clustered vectors for search benchmarks, deterministic for a given seed.
 *
 * <p>Model: {@code clusterCount} centres with coordinates drawn from N(0, centreSpread²). Each
 * cluster has its own random low-dimensional subspace (latentDimension directions) and its own
 * spread, so points of a cluster lie near a small linear manifold, as real embeddings and SIFT
 * descriptors do, plus isotropic noise. Cluster sizes vary (log-normal weights). Queries are
 * drawn from the same distribution with an independent random stream, so they are not base
 * points. The same (seed, sizes) always gives the same vectors, bit for bit.
 */
public final class ClusteredDataGenerator {
  /** Default number of clusters: about 100 points each for 100K vectors. */
  public static final int DEFAULT_CLUSTER_COUNT = 1000;
  /** Default seed; changing it changes every generated data set. */
  public static final long DEFAULT_SEED = 20261121L;

  private static final int LATENT_DIMENSION = 12;
  private static final double CENTRE_SPREAD = 6.0;
  private static final double CLUSTER_SPREAD_MIN = 2.0;
  private static final double CLUSTER_SPREAD_MAX = 5.0;
  private static final double NOISE_SPREAD = 0.5;
  private static final double WEIGHT_LOG_SPREAD = 0.7;

  private final int dimension;
  private final int clusterCount;
  private final long seed;
  private final float[][] centres;
  /** Per cluster: LATENT_DIMENSION rows of {@code dimension} values, already scaled. */
  private final float[][][] bases;
  private final double[] cumulativeWeights;

  /** Builds the cluster model; O(clusterCount x dimension x latent) work. */
  public ClusteredDataGenerator(int dimension, int clusterCount, long seed) {
    if (dimension <= 0 || clusterCount <= 0) {
      throw new IllegalArgumentException(
          "dimension and clusterCount must be positive: " + dimension + ", " + clusterCount);
    }
    this.dimension = dimension;
    this.clusterCount = clusterCount;
    this.seed = seed;
    SplittableRandom random = new SplittableRandom(seed);
    centres = new float[clusterCount][dimension];
    bases = new float[clusterCount][LATENT_DIMENSION][dimension];
    cumulativeWeights = new double[clusterCount];
    double weightSum = 0;
    double latentScale = 1.0 / Math.sqrt(LATENT_DIMENSION);
    for (int c = 0; c < clusterCount; c++) {
      for (int i = 0; i < dimension; i++) {
        centres[c][i] = (float) (random.nextGaussian() * CENTRE_SPREAD);
      }
      double spread = CLUSTER_SPREAD_MIN
          + random.nextDouble() * (CLUSTER_SPREAD_MAX - CLUSTER_SPREAD_MIN);
      for (int l = 0; l < LATENT_DIMENSION; l++) {
        for (int i = 0; i < dimension; i++) {
          bases[c][l][i] = (float) (random.nextGaussian() * spread * latentScale);
        }
      }
      weightSum += Math.exp(random.nextGaussian() * WEIGHT_LOG_SPREAD);
      cumulativeWeights[c] = weightSum;
    }
    for (int c = 0; c < clusterCount; c++) {
      cumulativeWeights[c] /= weightSum;
    }
  }

  /** Base vectors: {@code count} rows of {@code dimension} floats. */
  public float[][] base(int count) {
    return sample(count, seed * 31 + 1);
  }

  /** Query vectors: same distribution as {@link #base}, independent stream. */
  public float[][] queries(int count) {
    return sample(count, seed * 31 + 2);
  }

  public int dimension() {
    return dimension;
  }

  public int clusterCount() {
    return clusterCount;
  }

  private float[][] sample(int count, long streamSeed) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0: " + count);
    }
    SplittableRandom random = new SplittableRandom(streamSeed);
    float[][] rows = new float[count][dimension];
    double[] latent = new double[LATENT_DIMENSION];
    for (int r = 0; r < count; r++) {
      int cluster = pickCluster(random.nextDouble());
      for (int l = 0; l < LATENT_DIMENSION; l++) {
        latent[l] = random.nextGaussian();
      }
      float[] row = rows[r];
      float[] centre = centres[cluster];
      float[][] basis = bases[cluster];
      for (int i = 0; i < dimension; i++) {
        double value = centre[i] + random.nextGaussian() * NOISE_SPREAD;
        for (int l = 0; l < LATENT_DIMENSION; l++) {
          value += latent[l] * basis[l][i];
        }
        row[i] = (float) value;
      }
    }
    return rows;
  }

  private int pickCluster(double uniform) {
    int low = 0;
    int high = clusterCount - 1;
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (cumulativeWeights[middle] < uniform) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }
}

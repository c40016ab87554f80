package io.trident.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.ReadConsistency;
import io.trident.SearchRequest;
import io.trident.VectorCollection;
import io.trident.testing.Seeds;
import java.util.SplittableRandom;

/** Seeded test vectors and the waits collection tests share. */
final class TestVectors {
  private static final long CONVERGE_MILLIS_MAX = 60_000;

  private TestVectors() {}

  /** The seed of a test ({@link Seeds#of}). */
  static long seed(String test) {
    return Seeds.of(test);
  }

  /** {@code n} vectors around {@code clusters} random centres (like real embeddings). */
  static float[][] clustered(SplittableRandom random, int n, int dimension, int clusters) {
    float[][] centres = new float[clusters][dimension];
    for (float[] centre : centres) {
      for (int j = 0; j < dimension; j++) {
        centre[j] = (float) (random.nextDouble() * 10);
      }
    }
    float[][] vectors = new float[n][dimension];
    for (int i = 0; i < n; i++) {
      float[] centre = centres[random.nextInt(clusters)];
      for (int j = 0; j < dimension; j++) {
        vectors[i][j] = centre[j] + (float) random.nextGaussian();
      }
    }
    return vectors;
  }

  /** Waits until {@code collection} has {@code size} searchable records on its member. */
  static void awaitSize(VectorCollection collection, long size) {
    long deadline = System.currentTimeMillis() + CONVERGE_MILLIS_MAX;
    while (collection.size() != size && System.currentTimeMillis() < deadline) {
      TestCluster.sleep(20);
    }
    assertTrue(collection.size() == size, collection + " holds " + collection.size()
        + " searchable records, expected " + size);
  }

  /** A request for the k nearest, exhaustive enough on small test sets to be exact. */
  static SearchRequest.Builder thorough(float[] query, int k, ReadConsistency consistency) {
    return SearchRequest.builder(query).k(k).efSearch(Math.max(256, k)).consistency(consistency);
  }
}

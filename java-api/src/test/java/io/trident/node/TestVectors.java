package io.trident.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.ReadConsistency;
import io.trident.SearchRequest;
import io.trident.VectorCollection;
import io.trident.testing.Seeds;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

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

  /** Waits until {@code collection}'s index on its member has its trained quantizer. */
  static void awaitTrained(VectorCollection collection) {
    long deadline = System.currentTimeMillis() + CONVERGE_MILLIS_MAX;
    while (!collection.isIndexTrained() && System.currentTimeMillis() < deadline) {
      TestCluster.sleep(20);
    }
    assertTrue(collection.isIndexTrained(), collection + " is still untrained");
  }

  /** The ids (row numbers) of the k rows nearest to {@code query} by L2 that {@code keep} keeps. */
  static long[] exactTopK(float[][] vectors, float[] query, int k, IntPredicate keep) {
    double[] distances = new double[vectors.length];
    for (int i = 0; i < vectors.length; i++) {
      double sum = 0;
      for (int j = 0; j < query.length; j++) {
        double difference = vectors[i][j] - query[j];
        sum += difference * difference;
      }
      distances[i] = sum;
    }
    return IntStream.range(0, vectors.length).filter(keep).boxed()
        .sorted(Comparator.comparingDouble(i -> distances[i])).limit(k)
        .mapToLong(Integer::longValue).toArray();
  }

  /** A request for the k nearest, exhaustive enough on small test sets to be exact. */
  static SearchRequest.Builder thorough(float[] query, int k, ReadConsistency consistency) {
    return SearchRequest.builder(query).k(k).efSearch(Math.max(256, k)).consistency(consistency);
  }
}

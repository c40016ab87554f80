package io.trident.search;

import io.trident.error.DimensionMismatchException;
import io.trident.error.InvalidArgumentException;
import io.trident.error.NonFiniteVectorException;
import java.nio.FloatBuffer;

/** Argument checks done in Java before anything crosses JNI. Stateless. */
final class VectorChecks {
  private VectorChecks() {}

  static void requireDimension(int expected, int actual, String what) {
    if (expected != actual) {
      throw new DimensionMismatchException(
          what + " has dimension " + actual + " but the index has dimension " + expected);
    }
  }

  /** Checks {@code count} floats from {@code offset} are finite; names the first bad one. */
  static void requireFinite(float[] values, int offset, int count, int dimension, String what) {
    for (int i = 0; i < count; i++) {
      float v = values[offset + i];
      if (!Float.isFinite(v)) {
        throw nonFinite(what, i, dimension, v);
      }
    }
  }

  static void requireFinite(FloatBuffer values, int count, int dimension, String what) {
    int base = values.position();
    for (int i = 0; i < count; i++) {
      float v = values.get(base + i);
      if (!Float.isFinite(v)) {
        throw nonFinite(what, i, dimension, v);
      }
    }
  }

  /** k must be in 1..K_MAX; k larger than the index is fine (fewer hits come back). */
  static void requireK(int k) {
    if (k <= 0) {
      throw new InvalidArgumentException("k must be positive, got " + k);
    }
    if (k > VectorIndex.K_MAX) {
      throw new InvalidArgumentException("k must be at most " + VectorIndex.K_MAX + ", got " + k);
    }
  }

  static void requireBatchBytes(long vectors, int dimension, String what) {
    long bytes = vectors * dimension * Float.BYTES;
    if (bytes > VectorIndex.BATCH_BYTES_MAX) {
      throw new InvalidArgumentException(what + " of " + vectors + " vectors is " + bytes
          + " bytes, over the limit of " + VectorIndex.BATCH_BYTES_MAX + "; split it into smaller calls");
    }
  }

  private static NonFiniteVectorException nonFinite(String what, int flatIndex, int dimension, float v) {
    return new NonFiniteVectorException(what + " vector " + (flatIndex / dimension) + " holds " + v
        + " at component " + (flatIndex % dimension) + "; vectors must be finite");
  }
}

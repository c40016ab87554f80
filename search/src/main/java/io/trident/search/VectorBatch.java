package io.trident.search;

import io.trident.error.InvalidArgumentException;
import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;
import org.bytedeco.javacpp.FloatPointer;

/**
 * Checks and copies batches of vectors between Java arrays and native memory. Stateless. Cosine
 * batches are normalised to unit length on the way in (the caller's arrays are never modified).
 */
final class VectorBatch {
  private VectorBatch() {}

  /** Row-major copy of {@code vectors}, each checked for dimension. */
  static float[] flatten(float[][] vectors, int dimension, String what) {
    Objects.requireNonNull(vectors, what);
    VectorChecks.requireBatchBytes(vectors.length, dimension, what);
    float[] flat = new float[vectors.length * dimension];
    for (int i = 0; i < vectors.length; i++) {
      float[] row = Objects.requireNonNull(vectors[i], what + " vector " + i);
      VectorChecks.requireDimension(dimension, row.length, what + " vector " + i);
      System.arraycopy(row, 0, flat, i * dimension, dimension);
    }
    return flat;
  }

  /** Checks a row-major batch of n vectors: size, length and finiteness. */
  static void checkFlat(float[] flat, int n, int dimension, String what) {
    Objects.requireNonNull(flat, what);
    if (n < 0) {
      throw new InvalidArgumentException(what + ": vector count must not be negative, got " + n);
    }
    VectorChecks.requireBatchBytes(n, dimension, what);
    if ((long) n * dimension != flat.length) {
      if (n == 1 || flat.length % dimension != 0) {
        VectorChecks.requireDimension(dimension, n == 0 ? flat.length : flat.length / Math.max(n, 1),
            what);
      }
      throw new InvalidArgumentException(what + " holds " + flat.length + " floats, but " + n
          + " vectors of dimension " + dimension + " need " + (long) n * dimension);
    }
    VectorChecks.requireFinite(flat, 0, flat.length, dimension, what);
  }

  /** Checks a direct buffer holds n vectors from its position. */
  static void checkDirect(FloatBuffer buffer, int n, int dimension, String what) {
    long remaining = directRemaining(buffer, what);
    if (n <= 0) {
      throw new InvalidArgumentException(what + ": vector count must be positive, got " + n);
    }
    VectorChecks.requireBatchBytes(n, dimension, what);
    if (remaining < (long) n * dimension) {
      throw new InvalidArgumentException(what + " has " + remaining + " floats remaining, but " + n
          + " vectors of dimension " + dimension + " need " + (long) n * dimension);
    }
  }

  static long directRemaining(Buffer buffer, String what) {
    Objects.requireNonNull(buffer, what);
    if (!buffer.isDirect()) {
      throw new InvalidArgumentException(what + " must be a direct buffer (allocateDirect)");
    }
    return buffer.remaining();
  }

  /** A new native copy of the batch (normalised for cosine); the caller closes it. */
  static FloatPointer toNative(float[] flat, int n, int dimension, Metric metric) {
    return toNative(flat, 0, n, dimension, metric);
  }

  /** A new native copy of rows [firstRow, firstRow + n) of the batch; the caller closes it. */
  static FloatPointer toNative(float[] flat, int firstRow, int n, int dimension, Metric metric) {
    FloatPointer pointer = new FloatPointer((long) Math.max(n, 1) * dimension);
    copyIn(flat, firstRow, n, dimension, metric, pointer);
    return pointer;
  }

  /** Copies n vectors into {@code target} from position 0 (normalised for cosine). */
  static void copyIn(float[] flat, int n, int dimension, Metric metric, FloatPointer target) {
    copyIn(flat, 0, n, dimension, metric, target);
  }

  /** Throws when an id appears twice (the message names it). */
  static void requireDistinct(long[] ids) {
    long[] sorted = ids.clone();
    Arrays.sort(sorted);
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i] == sorted[i - 1]) {
        throw new InvalidArgumentException("add: id " + sorted[i] + " appears twice in the batch");
      }
    }
  }

  /** Copies rows [firstRow, firstRow + n) into {@code target} from position 0. */
  private static void copyIn(float[] flat, int firstRow, int n, int dimension, Metric metric,
      FloatPointer target) {
    target.position(0);
    if (metric != Metric.COSINE) {
      target.put(flat, firstRow * dimension, n * dimension);
      return;
    }
    float[] row = new float[dimension];
    for (int i = firstRow; i < firstRow + n; i++) {
      int offset = i * dimension;
      double norm = 0;
      for (int j = 0; j < dimension; j++) {
        norm += (double) flat[offset + j] * flat[offset + j];
      }
      if (norm == 0) {
        throw new InvalidArgumentException(
            "vector " + i + " is all zeros and has no direction; cosine needs a non-zero vector");
      }
      float scale = (float) (1.0 / Math.sqrt(norm));
      for (int j = 0; j < dimension; j++) {
        row[j] = flat[offset + j] * scale;
      }
      target.position((long) (i - firstRow) * dimension).put(row, 0, dimension);
    }
    target.position(0);
  }
}

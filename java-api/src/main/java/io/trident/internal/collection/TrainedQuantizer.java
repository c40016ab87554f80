package io.trident.internal.collection;

import io.trident.CollectionSpec;
import io.trident.error.CorruptIndexException;
import io.trident.error.StorageIoException;
import io.trident.search.VectorIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A trained, empty index structure as bytes: what the leader sends through the Raft log so that
 * every replica starts its IVF/PQ/SQ index from the very same centroids and codebooks (training
 * is k-means over a sample and need not give the same result twice, across thread counts or CPU
 * kernels; shipping its result does). The bytes are the native index file format ({@link
 * VectorIndex#save}), checked on load like any index file. Stateless.
 */
public final class TrainedQuantizer {
  private TrainedQuantizer() {}

  /** Trains {@code spec}'s structure on {@code count} vectors (row-major) and returns it. */
  public static byte[] train(CollectionSpec spec, float[] sample, int count) {
    Path file = temporaryFile();
    try (VectorIndex index = VectorIndex.create(spec.dimension(), spec.index())) {
      index.train(sample, count);
      index.save(file);
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new StorageIoException("cannot read the trained index back from " + file + ": " + e,
          e);
    } finally {
      deleteQuietly(file);
    }
  }

  /**
   * The empty, trained index {@code bytes} hold.
   *
   * @throws CorruptIndexException when they are not a trained, empty index of {@code spec}
   */
  static VectorIndex load(byte[] bytes, CollectionSpec spec) {
    Path file = temporaryFile();
    VectorIndex index = null;
    try {
      Files.write(file, bytes);
      index = VectorIndex.load(file);
      if (index.dimension() != spec.dimension()
          || !index.spec().factory().equals(spec.index().factory())
          || index.spec().metric() != spec.index().metric() || !index.isTrained()
          || index.size() != 0) {
        throw new CorruptIndexException("the trained quantizer holds " + index.spec() + " d="
            + index.dimension() + " (trained " + index.isTrained() + ", " + index.size()
            + " vectors); the collection is " + spec.index() + " d=" + spec.dimension());
      }
      return index;
    } catch (IOException e) {
      throw new StorageIoException("cannot stage the trained quantizer in " + file + ": " + e, e);
    } catch (RuntimeException e) {
      if (index != null) {
        index.close();
      }
      throw e;
    } finally {
      deleteQuietly(file);
    }
  }

  private static Path temporaryFile() {
    try {
      return Files.createTempFile("trident-quantizer-", ".index");
    } catch (IOException e) {
      throw new StorageIoException("cannot create a temporary file: " + e, e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a leftover temporary file is harmless
    }
  }
}

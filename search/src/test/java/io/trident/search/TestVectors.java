package io.trident.search;

import io.trident.search.io.VectorFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Test data: the real sift5k set from shared/data, and small seeded random sets. */
public final class TestVectors {
  private TestVectors() {}

  /** shared/data/sift5k, found beside the checkout (or via TRIDENT_DATA_DIR). */
  public static Path sift5kDir() {
    String configured = System.getenv("TRIDENT_DATA_DIR");
    if (configured != null) {
      return Path.of(configured, "sift5k");
    }
    Path dir = Path.of("").toAbsolutePath();
    for (int up = 0; up < 5 && dir != null; up++, dir = dir.getParent()) {
      Path candidate = dir.resolve("shared/data/sift5k");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
      candidate = dir.resolveSibling("shared").resolve("data/sift5k");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("shared/data/sift5k not found beside the checkout; set"
        + " TRIDENT_DATA_DIR to the directory holding sift5k/");
  }

  public static float[][] sift5kBase() {
    return VectorFiles.readFvecs(sift5kDir().resolve("sift5k_base.fvecs"));
  }

  public static float[][] sift5kQueries() {
    return VectorFiles.readFvecs(sift5kDir().resolve("sift5k_query.fvecs"));
  }

  public static int[][] sift5kGroundTruth() {
    return VectorFiles.readIvecs(sift5kDir().resolve("sift5k_groundtruth.ivecs"));
  }

  /** n gaussian vectors of dimension d from a fixed seed. */
  public static float[][] random(int n, int d, long seed) {
    Random random = new Random(seed);
    float[][] vectors = new float[n][d];
    for (float[] v : vectors) {
      for (int j = 0; j < d; j++) {
        v[j] = (float) random.nextGaussian();
      }
    }
    return vectors;
  }

  public static long[] ids(int from, int count) {
    long[] ids = new long[count];
    for (int i = 0; i < count; i++) {
      ids[i] = from + i;
    }
    return ids;
  }
}

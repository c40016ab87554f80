package io.trident.bench.demo;

import io.trident.search.io.VectorFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The texmex files of one dataset directory: {@code *base.fvecs}, {@code *query.fvecs} and
 * optionally {@code *groundtruth.ivecs} (shared/data/sift5k's {@code sift5k_base.fvecs}, or
 * {@code base.fvecs} as {@code bench.sh gen} writes them).
 */
public record Dataset(float[][] base, float[][] queries, int[][] groundTruth) {
  public static Dataset open(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("dataset directory " + dir.toAbsolutePath()
          + " not found; pass --data DIR holding *base.fvecs and *query.fvecs");
    }
    Path base = find(dir, "base.fvecs", true);
    Path queries = find(dir, "query.fvecs", true);
    Path truth = find(dir, "groundtruth.ivecs", false);
    return new Dataset(VectorFiles.readFvecs(base), VectorFiles.readFvecs(queries),
        truth == null ? null : VectorFiles.readIvecs(truth));
  }

  private static Path find(Path dir, String suffix, boolean required) throws IOException {
    try (var files = Files.list(dir)) {
      Path found = files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted()
          .findFirst().orElse(null);
      if (found == null && required) {
        throw new IllegalArgumentException("no *" + suffix + " file in " + dir);
      }
      return found;
    }
  }
}

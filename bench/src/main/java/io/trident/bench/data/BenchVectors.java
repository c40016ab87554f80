package io.trident.bench.data;

import io.trident.search.io.VectorFiles;
import java.nio.file.Path;

/** Reads benchmark vectors in the format named by the file's extension. Stateless. */
public final class BenchVectors {
  private BenchVectors() {}

  /** Every row of a {@code .fvecs} file, or of a {@code .bvecs} file widened to floats. */
  public static float[][] read(Path file) {
    String name = file.getFileName().toString();
    if (name.endsWith(".bvecs")) {
      return VectorFiles.readBvecs(file, Integer.MAX_VALUE);
    }
    if (name.endsWith(".fvecs")) {
      return VectorFiles.readFvecs(file);
    }
    throw new IllegalArgumentException("expected a .fvecs or .bvecs file: " + file);
  }
}

package io.trident.bench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.search.Metric;
import io.trident.search.eval.GroundTruth;
import io.trident.search.io.VectorFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateCommandTest {
  @Test
  void writesFilesAndReusesThemForTheSameParameters(@TempDir Path directory) throws Exception {
    Path out = directory.resolve("set");
    assertTrue(GenerateCommand.generate(out, 500, 12, 20, 10, 5, 7));
    float[][] base = VectorFiles.readFvecs(out.resolve(GenerateCommand.BASE_FILE));
    float[][] queries = VectorFiles.readFvecs(out.resolve(GenerateCommand.QUERY_FILE));
    int[][] truth = VectorFiles.readIvecs(out.resolve(GenerateCommand.GROUND_TRUTH_FILE));
    assertEquals(500, base.length);
    assertEquals(12, base[0].length);
    assertEquals(20, queries.length);
    assertEquals(7, truth[0].length);
    assertArrayEquals(GroundTruth.exact(base, queries, 7, Metric.L2)[4], truth[4]);

    long modified = Files.getLastModifiedTime(out.resolve(GenerateCommand.BASE_FILE)).toMillis();
    assertFalse(GenerateCommand.generate(out, 500, 12, 20, 10, 5, 7), "should reuse");
    assertEquals(modified,
        Files.getLastModifiedTime(out.resolve(GenerateCommand.BASE_FILE)).toMillis());
    assertTrue(GenerateCommand.generate(out, 400, 12, 20, 10, 5, 7), "new size regenerates");
    assertEquals(400, VectorFiles.readFvecs(out.resolve(GenerateCommand.BASE_FILE)).length);
  }
}

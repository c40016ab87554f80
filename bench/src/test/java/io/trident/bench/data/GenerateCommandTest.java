package io.trident.bench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateCommandTest {
  @Test
  void writesFilesAndReusesThemForTheSameParameters(@TempDir Path directory) throws Exception {
    Path out = directory.resolve("set");
    assertTrue(GenerateCommand.generate(out, 500, 12, 20, 10, 5, 7));
    float[][] base = DatasetFiles.readFvecs(out.resolve(GenerateCommand.BASE_FILE));
    float[][] queries = DatasetFiles.readFvecs(out.resolve(GenerateCommand.QUERY_FILE));
    int[][] truth = DatasetFiles.readIvecs(out.resolve(GenerateCommand.GROUND_TRUTH_FILE));
    assertEquals(500, base.length);
    assertEquals(12, base[0].length);
    assertEquals(20, queries.length);
    assertEquals(7, truth[0].length);
    assertArrayEquals(ExactNeighbors.compute(base, queries, 7)[4], truth[4]);

    long modified = Files.getLastModifiedTime(out.resolve(GenerateCommand.BASE_FILE)).toMillis();
    assertFalse(GenerateCommand.generate(out, 500, 12, 20, 10, 5, 7), "should reuse");
    assertEquals(modified,
        Files.getLastModifiedTime(out.resolve(GenerateCommand.BASE_FILE)).toMillis());
    assertTrue(GenerateCommand.generate(out, 400, 12, 20, 10, 5, 7), "new size regenerates");
    assertEquals(400, DatasetFiles.readFvecs(out.resolve(GenerateCommand.BASE_FILE)).length);
  }
}

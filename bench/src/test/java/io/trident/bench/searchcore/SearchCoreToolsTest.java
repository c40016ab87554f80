package io.trident.bench.searchcore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.bench.data.GenerateCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The filtered and async tools end to end on a tiny generated set: table, CSV, PNG, last line. */
class SearchCoreToolsTest {
  private static String lastLine(ByteArrayOutputStream printed) {
    String[] lines = printed.toString(StandardCharsets.UTF_8).split("\n");
    return lines[lines.length - 1];
  }

  @Test
  void filteredToolMeasuresEachFilterAgainstItsOwnGroundTruth(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    GenerateCommand.generate(data, 3000, 16, 40, 20, 3, 10);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    FilteredBenchTool.run(data, "HNSW16", List.of(16, 64), List.of(8), 10, List.of(0.1, 0.01), 7,
        0.05, dir.resolve("out"), new PrintStream(printed, true, StandardCharsets.UTF_8));
    List<String> csv = Files.readAllLines(dir.resolve("out/filtered.csv"));
    assertEquals(1 + 3 * 2, csv.size(), "unfiltered + two filters, two settings each");
    for (String row : csv.subList(1, csv.size())) {
      double recall = Double.parseDouble(row.split(",")[4]);
      assertTrue(recall >= 0.9, row);
    }
    assertNotNull(ImageIO.read(dir.resolve("out/filtered-recall-qps.png").toFile()));
    String last = lastLine(printed);
    assertTrue(last.matches("unfiltered_qps_at_095=\\d+ sel_10.00pct: recall=\\S+ qps=\\d+ ratio=\\S+"
        + " sel_1.000pct: recall=\\S+ qps=\\d+ ratio=\\S+"), last);
  }

  @Test
  void asyncToolSweepsEveryModeAtEveryLevel(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    GenerateCommand.generate(data, 2000, 16, 40, 20, 3, 10);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    AsyncSweepTool.run(data, "HNSW16", 32, 10, List.of(1, 8), List.of("sync", "async", "async1", "asynccb"),
        400, 5, dir.resolve("out"), new PrintStream(printed, true, StandardCharsets.UTF_8));
    List<String> csv = Files.readAllLines(dir.resolve("out/async-sweep.csv"));
    assertEquals(1 + 2 * 4, csv.size());
    for (String row : csv.subList(1, csv.size())) {
      assertEquals(100.0, Double.parseDouble(row.split(",")[4]), row);
    }
    assertNotNull(ImageIO.read(dir.resolve("out/async-qps.png").toFile()));
    assertNotNull(ImageIO.read(dir.resolve("out/async-p99.png").toFile()));
    String last = lastLine(printed);
    assertTrue(last.startsWith("callers=8 sync: qps=") && last.contains(" async: ")
        && last.contains(" async1: ") && last.contains(" asynccb: "), last);
  }
}

package io.trident.bench.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restart tool end to end on a tiny collection with a real node: one load and one rebuild
 * row whose recovery counters show the path each took, CSV, PNG, the summary line.
 */
class RestartBenchToolTest {
  @Test
  void loadRowsLoadAndRebuildRowsRebuild(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    RestartBenchTool.run(600, 16, "HNSW16", 50, 1, 32, dir,
        new PrintStream(printed, true, StandardCharsets.UTF_8));
    List<String> csv = Files.readAllLines(dir.resolve("restart.csv"));
    assertEquals(3, csv.size(), String.join("\n", csv));
    String[] load = csv.get(1).split(",");
    String[] rebuild = csv.get(2).split(",");
    assertEquals("load", load[1]);
    assertEquals(List.of("1", "0", "50", "0"), List.of(load[4], load[5], load[6], load[7]),
        "loaded, rebuilt, replayed, rebuilt records: " + csv.get(1));
    assertEquals("rebuild", rebuild[1]);
    assertEquals(List.of("0", "1", "0", "650"), List.of(rebuild[4], rebuild[5], rebuild[6],
        rebuild[7]), csv.get(2));
    assertTrue(Double.parseDouble(load[8]) >= 0.9 && Double.parseDouble(rebuild[8]) >= 0.9,
        "recall@10 of both: " + csv);
    assertNotNull(ImageIO.read(dir.resolve("restart.png").toFile()));
    assertFalse(Files.exists(dir.resolve("prepared")), "the prepared directory is removed");
    String[] lines = printed.toString(StandardCharsets.UTF_8).split("\n");
    assertTrue(lines[lines.length - 1].matches(
        "restart_load_ms=\\S+ restart_rebuild_ms=\\S+ speedup=\\S+"), lines[lines.length - 1]);
  }
}

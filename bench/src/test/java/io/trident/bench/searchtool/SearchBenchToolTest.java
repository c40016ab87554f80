package io.trident.bench.searchtool;

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

/** End to end on a tiny generated set: Trident HNSW and the in-process hnswlib peer. */
class SearchBenchToolTest {
  @Test
  void measuresWritesCsvAndPlotAndEndsWithTheSummaryLine(@TempDir Path directory)
      throws Exception {
    Path data = directory.resolve("data");
    GenerateCommand.generate(data, 2000, 16, 50, 20, 3, 10);
    Path out = directory.resolve("out");
    SearchBenchOptions options = SearchBenchOptions.parse(new String[] {
        "--base", data.resolve(GenerateCommand.BASE_FILE).toString(),
        "--query", data.resolve(GenerateCommand.QUERY_FILE).toString(),
        "--index", "HNSW16", "--ef", "16,64", "--k", "10", "--threads", "1,2", "--peers", "hnswlib",
        "--peer-m", "16", "--warmup-seconds", "0.05", "--measure-seconds", "0.05",
        "--system-warmup-seconds", "0.1", "--out", out.toString()});
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    List<MeasuredSetting> rows = new SearchBenchTool(options,
        new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

    assertEquals(4, rows.size());
    assertEquals(List.of("trident", "trident", "hnswlib", "hnswlib"),
        rows.stream().map(MeasuredSetting::system).toList());
    for (MeasuredSetting row : rows) {
      assertTrue(row.recall() > 0.8, "recall " + row.recall());
      assertTrue(row.qpsAt(1) > 0 && row.qpsAt(2) > 0);
      assertTrue(row.latencyP50Micros() <= row.latencyP99Micros());
    }
    assertEquals(5, Files.readAllLines(out.resolve(SearchBenchTool.CSV_FILE)).size());
    assertNotNull(ImageIO.read(out.resolve(SearchBenchTool.PLOT_FILE).toFile()));
    String[] lines = printed.toString(StandardCharsets.UTF_8).split("\n");
    String last = lines[lines.length - 1];
    assertTrue(last.matches("recall@10=\\S+ qps=\\S+ best_peer=hnswlib ratio_at_095=\\S+"),
        last);
    MeasuredSetting tridentLast = rows.get(1);
    assertTrue(last.startsWith(String.format(java.util.Locale.ROOT, "recall@10=%.4f qps=%.1f ",
        tridentLast.recall(), tridentLast.singleThreadQps())), last);
    double ratio = Double.parseDouble(last.substring(last.indexOf("ratio_at_095=") + 13));
    assertTrue(ratio > 0, last);
    assertTrue(Files.readString(out.resolve(SearchBenchTool.TEXT_FILE)).contains(last));
  }
}

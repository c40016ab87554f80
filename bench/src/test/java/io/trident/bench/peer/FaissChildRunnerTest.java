package io.trident.bench.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.bench.data.GenerateCommand;
import io.trident.bench.searchtool.MeasuredSetting;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optional FAISS peer: where python3-faiss is installed, its child process measures a tiny
 * set; where it is not, the runner refuses with the install hint.
 */
class FaissChildRunnerTest {
  @Test
  void measuresWithPythonFaissOrExplainsHowToInstallIt(@TempDir Path directory) {
    String python;
    try {
      python = FaissChildRunner.python();
    } catch (IllegalStateException e) {
      assertTrue(e.getMessage().contains("python3-faiss"), e.getMessage());
      assertThrows(IllegalStateException.class,
          () -> FaissChildRunner.run(List.of(), directory));
      return;
    }
    assertTrue(python.contains("python"));
    Path data = directory.resolve("data");
    GenerateCommand.generate(data, 1500, 16, 30, 15, 9, 10);
    List<MeasuredSetting> rows = FaissChildRunner.run(List.of(
        "--base", data.resolve(GenerateCommand.BASE_FILE).toString(),
        "--query", data.resolve(GenerateCommand.QUERY_FILE).toString(),
        "--gt", data.resolve(GenerateCommand.GROUND_TRUTH_FILE).toString(),
        "--k", "10", "--m", "16", "--ef-construction", "50", "--ef", "10,40",
        "--threads", "1,2", "--warmup-seconds", "0.05", "--measure-seconds", "0.05",
        "--system-warmup-seconds", "0.1"), directory.resolve("work"));
    assertEquals(2, rows.size());
    for (MeasuredSetting row : rows) {
      assertEquals("faiss", row.system());
      assertTrue(row.recall() > 0.8, "recall " + row.recall());
      assertTrue(row.qpsAt(2) > 0);
    }
  }
}

package io.trident.bench.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.bench.data.GenerateCommand;
import io.trident.bench.searchtool.MeasuredSetting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the Lucene peer's child JVM (Lucene 10 on JDK 21+ when installed) on a tiny set. */
class LuceneChildRunnerTest {
  @Test
  void childBuildsSearchesAndReportsRows(@TempDir Path directory) throws Exception {
    Path data = directory.resolve("data");
    GenerateCommand.generate(data, 1500, 16, 30, 15, 9, 10);
    LuceneChildRunner.ChildPlan plan = LuceneChildRunner.plan();
    Path work = directory.resolve("work");

    List<MeasuredSetting> rows = LuceneChildRunner.run(plan, List.of(
        "--base", data.resolve(GenerateCommand.BASE_FILE).toString(),
        "--query", data.resolve(GenerateCommand.QUERY_FILE).toString(),
        "--gt", data.resolve(GenerateCommand.GROUND_TRUTH_FILE).toString(),
        "--k", "10", "--m", "16", "--ef-construction", "50", "--ef", "10,40",
        "--threads", "1", "--warmup-seconds", "0.05", "--measure-seconds", "0.05",
        "--system-warmup-seconds", "0.1", "--work", work.toString()), "512m");

    assertEquals(2, rows.size());
    String expectedMajor = plan.vectorModule() ? "10." : "9.";
    for (MeasuredSetting row : rows) {
      assertEquals("lucene", row.system());
      assertTrue(row.version().startsWith(expectedMajor), row.version());
      assertTrue(row.recall() > 0.8, "recall " + row.recall());
    }
    assertEquals(40, rows.get(1).setting().efSearch());
    assertTrue(Files.notExists(work.resolve("lucene-m16")), "index directory removed");
  }

  @Test
  void findsTheInstalledNewerJdkWhenPresent() {
    Path temurin = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    if (Files.isExecutable(temurin.resolve("bin/java"))
        && System.getenv(LuceneChildRunner.JDK_ENV) == null) {
      assertEquals(temurin, LuceneChildRunner.findJdk21Plus().orElseThrow());
    } else {
      assertTrue(LuceneChildRunner.findJdk21Plus().isEmpty()
          || System.getenv(LuceneChildRunner.JDK_ENV) != null);
    }
  }
}

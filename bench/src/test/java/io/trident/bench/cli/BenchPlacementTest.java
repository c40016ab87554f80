package io.trident.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.bench.journal.JournalBenchTool;
import io.trident.nativelib.ThreadPlacement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bench tools record where they ran; the journal tool's --placement places its appender. */
class BenchPlacementTest {
  @Test
  void describesProcessThreadsAndHost() {
    String line = BenchPlacement.describe(ThreadPlacement.NONE);
    String process = System.getenv(BenchPlacement.PROCESS_PLACEMENT_ENV);
    assertTrue(line.startsWith("placement: process=" + (process == null ? "none" : process)
        + " threads=none main_thread=cpus="), line);
    assertTrue(line.contains(" host: Trident native: kernels="), line);
    assertThrows(IllegalArgumentException.class, () -> BenchPlacement.option(
        Arguments.parse(new String[] {"--placement", "socket:1"})));
  }

  @Test
  void journalToolPlacesItsAppendingThreadAndRecordsIt(@TempDir Path dir) throws Exception {
    int[] allowed = ThreadPlacement.currentThreadCpus();
    int last = allowed[allowed.length - 1];
    Path out = dir.resolve("out");
    String[] args = {"--batch", "8", "--seconds", "0.2", "--warmup-seconds", "0.05", "--rounds",
        "1", "--storages", "chronicle,raw", "--placement", "cpus:" + last, "--out", out.toString()};
    // On a fresh thread: the tool pins the thread that runs it.
    CompletableFuture<Void> run = CompletableFuture.runAsync(() -> JournalBenchTool.main(args),
        command -> new Thread(command, "journal-bench-test").start());
    run.join();
    String recorded = Files.readString(out.resolve(BenchPlacement.FILE_NAME));
    assertTrue(recorded.contains(" threads=cpus:" + last + " main_thread=cpus=" + last + " "),
        recorded);
    List<String> csv = Files.readAllLines(out.resolve("journal.csv"));
    assertEquals(3, csv.size(), "header + chronicle + raw: " + csv);
  }
}

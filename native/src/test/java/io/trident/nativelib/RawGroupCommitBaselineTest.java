package io.trident.nativelib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.error.InvalidArgumentException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawGroupCommitBaselineTest {
  @TempDir Path dir;

  @Test
  void measuresSyncsAndRecordsAndRemovesItsFile() {
    Path file = dir.resolve("raw");
    RawGroupCommitBaseline.Result result =
        RawGroupCommitBaseline.run(file, 100, 32, 2, 0.2, 1 << 20);
    assertTrue(result.syncs() > 0);
    assertEquals(result.syncs() * 32, result.records());
    assertTrue(result.recordsPerSecond() > result.syncsPerSecond());
    assertTrue(result.syncLatencyP99Micros() >= result.syncLatencyP50Micros());
    assertEquals(GroupCommitFile.isIoUringAvailable(), result.usedIoUring());
    assertFalse(Files.exists(file));
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(InvalidArgumentException.class,
        () -> RawGroupCommitBaseline.run(dir.resolve("raw"), 0, 1, 1, 0.1, 0));
    assertThrows(InvalidArgumentException.class,
        () -> RawGroupCommitBaseline.run(dir.resolve("raw"), 100, 1, 65, 0.1, 0));
  }
}

package io.trident.nativelib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IoUringAvailabilityTest {
  @TempDir Path dir;

  @Test
  void systemPropertyForcesTheBlockingFallbackOnOpen() {
    String previous = System.getProperty(IoUringAvailability.DISABLE_PROPERTY);
    System.setProperty(IoUringAvailability.DISABLE_PROPERTY, "off");
    try (GroupCommitFile file = GroupCommitFile.open(dir.resolve("journal"), 4)) {
      assertFalse(GroupCommitFile.isIoUringAvailable());
      assertTrue(GroupCommitFile.ioUringUnavailabilityCause().contains("trident.io_uring=off"));
      assertFalse(file.usesIoUring());
      file.sync();
      assertEquals(1, file.durableTicket());
    } finally {
      if (previous == null) {
        System.clearProperty(IoUringAvailability.DISABLE_PROPERTY);
      } else {
        System.setProperty(IoUringAvailability.DISABLE_PROPERTY, previous);
      }
    }
  }

  @Test
  void withoutThePropertyOpenUsesIoUringExactlyWhenAvailable() {
    try (GroupCommitFile file = GroupCommitFile.open(dir.resolve("journal"), 4)) {
      assertEquals(GroupCommitFile.isIoUringAvailable(), file.usesIoUring());
    }
  }
}

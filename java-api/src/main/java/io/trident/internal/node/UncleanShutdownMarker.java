package io.trident.internal.node;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Tells whether the state store may be damaged by a machine crash. The store commits without
 * fsync (the Raft log is the durable record; the state is derived from it), which survives a
 * process crash ({@code kill -9}: the page cache keeps every write) but not a power loss or
 * kernel crash. So while the store is open a marker file holds the kernel's boot id; a clean
 * close syncs the store and removes the marker. Finding the marker at open with another boot id
 * means the machine went down while the store was open: the state is then discarded and rebuilt
 * from the last snapshot and the log.
 */
final class UncleanShutdownMarker {
  private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");
  private static final String UNKNOWN_BOOT = "unknown";

  private final Path marker;
  private final Path directory;

  UncleanShutdownMarker(Path directory) {
    this.directory = directory;
    this.marker = directory.resolve("OPEN-SINCE-BOOT");
  }

  /** True when the store was open when this machine (not just the process) last went down. */
  boolean machineCrashedWhileOpen() throws IOException {
    String recorded;
    try {
      recorded = Files.readString(marker, StandardCharsets.US_ASCII).trim();
    } catch (NoSuchFileException e) {
      return false;
    }
    String now = currentBootId();
    return recorded.equals(UNKNOWN_BOOT) || now.equals(UNKNOWN_BOOT) || !recorded.equals(now);
  }

  /** Records, durably, that the store is open during this boot. */
  void markOpen() throws IOException {
    Files.createDirectories(directory);
    Files.writeString(marker, currentBootId(), StandardCharsets.US_ASCII);
    try (FileChannel file = FileChannel.open(marker, StandardOpenOption.WRITE)) {
      file.force(true);
    }
    syncDirectory();
  }

  /** Records, durably, a clean close (call after the store itself was synced). */
  void markClosed() throws IOException {
    Files.deleteIfExists(marker);
    syncDirectory();
  }

  private void syncDirectory() throws IOException {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  private static String currentBootId() {
    try {
      return Files.readString(BOOT_ID, StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      return UNKNOWN_BOOT;
    }
  }
}

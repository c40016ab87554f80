package io.trident.bench.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Bytes written to the block device holding a directory, from {@code /proc/diskstats} (sectors
 * written, 512 bytes each). Device-wide: other processes writing to the same disk are counted
 * too, so read it as an upper bound per sync. Unavailable (always 0) off Linux or when the
 * directory's device is not listed. Thread-safe (stateless reads).
 */
final class DeviceWriteCounter {
  private static final Path DISKSTATS = Path.of("/proc/diskstats");
  private static final int SECTOR_BYTES = 512;
  private static final int NAME_FIELD = 2;
  private static final int SECTORS_WRITTEN_FIELD = 9;

  private final String deviceName;

  private DeviceWriteCounter(String deviceName) {
    this.deviceName = deviceName;
  }

  /** The counter for the device of {@code directory}'s file store, e.g. "vda" for /dev/vda. */
  static DeviceWriteCounter forDirectory(Path directory) {
    try {
      String store = Files.getFileStore(directory).name();
      String name = store.startsWith("/dev/") ? store.substring("/dev/".length()) : store;
      return new DeviceWriteCounter(name);
    } catch (IOException | RuntimeException e) {
      return new DeviceWriteCounter("");
    }
  }

  boolean isAvailable() {
    return bytesWritten() >= 0;
  }

  String deviceName() {
    return deviceName;
  }

  /** Bytes written to the device since boot, or -1 when unknown. */
  long bytesWritten() {
    if (deviceName.isEmpty() || !Files.isReadable(DISKSTATS)) {
      return -1;
    }
    try {
      List<String> lines = Files.readAllLines(DISKSTATS);
      for (String line : lines) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length > SECTORS_WRITTEN_FIELD && fields[NAME_FIELD].equals(deviceName)) {
          return Long.parseLong(fields[SECTORS_WRITTEN_FIELD]) * SECTOR_BYTES;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}

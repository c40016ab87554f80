package io.trident.raftlog;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Byte-level damage and listing of a closed (or open) journal's cycle files, for tests. */
final class JournalBytes {
  private JournalBytes() {}

  /** Flips one byte in the middle of the only occurrence of {@code needle} in the cycle files. */
  static void flipByteOf(Path journal, byte[] needle) throws IOException {
    for (Path file : cycleFiles(journal)) {
      byte[] content = Files.readAllBytes(file);
      long at = indexOf(content, needle);
      if (at >= 0) {
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
          raw.seek(at + needle.length / 2);
          raw.write(content[(int) at + needle.length / 2] ^ 0x5A);
        }
        return;
      }
    }
    throw new AssertionError("payload not found in the journal");
  }

  /**
   * Removes the end-of-cycle marker Chronicle wrote after the last record of {@code cycleFile},
   * whose last bytes are {@code lastPayload} (a record ends with its last entry's payload; the
   * marker is the next 4-byte aligned header, Chronicle's END_OF_DATA 0xC0000000).
   */
  static void clearEndOfCycleMarker(Path cycleFile, byte[] lastPayload) throws IOException {
    byte[] content = Files.readAllBytes(cycleFile);
    long payloadAt = indexOf(content, lastPayload);
    if (payloadAt < 0) {
      throw new AssertionError("last payload not found in " + cycleFile);
    }
    int marker = (int) ((payloadAt + lastPayload.length + 3) & ~3L);
    int header = (content[marker] & 0xFF) | (content[marker + 1] & 0xFF) << 8 | (content[marker + 2] & 0xFF) << 16
        | (content[marker + 3] & 0xFF) << 24;
    if (header != 0xC0000000) {
      throw new AssertionError("no end-of-cycle marker at " + marker + " in " + cycleFile + ": 0x"
          + Integer.toHexString(header));
    }
    try (RandomAccessFile raw = new RandomAccessFile(cycleFile.toFile(), "rw")) {
      raw.seek(marker);
      raw.write(new byte[4]);
    }
  }

  /**
   * A power cut that kept only the first page of what changed since {@code durable} (the cycle
   * file's header, with Chronicle's write position): every other 4 KiB page that differs from
   * {@code durable} gets its durable content back. Returns how many pages were reverted.
   */
  static int revertPagesExceptFirst(Path cycleFile, byte[] durable) throws IOException {
    return revertPages(cycleFile, durable, PowerLossFileSystem.PAGE_BYTES, Integer.MAX_VALUE);
  }

  /**
   * As {@link #revertPagesExceptFirst}, reverting only the changed pages in bytes
   * {@code [fromByte, toByte)} (page multiples); the other changed pages are kept.
   */
  static int revertPages(Path cycleFile, byte[] durable, int fromByte, int toByte) throws IOException {
    byte[] now = Files.readAllBytes(cycleFile);
    int reverted = 0;
    for (int page = fromByte; page < Math.min(now.length, toByte); page += PowerLossFileSystem.PAGE_BYTES) {
      int end = Math.min(now.length, page + PowerLossFileSystem.PAGE_BYTES);
      if (!java.util.Arrays.equals(now, page, end, durable, page, end)) {
        System.arraycopy(durable, page, now, page, end - page);
        reverted++;
      }
    }
    Files.write(cycleFile, now);
    return reverted;
  }

  /** The journal's Chronicle cycle files (*.cq4), in name order. */
  static List<Path> cycleFiles(Path journal) throws IOException {
    try (Stream<Path> files = Files.list(journal)) {
      return files.filter(path -> path.toString().endsWith(".cq4")).sorted().toList();
    }
  }

  private static long indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}

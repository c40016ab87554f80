package io.trident.raftlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.trident.nativelib.GroupCommitFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FusePowerLossFileSystem} models what the journal relies on: stores through a shared mmap
 * (Chronicle's only way of writing) reach the file system by writeback and survive a power cut
 * once the file was fdatasync'd, by FileChannel.force or by GroupCommitFile (io_uring), and are
 * lost when it was not; a torn-write cut can keep them.
 */
class FusePowerLossFileSystemTest {
  private static final int MAP_BYTES = 1 << 20;

  @TempDir Path tempDir;

  @Test
  void mmapStoresSurviveAPowerCutOnlyOnceSynced() throws Exception {
    try (FusePowerLossFileSystem fileSystem = FusePowerLossFileSystem.mount(tempDir.resolve("mnt"), tempDir.resolve("fs"))) {
      Path file = fileSystem.root().resolve("mapped");
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE)) {
        MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, MAP_BYTES);
        map.put(8192, bytes("synced by fdatasync"));
        channel.force(false);
        try (GroupCommitFile groupCommit = GroupCommitFile.open(file, 1)) {
          map.put(16384, bytes("synced by io_uring"));
          groupCommit.sync();
        }
        map.put(65536, bytes("never synced"));
      }
      fileSystem.crashAndRemount(1, 0);
      assertArrayEquals(bytes("synced by fdatasync"), read(fileSystem.root().resolve("mapped"), 8192, 19));
      assertArrayEquals(bytes("synced by io_uring"), read(fileSystem.root().resolve("mapped"), 16384, 18));
      assertArrayEquals(new byte[12], read(fileSystem.root().resolve("mapped"), 65536, 12), "an unsynced store survived");

      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        channel.map(FileChannel.MapMode.READ_WRITE, 0, MAP_BYTES).put(65536, bytes("torn, kept"));
      }
      fileSystem.crashAndRemount(2, 1.0); // every unsynced page happens to reach the disk
      assertArrayEquals(bytes("torn, kept"), read(file, 65536, 10));
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] read(Path file, long position, int length) throws Exception {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(length);
      while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) > 0) {
        // read on
      }
      return buffer.array();
    }
  }
}

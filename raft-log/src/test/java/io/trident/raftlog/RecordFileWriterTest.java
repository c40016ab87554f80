package io.trident.raftlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Record bodies go into the cycle file with pwrite while Chronicle maps the same file: a shared
 * map must see each body at its offset, bytes around it untouched, and a new cycle must get its
 * own descriptor.
 */
class RecordFileWriterTest {
  private static final long SEED = 23;

  @TempDir Path tempDir;

  @Test
  void bodiesWrittenAtTheirOffsetsAreWhatASharedMapReads() throws Exception {
    System.out.println("RecordFileWriterTest seed=" + SEED);
    SplittableRandom random = new SplittableRandom(SEED);
    Path first = createSparse(tempDir.resolve("first.cq4"), 1 << 20);
    Path second = createSparse(tempDir.resolve("second.cq4"), 1 << 20);
    try (RecordFileWriter writer = new RecordFileWriter();
        FileChannel firstMap = FileChannel.open(first, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
        FileChannel secondMap = FileChannel.open(second, StandardOpenOption.READ,
            StandardOpenOption.WRITE)) {
      MappedByteBuffer firstView = firstMap.map(FileChannel.MapMode.READ_WRITE, 0, 1 << 20);
      MappedByteBuffer secondView = secondMap.map(FileChannel.MapMode.READ_WRITE, 0, 1 << 20);
      byte[] expectedFirst = new byte[1 << 20];
      byte[] expectedSecond = new byte[1 << 20];
      long offset = 8; // past a 4-byte header written through the map, as Chronicle does
      for (int record = 0; record < 40; record++) {
        byte[] body = new byte[1 + random.nextInt(20_000)];
        random.nextBytes(body);
        firstView.putInt((int) offset - 4, body.length); // header store through the map
        writer.write(1, first, ByteBuffer.wrap(body), offset);
        ByteBuffer.wrap(expectedFirst).putInt((int) offset - 4, body.length);
        System.arraycopy(body, 0, expectedFirst, (int) offset, body.length);
        offset += body.length + 4;
      }
      byte[] secondBody = new byte[5000];
      random.nextBytes(secondBody);
      writer.write(2, second, ByteBuffer.wrap(secondBody), 4096 - 7); // straddles a page
      System.arraycopy(secondBody, 0, expectedSecond, 4096 - 7, secondBody.length);

      assertArrayEquals(expectedFirst, read(firstView), "first cycle file through the map");
      assertArrayEquals(expectedSecond, read(secondView), "second cycle file through the map");
    }
    assertEquals(1 << 20, Files.size(first));
    byte[] onDisk = Files.readAllBytes(second);
    assertArrayEquals(Arrays.copyOfRange(onDisk, 4096 - 7, 4096 - 7 + 5000), secondBody(SEED));
  }

  /** The second file's body again, from a fresh generator replaying the same draws. */
  private static byte[] secondBody(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (int record = 0; record < 40; record++) {
      random.nextBytes(new byte[1 + random.nextInt(20_000)]);
    }
    byte[] body = new byte[5000];
    random.nextBytes(body);
    return body;
  }

  private static Path createSparse(Path path, int bytes) throws Exception {
    try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
      file.setLength(bytes);
    }
    return path;
  }

  private static byte[] read(MappedByteBuffer view) {
    byte[] bytes = new byte[view.capacity()];
    view.duplicate().position(0).get(bytes);
    return bytes;
  }
}

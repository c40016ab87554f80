package io.trident.search.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.trident.error.CorruptFileException;
import io.trident.error.StorageIoException;
import io.trident.search.TestVectors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorFilesTest {
  @TempDir Path dir;

  @Test
  void readsTheRealSift5kFiles() {
    float[][] base = TestVectors.sift5kBase();
    assertEquals(5000, base.length);
    assertEquals(128, base[0].length);
    assertEquals(100, TestVectors.sift5kQueries().length);
    int[][] truth = TestVectors.sift5kGroundTruth();
    assertEquals(100, truth.length);
    assertEquals(100, truth[0].length);
    assertEquals(10, VectorFiles.readFvecs(TestVectors.sift5kDir().resolve("sift5k_base.fvecs"), 10).length);
  }

  @Test
  void fvecsAndIvecsRoundTrip() {
    float[][] vectors = TestVectors.random(50, 7, 1);
    int[][] rows = {{1, 2, 3}, {4, 5, 6}};
    VectorFiles.writeFvecs(dir.resolve("a.fvecs"), vectors);
    VectorFiles.writeIvecs(dir.resolve("a.ivecs"), rows);
    float[][] back = VectorFiles.readFvecs(dir.resolve("a.fvecs"));
    for (int i = 0; i < vectors.length; i++) {
      assertArrayEquals(vectors[i], back[i]);
    }
    assertArrayEquals(rows, VectorFiles.readIvecs(dir.resolve("a.ivecs")));
  }

  @Test
  void bvecsAreWidenedToFloats() throws IOException {
    ByteBuffer b = ByteBuffer.allocate(2 * (4 + 3)).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(3).put((byte) 1).put((byte) 200).put((byte) 255);
    b.putInt(3).put((byte) 0).put((byte) 2).put((byte) 3);
    Files.write(dir.resolve("a.bvecs"), b.array());
    float[][] v = VectorFiles.readBvecs(dir.resolve("a.bvecs"), 10);
    assertArrayEquals(new float[] {1, 200, 255}, v[0]);
    assertArrayEquals(new float[] {0, 2, 3}, v[1]);
  }

  @Test
  void truncatedOrForeignFilesAreCorrupt() throws IOException {
    VectorFiles.writeFvecs(dir.resolve("a.fvecs"), TestVectors.random(10, 8, 2));
    byte[] bytes = Files.readAllBytes(dir.resolve("a.fvecs"));
    Files.write(dir.resolve("cut.fvecs"), Arrays.copyOf(bytes, bytes.length - 5));
    assertThrows(CorruptFileException.class, () -> VectorFiles.readFvecs(dir.resolve("cut.fvecs")));
    Files.writeString(dir.resolve("text.fvecs"), "hello, this is text");
    assertThrows(CorruptFileException.class, () -> VectorFiles.readFvecs(dir.resolve("text.fvecs")));
    Files.write(dir.resolve("empty.fvecs"), new byte[0]);
    assertThrows(CorruptFileException.class, () -> VectorFiles.readFvecs(dir.resolve("empty.fvecs")));
    assertThrows(StorageIoException.class, () -> VectorFiles.readFvecs(dir.resolve("missing.fvecs")));
  }
}

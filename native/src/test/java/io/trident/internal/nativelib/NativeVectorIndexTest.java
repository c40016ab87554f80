package io.trident.internal.nativelib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.error.CorruptIndexException;
import io.trident.error.InvalidArgumentException;
import io.trident.error.TridentException;
import io.trident.error.UnknownIdException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end calls through the JavaCPP mapping into the real FAISS-backed index. */
class NativeVectorIndexTest {
  private static final int DIMENSION = 8;
  private static final int COUNT = 200;
  private static final int K = 4;

  @TempDir Path directory;

  private static float[] randomVectors(int count, long seed) {
    Random random = new Random(seed);
    float[] vectors = new float[count * DIMENSION];
    for (int i = 0; i < vectors.length; i++) {
      vectors[i] = random.nextFloat() * 10f;
    }
    return vectors;
  }

  private static long[] ids(int count) {
    long[] ids = new long[count];
    for (int i = 0; i < count; i++) {
      ids[i] = 1_000 + 5L * i;
    }
    return ids;
  }

  private static long[] searchLabels(NativeVectorIndex index, float[] queries, int n) {
    try (FloatPointer q = new FloatPointer(queries);
        FloatPointer distances = new FloatPointer((long) n * K);
        LongPointer labels = new LongPointer((long) n * K)) {
      index.search(n, q, K, 32, 0, 1, distances, labels);
      long[] out = new long[n * K];
      labels.get(out);
      return out;
    }
  }

  private static TridentException translated(Runnable call) {
    RuntimeException failure = assertThrows(RuntimeException.class, call::run);
    return NativeErrors.translate(failure);
  }

  @Test
  void createAddSearchRemoveSaveLoad() throws Exception {
    float[] vectors = randomVectors(COUNT, 42);
    long[] ids = ids(COUNT);
    NativeVectorIndex index = NativeVectorIndex.create(DIMENSION, "HNSW16", 0, 0);
    try {
      assertTrue(Set.of("avx512", "avx2", "scalar").contains(NativeVectorIndex.kernel_variant()));
      assertEquals(DIMENSION, index.dimension());
      assertEquals("HNSW16", index.spec());
      assertTrue(index.is_trained());
      try (FloatPointer v = new FloatPointer(vectors);
          LongPointer i = new LongPointer(ids)) {
        index.add(COUNT, v, i);
      }
      assertEquals(COUNT, index.size());
      assertTrue(index.bytes_used() > (long) COUNT * DIMENSION * Float.BYTES);
      assertTrue(index.contains(ids[3]));

      long[] labels = searchLabels(index, vectors, 3);
      for (int q = 0; q < 3; q++) {
        assertEquals(ids[q], labels[q * K], "stored vector " + q + " finds itself first");
      }

      try (LongPointer doomed = new LongPointer(ids[0], ids[1])) {
        index.remove(2, doomed);
      }
      assertEquals(COUNT - 2, index.size());
      assertFalse(index.contains(ids[0]));
      long[] afterRemove = searchLabels(index, vectors, 2);
      for (long label : afterRemove) {
        assertTrue(label != ids[0] && label != ids[1], "removed id returned: " + label);
      }

      Path file = directory.resolve("index.tvi");
      index.save(file.toString());
      NativeVectorIndex loaded = NativeVectorIndex.load(file.toString());
      try {
        assertEquals(COUNT - 2, loaded.size());
        assertEquals("HNSW16", loaded.spec());
        assertArrayEquals(searchLabels(index, vectors, 10), searchLabels(loaded, vectors, 10));
      } finally {
        NativeVectorIndex.destroy(loaded);
      }
    } finally {
      NativeVectorIndex.destroy(index);
    }
  }

  @Test
  void nativeErrorsBecomeTypedExceptions() throws Exception {
    NativeVectorIndex index = NativeVectorIndex.create(DIMENSION, "Flat", 0, 0);
    try {
      try (FloatPointer v = new FloatPointer(randomVectors(2, 7));
          LongPointer i = new LongPointer(1L, 2L)) {
        index.add(2, v, i);
      }
      TridentException unknown =
          translated(
              () -> {
                try (LongPointer missing = new LongPointer(new long[] {77L})) {
                  index.remove(1, missing);
                }
              });
      assertInstanceOf(UnknownIdException.class, unknown);
      assertTrue(unknown.getMessage().contains("77"), unknown.getMessage());
      assertEquals(2, index.size());

      TridentException badK =
          translated(
              () -> {
                try (FloatPointer q = new FloatPointer(new float[DIMENSION]);
                    FloatPointer d = new FloatPointer(1);
                    LongPointer l = new LongPointer(1)) {
                  index.search(1, q, 0, 0, 0, 1, d, l);
                }
              });
      assertInstanceOf(InvalidArgumentException.class, badK);
    } finally {
      NativeVectorIndex.destroy(index);
    }

    assertInstanceOf(
        InvalidArgumentException.class,
        translated(() -> NativeVectorIndex.create(DIMENSION, "NoSuchSpec", 0, 0)));

    Path foreign = directory.resolve("foreign.tvi");
    Files.write(foreign, new byte[] {'n', 'o', 't', ' ', 'a', 'n', ' ', 'i', 'n', 'd', 'e', 'x'});
    assertInstanceOf(
        CorruptIndexException.class, translated(() -> NativeVectorIndex.load(foreign.toString())));
  }
}

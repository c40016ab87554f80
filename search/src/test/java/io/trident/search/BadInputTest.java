package io.trident.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.error.ClosedHandleException;
import io.trident.error.CorruptIndexException;
import io.trident.error.DimensionMismatchException;
import io.trident.error.InvalidArgumentException;
import io.trident.error.InvalidSpecException;
import io.trident.error.NonFiniteVectorException;
import io.trident.error.StorageIoException;
import io.trident.error.UnknownIdException;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad input gets its typed exception, and the index is unchanged afterwards: same size,
 * same ids, same answers.
 */
class BadInputTest {
  private static final int D = 16;
  @TempDir Path dir;
  private VectorIndex index;
  private float[][] base;
  private SearchResult[] baseline;
  private final float[][] probes = TestVectors.random(5, D, 99);

  @BeforeEach
  void build() {
    base = TestVectors.random(300, D, 7);
    index = VectorIndex.create(D, IndexSpec.parse("HNSW16"));
    index.add(TestVectors.ids(0, base.length), base);
    baseline = index.searchBatch(probes, 10, SearchParams.defaults().withEfSearch(64));
  }

  @AfterEach
  void close() {
    index.close();
  }

  private void assertRejectedAndUnchanged(Class<? extends Throwable> type, Executable call) {
    Throwable thrown = assertThrows(type, call);
    assertTrue(thrown.getMessage() != null && !thrown.getMessage().isBlank(), "message explains");
    assertEquals(300, index.size());
    SearchResult[] now = index.searchBatch(probes, 10, SearchParams.defaults().withEfSearch(64));
    for (int i = 0; i < probes.length; i++) {
      assertArrayEquals(baseline[i].ids(), now[i].ids(), "index changed by a rejected call");
    }
  }

  @Test
  void wrongDimension() {
    assertRejectedAndUnchanged(DimensionMismatchException.class,
        () -> index.add(new long[] {1000}, new float[][] {new float[D + 1]}));
    assertRejectedAndUnchanged(DimensionMismatchException.class,
        () -> index.search(new float[D - 1], 3));
    assertRejectedAndUnchanged(DimensionMismatchException.class,
        () -> index.add(new long[] {1000, 1001}, new float[][] {new float[D], new float[3]}));
  }

  @Test
  void nanOrInfinityInVector() {
    float[] nan = base[0].clone();
    nan[3] = Float.NaN;
    float[] inf = base[0].clone();
    inf[0] = Float.NEGATIVE_INFINITY;
    assertRejectedAndUnchanged(NonFiniteVectorException.class,
        () -> index.add(new long[] {1000, 1001}, new float[][] {base[1], nan}));
    assertRejectedAndUnchanged(NonFiniteVectorException.class, () -> index.search(inf, 3));
  }

  @Test
  void kNotPositiveOrAboveKMax() {
    assertRejectedAndUnchanged(InvalidArgumentException.class, () -> index.search(base[0], 0));
    assertRejectedAndUnchanged(InvalidArgumentException.class, () -> index.search(base[0], -2));
    assertRejectedAndUnchanged(InvalidArgumentException.class,
        () -> index.search(base[0], VectorIndex.K_MAX + 1));
  }

  /** Not bad input (issue 8): the index size changes under callers, so k > size must not throw. */
  @Test
  void kLargerThanIndexReturnsEveryVectorBestFirst() {
    SearchResult all = index.search(base[0], 301, SearchParams.defaults().withEfSearch(64));
    assertEquals(300, all.count());
    assertEquals(0, all.ids()[0]);
    assertEquals(300, java.util.Arrays.stream(all.ids()).distinct().count());
    for (int i = 1; i < all.count(); i++) {
      assertTrue(all.distances()[i - 1] <= all.distances()[i], "best first");
    }
    assertEquals(300, index.size());
  }

  @Test
  void removingUnknownIdRemovesNothing() {
    UnknownIdException e = assertThrows(UnknownIdException.class, () -> index.remove(5, 123456, 6));
    assertTrue(e.getMessage().contains("123456"), e.getMessage());
    assertTrue(index.contains(5) && index.contains(6), "known ids of the failed call kept");
    assertRejectedAndUnchanged(UnknownIdException.class, () -> index.remove(-1));
  }

  @Test
  void duplicateIdAddsNothing() {
    assertRejectedAndUnchanged(InvalidArgumentException.class,
        () -> index.add(new long[] {5000, 10}, new float[][] {base[1], base[2]}));
    assertRejectedAndUnchanged(InvalidArgumentException.class,
        () -> index.add(new long[] {5000, 5000}, new float[][] {base[1], base[2]}));
    assertTrue(!index.contains(5000));
  }

  @Test
  void mismatchedIdsAndVectorsOrOversizedBatch() {
    assertRejectedAndUnchanged(InvalidArgumentException.class,
        () -> index.add(new long[] {1, 2, 3}, new float[][] {base[1]}));
    assertRejectedAndUnchanged(InvalidArgumentException.class,
        () -> index.add(new long[] {2000}, new float[D * 2]));
    int tooMany = (int) (VectorIndex.BATCH_BYTES_MAX / (D * Float.BYTES)) + 1;
    assertRejectedAndUnchanged(InvalidArgumentException.class,
        () -> index.searchFlat(new float[0], tooMany, 1, SearchParams.defaults(), new float[1], new long[1]));
  }

  @Test
  void heapBuffersAreRejectedForZeroCopySearch() {
    assertRejectedAndUnchanged(InvalidArgumentException.class, () -> index.searchBatch(
        FloatBuffer.allocate(D), 1, 1, SearchParams.defaults(), FloatBuffer.allocate(1), LongBuffer.allocate(1)));
  }

  @Test
  void badSearchParams() {
    assertThrows(InvalidArgumentException.class, () -> SearchParams.defaults().withEfSearch(-1));
    assertThrows(InvalidArgumentException.class, () -> SearchParams.defaults().withOmpThreads(100000));
  }

  @Test
  void unknownFactorySpecOrDimension() {
    assertThrows(InvalidSpecException.class, () -> IndexSpec.parse("HNSW"));
    assertThrows(InvalidSpecException.class, () -> IndexSpec.parse("LSH,Flat"));
    assertThrows(InvalidSpecException.class, () -> IndexSpec.parse("IVF10,Flat;rm -rf"));
    assertThrows(InvalidArgumentException.class, () -> VectorIndex.create(0, IndexSpec.parse("Flat")));
  }

  @Test
  void useAfterCloseThrowsEveryTime() {
    VectorIndex other = VectorIndex.create(D, IndexSpec.parse("Flat"));
    other.add(new long[] {1}, new float[][] {base[0]});
    other.close();
    other.close(); // idempotent
    assertThrows(ClosedHandleException.class, () -> other.search(base[0], 1));
    assertThrows(ClosedHandleException.class, () -> other.add(new long[] {2}, new float[][] {base[1]}));
    assertThrows(ClosedHandleException.class, () -> other.remove(1));
    assertThrows(ClosedHandleException.class, other::size);
    assertThrows(ClosedHandleException.class, () -> other.save(dir.resolve("x")));
  }

  @Test
  void corruptTruncatedForeignOrMissingFile() throws IOException {
    Path good = dir.resolve("good.idx");
    index.save(good);
    byte[] bytes = Files.readAllBytes(good);

    Path truncated = dir.resolve("truncated.idx");
    Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertThrows(CorruptIndexException.class, () -> VectorIndex.load(truncated));

    Path flipped = dir.resolve("flipped.idx");
    byte[] altered = bytes.clone();
    altered[altered.length / 2] ^= 0x5A;
    Files.write(flipped, altered);
    assertThrows(CorruptIndexException.class, () -> VectorIndex.load(flipped));

    Path foreign = dir.resolve("foreign.idx");
    Files.writeString(foreign, "this is not an index file at all, just some text ".repeat(20));
    assertThrows(CorruptIndexException.class, () -> VectorIndex.load(foreign));

    Path empty = dir.resolve("empty.idx");
    Files.write(empty, new byte[0]);
    assertThrows(CorruptIndexException.class, () -> VectorIndex.load(empty));

    assertThrows(StorageIoException.class, () -> VectorIndex.load(dir.resolve("missing.idx")));
    try (VectorIndex loaded = VectorIndex.load(good)) {
      assertEquals(300, loaded.size());
    }
  }
}

package io.trident.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A save does not block searches. The save's temporary file is made a named pipe that this test
 * reads only its first bytes from: the save is then provably in progress (it has copied the index
 * and is writing it) and stays blocked in its write until the test drains the pipe. Searches are
 * run in that state and counted; under an exclusive save lock none of them could finish. The
 * bound on the wait only keeps a regression from hanging the build; no timing is asserted.
 */
class SaveDuringSearchTest {
  private static final int DIMENSION = 32;
  private static final int SEARCHES_DURING_SAVE = 200;

  @Test
  void searchesCompleteWhileASaveIsWritingItsFile(@TempDir Path dir) throws Exception {
    long seed = 20261207L;
    System.out.println("seed " + seed);
    float[][] base = TestVectors.random(3000, DIMENSION, seed);
    try (VectorIndex index = VectorIndex.create(DIMENSION, IndexSpec.parse("HNSW32"))) {
      // A large first add, then a small one: the second updates the search layout
      // incrementally, so the save also takes its re-copy path.
      index.add(TestVectors.ids(0, 2800), java.util.Arrays.copyOfRange(base, 0, 2800));
      index.add(TestVectors.ids(2800, 200), java.util.Arrays.copyOfRange(base, 2800, 3000));
      Path file = dir.resolve("hnsw.index");
      Path pipe = dir.resolve("hnsw.index.tmp");
      Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).start();
      assertEquals(0, mkfifo.waitFor(), "mkfifo failed");

      AtomicReference<Throwable> saveOutcome = new AtomicReference<>();
      CountDownLatch saveEnded = new CountDownLatch(1);
      Thread saver = new Thread(() -> {
        try {
          index.save(file);
        } catch (Throwable failure) {
          saveOutcome.set(failure);
        } finally {
          saveEnded.countDown();
        }
      }, "saver");
      saver.start();
      try (InputStream reader = Files.newInputStream(pipe)) { // opens once the save does
        assertTrue(reader.readNBytes(16).length == 16, "the save wrote nothing");
        // The pipe's buffer (64 KiB) is far smaller than the file: the save is now blocked
        // in its write, mid-save.
        float[][] queries = TestVectors.random(SEARCHES_DURING_SAVE, DIMENSION, seed + 1);
        CompletableFuture<Integer> searches = CompletableFuture.supplyAsync(() -> {
          int completed = 0;
          for (float[] query : queries) {
            if (index.search(query, 10).count() == 10) {
              completed++;
            }
          }
          return completed;
        });
        int completed = searches.get(120, TimeUnit.SECONDS);
        assertEquals(SEARCHES_DURING_SAVE, completed, "searches completed during the save");
        assertFalse(saveEnded.getCount() == 0, "the save ended before the pipe was drained");
        reader.transferTo(java.io.OutputStream.nullOutputStream());
      }
      assertTrue(saveEnded.await(120, TimeUnit.SECONDS), "the save did not end");
      // A pipe cannot be synced: that save ends with a typed error. A save to a regular file
      // then works and its copy searches exactly like the original.
      Throwable failure = saveOutcome.get();
      assertTrue(failure == null || failure instanceof io.trident.error.TridentException,
          "unexpected save failure " + failure);
      Files.deleteIfExists(pipe);
      Files.deleteIfExists(file);
      index.save(file);
      try (VectorIndex loaded = VectorIndex.load(file)) {
        for (float[] query : TestVectors.random(20, DIMENSION, seed + 2)) {
          assertArrayEquals(index.search(query, 10).ids(), loaded.search(query, 10).ids());
        }
      }
    }
  }
}

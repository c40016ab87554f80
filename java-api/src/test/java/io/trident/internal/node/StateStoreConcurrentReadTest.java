package io.trident.internal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.KeyValue;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readers racing the flusher: keys are only ever added, each in its own write, with tables so
 * small that almost every write hands one to the flusher. A scan or count that starts after a
 * write returned must see at least that many keys, whichever layer (active table, flushing table,
 * LMDB) holds them at that moment.
 */
class StateStoreConcurrentReadTest {
  private static final long TINY_TABLE_BYTES = 512;
  private static final int WRITES = 3_000;

  @TempDir
  Path dir;

  @Test
  void scansAndCountsNeverMissAKeyWhileTablesAreFlushed() throws Exception {
    AtomicLong written = new AtomicLong();
    AtomicReference<AssertionError> missed = new AtomicReference<>();
    long checks = 0;
    try (StateStore store = new StateStore(dir, TINY_TABLE_BYTES)) {
      Thread writer = new Thread(() -> {
        for (int i = 0; i < WRITES && missed.get() == null; i++) {
          long next = i + 1;
          byte[] key = String.format("key-%06d", i).getBytes(StandardCharsets.UTF_8);
          store.write(write -> {
            write.put(ByteBuffer.wrap(key), ByteBuffer.wrap(new byte[64]));
            return next;
          });
          written.set(next);
        }
      }, "state-writer");
      writer.start();
      long deadline = System.nanoTime() + 60_000_000_000L; // bounds the loop on a slow machine
      while (writer.isAlive() && System.nanoTime() < deadline) {
        long before = written.get();
        List<KeyValue> all = store.scan(null, null, Integer.MAX_VALUE);
        long counted = store.size();
        checks++;
        if (all.size() < before || counted < before) {
          missed.set(new AssertionError("after " + before + " writes a scan saw " + all.size()
              + " keys and a count " + counted + " (check " + checks + ")"));
          break;
        }
      }
      writer.join(60_000);
      if (missed.get() != null) {
        throw missed.get();
      }
      assertTrue(checks > 0, "the reader ran while the writer wrote");
      assertEquals(WRITES, store.scan(null, null, Integer.MAX_VALUE).size());
      assertTrue(store.flushes() > 10, "tables were flushed during the run: " + store.flushes());
    }
  }
}

package io.trident.internal.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.KeyValue;
import io.trident.WriteBatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state store's layers (active table, table being flushed, LMDB) against a plain sorted map:
 * a tiny table size makes nearly every write call flush, so reads, scans and counts are checked
 * while tables move down to LMDB, and again after a reopen. Seeded; the seed is printed.
 */
class StateStoreTest {
  private static final long TINY_TABLE_BYTES = 4096;

  @TempDir
  Path dir;

  @Test
  void layersReadLikeOneSortedMapThroughFlushesAndReopen() {
    long seed = Long.getLong("trident.state.seed", System.nanoTime());
    System.out.println("StateStoreTest seed " + seed + " (replay: -Dtrident.state.seed=" + seed
        + ")");
    SplittableRandom random = new SplittableRandom(seed);
    TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
    long index = 0;
    try (StateStore store = new StateStore(dir, TINY_TABLE_BYTES)) {
      for (int call = 0; call < 300; call++) {
        long next = ++index;
        List<byte[][]> changes = randomChanges(random, 1 + random.nextInt(20));
        store.write(write -> {
          for (byte[][] change : changes) {
            if (change[1] == null) {
              boolean existed = write.delete(ByteBuffer.wrap(change[0]));
              assertEquals(model.remove(change[0]) != null, existed);
            } else {
              write.put(ByteBuffer.wrap(change[0]), ByteBuffer.wrap(change[1]));
              model.put(change[0], change[1]);
            }
          }
          return next;
        });
        if (call % 25 == 0) {
          assertSameAsModel(store, model, random);
        }
      }
      assertEquals(index, store.appliedIndex());
      assertSameAsModel(store, model, random);
    }
    try (StateStore reopened = new StateStore(dir, TINY_TABLE_BYTES)) {
      assertEquals(index, reopened.appliedIndex(), "a clean close flushes every table");
      assertSameAsModel(reopened, model, random);
    }
  }

  @Test
  void aFailedWriteCallLeavesNothingBehind() {
    try (StateStore store = new StateStore(dir, TINY_TABLE_BYTES)) {
      store.write(write -> {
        write.put(bytes("a"), bytes("1"));
        return 1;
      });
      assertThrows(IllegalStateException.class, () -> store.write(write -> {
        write.put(bytes("a"), bytes("2"));
        write.put(bytes("b"), bytes("2"));
        write.delete(bytes("a"));
        throw new IllegalStateException("corrupt entry");
      }));
      assertEquals(1, store.appliedIndex());
      assertArrayEquals(utf8("1"), store.get(utf8("a")));
      assertNull(store.get(utf8("b")));
      assertEquals(1, store.size());
    }
  }

  @Test
  void anAbortedNestedBatchUndoesOnlyItself() {
    try (StateStore store = new StateStore(dir, 1 << 20)) {
      store.write(write -> {
        write.put(bytes("kept"), bytes("1"));
        write.beginNested();
        write.put(bytes("kept"), bytes("2"));
        write.put(bytes("undone"), bytes("2"));
        assertTrue(write.holds(bytes("undone"), bytes("2")), "a batch sees its own writes");
        write.endNested(false);
        assertTrue(write.holds(bytes("undone"), null));
        write.put(bytes("after"), bytes("3"));
        return 1;
      });
      assertArrayEquals(utf8("1"), store.get(utf8("kept")));
      assertNull(store.get(utf8("undone")));
      assertArrayEquals(utf8("3"), store.get(utf8("after")));
    }
  }

  @Test
  void idempotencyRecordsAreHonouredForTheRetentionWindowOnlyAndSurviveFlushes() {
    byte[] key = utf8("batch-7");
    try (StateStore store = new StateStore(dir, TINY_TABLE_BYTES)) {
      store.write(write -> {
        write.rememberResults(5, key, new byte[] {1, 2});
        return 5;
      });
      for (long index = 6; index < 40; index++) {
        long next = index;
        store.write(write -> {
          write.put(bytes("filler-" + next), bytes("x".repeat(400)));
          return next;
        });
      }
      store.write(write -> {
        assertArrayEquals(new byte[] {1, 2},
            write.dedupResults(key, 5 + WriteBatch.ID_RETENTION_ENTRIES));
        assertNull(write.dedupResults(key, 6 + WriteBatch.ID_RETENTION_ENTRIES));
        assertNull(write.dedupResults(utf8("unknown"), 41));
        return 40;
      });
    }
  }

  @Test
  void collectionRecordsLiveBesideUserKeysAndADropPurgesThemFromLmdb() {
    long[] index = {0};
    try (StateStore store = new StateStore(dir, TINY_TABLE_BYTES)) {
      store.write(write -> {
        write.put(bytes("user-key"), bytes("v"));
        write.putCollection("a", CollectionCatalogue.entry(1, new byte[] {1}));
        write.putCollection("b", CollectionCatalogue.entry(2, new byte[] {2}));
        for (long id = 0; id < 50; id++) {
          write.putVector(1, id, bytes("a" + id));
          write.putVector(2, id, bytes("b" + id));
        }
        return ++index[0];
      });
      store.write(write -> {
        assertTrue(write.deleteVector(2, 7));
        assertFalse(write.deleteVector(2, 7), "a deleted record is gone at once");
        write.dropCollection("a", 1);
        return ++index[0];
      });
      assertNull(store.get(StateStore.Namespace.VECTORS, CollectionCatalogue.vectorKey(2, 7)));
      assertArrayEquals(utf8("b8"),
          store.get(StateStore.Namespace.VECTORS, CollectionCatalogue.vectorKey(2, 8)));
      assertNull(store.get(StateStore.Namespace.COLLECTIONS, CollectionCatalogue.nameKey("a")));
    }
    try (StateStore reopened = new StateStore(dir, TINY_TABLE_BYTES)) {
      List<Long> left = new ArrayList<>();
      reopened.forEachStored(StateStore.Namespace.VECTORS, new byte[0],
          (key, value) -> left.add(ByteBuffer.wrap(key).getLong(0) * 1000
              + CollectionCatalogue.idOf(key)));
      assertEquals(49, left.size(), "collection 1 purged, 49 records of collection 2 kept");
      assertTrue(left.stream().allMatch(key -> key / 1000 == 2 && key % 1000 != 7));
      List<String> names = new ArrayList<>();
      reopened.forEachStored(StateStore.Namespace.COLLECTIONS, new byte[0],
          (key, value) -> names.add(new String(key, StandardCharsets.UTF_8)));
      assertEquals(List.of("b"), names);
      assertEquals(1, reopened.size(), "user keys are counted apart from collection records");
      assertArrayEquals(utf8("v"), reopened.get(utf8("user-key")));
    }
  }

  @Test
  void readsReturnCopiesTheCallerMayChange() {
    try (StateStore store = new StateStore(dir, 1 << 20)) {
      store.write(write -> {
        write.put(bytes("k"), bytes("v"));
        return 1;
      });
      store.get(utf8("k"))[0] = 'X';
      store.scan(null, null, 10).get(0).value()[0] = 'X';
      assertArrayEquals(utf8("v"), store.get(utf8("k")));
    }
  }

  private static void assertSameAsModel(StateStore store, TreeMap<byte[], byte[]> model,
      SplittableRandom random) {
    assertEquals(model.size(), store.size());
    for (Map.Entry<byte[], byte[]> entry : model.entrySet()) {
      assertArrayEquals(entry.getValue(), store.get(entry.getKey()));
    }
    assertNull(store.get(utf8("absent")));
    List<KeyValue> all = store.scan(null, null, Integer.MAX_VALUE);
    assertEquals(model.size(), all.size());
    for (int i = 0; i < 10; i++) {
      byte[] from = key(random.nextInt(60));
      byte[] to = random.nextBoolean() ? null : key(random.nextInt(60));
      int limit = 1 + random.nextInt(40);
      List<KeyValue> expected = new ArrayList<>();
      for (Map.Entry<byte[], byte[]> entry : model.tailMap(from, true).entrySet()) {
        if (expected.size() == limit
            || (to != null && Arrays.compareUnsigned(entry.getKey(), to) >= 0)) {
          break;
        }
        expected.add(new KeyValue(entry.getKey(), entry.getValue()));
      }
      List<KeyValue> actual = store.scan(from, to, limit);
      assertEquals(expected.size(), actual.size(), "scan size");
      for (int j = 0; j < expected.size(); j++) {
        assertArrayEquals(expected.get(j).key(), actual.get(j).key());
        assertArrayEquals(expected.get(j).value(), actual.get(j).value());
      }
    }
    assertFalse(store.scan(key(59), key(0), 5).size() > 0, "an empty range returns nothing");
  }

  /** Changes over 60 keys: about one in four a delete (value null). */
  private static List<byte[][]> randomChanges(SplittableRandom random, int count) {
    List<byte[][]> changes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] key = key(random.nextInt(60));
      byte[] value = random.nextInt(4) == 0 ? null
          : ("v" + random.nextInt(1_000_000) + "-".repeat(random.nextInt(50)))
              .getBytes(StandardCharsets.UTF_8);
      changes.add(new byte[][] {key, value});
    }
    return changes;
  }

  private static byte[] key(int number) {
    return utf8(String.format("key-%03d", number));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static ByteBuffer bytes(String text) {
    return ByteBuffer.wrap(utf8(text));
  }
}

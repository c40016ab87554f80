package io.trident.internal.node;

import io.trident.KeyValue;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;

/**
 * Reads that merge the layers of the state in key order: the active {@link MemTable} over the
 * immutable one over LMDB (a scan page sorts what the tables hold in range, so it costs a pass
 * over them); a newer layer's value (or {@link MemTable#TOMBSTONE}) hides older
 * ones. The caller holds the store's locks so that the layers do not change underneath.
 */
final class StateScan {
  /** Most entries one locked page of a scan returns; a longer scan takes several pages. */
  static final int PAGE_ENTRIES_MAX = 1024;

  private StateScan() {}

  /**
   * Up to {@code limit} live entries with {@code from <= key < to} ({@code from} exclusive when
   * not {@code inclusive}; nulls unbounded), copied.
   */
  static List<KeyValue> page(MemTable active, MemTable immutable, Dbi<ByteBuffer> kv,
      Txn<ByteBuffer> txn, byte[] from, boolean inclusive, byte[] to, int limit) {
    List<KeyValue> out = new ArrayList<>();
    Head newest = new Head(range(active, from, inclusive, to));
    Head middle = new Head(range(immutable, from, inclusive, to));
    try (Cursor<ByteBuffer> cursor = kv.openCursor(txn)) {
      Head oldest = new Head(new LmdbRange(cursor, from, inclusive, to));
      while (out.size() < limit) {
        byte[] key = smallest(newest.key, smallest(middle.key, oldest.key));
        if (key == null) {
          break;
        }
        byte[] value = newest.takeIf(key);
        value = firstNonNull(value, middle.takeIf(key));
        value = firstNonNull(value, oldest.takeIf(key));
        if (value != MemTable.TOMBSTONE) {
          out.add(new KeyValue(key.clone(), value.clone()));
        }
      }
    }
    return out;
  }

  /** Live user keys across the layers. */
  static long count(MemTable active, MemTable immutable, Dbi<ByteBuffer> kv,
      Txn<ByteBuffer> txn) {
    long count = kv.stat(txn).entries;
    ByteBuffer staged = ByteBuffer.allocateDirect(1024);
    for (MemTable table : immutable == null ? List.of(active) : List.of(active, immutable)) {
      for (Map.Entry<ByteKey, byte[]> entry : table.kv.entrySet()) {
        if (table != active && active.kv.containsKey(entry.getKey())) {
          continue;
        }
        staged.clear();
        staged.put(entry.getKey().bytes).flip();
        boolean inLmdb = kv.get(txn, staged) != null;
        boolean live = entry.getValue() != MemTable.TOMBSTONE;
        count += live && !inLmdb ? 1 : !live && inLmdb ? -1 : 0;
      }
    }
    return count;
  }

  /** The table's entries in range, sorted: a pass over the whole table (it is a hash map). */
  private static Iterator<Map.Entry<byte[], byte[]>> range(MemTable table, byte[] from,
      boolean inclusive, byte[] to) {
    if (table == null) {
      return Collections.emptyIterator();
    }
    List<Map.Entry<byte[], byte[]>> entries = new ArrayList<>();
    for (Map.Entry<ByteKey, byte[]> entry : table.kv.entrySet()) {
      byte[] key = entry.getKey().bytes;
      int fromOrder = from == null ? 1 : Arrays.compareUnsigned(key, from);
      if ((fromOrder > 0 || (inclusive && fromOrder == 0))
          && (to == null || Arrays.compareUnsigned(key, to) < 0)) {
        entries.add(Map.entry(key, entry.getValue()));
      }
    }
    entries.sort((a, b) -> Arrays.compareUnsigned(a.getKey(), b.getKey()));
    return entries.iterator();
  }

  private static byte[] smallest(byte[] a, byte[] b) {
    if (a == null) {
      return b;
    }
    return b == null || Arrays.compareUnsigned(a, b) <= 0 ? a : b;
  }

  private static byte[] firstNonNull(byte[] a, byte[] b) {
    return a != null ? a : b;
  }

  /** The current entry of one layer's sorted iterator. */
  private static final class Head {
    private final Iterator<Map.Entry<byte[], byte[]>> entries;
    byte[] key;
    private byte[] value;

    Head(Iterator<Map.Entry<byte[], byte[]>> entries) {
      this.entries = entries;
      advance();
    }

    /** This layer's value when its current key is {@code key} (then moves on), else null. */
    byte[] takeIf(byte[] key) {
      if (this.key == null || !Arrays.equals(this.key, key)) {
        return null;
      }
      byte[] taken = value;
      advance();
      return taken;
    }

    private void advance() {
      if (entries.hasNext()) {
        Map.Entry<byte[], byte[]> entry = entries.next();
        key = entry.getKey();
        value = entry.getValue();
      } else {
        key = null;
        value = null;
      }
    }
  }

  /** LMDB's entries in [from, to) as a sorted iterator of copies. */
  private static final class LmdbRange implements Iterator<Map.Entry<byte[], byte[]>> {
    private final Cursor<ByteBuffer> cursor;
    private final byte[] to;
    private Map.Entry<byte[], byte[]> next;

    LmdbRange(Cursor<ByteBuffer> cursor, byte[] from, boolean inclusive, byte[] to) {
      this.cursor = cursor;
      this.to = to;
      boolean found;
      if (from == null) {
        found = cursor.first();
      } else {
        ByteBuffer start = ByteBuffer.allocateDirect(from.length);
        start.put(from).flip();
        found = cursor.get(start, GetOp.MDB_SET_RANGE);
      }
      load(found);
      if (!inclusive && next != null && Arrays.equals(next.getKey(), from)) {
        load(cursor.next());
      }
    }

    private void load(boolean found) {
      next = null;
      if (found) {
        byte[] key = StateStore.copy(cursor.key());
        if (to == null || Arrays.compareUnsigned(key, to) < 0) {
          next = Map.entry(key, StateStore.copy(cursor.val()));
        }
      }
    }

    @Override
    public boolean hasNext() {
      return next != null;
    }

    @Override
    public Map.Entry<byte[], byte[]> next() {
      Map.Entry<byte[], byte[]> current = next;
      load(cursor.next());
      return current;
    }
  }
}

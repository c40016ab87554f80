package io.trident.internal.node;

import io.trident.WriteBatch;
import java.nio.ByteBuffer;
import java.util.Map;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;

/**
 * Writes one immutable {@link MemTable} into an open LMDB write transaction, in key order: user
 * keys, the collection catalogue and collection records (a {@link MemTable#TOMBSTONE} deletes),
 * then every record of the collections the table dropped, idempotency records and their index
 * entries, and a bounded prune of records too old to be honoured ({@link DedupRecord}). Keys and
 * values are staged through direct buffers reused across flushes.
 *
 * <p>Threads: the flusher thread only.
 */
final class LmdbFlush {
  private static final int STAGING_BYTES_MIN = 4096;
  /** Most old idempotency records one flush deletes (the rest wait for the next flush). */
  private static final int PRUNE_RECORDS_MAX = 1 << 16;
  private static final ByteBuffer EMPTY = ByteBuffer.allocateDirect(0);

  private ByteBuffer key = ByteBuffer.allocateDirect(STAGING_BYTES_MIN);
  private ByteBuffer value = ByteBuffer.allocateDirect(STAGING_BYTES_MIN);
  private final ByteBuffer appliedIndex = ByteBuffer.allocateDirect(Long.BYTES);

  void write(Txn<ByteBuffer> txn, MemTable table, StateStore.Databases databases) {
    writeAll(txn, table.kv, databases.kv());
    writeAll(txn, table.collections, databases.collections());
    writeAll(txn, table.vectors, databases.vectors());
    for (ByteKey collectionId : MemTable.sortedKeys(table.purges)) {
      deletePrefix(txn, databases.vectors(), collectionId.bytes);
    }
    Dbi<ByteBuffer> dedup = databases.dedup();
    Dbi<ByteBuffer> dedupByIndex = databases.dedupByIndex();
    for (ByteKey key : MemTable.sortedKeys(table.dedup)) {
      byte[] record = table.dedup.get(key);
      byte[] dedupKey = key.bytes;
      dedup.put(txn, stageKey(dedupKey), stageValue(record));
      value = ensure(value, Long.BYTES + dedupKey.length);
      value.clear();
      value.putLong(DedupRecord.index(record)).put(dedupKey).flip();
      dedupByIndex.put(txn, value, EMPTY);
    }
    prune(txn, dedup, dedupByIndex, table.lastIndex() - WriteBatch.ID_RETENTION_ENTRIES);
  }

  private void writeAll(Txn<ByteBuffer> txn, Map<ByteKey, byte[]> changes, Dbi<ByteBuffer> dbi) {
    for (ByteKey key : MemTable.sortedKeys(changes)) {
      byte[] stored = changes.get(key);
      ByteBuffer stagedKey = stageKey(key.bytes);
      if (stored == MemTable.TOMBSTONE) {
        dbi.delete(txn, stagedKey);
      } else {
        dbi.put(txn, stagedKey, stageValue(stored));
      }
    }
  }

  /** Deletes every key of {@code dbi} that starts with {@code prefix}. */
  private void deletePrefix(Txn<ByteBuffer> txn, Dbi<ByteBuffer> dbi, byte[] prefix) {
    try (Cursor<ByteBuffer> cursor = dbi.openCursor(txn)) {
      boolean found = cursor.get(stageKey(prefix), GetOp.MDB_SET_RANGE);
      while (found && startsWith(cursor.key(), prefix)) {
        cursor.delete();
        found = cursor.get(stageKey(prefix), GetOp.MDB_SET_RANGE);
      }
    }
  }

  private static boolean startsWith(ByteBuffer key, byte[] prefix) {
    if (key.remaining() < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (key.get(key.position() + i) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** {@code index} as the 8-byte value LMDB's {@code meta} database holds. */
  ByteBuffer appliedIndexValue(long index) {
    return appliedIndex.putLong(0, index);
  }

  /** Deletes idempotency records added below Raft index {@code indexFloor} (bounded). */
  private static void prune(Txn<ByteBuffer> txn, Dbi<ByteBuffer> dedup,
      Dbi<ByteBuffer> dedupByIndex, long indexFloor) {
    if (indexFloor <= 0) {
      return;
    }
    try (Cursor<ByteBuffer> cursor = dedupByIndex.openCursor(txn)) {
      int removed = 0;
      while (removed < PRUNE_RECORDS_MAX && cursor.first()) {
        ByteBuffer indexKey = cursor.key();
        if (indexKey.getLong(0) >= indexFloor) {
          break;
        }
        dedup.delete(txn, indexKey.duplicate().position(Long.BYTES).slice());
        cursor.delete();
        removed++;
      }
    }
  }

  private ByteBuffer stageKey(byte[] bytes) {
    key = ensure(key, bytes.length);
    key.clear();
    key.put(bytes).flip();
    return key;
  }

  private ByteBuffer stageValue(byte[] bytes) {
    value = ensure(value, bytes.length);
    value.clear();
    value.put(bytes).flip();
    return value;
  }

  private static ByteBuffer ensure(ByteBuffer buffer, int bytes) {
    return buffer.capacity() >= bytes ? buffer
        : ByteBuffer.allocateDirect(Math.max(bytes, buffer.capacity() * 2));
  }
}

package io.trident.internal.node;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link StateStore#write} call as the state machine sees it: changes go into the active
 * {@link MemTable}; reads see the active table, then the layers below it ({@link
 * StateStore#readBelowActive}). Keys and values arrive as buffers positioned on their bytes
 * (usually slices of a Raft entry) and are copied. Every change is logged in an {@link UndoLog}
 * (a map's {@code put} returns the value it replaced, so this costs no lookup), so that an atomic
 * batch ({@link #beginNested}) or the whole call can be rolled back.
 *
 * <p>Threads: only the state-machine thread, only while {@link StateStore#write} runs.
 */
final class StateWrite {
  private final StateStore store;
  private final MemTable active;
  private final UndoLog undo;
  private int nestedMark = -1;

  StateWrite(StateStore store, MemTable active, UndoLog undo) {
    this.store = store;
    this.active = active;
    this.undo = undo;
  }

  void put(ByteBuffer key, ByteBuffer value) {
    change(active.kv, new ByteKey(bytes(key)), bytes(value));
  }

  /** True when the key existed. */
  boolean delete(ByteBuffer key) {
    ByteKey keyBytes = new ByteKey(bytes(key));
    if (current(active.kv, StateStore.Namespace.KV, keyBytes) == null) {
      return false;
    }
    change(active.kv, keyBytes, MemTable.TOMBSTONE);
    return true;
  }

  /** True when the key's value equals {@code expected} ({@code null}: the key is absent). */
  boolean holds(ByteBuffer key, ByteBuffer expected) {
    byte[] stored = current(active.kv, StateStore.Namespace.KV, new ByteKey(bytes(key)));
    if (stored == null || expected == null) {
      return stored == null && expected == null;
    }
    return ByteBuffer.wrap(stored).equals(expected);
  }

  /** Adds collection {@code name} with its catalogue entry ({@link CollectionCatalogue#entry}). */
  void putCollection(String name, byte[] entry) {
    change(active.collections, new ByteKey(CollectionCatalogue.nameKey(name)), entry);
  }

  /**
   * Removes collection {@code name} from the catalogue; the flush of this table deletes every
   * stored record of {@code collectionId}.
   */
  void dropCollection(String name, long collectionId) {
    change(active.collections, new ByteKey(CollectionCatalogue.nameKey(name)),
        MemTable.TOMBSTONE);
    change(active.purges, new ByteKey(CollectionCatalogue.collectionPrefix(collectionId)),
        MemTable.TOMBSTONE);
    if (trainedQuantizer(collectionId) != null) {
      change(active.collections, new ByteKey(CollectionCatalogue.quantizerKey(collectionId)),
          MemTable.TOMBSTONE);
    }
  }

  /** The trained quantizer of {@code collectionId} ({@link CollectionCatalogue}), or null. */
  byte[] trainedQuantizer(long collectionId) {
    return current(active.collections, StateStore.Namespace.COLLECTIONS,
        new ByteKey(CollectionCatalogue.quantizerKey(collectionId)));
  }

  /** Stores the trained quantizer of {@code collectionId}; returns the stored copy. */
  byte[] putTrainedQuantizer(long collectionId, ByteBuffer quantizer) {
    byte[] stored = bytes(quantizer);
    change(active.collections, new ByteKey(CollectionCatalogue.quantizerKey(collectionId)),
        stored);
    return stored;
  }

  /** Stores {@code record} under {@code id} of {@code collectionId}; returns the stored copy. */
  byte[] putVector(long collectionId, long id, ByteBuffer record) {
    byte[] stored = bytes(record);
    change(active.vectors, new ByteKey(CollectionCatalogue.vectorKey(collectionId, id)), stored);
    return stored;
  }

  /** Deletes record {@code id} of {@code collectionId}; true when it existed. */
  boolean deleteVector(long collectionId, long id) {
    ByteKey key = new ByteKey(CollectionCatalogue.vectorKey(collectionId, id));
    if (current(active.vectors, StateStore.Namespace.VECTORS, key) == null) {
      return false;
    }
    change(active.vectors, key, MemTable.TOMBSTONE);
    return true;
  }

  /** Starts an atomic batch: what follows is kept or undone whole in {@link #endNested}. */
  void beginNested() {
    if (nestedMark < 0) {
      nestedMark = undo.size();
    }
  }

  void endNested(boolean commit) {
    if (nestedMark >= 0) {
      if (!commit) {
        undo.rollBackTo(nestedMark, active);
      }
      nestedMark = -1;
    }
  }

  /** The results stored under {@code dedupKey} and still retained at Raft {@code index}, or null. */
  byte[] dedupResults(byte[] dedupKey, long index) {
    return DedupRecord.resultsIfRetained(
        current(active.dedup, StateStore.Namespace.DEDUP, new ByteKey(dedupKey)), index);
  }

  /** Remembers {@code results} under {@code dedupKey}, added at Raft index {@code index}. */
  void rememberResults(long index, byte[] dedupKey, byte[] results) {
    change(active.dedup, new ByteKey(dedupKey), DedupRecord.encode(index, results));
  }

  private void change(ConcurrentHashMap<ByteKey, byte[]> map, ByteKey key, byte[] value) {
    undo.record(map, key, active.put(map, key, value));
  }

  private byte[] current(ConcurrentHashMap<ByteKey, byte[]> map, StateStore.Namespace namespace,
      ByteKey key) {
    byte[] value = map.get(key);
    if (value != null) {
      return value == MemTable.TOMBSTONE ? null : value;
    }
    return store.readBelowActive(namespace, key);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }

  /**
   * The changes of one write call, newest last: which map, which key, and the value the table
   * held before (null: none). Reused across calls; grows to the largest call.
   */
  static final class UndoLog {
    private Object[] maps = new Object[1024];
    private ByteKey[] keys = new ByteKey[1024];
    private byte[][] previous = new byte[1024][];
    private int size;

    void record(ConcurrentHashMap<ByteKey, byte[]> map, ByteKey key, byte[] before) {
      if (size == keys.length) {
        maps = Arrays.copyOf(maps, size * 2);
        keys = Arrays.copyOf(keys, size * 2);
        previous = Arrays.copyOf(previous, size * 2);
      }
      maps[size] = map;
      keys[size] = key;
      previous[size] = before;
      size++;
    }

    int size() {
      return size;
    }

    /** Undoes the changes from {@code mark} on, newest first. */
    @SuppressWarnings("unchecked")
    void rollBackTo(int mark, MemTable table) {
      for (int i = size - 1; i >= mark; i--) {
        table.restore((ConcurrentHashMap<ByteKey, byte[]>) maps[i], keys[i], previous[i]);
      }
      clearFrom(mark);
    }

    /** Forgets every change (they are kept). */
    void clear() {
      clearFrom(0);
    }

    private void clearFrom(int mark) {
      Arrays.fill(maps, mark, size, null);
      Arrays.fill(keys, mark, size, null);
      Arrays.fill(previous, mark, size, null);
      size = mark;
    }
  }
}

package io.trident.internal.node;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Recent state changes held in memory in front of LMDB: user keys ({@link #kv}, where {@link
 * #TOMBSTONE} marks a deleted key), idempotency records ({@link #dedup}: see {@link
 * DedupRecord}) and vector collections ({@link #collections}, {@link #vectors}, {@link #purges}). Hash maps, so that applying an operation costs one hash insert rather than a
 * walk down a sorted structure; order is made when it is needed: once per flush (the {@link
 * StateFlusher} writes a full table to LMDB in one sorted transaction) and per scan ({@link
 * StateScan}). LMDB thus sees a few large ordered writes instead of one random page write per
 * operation.
 *
 * <p>Threads: one writer (the state-machine thread, while the table is active); readers on any
 * thread (the maps are concurrent); the flusher reads it once it is immutable.
 */
final class MemTable {
  /** The value of a deleted key; compared by identity, never by content. */
  static final byte[] TOMBSTONE = new byte[0];
  /** Rough per-mapping overhead of a hash node, the key object and two arrays. */
  private static final int MAPPING_OVERHEAD_BYTES = 112;
  private static final int INITIAL_CAPACITY = 1 << 16;

  final ConcurrentHashMap<ByteKey, byte[]> kv = new ConcurrentHashMap<>(INITIAL_CAPACITY);
  final ConcurrentHashMap<ByteKey, byte[]> dedup = new ConcurrentHashMap<>();
  /** Collection catalogue: name -> {@link CollectionCatalogue} record. */
  final ConcurrentHashMap<ByteKey, byte[]> collections = new ConcurrentHashMap<>();
  /** Collection records: collection id + record id ({@link CollectionCatalogue#vectorKey}) -> record. */
  final ConcurrentHashMap<ByteKey, byte[]> vectors = new ConcurrentHashMap<>(INITIAL_CAPACITY);
  /** Dropped collection ids whose records the flush of this table deletes from LMDB. */
  final ConcurrentHashMap<ByteKey, byte[]> purges = new ConcurrentHashMap<>();
  /** Approximate heap bytes held; written by the writer only. */
  private volatile long bytes;
  /** The last Raft index whose changes are in this table (0: none yet). */
  private volatile long lastIndex;

  /** Maps {@code key} to {@code value} in {@code map}; returns the table's previous value. */
  byte[] put(ConcurrentHashMap<ByteKey, byte[]> map, ByteKey key, byte[] value) {
    byte[] previous = map.put(key, value);
    bytes += value.length + (previous == null ? key.bytes.length + MAPPING_OVERHEAD_BYTES
        : -previous.length);
    return previous;
  }

  /** Puts back {@code previous} (null: no mapping) as it was before a {@link #put} of key. */
  void restore(ConcurrentHashMap<ByteKey, byte[]> map, ByteKey key, byte[] previous) {
    if (previous == null) {
      map.remove(key);
    } else {
      map.put(key, previous);
    }
  }

  /** The keys of {@code map} in LMDB's order (a copy; sorting costs O(n log n)). */
  static ByteKey[] sortedKeys(Map<ByteKey, byte[]> map) {
    ByteKey[] keys = map.keySet().toArray(new ByteKey[0]);
    Arrays.sort(keys);
    return keys;
  }

  long bytes() {
    return bytes;
  }

  long lastIndex() {
    return lastIndex;
  }

  void lastIndex(long index) {
    lastIndex = index;
  }
}

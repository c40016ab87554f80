package io.trident.internal.node;

import io.trident.CollectionSpec;
import io.trident.internal.collection.SpecCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * How collections sit in the state store. The catalogue ({@code COLLECTIONS}) maps a name (UTF-8)
 * to {@code collectionId:i64 spec} ({@link SpecCodec}) and holds each trained quantizer under
 * {@link #quantizerKey}; records ({@code VECTORS}) are keyed by
 * {@code collectionId:i64 id:i64} (big-endian), so one collection's records are one key range
 * and nothing collides with user keys (another database). A collection id is {@code (raftIndex
 * << 16) | position}: the index of the entry that created it and the create's position in that
 * entry, so every replica assigns the same id and no id is ever reused, not even after a drop
 * (a re-created name gets a new id; records of the old one can never reappear under it).
 * Stateless.
 */
final class CollectionCatalogue {
  private CollectionCatalogue() {}

  /** The id of the collection created by operation {@code position} of entry {@code index}. */
  static long collectionId(long index, int position) {
    return (index << 16) | (position & 0xFFFF);
  }

  /** The Raft index of the entry that created collection {@code collectionId}. */
  static long createdAt(long collectionId) {
    return collectionId >>> 16;
  }

  /**
   * The catalogue key of collection {@code collectionId}'s trained quantizer (IVF/PQ/SQ): a zero
   * byte, which no collection name starts with, then the id.
   */
  static byte[] quantizerKey(long collectionId) {
    return ByteBuffer.allocate(1 + Long.BYTES).put((byte) 0).putLong(collectionId).array();
  }

  /** True for a {@link #quantizerKey}, false for a collection name. */
  static boolean isQuantizerKey(byte[] catalogueKey) {
    return catalogueKey.length > 0 && catalogueKey[0] == 0;
  }

  static byte[] nameKey(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }

  /** The key prefix of every record of collection {@code collectionId}. */
  static byte[] collectionPrefix(long collectionId) {
    return ByteBuffer.allocate(Long.BYTES).putLong(collectionId).array();
  }

  static byte[] vectorKey(long collectionId, long id) {
    return ByteBuffer.allocate(2 * Long.BYTES).putLong(collectionId).putLong(id).array();
  }

  /** The record id of a {@link #vectorKey}. */
  static long idOf(byte[] vectorKey) {
    return ByteBuffer.wrap(vectorKey).getLong(Long.BYTES);
  }

  static byte[] entry(long collectionId, byte[] encodedSpec) {
    return ByteBuffer.allocate(Long.BYTES + encodedSpec.length).putLong(collectionId)
        .put(encodedSpec).array();
  }

  static long entryCollectionId(byte[] entry) {
    return ByteBuffer.wrap(entry).getLong(0);
  }

  static CollectionSpec entrySpec(byte[] entry) {
    return SpecCodec.decode(ByteBuffer.wrap(entry).position(Long.BYTES));
  }
}

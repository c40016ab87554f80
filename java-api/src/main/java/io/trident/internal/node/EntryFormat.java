package io.trident.internal.node;

import java.nio.ByteBuffer;

/**
 * The layout of one Trident Raft entry: many client operations from one member's batcher.
 *
 * <pre>
 * entry   := version:u8 flags:u8 origin:i64 sequence:i64 count:i32 op{count}
 * op      := PUT key value | DELETE key | CAS key expected update | BATCH atomic:u8 id:bytes16
 *            count:i32 (PUT|DELETE|CAS){count}
 *          | CREATE_COLLECTION name:bytes16 spec | DROP_COLLECTION name:bytes16
 *          | UPSERT_VECTOR collection:i64 id:i64 record | DELETE_VECTOR collection:i64 id:i64
 *          | VECTOR_BATCH collection:i64 batchId:bytes16 count:i32
 *            (UPSERT_VECTOR id:i64 record | DELETE_VECTOR id:i64){count}
 *          | TRAIN_COLLECTION collection:i64 quantizer (a trained, empty index file; the first
 *            one applied for a collection wins, later ones answer NOT_FOUND)
 * key     := length:i32 bytes            value := length:i32 bytes
 * expected, update := length:i32 bytes, or -1 for null (absent / delete)
 * spec, record, quantizer := length:i32 bytes ({@link io.trident.internal.collection.SpecCodec},
 *            {@link io.trident.internal.collection.RecordCodec})
 * bytes16 := length:u16 bytes
 * </pre>
 *
 * <p>All integers big-endian. {@code (origin, sequence)} names the entry for idempotent
 * re-proposal: the proposer sets {@link #FLAG_RETRY} when it sends the same entry again, and the
 * state machine then returns the first application's results. Results, one array per entry: one
 * {@link io.trident.BatchResult.Outcome} code per PUT/DELETE/CAS/DROP_COLLECTION/UPSERT_VECTOR/
 * DELETE_VECTOR/TRAIN_COLLECTION, a code and the new collection id (i64) per CREATE_COLLECTION, and for a BATCH or
 * VECTOR_BATCH a duplicate flag byte followed by one code per inner operation. Collection
 * operations may also answer {@link #COLLECTION_MISSING} (no such live collection when applied)
 * and {@link #COLLECTION_EXISTS} (create of a taken name).
 */
final class EntryFormat {
  static final byte VERSION = 1;
  static final byte FLAG_RETRY = 1;
  static final int HEADER_BYTES = 1 + 1 + Long.BYTES + Long.BYTES + Integer.BYTES;
  static final int FLAGS_OFFSET = 1;

  static final byte PUT = 1;
  static final byte DELETE = 2;
  static final byte CAS = 3;
  static final byte BATCH = 4;
  static final byte CREATE_COLLECTION = 5;
  static final byte DROP_COLLECTION = 6;
  static final byte UPSERT_VECTOR = 7;
  static final byte DELETE_VECTOR = 8;
  static final byte VECTOR_BATCH = 9;
  static final byte TRAIN_COLLECTION = 10;

  /** Result code: the operation's collection does not exist (or was dropped) when applied. */
  static final byte COLLECTION_MISSING = 64;
  /** Result code: a create found its name taken. */
  static final byte COLLECTION_EXISTS = 65;

  /** Bytes of a length-prefixed array (null: the prefix alone). */
  static int sized(byte[] bytes) {
    return Integer.BYTES + (bytes == null ? 0 : bytes.length);
  }

  static void putSized(ByteBuffer out, byte[] bytes) {
    if (bytes == null) {
      out.putInt(-1);
    } else {
      out.putInt(bytes.length).put(bytes);
    }
  }

  /** A slice over the next length-prefixed array of {@code in} (null for -1); advances past it. */
  static ByteBuffer nextSized(ByteBuffer in) {
    int length = in.getInt();
    if (length < 0) {
      return null;
    }
    if (length > in.remaining()) {
      throw new IllegalStateException("entry field of " + length + " bytes overruns the entry");
    }
    ByteBuffer slice = in.slice(in.position(), length);
    in.position(in.position() + length);
    return slice;
  }

  static void writeHeader(ByteBuffer out, long origin, long sequence, int count) {
    out.put(VERSION).put((byte) 0).putLong(origin).putLong(sequence).putInt(count);
  }

  /** The dedup key of entry {@code (origin, sequence)}. */
  static byte[] entryKey(long origin, long sequence) {
    return ByteBuffer.allocate(1 + 2 * Long.BYTES).put((byte) 'E').putLong(origin)
        .putLong(sequence).array();
  }

  /** The dedup key of an {@link io.trident.UpsertBatch} id on collection {@code collectionId}. */
  static byte[] vectorBatchKey(long collectionId, byte[] id) {
    return ByteBuffer.allocate(1 + Long.BYTES + id.length).put((byte) 'C').putLong(collectionId)
        .put(id).array();
  }

  static void putText(ByteBuffer out, byte[] utf8) {
    out.putShort((short) utf8.length).put(utf8);
  }

  static String nextText(ByteBuffer in) {
    byte[] bytes = new byte[Short.toUnsignedInt(in.getShort())];
    in.get(bytes);
    return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The dedup key of a client batch id. */
  static byte[] batchKey(byte[] id) {
    return ByteBuffer.allocate(1 + id.length).put((byte) 'U').put(id).array();
  }

  private EntryFormat() {}
}

package io.trident.internal.node;

import java.nio.ByteBuffer;

/**
 * The layout of one Trident Raft entry: many client operations from one member's batcher.
 *
 * <pre>
 * entry   := version:u8 flags:u8 origin:i64 sequence:i64 count:i32 op{count}
 * op      := PUT key value | DELETE key | CAS key expected update | BATCH atomic:u8 id:bytes16
 *            count:i32 (PUT|DELETE|CAS){count}
 * key     := length:i32 bytes            value := length:i32 bytes
 * expected, update := length:i32 bytes, or -1 for null (absent / delete)
 * bytes16 := length:u16 bytes
 * </pre>
 *
 * <p>All integers big-endian. {@code (origin, sequence)} names the entry for idempotent
 * re-proposal: the proposer sets {@link #FLAG_RETRY} when it sends the same entry again, and the
 * state machine then returns the first application's results. Results, one array per entry: one
 * {@link io.trident.BatchResult.Outcome} code per PUT/DELETE/CAS, and for a BATCH a duplicate flag
 * byte followed by one code per inner operation.
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

  /** The dedup key of a client batch id. */
  static byte[] batchKey(byte[] id) {
    return ByteBuffer.allocate(1 + id.length).put((byte) 'U').put(id).array();
  }

  private EntryFormat() {}
}

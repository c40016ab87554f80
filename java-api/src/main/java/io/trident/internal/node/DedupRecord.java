package io.trident.internal.node;

import io.trident.WriteBatch;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The stored form of an idempotency record: the Raft index of the entry that added it (8 bytes,
 * big-endian), then the results that entry returned. A record is honoured only while it is
 * within {@link WriteBatch#ID_RETENTION_ENTRIES} entries of the entry asking, so every replica
 * answers a retry the same way whenever it happens to prune old records.
 */
final class DedupRecord {
  private DedupRecord() {}

  static byte[] encode(long index, byte[] results) {
    byte[] record = new byte[Long.BYTES + results.length];
    ByteBuffer.wrap(record).putLong(index).put(results);
    return record;
  }

  /** The Raft index that added {@code record}. */
  static long index(byte[] record) {
    return ByteBuffer.wrap(record).getLong(0);
  }

  /** The results in {@code record} when it is still retained at Raft {@code index}, else null. */
  static byte[] resultsIfRetained(byte[] record, long index) {
    if (record == null || index(record) < index - WriteBatch.ID_RETENTION_ENTRIES) {
      return null;
    }
    return Arrays.copyOfRange(record, Long.BYTES, record.length);
  }
}

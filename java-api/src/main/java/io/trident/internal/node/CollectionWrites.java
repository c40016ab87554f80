package io.trident.internal.node;

import io.trident.BatchResult;
import io.trident.BatchResult.Outcome;
import io.trident.error.CollectionExistsException;
import io.trident.error.UnknownCollectionException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The collection operations as {@link PendingWrite}s: each encodes itself into an entry ({@link
 * EntryFormat}) and completes from its results. Records arrive already checked and encoded
 * ({@link io.trident.internal.collection.RecordCodec}), so nothing here copies a caller's array.
 */
final class CollectionWrites {
  private CollectionWrites() {}

  private static UnknownCollectionException missing(String name) {
    return new UnknownCollectionException("collection " + name
        + " does not exist (dropped before this write was applied)");
  }

  /** Completes {@code write} true when applied, false when not, or with a missing-collection. */
  private static void completeApplied(PendingWrite<Boolean> write, String name, byte code) {
    if (code == EntryFormat.COLLECTION_MISSING) {
      write.completeExceptionally(missing(name));
    } else {
      write.complete(code == Outcome.APPLIED.code());
    }
  }

  /** Completes with the new collection's id. */
  static final class Create extends PendingWrite<Long> {
    private final String name;
    private final byte[] nameBytes;
    private final byte[] spec;

    Create(String name, byte[] spec) {
      this.name = name;
      this.nameBytes = name.getBytes(StandardCharsets.UTF_8);
      this.spec = spec;
    }

    @Override
    int encodedBytes() {
      return 1 + 2 + nameBytes.length + EntryFormat.sized(spec);
    }

    @Override
    void encode(ByteBuffer out) {
      out.put(EntryFormat.CREATE_COLLECTION);
      EntryFormat.putText(out, nameBytes);
      EntryFormat.putSized(out, spec);
    }

    @Override
    int resultBytes() {
      return 1 + Long.BYTES;
    }

    @Override
    void completeFrom(byte[] results, int offset, long index) {
      if (results[offset] == EntryFormat.COLLECTION_EXISTS) {
        completeExceptionally(new CollectionExistsException("collection " + name
            + " already exists (created by another call first)"));
      } else {
        complete(ByteBuffer.wrap(results, offset + 1, Long.BYTES).getLong());
      }
    }
  }

  static final class Drop extends PendingWrite<Void> {
    private final String name;
    private final byte[] nameBytes;

    Drop(String name) {
      this.name = name;
      this.nameBytes = name.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    int encodedBytes() {
      return 1 + 2 + nameBytes.length;
    }

    @Override
    void encode(ByteBuffer out) {
      out.put(EntryFormat.DROP_COLLECTION);
      EntryFormat.putText(out, nameBytes);
    }

    @Override
    void completeFrom(byte[] results, int offset, long index) {
      if (results[offset] == EntryFormat.COLLECTION_MISSING) {
        completeExceptionally(missing(name));
      } else {
        complete(null);
      }
    }
  }

  /** An upsert (record) or delete (record null) of one id; completes true when applied. */
  static final class Change extends PendingWrite<Boolean> {
    private final String name;
    private final long collectionId;
    private final long id;
    private final byte[] record;

    Change(String name, long collectionId, long id, byte[] record) {
      this.name = name;
      this.collectionId = collectionId;
      this.id = id;
      this.record = record;
    }

    @Override
    int encodedBytes() {
      return 1 + 2 * Long.BYTES + (record == null ? 0 : EntryFormat.sized(record));
    }

    @Override
    void encode(ByteBuffer out) {
      out.put(record == null ? EntryFormat.DELETE_VECTOR : EntryFormat.UPSERT_VECTOR)
          .putLong(collectionId).putLong(id);
      if (record != null) {
        EntryFormat.putSized(out, record);
      }
    }

    @Override
    void completeFrom(byte[] results, int offset, long index) {
      completeApplied(this, name, results[offset]);
    }
  }

  /**
   * A collection's trained quantizer ({@link io.trident.internal.collection.TrainedQuantizer});
   * completes true when it became the collection's, false when one was applied before.
   */
  static final class Train extends PendingWrite<Boolean> {
    private final String name;
    private final long collectionId;
    private final byte[] quantizer;

    Train(String name, long collectionId, byte[] quantizer) {
      this.name = name;
      this.collectionId = collectionId;
      this.quantizer = quantizer;
    }

    @Override
    int encodedBytes() {
      return 1 + Long.BYTES + EntryFormat.sized(quantizer);
    }

    @Override
    void encode(ByteBuffer out) {
      out.put(EntryFormat.TRAIN_COLLECTION).putLong(collectionId);
      EntryFormat.putSized(out, quantizer);
    }

    @Override
    void completeFrom(byte[] results, int offset, long index) {
      completeApplied(this, name, results[offset]);
    }
  }

  /** An {@link io.trident.UpsertBatch}: ids and records (null: delete) in order. */
  static final class Batch extends PendingWrite<BatchResult> {
    private final String name;
    private final long collectionId;
    private final String batchId;
    private final byte[] batchIdBytes;
    private final long[] ids;
    private final byte[][] records;
    private final int encodedBytes;

    Batch(String name, long collectionId, String batchId, long[] ids, byte[][] records) {
      this.name = name;
      this.collectionId = collectionId;
      this.batchId = batchId;
      this.batchIdBytes = batchId.getBytes(StandardCharsets.UTF_8);
      this.ids = ids;
      this.records = records;
      int bytes = 1 + Long.BYTES + 2 + batchIdBytes.length + Integer.BYTES;
      for (byte[] record : records) {
        bytes += 1 + Long.BYTES + (record == null ? 0 : EntryFormat.sized(record));
      }
      this.encodedBytes = bytes;
    }

    @Override
    int encodedBytes() {
      return encodedBytes;
    }

    @Override
    int resultBytes() {
      return 1 + ids.length;
    }

    @Override
    void encode(ByteBuffer out) {
      out.put(EntryFormat.VECTOR_BATCH).putLong(collectionId);
      EntryFormat.putText(out, batchIdBytes);
      out.putInt(ids.length);
      for (int i = 0; i < ids.length; i++) {
        out.put(records[i] == null ? EntryFormat.DELETE_VECTOR : EntryFormat.UPSERT_VECTOR)
            .putLong(ids[i]);
        if (records[i] != null) {
          EntryFormat.putSized(out, records[i]);
        }
      }
    }

    @Override
    void completeFrom(byte[] results, int offset, long index) {
      Outcome[] outcomes = new Outcome[ids.length];
      for (int i = 0; i < outcomes.length; i++) {
        byte code = results[offset + 1 + i];
        if (code == EntryFormat.COLLECTION_MISSING) {
          completeExceptionally(missing(name));
          return;
        }
        outcomes[i] = Outcome.ofCode(code);
      }
      complete(new BatchResult(batchId, outcomes, results[offset] != 0));
    }
  }
}

package io.trident.internal.node;

import io.trident.BatchResult;
import io.trident.BatchResult.Outcome;
import io.trident.WriteBatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One client write waiting in the batcher: it is its own future (one object per operation), knows
 * its encoded size, encodes itself into an entry ({@link EntryFormat}) and completes from its
 * slice of the entry's results.
 *
 * <p>The caller's arrays are referenced, not copied: they are read when the batcher encodes the
 * entry, before the future completes (the {@link io.trident.KvStore} contract says not to modify
 * them until then).
 */
abstract class PendingWrite<T> extends CompletableFuture<T> {
  /** {@link System#nanoTime()} when the caller handed it over; for the queue-time counter. */
  long enqueuedNanos;

  abstract int encodedBytes();

  abstract void encode(ByteBuffer out);

  /** Bytes of the entry's results that belong to this write. */
  int resultBytes() {
    return 1;
  }

  /**
   * Completes from {@code results[offset .. offset + resultBytes())}; the entry was applied at
   * Raft {@code index}.
   */
  abstract void completeFrom(byte[] results, int offset, long index);

  static final class Put extends PendingWrite<Void> {
    private final byte[] key;
    private final byte[] value;

    Put(byte[] key, byte[] value) {
      this.key = key;
      this.value = value;
    }

    @Override
    int encodedBytes() {
      return 1 + EntryFormat.sized(key) + EntryFormat.sized(value);
    }

    @Override
    void encode(ByteBuffer out) {
      out.put(EntryFormat.PUT);
      EntryFormat.putSized(out, key);
      EntryFormat.putSized(out, value);
    }

    @Override
    void completeFrom(byte[] results, int offset, long index) {
      complete(null);
    }
  }

  static final class Delete extends PendingWrite<Boolean> {
    private final byte[] key;

    Delete(byte[] key) {
      this.key = key;
    }

    @Override
    int encodedBytes() {
      return 1 + EntryFormat.sized(key);
    }

    @Override
    void encode(ByteBuffer out) {
      out.put(EntryFormat.DELETE);
      EntryFormat.putSized(out, key);
    }

    @Override
    void completeFrom(byte[] results, int offset, long index) {
      complete(results[offset] == Outcome.APPLIED.code());
    }
  }

  static final class CompareAndSet extends PendingWrite<Boolean> {
    private final byte[] key;
    private final byte[] expected;
    private final byte[] update;

    CompareAndSet(byte[] key, byte[] expected, byte[] update) {
      this.key = key;
      this.expected = expected;
      this.update = update;
    }

    @Override
    int encodedBytes() {
      return 1 + EntryFormat.sized(key) + EntryFormat.sized(expected)
          + EntryFormat.sized(update);
    }

    @Override
    void encode(ByteBuffer out) {
      out.put(EntryFormat.CAS);
      EntryFormat.putSized(out, key);
      EntryFormat.putSized(out, expected);
      EntryFormat.putSized(out, update);
    }

    @Override
    void completeFrom(byte[] results, int offset, long index) {
      complete(results[offset] == Outcome.APPLIED.code());
    }
  }

  static final class Batch extends PendingWrite<BatchResult> {
    private final String id;
    private final byte[] idBytes;
    private final boolean atomic;
    private final List<WriteBatch.Operation> operations;
    private final int encodedBytes;

    /** Copies the batch's operation list (the caller may reuse the batch at once). */
    Batch(WriteBatch batch) {
      id = batch.id();
      idBytes = id.getBytes(StandardCharsets.UTF_8);
      atomic = batch.isAtomic();
      operations = List.copyOf(batch.operations());
      int bytes = 1 + 1 + 2 + idBytes.length + Integer.BYTES;
      for (WriteBatch.Operation op : operations) {
        bytes += 1 + EntryFormat.sized(op.key());
        bytes += switch (op.kind()) {
          case PUT -> EntryFormat.sized(op.value());
          case DELETE -> 0;
          case COMPARE_AND_SET -> EntryFormat.sized(op.expected()) + EntryFormat.sized(op.value());
        };
      }
      encodedBytes = bytes;
    }

    @Override
    int encodedBytes() {
      return encodedBytes;
    }

    @Override
    int resultBytes() {
      return 1 + operations.size();
    }

    @Override
    void encode(ByteBuffer out) {
      out.put(EntryFormat.BATCH).put((byte) (atomic ? 1 : 0)).putShort((short) idBytes.length)
          .put(idBytes).putInt(operations.size());
      for (WriteBatch.Operation op : operations) {
        switch (op.kind()) {
          case PUT -> {
            out.put(EntryFormat.PUT);
            EntryFormat.putSized(out, op.key());
            EntryFormat.putSized(out, op.value());
          }
          case DELETE -> {
            out.put(EntryFormat.DELETE);
            EntryFormat.putSized(out, op.key());
          }
          case COMPARE_AND_SET -> {
            out.put(EntryFormat.CAS);
            EntryFormat.putSized(out, op.key());
            EntryFormat.putSized(out, op.expected());
            EntryFormat.putSized(out, op.value());
          }
        }
      }
    }

    @Override
    void completeFrom(byte[] results, int offset, long index) {
      Outcome[] outcomes = new Outcome[operations.size()];
      for (int i = 0; i < outcomes.length; i++) {
        outcomes[i] = Outcome.ofCode(results[offset + 1 + i]);
      }
      complete(new BatchResult(id, outcomes, results[offset] != 0));
    }
  }
}

package io.trident.internal.node;

import io.trident.BatchResult;
import io.trident.KeyValue;
import io.trident.KvStore;
import io.trident.NodeOptions;
import io.trident.ReadConsistency;
import io.trident.WriteBatch;
import io.trident.error.InvalidArgumentException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@link KvStore} of a {@link ReplicatedNode}: checks every argument before anything is queued
 * (a rejected call applies nothing), hands writes to the {@link WriteBatcher}, serves reads from
 * the local {@link StateStore}, after a {@link ReadBarrier} for linearizable ones and after this
 * member's acknowledged writes are applied for read-your-writes ones ({@link NodeServices#read}).
 */
final class ReplicatedKvStore implements KvStore {
  private final NodeServices services;
  private final NodeOptions options;
  private final StateStore store;
  private final WriteBatcher batcher;

  ReplicatedKvStore(NodeServices services) {
    this.services = services;
    this.options = services.options;
    this.store = services.store;
    this.batcher = services.batcher;
  }

  @Override
  public CompletableFuture<Void> put(byte[] key, byte[] value) {
    checkOpen();
    checkKey(key, "key");
    checkValue(value, "value");
    return batcher.submit(new PendingWrite.Put(key, value));
  }

  @Override
  public CompletableFuture<byte[]> get(byte[] key) {
    return get(key, options.readConsistency());
  }

  @Override
  public CompletableFuture<byte[]> get(byte[] key, ReadConsistency consistency) {
    checkOpen();
    checkKey(key, "key");
    return read(consistency, () -> store.get(key));
  }

  @Override
  public CompletableFuture<Boolean> delete(byte[] key) {
    checkOpen();
    checkKey(key, "key");
    return batcher.submit(new PendingWrite.Delete(key));
  }

  @Override
  public CompletableFuture<Boolean> compareAndSet(byte[] key, byte[] expected, byte[] update) {
    checkOpen();
    checkKey(key, "key");
    checkOptionalValue(expected, "expected");
    checkOptionalValue(update, "update");
    return batcher.submit(new PendingWrite.CompareAndSet(key, expected, update));
  }

  @Override
  public CompletableFuture<BatchResult> write(WriteBatch batch) {
    checkOpen();
    if (batch == null) {
      throw new InvalidArgumentException("batch is null");
    }
    if (batch.size() == 0) {
      throw new InvalidArgumentException("batch " + batch.id() + " has no operations");
    }
    for (int i = 0; i < batch.size(); i++) {
      WriteBatch.Operation op = batch.operations().get(i);
      String where = "batch " + batch.id() + " operation " + i + " ";
      checkKey(op.key(), where + "key");
      switch (op.kind()) {
        case PUT -> checkValue(op.value(), where + "value");
        case COMPARE_AND_SET -> {
          checkOptionalValue(op.expected(), where + "expected");
          checkOptionalValue(op.value(), where + "update");
        }
        case DELETE -> { }
      }
    }
    PendingWrite.Batch pending = new PendingWrite.Batch(batch);
    if (pending.encodedBytes() + EntryFormat.HEADER_BYTES > options.batchBytesMax()) {
      throw new InvalidArgumentException("batch " + batch.id() + " encodes to "
          + pending.encodedBytes() + " bytes, over batchBytesMax (" + options.batchBytesMax()
          + "); split it");
    }
    return batcher.submit(pending);
  }

  @Override
  public CompletableFuture<List<KeyValue>> scan(byte[] fromKey, byte[] toKey, int limit) {
    return scan(fromKey, toKey, limit, options.readConsistency());
  }

  @Override
  public CompletableFuture<List<KeyValue>> scan(byte[] fromKey, byte[] toKey, int limit,
      ReadConsistency consistency) {
    checkOpen();
    if (fromKey != null) {
      checkKey(fromKey, "fromKey");
    }
    if (toKey != null) {
      checkKey(toKey, "toKey");
    }
    if (limit <= 0) {
      throw new InvalidArgumentException("scan limit must be positive, was " + limit);
    }
    return read(consistency, () -> store.scan(fromKey, toKey, limit));
  }

  private <T> CompletableFuture<T> read(ReadConsistency consistency,
      java.util.function.Supplier<T> localRead) {
    return services.read(consistency, localRead);
  }

  private void checkOpen() {
    services.checkOpen();
  }

  private static void checkKey(byte[] key, String what) {
    if (key == null || key.length == 0 || key.length > NodeOptions.KEY_BYTES_MAX) {
      throw new InvalidArgumentException(what + " must be 1.." + NodeOptions.KEY_BYTES_MAX
          + " bytes, was " + (key == null ? "null" : key.length + " bytes"));
    }
  }

  private void checkValue(byte[] value, String what) {
    if (value == null || value.length == 0 || value.length > options.valueBytesMax()) {
      throw new InvalidArgumentException(what + " must be 1.." + options.valueBytesMax()
          + " bytes (NodeOptions.valueBytesMax), was "
          + (value == null ? "null (use delete)" : value.length + " bytes"));
    }
  }

  private void checkOptionalValue(byte[] value, String what) {
    if (value != null) {
      checkValue(value, what);
    }
  }
}

package io.trident;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The node's replicated key-value store: byte-array keys in unsigned lexicographic order.
 *
 * <p>Writes complete once the group has committed them (durable on a majority) and this member's
 * leader applied them; they may be called on any member (followers forward to the leader) from
 * any number of threads. Concurrent calls are packed into shared Raft entries. Bad input throws
 * at once ({@code InvalidArgumentException}, nothing applied), as does a call on a closed node
 * ({@code ClosedHandleException}). Futures fail with a {@link io.trident.error.TridentException}
 * subclass: {@code OverloadedException}, {@code NotLeaderException} or {@code
 * OperationTimeoutException} (the write's outcome is then unknown; retry a {@link WriteBatch} by
 * id to learn it), {@code ClosedHandleException}. Callbacks of the returned futures run on Trident's
 * completion threads: do not block in them (use the {@code *Async} stages to move work off).
 *
 * <p>Limits: keys 1..{@value NodeOptions#KEY_BYTES_MAX} bytes; values 1..{@link
 * NodeOptions#valueBytesMax()} bytes; a batch at most {@link NodeOptions#batchBytesMax()} encoded
 * bytes. Arrays passed to a write are read until its future completes (nothing is copied on the
 * caller's thread): do not modify them before then. Arrays returned are the caller's.
 */
public interface KvStore {
  /** Stores {@code value} under {@code key}. */
  CompletableFuture<Void> put(byte[] key, byte[] value);

  /** The value, or null when absent, at the node's default {@link ReadConsistency}. */
  CompletableFuture<byte[]> get(byte[] key);

  CompletableFuture<byte[]> get(byte[] key, ReadConsistency consistency);

  /** Removes the key; true when it existed. */
  CompletableFuture<Boolean> delete(byte[] key);

  /**
   * Sets {@code key} to {@code update} if it currently holds {@code expected}; {@code expected}
   * null means "absent", {@code update} null means delete. True when it was set.
   */
  CompletableFuture<Boolean> compareAndSet(byte[] key, byte[] expected, byte[] update);

  /** Applies a batch (see {@link WriteBatch}); one outcome per operation. */
  CompletableFuture<BatchResult> write(WriteBatch batch);

  /**
   * Up to {@code limit} entries with {@code fromKey <= key < toKey} in key order, at the node's
   * default consistency. {@code fromKey} null: from the first key; {@code toKey} null: to the end.
   */
  CompletableFuture<List<KeyValue>> scan(byte[] fromKey, byte[] toKey, int limit);

  CompletableFuture<List<KeyValue>> scan(byte[] fromKey, byte[] toKey, int limit,
      ReadConsistency consistency);
}

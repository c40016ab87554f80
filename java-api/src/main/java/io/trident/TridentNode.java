package io.trident;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A member of a Raft group, opened by {@link Trident#open}: it owns, and {@link #close() closes}
 * in reverse order, its RPC server (bound to {@link NodeOptions#self()} only), the Raft node, the
 * journal, the collections' native indexes, the state store and the data directory's lock.
 *
 * <p>Thread-safe: every method may be called from any thread.
 */
public interface TridentNode extends AutoCloseable {
  /** The replicated key-value store. */
  KvStore kv();

  /** The replicated vector collections. */
  VectorCollections collections();

  /** True while this member is the leader. */
  boolean isLeader();

  /** The leader's {@code host:port} as this member knows it, or null when none is known. */
  String leaderAddress();

  /**
   * Waits until a leader is known (and, on the leader, has taken office), so calls can be served.
   *
   * @throws io.trident.error.OperationTimeoutException when that does not happen in time
   */
  void awaitReady(Duration timeout);

  /** The group's members ({@code host:port}) in this member's current configuration. */
  List<String> members();

  /** Adds a member (a node opened with {@link NodeOptions#joinExisting()}); completes once committed. */
  CompletableFuture<Void> addMember(String hostPort);

  /** Removes a member; completes once the new configuration is committed. */
  CompletableFuture<Void> removeMember(String hostPort);

  /** This member's address, {@link NodeOptions#self()}. */
  String self();

  /** Counters of this member's layers (batcher, Raft, journal, state machine). */
  NodeStats stats();

  /**
   * Stops the member: pending calls fail with {@code ClosedHandleException}; nothing acknowledged
   * is lost. Idempotent.
   */
  @Override
  void close();
}

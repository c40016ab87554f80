package io.trident.bench.cluster;

import java.util.concurrent.CompletableFuture;

/**
 * A started replicated key-value system under test: {@link #nodeCount()} members on 127.0.0.1,
 * each reachable as a client would reach it. Operations are asynchronous and must not block the
 * caller for long; they may be called from any thread, including a completion thread of an
 * earlier operation. A future that completes exceptionally, or with {@code Boolean.FALSE}, is an
 * error. {@link #close()} stops every member and deletes nothing the caller owns.
 */
public interface KvSystem extends AutoCloseable {
  /** The system's name in reports, e.g. {@code jraft-rocksdb}. */
  String name();

  /** What ran, for the report: versions, storage and durability settings. */
  String description();

  int nodeCount();

  /** Writes {@code value} under {@code key} through member {@code nodeIndex} (0-based). */
  CompletableFuture<?> put(int nodeIndex, byte[] key, byte[] value);

  /** Reads {@code key} through member {@code nodeIndex}; linearizable where the system can. */
  CompletableFuture<?> get(int nodeIndex, byte[] key);

  /**
   * Raft entries the group has committed so far (a monotonic count such as the leader's last log
   * index), or -1 when the system cannot tell. Sampled before and after a measurement.
   */
  long raftEntryCount();

  /** The system's own per-layer counters now, or null where it exposes none (the peers). */
  default LayerSample sampleLayers() {
    return null;
  }

  @Override
  void close();
}

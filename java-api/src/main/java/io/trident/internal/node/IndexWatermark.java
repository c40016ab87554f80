package io.trident.internal.node;

import io.trident.error.ClosedHandleException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * How far this member has caught up, for reads that must see certain writes: {@link #indexed()}
 * is the Raft index through which every applied change is in this member's state and in its
 * native collection indexes (searchable), and {@link #acknowledgedIndex()} the highest Raft index
 * of any write acknowledged to a caller through this member (what {@code READ_YOUR_WRITES} waits
 * for).
 *
 * <p>Threads: any. Waiters' futures are completed on the thread that advances the watermark (the
 * indexer or the state-machine thread): their dependent stages must be short.
 */
final class IndexWatermark {
  private final LongAccumulator acknowledged = new LongAccumulator(Math::max, 0);
  private final TreeMap<Long, List<CompletableFuture<Void>>> waiters = new TreeMap<>();
  private volatile long indexed;
  private boolean closed;

  long indexed() {
    return indexed;
  }

  /** Notes that a write at Raft {@code index} was acknowledged to a caller of this member. */
  void acknowledged(long index) {
    acknowledged.accumulate(index);
  }

  long acknowledgedIndex() {
    return acknowledged.get();
  }

  /** Everything applied through {@code index} is now indexed; wakes the waiters it satisfies. */
  void advance(long index) {
    List<CompletableFuture<Void>> ready = new ArrayList<>();
    synchronized (this) {
      if (index <= indexed) {
        return;
      }
      indexed = index;
      Map<Long, List<CompletableFuture<Void>>> reached = waiters.headMap(index, true);
      reached.values().forEach(ready::addAll);
      reached.clear();
    }
    ready.forEach(waiter -> waiter.complete(null));
  }

  /** Completes once {@link #indexed()} reaches {@code index} (at once if it has). */
  CompletableFuture<Void> whenIndexed(long index) {
    if (indexed >= index) {
      return CompletableFuture.completedFuture(null);
    }
    synchronized (this) {
      if (indexed >= index) {
        return CompletableFuture.completedFuture(null);
      }
      if (closed) {
        return CompletableFuture.failedFuture(closedError());
      }
      CompletableFuture<Void> waiter = new CompletableFuture<>();
      waiters.computeIfAbsent(index, key -> new ArrayList<>()).add(waiter);
      return waiter;
    }
  }

  /** Fails every waiter; later waits fail at once unless already satisfied. */
  void close() {
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    synchronized (this) {
      closed = true;
      waiters.values().forEach(pending::addAll);
      waiters.clear();
    }
    pending.forEach(waiter -> waiter.completeExceptionally(closedError()));
  }

  private static ClosedHandleException closedError() {
    return new ClosedHandleException("the Trident node is closed");
  }
}

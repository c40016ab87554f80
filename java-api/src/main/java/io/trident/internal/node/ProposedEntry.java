package io.trident.internal.node;

import java.util.concurrent.Semaphore;

/**
 * One encoded Raft entry built by the {@link WriteBatcher} and the writes waiting on it. It is
 * finished exactly once: {@link #completeFrom} with the entry's results, or {@link #fail}; either
 * way every write's future completes and the writes' in-flight permits are released.
 *
 * <p>Threads: built on the batcher thread; finished on a completion thread; the {@code attempts}
 * counter is touched only by the thread currently (re)submitting it.
 */
final class ProposedEntry {
  final long sequence;
  final byte[] bytes;
  final long proposedNanos;
  final long deadlineNanos;
  private final PendingWrite<?>[] writes;
  private final Semaphore inflightPermits;
  private final NodeCounters counters;
  int attempts;
  /** Fails the writes at the deadline if no attempt answered by then; cancelled on finish. */
  java.util.concurrent.ScheduledFuture<?> watchdog;
  private boolean finished;

  ProposedEntry(long sequence, byte[] bytes, PendingWrite<?>[] writes, long deadlineNanos,
      Semaphore inflightPermits, NodeCounters counters) {
    this.sequence = sequence;
    this.bytes = bytes;
    this.writes = writes;
    this.deadlineNanos = deadlineNanos;
    this.inflightPermits = inflightPermits;
    this.counters = counters;
    this.proposedNanos = System.nanoTime();
  }

  int writeCount() {
    return writes.length;
  }

  /**
   * A copy of the entry with {@link EntryFormat#FLAG_RETRY} set, to send again (the first
   * attempt's array may still be held by the Raft engine: it is never changed).
   */
  byte[] retryBytes() {
    byte[] copy = bytes.clone();
    copy[EntryFormat.FLAGS_OFFSET] |= EntryFormat.FLAG_RETRY;
    return copy;
  }

  /** Completes every write from the entry's {@code results}; it was applied at Raft {@code index}. */
  synchronized void completeFrom(byte[] results, long index) {
    if (finished) {
      return;
    }
    finished = true;
    cancelWatchdog();
    int offset = 0;
    for (PendingWrite<?> write : writes) {
      write.completeFrom(results, offset, index);
      offset += write.resultBytes();
    }
    inflightPermits.release(writes.length);
  }

  private void cancelWatchdog() {
    if (watchdog != null) {
      watchdog.cancel(false);
    }
  }

  synchronized void fail(Throwable error) {
    if (finished) {
      return;
    }
    finished = true;
    cancelWatchdog();
    for (PendingWrite<?> write : writes) {
      write.completeExceptionally(error);
    }
    inflightPermits.release(writes.length);
    counters.entriesFailed.increment();
  }
}

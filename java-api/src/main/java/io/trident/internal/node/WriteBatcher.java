package io.trident.internal.node;

import io.trident.error.ClosedHandleException;
import io.trident.error.OperationTimeoutException;
import io.trident.error.OverloadedException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.jctools.queues.MpscUnboundedArrayQueue;

/**
 * Packs concurrent client writes into Raft entries. Callers hand writes over through a lock-free
 * MPSC queue; one batcher thread drains it into one entry per drain, bounded by {@code
 * batchOpsMax} operations and {@code batchBytesMax} bytes, and passes each entry on at once (a
 * lone write waits for nothing; under load writes gather while the previous entry is in flight).
 *
 * <p>Back-pressure: at most {@code inflightOpsMax} writes are accepted and not yet finished; past
 * that a caller waits (up to the request timeout) or fails with {@link OverloadedException}. So
 * the queue and everything behind it stay bounded under overload.
 *
 * <p>Threads: {@link #submit} from any thread; one batcher thread; {@link #close} once.
 */
final class WriteBatcher implements AutoCloseable {
  private static final int QUEUE_CHUNK = 1024;
  private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private final MpscUnboundedArrayQueue<PendingWrite<?>> queue =
      new MpscUnboundedArrayQueue<>(QUEUE_CHUNK);
  private final Semaphore inflightPermits;
  private final boolean waitWhenFull;
  private final int batchOpsMax;
  private final int batchBytesMax;
  private final long requestTimeoutNanos;
  private final long origin;
  private final Consumer<ProposedEntry> sink;
  private final NodeCounters counters;
  private final Thread thread;
  private volatile boolean parked;
  private volatile boolean closed;
  private long nextSequence = 1;

  WriteBatcher(String name, long origin, int batchOpsMax, int batchBytesMax,
      int inflightOpsMax, boolean waitWhenFull, long requestTimeoutNanos,
      Consumer<ProposedEntry> sink, NodeCounters counters) {
    this.origin = origin;
    this.batchOpsMax = batchOpsMax;
    this.batchBytesMax = batchBytesMax;
    this.inflightPermits = new Semaphore(inflightOpsMax);
    this.waitWhenFull = waitWhenFull;
    this.requestTimeoutNanos = requestTimeoutNanos;
    this.sink = sink;
    this.counters = counters;
    this.thread = new Thread(this::drainLoop, name);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Accepts {@code write} (or fails its future at once); returns it. */
  <T> CompletableFuture<T> submit(PendingWrite<T> write) {
    if (closed) {
      write.completeExceptionally(closedError());
      return write;
    }
    if (!acquirePermit()) {
      write.completeExceptionally(waitWhenFull
          ? new OperationTimeoutException("no room among " + inflightPermits.availablePermits()
              + " in-flight writes within the request timeout; the group is not keeping up")
          : new OverloadedException("too many writes in flight on this member (inflightOpsMax);"
              + " back off and retry"));
      return write;
    }
    write.enqueuedNanos = System.nanoTime();
    queue.offer(write);
    counters.opsSubmitted.increment();
    if (parked) {
      LockSupport.unpark(thread);
    }
    return write;
  }

  private boolean acquirePermit() {
    if (inflightPermits.tryAcquire()) {
      return true;
    }
    if (!waitWhenFull) {
      return false;
    }
    try {
      return inflightPermits.tryAcquire(requestTimeoutNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void drainLoop() {
    List<PendingWrite<?>> drained = new ArrayList<>(batchOpsMax);
    PendingWrite<?> carried = null;
    while (!closed) {
      PendingWrite<?> first = carried != null ? carried : queue.poll();
      carried = null;
      if (first == null) {
        parked = true;
        if (queue.isEmpty() && !closed) {
          LockSupport.parkNanos(this, IDLE_PARK_NANOS);
        }
        parked = false;
        continue;
      }
      drained.add(first);
      int bytes = EntryFormat.HEADER_BYTES + first.encodedBytes();
      while (drained.size() < batchOpsMax) {
        PendingWrite<?> next = queue.poll();
        if (next == null) {
          break;
        }
        if (bytes + next.encodedBytes() > batchBytesMax) {
          carried = next;
          break;
        }
        bytes += next.encodedBytes();
        drained.add(next);
      }
      sink.accept(encode(drained, bytes));
      drained.clear();
    }
    if (carried != null) {
      carried.completeExceptionally(closedError());
      inflightPermits.release();
    }
  }

  private ProposedEntry encode(List<PendingWrite<?>> writes, int bytes) {
    ByteBuffer out = ByteBuffer.allocate(bytes);
    long sequence = nextSequence++;
    EntryFormat.writeHeader(out, origin, sequence, writes.size());
    long now = System.nanoTime();
    long oldest = now;
    long queueNanos = 0;
    for (PendingWrite<?> write : writes) {
      write.encode(out);
      queueNanos += now - write.enqueuedNanos;
      oldest = Math.min(oldest, write.enqueuedNanos);
    }
    counters.batcherQueueNanos.add(queueNanos);
    counters.entriesProposed.increment();
    return new ProposedEntry(sequence, out.array(), writes.toArray(new PendingWrite<?>[0]),
        oldest + requestTimeoutNanos, inflightPermits, counters);
  }

  /** Stops the batcher thread; writes still queued fail with {@link ClosedHandleException}. */
  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (PendingWrite<?> write = queue.poll(); write != null; write = queue.poll()) {
      write.completeExceptionally(closedError());
      inflightPermits.release();
    }
  }

  private static ClosedHandleException closedError() {
    return new ClosedHandleException("the Trident node is closed");
  }
}

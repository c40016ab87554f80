package io.trident.internal.node;

import io.trident.error.StorageIoException;
import java.util.function.Consumer;

/**
 * Flushes immutable {@link MemTable}s to LMDB on its own thread, one at a time: {@link #flush}
 * hands a table over, {@link #awaitIdle} waits until no table is pending or being flushed (the
 * state machine calls it before handing over the next one, so at most two tables are ever held:
 * back-pressure instead of unbounded memory). A failed flush is kept and rethrown by every later
 * {@link #awaitIdle}: the store fails closed.
 *
 * <p>Threads: {@link #flush} and {@link #awaitIdle} from the state-machine thread (or while it is
 * stopped); the flush itself on this flusher's thread.
 */
final class StateFlusher implements AutoCloseable {
  private final Consumer<MemTable> target;
  private final Thread thread;
  private MemTable pending;
  private boolean flushing;
  private boolean closed;
  private RuntimeException failure;

  StateFlusher(String name, Consumer<MemTable> target) {
    this.target = target;
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Hands {@code table} over; call {@link #awaitIdle} first. */
  synchronized void flush(MemTable table) {
    if (closed) {
      throw new IllegalStateException("state flusher is closed");
    }
    pending = table;
    notifyAll();
  }

  /** Waits until every handed-over table is in LMDB; throws the first flush failure. */
  synchronized void awaitIdle() {
    boolean interrupted = false;
    while ((pending != null || flushing) && failure == null && thread.isAlive()) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** The first flush failure, or null. */
  synchronized RuntimeException failure() {
    return failure;
  }

  private void run() {
    while (true) {
      MemTable table;
      synchronized (this) {
        while (pending == null && !closed) {
          try {
            wait();
          } catch (InterruptedException e) {
            // closing: the loop re-checks
          }
        }
        if (pending == null) {
          return;
        }
        table = pending;
        pending = null;
        flushing = true;
      }
      RuntimeException error = null;
      try {
        target.accept(table);
      } catch (RuntimeException e) {
        error = e instanceof StorageIoException ? e
            : new StorageIoException("flushing state to LMDB failed: " + e, e);
      }
      synchronized (this) {
        flushing = false;
        if (error != null && failure == null) {
          failure = error;
        }
        notifyAll();
        if (failure != null) {
          return;
        }
      }
    }
  }

  /** Flushes what was handed over, then stops the thread. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package io.trident.search;

import io.trident.error.ClosedHandleException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps a native handle alive while calls are in flight. Every native call runs between
 * {@link #enter()} and {@link #exit()}; {@link #closeAndAwait()} refuses new calls, waits for the
 * running ones to return, and only then lets the owner free the handle, so a close racing with
 * searches never frees memory a search is reading. Thread-safe, lock-free on the call path.
 */
final class HandleGuard {
  private static final long CLOSED_BIT = 1L << 62;
  private static final long CLOSE_WAIT_NANOS_MAX = TimeUnit.SECONDS.toNanos(60);

  private final AtomicLong state = new AtomicLong(); // CLOSED_BIT | number of calls in flight
  private final String what;

  HandleGuard(String what) {
    this.what = what;
  }

  /** Registers a call; throws {@link ClosedHandleException} once close has begun. */
  void enter() {
    while (true) {
      long current = state.get();
      if ((current & CLOSED_BIT) != 0) {
        throw new ClosedHandleException(what + " is closed; open or load it again");
      }
      if (state.compareAndSet(current, current + 1)) {
        return;
      }
    }
  }

  void exit() {
    state.decrementAndGet();
  }

  boolean isClosed() {
    return (state.get() & CLOSED_BIT) != 0;
  }

  /**
   * Marks the handle closed and waits until no call is in flight. Returns true for the one caller
   * that must free the native handle; false for repeated or concurrent closes.
   */
  boolean closeAndAwait() {
    long previous = state.getAndUpdate(s -> s | CLOSED_BIT);
    if ((previous & CLOSED_BIT) != 0) {
      return false;
    }
    long deadline = System.nanoTime() + CLOSE_WAIT_NANOS_MAX;
    while ((state.get() & ~CLOSED_BIT) != 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + ": calls still running 60 s after close began");
      }
      LockSupport.parkNanos(50_000);
    }
    return true;
  }
}

package io.trident.bench.sweep;

import io.trident.VectorCollection;

/**
 * Watches one member's collection from the start of an ingest and notes the wall-clock time
 * (epoch ms, comparable across the sweep's processes on one machine) at which its index first
 * holds {@code target} records, polling every {@value #POLL_MILLIS} ms for at most
 * {@value #WATCH_SECONDS_MAX} s.
 */
final class IndexedWatch {
  private static final long POLL_MILLIS = 2;
  private static final long WATCH_SECONDS_MAX = 900;

  private final Thread watcher;
  private volatile long reachedEpochMillis = -1;

  private IndexedWatch(VectorCollection collection, long target) {
    watcher = new Thread(() -> {
      long deadline = System.nanoTime() + WATCH_SECONDS_MAX * 1_000_000_000L;
      while (System.nanoTime() < deadline) {
        if (collection.size() >= target) {
          reachedEpochMillis = System.currentTimeMillis();
          return;
        }
        try {
          Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "indexed-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  static IndexedWatch start(VectorCollection collection, long target) {
    return new IndexedWatch(collection, target);
  }

  /** Waits for the target; the epoch ms it was reached. Throws if it never was. */
  long awaitEpochMillis() throws InterruptedException {
    watcher.join(WATCH_SECONDS_MAX * 1000 + 1000);
    if (reachedEpochMillis < 0) {
      throw new IllegalStateException("index did not reach its target in "
          + WATCH_SECONDS_MAX + " s");
    }
    return reachedEpochMillis;
  }
}

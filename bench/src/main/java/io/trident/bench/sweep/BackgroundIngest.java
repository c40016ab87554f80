package io.trident.bench.sweep;

import io.trident.VectorCollection;

/**
 * A steady upsert stream beside a search level: rounds over the base rows under fresh ids
 * ({@code idBase}, then {@code idBase + rows}, ...) until stopped, at most
 * {@value #ROUNDS_MAX} rounds. Measures search latency under ingest; the collection grows.
 */
final class BackgroundIngest {
  private static final int ROUNDS_MAX = 1000;

  /** What the stream wrote: vectors acknowledged over seconds. */
  record Outcome(long vectors, double seconds) {}

  private final SliceIngest ingest;
  private final Thread thread;
  private final long startNanos = System.nanoTime();
  private volatile boolean running = true;
  private volatile Throwable failure;

  private BackgroundIngest(VectorCollection collection, float[][] base, int batchRows,
      int windowBatches, long idBase) {
    ingest = new SliceIngest(collection, base, batchRows, windowBatches);
    thread = new Thread(() -> {
      try {
        for (int round = 0; round < ROUNDS_MAX && running; round++) {
          ingest.ingestRows(0, 1, idBase + (long) round * base.length, () -> running);
        }
      } catch (Throwable e) {
        failure = e;
      }
    }, "background-ingest");
    thread.setDaemon(true);
    thread.start();
  }

  static BackgroundIngest start(VectorCollection collection, float[][] base, int batchRows,
      int windowBatches, long idBase) {
    return new BackgroundIngest(collection, base, batchRows, windowBatches, idBase);
  }

  /** Stops sending, waits for what was sent, and returns the outcome. */
  Outcome stop() throws InterruptedException {
    running = false;
    thread.join(180_000);
    if (failure != null) {
      throw new IllegalStateException("background ingest failed: " + failure, failure);
    }
    return new Outcome(ingest.acknowledged(), (System.nanoTime() - startNanos) / 1e9);
  }
}

package io.trident.bench.sweep;

import io.trident.BatchResult;
import io.trident.UpsertBatch;
import io.trident.VectorCollection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Upserts rows of a base set into a collection through {@link VectorCollection#upsertAll}, in
 * batches of {@code batchRows} with at most {@code windowBatches} batches unacknowledged. Row
 * {@code r} gets id {@code idBase + r}. Used by one thread; the acknowledgments arrive on the
 * node's completion threads.
 */
public final class SliceIngest {
  /** Longest wait for one free window slot (a stuck cluster fails the run, not hangs it). */
  private static final long SLOT_WAIT_SECONDS_MAX = 120;

  private final VectorCollection collection;
  private final float[][] base;
  private final int batchRows;
  private final Semaphore window;
  private final int windowBatches;
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private long batchesSent;

  public SliceIngest(VectorCollection collection, float[][] base, int batchRows,
      int windowBatches) {
    this.collection = collection;
    this.base = base;
    this.batchRows = batchRows;
    this.windowBatches = windowBatches;
    this.window = new Semaphore(windowBatches);
  }

  /**
   * Sends rows {@code first, first + stride, ...} below {@code base.length} (ids {@code idBase
   * + row}), while {@code keepGoing} holds; returns once every sent batch is acknowledged.
   */
  public long ingestRows(int first, int stride, long idBase, BooleanSupplier keepGoing)
      throws InterruptedException {
    long before = acknowledged.get();
    UpsertBatch batch = new UpsertBatch();
    for (int row = first; row < base.length && keepGoing.getAsBoolean(); row += stride) {
      batch.upsert(idBase + row, base[row], null);
      if (batch.size() == batchRows) {
        send(batch);
        batch = new UpsertBatch();
      }
    }
    if (batch.size() > 0) {
      send(batch);
    }
    drain();
    return acknowledged.get() - before;
  }

  /** Vectors acknowledged so far by this ingest. */
  public long acknowledged() {
    return acknowledged.get();
  }

  private void send(UpsertBatch batch) throws InterruptedException {
    if (!window.tryAcquire(SLOT_WAIT_SECONDS_MAX, TimeUnit.SECONDS)) {
      throw new IllegalStateException("no upsert batch acknowledged in "
          + SLOT_WAIT_SECONDS_MAX + " s");
    }
    throwIfFailed();
    int rows = batch.size();
    batchesSent++;
    CompletableFuture<BatchResult> sent = collection.upsertAll(batch);
    sent.whenComplete((result, error) -> {
      if (error != null) {
        failure.compareAndSet(null, error);
      } else {
        acknowledged.addAndGet(rows);
      }
      window.release();
    });
  }

  private void drain() throws InterruptedException {
    if (!window.tryAcquire(windowBatches, SLOT_WAIT_SECONDS_MAX, TimeUnit.SECONDS)) {
      throw new IllegalStateException("upsert batches unacknowledged after "
          + SLOT_WAIT_SECONDS_MAX + " s (" + batchesSent + " sent)");
    }
    window.release(windowBatches);
    throwIfFailed();
  }

  private void throwIfFailed() {
    Throwable error = failure.get();
    if (error != null) {
      throw new IllegalStateException("an upsert batch failed: " + error, error);
    }
  }
}

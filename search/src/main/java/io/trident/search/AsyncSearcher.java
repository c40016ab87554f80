package io.trident.search;

import io.trident.error.ClosedHandleException;
import io.trident.error.InvalidArgumentException;
import io.trident.error.OverloadedException;
import io.trident.nativelib.ThreadPlacement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Asynchronous search over one shared {@link VectorIndex}: {@link #searchAsync} queues the query
 * and returns at once; a fixed pool of worker threads (one per core by default) takes queued
 * queries in arrival order (FIFO), up to {@code batchQueriesMax} at a time, and runs them as one
 * native batch call per distinct (k, params). So 256 concurrent callers wait in one queue, each
 * served in turn, instead of 256 threads time-sliced by the OS (where a query preempted mid-way
 * waits for hundreds of others and the p99 explodes). Gathering pays most for flat indexes (one
 * pass over the base per batch); for HNSW and IVF it saves the per-call overhead.
 *
 * <p>Bounds: at most {@code queuedQueriesMax} queries wait. Beyond that, {@code searchAsync}
 * does not wait: the returned future fails at once with {@link OverloadedException} (back off and
 * retry), so memory and latency stay bounded however many callers there are.
 *
 * <p>Errors: bad arguments (null, wrong dimension, NaN/Inf, k outside 1..K_MAX) throw at once from
 * {@code searchAsync}, as a synchronous search would; failures of the search itself (the index
 * closed meanwhile, a zero vector on a cosine index) complete the future exceptionally, each
 * query with its own outcome. k larger than the index is not an error (fewer hits).
 *
 * <p>Thread rules: thread-safe. The query array is copied on submission. Futures are completed
 * on a worker thread: dependent stages added without an executor ({@code thenApply}, ...) run
 * there and hold up the queue, so give heavy follow-up work its own executor
 * ({@code thenApplyAsync(fn, executor)}). Does not own the index: close this searcher before the
 * index, or searches still queued fail with {@link ClosedHandleException}.
 *
 * <p>Placement: with a {@link ThreadPlacement} (e.g. {@code node:1} on a 2-socket host) each
 * worker places itself before its first search; the outcome is logged once per searcher. Search
 * memory is the index's: load or build the index on a thread with the same placement so its pages
 * sit on that node. Default: no placement.
 *
 * <p>{@link #close()}: refuses new searches, fails every query still queued with
 * {@link ClosedHandleException}, lets the batches already running finish, and returns once the
 * workers have stopped. No future is left incomplete. Idempotent.
 */
public final class AsyncSearcher implements AutoCloseable {
  /** Default bound on queued queries. */
  public static final int QUEUED_QUERIES_MAX_DEFAULT = 16_384;
  private static final long WORKER_STOP_WAIT_MILLIS = 60_000;

  private final VectorIndex index;
  private final int batchQueriesMax;
  private final BlockingQueue<Pending> queue;
  private final List<Thread> workers;
  private final ThreadPlacement workerPlacement;
  private volatile boolean closed;

  /**
   * One worker per available processor; batches of up to 64 queries on flat indexes, 16
   * otherwise; at most {@link #QUEUED_QUERIES_MAX_DEFAULT} queued.
   */
  public AsyncSearcher(VectorIndex index) {
    this(index, ThreadPlacement.NONE);
  }

  /** The defaults above, each worker placed with {@code workerPlacement} before it searches. */
  public AsyncSearcher(VectorIndex index, ThreadPlacement workerPlacement) {
    this(index, Runtime.getRuntime().availableProcessors(),
        Objects.requireNonNull(index, "index").spec().isFlat() ? 64 : 16,
        QUEUED_QUERIES_MAX_DEFAULT, workerPlacement);
  }

  public AsyncSearcher(VectorIndex index, int workerCount, int batchQueriesMax, int queuedQueriesMax) {
    this(index, workerCount, batchQueriesMax, queuedQueriesMax, ThreadPlacement.NONE);
  }

  /** As above, each worker thread placed with {@code workerPlacement} before it searches. */
  public AsyncSearcher(VectorIndex index, int workerCount, int batchQueriesMax,
      int queuedQueriesMax, ThreadPlacement workerPlacement) {
    this.workerPlacement = Objects.requireNonNull(workerPlacement, "workerPlacement");
    this.index = Objects.requireNonNull(index, "index");
    if (workerCount < 1 || workerCount > 1024 || batchQueriesMax < 1 || queuedQueriesMax < 1) {
      throw new InvalidArgumentException("workerCount must be in 1..1024, batchQueriesMax and"
          + " queuedQueriesMax positive; got " + workerCount + ", " + batchQueriesMax + ", "
          + queuedQueriesMax);
    }
    this.batchQueriesMax = batchQueriesMax;
    this.queue = new ArrayBlockingQueue<>(queuedQueriesMax);
    this.workers = new ArrayList<>(workerCount);
    for (int i = 0; i < workerCount; i++) {
      Thread worker = new Thread(this::work, "trident-search-" + i);
      worker.setDaemon(true);
      workers.add(worker);
    }
    workers.forEach(Thread::start);
  }

  public VectorIndex index() {
    return index;
  }

  /** Queries waiting for a worker now. */
  public int queuedQueries() {
    return queue.size();
  }

  public CompletableFuture<SearchResult> searchAsync(float[] query, int k) {
    return searchAsync(query, k, SearchParams.defaults());
  }

  /**
   * Queues one k-NN search; the future completes with its hits, best first (fewer than k when
   * fewer match). Throws at once for bad arguments and for a closed searcher; returns a future
   * already failed with {@link OverloadedException} when the queue is full.
   */
  public CompletableFuture<SearchResult> searchAsync(float[] query, int k, SearchParams params) {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(params, "params");
    VectorChecks.requireK(k);
    VectorChecks.requireDimension(index.dimension(), query.length, "query");
    VectorChecks.requireFinite(query, 0, query.length, query.length, "query");
    if (closed) {
      throw closedException();
    }
    Pending pending = new Pending(query.clone(), k, params);
    if (!queue.offer(pending)) {
      pending.complete(null, new OverloadedException("search queue is full ("
          + (queue.size() + queue.remainingCapacity()) + " queries waiting); back off and retry"));
      return pending.future;
    }
    if (closed) { // close() may have drained the queue before our offer: fail what it missed
      failQueued();
    }
    return pending.future;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    failQueued();
    workers.forEach(Thread::interrupt); // wakes idle workers; a running batch finishes first
    long deadline = System.currentTimeMillis() + WORKER_STOP_WAIT_MILLIS;
    boolean interrupted = false;
    for (Thread worker : workers) {
      if (worker == Thread.currentThread()) {
        continue; // closed from a dependent stage on a worker: it stops when that returns
      }
      while (worker.isAlive() && System.currentTimeMillis() < deadline) {
        try {
          worker.join(Math.max(1, deadline - System.currentTimeMillis()));
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    failQueued();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  public boolean isClosed() {
    return closed;
  }

  private void work() {
    ThreadPlacement.Outcome placed = workerPlacement.applyToCurrentThreadOnce();
    if (placed != null && workers.get(0) == Thread.currentThread()) {
      System.getLogger(AsyncSearcher.class.getName()).log(System.Logger.Level.INFO,
          "search workers: " + placed.description());
    }
    List<Pending> batch = new ArrayList<>(batchQueriesMax);
    while (!closed) {
      try {
        Pending first = queue.poll(1, TimeUnit.SECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
      } catch (InterruptedException e) {
        continue; // close() interrupts; the loop condition decides
      }
      queue.drainTo(batch, batchQueriesMax - 1);
      try {
        GatheredQueries.run(index, batch);
      } catch (RuntimeException | Error unexpected) { // never lose a worker or a future
        batch.forEach(p -> p.complete(null, unexpected));
      }
      batch.clear();
    }
  }

  private void failQueued() {
    Pending pending;
    while ((pending = queue.poll()) != null) {
      pending.complete(null, closedException());
    }
  }

  private static ClosedHandleException closedException() {
    return new ClosedHandleException("async searcher is closed; searches still queued were not run");
  }

  /** A queued query and its caller's future. */
  private static final class Pending extends GatheredQueries.Query {
    final CompletableFuture<SearchResult> future = new CompletableFuture<>();

    Pending(float[] vector, int k, SearchParams params) {
      super(vector, k, params);
    }

    @Override
    void complete(SearchResult result, Throwable failure) {
      if (failure != null) {
        future.completeExceptionally(failure);
      } else {
        future.complete(result);
      }
    }
  }
}

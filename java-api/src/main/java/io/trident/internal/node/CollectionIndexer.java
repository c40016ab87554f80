package io.trident.internal.node;

import io.trident.internal.collection.CollectionIndex;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import io.trident.nativelib.ThreadPlacement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings this member's native collection indexes up to date with what the state machine applied,
 * on its own thread, so that applying (and so acknowledging) writes never waits for graph
 * inserts. The state machine hands over one {@link Task} per committed write call, in apply
 * order; the indexer applies each to its collections' indexes, closes the indexes of dropped
 * collections, then advances the {@link IndexWatermark} to the task's applied index.
 *
 * <p>Bounds: at most {@value #QUEUED_BYTES_MAX} bytes of records wait; beyond that {@link
 * #submit} blocks the state machine until the indexer catches up (back-pressure, as a full
 * memtable does), so the index lag stays bounded.
 *
 * <p>CPU share: while writes keep arriving (a task with work was handed over within {@value
 * #WRITES_QUIET_MILLIS} ms) and other processes keep the host's cores busy ({@link HostLoad}),
 * the indexer works in slices of at most {@value #SLICE_CHANGES} changes and pauses after each
 * for long enough to use at most {@code cpuPercentWhileWriting} of a core: on a small host
 * shared by several members, the replicas' graph inserts otherwise take the cores the ack path
 * (log append, replication, apply, GC) needs. A member alone on its host or in its group (no
 * replica to starve) indexes on one thread without pauses meanwhile (its ack path keeps the
 * other cores). It never pauses inside an index
 * lock (the native index is free for searches meanwhile), and runs flat out once writes stop.
 *
 * <p>Catch-up: consecutive queued tasks that only change indexes are applied together (each
 * collection's changes in one {@link CollectionIndex#apply}, in order, at most {@value
 * #MERGED_CHANGES_MAX} changes), then the watermark advances to the last of them; the result is
 * the one task-by-task applies give. Once writes stop, a large apply to a graph index adds on
 * every core unless other processes keep them busy ({@link SpareCores}).
 *
 * <p>Threads: {@link #submit} and {@link #awaitIdle} from the state-machine thread (or while it is
 * stopped); one indexer thread; {@link #close} once.
 */
final class CollectionIndexer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CollectionIndexer.class);
  static final long QUEUED_BYTES_MAX = 64L << 20;
  private static final long WAIT_SLICE_MILLIS = 100;
  /** Writes are "arriving" while the last task with work came at most this long ago. */
  static final long WRITES_QUIET_MILLIS = 200;
  /** Most changes applied to an index between two pauses while writes arrive. */
  static final int SLICE_CHANGES = 256;
  /** Longest single pause; a pause also ends when writes stop or the indexer closes. */
  private static final long PAUSE_NANOS_MAX = TimeUnit.MILLISECONDS.toNanos(250);
  private static final long PAUSE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  /**
   * Most changes applied together from several queued tasks: bounds how long the first task's
   * watermark waits for the others (about 1 s of HNSW32 inserts on one core).
   */
  static final int MERGED_CHANGES_MAX = 8192;
  /**
   * Fewest changes of one apply that may add on several threads: a multi-threaded add recopies
   * the graph's search layout, which pays only for batches about this large.
   */
  static final int PARALLEL_CHANGES_MIN = 1024;
  /** {@link CollectionIndex#apply(List, int)}'s thread count meaning every core. */
  private static final int EVERY_CORE = 0;

  /**
   * One write call's changes: {@link Work} items in apply order, then the index they reach; or
   * (work empty) an {@link Action} to run once everything applied before it is indexed.
   */
  record Task(long appliedIndex, List<Work> work, long bytes, Action action) {}

  /**
   * Work that needs the indexes exactly at an applied index (a snapshot's index save); runs on
   * the indexer thread after every earlier task, while later tasks wait.
   */
  interface Action {
    void run();

    /** The indexer closed before running it. */
    void abandon();
  }

  /**
   * Changes for one collection's index; or (quantizer set) its trained quantizer to install; or
   * (both null) its closing after a drop.
   */
  record Work(CollectionIndex index, List<CollectionIndex.Change> changes, byte[] quantizer) {}

  /** What other processes do with the host's cores (asked on the indexer thread). */
  interface HostLoad {
    /**
     * True while other processes (other members on the same host, neighbours) keep the cores
     * busy: indexing then keeps to its CPU share while writes arrive, and adds on one thread.
     */
    boolean othersBusy();
  }

  /** Told after each change applied to an index (indexer thread): starts training if due. */
  interface AfterChanges {
    void indexed(CollectionIndex index);
  }

  private final IndexWatermark watermark;
  private final int cpuPercentWhileWriting;
  private final HostLoad hostLoad;
  /** {@link System#nanoTime()} of the last task with work handed over. */
  private volatile long lastWorkNanos;
  private volatile AfterChanges afterChanges = index -> { };
  private final ArrayDeque<Task> queue = new ArrayDeque<>();
  private final Thread thread;
  private long queuedBytes;
  private int pendingTasks;
  private volatile boolean closed;
  private volatile long submittedIndex;
  /** Tasks applied together with at least one other (indexer thread writes). */
  private volatile long mergedTasks;

  CollectionIndexer(String name, IndexWatermark watermark) {
    this(name, watermark, ThreadPlacement.NONE, 100);
  }

  /**
   * As above, the indexer thread placed with {@code placement} first: it adds every vector, so
   * with a node placement the index memory it allocates comes from that node. While writes
   * arrive it uses at most {@code cpuPercentWhileWriting} (1..100) of a core.
   */
  CollectionIndexer(String name, IndexWatermark watermark, ThreadPlacement placement,
      int cpuPercentWhileWriting) {
    this(name, watermark, placement, cpuPercentWhileWriting, new SpareCores());
  }

  /** As above, with {@code hostLoad} telling whether the rest of the host is busy. */
  CollectionIndexer(String name, IndexWatermark watermark, ThreadPlacement placement,
      int cpuPercentWhileWriting, HostLoad hostLoad) {
    if (cpuPercentWhileWriting < 1 || cpuPercentWhileWriting > 100) {
      throw new IllegalArgumentException("cpuPercentWhileWriting must be 1..100, was "
          + cpuPercentWhileWriting);
    }
    this.watermark = watermark;
    this.cpuPercentWhileWriting = cpuPercentWhileWriting;
    this.hostLoad = hostLoad;
    this.lastWorkNanos = System.nanoTime() - TimeUnit.HOURS.toNanos(1);
    this.thread = new Thread(() -> {
      ThreadPlacement.Outcome placed = placement.applyToCurrentThreadOnce();
      if (placed != null) {
        LOG.info("collection indexer: {}", placed.description());
      }
      run();
    }, name);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Hands over the changes committed through {@code task.appliedIndex()}; waits while the queue
   * is full. A task without work advances the watermark at once when nothing is pending.
   */
  void submit(Task task) {
    if (!task.work().isEmpty()) {
      lastWorkNanos = System.nanoTime();
    }
    synchronized (this) {
      submittedIndex = task.appliedIndex();
      if (closed) {
        return;
      }
      if (task.work().isEmpty() && task.action() == null && pendingTasks == 0) {
        watermark.advance(task.appliedIndex());
        return;
      }
      boolean interrupted = false;
      while (queuedBytes > 0 && queuedBytes + task.bytes() > QUEUED_BYTES_MAX && !closed) {
        try {
          wait(WAIT_SLICE_MILLIS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      queue.add(task);
      queuedBytes += task.bytes();
      pendingTasks++;
      notifyAll();
    }
  }

  /** Sets the hook told after changes (once, when the node has its batcher). */
  void afterChanges(AfterChanges hook) {
    afterChanges = hook;
  }

  /**
   * Tells the {@link AfterChanges} hook about each of {@code indexes} on the indexer thread, after
   * the work queued so far (a new leader checks for collections due for training).
   */
  void recheck(long appliedIndex, List<CollectionIndex> indexes) {
    submitAction(appliedIndex, new Action() {
      @Override
      public void run() {
        indexes.forEach(index -> afterChanges.indexed(index));
      }

      @Override
      public void abandon() {}
    });
  }

  /** Runs {@code action} once every task handed over before it is done. */
  void submitAction(long appliedIndex, Action action) {
    synchronized (this) {
      if (closed) {
        action.abandon();
        return;
      }
      queue.add(new Task(appliedIndex, List.of(), 0, action));
      pendingTasks++;
      notifyAll();
    }
  }

  /** The applied index of the last task handed over (what a linearizable search waits for). */
  long submittedIndex() {
    return submittedIndex;
  }

  /** Tasks applied together with others so far (a counter for tests and statistics). */
  long mergedTasks() {
    return mergedTasks;
  }

  /** Waits until every task handed over is done (or the indexer is closed). */
  synchronized void awaitIdle() {
    boolean interrupted = false;
    long lastReport = System.nanoTime();
    while (pendingTasks > 0 && !closed) {
      try {
        wait(WAIT_SLICE_MILLIS);
      } catch (InterruptedException e) {
        interrupted = true;
      }
      if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(10)) {
        LOG.info("waiting for the collection indexer: {} tasks, {} bytes pending", pendingTasks,
            queuedBytes);
        lastReport = System.nanoTime();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    while (true) {
      List<Task> tasks;
      synchronized (this) {
        while (queue.isEmpty() && !closed) {
          try {
            wait();
          } catch (InterruptedException e) {
            // closing: the loop re-checks
          }
        }
        if (closed) {
          return;
        }
        tasks = pollMergeable();
      }
      Task last = tasks.get(tasks.size() - 1);
      try {
        if (tasks.size() == 1) {
          runTask(last);
        } else {
          mergedTasks += tasks.size();
          merge(tasks).forEach(this::indexChanges);
        }
      } catch (RuntimeException | Error e) { // an index keeps its own failures; never stall
        LOG.error("collection indexer: task at index {} failed: {}", last.appliedIndex(), e, e);
      }
      watermark.advance(last.appliedIndex());
      synchronized (this) {
        for (Task task : tasks) {
          queuedBytes -= task.bytes();
        }
        pendingTasks -= tasks.size();
        notifyAll();
      }
    }
  }

  private void runTask(Task task) {
    if (task.action() != null) {
      task.action().run();
    }
    for (Work work : task.work()) {
      if (work.quantizer() != null) {
        work.index().installTrained(work.quantizer());
      } else if (work.changes() == null) {
        work.index().close();
      } else {
        indexChanges(work);
      }
    }
  }

  private void indexChanges(Work work) {
    applyInSlices(work);
    afterChanges.indexed(work.index());
  }

  /**
   * The next task, with the queued tasks after it while all only change indexes and together
   * hold at most {@value #MERGED_CHANGES_MAX} changes (the first task is taken whatever its
   * size). Called holding this monitor with the queue not empty.
   */
  private List<Task> pollMergeable() {
    Task first = queue.poll();
    if (!onlyChanges(first)) {
      return List.of(first);
    }
    List<Task> tasks = new ArrayList<>();
    tasks.add(first);
    long changes = changeCount(first);
    for (Task next = queue.peek(); next != null && onlyChanges(next)
        && changes + changeCount(next) <= MERGED_CHANGES_MAX; next = queue.peek()) {
      tasks.add(queue.poll());
      changes += changeCount(next);
    }
    return tasks;
  }

  private static boolean onlyChanges(Task task) {
    return task.action() == null && task.work().stream().allMatch(work -> work.changes() != null);
  }

  private static long changeCount(Task task) {
    long count = 0;
    for (Work work : task.work()) {
      count += work.changes().size();
    }
    return count;
  }

  /**
   * One work item per collection holding its changes from {@code tasks} in task order (changes
   * of different collections are independent, so their relative order does not matter).
   */
  static List<Work> merge(List<Task> tasks) {
    Map<CollectionIndex, List<CollectionIndex.Change>> byIndex = new IdentityHashMap<>();
    List<Work> merged = new ArrayList<>();
    for (Task task : tasks) {
      for (Work work : task.work()) {
        List<CollectionIndex.Change> changes = byIndex.get(work.index());
        if (changes == null) {
          changes = new ArrayList<>();
          byIndex.put(work.index(), changes);
          merged.add(new Work(work.index(), changes, null));
        }
        changes.addAll(work.changes());
      }
    }
    return merged;
  }

  /**
   * Applies {@code work}'s changes in order; while writes arrive, in slices with a pause after
   * each (see the class comment). Slices in order give the same index as one call.
   */
  private void applyInSlices(Work work) {
    List<CollectionIndex.Change> changes = work.changes();
    if (!writesArriving()) {
      boolean wide = changes.size() >= PARALLEL_CHANGES_MIN && !hostLoad.othersBusy();
      work.index().apply(changes, wide ? EVERY_CORE : 1);
      return;
    }
    if (cpuPercentWhileWriting >= 100 || !hostLoad.othersBusy()) {
      work.index().apply(changes);
      return;
    }
    for (int from = 0; from < changes.size(); from += SLICE_CHANGES) {
      long start = System.nanoTime();
      work.index().apply(changes.subList(from, Math.min(changes.size(), from + SLICE_CHANGES)));
      pauseWhileWritesArrive(System.nanoTime() - start);
    }
  }

  private boolean writesArriving() {
    return System.nanoTime() - lastWorkNanos < TimeUnit.MILLISECONDS.toNanos(WRITES_QUIET_MILLIS);
  }

  /** After {@code workedNanos} of indexing: idles so that indexing keeps to its CPU share. */
  private void pauseWhileWritesArrive(long workedNanos) {
    long pauseNanos = Math.min(PAUSE_NANOS_MAX,
        workedNanos * (100 - cpuPercentWhileWriting) / cpuPercentWhileWriting);
    long end = System.nanoTime() + pauseNanos;
    for (long left = pauseNanos; left > 0 && writesArriving() && !closed;
        left = end - System.nanoTime()) {
      LockSupport.parkNanos(this, Math.min(left, PAUSE_CHECK_NANOS));
    }
  }

  /** Stops the thread after the task in progress; queued tasks are dropped (state is durable). */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      queue.forEach(task -> {
        if (task.action() != null) {
          task.action().abandon();
        }
      });
      queue.clear();
      notifyAll();
    }
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Groups consecutive changes of one collection into one {@link Work} item. */
  static final class TaskBuilder {
    private final List<Work> work = new ArrayList<>();
    private CollectionIndex current;
    private List<CollectionIndex.Change> changes;

    void change(CollectionIndex index, long id, byte[] record) {
      if (index != current || changes == null) {
        current = index;
        changes = new ArrayList<>();
        work.add(new Work(index, changes, null));
      }
      changes.add(new CollectionIndex.Change(id, record));
    }

    void train(CollectionIndex index, byte[] quantizer) {
      work.add(new Work(index, null, quantizer));
      current = null;
      changes = null;
    }

    void close(CollectionIndex index) {
      work.add(new Work(index, null, null));
      current = null;
      changes = null;
    }

    Task build(long appliedIndex, long bytes) {
      return new Task(appliedIndex, work, bytes, null);
    }
  }
}

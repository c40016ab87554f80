package io.trident.bench.searchtool;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress of an index build, printed to stderr every {@link #REPORT_INTERVAL_MILLIS} by a
 * daemon thread while the build runs. Builders call {@link #advance} from any thread.
 */
public final class BuildProgress implements AutoCloseable {
  static final long REPORT_INTERVAL_MILLIS = 2000;

  private final String label;
  private final long total;
  private final AtomicLong done = new AtomicLong();
  private final long startNanos = System.nanoTime();
  private final Thread reporter;
  private volatile boolean finished;

  private BuildProgress(String label, long total, boolean report) {
    this.label = label;
    this.total = total;
    this.reporter = new Thread(this::reportLoop, "build-progress");
    reporter.setDaemon(true);
    if (report) {
      System.err.printf("[bench] building %s: %d vectors%n", label, total);
      reporter.start();
    }
  }

  /** Starts reporting progress of building {@code total} vectors for {@code label}. */
  public static BuildProgress start(String label, long total) {
    return new BuildProgress(label, total, true);
  }

  /** A progress that prints nothing (tests, child processes that report elsewhere). */
  public static BuildProgress silent(long total) {
    return new BuildProgress("", total, false);
  }

  /** Records {@code count} more vectors indexed. Thread-safe. */
  public void advance(long count) {
    done.addAndGet(count);
  }

  public long done() {
    return done.get();
  }

  /** Seconds since this progress started. */
  public double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** Stops reporting and prints the total build time once. Idempotent. */
  @Override
  public void close() {
    if (finished) {
      return;
    }
    finished = true;
    reporter.interrupt();
    if (reporter.isAlive() || !label.isEmpty()) {
      System.err.printf("[bench] built %s in %.1f s%n", label, elapsedSeconds());
    }
  }

  private void reportLoop() {
    while (!finished) {
      try {
        Thread.sleep(REPORT_INTERVAL_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      if (!finished) {
        long current = done.get();
        System.err.printf("[bench]   %s: %d/%d (%.0f%%) %.1f s%n", label, current, total,
            100.0 * current / Math.max(1, total), elapsedSeconds());
      }
    }
  }
}

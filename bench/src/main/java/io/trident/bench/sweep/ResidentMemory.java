package io.trident.bench.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's resident set size from {@code /proc/self/status} (Linux), and a sampler that
 * keeps the largest value seen while it runs (every {@value #SAMPLE_MILLIS} ms).
 */
final class ResidentMemory implements AutoCloseable {
  private static final long SAMPLE_MILLIS = 20;
  private static final Path STATUS = Path.of("/proc/self/status");

  private final Thread sampler;
  private volatile boolean running = true;
  private volatile long peakKibibytes;

  private ResidentMemory() {
    peakKibibytes = currentKibibytes();
    sampler = new Thread(() -> {
      while (running) {
        peakKibibytes = Math.max(peakKibibytes, currentKibibytes());
        try {
          Thread.sleep(SAMPLE_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "rss-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  /** Starts sampling; {@link #close} stops it and {@link #peakKibibytes} is then final. */
  static ResidentMemory sample() {
    return new ResidentMemory();
  }

  long peakKibibytes() {
    return peakKibibytes;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    sampler.interrupt();
    sampler.join(1000);
    peakKibibytes = Math.max(peakKibibytes, currentKibibytes());
  }

  /** VmRSS in KiB, or 0 where /proc is missing. */
  static long currentKibibytes() {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }
}

package io.trident.bench.cli;

import io.trident.nativelib.CpuTopology;
import io.trident.nativelib.ThreadPlacement;
import io.trident.nativelib.TridentNative;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * Where a benchmark ran, recorded with its results: the process placement {@code
 * scripts/numa-run.sh} applied (its numactl arguments, from {@code TRIDENT_PLACEMENT}), the thread
 * placement the tool's {@code --placement} option asked for, the CPUs and memory policy the main
 * thread has, and the host's topology and kernel variant. Printed and written to
 * {@code DIR/placement.txt}.
 */
public final class BenchPlacement {
  /** Set by scripts/numa-run.sh to the numactl arguments it ran the command under. */
  public static final String PROCESS_PLACEMENT_ENV = "TRIDENT_PLACEMENT";
  public static final String FILE_NAME = "placement.txt";

  private BenchPlacement() {}

  /** {@code --placement none|cpus:LIST|node:N} (default none). */
  public static ThreadPlacement option(Arguments arguments) {
    String text = arguments.string("placement", "none");
    try {
      return ThreadPlacement.parse(text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--placement: " + e.getMessage(), e);
    }
  }

  /**
   * One line, e.g. {@code placement: process=numactl --physcpubind=1 threads=cpus:1
   * main_thread=cpus=1 mempolicy=default host: Trident native: kernels=avx512 ...}.
   */
  public static String describe(ThreadPlacement threads) {
    String process = System.getenv(PROCESS_PLACEMENT_ENV);
    return "placement: process=" + (process == null || process.isBlank() ? "none" : process)
        + " threads=" + threads + " main_thread=" + ThreadPlacement.describeCurrentThread()
        + " host: " + TridentNative.describe();
  }

  /** Prints {@link #describe} and writes it to {@code out/placement.txt}; returns the line. */
  public static String record(ThreadPlacement threads, Path out) {
    String line = describe(threads);
    System.out.println(line);
    try {
      Files.createDirectories(out);
      Files.writeString(out.resolve(FILE_NAME), line + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out.resolve(FILE_NAME), e);
    }
    return line;
  }

  /**
   * Runs {@code work} on a fresh thread placed with {@code placement} and returns its result: an
   * index built there takes its memory from the placement's node, and the calling thread (whose
   * affinity later threads inherit) stays unplaced.
   */
  public static <T> T callPlaced(ThreadPlacement placement, Callable<T> work) throws Exception {
    if (placement.isNone()) {
      return work.call();
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      System.out.println("placed build: "
          + placement.applyToCurrentThread(CpuTopology.current()).description());
      try {
        result.complete(work.call());
      } catch (Throwable failure) {
        result.completeExceptionally(failure);
      }
    }, "bench-placed");
    thread.start();
    try {
      return result.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }
}

package io.trident.bench.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The closed-loop driver against {@link InMemoryKvSystem}: concurrency, counts and bounds. */
class ClosedLoopDriverTest {
  private static DriverSettings settings(Workload workload, int inflight, long operationsMax,
      double drainSecondsMax) {
    return new DriverSettings(workload, inflight, 100, 1000, 7, 0.1, 0.4, operationsMax,
        drainSecondsMax);
  }

  @Test
  void keepsExactlyInflightOperationsOutstanding() throws Exception {
    for (int inflight : new int[] {1, 16, 64}) {
      try (InMemoryKvSystem system = new InMemoryKvSystem(200, 0, false)) {
        ClosedLoopDriver driver = new ClosedLoopDriver(system,
            settings(Workload.PUT, inflight, DriverSettings.OPERATIONS_MAX_DEFAULT, 5));
        ClusterResult result = driver.run();
        assertEquals(inflight, system.outstandingMax.get(), "most outstanding in the system");
        assertEquals(inflight, driver.outstandingMax(), "most outstanding in the driver");
        assertTrue(result.operations() > 0, "no operations measured at " + inflight);
        assertEquals(0, result.errors());
        assertEquals(0, system.gets.get(), "put workload issued gets");
        assertTrue(result.operations() <= system.puts.get());
        assertEquals(system.puts.get(), driver.startedCount(), "started = issued to the system");
        assertTrue(result.p99Ms() >= result.p50Ms() && result.p50Ms() > 0);
        assertTrue(result.entriesPerSecond() > 0);
      }
    }
  }

  /**
   * High enough that a quiet machine does not reach it in the 0.1 s warmup (synchronous
   * completions run millions of operations a second), which would leave nothing measured.
   */
  private static final long OPERATIONS_MAX = 5_000_000;

  @Test
  void synchronousCompletionsStayBoundedAndSpreadOverNodes() throws Exception {
    try (InMemoryKvSystem system = new InMemoryKvSystem(0, 0, false)) {
      ClusterResult result = new ClosedLoopDriver(system,
          settings(Workload.MIX90, 4, OPERATIONS_MAX, 5)).run();
      long total = system.puts.get() + system.gets.get();
      assertTrue(total <= OPERATIONS_MAX, "operationsMax exceeded: " + total);
      assertTrue(result.operations() > 0);
      double getShare = system.gets.get() / (double) total;
      // A timed run: on a loaded machine it may issue only a few hundred operations, so the
      // bound is five binomial standard deviations around 0.1 (at least 0.05).
      double tolerance = Math.max(0.05, 5 * Math.sqrt(0.1 * 0.9 / total));
      assertTrue(Math.abs(getShare - 0.1) < tolerance,
          "mix90 get share " + getShare + " of " + total + " operations");
      for (var node : system.perNode) {
        assertTrue(node.get() > total / 4, "operations not spread over the nodes");
      }
    }
  }

  @Test
  void operationsMaxBoundsTheRun() throws Exception {
    try (InMemoryKvSystem system = new InMemoryKvSystem(50, 0, false)) {
      new ClosedLoopDriver(system, settings(Workload.PUT, 8, 1_000, 5)).run();
      assertEquals(1_000, system.puts.get());
    }
  }

  @Test
  void countsFailedOperationsAsErrors() throws Exception {
    try (InMemoryKvSystem system = new InMemoryKvSystem(100, 10, false)) {
      ClusterResult result = new ClosedLoopDriver(system,
          settings(Workload.PUT, 16, DriverSettings.OPERATIONS_MAX_DEFAULT, 5)).run();
      double errorShare = result.errors() / (double) (result.errors() + result.operations());
      assertTrue(errorShare > 0.05 && errorShare < 0.15, "error share " + errorShare);
    }
  }

  @Test
  void operationsThatNeverCompleteAreErrorsAfterTheDrainTimeout() throws Exception {
    try (InMemoryKvSystem system = new InMemoryKvSystem(0, 0, true)) {
      long startNanos = System.nanoTime();
      ClusterResult result = new ClosedLoopDriver(system,
          settings(Workload.PUT, 5, DriverSettings.OPERATIONS_MAX_DEFAULT, 0.2)).run();
      assertEquals(5, system.puts.get());
      assertEquals(5, result.errors());
      assertEquals(0, result.operations());
      assertTrue(System.nanoTime() - startNanos < 10_000_000_000L, "run not bounded");
    }
  }

  @Test
  void keysAreTheKeyNumberInTenDecimalDigits() {
    assertEquals("k0000000042", new String(ClosedLoopDriver.key(42),
        java.nio.charset.StandardCharsets.US_ASCII));
    assertEquals("k2147483647", new String(ClosedLoopDriver.key(Integer.MAX_VALUE),
        java.nio.charset.StandardCharsets.US_ASCII));
  }
}

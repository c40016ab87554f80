package io.trident.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The recorder's contract: what it keeps, when it refuses, and that it is thread-safe. */
class HistoryTest {
  @Test
  void recordsArgumentsResultsAndOutcomes() {
    History history = History.withClock(() -> 100); // a stuck clock: still strictly increasing
    history.invokeCas(7, "k", null, "b").ok(true);
    history.invokeGet(8, "k").ok("b");
    history.invokePut(9, "k", "c").info();
    history.invokeDelete(9, "k").fail();
    history.invokeGet(9, "k");
    List<Operation> operations = history.operations();

    Operation cas = operations.get(0);
    assertEquals(7, cas.processId());
    assertNull(cas.expected());
    assertEquals("b", cas.value());
    assertTrue(cas.resultFlag());
    assertEquals("b", operations.get(1).resultValue());
    assertEquals(Operation.Outcome.INFO, operations.get(2).outcome());
    assertEquals(Operation.Outcome.FAIL, operations.get(3).outcome());
    assertEquals(Operation.Outcome.PENDING, operations.get(4).outcome());
    assertEquals(Long.MAX_VALUE, operations.get(4).completeNanos());
    assertTrue(operations.get(4).isIndeterminate());
    assertEquals(100, cas.invokeNanos());
    assertEquals(101, cas.completeNanos());
    assertEquals(102, operations.get(1).invokeNanos());
    assertTrue(history.describe().contains("#0 p7 CAS(absent -> \"b\") -> true"),
        history::describe);
  }

  @Test
  void refusesMisuse() {
    History history = new History();
    assertThrows(IllegalArgumentException.class, () -> history.invokePut(1, "k", null));
    assertThrows(IllegalArgumentException.class, () -> history.invoke(1, "k", OpType.CAS, "a"));
    assertThrows(IllegalArgumentException.class, () -> history.invoke(1, "k", OpType.GET, "a"));
    OperationHandle get = history.invokeGet(1, "k");
    assertThrows(IllegalArgumentException.class, () -> get.ok(true));
    assertThrows(IllegalArgumentException.class, get::ok);
    get.ok("v");
    assertThrows(IllegalStateException.class, get::info);
    assertEquals("v", history.operations().get(0).resultValue());
    assertEquals(Operation.Outcome.OK, history.operations().get(0).outcome());

    History small = new History(System::nanoTime, 1);
    small.invokeGet(1, "k");
    assertThrows(IllegalStateException.class, () -> small.invokeGet(1, "k"));
  }

  @Test
  void bytesMapToDistinctTextsLosslessly() {
    assertNull(History.text(null));
    assertEquals(History.text(new byte[] {(byte) 0xff, 0}), History.text(new byte[] {-1, 0}));
    assertFalse(History.text(new byte[] {1}).equals(History.text(new byte[] {1, 0})));
  }

  @Test
  void recordsFromManyThreadsWithDistinctOrderedTimes() throws Exception {
    History history = new History();
    int threads = 8;
    int perThread = 2_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      Future<?>[] done = new Future<?>[threads];
      for (int t = 0; t < threads; t++) {
        int process = t;
        done[t] = pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            history.invokePut(process, "k" + (i % 5), "v" + process + "-" + i).ok();
          }
          return null;
        });
      }
      start.countDown();
      for (Future<?> future : done) {
        future.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    List<Operation> operations = history.operations();
    assertEquals(threads * perThread, operations.size());
    Set<Long> times = new HashSet<>();
    for (int i = 0; i < operations.size(); i++) {
      Operation operation = operations.get(i);
      assertEquals(i, operation.id());
      assertTrue(operation.invokeNanos() < operation.completeNanos());
      assertTrue(times.add(operation.invokeNanos()) && times.add(operation.completeNanos()));
      if (i > 0) {
        assertTrue(operations.get(i - 1).invokeNanos() < operation.invokeNanos());
      }
    }
    assertTrue(LinearizabilityChecker.check(history).isLinearizable());
  }
}

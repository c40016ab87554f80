package io.trident.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.testing.LinearizabilityChecker.Limits;
import io.trident.testing.LinearizabilityChecker.Result;
import io.trident.testing.LinearizabilityChecker.Verdict;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Small histories whose verdict is known by hand, then large simulated ones. In the small ones
 * the clock is a counter, so the order of the calls below is the timeline: an op whose handle is
 * completed before another is invoked precedes it in real time.
 */
class LinearizabilityCheckerTest {
  private static final String SEED_PROPERTY = "trident.lin.seed";

  private final History history = History.withClock(new AtomicLong()::incrementAndGet);

  // ---- linearizable ----

  @Test
  void emptyHistoryIsLinearizable() {
    assertLinearizable(LinearizabilityChecker.check(history));
  }

  @Test
  void sequentialHistoryIsLinearizable() {
    history.invokeGet(1, "k").ok((String) null);
    history.invokePut(1, "k", "a").ok();
    history.invokeGet(1, "k").ok("a");
    history.invokeCas(1, "k", "a", "b").ok(true);
    history.invokeCas(1, "k", "a", "c").ok(false);
    history.invokeDelete(1, "k").ok(true);
    history.invokeDelete(1, "k").ok(false);
    history.invokeCas(1, "k", null, "d").ok(true);
    history.invokeCas(1, "k", "d", null).ok(true);
    history.invokeGet(1, "k").ok((String) null);
    assertLinearizable(LinearizabilityChecker.check(history));
  }

  @Test
  void readsOverlappingAWriteMaySeeEitherValue() {
    history.invokePut(1, "k", "a").ok();
    OperationHandle write = history.invokePut(1, "k", "b");
    OperationHandle seesNew = history.invokeGet(2, "k");
    OperationHandle seesOld = history.invokeGet(3, "k");
    seesNew.ok("b");
    seesOld.ok("a"); // invoked before the first read completed: may still be ordered before it
    write.ok();
    history.invokeGet(2, "k").ok("b");
    assertLinearizable(LinearizabilityChecker.check(history));
  }

  @Test
  void concurrentCasRaceHasOneWinner() {
    OperationHandle first = history.invokeCas(1, "k", null, "x");
    OperationHandle second = history.invokeCas(2, "k", null, "y");
    OperationHandle read = history.invokeGet(3, "k");
    second.ok(true);
    first.ok(false);
    read.ok((String) null); // before either swap
    history.invokeGet(3, "k").ok("y");
    assertLinearizable(LinearizabilityChecker.check(history));
  }

  @Test
  void indeterminatePutThatTookEffectIsLinearizable() {
    history.invokePut(1, "k", "a").ok();
    history.invokePut(2, "k", "b").info();
    history.invokeGet(3, "k").ok("b");
    history.invokeGet(3, "k").ok("b");
    assertLinearizable(LinearizabilityChecker.check(history));
  }

  @Test
  void indeterminatePutThatNeverTookEffectIsLinearizable() {
    history.invokePut(1, "k", "a").ok();
    history.invokePut(2, "k", "b").info();
    history.invokeGet(3, "k").ok("a");
    history.invokeGet(3, "k").ok("a");
    assertLinearizable(LinearizabilityChecker.check(history));
  }

  @Test
  void indeterminatePutMayTakeEffectLongAfterTheClientGaveUp() {
    history.invokePut(1, "k", "a").ok();
    history.invokePut(2, "k", "b").info();
    history.invokeGet(3, "k").ok("a");
    history.invokePut(1, "k", "c").ok();
    history.invokeGet(3, "k").ok("b"); // the stuck request landed only now
    assertLinearizable(LinearizabilityChecker.check(history));
  }

  @Test
  void neverCompletedOperationsAreIndeterminate() {
    history.invokeDelete(2, "k"); // never completed
    history.invokePut(1, "k", "a").ok();
    history.invokeGet(3, "k").ok("a");
    history.invokeGet(3, "k").ok((String) null);
    assertLinearizable(LinearizabilityChecker.check(history));
  }

  @Test
  void keysAreCheckedIndependently() {
    OperationHandle writeA = history.invokePut(1, "a", "1");
    OperationHandle writeB = history.invokePut(2, "b", "2");
    history.invokeGet(3, "a").ok((String) null);
    writeB.ok();
    writeA.ok();
    history.invokeGet(3, "b").ok("2");
    Result result = LinearizabilityChecker.check(history);
    assertLinearizable(result);
    assertEquals(2, result.keysChecked());
  }

  // ---- not linearizable ----

  @Test
  void staleReadAfterCompletedWriteIsRejected() {
    history.invokePut(1, "k", "a").ok();
    history.invokePut(1, "k", "b").ok();
    history.invokeGet(2, "k").ok("a");
    Result result = assertNotLinearizable(LinearizabilityChecker.check(history), "k");
    assertEquals(2, result.blockingOperation().orElseThrow().id());
    assertTrue(result.excerpt().contains("but the GET returned \"a\""),
        result::excerpt);
    assertTrue(result.excerpt().contains("was written only by:"), result::excerpt);
  }

  @Test
  void lostCasIsRejected() {
    history.invokePut(1, "k", "a").ok();
    OperationHandle first = history.invokeCas(1, "k", "a", "b");
    OperationHandle second = history.invokeCas(2, "k", "a", "c");
    first.ok(true);
    second.ok(true); // both swapped from "a": one update was lost
    Result result = assertNotLinearizable(LinearizabilityChecker.check(history), "k");
    assertTrue(result.excerpt().contains("could not have swapped"), result::excerpt);
  }

  @Test
  void readOfAValueNeverWrittenIsRejected() {
    history.invokePut(1, "k", "a").ok();
    history.invokeGet(2, "k").ok("ghost");
    Result result = assertNotLinearizable(LinearizabilityChecker.check(history), "k");
    assertTrue(result.excerpt().contains("no operation on this key ever wrote \"ghost\""),
        result::excerpt);
  }

  @Test
  void readOfANewValueThenAnOlderOneIsRejected() {
    history.invokePut(1, "k", "a").ok();
    OperationHandle write = history.invokePut(1, "k", "b");
    history.invokeGet(2, "k").ok("b");
    history.invokeGet(3, "k").ok("a"); // after a read of "b" completed: must see "b" too
    write.ok();
    assertNotLinearizable(LinearizabilityChecker.check(history), "k");
  }

  @Test
  void indeterminatePutTakesEffectAtMostOnce() {
    history.invokePut(1, "k", "a").ok();
    history.invokePut(2, "k", "b").info();
    history.invokeGet(3, "k").ok("b");
    history.invokePut(1, "k", "c").ok();
    history.invokeGet(3, "k").ok("b"); // "b" cannot land a second time
    assertNotLinearizable(LinearizabilityChecker.check(history), "k");
  }

  @Test
  void failedPutIsNeverVisible() {
    history.invokePut(1, "k", "a").ok();
    history.invokePut(2, "k", "b").fail();
    history.invokeGet(3, "k").ok("b");
    assertNotLinearizable(LinearizabilityChecker.check(history), "k");
  }

  @Test
  void deleteThatClaimsAnAbsentKeyExistedIsRejected() {
    history.invokeGet(1, "other").ok((String) null);
    history.invokeDelete(1, "k").ok(true);
    assertNotLinearizable(LinearizabilityChecker.check(history), "k");
  }

  // ---- bounds ----

  @Test
  void impossibleReadAmongManyIndeterminateWritesIsRejectedWithinTheStateLimit() {
    // 40 concurrent indeterminate writes, then an impossible read: naively every subset of the
    // writes would be tried; the model folds values no read observes, so it stays in the limit.
    OperationHandle[] writes = new OperationHandle[40];
    for (int i = 0; i < writes.length; i++) {
      writes[i] = history.invokePut(i, "k", "w" + i);
    }
    history.invokeGet(99, "k").ok("ghost");
    Result result = LinearizabilityChecker.check(history,
        new Limits(10_000, Duration.ofSeconds(30)));
    assertEquals(Verdict.NOT_LINEARIZABLE, result.verdict(), result::toString);
    assertEquals("k", result.key());
    assertTrue(result.statesExplored() <= 10_000, result::toString);
    assertTrue(result.excerpt().contains("no operation on this key ever wrote \"ghost\""), result::excerpt);
  }

  @Test
  void impossibleReadAmongManyIndeterminateWritesIsRejectedWithinTheTimeLimit() {
    for (int i = 0; i < 40; i++) {
      history.invokePut(i, "k", "w" + i);
    }
    history.invokeGet(99, "k").ok("ghost");
    long startNanos = System.nanoTime();
    Result result = LinearizabilityChecker.check(history,
        new Limits(Long.MAX_VALUE, Duration.ofMillis(300)));
    long elapsedMs = (System.nanoTime() - startNanos) / 1_000_000;
    assertEquals(Verdict.NOT_LINEARIZABLE, result.verdict(), result::toString);
    assertTrue(elapsedMs < 5_000, "took " + elapsedMs + " ms");
  }

  // ---- large simulated histories ----

  @Test
  void largeSimulatedHistoryIsLinearizableAndOneStaleReadIsRejected() {
    long seed = seed();
    History simulated = SimulatedRegisterHistory.generate(seed, 10, 16, 20_000);
    Result clean = timedCheck("clean, 10 keys x ~2,000 ops, 16 processes", simulated.operations());
    assertLinearizable(clean);
    assertEquals(10, clean.keysChecked());

    SimulatedRegisterHistory.StaleRead stale =
        SimulatedRegisterHistory.withStaleRead(simulated.operations());
    assertNotNull(stale, "seed " + seed + " gave no place to plant a stale read");
    Result corrupted = timedCheck("one stale read", stale.operations());
    assertNotLinearizable(corrupted, stale.corruptedRead().key());
    System.out.println("planted at #" + stale.corruptedRead().id() + "; report:\n" + corrupted);
  }

  @Test
  void highlyConcurrentSimulatedHistoryIsLinearizableAndOneStaleReadIsRejected() {
    long seed = seed() + 1;
    History simulated = SimulatedRegisterHistory.generate(seed, 5, 32, 10_000);
    Result clean = timedCheck("clean, 5 keys x ~2,000 ops, 32 processes", simulated.operations());
    assertLinearizable(clean);

    SimulatedRegisterHistory.StaleRead stale =
        SimulatedRegisterHistory.withStaleRead(simulated.operations());
    assertNotNull(stale, "seed " + seed + " gave no place to plant a stale read");
    assertNotLinearizable(timedCheck("one stale read", stale.operations()),
        stale.corruptedRead().key());
  }

  private static long seed() {
    String property = System.getProperty(SEED_PROPERTY);
    long seed = property != null ? Long.parseLong(property) : System.nanoTime();
    System.out.println("linearizability seed: " + seed + " (replay: -D" + SEED_PROPERTY + "="
        + seed + ")");
    return seed;
  }

  private static Result timedCheck(String label, java.util.List<Operation> operations) {
    Result result = LinearizabilityChecker.check(operations, Limits.DEFAULT);
    System.out.println(label + ": " + operations.size() + " ops -> " + result.verdict() + " in "
        + result.elapsedNanos() / 1_000_000 + " ms, " + result.statesExplored() + " states");
    return result;
  }

  private static void assertLinearizable(Result result) {
    assertEquals(Verdict.LINEARIZABLE, result.verdict(), result::toString);
    assertTrue(result.isLinearizable());
    assertEquals("", result.excerpt());
  }

  private static Result assertNotLinearizable(Result result, String key) {
    assertEquals(Verdict.NOT_LINEARIZABLE, result.verdict(), result::toString);
    assertEquals(key, result.key(), result::toString);
    assertTrue(result.blockingOperation().isPresent());
    assertEquals(key, result.blockingOperation().get().key());
    assertTrue(result.excerpt().contains("Stuck at:"), result::excerpt);
    return result;
  }
}

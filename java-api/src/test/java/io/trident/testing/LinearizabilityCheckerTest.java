package io.trident.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.testing.LinearizabilityChecker.Limits;
import io.trident.testing.LinearizabilityChecker.Result;
import io.trident.testing.LinearizabilityChecker.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
  void impossibleReadAmongManyIndeterminateWritesIsRejectedQuickly() {
    // 40 concurrent indeterminate writes, then an impossible read. Naively every subset of the
    // writes would be tried; the model merges values that no read observes, so it stays small.
    for (int i = 0; i < 40; i++) {
      history.invokePut(i, "k", "w" + i);
    }
    history.invokeGet(99, "k").ok("ghost");
    Result result = LinearizabilityChecker.check(history,
        new Limits(10_000, Duration.ofSeconds(30)));
    assertNotLinearizable(result, "k");
    assertTrue(result.statesExplored() < 1_000, result::toString);
    assertTrue(result.excerpt().contains("no operation on this key ever wrote \"ghost\""),
        result::excerpt);
  }

  @Test
  void pathologicalHistoryEndsAsUnknownWithinTheStateLimit() {
    pathologicalHistory(history, 24);
    Result result = LinearizabilityChecker.check(history,
        new Limits(10_000, Duration.ofSeconds(30)));
    assertEquals(Verdict.UNKNOWN, result.verdict(), result::toString);
    assertEquals("k", result.key());
    assertTrue(result.statesExplored() <= 10_000, result::toString);
    assertTrue(result.excerpt().contains("state limit reached"), result::excerpt);
  }

  @Test
  void pathologicalHistoryEndsAsUnknownWithinTheTimeLimit() {
    pathologicalHistory(history, 40);
    long startNanos = System.nanoTime();
    Result result = LinearizabilityChecker.check(history,
        new Limits(Long.MAX_VALUE, Duration.ofMillis(300)));
    long elapsedMs = (System.nanoTime() - startNanos) / 1_000_000;
    assertEquals(Verdict.UNKNOWN, result.verdict(), result::toString);
    assertTrue(result.excerpt().contains("time limit reached"), result::excerpt);
    assertTrue(elapsedMs < 5_000, "took " + elapsedMs + " ms");
  }

  /**
   * {@code width} concurrent PUTs of distinct values, each read by a GET concurrent with all of
   * them, then a read of a value never written: proving that read impossible means visiting every
   * subset of the writes (about 2^width states).
   */
  private static void pathologicalHistory(History history, int width) {
    List<OperationHandle> open = new ArrayList<>();
    for (int i = 0; i < width; i++) {
      open.add(history.invokePut(i, "k", "w" + i));
    }
    for (int i = 0; i < width; i++) {
      open.add(history.invokeGet(width + i, "k"));
    }
    for (int i = 0; i < width; i++) {
      open.get(i).ok();
      open.get(width + i).ok("w" + i);
    }
    history.invokeGet(99, "k").ok("ghost");
  }

  // ---- against an oracle ----

  @Test
  void agreesWithBruteForceOnSmallRandomHistories() {
    long seed = seed();
    Random random = new Random(seed);
    String[] values = {"a", "b", "c"};
    int linearizable = 0;
    int trials = 20_000;
    for (int trial = 0; trial < trials; trial++) {
      History small = History.withClock(new AtomicLong()::incrementAndGet);
      List<OperationHandle> open = new ArrayList<>();
      int operationCount = 2 + random.nextInt(7);
      for (int started = 0; started < operationCount || !open.isEmpty(); ) {
        if (started < operationCount && (open.isEmpty() || random.nextBoolean())) {
          started++;
          open.add(invokeRandom(small, random, values, started));
        } else {
          completeRandom(open.remove(random.nextInt(open.size())), random, values);
        }
      }
      boolean expected = BruteForceLinearizability.isLinearizable(small.operations());
      Result result = LinearizabilityChecker.check(small);
      int failedTrial = trial;
      assertEquals(expected ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE, result.verdict(),
          () -> "trial " + failedTrial + " of seed " + seed + ":\n" + small.describe() + result);
      linearizable += expected ? 1 : 0;
    }
    // Random results are mostly wrong; both verdicts must be well represented.
    assertTrue(linearizable > trials / 10 && linearizable < trials * 9 / 10, "" + linearizable);
  }

  private static OperationHandle invokeRandom(History history, Random random, String[] values,
      int processId) {
    String value = values[random.nextInt(values.length)];
    return switch (random.nextInt(4)) {
      case 0 -> history.invokePut(processId, "k", value);
      case 1 -> history.invokeGet(processId, "k");
      case 2 -> history.invokeDelete(processId, "k");
      default -> history.invokeCas(processId, "k", random.nextInt(3) == 0 ? null : value,
          random.nextInt(4) == 0 ? null : values[random.nextInt(values.length)]);
    };
  }

  private static void completeRandom(OperationHandle handle, Random random, String[] values) {
    int roll = random.nextInt(10);
    if (roll == 0) {
      handle.fail();
    } else if (roll == 1) {
      handle.info();
    } else if (roll == 2) {
      return; // left pending
    } else if (handle.type() == OpType.PUT) {
      handle.ok();
    } else if (handle.type() == OpType.GET) {
      handle.ok(random.nextInt(4) == 0 ? null : values[random.nextInt(values.length)]);
    } else {
      handle.ok(random.nextBoolean());
    }
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

  private static Result timedCheck(String label, List<Operation> operations) {
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

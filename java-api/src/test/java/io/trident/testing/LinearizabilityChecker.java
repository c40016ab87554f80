package io.trident.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Checks that a {@link History} of key-value operations is linearizable: that one total order of
 * its operations, consistent with real time (an op that completed before another was invoked
 * comes first), explains every recorded result under the register model of {@link OpType}.
 *
 * <p>Keys are independent registers, so the history is checked key by key (P-compositionality);
 * each key by {@link KeySearch}. Failed ops are dropped (they did not take effect); indeterminate
 * ones (info, or never completed) may take effect at any time after their invocation, or never.
 *
 * <p>Bounded: at most {@link Limits#statesPerKeyMax} memoized states per key and
 * {@link Limits#durationMax} in all; a history that needs more is {@link Verdict#UNKNOWN}, never
 * a hang. Keys are checked in key order on the calling thread; deterministic for a given history.
 */
public final class LinearizabilityChecker {
  /**
   * Search bounds. Each memoized state costs about (ops on the key / 8 + 80) bytes, and states are
   * freed when the key is done, so the default of {@value #STATES_PER_KEY_MAX_DEFAULT} states
   * needs up to ~450 MB of heap for a key of 3,000 operations. A linearizable history usually
   * needs a few states per operation; proving a violation can need every reachable one before it.
   */
  public record Limits(long statesPerKeyMax, Duration durationMax) {
    public static final long STATES_PER_KEY_MAX_DEFAULT = 1_000_000;
    public static final Limits DEFAULT =
        new Limits(STATES_PER_KEY_MAX_DEFAULT, Duration.ofSeconds(60));

    public Limits {
      if (statesPerKeyMax < 1) {
        throw new IllegalArgumentException("statesPerKeyMax must be >= 1, was " + statesPerKeyMax);
      }
      Objects.requireNonNull(durationMax, "durationMax");
      if (durationMax.isNegative() || durationMax.isZero()) {
        throw new IllegalArgumentException("durationMax must be positive, was " + durationMax);
      }
    }
  }

  public enum Verdict {
    LINEARIZABLE,
    /** Some key has no linearization; {@link Result#key()} names the first in key order. */
    NOT_LINEARIZABLE,
    /** No key failed, but some key could not be decided within the {@link Limits}. */
    UNKNOWN
  }

  /** The outcome of one check; immutable. */
  public static final class Result {
    private final Verdict verdict;
    private final String key;
    private final Operation blockingOperation;
    private final String excerpt;
    private final long statesExplored;
    private final int keysChecked;
    private final long elapsedNanos;

    Result(Verdict verdict, String key, Operation blockingOperation, String excerpt,
        long statesExplored, int keysChecked, long elapsedNanos) {
      this.verdict = verdict;
      this.key = key;
      this.blockingOperation = blockingOperation;
      this.excerpt = excerpt;
      this.statesExplored = statesExplored;
      this.keysChecked = keysChecked;
      this.elapsedNanos = elapsedNanos;
    }

    public Verdict verdict() {
      return verdict;
    }

    public boolean isLinearizable() {
      return verdict == Verdict.LINEARIZABLE;
    }

    /** The failing (or, for UNKNOWN, undecided) key; null when linearizable. */
    public String key() {
      return key;
    }

    /**
     * The operation the search was stuck on at its deepest point on {@link #key()}: it completed
     * but has no place in any order of the ops before it. Empty when linearizable.
     */
    public Optional<Operation> blockingOperation() {
      return Optional.ofNullable(blockingOperation);
    }

    /** What a person needs to debug the failure, a few dozen lines at most; "" if linearizable. */
    public String excerpt() {
      return excerpt;
    }

    /** Memoized states over all keys checked: the work the search did. */
    public long statesExplored() {
      return statesExplored;
    }

    public int keysChecked() {
      return keysChecked;
    }

    public long elapsedNanos() {
      return elapsedNanos;
    }

    @Override
    public String toString() {
      String summary = verdict + " (" + keysChecked + " keys, " + statesExplored + " states, "
          + elapsedNanos / 1_000_000 + " ms)";
      return excerpt.isEmpty() ? summary : summary + "\n" + excerpt;
    }
  }

  private LinearizabilityChecker() {}

  public static Result check(History history) {
    return check(history.operations(), Limits.DEFAULT);
  }

  public static Result check(History history, Limits limits) {
    return check(history.operations(), limits);
  }

  /** Checks recorded operations directly, e.g. a history with one result altered by a test. */
  public static Result check(List<Operation> operations, Limits limits) {
    long startNanos = System.nanoTime();
    long deadlineNanos = saturatedAdd(startNanos, limits.durationMax());
    long originNanos = Long.MAX_VALUE;
    for (Operation operation : operations) {
      originNanos = Math.min(originNanos, operation.invokeNanos());
    }
    Map<String, List<Operation>> byKey = partitionByKey(operations);

    long states = 0;
    int keysChecked = 0;
    String failedKey = null;
    Operation failedBlocking = null;
    String failedExcerpt = null;
    List<String> otherFailedKeys = new ArrayList<>();
    List<String> undecided = new ArrayList<>();
    String firstUndecidedKey = null;
    for (Map.Entry<String, List<Operation>> keyOperations : byKey.entrySet()) {
      String key = keyOperations.getKey();
      if (System.nanoTime() > deadlineNanos) {
        undecided.add(Operation.valueText(key) + " (not checked: time limit reached)");
        firstUndecidedKey = firstUndecidedKey == null ? key : firstUndecidedKey;
        continue;
      }
      RegisterModel model = new RegisterModel(keyOperations.getValue());
      KeySearch search = new KeySearch(model, limits.statesPerKeyMax(), deadlineNanos);
      KeySearch.Outcome outcome = search.run();
      states += search.statesExplored();
      keysChecked++;
      KeySearch.StuckPoint stuck = search.deepestStuckPoint();
      if (outcome == KeySearch.Outcome.NOT_LINEARIZABLE) {
        if (failedKey != null) {
          otherFailedKeys.add(Operation.valueText(key));
          continue;
        }
        failedKey = key;
        failedBlocking = model.operation(stuck.blockingOp());
        failedExcerpt = "Key " + Operation.valueText(key) + " is not linearizable ("
            + search.statesExplored() + " states explored).\n"
            + FailureReport.format(model, stuck, originNanos);
      } else if (outcome == KeySearch.Outcome.GAVE_UP) {
        String note = Operation.valueText(key) + " (" + search.gaveUpReason() + ")";
        if (undecided.isEmpty() && stuck != null) {
          note += "; deepest point reached:\n" + FailureReport.format(model, stuck, originNanos);
        }
        undecided.add(note);
        firstUndecidedKey = firstUndecidedKey == null ? key : firstUndecidedKey;
      }
    }
    long elapsedNanos = System.nanoTime() - startNanos;
    if (failedKey != null) {
      StringBuilder excerpt = new StringBuilder(failedExcerpt);
      if (!otherFailedKeys.isEmpty()) {
        excerpt.append("Also not linearizable: ").append(String.join(", ", otherFailedKeys))
            .append('\n');
      }
      for (String note : undecided) {
        excerpt.append("Undecided: ").append(note).append('\n');
      }
      return new Result(Verdict.NOT_LINEARIZABLE, failedKey, failedBlocking, excerpt.toString(),
          states, keysChecked, elapsedNanos);
    }
    if (!undecided.isEmpty()) {
      StringBuilder excerpt = new StringBuilder("No key failed, but the search gave up on:\n");
      for (String note : undecided) {
        excerpt.append("  ").append(note).append('\n');
      }
      return new Result(Verdict.UNKNOWN, firstUndecidedKey, null, excerpt.toString(), states,
          keysChecked, elapsedNanos);
    }
    return new Result(Verdict.LINEARIZABLE, null, null, "", states, keysChecked, elapsedNanos);
  }

  /**
   * Keys in order, each with the operations that matter: failed ops are dropped (never applied),
   * and so are indeterminate GETs (no effect, no result).
   */
  private static Map<String, List<Operation>> partitionByKey(List<Operation> operations) {
    Map<String, List<Operation>> byKey = new TreeMap<>();
    for (Operation operation : operations) {
      if (operation.outcome() == Operation.Outcome.FAIL
          || (operation.isIndeterminate() && operation.type() == OpType.GET)) {
        continue;
      }
      byKey.computeIfAbsent(operation.key(), key -> new ArrayList<>()).add(operation);
    }
    return byKey;
  }

  private static long saturatedAdd(long nanos, Duration duration) {
    long durationNanos;
    try {
      durationNanos = duration.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
    long sum = nanos + durationNanos;
    return sum < nanos ? Long.MAX_VALUE : sum;
  }
}

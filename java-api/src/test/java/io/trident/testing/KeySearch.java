package io.trident.testing;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Decides whether one key's operations are linearizable: the Wing &amp; Gong backtracking search
 * with Lowe's memoization, as in Porcupine.
 *
 * <p>The operations' invocations and completions form one list in real-time order. The search
 * walks it from the front: at an invocation it tries to linearize that op next (the model must
 * accept it, and the pair (set of linearized ops, model state) must be new, else that subtree was
 * already explored); a linearized op leaves the list. Reaching a completion means that op should
 * have been linearized by now: undo the last choice and try the next candidate after it.
 *
 * <p>Indeterminate ops have no completion entry (they complete at +infinity) and need not be
 * linearized at all: the search succeeds once every determinate op is linearized. Linearizing an
 * indeterminate op where it changes nothing is skipped, since leaving it out is always at least
 * as good.
 *
 * <p>Bounds: at most {@code statesMax} memoized states (each costs about n/8 + 80 bytes), and
 * the clock is checked every {@value #ITERATIONS_PER_CLOCK_CHECK} steps against
 * {@code deadlineNanos}; either ends the search as {@link Outcome#GAVE_UP}. Single-threaded.
 */
final class KeySearch {
  enum Outcome { LINEARIZABLE, NOT_LINEARIZABLE, GAVE_UP }

  /**
   * The deepest point the search got stuck at: {@code depth} ops linearized (the last ones, in
   * order, are {@code recentOps}, with the state after each in {@code stateAfterRecent}), then
   * {@code blockingOp} completed without a place in the order. {@code candidateOps} were invoked
   * before it completed and are not linearized either.
   */
  record StuckPoint(int depth, int blockingOp, int state, int[] recentOps, int[] stateAfterRecent,
      int[] candidateOps, boolean moreCandidates) {}

  private static final int HEAD = 0;
  private static final int NONE = -1;
  /** Scan position meaning: a configuration just reached, look for a forced step first. */
  private static final int NEW_CONFIGURATION = -2;
  private static final int ITERATIONS_PER_CLOCK_CHECK = 1024;
  private static final int RECENT_MAX = 6;
  private static final int CANDIDATES_MAX = 10;

  private final RegisterModel model;
  private final long statesMax;
  private final long deadlineNanos;

  // The doubly linked list of entries 1..entryCount; entry 0 is the head sentinel.
  private final int[] next;
  private final int[] prev;
  private final int[] opOfEntry;
  private final boolean[] entryIsCall;
  private final int[] callEntryOfOp;
  private final int[] returnEntryOfOp; // NONE for indeterminate ops

  private final long[] linearizedBits;
  private final long[] zobristOfOp;
  private long linearizedHash;
  private final Set<StateKey> seen = new HashSet<>();

  private final int[] stackOp;
  private final int[] stackStateBefore;
  private final boolean[] stackForced;
  private int stackSize;
  private int state = RegisterModel.ABSENT;
  private int determinateLeft;
  private StuckPoint deepest;
  private String gaveUpReason;

  KeySearch(RegisterModel model, long statesMax, long deadlineNanos) {
    this.model = model;
    this.statesMax = statesMax;
    this.deadlineNanos = deadlineNanos;
    int opCount = model.size();
    callEntryOfOp = new int[opCount];
    returnEntryOfOp = new int[opCount];
    Arrays.fill(returnEntryOfOp, NONE);
    long[][] events = new long[2 * opCount][]; // {time, 0 = call / 1 = return, op}
    int eventCount = 0;
    for (int op = 0; op < opCount; op++) {
      Operation operation = model.operation(op);
      events[eventCount++] = new long[] {operation.invokeNanos(), 0, op};
      if (model.isDeterminate(op)) {
        events[eventCount++] = new long[] {operation.completeNanos(), 1, op};
        determinateLeft++;
      }
    }
    long[][] sorted = Arrays.copyOf(events, eventCount);
    // Equal times: calls first, so the two ops count as concurrent (the permissive reading).
    Arrays.sort(sorted, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0])
        : a[1] != b[1] ? Long.compare(a[1], b[1]) : Long.compare(a[2], b[2]));
    next = new int[eventCount + 1];
    prev = new int[eventCount + 1];
    opOfEntry = new int[eventCount + 1];
    entryIsCall = new boolean[eventCount + 1];
    for (int entry = 1; entry <= eventCount; entry++) {
      long[] event = sorted[entry - 1];
      int op = (int) event[2];
      opOfEntry[entry] = op;
      entryIsCall[entry] = event[1] == 0;
      if (entryIsCall[entry]) {
        callEntryOfOp[op] = entry;
      } else {
        returnEntryOfOp[op] = entry;
      }
      prev[entry] = entry - 1;
      next[entry - 1] = entry;
    }
    next[eventCount] = NONE;
    prev[HEAD] = NONE;
    linearizedBits = new long[(opCount + 63) / 64];
    zobristOfOp = new long[opCount];
    SplittableRandom random = new SplittableRandom(0x7A1D_E17L);
    for (int op = 0; op < opCount; op++) {
      zobristOfOp[op] = random.nextLong();
    }
    stackOp = new int[opCount];
    stackStateBefore = new int[opCount];
    stackForced = new boolean[opCount];
  }

  Outcome run() {
    int entry = NEW_CONFIGURATION;
    long iterations = 0;
    while (determinateLeft > 0) {
      if (++iterations % ITERATIONS_PER_CLOCK_CHECK == 0 && System.nanoTime() > deadlineNanos) {
        gaveUpReason = "time limit reached";
        return Outcome.GAVE_UP;
      }
      if (seen.size() >= statesMax) {
        gaveUpReason = "state limit reached (" + statesMax + " states)";
        return Outcome.GAVE_UP;
      }
      if (entry == NEW_CONFIGURATION) {
        int forced = enabledStatePreservingOp();
        if (forced == NONE) {
          entry = next[HEAD];
        } else if (markSeen(forced, state)) {
          push(forced, state, true);
          entry = NEW_CONFIGURATION;
        } else if ((entry = backtrack()) == NONE) {
          return Outcome.NOT_LINEARIZABLE; // already explored and failed
        }
        continue;
      }
      int op = opOfEntry[entry];
      if (entryIsCall[entry]) {
        int after = model.step(op, state);
        boolean useful = after != RegisterModel.REJECTED
            && (model.isDeterminate(op) || after != state);
        if (useful && markSeen(op, after)) {
          push(op, after, false);
          entry = NEW_CONFIGURATION;
        } else {
          entry = next[entry];
          if (entry == NONE) {
            throw new IllegalStateException("list ended with determinate ops left: checker bug");
          }
        }
      } else {
        noteStuck(op);
        if ((entry = backtrack()) == NONE) {
          return Outcome.NOT_LINEARIZABLE;
        }
      }
    }
    return Outcome.LINEARIZABLE;
  }

  /**
   * A read-only op ({@link RegisterModel#isReadOnly}) that may come next and is legal now, or
   * NONE. Such an op can always be linearized first: in any valid continuation it can be moved to
   * the front, because it changes no state wherever it stands and no op still open had to precede
   * it (else the scan would have met that op's completion first).
   * So taking it is a forced step, not a choice, and needs no alternatives on backtracking.
   */
  private int enabledStatePreservingOp() {
    for (int entry = next[HEAD]; entry != NONE && entryIsCall[entry]; entry = next[entry]) {
      int op = opOfEntry[entry];
      if (model.isReadOnly(op) && model.step(op, state) == state) {
        return op;
      }
    }
    return NONE;
  }

  /**
   * The current configuration failed: undoes choices until one has an untried alternative and
   * returns the entry to continue scanning from, or NONE when every choice is exhausted. A forced
   * step's failure fails the configuration it was forced from, so those are undone in a row.
   */
  private int backtrack() {
    while (stackSize > 0) {
      boolean forced = stackForced[stackSize - 1];
      int op = pop();
      if (!forced) {
        return next[callEntryOfOp[op]];
      }
    }
    return NONE;
  }

  long statesExplored() {
    return seen.size();
  }

  /** The deepest stuck point seen; null if the search never got stuck. */
  StuckPoint deepestStuckPoint() {
    return deepest;
  }

  /** Why the search gave up; null unless {@link #run} returned {@link Outcome#GAVE_UP}. */
  String gaveUpReason() {
    return gaveUpReason;
  }

  /** Records (linearized set + op, state after) as seen; false (and no change) if it was. */
  private boolean markSeen(int op, int stateAfter) {
    flip(op);
    StateKey probe = new StateKey(linearizedBits, stateAfter, linearizedHash);
    if (seen.contains(probe)) {
      flip(op);
      return false;
    }
    seen.add(new StateKey(linearizedBits.clone(), stateAfter, linearizedHash));
    flip(op);
    return true;
  }

  private void push(int op, int stateAfter, boolean forced) {
    flip(op);
    stackOp[stackSize] = op;
    stackForced[stackSize] = forced;
    stackStateBefore[stackSize] = state;
    stackSize++;
    state = stateAfter;
    unlink(callEntryOfOp[op]);
    if (returnEntryOfOp[op] != NONE) {
      unlink(returnEntryOfOp[op]);
      determinateLeft--;
    }
  }

  /** Undoes the last push (relinking in reverse order) and returns its op. */
  private int pop() {
    stackSize--;
    int op = stackOp[stackSize];
    state = stackStateBefore[stackSize];
    flip(op);
    if (returnEntryOfOp[op] != NONE) {
      relink(returnEntryOfOp[op]);
      determinateLeft++;
    }
    relink(callEntryOfOp[op]);
    return op;
  }

  private void flip(int op) {
    linearizedBits[op >>> 6] ^= 1L << (op & 63);
    linearizedHash ^= zobristOfOp[op];
  }

  private void unlink(int entry) {
    next[prev[entry]] = next[entry];
    if (next[entry] != NONE) {
      prev[next[entry]] = prev[entry];
    }
  }

  private void relink(int entry) {
    next[prev[entry]] = entry;
    if (next[entry] != NONE) {
      prev[next[entry]] = entry;
    }
  }

  private void noteStuck(int blockingOp) {
    if (deepest != null && stackSize <= deepest.depth()) {
      return;
    }
    int recentCount = Math.min(stackSize, RECENT_MAX);
    int[] recent = new int[recentCount];
    int[] stateAfter = new int[recentCount];
    for (int i = 0; i < recentCount; i++) {
      int index = stackSize - recentCount + i;
      recent[i] = stackOp[index];
      stateAfter[i] = index + 1 < stackSize ? stackStateBefore[index + 1] : state;
    }
    int[] candidates = new int[CANDIDATES_MAX];
    int candidateCount = 0;
    boolean more = false;
    int stop = returnEntryOfOp[blockingOp];
    for (int entry = next[HEAD]; entry != stop && entry != NONE; entry = next[entry]) {
      if (entryIsCall[entry] && opOfEntry[entry] != blockingOp) {
        if (candidateCount == CANDIDATES_MAX) {
          more = true;
          break;
        }
        candidates[candidateCount++] = opOfEntry[entry];
      }
    }
    deepest = new StuckPoint(stackSize, blockingOp, state, recent, stateAfter,
        Arrays.copyOf(candidates, candidateCount), more);
  }

  /** A memoized (linearized set, model state) pair. */
  private static final class StateKey {
    private final long[] bits;
    private final int state;
    private final int hash;

    StateKey(long[] bits, int state, long setHash) {
      this.bits = bits;
      this.state = state;
      long mixed = (setHash ^ (state * 0x9E37_79B9_7F4A_7C15L)) * 0xBF58_476D_1CE4_E5B9L;
      this.hash = (int) (mixed ^ (mixed >>> 32));
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof StateKey key && key.state == state && Arrays.equals(key.bits, bits);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}

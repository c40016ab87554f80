package io.trident.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Test oracle: decides linearizability of a tiny one-key history by trying every order of every
 * subset that contains all OK ops (indeterminate ops may be left out), with no memoization and
 * no pruning beyond real time. Exponential: for histories of at most ~10 operations.
 */
final class BruteForceLinearizability {
  private BruteForceLinearizability() {}

  static boolean isLinearizable(List<Operation> keyOperations) {
    List<Operation> live = new ArrayList<>();
    for (Operation operation : keyOperations) {
      if (operation.outcome() != Operation.Outcome.FAIL) {
        live.add(operation);
      }
    }
    if (live.size() > 12) {
      throw new IllegalArgumentException("brute force is for <= 12 operations, got " + live.size());
    }
    return extend(live, new boolean[live.size()], null);
  }

  private static boolean extend(List<Operation> operations, boolean[] used, String state) {
    boolean determinateLeft = false;
    for (int i = 0; i < operations.size(); i++) {
      determinateLeft |= !used[i] && operations.get(i).outcome() == Operation.Outcome.OK;
    }
    if (!determinateLeft) {
      return true;
    }
    for (int i = 0; i < operations.size(); i++) {
      if (used[i] || mustWaitFor(operations, used, i)) {
        continue;
      }
      Operation operation = operations.get(i);
      boolean determinate = operation.outcome() == Operation.Outcome.OK;
      String after = state;
      boolean legal = true;
      switch (operation.type()) {
        case PUT -> after = operation.value();
        case GET -> legal = !determinate || Objects.equals(state, operation.resultValue());
        case DELETE -> {
          after = null;
          legal = !determinate || (state != null) == operation.resultFlag();
        }
        case CAS -> {
          boolean matches = Objects.equals(state, operation.expected());
          after = matches ? operation.value() : state;
          legal = !determinate || matches == operation.resultFlag();
        }
      }
      if (legal) {
        used[i] = true;
        boolean found = extend(operations, used, after);
        used[i] = false;
        if (found) {
          return true;
        }
      }
    }
    return false;
  }

  /** True when some unused OK op completed before op {@code i} was invoked. */
  private static boolean mustWaitFor(List<Operation> operations, boolean[] used, int i) {
    for (int j = 0; j < operations.size(); j++) {
      Operation other = operations.get(j);
      if (!used[j] && j != i && other.outcome() == Operation.Outcome.OK
          && other.completeNanos() < operations.get(i).invokeNanos()) {
        return true;
      }
    }
    return false;
  }
}

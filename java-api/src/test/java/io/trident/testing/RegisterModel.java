package io.trident.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sequential specification of one key, a register, compiled for {@link KeySearch}: the
 * key's operations numbered 0..n-1, and every value interned to a small int so that a model
 * state is one int ({@link #ABSENT} = 0).
 *
 * <p>Determinate (OK) operations must produce their recorded result. Indeterminate ones (INFO,
 * PENDING) produce whatever the model does; GETs among them are dropped before this point because
 * they neither change the state nor tell anything.
 *
 * <p>Not thread-safe; immutable after construction, so one search may read it from one thread.
 */
final class RegisterModel {
  static final int ABSENT = 0;
  /**
   * Every value that no GET returns and no CAS expects. Such values are indistinguishable to every
   * op of the key (each sees only "present, and not what I look for"), so merging them is exact
   * and keeps orders of unread writes from multiplying the states the search must visit.
   */
  static final int UNOBSERVED = 1;
  /** Returned by {@link #step} when the operation cannot come next in this state. */
  static final int REJECTED = -1;

  private final List<Operation> operations;
  private final List<String> valueByNumber = new ArrayList<>();
  private final Map<String, Integer> numberByValue = new HashMap<>();
  private final Set<String> observedValues = new HashSet<>();
  private final OpType[] types;
  private final boolean[] determinate;
  private final int[] writtenValue; // PUT value, CAS update
  private final int[] expectedValue; // CAS expected
  private final int[] readValue; // GET result
  private final boolean[] resultFlag; // DELETE existed, CAS swapped

  RegisterModel(List<Operation> keyOperations) {
    this.operations = List.copyOf(keyOperations);
    int count = operations.size();
    types = new OpType[count];
    determinate = new boolean[count];
    writtenValue = new int[count];
    expectedValue = new int[count];
    readValue = new int[count];
    resultFlag = new boolean[count];
    valueByNumber.add(null);
    valueByNumber.add(null); // UNOBSERVED has no single text
    for (Operation operation : operations) {
      if (operation.type() == OpType.GET && operation.resultValue() != null) {
        observedValues.add(operation.resultValue());
      } else if (operation.type() == OpType.CAS && operation.expected() != null) {
        observedValues.add(operation.expected());
      }
    }
    for (int op = 0; op < count; op++) {
      Operation operation = operations.get(op);
      types[op] = operation.type();
      determinate[op] = operation.outcome() == Operation.Outcome.OK;
      writtenValue[op] = intern(operation.value());
      expectedValue[op] = intern(operation.expected());
      readValue[op] = intern(operation.resultValue());
      resultFlag[op] = operation.resultFlag();
    }
  }

  int size() {
    return operations.size();
  }

  Operation operation(int op) {
    return operations.get(op);
  }

  boolean isDeterminate(int op) {
    return determinate[op];
  }

  /**
   * True for a determinate op that leaves the state unchanged wherever it is legal: a GET, a CAS
   * that did not swap (or swapped a value for itself), a DELETE of an absent key. A PUT is not:
   * it changes nothing only where the register already holds its value.
   */
  boolean isReadOnly(int op) {
    if (!determinate[op]) {
      return false;
    }
    return switch (types[op]) {
      case GET -> true;
      case CAS -> !resultFlag[op] || expectedValue[op] == writtenValue[op];
      case DELETE -> !resultFlag[op];
      case PUT -> false;
    };
  }

  /**
   * The state after {@code op} runs in {@code state}, or {@link #REJECTED} when a determinate
   * op's recorded result is impossible there. An indeterminate op is never rejected: a CAS whose
   * expectation fails simply leaves the state as it was.
   */
  int step(int op, int state) {
    switch (types[op]) {
      case PUT:
        return writtenValue[op];
      case GET:
        return !determinate[op] || state == readValue[op] ? state : REJECTED;
      case DELETE:
        return !determinate[op] || (state != ABSENT) == resultFlag[op] ? ABSENT : REJECTED;
      case CAS:
        boolean matches = state == expectedValue[op];
        if (!determinate[op]) {
          return matches ? writtenValue[op] : state;
        }
        if (resultFlag[op]) {
          return matches ? writtenValue[op] : REJECTED;
        }
        return matches ? REJECTED : state;
      default:
        throw new IllegalStateException("unknown type " + types[op]);
    }
  }

  /** Why {@code op} cannot come next in {@code state}, for people; null when it can. */
  String rejectionReason(int op, int state) {
    if (step(op, state) != REJECTED) {
      return null;
    }
    String holds = "the register holds " + valueText(state);
    return switch (types[op]) {
      case GET -> holds + " but the GET returned " + valueText(readValue[op]);
      case DELETE -> holds + " but the DELETE returned " + resultFlag[op];
      case CAS -> holds + (resultFlag[op] ? " so the CAS could not have swapped"
          : " so the CAS must have swapped");
      default -> holds;
    };
  }

  String valueText(int state) {
    if (state == UNOBSERVED) {
      return "a value that no GET returns and no CAS expects";
    }
    return Operation.valueText(valueByNumber.get(state));
  }

  /** Ops (indexes) that may have written the value {@code state}: PUTs and CASes to it. */
  List<Integer> writersOf(int state) {
    List<Integer> writers = new ArrayList<>();
    for (int op = 0; op < types.length; op++) {
      boolean writes = types[op] == OpType.PUT
          || (types[op] == OpType.CAS && (!determinate[op] || resultFlag[op]));
      if (writes && writtenValue[op] == state) {
        writers.add(op);
      }
    }
    return writers;
  }

  /** The number of {@code op}'s GET result; for the failure report. */
  int readValue(int op) {
    return readValue[op];
  }

  private int intern(String value) {
    if (value == null) {
      return ABSENT;
    }
    if (!observedValues.contains(value)) {
      return UNOBSERVED;
    }
    Integer number = numberByValue.get(value);
    if (number == null) {
      number = valueByNumber.size();
      valueByNumber.add(value);
      numberByValue.put(value, number);
    }
    return number;
  }
}

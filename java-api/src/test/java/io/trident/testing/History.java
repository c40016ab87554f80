package io.trident.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A thread-safe recorder of the operations clients perform on the key-value store, for
 * {@link LinearizabilityChecker}.
 *
 * <p>Use: call {@code invoke} just before sending a request, and complete the returned
 * {@link OperationHandle} exactly once as soon as the answer (or the lack of one) is known. The
 * recorded interval then contains the real one, which is what a sound check needs: recording late
 * invocations or early completions could reject a correct store.
 *
 * <p>Thread rules: every method may be called from any thread. One lock guards the recorded
 * events; it is held only to read the clock and append, so recording adds well under a
 * microsecond. Timestamps are strictly increasing across all events of one history (a clock that
 * repeats or steps back is bumped by 1 ns), so every event has a distinct place in real time.
 *
 * <p>Limits: at most {@code operationsMax} invocations (default {@value #OPERATIONS_MAX_DEFAULT});
 * past that {@code invoke} throws, so a runaway test fails instead of exhausting the heap.
 */
public final class History {
  public static final int OPERATIONS_MAX_DEFAULT = 2_000_000;

  private final LongSupplier clockNanos;
  private final int operationsMax;
  private final Object lock = new Object();
  private final List<Slot> slots = new ArrayList<>(); // guarded by lock
  private long lastEventNanos = Long.MIN_VALUE; // guarded by lock

  /** A history on {@link System#nanoTime()}. */
  public History() {
    this(System::nanoTime, OPERATIONS_MAX_DEFAULT);
  }

  /**
   * A history on another clock, e.g. a counter so that a test's call order is its timeline
   * ({@code new AtomicLong()::incrementAndGet}).
   */
  public static History withClock(LongSupplier clockNanos) {
    return new History(clockNanos, OPERATIONS_MAX_DEFAULT);
  }

  public History(LongSupplier clockNanos, int operationsMax) {
    this.clockNanos = Objects.requireNonNull(clockNanos, "clockNanos");
    if (operationsMax < 1) {
      throw new IllegalArgumentException("operationsMax must be >= 1, was " + operationsMax);
    }
    this.operationsMax = operationsMax;
  }

  /**
   * Records an invocation now. Arguments by type: PUT: the value (non-null); GET, DELETE: none;
   * CAS: expected then update (either may be null: absent / delete).
   *
   * @throws IllegalArgumentException when the arguments do not fit the type
   * @throws IllegalStateException past {@code operationsMax} invocations
   */
  public OperationHandle invoke(int processId, String key, OpType type, String... arguments) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(type, "type");
    String[] args = arguments == null ? new String[] {null} : arguments;
    int expectedCount = switch (type) {
      case PUT -> 1;
      case GET, DELETE -> 0;
      case CAS -> 2;
    };
    if (args.length != expectedCount) {
      throw new IllegalArgumentException(type + " takes " + expectedCount + " argument(s), got "
          + args.length);
    }
    String value = switch (type) {
      case PUT -> args[0];
      case CAS -> args[1];
      default -> null;
    };
    String expected = type == OpType.CAS ? args[0] : null;
    if (type == OpType.PUT && value == null) {
      throw new IllegalArgumentException("PUT needs a non-null value (use DELETE to remove)");
    }
    synchronized (lock) {
      if (slots.size() >= operationsMax) {
        throw new IllegalStateException("history is full: " + operationsMax + " operations");
      }
      Slot slot = new Slot(slots.size(), processId, key, type, value, expected, nextEventNanos());
      slots.add(slot);
      return new OperationHandle(this, slot.id, type);
    }
  }

  public OperationHandle invokePut(int processId, String key, String value) {
    return invoke(processId, key, OpType.PUT, value);
  }

  public OperationHandle invokeGet(int processId, String key) {
    return invoke(processId, key, OpType.GET);
  }

  public OperationHandle invokeDelete(int processId, String key) {
    return invoke(processId, key, OpType.DELETE);
  }

  public OperationHandle invokeCas(int processId, String key, String expected, String update) {
    return invoke(processId, key, OpType.CAS, expected, update);
  }

  /**
   * Bytes as a register value or key: ISO-8859-1 maps each byte to one char, so two arrays give
   * equal strings exactly when they are equal. Null stays null (absent).
   */
  public static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.ISO_8859_1);
  }

  /** A snapshot of every operation so far, in invocation order (index = {@link Operation#id}). */
  public List<Operation> operations() {
    synchronized (lock) {
      List<Operation> snapshot = new ArrayList<>(slots.size());
      for (Slot slot : slots) {
        snapshot.add(slot.toOperation());
      }
      return snapshot;
    }
  }

  public int size() {
    synchronized (lock) {
      return slots.size();
    }
  }

  /** Every operation, one line each (see {@link Operation#describe}); for failure output. */
  public String describe() {
    List<Operation> operations = operations();
    long originNanos = operations.isEmpty() ? 0 : operations.get(0).invokeNanos();
    StringBuilder text = new StringBuilder();
    for (Operation operation : operations) {
      text.append(operation.key()).append(": ").append(operation.describe(originNanos))
          .append('\n');
    }
    return text.toString();
  }

  @Override
  public String toString() {
    return "History[" + size() + " operations]";
  }

  /** Called by {@link OperationHandle}; the handle has already checked the result's kind. */
  void complete(int id, Operation.Outcome outcome, String resultValue, boolean resultFlag) {
    synchronized (lock) {
      Slot slot = slots.get(id);
      if (slot.outcome != Operation.Outcome.PENDING) {
        throw new IllegalStateException("operation #" + id + " already completed as "
            + slot.outcome + "; complete each handle exactly once");
      }
      slot.outcome = outcome;
      slot.resultValue = resultValue;
      slot.resultFlag = resultFlag;
      slot.completeNanos = nextEventNanos();
    }
  }

  /** Must hold lock. */
  private long nextEventNanos() {
    long now = Math.max(clockNanos.getAsLong(), lastEventNanos + 1);
    lastEventNanos = now;
    return now;
  }

  /** One invocation and, once known, its outcome; all fields guarded by the history's lock. */
  private static final class Slot {
    final int id;
    final int processId;
    final String key;
    final OpType type;
    final String value;
    final String expected;
    final long invokeNanos;
    Operation.Outcome outcome = Operation.Outcome.PENDING;
    String resultValue;
    boolean resultFlag;
    long completeNanos = Long.MAX_VALUE;

    Slot(int id, int processId, String key, OpType type, String value, String expected,
        long invokeNanos) {
      this.id = id;
      this.processId = processId;
      this.key = key;
      this.type = type;
      this.value = value;
      this.expected = expected;
      this.invokeNanos = invokeNanos;
    }

    Operation toOperation() {
      return new Operation(id, processId, key, type, value, expected, outcome, resultValue,
          resultFlag, invokeNanos, completeNanos);
    }
  }
}

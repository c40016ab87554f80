package io.trident.testing;

import java.util.Objects;

/**
 * One recorded operation on one key: what a client asked, what came back, and when.
 *
 * <p>Immutable; {@link History#operations()} returns these as a snapshot. {@code id} numbers
 * operations of one history in invocation order, from 0. Times are nanoseconds of the history's
 * clock ({@link System#nanoTime()} unless a test supplies one), strictly increasing across every
 * event of one history.
 *
 * <p>Arguments by type: PUT: {@code value} (never null). GET and DELETE: none. CAS:
 * {@code expected} (null = the key must be absent) and {@code value}, the update (null = delete).
 *
 * <p>Results, meaningful only when the outcome is {@link Outcome#OK}: GET: {@code resultValue}
 * (null = absent). DELETE: {@code resultFlag} = the key existed. CAS: {@code resultFlag} = the
 * swap was applied. PUT: none.
 *
 * <p>{@code completeNanos} is when the outcome was recorded; {@link Long#MAX_VALUE} while
 * {@link Outcome#PENDING}. For {@link Outcome#INFO} it is only when the client gave up: the
 * checker lets such an operation take effect at any time after its invocation, or never.
 */
public record Operation(
    int id,
    int processId,
    String key,
    OpType type,
    String value,
    String expected,
    Outcome outcome,
    String resultValue,
    boolean resultFlag,
    long invokeNanos,
    long completeNanos) {

  private static final int VALUE_SHOWN_CHARS_MAX = 40;

  /** How an operation ended, as far as the client knows. */
  public enum Outcome {
    /** Invoked, not completed yet; the checker treats it as {@link #INFO}. */
    PENDING,
    /** Completed with a result. */
    OK,
    /** Definitely not applied (e.g. rejected before anything was sent); the checker drops it. */
    FAIL,
    /** Indeterminate (timeout, lost connection): may have taken effect, now or later, or never. */
    INFO
  }

  public Operation {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(outcome, "outcome");
    if (type == OpType.PUT && value == null) {
      throw new IllegalArgumentException("PUT needs a non-null value (use DELETE to remove)");
    }
  }

  /** True when the outcome is unknown to the client: {@link Outcome#INFO} or still pending. */
  public boolean isIndeterminate() {
    return outcome == Outcome.INFO || outcome == Outcome.PENDING;
  }

  /** A copy with another OK result; for building corrupted histories in tests. */
  public Operation withOkResult(String newResultValue, boolean newResultFlag) {
    return new Operation(id, processId, key, type, value, expected, Outcome.OK, newResultValue,
        newResultFlag, invokeNanos, completeNanos);
  }

  /**
   * One line for people, e.g. {@code #12 p3 CAS("a" -> "b") -> true  [1,200 .. 3,400 ns]}, with
   * times relative to {@code originNanos} (normally the history's first invocation).
   */
  public String describe(long originNanos) {
    StringBuilder text = new StringBuilder();
    text.append('#').append(id).append(" p").append(processId).append(' ').append(callText());
    switch (outcome) {
      case OK -> text.append(" -> ").append(resultText());
      case FAIL -> text.append(" -> failed (not applied)");
      case INFO -> text.append(" -> indeterminate");
      case PENDING -> text.append(" -> never completed");
    }
    text.append("  [").append(String.format("%,d", invokeNanos - originNanos)).append(" .. ");
    if (completeNanos == Long.MAX_VALUE) {
      text.append('?');
    } else {
      text.append(String.format("%,d", completeNanos - originNanos));
    }
    return text.append(" ns]").toString();
  }

  /** The call without its result, e.g. {@code PUT("a")} or {@code CAS(absent -> "b")}. */
  public String callText() {
    return switch (type) {
      case PUT -> "PUT(" + valueText(value) + ")";
      case GET -> "GET";
      case DELETE -> "DELETE";
      case CAS -> "CAS(" + valueText(expected) + " -> " + valueText(value) + ")";
    };
  }

  private String resultText() {
    return switch (type) {
      case PUT -> "ok";
      case GET -> valueText(resultValue);
      case DELETE -> resultFlag ? "true (existed)" : "false (was absent)";
      case CAS -> resultFlag ? "true (swapped)" : "false (not swapped)";
    };
  }

  /** A register value for people: {@code "text"} quoted, or {@code absent} for null. */
  public static String valueText(String registerValue) {
    if (registerValue == null) {
      return "absent";
    }
    String shown = registerValue.length() > VALUE_SHOWN_CHARS_MAX
        ? registerValue.substring(0, VALUE_SHOWN_CHARS_MAX - 3) + "..."
        : registerValue;
    return '"' + shown.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }
}

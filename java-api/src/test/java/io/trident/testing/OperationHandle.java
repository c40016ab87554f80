package io.trident.testing;

/**
 * The open end of one invocation recorded in a {@link History}: complete it exactly once.
 *
 * <p>Which completion: {@code ok(...)} with the result the store returned; {@link #fail()} only
 * when the operation definitely did not take effect (e.g. a typed rejection before anything was
 * sent); {@link #info()} whenever that is not certain (timeout, lost connection, not-leader after
 * sending). When in doubt, {@code info()}: a wrong {@code fail()} can make the checker reject a
 * correct store, a needless {@code info()} only makes the check weaker and slower.
 *
 * <p>Thread rules: may be completed from any thread (e.g. a future's callback); a second
 * completion throws {@link IllegalStateException}, a result of the wrong kind for the operation
 * throws {@link IllegalArgumentException}, and neither changes the record.
 */
public final class OperationHandle {
  private final History history;
  private final int id;
  private final OpType type;

  OperationHandle(History history, int id, OpType type) {
    this.history = history;
    this.id = id;
    this.type = type;
  }

  /** The operation's {@link Operation#id} in its history. */
  public int id() {
    return id;
  }

  public OpType type() {
    return type;
  }

  /** A PUT completed. */
  public void ok() {
    requireType(OpType.PUT, "ok()");
    history.complete(id, Operation.Outcome.OK, null, false);
  }

  /** A GET completed with {@code value} (null = absent). */
  public void ok(String value) {
    requireType(OpType.GET, "ok(String)");
    history.complete(id, Operation.Outcome.OK, value, false);
  }

  /** A DELETE completed ({@code result}: the key existed) or a CAS ({@code result}: swapped). */
  public void ok(boolean result) {
    if (type != OpType.DELETE && type != OpType.CAS) {
      throw wrongKind("ok(boolean)");
    }
    history.complete(id, Operation.Outcome.OK, null, result);
  }

  /** The operation definitely did not take effect. */
  public void fail() {
    history.complete(id, Operation.Outcome.FAIL, null, false);
  }

  /** The outcome is unknown: it may take effect at any time after its invocation, or never. */
  public void info() {
    history.complete(id, Operation.Outcome.INFO, null, false);
  }

  private void requireType(OpType wanted, String call) {
    if (type != wanted) {
      throw wrongKind(call);
    }
  }

  private IllegalArgumentException wrongKind(String call) {
    String right = switch (type) {
      case PUT -> "ok()";
      case GET -> "ok(String)";
      case DELETE, CAS -> "ok(boolean)";
    };
    return new IllegalArgumentException("operation #" + id + " is a " + type + ": complete it with "
        + right + ", not " + call);
  }

  @Override
  public String toString() {
    return "OperationHandle[#" + id + " " + type + "]";
  }
}

package io.trident.error;

/** A call did not complete within its timeout. For a write the outcome is unknown: it may still be applied; retry a {@code WriteBatch} with the same id to learn its result without applying it twice. */
public class OperationTimeoutException extends TridentException {
  private static final long serialVersionUID = 1L;

  public OperationTimeoutException(String message) {
    super(message);
  }

  public OperationTimeoutException(String message, Throwable cause) {
    super(message, cause);
  }
}

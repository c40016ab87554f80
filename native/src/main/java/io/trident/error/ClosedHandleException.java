package io.trident.error;

/** A call on an index or storage handle after it was closed. */
public class ClosedHandleException extends TridentException {
  private static final long serialVersionUID = 1L;

  public ClosedHandleException(String message) {
    super(message);
  }

  public ClosedHandleException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.trident.error;

/** More operations are in flight than the node's {@code maxInflightOps} allows and the overload policy is to fail fast; back off and retry. */
public class OverloadedException extends TridentException {
  private static final long serialVersionUID = 1L;

  public OverloadedException(String message) {
    super(message);
  }

  public OverloadedException(String message, Throwable cause) {
    super(message, cause);
  }
}

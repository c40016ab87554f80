package io.trident.error;

/** No collection of that name on this member (never created, dropped, or not yet applied here). */
public class UnknownCollectionException extends InvalidArgumentException {
  private static final long serialVersionUID = 1L;

  public UnknownCollectionException(String message) {
    super(message);
  }

  public UnknownCollectionException(String message, Throwable cause) {
    super(message, cause);
  }
}

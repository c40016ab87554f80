package io.trident.error;

/** An id (or collection) that the index does not hold. */
public class UnknownIdException extends InvalidArgumentException {
  private static final long serialVersionUID = 1L;

  public UnknownIdException(String message) {
    super(message);
  }

  public UnknownIdException(String message, Throwable cause) {
    super(message, cause);
  }
}

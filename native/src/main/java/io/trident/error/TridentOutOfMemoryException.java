package io.trident.error;

/** Native memory could not be allocated. */
public class TridentOutOfMemoryException extends TridentException {
  private static final long serialVersionUID = 1L;

  public TridentOutOfMemoryException(String message) {
    super(message);
  }

  public TridentOutOfMemoryException(String message, Throwable cause) {
    super(message, cause);
  }
}

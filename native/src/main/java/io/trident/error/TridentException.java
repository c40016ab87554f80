package io.trident.error;

/**
 * Root of every exception Trident throws. Unchecked: a failed call leaves the object it was
 * called on unchanged, so callers may catch, fix the input and retry.
 */
public class TridentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TridentException(String message) {
    super(message);
  }

  public TridentException(String message, Throwable cause) {
    super(message, cause);
  }
}

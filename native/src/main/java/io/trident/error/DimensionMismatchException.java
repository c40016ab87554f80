package io.trident.error;

/** A vector's length differs from the index dimension. */
public class DimensionMismatchException extends InvalidArgumentException {
  private static final long serialVersionUID = 1L;

  public DimensionMismatchException(String message) {
    super(message);
  }

  public DimensionMismatchException(String message, Throwable cause) {
    super(message, cause);
  }
}

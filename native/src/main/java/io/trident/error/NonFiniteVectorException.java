package io.trident.error;

/** A vector holds NaN or an infinity. */
public class NonFiniteVectorException extends InvalidArgumentException {
  private static final long serialVersionUID = 1L;

  public NonFiniteVectorException(String message) {
    super(message);
  }

  public NonFiniteVectorException(String message, Throwable cause) {
    super(message, cause);
  }
}

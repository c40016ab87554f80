package io.trident.error;

/** An index factory spec or metric that Trident cannot build. */
public class InvalidSpecException extends InvalidArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidSpecException(String message) {
    super(message);
  }

  public InvalidSpecException(String message, Throwable cause) {
    super(message, cause);
  }
}

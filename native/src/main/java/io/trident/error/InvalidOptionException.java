package io.trident.error;

/** An option is invalid or contradicts another; the message names the option. */
public class InvalidOptionException extends InvalidArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidOptionException(String message) {
    super(message);
  }

  public InvalidOptionException(String message, Throwable cause) {
    super(message, cause);
  }
}

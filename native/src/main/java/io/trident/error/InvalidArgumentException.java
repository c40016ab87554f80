package io.trident.error;

/** An argument is out of its documented range (k &lt;= 0, bad spec, oversized batch...). */
public class InvalidArgumentException extends TridentException {
  private static final long serialVersionUID = 1L;

  public InvalidArgumentException(String message) {
    super(message);
  }

  public InvalidArgumentException(String message, Throwable cause) {
    super(message, cause);
  }
}

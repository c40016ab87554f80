package io.trident.error;

/** An attribute name the collection's spec does not declare. */
public class UnknownAttributeException extends InvalidArgumentException {
  private static final long serialVersionUID = 1L;

  public UnknownAttributeException(String message) {
    super(message);
  }

  public UnknownAttributeException(String message, Throwable cause) {
    super(message, cause);
  }
}

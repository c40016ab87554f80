package io.trident.error;

/** An attribute value (or filter operand) of a type its declared attribute type does not accept. */
public class AttributeTypeException extends InvalidArgumentException {
  private static final long serialVersionUID = 1L;

  public AttributeTypeException(String message) {
    super(message);
  }

  public AttributeTypeException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.trident.error;

/** A collection of that name already exists (create it under another name, or drop it first). */
public class CollectionExistsException extends InvalidArgumentException {
  private static final long serialVersionUID = 1L;

  public CollectionExistsException(String message) {
    super(message);
  }

  public CollectionExistsException(String message, Throwable cause) {
    super(message, cause);
  }
}

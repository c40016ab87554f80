package io.trident.error;

/** A saved index file is truncated, corrupt or not a Trident index file. */
public class CorruptIndexException extends CorruptFileException {
  private static final long serialVersionUID = 1L;

  public CorruptIndexException(String message) {
    super(message);
  }

  public CorruptIndexException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.trident.error;

/** A persisted file is truncated, corrupt or not a Trident/FAISS file. */
public class CorruptIndexException extends TridentException {
  private static final long serialVersionUID = 1L;

  public CorruptIndexException(String message) {
    super(message);
  }

  public CorruptIndexException(String message, Throwable cause) {
    super(message, cause);
  }
}

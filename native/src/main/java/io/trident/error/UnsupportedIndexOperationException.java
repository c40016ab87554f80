package io.trident.error;

/** The index type cannot do this (for example remove on HNSW). */
public class UnsupportedIndexOperationException extends TridentException {
  private static final long serialVersionUID = 1L;

  public UnsupportedIndexOperationException(String message) {
    super(message);
  }

  public UnsupportedIndexOperationException(String message, Throwable cause) {
    super(message, cause);
  }
}

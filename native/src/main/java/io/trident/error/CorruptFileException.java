package io.trident.error;

/** A file Trident reads (vector files, index files, journals) is truncated, corrupt or foreign. */
public class CorruptFileException extends TridentException {
  private static final long serialVersionUID = 1L;

  public CorruptFileException(String message) {
    super(message);
  }

  public CorruptFileException(String message, Throwable cause) {
    super(message, cause);
  }
}

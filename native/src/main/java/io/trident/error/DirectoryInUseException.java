package io.trident.error;

/** A data directory is locked by another live node (in this or another process); the message names the directory and its lock file. */
public class DirectoryInUseException extends TridentException {
  private static final long serialVersionUID = 1L;

  public DirectoryInUseException(String message) {
    super(message);
  }

  public DirectoryInUseException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.trident.error;

/** An I/O call (open, read, write, fsync) failed; the message names the file and errno. */
public class StorageIoException extends TridentException {
  private static final long serialVersionUID = 1L;

  public StorageIoException(String message) {
    super(message);
  }

  public StorageIoException(String message, Throwable cause) {
    super(message, cause);
  }
}

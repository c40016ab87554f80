package io.trident.error;

/** The native library could not be loaded; the message says what to install. */
public class NativeUnavailableException extends TridentException {
  private static final long serialVersionUID = 1L;

  public NativeUnavailableException(String message) {
    super(message);
  }

  public NativeUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}

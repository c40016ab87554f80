package io.trident.error;

/** No leader could take the call within its timeout, or the member asked is not the leader and cannot forward; the message names the last known leader. */
public class NotLeaderException extends TridentException {
  private static final long serialVersionUID = 1L;

  public NotLeaderException(String message) {
    super(message);
  }

  public NotLeaderException(String message, Throwable cause) {
    super(message, cause);
  }
}

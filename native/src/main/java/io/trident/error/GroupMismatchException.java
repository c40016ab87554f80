package io.trident.error;

/** A data directory holds another Raft group's data; the message names both group ids. Use another directory, or the group id the directory was created with. */
public class GroupMismatchException extends TridentException {
  private static final long serialVersionUID = 1L;

  public GroupMismatchException(String message) {
    super(message);
  }

  public GroupMismatchException(String message, Throwable cause) {
    super(message, cause);
  }
}

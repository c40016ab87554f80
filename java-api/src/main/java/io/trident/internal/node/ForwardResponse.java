package io.trident.internal.node;

import java.io.Serializable;

/**
 * The leader's answer to a {@link ForwardRequest}: the entry's results and Raft index once
 * applied, or why not
 * ({@link #NOT_LEADER} with the leader this member knows, or {@link #FAILED} with a message).
 */
public final class ForwardResponse implements Serializable {
  private static final long serialVersionUID = 1L;
  static final int APPLIED = 0;
  static final int NOT_LEADER = 1;
  static final int FAILED = 2;
  static final int WRONG_GROUP = 3;

  private int status;
  private String leader;
  private String message;
  private byte[] results;
  private long index;

  public ForwardResponse() {}

  static ForwardResponse applied(byte[] results, long index) {
    ForwardResponse response = new ForwardResponse();
    response.status = APPLIED;
    response.results = results;
    response.index = index;
    return response;
  }

  static ForwardResponse rejected(int status, String leader, String message) {
    ForwardResponse response = new ForwardResponse();
    response.status = status;
    response.leader = leader;
    response.message = message;
    return response;
  }

  int status() {
    return status;
  }

  String leader() {
    return leader;
  }

  String message() {
    return message;
  }

  byte[] results() {
    return results;
  }

  /** The Raft index the entry was applied at. */
  long index() {
    return index;
  }
}

package io.trident.internal.node;

import java.io.Serializable;

/**
 * The leader's answer to a {@link ForwardRequest}: the entry's results once applied, or why not
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

  public ForwardResponse() {}

  static ForwardResponse applied(byte[] results) {
    ForwardResponse response = new ForwardResponse();
    response.status = APPLIED;
    response.results = results;
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
}

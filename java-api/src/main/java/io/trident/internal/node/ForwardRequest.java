package io.trident.internal.node;

import java.io.Serializable;

/**
 * A follower's encoded entry ({@link EntryFormat}) sent to the leader to propose; answered by a
 * {@link ForwardResponse}. Travels on the engine's bolt RPC (hessian-serialized, multiplexed on
 * one connection per member pair, many requests in flight).
 */
public final class ForwardRequest implements Serializable {
  private static final long serialVersionUID = 1L;

  private String groupId;
  private byte[] entry;

  public ForwardRequest() {}

  ForwardRequest(String groupId, byte[] entry) {
    this.groupId = groupId;
    this.entry = entry;
  }

  String groupId() {
    return groupId;
  }

  byte[] entry() {
    return entry;
  }
}

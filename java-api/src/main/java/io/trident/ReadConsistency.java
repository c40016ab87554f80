package io.trident;

/** How fresh a read must be. */
public enum ReadConsistency {
  /**
   * Reflects every write acknowledged before the read began, on any member: the member asks the
   * leader for its commit index (Raft ReadIndex, confirmed by a quorum heartbeat) and reads its own
   * replica once it has applied that far. Costs one round trip to a quorum, no log entry.
   */
  LINEARIZABLE,
  /** This replica as it is now: no round trip, may miss recent writes made through other members. */
  LOCAL
}

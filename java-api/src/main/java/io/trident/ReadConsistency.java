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
  LOCAL,
  /**
   * Reflects every write acknowledged through this member (from any thread) before the read
   * began: waits until this replica has applied (for searches: indexed) that far. No round trip
   * to other members; may miss writes made through other members.
   */
  READ_YOUR_WRITES
}

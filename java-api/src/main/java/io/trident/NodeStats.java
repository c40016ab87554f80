package io.trident;

/**
 * Cumulative counters of one member since it opened, per layer of the write path (seed 003's
 * per-layer evidence). Take two snapshots and subtract to get rates. Times are nanoseconds summed
 * over the items counted next to them, so {@code sum / count} is a mean.
 *
 * @param opsSubmitted client write operations accepted by this member's batcher
 * @param entriesProposed Raft entries this member's batcher built (each holds many operations)
 * @param batcherQueueNanosTotal time operations waited in the batcher queue, summed over ops
 * @param entriesForwarded entries sent to the leader because this member was not leading
 * @param forwardsAnswered forwarded entries the leader answered as applied
 * @param forwardRoundTripNanosTotal follower: sending an entry to the leader until its answer
 *     (the leader's proposal to apply plus two RPC hops), summed over those answers
 * @param entriesCommittedLocal entries this member proposed as leader and saw applied
 * @param proposeToApplyNanosTotal leader: proposal to apply start (replication to a quorum,
 *     journal write + fdatasync on each member, commit), summed over those entries
 * @param journalAppends jraft {@code appendEntries} calls on this member (one fdatasync each)
 * @param journalEntries Raft entries written by those calls
 * @param journalAppendNanosTotal time in those calls (encode, write, fdatasync)
 * @param applyBatches state-machine apply calls (one in-memory state write each)
 * @param entriesApplied data entries applied to the state
 * @param opsApplied client operations applied to the state
 * @param applyNanosTotal time in those apply calls
 * @param stateFlushes full in-memory state tables written to LMDB (one transaction each, on a
 *     background thread, not on the apply path)
 * @param stateFlushNanosTotal time in those flushes
 * @param snapshotsSaved snapshots written by this member
 * @param snapshotsLoaded snapshots installed (at start or sent by the leader)
 */
public record NodeStats(
    long opsSubmitted,
    long entriesProposed,
    long batcherQueueNanosTotal,
    long entriesForwarded,
    long forwardsAnswered,
    long forwardRoundTripNanosTotal,
    long entriesCommittedLocal,
    long proposeToApplyNanosTotal,
    long journalAppends,
    long journalEntries,
    long journalAppendNanosTotal,
    long applyBatches,
    long entriesApplied,
    long opsApplied,
    long applyNanosTotal,
    long stateFlushes,
    long stateFlushNanosTotal,
    long snapshotsSaved,
    long snapshotsLoaded) {}

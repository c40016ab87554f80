package io.trident.internal.node;

import io.trident.NodeStats;
import java.util.concurrent.atomic.LongAdder;

/** The member's live counters behind {@link NodeStats}; any thread may add. */
final class NodeCounters {
  final LongAdder opsSubmitted = new LongAdder();
  final LongAdder entriesProposed = new LongAdder();
  final LongAdder batcherQueueNanos = new LongAdder();
  final LongAdder entriesForwarded = new LongAdder();
  final LongAdder forwardsAnswered = new LongAdder();
  final LongAdder forwardRoundTripNanos = new LongAdder();
  final LongAdder entriesFailed = new LongAdder();
  final LongAdder entriesCommittedLocal = new LongAdder();
  final LongAdder proposeToApplyNanos = new LongAdder();
  final LongAdder journalAppends = new LongAdder();
  final LongAdder journalEntries = new LongAdder();
  final LongAdder journalAppendNanos = new LongAdder();
  final LongAdder applyBatches = new LongAdder();
  final LongAdder entriesApplied = new LongAdder();
  final LongAdder opsApplied = new LongAdder();
  final LongAdder applyNanos = new LongAdder();
  final LongAdder snapshotsSaved = new LongAdder();
  final LongAdder snapshotsLoaded = new LongAdder();

  /** The counters now, with the state store's flush counters (kept by the store). */
  NodeStats snapshot(long stateFlushes, long stateFlushNanos) {
    return new NodeStats(opsSubmitted.sum(), entriesProposed.sum(), batcherQueueNanos.sum(),
        entriesForwarded.sum(), forwardsAnswered.sum(), forwardRoundTripNanos.sum(),
        entriesCommittedLocal.sum(), proposeToApplyNanos.sum(), journalAppends.sum(),
        journalEntries.sum(), journalAppendNanos.sum(), applyBatches.sum(), entriesApplied.sum(),
        opsApplied.sum(), applyNanos.sum(), stateFlushes, stateFlushNanos, snapshotsSaved.sum(),
        snapshotsLoaded.sum());
  }
}

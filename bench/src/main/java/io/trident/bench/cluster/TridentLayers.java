package io.trident.bench.cluster;

import io.trident.NodeStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@link NodeStats} of every member at one moment, with who led. Per member, over the window:
 * client ops accepted per second, Raft entries its batcher built and ops per entry, mean time an
 * op waited in the batcher queue, entries forwarded to the leader and the mean forward round trip
 * (follower: send to the leader's answer), on the leader the mean time from proposal to apply
 * (replication to a quorum, journal write + fdatasync on each member, commit), journal appends
 * per second (one fdatasync each) with entries per append and mean time per append,
 * state-machine apply batches per second (in memory) with mean time per batch and ops applied per
 * second, and LMDB flushes (background) with their mean time.
 */
public record TridentLayers(List<NodeStats> stats, List<Boolean> leaders)
    implements LayerSample {
  static final String HEADER = String.format(Locale.ROOT,
      "%-6s %-8s %10s %10s %8s %9s %9s %8s %9s %9s %9s %10s %9s %9s %11s %8s %9s", "node",
      "role", "ops_in/s", "entries/s", "ops/entr", "queue_ms", "fwd/s", "fwd_ms", "p2a_ms",
      "fsyncs/s", "entr/sync", "journal_ms", "applies/s", "apply_ms", "ops_appl/s", "flushes",
      "flush_ms");

  @Override
  public List<String> describeSince(LayerSample earlier, double seconds) {
    TridentLayers before = (TridentLayers) earlier;
    List<String> lines = new ArrayList<>();
    lines.add(HEADER);
    for (int i = 0; i < stats.size(); i++) {
      lines.add(row(i, before.stats.get(i), stats.get(i), seconds));
    }
    return lines;
  }

  private String row(int node, NodeStats a, NodeStats b, double seconds) {
    long ops = b.opsSubmitted() - a.opsSubmitted();
    long entries = b.entriesProposed() - a.entriesProposed();
    long committed = b.entriesCommittedLocal() - a.entriesCommittedLocal();
    long appends = b.journalAppends() - a.journalAppends();
    long applies = b.applyBatches() - a.applyBatches();
    long flushes = b.stateFlushes() - a.stateFlushes();
    return String.format(Locale.ROOT, "%-6d %-8s %10.0f %10.0f %8.1f %9.3f %9.0f %8.3f %9.3f %9.0f"
        + " %9.1f %10.3f %9.0f %9.3f %11.0f %8d %9.1f",
        node, leaders.get(node) ? "leader" : "follower", ops / seconds, entries / seconds,
        ratio(ops, entries),
        millisPer(b.batcherQueueNanosTotal() - a.batcherQueueNanosTotal(), ops),
        (b.entriesForwarded() - a.entriesForwarded()) / seconds,
        millisPer(b.forwardRoundTripNanosTotal() - a.forwardRoundTripNanosTotal(),
            b.forwardsAnswered() - a.forwardsAnswered()),
        millisPer(b.proposeToApplyNanosTotal() - a.proposeToApplyNanosTotal(), committed),
        appends / seconds, ratio(b.journalEntries() - a.journalEntries(), appends),
        millisPer(b.journalAppendNanosTotal() - a.journalAppendNanosTotal(), appends),
        applies / seconds, millisPer(b.applyNanosTotal() - a.applyNanosTotal(), applies),
        (b.opsApplied() - a.opsApplied()) / seconds, flushes,
        millisPer(b.stateFlushNanosTotal() - a.stateFlushNanosTotal(), flushes));
  }

  private static double ratio(long count, long per) {
    return per == 0 ? 0 : (double) count / per;
  }

  private static double millisPer(long nanos, long count) {
    return count == 0 ? 0 : nanos / 1e6 / count;
  }
}

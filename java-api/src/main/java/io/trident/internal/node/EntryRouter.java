package io.trident.internal.node;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.entity.Task;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.rpc.RpcClient;
import io.trident.error.ClosedHandleException;
import io.trident.error.NotLeaderException;
import io.trident.error.OperationTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Takes each {@link ProposedEntry} to the leader: proposes it to the local Raft node when this
 * member leads, else forwards it over RPC ({@link ForwardRequest}). Any failure that a new leader
 * can fix (not leader, busy, leader changed, RPC timeout) is retried with backoff until the
 * entry's deadline; a retry carries {@link EntryFormat#FLAG_RETRY} so that an entry applied by an
 * earlier attempt is not applied twice. Past the deadline the writes fail with {@link
 * OperationTimeoutException} (or {@link NotLeaderException} when no leader was ever found). The
 * Raft index of each acknowledged entry is noted in the {@link IndexWatermark} before its writes
 * complete (what {@code READ_YOUR_WRITES} reads wait for).
 *
 * <p>Threads: {@link #submit} from the batcher thread; retries from the scheduler; completions
 * hop to the completion executor so that no user callback runs on a Raft thread.
 */
final class EntryRouter {
  private static final long BACKOFF_MIN_MILLIS = 5;
  private static final long BACKOFF_MAX_MILLIS = 200;

  private final String groupId;
  /**
   * Longest one forward attempt waits for the leader's answer: a leader that died with the entry
   * in flight is then tried again (on the new leader, once elected) instead of using up the whole
   * request timeout. A retry is safe: it carries the retry flag and is applied at most once.
   */
  private final long forwardAttemptMillisMax;
  private final Node node;
  private final RpcClient rpcClient;
  private final ScheduledExecutorService scheduler;
  private final Executor completions;
  private final NodeCounters counters;
  private final IndexWatermark watermark;
  private final BooleanSupplier closed;

  EntryRouter(String groupId, Node node, RpcClient rpcClient, ScheduledExecutorService scheduler,
      Executor completions, NodeCounters counters, IndexWatermark watermark,
      long forwardAttemptMillisMax, BooleanSupplier closed) {
    this.groupId = groupId;
    this.forwardAttemptMillisMax = forwardAttemptMillisMax;
    this.node = node;
    this.rpcClient = rpcClient;
    this.scheduler = scheduler;
    this.completions = completions;
    this.counters = counters;
    this.watermark = watermark;
    this.closed = closed;
  }

  void submit(ProposedEntry entry) {
    if (closed.getAsBoolean()) {
      entry.fail(new ClosedHandleException("the Trident node is closed"));
      return;
    }
    if (System.nanoTime() - entry.deadlineNanos > 0) {
      PeerId leader = node.getLeaderId();
      entry.fail(leader == null || leader.isEmpty()
          ? new NotLeaderException("no leader of group " + groupId + " was found within the"
              + " request timeout (" + entry.attempts + " attempts); is a majority of the members"
              + " running and reachable?")
          : new OperationTimeoutException("write not acknowledged within the request timeout ("
              + entry.attempts + " attempts, leader " + leader + "); its outcome is unknown"));
      return;
    }
    if (entry.attempts == 0) {
      armWatchdog(entry);
    }
    byte[] bytes = entry.attempts++ == 0 ? entry.bytes : entry.retryBytes();
    if (node.isLeader()) {
      node.apply(new Task(ByteBuffer.wrap(bytes), new LocalProposal(entry)));
      return;
    }
    PeerId leader = node.getLeaderId();
    if (leader == null || leader.isEmpty()) {
      retryLater(entry);
      return;
    }
    forward(leader, bytes, entry);
  }

  /**
   * The last resort behind the deadline checks at each attempt: an attempt the engine never
   * answers (a halted state machine, a hung connection) still fails the writes in time.
   */
  private void armWatchdog(ProposedEntry entry) {
    long delayNanos = Math.max(0, entry.deadlineNanos - System.nanoTime())
        + TimeUnit.MILLISECONDS.toNanos(BACKOFF_MAX_MILLIS);
    try {
      entry.watchdog = scheduler.schedule(() -> entry.fail(new OperationTimeoutException(
          "write not acknowledged within the request timeout (" + entry.attempts
              + " attempts); its outcome is unknown")), delayNanos, TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      entry.fail(new ClosedHandleException("the Trident node is closed"));
    }
  }

  private void forward(PeerId leader, byte[] bytes, ProposedEntry entry) {
    long remainingMillis = Math.max(1,
        TimeUnit.NANOSECONDS.toMillis(entry.deadlineNanos - System.nanoTime()));
    counters.entriesForwarded.increment();
    long sentNanos = System.nanoTime();
    try {
      rpcClient.invokeAsync(leader.getEndpoint(), new ForwardRequest(groupId, bytes),
          (result, error) -> onForwardAnswer(entry, result, error, sentNanos),
          Math.min(remainingMillis, forwardAttemptMillisMax));
    } catch (Exception e) {
      retryLater(entry);
    }
  }

  private void onForwardAnswer(ProposedEntry entry, Object result, Throwable error,
      long sentNanos) {
    if (error == null && result instanceof ForwardResponse response
        && response.status() == ForwardResponse.APPLIED) {
      counters.forwardsAnswered.increment();
      counters.forwardRoundTripNanos.add(System.nanoTime() - sentNanos);
      watermark.acknowledged(response.index());
      completions.execute(() -> entry.completeFrom(response.results(), response.index()));
    } else {
      retryLater(entry);
    }
  }

  private void retryLater(ProposedEntry entry) {
    long backoff = Math.min(BACKOFF_MAX_MILLIS, BACKOFF_MIN_MILLIS << Math.min(entry.attempts, 6));
    try {
      scheduler.schedule(() -> submit(entry), backoff, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      entry.fail(new ClosedHandleException("the Trident node is closed"));
    }
  }

  /** The closure of an entry this member proposed as leader. */
  private final class LocalProposal implements EntryResultClosure {
    private final ProposedEntry entry;

    LocalProposal(ProposedEntry entry) {
      this.entry = entry;
    }

    @Override
    public void applied(byte[] results, long index) {
      counters.entriesCommittedLocal.increment();
      counters.proposeToApplyNanos.add(System.nanoTime() - entry.proposedNanos);
      watermark.acknowledged(index);
      completions.execute(() -> entry.completeFrom(results, index));
    }

    @Override
    public void run(Status status) {
      if (status.isOk()) {
        return;
      }
      if (status.getRaftError() == RaftError.ENODESHUTDOWN || closed.getAsBoolean()) {
        entry.fail(new ClosedHandleException("the Trident node is closed: " + status));
        return;
      }
      retryLater(entry);
    }
  }
}

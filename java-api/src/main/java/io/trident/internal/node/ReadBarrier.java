package io.trident.internal.node;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.closure.ReadIndexClosure;
import io.trident.error.ClosedHandleException;
import io.trident.error.OperationTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Linearizable reads on any member: Raft ReadIndex (the leader confirms its leadership with a
 * quorum heartbeat and names its commit index; this member waits until it has applied that far),
 * then the read runs on the local state. jraft batches concurrent ReadIndex requests into one
 * round. A failed ReadIndex (no leader yet, leader just changed) is retried until the request
 * timeout; reads never go through the log.
 *
 * <p>Threads: the local read runs on the completion executor, not on a Raft thread.
 */
final class ReadBarrier {
  private static final long RETRY_MILLIS = 10;
  private static final byte[] NO_CONTEXT = new byte[0];

  private final Node raft;
  private final Executor completions;
  private final ScheduledExecutorService scheduler;
  private final long timeoutNanos;
  private final BooleanSupplier closed;

  ReadBarrier(Node raft, Executor completions, ScheduledExecutorService scheduler,
      long timeoutNanos, BooleanSupplier closed) {
    this.raft = raft;
    this.completions = completions;
    this.scheduler = scheduler;
    this.timeoutNanos = timeoutNanos;
    this.closed = closed;
  }

  <T> CompletableFuture<T> thenRead(Supplier<T> localRead) {
    CompletableFuture<T> result = new CompletableFuture<>();
    attempt(result, localRead, System.nanoTime() + timeoutNanos, 1);
    return result;
  }

  private <T> void attempt(CompletableFuture<T> result, Supplier<T> localRead, long deadline,
      int attempt) {
    if (closed.getAsBoolean()) {
      result.completeExceptionally(new ClosedHandleException("the Trident node is closed"));
      return;
    }
    raft.readIndex(NO_CONTEXT, new ReadIndexClosure() {
      @Override
      public void run(Status status, long index, byte[] context) {
        if (status.isOk()) {
          execute(completions, result, () -> {
            try {
              result.complete(localRead.get());
            } catch (RuntimeException e) {
              result.completeExceptionally(e);
            }
          });
        } else if (System.nanoTime() - deadline > 0) {
          result.completeExceptionally(new OperationTimeoutException("linearizable read not"
              + " confirmed by a quorum within the request timeout (" + attempt
              + " attempts, last: " + status + ")"));
        } else {
          execute(null, result, () -> scheduler.schedule(
              () -> attempt(result, localRead, deadline, attempt + 1), RETRY_MILLIS,
              TimeUnit.MILLISECONDS));
        }
      }
    });
  }

  private static void execute(Executor executor, CompletableFuture<?> result, Runnable task) {
    try {
      if (executor == null) {
        task.run();
      } else {
        executor.execute(task);
      }
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(new ClosedHandleException("the Trident node is closed"));
    }
  }
}

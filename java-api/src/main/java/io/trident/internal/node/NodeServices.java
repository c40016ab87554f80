package io.trident.internal.node;

import io.trident.NodeOptions;
import io.trident.ReadConsistency;
import io.trident.error.ClosedHandleException;
import io.trident.error.InvalidArgumentException;
import io.trident.error.OperationTimeoutException;
import io.trident.error.TridentException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What the key-value store and the collection handles of one node share: its parts, and the
 * waits that make a read as fresh as its {@link ReadConsistency} asks. Immutable; thread-safe.
 */
final class NodeServices {
  final NodeOptions options;
  final StateStore store;
  final CollectionRegistry registry;
  final CollectionIndexer indexer;
  final IndexWatermark watermark;
  final WriteBatcher batcher;
  final ReadBarrier readBarrier;
  final Executor completions;
  private final BooleanSupplier closed;

  NodeServices(NodeOptions options, StateStore store, CollectionRegistry registry,
      CollectionIndexer indexer, IndexWatermark watermark, WriteBatcher batcher,
      ReadBarrier readBarrier, Executor completions, BooleanSupplier closed) {
    this.options = options;
    this.store = store;
    this.registry = registry;
    this.indexer = indexer;
    this.watermark = watermark;
    this.batcher = batcher;
    this.readBarrier = readBarrier;
    this.completions = completions;
    this.closed = closed;
  }

  void checkOpen() {
    if (closed.getAsBoolean()) {
      throw new ClosedHandleException("the Trident node " + options.self() + " is closed");
    }
  }

  /**
   * Completes once this member's collection indexes are fresh enough for {@code consistency}:
   * at once for LOCAL; once every write acknowledged through this member is indexed for
   * READ_YOUR_WRITES; after a ReadIndex round and the indexing of everything applied by then for
   * LINEARIZABLE. Fails with {@link OperationTimeoutException} after the request timeout.
   */
  CompletableFuture<Void> indexedFor(ReadConsistency consistency) {
    CompletableFuture<Void> ready = switch (checkConsistency(consistency)) {
      case LOCAL -> CompletableFuture.completedFuture(null);
      case READ_YOUR_WRITES -> watermark.whenIndexed(watermark.acknowledgedIndex());
      case LINEARIZABLE -> readBarrier.thenRead(indexer::submittedIndex)
          .thenCompose(watermark::whenIndexed);
    };
    return within(ready, "waiting until this member's indexes are fresh enough for "
        + consistency);
  }

  /** {@code read} on this member's stored state, once it is as fresh as {@code consistency}. */
  <T> CompletableFuture<T> read(ReadConsistency consistency, Supplier<T> read) {
    switch (checkConsistency(consistency)) {
      case LOCAL:
        try {
          return CompletableFuture.completedFuture(read.get());
        } catch (RuntimeException e) {
          return CompletableFuture.failedFuture(e);
        }
      case READ_YOUR_WRITES:
        return within(watermark.whenIndexed(watermark.acknowledgedIndex()),
            "waiting for this member to apply its acknowledged writes")
            .thenApplyAsync(ignored -> read.get(), completions);
      default:
        return readBarrier.thenRead(read);
    }
  }

  /** {@code future}, failing with {@link OperationTimeoutException} after the request timeout. */
  <T> CompletableFuture<T> within(CompletableFuture<T> future, String what) {
    long millis = options.requestTimeout().toMillis();
    return future.orTimeout(millis, TimeUnit.MILLISECONDS).exceptionallyCompose(error -> {
      Throwable cause = unwrap(error);
      return CompletableFuture.failedFuture(cause instanceof TimeoutException
          ? new OperationTimeoutException(what + ": not done within " + millis + " ms")
          : cause);
    });
  }

  /** Waits for {@code future} on the caller's thread; rethrows its failure as it is. */
  static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      Throwable cause = unwrap(e);
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new TridentException(cause.toString(), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperationTimeoutException("interrupted while waiting");
    }
  }

  private static ReadConsistency checkConsistency(ReadConsistency consistency) {
    if (consistency == null) {
      throw new InvalidArgumentException("consistency is null");
    }
    return consistency;
  }

  private static Throwable unwrap(Throwable error) {
    while ((error instanceof CompletionException || error instanceof ExecutionException)
        && error.getCause() != null) {
      error = error.getCause();
    }
    return error;
  }
}

package io.trident.bench.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A trivial asynchronous KvSystem for driver tests: a concurrent map whose operations complete
 * on a scheduler after {@code delayMicros}, or synchronously when {@code delayMicros == 0}.
 * Every {@code failEvery}-th operation fails (0: none); {@code neverComplete} leaves every
 * future pending. Counts what it was asked and tracks the most operations outstanding at once.
 */
final class InMemoryKvSystem implements KvSystem {
  private final ConcurrentHashMap<String, byte[]> values = new ConcurrentHashMap<>();
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final long delayMicros;
  private final int failEvery;
  private final boolean neverComplete;
  final AtomicLong puts = new AtomicLong();
  final AtomicLong gets = new AtomicLong();
  final AtomicLong outstanding = new AtomicLong();
  final AtomicLong outstandingMax = new AtomicLong();
  final AtomicLong[] perNode = {new AtomicLong(), new AtomicLong(), new AtomicLong()};

  InMemoryKvSystem(long delayMicros, int failEvery, boolean neverComplete) {
    this.delayMicros = delayMicros;
    this.failEvery = failEvery;
    this.neverComplete = neverComplete;
  }

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public String description() {
    return "in-memory map";
  }

  @Override
  public int nodeCount() {
    return perNode.length;
  }

  @Override
  public CompletableFuture<?> put(int nodeIndex, byte[] key, byte[] value) {
    long sequence = puts.incrementAndGet() + gets.get();
    perNode[nodeIndex].incrementAndGet();
    return complete(sequence, () -> values.put(new String(key), value));
  }

  @Override
  public CompletableFuture<?> get(int nodeIndex, byte[] key) {
    long sequence = gets.incrementAndGet() + puts.get();
    perNode[nodeIndex].incrementAndGet();
    return complete(sequence, () -> values.get(new String(key)));
  }

  private CompletableFuture<Object> complete(long sequence, java.util.function.Supplier<Object> op) {
    outstandingMax.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
    CompletableFuture<Object> future = new CompletableFuture<>();
    if (neverComplete) {
      return future;
    }
    Runnable finish = () -> {
      outstanding.decrementAndGet();
      if (failEvery > 0 && sequence % failEvery == 0) {
        future.completeExceptionally(new IllegalStateException("injected failure"));
      } else {
        future.complete(op.get());
      }
    };
    if (delayMicros == 0) {
      finish.run();
    } else {
      scheduler.schedule(finish, delayMicros, TimeUnit.MICROSECONDS);
    }
    return future;
  }

  @Override
  public long raftEntryCount() {
    return puts.get();
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}

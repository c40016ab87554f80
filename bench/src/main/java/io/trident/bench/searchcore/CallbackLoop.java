package io.trident.bench.searchcore;

import io.trident.bench.demo.ConcurrencySweep;
import io.trident.search.AsyncSearcher;
import io.trident.search.SearchParams;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A closed loop of {@code outstanding} asynchronous requests without a thread per request, as an
 * event-driven server would use {@link AsyncSearcher#searchAsync}: each completion (on a search
 * worker) records its latency and issues the chain's next query. Latency is from submission to
 * completion. One instance per level; {@link #run} once.
 */
final class CallbackLoop {
  private final AsyncSearcher searcher;
  private final float[][] queries;
  private final int k;
  private final SearchParams params;
  private final int queriesMax;
  private final long deadlineNanos;
  private final long[] latenciesNanos;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger attempted = new AtomicInteger();
  private final AtomicInteger succeeded = new AtomicInteger();
  private CountDownLatch chainsEnded;

  CallbackLoop(AsyncSearcher searcher, float[][] queries, int k, SearchParams params, int queriesMax,
      double secondsMax) {
    this.searcher = searcher;
    this.queries = queries;
    this.k = k;
    this.params = params;
    this.queriesMax = queriesMax;
    this.deadlineNanos = System.nanoTime() + (long) (secondsMax * 1e9);
    this.latenciesNanos = new long[queriesMax];
  }

  ConcurrencySweep.Level run(int outstanding) throws InterruptedException {
    chainsEnded = new CountDownLatch(outstanding);
    long begin = System.nanoTime();
    for (int chain = 0; chain < outstanding; chain++) {
      issueNext();
    }
    chainsEnded.await(TimeUnit.NANOSECONDS.toSeconds(deadlineNanos - begin) + 30, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - begin) / 1e9;
    return ConcurrencySweep.level(outstanding, attempted.get(), succeeded.get(), latenciesNanos, seconds);
  }

  private void issueNext() {
    int i = next.getAndIncrement(); // indices taken are exactly 0..attempted-1
    if (i >= queriesMax || System.nanoTime() > deadlineNanos) {
      chainsEnded.countDown();
      return;
    }
    attempted.incrementAndGet();
    long begin = System.nanoTime();
    searcher.searchAsync(queries[i % queries.length], k, params).whenComplete((result, failure) -> {
      latenciesNanos[i] = System.nanoTime() - begin;
      if (failure == null && result.count() == k) {
        succeeded.incrementAndGet();
      } else if (failure != null) {
        System.err.println("query " + i + " failed: " + failure);
      }
      issueNext();
    });
  }
}

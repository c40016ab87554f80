package io.trident.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.nativelib.ThreadPlacement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * Search workers place themselves before searching: pinned where the kernel allows it, unplaced
 * (and still searching) where it refuses. A worker's CPUs are read by a dependent stage, which
 * runs on the worker when attached before the query completes (most of 200 queued at once).
 */
class AsyncSearcherPlacementTest {
  private static final int D = 16;
  private static final long SEED = 9_0003L;

  /** CPUs seen by dependent stages that ran on the searcher's workers. */
  private static List<int[]> workerCpus(ThreadPlacement placement) {
    float[][] base = TestVectors.random(2_000, D, SEED);
    ConcurrentLinkedQueue<int[]> seen = new ConcurrentLinkedQueue<>();
    try (VectorIndex index = VectorIndex.create(D, IndexSpec.parse("Flat"))) {
      index.add(TestVectors.ids(0, base.length), base);
      try (AsyncSearcher async = new AsyncSearcher(index, 2, 4, 1_000, placement)) {
        List<CompletableFuture<SearchResult>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          CompletableFuture<SearchResult> future = async.searchAsync(base[i], 1);
          future.thenRun(() -> {
            if (Thread.currentThread().getName().startsWith("trident-search-")) {
              seen.add(ThreadPlacement.currentThreadCpus());
            }
          });
          futures.add(future);
        }
        for (int i = 0; i < futures.size(); i++) {
          assertEquals(i, futures.get(i).join().ids()[0]);  // each query finds itself
        }
      }
    }
    assertTrue(!seen.isEmpty(), "no dependent stage ran on a worker");
    return new ArrayList<>(seen);
  }

  @Test
  void workersArePinnedWhereAllowed() {
    int[] allowed = ThreadPlacement.currentThreadCpus();
    int last = allowed[allowed.length - 1];
    for (int[] cpus : workerCpus(ThreadPlacement.cpus(last))) {
      assertArrayEquals(new int[] {last}, cpus);
    }
  }

  @Test
  void aRefusedPlacementLeavesWorkersSearchingUnplaced() {
    int[] allowed = ThreadPlacement.currentThreadCpus();
    for (int[] cpus : workerCpus(ThreadPlacement.cpus(4000))) {
      assertArrayEquals(allowed, cpus);
    }
  }
}

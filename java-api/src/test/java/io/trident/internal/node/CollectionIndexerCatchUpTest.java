package io.trident.internal.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.CollectionSpec;
import io.trident.internal.collection.CollectionIndex;
import io.trident.internal.collection.RecordCodec;
import io.trident.nativelib.ThreadPlacement;
import io.trident.search.Metric;
import io.trident.search.SearchParams;
import io.trident.search.SearchResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The indexer's catch-up: queued tasks that only change indexes are applied together, and (once
 * writes stop) a graph adds on several threads. Both must give the index that applying the
 * tasks one by one on one thread gives: same live ids with their last vectors, deleted ids never
 * returned, the watermark at the last task. The tasks delete and re-upsert ids across task
 * boundaries. Real native indexes (Flat: exact, so the neighbour lists must be equal; HNSW32:
 * the graph differs, so each live record must be found as its own nearest neighbour).
 */
class CollectionIndexerCatchUpTest {
  private static final int D = 16;
  private static final int TASKS = 12;
  private static final int ROWS_PER_TASK = 300;
  private static final long LATCH_WAIT_SECONDS = 30;

  @Test
  void mergedTasksOnEveryCoreGiveTheFlatIndexOfOneByOneApplies() throws Exception {
    runAndCompare("Flat");
  }

  @Test
  void mergedTasksOnEveryCoreGiveTheHnswIndexOfOneByOneApplies() throws Exception {
    runAndCompare("HNSW32");
  }

  @Test
  void theOnlyMemberOfAGroupNeverCountsItsHostAsBusy() {
    CollectionIndexer.HostLoad load = SpareCores.forMember(() -> 1);
    for (int i = 0; i < 3; i++) {
      assertFalse(load.othersBusy(), "a single-member group has no replica to starve");
    }
  }

  @Test
  void mergeKeepsEachCollectionsChangesInTaskOrder() {
    CollectionSpec spec = spec("Flat");
    try (CollectionIndex a = new CollectionIndex(1, "a", spec);
        CollectionIndex b = new CollectionIndex(2, "b", spec)) {
      CollectionIndexer.TaskBuilder first = new CollectionIndexer.TaskBuilder();
      first.change(a, 1, null);
      first.change(b, 2, null);
      first.change(a, 3, null);
      CollectionIndexer.TaskBuilder second = new CollectionIndexer.TaskBuilder();
      second.change(b, 4, null);
      second.change(a, 5, null);
      List<CollectionIndexer.Work> merged = CollectionIndexer.merge(
          List.of(first.build(1, 0), second.build(2, 0)));
      assertEquals(2, merged.size(), "one work item per collection");
      assertEquals(a, merged.get(0).index());
      assertEquals(List.of(1L, 3L, 5L), ids(merged.get(0).changes()));
      assertEquals(b, merged.get(1).index());
      assertEquals(List.of(2L, 4L), ids(merged.get(1).changes()));
    }
  }

  private static void runAndCompare(String structure) throws Exception {
    long seed = System.nanoTime();
    System.out.println("CollectionIndexerCatchUpTest " + structure + " seed " + seed);
    CollectionSpec spec = spec(structure);
    List<List<Object[]>> tasks = tasks(new SplittableRandom(seed));
    Map<Long, float[]> live = new HashMap<>();
    List<Long> deleted = new ArrayList<>();
    for (List<Object[]> task : tasks) {
      for (Object[] change : task) {
        long id = (Long) change[0];
        if (change[1] == null) {
          live.remove(id);
          deleted.add(id);
        } else {
          live.put(id, (float[]) change[1]);
          deleted.remove(id);
        }
      }
    }
    AtomicInteger threadQueries = new AtomicInteger();
    IndexWatermark watermark = new IndexWatermark();
    CollectionIndexer indexer = new CollectionIndexer("catch-up-test", watermark,
        ThreadPlacement.NONE, 100, () -> {
          threadQueries.incrementAndGet();
          return false; // an idle host: every core
        });
    try (CollectionIndex merged = new CollectionIndex(7, "merged", spec);
        CollectionIndex oneByOne = new CollectionIndex(8, "one-by-one", spec)) {
      CountDownLatch release = new CountDownLatch(1);
      indexer.submitAction(0, new CollectionIndexer.Action() { // holds the queue back
        @Override
        public void run() {
          try {
            release.await(LATCH_WAIT_SECONDS, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }

        @Override
        public void abandon() {}
      });
      for (int t = 0; t < tasks.size(); t++) {
        CollectionIndexer.TaskBuilder builder = new CollectionIndexer.TaskBuilder();
        List<CollectionIndex.Change> changes = new ArrayList<>();
        for (Object[] change : tasks.get(t)) {
          long id = (Long) change[0];
          byte[] record = change[1] == null ? null : record(spec, merged, id, (float[]) change[1]);
          builder.change(merged, id, record);
          changes.add(new CollectionIndex.Change(id, record));
        }
        indexer.submit(builder.build(t + 1, 0));
        oneByOne.apply(changes);
      }
      // Writes count as arriving for WRITES_QUIET_MILLIS after the last submit; past that the
      // catch-up may go wide.
      Thread.sleep(CollectionIndexer.WRITES_QUIET_MILLIS + 50);
      release.countDown();
      indexer.awaitIdle();
      assertEquals(tasks.size(), watermark.indexed(), "the watermark reaches the last task");
      assertEquals(tasks.size(), indexer.mergedTasks(), "all queued tasks applied together");
      assertTrue(threadQueries.get() > 0, "the catch-up asked for its threads");
      assertEquals(live.size(), merged.size());
      assertEquals(oneByOne.size(), merged.size());
      for (Map.Entry<Long, float[]> record : live.entrySet()) {
        SearchResult top = search(merged, record.getValue(), 1);
        assertEquals(record.getKey(), top.ids()[0], "id " + record.getKey() + " (last vector)");
        assertEquals(0f, top.distances()[0]);
      }
      for (float[] query : new ArrayList<>(live.values()).subList(0, 20)) {
        SearchResult all = search(merged, query, live.size() + deleted.size());
        for (long id : all.ids()) {
          assertFalse(deleted.contains(id), "deleted id " + id + " came back");
        }
        if (structure.equals("Flat")) {
          assertArrayEquals(search(oneByOne, query, 50).ids(), search(merged, query, 50).ids());
        }
      }
    } finally {
      indexer.close();
    }
  }

  /**
   * TASKS tasks of new rows; each task after the first also deletes a row of the task before,
   * re-upserts (new vector) a row of two tasks before, and deletes then re-upserts one id.
   */
  private static List<List<Object[]>> tasks(SplittableRandom random) {
    List<List<Object[]>> tasks = new ArrayList<>();
    for (int t = 0; t < TASKS; t++) {
      List<Object[]> task = new ArrayList<>();
      for (int row = 0; row < ROWS_PER_TASK; row++) {
        task.add(new Object[] {(long) t * ROWS_PER_TASK + row, vector(random)});
      }
      if (t >= 1) {
        task.add(new Object[] {(long) (t - 1) * ROWS_PER_TASK + 7, null});
      }
      if (t >= 2) {
        task.add(new Object[] {(long) (t - 2) * ROWS_PER_TASK + 11, vector(random)});
        task.add(new Object[] {(long) (t - 2) * ROWS_PER_TASK + 13, null});
        task.add(new Object[] {(long) (t - 2) * ROWS_PER_TASK + 13, vector(random)});
      }
      tasks.add(task);
    }
    return tasks;
  }

  private static float[] vector(SplittableRandom random) {
    float[] vector = new float[D];
    for (int j = 0; j < D; j++) {
      vector[j] = (float) random.nextDouble();
    }
    return vector;
  }

  private static CollectionSpec spec(String structure) {
    return CollectionSpec.builder().dimension(D).metric(Metric.L2).index(structure).build();
  }

  private static List<Long> ids(List<CollectionIndex.Change> changes) {
    return changes.stream().map(CollectionIndex.Change::id).toList();
  }

  private static byte[] record(CollectionSpec spec, CollectionIndex index, long id,
      float[] vector) {
    return RecordCodec.encode(spec, index.schema(), id, vector, null);
  }

  private static SearchResult search(CollectionIndex index, float[] query, int k) {
    return index.search(new float[][] {query}, k, new SearchParams(256, 1, 1), null)[0];
  }
}

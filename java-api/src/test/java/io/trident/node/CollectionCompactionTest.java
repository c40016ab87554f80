package io.trident.node;

import static io.trident.node.KvStoreTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.AttributeType;
import io.trident.CollectionSpec;
import io.trident.IndexRecoveryStats;
import io.trident.ReadConsistency;
import io.trident.SearchHits;
import io.trident.SearchRequest;
import io.trident.UpsertBatch;
import io.trident.VectorCollection;
import io.trident.internal.node.ReplicatedNode;
import io.trident.search.Metric;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enough deletes on a real one-member node for its indexer to compact the HNSW graph while
 * searches run: 1,500 of 3,000 ids deleted, so an apply after at most 1,024 of them finds over
 * 25% tombstones and at least 1,024 (TombstoneCompaction's bounds; CollectionIndexCompactionTest
 * asserts the compaction itself, which the public API does not expose); then
 * a snapshot and a restart that loads the compacted index, more deletes, and a restart that
 * replays them. Deleted ids never come back, every live id stays searchable by its own vector,
 * and the searches during the deletes all succeed. Seeded.
 */
class CollectionCompactionTest {
  private static final int D = 16;
  private static final int COUNT = 3000;
  private static final CollectionSpec SPEC = CollectionSpec.builder().dimension(D)
      .metric(Metric.L2).index("HNSW16").attribute("n", AttributeType.LONG).build();

  @TempDir Path root;

  @Test
  void deletedIdsNeverReturnAcrossCompactionSnapshotAndRestarts() throws Exception {
    SplittableRandom random = new SplittableRandom(TestVectors.seed("compactionDeletes"));
    float[][] vectors = TestVectors.clustered(random, COUNT, D, 40);
    try (TestCluster cluster = new TestCluster(root, 1).startAll()) {
      cluster.awaitLeader();
      VectorCollection docs = await(cluster.node(0).collections().create("docs", SPEC));
      upsertAll(docs, vectors);
      TestVectors.awaitSize(docs, COUNT);

      AtomicBoolean deleting = new AtomicBoolean(true);
      CompletableFuture<Integer> searches = CompletableFuture.supplyAsync(() -> {
        int completed = 0;
        while (deleting.get()) {
          SearchHits hits = docs.search(vectors[completed % COUNT], 10);
          completed += hits.size() == 10 ? 1 : 0;
        }
        return completed;
      });
      IntPredicate firstDeletes = id -> id % 2 == 0; // 1,500 tombstones: past both bounds
      deleteWhere(docs, firstDeletes);
      TestVectors.awaitSize(docs, COUNT / 2);
      deleting.set(false);
      assertTrue(searches.get(60, TimeUnit.SECONDS) > 0, "no search completed during deletes");
      assertHolds(docs, vectors, firstDeletes.negate());

      await(((ReplicatedNode) cluster.node(0)).snapshotNow());
      cluster.stop(0);
      cluster.start(0);
      cluster.awaitLeader();
      VectorCollection loaded = CollectionClusterTest.awaitCollection(cluster.node(0), "docs");
      IndexRecoveryStats stats = cluster.node(0).collections().indexRecoveryStats();
      assertEquals(1, stats.indexesLoaded(), stats.toString());
      assertHolds(loaded, vectors, firstDeletes.negate());

      IntPredicate alsoDeleted = id -> firstDeletes.test(id) || id % 3 == 1;
      deleteWhere(loaded, id -> id % 3 == 1 && !firstDeletes.test(id));
      assertHolds(loaded, vectors, alsoDeleted.negate());
      cluster.stop(0); // no snapshot: the log replays the later deletes
      cluster.start(0);
      cluster.awaitLeader();
      assertHolds(CollectionClusterTest.awaitCollection(cluster.node(0), "docs"), vectors,
          alsoDeleted.negate());
    }
  }

  private static void upsertAll(VectorCollection collection, float[][] vectors)
      throws Exception {
    for (int start = 0; start < COUNT; start += 500) {
      UpsertBatch batch = new UpsertBatch();
      for (int id = start; id < start + 500; id++) {
        batch.upsert(id, vectors[id], Map.of("n", (long) id));
      }
      assertTrue(await(collection.upsertAll(batch)).succeeded());
    }
  }

  private static void deleteWhere(VectorCollection collection, IntPredicate delete)
      throws Exception {
    for (int start = 0; start < COUNT; start += 500) {
      UpsertBatch batch = new UpsertBatch();
      for (int id = start; id < start + 500; id++) {
        if (delete.test(id)) {
          batch.delete(id);
        }
      }
      if (batch.size() > 0) {
        assertTrue(await(collection.upsertAll(batch)).succeeded());
      }
    }
  }

  private static int countMatching(IntPredicate predicate) {
    int count = 0;
    for (int id = 0; id < COUNT; id++) {
      count += predicate.test(id) ? 1 : 0;
    }
    return count;
  }

  /** Exactly the {@code live} ids: searchable, each found by its own vector; the others gone. */
  private static void assertHolds(VectorCollection collection, float[][] vectors,
      IntPredicate live) throws Exception {
    long liveCount = countMatching(live);
    TestVectors.awaitSize(collection, liveCount);
    for (int id = 0; id < COUNT; id++) {
      if (!live.test(id)) {
        if (id % 5 == 0) {
          assertNull(await(collection.get(id, ReadConsistency.LOCAL)), "deleted " + id);
        }
        continue;
      }
      if (id % 7 != 0) {
        continue;
      }
      SearchHits hits = collection.search(TestVectors.thorough(vectors[id], 10,
          ReadConsistency.LOCAL).build());
      assertEquals(id, hits.get(0).id(), "live id " + id + " found by its own vector");
      for (long hit : hits.ids()) {
        assertTrue(live.test((int) hit), "deleted id " + hit + " returned near " + id);
      }
    }
    SearchHits all = collection.search(SearchRequest.builder(vectors[1]).k(COUNT).efSearch(COUNT)
        .consistency(ReadConsistency.LOCAL).build());
    for (long hit : all.ids()) {
      assertTrue(live.test((int) hit), "deleted id " + hit + " returned");
    }
  }
}

package io.trident.node;

import static io.trident.node.KvStoreTest.await;
import static io.trident.node.VectorCollectionTest.contains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.AttributeType;
import io.trident.CollectionSpec;
import io.trident.IndexRecoveryStats;
import io.trident.ReadConsistency;
import io.trident.SearchHits;
import io.trident.TridentNode;
import io.trident.UpsertBatch;
import io.trident.VectorCollection;
import io.trident.internal.node.ReplicatedNode;
import io.trident.search.Metric;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vector collections on three real members in this JVM: writes through any member are searchable
 * on every replica, reads see what their consistency promises, deletes never come back (leader
 * loss, restarts, snapshot install). Seeded; the seed is printed. No timing assertions: every
 * wait is bounded and fails with what it was waiting for.
 */
class CollectionClusterTest {
  private static final int D = 16;
  private static final long CONVERGE_MILLIS_MAX = 60_000;
  private static final CollectionSpec SPEC = CollectionSpec.builder().dimension(D)
      .metric(Metric.L2).index("HNSW32").attribute("n", AttributeType.LONG).build();

  @TempDir Path root;

  @Test
  void writesThroughAnyMemberAreSearchableOnEveryReplica() throws Exception {
    SplittableRandom random = new SplittableRandom(TestVectors.seed("searchableOnEveryReplica"));
    float[][] vectors = TestVectors.clustered(random, 1000, D, 10);
    try (TestCluster cluster = new TestCluster(root, 3).startAll()) {
      int leader = cluster.awaitLeader();
      int writer = (leader + 1) % 3;
      int deleter = (leader + 2) % 3;
      VectorCollection docs = await(cluster.node(writer).collections().create("docs", SPEC));
      for (int from = 0; from < 800; from += 200) {
        UpsertBatch batch = new UpsertBatch("load-" + from);
        for (int i = from; i < from + 200; i++) {
          batch.upsert(i, vectors[i], Map.of("n", (long) i));
        }
        assertTrue(await(docs.upsertAll(batch)).succeeded());
      }
      List<CompletableFuture<Void>> singles = new ArrayList<>();
      for (int i = 800; i < 1000; i++) {
        singles.add(docs.upsert(i, vectors[i], Map.of("n", (long) i)));
      }
      CompletableFuture.allOf(singles.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
      VectorCollection deleting = awaitCollection(cluster.node(deleter), "docs");
      for (int i = 0; i < 1000; i += 10) {
        assertTrue(await(deleting.delete(i)), "delete of " + i);
      }
      for (int member = 0; member < 3; member++) {
        VectorCollection replica = awaitCollection(cluster.node(member), "docs");
        TestVectors.awaitSize(replica, 900);
        assertReplicaHolds(replica, vectors, i -> i % 10 != 0);
      }
    }
  }

  @Test
  void readYourWritesAndLinearizableSearchesSeeAcknowledgedWrites() throws Exception {
    try (TestCluster cluster = new TestCluster(root, 3).startAll()) {
      int leader = cluster.awaitLeader();
      VectorCollection onLeader = await(cluster.node(leader).collections().create("docs", SPEC));
      VectorCollection[] replicas = new VectorCollection[3];
      for (int member = 0; member < 3; member++) {
        replicas[member] = awaitCollection(cluster.node(member), "docs");
      }
      for (int round = 0; round < 20; round++) {
        int writer = round % 3;
        int reader = (round + 1) % 3;
        float[] vector = VectorCollectionTest.filled(round);
        await(replicas[writer].upsert(round, vector, null));
        SearchHits own = replicas[writer].search(TestVectors.thorough(vector, 1,
            ReadConsistency.READ_YOUR_WRITES).build());
        assertEquals(round, own.get(0).id(), "member " + writer + " reads its own write");
        SearchHits other = replicas[reader].search(TestVectors.thorough(vector, 1,
            ReadConsistency.LINEARIZABLE).build());
        assertEquals(round, other.get(0).id(), "member " + reader + " sees an acknowledged"
            + " write of member " + writer + " in a linearizable search");
        assertNotNull(await(replicas[reader].get(round, ReadConsistency.LINEARIZABLE)));
      }
      assertEquals(20, onLeader.search(TestVectors.thorough(new float[D], 100,
          ReadConsistency.LINEARIZABLE).build()).size());
    }
  }

  @Test
  void deletesNeverReturnAcrossLeaderLossAndRestartsWhileSearchesRun() throws Exception {
    SplittableRandom random = new SplittableRandom(TestVectors.seed("deletesNeverReturn"));
    int count = 1500;
    float[][] vectors = TestVectors.clustered(random, count, D, 10);
    try (TestCluster cluster = new TestCluster(root, 3).startAll()) {
      int oldLeader = cluster.awaitLeader();
      int steady = (oldLeader + 1) % 3;
      await(cluster.node(steady).collections().create("docs", SPEC));
      VectorCollection[] handles = new VectorCollection[3];
      for (int member = 0; member < 3; member++) {
        handles[member] = awaitCollection(cluster.node(member), "docs");
      }
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> searchFailure = new AtomicReference<>();
      AtomicInteger searches = new AtomicInteger();
      Thread searcher = new Thread(() -> {
        int i = 0;
        while (!stop.get() && searchFailure.get() == null && searches.get() < 1_000_000) {
          try {
            handles[steady].search(vectors[i++ % count], 10);
            searches.incrementAndGet();
          } catch (RuntimeException e) {
            searchFailure.set(e);
          }
        }
      }, "test-searcher");
      searcher.start();
      Set<Integer> upserted = ConcurrentHashMap.newKeySet();
      List<CompletableFuture<Void>> inFlight = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        if (i == count / 2) {
          cluster.stop(oldLeader);
        }
        int member = i % 3;
        if (cluster.node(member) == null) {
          member = steady;
        }
        int id = i;
        inFlight.add(handles[member].upsert(id, vectors[id], Map.of("n", (long) id))
            .thenRun(() -> upserted.add(id)).exceptionally(error -> null));
        if (inFlight.size() >= 64) {
          inFlight.remove(0).get(60, TimeUnit.SECONDS);
        }
      }
      CompletableFuture.allOf(inFlight.toArray(new CompletableFuture[0])).get(90,
          TimeUnit.SECONDS);
      assertTrue(upserted.size() > count * 2 / 3, "most upserts were acknowledged: "
          + upserted.size());
      Set<Integer> deleteAttempted = ConcurrentHashMap.newKeySet();
      Set<Integer> deleted = ConcurrentHashMap.newKeySet();
      List<CompletableFuture<Boolean>> deletes = new ArrayList<>();
      for (int id : upserted) {
        if (id % 4 == 0) {
          deleteAttempted.add(id);
          int member = id % 2 == 0 ? steady : (steady + 1) % 3;
          VectorCollection handle = cluster.node(member) == null ? handles[steady]
              : handles[member];
          deletes.add(handle.delete(id).whenComplete((existed, error) -> {
            if (error == null) {
              deleted.add(id);
            }
          }));
        }
      }
      CompletableFuture.allOf(deletes.toArray(new CompletableFuture[0]))
          .exceptionally(error -> null).get(90, TimeUnit.SECONDS);
      stop.set(true);
      searcher.join(TimeUnit.SECONDS.toMillis(30));
      assertNull(searchFailure.get(), "searches on " + cluster.addresses.get(steady)
          + " failed while records were written: " + searchFailure.get());
      assertTrue(searches.get() > 0);

      cluster.start(oldLeader);
      checkEveryReplica(cluster, vectors, upserted, deleteAttempted, deleted);
      for (int member = 0; member < 3; member++) {
        cluster.stop(member);
      }
      for (int member = 0; member < 3; member++) {
        cluster.start(member);
      }
      cluster.awaitLeader();
      checkEveryReplica(cluster, vectors, upserted, deleteAttempted, deleted);
    }
  }

  /**
   * A lagging member installs a snapshot and loads the index files it carries (no rebuild),
   * then replays the log tail (more deletes); after a restart of every member each loads its
   * own latest snapshot's files. Deleted ids stay deleted on every replica throughout.
   */
  @Test
  void laggingFollowerInstallsASnapshotAndLoadsItsIndexes() throws Exception {
    SplittableRandom random = new SplittableRandom(TestVectors.seed("laggingFollower"));
    float[][] vectors = TestVectors.clustered(random, 700, D, 10);
    java.util.function.IntPredicate present = i -> i < 600 ? i % 5 != 0 : (i - 600) % 7 != 0;
    try (TestCluster cluster = new TestCluster(root, 3).startAll()) {
      int leader = cluster.awaitLeader();
      int lagging = (leader + 1) % 3;
      VectorCollection docs = await(cluster.node(leader).collections().create("docs", SPEC));
      awaitCollection(cluster.node(lagging), "docs");
      cluster.stop(lagging);
      upsertRange(docs, vectors, 0, 600);
      for (int i = 0; i < 600; i += 5) {
        assertTrue(await(docs.delete(i)));
      }
      snapshotLiveMembers(cluster, lagging);
      upsertRange(docs, vectors, 600, 700);
      // jraft compacts the log only up to the previous snapshot: a second snapshot on every live
      // member (whichever leads now) drops what the lagging member is missing.
      snapshotLiveMembers(cluster, lagging);
      for (int i = 600; i < 700; i += 7) {
        assertTrue(await(docs.delete(i)), "delete " + i + " in the log tail");
      }
      cluster.start(lagging);
      VectorCollection replica = awaitCollection(cluster.node(lagging), "docs");
      TestVectors.awaitSize(replica, 580 - 15);
      assertTrue(cluster.node(lagging).stats().snapshotsLoaded() >= 1,
          "the restarted follower installed a snapshot: " + cluster.node(lagging).stats());
      IndexRecoveryStats installed = cluster.node(lagging).collections().indexRecoveryStats();
      assertTrue(installed.indexesLoaded() >= 1 && installed.loadFallbacks() == 0
          && installed.recordsRebuilt() == 0, "the install loaded the shipped index: "
          + installed);
      assertReplicaHolds(replica, vectors, present);
      await(((ReplicatedNode) cluster.node(lagging)).snapshotNow());
      for (int member = 0; member < 3; member++) {
        cluster.stop(member);
      }
      for (int member = 0; member < 3; member++) {
        cluster.start(member);
      }
      cluster.awaitLeader();
      for (int member = 0; member < 3; member++) {
        IndexRecoveryStats restarted = cluster.node(member).collections().indexRecoveryStats();
        assertEquals(1, restarted.indexesLoaded(), "member " + member + ": " + restarted);
        assertEquals(0, restarted.indexesRebuilt(), "member " + member + ": " + restarted);
        VectorCollection restartedReplica = awaitCollection(cluster.node(member), "docs");
        TestVectors.awaitSize(restartedReplica, 580 - 15);
        assertReplicaHolds(restartedReplica, vectors, present);
      }
    }
  }

  private static void snapshotLiveMembers(TestCluster cluster, int skipped) throws Exception {
    for (int member = 0; member < 3; member++) {
      if (member != skipped) {
        await(((ReplicatedNode) cluster.node(member)).snapshotNow());
      }
    }
  }

  private static void upsertRange(VectorCollection collection, float[][] vectors, int from,
      int to) throws Exception {
    UpsertBatch batch = new UpsertBatch();
    for (int i = from; i < to; i++) {
      batch.upsert(i, vectors[i], Map.of("n", (long) i));
    }
    assertTrue(await(collection.upsertAll(batch)).succeeded());
  }

  /**
   * After a linearizable search on each member (so each has indexed everything acknowledged):
   * every acknowledged upsert that no delete touched is there, every acknowledged delete is not.
   */
  private static void checkEveryReplica(TestCluster cluster, float[][] vectors,
      Set<Integer> upserted, Set<Integer> deleteAttempted, Set<Integer> deleted) {
    for (int member = 0; member < 3; member++) {
      VectorCollection replica = awaitCollection(cluster.node(member), "docs");
      SearchHits all = replica.search(TestVectors.thorough(vectors[0], vectors.length,
          ReadConsistency.LINEARIZABLE).build());
      for (int id : deleted) {
        assertTrue(!contains(all, id), "acknowledged delete of " + id + " came back on "
            + cluster.addresses.get(member));
      }
      for (int id : upserted) {
        if (!deleteAttempted.contains(id)) {
          assertTrue(contains(all, id), "acknowledged upsert " + id + " is not searchable on "
              + cluster.addresses.get(member));
        }
      }
    }
  }

  /** Every record {@code present} accepts is stored and found by its own vector; none else. */
  private static void assertReplicaHolds(VectorCollection replica, float[][] vectors,
      java.util.function.IntPredicate present) throws Exception {
    SearchHits all = replica.search(TestVectors.thorough(vectors[0], vectors.length,
        ReadConsistency.LOCAL).build());
    for (int i = 0; i < vectors.length; i++) {
      assertEquals(present.test(i), contains(all, i), "record " + i + " on " + replica);
      if (!present.test(i)) {
        assertNull(await(replica.get(i, ReadConsistency.LOCAL)));
      } else if (i % 7 == 0) {
        assertArrayEquals(vectors[i], await(replica.get(i, ReadConsistency.LOCAL)).vector());
        assertEquals(i, replica.search(TestVectors.thorough(vectors[i], 1, ReadConsistency.LOCAL)
            .build()).get(0).id(), "record " + i + " found by its own vector");
      }
    }
  }

  /** The member's handle on {@code name}, once it has applied the create. */
  static VectorCollection awaitCollection(TridentNode node, String name) {
    long deadline = System.currentTimeMillis() + CONVERGE_MILLIS_MAX;
    while (!node.collections().list().contains(name)) {
      assertTrue(System.currentTimeMillis() < deadline, node.self() + " never applied the"
          + " create of " + name);
      TestCluster.sleep(20);
    }
    return node.collections().collection(name);
  }
}

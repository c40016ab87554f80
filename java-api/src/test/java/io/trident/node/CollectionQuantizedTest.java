package io.trident.node;

import static io.trident.node.KvStoreTest.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.AttributeType;
import io.trident.CollectionSpec;
import io.trident.Filter;
import io.trident.IndexRecoveryStats;
import io.trident.ReadConsistency;
import io.trident.SearchRequest;
import io.trident.UpsertBatch;
import io.trident.VectorCollection;
import io.trident.internal.node.ReplicatedNode;
import io.trident.search.Metric;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Collections whose structure needs training, on a real one-member node (a Raft replica with
 * its journal and LMDB): until the trained quantizer lands, searches are exact scans of the
 * stored records (filters and deletes included, and across a snapshot restart); IVF-PQ and SQ8
 * reach a stated recall@10 against exact ground truth. Seeded.
 */
class CollectionQuantizedTest {
  private static final int D = 16;
  private static final int K = 10;
  private static final int QUERIES = 50;

  @TempDir Path root;

  @Test
  void untrainedIvfServesExactSearchesUntilItsTrainingLands() throws Exception {
    SplittableRandom random = new SplittableRandom(TestVectors.seed("untrainedIvfExact"));
    CollectionSpec spec = spec("IVF16,Flat");
    int untrainedCount = 400; // fewer than the 624 records training waits for
    int total = 1000;
    float[][] vectors = TestVectors.clustered(random, total, D, 30);
    float[][] queries = TestVectors.clustered(random, QUERIES, D, 30);
    try (TestCluster cluster = new TestCluster(root, 1).startAll()) {
      cluster.awaitLeader();
      VectorCollection ivf = await(cluster.node(0).collections().create("ivf", spec));
      upsert(ivf, vectors, 0, untrainedCount);
      for (int id = 0; id < untrainedCount; id += 9) {
        assertTrue(await(ivf.delete(id)));
      }
      IntPredicate live = id -> id < untrainedCount && id % 9 != 0;
      int liveCount = (int) IntStream.range(0, total).filter(live).count();
      TestVectors.awaitSize(ivf, liveCount);
      assertFalse(ivf.isIndexTrained(), "trained before " + spec.trainingRecords() + " records");
      assertExact(ivf, vectors, queries, live, 1);

      // Snapshot and restart while untrained: the records come back, exactly searchable.
      await(((ReplicatedNode) cluster.node(0)).snapshotNow());
      cluster.stop(0);
      cluster.start(0);
      cluster.awaitLeader();
      VectorCollection restarted = CollectionClusterTest.awaitCollection(cluster.node(0), "ivf");
      TestVectors.awaitSize(restarted, liveCount);
      IndexRecoveryStats stats = cluster.node(0).collections().indexRecoveryStats();
      assertEquals(1, stats.indexesLoaded(), stats.toString());
      assertFalse(restarted.isIndexTrained());
      assertExact(restarted, vectors, queries, live, 1);

      upsert(restarted, vectors, untrainedCount, total);
      TestVectors.awaitTrained(restarted);
      IntPredicate liveAfter = id -> id >= untrainedCount || live.test(id);
      TestVectors.awaitSize(restarted, IntStream.range(0, total).filter(liveAfter).count());
      assertExact(restarted, vectors, queries, liveAfter, 16); // every list probed: exact
    }
  }

  @Test
  void ivfPqAndSq8ReachTheirRecallAgainstExactGroundTruth() throws Exception {
    SplittableRandom random = new SplittableRandom(TestVectors.seed("ivfPqAndSq8Recall"));
    int count = 10_500; // PQ trains on 39 x 256 records
    float[][] vectors = TestVectors.clustered(random, count, D, 50);
    float[][] queries = TestVectors.clustered(random, QUERIES, D, 50);
    try (TestCluster cluster = new TestCluster(root, 1).startAll()) {
      cluster.awaitLeader();
      // Measured at this seed: PQ8 (2 dims a code) 0.816, SQ8 0.972; the bounds
      // leave room for other seeds and still catch a broken quantizer (random ids: ~0.001).
      double pq = recallOf(cluster, "pq", spec("IVF16,PQ8"), vectors, queries);
      double sq = recallOf(cluster, "sq", spec("SQ8"), vectors, queries);
      System.out.printf("recall@10: IVF16,PQ8 %.3f, SQ8 %.3f%n", pq, sq);
      assertTrue(pq >= 0.65, "IVF16,PQ8 recall@10 " + pq);
      assertTrue(sq >= 0.9, "SQ8 recall@10 " + sq);
    }
  }

  private static double recallOf(TestCluster cluster, String name, CollectionSpec spec,
      float[][] vectors, float[][] queries) throws Exception {
    VectorCollection collection = await(cluster.node(0).collections().create(name, spec));
    upsert(collection, vectors, 0, vectors.length);
    TestVectors.awaitTrained(collection);
    TestVectors.awaitSize(collection, vectors.length);
    int found = 0;
    for (float[] query : queries) {
      long[] exact = TestVectors.exactTopK(vectors, query, K, id -> true);
      long[] got = collection.search(SearchRequest.builder(query).k(K).nprobe(16)
          .consistency(ReadConsistency.LOCAL).build()).ids();
      for (long id : got) {
        for (long truth : exact) {
          found += id == truth ? 1 : 0;
        }
      }
    }
    return found / (double) (queries.length * K);
  }

  /** Unfiltered and filtered (attribute n in [0, 199]) searches return the exact top k. */
  private static void assertExact(VectorCollection collection, float[][] vectors,
      float[][] queries, IntPredicate live, int nprobe) {
    for (float[] query : queries) {
      assertArrayEquals(TestVectors.exactTopK(vectors, query, K, live), collection.search(
          SearchRequest.builder(query).k(K).nprobe(nprobe).build()).ids());
      assertArrayEquals(TestVectors.exactTopK(vectors, query, K, id -> live.test(id) && id < 200),
          collection.search(SearchRequest.builder(query).k(K).nprobe(nprobe)
              .filter(Filter.range("n", 0L, 199L)).build()).ids());
    }
  }

  private static CollectionSpec spec(String index) {
    return CollectionSpec.builder().dimension(D).metric(Metric.L2).index(index)
        .attribute("n", AttributeType.LONG).build();
  }

  private static void upsert(VectorCollection collection, float[][] vectors, int from, int to)
      throws Exception {
    for (int start = from; start < to; start += 1000) {
      UpsertBatch batch = new UpsertBatch();
      for (int id = start; id < Math.min(to, start + 1000); id++) {
        batch.upsert(id, vectors[id], Map.of("n", (long) id));
      }
      assertTrue(await(collection.upsertAll(batch)).succeeded());
    }
  }
}

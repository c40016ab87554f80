package io.trident.node;

import static io.trident.node.CollectionClusterTest.awaitCollection;
import static io.trident.node.KvStoreTest.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An IVF collection on three real members: the leader trains it once on the first records and
 * the trained quantizer goes through the log, so every replica answers each query with the same
 * ids, at every nprobe; nprobe is honoured (all lists probed: the exact answer; one list: not
 * always); the same holds after a restart that rebuilds from the stored records and quantizer,
 * and after one that loads the snapshot's index files. Seeded.
 */
class CollectionTrainingTest {
  private static final int D = 16;
  private static final int LISTS = 16;
  private static final int COUNT = 1000;
  private static final int QUERIES = 40;
  private static final int K = 10;
  private static final CollectionSpec SPEC = CollectionSpec.builder().dimension(D)
      .metric(Metric.L2).index("IVF" + LISTS + ",Flat").attribute("n", AttributeType.LONG)
      .build();

  @TempDir Path root;

  @Test
  void ivfIsTrainedOnceAndEveryReplicaAnswersWithTheSameIds() throws Exception {
    SplittableRandom random = new SplittableRandom(TestVectors.seed("ivfTrainedOnce"));
    float[][] vectors = TestVectors.clustered(random, COUNT, D, 30);
    float[][] queries = TestVectors.clustered(random, QUERIES, D, 30);
    assertEquals(39 * LISTS, SPEC.trainingRecords());
    try (TestCluster cluster = new TestCluster(root, 3).startAll()) {
      int leader = cluster.awaitLeader();
      VectorCollection created = await(cluster.node(leader).collections().create("ivf", SPEC));
      for (int from = 0; from < COUNT; from += 100) {
        VectorCollection writer = awaitCollection(cluster.node(from / 100 % 3), "ivf");
        UpsertBatch batch = new UpsertBatch();
        for (int id = from; id < from + 100; id++) {
          batch.upsert(id, vectors[id], Map.of("n", (long) id));
        }
        assertTrue(await(writer.upsertAll(batch)).succeeded());
      }
      assertTrue(created.search(queries[0], K).size() <= K);
      assertSameIdsOnEveryReplica(cluster, vectors, queries);

      for (int member = 0; member < 3; member++) { // no snapshot: rebuild with the stored quantizer
        cluster.stop(member);
      }
      for (int member = 0; member < 3; member++) {
        cluster.start(member);
      }
      cluster.awaitLeader();
      assertSameIdsOnEveryReplica(cluster, vectors, queries);

      for (int member = 0; member < 3; member++) {
        // A member that has applied nothing since its restart has nothing to snapshot (jraft
        // answers OK without saving): a linearizable search first makes it apply the log.
        awaitCollection(cluster.node(member), "ivf").search(SearchRequest.builder(queries[0])
            .k(K).consistency(ReadConsistency.LINEARIZABLE).build());
        await(((ReplicatedNode) cluster.node(member)).snapshotNow());
        cluster.stop(member);
        cluster.start(member);
      }
      cluster.awaitLeader();
      for (int member = 0; member < 3; member++) {
        IndexRecoveryStats stats = cluster.node(member).collections().indexRecoveryStats();
        assertEquals(1, stats.indexesLoaded(), "member " + member + ": " + stats);
      }
      assertSameIdsOnEveryReplica(cluster, vectors, queries);
    }
  }

  /**
   * Every replica holds every record and answers each query with the same ids at nprobe 1 and
   * at nprobe = lists; the latter is the exact answer, the former differs for some query.
   */
  private static void assertSameIdsOnEveryReplica(TestCluster cluster, float[][] vectors,
      float[][] queries) {
    VectorCollection[] replicas = new VectorCollection[3];
    for (int member = 0; member < 3; member++) {
      replicas[member] = awaitCollection(cluster.node(member), "ivf");
      TestVectors.awaitTrained(replicas[member]); // before it, searches are exact scans
      TestVectors.awaitSize(replicas[member], COUNT);
    }
    int narrowDiffersFromExact = 0;
    for (float[] query : queries) {
      long[] exact = TestVectors.exactTopK(vectors, query, K, id -> true);
      for (int nprobe : new int[] {1, LISTS}) {
        long[] first = ids(replicas[0].search(SearchRequest.builder(query).k(K).nprobe(nprobe)
            .consistency(ReadConsistency.LOCAL).build()));
        for (int member = 1; member < 3; member++) {
          assertArrayEquals(first, ids(replicas[member].search(SearchRequest.builder(query).k(K)
              .nprobe(nprobe).consistency(ReadConsistency.LOCAL).build())),
              "member " + member + " against member 0 at nprobe " + nprobe);
        }
        if (nprobe == LISTS) {
          assertArrayEquals(exact, first, "nprobe = lists is an exhaustive scan");
        } else if (!Arrays.equals(exact, first)) {
          narrowDiffersFromExact++;
        }
      }
    }
    assertTrue(narrowDiffersFromExact > 0, "nprobe 1 probed fewer lists than " + LISTS
        + " for some of " + queries.length + " queries");
  }

  private static long[] ids(SearchHits hits) {
    long[] ids = new long[hits.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = hits.get(i).id();
    }
    return ids;
  }
}

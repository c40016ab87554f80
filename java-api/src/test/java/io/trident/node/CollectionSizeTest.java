package io.trident.node;

import static io.trident.node.KvStoreTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.ReadConsistency;
import io.trident.SearchHits;
import io.trident.TridentNode;
import io.trident.UpsertBatch;
import io.trident.VectorCollection;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link VectorCollection#size} counts only records a search can find: the sweep benchmark
 * times "searchable on every replica" by it. The indexer publishes a batch's ids before their
 * vectors reach the native graph, so a size taken from the id map ran ahead of the graph.
 */
class CollectionSizeTest {
  private static final int D = 16;
  private static final int VECTORS = 3000;
  /** The last rows of the batch: the native adds reach them last. */
  private static final int TAIL = 64;

  @TempDir Path root;

  @Test
  void sizeNeverCountsRecordsTheIndexCannotFindYet() throws Exception {
    SplittableRandom random = new SplittableRandom(TestVectors.seed("sizeCountsSearchable"));
    float[][] vectors = TestVectors.clustered(random, VECTORS, D, 16);
    try (TestCluster cluster = new TestCluster(root, 1).startAll()) {
      TridentNode node = cluster.node(0);
      VectorCollection docs = await(node.collections().create("docs",
          VectorCollectionTest.spec(D)));
      UpsertBatch batch = new UpsertBatch("all");
      for (int i = 0; i < VECTORS; i++) {
        batch.upsert(i, vectors[i], null);
      }
      await(docs.upsertAll(batch)); // one entry, indexed by one apply call
      long deadline = System.currentTimeMillis() + 60_000;
      while (docs.size() < VECTORS && System.currentTimeMillis() < deadline) {
        Thread.onSpinWait();
      }
      assertEquals(VECTORS, docs.size());
      // LOCAL: what this member can find right now, without waiting for the indexer.
      for (int i = VECTORS - TAIL; i < VECTORS; i++) {
        SearchHits hits = docs.search(TestVectors.thorough(vectors[i], 1, ReadConsistency.LOCAL)
            .build());
        assertTrue(hits.size() == 1 && hits.get(0).distance() == 0f, "size() was " + VECTORS
            + " but vector " + i + " was not in the index: " + hits.hits());
      }
    }
  }
}

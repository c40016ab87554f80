package io.trident.node;

import static io.trident.node.CollectionClusterTest.awaitCollection;
import static io.trident.node.KvStoreTest.await;
import static io.trident.node.VectorCollectionTest.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.AttributeType;
import io.trident.CollectionSpec;
import io.trident.Filter;
import io.trident.IndexRecoveryStats;
import io.trident.ReadConsistency;
import io.trident.SearchHits;
import io.trident.UpsertBatch;
import io.trident.VectorCollection;
import io.trident.internal.node.ReplicatedNode;
import io.trident.search.Metric;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restart of a real one-member node whose collection has a snapshot: the index is loaded from
 * the snapshot's files and brought to the stored state (which the restart finds past the
 * snapshot: upserts, updates and deletes after it), never rebuilt; a corrupt or missing index
 * file in the snapshot falls back to a rebuild. The path is asserted through {@link
 * IndexRecoveryStats}, the content by exhaustive searches, gets and a filter. Seeded.
 */
class CollectionRecoveryTest {
  private static final int D = 16;
  private static final int COUNT = 400;
  private static final CollectionSpec SPEC = CollectionSpec.builder().dimension(D)
      .metric(Metric.L2).index("HNSW16").attribute("n", AttributeType.LONG).build();

  @TempDir Path root;

  @Test
  void restartLoadsTheIndexFromTheSnapshotAndReplaysTheNewerState() throws Exception {
    Scenario scenario = new Scenario("restartLoads");
    try (TestCluster cluster = new TestCluster(root, 1).startAll()) {
      scenario.writeSnapshotAndMore(cluster);
      cluster.stop(0);
      cluster.start(0);
      cluster.awaitLeader();
      IndexRecoveryStats stats = cluster.node(0).collections().indexRecoveryStats();
      assertEquals(1, stats.indexesLoaded(), stats.toString());
      assertEquals(0, stats.indexesRebuilt(), stats.toString());
      assertEquals(0, stats.loadFallbacks(), stats.toString());
      assertTrue(stats.recordsReplayed() >= Scenario.CHANGES_AFTER_SNAPSHOT,
          "the stored state past the snapshot was replayed into the loaded index: " + stats);
      scenario.assertHolds(awaitCollection(cluster.node(0), "docs"));
    }
  }

  @Test
  void corruptIndexFileInTheSnapshotFallsBackToARebuild() throws Exception {
    Scenario scenario = new Scenario("corruptIndexFile");
    try (TestCluster cluster = new TestCluster(root, 1).startAll()) {
      scenario.writeSnapshotAndMore(cluster);
      cluster.stop(0);
      Path file = snapshotFile(".index");
      try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
        raw.seek(raw.length() / 2);
        int value = raw.read();
        raw.seek(raw.length() / 2);
        raw.write(value ^ 0x5A);
      }
      assertRebuiltAfterRestart(cluster, scenario);
    }
  }

  @Test
  void missingSlotFileInTheSnapshotFallsBackToARebuild() throws Exception {
    Scenario scenario = new Scenario("missingSlotFile");
    try (TestCluster cluster = new TestCluster(root, 1).startAll()) {
      scenario.writeSnapshotAndMore(cluster);
      cluster.stop(0);
      Files.delete(snapshotFile(".slots"));
      assertRebuiltAfterRestart(cluster, scenario);
    }
  }

  private static void assertRebuiltAfterRestart(TestCluster cluster, Scenario scenario)
      throws Exception {
    cluster.start(0);
    cluster.awaitLeader();
    IndexRecoveryStats stats = cluster.node(0).collections().indexRecoveryStats();
    assertEquals(0, stats.indexesLoaded(), stats.toString());
    assertEquals(1, stats.indexesRebuilt(), stats.toString());
    assertEquals(1, stats.loadFallbacks(), stats.toString());
    scenario.assertHolds(awaitCollection(cluster.node(0), "docs"));
  }

  /** The one file of the latest snapshot whose name ends with {@code suffix}. */
  private Path snapshotFile(String suffix) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      List<Path> found = files.filter(path -> path.toString().contains("snapshot_")
          && path.getFileName().toString().endsWith(suffix)).toList();
      assertEquals(1, found.size(), "one snapshot file *" + suffix + ": " + found);
      return found.get(0);
    }
  }

  /**
   * Records 0..COUNT upserted; ids divisible by 5 deleted; a snapshot; then (the stored state
   * past the snapshot) ids COUNT..COUNT+50 added, ids 1..31 step 3 upserted with new vectors
   * (re-creating 10 and 25), ids 2..42 step 4 deleted.
   */
  private static final class Scenario {
    static final int CHANGES_AFTER_SNAPSHOT = 50;
    final float[][] vectors;
    final float[][] moved;

    Scenario(String name) {
      SplittableRandom random = new SplittableRandom(TestVectors.seed(name));
      vectors = TestVectors.clustered(random, COUNT + 50, D, 8);
      moved = TestVectors.clustered(random, COUNT, D, 8);
    }

    boolean present(int id) {
      boolean deletedLate = id >= 2 && id <= 42 && id % 4 == 2;
      return !deletedLate && (id >= COUNT || id % 5 != 0 || isMoved(id)); // moves re-create
    }

    boolean isMoved(int id) {
      return id >= 1 && id <= 31 && id % 3 == 1;
    }

    void writeSnapshotAndMore(TestCluster cluster) throws Exception {
      VectorCollection docs = await(cluster.node(0).collections().create("docs", SPEC));
      upsert(docs, 0, COUNT, vectors);
      for (int id = 0; id < COUNT; id += 5) {
        assertTrue(await(docs.delete(id)));
      }
      await(((ReplicatedNode) cluster.node(0)).snapshotNow());
      upsert(docs, COUNT, COUNT + 50, vectors);
      for (int id = 1; id <= 31; id += 3) {
        await(docs.upsert(id, moved[id], Map.of("n", (long) id + 1_000_000)));
      }
      for (int id = 2; id <= 42; id += 4) {
        await(docs.delete(id));
      }
    }

    private static void upsert(VectorCollection docs, int from, int to, float[][] vectors)
        throws Exception {
      UpsertBatch batch = new UpsertBatch();
      for (int id = from; id < to; id++) {
        batch.upsert(id, vectors[id], Map.of("n", (long) id));
      }
      assertTrue(await(docs.upsertAll(batch)).succeeded());
    }

    /** Exactly the live records, each found by its current vector, with current attributes. */
    void assertHolds(VectorCollection docs) throws Exception {
      SearchHits all = docs.search(TestVectors.thorough(vectors[0], vectors.length,
          ReadConsistency.LINEARIZABLE).build());
      for (int id = 0; id < vectors.length; id++) {
        assertEquals(present(id), contains(all, id), "record " + id);
        if (present(id) && id % 3 == 1) {
          float[] current = isMoved(id) ? moved[id] : vectors[id];
          assertEquals(id, docs.search(TestVectors.thorough(current, 1, ReadConsistency.LOCAL)
              .build()).get(0).id(), "record " + id + " found by its current vector");
        }
      }
      SearchHits movedOnly = docs.search(TestVectors.thorough(vectors[0], vectors.length,
          ReadConsistency.LOCAL).filter(Filter.range("n", 1_000_000L, 2_000_000L)).build());
      long expectedMoved = java.util.stream.IntStream.range(0, COUNT)
          .filter(id -> isMoved(id) && present(id)).count();
      assertEquals(expectedMoved, movedOnly.size(), "attributes after recovery");
    }
  }
}

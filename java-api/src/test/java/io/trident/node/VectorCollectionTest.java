package io.trident.node;

import static io.trident.node.KvStoreTest.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.AttributeType;
import io.trident.BatchResult;
import io.trident.BatchResult.Outcome;
import io.trident.CollectionSpec;
import io.trident.Filter;
import io.trident.ReadConsistency;
import io.trident.SearchHits;
import io.trident.SearchRequest;
import io.trident.TridentNode;
import io.trident.UpsertBatch;
import io.trident.VectorCollection;
import io.trident.VectorCollections;
import io.trident.VectorRecord;
import io.trident.error.UnknownCollectionException;
import io.trident.search.Metric;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vector collections on a real single-node store: writes, reads, searches, drop, restart. */
class VectorCollectionTest {
  private static final int D = 16;
  private static final ReadConsistency RYW = ReadConsistency.READ_YOUR_WRITES;

  @TempDir Path root;

  static CollectionSpec spec(int dimension) {
    return CollectionSpec.builder().dimension(dimension).metric(Metric.L2).index("HNSW32")
        .attribute("color", AttributeType.STRING).attribute("n", AttributeType.LONG)
        .attribute("price", AttributeType.DOUBLE).attribute("labels", AttributeType.TAG).build();
  }

  static Map<String, Object> attributes(int i) {
    return Map.of("color", i % 2 == 0 ? "red" : "blue", "n", (long) i, "price", i * 0.5,
        "labels", List.of("l" + i % 3, "all"));
  }

  @Test
  void upsertGetSearchUpdateAndDelete() throws Exception {
    SplittableRandom random = new SplittableRandom(TestVectors.seed("upsertGetSearch"));
    float[][] vectors = TestVectors.clustered(random, 200, D, 8);
    try (TestCluster cluster = new TestCluster(root, 1).startAll()) {
      TridentNode node = cluster.node(0);
      VectorCollection docs = await(node.collections().create("docs", spec(D)));
      assertEquals(List.of("docs"), node.collections().list());
      List<CompletableFuture<Void>> writes = new ArrayList<>();
      for (int i = 0; i < vectors.length; i++) {
        writes.add(docs.upsert(i, vectors[i], attributes(i)));
      }
      CompletableFuture.allOf(writes.toArray(new CompletableFuture[0])).get();

      VectorRecord stored = await(docs.get(5));
      assertArrayEquals(vectors[5], stored.vector());
      assertEquals(Map.of("color", "blue", "n", 5L, "price", 2.5, "labels", List.of("l2", "all")),
          stored.attributes());
      SearchHits hits = docs.search(TestVectors.thorough(vectors[7], 5, RYW)
          .includeAttributes(true).includeVectors(true).build());
      assertEquals(7, hits.get(0).id());
      assertEquals(0f, hits.get(0).distance());
      assertEquals(attributes(7), hits.get(0).attributes());
      assertArrayEquals(vectors[7], hits.get(0).vector());
      assertEquals(200, docs.size());

      assertTrue(await(docs.delete(7)));
      assertFalse(await(docs.delete(7)), "a second delete finds nothing");
      assertNull(await(docs.get(7)));
      assertFalse(contains(docs.search(TestVectors.thorough(vectors[7], 200, RYW).build()), 7));

      await(docs.upsert(8, vectors[9], Map.of("color", "green")));
      SearchHits updated = docs.search(TestVectors.thorough(vectors[9], 2, RYW)
          .includeAttributes(true).build());
      assertEquals(Set.of(8L, 9L), Set.of(updated.get(0).id(), updated.get(1).id()));
      assertEquals(Map.of("color", "green"), await(docs.get(8)).attributes());
      assertEquals(199, docs.search(TestVectors.thorough(vectors[0], 1000, RYW).build()).size(),
          "k larger than the collection returns every record");
    }
  }

  /** The README's example, run. */
  @Test
  void readmeExample() throws Exception {
    try (TestCluster cluster = new TestCluster(root, 1).startAll()) {
      TridentNode node = cluster.node(0);
      float[] vector = filled(1);
      float[] v43 = filled(2);
      float[] query = filled(1.5f);
      VectorCollections collections = node.collections();
      VectorCollection docs = collections.create("docs", CollectionSpec.builder()
          .dimension(D).metric(Metric.COSINE).index("HNSW32")
          .attribute("color", AttributeType.STRING).attribute("price", AttributeType.DOUBLE)
          .attribute("labels", AttributeType.TAG).build()).join();
      docs.upsert(42, vector, Map.of("color", "red", "price", 9.5, "labels", List.of("sale")))
          .join();
      docs.upsertAll(new UpsertBatch("ingest-7").upsert(43, v43, null).delete(41)).join();
      VectorRecord record = docs.get(43).join();
      assertArrayEquals(v43, record.vector());
      SearchRequest request = SearchRequest.builder(query).k(10).efSearch(128)
          .filter(Filter.and(Filter.eq("color", "red"), Filter.range("price", null, 20.0)))
          .includeAttributes(true).consistency(ReadConsistency.READ_YOUR_WRITES).build();
      SearchHits cheapRed = docs.search(request);
      assertEquals(42, cheapRed.get(0).id());
      assertEquals("red", cheapRed.get(0).attributes().get("color"));
      assertEquals(2, docs.search(query, 10).size());
      List<SearchHits> many = docs.searchBatch(List.of(request, SearchRequest.of(query, 10)));
      assertEquals(List.of(1, 2), List.of(many.get(0).size(), many.get(1).size()));
      assertEquals(42, docs.searchAsync(request).get().get(0).id());
      docs.delete(42).join();
    }
  }

  @Test
  void upsertBatchRetriedByIdAppliesOnce() throws Exception {
    try (TestCluster cluster = new TestCluster(root, 1).startAll()) {
      VectorCollection docs = await(cluster.node(0).collections().create("docs", spec(D)));
      float[] first = filled(1);
      UpsertBatch batch = new UpsertBatch("ingest-1").upsert(1, first, Map.of("n", 1L))
          .upsert(2, filled(2), null).delete(3);
      BatchResult result = await(docs.upsertAll(batch));
      assertFalse(result.duplicate());
      assertEquals(List.of(Outcome.APPLIED, Outcome.APPLIED, Outcome.NOT_FOUND), outcomes(result));
      await(docs.upsert(1, filled(5), null));
      BatchResult retried = await(docs.upsertAll(batch));
      assertTrue(retried.duplicate(), "the retry is recognised by its id");
      assertEquals(outcomes(result), outcomes(retried));
      assertArrayEquals(filled(5), await(docs.get(1)).vector(), "the retry applied nothing");
    }
  }

  @Test
  void restartRebuildsIndexesFromStoredRecordsAndDeletedIdsStayDeleted() throws Exception {
    SplittableRandom random = new SplittableRandom(TestVectors.seed("restartRebuilds"));
    float[][] vectors = TestVectors.clustered(random, 300, D, 8);
    try (TestCluster cluster = new TestCluster(root, 1).startAll()) {
      VectorCollection docs = await(cluster.node(0).collections().create("docs", spec(D)));
      UpsertBatch batch = new UpsertBatch();
      for (int i = 0; i < vectors.length; i++) {
        batch.upsert(1000 + i, vectors[i], attributes(i));
      }
      await(docs.upsertAll(batch));
      for (int i = 0; i < vectors.length; i += 3) {
        assertTrue(await(docs.delete(1000 + i)));
      }
      cluster.stop(0);
      cluster.start(0);
      cluster.awaitLeader();
      VectorCollection reopened = cluster.node(0).collections().collection("docs");
      TestVectors.awaitSize(reopened, 200);
      for (int i = 0; i < vectors.length; i++) {
        SearchHits hits = reopened.search(TestVectors.thorough(vectors[i], 300, RYW).build());
        assertEquals(200, hits.size());
        for (int deleted = 0; deleted < vectors.length; deleted += 3) {
          assertFalse(contains(hits, 1000 + deleted), "deleted id " + (1000 + deleted)
              + " came back after a restart");
        }
        if (i % 3 != 0) {
          assertEquals(1000 + i, hits.get(0).id());
        }
      }
      assertNull(await(reopened.get(1000)));
      assertEquals(attributes(1), await(reopened.get(1001)).attributes());
    }
  }

  @Test
  void dropRemovesEveryRecordAndANewCollectionOfTheSameNameStartsEmpty() throws Exception {
    try (TestCluster cluster = new TestCluster(root, 1).startAll()) {
      VectorCollection old = await(cluster.node(0).collections().create("docs", spec(D)));
      await(old.upsert(1, filled(1), attributes(1)));
      await(cluster.node(0).collections().drop("docs"));
      assertEquals(List.of(), cluster.node(0).collections().list());
      assertThrows(UnknownCollectionException.class,
          () -> cluster.node(0).collections().collection("docs"));
      assertThrows(UnknownCollectionException.class, () -> old.search(filled(1), 1));
      assertThrows(UnknownCollectionException.class, () -> old.upsert(2, filled(2), null));
      VectorCollection fresh = await(cluster.node(0).collections().create("docs", spec(D)));
      assertNull(await(fresh.get(1)), "records of the dropped collection never reappear");
      assertEquals(0, fresh.search(filled(1), 10).size());
      cluster.stop(0);
      cluster.start(0);
      cluster.awaitLeader();
      VectorCollection reopened = cluster.node(0).collections().collection("docs");
      assertEquals(0, reopened.size());
      assertNull(await(reopened.get(1)));
    }
  }

  static float[] filled(float value) {
    float[] vector = new float[D];
    Arrays.fill(vector, value);
    return vector;
  }

  static boolean contains(SearchHits hits, long id) {
    return Arrays.stream(hits.ids()).anyMatch(hit -> hit == id);
  }

  private static List<Outcome> outcomes(BatchResult result) {
    List<Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < result.size(); i++) {
      outcomes.add(result.outcome(i));
    }
    return outcomes;
  }
}

package io.trident.node;

import static io.trident.node.KvStoreTest.await;
import static io.trident.node.VectorCollectionTest.filled;
import static io.trident.node.VectorCollectionTest.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.AttributeType;
import io.trident.CollectionSpec;
import io.trident.Filter;
import io.trident.ReadConsistency;
import io.trident.SearchRequest;
import io.trident.TridentNode;
import io.trident.UpsertBatch;
import io.trident.VectorCollection;
import io.trident.VectorCollections;
import io.trident.error.AttributeTypeException;
import io.trident.error.ClosedHandleException;
import io.trident.error.CollectionExistsException;
import io.trident.error.DimensionMismatchException;
import io.trident.error.InvalidArgumentException;
import io.trident.error.InvalidSpecException;
import io.trident.error.NonFiniteVectorException;
import io.trident.error.UnknownAttributeException;
import io.trident.error.UnknownCollectionException;
import io.trident.search.Metric;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad collection input is a typed exception naming the problem, thrown before anything is
 * queued, and nothing is applied; k larger than the collection or the filter is not bad input.
 */
class CollectionBadInputTest {
  private static final int D = 16;

  @TempDir Path root;

  @Test
  void badSpecsAndNamesAreRejected() throws Exception {
    assertMessage(assertThrows(InvalidSpecException.class, () -> CollectionSpec.builder()
        .build()), "dimension must be 1..");
    assertMessage(assertThrows(InvalidSpecException.class, () -> CollectionSpec.builder()
        .dimension(8).index("IVF16,PQ3").build()), "divisible by 3");
    assertThrows(InvalidSpecException.class, () -> CollectionSpec.builder().dimension(8)
        .index("HNSW"));
    assertMessage(assertThrows(InvalidSpecException.class, () -> CollectionSpec.builder()
        .dimension(8).attribute("a", AttributeType.LONG).attribute("a", AttributeType.STRING)
        .build()), "declared twice");
    assertMessage(assertThrows(InvalidSpecException.class, () -> CollectionSpec.builder()
        .dimension(8).attribute("1st", AttributeType.LONG).build()), "attribute name");
    assertThrows(InvalidSpecException.class, () -> CollectionSpec.builder().dimension(8)
        .attribute("a", null).build());
    try (TestCluster cluster = new TestCluster(root, 1).startAll()) {
      VectorCollections collections = cluster.node(0).collections();
      await(collections.create("docs", spec(D)));
      assertMessage(assertThrows(CollectionExistsException.class,
          () -> collections.create("docs", spec(D))), "already exists");
      assertThrows(InvalidArgumentException.class, () -> collections.create(null, spec(D)));
      assertThrows(InvalidArgumentException.class, () -> collections.create("bad name", spec(D)));
      assertThrows(InvalidArgumentException.class, () -> collections.create("x".repeat(65),
          spec(D)));
      assertThrows(InvalidArgumentException.class, () -> collections.create("other", null));
      assertMessage(assertThrows(UnknownCollectionException.class,
          () -> collections.collection("missing")), "no collection named missing");
      assertThrows(UnknownCollectionException.class, () -> collections.drop("missing"));
      assertEquals(List.of("docs"), collections.list(), "nothing else was created");
    }
  }

  @Test
  void badRecordsAreRejectedAndNothingIsApplied() throws Exception {
    try (TestCluster cluster = new TestCluster(root, 1).startAll()) {
      VectorCollection docs = await(cluster.node(0).collections().create("docs", spec(D)));
      VectorCollection cosine = await(cluster.node(0).collections().create("cosine",
          CollectionSpec.builder().dimension(D).metric(Metric.COSINE).build()));
      assertMessage(assertThrows(DimensionMismatchException.class,
          () -> docs.upsert(1, new float[D + 1], null)), "dimension " + (D + 1));
      assertThrows(InvalidArgumentException.class, () -> docs.upsert(1, null, null));
      float[] nan = filled(1);
      nan[3] = Float.NaN;
      assertMessage(assertThrows(NonFiniteVectorException.class,
          () -> docs.upsert(1, nan, null)), "NaN at component 3");
      float[] infinite = filled(1);
      infinite[0] = Float.NEGATIVE_INFINITY;
      assertThrows(NonFiniteVectorException.class, () -> docs.upsert(1, infinite, null));
      assertMessage(assertThrows(InvalidArgumentException.class,
          () -> cosine.upsert(1, new float[D], null)), "all zeros");
      assertMessage(assertThrows(UnknownAttributeException.class,
          () -> docs.upsert(1, filled(1), Map.of("colour", "red"))), "no attribute \"colour\"");
      assertWrongType(() -> docs.upsert(1, filled(1), Map.of("n", "seven")));
      assertWrongType(() -> docs.upsert(1, filled(1), Map.of("n", 7.5)));
      assertWrongType(() -> docs.upsert(1, filled(1), Map.of("color", 7)));
      assertWrongType(() -> docs.upsert(1, filled(1), Map.of("price", Double.NaN)));
      assertWrongType(() -> docs.upsert(1, filled(1), Map.of("labels", List.of("ok", 3))));
      Map<String, Object> nullValue = new java.util.HashMap<>();
      nullValue.put("color", null);
      assertWrongType(() -> docs.upsert(1, filled(1), nullValue));
      assertThrows(InvalidArgumentException.class, () -> docs.upsertAll(null));
      assertThrows(InvalidArgumentException.class, () -> docs.upsertAll(new UpsertBatch("b")));
      assertThrows(InvalidArgumentException.class, () -> new UpsertBatch(""));
      assertThrows(InvalidArgumentException.class, () -> new UpsertBatch("b").upsert(1, null,
          null));
      UpsertBatch badInside = new UpsertBatch("bad-inside").upsert(2, filled(2), null)
          .upsert(3, new float[3], null);
      assertThrows(DimensionMismatchException.class, () -> docs.upsertAll(badInside));
      assertNull(await(docs.get(1, ReadConsistency.READ_YOUR_WRITES)));
      assertNull(await(docs.get(2)), "no part of a rejected batch was applied");
      assertEquals(0, docs.search(SearchRequest.builder(filled(1)).k(10)
          .consistency(ReadConsistency.LINEARIZABLE).build()).size(), "nothing was applied");
    }
  }

  @Test
  void badSearchesAreRejectedButLargeKIsNot() throws Exception {
    try (TestCluster cluster = new TestCluster(root, 1).startAll()) {
      VectorCollection docs = await(cluster.node(0).collections().create("docs", spec(D)));
      for (int i = 0; i < 5; i++) {
        await(docs.upsert(i, filled(i), Map.of("n", (long) i, "color", "red")));
      }
      assertMessage(assertThrows(InvalidArgumentException.class, () -> docs.search(filled(1),
          0)), "k must be in 1..");
      assertThrows(InvalidArgumentException.class, () -> docs.search(filled(1), -3));
      assertThrows(InvalidArgumentException.class, () -> SearchRequest.builder(null).build());
      assertThrows(InvalidArgumentException.class, () -> SearchRequest.builder(filled(1))
          .efSearch(-1).build());
      assertThrows(DimensionMismatchException.class, () -> docs.search(new float[2], 3));
      float[] nan = filled(1);
      nan[0] = Float.NaN;
      assertThrows(NonFiniteVectorException.class, () -> docs.search(nan, 3));
      assertThrows(UnknownAttributeException.class, () -> docs.search(filtered(
          Filter.eq("size", 3L))));
      assertWrongType(() -> docs.search(filtered(Filter.eq("n", "three"))));
      assertWrongType(() -> docs.search(filtered(Filter.range("n", 1.5, 3L))));
      assertWrongType(() -> docs.search(filtered(Filter.range("color", 1L, 3L))));
      assertWrongType(() -> docs.search(filtered(Filter.in("labels", "a", 5L))));
      assertThrows(InvalidArgumentException.class, () -> Filter.in("n"));
      assertThrows(InvalidArgumentException.class, () -> Filter.range("n", null, null));
      assertThrows(InvalidArgumentException.class, () -> Filter.and());
      assertThrows(InvalidArgumentException.class, () -> Filter.not(null));
      assertThrows(InvalidArgumentException.class, () -> docs.search(null));
      assertThrows(InvalidArgumentException.class, () -> docs.searchBatch(List.of()));
      assertThrows(InvalidArgumentException.class, () -> docs.searchAsync(null));
      assertThrows(DimensionMismatchException.class, () -> docs.searchAsync(SearchRequest.of(
          new float[1], 3)));

      SearchRequest everything = SearchRequest.builder(filled(0)).k(10_000)
          .consistency(ReadConsistency.READ_YOUR_WRITES).build();
      assertEquals(5, docs.search(everything).size(), "k above the collection size: all hits");
      assertEquals(2, docs.search(SearchRequest.builder(filled(0)).k(10).filter(
          Filter.range("n", 3L, null)).build()).size(), "k above what the filter lets through");
      assertEquals(2, await(docs.searchAsync(SearchRequest.builder(filled(0)).k(10).filter(
          Filter.range("n", 3L, null)).build())).size());
    }
  }

  @Test
  void closedNodeRejectsEveryCall() throws Exception {
    TestCluster cluster = new TestCluster(root, 1).startAll();
    TridentNode node = cluster.node(0);
    VectorCollection docs = await(node.collections().create("docs", spec(D)));
    VectorCollections collections = node.collections();
    cluster.close();
    List<Executable> calls = new ArrayList<>(List.of(
        node::collections,
        () -> collections.create("x", spec(D)),
        () -> collections.collection("docs"),
        () -> collections.drop("docs"),
        collections::list,
        () -> docs.upsert(1, filled(1), null),
        () -> docs.delete(1),
        () -> docs.get(1),
        () -> docs.search(filled(1), 3),
        () -> docs.searchAsync(SearchRequest.of(filled(1), 3)),
        docs::size));
    for (Executable call : calls) {
      assertThrows(ClosedHandleException.class, call);
    }
  }

  private static SearchRequest filtered(Filter filter) {
    return SearchRequest.builder(filled(1)).k(3).filter(filter).build();
  }

  private static void assertWrongType(Executable call) {
    assertMessage(assertThrows(AttributeTypeException.class, call), "attribute");
  }

  private static void assertMessage(Throwable error, String fragment) {
    assertTrue(error.getMessage().contains(fragment), "message \"" + error.getMessage()
        + "\" should mention \"" + fragment + "\"");
  }
}

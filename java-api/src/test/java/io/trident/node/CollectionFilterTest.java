package io.trident.node;

import static io.trident.node.KvStoreTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.AttributeType;
import io.trident.CollectionSpec;
import io.trident.Filter;
import io.trident.ReadConsistency;
import io.trident.SearchHits;
import io.trident.SearchRequest;
import io.trident.UpsertBatch;
import io.trident.VectorCollection;
import io.trident.search.Metric;
import io.trident.search.eval.GroundTruth;
import io.trident.search.eval.Recall;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Filtered search on a real node: only matching ids come back, and recall@10 against the exact
 * filtered ground truth holds at about 1% and 10% selectivity (the filter runs inside the native
 * search, so a narrow filter still yields k hits). Seeded; the seed is printed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CollectionFilterTest {
  private static final int N = 20_000;
  private static final int D = 32;
  private static final int QUERIES = 40;
  private static final int K = 10;
  private static final double RECALL_MIN = 0.95;
  private static final String[] TAGS = {"a", "b", "c", "d"};

  @TempDir static Path root;
  private TestCluster cluster;
  private VectorCollection collection;
  private float[][] base;
  private float[][] queries;
  private final List<Map<String, Object>> attributes = new ArrayList<>();

  @BeforeAll
  void ingest() throws Exception {
    SplittableRandom random = new SplittableRandom(TestVectors.seed("CollectionFilterTest"));
    float[][] all = TestVectors.clustered(random, N + QUERIES, D, 20);
    base = Arrays.copyOf(all, N);
    queries = Arrays.copyOfRange(all, N, N + QUERIES);
    cluster = new TestCluster(root, 1).startAll();
    collection = await(cluster.node(0).collections().create("filtered", CollectionSpec.builder()
        .dimension(D).metric(Metric.L2).index("HNSW32")
        .attribute("bucket", AttributeType.LONG).attribute("group", AttributeType.STRING)
        .attribute("price", AttributeType.DOUBLE).attribute("tags", AttributeType.TAG).build()));
    UpsertBatch batch = new UpsertBatch();
    for (int row = 0; row < N; row++) {
      List<String> tags = new ArrayList<>();
      for (String tag : TAGS) {
        if (random.nextInt(10) < 3) {
          tags.add(tag);
        }
      }
      attributes.add(Map.of("bucket", (long) (row % 100), "group", "g" + row % 10,
          "price", random.nextDouble() * 100, "tags", tags));
      batch.upsert(id(row), base[row], attributes.get(row));
      if (batch.size() == 1000) {
        await(collection.upsertAll(batch));
        batch = new UpsertBatch();
      }
    }
    TestVectors.awaitSize(collection, N);
  }

  @org.junit.jupiter.api.AfterAll
  void close() {
    cluster.close();
  }

  private static long id(int row) {
    return 10_000 + 3L * row;
  }

  private static int row(long id) {
    return (int) ((id - 10_000) / 3);
  }

  @Test
  void onePercentSelectivity() {
    check("bucket == 7", Filter.eq("bucket", 7L), row -> row % 100 == 7);
    check("group g1 and price in [0, 10]", Filter.and(Filter.eq("group", "g1"),
        Filter.range("price", 0, 10.0)), row -> row % 10 == 1 && price(row) <= 10);
  }

  @Test
  void tenPercentSelectivity() {
    check("group == g3", Filter.eq("group", "g3"), row -> row % 10 == 3);
    check("bucket in [20, 29]", Filter.range("bucket", 20L, 29L),
        row -> row % 100 >= 20 && row % 100 <= 29);
    check("bucket 5 or group g4", Filter.or(Filter.eq("bucket", 5L), Filter.eq("group", "g4")),
        row -> row % 100 == 5 || row % 10 == 4);
  }

  @Test
  void broadFiltersTagsAndNegation() {
    check("not group g0", Filter.not(Filter.eq("group", "g0")), row -> row % 10 != 0);
    check("tag a or d", Filter.in("tags", "a", "d"),
        row -> tags(row).contains("a") || tags(row).contains("d"));
    check("tag b and not c", Filter.and(Filter.eq("tags", "b"), Filter.not(Filter.eq("tags",
        "c"))), row -> tags(row).contains("b") && !tags(row).contains("c"));
    check("group in g1, g2 with price over 50", Filter.and(Filter.in("group", "g1", "g2"),
        Filter.range("price", 50, null)), row -> (row % 10 == 1 || row % 10 == 2)
            && price(row) >= 50);
  }

  @Test
  void filtersLettingThroughFewerThanKReturnWhatMatches() {
    check("bucket 7 with price under 5", Filter.and(Filter.eq("bucket", 7L),
        Filter.range("price", null, 5.0)), row -> row % 100 == 7 && price(row) <= 5);
    check("no such group", Filter.eq("group", "none"), row -> false);
  }

  private double price(int row) {
    return (Double) attributes.get(row).get("price");
  }

  @SuppressWarnings("unchecked")
  private List<String> tags(int row) {
    return (List<String>) attributes.get(row).get("tags");
  }

  /** Every hit matches, each query gets min(k, matching) hits, and recall@10 holds. */
  private void check(String what, Filter filter, IntPredicate matches) {
    long matching = java.util.stream.IntStream.range(0, N).filter(matches).count();
    List<SearchRequest> requests = new ArrayList<>();
    for (float[] query : queries) {
      requests.add(SearchRequest.builder(query).k(K).efSearch(64).filter(filter)
          .consistency(ReadConsistency.READ_YOUR_WRITES).build());
    }
    List<SearchHits> results = collection.searchBatch(requests);
    long[][] rows = new long[QUERIES][];
    for (int q = 0; q < QUERIES; q++) {
      SearchHits hits = results.get(q);
      assertEquals(Math.min(K, matching), hits.size(), what + ": query " + q + " hit count");
      rows[q] = Arrays.stream(hits.ids()).map(id -> row(id)).toArray();
      for (long row : rows[q]) {
        assertTrue(matches.test((int) row), what + ": row " + row + " does not match");
      }
    }
    if (matching == 0) {
      return;
    }
    int[][] truth = GroundTruth.exact(base, queries, K, Metric.L2, matches);
    double recall = Recall.atK(rows, truth, K);
    System.out.printf("filter %-40s %6d matching (%5.2f%%)  recall@10 %.4f%n", what, matching,
        100.0 * matching / N, recall);
    assertTrue(recall >= RECALL_MIN, what + ": recall@10 " + recall + " < " + RECALL_MIN);
  }
}

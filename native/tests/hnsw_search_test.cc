// Our HNSW search over a FAISS-built graph finds what FAISS's own search finds (recall within a
// small margin, same ground truth), honours tombstones, and works for inner product.
#include <faiss/IndexHNSW.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <vector>

#include "trident/hnsw_search.h"
#include "trident/hnsw_upper_layout.h"
#include "vector_index_test_data.h"

namespace trident {
namespace {

constexpr size_t kDimension = 32;
constexpr size_t kBase = 4000;
constexpr size_t kQueries = 100;
constexpr size_t kK = 10;

const float* stored_vectors(const faiss::IndexHNSWFlat& index) {
  return static_cast<const faiss::IndexFlat*>(index.storage)->get_xb();
}

struct Fixture {
  std::vector<float> base = testing::clustered_vectors(kBase, kDimension, 20, 1);
  std::vector<float> queries = testing::clustered_vectors(kQueries, kDimension, 20, 1 + 1000);
  faiss::IndexHNSWFlat index{int(kDimension), 16};
  HnswLevel0Layout level0;
  Fixture() {
    index.hnsw.efConstruction = 100;
    index.add(kBase, base.data());
    level0.rebuild(index.hnsw, stored_vectors(index), kDimension, kBase, VectorEncoding::kFloat32);
  }
  HnswGraphView view(const uint64_t* tombstones = nullptr) const {
    HnswGraphView v;
    v.graph = &index.hnsw;
    v.level0 = &level0;
    v.dimension = kDimension;
    v.node_count = kBase;
    v.tombstones = tombstones;
    return v;
  }
};

TEST(HnswSearch, RecallMatchesFaissOnTheSameGraph) {
  Fixture f;
  const auto truth = testing::exact_neighbours(f.base, f.queries, kDimension, kK);
  for (int ef : {16, 64}) {
    std::vector<float> distances(kQueries * kK);
    std::vector<int64_t> ours(kQueries * kK), theirs(kQueries * kK);
    for (size_t q = 0; q < kQueries; ++q) {
      hnsw_search_one(f.view(), f.queries.data() + q * kDimension, kK, ef,
                      distances.data() + q * kK, ours.data() + q * kK);
      for (size_t i = 1; i < kK; ++i) EXPECT_LE(distances[q * kK + i - 1], distances[q * kK + i]);
    }
    f.index.hnsw.efSearch = ef;  // FAISS 1.7.3's IndexHNSW::search ignores SearchParametersHNSW
    f.index.search(kQueries, f.queries.data(), kK, distances.data(), theirs.data());
    auto identity = [](int64_t label) { return label; };
    const double our_recall = testing::recall_at_k(truth, ours, kK, identity);
    const double faiss_recall = testing::recall_at_k(truth, theirs, kK, identity);
    EXPECT_GE(our_recall, faiss_recall - 0.02) << "ef=" << ef;
    std::printf("ef=%d recall@10 ours=%.3f faiss=%.3f\n", ef, our_recall, faiss_recall);
    if (ef == 64) EXPECT_GE(our_recall, 0.9);
  }
}

TEST(HnswSearch, HalfLayoutWithRerankMatchesFloatLayout) {
  Fixture f;
  HnswLevel0Layout half;
  half.rebuild(f.index.hnsw, stored_vectors(f.index), kDimension, kBase, VectorEncoding::kFloat16);
  HnswGraphView half_view = f.view();
  half_view.level0 = &half;
  half_view.exact_vectors = stored_vectors(f.index);
  const auto truth = testing::exact_neighbours(f.base, f.queries, kDimension, kK);
  std::vector<float> d32(kQueries * kK), d16(kQueries * kK);
  std::vector<int64_t> l32(kQueries * kK), l16(kQueries * kK);
  for (size_t q = 0; q < kQueries; ++q) {
    const float* query = f.queries.data() + q * kDimension;
    hnsw_search_one(f.view(), query, kK, 48, d32.data() + q * kK, l32.data() + q * kK);
    hnsw_search_one(half_view, query, kK, 48, d16.data() + q * kK, l16.data() + q * kK);
    for (size_t i = 0; i < kK; ++i) {  // reported distances are the exact float32 ones
      const float* row = stored_vectors(f.index) + size_t(l16[q * kK + i]) * kDimension;
      float exact = 0;
      for (size_t j = 0; j < kDimension; ++j) exact += (query[j] - row[j]) * (query[j] - row[j]);
      EXPECT_NEAR(d16[q * kK + i], exact, 1e-4f * (1 + exact));
      if (i > 0) EXPECT_LE(d16[q * kK + i - 1], d16[q * kK + i]);
    }
  }
  auto identity = [](int64_t label) { return label; };
  EXPECT_NEAR(testing::recall_at_k(truth, l16, kK, identity),
              testing::recall_at_k(truth, l32, kK, identity), 0.02);
}

TEST(HnswSearch, TombstonedNodesAreNeverReturned) {
  Fixture f;
  std::vector<uint64_t> tombstones((kBase + 63) / 64, 0);
  for (size_t node = 0; node < kBase; node += 2) tombstones[node >> 6] |= uint64_t(1) << (node & 63);
  std::vector<float> distances(kK);
  std::vector<int64_t> nodes(kK);
  for (size_t q = 0; q < kQueries; ++q) {
    const int found = hnsw_search_one(f.view(tombstones.data()), f.queries.data() + q * kDimension,
                                      kK, 32, distances.data(), nodes.data());
    ASSERT_EQ(found, int(kK));
    for (int64_t node : nodes) EXPECT_EQ(node % 2, 1) << "returned tombstoned node " << node;
  }
}

struct EveryThirdNode final : NodeFilter {
  bool accepts(int32_t node) const override { return node % 3 == 0; }
};

TEST(HnswSearch, FilteredWalkReturnsOnlyAcceptedNodesAndGivesUpOverItsLimit) {
  Fixture f;
  const EveryThirdNode filter;
  std::vector<float> distances(kK);
  std::vector<int64_t> nodes(kK);
  size_t computed = 0;
  for (size_t q = 0; q < kQueries; ++q) {
    const float* query = f.queries.data() + q * kDimension;
    ASSERT_EQ(hnsw_search_filtered(f.view(), filter, 0, query, kK, 32, distances.data(),
                                   nodes.data(), &computed),
              int(kK));
    for (int64_t node : nodes) EXPECT_EQ(node % 3, 0) << "returned rejected node " << node;
    EXPECT_GT(computed, size_t(kK));
    EXPECT_EQ(hnsw_search_filtered(f.view(), filter, 10, query, kK, 32, distances.data(),
                                   nodes.data(), &computed),
              -1);
    EXPECT_EQ(nodes, std::vector<int64_t>(kK, -1));
    EXPECT_GT(computed, size_t(10));
  }
}

TEST(HnswSearch, InnerProductReturnsLargestProductsFirst) {
  std::vector<float> base = testing::clustered_vectors(2000, kDimension, 10, 5);
  faiss::IndexHNSWFlat index(int(kDimension), 16, faiss::METRIC_INNER_PRODUCT);
  index.add(2000, base.data());
  HnswLevel0Layout level0;
  level0.rebuild(index.hnsw, stored_vectors(index), kDimension, 2000, VectorEncoding::kFloat32);
  HnswGraphView v;
  v.graph = &index.hnsw;
  v.level0 = &level0;
  v.dimension = kDimension;
  v.node_count = 2000;
  v.inner_product = true;
  std::vector<float> distances(kK), faiss_distances(kK);
  std::vector<int64_t> nodes(kK), faiss_nodes(kK);
  ASSERT_EQ(hnsw_search_one(v, base.data(), kK, 64, distances.data(), nodes.data()), int(kK));
  for (size_t i = 1; i < kK; ++i) EXPECT_GE(distances[i - 1], distances[i]);
  index.hnsw.efSearch = 64;
  index.search(1, base.data(), kK, faiss_distances.data(), faiss_nodes.data());
  EXPECT_NEAR(distances[0], faiss_distances[0], 1e-3 * std::fabs(faiss_distances[0]));
}

TEST(HnswLevel0Layout, IncrementalSyncMatchesFaissLinksAndVectors) {
  std::vector<float> base = testing::clustered_vectors(3000, kDimension, 10, 6);
  faiss::IndexHNSWFlat index(int(kDimension), 8);
  HnswLevel0Layout level0;
  level0.rebuild(index.hnsw, nullptr, kDimension, 0, VectorEncoding::kFloat32);
  size_t stale_lists = 0;
  for (size_t first = 0; first < 3000; first += 250) {
    index.add(250, base.data() + first * kDimension);
    level0.sync_after_add(index.hnsw, stored_vectors(index), first, first + 250);
  }
  ASSERT_EQ(level0.node_count(), 3000u);
  const size_t slots = level0.level0_slots();
  for (size_t node = 0; node < 3000; ++node) {
    ASSERT_EQ(0, std::memcmp(level0.vector_bytes(node), base.data() + node * kDimension, kDimension * 4));
    const int32_t* faiss_links = index.hnsw.neighbors.data() + index.hnsw.offsets[node];
    if (std::memcmp(level0.links(node), faiss_links, slots * 4) != 0) ++stale_lists;
    for (size_t s = 0; s < slots; ++s) ASSERT_LT(level0.links(node)[s], 3000);
  }
  EXPECT_LE(stale_lists, 30u) << "incremental sync should miss only rare pruned back-links";
  // all_links (after a parallel add) refreshes every list: exact.
  HnswLevel0Layout exact;
  exact.rebuild(index.hnsw, stored_vectors(index), kDimension, 2750, VectorEncoding::kFloat32);
  exact.sync_after_add(index.hnsw, stored_vectors(index), 2750, 3000, true, 2);
  ASSERT_EQ(exact.node_count(), 3000u);
  for (size_t node = 0; node < 3000; ++node) {
    const int32_t* faiss_links = index.hnsw.neighbors.data() + index.hnsw.offsets[node];
    ASSERT_EQ(0, std::memcmp(exact.links(node), faiss_links, slots * 4));
    ASSERT_EQ(0, std::memcmp(exact.vector_bytes(node), base.data() + node * kDimension,
                             kDimension * 4));
  }
  level0.rebuild(index.hnsw, stored_vectors(index), kDimension, 3000, VectorEncoding::kFloat32);
  for (size_t node = 0; node < 3000; ++node) {
    const int32_t* faiss_links = index.hnsw.neighbors.data() + index.hnsw.offsets[node];
    ASSERT_EQ(0, std::memcmp(level0.links(node), faiss_links, slots * 4));
  }
}

// Node id of entry e of level l, following the `lower` indices down to level 1.
int32_t node_of(const HnswUpperLayout& upper, int l, int32_t e) {
  for (; l >= 1; --l) e = upper.level(l).lower(size_t(e));
  return e;
}

void expect_upper_matches_faiss(const faiss::HNSW& graph, const HnswLevel0Layout& level0) {
  const HnswUpperLayout& upper = level0.upper();
  ASSERT_EQ(upper.top_level(), graph.max_level);
  EXPECT_EQ(node_of(upper, upper.top_level(), int32_t(upper.entry())), graph.entry_point);
  for (int l = 1; l <= upper.top_level(); ++l) {
    const HnswUpperLayout::Level& level = upper.level(l);
    size_t expected_count = 0;
    for (int levels : graph.levels) expected_count += levels - 1 >= l ? 1 : 0;
    ASSERT_EQ(level.count, expected_count) << "level " << l;
    for (size_t e = 0; e < level.count; ++e) {
      const int32_t node = node_of(upper, l, int32_t(e));
      ASSERT_GE(graph.levels[size_t(node)] - 1, l);
      size_t begin = 0, end = 0;
      graph.neighbor_range(node, l, &begin, &end);
      size_t s = 0;
      for (size_t slot = begin; slot < end && graph.neighbors[slot] >= 0; ++slot, ++s) {
        ASSERT_EQ(node_of(upper, l, level.links(e)[s]), graph.neighbors[slot]);
      }
      if (s < level.slots) EXPECT_EQ(level.links(e)[s], -1);
      const auto* vector = static_cast<const uint8_t*>(level.vectors_base()) + e * level.block_bytes;
      ASSERT_EQ(0, std::memcmp(vector, level0.vector_bytes(size_t(node)), level0.vector_bytes_count()));
    }
  }
}

TEST(HnswUpperLayout, MirrorsFaissUpperLevelsAfterRebuildAndIncrementalAdds) {
  std::vector<float> base = testing::clustered_vectors(3000, kDimension, 10, 7);
  faiss::IndexHNSWFlat index(int(kDimension), 4);  // small M: several upper levels
  HnswLevel0Layout level0;
  level0.rebuild(index.hnsw, nullptr, kDimension, 0, VectorEncoding::kFloat16);
  EXPECT_TRUE(level0.upper().empty());
  for (size_t first = 0; first < 3000; first += 300) {
    index.add(300, base.data() + first * kDimension);
    level0.sync_after_add(index.hnsw, stored_vectors(index), first, first + 300);
    expect_upper_matches_faiss(index.hnsw, level0);
  }
  level0.rebuild(index.hnsw, stored_vectors(index), kDimension, 3000, VectorEncoding::kFloat32);
  expect_upper_matches_faiss(index.hnsw, level0);
}

TEST(HnswSearch, EmptyGraphFillsWorstSlots) {
  faiss::IndexHNSWFlat index(int(kDimension), 16);
  HnswGraphView v;
  v.graph = &index.hnsw;
  v.dimension = kDimension;
  std::vector<float> query(kDimension, 0.0f), distances(3);
  std::vector<int64_t> nodes(3);
  EXPECT_EQ(hnsw_search_one(v, query.data(), 3, 16, distances.data(), nodes.data()), 0);
  for (int64_t node : nodes) EXPECT_EQ(node, -1);
}

}  // namespace
}  // namespace trident

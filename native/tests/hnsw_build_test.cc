// hnsw_add_parallel (src/hnsw_build.h): on one thread it builds exactly FAISS's own graph (same
// levels, insertion order and links as faiss::IndexHNSW::add), for L2 and inner product and for a
// second batch added to an existing graph; on two threads it builds a graph of the same quality.
#include <gtest/gtest.h>

#include <faiss/IndexHNSW.h>
#include <omp.h>

#include <cstdio>
#include <vector>

#include "hnsw_build.h"
#include "vector_index_test_data.h"

namespace trident {
namespace {

constexpr int kDimension = 20;
constexpr uint32_t kSeed = 73;

void expect_same_graph(const faiss::IndexHNSW& a, const faiss::IndexHNSW& b) {
  EXPECT_EQ(a.ntotal, b.ntotal);
  EXPECT_EQ(a.hnsw.entry_point, b.hnsw.entry_point);
  EXPECT_EQ(a.hnsw.max_level, b.hnsw.max_level);
  EXPECT_EQ(a.hnsw.levels, b.hnsw.levels);
  EXPECT_EQ(a.hnsw.offsets, b.hnsw.offsets);
  EXPECT_TRUE(a.hnsw.neighbors == b.hnsw.neighbors) << "links differ";
}

TEST(HnswAddParallel, OneThreadBuildsFaissOwnGraph) {
  std::printf("seed %u\n", kSeed);
  const auto rows = testing::clustered_vectors(3000, kDimension, 20, kSeed);
  for (const auto metric : {faiss::METRIC_L2, faiss::METRIC_INNER_PRODUCT}) {
    faiss::IndexHNSWFlat faiss_built(kDimension, 16, metric);
    faiss::IndexHNSWFlat ours(kDimension, 16, metric);
    faiss_built.hnsw.efConstruction = ours.hnsw.efConstruction = 40;
    const int previous = omp_get_max_threads();
    omp_set_num_threads(1);
    faiss_built.add(2000, rows.data());  // a first batch, then one into the existing graph
    faiss_built.add(1000, rows.data() + 2000 * kDimension);
    omp_set_num_threads(previous);
    hnsw_add_parallel(ours, 2000, rows.data(), 1);
    hnsw_add_parallel(ours, 1000, rows.data() + 2000 * kDimension, 1);
    expect_same_graph(faiss_built, ours);
  }
}

TEST(HnswAddParallel, TwoThreadsFindTheTrueNeighbours) {
  std::printf("seed %u\n", kSeed);
  constexpr int64_t kCount = 5000, kQueries = 100;
  constexpr int kK = 10;
  const auto rows = testing::clustered_vectors(kCount, kDimension, 30, kSeed);
  const auto queries = testing::clustered_vectors(kQueries, kDimension, 30, kSeed + 1);
  const auto truth = testing::exact_neighbours(rows, queries, kDimension, kK);
  faiss::IndexHNSWFlat index(kDimension, 16);
  index.hnsw.efConstruction = 80;
  hnsw_add_parallel(index, kCount, rows.data(), 2);
  EXPECT_EQ(index.ntotal, kCount);
  index.hnsw.efSearch = 256;
  std::vector<float> distances(kQueries * kK);
  std::vector<faiss::Index::idx_t> labels(kQueries * kK);
  const int previous = omp_get_max_threads();
  omp_set_num_threads(1);
  index.search(kQueries, queries.data(), kK, distances.data(), labels.data());
  omp_set_num_threads(previous);
  std::vector<int64_t> found(labels.begin(), labels.end());
  const double recall = testing::recall_at_k(truth, found, kK, [](int64_t id) { return id; });
  std::printf("two-thread build recall@10 at ef 256: %.4f\n", recall);
  EXPECT_GT(recall, 0.97);
}

}  // namespace
}  // namespace trident

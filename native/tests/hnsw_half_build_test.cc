// Half-precision HNSW construction (KernelFlatStorage::begin_half_build, used by bulk adds):
// construction distances from the half copy stay within the half-rounding bound of the exact
// ones, the copy follows adds, ending it restores float32 distances, and a graph built this way
// searches as well as expected with exact float32 result distances.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

#include "trident/hnsw_storage.h"
#include "trident/vector_index.h"
#include "vector_index_test_data.h"

namespace trident {
namespace {

constexpr int kDimension = 40;
constexpr uint32_t kSeed = 57;

double exact(const float* x, const float* y, bool ip) {
  double sum = 0;
  for (int j = 0; j < kDimension; ++j) {
    const double diff = double(x[j]) - y[j];
    sum += ip ? double(x[j]) * y[j] : diff * diff;
  }
  return sum;
}

double norm(const float* x) { return std::sqrt(exact(x, x, true)); }

// |d(q, half(x)) - d(q, x)| with |half(x)_i - x_i| <= 2^-11 |x_i|: for L2 at most
// 2 sqrt(d) |x| u + |x|^2 u^2, for inner product |q| |x| u (u = 2^-11), plus float32 sums.
double half_tolerance(const float* q, const float* x, double distance, bool ip) {
  constexpr double u = 1.0 / 2048.0;
  const double bound = ip ? norm(q) * norm(x) * u
                          : 2 * std::sqrt(distance) * norm(x) * u + norm(x) * norm(x) * u * u;
  return bound * 1.01 + 1e-5 * std::max(1.0, std::fabs(distance));
}

TEST(HnswHalfBuild, ConstructionDistancesStayWithinTheHalfBoundAndEndRestoresFloat32) {
  std::printf("seed %u\n", kSeed);
  const auto rows = testing::clustered_vectors(150, kDimension, 8, kSeed);
  const auto queries = testing::clustered_vectors(3, kDimension, 8, kSeed + 1);
  for (const bool ip : {false, true}) {
    KernelFlatStorage storage(kDimension, ip ? faiss::METRIC_INNER_PRODUCT : faiss::METRIC_L2);
    storage.add(100, rows.data());
    storage.begin_half_build();
    ASSERT_TRUE(storage.half_build_active());
    storage.add(50, rows.data() + 100 * kDimension);  // the copy follows adds
    std::unique_ptr<faiss::FlatCodesDistanceComputer> half(storage.get_FlatCodesDistanceComputer());
    for (size_t q = 0; q < 3; ++q) {
      const float* query = queries.data() + q * kDimension;
      half->set_query(query);
      for (int64_t i = 0; i < 150; ++i) {
        const float* row = rows.data() + i * kDimension;
        const double expected = exact(query, row, ip);
        EXPECT_NEAR((*half)(i), expected, half_tolerance(query, row, expected, ip)) << i;
      }
    }
    for (int64_t i = 0; i < 150; i += 7) {
      const float* x = rows.data() + i * kDimension;
      const float* y = rows.data() + (149 - i) * kDimension;
      const double expected = exact(x, y, ip);
      EXPECT_NEAR(half->symmetric_dis(i, 149 - i), expected, half_tolerance(x, y, expected, ip));
    }
    storage.end_half_build();
    EXPECT_FALSE(storage.half_build_active());
    std::unique_ptr<faiss::FlatCodesDistanceComputer> full(storage.get_FlatCodesDistanceComputer());
    full->set_query(queries.data());
    for (int64_t i = 0; i < 150; ++i) {
      const double expected = exact(queries.data(), rows.data() + i * kDimension, ip);
      EXPECT_NEAR((*full)(i), expected, 1e-5 * std::max(1.0, std::fabs(expected))) << i;
    }
  }
}

TEST(HnswHalfBuild, BulkBuiltGraphFindsNeighboursWithExactDistances) {
  std::printf("seed %u\n", kSeed);
  constexpr int64_t kCount = 4000, kQueries = 100;
  constexpr int kK = 10;
  const auto base = testing::clustered_vectors(kCount, kDimension, 30, kSeed);
  const auto queries = testing::clustered_vectors(kQueries, kDimension, 30, kSeed + 2);
  const auto truth = testing::exact_neighbours(base, queries, kDimension, kK);
  std::vector<int64_t> ids(kCount);
  for (int64_t i = 0; i < kCount; ++i) ids[i] = i;
  auto index = testing::own(VectorIndex::create(kDimension, "HNSW16", kMetricL2, 80));
  index->add(kCount, base.data(), ids.data(), 2);  // one bulk batch: half construction
  std::vector<float> distances(kQueries * kK);
  std::vector<int64_t> labels(kQueries * kK);
  index->search(kQueries, queries.data(), kK, 256, 0, 1, distances.data(), labels.data());
  const double recall = testing::recall_at_k(truth, labels, kK, [](int64_t id) { return id; });
  std::printf("recall@10 at ef 256: %.4f\n", recall);
  EXPECT_GT(recall, 0.97);
  for (size_t i = 0; i < labels.size(); ++i) {
    ASSERT_GE(labels[i], 0);
    const double expected =
        exact(queries.data() + (i / kK) * kDimension, base.data() + labels[i] * kDimension, false);
    EXPECT_NEAR(distances[i], expected, 1e-5 * std::max(1.0, expected)) << i;
  }
}

}  // namespace
}  // namespace trident

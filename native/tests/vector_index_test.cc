// Every supported spec, both metrics: create, train, add, search, remove through the facade.
#include "trident/vector_index.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "trident/error.h"
#include "vector_index_test_data.h"

namespace trident {
namespace {

constexpr int kDimension = 16;
constexpr int64_t kCount = 1500;
constexpr int kK = 5;

using testing::IndexPtr;
IndexPtr make_index(const char* spec, int metric) {
  return testing::own(VectorIndex::create(kDimension, spec, metric, 40));
}

std::vector<int64_t> ids_from(int64_t first, int64_t count) {
  std::vector<int64_t> ids(count);
  for (int64_t i = 0; i < count; ++i) ids[i] = first + i * 3;  // sparse, non-positional ids
  return ids;
}

struct SpecCase { const char* spec; int metric; };

class EverySpecTest : public ::testing::TestWithParam<SpecCase> {};

TEST_P(EverySpecTest, CreateTrainAddSearchRemove) {
  const SpecCase c = GetParam();
  auto index = make_index(c.spec, c.metric);
  const auto data = testing::clustered_vectors(kCount, kDimension, 12, 3);
  const auto ids = ids_from(1000, kCount);
  index->train(kCount, data.data());
  ASSERT_TRUE(index->is_trained());
  index->add(kCount, data.data(), ids.data());
  EXPECT_EQ(index->size(), kCount);
  EXPECT_GT(index->bytes_used(), 0);
  EXPECT_EQ(index->dimension(), kDimension);
  EXPECT_EQ(index->metric(), c.metric);
  EXPECT_EQ(std::string(index->spec()), c.spec);
  EXPECT_TRUE(index->contains(ids[7]));
  EXPECT_FALSE(index->contains(ids[7] + 1));

  // Querying stored vectors: each finds itself first (exact for Flat/HNSW/IVF-Flat at this size,
  // and for L2 on quantized codes too, with a margin for PQ).
  const int64_t nq = 50;
  std::vector<float> distances(nq * kK);
  std::vector<int64_t> labels(nq * kK);
  index->search(nq, data.data(), kK, 64, 16, 1, distances.data(), labels.data());
  int self_hits = 0;
  for (int64_t q = 0; q < nq; ++q) {
    self_hits += labels[q * kK] == ids[q] ? 1 : 0;
    for (int i = 1; i < kK; ++i) {
      if (c.metric == kMetricL2) EXPECT_LE(distances[q * kK + i - 1], distances[q * kK + i] + 1e-4f);
      else EXPECT_GE(distances[q * kK + i - 1] + 1e-4f, distances[q * kK + i]);
    }
  }
  if (c.metric == kMetricL2) EXPECT_GE(self_hits, std::string(c.spec).find("PQ") != std::string::npos ? 25 : 45);

  // Remove the first 10 ids: they are gone from results and from contains().
  index->remove(10, ids.data());
  EXPECT_EQ(index->size(), kCount - 10);
  EXPECT_FALSE(index->contains(ids[0]));
  index->search(10, data.data(), kK, 64, 16, 1, distances.data(), labels.data());
  for (int64_t i = 0; i < 10 * kK; ++i) {
    for (int64_t r = 0; r < 10; ++r) EXPECT_NE(labels[i], ids[r]);
  }
  // A removed id may be added again.
  index->add(1, data.data(), ids.data());
  EXPECT_TRUE(index->contains(ids[0]));
  EXPECT_EQ(index->size(), kCount - 9);
}

INSTANTIATE_TEST_SUITE_P(
    Specs, EverySpecTest,
    ::testing::Values(SpecCase{"Flat", kMetricL2}, SpecCase{"Flat", kMetricInnerProduct},
                      SpecCase{"IDMap,Flat", kMetricL2}, SpecCase{"HNSW16", kMetricL2},
                      SpecCase{"HNSW32", kMetricInnerProduct}, SpecCase{"IDMap,HNSW8", kMetricL2},
                      SpecCase{"IVF16,Flat", kMetricL2}, SpecCase{"IVF8,Flat", kMetricInnerProduct},
                      SpecCase{"IVF16,PQ4", kMetricL2}, SpecCase{"SQ8", kMetricL2},
                      SpecCase{"SQfp16", kMetricInnerProduct}),
    [](const auto& info) {
      std::string name = std::string(info.param.spec) + (info.param.metric ? "_IP" : "_L2");
      for (char& ch : name) if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return name;
    });

TEST(VectorIndexFlat, KernelPathAndFaissPathAgree) {
  auto index = make_index("Flat", kMetricL2);
  const auto data = testing::clustered_vectors(kCount, kDimension, 12, 9);
  const auto ids = ids_from(0, kCount);
  index->add(kCount, data.data(), ids.data());
  // 40 queries take FAISS's BLAS path; the first 8 alone take our kernels.
  const int64_t nq = 40;
  std::vector<float> batch_d(nq * kK), small_d(8 * kK);
  std::vector<int64_t> batch_l(nq * kK), small_l(8 * kK);
  index->search(nq, data.data() + 100 * kDimension, kK, 0, 0, 2, batch_d.data(), batch_l.data());
  index->search(8, data.data() + 100 * kDimension, kK, 0, 0, 1, small_d.data(), small_l.data());
  for (int i = 0; i < 8 * kK; ++i) {
    EXPECT_EQ(small_l[i], batch_l[i]);
    EXPECT_NEAR(small_d[i], batch_d[i], 1e-3f * (1 + std::fabs(batch_d[i])));
  }
}

TEST(VectorIndexSearch, MoreNeighboursThanVectorsFillsEmptySlots) {
  for (const char* spec : {"Flat", "HNSW8", "IVF2,Flat"}) {
    auto index = make_index(spec, kMetricL2);
    const auto data = testing::clustered_vectors(3, kDimension, 1, 4);
    const auto ids = ids_from(5, 3);
    index->train(3, data.data());
    index->add(3, data.data(), ids.data());
    std::vector<float> d(kK);
    std::vector<int64_t> l(kK);
    index->search(1, data.data(), kK, 0, 2, 1, d.data(), l.data());
    for (int i = 3; i < kK; ++i) {
      EXPECT_EQ(l[i], -1) << spec;
      EXPECT_TRUE(std::isinf(d[i]) && d[i] > 0) << spec;
    }
  }
}

TEST(VectorIndexHnsw, HalfLayoutSwitchesToFloatForValuesBeyondHalfRange) {
  // Forced half-precision layout (small indexes default to float32): the first batch fits half
  // precision; the second does not, which re-encodes the layout as float32 for good. Both
  // batches stay findable with exact distances throughout.
  ::setenv("TRIDENT_HNSW_LAYOUT", "f16", 1);
  auto index = make_index("HNSW16", kMetricL2);
  auto small = testing::clustered_vectors(300, kDimension, 5, 31);
  auto large = testing::clustered_vectors(300, kDimension, 5, 32);
  for (float& v : large) v = v * 30000.0f + 100000.0f;
  const auto small_ids = ids_from(0, 300), large_ids = ids_from(5000, 300);
  std::vector<float> d(kK);
  std::vector<int64_t> l(kK);
  index->add(300, small.data(), small_ids.data());
  for (int64_t row : {0, 17, 299}) {
    index->search(1, small.data() + row * kDimension, kK, 32, 0, 1, d.data(), l.data());
    EXPECT_EQ(l[0], small_ids[row]);
    EXPECT_EQ(d[0], 0.0f);  // exact float32 re-rank, not the half-precision estimate
  }
  index->add(300, large.data(), large_ids.data());
  ::unsetenv("TRIDENT_HNSW_LAYOUT");
  for (int64_t row : {0, 17, 299}) {
    index->search(1, small.data() + row * kDimension, kK, 32, 0, 1, d.data(), l.data());
    EXPECT_EQ(l[0], small_ids[row]);
    EXPECT_EQ(d[0], 0.0f);
    index->search(1, large.data() + row * kDimension, kK, 32, 0, 1, d.data(), l.data());
    EXPECT_EQ(l[0], large_ids[row]);
    EXPECT_EQ(d[0], 0.0f);
  }
}

TEST(VectorIndexSearch, KernelVariantIsReported) {
  const std::string variant = VectorIndex::kernel_variant();
  EXPECT_TRUE(variant == "avx512" || variant == "avx2" || variant == "scalar") << variant;
}

}  // namespace
}  // namespace trident

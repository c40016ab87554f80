// Flat search through the bf16 copy (flat_bf16.h): results equal exact float32 search (distances
// within a relative 1e-5 of the double-precision exact value; ids equal except exact ties), for
// L2 and inner product, odd dimensions, partial blocks, large offsets that stress the error
// bound, removals and reloads. On a CPU without AVX512-BF16 the same tests check the float32
// paths (the facade must give the same answers either way).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "flat_bf16.h"
#include "trident/vector_index.h"
#include "vector_index_test_data.h"

namespace trident {
namespace {

constexpr int kK = 10;
constexpr double kRelativeTolerance = 1e-5;

double exact(const float* x, const float* y, size_t d, bool ip) {
  return testing::exact_distance(x, y, d, ip);
}

// Brute force in double precision: the k best rows per query (ties broken by row).
std::vector<int64_t> truth_of(const std::vector<float>& base, const std::vector<float>& queries,
                              int d, bool ip) {
  const size_t n = base.size() / size_t(d), nq = queries.size() / size_t(d);
  std::vector<int64_t> out(nq * kK);
  std::vector<std::pair<double, int64_t>> scored(n);
  for (size_t q = 0; q < nq; ++q) {
    for (size_t i = 0; i < n; ++i) {
      const double value = exact(queries.data() + q * d, base.data() + i * d, d, ip);
      scored[i] = {ip ? -value : value, int64_t(i)};
    }
    std::partial_sort(scored.begin(), scored.begin() + kK, scored.end());
    for (int i = 0; i < kK; ++i) out[q * kK + size_t(i)] = scored[size_t(i)].second;
  }
  return out;
}

void expect_exact(const VectorIndex& index, const std::vector<float>& base,
                  const std::vector<float>& queries, int d, bool ip, int64_t id_offset,
                  int threads) {
  const size_t nq = queries.size() / size_t(d);
  std::vector<float> distances(nq * kK);
  std::vector<int64_t> labels(nq * kK);
  index.search(int64_t(nq), queries.data(), kK, 0, 0, threads, distances.data(), labels.data());
  const auto truth = truth_of(base, queries, d, ip);
  for (size_t i = 0; i < labels.size(); ++i) {
    const float* query = queries.data() + (i / kK) * size_t(d);
    const int64_t row = labels[i] - id_offset;
    ASSERT_GE(row, 0) << "slot " << i;
    const double expected = exact(query, base.data() + size_t(row) * size_t(d), d, ip);
    EXPECT_NEAR(distances[i], expected, kRelativeTolerance * std::max(1.0, std::fabs(expected)))
        << "slot " << i;
    if (row != truth[i]) {  // only an exact tie may reorder
      const double truth_value = exact(query, base.data() + size_t(truth[i]) * size_t(d), d, ip);
      EXPECT_NEAR(expected, truth_value, kRelativeTolerance * std::max(1.0, std::fabs(expected)))
          << "slot " << i << ": row " << row << " vs true " << truth[i];
    }
  }
}

struct Case { int dimension; int metric; float offset; };

class FlatBf16Test : public ::testing::TestWithParam<Case> {};

TEST_P(FlatBf16Test, SearchEqualsExactFloat32) {
  const Case c = GetParam();
  constexpr uint32_t kSeed = 23;
  std::printf("seed %u bf16 path %s\n", kSeed, bf16_flat_available() ? "on" : "off");
  const size_t rows = 3001;  // not a multiple of the 16-row block
  auto base = testing::clustered_vectors(rows, size_t(c.dimension), 30, kSeed);
  auto queries = testing::clustered_vectors(60, size_t(c.dimension), 30, kSeed + 1);
  for (float& x : base) x += c.offset;  // large norms widen the bf16 error bound
  for (float& x : queries) x += c.offset;
  auto index = testing::own(VectorIndex::create(c.dimension, "Flat", c.metric, 0));
  std::vector<int64_t> ids(rows);
  for (size_t i = 0; i < rows; ++i) ids[i] = 500 + int64_t(i);
  index->add(1000, base.data(), ids.data());  // two adds: the copy is appended to
  index->add(int64_t(rows) - 1000, base.data() + 1000 * size_t(c.dimension), ids.data() + 1000);
  const bool ip = c.metric != kMetricL2;
  expect_exact(*index, base, queries, c.dimension, ip, 500, 1);
  expect_exact(*index, base, queries, c.dimension, ip, 500, 2);
}

INSTANTIATE_TEST_SUITE_P(Shapes, FlatBf16Test,
                         ::testing::Values(Case{37, kMetricL2, 0.0f}, Case{128, kMetricL2, 0.0f},
                                           Case{64, kMetricL2, 300.0f},
                                           Case{37, kMetricInnerProduct, 0.0f},
                                           Case{128, kMetricInnerProduct, 2.0f}));

// The kernel scores two 16-row blocks at once for tiles of 4..8 queries and one block at a time
// for smaller tiles and for an odd block left at the end of a 64-block chunk; every query count
// from 1 to 13 (one tile of 1..8, then two near-equal tiles) on 67 rows (5 blocks) and 1100 rows
// (64 + 5 blocks).
TEST(FlatBf16, EveryTileSizeAndOddBlockTailIsExact) {
  constexpr int d = 48;
  constexpr uint32_t kSeed = 41;
  std::printf("seed %u bf16 path %s\n", kSeed, bf16_flat_available() ? "on" : "off");
  for (const size_t rows : {size_t(67), size_t(1100)}) {
    auto base = testing::clustered_vectors(rows, d, 10, kSeed);
    auto index = testing::own(VectorIndex::create(d, "Flat", kMetricL2, 0));
    std::vector<int64_t> ids(rows);
    for (size_t i = 0; i < rows; ++i) ids[i] = int64_t(i);
    index->add(int64_t(rows), base.data(), ids.data());
    for (size_t nq = 1; nq <= 13; ++nq) {
      SCOPED_TRACE("rows " + std::to_string(rows) + " queries " + std::to_string(nq));
      auto queries = testing::clustered_vectors(nq, d, 10, kSeed + 1 + uint32_t(nq));
      expect_exact(*index, base, queries, d, false, 0, 1);
    }
  }
}

TEST(FlatBf16, RemovalAndReloadKeepSearchesExact) {
  constexpr int d = 32;
  const size_t rows = 2000;
  auto base = testing::clustered_vectors(rows, d, 20, 5);
  auto queries = testing::clustered_vectors(40, d, 20, 6);
  auto index = testing::own(VectorIndex::create(d, "Flat", kMetricL2, 0));
  std::vector<int64_t> ids(rows);
  for (size_t i = 0; i < rows; ++i) ids[i] = int64_t(i);
  index->add(int64_t(rows), base.data(), ids.data());
  // Remove the first half: FAISS compacts its rows, the bf16 copy is repacked.
  index->remove(1000, ids.data());
  std::vector<float> kept(base.begin() + 1000 * d, base.end());
  expect_exact(*index, kept, queries, d, false, 1000, 2);
  const std::string path = ::testing::TempDir() + "/flat_bf16.tvi";
  index->save(path.c_str());
  auto loaded = testing::own(VectorIndex::load(path.c_str()));
  std::remove(path.c_str());
  expect_exact(*loaded, kept, queries, d, false, 1000, 1);
}

TEST(FlatBf16, Bf16RoundingIsToNearestEven) {
  EXPECT_EQ(float_to_bf16(1.0f), 0x3F80);
  EXPECT_EQ(float_to_bf16(-2.0f), 0xC000);
  float halfway;  // 1 + 2^-8: exactly between two bf16 values, rounds to the even one (1.0)
  const uint32_t bits = 0x3F808000u;
  std::memcpy(&halfway, &bits, 4);
  EXPECT_EQ(float_to_bf16(halfway), 0x3F80);
  EXPECT_EQ(float_to_bf16(std::nextafter(halfway, 2.0f)), 0x3F81);
  EXPECT_TRUE(std::isnan(std::nanf("")) && (float_to_bf16(std::nanf("")) & 0x7F80) == 0x7F80);
}

}  // namespace
}  // namespace trident

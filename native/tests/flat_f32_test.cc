// The register-blocked float32 flat scan (flat_f32.h): results equal double-precision brute
// force (distances within a relative 1e-5, ids equal except exact ties) for every query count
// 1..13 and mixes of 8-, 16- and 32-lane tiles, row counts that are not a multiple of the row
// group, L2 and inner product, one and two threads, k above the row count and tied rows; on
// AVX-512 hosts both the AVX-512 and the AVX2 kernel run. Through the facade (a Flat index),
// results equal FAISS's own flat search. ctest runs this file a second time with
// TRIDENT_FLAT_BF16=off (prefix "bf16off."), where the facade takes the float32 path.
#include <faiss/IndexFlat.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "flat_bf16.h"
#include "flat_f32.h"
#include "trident/cpu_features.h"
#include "trident/vector_index.h"
#include "vector_index_test_data.h"

namespace trident {
namespace {

constexpr double kRelativeTolerance = 1e-5;

double exact(const float* x, const float* y, size_t d, bool ip) {
  return testing::exact_distance(x, y, d, ip);
}

// Checks one query's k results (rows, not ids) against double-precision brute force: slot i
// holds a row whose distance is the i-th best (ties may swap rows), or -1 past the row count.
void expect_exact_rows(const std::vector<float>& base, const float* query, size_t d, bool ip,
                       size_t k, const float* distances, const int64_t* rows,
                       const std::string& what) {
  const size_t n = base.size() / d;
  std::vector<std::pair<double, int64_t>> scored(n);
  for (size_t i = 0; i < n; ++i) {
    const double value = exact(query, base.data() + i * d, d, ip);
    scored[i] = {ip ? -value : value, int64_t(i)};
  }
  std::sort(scored.begin(), scored.end());
  for (size_t i = 0; i < k; ++i) {
    if (i >= n) {
      EXPECT_EQ(rows[i], -1) << what << " slot " << i;
      continue;
    }
    ASSERT_GE(rows[i], 0) << what << " slot " << i;
    ASSERT_LT(rows[i], int64_t(n)) << what << " slot " << i;
    const double truth = ip ? -scored[i].first : scored[i].first;
    const double got = exact(query, base.data() + size_t(rows[i]) * d, d, ip);
    const double tolerance = kRelativeTolerance * std::max(1.0, std::fabs(truth));
    EXPECT_NEAR(distances[i], got, tolerance) << what << " slot " << i;
    EXPECT_NEAR(got, truth, tolerance) << what << " slot " << i << ": row " << rows[i]
                                       << " vs true " << scored[i].second;
  }
}

std::vector<F32Kernel> kernels_here() {
  std::vector<F32Kernel> kernels{F32Kernel::kAvx2};
  if (detected_simd_level() == SimdLevel::kAvx512) kernels.push_back(F32Kernel::kDetected);
  return kernels;
}

void check_search(const FlatF32Norms& norms, const std::vector<float>& base,
                  const std::vector<float>& queries, size_t d, bool ip, size_t k, int threads,
                  F32Kernel kernel, const std::string& what) {
  const size_t nq = queries.size() / d;
  std::vector<float> distances(nq * k);
  std::vector<int64_t> rows(nq * k);
  norms.search(int64_t(nq), queries.data(), int(k), ip, base.data(), d, threads,
               distances.data(), rows.data(), kernel);
  for (size_t q = 0; q < nq; ++q) {
    expect_exact_rows(base, queries.data() + q * d, d, ip, k, distances.data() + q * k,
                      rows.data() + q * k, what + " query " + std::to_string(q));
  }
}

// Every query count 1..13 (one 8- or 16-lane tile), 30 (32), 40 (40), 50 (32 + 32), 100
// (32 + 32 + 40; AVX2: 6 x 16 + 8); 67 rows (5 groups of 12 + 4 + 3 single rows) and 1100
// rows (chunks taken by two threads).
TEST(FlatF32, EveryTileMixAndRowTailIsExact) {
  constexpr size_t d = 48;
  constexpr uint32_t kSeed = 71;
  ASSERT_GE(detected_simd_level(), SimdLevel::kAvx2) << "the float32 scan needs AVX2 + FMA";
  std::printf("seed %u kernels %zu\n", kSeed, kernels_here().size());
  for (const size_t rows : {size_t(67), size_t(1100)}) {
    const auto base = testing::clustered_vectors(rows, d, 10, kSeed);
    FlatF32Norms norms;
    norms.append(base.data(), 20, d);  // two appends, as two adds would
    norms.append(base.data() + 20 * d, rows - 20, d);
    ASSERT_EQ(norms.rows(), rows);
    std::vector<size_t> counts;
    for (size_t nq = 1; nq <= 13; ++nq) counts.push_back(nq);
    for (const size_t nq : {30, 40, 50, 100}) counts.push_back(nq);
    for (const size_t nq : counts) {
      const auto queries = testing::clustered_vectors(nq, d, 10, kSeed + 1 + uint32_t(nq));
      for (const F32Kernel kernel : kernels_here()) {
        for (const bool ip : {false, true}) {
          for (const int threads : {1, 2}) {
            const std::string what = "rows " + std::to_string(rows) + " queries " +
                                     std::to_string(nq) + (ip ? " ip" : " l2") + " threads " +
                                     std::to_string(threads) + " kernel " +
                                     std::to_string(int(kernel));
            check_search(norms, base, queries, d, ip, 10, threads, kernel, what);
          }
        }
      }
    }
  }
}

// k above the row count fills the rest with -1; rows stored three times each tie exactly, and
// the results still hold the exact k best distances; large offsets stress the error bound.
TEST(FlatF32, KAboveRowsTiesAndLargeNormsAreExact) {
  constexpr size_t d = 37;
  constexpr uint32_t kSeed = 73;
  std::printf("seed %u\n", kSeed);
  const auto distinct = testing::clustered_vectors(23, d, 4, kSeed);
  std::vector<float> base;
  for (int copy = 0; copy < 3; ++copy) base.insert(base.end(), distinct.begin(), distinct.end());
  auto queries = testing::clustered_vectors(21, d, 4, kSeed + 1);
  FlatF32Norms norms;
  norms.append(base.data(), base.size() / d, d);
  for (const F32Kernel kernel : kernels_here()) {
    for (const bool ip : {false, true}) {
      check_search(norms, base, queries, d, ip, 80, 2, kernel, "k 80 of 69 rows");
      check_search(norms, base, queries, d, ip, 10, 1, kernel, "ties");
    }
  }
  auto shifted = base;
  for (float& x : shifted) x += 300.0f;
  for (float& x : queries) x += 300.0f;
  FlatF32Norms shifted_norms;
  shifted_norms.repack(shifted.data(), shifted.size() / d, d);
  for (const F32Kernel kernel : kernels_here()) {
    check_search(shifted_norms, shifted, queries, d, false, 10, 2, kernel, "offset 300");
  }
}

// The facade (a Flat index, adds, a removal, a reload) returns FAISS's own exact answers.
TEST(FlatF32Facade, SearchReturnsFaissFlatIds) {
  constexpr int d = 64;
  constexpr uint32_t kSeed = 79;
  std::printf("seed %u float32 path %s, bf16 path %s\n", kSeed,
              f32_flat_available() ? "on" : "off", bf16_flat_available() ? "on" : "off");
  const size_t rows = 3001;
  const auto base = testing::clustered_vectors(rows, d, 30, kSeed);
  auto index = testing::own(VectorIndex::create(d, "Flat", kMetricL2, 0));
  std::vector<int64_t> ids(rows);
  for (size_t i = 0; i < rows; ++i) ids[i] = 7000 + int64_t(i);
  index->add(1000, base.data(), ids.data());
  index->add(int64_t(rows) - 1000, base.data() + 1000 * d, ids.data() + 1000);
  index->remove(500, ids.data());  // FAISS compacts; the norms are computed again
  const std::vector<float> kept(base.begin() + 500 * d, base.end());
  const std::string path = ::testing::TempDir() + "/flat_f32.tvi";
  index->save(path.c_str());
  auto loaded = testing::own(VectorIndex::load(path.c_str()));
  std::remove(path.c_str());

  faiss::IndexFlatL2 reference(d);
  reference.add(int64_t(kept.size() / d), kept.data());
  for (const int64_t nq : {int64_t(5), int64_t(8), int64_t(100)}) {
    const auto queries = testing::clustered_vectors(size_t(nq), d, 30, kSeed + uint32_t(nq));
    constexpr int k = 10;
    std::vector<float> want_d(size_t(nq) * k), got_d(size_t(nq) * k);
    std::vector<int64_t> want(size_t(nq) * k), got(size_t(nq) * k);
    reference.search(nq, queries.data(), k, want_d.data(), want.data());
    for (const VectorIndex* searched : {index.get(), loaded.get()}) {
      searched->search(nq, queries.data(), k, 0, 0, 2, got_d.data(), got.data());
      for (size_t i = 0; i < got.size(); ++i) {
        const float* query = queries.data() + (i / k) * d;
        ASSERT_GE(got[i], 7500) << "slot " << i;
        const double distance = exact(query, base.data() + size_t(got[i] - 7000) * d, d, false);
        EXPECT_NEAR(got_d[i], distance, kRelativeTolerance * std::max(1.0, distance));
        if (got[i] != want[i] + 7500) {  // only a tie may reorder
          const double other = exact(query, kept.data() + size_t(want[i]) * d, d, false);
          EXPECT_NEAR(distance, other, kRelativeTolerance * std::max(1.0, distance))
              << "queries " << nq << " slot " << i << ": id " << got[i] << " vs FAISS "
              << want[i] + 7500;
        }
      }
    }
  }
}

}  // namespace
}  // namespace trident

// The bf16 HNSW walk (hnsw_bf16.h): its kernel scores rows as the exact distance between the
// bf16-rounded vectors; a walk over a bf16 layout finds what the float32 walk finds (recall at
// equal ef within 0.005 on this set) and reports exact float32 distances; the layout choice
// falls back to half precision without AVX512-BF16 (TRIDENT_HNSW_BF16=off stands in for such a
// CPU) and takes bf16 at high dimension where the CPU has it.
#include <faiss/IndexHNSW.h>
#include <gtest/gtest.h>
#include <omp.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

#include "flat_bf16.h"
#include "trident/hnsw_bf16.h"
#include "trident/hnsw_search.h"
#include "trident/vector_index.h"
#include "vector_index_impl.h"
#include "vector_index_test_data.h"

namespace trident {
namespace {

float bf16_value(float x) {
  const uint32_t bits = uint32_t(float_to_bf16(x)) << 16;
  float out;
  std::memcpy(&out, &bits, 4);
  return out;
}

// The reference: the distance between the rounded vectors, in double precision.
double rounded_distance(const float* q, const float* x, const float* center, size_t d,
                        bool inner_product) {
  double sum = 0;
  for (size_t i = 0; i < d; ++i) {
    if (inner_product) {
      sum += double(bf16_value(q[i])) * double(bf16_value(x[i] - center[i]));
    } else {
      const double diff = double(bf16_value(q[i] - center[i])) - bf16_value(x[i] - center[i]);
      sum += diff * diff;
    }
  }
  return inner_product ? -sum : sum;
}

TEST(HnswBf16Kernel, ScoresEqualTheDistanceBetweenRoundedVectors) {
  if (!bf16_walk_available()) {  // such a CPU never gets a bf16 layout (see the choice test)
    EXPECT_NE(layout_encoding_for(100000, 960, true), VectorEncoding::kBfloat16);
    return;
  }
  const unsigned seed = 20261207;
  std::printf("seed %u\n", seed);
  std::mt19937 random(seed);
  std::uniform_real_distribution<float> value(-2.0f, 5.0f);
  for (size_t d : {1, 31, 33, 64, 200, 960}) {
    const size_t rows = 11, stride = bf16_row_bytes(d) + 24;  // rows inside larger blocks
    std::vector<float> x(rows * d), q(d), center(d);
    for (float& v : x) v = value(random);
    for (float& v : q) v = value(random);
    for (float& v : center) v = value(random) * 0.5f;
    std::vector<uint8_t> encoded(rows * stride), query_row(bf16_row_bytes(d));
    for (bool inner_product : {false, true}) {
      for (size_t r = 0; r < rows; ++r) {
        bf16_encode_row(x.data() + r * d, center.data(), d, encoded.data() + r * stride);
      }
      bf16_encode_row(q.data(), inner_product ? nullptr : center.data(), d, query_row.data());
      for (size_t count = 1; count <= 9; ++count) {  // groups of four and the remainder
        std::vector<int32_t> ids(count);
        for (size_t j = 0; j < count; ++j) ids[j] = int32_t((j * 7 + 3) % rows);
        std::vector<float> out(count);
        bf16_distances_by_ids(query_row.data(), encoded.data(), stride, d, inner_product,
                              ids.data(), count, out.data());
        for (size_t j = 0; j < count; ++j) {
          const double want = rounded_distance(q.data(), x.data() + size_t(ids[j]) * d,
                                               center.data(), d, inner_product);
          // float32 sums of d products: relative 1e-5 of the summed magnitudes is ample.
          const double scale = 1.0 + double(d) * 25.0;
          EXPECT_NEAR(out[j], want, 1e-5 * scale) << "d=" << d << " ip=" << inner_product;
        }
      }
    }
  }
}

constexpr size_t kDimension = 96;
constexpr size_t kBase = 4000;
constexpr size_t kQueries = 200;
constexpr size_t kK = 10;

double exact_distance(const float* q, const float* x, size_t d, bool inner_product) {
  double sum = 0;
  for (size_t i = 0; i < d; ++i) {
    sum += inner_product ? double(q[i]) * x[i] : (double(q[i]) - x[i]) * (double(q[i]) - x[i]);
  }
  return sum;
}

void walk_matches_float_walk(bool inner_product) {
  const auto base = testing::clustered_vectors(kBase, kDimension, 20, 5);
  const auto queries = testing::clustered_vectors(kQueries, kDimension, 20, 5 + 1000);
  const faiss::MetricType metric = inner_product ? faiss::METRIC_INNER_PRODUCT : faiss::METRIC_L2;
  faiss::IndexHNSWFlat index(int(kDimension), 16, metric);
  index.hnsw.efConstruction = 80;
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);  // one thread: the same graph every run, so the recall check is fixed
  index.add(kBase, base.data());
  omp_set_num_threads(threads);
  const float* stored = static_cast<const faiss::IndexFlat*>(index.storage)->get_xb();
  HnswLevel0Layout float_layout, bf16_layout;
  float_layout.rebuild(index.hnsw, stored, kDimension, kBase, VectorEncoding::kFloat32);
  bf16_layout.rebuild(index.hnsw, stored, kDimension, kBase, VectorEncoding::kBfloat16);
  HnswGraphView view;
  view.graph = &index.hnsw;
  view.dimension = kDimension;
  view.node_count = kBase;
  view.inner_product = inner_product;
  view.exact_vectors = stored;
  HnswGraphView float_view = view, bf16_view = view;
  float_view.level0 = &float_layout;
  bf16_view.level0 = &bf16_layout;

  std::vector<int64_t> truth(kQueries * kK);
  {
    faiss::IndexFlat exact(int(kDimension), metric);
    exact.add(kBase, base.data());
    std::vector<float> unused(kQueries * kK);
    exact.search(kQueries, queries.data(), kK, unused.data(), truth.data());
  }
  for (int ef : {16, 48}) {
    std::vector<float> d32(kQueries * kK), dbf(kQueries * kK);
    std::vector<int64_t> l32(kQueries * kK), lbf(kQueries * kK);
    for (size_t q = 0; q < kQueries; ++q) {
      const float* query = queries.data() + q * kDimension;
      hnsw_search_one(float_view, query, kK, ef, d32.data() + q * kK, l32.data() + q * kK);
      hnsw_search_one(bf16_view, query, kK, ef, dbf.data() + q * kK, lbf.data() + q * kK);
      for (size_t i = 0; i < kK; ++i) {  // reported distances are the exact float32 ones
        ASSERT_GE(lbf[q * kK + i], 0);
        const double exact = exact_distance(query, stored + size_t(lbf[q * kK + i]) * kDimension,
                                            kDimension, inner_product);
        EXPECT_NEAR(dbf[q * kK + i], exact, 1e-5 * (1 + std::abs(exact)));
        if (i > 0 && !inner_product) EXPECT_LE(dbf[q * kK + i - 1], dbf[q * kK + i]);
        if (i > 0 && inner_product) EXPECT_GE(dbf[q * kK + i - 1], dbf[q * kK + i]);
      }
    }
    auto identity = [](int64_t label) { return label; };
    const double recall32 = testing::recall_at_k(truth, l32, kK, identity);
    const double recall_bf16 = testing::recall_at_k(truth, lbf, kK, identity);
    std::printf("ip=%d ef=%d recall@10 float32 walk %.4f, bf16 walk %.4f\n", int(inner_product),
                ef, recall32, recall_bf16);
    EXPECT_GE(recall_bf16, recall32 - 0.005) << "ef=" << ef;
  }
}

TEST(HnswBf16Walk, FindsWhatTheFloatWalkFindsWithExactDistancesL2) {
  if (!bf16_walk_available()) {  // such a CPU never gets a bf16 layout
    EXPECT_NE(layout_encoding_for(100000, 960, true), VectorEncoding::kBfloat16);
    return;
  }
  walk_matches_float_walk(false);
}

TEST(HnswBf16Walk, FindsWhatTheFloatWalkFindsWithExactDistancesInnerProduct) {
  if (!bf16_walk_available()) {  // such a CPU never gets a bf16 layout
    EXPECT_NE(layout_encoding_for(100000, 960, true), VectorEncoding::kBfloat16);
    return;
  }
  walk_matches_float_walk(true);
}

TEST(HnswBf16Walk, LayoutChoiceFollowsTheCpuAndTheSwitch) {
  const bool cpu_has_bf16 = bf16_walk_available();
  // 100K x 960: bf16 where the CPU has it, otherwise half precision.
  EXPECT_EQ(layout_encoding_for(100000, 960, true),
            cpu_has_bf16 ? VectorEncoding::kBfloat16 : VectorEncoding::kFloat16);
  // Below kBf16WalkMinDimension: half precision, as before.
  EXPECT_EQ(layout_encoding_for(100000, 128, true), VectorEncoding::kFloat16);
  // Small sets stay float32.
  EXPECT_EQ(layout_encoding_for(1000, 960, true), VectorEncoding::kFloat32);
  // A CPU without AVX512-BF16 (the switch stands in for one) takes the half walk.
  ::setenv("TRIDENT_HNSW_BF16", "off", 1);
  EXPECT_FALSE(bf16_walk_available());
  EXPECT_EQ(layout_encoding_for(100000, 960, true), VectorEncoding::kFloat16);
  EXPECT_EQ(layout_encoding_for(100000, 960, false), VectorEncoding::kFloat32);
  ::unsetenv("TRIDENT_HNSW_BF16");
  EXPECT_EQ(bf16_walk_available(), cpu_has_bf16);
}

TEST(HnswBf16Walk, FacadeWithBf16LayoutReturnsExactDistancesAcrossIncrementalAdds) {
  // Forced bf16 layout (small indexes default to float32): the first batch builds the layout,
  // the second is synced in incrementally (rows encoded against the first batch's center).
  if (!bf16_walk_available()) {
    EXPECT_NE(layout_encoding_for(100000, 960, true), VectorEncoding::kBfloat16);
    return;
  }
  ::setenv("TRIDENT_HNSW_LAYOUT", "bf16", 1);
  constexpr int kDim = 40;
  auto index = testing::own(VectorIndex::create(kDim, "HNSW16", kMetricL2, 40));
  const auto first = testing::clustered_vectors(600, kDim, 8, 41);
  auto second = testing::clustered_vectors(60, kDim, 8, 42);
  for (float& v : second) v += 3.0f;  // away from the first batch's center
  std::vector<int64_t> first_ids(600), second_ids(60);
  for (int64_t i = 0; i < 600; ++i) first_ids[size_t(i)] = 10 + 2 * i;
  for (int64_t i = 0; i < 60; ++i) second_ids[size_t(i)] = 5000 + i;
  index->add(600, first.data(), first_ids.data());
  index->add(60, second.data(), second_ids.data());
  ::unsetenv("TRIDENT_HNSW_LAYOUT");
  std::vector<float> d(kK);
  std::vector<int64_t> l(kK);
  for (int64_t row : {0, 17, 59}) {
    index->search(1, first.data() + row * kDim, int(kK), 32, 0, 1, d.data(), l.data());
    EXPECT_EQ(l[0], first_ids[size_t(row)]);
    EXPECT_EQ(d[0], 0.0f);  // exact float32 re-rank, not the bf16 estimate
    index->search(1, second.data() + row * kDim, int(kK), 32, 0, 1, d.data(), l.data());
    EXPECT_EQ(l[0], second_ids[size_t(row)]);
    EXPECT_EQ(d[0], 0.0f);
    for (size_t i = 1; i < kK; ++i) EXPECT_LE(d[i - 1], d[i]);
  }
}

}  // namespace
}  // namespace trident

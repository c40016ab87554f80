// IVF-Flat on trident's kernels (ivf_flat_search.h) against FAISS's own IVF scan on the same
// index, and against exact float32 distances computed in double precision.
// Tolerance: distances agree to a relative 1e-4 (float32 summation order differs; 24-d sums of
// values ~1-100); hits agree exactly except where two distances tie within that tolerance.
#include "ivf_flat_search.h"

#include <faiss/IndexFlat.h>
#include <faiss/IndexIVFFlat.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "vector_index_test_data.h"

namespace trident {
namespace {

constexpr int kDimension = 24;
constexpr int64_t kBase = 5000;
constexpr int64_t kQueries = 100;
constexpr int kK = 10;
constexpr size_t kLists = 32;
constexpr double kRelativeTolerance = 1e-4;
constexpr uint32_t kSeed = 17;

struct Fixture {
  std::vector<float> base = testing::clustered_vectors(kBase, kDimension, 20, kSeed);
  std::vector<float> queries = testing::clustered_vectors(kQueries, kDimension, 20, kSeed + 1);
  faiss::IndexFlat quantizer;
  faiss::IndexIVFFlat ivf;
  explicit Fixture(faiss::MetricType metric)
      : quantizer(kDimension, metric), ivf(&quantizer, kDimension, kLists, metric) {
    ivf.train(kBase, base.data());
    std::vector<faiss::Index::idx_t> ids(kBase);
    for (int64_t i = 0; i < kBase; ++i) ids[size_t(i)] = 1000 + 7 * i;  // non-positional ids
    ivf.add_with_ids(kBase, base.data(), ids.data());
  }
  const float* row_of(int64_t id) const {
    return base.data() + size_t((id - 1000) / 7) * kDimension;
  }
};

double exact_distance(const float* x, const float* y, bool inner_product) {
  double sum = 0;
  for (int j = 0; j < kDimension; ++j) {
    sum += inner_product ? double(x[j]) * y[j] : (double(x[j]) - y[j]) * (double(x[j]) - y[j]);
  }
  return sum;
}

bool close(double a, double b) {
  return std::fabs(a - b) <= kRelativeTolerance * std::max(1.0, std::fabs(b));
}

void expect_same_as_faiss(faiss::MetricType metric, size_t nprobe) {
  std::printf("seed %u metric %d nprobe %zu\n", kSeed, int(metric), nprobe);
  Fixture f(metric);
  const bool inner_product = metric == faiss::METRIC_INNER_PRODUCT;
  ASSERT_TRUE(ivf_flat_kernels_apply(f.ivf));
  std::vector<float> ours_d(kQueries * kK), faiss_d(kQueries * kK);
  std::vector<int64_t> ours_l(kQueries * kK), faiss_l(kQueries * kK);
  ivf_flat_search(f.ivf, kQueries, f.queries.data(), kK, nprobe, 2, ours_d.data(), ours_l.data());
  faiss::SearchParametersIVF params;
  params.nprobe = nprobe;
  f.ivf.search(kQueries, f.queries.data(), kK, faiss_d.data(), faiss_l.data(), &params);
  for (size_t i = 0; i < ours_l.size(); ++i) {
    const float* query = f.queries.data() + (i / kK) * kDimension;
    ASSERT_GE(ours_l[i], 1000) << "slot " << i;
    // Each hit's distance is the exact float32 distance of the vector it names.
    EXPECT_TRUE(close(ours_d[i], exact_distance(query, f.row_of(ours_l[i]), inner_product)))
        << "slot " << i << ": " << ours_d[i];
    // Same ranking as FAISS: equal distance at every rank, and equal id unless tied.
    EXPECT_TRUE(close(ours_d[i], faiss_d[i])) << "slot " << i << ": " << ours_d[i] << " vs "
                                              << faiss_d[i];
    if (ours_l[i] != faiss_l[i]) {
      const size_t rank = i % kK;
      const bool tied = (rank + 1 < kK && close(ours_d[i], ours_d[i + 1])) ||
                        (rank > 0 && close(ours_d[i], ours_d[i - 1]));
      EXPECT_TRUE(tied) << "slot " << i << ": id " << ours_l[i] << " vs " << faiss_l[i];
    }
    if (i % kK > 0) {  // best first
      EXPECT_TRUE(inner_product ? ours_d[i] <= ours_d[i - 1] : ours_d[i] >= ours_d[i - 1]);
    }
  }
}

TEST(IvfFlatKernelSearch, L2MatchesFaissAtFewProbes) { expect_same_as_faiss(faiss::METRIC_L2, 4); }

TEST(IvfFlatKernelSearch, InnerProductMatchesFaissAtFewProbes) {
  expect_same_as_faiss(faiss::METRIC_INNER_PRODUCT, 4);
}

TEST(IvfFlatKernelSearch, EveryListProbedIsExactSearch) {
  Fixture f(faiss::METRIC_L2);
  const auto truth = testing::exact_neighbours(f.base, f.queries, kDimension, kK);
  std::vector<float> distances(kQueries * kK);
  std::vector<int64_t> labels(kQueries * kK);
  ivf_flat_search(f.ivf, kQueries, f.queries.data(), kK, kLists, 1, distances.data(),
                  labels.data());
  const double recall =
      testing::recall_at_k(truth, labels, kK, [](int64_t id) { return (id - 1000) / 7; });
  EXPECT_GE(recall, 0.999);  // all lists probed: exact, up to distance ties
}

TEST(IvfFlatKernelSearch, MoreNeighboursThanVectorsLeavesEmptySlots) {
  faiss::IndexFlat quantizer(4, faiss::METRIC_L2);
  faiss::IndexIVFFlat ivf(&quantizer, 4, 2, faiss::METRIC_L2);
  const std::vector<float> base = {0, 0, 0, 0, 1, 1, 1, 1, 9, 9, 9, 9};
  ivf.train(3, base.data());
  ivf.add(3, base.data());
  std::vector<float> distances(5);
  std::vector<int64_t> labels(5);
  ivf_flat_search(ivf, 1, base.data(), 5, 2, 1, distances.data(), labels.data());
  EXPECT_EQ(labels[0], 0);
  EXPECT_EQ(labels[1], 1);
  EXPECT_EQ(labels[2], 2);
  EXPECT_EQ(labels[3], -1);
  EXPECT_EQ(labels[4], -1);
}

}  // namespace
}  // namespace trident

// Wrong arguments raise the right ErrorKind and leave the index exactly as it was.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <vector>

#include "trident/error.h"
#include "trident/vector_index.h"
#include "vector_index_test_data.h"

namespace trident {
namespace {

constexpr int kDimension = 8;
using testing::IndexPtr;

ErrorKind kind_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const Error& e) {
    return e.kind();
  }
  ADD_FAILURE() << "call did not throw";
  return ErrorKind::kInternal;
}

TEST(VectorIndexErrors, CreateRejectsBadArguments) {
  EXPECT_EQ(kind_of([] { VectorIndex::create(kDimension, "Bogus", kMetricL2, 0); }), ErrorKind::kInvalidArgument);
  EXPECT_EQ(kind_of([] { VectorIndex::create(kDimension, "HNSW", kMetricL2, 0); }), ErrorKind::kInvalidArgument);
  EXPECT_EQ(kind_of([] { VectorIndex::create(kDimension, "HNSW32x", kMetricL2, 0); }), ErrorKind::kInvalidArgument);
  EXPECT_EQ(kind_of([] { VectorIndex::create(kDimension, "IVF0,Flat", kMetricL2, 0); }), ErrorKind::kInvalidArgument);
  EXPECT_EQ(kind_of([] { VectorIndex::create(kDimension, "IVF4,PQ3", kMetricL2, 0); }), ErrorKind::kInvalidArgument);
  EXPECT_EQ(kind_of([] { VectorIndex::create(kDimension, "IVF4,SQ8", kMetricL2, 0); }), ErrorKind::kInvalidArgument);
  EXPECT_EQ(kind_of([] { VectorIndex::create(0, "Flat", kMetricL2, 0); }), ErrorKind::kInvalidArgument);
  EXPECT_EQ(kind_of([] { VectorIndex::create(kDimension, "Flat", 7, 0); }), ErrorKind::kInvalidArgument);
  EXPECT_EQ(kind_of([] { VectorIndex::create(kDimension, nullptr, kMetricL2, 0); }), ErrorKind::kInvalidArgument);
  EXPECT_EQ(kind_of([] { VectorIndex::create(kDimension, "HNSW8", kMetricL2, -1); }), ErrorKind::kInvalidArgument);
}

class BadCallTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    index_.reset(VectorIndex::create(kDimension, GetParam(), kMetricL2, 0));
    data_ = testing::clustered_vectors(400, kDimension, 4, 17);
    for (int64_t i = 0; i < 400; ++i) ids_.push_back(i * 2);
    index_->train(400, data_.data());
    index_->add(200, data_.data(), ids_.data());
    snapshot_ = results();
  }
  std::vector<int64_t> results() const {
    std::vector<float> d(20 * 4);
    std::vector<int64_t> l(20 * 4);
    index_->search(20, data_.data(), 4, 32, 4, 1, d.data(), l.data());
    l.push_back(index_->size());
    return l;
  }
  void expect_unchanged() const { EXPECT_EQ(results(), snapshot_); }

  IndexPtr index_{nullptr, &destroy_vector_index};
  std::vector<float> data_;
  std::vector<int64_t> ids_;
  std::vector<int64_t> snapshot_;
};

TEST_P(BadCallTest, AddRejectsDuplicatesNullsAndNonFinite) {
  std::vector<int64_t> batch = {1001, 1003, ids_[5]};  // last one already present
  EXPECT_EQ(kind_of([&] { index_->add(3, data_.data(), batch.data()); }), ErrorKind::kInvalidArgument);
  batch = {2001, 2003, 2001};  // duplicate inside the batch
  EXPECT_EQ(kind_of([&] { index_->add(3, data_.data(), batch.data()); }), ErrorKind::kInvalidArgument);
  EXPECT_EQ(kind_of([&] { index_->add(-1, data_.data(), batch.data()); }), ErrorKind::kInvalidArgument);
  EXPECT_EQ(kind_of([&] { index_->add(2, nullptr, batch.data()); }), ErrorKind::kInvalidArgument);
  EXPECT_EQ(kind_of([&] { index_->add(2, data_.data(), nullptr); }), ErrorKind::kInvalidArgument);
  std::vector<float> bad(data_.begin(), data_.begin() + 2 * kDimension);
  bad[kDimension + 3] = std::numeric_limits<float>::quiet_NaN();
  batch = {3001, 3003};
  EXPECT_EQ(kind_of([&] { index_->add(2, bad.data(), batch.data()); }), ErrorKind::kInvalidArgument);
  EXPECT_FALSE(index_->contains(3001));
  EXPECT_FALSE(index_->contains(1001));
  expect_unchanged();
}

TEST_P(BadCallTest, RemoveOfUnknownIdRemovesNothing) {
  std::vector<int64_t> batch = {ids_[0], ids_[1], 999999};
  try {
    index_->remove(3, batch.data());
    FAIL() << "remove succeeded";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnknownId);
    EXPECT_NE(std::string(e.what()).find("999999"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(index_->contains(ids_[0]));
  EXPECT_EQ(kind_of([&] { index_->remove(1, nullptr); }), ErrorKind::kInvalidArgument);
  expect_unchanged();
}

TEST_P(BadCallTest, SearchRejectsBadShapes) {
  std::vector<float> d(16);
  std::vector<int64_t> l(16);
  EXPECT_EQ(kind_of([&] { index_->search(1, data_.data(), 0, 0, 0, 1, d.data(), l.data()); }), ErrorKind::kInvalidArgument);
  EXPECT_EQ(kind_of([&] { index_->search(-1, data_.data(), 4, 0, 0, 1, d.data(), l.data()); }), ErrorKind::kInvalidArgument);
  EXPECT_EQ(kind_of([&] { index_->search(1, nullptr, 4, 0, 0, 1, d.data(), l.data()); }), ErrorKind::kInvalidArgument);
  EXPECT_EQ(kind_of([&] { index_->search(1, data_.data(), 4, -1, 0, 1, d.data(), l.data()); }), ErrorKind::kInvalidArgument);
  EXPECT_EQ(kind_of([&] { index_->search(1, data_.data(), 4, 0, 0, 1, nullptr, l.data()); }), ErrorKind::kInvalidArgument);
  std::vector<float> nan_query(kDimension, std::numeric_limits<float>::infinity());
  EXPECT_EQ(kind_of([&] { index_->search(1, nan_query.data(), 4, 0, 0, 1, d.data(), l.data()); }), ErrorKind::kInvalidArgument);
  expect_unchanged();
}

INSTANTIATE_TEST_SUITE_P(Specs, BadCallTest, ::testing::Values("Flat", "HNSW8", "IVF4,Flat", "SQ8"),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& ch : name) if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return name;
                         });

TEST(VectorIndexErrors, UntrainedIvfRejectsAddAndShortTraining) {
  IndexPtr index = testing::own(VectorIndex::create(kDimension, "IVF16,PQ2", kMetricL2, 0));
  const auto data = testing::clustered_vectors(300, kDimension, 4, 3);
  std::vector<int64_t> ids = {1, 2};
  EXPECT_FALSE(index->is_trained());
  EXPECT_EQ(kind_of([&] { index->add(2, data.data(), ids.data()); }), ErrorKind::kInvalidArgument);
  EXPECT_EQ(kind_of([&] { index->train(10, data.data()); }), ErrorKind::kInvalidArgument);
  EXPECT_EQ(kind_of([&] { index->train(300, nullptr); }), ErrorKind::kInvalidArgument);
  EXPECT_FALSE(index->is_trained());
  EXPECT_EQ(index->size(), 0);
  std::vector<float> d(4);
  std::vector<int64_t> l(4);
  index->search(1, data.data(), 4, 0, 0, 1, d.data(), l.data());  // empty untrained: no results
  EXPECT_EQ(l[0], -1);
}

}  // namespace
}  // namespace trident

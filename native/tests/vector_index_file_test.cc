// save/load: identical results after a round trip (tombstones included); truncated, altered and
// foreign files are rejected with kCorruptFile before FAISS sees them; missing files are kIo.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "trident/error.h"
#include "trident/vector_index.h"
#include "vector_index_test_data.h"

namespace trident {
namespace {

constexpr int kDimension = 24;
constexpr int64_t kCount = 1200;
constexpr int kK = 8;
using testing::IndexPtr;

std::string temp_path(const std::string& name) {
  return ::testing::TempDir() + "trident_" + std::to_string(::getpid()) + "_" + name;
}

std::vector<uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

void write_bytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

ErrorKind load_error(const std::string& path) {
  try {
    destroy_vector_index(VectorIndex::load(path.c_str()));
  } catch (const Error& e) {
    return e.kind();
  }
  ADD_FAILURE() << "load of " << path << " succeeded";
  return ErrorKind::kInternal;
}

class RoundTripTest : public ::testing::TestWithParam<const char*> {};

TEST_P(RoundTripTest, LoadedIndexAnswersIdentically) {
  const std::string spec = GetParam();
  IndexPtr index = testing::own(VectorIndex::create(kDimension, spec.c_str(), kMetricL2, 0));
  const auto data = testing::clustered_vectors(kCount, kDimension, 8, 21);
  std::vector<int64_t> ids(kCount);
  for (int64_t i = 0; i < kCount; ++i) ids[i] = 50000 + i * 7;
  index->train(kCount, data.data());
  index->add(kCount, data.data(), ids.data());
  index->remove(5, ids.data() + 100);

  const std::string path = temp_path("roundtrip_" + std::to_string(std::hash<std::string>()(spec)));
  index->save(path.c_str());
  IndexPtr loaded = testing::own(VectorIndex::load(path.c_str()));
  EXPECT_EQ(std::string(loaded->spec()), spec);
  EXPECT_EQ(loaded->size(), index->size());
  EXPECT_EQ(loaded->dimension(), kDimension);
  EXPECT_FALSE(loaded->contains(ids[100]));
  EXPECT_TRUE(loaded->contains(ids[99]));

  const int64_t nq = 30;
  std::vector<float> d1(nq * kK), d2(nq * kK);
  std::vector<int64_t> l1(nq * kK), l2(nq * kK);
  index->search(nq, data.data() + 90 * kDimension, kK, 48, 4, 1, d1.data(), l1.data());
  loaded->search(nq, data.data() + 90 * kDimension, kK, 48, 4, 1, d2.data(), l2.data());
  EXPECT_EQ(l1, l2);
  EXPECT_EQ(d1, d2);
  std::remove(path.c_str());
}

INSTANTIATE_TEST_SUITE_P(Specs, RoundTripTest,
                         ::testing::Values("Flat", "HNSW16", "IVF8,Flat", "IVF8,PQ4", "SQ8", "SQfp16"),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& ch : name) if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return name;
                         });

class DamagedFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    IndexPtr index = testing::own(VectorIndex::create(kDimension, "HNSW8", kMetricL2, 0));
    const auto data = testing::clustered_vectors(300, kDimension, 4, 2);
    std::vector<int64_t> ids(300);
    for (int64_t i = 0; i < 300; ++i) ids[i] = i;
    index->add(300, data.data(), ids.data());
    path_ = temp_path("damaged");
    index->save(path_.c_str());
    good_ = read_bytes(path_);
    ASSERT_GT(good_.size(), 1000u);
  }
  void TearDown() override { std::remove(path_.c_str()); }
  std::string path_;
  std::vector<uint8_t> good_;
};

TEST_F(DamagedFileTest, EveryTruncationIsCorrupt) {
  for (size_t keep : {size_t(0), size_t(7), size_t(63), size_t(64), size_t(200), good_.size() / 2,
                      good_.size() - 5, good_.size() - 1}) {
    write_bytes(path_, std::vector<uint8_t>(good_.begin(), good_.begin() + long(keep)));
    EXPECT_EQ(load_error(path_), ErrorKind::kCorruptFile) << "kept " << keep << " bytes";
  }
}

TEST_F(DamagedFileTest, FlippedBytesAreCorrupt) {
  for (size_t at : {size_t(3), size_t(9), size_t(30), size_t(70), good_.size() / 3, good_.size() - 2}) {
    auto bytes = good_;
    bytes[at] ^= 0x5A;
    write_bytes(path_, bytes);
    EXPECT_EQ(load_error(path_), ErrorKind::kCorruptFile) << "flipped byte " << at;
  }
}

TEST_F(DamagedFileTest, ForeignFileAndAppendedBytesAreCorrupt) {
  std::vector<uint8_t> foreign(4096);
  for (size_t i = 0; i < foreign.size(); ++i) foreign[i] = uint8_t(i * 31 + 7);
  write_bytes(path_, foreign);
  EXPECT_EQ(load_error(path_), ErrorKind::kCorruptFile);
  auto longer = good_;
  longer.push_back(0);
  write_bytes(path_, longer);
  EXPECT_EQ(load_error(path_), ErrorKind::kCorruptFile);
}

TEST_F(DamagedFileTest, MissingFileIsIoAndGoodFileStillLoads) {
  EXPECT_EQ(load_error(path_ + ".absent"), ErrorKind::kIo);
  IndexPtr loaded = testing::own(VectorIndex::load(path_.c_str()));
  EXPECT_EQ(loaded->size(), 300);
}

TEST(VectorIndexSave, UnwritableDirectoryIsIoAndLeavesNoFile) {
  IndexPtr index = testing::own(VectorIndex::create(4, "Flat", kMetricL2, 0));
  try {
    index->save("/nonexistent-trident-dir/index.tvi");
    FAIL() << "save succeeded";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIo);
  }
}

}  // namespace
}  // namespace trident

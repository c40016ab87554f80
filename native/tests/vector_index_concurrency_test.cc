// Concurrent searches while another thread adds and removes: no crash, every result valid
// (an id that was added at some point, distances ordered), final state consistent.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "trident/vector_index.h"
#include "vector_index_test_data.h"

namespace trident {
namespace {

constexpr int kDimension = 16;
constexpr int64_t kTotal = 3000;
constexpr int64_t kBatch = 100;
constexpr int kSearchThreads = 64;
constexpr int kSearchesPerThreadMax = 200;
constexpr int kSearchesPerThreadMin = 5;
constexpr int kK = 5;

class ConcurrentTest : public ::testing::TestWithParam<const char*> {};

TEST_P(ConcurrentTest, SearchesWhileAddingAndRemoving) {
  testing::IndexPtr index = testing::own(VectorIndex::create(kDimension, GetParam(), kMetricL2, 40));
  const auto data = testing::clustered_vectors(kTotal, kDimension, 10, 8);
  index->train(kTotal, data.data());
  std::vector<int64_t> ids(kTotal);
  for (int64_t i = 0; i < kTotal; ++i) ids[i] = 10 + i;  // id - 10 = row
  index->add(kBatch, data.data(), ids.data());

  std::atomic<bool> writer_done{false};
  std::atomic<int64_t> invalid{0}, searches{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < kSearchThreads; ++t) {
    readers.emplace_back([&, t] {
      std::vector<float> d(2 * kK);
      std::vector<int64_t> l(2 * kK);
      // At least kSearchesPerThreadMin each, then until the writer is done (bounded).
      for (int s = 0; s < kSearchesPerThreadMax && (s < kSearchesPerThreadMin || !writer_done.load()); ++s) {
        const int64_t row = (t * 97 + s * 13) % (kTotal - 1);
        index->search(2, data.data() + row * kDimension, kK, 24, 4, 1, d.data(), l.data());
        searches.fetch_add(1);
        for (int i = 0; i < 2 * kK; ++i) {
          if (l[i] != -1 && (l[i] < 10 || l[i] >= 10 + kTotal)) invalid.fetch_add(1);
          if (i % kK != 0 && l[i] != -1 && d[i] < d[i - 1]) invalid.fetch_add(1);
        }
      }
    });
  }
  // Writer starts once the readers are searching (bounded wait), then adds the rest in batches,
  // removing every other id of the previous batch.
  const auto wait_end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (searches.load() < kSearchThreads && std::chrono::steady_clock::now() < wait_end) {
    std::this_thread::yield();
  }
  for (int64_t start = kBatch; start < kTotal; start += kBatch) {
    index->add(kBatch, data.data() + start * kDimension, ids.data() + start);
    std::vector<int64_t> doomed;
    for (int64_t i = start - kBatch; i < start; i += 2) doomed.push_back(ids[i]);
    index->remove(int64_t(doomed.size()), doomed.data());
  }
  writer_done.store(true);
  for (auto& r : readers) r.join();

  EXPECT_EQ(invalid.load(), 0);
  EXPECT_GT(searches.load(), 0);
  const int64_t removed = (kTotal / kBatch - 1) * (kBatch / 2);
  EXPECT_EQ(index->size(), kTotal - removed);
  EXPECT_FALSE(index->contains(ids[0]));
  EXPECT_TRUE(index->contains(ids[1]));
  EXPECT_TRUE(index->contains(ids[kTotal - 2]));
}

INSTANTIATE_TEST_SUITE_P(Specs, ConcurrentTest, ::testing::Values("HNSW16", "Flat", "IVF8,Flat"),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& ch : name) if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return name;
                         });

}  // namespace
}  // namespace trident

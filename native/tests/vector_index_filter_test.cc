// Filtered search: IdFilter membership in both forms, the filtered HNSW walk and its distance
// limit, and VectorIndex::search with a filter on every structure (only allowed ids, k of them,
// exact results where the exact path runs, errors for bad filters).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "id_filter.h"
#include "trident/error.h"
#include "trident/hnsw_search.h"
#include "trident/vector_index.h"
#include "vector_index_test_data.h"

namespace trident {
namespace {

constexpr size_t kDimension = 16;
constexpr int kK = 10;

std::vector<uint64_t> bitset_of(const std::vector<int64_t>& ids, size_t bits) {
  std::vector<uint64_t> words((bits + 63) / 64, 0);
  for (const int64_t id : ids) words[size_t(id) >> 6] |= uint64_t(1) << (id & 63);
  return words;
}

TEST(IdFilter, SortedIdsByScanAndByHashAgreeWithTheList) {
  for (const size_t count : {size_t(5), size_t(1000)}) {
    std::vector<int64_t> ids;
    for (size_t i = 0; i < count; ++i) ids.push_back(int64_t(i * 7919) - 300);  // negatives too
    const IdFilter filter(kFilterSortedIds, ids.data(), int64_t(ids.size()));
    EXPECT_EQ(filter.cardinality(), int64_t(count));
    const std::set<int64_t> expected(ids.begin(), ids.end());
    for (int64_t id = -400; id < int64_t(count) * 7919; id += 13) {
      EXPECT_EQ(filter.contains(id), expected.count(id) == 1) << id;
    }
    std::vector<int64_t> visited;
    filter.for_each([&](int64_t id) { visited.push_back(id); });
    EXPECT_EQ(visited, ids);
  }
}

TEST(IdFilter, BitsetIgnoresStrayBitsPastItsLength) {
  std::vector<uint64_t> words = {0b1010, ~uint64_t(0)};
  const IdFilter filter(kFilterIdBitset, words.data(), 66);  // ids 64, 65 of the second word
  EXPECT_EQ(filter.cardinality(), 4);
  EXPECT_TRUE(filter.contains(1) && filter.contains(3) && filter.contains(64) && filter.contains(65));
  EXPECT_FALSE(filter.contains(0) || filter.contains(66) || filter.contains(-1) || filter.contains(127));
  std::vector<int64_t> visited;
  filter.for_each([&](int64_t id) { visited.push_back(id); });
  EXPECT_EQ(visited, (std::vector<int64_t>{1, 3, 64, 65}));
  const IdFilter empty(kFilterIdBitset, nullptr, 0);
  EXPECT_EQ(empty.cardinality(), 0);
  EXPECT_FALSE(empty.contains(0));
}

TEST(IdFilter, BadFiltersAreInvalidArguments) {
  const int64_t unsorted[] = {5, 3};
  const int64_t repeated[] = {3, 3};
  auto expect_invalid = [](auto make) {
    try {
      make();
      ADD_FAILURE() << "no error";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kInvalidArgument) << e.what();
    }
  };
  expect_invalid([&] { IdFilter f(kFilterSortedIds, unsorted, 2); });
  expect_invalid([&] { IdFilter f(kFilterSortedIds, repeated, 2); });
  expect_invalid([&] { IdFilter f(kFilterSortedIds, nullptr, 3); });
  expect_invalid([&] { IdFilter f(kFilterIdBitset, unsorted, -1); });
  expect_invalid([&] { IdFilter f(7, unsorted, 2); });
}

struct Data {
  size_t n = 6000, nq = 40;
  std::vector<float> base = testing::clustered_vectors(n, kDimension, 30, 11);
  std::vector<float> queries = testing::clustered_vectors(nq, kDimension, 30, 12);
  std::vector<int64_t> ids;  // row r has id 3r + 1: ids are not row numbers
  Data() {
    for (size_t r = 0; r < n; ++r) ids.push_back(int64_t(3 * r + 1));
  }
  // Every `step`-th row's id, sorted.
  std::vector<int64_t> every(size_t step) const {
    std::vector<int64_t> out;
    for (size_t r = 0; r < n; r += step) out.push_back(ids[r]);
    return out;
  }
  // Exact k nearest allowed ids per query.
  std::vector<int64_t> truth(const std::vector<int64_t>& allowed) const {
    std::vector<float> subset;
    for (const int64_t id : allowed) {
      const size_t r = size_t(id - 1) / 3;
      subset.insert(subset.end(), base.begin() + long(r * kDimension), base.begin() + long((r + 1) * kDimension));
    }
    const size_t k = std::min<size_t>(kK, allowed.size());
    const auto rows = testing::exact_neighbours(subset, queries, kDimension, k);
    std::vector<int64_t> out(nq * kK, -1);
    for (size_t q = 0; q < nq; ++q) {
      for (size_t i = 0; i < k; ++i) out[q * kK + i] = allowed[size_t(rows[q * k + i])];
    }
    return out;
  }
};

testing::IndexPtr build(const Data& data, const std::string& spec) {
  auto index = testing::own(VectorIndex::create(int(kDimension), spec.c_str(), kMetricL2, 0));
  index->train(int64_t(data.n), data.base.data());
  index->add(int64_t(data.n), data.base.data(), data.ids.data());
  return index;
}

class FilteredSearchTest : public ::testing::TestWithParam<std::string> {};

TEST_P(FilteredSearchTest, ReturnsOnlyAllowedIdsAndKOfThem) {
  const Data data;
  const auto index = build(data, GetParam());
  for (const size_t step : {size_t(1), size_t(3), size_t(50), size_t(700)}) {
    const std::vector<int64_t> allowed = data.every(step);
    const std::set<int64_t> allowed_set(allowed.begin(), allowed.end());
    const auto words = bitset_of(allowed, data.ids.back() + 1);
    std::vector<float> distances(data.nq * kK);
    std::vector<int64_t> labels(data.nq * kK);
    for (const int kind : {int(kFilterSortedIds), int(kFilterIdBitset)}) {
      const void* filter = kind == kFilterSortedIds ? static_cast<const void*>(allowed.data()) : words.data();
      const int64_t length = kind == kFilterSortedIds ? int64_t(allowed.size()) : data.ids.back() + 1;
      index->search(int64_t(data.nq), data.queries.data(), kK, 64, 16, 1, kind, filter, length,
                    distances.data(), labels.data());
      const size_t expected = std::min<size_t>(kK, allowed.size());
      for (size_t q = 0; q < data.nq; ++q) {
        for (size_t i = 0; i < size_t(kK); ++i) {
          const int64_t label = labels[q * kK + i];
          if (i < expected) {
            EXPECT_EQ(allowed_set.count(label), 1u) << GetParam() << " step " << step << " id " << label;
          } else {
            EXPECT_EQ(label, -1);
          }
        }
      }
      // Few allowed ids: HNSW, Flat and IVF-Flat score them exactly.
      if (step >= 50 && GetParam().find("PQ") == std::string::npos && GetParam() != "SQ8") {
        EXPECT_EQ(labels, data.truth(allowed)) << GetParam() << " step " << step;
      }
    }
  }
}

TEST_P(FilteredSearchTest, EmptyFilterAndAbsentIdsFindNothing) {
  const Data data;
  const auto index = build(data, GetParam());
  const int64_t absent[] = {0, 2, 3};  // ids are 3r + 1
  std::vector<float> distances(kK);
  std::vector<int64_t> labels(kK);
  index->search(1, data.queries.data(), kK, 0, 0, 1, kFilterSortedIds, absent, 3, distances.data(), labels.data());
  EXPECT_EQ(labels, std::vector<int64_t>(kK, -1));
  index->search(1, data.queries.data(), kK, 0, 0, 1, kFilterIdBitset, nullptr, 0, distances.data(), labels.data());
  EXPECT_EQ(labels, std::vector<int64_t>(kK, -1));
}

INSTANTIATE_TEST_SUITE_P(EveryStructure, FilteredSearchTest,
                         ::testing::Values("HNSW16", "Flat", "IVF32,Flat", "IVF32,PQ4", "SQ8"),
                         [](const auto& info) {
                           std::string name = info.param;
                           name.erase(std::remove(name.begin(), name.end(), ','), name.end());
                           return name;
                         });

TEST(FilteredHnswSearch, RemovedIdsStayOut) {
  const Data data;
  const auto index = build(data, "HNSW16");
  const std::vector<int64_t> allowed = data.every(2);
  index->remove(3, allowed.data());  // the first three allowed ids
  std::vector<float> distances(kK);
  std::vector<int64_t> labels(kK);
  index->search(1, data.base.data(), kK, 32, 0, 1, kFilterSortedIds, allowed.data(),
                int64_t(allowed.size()), distances.data(), labels.data());
  for (const int64_t label : labels) {
    EXPECT_TRUE(label != allowed[0] && label != allowed[1] && label != allowed[2]) << label;
    EXPECT_GE(label, 0);
  }
}

}  // namespace
}  // namespace trident

// Seeded random workloads against GroupCommitFile, checked against an in-memory model of the
// file. The seed is printed; replay one with TRIDENT_TEST_SEED=<seed>.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "group_commit_test_util.h"
#include "trident/group_commit.h"

namespace trident {
namespace {

uint64_t test_seed() {
  const char* fixed = getenv("TRIDENT_TEST_SEED");
  return fixed != nullptr ? std::strtoull(fixed, nullptr, 10) : std::random_device{}();
}

class GroupCommitRandomizedTest : public ::testing::TestWithParam<int> {};

TEST_P(GroupCommitRandomizedTest, RandomWritesSyncsAndWaitsMatchTheModel) {
  if (GetParam() == GroupCommitFile::kBackendAuto && !io_uring_available()) {
    GTEST_SKIP() << "io_uring unavailable here: " << io_uring_unavailability_cause();
  }
  const uint64_t seed = test_seed();
  std::printf("GroupCommitRandomizedTest seed=%llu (replay: TRIDENT_TEST_SEED=%llu)\n",
              static_cast<unsigned long long>(seed), static_cast<unsigned long long>(seed));
  std::mt19937_64 random(seed);
  auto uniform = [&](int64_t low, int64_t high) {
    return std::uniform_int_distribution<int64_t>(low, high)(random);
  };
  TempDir dir;
  const std::string path = dir.file("journal");
  const int window = static_cast<int>(uniform(1, 8));
  std::unique_ptr<GroupCommitFile> file(GroupCommitFile::open(path.c_str(), window, GetParam()));
  constexpr int64_t kFileBytesMax = 256 * 1024;
  std::string model;
  // Buffers must outlive their ticket: keep every one until the end (bounded: 300 requests).
  std::vector<std::unique_ptr<std::string>> buffers;
  int64_t last_ticket = 0;
  // Ranges written by tickets that may not be durable yet: requests in flight together are not
  // ordered against each other, so an overlapping write first waits for the earlier ticket.
  struct PendingRange {
    int64_t ticket, begin, end;
  };
  std::vector<PendingRange> pending;
  for (int request = 0; request < 300; ++request) {
    const int segment_count = static_cast<int>(uniform(0, 5));
    std::vector<WriteSegment> segments;
    for (int s = 0; s < segment_count; ++s) {
      const int64_t length = uniform(1, 5000);
      // Half the segments continue the previous one (merged into one writev run).
      const int64_t offset = (s > 0 && uniform(0, 1) == 1)
                                 ? segments.back().offset + segments.back().length
                                 : uniform(0, kFileBytesMax - 5000 * 6);
      buffers.push_back(std::make_unique<std::string>(
          pattern_bytes(static_cast<size_t>(length), static_cast<int>(uniform(0, 1000)))));
      segments.push_back(WriteSegment{buffers.back()->data(), offset, length});
    }
    for (const WriteSegment& segment : segments) {
      for (const PendingRange& range : pending) {
        if (range.begin < segment.offset + segment.length && segment.offset < range.end &&
            range.ticket > file->durable_ticket()) {
          file->await_durable(range.ticket);
        }
      }
    }
    const int64_t durable = file->durable_ticket();
    auto is_durable = [&](const PendingRange& range) { return range.ticket <= durable; };
    pending.erase(std::remove_if(pending.begin(), pending.end(), is_durable), pending.end());
    // Apply to the model in order: later segments of one request win, as the chain writes them
    // in order (runs are linked).
    for (const WriteSegment& segment : segments) {
      const size_t end = static_cast<size_t>(segment.offset + segment.length);
      if (model.size() < end) model.resize(end, '\0');
      model.replace(static_cast<size_t>(segment.offset), static_cast<size_t>(segment.length),
                    static_cast<const char*>(segment.data), static_cast<size_t>(segment.length));
    }
    const int64_t ticket = file->write_and_request_sync(segments.data(), segment_count);
    ASSERT_EQ(ticket, last_ticket + 1) << "seed=" << seed;
    for (const WriteSegment& segment : segments) {
      pending.push_back(PendingRange{ticket, segment.offset, segment.offset + segment.length});
    }
    ASSERT_GE(file->durable_ticket(), ticket - window) << "seed=" << seed;
    last_ticket = ticket;
    if (uniform(0, 9) == 0) {
      const int64_t awaited = uniform(1, ticket);
      file->await_durable(awaited);
      ASSERT_GE(file->durable_ticket(), awaited) << "seed=" << seed;
    }
  }
  file->await_durable(last_ticket);
  EXPECT_EQ(file->durable_ticket(), last_ticket);
  const std::string content = read_file(path);
  ASSERT_EQ(content.size(), model.size()) << "seed=" << seed;
  const auto mismatch = std::mismatch(content.begin(), content.end(), model.begin());
  EXPECT_TRUE(mismatch.first == content.end())
      << "first difference at byte " << (mismatch.first - content.begin()) << ", seed=" << seed;
}

INSTANTIATE_TEST_SUITE_P(Backends, GroupCommitRandomizedTest,
                         ::testing::Values(GroupCommitFile::kBackendAuto,
                                           GroupCommitFile::kBackendBlocking),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return info.param == GroupCommitFile::kBackendAuto ? "IoUring"
                                                                              : "Blocking";
                         });

}  // namespace
}  // namespace trident

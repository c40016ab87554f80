// GroupCommitFile on a real ext4/tmpfs file: every test runs on the io_uring pipeline and on the
// blocking fallback (the same expectations for both).
#include "trident/group_commit.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "group_commit_test_util.h"
#include "trident/error.h"

namespace trident {
namespace {

class GroupCommitTest : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    if (GetParam() == GroupCommitFile::kBackendAuto && !io_uring_available()) {
      GTEST_SKIP() << "io_uring unavailable here: " << io_uring_unavailability_cause();
    }
  }

  std::unique_ptr<GroupCommitFile> open_file(int window = 4) {
    return std::unique_ptr<GroupCommitFile>(
        GroupCommitFile::open(dir_.file("journal").c_str(), window, GetParam()));
  }

  TempDir dir_;
};

TEST_P(GroupCommitTest, BackendMatchesRequest) {
  auto file = open_file();
  EXPECT_EQ(file->uses_io_uring(), GetParam() == GroupCommitFile::kBackendAuto);
  EXPECT_EQ(std::string(file->backend_reason()).empty(), file->uses_io_uring());
}

TEST_P(GroupCommitTest, TicketsCompleteInOrderAcrossManyRequests) {
  auto file = open_file(8);
  std::vector<int64_t> tickets;
  for (int i = 0; i < 300; ++i) {
    tickets.push_back(file->request_sync());
    ASSERT_EQ(tickets.back(), i + 1);
    ASSERT_LE(file->durable_ticket(), tickets.back());
    if (i % 7 == 0) {
      file->await_durable(tickets.back());
      ASSERT_GE(file->durable_ticket(), tickets.back());
    }
  }
  file->await_durable(tickets.back());
  EXPECT_EQ(file->durable_ticket(), 300);
  EXPECT_EQ(file->issued_ticket(), 300);
  EXPECT_EQ(file->stats().syncs_completed, 300);
  file->await_durable(1);  // long durable: returns at once
}

TEST_P(GroupCommitTest, NeverMoreThanWindowTicketsPending) {
  auto file = open_file(2);
  for (int i = 0; i < 100; ++i) {
    int64_t ticket = file->request_sync();
    // Issuing ticket t needs t-2 durable already: the window bounds pending tickets.
    ASSERT_GE(file->durable_ticket(), ticket - 2);
  }
  file->sync();
}

TEST_P(GroupCommitTest, WrittenBytesReadBackAfterDurable) {
  auto file = open_file();
  const std::string data = pattern_bytes(64 * 1024, 3);
  // Three segments: two contiguous (one writev), one elsewhere.
  WriteSegment segments[] = {{data.data(), 0, 10000},
                             {data.data() + 10000, 10000, 30000},
                             {data.data() + 40000, 100000, 64 * 1024 - 40000}};
  int64_t ticket = file->write_and_request_sync(segments, 3);
  file->await_durable(ticket);
  const std::string content = read_file(dir_.file("journal"));
  ASSERT_EQ(content.size(), 100000u + 64 * 1024 - 40000);
  EXPECT_TRUE(content.substr(0, 40000) == data.substr(0, 40000));
  EXPECT_TRUE(content.substr(40000, 60000) == std::string(60000, '\0'));
  EXPECT_TRUE(content.substr(100000) == data.substr(40000));
  EXPECT_EQ(file->stats().bytes_written, 64 * 1024);
}

TEST_P(GroupCommitTest, ConcurrentWritersEachSeeTheirRecordsDurable) {
  auto file = open_file(4);
  constexpr int kThreads = 4;
  constexpr int kRecordsPerThread = 60;
  constexpr int kRecordBytes = 512;
  std::vector<std::string> records;
  for (int i = 0; i < kThreads * kRecordsPerThread; ++i) {
    records.push_back(pattern_bytes(kRecordBytes, i));
  }
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int r = 0; r < kRecordsPerThread; ++r) {
        const int index = t * kRecordsPerThread + r;
        int64_t ticket = file->write_one_and_request_sync(records[index].data(),
                                                          int64_t{index} * kRecordBytes,
                                                          kRecordBytes);
        file->await_durable(ticket);
        if (file->durable_ticket() < ticket) failures.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(file->durable_ticket(), kThreads * kRecordsPerThread);
  const std::string content = read_file(dir_.file("journal"));
  ASSERT_EQ(content.size(), size_t{kThreads * kRecordsPerThread * kRecordBytes});
  for (int i = 0; i < kThreads * kRecordsPerThread; ++i) {
    ASSERT_TRUE(content.substr(size_t(i) * kRecordBytes, kRecordBytes) == records[i]) << i;
  }
}

TEST_P(GroupCommitTest, PreallocateFillsHolesAndExtendsWithoutTouchingData) {
  const std::string path = dir_.file("journal");
  {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT, 0644);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(ftruncate(fd, 1 << 20), 0);  // sparse 1 MiB, as an mmap'ed queue file is
    const std::string data = pattern_bytes(4096, 9);
    ASSERT_EQ(pwrite(fd, data.data(), data.size(), 512 * 1024), 4096);
    ASSERT_EQ(fsync(fd), 0);
    ::close(fd);
  }
  auto file = open_file();
  file->preallocate(0, 2 << 20);
  const std::string content = read_file(path);
  ASSERT_EQ(content.size(), size_t{2 << 20});
  EXPECT_TRUE(content.substr(512 * 1024, 4096) == pattern_bytes(4096, 9));
  EXPECT_TRUE(content.substr(0, 512 * 1024) == std::string(512 * 1024, '\0'));
  EXPECT_EQ(file->stats().bytes_preallocated, (2 << 20) - 4096);
  int fd = ::open(path.c_str(), O_RDONLY);
  EXPECT_EQ(lseek(fd, 0, SEEK_HOLE), 2 << 20) << "no hole may remain inside the range";
  ::close(fd);
  file->preallocate(0, 2 << 20);  // already allocated: nothing to write
  EXPECT_EQ(file->stats().bytes_preallocated, (2 << 20) - 4096);
  // Overwrites inside the preallocated range keep the size.
  const std::string record = pattern_bytes(1000, 4);
  file->await_durable(file->write_one_and_request_sync(record.data(), 0, 1000));
  EXPECT_EQ(read_file(path).size(), size_t{2 << 20});
}

TEST_P(GroupCommitTest, PreallocateKeepsBytesStoredThroughAMapButNotYetWrittenBack) {
  // Chronicle Queue's case: a sparse file mapped and stored into; the dirty pages are not on
  // disk yet, so the extents are still holes/delayed. SEEK_DATA must count them as data.
  const std::string path = dir_.file("journal");
  constexpr size_t kMapBytes = 1 << 20;
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(ftruncate(fd, kMapBytes), 0);
  void* map = mmap(nullptr, kMapBytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  ASSERT_NE(map, MAP_FAILED);
  const std::string record = pattern_bytes(3000, 8);
  std::memcpy(static_cast<char*>(map) + 200000, record.data(), record.size());
  auto file = open_file();
  file->preallocate(0, 2 * kMapBytes);
  EXPECT_TRUE(std::string(static_cast<char*>(map) + 200000, record.size()) == record);
  file->sync();
  munmap(map, kMapBytes);
  ::close(fd);
  EXPECT_TRUE(read_file(path).substr(200000, record.size()) == record);
}

TEST_P(GroupCommitTest, PagePreallocateZerosHolesAndKeepsStoredAndWrittenBytes) {
  // The mmap writer's mode: zeros in one-page pwrites, from an unaligned offset, around bytes
  // written with pwrite and bytes stored through a map (not yet written back).
  const std::string path = dir_.file("journal");
  constexpr size_t kMapBytes = 1 << 20;
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(ftruncate(fd, kMapBytes), 0);
  const std::string written = pattern_bytes(5000, 3);
  ASSERT_EQ(pwrite(fd, written.data(), written.size(), 300000), 5000);
  void* map = mmap(nullptr, kMapBytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  ASSERT_NE(map, MAP_FAILED);
  const std::string stored = pattern_bytes(3000, 8);
  std::memcpy(static_cast<char*>(map) + 700000, stored.data(), stored.size());
  auto file = open_file();
  constexpr int64_t kOffset = 1000;
  constexpr int64_t kEnd = 3 * kMapBytes + 123;
  file->preallocate(kOffset, kEnd - kOffset, GroupCommitFile::kZeroWriteBytesPage);
  file->sync();
  munmap(map, kMapBytes);
  ::close(fd);
  std::string expected(kEnd, '\0');
  expected.replace(300000, written.size(), written);
  expected.replace(700000, stored.size(), stored);
  const std::string content = read_file(path);
  ASSERT_EQ(content.size(), size_t{kEnd});
  EXPECT_TRUE(content == expected);
  int check = ::open(path.c_str(), O_RDONLY);
  EXPECT_EQ(lseek(check, 0, SEEK_HOLE), kEnd) << "no hole may remain";
  ::close(check);
  EXPECT_GT(file->stats().bytes_preallocated, 0);
}

TEST_P(GroupCommitTest, PreallocateRejectsZeroWriteSizesOutsideTheRange) {
  auto file = open_file();
  expect_error_kind([&] { file->preallocate(0, 4096, 0); }, ErrorKind::kInvalidArgument,
                    "zero_write_bytes");
  expect_error_kind(
      [&] { file->preallocate(0, 4096, GroupCommitFile::kZeroWriteBytesLarge + 1); },
      ErrorKind::kInvalidArgument, "zero_write_bytes");
  file->preallocate(0, 4096, 1);  // byte-sized writes are slow but valid
  EXPECT_EQ(read_file(dir_.file("journal")), std::string(4096, '\0'));
}

TEST_P(GroupCommitTest, InvalidArgumentsAreRejected) {
  EXPECT_THROW(GroupCommitFile::open(dir_.file("x").c_str(), 0, GetParam()), Error);
  EXPECT_THROW(GroupCommitFile::open(dir_.file("x").c_str(), 65, GetParam()), Error);
  EXPECT_THROW(GroupCommitFile::open(dir_.file("x").c_str(), 4, 7), Error);
  auto file = open_file();
  expect_error_kind([&] { file->await_durable(1); }, ErrorKind::kInvalidArgument, "never issued");
  char byte = 1;
  expect_error_kind([&] { file->write_one_and_request_sync(&byte, -1, 1); },
                    ErrorKind::kInvalidArgument, "offset");
  expect_error_kind([&] { file->preallocate(-5, 10); }, ErrorKind::kInvalidArgument, "offset");
  // A rejected call leaves the file usable.
  file->sync();
  EXPECT_EQ(file->durable_ticket(), 1);
}

TEST_P(GroupCommitTest, OpenOfMissingDirectoryIsIoError) {
  expect_error_kind(
      [&] { GroupCommitFile::open(dir_.file("missing/journal").c_str(), 4, GetParam()); },
      ErrorKind::kIo, "No such file or directory");
}

INSTANTIATE_TEST_SUITE_P(Backends, GroupCommitTest,
                         ::testing::Values(GroupCommitFile::kBackendAuto,
                                           GroupCommitFile::kBackendBlocking),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return info.param == GroupCommitFile::kBackendAuto ? "IoUring"
                                                                              : "Blocking";
                         });

TEST(GroupCommitRawBaselineTest, ReportsSyncsAndRecordsAndRemovesItsFile) {
  TempDir dir;
  const std::string path = dir.file("raw");
  RawGroupCommitResult result = raw_group_commit(path.c_str(), 100, 16, 2, 0.2, 1 << 20);
  EXPECT_GT(result.syncs, 0);
  EXPECT_EQ(result.records, result.syncs * 16);
  EXPECT_GT(result.syncs_per_second, 0.0);
  EXPECT_GE(result.sync_latency_p99_micros, result.sync_latency_p50_micros);
  EXPECT_EQ(result.used_io_uring, io_uring_available());
  EXPECT_NE(access(path.c_str(), F_OK), 0);
}

}  // namespace
}  // namespace trident

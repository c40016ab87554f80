// GroupCommitFile under real faults: short writes at RLIMIT_FSIZE, EBADF, ENOSPC, failed fsync.
// Each runs on the io_uring pipeline and on the blocking fallback.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "group_commit_test_util.h"
#include "trident/error.h"
#include "trident/group_commit.h"

namespace trident {
namespace {

constexpr int64_t kFileSizeLimitBytes = 1 << 20;

// Lowers this process's RLIMIT_FSIZE soft limit with SIGXFSZ ignored (a write crossing the limit
// is cut short; one starting at it fails with EFBIG); restores both on destruction.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(int64_t bytes) {
    getrlimit(RLIMIT_FSIZE, &saved_);
    previous_handler_ = signal(SIGXFSZ, SIG_IGN);
    rlimit lowered = saved_;
    lowered.rlim_cur = static_cast<rlim_t>(bytes);
    EXPECT_EQ(setrlimit(RLIMIT_FSIZE, &lowered), 0);
  }
  void lift() { setrlimit(RLIMIT_FSIZE, &saved_); }
  ~FileSizeLimit() {
    lift();
    signal(SIGXFSZ, previous_handler_);
  }

 private:
  rlimit saved_{};
  sighandler_t previous_handler_;
};

class GroupCommitFaultTest : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    if (GetParam() == GroupCommitFile::kBackendAuto && !io_uring_available()) {
      GTEST_SKIP() << "io_uring unavailable here: " << io_uring_unavailability_cause();
    }
  }
  TempDir dir_;
};

TEST_P(GroupCommitFaultTest, ShortWriteIsResumedAndTheRemainderHitsTheLimit) {
  const std::string path = dir_.file("journal");
  std::unique_ptr<GroupCommitFile> file(GroupCommitFile::open(path.c_str(), 4, GetParam()));
  const std::string data = pattern_bytes(4096, 5);
  {
    FileSizeLimit limit(kFileSizeLimitBytes);
    expect_error_kind(
        [&] {
          file->await_durable(
              file->write_one_and_request_sync(data.data(), kFileSizeLimitBytes - 1000, 4096));
        },
        ErrorKind::kIo, "File too large");
  }
  // The part below the limit landed; the resumed remainder is what failed.
  const std::string content = read_file(path);
  ASSERT_EQ(content.size(), size_t{kFileSizeLimitBytes});
  EXPECT_TRUE(content.substr(kFileSizeLimitBytes - 1000) == data.substr(0, 1000));
  // Failed files fail fast, with the first error, whatever the call.
  expect_error_kind([&] { file->request_sync(); }, ErrorKind::kIo, "File too large");
  expect_error_kind([&] { file->preallocate(0, 4096); }, ErrorKind::kIo, "File too large");
  expect_error_kind([&] { file->await_durable(1); }, ErrorKind::kIo, "File too large");
}

TEST_P(GroupCommitFaultTest, WriteThroughReadOnlyDescriptorIsIoError) {
  const std::string path = dir_.file("journal");
  int fd = ::open(path.c_str(), O_RDONLY | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  std::unique_ptr<GroupCommitFile> file(
      GroupCommitFile::adopt_fd(fd, "read-only-journal", 4, GetParam()));
  file->sync();  // fdatasync works on a read-only descriptor
  const std::string data = pattern_bytes(100, 1);
  expect_error_kind(
      [&] { file->await_durable(file->write_one_and_request_sync(data.data(), 0, 100)); },
      ErrorKind::kIo, "read-only-journal: pwritev: Bad file descriptor");
  expect_error_kind([&] { file->request_sync(); }, ErrorKind::kIo, "Bad file descriptor");
  file->await_durable(1);  // durable before the failure: still durable
}

TEST_P(GroupCommitFaultTest, WriteToFullDeviceIsNoSpaceError) {
  std::unique_ptr<GroupCommitFile> file(GroupCommitFile::open("/dev/full", 4, GetParam()));
  const std::string data = pattern_bytes(4096, 2);
  expect_error_kind(
      [&] { file->await_durable(file->write_one_and_request_sync(data.data(), 0, 4096)); },
      ErrorKind::kIo, "/dev/full: pwritev: No space left on device");
}

TEST_P(GroupCommitFaultTest, FailedFdatasyncIsIoError) {
  // Character devices have no fsync: fdatasync fails with EINVAL.
  std::unique_ptr<GroupCommitFile> file(GroupCommitFile::open("/dev/null", 2, GetParam()));
  expect_error_kind([&] { file->sync(); }, ErrorKind::kIo,
                    "/dev/null: fdatasync: Invalid argument");
  expect_error_kind([&] { file->request_sync(); }, ErrorKind::kIo, "fdatasync: Invalid argument");
}

TEST_P(GroupCommitFaultTest, ZeroingSyncIsATicketOfTheCommitPipeline) {
  // One fdatasync path per file (issue 6): preallocate's sync is a ticket like a commit's, so a
  // writeback error it sees fails the file instead of vanishing from the commit's own sync.
  std::unique_ptr<GroupCommitFile> file(GroupCommitFile::open(dir_.file("zeroed").c_str(), 1, GetParam()));
  file->preallocate(0, 64 << 10);
  EXPECT_EQ(file->issued_ticket(), 1);
  EXPECT_EQ(file->durable_ticket(), 1);
  file->sync();
  EXPECT_EQ(file->durable_ticket(), 2);
}

TEST_P(GroupCommitFaultTest, FailedZeroingSyncFailsEveryLaterTicket) {
  std::unique_ptr<GroupCommitFile> file(GroupCommitFile::open("/dev/null", 1, GetParam()));
  expect_error_kind([&] { file->preallocate(0, 4096); }, ErrorKind::kIo, "fdatasync: Invalid argument");
  EXPECT_EQ(file->issued_ticket(), 1);
  expect_error_kind([&] { file->request_sync(); }, ErrorKind::kIo, "fdatasync: Invalid argument");
}

INSTANTIATE_TEST_SUITE_P(Backends, GroupCommitFaultTest,
                         ::testing::Values(GroupCommitFile::kBackendAuto,
                                           GroupCommitFile::kBackendBlocking),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return info.param == GroupCommitFile::kBackendAuto ? "IoUring"
                                                                              : "Blocking";
                         });

// io_uring only: the blocking fallback resumes a short write inline, in the same pwritev loop the
// EFBIG test above exercises, so the limit cannot be lifted between the two writes there.
TEST(GroupCommitIoUringShortWriteTest, ShortWriteCompletesWhenTheRestFitsLater) {
  if (!io_uring_available()) GTEST_SKIP() << io_uring_unavailability_cause();
  // The limit is lifted after the first, partial write executed: the resubmitted remainder then
  // succeeds. With io_uring the partial write may instead run after the lift (then it is simply
  // whole), so retry a bounded number of times until a resumed short write was observed.
  TempDir dir;
  const std::string path = dir.file("journal");
  std::unique_ptr<GroupCommitFile> file(
      GroupCommitFile::open(path.c_str(), 4, GroupCommitFile::kBackendAuto));
  ASSERT_TRUE(file->uses_io_uring());
  const std::string data = pattern_bytes(4096, 6);
  int64_t offset = kFileSizeLimitBytes - 1000;
  for (int attempt = 0; attempt < 20 && file->stats().short_writes_resumed == 0; ++attempt) {
    offset = kFileSizeLimitBytes * (attempt + 1) - 1000;
    FileSizeLimit limit(kFileSizeLimitBytes * (attempt + 1));
    int64_t ticket = file->write_one_and_request_sync(data.data(), offset, 4096);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    limit.lift();
    file->await_durable(ticket);
  }
  ASSERT_GE(file->stats().short_writes_resumed, 1);
  EXPECT_TRUE(read_file(path).substr(offset, 4096) == data);
}

}  // namespace
}  // namespace trident

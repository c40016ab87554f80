// The io_uring availability probe against the real ways io_uring gets blocked: a seccomp filter
// (as container runtimes install) and TRIDENT_IO_URING=off. The probe runs once per process, so
// each case runs in a fresh process: gtest's "threadsafe" death-test style re-executes this
// binary for the statement, and nothing before the statement touches io_uring.
#include <errno.h>
#include <gtest/gtest.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "group_commit_test_util.h"
#include "seccomp_test_util.h"
#include "trident/group_commit.h"

namespace trident {
namespace {

// In the child: io_uring must be reported unavailable with a cause containing `fragment`, and an
// auto-backend file must fall back and still make a write durable. Exits 0 when all holds.
[[noreturn]] void expect_fallback_and_exit(const std::string& fragment) {
  const std::string cause = io_uring_unavailability_cause();
  TempDir dir;
  std::unique_ptr<GroupCommitFile> file(
      GroupCommitFile::open(dir.file("j").c_str(), 4, GroupCommitFile::kBackendAuto));
  const std::string record = pattern_bytes(1000, 1);
  file->await_durable(file->write_one_and_request_sync(record.data(), 0, 1000));
  const bool ok = !io_uring_available() && cause.find(fragment) != std::string::npos &&
                  !file->uses_io_uring() && std::string(file->backend_reason()) == cause &&
                  read_file(dir.file("j")) == record;
  if (!ok) fprintf(stderr, "cause: %s\n", cause.c_str());
  _exit(ok ? 0 : 1);
}

TEST(GroupCommitProbeTest, EnvironmentForcesTheFallbackWithAReason) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        setenv("TRIDENT_IO_URING", "off", 1);
        expect_fallback_and_exit("TRIDENT_IO_URING=off");
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(GroupCommitProbeTest, SeccompBlockedSetupFallsBackWithTheReason) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        if (!deny_syscall_with_eperm(__NR_io_uring_setup)) _exit(2);
        expect_fallback_and_exit("io_uring_setup: Operation not permitted");
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(GroupCommitProbeTest, SeccompBlockedEnterIsCaughtByTheNopRoundTrip) {
  // Setup allowed, submission denied: only a real round trip notices.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        if (!deny_syscall_with_eperm(__NR_io_uring_enter)) _exit(2);
        expect_fallback_and_exit("io_uring_enter: Operation not permitted");
      },
      ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace trident

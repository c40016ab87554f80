// Saving an index makes its rename durable: a directory that cannot be opened or fsync'd for
// that is an I/O error, not silently skipped (issue 6, point 5). The fault is a seccomp filter
// (irreversible), so the case runs in a fresh process (gtest's "threadsafe" death-test style).
#include <errno.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "group_commit_test_util.h"
#include "seccomp_test_util.h"
#include "trident/error.h"
#include "trident/vector_index.h"

namespace trident {
namespace {

// From now on, openat(..., O_DIRECTORY) fails with EACCES in this process; other opens work.
bool deny_directory_opens() {
  sock_filter filter[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, static_cast<__u32>(__NR_openat), 0, 3),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, args) + 2 * sizeof(__u64)),  // flags, low word
      BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, static_cast<__u32>(O_DIRECTORY), 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EACCES & SECCOMP_RET_DATA)),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  return install_seccomp_filter(filter, sizeof filter / sizeof filter[0]);
}

TEST(IndexFileDurabilityTest, UnopenableDirectoryForTheRenameSyncIsIoError) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        TempDir dir;
        VectorIndex* index = VectorIndex::create(4, "Flat", kMetricL2, 0);
        if (!deny_directory_opens()) _exit(2);
        try {
          index->save(dir.file("index.tvi").c_str());
          fprintf(stderr, "save succeeded without a directory fsync\n");
          _exit(3);
        } catch (const Error& e) {
          const bool ok = e.kind() == ErrorKind::kIo && std::string(e.what()).find("directory") != std::string::npos;
          if (!ok) fprintf(stderr, "unexpected error: %s\n", e.what());
          _exit(ok ? 0 : 4);
        }
      },
      ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace trident

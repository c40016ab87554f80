// Thread placement applies where the kernel allows it and is a clean refusal (an errno, no
// exception, nothing changed) where it does not: CPUs outside the machine, and the system calls
// denied by a seccomp filter (as container runtimes do), each in a fresh process.
#include <gtest/gtest.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <thread>
#include <vector>

#include "seccomp_test_util.h"
#include "trident/error.h"
#include "trident/thread_placement.h"

namespace trident {
namespace {

std::vector<int32_t> my_cpus() {
  std::vector<int32_t> cpus(4096);
  const int32_t count = current_thread_cpus(cpus.data(), 4096);
  EXPECT_GE(count, 1);
  cpus.resize(count > 0 ? count : 0);
  return cpus;
}

TEST(ThreadPlacementTest, PinningAppliesAndReadsBack) {
  // On a fresh thread, so the test process keeps its own affinity.
  std::thread([] {
    const std::vector<int32_t> before = my_cpus();
    ASSERT_FALSE(before.empty());
    const int32_t last = before.back();
    EXPECT_EQ(pin_current_thread(&last, 1), 0);
    EXPECT_EQ(my_cpus(), std::vector<int32_t>{last});
    EXPECT_EQ(pin_current_thread(before.data(), static_cast<int32_t>(before.size())), 0);
    EXPECT_EQ(my_cpus(), before);
  }).join();
}

TEST(ThreadPlacementTest, CpuOutsideTheMachineIsRefusedAndChangesNothing) {
  std::thread([] {
    const std::vector<int32_t> before = my_cpus();
    const int32_t absent = 4095;
    EXPECT_EQ(pin_current_thread(&absent, 1), EINVAL);
    EXPECT_EQ(my_cpus(), before);
    EXPECT_THROW(pin_current_thread(&absent, 0), Error);
    const int32_t negative = -1;
    EXPECT_THROW(pin_current_thread(&negative, 1), Error);
  }).join();
}

TEST(ThreadPlacementTest, PreferredMemoryNodeAppliesAndResets) {
  std::thread([] {
    int32_t node = 99;
    ASSERT_EQ(current_thread_preferred_memory_node(&node), 0);
    EXPECT_EQ(node, -1);
    ASSERT_EQ(prefer_memory_node_for_current_thread(0), 0);  // node 0 exists everywhere
    ASSERT_EQ(current_thread_preferred_memory_node(&node), 0);
    EXPECT_EQ(node, 0);
    std::vector<char> touched(1 << 20, 1);  // allocations still succeed under the policy
    EXPECT_EQ(touched[12345], 1);
    ASSERT_EQ(prefer_memory_node_for_current_thread(-1), 0);
    ASSERT_EQ(current_thread_preferred_memory_node(&node), 0);
    EXPECT_EQ(node, -1);
    EXPECT_EQ(prefer_memory_node_for_current_thread(1000), EINVAL);  // no such node
    EXPECT_THROW(prefer_memory_node_for_current_thread(5000), Error);
  }).join();
}

TEST(ThreadPlacementTest, DeniedSystemCallsAreACleanRefusal) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        if (!deny_syscall_with_eperm(__NR_sched_setaffinity)) _exit(2);
        const int32_t cpu = 0;
        _exit(pin_current_thread(&cpu, 1) == EPERM ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
  EXPECT_EXIT(
      {
        if (!deny_syscall_with_eperm(__NR_set_mempolicy)) _exit(2);
        int32_t node = 7;
        const bool refused = prefer_memory_node_for_current_thread(0) == EPERM;
        _exit(refused && current_thread_preferred_memory_node(&node) == 0 && node == -1 ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace trident

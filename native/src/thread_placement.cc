#include "trident/thread_placement.h"

#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "trident/error.h"

namespace trident {
namespace {

// From <linux/mempolicy.h> (numaif.h needs libnuma-dev; the system calls do not).
constexpr int kMpolDefault = 0;
constexpr int kMpolPreferred = 1;
constexpr int kNodeBits = 1024;  // node mask size passed to the kernel (>= its MAX_NUMNODES)
constexpr int kCpusMax = 4096;

using NodeMask = unsigned long[kNodeBits / (8 * sizeof(unsigned long))];

}  // namespace

int32_t pin_current_thread(const int32_t* cpus, int32_t count) {
  TRIDENT_GUARD("pin_current_thread", {
    TRIDENT_CHECK(cpus != nullptr && count >= 1 && count <= kCpusMax,
                  ErrorKind::kInvalidArgument, "pin_current_thread: 1..4096 CPUs required");
    cpu_set_t* set = CPU_ALLOC(kCpusMax);
    TRIDENT_CHECK(set != nullptr, ErrorKind::kOutOfMemory, "pin_current_thread: CPU_ALLOC");
    const size_t set_bytes = CPU_ALLOC_SIZE(kCpusMax);
    CPU_ZERO_S(set_bytes, set);
    for (int32_t i = 0; i < count; i++) {
      if (cpus[i] < 0 || cpus[i] >= kCpusMax) {
        CPU_FREE(set);
        throw Error(ErrorKind::kInvalidArgument,
                    "pin_current_thread: CPU " + std::to_string(cpus[i]) + " outside 0..4095");
      }
      CPU_SET_S(cpus[i], set_bytes, set);
    }
    const int rc = sched_setaffinity(0, set_bytes, set);
    const int error = rc == 0 ? 0 : errno;
    CPU_FREE(set);
    return error;
  });
}

int32_t current_thread_cpus(int32_t* cpus, int32_t cpus_max) {
  TRIDENT_GUARD("current_thread_cpus", {
    TRIDENT_CHECK(cpus_max >= 0 && (cpus != nullptr || cpus_max == 0),
                  ErrorKind::kInvalidArgument, "current_thread_cpus: bad output array");
    cpu_set_t* set = CPU_ALLOC(kCpusMax);
    TRIDENT_CHECK(set != nullptr, ErrorKind::kOutOfMemory, "current_thread_cpus: CPU_ALLOC");
    const size_t set_bytes = CPU_ALLOC_SIZE(kCpusMax);
    CPU_ZERO_S(set_bytes, set);
    if (sched_getaffinity(0, set_bytes, set) != 0) {
      const int error = errno;
      CPU_FREE(set);
      return -error;
    }
    int32_t found = 0;
    for (int cpu = 0; cpu < kCpusMax; cpu++) {
      if (!CPU_ISSET_S(cpu, set_bytes, set)) continue;
      if (found < cpus_max) cpus[found] = cpu;
      found++;
    }
    CPU_FREE(set);
    return found;
  });
}

int32_t prefer_memory_node_for_current_thread(int32_t node) {
  TRIDENT_GUARD("prefer_memory_node_for_current_thread", {
    TRIDENT_CHECK(node >= -1 && node < kNodeBits, ErrorKind::kInvalidArgument,
                  "prefer_memory_node_for_current_thread: node must be -1..1023");
    NodeMask mask;
    std::memset(mask, 0, sizeof(mask));
    long rc;
    if (node < 0) {
      rc = syscall(SYS_set_mempolicy, kMpolDefault, nullptr, 0UL);
    } else {
      mask[node / (8 * sizeof(unsigned long))] |= 1UL << (node % (8 * sizeof(unsigned long)));
      rc = syscall(SYS_set_mempolicy, kMpolPreferred, mask, static_cast<unsigned long>(kNodeBits));
    }
    return rc == 0 ? 0 : errno;
  });
}

int32_t current_thread_preferred_memory_node(int32_t* node) {
  TRIDENT_GUARD("current_thread_preferred_memory_node", {
    TRIDENT_CHECK(node != nullptr, ErrorKind::kInvalidArgument,
                  "current_thread_preferred_memory_node: null output");
    int mode = 0;
    NodeMask mask;
    std::memset(mask, 0, sizeof(mask));
    node[0] = -1;
    if (syscall(SYS_get_mempolicy, &mode, mask, static_cast<unsigned long>(kNodeBits),
                nullptr, 0UL) != 0) {
      return errno;
    }
    if (mode != kMpolPreferred) return 0;
    const int word_bits = 8 * sizeof(unsigned long);
    for (int bit = 0; bit < kNodeBits; bit++) {
      if (mask[bit / word_bits] & (1UL << (bit % word_bits))) {
        node[0] = bit;
        break;
      }
    }
    return 0;
  });
}

}  // namespace trident

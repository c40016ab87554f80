// Thread placement: CPU affinity and NUMA memory policy of the calling thread, through the raw
// system calls (sched_setaffinity, set_mempolicy, get_mempolicy; no libnuma needed at run time).
//
// Every function returns 0 on success or the errno of the refused call (EPERM under a seccomp
// filter or a container policy, EINVAL for CPUs or nodes outside the allowed set, ENOSYS on a
// kernel without NUMA support) and never throws for a refusal: callers treat a refusal as "not
// placed" (a clean no-op), log it, and carry on unplaced. Only bad arguments throw
// Error(kInvalidArgument).
//
// Thread rules: each call acts on the calling thread only (Linux affinity and memory policy are
// per thread, inherited by threads it creates later).
#pragma once

#include <cstdint>

namespace trident {

// Restricts the calling thread to `count` CPUs from `cpus` (each 0..4095, count 1..4096).
int32_t pin_current_thread(const int32_t* cpus, int32_t count);

// Writes the CPUs the calling thread may run on, ascending, into cpus[0..cpus_max) and returns
// how many there are (may exceed cpus_max); a negative errno if the kernel refused the query.
int32_t current_thread_cpus(int32_t* cpus, int32_t cpus_max);

// Makes the calling thread's new page allocations prefer NUMA node `node` (MPOL_PREFERRED:
// falls back to other nodes when it is full, never fails an allocation); node -1 restores the
// default (local) policy. Pages already touched stay where they are.
int32_t prefer_memory_node_for_current_thread(int32_t node);

// Writes into node[0] the node the calling thread's memory policy prefers: -1 for the default
// policy or any policy other than MPOL_PREFERRED naming one node. Returns 0 or the errno.
int32_t current_thread_preferred_memory_node(int32_t* node);

}  // namespace trident

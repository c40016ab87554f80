// trident::read_cpu_topology — the CPU topology of this machine (or of a copy of its /sys tree,
// for tests): online CPUs, their package (socket), physical core, SMT siblings and NUMA node, and
// the cache sizes. Read from Linux sysfs only (no libnuma, no cpuid), so it reflects what the
// kernel schedules on: offline CPUs are absent, and a machine without /sys/devices/system/node
// (a kernel without NUMA) has every CPU on node 0.
//
// Thread rules: stateless, reads files only; safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace trident {

// Columns of one row of read_cpu_topology's `rows`, one row per online CPU, ascending by cpu.
enum CpuTopologyColumn : int32_t {
  kColumnCpu = 0,           // logical CPU number (the N in /sys/devices/system/cpu/cpuN)
  kColumnPackage = 1,       // topology/physical_package_id (socket), -1 unknown
  kColumnCore = 2,          // topology/core_id (unique within its package only), -1 unknown
  kColumnNode = 3,          // NUMA node whose cpulist holds the CPU; 0 without node directories
  kColumnFirstSibling = 4,  // lowest CPU of topology/thread_siblings_list (SMT group id)
  kCpuTopologyColumns = 5,
};

// Slots of read_cpu_topology's `cache_bytes`, sizes of the caches of the first online CPU
// (0 = not reported).
enum CacheSlot : int32_t {
  kCacheL1Data = 0,
  kCacheL1Instruction = 1,
  kCacheL2 = 2,
  kCacheL3 = 3,
  kCacheSlots = 4,
};

// Reads the topology under `sys_root` ("/sys" for this machine; tests pass a fixture tree).
// rows: rows_max * kCpuTopologyColumns int32 (row-major); cache_bytes: kCacheSlots int64.
// Returns the number of online CPUs; when that exceeds rows_max only the first rows_max rows are
// written (call again with a larger array). Throws Error(kIo) naming the file when
// <sys_root>/devices/system/cpu/online cannot be read, kInvalidArgument for rows_max < 0 or null
// arrays, kCorruptFile for a cpu list that does not parse.
int32_t read_cpu_topology(const char* sys_root, int32_t rows_max, int32_t* rows,
                          int64_t* cache_bytes);

// Parses a Linux cpu/node list ("0-3,8,10-11", whitespace-trimmed, "" = empty) into ascending
// numbers. Throws Error(kCorruptFile) naming `what` on anything else.
std::vector<int32_t> parse_cpu_list(const std::string& text, const char* what);

// Parses a sysfs cache size ("48K", "2048K", "105M", "512"): bytes, or 0 when it does not parse.
int64_t parse_cache_size_bytes(const std::string& text);

}  // namespace trident

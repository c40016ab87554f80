// read_cpu_topology over fixture /sys trees (src/test/resources/sys-fixtures, see its README):
// a 2-socket SMT host, a one-node host, a kernel without NUMA; and over this machine's /sys.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "trident/cpu_topology.h"
#include "trident/error.h"

namespace trident {
namespace {

struct Topology {
  int32_t cpus = 0;
  std::vector<int32_t> rows;
  int64_t caches[kCacheSlots] = {};

  int32_t at(int cpu_index, CpuTopologyColumn column) const {
    return rows[cpu_index * kCpuTopologyColumns + column];
  }
};

Topology read(const std::string& sys_root) {
  Topology topology;
  topology.rows.resize(64 * kCpuTopologyColumns);
  topology.cpus = read_cpu_topology(sys_root.c_str(), 64, topology.rows.data(), topology.caches);
  return topology;
}

std::string fixture(const char* name) {
  return std::string(TRIDENT_SYS_FIXTURES_DIR) + "/" + name;
}

TEST(CpuTopologyTest, TwoSocketSmtFixture) {
  const Topology t = read(fixture("two-socket-smt"));
  ASSERT_EQ(t.cpus, 8);
  // cpu: package, core, node, first sibling (Linux numbers first threads, then their siblings).
  const int32_t expected[8][4] = {{0, 0, 0, 0}, {0, 1, 0, 1}, {1, 0, 1, 2}, {1, 1, 1, 3},
                                  {0, 0, 0, 0}, {0, 1, 0, 1}, {1, 0, 1, 2}, {1, 1, 1, 3}};
  for (int cpu = 0; cpu < 8; cpu++) {
    SCOPED_TRACE(cpu);
    EXPECT_EQ(t.at(cpu, kColumnCpu), cpu);
    EXPECT_EQ(t.at(cpu, kColumnPackage), expected[cpu][0]);
    EXPECT_EQ(t.at(cpu, kColumnCore), expected[cpu][1]);
    EXPECT_EQ(t.at(cpu, kColumnNode), expected[cpu][2]);
    EXPECT_EQ(t.at(cpu, kColumnFirstSibling), expected[cpu][3]);
  }
  EXPECT_EQ(t.caches[kCacheL1Data], 48 << 10);
  EXPECT_EQ(t.caches[kCacheL1Instruction], 32 << 10);
  EXPECT_EQ(t.caches[kCacheL2], 2048 << 10);
  EXPECT_EQ(t.caches[kCacheL3], 105LL << 20);
}

TEST(CpuTopologyTest, OneNodeAndNoNumaFixtures) {
  const Topology one = read(fixture("one-node"));
  ASSERT_EQ(one.cpus, 2);
  EXPECT_EQ(one.at(1, kColumnCore), 1);
  EXPECT_EQ(one.at(1, kColumnNode), 0);
  EXPECT_EQ(one.at(1, kColumnFirstSibling), 1);
  EXPECT_EQ(one.caches[kCacheL3], 32LL << 20);
  const Topology none = read(fixture("no-numa"));
  ASSERT_EQ(none.cpus, 1);
  EXPECT_EQ(none.at(0, kColumnNode), 0);
  EXPECT_EQ(none.caches[kCacheL1Data], 32 << 10);
  EXPECT_EQ(none.caches[kCacheL2], 0);  // not reported
}

TEST(CpuTopologyTest, ShortRowArrayReportsTheFullCount) {
  std::vector<int32_t> rows(2 * kCpuTopologyColumns, -7);
  int64_t caches[kCacheSlots];
  EXPECT_EQ(read_cpu_topology(fixture("two-socket-smt").c_str(), 2, rows.data(), caches), 8);
  EXPECT_EQ(rows[kCpuTopologyColumns + kColumnCpu], 1);
}

TEST(CpuTopologyTest, ThisMachineHasItsOnlineCpus) {
  const Topology t = read("/sys");
  ASSERT_GE(t.cpus, 1);
  for (int i = 0; i < t.cpus && i < 64; i++) {
    EXPECT_GE(t.at(i, kColumnNode), 0);
    EXPECT_LE(t.at(i, kColumnFirstSibling), t.at(i, kColumnCpu));
  }
}

TEST(CpuTopologyTest, MissingTreeIsAnIoErrorNamingTheFile) {
  int64_t caches[kCacheSlots];
  try {
    read_cpu_topology("/nonexistent-sys", 0, nullptr, caches);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIo);
    EXPECT_NE(std::string(e.what()).find("/nonexistent-sys/devices/system/cpu/online"),
              std::string::npos);
  }
}

TEST(CpuTopologyTest, CpuListsParseAndRejectGarbage) {
  EXPECT_EQ(parse_cpu_list("0-3,8,10-11\n", "t"), (std::vector<int32_t>{0, 1, 2, 3, 8, 10, 11}));
  EXPECT_EQ(parse_cpu_list("5", "t"), (std::vector<int32_t>{5}));
  EXPECT_TRUE(parse_cpu_list(" \n", "t").empty());
  for (const char* bad : {"a", "3-1", "1-", "-1", "1,,2", "0-3x"}) {
    SCOPED_TRACE(bad);
    EXPECT_THROW(parse_cpu_list(bad, "t"), Error);
  }
}

TEST(CpuTopologyTest, CacheSizesParse) {
  EXPECT_EQ(parse_cache_size_bytes("48K"), 48 << 10);
  EXPECT_EQ(parse_cache_size_bytes("105M"), 105LL << 20);
  EXPECT_EQ(parse_cache_size_bytes("512"), 512);
  EXPECT_EQ(parse_cache_size_bytes("big"), 0);
  EXPECT_EQ(parse_cache_size_bytes("3X"), 0);
}

}  // namespace
}  // namespace trident

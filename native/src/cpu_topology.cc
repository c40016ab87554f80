#include "trident/cpu_topology.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "trident/error.h"

namespace trident {
namespace {

// Whole file as text, or false when it cannot be opened/read.
bool read_text(const std::string& path, std::string* text) {
  std::ifstream in(path);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *text = buffer.str();
  return true;
}

std::string trim(const std::string& text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) begin++;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) end--;
  return text.substr(begin, end - begin);
}

// One small integer file (core_id, physical_package_id, level); `fallback` when absent or bad.
int32_t read_int(const std::string& path, int32_t fallback) {
  std::string text;
  if (!read_text(path, &text)) return fallback;
  text = trim(text);
  char* end = nullptr;
  long value = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || value < -1 || value > (1 << 30)) return fallback;
  return static_cast<int32_t>(value);
}

// CPU -> NUMA node, from <sys>/devices/system/node/online and nodeN/cpulist; empty when the
// kernel has no node directories (then every CPU is on node 0).
std::map<int32_t, int32_t> read_nodes(const std::string& sys) {
  std::map<int32_t, int32_t> node_of_cpu;
  std::string online;
  const std::string node_dir = sys + "/devices/system/node/";
  if (!read_text(node_dir + "online", &online)) return node_of_cpu;
  for (int32_t node : parse_cpu_list(online, (node_dir + "online").c_str())) {
    const std::string path = node_dir + "node" + std::to_string(node) + "/cpulist";
    std::string cpus;
    if (!read_text(path, &cpus)) continue;  // a memory-only node may lack CPUs
    for (int32_t cpu : parse_cpu_list(cpus, path.c_str())) node_of_cpu[cpu] = node;
  }
  return node_of_cpu;
}

// Sizes of the data/unified caches by level and the L1 instruction cache of one CPU.
void read_caches(const std::string& cpu_dir, int64_t* cache_bytes) {
  for (int slot = 0; slot < kCacheSlots; slot++) cache_bytes[slot] = 0;
  for (int index = 0; index < 16; index++) {
    const std::string dir = cpu_dir + "/cache/index" + std::to_string(index) + "/";
    std::string type;
    std::string size;
    if (!read_text(dir + "type", &type) || !read_text(dir + "size", &size)) break;
    type = trim(type);
    const int32_t level = read_int(dir + "level", 0);
    int slot = -1;
    if (level == 1 && type == "Data") slot = kCacheL1Data;
    if (level == 1 && type == "Instruction") slot = kCacheL1Instruction;
    if (level == 2 && type != "Instruction") slot = kCacheL2;
    if (level == 3 && type != "Instruction") slot = kCacheL3;
    if (slot >= 0) cache_bytes[slot] = parse_cache_size_bytes(trim(size));
  }
}

}  // namespace

std::vector<int32_t> parse_cpu_list(const std::string& text, const char* what) {
  std::vector<int32_t> numbers;
  const std::string list = trim(text);
  if (list.empty()) return numbers;
  std::stringstream items(list);
  std::string item;
  while (std::getline(items, item, ',')) {
    int first = 0;
    int last = 0;
    char dash = 0;
    char extra = 0;
    const int fields = std::sscanf(item.c_str(), "%d%c%d%c", &first, &dash, &last, &extra);
    const bool single = fields == 1;
    const bool range = fields == 3 && dash == '-';
    if (!(single || range) || first < 0 || (range && last < first) || last > (1 << 20)) {
      throw Error(ErrorKind::kCorruptFile,
                  std::string(what) + ": not a cpu list: \"" + list + "\"");
    }
    if (single) last = first;
    for (int number = first; number <= last; number++) numbers.push_back(number);
  }
  std::sort(numbers.begin(), numbers.end());
  numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
  return numbers;
}

int64_t parse_cache_size_bytes(const std::string& text) {
  char* end = nullptr;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (end == text.c_str() || value < 0) return 0;
  const std::string unit = trim(end);
  if (unit.empty()) return value;
  if (unit == "K") return value << 10;
  if (unit == "M") return value << 20;
  if (unit == "G") return value << 30;
  return 0;
}

int32_t read_cpu_topology(const char* sys_root, int32_t rows_max, int32_t* rows,
                          int64_t* cache_bytes) {
  TRIDENT_GUARD("read_cpu_topology", {
    TRIDENT_CHECK(sys_root != nullptr && rows_max >= 0 && (rows != nullptr || rows_max == 0) &&
                      cache_bytes != nullptr,
                  ErrorKind::kInvalidArgument,
                  "read_cpu_topology: sys_root, rows (rows_max >= 0) and cache_bytes required");
    const std::string sys(sys_root);
    const std::string online_path = sys + "/devices/system/cpu/online";
    std::string online;
    TRIDENT_CHECK(read_text(online_path, &online), ErrorKind::kIo,
                  online_path + ": cannot read the online CPU list");
    const std::vector<int32_t> cpus = parse_cpu_list(online, online_path.c_str());
    const std::map<int32_t, int32_t> node_of_cpu = read_nodes(sys);
    for (size_t i = 0; i < cpus.size() && static_cast<int32_t>(i) < rows_max; i++) {
      const int32_t cpu = cpus[i];
      const std::string topology = sys + "/devices/system/cpu/cpu" + std::to_string(cpu) +
                                   "/topology/";
      int32_t* row = rows + i * kCpuTopologyColumns;
      row[kColumnCpu] = cpu;
      row[kColumnPackage] = read_int(topology + "physical_package_id", -1);
      row[kColumnCore] = read_int(topology + "core_id", -1);
      const auto node = node_of_cpu.find(cpu);
      row[kColumnNode] = node == node_of_cpu.end() ? 0 : node->second;
      std::string siblings;
      row[kColumnFirstSibling] = cpu;
      if (read_text(topology + "thread_siblings_list", &siblings)) {
        const std::string path = topology + "thread_siblings_list";
        const std::vector<int32_t> group = parse_cpu_list(siblings, path.c_str());
        if (!group.empty()) row[kColumnFirstSibling] = group.front();
      }
    }
    if (cpus.empty()) {
      for (int slot = 0; slot < kCacheSlots; slot++) cache_bytes[slot] = 0;
    } else {
      read_caches(sys + "/devices/system/cpu/cpu" + std::to_string(cpus.front()), cache_bytes);
    }
    return static_cast<int32_t>(cpus.size());
  });
}

}  // namespace trident

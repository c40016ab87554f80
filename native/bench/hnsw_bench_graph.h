// Shared by the HNSW benchmarks (hnsw_bench, filter_bench): timing with best-of-N rounds, a
// FAISS-built HNSW graph cached in a file, and the same graph loaded into the trident facade.
#pragma once

#include <faiss/IndexHNSW.h>
#include <faiss/impl/io.h>
#include <faiss/index_io.h>
#include <omp.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "hnsw_bench_data.h"

#include "trident/hnsw_storage.h"
#include "trident/vector_index.h"
#include "../src/index_file.h"

namespace trident::bench {

// Options every HNSW benchmark takes: data set size and files, graph shape and cache file.
struct GraphOptions {
  size_t n = 100000, queries = 1000;
  int dimension = 128, m = 32, ef_construction = 100;
  std::string base_path, query_path, graph_path;

  // Takes `--key value` when it is one of these options; false for any other key.
  bool parse(const std::string& key, const std::string& value) {
    if (key == "--n") n = std::stoul(value);
    else if (key == "--queries") queries = std::stoul(value);
    else if (key == "--dim") dimension = std::stoi(value);
    else if (key == "--m") m = std::stoi(value);
    else if (key == "--ef-construction") ef_construction = std::stoi(value);
    else if (key == "--base") base_path = value;
    else if (key == "--query") query_path = value;
    else if (key == "--graph") graph_path = value;
    else return false;
    return true;
  }

  // The base and query rows: from --base/--query files, else the clustered model's (fixed
  // seeds, so every benchmark and run gets the same set). Sets *d to their dimension.
  void load(std::vector<float>* base, std::vector<float>* query_rows, int* d) const {
    *d = dimension;
    if (!base_path.empty()) {
      *base = read_fvecs(base_path, d, n);
      *query_rows = read_fvecs(query_path, d, queries);
      return;
    }
    const ClusteredModel model(*d, 1000, 20261121ULL);
    *base = model.sample(n, 20261121ULL * 31 + 1);
    *query_rows = model.sample(queries, 20261121ULL * 31 + 2);
  }
};

// "16,32,64" -> {16, 32, 64}.
template <typename T>
std::vector<T> parse_list(const std::string& value) {
  std::vector<T> out;
  std::stringstream list(value);
  for (std::string item; std::getline(list, item, ',');) out.push_back(T(std::stod(item)));
  return out;
}

using Clock = std::chrono::steady_clock;
constexpr int kRounds = 10;  // timed passes over the query set per setting; the best one counts

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

inline double thread_cpu_seconds() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

struct Qps {
  double wall;  // queries per wall-clock second
  double cpu;   // queries per second of this thread's CPU time (robust on a shared host)
};

// Runs `one_pass` (all queries once) `rounds` times and keeps the fastest round: other
// processes on a shared host only ever slow a round down, so the best one is the least disturbed.
template <typename Pass>
Qps measure_qps(size_t queries, Pass one_pass, int rounds = kRounds) {
  one_pass();  // warm-up: caches, scratch allocation
  Qps best{0, 0};
  for (int round = 0; round < rounds; ++round) {
    const auto start = Clock::now();
    const double cpu_start = thread_cpu_seconds();
    one_pass();
    const double cpu = thread_cpu_seconds() - cpu_start, wall = seconds_since(start);
    best.cpu = std::max(best.cpu, double(queries) / cpu);
    best.wall = std::max(best.wall, double(queries) / wall);
  }
  return best;
}

// An HNSW{m} graph over `base` (n rows of d floats) with our kernel storage: loaded from
// graph_path when that file holds one of this shape, else built (all cores) and saved there.
inline std::unique_ptr<faiss::IndexHNSWFlat> load_or_build_graph(const std::vector<float>& base,
                                                                 int d, int m, int ef_construction,
                                                                 const std::string& graph_path) {
  const size_t n = base.size() / size_t(d);
  std::unique_ptr<faiss::IndexHNSWFlat> built;
  if (!graph_path.empty() && std::ifstream(graph_path).good()) {
    built.reset(dynamic_cast<faiss::IndexHNSWFlat*>(faiss::read_index(graph_path.c_str())));
    if (!built || size_t(built->ntotal) != n || built->d != d) {
      throw std::runtime_error(graph_path + " does not hold a graph of this data");
    }
    adopt_kernel_storage(built.get());
    std::printf("graph: loaded from %s\n", graph_path.c_str());
    return built;
  }
  built = std::make_unique<faiss::IndexHNSWFlat>(d, m);
  built->hnsw.efConstruction = ef_construction;
  adopt_kernel_storage(built.get());
  const auto start = Clock::now();
  built->add(n, base.data());
  std::printf("build: %.1f s on %d threads\n", seconds_since(start), omp_get_max_threads());
  if (!graph_path.empty()) faiss::write_index(built.get(), graph_path.c_str());
  return built;
}

using FacadePtr = std::unique_ptr<VectorIndex, void (*)(VectorIndex*)>;

// The product path: the same graph saved as a trident index file (ids 0..n-1) and loaded into
// the facade, whose search() adds argument checks, the shared lock and node -> id mapping.
inline FacadePtr facade_of(const faiss::IndexHNSWFlat& index, int m, int ef_construction) {
  const size_t n = size_t(index.ntotal);
  const std::string path = "/tmp/hnsw_bench_" + std::to_string(getpid()) + ".tvi";
  IndexFileContents file;
  file.metric = kMetricL2;
  file.dimension = uint32_t(index.d);
  file.ef_construction = uint32_t(ef_construction);
  file.spec = "HNSW" + std::to_string(m);
  for (size_t i = 0; i < n; ++i) file.node_ids.push_back(int64_t(i));
  file.tombstones.assign((n + 63) / 64, 0);
  faiss::VectorIOWriter writer;
  faiss::write_index(&index, &writer);
  file.faiss_bytes = std::move(writer.data);
  write_index_file(path, file);
  FacadePtr facade(VectorIndex::load(path.c_str()), &destroy_vector_index);
  std::remove(path.c_str());
  return facade;
}

}  // namespace trident::bench

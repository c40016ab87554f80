// Filtered HNSW search: where does scanning the allowed vectors exactly beat the filtered graph
// walk? One query per call, one thread, random id filters at several selectivities.
//
//   filter_bench [--n 100000] [--queries 300] [--dim 128] [--m 32] [--ef-construction 100]
//                [--ef 16,64] [--selectivity 0.5,0.2,0.1,0.05,0.02,0.01,0.005,0.001]
//                [--base B.fvecs --query Q.fvecs] [--graph FILE] [--seed 7]
//
// Per (selectivity, ef) row: recall@10 against exact filtered ground truth and QPS (per second of
// thread CPU time, best of 5 passes) of
//   walk    hnsw_search_filtered without a limit (the graph walk alone), its mean level-0
//           distance count
//   exact   the exact scan alone: allowed ids -> nodes by hash lookup, float32 rows scored with
//           our kernels (what the facade does per call when few ids pass)
//   facade  trident::VectorIndex::search with the filter (its own choice between the two)
// and the unfiltered facade search at the same ef for scale. See filter_bench.md.
#include <omp.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "hnsw_bench_data.h"
#include "hnsw_bench_graph.h"
#include "trident/distance.h"
#include "trident/hnsw_layout.h"
#include "trident/hnsw_search.h"
#include "trident/vector_index.h"
#include "../src/exact_scan.h"

namespace {

using namespace trident;
using bench::measure_qps;
using bench::Qps;
constexpr int kK = 10;
constexpr int kRounds = 5;

struct Options : bench::GraphOptions {
  uint64_t seed = 7;
  std::vector<int> efs = {16, 64};
  std::vector<double> selectivities = {0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.001};
  Options() { queries = 300; }
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i], value = argv[i + 1];
    if (o.parse(key, value)) continue;
    if (key == "--seed") o.seed = std::stoull(value);
    else if (key == "--ef") o.efs = bench::parse_list<int>(value);
    else if (key == "--selectivity") o.selectivities = bench::parse_list<double>(value);
    else {
      std::fprintf(stderr, "unknown option %s\n", key.c_str());
      std::exit(2);
    }
  }
  return o;
}

// A random filter over ids 0..n-1 keeping each id with probability `share` (at least one id).
std::vector<uint64_t> random_bitset(size_t n, double share, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::vector<uint64_t> words((n + 63) / 64, 0);
  for (size_t id = 0; id < n; ++id) {
    if (uniform(rng) < share) words[id >> 6] |= uint64_t(1) << (id & 63);
  }
  words[0] |= 1;
  return words;
}

bool allowed(const std::vector<uint64_t>& words, int64_t id) {
  return ((words[size_t(id) >> 6] >> (id & 63)) & 1u) != 0;
}

struct BitsetNodeFilter final : NodeFilter {
  explicit BitsetNodeFilter(const std::vector<uint64_t>& w) : words(w) {}
  bool accepts(int32_t node) const override { return allowed(words, node); }
  const std::vector<uint64_t>& words;
};

// Exact filtered ground truth: brute force over the allowed rows only.
std::vector<int64_t> filtered_truth(const std::vector<float>& base, const std::vector<float>& queries,
                                    int d, const std::vector<uint64_t>& words) {
  std::vector<float> subset;
  std::vector<int64_t> ids;
  for (size_t id = 0; id < base.size() / size_t(d); ++id) {
    if (!allowed(words, int64_t(id))) continue;
    subset.insert(subset.end(), base.begin() + long(id * d), base.begin() + long((id + 1) * d));
    ids.push_back(int64_t(id));
  }
  const int k = std::min<int>(kK, int(ids.size()));
  std::vector<int64_t> truth = bench::exact_knn(subset, queries, d, k);
  std::vector<int64_t> padded(queries.size() / size_t(d) * kK, -2);  // -2 never matches
  for (size_t q = 0; q < padded.size() / kK; ++q) {
    for (int i = 0; i < k; ++i) padded[q * kK + size_t(i)] = ids[size_t(truth[q * size_t(k) + size_t(i)])];
  }
  return padded;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  std::vector<float> base, queries;
  int d = 0;
  o.load(&base, &queries, &d);
  const size_t n = base.size() / size_t(d), nq = queries.size() / size_t(d);
  std::printf("data: %zu x %d base, %zu queries; kernels: %s; M=%d; filter seed %llu\n", n, d, nq,
              distance_kernels().name, o.m, static_cast<unsigned long long>(o.seed));
  const auto index = bench::load_or_build_graph(base, d, o.m, o.ef_construction, o.graph_path);
  const bench::FacadePtr facade = bench::facade_of(*index, o.m, o.ef_construction);
  const float* exact = static_cast<const faiss::IndexFlat*>(index->storage)->get_xb();
  HnswLevel0Layout level0;  // what the facade searches at this size (half precision >= 16 MiB)
  const bool half = n * size_t(d) * sizeof(float) >= (size_t(16) << 20);
  level0.rebuild(index->hnsw, exact, size_t(d), n, half ? VectorEncoding::kFloat16 : VectorEncoding::kFloat32);
  HnswGraphView view;
  view.graph = &index->hnsw;
  view.level0 = &level0;
  view.exact_vectors = exact;
  view.dimension = size_t(d);
  view.node_count = n;
  std::unordered_map<int64_t, int32_t> node_of_id;  // as the facade keeps it
  for (size_t i = 0; i < n; ++i) node_of_id.emplace(int64_t(i), int32_t(i));
  const auto truth_all = bench::exact_knn(base, queries, d, kK);

  omp_set_num_threads(1);
  std::printf("\n%7s %4s %10s %9s %11s %9s %10s %11s %9s %10s %9s %12s\n", "select", "ef", "unf_recall", "unf_qps",
              "walk_recall", "walk_qps", "walk_dists", "exact_qps", "fac_recall", "fac_qps",
              "fac/unf", "exact/walk");
  std::vector<int64_t> labels(nq * kK);
  std::vector<float> distances(nq * kK);
  for (const double share : o.selectivities) {
    const auto words = random_bitset(n, share, o.seed);
    const auto truth = filtered_truth(base, queries, d, words);
    const BitsetNodeFilter node_filter(words);
    for (const int ef : o.efs) {
      const Qps unfiltered = measure_qps(nq, [&] {
        for (size_t q = 0; q < nq; ++q) {
          facade->search(1, queries.data() + q * d, kK, ef, 0, 1, distances.data() + q * kK,
                         labels.data() + q * kK);
        }
      }, kRounds);
      const double unfiltered_recall = bench::recall(truth_all, labels, kK);
      size_t walk_distances = 0;
      const Qps walk = measure_qps(nq, [&] {
        walk_distances = 0;
        for (size_t q = 0; q < nq; ++q) {
          size_t computed = 0;
          hnsw_search_filtered(view, node_filter, 0, queries.data() + q * d, kK, ef,
                               distances.data() + q * kK, labels.data() + q * kK, &computed);
          walk_distances += computed;
        }
      }, kRounds);
      const double walk_recall = bench::recall(truth, labels, kK);
      const Qps exact_scan = measure_qps(nq, [&] {
        const DistanceKernels& kernels = distance_kernels();
        float scratch[kScanChunkRows];
        for (size_t q = 0; q < nq; ++q) {
          std::vector<int32_t> rows;
          std::vector<int64_t> ids;
          const size_t word_count = words.size();
          for (size_t w = 0; w < word_count; ++w) {
            for (uint64_t bits = words[w]; bits != 0; bits &= bits - 1) {
              const int64_t id = int64_t(w * 64 + size_t(__builtin_ctzll(bits)));
              const auto it = node_of_id.find(id);
              if (it == node_of_id.end()) continue;
              rows.push_back(it->second);
              ids.push_back(id);
            }
          }
          TopK top(kK);
          scan_rows(kernels, false, queries.data() + q * d, exact, size_t(d), rows.data(),
                    rows.size(), [&](size_t i) { return ids[i]; }, top, scratch);
          top.write(false, [](int64_t id) { return id; }, distances.data() + q * kK,
                    labels.data() + q * kK);
        }
      }, kRounds);
      const double exact_recall = bench::recall(truth, labels, kK);
      const Qps via_facade = measure_qps(nq, [&] {
        for (size_t q = 0; q < nq; ++q) {
          facade->search(1, queries.data() + q * d, kK, ef, 0, 1, kFilterIdBitset, words.data(),
                         int64_t(n), distances.data() + q * kK, labels.data() + q * kK);
        }
      }, kRounds);
      const double facade_recall = bench::recall(truth, labels, kK);
      std::printf("%7.3f %4d %10.4f %9.0f %11.4f %9.0f %10.0f %11.0f %9.4f %10.0f %9.2f %12.2f%s\n",
                  share, ef, unfiltered_recall, unfiltered.cpu, walk_recall, walk.cpu, double(walk_distances) / double(nq),
                  exact_scan.cpu, facade_recall, via_facade.cpu, via_facade.cpu / unfiltered.cpu,
                  exact_scan.cpu / walk.cpu, exact_recall < 0.999 ? "  (exact recall < 1!)" : "");
      std::fflush(stdout);
    }
  }
  return 0;
}

// HNSW search benchmark: our search loop (trident::hnsw_search_one, SIMD kernels) against
// FAISS's own IndexHNSWFlat::search on the very same graph, one query per call, one thread.
//
//   hnsw_bench [--n 100000] [--queries 1000] [--dim 128] [--m 32] [--ef-construction 100]
//              [--ef 16,24,32,48,64,96,128,192,256] [--base B.fvecs --query Q.fvecs]
//              [--graph FILE]   (reuse a graph saved by an earlier run with the same data/M/efC)
//
// Prints one row per efSearch: recall@10 and QPS for ours and FAISS's. The graph is built once
// (FAISS construction code, our distance kernels, all cores); FAISS's search uses a plain
// IndexFlat storage (its SSE distances), as a user of Debian's libfaiss would get.
#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <omp.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "hnsw_bench_data.h"
#include "hnsw_bench_graph.h"
#include "trident/distance.h"
#include "trident/hnsw_bf16.h"
#include "trident/hnsw_search.h"
#include "trident/vector_index.h"

namespace {

constexpr int kK = 10;
using trident::bench::Clock;
using trident::bench::Qps;
using trident::bench::kRounds;
using trident::bench::measure_qps;
using trident::bench::seconds_since;

struct Options : trident::bench::GraphOptions {
  std::vector<int> efs = {16, 24, 32, 48, 64, 96, 128, 192, 256};
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i], value = argv[i + 1];
    if (o.parse(key, value)) continue;
    if (key == "--ef") {
      o.efs = trident::bench::parse_list<int>(value);
    } else {
      std::fprintf(stderr, "unknown option %s\n", key.c_str());
      std::exit(2);
    }
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace trident;
  const Options o = parse(argc, argv);
  std::vector<float> base, queries;
  int d = 0;
  o.load(&base, &queries, &d);
  const size_t n = base.size() / d, nq = queries.size() / d;
  std::printf("data: %zu x %d base, %zu queries; kernels: %s; M=%d efConstruction=%d\n", n, d, nq,
              distance_kernels().name, o.m, o.ef_construction);

  auto start = Clock::now();
  const auto truth = bench::exact_knn(base, queries, d, kK);
  std::printf("ground truth: %.1f s\n", seconds_since(start));

  std::unique_ptr<faiss::IndexHNSWFlat> built;
  try {
    built = bench::load_or_build_graph(base, d, o.m, o.ef_construction, o.graph_path);
  } catch (const std::runtime_error& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  faiss::IndexHNSWFlat& index = *built;

  // FAISS's search gets plain FAISS storage (same vectors), i.e. its own SSE distances.
  faiss::IndexFlatL2 plain_storage(d);
  plain_storage.codes = static_cast<faiss::IndexFlat*>(index.storage)->codes;
  plain_storage.ntotal = index.ntotal;

  const float* exact = static_cast<faiss::IndexFlat*>(index.storage)->get_xb();
  HnswLevel0Layout level0_float, level0_half, level0_bf16;
  level0_float.rebuild(index.hnsw, exact, size_t(d), n, VectorEncoding::kFloat32);
  level0_half.rebuild(index.hnsw, exact, size_t(d), n, VectorEncoding::kFloat16);
  const bool bf16 = bf16_walk_available();
  if (bf16) level0_bf16.rebuild(index.hnsw, exact, size_t(d), n, VectorEncoding::kBfloat16);
  auto view_of = [&](const HnswLevel0Layout& level0) {
    HnswGraphView view;
    view.graph = &index.hnsw;
    view.level0 = &level0;
    view.exact_vectors = exact;
    view.dimension = size_t(d);
    view.node_count = n;
    return view;
  };
  const HnswGraphView float_view = view_of(level0_float), half_view = view_of(level0_half);
  const HnswGraphView bf16_view = view_of(level0_bf16);

  const bench::FacadePtr facade = bench::facade_of(index, o.m, o.ef_construction);

  omp_set_num_threads(1);
  std::printf("\nqps = queries per second of thread CPU time, best of %d rounds (wall-clock qps in "
              "brackets); ours_f32: float32 layout, ours_f16: half layout + float32 re-rank,\n"
              "facade: trident::VectorIndex::search (default layout), one query per call\n",
              kRounds);
  std::printf("%5s %10s %18s %10s %18s %11s %18s %13s %12s %18s %9s\n", "ef", "recall_f32",
              "qps_ours_f32", "recall_f16", "qps_ours_f16", "recall_bf16", "qps_ours_bf16",
              "qps_facade", "recall_faiss", "qps_faiss", "facade/faiss");
  std::vector<int64_t> ours32(nq * kK), ours16(nq * kK), oursbf(nq * kK), theirs(nq * kK);
  std::vector<int64_t> via_facade(nq * kK);
  std::vector<float> distances(nq * kK);
  auto run_ours = [&](const HnswGraphView& view, int ef, std::vector<int64_t>& labels) {
    return measure_qps(nq, [&] {
      for (size_t q = 0; q < nq; ++q) {
        hnsw_search_one(view, queries.data() + q * d, kK, ef, distances.data() + q * kK,
                        labels.data() + q * kK);
      }
    });
  };
  for (const int ef : o.efs) {
    const Qps qps32 = run_ours(float_view, ef, ours32);
    const Qps qps16 = run_ours(half_view, ef, ours16);
    const Qps qpsbf = bf16 ? run_ours(bf16_view, ef, oursbf) : Qps{0, 0};
    const Qps qps_facade = measure_qps(nq, [&] {
      for (size_t q = 0; q < nq; ++q) {
        facade->search(1, queries.data() + q * d, kK, ef, 0, 1, distances.data() + q * kK,
                       via_facade.data() + q * kK);
      }
    });
    faiss::Index* own_storage = index.storage;
    index.storage = &plain_storage;
    index.hnsw.efSearch = ef;
    const Qps qps_faiss = measure_qps(nq, [&] {
      for (size_t q = 0; q < nq; ++q) {
        index.search(1, queries.data() + q * d, kK, distances.data() + q * kK, theirs.data() + q * kK);
      }
    });
    index.storage = own_storage;
    std::printf("%5d %10.4f %8.0f (%7.0f) %10.4f %8.0f (%7.0f) %11.4f %8.0f (%7.0f) %13.0f %12.4f "
                "%8.0f (%7.0f) %11.2fx\n",
                ef, bench::recall(truth, ours32, kK), qps32.cpu, qps32.wall,
                bench::recall(truth, ours16, kK), qps16.cpu, qps16.wall,
                bf16 ? bench::recall(truth, oursbf, kK) : 0.0, qpsbf.cpu, qpsbf.wall,
                qps_facade.cpu,
                bench::recall(truth, theirs, kK), qps_faiss.cpu, qps_faiss.wall,
                qps_facade.cpu / qps_faiss.cpu);
    if (bench::recall(truth, via_facade, kK) != bench::recall(truth, ours16, kK) &&
        bench::recall(truth, via_facade, kK) != bench::recall(truth, oursbf, kK) &&
        bench::recall(truth, via_facade, kK) != bench::recall(truth, ours32, kK)) {
      std::printf("      (facade recall %.4f differs from the direct search)\n",
                  bench::recall(truth, via_facade, kK));
    }
    std::fflush(stdout);
  }
  return 0;
}

// build_bench: HNSW build time through trident::VectorIndex (the facade Java uses) on 1..T
// threads, with recall@10 of each build at one ef, on an .fvecs set with exact ground truth.
//   build_bench BASE.fvecs QUERY.fvecs SPEC [threads,...] [ef] [ef_construction] [chunk_rows]
//               [rows_max]
// Prints one line per thread count: threads, build seconds (add in chunk_rows-row calls, default
// 10K as the Java bulk add does; 0 = one call), recall@10, and the speed-up against the first
// thread count. rows_max: use only the first rows of the base (ground truth on those rows).
// BUILD_BENCH_RELOAD=PATH: also save, reload and search again (search layout == saved graph).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "hnsw_bench_data.h"
#include "trident/vector_index.h"

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr,
                 "usage: build_bench BASE.fvecs QUERY.fvecs SPEC [1,2] [ef] [efC] [chunk] [rows]\n");
    return 2;
  }
  int dimension = 0, query_dimension = 0;
  const size_t rows_max = argc > 8 ? size_t(std::atoll(argv[8])) : SIZE_MAX;
  const std::vector<float> base = trident::bench::read_fvecs(argv[1], &dimension, rows_max);
  const std::vector<float> queries = trident::bench::read_fvecs(argv[2], &query_dimension, 1000);
  std::vector<int> thread_counts;
  std::stringstream list(argc > 4 ? argv[4] : "1,2");
  for (std::string item; std::getline(list, item, ',');) thread_counts.push_back(std::stoi(item));
  const int ef = argc > 5 ? std::atoi(argv[5]) : 64;
  const int ef_construction = argc > 6 ? std::atoi(argv[6]) : 100;
  const size_t n = base.size() / size_t(dimension), nq = queries.size() / size_t(dimension);
  constexpr int kK = 10;
  // Rows per add call: 10K as the Java bulk add does; 0 = the whole base in one call.
  const size_t chunk_arg = argc > 7 ? size_t(std::atoll(argv[7])) : 10000;
  const auto truth = trident::bench::exact_knn(base, queries, dimension, kK);
  std::vector<int64_t> ids(n);
  for (size_t i = 0; i < n; ++i) ids[i] = int64_t(i);
  double first_seconds = 0;
  for (const int threads : thread_counts) {
    std::unique_ptr<trident::VectorIndex, void (*)(trident::VectorIndex*)> index(
        trident::VectorIndex::create(dimension, argv[3], trident::kMetricL2, ef_construction),
        &trident::destroy_vector_index);
    const auto start = std::chrono::steady_clock::now();
    const size_t chunk_rows = chunk_arg == 0 ? n : chunk_arg;
    for (size_t row = 0; row < n; row += chunk_rows) {
      const size_t count = std::min(chunk_rows, n - row);
      index->add(int64_t(count), base.data() + row * dimension, ids.data() + row, threads);
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (first_seconds == 0) first_seconds = seconds;
    std::vector<float> distances(nq * kK);
    std::vector<int64_t> labels(nq * kK);
    index->search(int64_t(nq), queries.data(), kK, ef, 0, 1, distances.data(), labels.data());
    std::printf("threads=%d build_s=%.2f recall@10(ef=%d)=%.4f speedup=%.2f\n", threads, seconds,
                ef, trident::bench::recall(truth, labels, kK), first_seconds / seconds);
    std::fflush(stdout);
    if (std::getenv("BUILD_BENCH_RELOAD") != nullptr) {
      index->save(std::getenv("BUILD_BENCH_RELOAD"));
      index.reset(trident::VectorIndex::load(std::getenv("BUILD_BENCH_RELOAD")));
      index->search(int64_t(nq), queries.data(), kK, ef, 0, 1, distances.data(), labels.data());
      std::printf("reloaded recall@10=%.4f\n", trident::bench::recall(truth, labels, kK));
    }
  }
  return 0;
}

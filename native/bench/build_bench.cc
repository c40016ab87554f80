// build_bench: HNSW build time through trident::VectorIndex (the facade Java uses) on 1..T
// threads, with recall@10 of each build at one ef, on an .fvecs set with exact ground truth.
//   build_bench BASE.fvecs QUERY.fvecs SPEC [threads,...] [ef] [ef_construction]
// Prints one line per thread count: threads, build seconds (add in 10K-row chunks, as the Java
// bulk add does), recall@10, and the speed-up against the first thread count.
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
    std::fprintf(stderr, "usage: build_bench BASE.fvecs QUERY.fvecs SPEC [1,2] [ef] [efC]\n");
    return 2;
  }
  int dimension = 0, query_dimension = 0;
  const std::vector<float> base = trident::bench::read_fvecs(argv[1], &dimension, SIZE_MAX);
  const std::vector<float> queries = trident::bench::read_fvecs(argv[2], &query_dimension, 1000);
  std::vector<int> thread_counts;
  std::stringstream list(argc > 4 ? argv[4] : "1,2");
  for (std::string item; std::getline(list, item, ',');) thread_counts.push_back(std::stoi(item));
  const int ef = argc > 5 ? std::atoi(argv[5]) : 64;
  const int ef_construction = argc > 6 ? std::atoi(argv[6]) : 100;
  const size_t n = base.size() / size_t(dimension), nq = queries.size() / size_t(dimension);
  constexpr int kK = 10;
  constexpr size_t kChunkRows = 10000;
  const auto truth = trident::bench::exact_knn(base, queries, dimension, kK);
  std::vector<int64_t> ids(n);
  for (size_t i = 0; i < n; ++i) ids[i] = int64_t(i);
  double first_seconds = 0;
  for (const int threads : thread_counts) {
    std::unique_ptr<trident::VectorIndex, void (*)(trident::VectorIndex*)> index(
        trident::VectorIndex::create(dimension, argv[3], trident::kMetricL2, ef_construction),
        &trident::destroy_vector_index);
    const auto start = std::chrono::steady_clock::now();
    for (size_t row = 0; row < n; row += kChunkRows) {
      const size_t count = std::min(kChunkRows, n - row);
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
  }
  return 0;
}

// flat_bench: exact (Flat) batch search on an .fvecs set, two ways in one run:
//   faiss    faiss::IndexFlatL2::search from the same libfaiss.a (OpenBLAS sgemm + heaps)
//   trident  trident::VectorIndex "Flat": the bf16 scan + float32 re-rank when the CPU has
//            AVX512-BF16; with TRIDENT_FLAT_BF16=off (or without BF16) the register-blocked
//            float32 scan (src/flat_f32.h) for batches of 8+ queries
//   flat_bench BASE.fvecs QUERY.fvecs [batch=100] [threads=2] [seconds=3]
// Prints per way: batches/s, queries/s, effective GFLOP/s (2 * batch * rows * d per batch, the
// float32 work a GEMM does), recall@10 against FAISS's exact answer, and trident/faiss ratio.
#include <faiss/IndexFlat.h>
#include <omp.h>

#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <vector>

#include "hnsw_bench_data.h"
#include "trident/vector_index.h"

namespace {

using Clock = std::chrono::steady_clock;

double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

// Runs `batch_search(start_query)` over rotating batches for about `seconds`; batches per second
// of wall time, and in *cpu_seconds_per_batch the process CPU time per batch (all threads; on a
// shared host it shows the work per batch apart from the cores other processes took).
double rate(const std::function<void(size_t)>& batch_search, size_t batches_available,
            double seconds, double* cpu_seconds_per_batch) {
  batch_search(0);  // warm-up
  size_t done = 0;
  const double cpu_start = process_cpu_seconds();
  const auto start = Clock::now();
  double elapsed = 0;
  while (elapsed < seconds && done < 100000) {
    batch_search(done % batches_available);
    ++done;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  }
  *cpu_seconds_per_batch = (process_cpu_seconds() - cpu_start) / double(done);
  return double(done) / elapsed;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: flat_bench BASE.fvecs QUERY.fvecs [batch] [threads] [s]\n");
    return 2;
  }
  int d = 0, qd = 0;
  const std::vector<float> base = trident::bench::read_fvecs(argv[1], &d, SIZE_MAX);
  const std::vector<float> queries = trident::bench::read_fvecs(argv[2], &qd, 1000);
  const int batch = argc > 3 ? std::atoi(argv[3]) : 100;
  const int threads = argc > 4 ? std::atoi(argv[4]) : 2;
  const double seconds = argc > 5 ? std::atof(argv[5]) : 3.0;
  constexpr int kK = 10;
  const size_t n = base.size() / size_t(d), nq = queries.size() / size_t(d);
  const size_t batches = nq / size_t(batch);
  std::printf("flat_bench: %zu x %d base, batch %d, %d threads, %zu query batches\n", n, d, batch,
              threads, batches);

  faiss::IndexFlatL2 faiss_index(d);
  faiss_index.add(int64_t(n), base.data());
  std::vector<int64_t> ids(n);
  for (size_t i = 0; i < n; ++i) ids[i] = int64_t(i);
  std::unique_ptr<trident::VectorIndex, void (*)(trident::VectorIndex*)> ours(
      trident::VectorIndex::create(d, "Flat", trident::kMetricL2, 0),
      &trident::destroy_vector_index);
  ours->add(int64_t(n), base.data(), ids.data(), threads);

  std::vector<float> faiss_d(nq * kK), ours_d(nq * kK);
  std::vector<int64_t> faiss_l(nq * kK), ours_l(nq * kK);
  omp_set_num_threads(threads);
  faiss_index.search(int64_t(nq), queries.data(), kK, faiss_d.data(), faiss_l.data());
  ours->search(int64_t(nq), queries.data(), kK, 0, 0, threads, ours_d.data(), ours_l.data());
  const double recall = trident::bench::recall(faiss_l, ours_l, kK);

  const size_t stride = size_t(batch) * size_t(d);
  std::vector<float> scratch_d(size_t(batch) * kK);
  std::vector<int64_t> scratch_l(size_t(batch) * kK);
  double faiss_cpu = 0, ours_cpu = 0;
  const double faiss_rate = rate([&](size_t b) {
    faiss_index.search(batch, queries.data() + b * stride, kK, scratch_d.data(), scratch_l.data());
  }, batches, seconds, &faiss_cpu);
  const double ours_rate = rate([&](size_t b) {
    ours->search(batch, queries.data() + b * stride, kK, 0, 0, threads, scratch_d.data(),
                 scratch_l.data());
  }, batches, seconds, &ours_cpu);
  const double flops_per_batch = 2.0 * double(batch) * double(n) * double(d);
  std::printf("faiss   batches/s=%.1f qps=%.0f gflops=%.1f gflops_per_cpu_s=%.1f\n", faiss_rate,
              faiss_rate * batch, faiss_rate * flops_per_batch / 1e9,
              flops_per_batch / faiss_cpu / 1e9);
  std::printf("trident batches/s=%.1f qps=%.0f gflops_equiv=%.1f gflops_equiv_per_cpu_s=%.1f "
              "recall@10_vs_faiss=%.4f kernel=%s\n", ours_rate, ours_rate * batch,
              ours_rate * flops_per_batch / 1e9, flops_per_batch / ours_cpu / 1e9, recall,
              trident::VectorIndex::kernel_variant());
  std::printf("ratio trident/faiss=%.2f\n", ours_rate / faiss_rate);
  return 0;
}

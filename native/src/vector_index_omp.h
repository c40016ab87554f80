// Sets the calling thread's OpenMP team size for the FAISS calls in a scope and restores it
// afterwards. libgomp keeps this setting per calling thread, so a Java thread's later calls
// (and other threads) are unaffected.
#pragma once

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cstdint>

namespace trident {

class OmpThreadsScope {
 public:
  explicit OmpThreadsScope(int threads) : previous_(omp_get_max_threads()) {
    omp_set_num_threads(threads < 1 ? 1 : threads);
  }
  ~OmpThreadsScope() { omp_set_num_threads(previous_); }
  OmpThreadsScope(const OmpThreadsScope&) = delete;
  OmpThreadsScope& operator=(const OmpThreadsScope&) = delete;

 private:
  int previous_;
};

// Splits [0, n) into one contiguous slice per thread (at most n slices) and calls
// slice(index, first, last) for each on `threads` OpenMP threads; slice_count(n, threads) tells
// how many. Returns false if any call threw: exceptions must not cross the OpenMP region, so
// the caller raises its own error after.
inline int64_t slice_count(int64_t n, int threads) {
  return std::min<int64_t>(std::max(1, threads), n);
}

template <typename Slice>
bool for_each_slice(int64_t n, int threads, const Slice& slice) {
  const int64_t slices = slice_count(n, threads);
  std::atomic<bool> failed{false};
#pragma omp parallel for num_threads(threads) schedule(static, 1) if (slices > 1)
  for (int64_t s = 0; s < slices; ++s) {
    try {
      slice(s, n * s / slices, n * (s + 1) / slices);
    } catch (...) {
      failed.store(true);
    }
  }
  return !failed.load();
}

// for_each_slice over queries: slice(first, last).
template <typename Slice>
bool for_each_query_slice(int64_t n, int threads, const Slice& slice) {
  return for_each_slice(n, threads,
                        [&](int64_t, int64_t first, int64_t last) { slice(first, last); });
}

// Workers for_each_chunk uses: one per thread, at most one per chunk.
inline int chunk_workers(int64_t n, int64_t chunk, int threads) {
  const int64_t chunks = (n + chunk - 1) / chunk;
  return int(std::min<int64_t>(std::max(1, threads), chunks));
}

// Splits [0, n) into chunks of `chunk` that chunk_workers(n, chunk, threads) OpenMP workers take
// in turn as they finish (a descheduled thread holds back no more than one chunk); calls
// work(worker, first, last), worker = 0 .. workers - 1, each worker's calls on one thread.
// Returns false if any call threw (see for_each_slice).
template <typename Work>
bool for_each_chunk(int64_t n, int64_t chunk, int threads, const Work& work) {
  const int workers = chunk_workers(n, chunk, threads);
  std::atomic<int64_t> next{0};
  std::atomic<bool> failed{false};
#pragma omp parallel num_threads(workers) if (workers > 1)
  {
    const int worker = omp_get_thread_num();
    try {
      for (int64_t first = next.fetch_add(chunk); first < n; first = next.fetch_add(chunk)) {
        work(worker, first, std::min(n, first + chunk));
      }
    } catch (...) {
      failed.store(true);
    }
  }
  return !failed.load();
}

}  // namespace trident

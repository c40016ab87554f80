// Sets the calling thread's OpenMP team size for the FAISS calls in a scope and restores it
// afterwards. libgomp keeps this setting per calling thread, so a Java thread's later calls
// (and other threads) are unaffected.
#pragma once

#include <omp.h>

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

}  // namespace trident

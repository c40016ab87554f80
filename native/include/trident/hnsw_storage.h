// Vector storage for FAISS's HNSW whose distance computer uses trident's SIMD kernels, so graph
// construction (faiss::HNSW::add_with_locks) runs on AVX2/AVX-512 instead of FAISS's SSE code.
// It is a faiss::IndexFlat in every other respect: write_index() saves it as a plain flat index,
// and adopt_kernel_storage() swaps a loaded plain storage back to this type.
//
// Half-precision construction: between begin_half_build() and end_half_build() the storage
// also keeps an IEEE half copy of every row (the rows present at the start, and each add), and
// distance computers created meanwhile score stored rows from that copy (the query side stays
// float32). The copy is half the bytes, so a bulk build's neighbour searches, which are bound by
// memory latency, miss the caches less. Only the graph's edges depend on it; stored vectors and
// search distances stay float32. The caller guarantees every value fits half precision.
// Thread rules: begin/end and add are writes (exclusive); computers read concurrently.
#pragma once

#include <cstdint>
#include <vector>

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>

namespace trident {

struct KernelFlatStorage : faiss::IndexFlat {
  KernelFlatStorage(int dimension, faiss::MetricType metric);
  faiss::FlatCodesDistanceComputer* get_FlatCodesDistanceComputer() const override;
  void add(faiss::Index::idx_t n, const float* x) override;

  // Starts the half copy (converts the current rows; throws std::bad_alloc, then unchanged).
  void begin_half_build();
  // Drops the half copy; computers created afterwards use float32 rows. Never throws.
  void end_half_build() noexcept;
  bool half_build_active() const { return half_build_; }

 private:
  void append_halves(const float* rows, size_t count);

  bool half_build_ = false;
  std::vector<uint16_t> build_halves_;  // ntotal * d halves while half_build_
};

// Ends a half-precision build when it leaves scope (also on exceptions).
class HalfBuildScope {
 public:
  explicit HalfBuildScope(KernelFlatStorage* storage) : storage_(storage) {
    if (storage_ != nullptr) storage_->begin_half_build();
  }
  ~HalfBuildScope() {
    if (storage_ != nullptr) storage_->end_half_build();
  }
  HalfBuildScope(const HalfBuildScope&) = delete;
  HalfBuildScope& operator=(const HalfBuildScope&) = delete;

 private:
  KernelFlatStorage* storage_;
};

// Replaces index->storage (a plain faiss::IndexFlat, owned) by a KernelFlatStorage holding the
// same vectors. Moves the vector bytes; O(1) extra memory.
void adopt_kernel_storage(faiss::IndexHNSWFlat* index);

}  // namespace trident

// Exact scoring of chosen rows with trident's kernels, and the bounded top-k the flat and
// filtered search paths collect into. Internal to the search paths (vector_index_*.cc).
//
// Convention: distances here are "smaller is better" (inner products negated); TopK::write turns
// them back. Thread rules: a TopK belongs to one thread; scan_rows only reads its inputs.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "trident/distance.h"

namespace trident {

// Rows scored per kernel call by scan_rows (the caller's scratch must hold this many floats).
constexpr size_t kScanChunkRows = 256;

// The k smallest (distance, label) pairs offered so far; worst on top of a max-heap.
class TopK {
 public:
  explicit TopK(size_t k) : k_(k) { heap_.reserve(k + 1); }

  void offer(float distance, int64_t label) {
    if (heap_.size() < k_) {
      heap_.push_back({distance, label});
      std::push_heap(heap_.begin(), heap_.end());
    } else if (distance < heap_.front().distance) {
      std::pop_heap(heap_.begin(), heap_.end());
      heap_.back() = {distance, label};
      std::push_heap(heap_.begin(), heap_.end());
    }
  }

  size_t size() const { return heap_.size(); }

  // Writes the hits best first into k slots (label_of(label) as the label, distances back in
  // the metric's sign), label -1 in the slots left over; empties the heap.
  template <typename LabelOf>
  void write(bool inner_product, const LabelOf& label_of, float* distances, int64_t* labels) {
    std::sort_heap(heap_.begin(), heap_.end());
    for (size_t i = 0; i < k_; ++i) {
      if (i < heap_.size()) {
        distances[i] = inner_product ? -heap_[i].distance : heap_[i].distance;
        labels[i] = label_of(heap_[i].label);
      } else {
        labels[i] = -1;
      }
    }
    heap_.clear();
  }

 private:
  struct Hit {
    float distance;
    int64_t label;
    bool operator<(const Hit& other) const { return distance < other.distance; }
  };
  size_t k_;
  std::vector<Hit> heap_;
};

// Scores rows[0..count) of `base` (row r at base + r * dimension) against `query` and offers
// (distance, label_of(i)) for the i-th row to `top`. scratch: kScanChunkRows floats.
template <typename LabelOf>
void scan_rows(const DistanceKernels& kernels, bool inner_product, const float* query,
               const float* base, size_t dimension, const int32_t* rows, size_t count,
               const LabelOf& label_of, TopK& top, float* scratch) {
  for (size_t start = 0; start < count; start += kScanChunkRows) {
    const size_t chunk = std::min(kScanChunkRows, count - start);
    if (inner_product) {
      kernels.inner_product_by_ids(query, base, dimension, dimension, rows + start, chunk, scratch);
      for (size_t j = 0; j < chunk; ++j) top.offer(-scratch[j], label_of(start + j));
    } else {
      kernels.l2_squared_by_ids(query, base, dimension, dimension, rows + start, chunk, scratch);
      for (size_t j = 0; j < chunk; ++j) top.offer(scratch[j], label_of(start + j));
    }
  }
}

// Exact float32 re-rank of a bounded scan's candidates (the bf16 and float32 flat scans): scores
// the candidate rows whose lower bound is <= `threshold` with the same kernels as the float32
// flat path, and writes the k best (distance in the metric's sign, row; row -1 past the
// candidates) best first. candidates: (lower bound, row). Throws std::bad_alloc.
template <typename Lower>
void rerank_candidates(const DistanceKernels& kernels, bool inner_product, const float* query,
                       const float* base, size_t dimension,
                       const std::vector<std::pair<Lower, int32_t>>& candidates, Lower threshold,
                       size_t k, float* distances, int64_t* rows_out) {
  std::vector<int32_t> chosen;
  for (const auto& [lower, row] : candidates) {
    if (lower <= threshold) chosen.push_back(row);
  }
  std::vector<float> exact(chosen.size());
  if (inner_product) {
    kernels.inner_product_by_ids(query, base, dimension, dimension, chosen.data(), chosen.size(),
                                 exact.data());
  } else {
    kernels.l2_squared_by_ids(query, base, dimension, dimension, chosen.data(), chosen.size(),
                              exact.data());
  }
  TopK top{k};
  for (size_t i = 0; i < chosen.size(); ++i) {
    top.offer(inner_product ? -exact[i] : exact[i], chosen[i]);
  }
  top.write(inner_product, [](int64_t row) { return row; }, distances, rows_out);
}

}  // namespace trident

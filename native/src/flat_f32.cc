// Row norms, availability and the search driver of the float32 flat path (see flat_f32.h). The
// SIMD kernels are in flat_f32_avx512.cc / flat_f32_avx2.cc; this file is baseline x86-64.
#include "flat_f32.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <new>
#include <utility>

#include "exact_scan.h"
#include "flat_bf16.h"
#include "vector_index_omp.h"
#include "trident/cpu_features.h"
#include "trident/distance.h"

namespace trident {
namespace {

constexpr double kUnitRoundoff = 1.0 / 16777216.0;  // 2^-24
constexpr double kInfinity = std::numeric_limits<double>::infinity();

// Error factors of one search: |fl(q.x) - q.x| <= dot_error |q||x| for the kernel's FMA chain
// of d steps (with a 1% margin for the rounding of the bound itself); the approximate L2
// distance |x|^2 + |q|^2 - 2 q.x adds norm_error (|q|^2 + |x|^2) (stored |x|^2, the sums).
// The kernel's pre-filter uses prefilter (|q|^2 + |x|^2), which is >= the accept bound
// (|q||x| <= (|q|^2 + |x|^2) / 2) plus the kernel's own float roundings.
struct Bounds {
  bool inner_product;
  size_t k;
  double dot_error;
  double norm_error;
  double prefilter;
  // Pre-filter: dot_factor q.x + norm_scale |x|^2 <= T - norm_scale |q|^2.
  double norm_scale;
  double dot_factor;
  const float* row_norm_squared;
  const double* query_norm_squared;
};

Bounds bounds_for(bool inner_product, size_t dimension, size_t k, const float* row_norm_squared,
                  const double* query_norm_squared) {
  Bounds b{};
  b.inner_product = inner_product;
  b.k = k;
  b.dot_error = double(dimension + 2) * kUnitRoundoff * 1.01;
  b.norm_error = 4.0 * kUnitRoundoff;
  const double distance_dot_error = inner_product ? b.dot_error : 2.0 * b.dot_error;
  b.prefilter = distance_dot_error / 2.0 + 16.0 * kUnitRoundoff;
  b.norm_scale = inner_product ? -b.prefilter : 1.0 - b.prefilter;
  b.dot_factor = inner_product ? -1.0 : -2.0;
  b.row_norm_squared = row_norm_squared;
  b.query_norm_squared = query_norm_squared;
  return b;
}

// One query's state in one thread's row slice: the k smallest upper bounds (max-heap) and the
// candidates (lower bound, row).
struct QueryState {
  std::vector<double> upper_heap;
  std::vector<std::pair<double, int32_t>> candidates;
};

struct SliceState {
  const Bounds* bounds;
  std::vector<QueryState> queries;  // per query of the batch
};

// The smallest float >= value (thresholds must never fall below the double they stand for).
float round_up(double value) {
  const float rounded = float(value);
  return double(rounded) >= value ? rounded : std::nextafter(rounded, kInfinity);
}

void accept(void* context, const F32Tile& tile, size_t row, uint64_t lane_mask,
            const float* dots) {
  auto& slice = *static_cast<SliceState*>(context);
  const Bounds& b = *slice.bounds;
  const double row_norm_squared = b.row_norm_squared[row];
  for (uint64_t mask = lane_mask; mask != 0; mask &= mask - 1) {
    const int lane = __builtin_ctzll(mask);
    const size_t query = size_t(tile.first_query + lane);
    const double query_norm_squared = b.query_norm_squared[query];
    const double dot = dots[lane];
    const double product_bound = std::sqrt(query_norm_squared * row_norm_squared);
    double distance, error;
    if (b.inner_product) {
      distance = -dot;
      error = b.dot_error * product_bound;
    } else {
      distance = row_norm_squared + query_norm_squared - 2.0 * dot;
      error = 2.0 * b.dot_error * product_bound +
              b.norm_error * (row_norm_squared + query_norm_squared);
    }
    QueryState& state = slice.queries[query];
    auto& heap = state.upper_heap;
    const bool full = heap.size() == b.k;
    if (full && distance - error > heap.front()) continue;  // threshold fell within this group
    state.candidates.emplace_back(distance - error, int32_t(row));
    if (!full) {
      heap.push_back(distance + error);
      std::push_heap(heap.begin(), heap.end());
    } else if (distance + error < heap.front()) {
      std::pop_heap(heap.begin(), heap.end());
      heap.back() = distance + error;
      std::push_heap(heap.begin(), heap.end());
    }
    if (heap.size() == b.k) {
      tile.thresholds[lane] = round_up(heap.front() - b.norm_scale * query_norm_squared);
    }
  }
}

// Packs queries [first, first + count) dimension-major into `lanes` lanes (zeros past count).
void pack_tile(const float* queries, size_t dimension, size_t first, size_t count, size_t lanes,
               float* out) {
  for (size_t j = 0; j < dimension; ++j) {
    for (size_t lane = 0; lane < lanes; ++lane) {
      out[j * lanes + lane] = lane < count ? queries[(first + lane) * dimension + j] : 0.0f;
    }
  }
}

// Tile widths for n queries. AVX-512: 32-lane tiles while more than 40 queries are left, then
// one tile of the smallest width that holds the rest (40, 32, 16 or 8). AVX2: 16-lane tiles
// and at most one 8-lane tile. The kernels hold a row's 40 lanes in two zmm and one ymm, 32 in
// two zmm, 16 in one zmm (AVX-512) or two ymm (AVX2), 8 in one ymm.
std::vector<size_t> tile_widths(size_t n, bool wide) {
  std::vector<size_t> widths;
  const size_t step = wide ? 32 : 16;
  const size_t last_max = wide ? 40 : 16;
  size_t left = n;
  for (; left > last_max; left -= step) widths.push_back(step);
  if (left > 0) {
    size_t lanes = last_max;
    for (const size_t narrower : {size_t(32), size_t(16), size_t(8)}) {
      if (narrower < lanes && left <= narrower) lanes = narrower;
    }
    widths.push_back(lanes);
  }
  return widths;
}

}  // namespace

bool f32_flat_available() {
  static const bool available = detected_simd_level() >= SimdLevel::kAvx2 && !bf16_flat_available();
  return available;
}

void FlatF32Norms::repack(const float* rows, size_t count, size_t dimension) {
  norm_squared_.clear();
  append(rows, count, dimension);
}

void FlatF32Norms::append(const float* rows, size_t count, size_t dimension) {
  norm_squared_.reserve(norm_squared_.size() + count);  // throws before anything changes
  for (size_t i = 0; i < count; ++i) {
    const float* x = rows + i * dimension;
    double squared = 0;
    for (size_t j = 0; j < dimension; ++j) squared += double(x[j]) * x[j];
    norm_squared_.push_back(float(squared));
  }
}

void FlatF32Norms::search(int64_t n, const float* queries, int k, bool inner_product,
                          const float* base, size_t dimension, int threads, float* distances,
                          int64_t* rows_out, F32Kernel kernel) const {
  const size_t rows = norm_squared_.size();
  const size_t queries_count = size_t(n);
  const bool wide =
      kernel == F32Kernel::kDetected && detected_simd_level() == SimdLevel::kAvx512;
  const auto scan = wide ? &f32_scan_rows_avx512 : &f32_scan_rows_avx2;
  std::vector<double> query_norm_squared(queries_count);
  for (size_t q = 0; q < queries_count; ++q) {
    double squared = 0;
    for (size_t j = 0; j < dimension; ++j) {
      squared += double(queries[q * dimension + j]) * queries[q * dimension + j];
    }
    query_norm_squared[q] = squared;
  }
  const Bounds bounds = bounds_for(inner_product, dimension, size_t(k), norm_squared_.data(),
                                   query_norm_squared.data());
  const std::vector<size_t> widths = tile_widths(queries_count, wide);
  std::vector<size_t> tile_offset(widths.size() + 1, 0);
  for (size_t t = 0; t < widths.size(); ++t) tile_offset[t + 1] = tile_offset[t] + widths[t];
  std::vector<float> lanes(tile_offset.back() * dimension);
  for (size_t t = 0; t < widths.size(); ++t) {
    const size_t first = tile_offset[t];
    pack_tile(queries, dimension, first, std::min(widths[t], queries_count - first), widths[t],
              lanes.data() + first * dimension);
  }

  // Rows in chunks taken dynamically (about 16 per thread, whole 12-row groups); each worker
  // keeps its per-query state (thresholds, heaps, candidates) across its chunks.
  const int64_t chunk = std::max<int64_t>(
      12, int64_t(rows) / (16 * int64_t(std::max(1, threads))) / 12 * 12);
  const int workers = chunk_workers(int64_t(rows), chunk, threads);
  std::vector<SliceState> states(static_cast<size_t>(workers));
  std::vector<std::vector<float>> thresholds(static_cast<size_t>(workers));
  std::vector<std::vector<F32Tile>> tiles(static_cast<size_t>(workers));
  const bool scanned = for_each_chunk(int64_t(rows), chunk, threads, [&](int worker,
                                                                         int64_t first,
                                                                         int64_t last) {
    SliceState& state = states[size_t(worker)];
    std::vector<float>& worker_thresholds = thresholds[size_t(worker)];
    std::vector<F32Tile>& worker_tiles = tiles[size_t(worker)];
    if (state.queries.empty()) {  // the worker's first chunk
      state.bounds = &bounds;
      state.queries.resize(queries_count);
      worker_thresholds.resize(tile_offset.back());
      worker_tiles.resize(widths.size());
      for (size_t t = 0; t < widths.size(); ++t) {
        const size_t first_query = tile_offset[t];
        for (size_t lane = 0; lane < widths[t]; ++lane) {
          const bool used = first_query + lane < queries_count;
          worker_thresholds[first_query + lane] = used ? std::numeric_limits<float>::infinity()
                                                       : -std::numeric_limits<float>::infinity();
        }
        worker_tiles[t] = {lanes.data() + first_query * dimension,
                           worker_thresholds.data() + first_query, int(widths[t]),
                           int(first_query)};
      }
    }
    const F32ScanArgs args{worker_tiles.data(), int(worker_tiles.size()), base, dimension,
                           size_t(first), size_t(last), norm_squared_.data(),
                           float(bounds.norm_scale), float(bounds.dot_factor), &accept, &state};
    scan(args);
  });
  if (!scanned) throw std::bad_alloc();

  // Merge the workers: T = the k-th smallest upper bound over all of them; re-rank exactly.
  const DistanceKernels& kernels = distance_kernels();
  const bool merged = for_each_query_slice(n, threads, [&](int64_t first, int64_t last) {
    std::vector<double> uppers;
    std::vector<std::pair<double, int32_t>> candidates;
    for (int64_t q = first; q < last; ++q) {
      uppers.clear();
      candidates.clear();
      for (const SliceState& state : states) {  // a worker without a chunk has no queries
        if (state.queries.empty()) continue;
        const QueryState& query_state = state.queries[size_t(q)];
        uppers.insert(uppers.end(), query_state.upper_heap.begin(), query_state.upper_heap.end());
        candidates.insert(candidates.end(), query_state.candidates.begin(),
                          query_state.candidates.end());
      }
      double threshold = kInfinity;
      if (uppers.size() >= size_t(k)) {
        std::nth_element(uppers.begin(), uppers.begin() + (k - 1), uppers.end());
        threshold = uppers[size_t(k - 1)];
      }
      const size_t offset = size_t(q) * size_t(k);
      rerank_candidates(kernels, inner_product, queries + size_t(q) * dimension, base, dimension,
                        candidates, threshold, size_t(k), distances + offset, rows_out + offset);
    }
  });
  if (!merged) throw std::bad_alloc();
}

}  // namespace trident

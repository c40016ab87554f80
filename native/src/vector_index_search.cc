// Search paths. Called under the shared lock: nothing here mutates the index.
//   HNSW: our graph search (hnsw_search.h) with our kernels, one query per OpenMP iteration.
//   Flat with AVX512-BF16: exact scan through a bf16 copy with float32 re-rank (flat_bf16.h).
//   Flat, other CPUs with AVX2/AVX-512, 8+ queries: register-blocked float32 scan (flat_f32.h).
//   Flat, batches below FAISS's BLAS threshold (20): our kernels, a bounded heap per query.
//   IVF-Flat: our kernels for the coarse quantizer and the list scans (ivf_flat_search.h).
//   Flat large batches, SQ, IVF-PQ: FAISS (BLAS for flat), labels already caller ids.
//   With an id filter: vector_index_filtered.cc.
#include <faiss/IndexFlat.h>
#include <faiss/utils/distances.h>
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>
#include <vector>

#include "trident/distance.h"
#include "trident/error.h"
#include "trident/hnsw_search.h"
#include "exact_scan.h"
#include "id_filter.h"
#include "ivf_flat_search.h"
#include "vector_index_impl.h"
#include "vector_index_omp.h"

namespace trident {
namespace {

// Rows scanned per block: 256 x 128-d floats = 128 KiB, cache-resident while a batch scans it.
constexpr size_t kFlatBlockRows = 256;

// IVF-Flat lists are scanned by our kernels (ivf_flat_search.h) unless TRIDENT_IVF_KERNELS=faiss
// (read once; for A/B benchmarks against FAISS's own scan inside the same library).
bool ivf_kernels_enabled() {
  static const bool enabled = [] {
    const char* value = std::getenv("TRIDENT_IVF_KERNELS");
    return value == nullptr || std::strcmp(value, "faiss") != 0;
  }();
  return enabled;
}

}  // namespace

void VectorIndexImpl::search(int64_t n, const float* queries, int k, int ef_search, int nprobe,
                             int omp_threads, const IdFilter* filter, float* distances,
                             int64_t* labels) const {
  check_usable();
  TRIDENT_CHECK(n >= 0, ErrorKind::kInvalidArgument, "search: n must be >= 0");
  TRIDENT_CHECK(k > 0, ErrorKind::kInvalidArgument, "search: k must be > 0, got " + std::to_string(k));
  TRIDENT_CHECK(ef_search >= 0 && nprobe >= 0 && omp_threads >= 0, ErrorKind::kInvalidArgument,
                "search: ef_search, nprobe and omp_threads must be >= 0");
  if (n == 0) return;
  TRIDENT_CHECK(queries != nullptr && distances != nullptr && labels != nullptr,
                ErrorKind::kInvalidArgument, "search: queries, distances or labels is null");
  check_vectors_finite(n, queries, "query");
  const int threads = std::max(1, omp_threads);

  const bool empty = live_ids_.empty() || (filter != nullptr && filter->cardinality() == 0);
  if (!empty && filter != nullptr) {
    search_filtered(n, queries, k, ef_search, nprobe, threads, *filter, distances, labels);
  } else if (!empty && parsed_.kind == StructureKind::kHnsw) {
    search_hnsw(n, queries, k, ef_search, threads, distances, labels);
  } else if (!empty && parsed_.kind == StructureKind::kFlat && bf16_flat_available() &&
             flat_bf16_.rows() == size_t(index_->ntotal)) {
    search_flat_bf16(n, queries, k, threads, distances, labels);
  } else if (!empty && parsed_.kind == StructureKind::kFlat && n >= kFlatF32MinQueries &&
             f32_flat_available() && flat_f32_.rows() == size_t(index_->ntotal)) {
    search_flat_f32(n, queries, k, threads, distances, labels);
  } else if (!empty && parsed_.kind == StructureKind::kFlat &&
             n < faiss::distance_compute_blas_threshold) {
    // Below FAISS's GEMM threshold FAISS would scan with its SSE code; ours is SIMD-wider.
    search_flat_kernels(n, queries, k, threads, nullptr, distances, labels);
  } else if (!empty) {
    search_faiss(n, queries, k, nprobe, threads, distances, labels);
  }
  // Contract: empty slots hold label -1 and the metric's worst distance.
  const float worst = metric_ == kMetricL2 ? std::numeric_limits<float>::infinity()
                                           : -std::numeric_limits<float>::infinity();
  const size_t slots = size_t(n) * size_t(k);
  for (size_t i = 0; i < slots; ++i) {
    if (empty || labels[i] < 0) {
      labels[i] = -1;
      distances[i] = worst;
    }
  }
}

HnswGraphView VectorIndexImpl::hnsw_view() const {
  const auto& hnsw = static_cast<const faiss::IndexHNSWFlat&>(*index_);
  HnswGraphView view;
  view.graph = &hnsw.hnsw;
  view.level0 = &level0_;
  view.exact_vectors = static_cast<const faiss::IndexFlat*>(hnsw.storage)->get_xb();
  view.dimension = size_t(dimension_);
  view.node_count = size_t(hnsw.ntotal);
  view.inner_product = metric_ != kMetricL2;
  // No removals yet: skip the per-node tombstone test altogether.
  view.tombstones = live_ids_.size() == node_ids_.size() ? nullptr : tombstones_.data();
  return view;
}

void VectorIndexImpl::search_hnsw(int64_t n, const float* queries, int k, int ef_search,
                                  int threads, float* distances, int64_t* labels) const {
  const HnswGraphView view = hnsw_view();
  const int ef = ef_search > 0 ? ef_search : kDefaultEfSearch;

  std::atomic<bool> failed{false};
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1) if (threads > 1 && n > 1)
  for (int64_t q = 0; q < n; ++q) {
    try {
      float* row_distances = distances + size_t(q) * size_t(k);
      int64_t* row_labels = labels + size_t(q) * size_t(k);
      const int found = hnsw_search_one(view, queries + size_t(q) * size_t(dimension_), k, ef,
                                        row_distances, row_labels);
      for (int i = 0; i < found; ++i) row_labels[i] = node_ids_[size_t(row_labels[i])];
    } catch (...) {  // exceptions must not cross the OpenMP region
      failed.store(true);
    }
  }
  TRIDENT_CHECK(!failed.load(), ErrorKind::kOutOfMemory, "search: scratch allocation failed");
}

// Exhaustive scan with our kernels. Base-block outer, query inner: each block of kFlatBlockRows
// rows is read from memory once per batch and scanned from cache by every query of the batch, so
// gathering concurrent queries into one call (ConcurrentSearcher) divides the memory traffic per
// query by the batch size. With threads > 1 the queries are split into one slice per thread.
// A filter (or null) skips the rows whose ids it does not allow.
void VectorIndexImpl::search_flat_kernels(int64_t n, const float* queries, int k, int threads,
                                          const IdFilter* filter, float* distances,
                                          int64_t* labels) const {
  const auto& mapped = static_cast<const faiss::IndexIDMap2&>(*index_);
  const auto& flat = static_cast<const faiss::IndexFlat&>(*mapped.index);
  const float* base = flat.get_xb();
  const size_t rows = size_t(flat.ntotal);
  const size_t dimension = size_t(dimension_);
  const bool inner_product = metric_ != kMetricL2;
  const DistanceKernels& kernels = distance_kernels();
  const bool done = for_each_query_slice(n, threads, [&](int64_t first, int64_t last) {
    std::vector<TopK> tops(size_t(last - first), TopK(size_t(k)));
    std::vector<float> block(std::min(rows, kFlatBlockRows));
    for (size_t start = 0; start < rows; start += kFlatBlockRows) {
      const size_t count = std::min(kFlatBlockRows, rows - start);
      const float* block_base = base + start * dimension;
      for (int64_t q = first; q < last; ++q) {
        const float* query = queries + size_t(q) * dimension;
        if (inner_product) {
          kernels.inner_product_rows(query, block_base, dimension, count, block.data());
        } else {
          kernels.l2_squared_rows(query, block_base, dimension, count, block.data());
        }
        TopK& top = tops[size_t(q - first)];
        for (size_t j = 0; j < count; ++j) {
          if (filter != nullptr && !filter->contains(mapped.id_map[start + j])) continue;
          top.offer(inner_product ? -block[j] : block[j], int64_t(start + j));
        }
      }
    }
    const auto id_of = [&mapped](int64_t position) { return mapped.id_map[size_t(position)]; };
    for (int64_t q = first; q < last; ++q) {
      tops[size_t(q - first)].write(inner_product, id_of, distances + size_t(q) * size_t(k),
                                    labels + size_t(q) * size_t(k));
    }
  });
  TRIDENT_CHECK(done, ErrorKind::kOutOfMemory, "search: result buffers allocation failed");
}

void VectorIndexImpl::search_flat_bf16(int64_t n, const float* queries, int k, int threads,
                                       float* distances, int64_t* labels) const {
  const auto& mapped = static_cast<const faiss::IndexIDMap2&>(*index_);
  const auto& flat = static_cast<const faiss::IndexFlat&>(*mapped.index);
  try {
    flat_bf16_.search(n, queries, k, metric_ != kMetricL2, flat.get_xb(), threads, distances,
                      labels);
  } catch (const std::bad_alloc&) {
    throw Error(ErrorKind::kOutOfMemory, "search: bf16 scan scratch allocation failed");
  }
  map_rows_to_ids(n, k, labels);
}

void VectorIndexImpl::map_rows_to_ids(int64_t n, int k, int64_t* labels) const {
  const auto& mapped = static_cast<const faiss::IndexIDMap2&>(*index_);
  const size_t slots = size_t(n) * size_t(k);
  for (size_t i = 0; i < slots; ++i) {
    if (labels[i] >= 0) labels[i] = mapped.id_map[size_t(labels[i])];
  }
}

void VectorIndexImpl::search_flat_f32(int64_t n, const float* queries, int k, int threads,
                                      float* distances, int64_t* labels) const {
  const auto& mapped = static_cast<const faiss::IndexIDMap2&>(*index_);
  const auto& flat = static_cast<const faiss::IndexFlat&>(*mapped.index);
  try {
    flat_f32_.search(n, queries, k, metric_ != kMetricL2, flat.get_xb(), size_t(dimension_),
                     threads, distances, labels);
  } catch (const std::bad_alloc&) {
    throw Error(ErrorKind::kOutOfMemory, "search: float32 scan scratch allocation failed");
  }
  map_rows_to_ids(n, k, labels);
}

void VectorIndexImpl::search_faiss(int64_t n, const float* queries, int k, int nprobe,
                                   int threads, float* distances, int64_t* labels) const {
  OmpThreadsScope omp_scope(threads);
  if (parsed_.kind == StructureKind::kIvf) {
    const auto& ivf = static_cast<const faiss::IndexIVF&>(*index_);
    const size_t probes = std::min<size_t>(size_t(nprobe > 0 ? nprobe : kDefaultNprobe), ivf.nlist);
    if (ivf_kernels_enabled() && ivf_flat_kernels_apply(ivf)) {
      try {
        ivf_flat_search(ivf, n, queries, k, probes, threads, distances, labels);
      } catch (const std::bad_alloc&) {
        throw Error(ErrorKind::kOutOfMemory, "search: IVF scratch allocation failed");
      }
      return;
    }
    faiss::SearchParametersIVF params;
    params.nprobe = probes;
    ivf.search(n, queries, k, distances, labels, &params);
  } else {
    index_->search(n, queries, k, distances, labels);
  }
}

}  // namespace trident

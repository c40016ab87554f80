#include "ivf_flat_search.h"

#include <faiss/IndexFlat.h>
#include <faiss/IndexIVFFlat.h>
#include <faiss/invlists/InvertedLists.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <new>
#include <vector>

#include "exact_scan.h"
#include "trident/distance.h"

namespace trident {
namespace {

// Per-thread scratch: centroid distances, one block of list distances, the probe choice.
struct IvfScratch {
  std::vector<float> centroid_distances;
  std::vector<float> block;
  std::vector<float> probe_distances;
  std::vector<int64_t> probe_order;
  TopK probes;
  TopK top;
  IvfScratch(size_t nlist, size_t nprobe, size_t k)
      : centroid_distances(nlist), block(kScanChunkRows), probe_distances(nprobe),
        probe_order(nprobe), probes(nprobe), top(k) {}
};

// Row-block kernel of the metric ("smaller is better" is applied by the caller).
inline void score_rows(const DistanceKernels& kernels, bool inner_product, const float* query,
                       const float* rows, size_t dimension, size_t count, float* out) {
  if (inner_product) {
    kernels.inner_product_rows(query, rows, dimension, count, out);
  } else {
    kernels.l2_squared_rows(query, rows, dimension, count, out);
  }
}

void search_one(const faiss::IndexIVF& ivf, const float* centroids, const float* query,
                bool inner_product, IvfScratch& scratch, float* distances, int64_t* labels) {
  const DistanceKernels& kernels = distance_kernels();
  const size_t dimension = size_t(ivf.d);
  const float sign = inner_product ? -1.0f : 1.0f;
  float* centroid_distances = scratch.centroid_distances.data();
  score_rows(kernels, inner_product, query, centroids, dimension, ivf.nlist, centroid_distances);
  for (size_t list = 0; list < ivf.nlist; ++list) {
    scratch.probes.offer(sign * centroid_distances[list], int64_t(list));
  }
  // Lists in probe order (nearest centroid first): the heap threshold tightens soonest.
  std::vector<int64_t>& order = scratch.probe_order;
  scratch.probes.write(false, [](int64_t list) { return list; }, scratch.probe_distances.data(),
                       order.data());

  const faiss::InvertedLists& lists = *ivf.invlists;
  float* block = scratch.block.data();
  for (const int64_t list : order) {
    if (list < 0) continue;
    const size_t size = lists.list_size(size_t(list));
    if (size == 0) continue;
    const auto* vectors = reinterpret_cast<const float*>(lists.get_codes(size_t(list)));
    const faiss::Index::idx_t* ids = lists.get_ids(size_t(list));
    for (size_t start = 0; start < size; start += kScanChunkRows) {
      const size_t count = std::min(kScanChunkRows, size - start);
      score_rows(kernels, inner_product, query, vectors + start * dimension, dimension, count,
                 block);
      for (size_t j = 0; j < count; ++j) scratch.top.offer(sign * block[j], ids[start + j]);
    }
  }
  scratch.top.write(inner_product, [](int64_t id) { return id; }, distances, labels);
}

}  // namespace

bool ivf_flat_kernels_apply(const faiss::IndexIVF& ivf) {
  return dynamic_cast<const faiss::IndexIVFFlat*>(&ivf) != nullptr &&
         dynamic_cast<const faiss::ArrayInvertedLists*>(ivf.invlists) != nullptr &&
         dynamic_cast<const faiss::IndexFlat*>(ivf.quantizer) != nullptr &&
         ivf.code_size == sizeof(float) * size_t(ivf.d);
}

void ivf_flat_search(const faiss::IndexIVF& ivf, int64_t n, const float* queries, int k,
                     size_t nprobe, int threads, float* distances, int64_t* labels) {
  const auto& quantizer = static_cast<const faiss::IndexFlat&>(*ivf.quantizer);
  const float* centroids = quantizer.get_xb();
  const bool inner_product = ivf.metric_type == faiss::METRIC_INNER_PRODUCT;
  const size_t probe_count = std::max<size_t>(1, std::min(nprobe, ivf.nlist));
  const size_t dimension = size_t(ivf.d);
  std::atomic<bool> failed{false};
#pragma omp parallel num_threads(threads) if (threads > 1 && n > 1)
  {
    // Every thread reaches the worksharing loop (its barrier needs them all), scratch or not.
    std::unique_ptr<IvfScratch> scratch;
    try {
      scratch = std::make_unique<IvfScratch>(ivf.nlist, probe_count, size_t(k));
    } catch (...) {  // exceptions must not cross the OpenMP region
      failed.store(true);
    }
#pragma omp for schedule(dynamic, 1)
    for (int64_t q = 0; q < n; ++q) {
      if (scratch == nullptr) continue;  // this thread cannot score; the call fails below
      search_one(ivf, centroids, queries + size_t(q) * dimension, inner_product, *scratch,
                 distances + size_t(q) * size_t(k), labels + size_t(q) * size_t(k));
    }
  }
  if (failed.load()) throw std::bad_alloc();
}

}  // namespace trident

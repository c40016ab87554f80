// train / add / remove. Each validates everything first and only then modifies the structure,
// so a failed call leaves the index unchanged. Called under the exclusive lock. train and remove
// run on the calling thread only (one OpenMP thread): a writer must not take cores from
// concurrent searches, and spinning OpenMP teams collapse on an oversubscribed 2-core host. add
// uses the threads its caller asks for (a bulk build on an otherwise idle index: all cores).
#include <faiss/IndexFlat.h>
#include <faiss/impl/IDSelector.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <new>
#include <string>

#include <omp.h>

#include "hnsw_build.h"
#include "trident/error.h"
#include "trident/hnsw_search.h"
#include "trident/hnsw_storage.h"
#include "vector_index_impl.h"
#include "vector_index_omp.h"

namespace trident {
namespace {

constexpr int kPqCentroids = 256;  // FAISS PQ default: 8 bits per sub-quantizer
// A batch adding at least 1/kLayoutRebuildRatio of the graph's size recopies the whole level-0
// layout (O(n), exact); smaller batches update it incrementally (O(batch * links)).
constexpr size_t kLayoutRebuildRatio = 8;

std::string id_text(int64_t id) { return std::to_string(id); }

// Bulk HNSW batches (the same size rule as the layout rebuild) build their graph from a half
// copy of the rows (see KernelFlatStorage) when every value fits half precision.
// TRIDENT_HNSW_BUILD_HALVES=off keeps float32 construction distances (A/B comparisons, tests).
bool half_build_enabled() {
  static const bool enabled = [] {
    const char* value = std::getenv("TRIDENT_HNSW_BUILD_HALVES");
    return value == nullptr || std::string(value) != "off";
  }();
  return enabled;
}

}  // namespace

void VectorIndexImpl::check_vectors_finite(int64_t n, const float* vectors,
                                           const char* what) const {
  const size_t count = static_cast<size_t>(n) * static_cast<size_t>(dimension_);
  for (size_t i = 0; i < count; ++i) {
    if (!std::isfinite(vectors[i])) {
      throw Error(ErrorKind::kInvalidArgument,
                  std::string(what) + " " + std::to_string(i / size_t(dimension_)) +
                      " has a NaN or infinite component at position " +
                      std::to_string(i % size_t(dimension_)));
    }
  }
}

void VectorIndexImpl::check_usable() const {
  TRIDENT_CHECK(!unusable_, ErrorKind::kInternal,
                "index " + spec_ + " is unusable: an earlier add failed inside FAISS (out of "
                "memory) after FAISS had changed it; load it again from its last saved file");
}

template <typename FaissAdd>
void VectorIndexImpl::add_or_mark_unusable(FaissAdd faiss_add) {
  const int64_t before = index_->ntotal;
  try {
    faiss_add();
  } catch (...) {
    // FAISS cannot roll back a half-done add; our id tables no longer match it.
    if (index_->ntotal != before) unusable_ = true;
    throw;
  }
}

void VectorIndexImpl::train(int64_t n, const float* vectors) {
  check_usable();
  TRIDENT_CHECK(n >= 0, ErrorKind::kInvalidArgument, "train: n must be >= 0");
  if (index_->is_trained) return;  // Flat, HNSW, SQfp16, or already trained: nothing to learn
  TRIDENT_CHECK(vectors != nullptr, ErrorKind::kInvalidArgument, "train: vectors is null");
  int64_t needed = 1;
  if (parsed_.kind == StructureKind::kIvf) needed = parsed_.ivf_lists;
  if (parsed_.pq_subquantizers > 0) needed = std::max<int64_t>(needed, kPqCentroids);
  TRIDENT_CHECK(n >= needed, ErrorKind::kInvalidArgument,
                "train: spec " + spec_ + " needs at least " + std::to_string(needed) +
                    " training vectors, got " + std::to_string(n));
  check_vectors_finite(n, vectors, "training vector");
  OmpThreadsScope single_thread(1);
  index_->train(n, vectors);
}

void VectorIndexImpl::add(int64_t n, const float* vectors, const int64_t* ids, int omp_threads) {
  check_usable();
  TRIDENT_CHECK(n >= 0, ErrorKind::kInvalidArgument, "add: n must be >= 0");
  TRIDENT_CHECK(omp_threads >= 0, ErrorKind::kInvalidArgument,
                "add: omp_threads must be >= 0 (0 = every core), got " +
                    std::to_string(omp_threads));
  if (n == 0) return;
  TRIDENT_CHECK(vectors != nullptr && ids != nullptr, ErrorKind::kInvalidArgument,
                "add: vectors or ids is null");
  TRIDENT_CHECK(index_->is_trained, ErrorKind::kInvalidArgument,
                "add: index " + spec_ + " must be trained before vectors are added");
  if (parsed_.kind == StructureKind::kHnsw) {
    TRIDENT_CHECK(int64_t(node_ids_.size()) + n <= std::numeric_limits<int32_t>::max(),
                  ErrorKind::kInvalidArgument, "add: HNSW holds at most 2^31-1 nodes");
  }
  std::vector<int64_t> sorted(ids, ids + n);
  std::sort(sorted.begin(), sorted.end());
  for (int64_t i = 0; i < n; ++i) {
    TRIDENT_CHECK(sorted[i] != -1, ErrorKind::kInvalidArgument, "add: id -1 is reserved");
    TRIDENT_CHECK(i == 0 || sorted[i] != sorted[i - 1], ErrorKind::kInvalidArgument,
                  "add: id " + id_text(sorted[i]) + " appears twice in the batch");
    TRIDENT_CHECK(live_ids_.count(sorted[i]) == 0, ErrorKind::kInvalidArgument,
                  "add: id " + id_text(sorted[i]) + " is already in the index");
  }
  check_vectors_finite(n, vectors, "vector");

  const int threads = omp_threads == 0 ? omp_get_num_procs() : omp_threads;
  OmpThreadsScope add_threads(threads);
  live_ids_.reserve(live_ids_.size() + size_t(n));
  if (parsed_.kind == StructureKind::kHnsw) {
    const size_t first_node = node_ids_.size();
    node_ids_.reserve(first_node + size_t(n));
    tombstones_.reserve((first_node + size_t(n) + 63) / 64);
    node_of_id_.reserve(node_of_id_.size() + size_t(n));
    const bool batch_fits_half =
        vectors_fit_half_ && half_precision_fits(vectors, size_t(n) * size_t(dimension_));
    const VectorEncoding encoding =
        layout_encoding_for(first_node + size_t(n), size_t(dimension_), batch_fits_half);
    // A changed encoding (size crossed kHalfLayoutMinBytes, or a value beyond half range)
    // re-encodes the whole layout once. A smaller parallel add recopies every link list but no
    // old vector: concurrent insertions prune more old lists than the incremental sync tracks.
    const bool full_rebuild = size_t(n) * kLayoutRebuildRatio >= first_node ||
                              encoding != layout_encoding_;
    if (!full_rebuild) level0_.reserve(first_node + size_t(n));  // then the update cannot fail
    auto* storage = dynamic_cast<KernelFlatStorage*>(
        static_cast<faiss::IndexHNSWFlat&>(*index_).storage);
    const bool half_build = storage != nullptr && batch_fits_half && half_build_enabled() &&
                            size_t(n) * kLayoutRebuildRatio >= first_node;
    {
      HalfBuildScope halves(half_build ? storage : nullptr);  // bad_alloc: nothing changed yet
      add_or_mark_unusable([&] {
        hnsw_add_parallel(static_cast<faiss::IndexHNSW&>(*index_), n, vectors, threads);
      });
    }
    const auto& hnsw = static_cast<const faiss::IndexHNSWFlat&>(*index_);
    const float* stored = static_cast<const faiss::IndexFlat*>(hnsw.storage)->get_xb();
    vectors_fit_half_ = batch_fits_half;
    layout_encoding_ = encoding;
    if (full_rebuild) {
      level0_.rebuild(hnsw.hnsw, stored, size_t(dimension_), first_node + size_t(n),
                      layout_encoding_, threads);
      search_layout_exact_ = true;
    } else {
      const bool all_links = threads > 1;
      level0_.sync_after_add(hnsw.hnsw, stored, first_node, first_node + size_t(n), all_links,
                             threads);
      // Every list refreshed: exact again, unless bf16 rows keep the last rebuild's center.
      search_layout_exact_ = all_links && layout_encoding_ != VectorEncoding::kBfloat16;
    }
    for (int64_t i = 0; i < n; ++i) {
      node_ids_.push_back(ids[i]);
      node_of_id_.emplace(ids[i], int32_t(first_node + size_t(i)));
    }
    tombstones_.resize((node_ids_.size() + 63) / 64, 0);
  } else {
    add_or_mark_unusable([&] { index_->add_with_ids(n, vectors, ids); });
    sync_flat_bf16(false);
  }
  live_ids_.insert(ids, ids + n);
  ++mutations_;
}

void VectorIndexImpl::sync_flat_bf16(bool repack) {
  if (parsed_.kind != StructureKind::kFlat) return;
  const auto& mapped = static_cast<const faiss::IndexIDMap2&>(*index_);
  const auto& flat = static_cast<const faiss::IndexFlat&>(*mapped.index);
  if (f32_flat_available()) {
    const size_t rows = size_t(flat.ntotal), held = flat_f32_.rows();
    try {
      if (repack || held > rows) {
        flat_f32_.repack(flat.get_xb(), rows, size_t(dimension_));
      } else {
        flat_f32_.append(flat.get_xb() + held * size_t(dimension_), rows - held,
                         size_t(dimension_));
      }
    } catch (const std::bad_alloc&) {
      flat_f32_ = FlatF32Norms();  // other float32 paths from now on; the write succeeded
    }
  }
  if (!bf16_flat_available()) return;
  const size_t rows = size_t(flat.ntotal), held = flat_bf16_.rows();
  try {
    if (repack || held > rows) {
      flat_bf16_.repack(flat.get_xb(), rows, size_t(dimension_));
    } else {
      flat_bf16_.append(flat.get_xb() + held * size_t(dimension_), rows - held, size_t(dimension_));
    }
  } catch (const std::bad_alloc&) {
    flat_bf16_ = Bf16FlatCopy();  // float32 searches from now on; the write itself succeeded
  }
}

void VectorIndexImpl::remove(int64_t n, const int64_t* ids) {
  check_usable();
  TRIDENT_CHECK(n >= 0, ErrorKind::kInvalidArgument, "remove: n must be >= 0");
  if (n == 0) return;
  TRIDENT_CHECK(ids != nullptr, ErrorKind::kInvalidArgument, "remove: ids is null");
  for (int64_t i = 0; i < n; ++i) {
    TRIDENT_CHECK(live_ids_.count(ids[i]) != 0, ErrorKind::kUnknownId,
                  "remove: id " + id_text(ids[i]) + " is not in the index");
  }
  std::vector<int64_t> unique(ids, ids + n);
  std::sort(unique.begin(), unique.end());
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());

  if (parsed_.kind == StructureKind::kHnsw) {
    // Tombstones: the nodes keep routing searches but are never returned.
    for (const int64_t id : unique) {
      const auto it = node_of_id_.find(id);
      const size_t node = size_t(it->second);
      tombstones_[node >> 6] |= uint64_t(1) << (node & 63);
      node_of_id_.erase(it);
    }
  } else {
    OmpThreadsScope single_thread(1);
    faiss::IDSelectorBatch selector(int64_t(unique.size()), unique.data());
    const size_t removed = index_->remove_ids(selector);
    TRIDENT_CHECK(removed == unique.size(), ErrorKind::kInternal,
                  "remove: FAISS removed " + std::to_string(removed) + " of " +
                      std::to_string(unique.size()) + " ids");
    sync_flat_bf16(true);
  }
  for (const int64_t id : unique) live_ids_.erase(id);
  ++mutations_;
}

}  // namespace trident

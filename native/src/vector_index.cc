// trident::VectorIndex facade: argument checks that need no state, locking, TRIDENT_GUARD.
#include "trident/vector_index.h"

#include <mutex>
#include <mutex>  // std::lock_guard
#include <shared_mutex>  // std::shared_lock

#include "id_filter.h"
#include "trident/distance.h"
#include "trident/error.h"
#include "vector_index_impl.h"

namespace trident {

VectorIndex::VectorIndex(std::unique_ptr<VectorIndexImpl> impl) : impl_(std::move(impl)) {}

VectorIndex::~VectorIndex() = default;

VectorIndex* VectorIndex::create(int dimension, const char* spec, int metric,
                                 int ef_construction) {
  TRIDENT_GUARD("create", {
    TRIDENT_CHECK(spec != nullptr, ErrorKind::kInvalidArgument, "create: spec is null");
    auto impl = std::make_unique<VectorIndexImpl>(dimension, spec, metric, ef_construction);
    return new VectorIndex(std::move(impl));
  });
}

VectorIndex* VectorIndex::load(const char* path) {
  TRIDENT_GUARD("load", {
    TRIDENT_CHECK(path != nullptr, ErrorKind::kInvalidArgument, "load: path is null");
    auto impl = std::make_unique<VectorIndexImpl>(read_index_file(path));
    return new VectorIndex(std::move(impl));
  });
}

// dimension, metric and spec never change after construction: no lock needed.
int VectorIndex::dimension() const { TRIDENT_GUARD("dimension", { return impl_->dimension(); }); }
int VectorIndex::metric() const { TRIDENT_GUARD("metric", { return impl_->metric(); }); }
const char* VectorIndex::spec() const { TRIDENT_GUARD("spec", { return impl_->spec().c_str(); }); }

int64_t VectorIndex::size() const {
  TRIDENT_GUARD("size", {
    std::shared_lock<WriterPreferringLock> guard(impl_->lock);
    return impl_->size();
  });
}

int64_t VectorIndex::bytes_used() const {
  TRIDENT_GUARD("bytes_used", {
    std::shared_lock<WriterPreferringLock> guard(impl_->lock);
    return impl_->bytes_used();
  });
}

bool VectorIndex::is_trained() const {
  TRIDENT_GUARD("is_trained", {
    std::shared_lock<WriterPreferringLock> guard(impl_->lock);
    return impl_->is_trained();
  });
}

bool VectorIndex::contains(int64_t id) const {
  TRIDENT_GUARD("contains", {
    std::shared_lock<WriterPreferringLock> guard(impl_->lock);
    return impl_->contains(id);
  });
}

void VectorIndex::train(int64_t n, const float* vectors) {
  TRIDENT_GUARD("train", {
    std::unique_lock<WriterPreferringLock> guard(impl_->lock);
    impl_->train(n, vectors);
  });
}

void VectorIndex::add(int64_t n, const float* vectors, const int64_t* ids) {
  add(n, vectors, ids, 1);
}

void VectorIndex::add(int64_t n, const float* vectors, const int64_t* ids, int omp_threads) {
  TRIDENT_GUARD("add", {
    std::unique_lock<WriterPreferringLock> guard(impl_->lock);
    impl_->add(n, vectors, ids, omp_threads);
  });
}

void VectorIndex::remove(int64_t n, const int64_t* ids) {
  TRIDENT_GUARD("remove", {
    std::unique_lock<WriterPreferringLock> guard(impl_->lock);
    impl_->remove(n, ids);
  });
}

void VectorIndex::search(int64_t n, const float* queries, int k, int ef_search, int nprobe,
                         int omp_threads, float* distances, int64_t* labels) const {
  TRIDENT_GUARD("search", {
    std::shared_lock<WriterPreferringLock> guard(impl_->lock);
    impl_->search(n, queries, k, ef_search, nprobe, omp_threads, nullptr, distances, labels);
  });
}

void VectorIndex::search(int64_t n, const float* queries, int k, int ef_search, int nprobe,
                         int omp_threads, int filter_kind, const void* filter_data,
                         int64_t filter_length, float* distances, int64_t* labels) const {
  TRIDENT_GUARD("search", {
    const IdFilter filter(filter_kind, filter_data, filter_length);  // before the lock: O(length)
    std::shared_lock<WriterPreferringLock> guard(impl_->lock);
    impl_->search(n, queries, k, ef_search, nprobe, omp_threads, &filter, distances, labels);
  });
}

void VectorIndex::save(const char* path) const {
  TRIDENT_GUARD("save", {
    TRIDENT_CHECK(path != nullptr, ErrorKind::kInvalidArgument, "save: path is null");
    // One save at a time (they may write the same temporary file). Searches go on throughout:
    // the index is copied into memory under the shared lock, and written and synced unlocked.
    std::lock_guard<std::mutex> one_save(impl_->save_mutex);
    bool layout_exact;
    {
      std::shared_lock<WriterPreferringLock> guard(impl_->lock);
      layout_exact = impl_->search_layout_exact();
    }
    if (!layout_exact) {  // so a loaded copy searches exactly like this one; rare and short
      std::unique_lock<WriterPreferringLock> guard(impl_->lock);
      impl_->resync_search_layout();
    }
    IndexFileContents contents;
    {
      std::shared_lock<WriterPreferringLock> guard(impl_->lock);
      contents = impl_->to_file();
    }
    write_index_file(path, contents);
  });
}

int64_t VectorIndex::tombstone_count() const {
  TRIDENT_GUARD("tombstone_count", {
    std::shared_lock<WriterPreferringLock> guard(impl_->lock);
    return impl_->tombstone_count();
  });
}

bool VectorIndex::compact(int omp_threads) {
  TRIDENT_GUARD("compact", {
    TRIDENT_CHECK(omp_threads >= 0, ErrorKind::kInvalidArgument,
                  "compact: omp_threads must be >= 0");
    VectorIndexImpl::LiveRows rows;
    uint64_t copied_at;
    {  // the copy: searches go on
      std::shared_lock<WriterPreferringLock> guard(impl_->lock);
      if (impl_->tombstone_count() == 0) return false;
      rows = impl_->live_rows();
      copied_at = impl_->mutation_count();
    }
    std::unique_ptr<VectorIndexImpl> fresh = impl_->empty_like();  // the build: no lock held
    if (!rows.ids.empty()) {
      fresh->add(int64_t(rows.ids.size()), rows.vectors.data(), rows.ids.data(), omp_threads);
    }
    {  // the swap: a pointer exchange per structure
      std::unique_lock<WriterPreferringLock> guard(impl_->lock);
      if (impl_->mutation_count() != copied_at) return false;  // changed meanwhile: not swapped
      impl_->swap_structure(*fresh);
    }
    return true;  // `fresh` now holds the old structures: freed here, unlocked
  });
}

const char* VectorIndex::kernel_variant() {
  TRIDENT_GUARD("kernel_variant", { return distance_kernels().name; });
}

void destroy_vector_index(VectorIndex* index) {
  TRIDENT_GUARD("destroy", { delete index; });
}

}  // namespace trident

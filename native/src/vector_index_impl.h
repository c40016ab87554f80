// Internal state of trident::VectorIndex (see vector_index.h for the public contract).
//
// Structures, by spec:
//   Flat, SQ8, SQfp16   faiss::IndexIDMap2 over IndexFlat / IndexScalarQuantizer; removal
//                       compacts the codes. Flat search: with AVX512-BF16, an exact scan of a
//                       bf16 copy with float32 re-rank (flat_bf16.h, any batch); otherwise, from
//                       8 queries on, the register-blocked float32 scan over FAISS's rows
//                       (flat_f32.h; AVX2/AVX-512), our per-query kernels below that, and
//                       FAISS's BLAS path for large batches on CPUs without AVX2.
//   IVF{n},Flat|PQ{m}   faiss::IndexIVF with caller ids stored in the inverted lists.
//   HNSW{M}             faiss::IndexHNSWFlat (graph built by FAISS with our kernels), searched by
//                       our own loop (hnsw_search.h) over a level-0 layout copy (hnsw_layout.h);
//                       node -> caller id table, tombstone bitset.
// Every structure also keeps live_ids_, the set of ids present now (contains, duplicate and
// unknown-id checks before anything is modified).
//
// Locking is the caller's (VectorIndex): const methods under a shared lock, the rest exclusive.
#pragma once

#include <faiss/Index.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIDMap.h>
#include <faiss/IndexIVF.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "flat_bf16.h"
#include "flat_f32.h"
#include "index_file.h"
#include "vector_index_lock.h"
#include "trident/hnsw_layout.h"
#include "trident/hnsw_search.h"
#include "trident/vector_index.h"

namespace trident {

// Search knobs' defaults (0 in a call means these).
constexpr int kDefaultEfSearch = 64;
constexpr int kDefaultNprobe = 8;

enum class StructureKind { kFlat, kScalarQuantizer, kIvf, kHnsw };

struct ParsedSpec {
  StructureKind kind = StructureKind::kFlat;
  std::string factory;  // FAISS factory string without our "IDMap," prefix
  int hnsw_m = 0;
  int ivf_lists = 0;
  int pq_subquantizers = 0;
};

// Throws Error(kInvalidArgument) naming the problem for anything outside the supported grammar.
ParsedSpec parse_spec(const std::string& spec, int dimension);

// Encoding of the HNSW search layout for a graph of node_count vectors: half precision once the
// float32 vectors would no longer fit comfortably in cache (>= kHalfLayoutMinBytes; measured:
// half is faster on the 100K x 128 set, float32 on cache-resident sift5k), provided every
// component fits half precision and the CPU converts in hardware (AVX2/F16C). From
// kBf16WalkMinDimension on, a CPU with AVX512-BF16 (bf16_walk_available()) gets bf16 rows
// instead (same bytes, no conversion: hnsw_bf16.h). TRIDENT_HNSW_LAYOUT=f32|f16|bf16 forces one
// (tests, comparisons; bf16 only where available); TRIDENT_HNSW_BF16=off disables bf16.
constexpr size_t kHalfLayoutMinBytes = size_t(16) << 20;
constexpr size_t kBf16WalkMinDimension = 256;
VectorEncoding layout_encoding_for(size_t node_count, size_t dimension, bool vectors_fit_half);

class IdFilter;

class VectorIndexImpl {
 public:
  VectorIndexImpl(int dimension, const std::string& spec, int metric, int ef_construction);
  explicit VectorIndexImpl(IndexFileContents&& file);  // load; throws kCorruptFile

  int dimension() const { return dimension_; }
  int metric() const { return metric_; }
  const std::string& spec() const { return spec_; }
  int64_t size() const { return static_cast<int64_t>(live_ids_.size()); }
  int64_t bytes_used() const;
  bool is_trained() const { return index_->is_trained; }
  bool contains(int64_t id) const { return live_ids_.count(id) != 0; }

  void train(int64_t n, const float* vectors);
  // omp_threads: 0 = every core (omp_get_num_procs), else that many threads.
  void add(int64_t n, const float* vectors, const int64_t* ids, int omp_threads);
  void remove(int64_t n, const int64_t* ids);
  // filter: null, or the ids the search may return (id_filter.h).
  void search(int64_t n, const float* queries, int k, int ef_search, int nprobe, int omp_threads,
              const IdFilter* filter, float* distances, int64_t* labels) const;
  IndexFileContents to_file() const;
  // HNSW: makes the level-0 search layout an exact copy of FAISS's graph again (see
  // HnswLevel0Layout::sync_after_add); no-op otherwise. Exclusive lock.
  void resync_search_layout();
  // False after an incremental layout update, until resync_search_layout(). Shared lock.
  bool search_layout_exact() const { return search_layout_exact_; }

  // Compaction (vector_index_compact.cc). HNSW nodes whose ids were removed (0 otherwise).
  int64_t tombstone_count() const;
  // Counts add/remove/train/adopt calls: a compaction built from a copy swaps in only when no
  // mutation happened since the copy.
  uint64_t mutation_count() const { return mutations_; }
  struct LiveRows {
    std::vector<int64_t> ids;
    std::vector<float> vectors;  // ids.size() * dimension, float32 as stored
  };
  LiveRows live_rows() const;  // HNSW: every live node's id and vector; shared lock
  std::unique_ptr<VectorIndexImpl> empty_like() const;  // same spec, no vectors; no lock
  // Exchanges every structure (FAISS index, ids, tombstones, layouts) with `other`, which must
  // have this spec; `other` then holds the old ones (free them after unlocking). Exclusive lock.
  void swap_structure(VectorIndexImpl& other);

  mutable WriterPreferringLock lock;  // shared: const operations; exclusive: mutations
  mutable std::mutex save_mutex;      // one save() at a time; taken before `lock`

 private:
  void build_structure();
  HnswGraphView hnsw_view() const;
  void search_hnsw(int64_t n, const float* queries, int k, int ef_search, int omp_threads,
                   float* distances, int64_t* labels) const;
  void search_flat_kernels(int64_t n, const float* queries, int k, int omp_threads,
                           const IdFilter* filter, float* distances, int64_t* labels) const;
  // Filtered paths (vector_index_filtered.cc); the filter allows at least one id.
  void search_filtered(int64_t n, const float* queries, int k, int ef_search, int nprobe,
                       int omp_threads, const IdFilter& filter, float* distances,
                       int64_t* labels) const;
  void search_hnsw_filtered(int64_t n, const float* queries, int k, int ef_search,
                            int omp_threads, const IdFilter& filter, float* distances,
                            int64_t* labels) const;
  void search_flat_filtered(int64_t n, const float* queries, int k, int omp_threads,
                            const IdFilter& filter, float* distances, int64_t* labels) const;
  void search_ivf_filtered(int64_t n, const float* queries, int k, int nprobe, int omp_threads,
                           const IdFilter& filter, float* distances, int64_t* labels) const;
  void search_sq_filtered(int64_t n, const float* queries, int k, int omp_threads,
                          const IdFilter& filter, float* distances, int64_t* labels) const;
  void search_flat_bf16(int64_t n, const float* queries, int k, int omp_threads,
                        float* distances, int64_t* labels) const;
  void search_flat_f32(int64_t n, const float* queries, int k, int omp_threads,
                       float* distances, int64_t* labels) const;
  // Flat: turns storage rows in labels (n x k, -1 kept) into caller ids.
  void map_rows_to_ids(int64_t n, int k, int64_t* labels) const;
  // Flat: brings the bf16 copy and the float32 path's row norms (whichever this CPU uses) in
  // step with FAISS's storage (append, or repack after a removal); on allocation failure drops
  // it (searches fall back to the other float32 paths) rather than fail the write.
  void sync_flat_bf16(bool repack);
  void search_faiss(int64_t n, const float* queries, int k, int nprobe, int omp_threads,
                    float* distances, int64_t* labels) const;
  void check_vectors_finite(int64_t n, const float* vectors, const char* what) const;
  // Throws kInternal once unusable_ is set (every operation except the const getters).
  void check_usable() const;
  template <typename FaissAdd>
  void add_or_mark_unusable(FaissAdd faiss_add);

  int dimension_;
  int metric_;
  int ef_construction_;
  std::string spec_;
  ParsedSpec parsed_;
  std::unique_ptr<faiss::Index> index_;
  std::unordered_set<int64_t> live_ids_;
  // Set when FAISS threw in the middle of an add (out of memory) after changing its structure:
  // the id tables and the search layout no longer describe it, so nothing may read it again.
  bool unusable_ = false;

  // HNSW only: caller id per node (tombstoned nodes keep theirs), live id -> node, removed bits.
  std::vector<int64_t> node_ids_;
  std::unordered_map<int64_t, int32_t> node_of_id_;
  std::vector<uint64_t> tombstones_;
  HnswLevel0Layout level0_;  // what search_hnsw reads: level-0 links + vectors per node
  // See layout_encoding_for(); re-decided on every add (a change rebuilds the layout once).
  VectorEncoding layout_encoding_ = VectorEncoding::kFloat32;
  bool search_layout_exact_ = true;  // see search_layout_exact()
  uint64_t mutations_ = 0;           // see mutation_count()
  bool vectors_fit_half_ = true;  // every vector added so far fits half precision

  // Flat only, when bf16_flat_available(): the bf16 copy searched by search_flat_bf16, in the
  // row order of FAISS's storage. Used only while it holds exactly the stored rows.
  Bf16FlatCopy flat_bf16_;
  // Flat only, when f32_flat_available(): |x|^2 per stored row for search_flat_f32, in the same
  // row order. Used only while it holds exactly the stored rows.
  FlatF32Norms flat_f32_;
};

}  // namespace trident

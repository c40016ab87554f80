// trident::VectorIndex — the narrow facade over FAISS-structured indexes that Java maps.
//
// Shapes (row-major, caller-owned): vectors/queries: n * dimension floats; ids: n int64;
// distances: n * k floats; labels: n * k int64. Result rows are sorted best first; slots with no
// neighbour hold label -1 and distance +inf (L2) / -inf (inner product).
//
// Metric: L2 reports squared L2 distances (smaller is better); kInnerProduct reports inner
// products (larger is better). Cosine = inner product over vectors the caller normalised.
//
// Thread rules: any number of threads may call search() at once. add(), remove() and train()
// take an exclusive lock and are serialised against searches and each other; a waiting
// writer goes before searches that arrive after it (no writer starvation). save() does not
// block searches: it copies the index into memory under the shared lock (an HNSW index whose
// search layout was updated incrementally first re-copies it under the exclusive lock, a
// short in-memory step) and writes and syncs the file with no lock held; saves run one at a
// time, and a save waits for a running add() (and an add() for the in-memory copy). The object
// itself must outlive every call on it (the Java owner guarantees this). Each search uses
// `omp_threads` OpenMP threads (default 1) so one Java caller maps to one core; train and remove
// run on the calling thread only, add on the threads its caller asks for (default 1).
//
// Errors: every function throws only trident::Error (see error.h); a failed call leaves the
// index unchanged (arguments are validated before anything is modified). One exception: when
// FAISS itself runs out of memory half-way through an add, the index is marked unusable and
// every later call throws kInternal (reload it from its last file) instead of reading a
// half-updated structure.
//
// Speed: every HNSW search, IVF-Flat's coarse quantizer and list scans, and Flat batches below
// 20 queries run on trident's own SIMD kernels (AVX-512 / AVX2 / scalar, chosen at load, see
// kernel_variant()). On a CPU with AVX512-BF16, Flat searches of any batch size scan a bfloat16
// copy of the vectors with a proven error bound and re-rank in float32, so they stay exact
// (flat_bf16.h; the copy costs 2 * dimension + 8 bytes per vector, in bytes_used()). HNSW is searched by our own
// loop over a copy of level 0 that keeps each node's links next to its vector (float32 while
// the vectors total < 16 MiB, half precision beyond when every component fits, or from 256
// dimensions on a CPU with AVX512-BF16 bfloat16 rows centred on the mean (hnsw_bf16.h), each
// with an exact float32 re-rank of the final candidates); that copy costs 2M*4 + dimension*2
// (or *4; bf16: + 4 for the row norm) bytes per vector, included in bytes_used().
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace trident {

// kMetricCosine searches exactly like kMetricInnerProduct (the caller normalises vectors to unit
// length); it is recorded so that a saved and loaded index still reports cosine.
enum MetricKind : int { kMetricL2 = 0, kMetricInnerProduct = 1, kMetricCosine = 2 };

// Forms of the id filter of a filtered search (which caller ids it may return):
//   kFilterSortedIds  filter_data: filter_length int64 ids, strictly ascending;
//   kFilterIdBitset   filter_data: ceil(filter_length / 64) uint64 words; bit (id % 64) of word
//                     id / 64 set = id allowed, for ids in [0, filter_length); others are not.
enum IdFilterKind : int { kFilterSortedIds = 1, kFilterIdBitset = 2 };

class VectorIndexImpl;

class VectorIndex {
 public:
  // spec: a FAISS factory string among "Flat", "HNSW{M}", "IVF{n},Flat", "IVF{n},PQ{m}", "SQ8",
  // "SQfp16" (optionally prefixed "IDMap,"); ids are always caller-given int64 (an IDMap is added
  // where the structure needs one). ef_construction: HNSW build beam width (0 = 100).
  // Throws kInvalidArgument for an unknown spec, dimension <= 0 or a bad metric.
  static VectorIndex* create(int dimension, const char* spec, int metric, int ef_construction);

  // Reads a file written by save(). Throws kCorruptFile for a truncated, altered or foreign file,
  // kIo when it cannot be opened.
  static VectorIndex* load(const char* path);

  ~VectorIndex();

  int dimension() const;
  int metric() const;
  const char* spec() const;
  int64_t size() const;        // vectors searchable now (removed ids excluded)
  int64_t bytes_used() const;  // approximate resident bytes (vectors + graph/lists + ids)
  bool is_trained() const;
  bool contains(int64_t id) const;

  // IVF / PQ / SQ8 need training on representative vectors before add (IVF{n}: n >= nlist
  // vectors; PQ: also >= 256); no-op for Flat, HNSW, SQfp16 and an already trained index.
  void train(int64_t n, const float* vectors);

  // Adds n vectors with caller-given ids. Throws kInvalidArgument when an id is already present
  // (in the index or twice in the batch), is -1, a component is NaN/infinite, or the index is
  // untrained; nothing is added then. An id removed earlier may be added again.
  void add(int64_t n, const float* vectors, const int64_t* ids);

  // add() on omp_threads OpenMP threads (0 = every core, 1 = the calling thread only): FAISS's
  // parallel HNSW insertion (per-node locks) and IVF assignment, then a parallel copy into the
  // HNSW search layout. Same contract as add(); a parallel HNSW build inserts nodes in a
  // different order than a serial one, so its graph differs (equal quality, not equal links).
  void add(int64_t n, const float* vectors, const int64_t* ids, int omp_threads);

  // Removes n ids. Throws kUnknownId (naming the first) when any id is absent; nothing is
  // removed then. HNSW removal is a tombstone: the node stays in the graph for routing but is
  // never returned, until compact() rebuilds the graph without it.
  void remove(int64_t n, const int64_t* ids);

  // Batch k-NN. Per-call knobs, 0 meaning "the index default": ef_search = HNSW beam width
  // (default 64, raised to k when smaller), nprobe = IVF lists probed (default 8, capped at
  // nlist), omp_threads = OpenMP threads used by this call (0 or 1: the calling thread only).
  // Throws kInvalidArgument for k <= 0, n < 0, negative knobs, null pointers or a NaN/infinite
  // query component.
  void search(int64_t n, const float* queries, int k, int ef_search, int nprobe, int omp_threads,
              float* distances, int64_t* labels) const;

  // search() returning only ids the filter allows (IdFilterKind; caller memory, read-only for the
  // call, so concurrent searches with different filters are fine). The filter is applied inside
  // the search, not to its output: HNSW walks the whole graph but admits only allowed nodes to
  // its beam; Flat and IVF scans skip disallowed entries (IVF probes more lists the fewer ids
  // pass, nprobe / selectivity). When few ids pass (what "few" is depends on the index size and
  // structure, see vector_index_filtered.cc), HNSW, Flat and IVF-Flat score exactly the allowed
  // vectors instead (exact results); an HNSW walk that turns out longer than that scan is
  // abandoned for it. A query gets fewer than k hits only when fewer than k allowed ids are in
  // the index (empty slots as in search()). Additionally throws kInvalidArgument for a bad filter
  // (unknown kind, negative length, null data, unsorted ids).
  void search(int64_t n, const float* queries, int k, int ef_search, int nprobe, int omp_threads,
              int filter_kind, const void* filter_data, int64_t filter_length, float* distances,
              int64_t* labels) const;

  // Writes the whole index (structure, ids, tombstones) with a checksum; atomically replaces
  // `path` (write to path.tmp, fsync, rename). The file holds one consistent state; searches
  // proceed during the save (see the thread rules above). Memory: a transient in-memory copy
  // of the file.
  void save(const char* path) const;

  // HNSW nodes whose ids were removed and that still sit in the graph as tombstones (0 for
  // other structures, which drop removed vectors at once).
  int64_t tombstone_count() const;

  // HNSW: rebuilds the graph from the live nodes only (same ids, vectors and spec) and swaps it
  // in, dropping every tombstone. Searches go on throughout: the live vectors are copied under
  // the shared lock, the new graph is built with no lock held (on omp_threads threads, as add),
  // and the swap takes the exclusive lock for a pointer exchange. Returns false, changing
  // nothing, when there is no tombstone or when an add/remove ran meanwhile (call it from the
  // index's writer thread to rule that out). Memory: the new graph and a copy of the live
  // vectors exist next to the old ones until the swap. Other structures: returns false.
  bool compact(int omp_threads);

  // Name of the distance-kernel variant the search paths use ("avx512", "avx2", "scalar").
  static const char* kernel_variant();

 private:
  explicit VectorIndex(std::unique_ptr<VectorIndexImpl> impl);
  std::unique_ptr<VectorIndexImpl> impl_;
};

}  // namespace trident

namespace trident {
// Deletes an index returned by VectorIndex::create/load (for the Java owner; null is a no-op).
void destroy_vector_index(VectorIndex* index);
}  // namespace trident

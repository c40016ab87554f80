// Our own search over an HNSW graph that FAISS built: upper levels read from faiss::HNSW, level 0
// and the vectors from an HnswLevel0Layout (links and vector of a node side by side), distances
// by trident's SIMD kernels instead of FAISS's SSE-only ones.
//
// Algorithm: greedy descent from the entry point through the upper levels, then a beam search of
// width `ef` on level 0 (Malkov & Yashunin). Tombstoned nodes, and in a filtered search the nodes
// the filter rejects, are still expanded (they keep the graph connected) but never enter the
// result set: the beam holds up to ef accepted nodes, so a filter that rejects most nodes makes
// the walk longer, never the answer shorter (hnsw_search_filtered bounds that walk).
//
// Thread rules: hnsw_search_one() only reads the graph and vectors; any number of threads may
// call it at once provided nobody mutates them meanwhile (the VectorIndex lock guarantees this).
// Scratch memory (visited table, heaps) is borrowed from a process-wide pool for each search
// and returned after it: no allocation per query once the pool holds scratch sized for this
// graph. It costs 2 bytes per node per concurrent search (not per thread that ever searched);
// the pool keeps at most max(8, 2 x cores) of them and frees extra ones when returned.
#pragma once

#include <cstddef>
#include <cstdint>

#include <faiss/impl/HNSW.h>

#include "trident/hnsw_layout.h"

namespace trident {

struct HnswGraphView {
  const faiss::HNSW* graph = nullptr;          // upper levels, entry point, max level
  const HnswLevel0Layout* level0 = nullptr;    // level-0 links and vectors, in sync with graph
  const float* exact_vectors = nullptr;  // float32 rows (stride dimension) for the re-rank of a
                                         // half-precision layout; null: no re-rank
  size_t dimension = 0;
  size_t node_count = 0;                // nodes in the graph (tombstoned ones included)
  bool inner_product = false;           // false: squared L2
  const uint64_t* tombstones = nullptr; // bitset over nodes (bit set = removed), or null
};

inline bool is_tombstoned(const uint64_t* tombstones, size_t node) {
  return tombstones != nullptr && ((tombstones[node >> 6] >> (node & 63)) & 1u) != 0;
}

// Which nodes a filtered search may return (the tombstone test comes first, separately).
// Implementations are read-only during a search and shared by every searching thread.
class NodeFilter {
 public:
  virtual ~NodeFilter() = default;
  virtual bool accepts(int32_t node) const = 0;
};

// Finds up to k nearest live nodes of `query` with beam width max(ef, k). Writes them best first
// to distances/nodes (k slots each; unused slots get node -1 and the metric's worst distance).
// Distances are squared L2, or inner products (larger is better) when view.inner_product.
// Returns the number of nodes found.
int hnsw_search_one(const HnswGraphView& view, const float* query, int k, int ef,
                    float* distances, int64_t* nodes);

// hnsw_search_one restricted to live nodes `filter` accepts. Gives up once the level-0 walk has
// computed more than `level0_distances_max` distances (0: no limit) and returns -1 then, with
// the outputs filled as for "nothing found": a filter that rejects nearly everything makes the
// walk visit a large part of the graph, and the caller is better off scanning the accepted nodes
// exactly (the Lucene approach). `*level0_distances` (if not null) receives the distances the
// walk computed, a measure of its cost.
int hnsw_search_filtered(const HnswGraphView& view, const NodeFilter& filter,
                         size_t level0_distances_max, const float* query, int k, int ef,
                         float* distances, int64_t* nodes, size_t* level0_distances = nullptr);

}  // namespace trident
